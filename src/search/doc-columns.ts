// The values the list filters or counts by, in memory by full-text doc id: kind, verdict, unit, claimed year,
// claimant, retraction, the date bounds and value range, and the several subjects and citation roles of each claim
// (cited sources and qualifiers stay in SQL; see MULTI below), and each claim's length in the full-text index, by
// which one-word and one-phrase searches are ranked (claims.term-scores.ts). SQLite answers "which of these 20,000
// hits are quotes" with one index look-up per hit, about 1.25 µs each at a million claims (25 ms for a common word),
// and facets under a broad filter such as citationRole=primary took 19 s; an array read costs nanoseconds. This is the
// doc-values idea of search engines: about 50 bytes a claim (a byte per code while a column has under 256 values,
// then two or four; 16 for the four date bounds, 16 for the value range, three slots and a count per multi-valued
// column, 4 for the length), 54 MB at a million claims.
//
// The arrays follow the database through claims.change_seq, which triggers give the next number on every insert, on
// every update of the single-valued columns, on retraction and on every edit (migrations 0004 and 0005), whoever
// writes: this service, a CLI, another process. An edit rewrites a claim's subjects and citations, and always moves
// its revision; re-indexing the claims that name an entity whose names changed moves theirs
// (src/search/search-index.ts), so a claim's indexed length never changes without its number. Before each use, the
// claims changed since the last look are read again. A rolled-back write leaves
// no number behind, and numbers only grow, because writers take turns and claims are never deleted.
import type { ColumnFacet as DocColumn } from '../claims/claims.facet-sql.js';
import type { Db } from '../db/open.js';
import { DocArrays } from './doc-arrays.js';
import type { Codes, MultiColumn, Vocabulary } from './doc-codes.js';
import type { DocColumnsImage, LoadedWhere, LoadOptions } from './doc-columns.runner.js';
import { CLAIM_VALUES, MULTI_SQL, type MultiName, type Row } from './doc-columns.sql.js';

export { type Codes, INLINE_VALUES } from './doc-codes.js';
export { dayNumber, type MultiName, NO_FIRST_DAY, VALUE_HIGH_OPEN, VALUE_LOW_OPEN } from './doc-columns.sql.js';

/** Claims read at a time: whole arrays cost a third of stepping a row at a time, and small ones die young (with 5,000
 * rows the heap grew by 15 MB more during a load of a million claims). */
const BATCH = 1000;
/**
 * How long a background load reads before it lets requests in. A request that arrives meanwhile waits for the slice,
 * once to be accepted and again to be read: 50 ms slices held the first answer after a start 100 ms or more (spawn
 * to first answer ~620 -> ~510 ms at 100,000 claims with 10 ms). Under load the event loop comes back to the load
 * only after the requests that arrived meanwhile, so slices much shorter than a request would never finish; 10 ms
 * loads a million claims in about 150 slices.
 */
const SLICE_MS = 10;
/** Up to this many claims, the first use loads them at once (~25 ms); a larger database loads in the background. */
const LOAD_AT_ONCE = 10_000;

export interface DocColumnsOptions {
  /** Up to this many claims, the first use reads them all at once; above, they are read in the background. */
  loadAtOnce?: number;
  /** How long each background slice reads before it lets requests in. */
  sliceMs?: number;
}

export function createDocColumns(db: Db, options: DocColumnsOptions = {}) {
  const loadAtOnce = options.loadAtOnce ?? LOAD_AT_ONCE;
  const sliceMs = options.sliceMs ?? SLICE_MS;
  const arrays = new DocArrays();
  const multiBetween = MULTI_SQL.map(({ columns: names, sql }) => ({
    names,
    rows: db.prepare<[number, number], [doc: number, ...values: string[]]>(sql).raw(),
  }));
  const lengthsBetween = db.prepare<[number, number], [doc: number, sizes: Buffer]>('SELECT id, sz FROM claims_fts_docsize WHERE id > ? AND id <= ?').raw();
  const latest = db.prepare<[], number | null>('SELECT max(change_seq) FROM claims').pluck();
  const lastDoc = db.prepare<[], number | null>('SELECT max(doc_id) FROM claims').pluck();
  const batchAfter = db.prepare<[number, number], Row>(`SELECT ${CLAIM_VALUES} FROM claims WHERE doc_id > ? ORDER BY doc_id LIMIT ?`).raw();
  const changedSince = db.prepare<[number], Row>(`SELECT ${CLAIM_VALUES}, change_seq FROM claims WHERE change_seq > ? ORDER BY change_seq`).raw();
  /** The last change number applied; null until every claim has been read once. */
  let seen: number | null = null;
  let loading = false;

  /** Room for every claim there is, and a little more, before a full read. */
  const reserve = (): void => arrays.reserve(lastDoc.get() ?? 0);

  /**
   * The multi-valued columns and the indexed lengths of the docs in (after, last], which `apply` has made room for.
   * The lengths are FTS5's own record of them, read as one range of its table; a look-up per claim costs 2 µs.
   */
  function readMultiAndLengths(docs: number[], after: number, last: number): void {
    arrays.applyLengths(docs, lengthsBetween.all(after, last));
    for (const { names, rows } of multiBetween) arrays.applyMulti(docs, names, rows.all(after, last));
  }

  /** Reads one batch after `after`; the doc to continue after, or null at the end. */
  function loadBatch(after: number): number | null {
    const rows = batchAfter.all(after, BATCH);
    for (const row of rows) arrays.apply(row);
    if (rows.length > 0) readMultiAndLengths(rows.map((r) => r[0]), after, rows[rows.length - 1]![0]);
    return rows.length < BATCH ? null : rows[rows.length - 1]![0];
  }

  /**
   * Reads every claim in slices between requests. The latest change number is read first: whatever commits during
   * the load has a higher one and is read again when the load is done.
   */
  function loadInSlices(done: () => void): void {
    const from = latest.get() ?? 0;
    reserve();
    let after: number | null = 0;
    const step = () => {
      if (!db.open) return; // closed while loading: the process is stopping
      if (!db.inTransaction) {
        const sliceEnd = performance.now() + sliceMs;
        do after = loadBatch(after!);
        while (after !== null && performance.now() < sliceEnd);
        if (after === null) {
          seen = from;
          return done();
        }
      }
      setImmediate(step);
    };
    setImmediate(step);
  }

  // How the first read is to run (where, and whom to tell), set by the service before requests come: the read may begin
  // in the background (load) or because a request needs the columns first (sync), and either way goes where planned.
  let planned: LoadOptions = {};

  /**
   * Reads every claim once, in the background: on another thread when `readElsewhere` is given (its image is then
   * taken as is, and the changes since its change number are read at the next sync, as after a load here), else
   * here, in slices between requests. A failure elsewhere is told to `onFallback` and the load runs here instead.
   */
  function load(options: LoadOptions = planned): void {
    if (loading || seen !== null) return;
    loading = true;
    const started = performance.now();
    const done = (where: LoadedWhere) => {
      loading = false;
      options.onLoaded?.(performance.now() - started, where);
    };
    const { readElsewhere } = options;
    if (readElsewhere === undefined) return loadInSlices(() => done('in process'));
    readElsewhere().then(
      (image) => {
        // Read at once meanwhile (a database that was small), or closed: the image is not needed.
        if (seen === null && db.open) adopt(image);
        done('on a worker thread');
      },
      (err: unknown) => {
        options.onFallback?.(err);
        if (seen !== null) done('in process'); // read at once meanwhile
        else if (db.open) loadInSlices(() => done('in process'));
      },
    );
  }

  /** Everything the arrays hold, as data another thread can send (`transferables` lists its arrays). */
  function image(): DocColumnsImage {
    if (seen === null) throw new Error('the search columns have not been read yet');
    return arrays.image(seen);
  }

  /** Takes over the arrays of an image (not copies of them), current as of its change number. */
  function adopt(from: DocColumnsImage): void {
    arrays.adopt(from);
    seen = from.seen;
  }

  /**
   * Brings the arrays up to date, and says whether they may be used. False while the first load runs, and inside
   * an open transaction: what it sees there may still roll back, and a change number read from it could be taken
   * again by the next write.
   */
  function sync(): boolean {
    if (db.inTransaction) return false;
    if (seen === null) {
      if ((lastDoc.get() ?? 0) > loadAtOnce) {
        load();
        return false;
      }
      const started = performance.now();
      const from = latest.get() ?? 0;
      reserve();
      for (let after: number | null = 0; after !== null; ) after = loadBatch(after);
      seen = from;
      // Told as a load's end is (a load begun later finds them read, and tells nothing), after the request at hand.
      const { onLoaded } = planned;
      const ms = performance.now() - started;
      if (onLoaded) setImmediate(() => onLoaded(ms, 'in process'));
    }
    if ((latest.get() ?? 0) > seen) {
      // All of them before reading their other values: iterate() would keep the statement busy.
      const changed = changedSince.all(seen);
      for (const row of changed) {
        arrays.apply(row);
        readMultiAndLengths([row[0]], row[0] - 1, row[0]);
        seen = Math.max(seen, row[14] ?? 0);
      }
    }
    return true;
  }

  const vocabularyOf = (column: DocColumn | MultiName): Vocabulary =>
    column in arrays.multi ? arrays.multi[column as MultiName].vocabulary : arrays.columns[column as DocColumn].vocabulary;

  return {
    sync,
    /** Starts reading every claim in the background, so that the first searches need not wait for it. */
    load,
    /** How the first read is to run, whether load() or a request's sync() begins it. */
    plan: (options: LoadOptions): void => {
      planned = options;
    },
    image,
    /** Whether every claim has been read once (from then on, each use only catches up with changes). */
    loaded: (): boolean => seen !== null,
    /** The change number the arrays are current to, as of the last sync; null before the first load. */
    version: (): number | null => seen,
    /**
     * Whether no claim has changed since the last sync: reads made since then, by this connection outside a
     * transaction, saw the claims the arrays hold (another process may have written meanwhile).
     */
    current: (): boolean => seen !== null && (latest.get() ?? 0) === seen,
    /** The column's codes by doc id, current as of the last sync. */
    codes: (column: DocColumn): Codes => arrays.columns[column].codes,
    /** A multi-valued column: its slots, counts and overflow by doc id. */
    multi: (column: MultiName): Readonly<Pick<MultiColumn, 'slots' | 'count' | 'more' | 'has'>> => arrays.multi[column],
    /** 1 for a retracted claim, by doc id. */
    retracted: (): Uint8Array => arrays.retracted,
    /** Each claim's length in the full-text index (tokens, all columns), by doc id. */
    lengths: (): Uint32Array => arrays.lengths,
    /** Each claim's date bounds (dayNumber) and value range, by doc id. */
    ranges: (): Readonly<DocArrays['ranges']> => arrays.ranges,
    /** Docs below this have a slot (kind code 0: no claim has that doc id). */
    size: (): number => arrays.size,
    codeOf: (column: DocColumn | MultiName, value: string): number => vocabularyOf(column).codeOf(value),
    valueOf: (column: DocColumn | MultiName, code: number): string => vocabularyOf(column).values[code]!,
    /** How many values the column has had codes for (code 0, no value, included). */
    cardinality: (column: DocColumn | MultiName): number => vocabularyOf(column).values.length,
  };
}

export type DocColumns = ReturnType<typeof createDocColumns>;
