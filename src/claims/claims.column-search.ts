// Filters and facet counts through the columns the service keeps in memory (src/search/doc-columns.ts): a search's
// hits, read from FTS5 as doc ids, or every claim when there is no search, filtered by any of the list's filters and
// counted per facet value without a look-up in claims per claim (25 ms for the hits of a common word at a million
// claims, up to 19 s for every claim). claims.find.ts decides when this path applies.
import type { Db } from '../db/open.js';
import { type DocColumns, dayNumber, INLINE_VALUES, VALUE_HIGH_OPEN, VALUE_LOW_OPEN } from '../search/doc-columns.js';
import type { ClaimFilters, Facet } from './claims.list-query.js';

/**
 * A test on doc ids, and, when the filters read a set of claims from SQL (a source's, a qualifier's), the smallest
 * such set: every claim that passes is in it.
 */
export type Keep = ((doc: number) => boolean) & { within: readonly number[] | null };

/** At most this many hits are read backwards (about 2.5 µs each at a million claims) for the newest passing ones. */
const BACKWARD_HITS = 20_000;

/**
 * The claims of one source or qualifier, read whole for a filter; of one subject, read up to a cap to count facets
 * over them alone. Parts carry their claim's doc id, so each is one index's range (migration 0007).
 */
export const CLAIMS_OF_PART = {
  source: 'SELECT doc_id FROM claim_citations WHERE source_id = ?',
  qualifier: 'SELECT doc_id FROM claim_qualifiers WHERE key = ? AND value = ?',
  subject: 'SELECT doc_id FROM claim_subjects WHERE entity_id = ? LIMIT ?',
} as const;

export function createColumnSearch(db: Db, columns: DocColumns) {
  // Hits come to JavaScript in whole arrays: stepping an iterator costs about 0.5 µs a row, three times as much.
  const allHits = db.prepare<{ match: string }, number>('SELECT rowid FROM claims_fts WHERE claims_fts MATCH @match').pluck();
  const olderHits = db.prepare<{ match: string; before: number }, number>(
    'SELECT rowid FROM claims_fts WHERE claims_fts MATCH @match AND rowid < @before ORDER BY rowid',
  ).pluck();
  const hitsBefore = db.prepare<{ match: string; before: number; limit: number }, number>(
    'SELECT rowid FROM claims_fts WHERE claims_fts MATCH @match AND rowid < @before ORDER BY rowid DESC LIMIT @limit',
  ).pluck();

  const claimsWithSource = db.prepare<[string], number>(CLAIMS_OF_PART.source).pluck();
  const claimsOf = {
    subject: db.prepare<[string, number], number>(CLAIMS_OF_PART.subject).pluck(),
    claimant: db.prepare<[string, number], number>('SELECT doc_id FROM claims WHERE claimant_id = ? LIMIT ?').pluck(),
  };
  const claimsWithQualifier = db.prepare<[string, string], number>(CLAIMS_OF_PART.qualifier).pluck();

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
    const { factFirst, factLast, claimedFirst, claimedLast, valueLow, valueHigh, valueOpen } = columns.ranges();
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
      tests.push((doc) => valueHigh[doc]! > min || (valueHigh[doc] === min && (valueOpen[doc]! & VALUE_HIGH_OPEN) === 0));
    }
    if (f.valueMax !== undefined) {
      const max = f.valueMax;
      tests.push((doc) => valueLow[doc]! < max || (valueLow[doc] === max && (valueOpen[doc]! & VALUE_LOW_OPEN) === 0));
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
    // Chained rather than tests.every(): a scan of a million claims through three tests took 29 ms that way.
    const keep = tests.reduce<(doc: number) => boolean>((rest, t) => (doc) => t(doc) && rest(doc), () => true);
    return Object.assign(keep, { within });
  }

  /**
   * The newest `take` hits of a search older than `before` that pass the test, through the in-memory columns: read
   * in batches from the newest down, each sized by the share of hits that passed so far, which is all a broad filter
   * needs; when that share says more than BACKWARD_HITS would be needed, every older hit is read in doc order instead
   * and the newest passing ones kept. FTS5 reads a posting list backwards at about 2.5 µs a hit, forwards at 0.25: a
   * very common word (300,000 hits at a million claims) under a narrow filter took 0.7 s in batches.
   */
  function newestHits(match: string, keep: (doc: number) => boolean, take: number, before: number): number[] {
    const taken: number[] = [];
    let batch = Math.max(256, take * 4);
    let from = before;
    for (let read = 0; ; ) {
      const docs = hitsBefore.all({ match, before: from, limit: batch });
      for (const doc of docs) if (keep(doc) && taken.length < take) taken.push(doc);
      if (taken.length >= take || docs.length < batch) return taken;
      read += docs.length;
      from = docs[docs.length - 1]!;
      const needed = Math.ceil(((take - taken.length) * read * 1.25) / Math.max(taken.length, 1));
      if (taken.length === 0 || read + needed > BACKWARD_HITS) break;
      batch = Math.max(256, needed);
    }
    const older = olderHits.all({ match, before: from });
    for (let i = older.length - 1; i >= 0 && taken.length < take; i--) if (keep(older[i]!)) taken.push(older[i]!);
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

  /** Counts per value of the given facets over these docs (a search's passing hits). */
  const countHits = (docs: Int32Array, facets: Facet[]) => countPerValue(docs, docs.length, facets);

  /** Every hit of a search that passes the test, newest (highest doc id) first. */
  function hitsPassing(match: string, keep: (doc: number) => boolean): Int32Array {
    const hits = allHits.all({ match }); // in rowid order
    const passing = new Int32Array(hits.length);
    let n = 0;
    for (let d = hits.length - 1; d >= 0; d--) if (keep(hits[d]!)) passing[n++] = hits[d]!;
    return passing.subarray(0, n);
  }

  /**
   * Past this many claims, testing every claim in memory (30-50 ms at a million) is cheaper than reading them through
   * an index (about 3 µs each).
   */
  const INDEXED_CLAIMS_CAP = 5000;

  /**
   * Every live claim (retracted ones too if asked for) that passes the filters, as doc ids; or, once more than `cap`
   * pass, the share of claims that do, estimated from the docs tested so far. Under a source or qualifier filter,
   * only the claims the test read for it are tested; under a subject or claimant with few claims, only theirs.
   */
  function passing(filters: ClaimFilters, keep: Keep, cap = Number.POSITIVE_INFINITY): Int32Array | { share: number } {
    const retracted = columns.retracted();
    const live = (doc: number) => filters.includeRetracted === true || retracted[doc] === 0;
    const testOnly = (docs: readonly number[]) => {
      // A claim may cite one source twice.
      const out = Int32Array.from(new Set(docs)).filter((doc) => live(doc) && keep(doc));
      return out.length <= cap ? out : { share: out.length / Math.max(1, columns.size()) };
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
    const out = new Int32Array(Math.min(end, cap + 1));
    let n = 0;
    for (let doc = 1; doc < end; doc++) {
      // Every claim has a kind: code 0 is a doc id no claim holds.
      if (kinds[doc] !== 0 && live(doc) && keep(doc)) {
        out[n++] = doc;
        if (n > cap) return { share: n / doc };
      }
    }
    return out.subarray(0, n);
  }

  /** Counts per value of the given facets over every claim that passes the filters (see `passing`). */
  function tallyAll(filters: ClaimFilters, keep: Keep, facets: Facet[]): Map<string, number>[] {
    const docs = passing(filters, keep) as Int32Array;
    return countPerValue(docs, docs.length, facets);
  }

  /**
   * The change number the columns are current to after bringing them up to date: equal numbers mean the same claims
   * with the same values. Null when they cannot be used (still loading, or inside a transaction).
   */
  const version = (): number | null => (columns.sync() ? columns.version() : null);

  return { test, newestHits, countHits, tallyAll, passing, hitsPassing, version, loaded: columns.loaded, columns };
}

export type ColumnSearch = ReturnType<typeof createColumnSearch>;
