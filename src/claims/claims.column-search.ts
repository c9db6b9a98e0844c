// Filters and facet counts through the columns the service keeps in memory (src/search/doc-columns.ts): a search's
// hits, read from FTS5 as doc ids, or every claim when there is no search, filtered by kind, verdict, unit, claimant
// or subject and counted per facet value without a look-up in claims per claim (25 ms for the hits of a common word
// at a million claims, seconds for every claim). claims.find.ts decides when this path applies.
import type { Db } from '../db/open.js';
import { type Codes, type DocColumns, INLINE_SUBJECTS } from '../search/doc-columns.js';
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

  /** Counts per value of each facet, added to by `add(doc)` for each claim that passes. */
  function tallies(facets: Facet[]) {
    const counts = facets.map((f) => new Uint32Array(columns.cardinality(f)));
    const single: [Codes, Uint32Array][] = [];
    let subject: Uint32Array | null = null;
    facets.forEach((f, i) => {
      if (f === 'subject') subject = counts[i]!;
      else single.push([columns.codes(f), counts[i]!]);
    });
    const { slots, count, more } = columns.subjects();
    const [s0, s1, s2] = slots as [Codes, Codes, Codes];
    const add = (doc: number) => {
      for (let i = 0; i < single.length; i++) single[i]![1][single[i]![0][doc]!]!++;
      if (subject !== null) {
        // Code 0 is "no subject in this slot"; it is never reported.
        subject[s0[doc]!]!++;
        subject[s1[doc]!]!++;
        subject[s2[doc]!]!++;
        if (count[doc]! > INLINE_SUBJECTS) for (const code of more.get(doc)!) subject[code]!++;
      }
    };
    const result = () =>
      facets.map((facet, i) => {
        const byValue = new Map<string, number>();
        counts[i]!.forEach((n, code) => {
          if (code !== 0 && n > 0) byValue.set(columns.valueOf(facet, code), n);
        });
        return byValue;
      });
    return { add, result };
  }

  /**
   * Every hit of a search, through the in-memory columns: the counts per value of the passing hits for the given
   * facets, and the newest `take` of them.
   */
  function tallyHits(match: string, keep: (doc: number) => boolean, take: number, facets: Facet[]) {
    const tally = tallies(facets);
    const taken: number[] = [];
    const docs = allHits.all({ match }); // in rowid order
    for (let d = docs.length - 1; d >= 0; d--) {
      const doc = docs[d]!;
      if (!keep(doc)) continue;
      if (taken.length < take) taken.push(doc);
      tally.add(doc);
    }
    return { taken, counts: tally.result() };
  }

  /** Counts per value of the given facets over every claim that passes, retracted ones only if asked for. */
  function tallyAll(keep: (doc: number) => boolean, includeRetracted: boolean, facets: Facet[]): Map<string, number>[] {
    const tally = tallies(facets);
    const kinds = columns.codes('kind');
    const retracted = columns.retracted();
    for (let doc = 1, end = columns.size(); doc < end; doc++) {
      // Every claim has a kind: code 0 is a doc id no claim holds.
      if (kinds[doc] === 0 || (retracted[doc] === 1 && !includeRetracted) || !keep(doc)) continue;
      tally.add(doc);
    }
    return tally.result();
  }

  return { test, newestHits, tallyHits, tallyAll };
}

export type ColumnSearch = ReturnType<typeof createColumnSearch>;
