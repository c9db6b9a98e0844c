// A write while another process holds the database's write lock (a CLI import, say): the service waits half a second,
// then answers 503 with Retry-After and writes nothing, instead of holding every request for 5 s and answering 500.
// Later writes while the lock stays held are refused without waiting (src/db/write-gate.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { migrate } from '../src/db/migrate.js';
import { openDatabase } from '../src/db/open.js';
import { loadSeed } from '../src/db/seed.js';
import { createStore } from '../src/store.js';
import { bearer, createKey, newClaimBody, PROBLEM_CONTENT_TYPE, TEST_LIMITS } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'claims-busy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a write while another process holds the write lock', () => {
  it('is 503 with Retry-After after a short wait, then at once while the lock stays held; writes nothing; reads go on', async () => {
    const path = join(dir, 'claims.db');
    const db = openDatabase(path, { busyTimeoutMs: 200 });
    migrate(db);
    const store = createStore(db);
    loadSeed(store);
    const app = await buildApp({ store, limits: TEST_LIMITS });
    const editor = bearer(createKey(store, { name: 'desk' }));
    const other = new Database(path);
    try {
      other.exec('BEGIN IMMEDIATE');
      const claims = db.prepare('SELECT count(*) FROM claims').pluck().get();
      const started = performance.now();
      const res = await app.inject({ method: 'POST', url: '/v1/claims', headers: editor, payload: newClaimBody({ id: 'while-locked' }) });
      // It waited for the lock first (busy_timeout, 200 ms here).
      expect(performance.now() - started).toBeGreaterThanOrEqual(180);
      expect(performance.now() - started).toBeLessThan(2000);
      expect(res.statusCode, res.body).toBe(503);
      expect(res.headers['content-type']).toBe(PROBLEM_CONTENT_TYPE);
      expect(res.headers['retry-after']).toBe('2');
      expect(res.json()).toMatchObject({ code: 'service-unavailable', detail: expect.stringContaining('nothing was written') });
      expect((await app.inject('/v1/claims/deepseek-v3-training-cost')).statusCode).toBe(200);
      // The lock is now known to be held for long (an import): the next writes do not wait for it, since each wait
      // holds every request, reads too. Each is refused at once, with the same answer.
      for (let i = 0; i < 5; i++) {
        const at = performance.now();
        const again = await app.inject({ method: 'POST', url: '/v1/claims', headers: editor, payload: newClaimBody({ id: `while-locked-${i}` }) });
        expect(performance.now() - at, 'no wait for the lock').toBeLessThan(100);
        expect(again.statusCode, again.body).toBe(503);
        expect(again.headers['retry-after']).toBe('2');
      }
      other.exec('ROLLBACK');
      expect(db.prepare('SELECT count(*) FROM claims').pluck().get()).toBe(claims);
      // Once the lock is gone, the same request goes through, at once, and the next write waits for a lock again.
      expect((await app.inject({ method: 'POST', url: '/v1/claims', headers: editor, payload: newClaimBody({ id: 'while-locked' }) })).statusCode).toBe(201);
      other.exec('BEGIN IMMEDIATE');
      const waited = performance.now();
      expect((await app.inject({ method: 'POST', url: '/v1/claims', headers: editor, payload: newClaimBody({ id: 'while-locked-again' }) })).statusCode).toBe(503);
      expect(performance.now() - waited).toBeGreaterThanOrEqual(180);
      other.exec('ROLLBACK');
    } finally {
      other.close();
      await app.close();
      db.close();
    }
  });
});
