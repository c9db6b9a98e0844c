// Each claim's kind, verdict, unit, year and claimant, in memory by full-text doc id, for filtering and counting
// search hits. SQLite answers "which of these 20,000 hits are quotes" with one index look-up per hit, about 1.25 µs
// each at a million claims (25 ms for a common word); an array read costs nanoseconds. This is the doc-values idea
// of search engines, on one byte a claim per column, two for claimants once there are over 255 of them: 6 MB at a
// million claims.
//
// The arrays follow the database through claims.change_seq, which triggers give the next number on every insert and
// on every update of these columns (migration 0004), whoever writes: this service, a CLI, another process. Before
// each use, the claims changed since the last look are read again. A rolled-back write leaves no number behind, and
// numbers only grow, because writers take turns and claims are never deleted.
import type { ColumnFacet as DocColumn } from '../claims/claims.list-sql.js';
import type { Db } from '../db/open.js';
import { CLAIM_KINDS, VERDICTS } from '../domain/vocabulary.js';


type Codes = Uint8Array | Uint16Array | Uint32Array;

/**
 * One column: values as small integer codes (0 when the claim has none) and the values the codes stand for. Codes
 * take one byte while there are under 256 values, then two, then four. A closed vocabulary is known in advance,
 * and its codes come straight from SQL (see load below).
 */
class Column {
  codes: Codes = new Uint8Array(0);
  readonly values: string[] = [''];
  private readonly index = new Map<string | number, number>();
  // Neighbouring claims often share a value: the last one saves a map look-up.
  private last: string | number | null = null;
  private lastCode = 0;

  constructor(vocabulary: readonly string[] = []) {
    for (const v of vocabulary) this.code(v);
  }

  /** The code of a value, or -1 when no claim has it (so nothing matches). */
  codeOf(value: string): number {
    return this.index.get(value) ?? -1;
  }

  /** The value's code, given one if it is new. Numbers (years) are their own keys and print with four digits. */
  private code(value: string | number): number {
    let code = this.index.get(value);
    if (code === undefined) {
      code = this.values.length;
      const text = typeof value === 'number' ? String(value).padStart(4, '0') : value;
      this.values.push(text);
      this.index.set(value, code);
      if (text !== value) this.index.set(text, code);
      if (code === 256 || code === 65536) this.resize(this.codes.length);
    }
    return code;
  }

  set(doc: number, value: string | number | null): void {
    if (value !== this.last) {
      this.lastCode = value === null ? 0 : this.code(value);
      this.last = value;
    }
    this.codes[doc] = this.lastCode;
  }

  setCode(doc: number, code: number): void {
    this.codes[doc] = code;
  }

  /** Room for docs below `size`, in the narrowest array that holds every code. */
  resize(size: number): void {
    const n = this.values.length;
    const codes = n <= 256 ? new Uint8Array(size) : n <= 65536 ? new Uint16Array(size) : new Uint32Array(size);
    codes.set(this.codes.subarray(0, Math.min(size, this.codes.length)));
    this.codes = codes;
  }
}

/**
 * SQL giving a closed vocabulary's code (its position + 1): integers cost far less to read than strings. A value
 * the vocabulary lacks (a schema ahead of this code) comes as itself.
 */
const codeSql = (column: string, vocabulary: readonly string[]) =>
  `CASE ${column} ${vocabulary.map((v, i) => `WHEN '${v}' THEN ${i + 1}`).join(' ')} ELSE ${column} END`;

type Row = [doc: number, kind: number | string, verdict: number | string, unit: string | null, year: number | null, claimant: string | null, seq?: number | null];
const COLUMNS = `doc_id, ${codeSql('kind', CLAIM_KINDS)}, ${codeSql('verdict', VERDICTS)}, value_unit,
  CAST(substr(claimed_on, 1, 4) AS INTEGER), claimant_id`;

/** Claims read at a time: whole arrays cost a third of stepping a row at a time, and small ones die young (with 5,000
 * rows the heap grew by 15 MB more during a load of a million claims). */
const BATCH = 1000;
/**
 * How long a background load reads before it lets requests in. Under load the event loop comes back to it only
 * after the requests that arrived meanwhile, so slices much shorter than a request would never finish; this one
 * loads a million claims in about 30 slices.
 */
const SLICE_MS = 50;
/** Up to this many claims, the first use loads them at once (~25 ms); a larger database loads in the background. */
const LOAD_AT_ONCE = 10_000;

export function createDocColumns(db: Db, options: { loadAtOnce?: number; sliceMs?: number } = {}) {
  const loadAtOnce = options.loadAtOnce ?? LOAD_AT_ONCE;
  const sliceMs = options.sliceMs ?? SLICE_MS;
  const columns: Record<DocColumn, Column> = {
    kind: new Column(CLAIM_KINDS),
    verdict: new Column(VERDICTS),
    unit: new Column(),
    year: new Column(),
    claimant: new Column(),
  };
  const latest = db.prepare<[], number | null>('SELECT max(change_seq) FROM claims').pluck();
  const lastDoc = db.prepare<[], number | null>('SELECT max(doc_id) FROM claims').pluck();
  // In doc id order from the covering index claims_doc_facets, which holds every value read here.
  const batchAfter = db.prepare<[number, number], Row>(`SELECT ${COLUMNS} FROM claims WHERE doc_id > ? ORDER BY doc_id LIMIT ?`).raw();
  const changedSince = db.prepare<[number], Row>(`SELECT ${COLUMNS}, change_seq FROM claims WHERE change_seq > ? ORDER BY change_seq`).raw();
  /** The last change number applied; null until every claim has been read once. */
  let seen: number | null = null;
  let loading: NodeJS.Immediate | null = null;
  let size = 0;

  function apply(row: Row): void {
    const doc = row[0];
    if (doc >= size) {
      size = Math.max(doc + 1, Math.ceil(size * 1.5), 1024);
      for (const c of Object.values(columns)) c.resize(size);
    }
    if (typeof row[1] === 'number') columns.kind.setCode(doc, row[1]);
    else columns.kind.set(doc, row[1]);
    if (typeof row[2] === 'number') columns.verdict.setCode(doc, row[2]);
    else columns.verdict.set(doc, row[2]);
    columns.unit.set(doc, row[3]);
    columns.year.set(doc, row[4]);
    columns.claimant.set(doc, row[5]);
  }

  /** Reads one batch after `after`; the doc to continue after, or null at the end. */
  function loadBatch(after: number): number | null {
    const rows = batchAfter.all(after, BATCH);
    for (const row of rows) apply(row);
    return rows.length < BATCH ? null : rows[rows.length - 1]![0];
  }

  /**
   * Reads every claim in slices between requests; `onLoaded` hears how long it took. The latest change number is
   * read first: whatever commits during the load has a higher one and is read again when the load is done.
   */
  function load(onLoaded?: (ms: number) => void): void {
    if (loading !== null || seen !== null) return;
    const started = performance.now();
    const from = latest.get() ?? 0;
    let after: number | null = 0;
    const step = () => {
      loading = null;
      if (!db.open) return; // closed while loading: the process is stopping
      if (!db.inTransaction) {
        const sliceEnd = performance.now() + sliceMs;
        do after = loadBatch(after!);
        while (after !== null && performance.now() < sliceEnd);
        if (after === null) {
          seen = from;
          onLoaded?.(performance.now() - started);
          return;
        }
      }
      loading = setImmediate(step);
    };
    loading = setImmediate(step);
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
      const from = latest.get() ?? 0;
      for (let after: number | null = 0; after !== null; ) after = loadBatch(after);
      seen = from;
    }
    if ((latest.get() ?? 0) > seen) {
      for (const row of changedSince.iterate(seen)) {
        apply(row);
        seen = Math.max(seen, row[6] ?? 0);
      }
    }
    return true;
  }

  return {
    sync,
    /** Starts reading every claim in the background, so that the first searches need not wait for it. */
    load,
    /** The column's codes by doc id, current as of the last sync. */
    codes: (column: DocColumn): Codes => columns[column].codes,
    codeOf: (column: DocColumn, value: string): number => columns[column].codeOf(value),
    valueOf: (column: DocColumn, code: number): string => columns[column].values[code]!,
    /** How many values the column has had codes for (code 0, no value, included). */
    cardinality: (column: DocColumn): number => columns[column].values.length,
  };
}

export type DocColumns = ReturnType<typeof createDocColumns>;
