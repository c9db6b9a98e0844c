// Forward-only migrations: migrations/NNNN_name.sql applied in order, each in its own transaction, with the
// number of the last one applied kept in PRAGMA user_version.
import { readdirSync, readFileSync } from 'node:fs';
import { registerSearchText } from '../search/search-text.js';
import type { Db } from './open.js';
import { MIGRATIONS_DIR } from './paths.js';

interface Migration {
  version: number;
  name: string;
  sql: string;
}

export function loadMigrations(dir: string): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: Number(f.slice(0, 4)), name: f, sql: readFileSync(`${dir}/${f}`, 'utf8') }));
}

/** A database this build must not touch: newer than its migrations, or someone else's. */
export class MigrationError extends Error {}

/**
 * Applies every migration newer than the database; returns the names applied. Refuses a database from a newer build
 * (serving it with older code could misread or corrupt what the newer schema means) and a database that has tables
 * but is not ours (user_version 0): migrating it would have written our schema and the seed into someone else's file.
 */
export function migrate(db: Db, dir: string = MIGRATIONS_DIR): string[] {
  const current = db.pragma('user_version', { simple: true }) as number;
  const migrations = loadMigrations(dir);
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest)
    throw new MigrationError(
      `The database is at schema version ${current}, newer than this build's ${latest}: it was written by a newer claims-api. Run that version, or restore a backup taken for this one.`,
    );
  if (current === 0) {
    const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' LIMIT 3").pluck().all() as string[];
    if (tables.length > 0)
      throw new MigrationError(
        `The database has tables (${tables.join(', ')}) but no claims-api schema: refusing to add ours to it. Point DATABASE_PATH at a new file or at a claims-api database.`,
      );
  }
  // SQL functions the migrations call (0011 marks the numbers in the claims index).
  registerSearchText(db);
  const applied: string[] = [];
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
    applied.push(m.name);
  }
  return applied;
}
