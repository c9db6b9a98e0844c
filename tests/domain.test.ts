// Partial dates keep their precision; decimals stay exact.
import { describe, expect, it } from 'vitest';
import { canonicalDecimal, compareDecimals, Decimal } from '../src/domain/decimal.js';
import { firstDay, isValidPartialDate, lastDay, PartialDate, precisionOf } from '../src/domain/partial-date.js';

describe('partial dates', () => {
  it.each(['2025', '2025-01', '2025-01-27', '2024-02-29'])('accepts %s', (d) => expect(isValidPartialDate(d)).toBe(true));
  it.each(['2025-02-30', '2023-02-29', '2025-13', '2025-00', '25-01', '2025-1-1', '2025-01-27T00:00:00Z', ''])('rejects %s', (d) =>
    expect(isValidPartialDate(d)).toBe(false),
  );

  it('knows each precision and the days it covers', () => {
    expect(precisionOf('2025')).toBe('year');
    expect(precisionOf('2025-01')).toBe('month');
    expect(precisionOf('2025-01-27')).toBe('day');
    expect([firstDay('2025-01'), lastDay('2025-01')]).toEqual(['2025-01-01', '2025-01-31']);
    expect([firstDay('2024'), lastDay('2024')]).toEqual(['2024-01-01', '2024-12-31']);
    expect(lastDay('2024-02')).toBe('2024-02-29');
    expect(lastDay('2025-02')).toBe('2025-02-28');
  });

  it('refuses a precision that does not match the date', () => {
    expect(PartialDate.safeParse({ date: '2025-01', precision: 'day' }).success).toBe(false);
    expect(PartialDate.safeParse({ date: '2025-01', precision: 'month' }).success).toBe(true);
  });
});

describe('decimals', () => {
  it('canonicalises without going through floats', () => {
    expect(canonicalDecimal('5576000.000')).toBe('5576000');
    expect(canonicalDecimal('0.10')).toBe('0.1');
    expect(canonicalDecimal('-0.0')).toBe('0');
    expect(canonicalDecimal('123456789012345678901234567890.12345')).toBe('123456789012345678901234567890.12345');
  });

  it('compares exactly, where floats would call two different amounts equal', () => {
    const cases: [string, string, number][] = [
      ['10', '5', 1],
      ['-1.5', '-1.25', -1],
      ['-0.5', '0.5', -1],
      ['0', '-0.0001', 1],
      ['1.10', '1.1', 0],
      ['9007199254740993', '9007199254740992', 1], // equal as floats
      ['0.30000000000000000001', '0.3', 1], // equal as floats
      ['-0.00000000000000000001', '0', -1],
    ];
    for (const [a, b, sign] of cases) expect(compareDecimals(a, b), `${a} vs ${b}`).toBe(sign);
  });

  it('rejects exponents, separators and floats in disguise', () => {
    for (const bad of ['5.576e6', '5,576,000', '1_000', '+5', '05', '.5', 'NaN', 'Infinity', ''])
      expect(Decimal.safeParse(bad).success, bad).toBe(false);
  });
});
