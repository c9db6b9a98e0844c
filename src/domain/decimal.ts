// Exact decimal amounts. Amounts travel and are stored as canonical decimal strings so that 5.576 million is
// 5576000 to the digit in every client, whatever its float handling. Writes store the canonical form.
import { z } from 'zod';

const DECIMAL = /^-?(0|[1-9]\d{0,29})(\.\d{1,20})?$/;

/** Canonical form: no trailing fractional zeros, no "-0". "5576000.00" -> "5576000". */
export function canonicalDecimal(value: string): string {
  let v = value.includes('.') ? value.replace(/0+$/, '').replace(/\.$/, '') : value;
  if (v === '-0') v = '0';
  return v;
}

export const Decimal = z
  .string()
  .regex(DECIMAL, 'Expected a decimal number written out in full, at most 30 digits before the point and 20 after, e.g. "5576000" or "-592.7"')
  .meta({
    id: 'Decimal',
    description: 'An exact decimal number as a string (no exponent, no separators; up to 30 digits before the point and 20 after), e.g. "5576000".',
    examples: ['5576000', '-800000000000', '16.86'],
  });

/** Compares two decimals written as Decimal allows, exactly (no float rounding): negative, zero or positive. */
export function compareDecimals(a: string, b: string): number {
  // Up to 20 fractional digits: scaled by 10^20 both are integers, which BigInt compares exactly.
  const scaled = (v: string) => {
    const [whole, fraction = ''] = v.split('.');
    return BigInt(whole!) * 10n ** 20n + (whole!.startsWith('-') ? -1n : 1n) * BigInt(fraction.padEnd(20, '0'));
  };
  const d = scaled(a) - scaled(b);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}
