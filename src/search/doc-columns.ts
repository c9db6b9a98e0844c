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
import { COLUMN_FACETS } from '../claims/claims.list-query.js';
import type { Db } from '../db/open.js';

/** The facets that are columns of the claim: all of them are kept. */
export const DOC_COLUMNS = COLUMN_FACETS;
export type DocColumn = (typeof DOC_COLUMNS)[number];

type Codes = Uint8Array | Uint16Array | Uint32Array;

/**
 * One column: values as small integer codes (0 when the claim has none) and the values the codes stand for. Codes
 * take one byte while there are under 256 values, then two, then four.
 */
class Column {
  codes: Codes = new Uint8Array(0);
  readonly values: string[] = [''];
  private readonly index = new Map<string, number>();

  /** The code of a value, or -1 when no claim has it (so nothing matches). */
  codeOf(value: string): number {
    return this.index.get(value) ?? -1;
  }

  set(doc: number, value: string | null): void {
    let code = 0;
    if (value !== null) {
      code = this.index.get(value) ?? 0;
      if (code === 0) {
        code = this.values.length;
        this.values.push(value);
        this.index.set(value, code);
        if (code === 256 || code === 65536) this.resize(this.codes.length);
      }
    }
    this.codes[doc] = code;
  }

  /** Room for docs below `size`, in the narrowest array that holds every code. */
  resize(size: number): void {
    const n = this.values.length;
    const codes = n <= 256 ? new Uint8Array(size) : n <= 65536 ? new Uint16Array(size) : new Uint32Array(size);
    codes.set(this.codes);
    this.codes = codes;
  }
}

type Row = [doc: number, kind: string, verdict: string, unit: string | null, year: string | null, claimant: string | null, seq: number | null];
const SELECT = 'SELECT doc_id, kind, verdict, value_unit, substr(claimed_on, 1, 4), claimant_id, change_seq FROM claims';

export function createDocColumns(db: Db) {
  const columns = Object.fromEntries(DOC_COLUMNS.map((c) => [c, new Column()])) as Record<DocColumn, Column>;
  const latest = db.prepare<[], number | null>('SELECT max(change_seq) FROM claims').pluck();
  const everything = db.prepare<[], Row>(SELECT).raw();
  const changedSince = db.prepare<[number], Row>(`${SELECT} WHERE change_seq > ? ORDER BY change_seq`).raw();
  let seen: number | null = null;
  let size = 0;

  function apply(row: Row): void {
    const doc = row[0];
    if (doc >= size) {
      size = Math.max(doc + 1, Math.ceil(size * 1.5), 1024);
      for (const c of Object.values(columns)) c.resize(size);
    }
    columns.kind.set(doc, row[1]);
    columns.verdict.set(doc, row[2]);
    columns.unit.set(doc, row[3]);
    columns.year.set(doc, row[4]);
    columns.claimant.set(doc, row[5]);
  }

  /**
   * Brings the arrays up to date. False inside an open transaction: what it sees there may still roll back, and a
   * change number read from it could be taken again by the next write.
   */
  function sync(): boolean {
    if (db.inTransaction) return false;
    const now = latest.get() ?? 0;
    if (seen === null) {
      // The latest number is read first: a write that commits during the load is read again next time.
      for (const row of everything.iterate()) apply(row);
      seen = now;
    } else if (now > seen) {
      for (const row of changedSince.iterate(seen)) {
        apply(row);
        seen = Math.max(seen, row[6] ?? 0);
      }
    }
    return true;
  }

  return {
    sync,
    /** The column's codes by doc id, current as of the last sync. */
    codes: (column: DocColumn): Codes => columns[column].codes,
    codeOf: (column: DocColumn, value: string): number => columns[column].codeOf(value),
    valueOf: (column: DocColumn, code: number): string => columns[column].values[code]!,
    /** How many values the column has had codes for (code 0, no value, included). */
    cardinality: (column: DocColumn): number => columns[column].values.length,
  };
}

export type DocColumns = ReturnType<typeof createDocColumns>;
