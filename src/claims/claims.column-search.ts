// Filters and facet counts through the columns the service keeps in memory (src/search/doc-columns.ts): a search's
// hits, read from FTS5 as doc ids, or every claim when there is no search, filtered by any of the list's filters and
// counted per facet value without a look-up in claims per claim (25 ms for the hits of a common word at a million
// claims, up to 19 s for every claim). claims.find.ts decides when this path applies.
import type { Db } from '../db/open.js';
import { type DocColumns, dayNumber, INLINE_VALUES } from '../search/doc-columns.js';
import type { ClaimFilters, Facet } from './claims.list-query.js';

/**
 * A test on doc ids, and, when the filters read a set of claims from SQL (a source's, a qualifier's), the smallest
 * such set: every claim that passes is in it.
 */
export type Keep = ((doc: number) => boolean) & { within: readonly number[] | null };

export function createColumnSearch(db: Db, columns: DocColumns) {
  // Hits come to JavaScript in whole arrays: stepping an iterator costs about 0.5 µs a row, three times as much.
  const allHits = db.prepare<{ match: string }, number>('SELECT rowid FROM claims_fts WHERE claims_fts MATCH @match').pluck();
  const hitsBefore = db.prepare<{ match: string; before: number; limit: number }, number>(
    'SELECT rowid FROM claims_fts WHERE claims_fts MATCH @match AND rowid < @before ORDER BY rowid DESC LIMIT @limit',
  ).pluck();

  // The claims of one source or qualifier, read whole for a filter; of one subject or claimant, read up to a cap
  // to count facets over them alone.
  const claimsWithSource = db.prepare<[string], number>(
    'SELECT c.doc_id FROM claim_citations ci JOIN claims c ON c.id = ci.claim_id WHERE ci.source_id = ?',
  ).pluck();
  const claimsOf = {
    subject: db.prepare<[string, number], number>(
      'SELECT c.doc_id FROM claim_subjects s JOIN claims c ON c.id = s.claim_id WHERE s.entity_id = ? LIMIT ?',
    ).pluck(),
    claimant: db.prepare<[string, number], number>('SELECT doc_id FROM claims WHERE claimant_id = ? LIMIT ?').pluck(),
  };
  const claimsWithQualifier = db.prepare<[string, string], number>(
    'SELECT c.doc_id FROM claim_qualifiers q JOIN claims c ON c.id = q.claim_id WHERE q.key = ? AND q.value = ?',
  ).pluck();

  /**
   * The filters as a test on doc ids over the in-memory columns, with the same meaning as their SQL in
   * claims.list-sql.ts; null when the columns cannot be brought up to date (still loading, or inside a transaction).
   */
  function test(filters: ClaimFilters): Keep | null {
    if (!columns.sync()) return null;
    const tests: ((doc: number) => boolean)[] = [];
    let within: number[] | null = null;
    // A value no claim has gets code -1, which no claim's code equals.
    const single = (column: 'kind' | 'verdict' | 'unit' | 'claimant', value: string) => {
      const codes = columns.codes(column);
      const code = columns.codeOf(column, value);
      tests.push((doc) => codes[doc] === code);
    };
    const multi = (column: 'subject' | 'citationRole', value: string) => {
      const values = columns.multi(column);
      const code = columns.codeOf(column, value);
      tests.push((doc) => values.has(doc, code));
    };
    // Sources and qualifiers are not in memory: their claims come from their indexes, once per request.
    const among = (docs: number[]) => {
      const set = new Set(docs);
      tests.push((doc) => set.has(doc));
      if (within === null || docs.length < within.length) within = docs;
    };
    const { factFirst, factLast, claimedFirst, claimedLast, valueLow, valueHigh } = columns.ranges();
    const f = filters;
    if (f.kind !== undefined) single('kind', f.kind);
    if (f.verdict !== undefined) single('verdict', f.verdict);
    if (f.unit !== undefined) single('unit', f.unit);
    if (f.claimant !== undefined) single('claimant', f.claimant);
    if (f.subject !== undefined) multi('subject', f.subject);
    if (f.citationRole !== undefined) multi('citationRole', f.citationRole);
    if (f.source !== undefined) among(claimsWithSource.all(f.source));
    for (const [key, value] of Object.entries(f.qualifiers ?? {})) among(claimsWithQualifier.all(key, value));
    // Comparator-aware value bounds and overlapping periods, as in SQL (claims.list-sql.ts CONDITIONS).
    if (f.valueMin !== undefined) {
      const min = f.valueMin;
      tests.push((doc) => valueHigh[doc]! >= min);
    }
    if (f.valueMax !== undefined) {
      const max = f.valueMax;
      tests.push((doc) => valueLow[doc]! <= max);
    }
    const dayTest = (bound: string | undefined, days: Int32Array, after: boolean) => {
      if (bound === undefined) return;
      const n = dayNumber(bound);
      tests.push(after ? (doc) => days[doc]! >= n : (doc) => days[doc]! <= n);
    };
    dayTest(f.factFrom, factLast, true);
    dayTest(f.factTo, factFirst, false);
    dayTest(f.claimedFrom, claimedLast, true);
    dayTest(f.claimedTo, claimedFirst, false);
    const keep = tests.length === 0 ? () => true : tests.length === 1 ? tests[0]! : (doc: number) => tests.every((t) => t(doc));
    return Object.assign(keep, { within });
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
    const { slots, count, more } = columns.multi('subject');
    return facets.map((facet) => {
      const tally = new Uint32Array(columns.cardinality(facet));
      for (const codes of facet === 'subject' ? slots : [columns.codes(facet)]) {
        for (let i = 0; i < n; i++) tally[codes[docs[i]!]!]!++;
      }
      if (facet === 'subject' && more.size > 0) {
        for (let i = 0; i < n; i++) if (count[docs[i]!]! > INLINE_VALUES) for (const code of more.get(docs[i]!)!) tally[code]!++;
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

  /**
   * Past this many claims, testing every claim in memory (30-50 ms at a million) is cheaper than reading them through
   * an index (about 3 µs each).
   */
  const INDEXED_CLAIMS_CAP = 5000;

  /**
   * Counts per value of the given facets over every claim that passes the filters, retracted ones only if asked for.
   * Under a source or qualifier filter, only the claims the test read for it are tested; under a subject or
   * claimant with few claims, only theirs.
   */
  function tallyAll(filters: ClaimFilters, keep: Keep, facets: Facet[]): Map<string, number>[] {
    const retracted = columns.retracted();
    const live = (doc: number) => filters.includeRetracted === true || retracted[doc] === 0;
    const testOnly = (docs: readonly number[]) => {
      // A claim may cite one source twice.
      const passing = Int32Array.from(new Set(docs)).filter((doc) => live(doc) && keep(doc));
      return countPerValue(passing, passing.length, facets);
    };
    if (keep.within !== null) return testOnly(keep.within);
    for (const name of ['subject', 'claimant'] as const) {
      const value = filters[name];
      if (value === undefined) continue;
      const docs = claimsOf[name].all(value, INDEXED_CLAIMS_CAP + 1);
      if (docs.length <= INDEXED_CLAIMS_CAP) return testOnly(docs);
    }
    const kinds = columns.codes('kind');
    const end = columns.size();
    const passing = new Int32Array(end);
    let n = 0;
    for (let doc = 1; doc < end; doc++) {
      // Every claim has a kind: code 0 is a doc id no claim holds.
      if (kinds[doc] !== 0 && live(doc) && keep(doc)) passing[n++] = doc;
    }
    return countPerValue(passing, n, facets);
  }

  return { test, newestHits, tallyHits, tallyAll, loaded: columns.loaded };
}

export type ColumnSearch = ReturnType<typeof createColumnSearch>;
