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
  .regex(DECIMAL, 'Expected a decimal number written out in full, e.g. "5576000" or "-592.7"')
  .meta({
    id: 'Decimal',
    description: 'An exact decimal number as a string (no exponent, no separators), e.g. "5576000".',
    examples: ['5576000', '-800000000000', '16.86'],
  });

/** Compares two canonical decimals numerically without going through floats. */
export function compareDecimal(a: string, b: string): number {
  const sa = a.startsWith('-') ? -1 : 1;
  const sb = b.startsWith('-') ? -1 : 1;
  if (sa !== sb) return sa - sb;
  const [ia = '', fa = ''] = a.replace('-', '').split('.');
  const [ib = '', fb = ''] = b.replace('-', '').split('.');
  let cmp = ia.length - ib.length || (ia < ib ? -1 : ia > ib ? 1 : 0);
  if (cmp === 0) {
    const len = Math.max(fa.length, fb.length);
    const pa = fa.padEnd(len, '0');
    const pb = fb.padEnd(len, '0');
    cmp = pa < pb ? -1 : pa > pb ? 1 : 0;
  }
  return sa * Math.sign(cmp);
}
