// Lost updates are impossible: over a real listening socket, several editors holding the same ETag race to
// change the same record, round after round. Exactly one wins each round; the others get 412 and write nothing.
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Claim } from '../src/claims/claims.schemas.js';
import { bearer, createKey, createTestApp, toReplaceBody } from './helpers.js';

let ctx: Awaited<ReturnType<typeof createTestApp>>;
let base: string;
let writers: Record<string, string>[];

beforeAll(async () => {
  ctx = await createTestApp();
  writers = ['desk-a', 'desk-b', 'desk-c'].map((name) => bearer(createKey(ctx.store, { name })));
  await ctx.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`;
});
afterAll(() => ctx.app.close());

const ROUNDS = 30;

describe('concurrent writers with the same ETag', () => {
  it.each([
    ['PUT /v1/claims/{id}', '/v1/claims/deepseek-v3-training-cost'],
    ['PUT /v1/entities/{id}', '/v1/entities/nvidia'],
  ])('%s: exactly one 2xx per round, the rest 412', async (_name, url) => {
    const start = (await (await fetch(`${base}${url}`)).json()) as Claim & { revision: number };
    for (let round = 0; round < ROUNDS; round++) {
      const current = await fetch(`${base}${url}`);
      const etag = current.headers.get('etag')!;
      const record = (await current.json()) as Claim;
      const results = await Promise.all(
        writers.map(async (headers, i) => {
          const body = url.includes('/claims/')
            ? { ...toReplaceBody(record, `round ${round} by ${i}`), statement: `Round ${round}, writer ${i}.` }
            : { name: `Round ${round}, writer ${i}`, type: 'organization', reason: `round ${round} by ${i}` };
          const res = await fetch(`${base}${url}`, {
            method: 'PUT',
            headers: { ...headers, 'if-match': etag, 'content-type': 'application/json' },
            body: JSON.stringify(body),
          });
          return { status: res.status, writer: i, body: (await res.json()) as { revision: number; code?: string } };
        }),
      );
      const wins = results.filter((r) => r.status === 200);
      expect(wins, `round ${round}`).toHaveLength(1);
      for (const r of results.filter((x) => x.status !== 200)) expect([r.status, r.body.code]).toEqual([412, 'precondition-failed']);
      // The winner's change is the one stored, at the next revision.
      const after = (await (await fetch(`${base}${url}`)).json()) as { revision: number; statement?: string; name?: string };
      expect(after.revision).toBe(start.revision + round + 1);
      expect(after.statement ?? after.name).toContain(`writer ${wins[0]!.writer}`);
    }
    // One revision per round, numbered without gaps.
    const type = url.includes('/claims/') ? 'claim' : 'entity';
    const numbers = ctx.db
      .prepare('SELECT revision FROM revisions WHERE resource_type = ? AND resource_id = ? ORDER BY seq')
      .pluck()
      .all(type, url.split('/').at(-1)) as number[];
    expect(numbers).toEqual(Array.from({ length: start.revision + ROUNDS }, (_, i) => i + 1));
  });
});
