// Who may write. The auth matrix runs on every operation the OpenAPI document marks as secured, so a write
// route that forgets its scope (or a documented scope that is not enforced) fails here. Keys never reach the
// logs or the database, and the keys command creates, lists and revokes them.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { generateKey, hashKey, KEY_FORMAT } from '../src/auth/api-keys.js';
import { runKeysCommand } from '../src/auth/keys.cli.js';
import { migrate } from '../src/db/migrate.js';
import { openDatabase } from '../src/db/open.js';
import { LOG_REDACT } from '../src/http/logging.js';
import { createStore } from '../src/store.js';
import { bearer, createKey, createTestApp, newClaimBody, PROBLEM_CONTENT_TYPE, TEST_LIMITS } from './helpers.js';

type Operation = { operationId: string; security?: Record<string, string[]>[] };
/** Public operations say `security: []`; secured ones list the scheme with the scope they need. */
const isSecured = (op: Operation) => (op.security ?? []).length > 0;
type Doc = { paths: Record<string, Record<string, Operation>> };

let ctx: Awaited<ReturnType<typeof createTestApp>>;
let doc: Doc;
const keys: Record<string, string> = {};

beforeAll(async () => {
  ctx = await createTestApp();
  doc = (await ctx.app.inject('/openapi.json')).json();
  keys.editor = createKey(ctx.store, { name: 'desk', scope: 'editor' });
  keys.admin = createKey(ctx.store, { name: 'chief', scope: 'admin' });
  keys.revoked = createKey(ctx.store, { name: 'former', scope: 'admin', revoked: true });
  keys.expired = createKey(ctx.store, { name: 'lapsed', scope: 'admin', expiresAt: '2020-01-01T00:00:00.000Z' });
  keys.future = createKey(ctx.store, { name: 'current', scope: 'editor', expiresAt: '2999-01-01T00:00:00.000Z' });
});
afterAll(() => ctx.app.close());

const operations = () =>
  Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ method: method.toUpperCase() as 'GET' | 'POST' | 'PUT', path, op })),
  );
/** A concrete URL for a documented path, pointing at records the seed has. */
const urlOf = (path: string) =>
  path
    .replace('/v1/claims/{id}', '/v1/claims/deepseek-v3-training-cost')
    .replace('/v1/sources/{id}', '/v1/sources/semianalysis-deepseek-debates')
    .replace('/v1/entities/{id}', '/v1/entities/deepseek');

describe('the secured operations', () => {
  it('are exactly the operations that change data, each naming the scope it needs', () => {
    const secured = operations().filter((o) => isSecured(o.op));
    expect(secured.map((o) => o.op.operationId).sort()).toEqual(
      ['createClaim', 'createEntity', 'createSource', 'importRecords', 'replaceClaim', 'replaceEntity', 'replaceSource', 'retractClaim'].sort(),
    );
    for (const o of operations()) expect(isSecured(o.op), `${o.method} ${o.path}`).toBe(o.method !== 'GET');
    for (const o of secured) expect(o.op.security).toEqual([{ apiKey: [o.op.operationId === 'retractClaim' ? 'admin' : 'editor'] }]);
  });
});

describe('the auth matrix, on every secured operation', () => {
  const cases: [string, (scope: string) => Record<string, string>, number, string?][] = [
    ['no key', () => ({}), 401, 'Bearer realm="claims-api"'],
    ['an empty Authorization header', () => ({ authorization: '' }), 401],
    ['another scheme', () => ({ authorization: `Basic ${Buffer.from('desk:x').toString('base64')}` }), 401],
    ['a malformed key', () => bearer('cak_short'), 401],
    ['an unknown key of the right form', () => bearer(generateKey()), 401, 'Bearer realm="claims-api", error="invalid_token"'],
    ['a revoked key', () => bearer(keys.revoked!), 401],
    ['an expired key', () => bearer(keys.expired!), 401],
    ['a key without the scope', (scope) => (scope === 'admin' ? bearer(keys.editor!) : {}), 403],
  ];

  it.each(cases)('%s -> %i, before the body is even read', async (_what, headers, status, challenge) => {
    for (const { method, path, op } of operations().filter((o) => isSecured(o.op))) {
      const scope = op.security![0]!.apiKey![0]!;
      const h = headers(scope);
      if (status === 403 && Object.keys(h).length === 0) continue; // editor operations have no weaker key to try
      // An invalid body: were auth to run after validation, this would be a 400.
      const res = await ctx.app.inject({ method, url: urlOf(path), headers: h, payload: { nonsense: true } });
      expect(res.statusCode, `${method} ${path}`).toBe(status);
      expect(res.headers['content-type']).toBe(PROBLEM_CONTENT_TYPE);
      expect(res.json().code).toBe(status === 401 ? 'unauthorized' : 'forbidden');
      if (challenge) expect(res.headers['www-authenticate']).toBe(challenge);
    }
  });

  it('lets a key with the scope through (to body validation), and admin may do what an editor may', async () => {
    for (const { method, path, op } of operations().filter((o) => isSecured(o.op))) {
      const scope = op.security![0]!.apiKey![0]!;
      const usable = scope === 'admin' ? [keys.admin!] : [keys.editor!, keys.admin!, keys.future!];
      for (const key of usable) {
        const res = await ctx.app.inject({ method, url: urlOf(path), headers: bearer(key), payload: { nonsense: true } });
        // Import takes NDJSON only: a JSON body gets past the key and is refused for its media type.
        expect(res.statusCode, `${method} ${path}`).toBe(op.operationId === 'importRecords' ? 415 : 400);
      }
    }
  });

  it('accepts the scheme name in any case', async () => {
    const res = await ctx.app.inject({ method: 'POST', url: '/v1/claims', headers: { authorization: `bearer ${keys.editor}` }, payload: {} });
    expect(res.statusCode).toBe(400);
  });

  it('keeps reads open to everyone', async () => {
    for (const { path } of operations().filter((o) => o.method === 'GET' && o.path.startsWith('/v1/'))) {
      const res = await ctx.app.inject(urlOf(path).replace('{revision}', '1'));
      expect(res.statusCode, path).toBe(200);
    }
  });
});

describe('keys never leak', () => {
  it('the logs name the key that wrote, never the key, whatever the request', async () => {
    const lines: string[] = [];
    const { store } = ctx;
    const app = await buildApp({ store, logger: { level: 'trace', redact: LOG_REDACT, stream: { write: (l: string) => lines.push(l) } } });
    await app.ready();
    const key = createKey(store, { name: 'logged', scope: 'editor' });
    const written = await app.inject({ method: 'POST', url: '/v1/claims', headers: bearer(key), payload: newClaimBody({ id: 'logged-claim' }) });
    expect(written.statusCode).toBe(201);
    await app.inject({ method: 'POST', url: '/v1/claims', headers: bearer(key), payload: '{"broken json' });
    await app.inject({ method: 'POST', url: '/v1/claims', headers: bearer(`${key}x`), payload: newClaimBody() });
    await app.inject({ method: 'PUT', url: '/v1/claims/logged-claim', headers: { ...bearer(key), 'if-match': '"stale"' }, payload: newClaimBody() });
    // A key where it does not belong: in the query string, and as a request id.
    await app.inject({ url: `/v1/claims?limit=1&key=${key}`, headers: { 'x-request-id': key } });
    await app.inject(`/v1/claims/no-such-claim?api_key=${encodeURIComponent(key)}`);
    // Percent-encoded, in the path, and as the Host.
    await app.inject(`/v1/claims?key=${key.replace('_', '%5F')}`);
    await app.inject(`/v1/claims/${key.replace('cak_', 'cak%5F')}`);
    await app.inject({ url: '/v1/claims?limit=1', headers: { host: key } });
    await app.close();

    const text = lines.join('');
    // One completed line per request, so every request above was logged.
    expect(lines.filter((l) => l.includes('"request completed"')).length).toBe(9);
    expect(text).toContain('key=cak_[redacted]');
    expect(text).not.toContain(key);
    expect(text).not.toContain(key.slice(4)); // nor its random part
    const completed = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'request completed');
    expect(completed.filter((l) => l.apiKey === 'logged').length).toBe(3);
  });

  it('nor do rate limiting and metrics: a key that spends its budget is named, never shown', async () => {
    const lines: string[] = [];
    const { store } = ctx;
    const app = await buildApp({
      store,
      metrics: true,
      limits: { rateLimit: { reads: 100, writes: 1, windowMs: 60_000 } },
      logger: { level: 'trace', redact: LOG_REDACT, stream: { write: (l: string) => lines.push(l) } },
    });
    await app.ready();
    const key = createKey(store, { name: 'budgeted', scope: 'editor' });
    const post = () => app.inject({ method: 'POST', url: '/v1/entities', headers: bearer(key), payload: { name: 'Budget', type: 'organization', reason: 'test' } });
    expect((await post()).statusCode).toBe(201);
    const refused = await post();
    expect(refused.statusCode).toBe(429);
    const metrics = (await app.inject('/metrics')).body;
    await app.close();
    expect(metrics).toContain('http_rate_limited_total{budget="writes"} 1');
    for (const text of [lines.join(''), metrics, refused.body]) {
      expect(text).not.toContain(key);
      expect(text).not.toContain(key.slice(4));
    }
    expect(lines.some((l) => l.includes('"rate limited"'))).toBe(true);
  });

  it('the database file holds the hash of a key, never the key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'claims-api-keys-'));
    try {
      const path = join(dir, 'claims.db');
      const db = openDatabase(path);
      migrate(db);
      const store = createStore(db);
      const out: string[] = [];
      expect(runKeysCommand(['create', '--name', 'desk', '--scope', 'editor'], { keys: store.keys, out: (l) => out.push(l), err: () => {} })).toBe(0);
      const key = out[0]!;
      const app = await buildApp({ store, limits: TEST_LIMITS });
      const headers = { ...bearer(key), 'idempotency-key': 'file-test' };
      const e = await app.inject({ method: 'POST', url: '/v1/entities', headers, payload: { id: 'file-entity', name: 'File', type: 'organization', reason: 'test' } });
      expect(e.statusCode).toBe(201);
      await app.close();
      db.close();
      const bytes = Buffer.concat([path, `${path}-wal`].filter(existsSync).map((f) => readFileSync(f)));
      expect(bytes.includes(hashKey(key))).toBe(true);
      for (const form of [key, key.slice(4), Buffer.from(key.slice(4), 'base64url').toString('hex')]) expect(bytes.includes(form), form).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the keys command', () => {
  const run = (args: string[], store = ctx.store, now?: () => Date) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = runKeysCommand(args, { keys: store.keys, out: (l) => out.push(l), err: (l) => err.push(l), ...(now ? { now } : {}) });
    return { code, out, err: err.join('\n') };
  };

  it('creates a key, shows it once, stores only its hash; list never shows it; revoke stops it at once', async () => {
    const created = run(['create', '--name', 'cli-desk', '--scope', 'editor', '--expires', '2999-01-01']);
    expect(created.code).toBe(0);
    expect(created.out).toHaveLength(1);
    const key = created.out[0]!;
    expect(key).toMatch(KEY_FORMAT);
    const stored = ctx.store.keys.findByName('cli-desk')!;
    expect(stored).toMatchObject({ scope: 'editor', keyHash: hashKey(key), expiresAt: '2999-01-01T00:00:00.000Z', revokedAt: null });

    const listed = run(['list']);
    expect(listed.out.join('\n')).toContain('cli-desk\teditor');
    expect(listed.out.join('\n')).not.toContain(key);

    const post = () => ctx.app.inject({ method: 'POST', url: '/v1/entities', headers: bearer(key), payload: { name: 'CLI', type: 'organization', reason: 'test' } });
    expect((await post()).statusCode).toBe(201);
    expect(run(['revoke', '--name', 'cli-desk']).code).toBe(0);
    expect((await post()).statusCode).toBe(401);
    expect(run(['list']).out.find((l) => l.startsWith('cli-desk'))).toMatch(/revoked /);
    expect(run(['revoke', '--name', 'cli-desk']).code).toBe(1);
  });

  it('refuses bad input with usage, and never reuses a name', () => {
    expect(run(['create', '--name', 'desk', '--scope', 'editor']).code).toBe(1); // made in beforeAll
    expect(run(['create', '--name', 'x', '--scope', 'owner']).code).toBe(2);
    expect(run(['create', '--name', 'Bad Name', '--scope', 'editor']).code).toBe(2);
    // The seed's revisions are authored "seed"; a key of that name could have its edits taken for the seed's.
    const seed = run(['create', '--name', 'seed', '--scope', 'editor']);
    expect(seed.code).toBe(2);
    expect(seed.err).toContain('"seed" is reserved');
    expect(ctx.store.keys.findByName('seed')).toBeNull();
    expect(run(['create', '--scope', 'editor']).code).toBe(2);
    expect(run(['create', '--name', 'y', '--scope', 'editor', '--expires', '2001-01-01']).code).toBe(2);
    expect(run(['create', '--name', 'y', '--scope', 'editor', '--expires', 'soon']).code).toBe(2);
    // Only the two documented forms, and only days that exist: Date's own parsing took all of these.
    for (const mistyped of ['2999-02-30', '2999-04-31', 'June 1, 2999', '2999', '2999-06-01T10:00:00', '2999-13-01'])
      expect(run(['create', '--name', 'y', '--scope', 'editor', '--expires', mistyped]).code, mistyped).toBe(2);
    expect(run(['create', '--name', 'z', '--scope', 'editor', '--expires', '2999-06-01T10:00:00+02:00']).code).toBe(0);
    expect(run(['rotate']).code).toBe(2);
    expect(run([]).err).toContain('Usage');
  });

  it('runs as `npm run keys` against DATABASE_PATH, printing only the key on standard output', () => {
    const dir = mkdtempSync(join(tmpdir(), 'claims-api-keys-cli-'));
    try {
      const env = { PATH: process.env.PATH ?? '', DATABASE_PATH: join(dir, 'k.db') };
      // The command works on an existing database only (the service or the seed command makes one).
      const db = openDatabase(env.DATABASE_PATH);
      migrate(db);
      db.close();
      const created = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/keys.ts', 'create', '--name', 'ops', '--scope', 'admin'], { env, encoding: 'utf8' });
      expect(created.status, created.stderr).toBe(0);
      expect(created.stdout.trim()).toMatch(KEY_FORMAT);
      expect(created.stderr).toContain('shown only this once');
      const listed = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/keys.ts', 'list'], { env, encoding: 'utf8' });
      expect(listed.stdout).toMatch(/^ops\tadmin\t.*\tactive$/m);
      expect(listed.stdout).not.toContain(created.stdout.trim());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
