// API key storage: every SQL statement about keys. Keys are found by the hash of the presented key; the key
// itself never reaches the database.
import type { Db } from '../db/open.js';
import type { KeyScope } from '../domain/vocabulary.js';

export interface ApiKey {
  id: number;
  name: string;
  scope: KeyScope;
  keyHash: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
}

interface KeyRow {
  id: number;
  name: string;
  scope: KeyScope;
  key_hash: string;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
}

const rowToKey = (r: KeyRow): ApiKey => ({
  id: r.id,
  name: r.name,
  scope: r.scope,
  keyHash: r.key_hash,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  revokedAt: r.revoked_at,
});

export function createApiKeysRepository(db: Db) {
  const insert = db.prepare(
    `INSERT INTO api_keys (name, scope, key_hash, created_at, expires_at) VALUES (@name, @scope, @keyHash, @createdAt, @expiresAt)`,
  );
  const byHash = db.prepare<[string], KeyRow>('SELECT * FROM api_keys WHERE key_hash = ?');
  const byName = db.prepare<[string], KeyRow>('SELECT * FROM api_keys WHERE name = ?');
  const all = db.prepare<[], KeyRow>('SELECT * FROM api_keys ORDER BY name');
  const revoke = db.prepare('UPDATE api_keys SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL');

  return {
    create(key: { name: string; scope: KeyScope; keyHash: string; createdAt: string; expiresAt: string | null }): ApiKey {
      insert.run(key);
      return rowToKey(byName.get(key.name)!);
    },
    findByHash(keyHash: string): ApiKey | null {
      const row = byHash.get(keyHash);
      return row ? rowToKey(row) : null;
    },
    findByName(name: string): ApiKey | null {
      const row = byName.get(name);
      return row ? rowToKey(row) : null;
    },
    list: (): ApiKey[] => all.all().map(rowToKey),
    /** True when the key was active and is now revoked. */
    revoke: (name: string, at: string): boolean => revoke.run(at, name).changes === 1,
  };
}

export type ApiKeysRepository = ReturnType<typeof createApiKeysRepository>;
