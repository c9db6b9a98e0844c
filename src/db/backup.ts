// Online backup: a consistent copy of the live database while the service keeps writing. `VACUUM INTO` reads
// one snapshot (a WAL read transaction, so writers are never blocked and the copy is never restarted, unlike the
// page-by-page backup API under constant writes), writes a compact file beside the destination, which is
// fsynced, checked (integrity_check) and only then renamed into place: a backup file is complete or absent.
import { closeSync, existsSync, fsyncSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { createOwnerOnlyFile, type Db } from './open.js';

export interface BackupResult {
  file: string;
  bytes: number;
  ms: number;
  integrity: string;
  counts: Record<'claims' | 'sources' | 'entities' | 'revisions', number>;
}

function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export function backupDatabase(db: Db, destination: string): BackupResult {
  if (existsSync(destination)) throw new Error(`${destination} exists; choose a new file name`);
  const started = performance.now();
  const partial = `${destination}.partial`;
  rmSync(partial, { force: true });
  try {
    // VACUUM INTO fills an empty file: made here, it is the owner's alone, like the database it copies.
    createOwnerOnlyFile(partial);
    db.prepare('VACUUM INTO ?').run(partial);
    fsyncPath(partial);
    const copy = new Database(partial, { readonly: true });
    let integrity: string;
    let counts: BackupResult['counts'];
    try {
      integrity = copy.pragma('integrity_check', { simple: true }) as string;
      const count = (table: string) => copy.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number;
      counts = { claims: count('claims'), sources: count('sources'), entities: count('entities'), revisions: count('revisions') };
    } finally {
      copy.close();
    }
    if (integrity !== 'ok') throw new Error(`the copy failed integrity_check: ${integrity}`);
    renameSync(partial, destination);
    fsyncPath(dirname(destination));
    return { file: destination, bytes: statSync(destination).size, ms: Math.round(performance.now() - started), integrity, counts };
  } finally {
    rmSync(partial, { force: true });
  }
}
