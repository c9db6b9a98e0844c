// POST /v1/import on the production path: the bundle's worker thread over the database file (exchange/import.runner.ts).
// The event loop keeps serving while an import runs; one import at a time; what the worker answers (results,
// problems, failures) reaches the client exactly as an import in process would give it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../bench/generate.js';
import { buildServer, PROJECT_ROOT } from '../scripts/server-process.js';
import { buildApp } from '../src/app.js';
import { migrate } from '../src/db/migrate.js';
import { openDatabase, type Db } from '../src/db/open.js';
import { loadSeed } from '../src/db/seed.js';
import { exportChunks, exportStart } from '../src/exchange/export.js';
import { ExportQuery } from '../src/exchange/exchange.schemas.js';
import { inProcessImport, workerImport, type ImportRunner } from '../src/exchange/import.runner.js';
import { createStore, type Store } from '../src/store.js';
import { bearer, createKey, PROBLEM_CONTENT_TYPE, TEST_LIMITS } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'claims-import-worker-'));
let worker: URL;
/** An export of 2,000 generated claims (with their entities and sources): a few seconds to import here. */
let body: string;

beforeAll(() => {
  // Its own bundle, so that it never reads one another test file is rewriting; the worker is built beside the server.
  const server = buildServer(join(PROJECT_ROOT, 'dist/import-worker-test/server.mjs'));
  worker = pathToFileURL(join(server, '..', 'import-worker.mjs'));
  const source = openDatabase(':memory:');
  generate(source, { claims: 2000 });
  const store = createStore(source);
  const query = ExportQuery.parse({ records: 'all' });
  body = [...exportChunks(store, query, exportStart(store.revisions), { filters: {}, search: undefined })].join('');
  source.close();
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
/** A seeded database file, and an app over it whose imports run through `runner` (the worker unless given). */
async function setUp(runner?: (path: string, store: Store) => ImportRunner) {
  const path = join(dir, `claims-${++n}.db`);
  const db = openDatabase(path);
  migrate(db);
  const store = createStore(db);
  loadSeed(store);
  const runImport = runner ? runner(path, store) : workerImport(worker, path);
  const app = await buildApp({ store, limits: TEST_LIMITS, runImport });
  const admin = bearer(createKey(store, { name: 'desk', scope: 'admin' }));
  const post = (payload: string, query = 'reason=bulk') =>
    app.inject({ method: 'POST', url: `/v1/import?${query}`, headers: { ...admin, 'content-type': 'application/x-ndjson' }, payload });
  const count = (table: string) => db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
  return { path, db, app, post, count, close: async () => (await app.close(), db.close()) };
}

/** A problem as a client compares it: everything but the request's own id. */
const problemOf = (res: { json: () => Record<string, unknown> }) => {
  const { requestId: _id, ...rest } = res.json();
  return rest;
};

describe('imports on a worker thread', () => {
  it('writes the whole file while the event loop goes on serving', async () => {
    const { app, post, count, close } = await setUp();
    try {
      const claimsBefore = count('claims');
      let ticks = 0;
      const timer = setInterval(() => ticks++, 5);
      const reads: number[] = [];
      const importing = post(body);
      let done = false;
      void importing.then(() => (done = true));
      // Reads meanwhile are answered, and see none of the import until it commits.
      while (!done) {
        const res = await app.inject('/v1/claims/claim-0000001');
        reads.push(res.statusCode);
        // inject() answers within one turn of the event loop: give the worker's message its turn.
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      clearInterval(timer);
      const res = await importing;
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ dryRun: false, created: { claims: 2000 }, unchanged: { claims: 0 } });
      expect(count('claims')).toBe(claimsBefore + 2000);
      // In process, the event loop was held for the whole import: no timer fired and no read was answered.
      expect(ticks).toBeGreaterThan(20);
      expect(reads.length).toBeGreaterThan(20);
      // 404 until the commit, then 200: never a part of the import.
      const committed = reads.indexOf(200);
      expect(reads[0]).toBe(404);
      expect(reads.every((status, i) => status === (committed === -1 || i < committed ? 404 : 200))).toBe(true);
      expect((await app.inject('/v1/claims/claim-0000001')).statusCode).toBe(200);
      // The service's own view follows: the new claims are listed and found by search.
      expect((await app.inject('/v1/claims?subject=entity-00001&limit=1')).json().items).toHaveLength(1);
    } finally {
      await close();
    }
  }, 60_000);

  it('refuses a second import while one runs (503, Retry-After), and the first still commits', async () => {
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const { path, post, count, close } = await setUp((p) => {
      const run = workerImport(worker, p);
      return (b, o) => (started(), run(b, o));
    });
    // Another writer holds the lock, so the first import is certainly still running when the second arrives.
    const other = new Database(path);
    try {
      other.exec('BEGIN IMMEDIATE');
      const first = post(body);
      await running;
      const second = await post(body);
      expect(second.statusCode, second.body).toBe(503);
      expect(second.headers['content-type']).toBe(PROBLEM_CONTENT_TYPE);
      expect(second.headers['retry-after']).toBe('5');
      expect(second.json()).toMatchObject({ code: 'service-unavailable', detail: expect.stringContaining('Another import is running') });
      other.exec('ROLLBACK');
      expect((await first).statusCode).toBe(200);
      expect(count('claims')).toBeGreaterThan(2000);
    } finally {
      other.close();
      await close();
    }
  }, 60_000);

  it('gives the same problems and dry-run results as an import in process, and writes nothing for them', async () => {
    const onWorker = await setUp();
    const inProcess = await setUp((_path, store) => inProcessImport(store));
    // Cut short, a bad line, a missing reference and a conflict with the seed: four kinds of problem.
    const lines = body.trimEnd().split('\n');
    const broken = [
      ...lines.slice(0, 3),
      '{"type":"claim"',
      lines.find((l) => l.includes('"type":"claim"'))!.replace('"entity-00001"', '"entity-nobody"'),
      JSON.stringify({ type: 'entity', record: { id: 'deepseek', name: 'Not DeepSeek', type: 'organization' } }),
    ].join('\n');
    try {
      const before = onWorker.count('revisions');
      for (const [payload, query] of [
        [broken, 'reason=bulk'],
        [body, 'reason=bulk&dryRun=true'],
        ['', 'reason=bulk'],
      ] as const) {
        const a = await onWorker.post(payload, query);
        const b = await inProcess.post(payload, query);
        expect(a.statusCode, a.body).toBe(b.statusCode);
        expect(a.headers['content-type']).toBe(b.headers['content-type']);
        expect(a.statusCode === 200 ? a.json() : problemOf(a)).toEqual(b.statusCode === 200 ? b.json() : problemOf(b));
      }
      expect(onWorker.count('revisions')).toBe(before);
    } finally {
      await onWorker.close();
      await inProcess.close();
    }
  }, 60_000);

  it('answers 503 when another process holds the write lock past its wait, and 500 when the worker cannot open the database', async () => {
    const busy = await setUp((p) => workerImport(worker, p, { busyTimeoutMs: 100 }));
    const other: Db = new Database(busy.path);
    try {
      other.exec('BEGIN IMMEDIATE');
      const res = await busy.post(body);
      expect(res.statusCode, res.body).toBe(503);
      expect(res.json()).toMatchObject({ code: 'service-unavailable', detail: expect.stringContaining('nothing was written') });
      other.exec('ROLLBACK');
    } finally {
      other.close();
      await busy.close();
    }
    const gone = await setUp(() => workerImport(worker, join(dir, 'no-such.db')));
    try {
      const res = await gone.post(body);
      expect(res.statusCode, res.body).toBe(500);
      expect(res.headers['content-type']).toBe(PROBLEM_CONTENT_TYPE);
      expect(res.json()).toMatchObject({ code: 'internal-error' });
    } finally {
      await gone.close();
    }
  }, 60_000);
});
