// Each claim's kind, verdict, unit, year, claimant, subjects and whether it is retracted, in memory by full-text doc
// id, for filtering and counting. SQLite answers "which of these 20,000 hits are quotes" with one index look-up per
// hit, about 1.25 µs each at a million claims (25 ms for a common word), and counting subjects over every claim took
// seconds; an array read costs nanoseconds. This is the doc-values idea of search engines, on one byte a claim per
// column, two once a column has over 255 values: 14 bytes a claim at a million claims (2 for claimants, 6 for three
// subject slots), with up to half as much again of room to grow.
//
// The arrays follow the database through claims.change_seq, which triggers give the next number on every insert, on
// every update of these columns, on retraction and on every edit (migrations 0004 and 0005), whoever writes: this
// service, a CLI, another process. Before each use, the claims changed since the last look are read again. A
// rolled-back write leaves no number behind, and numbers only grow, because writers take turns and claims are never
// deleted.
import type { ColumnFacet as DocColumn } from '../claims/claims.list-sql.js';
import type { Db } from '../db/open.js';
import { CLAIM_KINDS, VERDICTS } from '../domain/vocabulary.js';

export type Codes = Uint8Array | Uint16Array | Uint32Array;

/** The narrowest array that holds codes below `values`, with room for docs below `size`, keeping what `from` had. */
function codesFor(values: number, size: number, from?: Codes): Codes {
  const codes = values <= 256 ? new Uint8Array(size) : values <= 65536 ? new Uint16Array(size) : new Uint32Array(size);
  if (from) codes.set(from.subarray(0, Math.min(size, from.length)));
  return codes;
}

/** Values as small integer codes: code 0 is "no value"; a closed vocabulary gets the first codes, in its order. */
class Vocabulary {
  readonly values: string[] = [''];
  private readonly index = new Map<string | number, number>();

  /** The code of a value, or -1 when no claim has it (so nothing matches). */
  codeOf(value: string): number {
    return this.index.get(value) ?? -1;
  }

  /**
   * The value's code, given one if it is new; `grew` is then called when codes no longer fit the arrays' width.
   * Numbers (years) are their own keys and print with four digits.
   */
  code(value: string | number, grew: () => void): number {
    let code = this.index.get(value);
    if (code === undefined) {
      code = this.values.length;
      const text = typeof value === 'number' ? String(value).padStart(4, '0') : value;
      this.values.push(text);
      this.index.set(value, code);
      if (text !== value) this.index.set(text, code);
      if (code === 256 || code === 65536) grew();
    }
    return code;
  }
}

/** One value a claim: codes by doc id. A closed vocabulary's codes come straight from SQL (see load below). */
class Column {
  codes: Codes = new Uint8Array(0);
  readonly vocabulary: Vocabulary;
  // Neighbouring claims often share a value: the last one saves a map look-up.
  private last: string | number | null = null;
  private lastCode = 0;
  private readonly grew = () => this.resize(this.codes.length);

  constructor(vocabulary: readonly string[] = []) {
    this.vocabulary = new Vocabulary();
    for (const v of vocabulary) this.vocabulary.code(v, this.grew);
  }

  set(doc: number, value: string | number | null): void {
    if (value !== this.last) {
      this.lastCode = value === null ? 0 : this.vocabulary.code(value, this.grew);
      this.last = value;
    }
    this.codes[doc] = this.lastCode;
  }

  setCode(doc: number, code: number): void {
    this.codes[doc] = code;
  }

  resize(size: number): void {
    this.codes = codesFor(this.vocabulary.values.length, size, this.codes);
  }
}

/** Subjects kept in line per claim; the few claims with more keep the rest in `more`. */
export const INLINE_SUBJECTS = 3;

/** The subjects of each claim (entity ids as codes): three slots by doc id, a count, and the rest beside them. */
class SubjectColumn {
  readonly vocabulary = new Vocabulary();
  slots: Codes[] = [new Uint8Array(0), new Uint8Array(0), new Uint8Array(0)];
  /** How many subjects each claim has (255 stands for 255 or more; `more` has them all). */
  count = new Uint8Array(0);
  /** The subjects past the first three, by doc id. */
  readonly more = new Map<number, number[]>();
  private readonly grew = () => this.resize(this.count.length);

  set(doc: number, entities: readonly string[]): void {
    const codes = entities.map((e) => this.vocabulary.code(e, this.grew));
    for (let i = 0; i < INLINE_SUBJECTS; i++) this.slots[i]![doc] = codes[i] ?? 0;
    this.count[doc] = Math.min(codes.length, 255);
    if (codes.length > INLINE_SUBJECTS) this.more.set(doc, codes.slice(INLINE_SUBJECTS));
    else this.more.delete(doc);
  }

  resize(size: number): void {
    const n = this.vocabulary.values.length;
    this.slots = this.slots.map((codes) => codesFor(n, size, codes));
    const count = new Uint8Array(size);
    count.set(this.count.subarray(0, Math.min(size, this.count.length)));
    this.count = count;
  }
}

/**
 * SQL giving a closed vocabulary's code (its position + 1): integers cost far less to read than strings. A value
 * the vocabulary lacks (a schema ahead of this code) comes as itself.
 */
const codeSql = (column: string, vocabulary: readonly string[]) =>
  `CASE ${column} ${vocabulary.map((v, i) => `WHEN '${v}' THEN ${i + 1}`).join(' ')} ELSE ${column} END`;

type Row = [
  doc: number,
  kind: number | string,
  verdict: number | string,
  unit: string | null,
  year: number | null,
  claimant: string | null,
  retracted: number,
  seq?: number | null,
];
const COLUMNS = `doc_id, ${codeSql('kind', CLAIM_KINDS)}, ${codeSql('verdict', VERDICTS)}, value_unit,
  CAST(substr(claimed_on, 1, 4) AS INTEGER), claimant_id, retracted_at IS NOT NULL`;

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
  const subjects = new SubjectColumn();
  let retracted = new Uint8Array(0);
  const latest = db.prepare<[], number | null>('SELECT max(change_seq) FROM claims').pluck();
  const lastDoc = db.prepare<[], number | null>('SELECT max(doc_id) FROM claims').pluck();
  // In doc id order from the covering index claims_doc_facets, which holds every value read here.
  const batchAfter = db.prepare<[number, number], Row>(`SELECT ${COLUMNS} FROM claims WHERE doc_id > ? ORDER BY doc_id LIMIT ?`).raw();
  const changedSince = db.prepare<[number], Row>(`SELECT ${COLUMNS}, change_seq FROM claims WHERE change_seq > ? ORDER BY change_seq`).raw();
  const subjectsBetween = db.prepare<[number, number], [doc: number, entity: string]>(
    `SELECT c.doc_id, s.entity_id FROM claims c JOIN claim_subjects s ON s.claim_id = c.id
     WHERE c.doc_id > ? AND c.doc_id <= ? ORDER BY c.doc_id, s.position`,
  ).raw();
  /** The last change number applied; null until every claim has been read once. */
  let seen: number | null = null;
  let loading: NodeJS.Immediate | null = null;
  let size = 0;

  function apply(row: Row): void {
    const doc = row[0];
    if (doc >= size) {
      size = Math.max(doc + 1, Math.ceil(size * 1.5), 1024);
      for (const c of Object.values(columns)) c.resize(size);
      subjects.resize(size);
      const grown = new Uint8Array(size);
      grown.set(retracted);
      retracted = grown;
    }
    if (typeof row[1] === 'number') columns.kind.setCode(doc, row[1]);
    else columns.kind.set(doc, row[1]);
    if (typeof row[2] === 'number') columns.verdict.setCode(doc, row[2]);
    else columns.verdict.set(doc, row[2]);
    columns.unit.set(doc, row[3]);
    columns.year.set(doc, row[4]);
    columns.claimant.set(doc, row[5]);
    retracted[doc] = row[6];
  }

  /** The subjects of the docs in (after, last], which `apply` has made room for; a doc without any gets none. */
  function applySubjects(docs: number[], after: number, last: number): void {
    const rows = subjectsBetween.all(after, last);
    let r = 0;
    for (const doc of docs) {
      const entities: string[] = [];
      while (r < rows.length && rows[r]![0] === doc) entities.push(rows[r++]![1]);
      subjects.set(doc, entities);
    }
  }

  /** Reads one batch after `after`; the doc to continue after, or null at the end. */
  function loadBatch(after: number): number | null {
    const rows = batchAfter.all(after, BATCH);
    for (const row of rows) apply(row);
    if (rows.length > 0) applySubjects(rows.map((r) => r[0]), after, rows[rows.length - 1]![0]);
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
      // All of them before reading their subjects: iterate() keeps the statement busy.
      const changed = changedSince.all(seen);
      for (const row of changed) {
        apply(row);
        applySubjects([row[0]], row[0] - 1, row[0]);
        seen = Math.max(seen, row[7] ?? 0);
      }
    }
    return true;
  }

  const vocabularyOf = (column: DocColumn | 'subject'): Vocabulary => (column === 'subject' ? subjects.vocabulary : columns[column].vocabulary);

  return {
    sync,
    /** Starts reading every claim in the background, so that the first searches need not wait for it. */
    load,
    /** The column's codes by doc id, current as of the last sync. */
    codes: (column: DocColumn): Codes => columns[column].codes,
    /** 1 for a retracted claim, by doc id. */
    retracted: (): Uint8Array => retracted,
    /** Docs below this have a slot (kind code 0: no claim has that doc id). */
    size: (): number => size,
    /** Each claim's subjects; their codes are the `subject` column's. */
    subjects: (): Readonly<Pick<SubjectColumn, 'slots' | 'count' | 'more'>> => subjects,
    codeOf: (column: DocColumn | 'subject', value: string): number => vocabularyOf(column).codeOf(value),
    valueOf: (column: DocColumn | 'subject', code: number): string => vocabularyOf(column).values[code]!,
    /** How many values the column has had codes for (code 0, no value, included). */
    cardinality: (column: DocColumn | 'subject'): number => vocabularyOf(column).values.length,
  };
}

export type DocColumns = ReturnType<typeof createDocColumns>;
