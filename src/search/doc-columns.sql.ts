// What the search columns (doc-columns.ts) read of each claim, in SQL, and how its values are encoded there: closed
// vocabularies as codes, days as integers, a value range with its open ends, and the multi-valued columns' queries.
import { CLAIM_KINDS, VERDICTS } from '../domain/vocabulary.js';

/**
 * SQL giving a closed vocabulary's code (its position + 1): integers cost far less to read than strings. A value
 * the vocabulary lacks (a schema ahead of this code) comes as itself.
 */
const codeSql = (column: string, vocabulary: readonly string[]) =>
  `CASE ${column} ${vocabulary.map((v, i) => `WHEN '${v}' THEN ${i + 1}`).join(' ')} ELSE ${column} END`;

export type Row = [
  doc: number,
  kind: number | string,
  verdict: number | string,
  unit: string | null,
  year: number | null,
  claimant: string | null,
  retracted: number,
  factFirst: number | null,
  factLast: number | null,
  claimedFirst: number | null,
  claimedLast: number | null,
  valueLow: number | null,
  valueHigh: number | null,
  valueOpen: number,
  seq?: number | null,
];
/**
 * Which end of a value's range is open: "more than 500" (gt) allows every value above 500 but not 500 itself, so it
 * is not "at most 500"; "less than 100" (lt) is not "at least 100". value_low and value_high hold the bound itself.
 */
export const VALUE_LOW_OPEN = 1;
export const VALUE_HIGH_OPEN = 2;
const VALUE_OPEN_SQL = `CASE value_comparator WHEN 'gt' THEN ${VALUE_LOW_OPEN} WHEN 'lt' THEN ${VALUE_HIGH_OPEN} ELSE 0 END`;

/** Days as integers (2025-01-31 is 20250131): they compare as the ISO dates in SQL do. */
const day = (column: string) => `CAST(replace(${column}, '-', '') AS INTEGER)`;
export const CLAIM_VALUES = `doc_id, ${codeSql('kind', CLAIM_KINDS)}, ${codeSql('verdict', VERDICTS)}, value_unit,
  CAST(substr(claimed_on, 1, 4) AS INTEGER), claimant_id, retracted_at IS NOT NULL,
  ${day('fact_first_day')}, ${day('fact_last_day')}, ${day('claimed_first_day')}, ${day('claimed_last_day')}, value_low, value_high,
  ${VALUE_OPEN_SQL}`;

/** The day bound of a filter ("2025-01-31") as the integer the arrays hold. */
export const dayNumber = (isoDay: string): number => Number(isoDay.replaceAll('-', ''));
// A claim without a date fails every date filter, as NULL does in SQL: it starts after every bound and ends before.
export const NO_FIRST_DAY = 99_999_999;
export const NO_LAST_DAY = 0;

/**
 * Multi-valued columns, from the SQL that reads them for docs in (after, last], in doc order: each query's rows are
 * [doc, value]. Values come in any order within a doc (filters and counts do not care), which spares SQLite a sort.
 */
export const MULTI_SQL = [
  {
    columns: ['subject'],
    sql: `SELECT c.doc_id, s.entity_id FROM claims c JOIN claim_subjects s ON s.claim_id = c.id
      WHERE c.doc_id > ? AND c.doc_id <= ? ORDER BY c.doc_id`,
  },
  {
    columns: ['citationRole'],
    sql: `SELECT DISTINCT c.doc_id, ci.role FROM claims c JOIN claim_citations ci ON ci.claim_id = c.id
      WHERE c.doc_id > ? AND c.doc_id <= ? ORDER BY c.doc_id`,
  },
] as const;
// Cited sources and qualifiers are not kept: their indexes give their claims' doc ids (about 0.2 µs a claim), and
// free-text qualifiers (priceBasis, scope) have as many values as claims: 690,000 strings at a million claims.
export const MULTI = ['subject', 'citationRole'] as const;
export type MultiName = (typeof MULTI)[number];
