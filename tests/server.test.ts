// The real process, as it ships (the production bundle from `npm run build`): configuration errors,
// migrate-and-seed on first start, request ids in the logs, the API docs, and a clean exit on SIGTERM/SIGINT with
// the database closed (WAL checkpointed and removed).
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/open.js';
import { growIndexByWrites } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'claims-api-server-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(() => {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
}, 60_000);
const ENTRY = ['dist/server.mjs'];

interface Running {
  child: ChildProcess;
  port: number;
  lines: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function start(env: Record<string, string>): Promise<Running> {
  const child = spawn(process.execPath, ENTRY, {
    env: { PATH: process.env.PATH ?? '', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    let buffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const parts = buffer.split('\n');
      buffer = parts.pop()!;
      for (const line of parts) {
        lines.push(line);
        const m = /listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(line);
        if (m) resolve({ child, port: Number(m[1]), lines, exited });
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => lines.push(chunk.toString()));
    exited.then(({ code }) => reject(new Error(`server exited with ${code}: ${lines.join('\n')}`)));
  });
}

/** The first JSON log line with this message, waiting for it (the server's lines are read as they come). */
async function logLine(server: Running, msg: string, timeoutMs = 20_000): Promise<Record<string, unknown>> {
  for (const until = Date.now() + timeoutMs; Date.now() < until; await new Promise((r) => setTimeout(r, 50))) {
    const line = server.lines.find((l) => l.startsWith('{') && (JSON.parse(l) as { msg?: string }).msg === msg);
    if (line !== undefined) return JSON.parse(line) as Record<string, unknown>;
  }
  throw new Error(`no "${msg}" in ${timeoutMs} ms: ${server.lines.join('\n')}`);
}

describe('server process', () => {
  it('refuses a bad configuration with a clear message and exit code 2', async () => {
    const child = spawn(process.execPath, ENTRY, {
      env: { PATH: process.env.PATH ?? '', PORT: 'eighty', LOG_LEVEL: 'loud' },
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toContain('PORT');
    expect(stderr).toContain('LOG_LEVEL');
  });

  it("refuses a database that is not its own, or is newer than it, with one line naming it, and changes nothing", async () => {
    const foreign = join(dir, 'foreign.db');
    const future = join(dir, 'future.db');
    const db = new Database(foreign);
    db.exec('CREATE TABLE customers (name TEXT)');
    db.close();
    const newer = new Database(future);
    newer.pragma('user_version = 999');
    newer.close();
    // Another application's, which numbers its own schema (at 7, migration 0008 was tried on it).
    const numbered = join(dir, 'numbered.db');
    const other = new Database(numbered);
    other.exec('CREATE TABLE notes (body TEXT)');
    other.pragma('user_version = 7');
    other.close();
    // Byte for byte: opening used to switch a foreign file to WAL, in its header, before refusing it.
    const before = [foreign, numbered].map((p) => readFileSync(p));
    for (const [path, reason] of [
      [foreign, /has tables \(customers\) but no claims-api schema/],
      [numbered, /has tables \(notes\) but no claims-api schema/],
      [future, /schema version 999, newer than/],
    ] as const) {
      const child = spawn(process.execPath, ENTRY, { env: { PATH: process.env.PATH ?? '', PORT: '0', DATABASE_PATH: path } });
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      expect(await new Promise((resolve) => child.on('exit', resolve))).toBe(1);
      expect(stderr.trim().split('\n'), stderr).toHaveLength(1);
      expect(stderr).toContain(path);
      expect(stderr).toMatch(reason);
    }
    expect([foreign, numbered].map((p) => readFileSync(p))).toEqual(before);
    expect(existsSync(`${foreign}-wal`)).toBe(false);
  });

  it('compares a seeded database with the seed once per build: a second start of the same bundle skips it', async () => {
    const databasePath = join(dir, 'restart.db');
    const seeded = [];
    for (let i = 0; i < 2; i++) {
      const server = await start({ DATABASE_PATH: databasePath, LOG_LEVEL: 'info' });
      seeded.push((await logLine(server, 'database ready')).seeded);
      server.child.kill('SIGTERM');
      await server.exited;
    }
    expect(seeded[0]).toMatchObject({ created: expect.any(Number), corrected: 0 });
    expect(seeded[1]).toEqual({ unchangedSinceLastCheck: true });
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`migrates, seeds, serves and closes cleanly on ${signal}`, async () => {
      const databasePath = join(dir, `${signal}.db`);
      const server = await start({ DATABASE_PATH: databasePath, LOG_LEVEL: 'info', METRICS_ENABLED: 'true' });
      const res = await fetch(`http://127.0.0.1:${server.port}/v1/claims/deepseek-v3-training-cost`, {
        headers: { 'x-request-id': 'req-from-test' },
      });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { value: { amount: string } };
      expect(body.value.amount).toBe('5576000');
      expect(existsSync(`${databasePath}-wal`)).toBe(true);
      // The bundle still finds what it loads from disk: the Swagger UI files and the generated document.
      for (const path of ['/docs/static/index.html', '/docs/static/swagger-ui-bundle.js', '/openapi.json'])
        expect((await fetch(`http://127.0.0.1:${server.port}${path}`)).status, path).toBe(200);
      // ...and yaml, which the build leaves in node_modules and requires at first use (scripts/build.mjs).
      const yaml = await fetch(`http://127.0.0.1:${server.port}/docs/yaml`);
      expect(yaml.headers.get('content-type')).toContain('application/x-yaml');
      expect(await yaml.text()).toMatch(/^openapi: 3\.1\.0\n[\s\S]*\n {2}\/v1\/claims\/\{id\}:\n/);
      // zod's English messages are bundled (the build keeps its `en` locale alone).
      const invalid = (await (await fetch(`http://127.0.0.1:${server.port}/v1/claims?kind=nope`)).json()) as { detail: string };
      expect(invalid.detail).toMatch(/^query \/kind: Invalid option: expected one of "cost_figure"/);
      // ...and the chunk citation-js was split into, loaded on the first citation.
      const apa = await fetch(`http://127.0.0.1:${server.port}/v1/claims/deepseek-v3-training-cost/citation?style=apa`);
      expect(await apa.text()).toContain('[Claim record]');
      // ...and the one prom-client was split into, loaded at start when metrics are on.
      expect(await (await fetch(`http://127.0.0.1:${server.port}/metrics`)).text()).toContain('http_requests_total{method="GET",route="/v1/claims/:id",status="200"} 1');

      // A connection that has sent nothing yet (a browser's preconnect) does not hold the shutdown open.
      const silent = connect(server.port, '127.0.0.1');
      await new Promise((resolve) => silent.once('connect', resolve));
      // Closed by the server: a reset rather than an end is as good.
      silent.on('error', () => {});
      const silentClosed = new Promise((resolve) => silent.once('close', resolve));

      server.child.kill(signal);
      const { code } = await server.exited;
      await silentClosed;
      // The process's own lines say why, when it does not exit cleanly.
      expect(code, server.lines.join('\n')).toBe(0);
      // Closing the last connection checkpoints the WAL into the database and deletes it.
      expect(existsSync(`${databasePath}-wal`)).toBe(false);

      const logs = server.lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
      const requestLines = logs.filter((l) => 'req' in l || 'res' in l);
      // Every request line carries a request id; the one the caller sent is kept.
      for (const l of requestLines) expect(l.reqId).toEqual(expect.any(String));
      expect(requestLines.filter((l) => l.reqId === 'req-from-test').length).toBeGreaterThan(0);
      expect(logs.some((l) => l.msg === 'database ready')).toBe(true);
    });
  }
});

describe('shutdown with nobody reading the logs', () => {
  it('exits on SIGTERM when the log pipe has lost its reader', async () => {
    // A log shipper that died, or `| head`: the last lines cannot be written. sonic-boom's flushSync retried such a
    // write forever, synchronously, so neither the forced exit nor a second signal could run (src/server.ts, flushLogs).
    const server = await start({ DATABASE_PATH: join(dir, 'no-reader.db'), LOG_LEVEL: 'info' });
    server.child.stdout!.destroy();
    server.child.stderr!.destroy();
    server.child.kill('SIGTERM');
    const exited = await Promise.race([server.exited, new Promise((resolve) => setTimeout(() => resolve('still running'), 8000))]);
    if (exited === 'still running') server.child.kill('SIGKILL');
    expect(exited).not.toBe('still running');
  }, 15_000);
});

describe('search index upkeep', () => {
  it('merges an index grown into several segments once the search columns are loaded, and logs it', async () => {
    const databasePath = join(dir, 'grown.db');
    const db = openDatabase(databasePath);
    growIndexByWrites(db, { claims: 600, rewritten: 150 });
    db.close();
    const server = await start({ DATABASE_PATH: databasePath, LOG_LEVEL: 'info' });
    const merged = await logLine(server, 'search index merged');
    expect(merged.segmentsBefore).toBeGreaterThan(2);
    expect(merged.segmentsAfter).toBe(1);
    server.child.kill('SIGTERM');
    expect((await server.exited).code, server.lines.join('\n')).toBe(0);
    const after = new Database(databasePath, { readonly: true });
    expect(after.prepare('SELECT count(DISTINCT segid) FROM claims_fts_idx').pluck().get()).toBe(1);
    after.close();
  });
});

describe('operator commands, as the production image ships them (dist/cli)', () => {
  // The image has no tsx and no sources: these bundles are how an operator manages keys and data there.
  const run = (command: string, args: string[], db: string) =>
    execFileSync(process.execPath, [`dist/cli/${command}.mjs`, ...args], { env: { PATH: process.env.PATH ?? '', DATABASE_PATH: db }, encoding: 'utf8' });

  it('seed, keys, backup, export and import run from the bundle', () => {
    const db = join(dir, 'cli.db');
    expect(run('seed', [], db)).toMatch(/^seed: \d+ records created/);
    const key = run('keys', ['create', '--name', 'ops', '--scope', 'editor'], db).trim();
    expect(key).toMatch(/^cak_/);
    const listed = run('keys', ['list'], db);
    expect(listed).toContain('ops\teditor');
    expect(listed).not.toContain(key);
    expect(JSON.parse(run('backup', [join(dir, 'cli-backup.db')], db))).toMatchObject({ integrity: 'ok' });
    const dump = join(dir, 'cli.ndjson');
    run('export', ['--records', 'all', '--out', dump], db);
    const copy = join(dir, 'cli-copy.db');
    run('import', [dump, '--reason', 'Restore test', '--new-database'], copy);
    // The copy serves the same claims: an export of it has the same records.
    const records = (file: string) =>
      run('export', ['--records', 'all'], file).split('\n').filter((l) => l.includes('"record"')).map((l) => JSON.parse(l).record.id).sort();
    expect(records(copy)).toEqual(records(db));
    expect(records(db).length).toBeGreaterThan(50);
  });

  it('each bundled command answers --help (exit 0); keys, export and import refuse a DATABASE_PATH not there and create nothing', () => {
    const missing = join(dir, 'cli-mistyped', 'claims.db');
    const bundle = (command: string, args: string[]) =>
      spawnSync(process.execPath, [`dist/cli/${command}.mjs`, ...args], { env: { PATH: process.env.PATH ?? '', DATABASE_PATH: missing }, encoding: 'utf8' });
    for (const command of ['seed', 'keys', 'backup', 'export', 'import']) {
      const help = bundle(command, ['--help']);
      expect(help.status, `${command}: ${help.stderr}`).toBe(0);
      expect(help.stdout).toMatch(/^Usage/);
    }
    const dump = join(dir, 'cli-none.ndjson');
    writeFileSync(dump, '');
    for (const [command, args] of [['keys', ['list']], ['export', []], ['import', [dump, '--reason', 'x']]] as const) {
      const refused = bundle(command, [...args]);
      expect(refused.status, command).toBe(1);
      expect(refused.stderr).toMatch(new RegExp(`^DATABASE_PATH ".*cli-mistyped/claims.db" does not exist.*seed command.*\n$`));
    }
    expect(existsSync(join(dir, 'cli-mistyped'))).toBe(false);
  });
});
