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

const migrationFiles = (dir: string) =>
  readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort();

export function loadMigrations(dir: string): Migration[] {
  return migrationFiles(dir).map((f) => ({ version: Number(f.slice(0, 4)), name: f, sql: readFileSync(`${dir}/${f}`, 'utf8') }));
}

/** The schema version this build's migrations reach, from their names alone (checkDatabase runs on every open). */
const latestVersion = (dir: string) => Number(migrationFiles(dir).at(-1)?.slice(0, 4) ?? 0);

/** The database's own tables (not SQLite's). */
export const userTables = (db: Db): string[] =>
  db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'").pluck().all() as string[];

/** A database this build must not touch: newer than its migrations, or someone else's. */
export class MigrationError extends Error {}

/** Tables every claims-api schema has had since the first migration. */
const OUR_TABLES = ['claims', 'entities', 'sources', 'revisions'];

/**
 * Refuses, reading only, a database this build must not touch: one that has tables but is not ours (migrating it would
 * write our schema and the seed into someone else's file), whatever its user_version (other applications set theirs
 * too: one at 7 had migration 0008 tried on it), and one from a newer build (serving it with older code could misread
 * or corrupt what the newer schema means). openDatabase asks before it sets anything: switching a foreign file to WAL
 * changed its header before the refusal came.
 */
export function checkDatabase(db: Db, dir: string = MIGRATIONS_DIR): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  const tables = userTables(db);
  if (tables.length === 0 && current === 0) return; // new and empty: ours to make
  const latest = latestVersion(dir);
  // A schema version with no tables at all is a newer build's, as far as can be told.
  const ours = current > 0 && (OUR_TABLES.every((t) => tables.includes(t)) || (tables.length === 0 && current > latest));
  if (!ours)
    throw new MigrationError(
      tables.length > 0
        ? `The database has tables (${tables.slice(0, 3).join(', ')}${tables.length > 3 ? ', …' : ''}) but no claims-api schema: refusing to touch it. Point DATABASE_PATH at a new file or at a claims-api database.`
        : `The database has no tables but schema version ${current}: it is not a claims-api database. Point DATABASE_PATH at a new file or at a claims-api database.`,
    );
  if (current > latest)
    throw new MigrationError(
      `The database is at schema version ${current}, newer than this build's ${latest}: it was written by a newer claims-api. Run that version, or restore a backup taken for this one.`,
    );
}

/** Applies every migration newer than the database; returns the names applied. Refuses what checkDatabase refuses. */
export function migrate(db: Db, dir: string = MIGRATIONS_DIR): string[] {
  checkDatabase(db, dir);
  const current = db.pragma('user_version', { simple: true }) as number;
  const migrations = loadMigrations(dir);
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
