// "Did you mean" (src/search/spelling.ts): a search that found nothing, with a word no claim holds, respelled to the
// indexed word one edit away that the most claims hold, or a name two edits away; over HTTP, given only when the
// respelled search finds claims under the same filters, and linked from the search page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSearchQuery } from '../src/search/search-query.js';
import { editDistance, type Lexicon, MAX_RESPELLED, oneEditAway, respell } from '../src/search/spelling.js';
import { createTestApp } from './helpers.js';

/** A lexicon of words and how many claims hold each, with these entity name words. */
function lexiconOf(counts: Record<string, number>, names: string[] = []): Lexicon & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    holds: (word) => (asked.push(word), (counts[word] ?? 0) > 0),
    claimsHolding: (word, upTo) => Math.min(upTo, counts[word] ?? 0),
    nameWords: () => names,
  };
}
const respelled = (q: string, lexicon: Lexicon) => respell(q, parseSearchQuery(q), lexicon);

describe('words one edit away', () => {
  it('are every deletion, transposition, substitution and insertion of a letter, once each, the word left out', () => {
    const edits = oneEditAway('cat');
    expect(new Set(edits).size).toBe(edits.length);
    expect(edits).not.toContain('cat');
    for (const w of ['at', 'ct', 'ca', 'act', 'cta', 'bat', 'cut', 'cab', 'scat', 'cart', 'cats']) expect(edits).toContain(w);
    expect(edits.every((w) => editDistance('cat', w, 2) === 1)).toBe(true);
    // 3 deletions, 2 transpositions, 3 x 25 substitutions, 4 x 26 insertions, less the insertions that repeat a letter
    // beside its twin (ccat twice, caat twice, catt twice).
    expect(edits).toHaveLength(3 + 2 + 75 + 104 - 3);
  });

  it('measure the distance with a swap of neighbours as one edit, and stop counting past the bound', () => {
    expect(editDistance('nvidai', 'nvidia', 2)).toBe(1);
    expect(editDistance('semianalisys', 'semianalysis', 2)).toBe(2);
    expect(editDistance('broadcom', 'broadcom', 2)).toBe(0);
    expect(editDistance('kitten', 'sitting', 5)).toBe(3);
    expect(editDistance('kitten', 'sitting', 2)).toBe(3);
    expect(editDistance('a', 'abcd', 2)).toBe(3);
  });
});

describe('respelling a search', () => {
  it('replaces each word no claim holds by the one a single edit away that the most claims hold, in the case typed', () => {
    const lexicon = lexiconOf({ nvidia: 40, market: 100, cap: 30, nvidias: 1 });
    expect(respelled('Nvidai market cap', lexicon)).toBe('Nvidia market cap');
    expect(respelled('NVIDAI', lexicon)).toBe('NVIDIA');
    expect(respelled('"nvidai market" OR nvidai*', lexicon)).toBe('"nvidia market" OR nvidai*');
    // Ties go to the first alphabetically, whatever order the edits come in.
    expect(respelled('bxat', lexiconOf({ boat: 5, brat: 5, beat: 5 }))).toBe('beat');
    expect(respelled('bxat', lexiconOf({ boat: 5, brat: 6, beat: 5 }))).toBe('brat');
  });

  it('leaves alone what it must not change: numbers, words after NOT, a prefix, words held in another form, operators', () => {
    const lexicon = lexiconOf({ nvidia: 40, market: 100, marketz: 0, gpus: 9, and: 1000, not: 1000 });
    // Nothing to respell, or nothing one edit away.
    expect(respelled('nvidia market', lexicon)).toBeNull();
    expect(respelled('5.577 nvidia', lexicon)).toBeNull();
    expect(respelled('market NOT nvidai', lexicon)).toBeNull();
    expect(respelled('nvida*', lexicon)).toBeNull();
    // "gpu" is searched as GPUs too, which claims hold: found as typed (also too short to respell).
    expect(respelled('GPU market', lexicon)).toBeNull();
    expect(respelled('xqzzyx', lexicon)).toBeNull();
    // Typed in capitals, "and" or "not" would be operators.
    expect(respelled('ANDD NOTT market', lexicon)).toBeNull();
    // Words shorter than 4 letters are too near too many others.
    expect(respelled('nvd', lexiconOf({ nvd: 0, nvda: 3 }))).toBeNull();
  });

  it('takes a name two edits away when nothing is one edit away, for long words only', () => {
    const lexicon = lexiconOf({ semianalysis: 12, nvidia: 40 }, ['semianalysis', 'nvidia', 'sensor', 'tower']);
    expect(respelled('Semianalisys', lexicon)).toBe('Semianalysis');
    expect(respelled('nvdiaa', lexicon)).toBe('nvidia');
    // Two edits from a name no claim holds, or from a word that is not a name: nothing.
    expect(respelled('sensro towre', lexicon)).toBeNull();
    expect(respelled('nviiaa', lexiconOf({ nvidia: 40 }, []))).toBeNull();
  });

  it('respells into names only when asked to, and never the words a question is written with', () => {
    const lexicon = lexiconOf({ nvidia: 40, funded: 2, such: 5, market: 9 }, ['nvidia']);
    expect(respelled('nvidai market', lexicon)).toBe('nvidia market');
    expect(respell('nvidai market', parseSearchQuery('nvidai market'), lexicon, true)).toBe('nvidia market');
    expect(respelled('founded', lexicon)).toBe('funded');
    expect(respell('founded', parseSearchQuery('founded'), lexicon, true)).toBeNull();
    // "much" is one edit from "such", which claims hold; but it only makes a question.
    expect(respelled('how much market', lexicon)).toBeNull();
  });

  it(`respells at most ${MAX_RESPELLED} words of a search, asking the index a bounded number of times`, () => {
    const lexicon = lexiconOf({ alpha: 1, bravo: 1, delta: 1, gamma: 1 });
    expect(respelled('alpah bravp deltq gammx', lexicon)).toBe('alpha bravo delta gammx');
    const long = lexiconOf({});
    respelled('abcdefghijklmnopqrst abcdefghijklmnopqrsu abcdefghijklmnopqrsv abcdefghijklmnopqrsw', long);
    // Each word, then at most the edits of three 20-letter words.
    expect(long.asked.length).toBeLessThanOrEqual(4 + MAX_RESPELLED * (20 + 19 + 20 * 25 + 21 * 26));
  });
});

describe('did you mean, over HTTP', () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  beforeAll(async () => {
    ctx = await createTestApp();
  });
  afterAll(() => ctx.app.close());
  const get = async (qs: string) => {
    const res = await ctx.app.inject(`/v1/claims?${qs}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { items: { id: string; kind: string }[]; match: string; suggestion?: string };
  };
  const search = (q: string, more = '') => get(`q=${encodeURIComponent(q)}${more}`);

  it('suggests the search respelled when it found nothing as written, and the suggestion finds the claims meant', async () => {
    const typo = await search('Nvidai market cap');
    // Relaxed, it lists every market-cap claim; the suggestion is the search meant.
    expect(typo.match).toBe('any');
    expect(typo.suggestion).toBe('Nvidia market cap');
    const meant = await search(typo.suggestion!);
    expect(meant.match).toBe('all');
    expect(meant.items.map((c) => c.id)).toEqual(expect.arrayContaining(['nvidia-market-cap-loss-2025-01-27-bloomberg', 'nvidia-market-cap-loss-2025-01-27-cnbc']));
    expect(meant.suggestion).toBeUndefined();
    expect((await search('Semianalisys')).suggestion).toBe('Semianalysis');
    expect((await search('Broadcomm')).suggestion).toBe('Broadcom');
  });

  it('suggests nothing for a search that finds claims, a figure, or a word with nothing near', async () => {
    for (const q of ['nvidia market cap', 'deepseek', '5.577', '$801 billion', 'xqzzyx']) expect((await search(q)).suggestion, q).toBeUndefined();
  });

  it('respells only names where the relaxed reading found claims, and any word where nothing was found', async () => {
    // Relaxed, these find DeepSeek's and the cost claims; "founded" is no slip for "funded", nor "much" for "such".
    for (const q of ['who founded DeepSeek', 'how much did DeepSeek spend on training', 'tranining costs']) {
      const found = await search(q);
      expect(found.match, q).toBe('any');
      expect(found.suggestion, q).toBeUndefined();
    }
    expect((await search('tranining')).suggestion).toBe('training');
    // A question whose one word asked after is mistyped finds nothing, relaxed or not: respelled, it finds claims.
    const question = await search('what did Semianalysys claim');
    expect(question.items).toEqual([]);
    expect(question.suggestion).toBe('what did Semianalysis claim');
    expect((await search(question.suggestion!)).items.length).toBeGreaterThan(5);
  });

  it('suggests only a search that finds claims under the same filters, read as asked', async () => {
    const broadcomKinds = new Set((await search('Broadcom')).items.map((c) => c.kind));
    const other = (await get('limit=100')).items.map((c) => c.kind).find((k) => !broadcomKinds.has(k))!;
    expect((await search('Broadcomm', `&kind=${[...broadcomKinds][0]}`)).suggestion).toBe('Broadcom');
    expect((await search('Broadcomm', `&kind=${other}`)).suggestion).toBeUndefined();
    // With match=any asked for, the suggestion is read that way too.
    expect((await search('Nvidai xqzzyx', '&match=any')).suggestion).toBe('Nvidia xqzzyx');
    expect((await search('Nvidai xqzzyx')).suggestion).toBe('Nvidia xqzzyx');
  });

  it('links the suggestion from the search page, with the filters kept', async () => {
    const res = await ctx.app.inject(`/search?q=${encodeURIComponent('Broadcomm')}&verdict=accurate_with_caveats`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Did you mean <a href="/search?q=Broadcom&amp;verdict=accurate_with_caveats">Broadcom</a>?');
    expect((await ctx.app.inject('/search?q=Broadcom')).body).not.toContain('Did you mean');
  });
});
