// HTTP itself, beside the routes: a wrong method on a path that exists is 405 with Allow (not 404), a body in a
// media type or charset the route does not read is 415 naming what to send (not a 400 about its shape), and a query
// string that is not valid percent-encoding is 400 (not a search for something else). Refusals write nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROBLEMS } from '../src/http/problems.js';
import { bearer, createKey, createTestApp, newClaimBody, PROBLEM_CONTENT_TYPE } from './helpers.js';

type Ctx = Awaited<ReturnType<typeof createTestApp>>;
type Response = Awaited<ReturnType<Ctx['app']['inject']>>;

const CLAIM = '/v1/claims/deepseek-v3-training-cost';
const NDJSON = 'application/x-ndjson';

let ctx: Ctx;
let admin: Record<string, string>;
beforeAll(async () => {
  ctx = await createTestApp();
  admin = bearer(createKey(ctx.store, { name: 'protocol-admin', scope: 'admin' }));
});
afterAll(() => ctx.app.close());

/** Asserts the one problem+json shape: status, code, type, title, the path as instance and the request id. */
function expectProblem(res: Response, status: number, code: keyof typeof PROBLEMS, path: string) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toBe(PROBLEM_CONTENT_TYPE);
  const body = res.json();
  expect(body).toMatchObject({ type: `/problems/${code}`, title: PROBLEMS[code].title, status, code, instance: path });
  expect(typeof body.detail).toBe('string');
  expect(body.requestId).toBe(res.headers['x-request-id']);
  return body as { detail: string; errors?: { in: string; pointer: string; detail: string }[] };
}

/** What a refused write must leave alone: the claim's bytes and ETag, and the number of records and revisions. */
async function snapshot(c: Ctx = ctx) {
  const read = await c.app.inject(CLAIM);
  expect(read.statusCode).toBe(200);
  const count = (table: string) => c.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
  return { etag: read.headers.etag, body: read.body, claims: count('claims'), entities: count('entities'), revisions: count('revisions') };
}

describe('405 Method Not Allowed', () => {
  it.each([
    ['DELETE', CLAIM, 'GET, HEAD, PUT'],
    ['PATCH', CLAIM, 'GET, HEAD, PUT'],
    ['PATCH', `${CLAIM}/`, 'GET, HEAD, PUT'],
    ['DELETE', '/v1/claims/no-such-claim', 'GET, HEAD, PUT'],
    ['PUT', `${CLAIM}/revisions`, 'GET, HEAD'],
    ['POST', `${CLAIM}/revisions/`, 'GET, HEAD'],
    ['DELETE', `${CLAIM}/revisions/1`, 'GET, HEAD'],
    ['GET', `${CLAIM}/retraction`, 'POST'],
    ['DELETE', '/v1/claims', 'GET, HEAD, POST'],
    ['PUT', '/v1/claims?limit=1', 'GET, HEAD, POST'],
    ['GET', '/v1/import', 'POST'],
    ['HEAD', '/v1/import', 'POST'],
    ['OPTIONS', '/v1/sources/semianalysis-deepseek-debates', 'GET, HEAD, PUT'],
  ] as const)('%s %s -> 405, Allow: %s', async (method, url, allow) => {
    const res = await ctx.app.inject({ method, url });
    expect(res.headers.allow).toBe(allow);
    if (method === 'HEAD') {
      expect(res.statusCode).toBe(405);
      expect(res.headers['content-type']).toBe(PROBLEM_CONTENT_TYPE);
      return;
    }
    const body = expectProblem(res, 405, 'method-not-allowed', url.split('?')[0]!);
    expect(body.detail).toContain(allow);
  });

  it('tells a wrong method (405) from a path no route matches (404, no Allow)', async () => {
    expect((await ctx.app.inject({ method: 'DELETE', url: CLAIM })).statusCode).toBe(405);
    for (const [method, url] of [['DELETE', '/v1/nothing-here'], ['PUT', `${CLAIM}/nonsense`], ['POST', '/v1/claims/a/b/c/d'], ['GET', '/v1/nothing-here']] as const) {
      const res = await ctx.app.inject({ method, url });
      expectProblem(res, 404, 'not-found', url);
      expect(res.headers.allow, `${method} ${url}`).toBeUndefined();
    }
  });

  it('writes nothing, even for a caller with a key and a current ETag', async () => {
    const before = await snapshot();
    for (const method of ['DELETE', 'PATCH'] as const) {
      const res = await ctx.app.inject({ method, url: CLAIM, headers: { ...admin, 'if-match': before.etag as string }, payload: { statement: 'Changed.', reason: 'x' } });
      expectProblem(res, 405, 'method-not-allowed', CLAIM);
    }
    const revisions = await ctx.app.inject({ method: 'POST', url: `${CLAIM}/revisions`, headers: admin, payload: newClaimBody({ reason: 'x' }) });
    expectProblem(revisions, 405, 'method-not-allowed', `${CLAIM}/revisions`);
    expect(await snapshot()).toEqual(before);
  });

  it('lists OPTIONS when CORS preflights are served, and still answers 404 where only the preflight route matches', async () => {
    const cors = await createTestApp({ limits: { cors: { readOrigins: ['*'], writeOrigins: ['https://desk.example'] } } });
    try {
      const res = await cors.app.inject({ method: 'DELETE', url: CLAIM });
      expectProblem(res, 405, 'method-not-allowed', CLAIM);
      expect(res.headers.allow).toBe('GET, HEAD, PUT, OPTIONS');
      const preflight = await cors.app.inject({
        method: 'OPTIONS',
        url: CLAIM,
        headers: { origin: 'https://desk.example', 'access-control-request-method': 'PUT' },
      });
      expect(preflight.statusCode).toBe(204);
      const nowhere = await cors.app.inject({ method: 'DELETE', url: '/v1/nothing-here' });
      expectProblem(nowhere, 404, 'not-found', '/v1/nothing-here');
      expect(nowhere.headers.allow).toBeUndefined();
    } finally {
      await cors.app.close();
    }
  });
});

describe('415 Unsupported Media Type', () => {
  const json = JSON.stringify(newClaimBody({ id: 'media-type-claim' }));

  /** Each JSON write, with the JSON it would accept; `ifMatch` routes need the current ETag. */
  const writes = [
    { name: 'POST /v1/claims', method: 'POST', url: '/v1/claims', body: () => json, ifMatch: false },
    { name: 'PUT /v1/claims/{id}', method: 'PUT', url: CLAIM, body: () => json, ifMatch: true },
    { name: 'POST /v1/claims/{id}/retraction', method: 'POST', url: `${CLAIM}/retraction`, body: () => JSON.stringify({ reason: 'x' }), ifMatch: true },
    { name: 'POST /v1/entities', method: 'POST', url: '/v1/entities', body: () => JSON.stringify({ id: 'media-type-entity', name: 'M', type: 'organization', reason: 'x' }), ifMatch: false },
  ] as const;

  it.each(writes)('$name: JSON sent as text/plain -> 415 naming application/json, and nothing written', async ({ method, url, body, ifMatch }) => {
    const before = await snapshot();
    const headers = { ...admin, 'content-type': 'text/plain', ...(ifMatch ? { 'if-match': before.etag as string } : {}) };
    const res = await ctx.app.inject({ method, url, headers, payload: body() });
    const problem = expectProblem(res, 415, 'unsupported-media-type', url);
    expect(problem.detail).toMatch(/text\/plain.*send it as application\/json/);
    expect(await snapshot()).toEqual(before);
  });

  it('a JSON body with no Content-Type -> 415 that says so; no body at all is still a 400 about the body', async () => {
    const before = await snapshot();
    const res = await ctx.app.inject({ method: 'POST', url: '/v1/claims', headers: admin, payload: json });
    expect(res.headers['content-type']).toBe(PROBLEM_CONTENT_TYPE);
    const problem = expectProblem(res, 415, 'unsupported-media-type', '/v1/claims');
    expect(problem.detail).toMatch(/no Content-Type.*send it as application\/json/);
    const empty = await ctx.app.inject({ method: 'POST', url: `${CLAIM}/retraction`, headers: { ...admin, 'if-match': before.etag as string } });
    expectProblem(empty, 400, 'invalid-request', `${CLAIM}/retraction`);
    expect(await snapshot()).toEqual(before);
  });

  it('a media type no route reads -> 415 naming application/json, not just "Unsupported Media Type"', async () => {
    for (const type of ['application/xml', 'application/x-www-form-urlencoded', 'application/merge-patch+json']) {
      const res = await ctx.app.inject({ method: 'POST', url: '/v1/claims', headers: { ...admin, 'content-type': type }, payload: json });
      const problem = expectProblem(res, 415, 'unsupported-media-type', '/v1/claims');
      expect(problem.detail, type).toBe(`The body is "${type}"; send it as application/json`);
    }
  });

  it('JSON declared in a charset other than UTF-8 -> 415 and nothing written; UTF-8 however spelt is read', async () => {
    const before = await snapshot();
    for (const type of ['application/json; charset=utf-16', 'application/json;charset="ISO-8859-1"', 'application/json; charset=latin1']) {
      const res = await ctx.app.inject({ method: 'POST', url: '/v1/claims', headers: { ...admin, 'content-type': type }, payload: json });
      const problem = expectProblem(res, 415, 'unsupported-media-type', '/v1/claims');
      expect(problem.detail, type).toMatch(/only UTF-8 is read; send it as application\/json in UTF-8/);
    }
    expect(await snapshot()).toEqual(before);

    const accepted = ['application/json', 'application/json; charset=utf-8', 'application/json; charset="UTF-8"', 'application/json;charset=utf8'];
    for (const [i, type] of accepted.entries()) {
      const res = await ctx.app.inject({ method: 'POST', url: '/v1/claims', headers: { ...admin, 'content-type': type }, payload: newClaimBody({ id: `utf8-claim-${i}`, statement: 'Reported from 東京, in UTF-8.' }) });
      expect(res.statusCode, `${type}: ${res.body}`).toBe(201);
      expect(res.json().statement).toBe('Reported from 東京, in UTF-8.');
    }
  });

  it('bytes that are not UTF-8 -> 415 and nothing written, not a record with U+FFFD where the bytes were', async () => {
    const before = await snapshot();
    // "café" in Latin-1: Node would decode the lone 0xE9 to U+FFFD, and the record stored was not the one sent.
    const latin1 = Buffer.from(JSON.stringify(newClaimBody({ id: 'latin1-claim', statement: 'Un café.' })), 'latin1');
    const res = await ctx.app.inject({ method: 'POST', url: '/v1/claims', headers: { ...admin, 'content-type': 'application/json; charset=utf-8' }, payload: latin1 });
    expect(expectProblem(res, 415, 'unsupported-media-type', '/v1/claims').detail).toBe('The body is not valid UTF-8; send it as application/json in UTF-8');
    const line = Buffer.from(`${JSON.stringify({ type: 'entity', record: { id: 'latin1-entity', name: 'Café', type: 'organization' } })}\n`, 'latin1');
    const imported = await ctx.app.inject({ method: 'POST', url: '/v1/import?reason=latin1', headers: { ...admin, 'content-type': NDJSON }, payload: line });
    expect(expectProblem(imported, 415, 'unsupported-media-type', '/v1/import').detail).toBe(`The body is not valid UTF-8; send it as ${NDJSON} in UTF-8`);
    expect(await snapshot()).toEqual(before);
    expect((await ctx.app.inject('/v1/claims/latin1-claim')).statusCode).toBe(404);
  });

  it('says what is wrong with JSON that holds a __proto__ key, rather than calling it invalid JSON', async () => {
    const res = await ctx.app.inject({ method: 'POST', url: '/v1/claims', headers: { ...admin, 'content-type': 'application/json' }, payload: '{"__proto__":{"polluted":true},"reason":"x"}' });
    expect(expectProblem(res, 400, 'invalid-request', '/v1/claims').detail).toMatch(/"__proto__" or "constructor.prototype" key/);
    const bom = await ctx.app.inject({ method: 'POST', url: '/v1/claims', headers: { ...admin, 'content-type': 'application/json' }, payload: '\uFEFF{"__proto__":{},"reason":"x"}' });
    expect(expectProblem(bom, 400, 'invalid-request', '/v1/claims').detail).toMatch(/"__proto__" or "constructor.prototype" key/);
    const broken = await ctx.app.inject({ method: 'POST', url: '/v1/claims', headers: { ...admin, 'content-type': 'application/json' }, payload: '{"reason":' });
    expect(expectProblem(broken, 400, 'invalid-request', '/v1/claims').detail).toMatch(/not valid JSON/);
  });

  it('POST /v1/import names NDJSON in its 415s, and still reads NDJSON', async () => {
    const file = [
      JSON.stringify({ type: 'export', exportedAt: '2026-12-01T00:00:00.000Z', cursor: 'test', records: 'all', filters: {} }),
      JSON.stringify({ type: 'entity', record: { id: 'ndjson-entity', name: 'NDJSON', type: 'organization' } }),
      JSON.stringify({ type: 'end', count: 1 }),
    ].join('\n');
    const url = '/v1/import?reason=media%20types&dryRun=true';
    const before = await snapshot();
    for (const type of ['text/plain', 'application/json', `${NDJSON}; charset=latin1`]) {
      const res = await ctx.app.inject({ method: 'POST', url, headers: { ...admin, 'content-type': type }, payload: file });
      const problem = expectProblem(res, 415, 'unsupported-media-type', '/v1/import');
      expect(problem.detail, type).toMatch(/send it as application\/x-ndjson/);
    }
    expect(await snapshot()).toEqual(before);
    for (const type of [NDJSON, `${NDJSON}; charset=utf-8`]) {
      const res = await ctx.app.inject({ method: 'POST', url, headers: { ...admin, 'content-type': type }, payload: file });
      expect(res.statusCode, `${type}: ${res.body}`).toBe(200);
    }
  });
});

describe('percent-encoding in the query string', () => {
  it.each([
    ['/v1/claims?q=%ZZ', 'q'],
    ['/v1/claims?q=%E0%A4%A', 'q'],
    ['/v1/claims?q=100%', 'q'],
    ['/v1/claims?q=%C3%28', 'q'],
    ['/v1/claims?limit=5&q=cost%ZZ', 'q'],
    ['/v1/entities?q=%ED%A0%80', 'q'],
    ['/v1/claims?q=ok&subject=%G1', 'subject'],
  ])('%s -> 400 naming the parameter, as a malformed path is', async (url, name) => {
    const res = await ctx.app.inject(url);
    const problem = expectProblem(res, 400, 'invalid-request', url.split('?')[0]!);
    expect(problem.detail).toContain(`"${name}" is not valid percent-encoding`);
    expect(problem.errors).toEqual([expect.objectContaining({ in: 'query', pointer: `/${name}` })]);
    // The same mistake in the path gets the same code.
    expect((await ctx.app.inject('/v1/claims/%ZZ')).json().code).toBe('invalid-request');
  });

  it('a parameter name that is not valid percent-encoding -> 400 about the query string', async () => {
    const problem = expectProblem(await ctx.app.inject('/v1/claims?%ZZ=1'), 400, 'invalid-request', '/v1/claims');
    expect(problem.detail).toMatch(/^The query string is not valid percent-encoding/);
  });

  it('refuses only broken escapes: %20, +, %25 and UTF-8 escapes still search as before', async () => {
    expectProblem(await ctx.app.inject('/v1/claims?q=training%ZZcost'), 400, 'invalid-request', '/v1/claims');

    const ids = async (url: string) => {
      const res = await ctx.app.inject(url);
      expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
      return (res.json().items as { id: string }[]).map((c) => c.id);
    };
    const spaced = await ids('/v1/claims?q=training%20cost');
    expect(spaced[0]).toBe('deepseek-v3-training-cost');
    expect(await ids('/v1/claims?q=training+cost')).toEqual(spaced);
    expect(await ids('/v1/claims?q=100%25')).toEqual(expect.any(Array));

    const created = await ctx.app.inject({
      method: 'POST',
      url: '/v1/claims',
      headers: admin,
      payload: newClaimBody({ id: 'encoded-query-claim', statement: 'A Zürich laboratory reproduced it.' }),
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(await ids('/v1/claims?q=Z%C3%BCrich')).toEqual(['encoded-query-claim']);
    expect(await ids('/v1/claims?q=%5A%c3%bcrich+laboratory')).toEqual(['encoded-query-claim']);
  });
});

describe('a query parameter given twice', () => {
  it.each([
    ['/v1/claims?limit=1&limit=2', 'limit'],
    ['/v1/claims?kind=quote&kind=quantity', 'kind'],
    ['/v1/claims?q=a&q=b&q=c', 'q'],
  ])('%s -> 400 that says so, not that the value is wrong', async (url, name) => {
    const problem = expectProblem(await ctx.app.inject(url), 400, 'invalid-request', '/v1/claims');
    expect(problem.errors).toEqual([expect.objectContaining({ in: 'query', pointer: `/${name}`, detail: expect.stringMatching(new RegExp(`^"${name}" is given \\d times; give it once$`)) })]);
  });
});

describe('whole numbers', () => {
  it('are digits only: hex, exponents, signs and spaces are 400, not read as numbers', async () => {
    for (const limit of ['0x10', '1e1', '+1', '%201', '1.0', '-1'])
      expectProblem(await ctx.app.inject(`/v1/claims?limit=${limit}`), 400, 'invalid-request', '/v1/claims');
    expect((await ctx.app.inject('/v1/claims?limit=016')).json().items).toHaveLength(16);
    expectProblem(await ctx.app.inject(`${CLAIM}/revisions/0x1`), 400, 'invalid-request', `${CLAIM}/revisions/0x1`);
    expect((await ctx.app.inject(`${CLAIM}/revisions/1`)).statusCode).toBe(200);
  });
});

describe('request ids', () => {
  it("keep a caller's sane id, and replace one that is malformed, too long or shaped like an API key", async () => {
    const idOf = async (given: string) => (await ctx.app.inject({ url: CLAIM, headers: { 'x-request-id': given } })).headers['x-request-id'];
    expect(await idOf('trace-42.a:b_c')).toBe('trace-42.a:b_c');
    for (const bad of ['has space', 'x'.repeat(129), '<script>', `cak_${'A'.repeat(43)}`]) {
      const id = await idOf(bad);
      expect(id, bad).not.toBe(bad);
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});
