// The in-memory columns' storage (src/search/doc-columns.ts): values as small integer codes in typed arrays by doc
// id, one value a claim or several, in the narrowest array that holds every code.

export type Codes = Uint8Array | Uint16Array | Uint32Array;

/** The narrowest array that holds codes below `values`, with room for docs below `size`, keeping what `from` had. */
function codesFor(values: number, size: number, from?: Codes): Codes {
  const codes = values <= 256 ? new Uint8Array(size) : values <= 65536 ? new Uint16Array(size) : new Uint32Array(size);
  if (from) codes.set(from.subarray(0, Math.min(size, from.length)));
  return codes;
}

/** Values as small integer codes: code 0 is "no value"; a closed vocabulary gets the first codes, in its order. */
export class Vocabulary {
  readonly values: string[] = [''];
  /** Each code's value as it was first given (years as numbers), so that another thread can rebuild the index. */
  readonly keys: (string | number)[] = [''];
  private readonly index = new Map<string | number, number>();

  /** A vocabulary giving the same codes as the one whose `keys` these are. */
  static of(keys: readonly (string | number)[]): Vocabulary {
    const vocabulary = new Vocabulary();
    for (const key of keys.slice(1)) vocabulary.code(key, () => {});
    return vocabulary;
  }

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
      this.keys.push(value);
      this.index.set(value, code);
      if (text !== value) this.index.set(text, code);
      if (code === 256 || code === 65536) grew();
    }
    return code;
  }
}

/** One value a claim: codes by doc id. A closed vocabulary's codes come straight from SQL (doc-columns.ts). */
export class Column {
  codes: Codes = new Uint8Array(0);
  readonly vocabulary: Vocabulary;
  // Neighbouring claims often share a value: the last one saves a map look-up.
  private last: string | number | null = null;
  private lastCode = 0;
  private readonly grew = () => this.resize(this.codes.length);

  /** A closed vocabulary's values come first, in its order; or the vocabulary of an image (`from`). */
  constructor(vocabulary: readonly string[] | Vocabulary = []) {
    if (vocabulary instanceof Vocabulary) this.vocabulary = vocabulary;
    else {
      this.vocabulary = new Vocabulary();
      for (const v of vocabulary) this.vocabulary.code(v, this.grew);
    }
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

  image(): ColumnImage {
    return { keys: this.vocabulary.keys, codes: this.codes };
  }

  /** The column `image` was taken of: its codes array itself, not a copy. */
  static from(image: ColumnImage): Column {
    const column = new Column(Vocabulary.of(image.keys));
    column.codes = image.codes;
    return column;
  }
}

/** What a column holds, as plain data that can cross to another thread (its arrays transferred, not copied). */
export interface ColumnImage {
  keys: readonly (string | number)[];
  codes: Codes;
}

/** Values kept in line per claim in a multi-valued column; the few claims with more keep the rest in `more`. */
export const INLINE_VALUES = 3;

/**
 * Several values a claim (subjects, citation roles), as codes: three slots by doc id, a count, and the rest beside
 * them. A claim has one to three subjects as a rule, and at most two roles.
 */
export class MultiColumn {
  slots: Codes[] = [new Uint8Array(0), new Uint8Array(0), new Uint8Array(0)];
  /** How many values each claim has (255 stands for 255 or more; `more` has them all). */
  count: Uint8Array = new Uint8Array(0);
  /** The values past the first three, by doc id. */
  readonly more = new Map<number, number[]>();
  private readonly grew = () => this.resize(this.count.length);

  constructor(readonly vocabulary = new Vocabulary()) {}

  set(doc: number, values: readonly string[]): void {
    const codes = values.map((e) => this.vocabulary.code(e, this.grew));
    for (let i = 0; i < INLINE_VALUES; i++) this.slots[i]![doc] = codes[i] ?? 0;
    this.count[doc] = Math.min(codes.length, 255);
    if (codes.length > INLINE_VALUES) this.more.set(doc, codes.slice(INLINE_VALUES));
    else this.more.delete(doc);
  }

  has(doc: number, code: number): boolean {
    const [s0, s1, s2] = this.slots as [Codes, Codes, Codes];
    if (s0[doc] === code || s1[doc] === code || s2[doc] === code) return true;
    return this.count[doc]! > INLINE_VALUES && this.more.get(doc)!.includes(code);
  }

  image(): MultiColumnImage {
    return { keys: this.vocabulary.keys, slots: this.slots, count: this.count, more: [...this.more] };
  }

  static from(image: MultiColumnImage): MultiColumn {
    const column = new MultiColumn(Vocabulary.of(image.keys));
    column.slots = image.slots;
    column.count = image.count;
    for (const [doc, codes] of image.more) column.more.set(doc, codes);
    return column;
  }

  resize(size: number): void {
    const n = this.vocabulary.values.length;
    this.slots = this.slots.map((codes) => codesFor(n, size, codes));
    const count = new Uint8Array(size);
    count.set(this.count.subarray(0, Math.min(size, this.count.length)));
    this.count = count;
  }
}

export interface MultiColumnImage {
  keys: readonly (string | number)[];
  slots: Codes[];
  count: Uint8Array;
  more: [doc: number, codes: number[]][];
}
