// FTS5's own records, read where the service needs their figures without asking FTS5 to compute anything: the
// averages record (row count and tokens per column, which bm25 uses) and a document's column sizes (claims_fts_docsize).
// Both are SQLite varints one after another (big-endian groups of 7 bits, a ninth byte whole), as FTS5 writes them.

/** The varints of a record, in order. */
export function readVarints(block: Uint8Array): number[] {
  const out: number[] = [];
  let value = 0;
  let length = 0;
  for (const byte of block) {
    if (length === 8) {
      out.push(value * 256 + byte);
      value = length = 0;
      continue;
    }
    value = value * 128 + (byte & 0x7f);
    length++;
    if ((byte & 0x80) === 0) {
      out.push(value);
      value = length = 0;
    }
  }
  return out;
}

/** The sum of a record's varints: a document's length in tokens over all its columns, as bm25 counts it. */
export function sumVarints(block: Uint8Array): number {
  let sum = 0;
  let value = 0;
  for (const byte of block) {
    // Column sizes of documents stay far below 2^28, four bytes: no ninth byte to read whole.
    value = value * 128 + (byte & 0x7f);
    if ((byte & 0x80) === 0) {
      sum += value;
      value = 0;
    }
  }
  return sum;
}

/** The averages record: how many rows the index holds and how many tokens all of them hold together. */
export function indexTotals(block: Uint8Array | undefined): { rows: number; tokens: number } {
  if (block === undefined) return { rows: 0, tokens: 0 };
  const [rows = 0, ...columns] = readVarints(block);
  return { rows, tokens: columns.reduce((a, b) => a + b, 0) };
}
