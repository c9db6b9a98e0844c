// Searches through the columns the service keeps in memory (src/search/doc-columns.ts): a search's hits, read from
// FTS5 as doc ids, filtered by kind, verdict, unit or claimant and counted per facet value without a look-up in
// claims per hit (25 ms for a common word at a million claims). claims.find.ts decides when this path applies.
import type { Db } from '../db/open.js';
import type { DocColumns } from '../search/doc-columns.js';
import type { ClaimFilters } from './claims.list-query.js';
import type { ColumnFacet } from './claims.list-sql.js';

/** Filters that are in-memory columns, by filter name. */
const COLUMN_FILTERS: Partial<Record<keyof ClaimFilters, ColumnFacet>> = { kind: 'kind', verdict: 'verdict', unit: 'unit', claimant: 'claimant' };

export function createColumnSearch(db: Db, columns: DocColumns) {
  // Hits come to JavaScript in whole arrays: stepping an iterator costs about 0.5 µs a row, three times as much.
  const allHits = db.prepare<{ match: string }, number>('SELECT rowid FROM claims_fts WHERE claims_fts MATCH @match').pluck();
  const hitsBefore = db.prepare<{ match: string; before: number; limit: number }, number>(
    'SELECT rowid FROM claims_fts WHERE claims_fts MATCH @match AND rowid < @before ORDER BY rowid DESC LIMIT @limit',
  ).pluck();

  /**
   * The filters as a test on doc ids over the in-memory columns, or null when one of them needs SQL (or the columns
   * cannot be brought up to date, inside a transaction).
   */
  function test(filters: ClaimFilters): ((doc: number) => boolean) | null {
    const wanted: [ColumnFacet, string][] = [];
    for (const [name, value] of Object.entries(filters)) {
      if (value === undefined || name === 'includeRetracted') continue;
      const column = COLUMN_FILTERS[name as keyof ClaimFilters];
      if (column === undefined) return null;
      wanted.push([column, String(value)]);
    }
    if (!columns.sync()) return null;
    // A value no claim has gets code -1, which no claim's code equals.
    const tests = wanted.map(([column, value]) => ({ codes: columns.codes(column), code: columns.codeOf(column, value) }));
    if (tests.length === 0) return () => true;
    if (tests.length === 1) {
      const { codes, code } = tests[0]!;
      return (doc) => codes[doc] === code;
    }
    return (doc) => tests.every(({ codes, code }) => codes[doc] === code);
  }

  /**
   * The newest `take` hits of a search older than `before` that pass the test, through the in-memory columns, read
   * in batches from the newest down.
   */
  function newestHits(match: string, keep: (doc: number) => boolean, take: number, before: number): number[] {
    const taken: number[] = [];
    const batch = Math.max(256, take * 4);
    for (let from = before; taken.length < take; ) {
      const docs = hitsBefore.all({ match, before: from, limit: batch });
      for (const doc of docs) if (keep(doc) && taken.length < take) taken.push(doc);
      if (docs.length < batch) break;
      from = docs[docs.length - 1]!;
    }
    return taken;
  }

  /**
   * Every hit of a search, through the in-memory columns: the counts per value of the passing hits for the given
   * facets, and the newest `take` of them.
   */
  function tallyHits(match: string, keep: (doc: number) => boolean, take: number, facets: ColumnFacet[]) {
    const codes = facets.map((f) => columns.codes(f));
    const tallies = facets.map((f) => new Uint32Array(columns.cardinality(f)));
    const taken: number[] = [];
    const docs = allHits.all({ match }); // in rowid order
    for (let d = docs.length - 1; d >= 0; d--) {
      const doc = docs[d]!;
      if (!keep(doc)) continue;
      if (taken.length < take) taken.push(doc);
      for (let i = 0; i < codes.length; i++) tallies[i]![codes[i]![doc]!]!++;
    }
    const counts = facets.map((facet, i) => {
      const byValue = new Map<string, number>();
      tallies[i]!.forEach((n, code) => {
        if (code !== 0 && n > 0) byValue.set(columns.valueOf(facet, code), n);
      });
      return byValue;
    });
    return { taken, counts };
  }

  return { test, newestHits, tallyHits };
}

export type ColumnSearch = ReturnType<typeof createColumnSearch>;
