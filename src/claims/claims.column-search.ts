// Filters and facet counts through the columns the service keeps in memory (src/search/doc-columns.ts): a search's
// hits, read from FTS5 as doc ids, or every claim when there is no search, filtered by kind, verdict, unit, claimant
// or subject and counted per facet value without a look-up in claims per claim (25 ms for the hits of a common word
// at a million claims, seconds for every claim). claims.find.ts decides when this path applies.
import type { Db } from '../db/open.js';
import { type DocColumns, INLINE_SUBJECTS } from '../search/doc-columns.js';
import type { ClaimFilters, Facet } from './claims.list-query.js';
import type { ColumnFacet } from './claims.list-sql.js';

/** Filters that are in-memory columns, by filter name. */
const COLUMN_FILTERS: Partial<Record<keyof ClaimFilters, ColumnFacet | 'subject'>> = {
  kind: 'kind',
  verdict: 'verdict',
  unit: 'unit',
  claimant: 'claimant',
  subject: 'subject',
};

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
    const wanted: [ColumnFacet | 'subject', string][] = [];
    for (const [name, value] of Object.entries(filters)) {
      if (value === undefined || name === 'includeRetracted') continue;
      const column = COLUMN_FILTERS[name as keyof ClaimFilters];
      if (column === undefined) return null;
      wanted.push([column, String(value)]);
    }
    if (!columns.sync()) return null;
    // A value no claim has gets code -1, which no claim's code equals.
    const tests = wanted.map(([column, value]): ((doc: number) => boolean) => {
      const code = columns.codeOf(column, value);
      if (column === 'subject') return (doc) => hasSubject(doc, code);
      const codes = columns.codes(column);
      return (doc) => codes[doc] === code;
    });
    if (tests.length === 0) return () => true;
    if (tests.length === 1) return tests[0]!;
    return (doc) => tests.every((t) => t(doc));
  }

  function hasSubject(doc: number, code: number): boolean {
    const { slots, count, more } = columns.subjects();
    if (slots[0]![doc] === code || slots[1]![doc] === code || slots[2]![doc] === code) return true;
    return count[doc]! > INLINE_SUBJECTS && more.get(doc)!.includes(code);
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
   * Counts per value of each facet over the first `n` docs of `docs`. One tight loop per facet (and per subject
   * slot) over the docs: a loop that reads every facet per doc runs at a third of the speed.
   */
  function countPerValue(docs: Int32Array, n: number, facets: Facet[]): Map<string, number>[] {
    const { slots, count, more } = columns.subjects();
    return facets.map((facet) => {
      const tally = new Uint32Array(columns.cardinality(facet));
      for (const codes of facet === 'subject' ? slots : [columns.codes(facet)]) {
        for (let i = 0; i < n; i++) tally[codes[docs[i]!]!]!++;
      }
      if (facet === 'subject' && more.size > 0) {
        for (let i = 0; i < n; i++) if (count[docs[i]!]! > INLINE_SUBJECTS) for (const code of more.get(docs[i]!)!) tally[code]!++;
      }
      // Code 0 is "no value" (or an empty subject slot); it is never reported.
      const byValue = new Map<string, number>();
      tally.forEach((c, code) => {
        if (code !== 0 && c > 0) byValue.set(columns.valueOf(facet, code), c);
      });
      return byValue;
    });
  }

  /**
   * Every hit of a search, through the in-memory columns: the counts per value of the passing hits for the given
   * facets, and the newest `take` of them.
   */
  function tallyHits(match: string, keep: (doc: number) => boolean, take: number, facets: Facet[]) {
    const hits = allHits.all({ match }); // in rowid order
    const passing = new Int32Array(hits.length);
    let n = 0;
    for (let d = hits.length - 1; d >= 0; d--) if (keep(hits[d]!)) passing[n++] = hits[d]!;
    return { taken: Array.from(passing.subarray(0, Math.min(n, take))), counts: countPerValue(passing, n, facets) };
  }

  /** Counts per value of the given facets over every claim that passes, retracted ones only if asked for. */
  function tallyAll(keep: (doc: number) => boolean, includeRetracted: boolean, facets: Facet[]): Map<string, number>[] {
    const kinds = columns.codes('kind');
    const retracted = columns.retracted();
    const end = columns.size();
    const passing = new Int32Array(end);
    let n = 0;
    for (let doc = 1; doc < end; doc++) {
      // Every claim has a kind: code 0 is a doc id no claim holds.
      if (kinds[doc] !== 0 && (includeRetracted || retracted[doc] === 0) && keep(doc)) passing[n++] = doc;
    }
    return countPerValue(passing, n, facets);
  }

  return { test, newestHits, tallyHits, tallyAll };
}

export type ColumnSearch = ReturnType<typeof createColumnSearch>;
