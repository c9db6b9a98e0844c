// Promise 7 (issue 7): `npm run backup -- <file>` makes a consistent copy while writes continue. The service
// writes to a database file without pause while the backup command copies it from another process; the copy,
// restored as a service's database, has every record written before the backup began, each with its revisions,
// and integrity_check ok.
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { migrate } from '../src/db/migrate.js';
import { openDatabase } from '../src/db/open.js';
import { loadSeed } from '../src/db/seed.js';
import { createStore } from '../src/store.js';
import { bearer, createKey, newClaimBody, TEST_LIMITS } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'claims-api-backup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function runBackup(databasePath: string, destination: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/backup.ts', destination], {
    env: { PATH: process.env.PATH ?? '', DATABASE_PATH: databasePath },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

describe('npm run backup', () => {
  it('copies the live database consistently while writes continue; the restored copy has every record', async () => {
    const databasePath = join(dir, 'live.db');
    const db = openDatabase(databasePath);
    migrate(db);
    const store = createStore(db);
    loadSeed(store);
    const app = await buildApp({ store, limits: TEST_LIMITS });
    const key = bearer(createKey(store, { name: 'backup-desk' }));
    const write = async (id: string) => {
      const res = await app.inject({ method: 'POST', url: '/v1/claims', headers: key, payload: newClaimBody({ id, reason: 'during a backup' }) });
      expect(res.statusCode).toBe(201);
      return id;
    };
    // Enough data that the copy takes a while, then writes that go on during it.
    const before: string[] = [];
    for (let i = 0; i < 300; i++) before.push(await write(`before-backup-${i}`));

    const destination = join(dir, 'copy.db');
    let writing = true;
    const during: string[] = [];
    const writer = (async () => {
      for (let i = 0; writing; i++) {
        during.push(await write(`during-backup-${i}`));
        await new Promise((r) => setImmediate(r));
      }
    })();
    const result = await runBackup(databasePath, destination);
    writing = false;
    await writer;
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout) as { integrity: string; counts: { claims: number }; bytes: number; ms: number };
    expect(summary.integrity).toBe('ok');
    expect(during.length, 'writes went on during the backup').toBeGreaterThan(0);
    // The database, its WAL and shared memory, and the copy hold the API keys' hashes: only their owner reads them.
    const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);
    for (const path of [databasePath, `${databasePath}-wal`, `${databasePath}-shm`, destination]) expect(mode(path), path).toBe('600');

    // Restore: the copy becomes a service's database file.
    const restoredPath = join(dir, 'restored.db');
    copyFileSync(destination, restoredPath);
    const restoredDb = openDatabase(restoredPath);
    expect(migrate(restoredDb)).toEqual([]); // already at the current schema
    const restored = await buildApp({ store: createStore(restoredDb), limits: TEST_LIMITS });
    for (const id of [...before, 'deepseek-v3-training-cost']) expect((await restored.inject(`/v1/claims/${id}`)).statusCode, id).toBe(200);
    expect(restoredDb.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(restoredDb.pragma('foreign_key_check')).toEqual([]);
    // One snapshot: every claim copied has the revision its row names, and no revision lacks its record.
    const orphans = restoredDb
      .prepare(
        `SELECT COUNT(*) FROM claims c WHERE NOT EXISTS (SELECT 1 FROM revisions r WHERE r.resource_type = 'claim' AND r.resource_id = c.id AND r.revision = c.revision)`,
      )
      .pluck()
      .get();
    expect(orphans).toBe(0);
    const dangling = restoredDb
      .prepare(`SELECT COUNT(*) FROM revisions r WHERE r.resource_type = 'claim' AND NOT EXISTS (SELECT 1 FROM claims c WHERE c.id = r.resource_id)`)
      .pluck()
      .get();
    expect(dangling).toBe(0);
    const copied = restoredDb.prepare('SELECT COUNT(*) FROM claims').pluck().get() as number;
    expect(copied).toBe(summary.counts.claims);
    expect(copied).toBeGreaterThanOrEqual(before.length);
    await restored.close();
    restoredDb.close();
    await app.close();
    db.close();
    console.log(`backup: ${summary.bytes} bytes in ${summary.ms} ms while ${during.length} writes went on; ${copied} claims restored`);
  }, 60_000);

  it('refuses to overwrite a file, and explains its usage', async () => {
    const databasePath = join(dir, 'small.db');
    const db = openDatabase(databasePath);
    migrate(db);
    db.close();
    const target = join(dir, 'exists.db');
    copyFileSync(databasePath, target);
    const refused = await runBackup(databasePath, target);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('exists');
    expect(existsSync(`${target}.partial`)).toBe(false);
    // --help is a question, answered with the usage (exit 0); a bad argument is the usage error (exit 2).
    const usage = await runBackup(databasePath, '--help');
    expect(usage.code).toBe(0);
    expect(usage.stdout).toMatch(/^Usage: npm run backup/);
    expect((await runBackup(databasePath, '--bogus')).code).toBe(2);
  }, 30_000);
});
