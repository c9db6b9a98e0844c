// Opens the SQLite database with the pragmas the service relies on.
import Database from 'better-sqlite3';

export type Db = Database.Database;

export interface OpenOptions {
  readonly?: boolean;
}

export function openDatabase(path: string, options: OpenOptions = {}): Db {
  const db = new Database(path, { readonly: options.readonly ?? false });
  if (path !== ':memory:' && !options.readonly) {
    // WAL lets readers proceed while a write commits. synchronous=FULL fsyncs the WAL on every commit, so an
    // acknowledged write survives power loss, not only a process crash (NORMAL would risk the last commits).
    db.pragma('journal_mode = WAL');
  }
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  // A writer waits for a lock rather than failing at once when another process (a CLI, a backup) holds it.
  db.pragma('busy_timeout = 5000');
  // Keep hot pages of large databases in memory and let reads map the file instead of copying it.
  db.pragma('cache_size = -65536');
  db.pragma('mmap_size = 1073741824');
  return db;
}
