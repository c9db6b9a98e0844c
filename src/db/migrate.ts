// Forward-only migrations: migrations/NNNN_name.sql applied in order, each in its own transaction, with the
// number of the last one applied kept in PRAGMA user_version.
import { readdirSync, readFileSync } from 'node:fs';
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

/** Applies every migration newer than the database; returns the names applied. */
export function migrate(db: Db, dir: string = MIGRATIONS_DIR): string[] {
  const current = db.pragma('user_version', { simple: true }) as number;
  const applied: string[] = [];
  for (const m of loadMigrations(dir)) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
    applied.push(m.name);
  }
  return applied;
}
