// Every error is RFC 9457 problem+json with a stable code, and bad input is a 4xx, never a 5xx.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROBLEMS } from '../src/http/problems.js';
import { createTestApp, PROBLEM_CONTENT_TYPE } from './helpers.js';

let ctx: Awaited<ReturnType<typeof createTestApp>>;
beforeAll(async () => {
  ctx = await createTestApp();
});
afterAll(() => ctx.app.close());

const cases: [string, number, string, string?][] = [
  ['/v1/claims?limit=abc', 400, 'invalid-request', '/limit'],
  ['/v1/claims?limit=1000', 400, 'invalid-request', '/limit'],
  ['/v1/claims?limit=0', 400, 'invalid-request', '/limit'],
  ['/v1/claims?limit=2.5', 400, 'invalid-request', '/limit'],
  ['/v1/claims?kind=rumour', 400, 'invalid-request', '/kind'],
  ['/v1/claims?verdict=true', 400, 'invalid-request', '/verdict'],
  ['/v1/claims?factFrom=2025-02-30', 400, 'invalid-request', '/factFrom'],
  ['/v1/claims?claimedTo=2025-13', 400, 'invalid-request', '/claimedTo'],
  ['/v1/claims?factFrom=2025-03&factTo=2025-01', 400, 'invalid-request', '/factTo'],
  ['/v1/claims?subject=Not%20A%20Slug', 400, 'invalid-request', '/subject'],
  ['/v1/claims?unknownFilter=1', 400, 'invalid-request', '/unknownFilter'],
  ['/v1/claims?cursor=not-a-cursor', 400, 'invalid-cursor'],
  [`/v1/claims?cursor=${Buffer.from('{"after":"DROP TABLE"}').toString('base64url')}`, 400, 'invalid-cursor'],
  ['/v1/sources?cursor=%00', 400, 'invalid-cursor'],
  ['/v1/claims/UPPER', 400, 'invalid-request', '/id'],
  ['/v1/claims/no-such-claim', 404, 'claim-not-found'],
  ['/v1/sources/no-such-source', 404, 'source-not-found'],
  ['/v1/entities/no-such-entity', 404, 'entity-not-found'],
  ['/v1/sources/no-such-source/claims', 404, 'source-not-found'],
  ['/v1/entities/no-such-entity/claims', 404, 'entity-not-found'],
  ['/v1/entities/deepseek/claims?role=author', 400, 'invalid-request', '/role'],
  ['/v1/nothing-here', 404, 'not-found'],
];

describe('problem+json errors', () => {
  it.each(cases)('GET %s -> %i %s', async (url, status, code, pointer) => {
    const res = await ctx.app.inject(url);
    expect(res.statusCode).toBe(status);
    expect(res.headers['content-type']).toBe(PROBLEM_CONTENT_TYPE);
    const body = res.json();
    expect(body).toMatchObject({ type: `/problems/${code}`, title: PROBLEMS[code as keyof typeof PROBLEMS].title, status, code });
    expect(typeof body.detail).toBe('string');
    expect(body.requestId).toBe(res.headers['x-request-id']);
    if (pointer) expect(body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ pointer, in: expect.any(String) })]));
  });

  it('reports every invalid parameter at once', async () => {
    const res = await ctx.app.inject('/v1/claims?limit=abc&kind=rumour&factFrom=2025-02-30');
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(['/factFrom', '/kind', '/limit']);
  });

  it('answers methods it does not serve with a 4xx problem, not a 5xx', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH'] as const) {
      const res = await ctx.app.inject({ method, url: '/v1/claims/deepseek-v3-training-cost', payload: '{"x":' });
      expect(res.statusCode, method).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, method).toBeLessThan(500);
      expect(res.headers['content-type']).toBe(PROBLEM_CONTENT_TYPE);
    }
  });

  it('keeps a caller-supplied request id', async () => {
    const res = await ctx.app.inject({ url: '/v1/claims/no-such-claim', headers: { 'x-request-id': 'trace-123' } });
    expect(res.headers['x-request-id']).toBe('trace-123');
    expect(res.json().requestId).toBe('trace-123');
  });
});
