// The claims list: its query parameters, and the SQL of a page built from the filters present. Each combination
// of filters has one SQL text, so the repository prepares it once and reuses it; values are always bound.
import { z } from 'zod';
import { Slug } from '../domain/ids.js';
import { firstDay, lastDay, PartialDateString } from '../domain/partial-date.js';
import { ClaimKind, Verdict } from '../domain/vocabulary.js';
import { Cursor, Limit } from '../http/schemas.js';
import { CLAIM_COLUMNS } from './claims.rows.js';

export const IncludeRetracted = z
  .enum(['true', 'false'])
  .default('false')
  .transform((v) => v === 'true')
  .describe('`true` to list retracted claims too; by default they are left out.');

const dateFilter = (what: string) =>
  PartialDateString.optional().describe(
    `${what}, at year, month or day precision. Matches claims whose period overlaps: a claim dated January 2025 ` +
      'matches any range that includes a day of January 2025.',
  );

export const ClaimListQuery = z
  .strictObject({
    kind: ClaimKind.optional(),
    subject: Slug.optional().describe('Only claims about this entity.'),
    claimant: Slug.optional().describe('Only claims made by this entity.'),
    source: Slug.optional().describe('Only claims citing this source.'),
    verdict: Verdict.optional(),
    factFrom: dateFilter('Fact period ends on or after this date'),
    factTo: dateFilter('Fact period starts on or before this date'),
    claimedFrom: dateFilter('Claimed on or after this date'),
    claimedTo: dateFilter('Claimed on or before this date'),
    includeRetracted: IncludeRetracted,
    limit: Limit,
    cursor: Cursor,
  })
  .superRefine((q, ctx) => {
    for (const [from, to] of [['factFrom', 'factTo'], ['claimedFrom', 'claimedTo']] as const) {
      const a = q[from];
      const b = q[to];
      if (a !== undefined && b !== undefined && lastDay(b) < firstDay(a))
        ctx.addIssue({ code: 'custom', path: [to], message: `${to} is before ${from}` });
    }
  });
export type ClaimListQuery = z.output<typeof ClaimListQuery>;


export interface ClaimFilters {
  kind?: string | undefined;
  subject?: string | undefined;
  claimant?: string | undefined;
  source?: string | undefined;
  verdict?: string | undefined;
  /** Inclusive day bounds ("2025-01-01"), already widened from the precision the client gave. */
  factFrom?: string | undefined;
  factTo?: string | undefined;
  claimedFrom?: string | undefined;
  claimedTo?: string | undefined;
  /** Retracted claims are left out unless this is true. */
  includeRetracted?: boolean | undefined;
}

const CONDITIONS: Record<Exclude<keyof ClaimFilters, 'includeRetracted'>, string> = {
  kind: 'c.kind = @kind',
  verdict: 'c.verdict = @verdict',
  claimant: 'c.claimant_id = @claimant',
  subject: 'EXISTS (SELECT 1 FROM claim_subjects s WHERE s.claim_id = c.id AND s.entity_id = @subject)',
  source: 'c.id IN (SELECT ci.claim_id FROM claim_citations ci WHERE ci.source_id = @source)',
  // Periods overlap when each starts before the other ends.
  factFrom: 'c.fact_last_day >= @factFrom',
  factTo: 'c.fact_first_day <= @factTo',
  claimedFrom: 'c.claimed_last_day >= @claimedFrom',
  claimedTo: 'c.claimed_first_day <= @claimedTo',
};

export function buildListQuery(filters: ClaimFilters, after: string | null, limit: number) {
  const present = (Object.keys(CONDITIONS) as (keyof typeof CONDITIONS)[]).filter((k) => filters[k] !== undefined);
  const params: Record<string, string | number> = { limit };
  for (const k of present) params[k] = filters[k] as string;

  // A subject filter drives the query from its index, which is already in claim id order.
  const driveBySubject = present.includes('subject');
  const where = present.filter((k) => !(driveBySubject && k === 'subject')).map((k) => CONDITIONS[k]);
  const live = filters.includeRetracted !== true;
  if (live) where.push('c.retracted_at IS NULL');
  if (after !== null) {
    where.push(driveBySubject ? 'd.claim_id > @after' : 'c.id > @after');
    params.after = after;
  }
  const from = driveBySubject
    ? 'claim_subjects d JOIN claims c ON c.id = d.claim_id'
    : 'claims c';
  if (driveBySubject) where.unshift('d.entity_id = @subject');
  const order = driveBySubject ? 'd.claim_id' : 'c.id';
  const sql = `SELECT ${CLAIM_COLUMNS} FROM ${from}
    ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${order} LIMIT @limit`;
  return { sql, key: `${present.join(',')}|${after !== null}|${live}`, params };
}
