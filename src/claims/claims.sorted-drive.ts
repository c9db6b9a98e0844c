// How a page of a filtered list or a search, in an order other than relevance, is read. SQLite's planner knows how
// many claims a filter value or a word holds only on average, and at a million claims it chose badly both ways: it
// sorted every match of a broad filter (kind=quote by last update: 650 ms; a word in a third of the claims by date:
// 330 ms) and walked the whole sort index for the few claims of a narrow one (a subject by date: 0.2-1.8 s; a
// qualifier: 4 s), blocking every other request meanwhile. The columns in memory (src/search/doc-columns.ts) know
// which claims pass, and a search's hits are read whole from FTS5 in doc order, so the choice is made here, per phase
// of the order (claims with the sort key, then those without it):
//
// - docs: when few claims pass, they are read by doc id and SQL sorts them. For the sorts whose key is in memory
//   (dates, value), only the claims that can be on the page are sent: those up to the page's last key, ties included.
// - walk: when many pass, the sort's (key, id) index is walked, testing each claim, which fills a page after about
//   (page size / share passing) entries. A range filter on the sort's own key (factFrom with sort=factDate) puts the
//   passing claims at one end of that index: the walk then starts at the first key any of them can have. A search's
//   hits are tested through claims_doc_passes().
// - plan: otherwise (too few for a walk, too many to sort), SQLite's planner.
//
// Every path runs the same filters in SQL, so the columns only choose which rows SQL reads: never which rows match.
import type { Db } from '../db/open.js';
import { type Codes, type DocColumns, dayNumber, NO_FIRST_DAY } from '../search/doc-columns.js';
import type { ColumnSearch, Keep } from './claims.column-search.js';
import type { ClaimFilters } from './claims.list-query.js';
import type { Drive, OrderCursor, OrderSort } from './claims.list-sql.js';

/**
 * At most this many passing claims are read by doc id. SQL sorts them at about 4 µs a claim at a million claims,
 * unless the sort key is in memory: then only those that can be on the page are sent. Finding that more pass stops
 * the scan early, which matters: a full scan through three filters costs about 13 ms at a million claims.
 */
const DOCS = 5000;
/** A walk is chosen when it should fill a page within this many index entries (about 1.5-5 µs each). */
const WALK_ENTRIES = 20_000;

/** Differences below this are float noise between SQL's REAL and the in-memory copy (none for day numbers). */
const near = (a: number, b: number) => Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(a), Math.abs(b));

/** How one phase of a page is read. */
export interface PhaseDrive {
  how: Drive;
  /** For `docs`: the doc ids SQL reads. */
  docs?: Int32Array;
  /** For a walk: the docs that pass, 1 by doc id, which SQL reads through claims_doc_passes() (see `reading`). */
  passes?: Uint8Array;
  /** Where a walk starts (ISO day or value), when a range filter on the sort key says so. */
  keyFrom?: string | number;
}

/** How each phase of a page is read, given where it starts and how many rows it still needs. */
export type SortedDrive = (phase: 'id' | 'k' | 'n', cursor: OrderCursor, fetch: number) => PhaseDrive;
const PLAN: SortedDrive = () => ({ how: 'plan' });

type KeyName = 'factDate' | 'claimedOn' | 'value';
/** Filters with an index in claim id order. */
const ID_ORDERED = ['kind', 'verdict', 'claimant', 'unit', 'subject'] as const;

export interface SortedDriveLimits {
  /** Up to this many passing claims are read by doc id. */
  docs: number;
  /** A walk is chosen when it should fill a page within this many index entries. */
  walkEntries: number;
}

/**
 * The passing docs of the walk SQL is running now. SQL tests a walked claim against a search's hits through
 * claims_doc_passes(doc_id), a function of ours: SQLite would otherwise read every hit again into a temporary
 * index first (about 0.3 µs a hit), which costs as much as the rest for a word in a third of a million claims.
 * One variable for every finder on every connection: queries run one at a time, start to end, in this thread.
 */
let passingNow: Uint8Array | null = null;

/** Runs a page's SQL, with claims_doc_passes() answering from the drive's passing docs meanwhile. */
export function reading<T>(drive: PhaseDrive, run: () => T): T {
  passingNow = drive.passes ?? null;
  try {
    return run();
  } finally {
    passingNow = null;
  }
}

export function createSortedDrives(db: Db, columnSearch: ColumnSearch, limits: SortedDriveLimits = { docs: DOCS, walkEntries: WALK_ENTRIES }) {
  const columns: DocColumns = columnSearch.columns;
  db.function('claims_doc_passes', { deterministic: false, directOnly: true }, (doc) =>
    passingNow !== null && passingNow[Number(doc)] === 1 ? 1 : 0,
  );

  // The earliest day any claim starts (null without one): the first key of the sort's index.
  const earliestFactDay = db.prepare<[], string | null>('SELECT min(fact_first_day) FROM claims').pluck();
  const earliestClaimedDay = db.prepare<[], string | null>('SELECT min(claimed_first_day) FROM claims').pluck();
  const lowestValue = db.prepare<[string], number | null>('SELECT min(value_sort) FROM claims WHERE value_unit = ?').pluck();
  const highestValue = db.prepare<[string], number | null>('SELECT max(value_sort) FROM claims WHERE value_unit = ?').pluck();

  /** Each claim's sort key as SQL orders it, or NaN without one: days as YYYYMMDD, values as value_sort. */
  function keyOf(name: KeyName): (doc: number) => number {
    const { factFirst, claimedFirst, valueLow, valueHigh } = columns.ranges();
    if (name === 'value')
      // value_sort is the amount, or the lower bound of a range; value_low is the same except for lt and lte
      // (-Infinity), whose amount is value_high. No value: NaN in both.
      return (doc) => (valueLow[doc] === -Infinity ? valueHigh[doc]! : valueLow[doc]!);
    const days = name === 'factDate' ? factFirst : claimedFirst;
    return (doc) => (days[doc] === NO_FIRST_DAY ? Number.NaN : days[doc]!);
  }

  /**
   * Of the passing `docs`, those that can be among the next `fetch` in key order: the ones beyond the cursor's key
   * up to the fetch-th such key, ties included, and every one at the cursor's key itself (which of those follow the
   * cursor is decided by claim id, not in memory).
   */
  function nearest(docs: Int32Array, name: KeyName, desc: boolean, after: number | null, fetch: number): Int32Array {
    const key = keyOf(name);
    const at = (k: number) => after !== null && near(k, after);
    const beyond = (k: number) => !Number.isNaN(k) && !at(k) && (after === null || (desc ? k < after : k > after));
    // The fetch-th key beyond the cursor, kept in a small sorted array (best first) rather than sorting every key: a
    // common word's hits number tens of thousands.
    const best: number[] = [];
    const better = (a: number, b: number) => (desc ? a > b : a < b);
    for (const doc of docs) {
      const k = key(doc);
      if (!beyond(k) || (best.length === fetch && !better(k, best[fetch - 1]!))) continue;
      let i = best.length === fetch ? fetch - 1 : best.length;
      while (i > 0 && better(k, best[i - 1]!)) {
        best[i] = best[i - 1]!;
        i--;
      }
      best[i] = k;
    }
    if (best.length < fetch) return docs.filter((doc) => beyond(key(doc)) || at(key(doc)));
    const last = best[fetch - 1]!;
    return docs.filter((doc) => {
      const k = key(doc);
      return at(k) || (beyond(k) && (desc ? k >= last || near(k, last) : k <= last || near(k, last)));
    });
  }

  /**
   * The first key, in the sort's order, that a claim passing a range filter on the sort key can have, or null. Only
   * for the ranges that leave a walk's start empty: periods that end on or after factFrom may start long before it,
   * and value_high >= valueMin says little of value_sort. factTo and claimedTo bound the key itself (SQL uses them).
   * Plain loops over the arrays: up to 3-5 ms at a million claims, the dates' usually cut short (below).
   */
  function walkStart(filters: ClaimFilters, name: KeyName | 'updated' | 'id', desc: boolean): string | number | null {
    const { factFirst, factLast, claimedFirst, claimedLast, valueLow, valueHigh } = columns.ranges();
    const end = columns.size();
    if ((name === 'factDate' || name === 'claimedOn') && !desc) {
      const from = name === 'factDate' ? filters.factFrom : filters.claimedFrom;
      if (from === undefined) return null;
      const [first, last] = name === 'factDate' ? [factFirst, factLast] : [claimedFirst, claimedLast];
      const day = dayNumber(from);
      // Once a claim that starts on the earliest day of all passes, as one usually does in a large collection, the
      // walk starts at the index's first key whatever the rest hold. The earliest day comes from the sort's index,
      // current even if another process wrote since the columns last caught up.
      const earliest = (name === 'factDate' ? earliestFactDay : earliestClaimedDay).get();
      // Without one (no claim is dated as SQL sees it now), no early stop: 0 is before every day.
      const floor = earliest === null || earliest === undefined ? 0 : dayNumber(earliest);
      const min = earliestStart(first, last, end, day, floor);
      if (min === NO_FIRST_DAY) return null;
      const iso = String(min);
      return `${iso.slice(0, 4)}-${iso.slice(4, 6)}-${iso.slice(6, 8)}`;
    }
    if (name !== 'value') return null;
    const bound = desc ? filters.valueMax : filters.valueMin;
    if (bound === undefined) return null;
    // As for dates: no claim of the unit sorts before its index's first value_sort (after its last, descending).
    const extreme = filters.unit === undefined ? null : (desc ? highestValue : lowestValue).get(filters.unit);
    const stop = extreme ?? (desc ? Infinity : -Infinity);
    const first = firstValue(columns.codes('unit'), columns.codeOf('unit', filters.unit ?? ''), valueLow, valueHigh, end, bound, desc, stop);
    if (!Number.isFinite(first)) return null;
    // A hair wider than the in-memory copy, in case SQL's REAL differs from it in the last bit.
    return first - (desc ? -1 : 1) * 1e-9 * Math.max(1, Math.abs(first));
  }

  /**
   * How to read pages of these filters in this order. `keep` gives their test on the columns, or null when the
   * columns cannot be used yet (still loading, or inside a transaction); it is asked only when the answer needs it.
   * For a search, `hits` gives its hits that pass the filters (null likewise), which the caller reads once.
   */
  return function choose(filters: ClaimFilters, keep: () => Keep | null, sort: OrderSort, fetch: number, hits?: () => Int32Array | null): SortedDrive {
    const desc = sort.startsWith('-');
    const name = sort.replace(/^-/, '') as KeyName | 'updated' | 'id';
    // In id order, the planner already reads exactly the passing claims from a (column, id) index (kind, verdict,
    // claimant, unit), and claims.list-sql.ts drives a subject or qualifier filter from its own index.
    if (hits === undefined && name === 'id' && (ID_ORDERED.some((f) => filters[f] !== undefined) || Object.keys(filters.qualifiers ?? {}).length > 0))
      return PLAN;
    // A search's hits are read whole anyway (FTS5 gives them in doc order), so the passing ones are all known; without
    // a search, the scan stops once more than limits.docs pass, and their share says how far a walk would go.
    let found: Int32Array | { share: number } | null;
    if (hits !== undefined) found = hits();
    else {
      const test = keep();
      found = test === null ? null : columnSearch.passing(filters, test, limits.docs);
    }
    if (found === null) return PLAN;
    if (!(found instanceof Int32Array)) {
      if (fetch / found.share > limits.walkEntries) return PLAN;
      const keyFrom = walkStart(filters, name, desc);
      return (phase) => (keyFrom === null || phase !== 'k' ? { how: 'walk' } : { how: 'walk', keyFrom });
    }
    // Reads `docs` sorted by SQL when there are few enough, or walks the phase's index testing them.
    const among = (docs: Int32Array): PhaseDrive => {
      if (docs.length <= limits.docs) return { how: 'docs', docs };
      if (fetch / (docs.length / columns.size()) > limits.walkEntries) return { how: 'plan' };
      const passes = new Uint8Array(columns.size());
      for (const doc of docs) passes[doc] = 1;
      return { how: 'walk', passes };
    };
    if (name === 'updated' || name === 'id') {
      const drive = among(found);
      return () => drive;
    }
    const key = keyOf(name);
    let keyless: PhaseDrive | undefined;
    return (phase, cursor, rows) => {
      if (phase === 'k') return { how: 'docs', docs: nearest(found, name, desc, afterKey(name, cursor), rows) };
      // Claims without the key follow in id order.
      keyless ??= among(found.filter((doc) => Number.isNaN(key(doc))));
      return keyless;
    };
  };
}

/**
 * The earliest first day of the docs below `end` whose last day is `day` or later (days as YYYYMMDD), or NO_FIRST_DAY;
 * it stops at `floor`, which none starts before. Without a branch on whether a claim passes, a coin toss for the
 * branch predictor that made this loop take 3-5 ms at a million claims, 1 ms now: a claim that ends before `day`
 * counts as starting on day 2^31 - 1 (NO_LAST_DAY is 0, and NO_FIRST_DAY below 2^31 - 1). A function of its own, so
 * that V8 compiles it for these two arrays alone.
 */
function earliestStart(first: Int32Array, last: Int32Array, end: number, day: number, floor: number): number {
  let min = NO_FIRST_DAY;
  for (let doc = 1; doc < end; doc++) {
    const start = first[doc]! | (((last[doc]! - day) >> 31) & 0x7fffffff);
    // Rarely true once a few claims have been seen, so the predictor guesses right.
    if (start < min) {
      min = start;
      if (min <= floor) break;
    }
  }
  return min;
}

/**
 * The first value_sort, in the order asked, of the docs below `end` in `unit` whose value can reach `bound` (high >=
 * bound ascending, low <= bound descending), or ±Infinity when none. value_sort is the amount or a range's lower
 * bound, i.e. value_low, but for lt and lte (low -Infinity) value_high. It stops at `stop`, which none passes. A
 * function of its own, one loop an order: as part of walkStart the same loop took 8 ms at a million claims, here 3.5
 * (V8 compiles it for these arrays alone).
 */
function firstValue(units: Codes, unit: number, low: Float64Array, high: Float64Array, end: number, bound: number, desc: boolean, stop: number): number {
  let first = desc ? -Infinity : Infinity;
  // NaN (no value) fails the comparisons, as NULL does in SQL.
  if (desc)
    for (let doc = 1; doc < end; doc++) {
      if (units[doc] !== unit) continue;
      const l = low[doc]!;
      if (!(l <= bound)) continue;
      const key = l === -Infinity ? high[doc]! : l;
      if (key > first) {
        first = key;
        if (first >= stop) break;
      }
    }
  else
    for (let doc = 1; doc < end; doc++) {
      if (units[doc] !== unit) continue;
      const h = high[doc]!;
      if (!(h >= bound)) continue;
      const l = low[doc]!;
      const key = l === -Infinity ? h : l;
      if (key < first) {
        first = key;
        if (first <= stop) break;
      }
    }
  return first;
}

/** A cursor's key (an ISO day, or a value) as the in-memory columns hold it. */
function afterKey(name: KeyName, cursor: OrderCursor): number | null {
  if (cursor?.phase !== 'k') return null;
  return name === 'value' ? Number(cursor.key) : dayNumber(String(cursor.key));
}

