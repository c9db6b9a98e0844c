// Words a search treats as the same (src/search/equivalents.ts): "Nvidia market cap" must find Bloomberg's "$589
// billion from its market capitalization", and a quoted phrase is still searched as written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSearchQuery } from '../src/search/search-query.js';
import { indexText } from '../src/search/search-text.js';
import { createTestApp } from './helpers.js';

let ctx: Awaited<ReturnType<typeof createTestApp>>;
beforeAll(async () => {
  ctx = await createTestApp();
});
afterAll(() => ctx.app.close());

async function search(q: string): Promise<{ id: string; snippet: string }[]> {
  const res = await ctx.app.inject(`/v1/claims?limit=100&q=${encodeURIComponent(q)}`);
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { items: { id: string; snippet: string }[] }).items;
}
const ids = async (q: string) => (await search(q)).map((i) => i.id).sort();

const BLOOMBERG = 'nvidia-market-cap-loss-2025-01-27-bloomberg';

describe('equivalent words', () => {
  it('are searched as alternatives of an unquoted word, and not of a quoted one or a prefix', () => {
    expect(parseSearchQuery('market cap').match).toBe('"market" AND ("cap" OR "capitalization" OR "capitalisation")');
    expect(parseSearchQuery('Capitalisation').match).toBe('("Capitalisation" OR "cap" OR "capitalization")');
    expect(parseSearchQuery('"market cap"').match).toBe('"market cap"');
    expect(parseSearchQuery('"cap"').match).toBe('"cap"');
    expect(parseSearchQuery('cap*').match).toBe('"cap"*');
    expect(parseSearchQuery('data centres').match).toBe('"data" AND ("centres" OR "centers")');
    // A word with equivalents is not one every match holds.
    expect(parseSearchQuery('market cap').required).toEqual(['market']);
  });

  it('include a magnitude letter only as the suffix of a number typed with it', () => {
    const n800 = indexText('800');
    expect(parseSearchQuery('$800B').match).toBe(`("${n800} B" OR "${n800} bn" OR "${n800} billion")`);
    expect(parseSearchQuery('800bn').match).toBe(`("${n800} bn" OR "${n800} b" OR "${n800} billion")`);
    // On their own, b, m and t are too often something else (Series B, I'm, don't).
    expect(parseSearchQuery('Series B').match).toBe('"Series" AND "B"');
    expect(parseSearchQuery('800 B').match).toBe(`"${n800}" AND "B"`);
    // But whole abbreviations are equivalents anywhere.
    expect(parseSearchQuery('589 bn').match).toBe(`"589" AND ("bn" OR "billion")`);
  });

  it('keep a term to at most 8 ways of writing it', () => {
    // 2,048 and 2048 times b, bn and billion: 6.
    expect(parseSearchQuery('2,048bn').match.split(' OR ')).toHaveLength(6);
    // A run of several words with equivalents stops expanding at 8.
    expect(parseSearchQuery('market-cap-centre-licence-labour').match.split(' OR ').length).toBeLessThanOrEqual(8);
  });

  it('find on the seed what the same words written otherwise say', async () => {
    // Bloomberg wrote "market capitalization"; CNBC "market cap".
    expect(await ids('Nvidia market cap')).toContain(BLOOMBERG);
    expect(await ids('market capitalisation')).toEqual(await ids('market capitalization'));
    expect(await ids('market capitalization')).toEqual(await ids('market cap'));
    // Quoted, "market cap" is those words only: Bloomberg's statement and quote say capitalization.
    expect(await ids('"market cap"')).not.toContain(BLOOMBERG);
    expect((await ids('"market cap"')).length).toBeGreaterThan(0);
    // $589bn and $589B find "$589 billion".
    expect(await ids('$589bn')).toContain(BLOOMBERG);
    expect(await ids('$589B')).toContain(BLOOMBERG);
    // The V3 cost's caveat says "data centres".
    expect(await ids('data centers')).toContain('deepseek-v3-training-cost');
    expect(await ids('data centers')).toEqual(await ids('data centres'));
  });

  it('are marked in snippets as the query words are', async () => {
    const hit = (await search('Nvidia market cap')).find((i) => i.id === BLOOMBERG)!;
    expect(hit.snippet).toContain('<mark>market capitalization</mark>');
  });
});
