// The arrays of the search columns (doc-columns.ts), by full-text doc id: a slot a claim in each, grown as doc ids
// grow; how a claim's row of values, its indexed length and its multi-valued rows land in them; and their image, the
// plain data a worker thread sends (doc-columns.runner.ts).
import type { ColumnFacet as DocColumn } from '../claims/claims.facet-sql.js';
import { CLAIM_KINDS, VERDICTS } from '../domain/vocabulary.js';
import { Column, MultiColumn } from './doc-codes.js';
import type { DocColumnsImage } from './doc-columns.runner.js';
import { MULTI, type MultiName, NO_FIRST_DAY, NO_LAST_DAY, type Row } from './doc-columns.sql.js';
import { sumVarints } from './fts5-records.js';

/** A copy of `array` with room for `size` values, of the same type. */
function widened<T extends Uint8Array | Uint32Array | Int32Array | Float64Array>(array: T, size: number): T {
  const bigger = new (array.constructor as new (length: number) => T)(size);
  bigger.set(array);
  return bigger;
}

export class DocArrays {
  columns: Record<DocColumn, Column> = {
    kind: new Column(CLAIM_KINDS),
    verdict: new Column(VERDICTS),
    unit: new Column(),
    year: new Column(),
    claimant: new Column(),
  };
  multi = Object.fromEntries(MULTI.map((name) => [name, new MultiColumn()])) as Record<MultiName, MultiColumn>;
  retracted: Uint8Array = new Uint8Array(0);
  /** Each claim's length in tokens in the full-text index, all columns together, as bm25 weighs it. */
  lengths: Uint32Array = new Uint32Array(0);
  ranges = {
    factFirst: new Int32Array(0),
    factLast: new Int32Array(0),
    claimedFirst: new Int32Array(0),
    claimedLast: new Int32Array(0),
    valueLow: new Float64Array(0),
    valueHigh: new Float64Array(0),
    /** VALUE_LOW_OPEN, VALUE_HIGH_OPEN or 0, by doc. */
    valueOpen: new Uint8Array(0),
  };
  /** Docs below this have a slot. */
  size = 0;

  private grow(to: number): void {
    this.size = to;
    for (const c of Object.values(this.columns)) c.resize(to);
    for (const c of Object.values(this.multi)) c.resize(to);
    this.retracted = widened(this.retracted, to);
    this.lengths = widened(this.lengths, to);
    const ranges = this.ranges as Record<string, Int32Array | Float64Array | Uint8Array>;
    for (const [name, array] of Object.entries(ranges)) ranges[name] = widened(array, to);
  }

  /**
   * Room for every doc up to `last`, and a little more, before a full read: growing by half as claims arrive would
   * leave up to a third of a million-claim database's arrays (tens of MB) unused.
   */
  reserve(last: number): void {
    if (last >= this.size) this.grow(last + 1 + Math.ceil(last / 64));
  }

  /** A claim's single-valued columns, from its row of CLAIM_VALUES. */
  apply(row: Row): void {
    const doc = row[0];
    if (doc >= this.size) this.grow(Math.max(doc + 1, Math.ceil(this.size * 1.5), 1024));
    const { columns, ranges } = this;
    if (typeof row[1] === 'number') columns.kind.setCode(doc, row[1]);
    else columns.kind.set(doc, row[1]);
    if (typeof row[2] === 'number') columns.verdict.setCode(doc, row[2]);
    else columns.verdict.set(doc, row[2]);
    columns.unit.set(doc, row[3]);
    columns.year.set(doc, row[4]);
    columns.claimant.set(doc, row[5]);
    this.retracted[doc] = row[6];
    ranges.factFirst[doc] = row[7] ?? NO_FIRST_DAY;
    ranges.factLast[doc] = row[8] ?? NO_LAST_DAY;
    ranges.claimedFirst[doc] = row[9] ?? NO_FIRST_DAY;
    ranges.claimedLast[doc] = row[10] ?? NO_LAST_DAY;
    // NaN fails every comparison, as NULL does in SQL.
    ranges.valueLow[doc] = row[11] ?? Number.NaN;
    ranges.valueHigh[doc] = row[12] ?? Number.NaN;
    ranges.valueOpen[doc] = row[13];
  }

  /** The indexed lengths of `docs` (which `apply` has made room for), from FTS5's records of them (doc, sizes). */
  applyLengths(docs: readonly number[], records: readonly [doc: number, sizes: Buffer][]): void {
    for (const doc of docs) this.lengths[doc] = 0;
    for (const [doc, sizes] of records) if (doc < this.size) this.lengths[doc] = sumVarints(sizes);
  }

  /** The values of `docs` in the named multi-valued columns, from rows of (doc, a value per column) in doc order. */
  applyMulti(docs: readonly number[], names: readonly MultiName[], rows: readonly [doc: number, ...values: string[]][]): void {
    const targets = names.map((name) => this.multi[name]);
    let r = 0;
    for (const doc of docs) {
      const values: string[][] = targets.map(() => []);
      for (; r < rows.length && rows[r]![0] === doc; r++) targets.forEach((_, i) => values[i]!.push(rows[r]![i + 1] as string));
      targets.forEach((column, i) => column.set(doc, values[i]!));
    }
  }

  /** Everything the arrays hold, as data another thread can send, current as of change number `seen`. */
  image(seen: number): DocColumnsImage {
    return {
      seen,
      size: this.size,
      columns: Object.fromEntries(Object.entries(this.columns).map(([name, column]) => [name, column.image()])) as DocColumnsImage['columns'],
      multi: Object.fromEntries(Object.entries(this.multi).map(([name, column]) => [name, column.image()])) as DocColumnsImage['multi'],
      retracted: this.retracted,
      lengths: this.lengths,
      ranges: { ...this.ranges },
    };
  }

  /** Takes over the arrays of an image (not copies of them). */
  adopt(from: DocColumnsImage): void {
    for (const name of Object.keys(this.columns) as DocColumn[]) this.columns[name] = Column.from(from.columns[name]);
    for (const name of MULTI) this.multi[name] = MultiColumn.from(from.multi[name]);
    this.retracted = from.retracted;
    this.lengths = from.lengths;
    Object.assign(this.ranges, from.ranges);
    this.size = from.size;
  }
}
