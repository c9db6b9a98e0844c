// The forms of a word a search also finds (src/search/word-forms.ts): equivalents ("Nvidia market cap" must find
// Bloomberg's "$589 billion from its market capitalization") and plurals or singulars (GPU, GPUs); forms no claim
// holds are dropped before searching, which changes no score; a quoted phrase is still searched as written.
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { otherGrammaticalNumbers } from '../src/search/word-forms.js';
import { narrowSearchQuery, parseSearchQuery } from '../src/search/search-query.js';
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
/** The FTS5 query searched when the index holds only these of the forms the query adds. */
const narrowed = (q: string, held: string[] = []) => narrowSearchQuery(parseSearchQuery(q), (t) => held.includes(t)).match;

const BLOOMBERG = 'nvidia-market-cap-loss-2025-01-27-bloomberg';

describe('equivalent words', () => {
  it('are searched as alternatives of an unquoted word, and not of a quoted one or a prefix', () => {
    expect(parseSearchQuery('cap').match).toBe(
      '("cap" OR "caps" OR "capitalization" OR "capitalizations" OR "capitalisation" OR "capitalisations")',
    );
    expect(narrowed('market cap', ['"capitalization"'])).toBe('"market" AND ("cap" OR "capitalization")');
    expect(narrowed('Capitalisation', ['"cap"'])).toBe('("Capitalisation" OR "cap")');
    expect(parseSearchQuery('"market cap"').match).toBe('"market cap"');
    expect(parseSearchQuery('cap*').match).toBe('"cap"*');
    // A plural finds its singular's equivalents.
    expect(narrowed('data centres', ['"centre"', '"center"', '"centers"'])).toBe('"data" AND ("centres" OR "centre" OR "center" OR "centers")');
  });

  it('include a magnitude letter only as the suffix of a number typed with it', () => {
    const n800 = indexText('800');
    expect(parseSearchQuery('$800B').match).toBe(`("${n800} B" OR "${n800} bn" OR "${n800} billion")`);
    expect(parseSearchQuery('800bn').match).toBe(`("${n800} bn" OR "${n800} b" OR "${n800} billion")`);
    // On their own, b, m and t are too often something else (Series B, I'm, don't).
    expect(parseSearchQuery('Series B').match).toBe('"Series" AND "B"');
    expect(narrowed('800 B')).toBe(`"${n800}" AND "B"`);
    // But whole abbreviations are equivalents anywhere.
    expect(narrowed('market bn', ['"billion"'])).toBe(`"market" AND ("bn" OR "billion")`);
  });

  it('join a number and its magnitude word typed apart, as if typed together', () => {
    const n16 = indexText('1.6');
    // $1.6 billion finds $1.6B and $1.6bn, next to each other only.
    expect(parseSearchQuery('$1.6 billion').match).toBe(`("${n16} billion" OR "${n16} b" OR "${n16} bn")`);
    expect(narrowed('589 bn', ['"589 billion"'])).toBe('("589 bn" OR "589 billion")');
    expect(parseSearchQuery('1.6 billion dollars').match).toBe(`("${n16} billion" OR "${n16} b" OR "${n16} bn") AND ("dollars" OR "dollar")`);
    // Not a single letter (800 B), nor across a quote or an operator.
    expect(parseSearchQuery('800 B').match).toBe('"800" AND "B"');
    expect(parseSearchQuery('"1.6" billion').match).toBe(`"${n16}" AND ("billion" OR "billions" OR "bn")`);
    expect(parseSearchQuery('1.6 OR billion').match).toBe(`("${n16}" OR ("billion" OR "billions" OR "bn"))`);
  });

  it('keep a term to at most 8 ways of writing it', () => {
    // 2,048 and 2048 times b, bn and billion: 6.
    expect(parseSearchQuery('2,048bn').match.split(' OR ')).toHaveLength(6);
    // A run of several words with other forms stops adding them at 8.
    expect(parseSearchQuery('market-cap-centre-licence-labour').match.split(' OR ').length).toBe(8);
  });

  it('find on the seed what the same words written otherwise say', async () => {
    // SemiAnalysis's figures are written $1.6B; a reader types $1.6 billion.
    expect(await ids('$1.6 billion')).toEqual(await ids('$1.6B'));
    expect(await ids('1.6 billion')).toContain('semianalysis-deepseek-server-capex');
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

  it("include a month's name and its abbreviations, which are names: no plural, and not reached from one", async () => {
    expect(parseSearchQuery('January').match).toBe('("January" OR "jan")');
    expect(parseSearchQuery('sept').match).toBe('("sept" OR "september" OR "sep")');
    // Mars is not the plural of Mar, nor March's.
    expect(parseSearchQuery('Mars').match).not.toContain('march');
    expect(parseSearchQuery('March').match).toBe('("March" OR "mar")');
    expect(parseSearchQuery('"January"').match).toBe('"January"');
    // LSEG's loss is dated "27 Jan 2025"; its source's title says January.
    const lseg = 'nvidia-market-cap-loss-2025-01-27-lseg';
    expect(await ids('Jan 2025')).toContain(lseg);
    expect(await ids('January 2025')).toEqual(await ids('Jan 2025'));
    expect(await ids('September 2024')).toEqual(await ids('Sept 2024'));
    expect((await ids('September 2024')).length).toBeGreaterThan(0);
    const hit = (await search('January 27')).find((i) => i.id === lseg)!;
    // Marks next to each other are one.
    expect(hit.snippet).toContain('<mark>27 Jan</mark>');
  });

  it('are marked in snippets as the query words are', async () => {
    const hit = (await search('Nvidia market cap')).find((i) => i.id === BLOOMBERG)!;
    expect(hit.snippet).toContain('<mark>market capitalization</mark>');
  });
});

describe('plurals and singulars', () => {
  it('follow the regular English rules, every reading where the rules cannot tell', () => {
    const other = (w: string) => otherGrammaticalNumbers(w);
    expect(['cost', 'costs', 'company', 'companies', 'tax', 'taxes', 'loss', 'losses', 'key'].map(other)).toEqual([
      ['costs'], ['cost'], ['companies'], ['company', 'companie'], ['taxes'], ['tax', 'taxe'], ['losses'], ['loss'], ['keys'],
    ]);
    // GPUs is a plural, status is not; analysis has analyses, taxis is one.
    expect(other('GPUs')).toEqual(['gpuses', 'gpu']);
    expect(other('analysis')).toEqual(['analyses', 'analysi']);
    expect(other('analyses')).toEqual(['analysis', 'analyse']);
    // Both readings where the rules cannot tell: movies (movie) beside companies (company), shoes beside heroes.
    expect(['movies', 'heroes', 'shoes', 'photo'].map(other)).toEqual([
      ['movy', 'movie'], ['hero', 'heroe'], ['sho', 'shoe'], ['photos', 'photoes'],
    ]);
    // The s after a name ending in digits may be left out (H800s, H800); not after a number (the 1990s).
    const formsOf = (q: string) => parseSearchQuery(q).highlight[0]!.alternatives ?? [];
    expect(formsOf('H800s')).toContainEqual(['H800']);
    expect(formsOf('A100s')).toContainEqual(['A100']);
    expect(formsOf('1990s').every((f) => f.length === 2)).toBe(true);
    // Not for short words, numbers, other scripts, or words whose s is not a plural's.
    expect(['us', 'has', 'H800', '5.576', 'Zürich', 'news', 'series'].map(other)).toEqual([[], [], [], [], [], [], []]);
  });

  it('are dropped when no claim holds them, so the word is searched alone', () => {
    expect(parseSearchQuery('GPU').match).toBe('("GPU" OR "gpus")');
    expect(narrowed('GPU')).toBe('"GPU"');
    expect(narrowed('GPU', ['"gpus"'])).toBe('("GPU" OR "gpus")');
    expect(parseSearchQuery('"GPUs"').match).toBe('"GPUs"');
    expect(parseSearchQuery('GPU*').match).toBe('"GPU"*');
    // The word as typed stays, held or not.
    expect(narrowed('zyzzogetons')).toBe('"zyzzogetons"');
  });

  it('find the same claims whichever the reader types', async () => {
    expect(await ids('export control')).toEqual(await ids('export controls'));
    expect(await ids('export control')).toContain('us-export-controls-2022-10-07');
    expect(await ids('H800 GPU')).toEqual(await ids('H800 GPUs'));
    // A name ending in digits takes its plural's s as a word of its own in the index (H800s: H800, s).
    expect(await ids('H800s')).toEqual(await ids('H800'));
    expect((await ids('"H800s"')).length).toBeLessThan((await ids('H800')).length);
    expect((await ids('"H800s"')).length).toBeGreaterThan(0);
    // Quoted, the plural only.
    expect((await ids('"H800 GPUs"')).length).toBeLessThan((await ids('H800 GPU')).length);
  });

  it('change no score when dropped: a form no row holds adds exactly 0 to bm25', () => {
    const db = new Database(':memory:');
    db.exec("CREATE VIRTUAL TABLE t USING fts5 (statement, body, tokenize = 'unicode61 remove_diacritics 2')");
    const insert = db.prepare('INSERT INTO t (statement, body) VALUES (?, ?)');
    for (let i = 0; i < 300; i++) insert.run(`gpu ${'cost '.repeat(i % 7)}claim ${i % 3 ? 'gpu' : 'chip'}`, `body ${i % 5 ? 'gpu' : ''}`);
    const scores = (match: string) => db.prepare('SELECT rowid, bm25(t, 10.0, 1.0) FROM t WHERE t MATCH ? ORDER BY rowid').raw().all(match);
    expect(scores('("gpu" OR "gpus") AND "claim"')).toEqual(scores('"gpu" AND "claim"'));
    expect(scores('"claim" AND ("cost" OR "costs" OR "gpu")')).toEqual(scores('"claim" AND ("cost" OR "gpu")'));
    db.close();
  });
});
