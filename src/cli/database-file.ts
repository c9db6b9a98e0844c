// Opening DATABASE_PATH for an operator command. SQLite creates a file it is asked to open, so a mistyped path used
// to become a new, empty database: `keys list` said "No keys.", and `keys create` issued a key into a file no
// service reads. keys, export, import and backup open only a database that is there; making one is the service's
// job (it migrates and seeds an empty one) or the seed command's. Every failure here is one line naming the path.
import { mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { migrate, MigrationError, userTables } from '../db/migrate.js';
import { openDatabase, type Db } from '../db/open.js';
import { CommandFailure, fileFailure, quote } from './command.js';

export interface CommandDbOptions {
  readonly?: boolean;
  /** Apply the migrations after opening (the commands that write); a database not ours, or newer, is refused. */
  migrate?: boolean;
}

const HOW_TO_CREATE = 'a new one is made by starting the service (npm start) or by the seed command (npm run seed)';

/** True when the file is there, false when it is not; any other answer (a directory, no permission) fails. */
function databaseExists(path: string): boolean {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw fileFailure('DATABASE_PATH: cannot read', path, error);
  }
  if (isDirectory) throw new CommandFailure(`DATABASE_PATH ${quote(path)} is a directory, not a database file`);
  return true;
}

function open(path: string, options: CommandDbOptions): Db {
  let db: Db;
  try {
    db = openDatabase(path, { readonly: options.readonly ?? false });
  } catch (error) {
    // Not a database, locked, unreadable: SQLite's own words, on one line.
    if (error instanceof Database.SqliteError) throw new CommandFailure(`DATABASE_PATH ${quote(path)}: cannot open it: ${error.message}`);
    // Someone else's database, or a newer claims-api's: refused before anything was changed.
    if (error instanceof MigrationError) throw new CommandFailure(`DATABASE_PATH ${quote(path)}: ${error.message}`);
    throw error;
  }
  if (!options.migrate) return db;
  try {
    migrate(db);
    return db;
  } catch (error) {
    db.close();
    if (error instanceof MigrationError) throw new CommandFailure(`DATABASE_PATH ${quote(path)}: ${error.message}`);
    throw error;
  }
}

/**
 * Whether the file is a database with nothing in it (a 0-byte file, one another tool left with no tables), read
 * without writing: opening it to write would already set WAL in its header. False when it cannot be read so (the
 * open that follows reports why).
 */
function isEmptyDatabase(path: string): boolean {
  let probe: Database.Database | undefined;
  try {
    probe = new Database(path, { readonly: true, fileMustExist: true });
    const version = probe.pragma('user_version', { simple: true }) as number;
    return version === 0 && userTables(probe).length === 0;
  } catch {
    return false;
  } finally {
    probe?.close();
  }
}

/** Opens the database at path, or fails (one line, saying how to make one) without creating anything. */
export function openExistingDatabase(path: string, options: CommandDbOptions & { orElse?: string } = {}): Db {
  const alternatives = [HOW_TO_CREATE, options.orElse].filter(Boolean).join(', ');
  if (!databaseExists(path))
    throw new CommandFailure(`DATABASE_PATH ${quote(path)} does not exist, and this command does not create it: check the path; ${alternatives}`);
  // An empty file is no more a claims-api database than a missing one: keys list said "No keys." after writing the
  // whole schema into it, and keys create issued a key into a file no service reads.
  if (isEmptyDatabase(path))
    throw new CommandFailure(`DATABASE_PATH ${quote(path)} is an empty file, not a claims-api database, and this command does not make one: check the path; ${alternatives}`);
  return open(path, options);
}

/** Opens the database at path, creating it (and its directory) when it is not there; `created` says which. */
export function openOrCreateDatabase(path: string, options: CommandDbOptions = {}): { db: Db; created: boolean } {
  // ':memory:' is never a file: nothing to create on disk, nor to remove after.
  if (path === ':memory:' || databaseExists(path)) return { db: open(path, options), created: false };
  try {
    mkdirSync(dirname(path), { recursive: true });
  } catch (error) {
    throw fileFailure('DATABASE_PATH: cannot create the directory of', path, error);
  }
  return { db: open(path, options), created: true };
}
