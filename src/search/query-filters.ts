// A question read as filters. Fact-checkers type what they want to know: "every market loss over $100 billion in
// January 2025", "what did SemiAnalysis claim". Read as words, the first finds claims that say "over", "100",
// "billion" and "January", whatever their values and dates; the service has filters that say exactly that
// (valueMax=-100000000000&unit=USD&factFrom=2025-01&factTo=2025-01). This reads three kinds of phrase out of a plain
// search, and only these, written as a reader writes them in English:
//   - an amount of money after a comparison: over, more than, above, at least, under, less than, below, at most, up
//     to; then $ (or US$), €, £, or a number followed by USD, EUR, GBP, dollars, euros; with million, billion,
//     trillion, thousand or their abbreviations (m, bn, b, tn, k). Where the search speaks of a fall (loss, lost, fell,
//     drop, decline, erased, wiped...), the amount is one of the negative changes values store: "a loss over $100
//     billion" is a value of at most -100000000000, "under" one between -X and 0. Otherwise "over X" is at least X
//     and "under X" between 0 and X. Bounds are read inclusive, as the filters are.
//   - a date: "in January 2025", "in Jan 2025", "in 2025", "on 27 January 2025", "on January 27, 2025", "on
//     2025-01-27": when the fact holds, or when it was claimed where a verb of saying stands just before ("said in
//     2024").
//   - who made the claim: "did X say/claim/estimate/report...", "according to X", "X says/claims/estimates...",
//     where X is an entity's name or alias, whole.
// At most one of each; two amounts or two dates are left as words. A search with quotes, operators or prefixes is left
// as it is: its writer chose the words. The words left, without the question words, are the search; none may be left.
// The reading is offered, never applied (src/claims/claims.search.ts), and only when it finds claims.
import { QUESTION_WORDS } from './question-words.js';

/** Filters read out of a search, as the claims list takes them (strings, partial dates as written). */
export interface ReadFilters {
  claimant?: string;
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
}

/** Finds an entity's id by its name or an alias, whole (case aside). */
export type EntityByName = (name: string) => string | null;

const SCALES: Record<string, number> = { thousand: 3, k: 3, million: 6, m: 6, mn: 6, billion: 9, bn: 9, b: 9, trillion: 12, tn: 12, t: 12 };
const SYMBOLS: Record<string, string> = { $: 'USD', us$: 'USD', '€': 'EUR', '£': 'GBP' };
// Not "pounds": as often a weight as money.
const CODES: Record<string, string> = { usd: 'USD', dollars: 'USD', dollar: 'USD', eur: 'EUR', euros: 'EUR', euro: 'EUR', gbp: 'GBP' };
const ABOVE = 'over|more than|above|greater than|exceeding|at least|upwards of';
const BELOW = 'under|less than|below|at most|up to';
const RAISES = new RegExp(`^(?:${ABOVE})$`, 'i');
const NUMBER = String.raw`(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?`;
const SCALE = String.raw`(?:\s*(thousand|million|billion|trillion|mn|bn|tn|[kmbt])\b)?`;
/** "over $100 billion", "under €5m", "at least 2.5 billion dollars". */
const AMOUNT = new RegExp(
  String.raw`\b(${ABOVE}|${BELOW})\s+(?:(us\$|\$|€|£)\s?${NUMBER}${SCALE}|${NUMBER}${SCALE}\s+(usd|dollars?|eur|euros?|gbp))(?![\w.,]*\d)`,
  'giu',
);
/** Words that make an amount a fall: a loss over $100 billion is a change below -100 billion. */
const FALL = /\b(?:loss|losses|lost|lose|loses|losing|fell|fall|falls|falling|drop|drops|dropped|decline|declines|declined|decrease|decreased|erased|erase|wiped|shed|sheds|plunge|plunged|slump|slumped|wipeout)\b/i;

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const MONTH = String.raw`(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?`;
const YEAR = String.raw`((?:19|20)\d\d)`;
/**
 * The verbs that make a date the claim's own when they stand just before it: "said in 2024", "did SemiAnalysis claim
 * in 2025". Looked for before the date rather than taken with it: the verb may belong to the claimant's phrase too.
 */
const SAID_BEFORE = /\b(?:say|said|says|claim|claimed|claims|state|stated|report|reported|publish|published|estimate|estimated|announce|announced|write|wrote|predict|predicted|forecast)\s+$/i;
const DATES: { pattern: RegExp; date: (m: RegExpExecArray) => string | null }[] = [
  { pattern: new RegExp(String.raw`\bon\s+${YEAR}-(\d\d)-(\d\d)\b`, 'giu'), date: (m) => day(m[1]!, Number(m[2]), Number(m[3])) },
  { pattern: new RegExp(String.raw`\bon\s+(\d{1,2})\s+${MONTH}\s+${YEAR}\b`, 'giu'), date: (m) => day(m[3]!, month(m[2]!), Number(m[1])) },
  { pattern: new RegExp(String.raw`\bon\s+${MONTH}\s+(\d{1,2}),?\s+${YEAR}\b`, 'giu'), date: (m) => day(m[3]!, month(m[1]!), Number(m[2])) },
  { pattern: new RegExp(String.raw`\b(?:in|during)\s+${MONTH}\s+${YEAR}\b`, 'giu'), date: (m) => `${m[2]}-${pad(month(m[1]!))}` },
  { pattern: new RegExp(String.raw`\b(?:in|during)\s+${YEAR}\b(?![.,]?\d)`, 'giu'), date: (m) => m[1]! },
];

/** "did SemiAnalysis claim", "according to Bloomberg", "SemiAnalysis estimates". The name is tried whole. */
const CLAIMANTS = [
  /\b(?:did|does|do|has|have)\s+(.+?)\s+(?:say|claim|estimate|report|state|write|find|predict|forecast|announce)\b/giu,
  /\baccording\s+to\s+(.+?)(?=\s*(?:[,;:?!]|\.(?:\s|$)|$|\s(?:in|on|about|over|under|that|for)\b))/giu,
  /(?:^|[,;:]\s*)(.+?)\s+(?:says|said|claims|claimed|estimates|estimated|reports|reported|predicts|predicted)\b/giu,
];

const pad = (n: number) => String(n).padStart(2, '0');
const month = (name: string) => MONTHS.findIndex((m) => m.startsWith(name.toLowerCase().slice(0, 3))) + 1;
function day(year: string, m: number, d: number): string | null {
  const date = new Date(Date.UTC(Number(year), m - 1, d));
  return m >= 1 && date.getUTCMonth() === m - 1 && date.getUTCDate() === d ? `${year}-${pad(m)}-${pad(d)}` : null;
}

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

/**
 * The search read as filters, or null when it holds none of the phrases above or is not plain words. `findEntity`
 * resolves a claimant's name; a name it does not know is left as words.
 */
export function readFilters(input: string, findEntity: EntityByName): FilterReading | null {
  // Quotes, operators, prefixes and column filters: the writer chose how the words combine.
  if (/["*:()]/.test(input) || /\b(?:AND|OR|NOT|NEAR)\b/.test(input)) return null;
  const filters: ReadFilters = {};
  let claimantName: string | undefined;
  const spans: [number, number][] = [];
  const amount = once(AMOUNT, input);
  if (amount !== null) {
    const [, comparison, symbol, whole1, fraction1, scale1, whole2, fraction2, scale2, code] = amount;
    const unit = symbol !== undefined ? SYMBOLS[symbol.toLowerCase()]! : CODES[code!.toLowerCase()]!;
    const value = symbol !== undefined ? amountOf(whole1!, fraction1, scale1) : amountOf(whole2!, fraction2, scale2);
    const above = RAISES.test(comparison!.replace(/\s+/g, ' '));
    const fall = FALL.test(without(input, [[amount.index, amount.index + amount[0].length]]));
    filters.unit = unit;
    if (above) {
      if (fall) filters.valueMax = negate(value);
      else filters.valueMin = value;
    } else if (fall) [filters.valueMin, filters.valueMax] = [negate(value), '0'];
    else [filters.valueMin, filters.valueMax] = ['0', value];
    spans.push([amount.index, amount.index + amount[0].length]);
  }
  const dates = DATES.flatMap(({ pattern, date }) => [...input.matchAll(pattern)].map((m) => ({ m, date: date(m) })));
  // Overlapping readings of one phrase cannot happen (each pattern starts with its own preposition); two dates can.
  if (dates.length === 1 && dates[0]!.date !== null && !overlaps(spans, dates[0]!.m)) {
    const { m, date } = dates[0]!;
    if (!SAID_BEFORE.test(input.slice(0, m.index))) [filters.factFrom, filters.factTo] = [date!, date!];
    else [filters.claimedFrom, filters.claimedTo] = [date!, date!];
    spans.push([m.index, m.index + m[0].length]);
  }
  for (const pattern of CLAIMANTS) {
    const m = once(pattern, input);
    if (m === null || overlaps(spans, m)) continue;
    // As written ("The Economist"), else without a question's first word ("what SemiAnalysis says").
    const written = m[1]!.trim();
    const bare = written.replace(/^(?:what|which|how|did|does|the)\s+/i, '');
    const [name, id] = [written, bare].map((n) => [n, findEntity(n)] as const).find(([, found]) => found !== null) ?? [written, null];
    if (id === null) continue;
    filters.claimant = id;
    claimantName = name;
    spans.push([m.index, m.index + m[0].length]);
    break;
  }
  if (spans.length === 0) return null;
  const left = (without(input, spans).match(/[\p{L}\p{N}][\p{L}\p{N}'’.,$%-]*/gu) ?? [])
    .map((w) => w.replace(/[.,]+$/, ''))
    .filter((w) => w !== '' && !QUESTION_WORDS.has(w.toLowerCase()) && !EVERY.has(w.toLowerCase()));
  return { q: left.length === 0 ? undefined : left.join(' '), filters, ...(claimantName === undefined ? {} : { claimantName }) };
}

/** Words that say how many, not what: "every market loss" asks after market losses. */
const EVERY = new Set(['every', 'all', 'any', 'each', 'show', 'list', 'find', 'me']);

const overlaps = (spans: [number, number][], m: RegExpExecArray) => spans.some(([s, e]) => m.index < e && s < m.index + m[0].length);
