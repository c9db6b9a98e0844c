// Autocomplete that forgives a slip (src/entities/entities.near-names.ts): the distance from a typed word to the start
// of a name's word, checked against every start measured apart; the thresholds; and the route, which answers near
// names only when the prefix search finds nothing, says which it did, and sees an entity written a moment before.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { editsAllowed, nearNames, nameWords, prefixDistance, type NamedEntity } from '../src/entities/entities.near-names.js';
import { editDistance } from '../src/search/spelling.js';
import { createTestApp } from './helpers.js';

describe('prefixDistance', () => {
  it('is the fewest edits that make the typed word the start of the word', () => {
    expect(prefixDistance('nvid', 'nvidia', 1)).toBe(0);
    expect(prefixDistance('nvida', 'nvidia', 1)).toBe(1);
    expect(prefixDistance('nivd', 'nvidia', 1)).toBe(1);
    expect(prefixDistance('nvdi', 'nvidia', 1)).toBe(1);
    expect(prefixDistance('nvda', 'nvidia', 2)).toBe(2);
    expect(prefixDistance('deepsek', 'deepseek', 1)).toBe(1);
    expect(prefixDistance('semianalisys', 'semianalysis', 2)).toBe(2);
    expect(prefixDistance('broadcomm', 'broadcom', 2)).toBe(1);
    expect(prefixDistance('zzzz', 'nvidia', 1)).toBe(2);
    expect(prefixDistance('nvd', 'nvidia', 0)).toBe(1);
  });

  it('equals the least edit distance to any start of the word (property)', () => {
    const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'd'), maxLength: 9 });
    fc.assert(
      fc.property(word, word, fc.integer({ min: 0, max: 2 }), (typed, name, max) => {
        const starts = Array.from({ length: name.length + 1 }, (_, k) => editDistance(typed, name.slice(0, k), max));
        expect(prefixDistance(typed, name, max), `${typed} ${name} ${max}`).toBe(Math.min(max + 1, ...starts));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('nearNames', () => {
  const entity = (id: string, name: string, type = 'organization'): NamedEntity => ({ id, name, type, words: nameWords(name) });
  const entities = [entity('nvidia', 'Nvidia'), entity('nvidia-h800', 'Nvidia H800', 'product'), entity('navidea', 'Navidea Inc'), entity('zurich', 'Zürich')];

  it('keeps every typed word within its edits, fewest edits first, then the shorter name', () => {
    expect(nearNames(['nvida'], entities, undefined, 10).map((e) => e.id)).toEqual(['nvidia', 'nvidia-h800']);
    expect(nearNames(['navida'], entities, undefined, 10).map((e) => e.id)).toEqual(['navidea']);
    // Fewer edits before a shorter name: NvidiaX Labs is one from "nvidiaxx", Nvidia two.
    expect(nearNames(['nvidiaxx'], [...entities, entity('nvidiax', 'NvidiaX Labs')], undefined, 10).map((e) => e.id)).toEqual(['nvidiax', 'nvidia', 'nvidia-h800']);
    expect(nearNames(['nvida', 'h80'], entities, undefined, 10).map((e) => e.id)).toEqual(['nvidia-h800']);
    expect(nearNames(['nvida'], entities, 'product', 10).map((e) => e.id)).toEqual(['nvidia-h800']);
    expect(nearNames(['nvida'], entities, undefined, 1).map((e) => e.id)).toEqual(['nvidia']);
    // Accents fold as the index folds them.
    expect(nearNames(nameWords('Zuirch'), entities, undefined, 10).map((e) => e.id)).toEqual(['zurich']);
  });

  it('allows no edit below 4 letters, one from 4, two from 8', () => {
    expect([3, 4, 7, 8, 20].map(editsAllowed)).toEqual([0, 1, 1, 2, 2]);
    expect(nearNames(['nvd'], entities, undefined, 10)).toEqual([]);
    expect(nearNames(['nvdiaa'], entities, undefined, 10)).toEqual([]);
    expect(nearNames(['nvidiaaa'], entities, undefined, 10).map((e) => e.id)).toContain('nvidia');
    expect(nearNames(['nvidiaaaa'], entities, undefined, 10)).toEqual([]);
  });
});

describe('GET /v1/entities?q= with a slip', () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  beforeAll(async () => {
    ctx = await createTestApp();
  });
  afterAll(() => ctx.app.close());
  const search = async (qs: string) => {
    const res = await ctx.app.inject(`/v1/entities?${qs}`);
    expect(res.statusCode, qs).toBe(200);
    const body = res.json() as { items: { id: string; type: string }[]; match: string; nextCursor: null };
    return { ids: body.items.map((e) => e.id), match: body.match, body };
  };

  it('answers the names a slip away when no name starts with what was typed, and says so', async () => {
    expect(await search('q=nvid')).toMatchObject({ match: 'prefix' });
    expect((await search('q=nvida')).ids[0]).toBe('nvidia');
    expect(await search('q=nvida')).toMatchObject({ match: 'near', body: { nextCursor: null } });
    expect((await search('q=deepsek')).ids).toContain('deepseek');
    expect((await search('q=semianalisys')).ids).toEqual(['semianalysis']);
    expect((await search('q=broadcomm')).ids).toEqual(['broadcom']);
    expect((await search('q=bloomberh')).ids).toEqual(['bloomberg']);
    // Of one type, before the limit.
    const products = await search('q=nvida&type=product&limit=2');
    expect(products.ids).toHaveLength(2);
    expect(products.body.items.every((e) => e.type === 'product')).toBe(true);
    // Nothing near: an empty page, still a near reading.
    expect(await search('q=qqqqzzzz')).toMatchObject({ ids: [], match: 'near' });
    expect(await search('q=xyz')).toMatchObject({ ids: [], match: 'near' });
  });

  it('finds an entity written a moment before', async () => {
    expect((await search('q=zhipo')).ids).toEqual([]);
    const now = new Date().toISOString();
    ctx.db.transaction(() =>
      ctx.store.entities.insert({ id: 'zhipu-ai', name: 'Zhipu AI', type: 'organization', aliases: [], description: null, wikidataId: null, homepage: null, revision: 1, createdAt: now, updatedAt: now }),
    )();
    expect((await search('q=zhipo')).ids).toEqual(['zhipu-ai']);
  });
});
