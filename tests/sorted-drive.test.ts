// Sorted pages of filtered lists are read one of three ways (src/claims/claims.sorted-drive.ts): the passing claims by
// doc id, a walk along the sort's index, or SQLite's own plan. The columns only choose which rows SQL reads, so every
// way must give the same pages, cursor after cursor, for every filter and every order.
import { describe, expect, it, vi } from 'vitest';
import { generate } from '../bench/generate.js';
import { createColumnSearch } from '../src/claims/claims.column-search.js';
import { createClaimFinder } from '../src/claims/claims.find.js';
import { ClaimListQuery, SORTS, toClaimFilters } from '../src/claims/claims.list-query.js';
import type { CursorPayload } from '../src/claims/claims.list-query.js';
import { createDocColumns } from '../src/search/doc-columns.js';
import { parseSearchQuery } from '../src/search/search-query.js';
import { createTestStore } from './helpers.js';

describe('sorted pages of filtered lists', () => {
  const { db } = createTestStore({ seed: false });
  generate(db, { claims: 1500 });
  // One claim retracted, so that includeRetracted means something here too.
  db.prepare("UPDATE claims SET retracted_at = '2026-01-01T00:00:00.000Z', retraction_reason = 'test' WHERE id = (SELECT min(id) FROM claims)").run();
  const one = <T>(sql: string) => db.prepare<[], T>(sql).pluck().get()!;
  const subject = one<string>('SELECT entity_id FROM claim_subjects GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1');
  const claimant = one<string>('SELECT claimant_id FROM claims WHERE claimant_id IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1');
  const source = one<string>('SELECT source_id FROM claim_citations GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1');
  const [qualifierKey, qualifierValue] = db
    .prepare<[], [string, string]>('SELECT key, value FROM claim_qualifiers GROUP BY 1, 2 ORDER BY count(*) DESC, 1, 2 LIMIT 1')
    .raw()
    .get()!;

  const prepare = vi.spyOn(db, 'prepare');
  const columnSearch = createColumnSearch(db, createDocColumns(db));
  // Each way forced: every passing claim by doc id; always a walk; always the planner (as when the columns are still
  // loading: then nothing is read from them).
  const ways = {
    docs: createClaimFinder(db, columnSearch, { sortedDrives: { docs: Number.MAX_SAFE_INTEGER, walkEntries: 0 } }),
    walk: createClaimFinder(db, columnSearch, { sortedDrives: { docs: 0, walkEntries: Number.POSITIVE_INFINITY } }),
    plan: createClaimFinder(db, { ...columnSearch, test: () => null }),
  };
  // A word in about one claim in ten, and one in a handful.
  const word = (share: number) =>
    db.prepare<[number], string>(
      "SELECT term FROM temp.vocab WHERE term GLOB '[a-z]*' ORDER BY abs(doc - ?), term LIMIT 1",
    ).pluck().get(share * 1500)!;
  db.exec("CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, 'claims_fts', 'row')");
  const [common, rare] = [word(0.1), word(0.003)];

  const FILTERS: Record<string, string>[] = [
    { kind: 'quote' },
    { verdict: 'accurate', includeRetracted: 'true' },
    { subject },
    { claimant },
    { source },
    { [`qualifier.${qualifierKey}`]: qualifierValue },
    { citationRole: 'primary', kind: 'forecast' },
    { unit: 'USD', valueMin: '1000000' },
    { unit: 'USD', valueMax: '5000' },
    { factFrom: '2024-01-01' },
    // Every dated claim passes, the one that starts earliest of all included: a walk starts at the index's first key.
    { factFrom: '2020-01-01' },
    { claimedFrom: '2020-01-01', kind: 'quote' },
    { factTo: '2021-06-30' },
    { claimedFrom: '2025-03-01', verdict: 'false' },
    { claimedTo: '2022-01-01' },
    { factFrom: '2023-01-01', factTo: '2023-12-31', unit: 'USD' },
    { q: common },
    { q: rare },
    { q: common, kind: 'quote' },
    { q: `${common} OR ${rare}`, claimedFrom: '2024-01-01' },
  ];

  /** Every id a finder lists for these parameters, page after page of 7. */
  function pages(finder: ReturnType<typeof createClaimFinder>, params: Record<string, string>): string[] {
    const parsed = ClaimListQuery.parse(params);
    const filters = toClaimFilters(parsed);
    const ids: string[] = [];
    let cursor: CursorPayload | null = null;
    for (let page = 0; page < 400; page++) {
      const query = parsed.q === undefined ? undefined : parseSearchQuery(parsed.q);
      const found = finder.find({ filters, query, snippets: false, sort: parsed.sort ?? 'id', cursor, limit: 7 });
      ids.push(...found.items.map((i) => i.id));
      if (found.next === null) return ids;
      cursor = found.next;
    }
    throw new Error('more pages than claims');
  }

  for (const sort of SORTS.filter((s) => s !== 'relevance')) {
    it(`gives the same pages every way, sorted by ${sort}`, () => {
      for (const filter of FILTERS) {
        const params = { ...filter, sort, ...(sort.endsWith('value') && !filter.unit ? { unit: 'USD' } : {}) };
        const planned = pages(ways.plan, params);
        expect(new Set(planned).size, JSON.stringify(params)).toBe(planned.length);
        if (filter.q !== undefined && !filter.claimedFrom && !sort.endsWith('value')) expect(planned.length, JSON.stringify(params)).toBeGreaterThan(1);
        expect(pages(ways.docs, params), JSON.stringify(params)).toEqual(planned);
        expect(pages(ways.walk, params), JSON.stringify(params)).toEqual(planned);
      }
    });
  }

  it('counts the same facets beside a sorted page of a search, from the hits it read once', () => {
    for (const sort of ['-claimedOn', 'updated', 'id'] as const)
      for (const params of [{ q: common }, { q: common, kind: 'quote' }]) {
        const parsed = ClaimListQuery.parse({ ...params, sort });
        const options = { filters: toClaimFilters(parsed), query: parseSearchQuery(common), snippets: false, sort, cursor: null, limit: 7 };
        const facets = ['kind', 'verdict', 'subject'] as const;
        const planned = ways.plan.find({ ...options, facets: [...facets] });
        const read = vi.spyOn(columnSearch, 'hitsPassing');
        const counted = ways.docs.find({ ...options, facets: [...facets] });
        expect(read).toHaveBeenCalledTimes(1);
        read.mockRestore();
        expect(counted.facets, `${sort} ${JSON.stringify(params)}`).toEqual(planned.facets);
        expect(counted.items.map((i) => i.id)).toEqual(planned.items.map((i) => i.id));
        expect(planned.facets!.kind!.length).toBeGreaterThan(0);
      }
  });

  it('really reads each way', () => {
    const texts = prepare.mock.calls.map(([sql]) => sql);
    expect(texts.some((sql) => sql.includes('json_each(@docs) d CROSS JOIN claims c'))).toBe(true);
    expect(texts.some((sql) => sql.includes('INDEXED BY claims_fact_first_day') && sql.includes('@keyFrom'))).toBe(true);
    expect(texts.some((sql) => sql.includes('INDEXED BY sqlite_autoindex_claims_1'))).toBe(true);
    // The planner's way for a search runs it in SQL; the others send its hits.
    expect(texts.some((sql) => sql.includes('json_each(@docs)') && sql.includes('value_sort'))).toBe(true);
    expect(texts.some((sql) => sql.includes('claims_doc_passes(c.doc_id)') && sql.includes('INDEXED BY claims_updated_at'))).toBe(true);
  });
});
