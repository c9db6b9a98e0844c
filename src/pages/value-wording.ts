// A claim's value in words: "more than $500 million", "about -$800 billion", "between 10 and 20 GPUs".
// Amounts are exact decimal strings and stay strings: scaling to "million" is a shift of the decimal point
// on the digits, and Intl.NumberFormat formats the string itself (it takes decimal strings exactly since
// Intl.NumberFormat v3, Node 20), so "5576000.01" can never display as 5576000.009999.
import type { Claim } from '../claims/claims.schemas.js';

type Value = NonNullable<Claim['value']>;

const SCALES = [
  { exponent: 12, word: 'trillion' },
  { exponent: 9, word: 'billion' },
  { exponent: 6, word: 'million' },
] as const;

/** At most this many decimals in a compact mantissa: "$5.576 million" yes, "$5.576123 million" no. */
const MAX_COMPACT_DECIMALS = 3;

interface Parsed {
  negative: boolean;
  int: string;
  frac: string;
}

function parse(amount: string): Parsed {
  const negative = amount.startsWith('-');
  const [int = '0', frac = ''] = (negative ? amount.slice(1) : amount).split('.');
  return { negative, int: int.replace(/^0+(?=\d)/, ''), frac: frac.replace(/0+$/, '') };
}

/**
 * The amount as a mantissa of the largest scale it reaches, when that is exact with few decimals:
 * "1600000000" -> {mantissa: "1.6", word: "billion"}; "5576123" -> null (5.576123 million is not a round figure).
 */
export function compactParts(amount: string): { mantissa: string; word: string } | null {
  const { negative, int, frac } = parse(amount);
  const scale = SCALES.find((s) => int.length > s.exponent);
  if (!scale) return null;
  const head = int.slice(0, int.length - scale.exponent);
  const tail = (int.slice(int.length - scale.exponent) + frac).replace(/0+$/, '');
  if (tail.length > MAX_COMPACT_DECIMALS) return null;
  return { mantissa: `${negative ? '-' : ''}${head}${tail ? `.${tail}` : ''}`, word: scale.word };
}

const isMoney = (unit: string) => /^[A-Z]{3}$/.test(unit);

/** A decimal string formatted exactly, in en-US: money with its currency symbol, other numbers grouped. */
function formatNumber(amount: string, unit: string, compact = false): string {
  const decimals = parse(amount).frac.length;
  if (isMoney(unit)) {
    const standard = new Intl.NumberFormat('en-US', { style: 'currency', currency: unit }).resolvedOptions().minimumFractionDigits ?? 0;
    // Whole amounts without cents ("$294,000"); cents shown in full when present ("$16.50"), never rounded away.
    // A compact mantissa is not an amount of cents: "$1.6 billion", not "$1.60 billion".
    const min = decimals === 0 || compact ? 0 : Math.min(Math.max(decimals, standard), 20);
    const fmt = new Intl.NumberFormat('en-US', { style: 'currency', currency: unit, minimumFractionDigits: min, maximumFractionDigits: Math.max(min, decimals) });
    return fmt.format(amount as unknown as number); // a decimal string: formatted exactly, not through a float
  }
  const fmt = new Intl.NumberFormat('en-US', { maximumFractionDigits: Math.min(Math.max(decimals, 0), 20) });
  return fmt.format(amount as unknown as number);
}

/** How an amount of a unit reads: "$500 million", "2.788 million GPU-hours", "No. 1", "17%". */
export function amountInWords(amount: string, unit: string): string {
  if (unit === 'rank') return `No. ${formatNumber(amount, unit)}`;
  if (unit === 'percent') return `${formatNumber(amount, unit)}%`;
  const compact = compactParts(amount);
  const number = compact ? `${formatNumber(compact.mantissa, unit, true)} ${compact.word}` : formatNumber(amount, unit);
  if (isMoney(unit)) return number;
  if (unit === 'count') return number;
  const singular = !compact && parse(amount).int === '1' && parse(amount).frac === '';
  const unitWord = unit === 'GPUs' && singular ? 'GPU' : unit === 'GPU-hours' && singular ? 'GPU-hour' : unit;
  return `${number} ${unitWord}`;
}

const COMPARATOR_WORDS: Record<Exclude<Value['comparator'], 'between'>, string> = {
  eq: '',
  approx: 'about ',
  gt: 'more than ',
  gte: 'at least ',
  lt: 'less than ',
  lte: 'at most ',
};

/** The value with its comparator spelled out, e.g. "more than $500 million" for gt 500000000 USD. */
export function valueInWords(value: Value): string {
  if (value.comparator === 'between') {
    return `between ${amountInWords(value.lower ?? '', value.unit)} and ${amountInWords(value.upper ?? '', value.unit)}`;
  }
  return `${COMPARATOR_WORDS[value.comparator]}${amountInWords(value.amount ?? '', value.unit)}`;
}
