// The search columns' first read on a worker thread (src/search/doc-columns.runner.ts), as the production server does
// it: the arrays the worker sends are the ones a read in process gives, writes made after its change number are read
// at the next sync, a worker that fails leaves the read to the server's thread, and the built server uses it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../bench/generate.js';
import { buildServer, PROJECT_ROOT, type Running, startServer } from '../scripts/server-process.js';
import { openDatabase, type Db } from '../src/db/open.js';
import { createDocColumns, type DocColumns } from '../src/search/doc-columns.js';
import { MULTI } from '../src/search/doc-columns.sql.js';
import { type LoadedWhere, type LoadOptions, readColumnsOn } from '../src/search/doc-columns.runner.js';

const dir = mkdtempSync(join(tmpdir(), 'claims-columns-worker-'));
const path = join(dir, 'claims.db');
let worker: URL;
let server: Running | undefined;
let db: Db;

beforeAll(() => {
  // Its own bundle, so that it never reads one another test file is rewriting; the worker is built beside the server.
  const entry = buildServer(join(PROJECT_ROOT, 'dist/columns-worker-test/server.mjs'));
  worker = pathToFileURL(join(entry, '..', 'columns-worker.mjs'));
  const generating = openDatabase(path);
  generate(generating, { claims: 3000 });
  generating.close();
  db = openDatabase(path, { mustExist: true });
}, 120_000);
afterEach(() => {
  server?.child.kill('SIGKILL');
  server = undefined;
});
afterAll(() => {
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Every value the columns hold for every doc id, as readable data: two columns that hold the same compare equal. */
function contents(columns: DocColumns) {
  const docs = Number(db.prepare('SELECT max(doc_id) FROM claims').pluck().get());
  const single = ['kind', 'verdict', 'unit', 'year', 'claimant'] as const;
  const ranges = columns.ranges();
  const rows = [];
  for (let doc = 1; doc <= docs; doc++) {
    const multi = MULTI.map((name) => {
      const { slots, count, more } = columns.multi(name);
      const codes = [...slots.map((s) => s[doc]!).slice(0, Math.min(count[doc]!, slots.length)), ...(more.get(doc) ?? [])];
      return codes.map((code) => columns.valueOf(name, code)).sort();
    });
    rows.push([
      ...single.map((name) => columns.valueOf(name, columns.codes(name)[doc]!)),
      ...multi,
      columns.retracted()[doc],
      columns.lengths()[doc],
      ...Object.values(ranges).map((r) => r[doc]),
    ]);
  }
  return rows;
}

/** Columns over the test database read once, in process: what the worker's must equal. */
function readHere(): DocColumns {
  const columns = createDocColumns(db);
  expect(columns.sync()).toBe(true);
  return columns;
}

interface Line {
  msg: string;
  time: number;
  ms?: number;
  where?: string;
}

/** The first line the server logged with this message, waited for: the service writes its log at least once a second. */
async function logged(running: Running, msg: string): Promise<Line> {
  for (let i = 0; i < 300; i++) {
    const line = running.lines.map((l) => JSON.parse(l) as Line).find((l) => l.msg === msg);
    if (line) return line;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the server never logged "${msg}"`);
}

/** Starts a background load with these options and resolves when it is done, with where it ran. */
function loaded(columns: DocColumns, options: LoadOptions): Promise<LoadedWhere> {
  return new Promise((resolve) => columns.load({ ...options, onLoaded: (_ms, where) => resolve(where) }));
}

describe('search columns read on a worker thread', () => {
  it('are the columns a read in process gives, every value of every claim', async () => {
    const columns = createDocColumns(db);
    expect(await loaded(columns, { readElsewhere: readColumnsOn(worker, path) })).toBe('on a worker thread');
    expect(columns.loaded()).toBe(true);
    expect(columns.sync()).toBe(true);
    const here = contents(readHere());
    expect(here.length).toBeGreaterThan(2900);
    expect(contents(columns)).toEqual(here);
    // Vocabularies rebuilt: a value's code is found by name, years by their four digits.
    expect(columns.codeOf('claimant', columns.valueOf('claimant', columns.codes('claimant')[1]!))).toBe(columns.codes('claimant')[1]);
    expect(columns.codeOf('year', columns.valueOf('year', columns.codes('year')[1]!))).toBe(columns.codes('year')[1]);
  });

  it('catch up at the next sync with the writes made after the worker read', async () => {
    const columns = createDocColumns(db);
    const read = readColumnsOn(worker, path);
    const failures: unknown[] = [];
    const where = loaded(columns, {
      readElsewhere: async () => {
        const image = await read();
        // Committed after the worker read the claims: a change number above the image's.
        db.prepare("UPDATE claims SET kind = 'licence', verdict = 'false' WHERE doc_id = 7").run();
        db.prepare("UPDATE claims SET retracted_at = '2026-01-02T00:00:00.000Z', retraction_reason = 'A test.' WHERE doc_id = 2000").run();
        return image;
      },
      onFallback: (err) => failures.push(err),
    });
    expect(await where).toBe('on a worker thread');
    expect(failures).toEqual([]);
    expect(columns.current(), 'behind the database until it syncs').toBe(false);
    expect(columns.sync()).toBe(true);
    expect(columns.valueOf('kind', columns.codes('kind')[7]!)).toBe('licence');
    expect(columns.retracted()[2000]).toBe(1);
    expect(contents(columns)).toEqual(contents(readHere()));
  });

  it('are read in process when the worker fails, and the failure is told', async () => {
    const columns = createDocColumns(db, { loadAtOnce: 10, sliceMs: 0 });
    const failures: unknown[] = [];
    const where = loaded(columns, { readElsewhere: readColumnsOn(worker, join(dir, 'no-such.db')), onFallback: (err) => failures.push(err) });
    expect(columns.sync(), 'not read yet').toBe(false);
    expect(await where).toBe('in process');
    expect(failures).toHaveLength(1);
    expect(String(failures[0])).toMatch(/could not be read on a worker thread/);
    expect(contents(columns)).toEqual(contents(readHere()));
  });

  it('are read where planned when a search needs them before the background read begins, and told once', async () => {
    const columns = createDocColumns(db, { loadAtOnce: 10 });
    const told: LoadedWhere[] = [];
    const where = new Promise<LoadedWhere>((resolve) =>
      columns.plan({
        readElsewhere: readColumnsOn(worker, path),
        onLoaded: (_ms, w) => {
          told.push(w);
          resolve(w);
        },
      }),
    );
    expect(columns.sync(), 'a search first: the read begins, as planned').toBe(false);
    columns.load(); // the warm-up after it: the read is under way
    expect(await where).toBe('on a worker thread');
    columns.load();
    await new Promise((r) => setImmediate(r));
    expect(told).toEqual(['on a worker thread']);
    expect(columns.sync()).toBe(true);
    expect(contents(columns)).toEqual(contents(readHere()));
  });

  it('tell the plan when a request read a small database at once', async () => {
    const columns = createDocColumns(db);
    const where = new Promise<LoadedWhere>((resolve) => columns.plan({ readElsewhere: readColumnsOn(worker, path), onLoaded: (_ms, w) => resolve(w) }));
    expect(columns.sync(), 'read at once').toBe(true);
    expect(await where).toBe('in process');
  });

  // The built server begins the read once its first answer is out, or a second after it listens if no request comes
  // (src/server.ts: on one core the worker thread shared it with the first request). Checked as order in the log, not
  // as speed. pino's times are whole milliseconds and the load's duration is rounded: a millisecond either way.
  const loadStarted = (line: Line) => line.time - line.ms!;

  it('are what the built server reads, on its worker thread, a second after it listens, before it says it is ready', async () => {
    server = await startServer('dist/columns-worker-test/server.mjs', { DATABASE_PATH: path });
    const listening = await logged(server, 'Server listening at ' + server.origin);
    // No request before: a request that needs them reads a database this small at once, in process.
    const loadedLine = await logged(server, 'search columns loaded');
    expect(loadedLine.where).toBe('on a worker thread');
    expect(loadStarted(loadedLine)).toBeGreaterThanOrEqual(listening.time + 1000 - 2);
    expect((await fetch(`${server.origin}/readyz`)).status).toBe(200);
    const kinds = db.prepare('SELECT kind, count(*) AS n FROM claims WHERE retracted_at IS NULL GROUP BY kind').all() as { kind: string; n: number }[];
    const res = await fetch(`${server.origin}/v1/claims?facets=kind&limit=1`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { facets: { kind: { value: string; count: number }[] } };
    expect(Object.fromEntries(body.facets.kind.map((f) => [f.value, f.count]))).toEqual(Object.fromEntries(kinds.map((k) => [k.kind, k.n])));
  }, 60_000);

  it('are read by the built server once its first answer is out', async () => {
    server = await startServer('dist/columns-worker-test/server.mjs', { DATABASE_PATH: path });
    const listening = await logged(server, 'Server listening at ' + server.origin);
    expect((await fetch(`${server.origin}/v1/claims?limit=1`)).status).toBe(200);
    const answered = await logged(server, 'request completed');
    const loadedLine = await logged(server, 'search columns loaded');
    expect(loadStarted(loadedLine)).toBeGreaterThanOrEqual(answered.time - 2);
    // Begun by the answer, not by the second running out (unless the answer itself took most of that second).
    if (answered.time < listening.time + 500) expect(loadStarted(loadedLine)).toBeLessThan(listening.time + 1000 - 2);
  }, 60_000);
});
