// Promises 2 and 3 (issue 7), on the production bundle as a child process:
// - No acknowledged write is lost: 200 concurrent writers POST claims, the server is SIGKILLed mid-stream and
//   restarted; every write that got a 201 is there and PRAGMA integrity_check says ok. Five rounds.
// - Graceful shutdown: SIGTERM under write load; a request already accepted completes, later ones get 503
//   problem+json or a refused connection, the process exits 0 within 10 s with the WAL checkpointed, and nothing
//   acknowledged is lost.
import { request as httpRequest } from 'node:http';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/open.js';
import { buildServer, createKeyInFile, type Running, startServer } from '../scripts/server-process.js';
import { newClaimBody } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'claims-api-durability-'));
// Our own bundle: other test files rebuild dist/server.mjs while these run.
const ENTRY = 'dist/test-durability/server.mjs';
const running = new Set<Running>();
beforeAll(() => {
  buildServer(ENTRY);
}, 60_000);
afterAll(() => {
  for (const s of running) s.child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** Budgets no test here should spend: the promises are about durability, not rate limits. */
const ENV = { RATE_LIMIT_WRITES: '100000000', RATE_LIMIT_READS: '100000000', LOG_LEVEL: 'warn' };

async function start(databasePath: string): Promise<Running> {
  // LOG_LEVEL=warn would hide the "listening" line the helper waits for; keep info but do not keep the lines.
  const server = await startServer(ENTRY, { ...ENV, LOG_LEVEL: 'info', DATABASE_PATH: databasePath }, { keepLines: false });
  running.add(server);
  void server.exited.then(() => running.delete(server));
  return server;
}

const until = async (condition: () => boolean, timeoutMs: number) => {
  for (const end = Date.now() + timeoutMs; !condition() && Date.now() < end; ) await new Promise((r) => setTimeout(r, 5));
};

interface Load {
  acked: string[];
  statuses: Map<string, number>;
  stop: () => void;
  done: Promise<void>;
}

/** `writers` concurrent loops, each POSTing claims with fresh ids, until stopped or the connection fails. */
function writeLoad(origin: string, key: string, writers: number, prefix: string): Load {
  const acked: string[] = [];
  const statuses = new Map<string, number>();
  const count = (s: string) => statuses.set(s, (statuses.get(s) ?? 0) + 1);
  let stopped = false;
  const writer = async (w: number) => {
    for (let n = 0; !stopped; n++) {
      const id = `${prefix}-w${w}-n${n}`;
      try {
        const res = await fetch(`${origin}/v1/claims`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify(newClaimBody({ id, reason: `writer ${w}` })),
        });
        // The status line is the acknowledgement: the server sends 201 only after the commit.
        if (res.status === 201) acked.push(id);
        count(`${res.status} ${res.headers.get('content-type') ?? ''}`);
        await res.arrayBuffer().catch(() => undefined);
        if (res.status !== 201) return;
      } catch (err) {
        const cause = (err as { cause?: { code?: string } }).cause;
        count(`error ${cause?.code ?? (err as Error).message}`);
        return;
      }
    }
  };
  const done = Promise.all(Array.from({ length: writers }, (_, w) => writer(w))).then(() => undefined);
  return { acked, statuses, stop: () => (stopped = true), done };
}

/** Which of `ids` the database file holds, read through a connection of our own. */
function present(databasePath: string, ids: string[]): Set<string> {
  const db = openDatabase(databasePath, { readonly: true });
  try {
    const found = new Set<string>();
    const stmt = db.prepare('SELECT id FROM claims WHERE id IN (SELECT value FROM json_each(?))').pluck();
    for (let i = 0; i < ids.length; i += 500) for (const id of stmt.all(JSON.stringify(ids.slice(i, i + 500))) as string[]) found.add(id);
    return found;
  } finally {
    db.close();
  }
}

function integrity(databasePath: string): string {
  const db = openDatabase(databasePath, { readonly: true });
  try {
    return db.pragma('integrity_check', { simple: true }) as string;
  } finally {
    db.close();
  }
}

describe('crash durability: SIGKILL mid-stream', () => {
  it('keeps every acknowledged write through five kills, with integrity_check ok', async () => {
    const databasePath = join(dir, 'crash.db');
    const key = createKeyInFile(databasePath, 'crash-desk');
    const acked: string[] = [];
    const killedInFlight: number[] = [];
    let server = await start(databasePath);
    for (let round = 1; round <= 5; round++) {
      const load = writeLoad(server.origin, key, 200, `crash-r${round}`);
      // Kill at a different point each round, once writes are flowing.
      const target = 60 + round * 20;
      await until(() => load.acked.length >= target, 15_000);
      expect(load.acked.length, `round ${round}: writes did not flow`).toBeGreaterThan(0);
      server.child.kill('SIGKILL');
      load.stop();
      await server.exited;
      await load.done;
      acked.push(...load.acked);
      killedInFlight.push([...load.statuses].filter(([s]) => s.startsWith('error')).reduce((n, [, c]) => n + c, 0));

      server = await start(databasePath);
      // Every 201 of this round, through the restarted service; and all 201s so far, in the file.
      for (const id of load.acked) {
        const res = await fetch(`${server.origin}/v1/claims/${id}`);
        expect(res.status, `round ${round}: ${id}`).toBe(200);
        await res.arrayBuffer();
      }
      const found = present(databasePath, acked);
      expect(acked.filter((id) => !found.has(id)), `round ${round}: acknowledged writes missing`).toEqual([]);
      expect(integrity(databasePath), `round ${round}`).toBe('ok');
    }
    server.child.kill('SIGTERM');
    expect((await server.exited).code).toBe(0);
    expect(integrity(databasePath)).toBe('ok');
    console.log(`crash: 5 SIGKILLs under 200 writers; ${acked.length} acknowledged writes, all recovered; requests cut by each kill: ${killedInFlight.join(', ')}`);
  }, 120_000);
});

describe('graceful shutdown: SIGTERM under write load', () => {
  it('completes accepted requests, refuses new ones with 503 or a closed port, exits 0 within 10 s, WAL checkpointed', async () => {
    const databasePath = join(dir, 'graceful.db');
    const key = createKeyInFile(databasePath, 'graceful-desk');
    const server = await start(databasePath);
    const shutdown = { sentAt: 0 };

    // A request the server has accepted (headers read, body half sent) before the load starts and SIGTERM arrives;
    // its body is finished only after the signal.
    const body = JSON.stringify(newClaimBody({ id: 'graceful-in-flight', reason: 'in flight at SIGTERM' }));
    let finishBody = () => {};
    const inFlight = new Promise<{ status: number; connection: string | undefined }>((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port: server.port,
          method: 'POST',
          path: '/v1/claims',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          res.resume();
          resolve({ status: res.statusCode ?? 0, connection: res.headers.connection });
        },
      );
      req.on('error', reject);
      req.write(body.slice(0, 40));
      finishBody = () => req.end(body.slice(40));
    });
    await new Promise((r) => setTimeout(r, 150));

    const load = writeLoad(server.origin, key, 50, 'graceful');
    await until(() => load.acked.length >= 100, 15_000);
    shutdown.sentAt = Date.now();
    server.child.kill('SIGTERM');
    // Finish the accepted request once the server is visibly shutting down (a writer was told 503).
    await until(() => (load.statuses.get('503 application/problem+json') ?? 0) > 0, 5_000);
    finishBody();

    const { status, connection } = await inFlight;
    expect(status).toBe(201);
    expect(connection).toBe('close');
    const { code } = await server.exited;
    const elapsed = Date.now() - shutdown.sentAt;
    load.stop();
    await load.done;

    expect(code).toBe(0);
    expect(elapsed).toBeLessThan(10_000);
    // Closing checkpointed the WAL into the database file and removed it.
    expect(existsSync(`${databasePath}-wal`) ? statSync(`${databasePath}-wal`).size : 0).toBe(0);
    // Every answer was a 201, a 503 problem+json, or a connection the server no longer accepted; writers that
    // kept going after the signal were told 503.
    for (const [what] of load.statuses)
      expect(what, JSON.stringify([...load.statuses])).toMatch(/^(201 application\/json.*|503 application\/problem\+json|error (ECONNREFUSED|ECONNRESET|UND_ERR_SOCKET))$/);
    expect(load.statuses.get('503 application/problem+json') ?? 0).toBeGreaterThan(0);
    const acked = [...load.acked, 'graceful-in-flight'];
    const found = present(databasePath, acked);
    expect(acked.filter((id) => !found.has(id))).toEqual([]);
    expect(integrity(databasePath)).toBe('ok');
    console.log(`graceful: exit 0 in ${elapsed} ms after SIGTERM; ${acked.length} acknowledged writes kept; answers ${JSON.stringify(Object.fromEntries(load.statuses))}`);
  }, 60_000);
});
