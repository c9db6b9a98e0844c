// Dates for people, at the precision they were recorded: "27 January 2025", "January 2025", "2025". A month
// date never gains a day it does not have. Formatted in UTC so a timestamp's day does not depend on the server.
import type { PartialDate } from '../domain/partial-date.js';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

export function partialDateInWords(date: Pick<PartialDate, 'date'>): string {
  const [year, month, day] = date.date.split('-');
  const monthName = month ? MONTHS[Number(month) - 1] : undefined;
  if (day && monthName) return `${Number(day)} ${monthName} ${year}`;
  if (monthName) return `${monthName} ${year}`;
  return year ?? date.date;
}

/** "2025-01-31T12:00:00.000Z" -> "31 January 2025". */
export const timestampInWords = (timestamp: string): string => partialDateInWords({ date: timestamp.slice(0, 10) });

/** The period a fact holds, collapsing a single date: "27 January 2025", "2021 to January 2025". */
export function periodInWords(period: { start: PartialDate; end: PartialDate }): string {
  if (period.start.date === period.end.date) return partialDateInWords(period.start);
  return `${partialDateInWords(period.start)} to ${partialDateInWords(period.end)}`;
}
