// The claims row's columns, derived from a claim as stored: what the SQL filters and sorts on (day bounds of partial
// dates, canonical decimals, the value's range and sort key) beside what it keeps.
import { canonicalDecimal } from '../domain/decimal.js';
import { firstDay, lastDay } from '../domain/partial-date.js';
import type { StoredClaim } from './claims.repository.js';

/**
 * The true values a value allows, for comparator-aware value filters: eq and approx hold at the amount, gt/gte from
 * it upwards, lt/lte up to it, between from lower to upper. Open ends are infinite.
 */
function valueRange(comparator: string | null, amount: string | null, lower: string | null, upper: string | null) {
  switch (comparator) {
    case null:
      return { low: null, high: null };
    case 'between':
      return { low: Number(lower), high: Number(upper) };
    case 'gt':
    case 'gte':
      return { low: Number(amount), high: Infinity };
    case 'lt':
    case 'lte':
      return { low: -Infinity, high: Number(amount) };
    default:
      return { low: Number(amount), high: Number(amount) };
  }
}

/** The claims row's columns, derived from the claim: day bounds of partial dates, canonical decimals, sort key. */
export function claimColumns(claim: StoredClaim) {
  const v = claim.value;
  const amount = v?.amount == null ? null : canonicalDecimal(v.amount);
  const lower = v?.lower == null ? null : canonicalDecimal(v.lower);
  return {
    id: claim.id,
    statement: claim.statement,
    articleWording: claim.articleWording,
    kind: claim.kind,
    claimantId: claim.claimant?.id ?? null,
    claimedOn: claim.claimedOn?.date ?? null,
    claimedFirstDay: claim.claimedOn ? firstDay(claim.claimedOn.date) : null,
    claimedLastDay: claim.claimedOn ? lastDay(claim.claimedOn.date) : null,
    factStart: claim.factPeriod?.start.date ?? null,
    factEnd: claim.factPeriod?.end.date ?? null,
    factFirstDay: claim.factPeriod ? firstDay(claim.factPeriod.start.date) : null,
    factLastDay: claim.factPeriod ? lastDay(claim.factPeriod.end.date) : null,
    comparator: v?.comparator ?? null,
    amount,
    lower,
    upper: v?.upper == null ? null : canonicalDecimal(v.upper),
    unit: v?.unit ?? null,
    basis: v?.basis ?? null,
    sort: amount !== null ? Number(amount) : lower !== null ? Number(lower) : null,
    ...valueRange(v?.comparator ?? null, amount, lower, v?.upper == null ? null : canonicalDecimal(v.upper)),
    verdict: claim.assessment.verdict,
    explanation: claim.assessment.explanation,
    revision: claim.revision,
    createdAt: claim.createdAt,
    updatedAt: claim.updatedAt,
  };
}
