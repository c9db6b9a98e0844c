// A question read as filters. Fact-checkers type what they want to know: "every market loss over $100 billion in
// January 2025", "what did SemiAnalysis claim". Read as words, the first finds claims that say "over", "100",
// "billion" and "January", whatever their values and dates; the service has filters that say exactly that
// (valueMax=-100000000000&unit=USD&factFrom=2025-01&factTo=2025-01). This reads four kinds of phrase out of a plain
// search, and only these, written as a reader writes them in English:
//   - an amount after a comparison (over, more than, above, at least, under, less than, below, at most, up to) or
//     between two amounts ("between $5 million and $6 million", "between $5 and $6 million": a scale given once is
//     both's); in $ (or US$), €, £, or a number followed by USD, EUR, GBP, dollars, euros, or by a unit values are
//     stored in (GPUs, GPU hours, %, percent, tokens, parameters); with million, billion, trillion, thousand or their
//     abbreviations (m, bn, b, tn, k); or a rank: "No. 1", "number 1", "#1" (that rank), "top 10" (ranks 1 to 10). Where the search speaks of a fall (loss,
//     lost, fell, drop, decline, erased, wiped...), amounts are the negative changes values store: "a loss over $100
//     billion" is a value of at most -100000000000, "under" one between -X and 0. Otherwise "over X" is at least X
//     and "under X" between 0 and X. Bounds are read inclusive, as the filters are.
//   - a date, a range of dates or an open end (src/search/query-dates.ts): when the fact holds, or when it was
//     claimed where a verb of saying stands just before ("said in 2024").
//   - who made the claim: "did X say/claim/estimate/report...", "according to X", "X says/claims/estimates...",
//     where X is an entity's name or alias, whole; or "by X", X the longest run of words that is one ("estimates by
//     SemiAnalysis"; "down by 17%" and "by 2030" name no entity).
//   - what the claim is about: "about X", "regarding X", "concerning X", where X is the longest run of up to five
//     words that is an entity's name or alias ("about Nvidia H800 exports" is about the Nvidia H800).
// At most one of each; two amounts or two dates are left as words. A search with quotes, operators or prefixes is left
// as it is: its writer chose the words. The words left, without the question words, are the search; none may be left.
// The reading is offered, never applied (src/claims/claims.search.ts), and only when it finds claims.
import { readDates } from './query-dates.js';
import { QUESTION_WORDS } from './question-words.js';

/** Filters read out of a search, as the claims list takes them (strings, partial dates as written). */
export interface ReadFilters {
  claimant?: string;
  subject?: string;
  unit?: string;
  valueMin?: string;
  valueMax?: string;
  factFrom?: string;
  factTo?: string;
  claimedFrom?: string;
  claimedTo?: string;
}

export interface FilterReading {
  /** The words left to search, or undefined when none are. */
  q: string | undefined;
  filters: ReadFilters;
  /** The claimant's name as written, when one was read. */
  claimantName?: string;
  /** The subject's name as written, when one was read. */
  subjectName?: string;
}

/** Finds an entity's id by its name or an alias, whole (case aside). */
export type EntityByName = (name: string) => string | null;

const SCALES: Record<string, number> = { thousand: 3, k: 3, million: 6, m: 6, mn: 6, billion: 9, bn: 9, b: 9, trillion: 12, tn: 12, t: 12 };
const SYMBOLS: Record<string, string> = { $: 'USD', us$: 'USD', '€': 'EUR', '£': 'GBP' };
// Not "pounds": as often a weight as money.
const CODES: Record<string, string> = { usd: 'USD', dollars: 'USD', dollar: 'USD', eur: 'EUR', euros: 'EUR', euro: 'EUR', gbp: 'GBP' };
/** The units after a number that are not money, as values store them: "over 10,000 GPUs", "under 5%". */
const UNIT_WORDS: Record<string, string> = { gpus: 'GPUs', gpu: 'GPUs', 'gpu-hours': 'GPU-hours', 'gpu hours': 'GPU-hours', 'gpu-hour': 'GPU-hours', 'gpu hour': 'GPU-hours', '%': 'percent', percent: 'percent', 'per cent': 'percent', tokens: 'tokens', parameters: 'parameters' };
const ABOVE = 'over|more than|above|greater than|exceeding|at least|upwards of';
const BELOW = 'under|less than|below|at most|up to';
const RAISES = new RegExp(`^(?:${ABOVE})$`, 'i');
const NUMBER = String.raw`(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?`;
const SCALE = String.raw`(?:\s*(thousand|million|billion|trillion|mn|bn|tn|[kmbt])\b)?`;
const SYMBOL = String.raw`(us\$|\$|€|£)`;
/** A currency or another unit after the number, spaced as written ("5 million dollars", "10%", "2,048 GPUs"). */
const CODE = String.raw`\s*(usd|dollars?|eur|euros?|gbp|gpu[- ]hours?|gpus?|percent|per cent|tokens|parameters|%)(?![\w-])`;
/** An amount that goes on as a number ("$5.5.5") is not one. */
const ENDS = String.raw`(?![\w.,]*\d)`;
/** "over $100 billion", "under €5m", "at least 2.5 billion dollars". */
const AMOUNT = new RegExp(String.raw`\b(${ABOVE}|${BELOW})\s+(?:${SYMBOL}\s?${NUMBER}${SCALE}|${NUMBER}${SCALE}${CODE})${ENDS}`, 'giu');
/** A rank: "No. 1", "number 1", "#1", or the ranks up to one, "top 10". */
const RANK = /(?:\b(top)\s+|\b(?:no\.?|number)\s?|#)(\d{1,4})\b(?![.,]\d)/giu;
/** "between $5 million and $6 million", "between $5 and $6 million", "between 1 and 2 billion dollars", "between 5% and 10%". */
const BETWEEN = new RegExp(String.raw`\bbetween\s+${SYMBOL}?\s?${NUMBER}${SCALE}(?:${CODE})?\s+and\s+${SYMBOL}?\s?${NUMBER}${SCALE}(?:${CODE})?${ENDS}`, 'giu');
/** Words that make an amount a fall: a loss over $100 billion is a change below -100 billion. */
const FALL = /\b(?:loss|losses|lost|lose|loses|losing|fell|fall|falls|falling|drop|drops|dropped|decline|declines|declined|decrease|decreased|erased|erase|wiped|shed|sheds|plunge|plunged|slump|slumped|wipeout)\b/i;

/**
 * The verbs that make a date the claim's own when they stand just before it: "said in 2024", "did SemiAnalysis claim
 * in 2025". Looked for before the date rather than taken with it: the verb may belong to the claimant's phrase too.
 */
const SAID_BEFORE = /\b(?:say|said|says|claim|claimed|claims|state|stated|report|reported|publish|published|estimate|estimated|announce|announced|write|wrote|predict|predicted|forecast)\s+$/i;
/** "did SemiAnalysis claim", "according to Bloomberg", "SemiAnalysis estimates". The name is tried whole. */
const CLAIMANTS = [
  /\b(?:did|does|do|has|have)\s+(.+?)\s+(?:say|claim|estimate|report|state|write|find|predict|forecast|announce)\b/giu,
  /\baccording\s+to\s+(.+?)(?=\s*(?:[,;:?!]|\.(?:\s|$)|$|\s(?:in|on|about|over|under|that|for)\b))/giu,
  /(?:^|[,;:]\s*)(.+?)\s+(?:says|said|claims|claimed|estimates|estimated|reports|reported|predicts|predicted)\b/giu,
];

/** The amount as an exact decimal string: 100 billion is "100000000000", 5.576 million "5576000", 2.5k "2500". */
function amountOf(whole: string, fraction: string | undefined, scale: string | undefined): string {
  const digits = whole.replaceAll(',', '') + (fraction ?? '');
  const shift = (scale === undefined ? 0 : SCALES[scale.toLowerCase()]!) - (fraction?.length ?? 0);
  const raw = shift >= 0 ? digits + '0'.repeat(shift) : `${digits.slice(0, shift) || '0'}.${digits.slice(shift).padStart(-shift, '0')}`;
  const [int, frac] = raw.split('.') as [string, string | undefined];
  const trimmed = int.replace(/^0+(?=\d)/, '');
  const decimals = frac?.replace(/0+$/, '');
  return decimals ? `${trimmed}.${decimals}` : trimmed;
}

const negate = (amount: string) => (amount === '0' ? '0' : `-${amount}`);

/** Everything between matched spans, the spans themselves left out. */
function without(input: string, spans: [number, number][]): string {
  let out = '';
  let at = 0;
  for (const [start, end] of [...spans].sort((a, b) => a[0] - b[0])) {
    out += `${input.slice(at, start)} `;
    at = end;
  }
  return out + input.slice(at);
}

/** Every match of a pattern, or null when it matches more than once (two amounts: which is meant is not known). */
function once(pattern: RegExp, input: string): RegExpExecArray | null {
  const all = [...input.matchAll(pattern)];
  return all.length === 1 ? (all[0] as RegExpExecArray) : null;
}

/** An amount phrase read: its bounds as exact decimals (either may be open), in its currency. */
interface AmountReading {
  unit: string;
  min?: string;
  max?: string;
  span: [number, number];
  /** A rank is a position, never a change: a fall beside it does not make it negative. */
  position?: true;
}

const unitOf = (symbol: string | undefined, code: string | undefined) =>
  symbol !== undefined ? SYMBOLS[symbol.toLowerCase()]! : code !== undefined ? unitWord(code) : undefined;
const unitWord = (code: string) => {
  const word = code.toLowerCase().replace(/\s+/g, ' ');
  return CODES[word] ?? UNIT_WORDS[word]!;
};
const spanOf = (m: RegExpMatchArray): [number, number] => [m.index!, m.index! + m[0].length];

/** Every amount phrase: a comparison and an amount, or between two amounts in one currency. */
function readAmounts(input: string): AmountReading[] {
  const compared = [...input.matchAll(AMOUNT)].map((m): AmountReading => {
    const [, comparison, symbol, whole1, fraction1, scale1, whole2, fraction2, scale2, code] = m;
    const value = symbol !== undefined ? amountOf(whole1!, fraction1, scale1) : amountOf(whole2!, fraction2, scale2);
    const unit = unitOf(symbol, code)!;
    return RAISES.test(comparison!.replace(/\s+/g, ' ')) ? { unit, min: value, span: spanOf(m) } : { unit, max: value, span: spanOf(m) };
  });
  const between = [...input.matchAll(BETWEEN)].flatMap((m): AmountReading[] => {
    const [, symbol1, whole1, fraction1, scale1, code1, symbol2, whole2, fraction2, scale2, code2] = m;
    // One currency, named at least once: "between 2023 and 2025" is no amount.
    const units = new Set([unitOf(symbol1, code1), unitOf(symbol2, code2)].filter((u) => u !== undefined));
    if (units.size !== 1) return [];
    const second = amountOf(whole2!, fraction2, scale2);
    // "between $5 and $6 million": the scale written once is both's, unless that puts the first above the second.
    const shared = scale1 === undefined && scale2 !== undefined ? amountOf(whole1!, fraction1, scale2) : undefined;
    const first = shared !== undefined && Number(shared) <= Number(second) ? shared : amountOf(whole1!, fraction1, scale1);
    const [min, max] = Number(first) <= Number(second) ? [first, second] : [second, first];
    return [{ unit: [...units][0]!, min, max, span: spanOf(m) }];
  });
  // "No. 1", "number 1", "#1": that rank; "top 10": ranks 1 to 10.
  const ranks = [...input.matchAll(RANK)].map((m): AmountReading => {
    const [, top, n] = m;
    const rank = String(Number(n));
    return { unit: 'rank', min: top === undefined ? rank : '1', max: rank, span: spanOf(m), position: true };
  });
  return [...compared, ...between, ...ranks.filter((r) => r.max !== '0')];
}

/**
 * The filters of an amount: where the search speaks of a fall, its bounds are magnitudes of a negative change (over X
 * is at most -X, under X between -X and 0); otherwise under X is between 0 and X, so that a loss is not a cost.
 */
function amountFilters({ unit, min, max, position }: AmountReading, fall: boolean): ReadFilters {
  if (fall && position === undefined) return { unit, ...(max === undefined ? {} : { valueMin: negate(max) }), valueMax: min === undefined ? '0' : negate(min) };
  return { unit, valueMin: min ?? '0', ...(max === undefined ? {} : { valueMax: max }) };
}

const ABOUT = /\b(?:about|regarding|concerning)\s+/giu;
/** "estimates by SemiAnalysis", "claims by Bloomberg": "by" with a name (not "by 17%", "by 2030": no entity's names). */
const BY = /\bby\s+/giu;
/** Up to five words after "about", each up to a space or a mark that ends a phrase. */
const NAME_WORDS = /^[\p{L}\p{N}&][^\s,;:?!]*(?:\s+[\p{L}\p{N}&][^\s,;:?!]*){0,4}/u;

/** "about Nvidia H800 exports": the longest run of words after "about" (`lead`) that names an entity (Nvidia H800). */
function readNamed(lead: RegExp, input: string, findEntity: EntityByName): { id: string; name: string; span: [number, number] } | null {
  const m = once(lead, input);
  if (m === null) return null;
  const start = m.index + m[0].length;
  const run = NAME_WORDS.exec(input.slice(start))?.[0];
  if (run === undefined) return null;
  const ends = [...run.matchAll(/\S+/g)].map((w) => w.index! + w[0].length);
  for (const end of ends.reverse()) {
    const name = run.slice(0, end).replace(/\.$/, '');
    for (const candidate of [name, name.replace(/^the\s+/i, '')]) {
      const id = findEntity(candidate);
      if (id !== null) return { id, name: candidate, span: [m.index, start + end] };
    }
  }
  return null;
}

/**
 * The search read as filters, or null when it holds none of the phrases above or is not plain words. `findEntity`
 * resolves a claimant's or subject's name; a name it does not know is left as words. `now` places "last year".
 */
export function readFilters(input: string, findEntity: EntityByName, now: Date = new Date()): FilterReading | null {
  // Quotes, operators, prefixes and column filters: the writer chose how the words combine.
  if (/["*:()]/.test(input) || /\b(?:AND|OR|NOT|NEAR)\b/.test(input)) return null;
  const filters: ReadFilters = {};
  let claimantName: string | undefined;
  let subjectName: string | undefined;
  const spans: [number, number][] = [];
  const amounts = readAmounts(input);
  if (amounts.length === 1) {
    const amount = amounts[0]!;
    Object.assign(filters, amountFilters(amount, FALL.test(without(input, [amount.span]))));
    spans.push(amount.span);
  }
  const dates = readDates(input, now).filter((d) => !overlaps(spans, [d.index, d.end]));
  if (dates.length === 1 && (dates[0]!.from !== undefined || dates[0]!.to !== undefined)) {
    const { from, to, index, end } = dates[0]!;
    const [fromKey, toKey] = SAID_BEFORE.test(input.slice(0, index)) ? (['claimedFrom', 'claimedTo'] as const) : (['factFrom', 'factTo'] as const);
    if (from !== undefined) filters[fromKey] = from;
    if (to !== undefined) filters[toKey] = to;
    spans.push([index, end]);
  }
  for (const pattern of CLAIMANTS) {
    const m = once(pattern, input);
    if (m === null || overlaps(spans, spanOf(m))) continue;
    // As written ("The Economist"), else without a question's first word ("what SemiAnalysis says").
    const written = m[1]!.trim();
    const bare = written.replace(/^(?:what|which|how|did|does|the)\s+/i, '');
    const [name, id] = [written, bare].map((n) => [n, findEntity(n)] as const).find(([, found]) => found !== null) ?? [written, null];
    if (id === null) continue;
    filters.claimant = id;
    claimantName = name;
    spans.push(spanOf(m));
    break;
  }
  const by = filters.claimant === undefined ? readNamed(BY, input, findEntity) : null;
  if (by !== null && !overlaps(spans, by.span)) {
    filters.claimant = by.id;
    claimantName = by.name;
    spans.push(by.span);
  }
  const subject = readNamed(ABOUT, input, findEntity);
  if (subject !== null && !overlaps(spans, subject.span)) {
    filters.subject = subject.id;
    subjectName = subject.name;
    spans.push(subject.span);
  }
  if (spans.length === 0) return null;
  const left = (without(input, spans).match(/[\p{L}\p{N}][\p{L}\p{N}'’.,$%-]*/gu) ?? [])
    .map((w) => w.replace(/[.,]+$/, ''))
    .filter((w) => w !== '' && !QUESTION_WORDS.has(w.toLowerCase()) && !EVERY.has(w.toLowerCase()));
  return {
    q: left.length === 0 ? undefined : left.join(' '),
    filters,
    ...(claimantName === undefined ? {} : { claimantName }),
    ...(subjectName === undefined ? {} : { subjectName }),
  };
}

/** Words that say how many, not what: "every market loss" asks after market losses. */
const EVERY = new Set(['every', 'all', 'any', 'each', 'show', 'list', 'find', 'me', 'claim', 'claims']);

const overlaps = (spans: [number, number][], [start, end]: [number, number]) => spans.some(([s, e]) => start < e && s < end);
