// Dates with their precision. A date is kept in ISO 8601 reduced-precision form ("2025", "2025-01",
// "2025-01-27"): the string itself carries the precision, so "January 2025" can never turn into 2025-01-01.
import { z } from 'zod';
import { DATE_PRECISIONS } from './vocabulary.js';

export type DatePrecision = (typeof DATE_PRECISIONS)[number];

const PARTIAL_DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;

export function precisionOf(date: string): DatePrecision {
  return date.length === 4 ? 'year' : date.length === 7 ? 'month' : 'day';
}

/** True for "2025", "2025-01" and "2025-01-27"; false for "2025-02-30" or "2025-13". */
export function isValidPartialDate(value: string): boolean {
  const m = PARTIAL_DATE.exec(value);
  if (!m) return false;
  const [, , month, day] = m;
  if (month !== undefined && (Number(month) < 1 || Number(month) > 12)) return false;
  if (day !== undefined) {
    const d = new Date(`${value}T00:00:00Z`);
    if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value) return false;
  }
  return true;
}

/** The first day a partial date covers: "2025-01" -> "2025-01-01". */
export function firstDay(date: string): string {
  return date.length === 4 ? `${date}-01-01` : date.length === 7 ? `${date}-01` : date;
}

/** The last day a partial date covers: "2025-02" -> "2025-02-28", "2024" -> "2024-12-31". */
export function lastDay(date: string): string {
  if (date.length === 4) return `${date}-12-31`;
  if (date.length === 7) {
    const [y, m] = date.split('-').map(Number) as [number, number];
    const last = new Date(Date.UTC(y, m, 0)).getUTCDate(); // day 0 of the next month
    return `${date}-${String(last).padStart(2, '0')}`;
  }
  return date;
}

export const PartialDateString = z
  .string()
  .refine(isValidPartialDate, { message: 'Expected a real date as YYYY, YYYY-MM or YYYY-MM-DD' })
  // The form, for the OpenAPI document; that the day exists in its month (no 2025-02-30) is checked by the service only.
  .meta({
    description: 'ISO 8601 date at year, month or day precision.',
    examples: ['2025-01-27', '2025-01', '2025'],
    pattern: '^\\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\\d|3[01]))?)?$',
  });

export const PartialDate = z
  .strictObject({
    date: PartialDateString,
    precision: z.enum(DATE_PRECISIONS),
  })
  .refine((d) => precisionOf(d.date) === d.precision, {
    message: 'precision must match the form of date (YYYY: year, YYYY-MM: month, YYYY-MM-DD: day)',
    path: ['precision'],
  })
  .meta({
    id: 'PartialDate',
    description: 'A date at the precision it is known to: "2025-01" with precision month means some time in January 2025, not 1 January.',
  });
export type PartialDate = z.infer<typeof PartialDate>;

export function toPartialDate(date: string | null): PartialDate | null {
  return date === null ? null : { date, precision: precisionOf(date) };
}

export const Period = z
  .strictObject({ start: PartialDate, end: PartialDate })
  .refine((p) => lastDay(p.end.date) >= firstDay(p.start.date), { message: 'end must not be before start', path: ['end'] })
  .meta({
    id: 'Period',
    description: 'When the fact holds: a period from start to end, each at its own precision. A single date has start equal to end.',
  });
export type Period = z.infer<typeof Period>;
