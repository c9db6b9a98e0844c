// Builds the SQL of a claims page from the filters present. Each combination of filters has one SQL text, so
// the repository prepares it once and reuses it; values are always bound parameters.
import { CLAIM_COLUMNS } from './claims.rows.js';

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
}

const CONDITIONS: Record<keyof ClaimFilters, string> = {
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
  const present = (Object.keys(CONDITIONS) as (keyof ClaimFilters)[]).filter((k) => filters[k] !== undefined);
  const params: Record<string, string | number> = { limit };
  for (const k of present) params[k] = filters[k] as string;

  // A subject filter drives the query from its index, which is already in claim id order.
  const driveBySubject = present.includes('subject');
  const where = present.filter((k) => !(driveBySubject && k === 'subject')).map((k) => CONDITIONS[k]);
  if (after !== null) {
    where.push(driveBySubject ? 'd.claim_id > @after' : 'c.id > @after');
    params.after = after;
  }
  const from = driveBySubject
    ? 'claim_subjects d JOIN claims c ON c.id = d.claim_id'
    : 'claims c';
  if (driveBySubject) where.unshift('d.entity_id = @subject');
  const order = driveBySubject ? 'd.claim_id' : 'c.id';
  const sql = `SELECT ${CLAIM_COLUMNS} FROM ${from} LEFT JOIN entities e ON e.id = c.claimant_id
    ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${order} LIMIT @limit`;
  return { sql, key: `${present.join(',')}|${after !== null}`, params };
}
