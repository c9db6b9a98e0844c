// The protections in front of the routes (ADR 0004): rate limits per key or address with separate read and write
// budgets, load shedding, body/query/header limits, security headers, CORS, error bodies that hide internals,
// metrics and the slow-request log. Each refusal is problem+json with `status` equal to the HTTP status.
import { type AddressInfo, connect, type Socket } from 'node:net';
import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { generateKey } from '../src/auth/api-keys.js';
import type { Limits } from '../src/http/limits.js';
import { LOG_REDACT } from '../src/http/logging.js';
import { bearer, createKey, createTestApp, createTestStore, newClaimBody, PROBLEM_CONTENT_TYPE, TEST_LIMITS } from './helpers.js';

type Ctx = Awaited<ReturnType<typeof createTestApp>>;
const opened: Ctx['app'][] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((a) => a.close()));
});
async function appWith(limits: Partial<Limits> = {}, options: { metrics?: boolean } = {}) {
  const ctx = await createTestApp({ limits, ...options });
  opened.push(ctx.app);
  return ctx;
}

function expectProblem(res: { statusCode: number; headers: Record<string, unknown>; json: () => unknown }, status: number, code: string) {
  expect(res.statusCode).toBe(status);
  expect(res.headers['content-type']).toBe(PROBLEM_CONTENT_TYPE);
  expect(res.json()).toMatchObject({ status, code, type: `/problems/${code}` });
}

describe('rate limits', () => {
  const small = { rateLimit: { reads: 3, writes: 2, windowMs: 60_000 } };

  it('answers 429 problem+json with Retry-After and RateLimit headers once the read budget is spent', async () => {
    const { app } = await appWith(small);
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await app.inject('/v1/claims?limit=1');
      statuses.push(res.statusCode);
      expect(res.headers['ratelimit-limit']).toBe('3');
      expect(res.headers['ratelimit-remaining']).toBe(String(2 - i));
    }
    expect(statuses).toEqual([200, 200, 200]);
    const refused = await app.inject('/v1/entities');
    expectProblem(refused, 429, 'too-many-requests');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.headers['ratelimit-remaining']).toBe('0');
    expect(Number(refused.headers['ratelimit-reset'])).toBeGreaterThan(0);
    // Health and readiness stay exempt.
    expect((await app.inject('/healthz')).statusCode).toBe(200);
    expect((await app.inject('/readyz')).statusCode).toBe(200);
  });

  it('keeps separate budgets for reads and writes, per API key, and per address without one', async () => {
    const { app, store } = await appWith(small);
    const desk = bearer(createKey(store, { name: 'desk' }));
    const other = bearer(createKey(store, { name: 'other' }));
    const post = (headers: Record<string, string>, id: string) =>
      app.inject({ method: 'POST', url: '/v1/claims', headers, payload: newClaimBody({ id }) });

    expect((await post(desk, 'rl-a')).statusCode).toBe(201);
    expect((await post(desk, 'rl-b')).statusCode).toBe(201);
    expectProblem(await post(desk, 'rl-c'), 429, 'too-many-requests');
    // Another key has its own write budget; the spent write budget leaves reads alone.
    expect((await post(other, 'rl-d')).statusCode).toBe(201);
    expect((await app.inject({ url: '/v1/claims/rl-a', headers: desk })).statusCode).toBe(200);
    // Without a key, requests spend the address's budget, apart from the keys'.
    for (let i = 0; i < 3; i++) expect((await app.inject({ url: '/v1/claims/rl-a', remoteAddress: '10.0.0.9' })).statusCode).toBe(200);
    expectProblem(await app.inject({ url: '/v1/claims/rl-a', remoteAddress: '10.0.0.9' }), 429, 'too-many-requests');
    expect((await app.inject({ url: '/v1/claims/rl-a', remoteAddress: '10.0.0.10' })).statusCode).toBe(200);
  });

  it('does not give a fresh budget to made-up keys: they spend their address budget', async () => {
    const { app } = await appWith(small);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await app.inject({ method: 'POST', url: '/v1/claims', headers: bearer(generateKey()), payload: {}, remoteAddress: '10.1.1.1' })).statusCode);
    expect(statuses).toEqual([401, 401, 429, 429]);
  });

  it('is generous by default: the production budgets', async () => {
    const { store } = createTestStore();
    const app = await buildApp({ store });
    opened.push(app);
    const res = await app.inject('/v1/claims?limit=1');
    expect(res.headers['ratelimit-limit']).toBe('1200');
  });
});

describe('load shedding', () => {
  it('answers 503 problem+json with Retry-After past a threshold, and /healthz still answers', async () => {
    const { app } = await appWith({ shedding: { maxEventLoopDelayMs: 0, maxHeapUsedBytes: 1, maxRssBytes: 0, retryAfterSeconds: 7, sampleIntervalMs: 10 } });
    await new Promise((r) => setTimeout(r, 50)); // let it take a sample
    const res = await app.inject('/v1/claims');
    expectProblem(res, 503, 'service-unavailable');
    expect(res.headers['retry-after']).toBe('7');
    expect((await app.inject('/healthz')).statusCode).toBe(200);
  });
});

describe('request limits', () => {
  it('refuses a body over the limit with 413, once the key is checked', async () => {
    const { app, store } = await appWith({ bodyLimitBytes: 4096 });
    const key = bearer(createKey(store, { name: 'big' }));
    const payload = JSON.stringify(newClaimBody({ statement: 'x'.repeat(5000) }));
    expectProblem(await app.inject({ method: 'POST', url: '/v1/claims', headers: { ...key, 'content-type': 'application/json' }, payload }), 413, 'payload-too-large');
    // No key: 401 before the body is even read.
    expectProblem(await app.inject({ method: 'POST', url: '/v1/claims', headers: { 'content-type': 'application/json' }, payload }), 401, 'unauthorized');
  });

  it('refuses a body that is not JSON with 415', async () => {
    const { app, store } = await appWith();
    const key = bearer(createKey(store, { name: 'xml' }));
    expectProblem(await app.inject({ method: 'POST', url: '/v1/claims', headers: { ...key, 'content-type': 'application/xml' }, payload: '<claim/>' }), 415, 'unsupported-media-type');
  });

  it('caps the query string (414) and the number of parameters (400), and `limit` (400)', async () => {
    const { app } = await appWith();
    expectProblem(await app.inject(`/v1/claims?subject=${'a'.repeat(2100)}`), 414, 'uri-too-long');
    expectProblem(await app.inject(`/v1/claims?${Array.from({ length: 21 }, (_, i) => `p${i}=1`).join('&')}`), 400, 'too-many-parameters');
    expectProblem(await app.inject('/v1/claims?limit=101'), 400, 'invalid-request');
    // The caps are configurable.
    const { app: strict } = await appWith({ query: { maxLength: 20, maxParameters: 2 } });
    expectProblem(await strict.inject('/v1/claims?a=1&b=2&c=3'), 400, 'too-many-parameters');
    expectProblem(await strict.inject('/v1/claims?subject=abcdefghijklmnopqrstuvwxyz'), 414, 'uri-too-long');
  });

  it('sets a request timeout and a header size cap on the server (431 beyond it)', async () => {
    const { app } = await appWith({ maxHeaderBytes: 4096 });
    expect(app.server.requestTimeout).toBe(30_000);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    const res = await new Promise<{ statusCode: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
      const req = httpRequest({ port, host: '127.0.0.1', path: '/healthz', headers: { 'x-big': 'y'.repeat(8000) } }, (r) => {
        let body = '';
        r.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        r.on('end', () => resolve({ statusCode: r.statusCode ?? 0, headers: r.headers, body }));
      });
      req.on('error', reject);
      req.end();
    });
    expectProblem({ ...res, json: () => JSON.parse(res.body) }, 431, 'headers-too-large');
    expect(res.headers['x-request-id']).toBe(JSON.parse(res.body).requestId);
    expect(res.headers.connection).toBe('close');
  });

  /** Raw bytes to the server, and everything it answers until it closes the connection. */
  async function rawExchange(port: number, bytes: string, onSocket?: () => void): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host: '127.0.0.1' }, () => {
        socket.write(bytes);
        onSocket?.();
      });
      let out = '';
      socket.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
      socket.on('close', () => resolve(out));
      socket.on('error', reject);
    });
  }
  const problemOf = (raw: string) => {
    const [head, body] = raw.split('\r\n\r\n');
    return { statusLine: head!.split('\r\n')[0], head: head!.toLowerCase(), problem: JSON.parse(body!) };
  };

  it('answers bytes that are not HTTP with a 400 problem+json and closes the connection, and counts it', async () => {
    const { app } = await appWith({}, { metrics: true });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    const { statusLine, head, problem } = problemOf(await rawExchange(port, 'NOT HTTP AT ALL\r\n\r\n'));
    expect(statusLine).toBe('HTTP/1.1 400 Bad Request');
    expect(head).toContain('content-type: application/problem+json');
    expect(problem).toMatchObject({ status: 400, code: 'invalid-request', type: '/problems/invalid-request' });
    expect((await app.inject('/metrics')).body).toMatch(/http_requests_total\{method="UNKNOWN",route="unmatched",status="400"\} 1/);
  });

  it('answers a request that does not arrive in time with a 408 problem+json, on time', async () => {
    const { app, store } = await appWith({ requestTimeoutMs: 1000 });
    const key = createKey(store, { name: 'slow' });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    // Headers never finished, and a body that stops (with a key, so that nothing is answered before the body): each
    // is cut once the limit has passed, not at Node's default sweep of every 30 s (which gave 50-80 s for a 30 s limit).
    const body = `POST /v1/entities HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${key}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"name":`;
    for (const stalled of ['GET /healthz HTTP/1.1\r\nHost: x\r\n', body]) {
      const started = performance.now();
      const { statusLine, problem } = problemOf(await rawExchange(port, stalled));
      const ms = performance.now() - started;
      expect(statusLine, stalled).toBe('HTTP/1.1 408 Request Timeout');
      expect(problem).toMatchObject({ status: 408, code: 'request-timeout', type: '/problems/request-timeout' });
      expect(ms, stalled).toBeGreaterThanOrEqual(950);
      expect(ms, stalled).toBeLessThan(5000);
    }
  });

});

describe('security headers and CORS', () => {
  it('sends a CSP without scripts, nosniff and no framing on JSON, problems and pages', async () => {
    const { app } = await appWith();
    for (const url of ['/v1/claims/deepseek-v3-training-cost', '/v1/claims/nope', '/', '/c/deepseek-v3-training-cost']) {
      const res = await app.inject(url);
      const csp = String(res.headers['content-security-policy']);
      expect(csp, url).toContain("default-src 'none'");
      expect(csp, url).toContain("style-src 'unsafe-inline'");
      expect(csp, url).toContain("frame-ancestors 'none'");
      expect(csp, url).not.toContain('script-src');
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['x-frame-options'], url).toBe('SAMEORIGIN');
      expect(res.headers['access-control-allow-origin'], url).toBeUndefined();
    }
    const docs = await app.inject('/docs/static/index.html');
    expect(docs.headers['content-security-policy']).toContain("script-src 'self'");
  });

  it('has CORS off by default, for reads and writes', async () => {
    const { app } = await appWith();
    const read = await app.inject({ url: '/v1/claims', headers: { origin: 'https://elsewhere.example' } });
    expect(read.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await app.inject({ method: 'OPTIONS', url: '/v1/claims', headers: { origin: 'https://elsewhere.example', 'access-control-request-method': 'POST' } });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    // Without CORS nothing serves OPTIONS: the path exists for other methods, so 405 with what it does take.
    expect(preflight.statusCode).toBe(405);
    expect(preflight.headers.allow).toBe('GET, HEAD, POST');
  });

  it('lets any origin read when configured, and only listed origins write', async () => {
    const { app } = await appWith({ cors: { readOrigins: ['*'], writeOrigins: ['https://desk.example'] } });
    const read = await app.inject({ url: '/v1/claims', headers: { origin: 'https://elsewhere.example' } });
    expect(read.headers['access-control-allow-origin']).toBe('*');
    expect(String(read.headers['access-control-expose-headers'])).toContain('ETag');

    const preflight = (origin: string, method: string) =>
      app.inject({ method: 'OPTIONS', url: '/v1/claims', headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': 'authorization,content-type' } });
    const refused = await preflight('https://elsewhere.example', 'POST');
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();
    const allowed = await preflight('https://desk.example', 'POST');
    expect(allowed.statusCode).toBe(204);
    expect(allowed.headers['access-control-allow-origin']).toBe('https://desk.example');
    expect(String(allowed.headers['access-control-allow-methods'])).toContain('POST');
    expect(String(allowed.headers['access-control-allow-headers'])).toContain('Authorization');
    const readPreflight = await preflight('https://elsewhere.example', 'GET');
    expect(readPreflight.headers['access-control-allow-origin']).toBe('*');
  });

  it('lets an origin that may write read too, with its key: an edit begins with a GET for the ETag', async () => {
    const { app } = await appWith({ cors: { readOrigins: ['https://a.example'], writeOrigins: ['https://desk.example'] } });
    const claim = '/v1/claims/deepseek-v3-training-cost';
    const read = await app.inject({ url: claim, headers: { origin: 'https://desk.example' } });
    expect(read.headers['access-control-allow-origin']).toBe('https://desk.example');
    expect(String(read.headers['access-control-expose-headers'])).toContain('ETag');
    const preflight = await app.inject({
      method: 'OPTIONS',
      url: claim,
      headers: { origin: 'https://desk.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://desk.example');
    expect(String(preflight.headers['access-control-allow-headers'])).toContain('Authorization');
    // A reader still may not write.
    const write = await app.inject({ method: 'OPTIONS', url: claim, headers: { origin: 'https://a.example', 'access-control-request-method': 'PUT' } });
    expect(write.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('keeps Vary: Origin beside Vary: Accept where both decide the answer, so no cache serves one origin the other\'s', async () => {
    const { app } = await appWith({ cors: { readOrigins: ['https://a.example', 'https://b.example'], writeOrigins: [] } });
    const claim = '/v1/claims/deepseek-v3-training-cost';
    for (const url of [claim, `${claim}/revisions/1`, `${claim}/citation?style=apa`, '/v1/sources/semianalysis-deepseek-debates/revisions/1']) {
      const res = await app.inject({ url, headers: { origin: 'https://a.example' } });
      expect(res.headers['access-control-allow-origin'], url).toBe('https://a.example');
      const vary = String(res.headers.vary).split(',').map((h) => h.trim().toLowerCase());
      expect(vary, url).toContain('origin');
      if (!url.includes('/sources/')) expect(vary, url).toContain('accept');
    }
  });
});

describe('error bodies', () => {
  it('never carry a stack, SQL or library internals; the 5xx is logged with its error', async () => {
    const lines: string[] = [];
    const { store, db } = createTestStore();
    const app = await buildApp({ store, limits: TEST_LIMITS, logger: { level: 'info', redact: LOG_REDACT, stream: { write: (l: string) => lines.push(l) } } });
    opened.push(app);
    // Break the database under the app: every query on sources now fails inside SQLite.
    db.exec('ALTER TABLE sources RENAME TO sources_gone');
    const res = await app.inject('/v1/sources/semianalysis-deepseek-debates');
    expectProblem(res, 500, 'internal-error');
    const body = res.body;
    for (const leak of ['sources_gone', 'SQLITE', 'Sqlite', 'no such', 'SELECT', ' at ', 'node_modules', '.ts:', process.cwd()]) expect(body).not.toContain(leak);
    expect(Object.keys(res.json()).sort()).toEqual(['code', 'detail', 'instance', 'requestId', 'status', 'title', 'type']);
    const logged = lines.map((l) => JSON.parse(l) as { msg: string; reqId?: string; err?: { message: string; stack: string } });
    const failure = logged.find((l) => l.msg === 'request failed');
    expect(failure?.reqId).toBe(res.json().requestId);
    expect(failure?.err?.message).toContain('sources');
    expect(failure?.err?.stack).toBeTruthy();
  });

  it('show only safe framework messages for bad JSON', async () => {
    const { app, store } = await appWith();
    const key = bearer(createKey(store, { name: 'json' }));
    const res = await app.inject({ method: 'POST', url: '/v1/claims', headers: { ...key, 'content-type': 'application/json' }, payload: '{"statement": "x", ' });
    expectProblem(res, 400, 'invalid-request');
    expect(res.body).not.toMatch(/ at |node_modules|SyntaxError/);
  });
});

describe('metrics and slow requests', () => {
  it('serves Prometheus metrics when enabled: requests by route and status, latency, database, rate limits, process', async () => {
    const { app, store } = await appWith({ rateLimit: { reads: 2, writes: 2, windowMs: 60_000 } }, { metrics: true });
    const key = createKey(store, { name: 'metered' });
    await app.inject('/v1/claims/deepseek-v3-training-cost');
    await app.inject('/v1/claims/nope');
    await app.inject({ url: '/v1/claims/deepseek-v3-training-cost', headers: bearer(key) });
    await app.inject('/v1/whatever'); // a third read from this address: 429
    const res = await app.inject('/metrics');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    const text = res.body;
    expect(text).toMatch(/http_requests_total\{method="GET",route="\/v1\/claims\/:id",status="200"\} 2/);
    expect(text).toMatch(/http_requests_total\{method="GET",route="\/v1\/claims\/:id",status="404"\} 1/);
    expect(text).toMatch(/http_requests_total\{method="GET",route="unmatched",status="429"\} 1/);
    expect(text).toMatch(/http_request_duration_seconds_bucket\{le="0.005",method="GET",route="\/v1\/claims\/:id",status="200"\} \d+/);
    expect(text).toMatch(/http_rate_limited_total\{budget="reads"\} 1/);
    expect(text).toMatch(/sqlite_file_bytes\{file="database"\} [1-9]\d*/);
    expect(text).toMatch(/sqlite_file_bytes\{file="wal"\} 0/);
    expect(text).toMatch(/process_resident_memory_bytes \d+/);
    expect(text).toMatch(/nodejs_eventloop_lag_p99_seconds/);
    expect(text).not.toContain(key);
  });

  it('counts the refusals the router makes before any hook runs: a malformed path escape, a path segment too long', async () => {
    const { app } = await appWith({}, { metrics: true });
    expectProblem(await app.inject('/v1/claims/%zz'), 400, 'invalid-request');
    expectProblem(await app.inject(`/v1/claims/${'a'.repeat(150)}`), 414, 'uri-too-long');
    const text = (await app.inject('/metrics')).body;
    expect(text).toMatch(/http_requests_total\{method="GET",route="unmatched",status="400"\} 1/);
    expect(text).toMatch(/http_requests_total\{method="GET",route="unmatched",status="414"\} 1/);
  });

  it('has no /metrics unless enabled, and keeps it out of the OpenAPI document', async () => {
    const { app } = await appWith();
    expectProblem(await app.inject('/metrics'), 404, 'not-found');
    const { app: metered } = await appWith({}, { metrics: true });
    expect(JSON.stringify((await metered.inject('/openapi.json')).json())).not.toContain('/metrics');
  });

  it('logs requests slower than the threshold at warn, with the request id', async () => {
    const lines: string[] = [];
    const { store } = createTestStore();
    const app = await buildApp({ store, limits: { ...TEST_LIMITS, slowRequestMs: 0.000001 }, logger: { level: 'info', stream: { write: (l: string) => lines.push(l) } } });
    opened.push(app);
    const res = await app.inject({ url: '/v1/claims?limit=5', headers: { 'x-request-id': 'slow-one' } });
    const slow = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === 'slow request');
    expect(slow).toMatchObject({ level: 40, reqId: 'slow-one', route: '/v1/claims', statusCode: res.statusCode });
  });
});
