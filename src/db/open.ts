// Opens the SQLite database with the pragmas the service relies on.
import { closeSync, openSync } from 'node:fs';
import Database from 'better-sqlite3';
import { checkDatabase } from './migrate.js';

export type Db = Database.Database;

export interface OpenOptions {
  readonly?: boolean;
  /** How long a write waits for another process's write lock (SQLite's busy_timeout); 5 s by default. */
  busyTimeoutMs?: number;
  /** Fail on a missing file instead of creating an empty database there. */
  mustExist?: boolean;
  /** SQLite's page cache for this connection, in KB; 16 MB by default (below). */
  cacheKb?: number;
}

/**
 * Creates an empty file that only its owner can read and write, failing if anything is at `path` (a file, or a
 * symlink planted there). The database holds the API keys' hashes and every editor's key name: SQLite would create
 * it 0644, readable by every account on the machine. Its -wal and -shm files take the database file's mode.
 */
export function createOwnerOnlyFile(path: string): void {
  closeSync(openSync(path, 'wx', 0o600));
}

export function openDatabase(path: string, options: OpenOptions = {}): Db {
  // An empty file is an empty database to SQLite. An existing file keeps the mode its operator gave it; a file that
  // cannot be made (no directory, no permission) is left to SQLite to report as it opens it.
  if (path !== '' && path !== ':memory:' && !path.startsWith('file:') && !options.readonly && !options.mustExist) {
    try {
      createOwnerOnlyFile(path);
    } catch {
      // there already, or SQLite's error follows
    }
  }
  const db = new Database(path, { readonly: options.readonly ?? false, fileMustExist: options.mustExist ?? false });
  // Before anything is set: WAL mode is written into the file's header.
  try {
    checkDatabase(db);
  } catch (error) {
    db.close();
    throw error;
  }
  if (path !== ':memory:' && !options.readonly) {
    // WAL lets readers proceed while a write commits. synchronous=FULL fsyncs the WAL on every commit, so an
    // acknowledged write survives power loss, not only a process crash (NORMAL would risk the last commits).
    db.pragma('journal_mode = WAL');
  }
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  // A writer waits for a lock rather than failing at once when another process (a CLI, a backup) holds it.
  db.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 5000)}`);
  // Let reads map the file instead of copying it: as much of it as this SQLite build allows (SQLITE_MAX_MMAP_SIZE,
  // 2 GB). A mapped page is the OS's page cache, shared and reclaimable, not the process's own memory. Measured at a
  // million claims (3.3 GB): a rare-word search 3.7 -> 3.1 ms in process going from a 1 GB to a 2 GB map. Past the
  // map, reads copy pages into SQLite's own cache, which is the process's memory: 64 MB of it was full after the
  // search columns' first read. 16 MB holds 60 MB less resident (anonymous RSS at a million claims 214 -> 147 MB, the
  // bench's target being 150), and the OS still caches the file: in process, searches, claims and lists were as fast;
  // over HTTP, on a mix of rare-word searches, claims and deep list pages, 3-8% fewer requests a second (three
  // alternations, each lower, within this machine's noise).
  db.pragma(`cache_size = -${Math.trunc(options.cacheKb ?? 16384)}`);
  db.pragma('mmap_size = 2147418112');
  return db;
}
