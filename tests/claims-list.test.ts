// The claims list: pagination returns every claim exactly once, and each filter returns exactly the claims a
// brute-force reading of the full records says it should.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstDay, lastDay } from '../src/domain/partial-date.js';
import type { Claim } from '../src/claims/claims.schemas.js';
import { collectIds, createTestApp } from './helpers.js';

let ctx: Awaited<ReturnType<typeof createTestApp>>;
let all: Claim[];
const byId = (ids: string[]) => [...ids].sort();

beforeAll(async () => {
  ctx = await createTestApp();
  const ids = await collectIds(ctx.app, '/v1/claims?limit=100');
  all = await Promise.all(ids.map(async (id) => (await ctx.app.inject(`/v1/claims/${id}`)).json() as Claim));
});
afterAll(() => ctx.app.close());

const overlaps = (p: { start: { date: string }; end: { date: string } } | null, from?: string, to?: string) =>
  p !== null && (from === undefined || lastDay(p.end.date) >= firstDay(from)) && (to === undefined || firstDay(p.start.date) <= lastDay(to));

describe('GET /v1/claims pagination', () => {
  it('returns every claim exactly once, in id order, whatever the page size', async () => {
    const total = (ctx.db.prepare('SELECT count(*) FROM claims').pluck().get() as number);
    expect(total).toBeGreaterThan(20);
    for (const limit of [1, 2, 3, 7, 20, 100]) {
      const ids = await collectIds(ctx.app, `/v1/claims?limit=${limit}`);
      expect(ids.length, `limit=${limit}`).toBe(total);
      expect(new Set(ids).size).toBe(total);
      expect(ids).toEqual([...ids].sort());
    }
  });

  it('defaults to 20 items and links the next page in the body and the Link header', async () => {
    const res = await ctx.app.inject('/v1/claims?kind=cost_figure&limit=2');
    const body = res.json();
    expect(body.items).toHaveLength(2);
    expect(res.headers.link).toBe(`<${body.links.next}>; rel="next"`);
    expect(body.links.next).toContain('kind=cost_figure');
    expect(body.links.next).toContain(`cursor=${body.nextCursor}`);
    const first = await ctx.app.inject('/v1/claims');
    expect(first.json().items).toHaveLength(20);
  });

  it('ends with a null cursor and no Link header', async () => {
    const res = await ctx.app.inject('/v1/claims?limit=100');
    expect(res.json().nextCursor).toBeNull();
    expect(res.headers.link).toBeUndefined();
  });
});

describe('GET /v1/claims filters', () => {
  const check = async (query: string, expected: (c: Claim) => boolean) => {
    const ids = await collectIds(ctx.app, `/v1/claims?limit=7&${query}`);
    expect(byId(ids), query).toEqual(byId(all.filter(expected).map((c) => c.id)));
    return ids;
  };

  it('filters by kind', async () => {
    for (const kind of new Set(all.map((c) => c.kind))) await check(`kind=${kind}`, (c) => c.kind === kind);
  });

  it('filters by verdict', async () => {
    for (const verdict of new Set(all.map((c) => c.assessment.verdict)))
      await check(`verdict=${verdict}`, (c) => c.assessment.verdict === verdict);
  });

  it('filters by subject', async () => {
    const subjects = new Set(all.flatMap((c) => c.subjects.map((s) => s.id)));
    for (const s of subjects) await check(`subject=${s}`, (c) => c.subjects.some((x) => x.id === s));
  });

  it('filters by claimant', async () => {
    for (const id of new Set(all.flatMap((c) => (c.claimant ? [c.claimant.id] : []))))
      await check(`claimant=${id}`, (c) => c.claimant?.id === id);
  });

  it('filters by source', async () => {
    for (const s of new Set(all.flatMap((c) => c.citations.map((x) => x.source.id))))
      await check(`source=${s}`, (c) => c.citations.some((x) => x.source.id === s));
  });

  it('filters by the period the fact holds, by overlap at any precision', async () => {
    for (const [from, to] of [['2025-01-27', '2025-01-27'], ['2025-01', '2025-01'], ['2024', undefined], [undefined, '2023'], ['2025-01-15', '2025-01-31']]) {
      const q = [from && `factFrom=${from}`, to && `factTo=${to}`].filter(Boolean).join('&');
      await check(q, (c) => overlaps(c.factPeriod, from, to));
    }
  });

  it('filters by the date claimed', async () => {
    for (const [from, to] of [['2025-01-31', '2025-01-31'], ['2024-12', '2025-01'], ['2025-09', undefined]]) {
      const q = [from && `claimedFrom=${from}`, to && `claimedTo=${to}`].filter(Boolean).join('&');
      await check(q, (c) => overlaps(c.claimedOn && { start: c.claimedOn, end: c.claimedOn }, from, to));
    }
  });

  it('combines filters', async () => {
    await check('subject=deepseek&kind=cost_figure', (c) => c.kind === 'cost_figure' && c.subjects.some((s) => s.id === 'deepseek'));
    await check('source=semianalysis-deepseek-debates&verdict=accurate_with_caveats', (c) =>
      c.assessment.verdict === 'accurate_with_caveats' && c.citations.some((s) => s.source.id === 'semianalysis-deepseek-debates'));
    await check('claimant=deepseek&factFrom=2025', (c) => c.claimant?.id === 'deepseek' && overlaps(c.factPeriod, '2025'));
  });

  it('serves the claims of a source and of an entity', async () => {
    const bySource = await collectIds(ctx.app, '/v1/sources/semianalysis-deepseek-debates/claims?limit=3');
    expect(byId(bySource)).toEqual(byId(all.filter((c) => c.citations.some((s) => s.source.id === 'semianalysis-deepseek-debates')).map((c) => c.id)));
    const about = await collectIds(ctx.app, '/v1/entities/nvidia/claims?limit=3');
    expect(byId(about)).toEqual(byId(all.filter((c) => c.subjects.some((s) => s.id === 'nvidia')).map((c) => c.id)));
    const madeBy = await collectIds(ctx.app, '/v1/entities/semianalysis/claims?role=claimant');
    expect(madeBy.length).toBeGreaterThan(0);
    expect(byId(madeBy)).toEqual(byId(all.filter((c) => c.claimant?.id === 'semianalysis').map((c) => c.id)));
  });

  it('list items summarise the full claim', async () => {
    const page = (await ctx.app.inject('/v1/claims?limit=100')).json();
    for (const item of page.items) {
      const full = all.find((c) => c.id === item.id)!;
      expect(item).toEqual({
        id: full.id, statement: full.statement, kind: full.kind, value: full.value, subjects: full.subjects,
        claimant: full.claimant, claimedOn: full.claimedOn, factPeriod: full.factPeriod, verdict: full.assessment.verdict,
        revision: full.revision, createdAt: full.createdAt, updatedAt: full.updatedAt, retraction: full.retraction, links: full.links,
      });
    }
  });
});
