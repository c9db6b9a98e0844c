// The dates a search names, read as a period (src/search/query-filters.ts reads the rest of a question). Each phrase
// keeps the precision it was written at, as the date filters take it:
//   - one date: "in January 2025", "in Jan 2025", "in 2025", "during 2024", "on 27 January 2025", "on January 27,
//     2025", "on 2025-01-27" (on with a day, in with a month or a year, as English has them);
//   - a range: "between 2023 and 2025", "from March 2024 to January 2025" (until, till, through), either way round;
//   - an open end: "since 2024" and "after 2024" (after: from 2025), "before March 2025" (until February 2025),
//     "until 2024", "till 2024", "through 2024";
//   - relative to today: "this year", "last year", "next year", "this month", "last month", "next month".
// "from 2024" alone is not read: "claims from 2024" as often means made then as holding since.
import { firstDay, lastDay } from '../domain/partial-date.js';

/** A period read: either end may be open. `index` and `end` are where its phrase stands in the search. */
export interface DateReading {
  from?: string;
  to?: string;
  index: number;
  end: number;
}

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const MONTH = String.raw`(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?`;
const YEAR = String.raw`(?:19|20)\d\d`;
/** A date that goes on as a number ("2025.5", "2025-13") is not one. */
const ENDS = String.raw`(?![.,]?\d|-\d)`;
const DAY_DATE = String.raw`(?:${YEAR}-\d\d-\d\d|\d{1,2}\s+${MONTH}\s+${YEAR}|${MONTH}\s+\d{1,2},?\s+${YEAR})${ENDS}`;
const PERIOD_DATE = String.raw`(?:${MONTH}\s+${YEAR}|${YEAR})${ENDS}`;
const ANY_DATE = String.raw`(?:${DAY_DATE}|${PERIOD_DATE})`;

/** Each form a date is written in, read whole into a partial date. */
const FORMS: { pattern: RegExp; date: (m: RegExpExecArray) => string | null }[] = [
  { pattern: new RegExp(String.raw`^(${YEAR})-(\d\d)-(\d\d)$`, 'u'), date: (m) => day(m[1]!, Number(m[2]), Number(m[3])) },
  { pattern: new RegExp(String.raw`^(\d{1,2})\s+(${MONTH})\s+(${YEAR})$`, 'iu'), date: (m) => day(m[3]!, month(m[2]!), Number(m[1])) },
  { pattern: new RegExp(String.raw`^(${MONTH})\s+(\d{1,2}),?\s+(${YEAR})$`, 'iu'), date: (m) => day(m[3]!, month(m[1]!), Number(m[2])) },
  { pattern: new RegExp(String.raw`^(${MONTH})\s+(${YEAR})$`, 'iu'), date: (m) => `${m[2]}-${pad(month(m[1]!))}` },
  { pattern: new RegExp(String.raw`^(${YEAR})$`, 'u'), date: (m) => m[1]! },
];

/** Each phrase, and the period it names: null when a date in it is not one (31 February). */
const PHRASES: { pattern: RegExp; period: (m: RegExpExecArray, now: Date) => { from?: string; to?: string } | null }[] = [
  { pattern: new RegExp(String.raw`\bon\s+(${DAY_DATE})`, 'giu'), period: (m) => both(dateOf(m[1]!)) },
  { pattern: new RegExp(String.raw`\b(?:in|during)\s+(${PERIOD_DATE})`, 'giu'), period: (m) => both(dateOf(m[1]!)) },
  {
    pattern: new RegExp(String.raw`\b(?:between\s+(${ANY_DATE})\s+and|from\s+(${ANY_DATE})\s+(?:to|until|till|through))\s+(${ANY_DATE})`, 'giu'),
    period: (m) => range(dateOf((m[1] ?? m[2])!), dateOf(m[3]!)),
  },
  { pattern: new RegExp(String.raw`\b(since|after)\s+(${ANY_DATE})`, 'giu'), period: (m) => from(dateOf(m[2]!), m[1]!.toLowerCase() === 'after' ? 1 : 0) },
  { pattern: new RegExp(String.raw`\b(before|until|till|through)\s+(${ANY_DATE})`, 'giu'), period: (m) => to(dateOf(m[2]!), m[1]!.toLowerCase() === 'before' ? -1 : 0) },
  { pattern: /\b(this|last|next)\s+(year|month)\b/giu, period: (m, now) => both(relative(now, m[2]!.toLowerCase() as 'year' | 'month', { this: 0, last: -1, next: 1 }[m[1]!.toLowerCase() as 'this']!)) },
];

const pad = (n: number) => String(n).padStart(2, '0');
const month = (name: string) => MONTHS.findIndex((m) => m.startsWith(name.toLowerCase().slice(0, 3))) + 1;
function day(year: string, m: number, d: number): string | null {
  const date = new Date(Date.UTC(Number(year), m - 1, d));
  return m >= 1 && date.getUTCMonth() === m - 1 && date.getUTCDate() === d ? `${year}-${pad(m)}-${pad(d)}` : null;
}

function dateOf(text: string): string | null {
  const written = text.trim().replace(/\s+/g, ' ');
  for (const { pattern, date } of FORMS) {
    const m = pattern.exec(written);
    if (m !== null) return date(m);
  }
  return null;
}

/** The period `steps` periods of the same precision away: 2025 -> 2024, 2025-01 -> 2024-12, 2025-03-01 -> 2025-02-28. */
export function shifted(date: string, steps: number): string {
  const [y, m = 1, d = 1] = date.split('-').map(Number) as [number, number?, number?];
  if (date.length === 4) return String(y + steps);
  const next = new Date(Date.UTC(y, m - 1 + (date.length === 7 ? steps : 0), d + (date.length === 10 ? steps : 0)));
  const iso = next.toISOString();
  return date.length === 7 ? iso.slice(0, 7) : iso.slice(0, 10);
}

const both = (date: string | null) => (date === null ? null : { from: date, to: date });
const from = (date: string | null, steps: number) => (date === null ? null : { from: shifted(date, steps) });
const to = (date: string | null, steps: number) => (date === null ? null : { to: shifted(date, steps) });
/** A range either way round: "between 2025 and 2023" is 2023 to 2025. */
function range(a: string | null, b: string | null) {
  if (a === null || b === null) return null;
  return lastDay(b) < firstDay(a) ? { from: b, to: a } : { from: a, to: b };
}
function relative(now: Date, unit: 'year' | 'month', steps: number): string {
  const year = String(now.getUTCFullYear());
  return unit === 'year' ? shifted(year, steps) : shifted(`${year}-${pad(now.getUTCMonth() + 1)}`, steps);
}

/**
 * Every date phrase in the search, each with its period; where phrases overlap ("until 2025" within "from 2023 until
 * 2025") only the longest counts. A phrase whose date is not one gives a reading without `from` and `to`.
 */
export function readDates(input: string, now: Date): DateReading[] {
  const found = PHRASES.flatMap(({ pattern, period }) =>
    [...input.matchAll(pattern)].map((m) => ({ ...(period(m as RegExpExecArray, now) ?? {}), index: m.index!, end: m.index! + m[0].length })),
  ).sort((a, b) => b.end - b.index - (a.end - a.index));
  const kept: DateReading[] = [];
  for (const reading of found) if (!kept.some((k) => reading.index < k.end && k.index < reading.end)) kept.push(reading);
  return kept;
}
