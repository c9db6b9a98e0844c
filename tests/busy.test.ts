// A write while another process holds the database's write lock (a CLI import, say): the service waits half a second,
// then answers 503 with Retry-After and writes nothing, instead of holding every request for 5 s and answering 500.
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
  it('is 503 with Retry-After after a short wait, writes nothing, and reads go on', async () => {
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
      expect(performance.now() - started).toBeLessThan(2000);
      expect(res.statusCode, res.body).toBe(503);
      expect(res.headers['content-type']).toBe(PROBLEM_CONTENT_TYPE);
      expect(res.headers['retry-after']).toBe('2');
      expect(res.json()).toMatchObject({ code: 'service-unavailable', detail: expect.stringContaining('nothing was written') });
      expect((await app.inject('/v1/claims/deepseek-v3-training-cost')).statusCode).toBe(200);
      other.exec('ROLLBACK');
      expect(db.prepare('SELECT count(*) FROM claims').pluck().get()).toBe(claims);
      // Once the lock is gone, the same request goes through.
      expect((await app.inject({ method: 'POST', url: '/v1/claims', headers: editor, payload: newClaimBody({ id: 'while-locked' }) })).statusCode).toBe(201);
    } finally {
      other.close();
      await app.close();
      db.close();
    }
  });
});
