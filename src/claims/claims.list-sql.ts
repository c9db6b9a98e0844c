// The SQL text of a page of claims in an order other than relevance, built from the filters present
// (claims.list-query.ts parses them); relevance is in claims.relevance-sql.ts, facet counts in claims.facet-sql.ts. Each combination has one SQL text, so
// claims.find.ts prepares it once and reuses it; every value a client sends is a bound parameter, never the text.
import { CLAIM_COLUMNS } from './claims.rows.js';
import type { ClaimFilters, SORTS } from './claims.list-query.js';

type SimpleFilter = Exclude<keyof ClaimFilters, 'includeRetracted' | 'qualifiers'>;
const CONDITIONS: Record<SimpleFilter, string> = {
  kind: 'c.kind = @kind',
  verdict: 'c.verdict = @verdict',
  claimant: 'c.claimant_id = @claimant',
  subject: 'EXISTS (SELECT 1 FROM claim_subjects s WHERE s.claim_id = c.id AND s.entity_id = @subject)',
  source: 'c.id IN (SELECT ci.claim_id FROM claim_citations ci WHERE ci.source_id = @source)',
  citationRole: 'EXISTS (SELECT 1 FROM claim_citations cr WHERE cr.claim_id = c.id AND cr.role = @citationRole)',
  unit: 'c.value_unit = @unit',
  // Comparator-aware: the claim's range of possible values [value_low, value_high] must reach the bound, and reach
  // past it where that end is open ("less than 100" is not "at least 100"; "more than 500" is not "at most 500").
  valueMin: "c.value_high >= @valueMin AND (c.value_high > @valueMin OR c.value_comparator IS NOT 'lt')",
  valueMax: "c.value_low <= @valueMax AND (c.value_low < @valueMax OR c.value_comparator IS NOT 'gt')",
  // Periods overlap when each starts before the other ends.
  factFrom: 'c.fact_last_day >= @factFrom',
  factTo: 'c.fact_first_day <= @factTo',
  claimedFrom: 'c.claimed_last_day >= @claimedFrom',
  claimedTo: 'c.claimed_first_day <= @claimedTo',
};

export type Params = Record<string, string | number>;

/** Keeps the claims a search (@match) finds. */
export const AMONG_HITS = 'c.doc_id IN (SELECT rowid FROM claims_fts WHERE claims_fts MATCH @match)';

/** WHERE conditions (on `c`) and their parameters for the filters present, plus a cache key for the SQL shape. */
export function filterConditions(filters: ClaimFilters, except: SimpleFilter[] = []) {
  const present = (Object.keys(CONDITIONS) as SimpleFilter[]).filter((k) => filters[k] !== undefined && !except.includes(k));
  const params: Params = {};
  const where: string[] = [];
  for (const k of present) {
    params[k] = filters[k] as string | number;
    where.push(CONDITIONS[k]);
  }
  const qualifierKeys = Object.keys(filters.qualifiers ?? {}).sort();
  qualifierKeys.forEach((key, i) => {
    params[`qk${i}`] = key;
    params[`qv${i}`] = filters.qualifiers![key]!;
    where.push(`EXISTS (SELECT 1 FROM claim_qualifiers q${i} WHERE q${i}.claim_id = c.id AND q${i}.key = @qk${i} AND q${i}.value = @qv${i})`);
  });
  if (filters.includeRetracted !== true) where.push('c.retracted_at IS NULL');
  const key = `${present.join(',')}|q${qualifierKeys.length}|${filters.includeRetracted === true}`;
  /** False when only the live/retracted rule applies: a search can then be answered by the index alone. */
  const claimFilters = present.length + qualifierKeys.length > 0;
  return { where, params, key, claimFilters };
}

// ---- Ordered lists (every sort but relevance) -------------------------------------------------------------------

export type OrderSort = Exclude<(typeof SORTS)[number], 'relevance'>;
const SORT_KEYS: Record<string, string> = {
  factDate: 'c.fact_first_day',
  claimedOn: 'c.claimed_first_day',
  value: 'c.value_sort',
  updated: 'c.updated_at',
};

/** Each sort's (key, id) index, which a walk in sort order reads. */
const SORT_INDEXES: Record<string, string> = {
  factDate: 'claims_fact_first_day',
  claimedOn: 'claims_claimed_first_day',
  value: 'claims_unit_value_sort',
  updated: 'claims_updated_at',
  id: 'sqlite_autoindex_claims_1',
};

/**
 * How a page of a filtered list in key order is read; claims.find.ts chooses. `plan`: as SQLite's planner decides.
 * `docs`: from the given claims only (@docs, a JSON array of doc ids: the few that pass the filters), sorted.
 * `walk`: along the sort's index, testing the filters claim by claim until the page is full.
 */
export type Drive = 'plan' | 'docs' | 'walk';

/**
 * Where a page starts: after `id` (sort by id); after (`key`, `id`) among claims that have the sort key (phase `k`);
 * or after `id` among those that don't, which come last (phase `n`).
 */
export type OrderCursor = { phase: 'k'; key: string | number; id: string } | { phase: 'n' | 'id'; id: string } | null;

/**
 * A page in the given order. Claims with the key come first, in (key, id) order, using the (key, id) indexes;
 * claims without it follow by id. `phase` says which of the two this SQL reads; `match` restricts to search hits.
 */
export function buildOrderedQuery(
  filters: ClaimFilters,
  sort: OrderSort,
  phase: 'k' | 'n' | 'id',
  cursor: OrderCursor,
  match: boolean,
  limit: number,
  drive: Drive = 'plan',
  /** Whether a walk starts at @keyFrom: no claim that passes the filters has a key before it (in the sort's order). */
  keyFrom = false,
  /** Whether a walk keeps only the claims claims_doc_passes() knows (a search's hits, claims.sorted-drive.ts). */
  passes = false,
) {
  const desc = sort.startsWith('-');
  const name = desc ? sort.slice(1) : sort;
  const f = filterConditions(filters, phase === 'id' && filters.subject !== undefined && !match && drive === 'plan' ? ['subject'] : []);
  const where = [...f.where];
  const params: Params = { ...f.params, limit };
  if (match) where.push(AMONG_HITS);
  let from = 'claims c';
  // CROSS JOIN keeps the given docs the outer loop: SQLite could otherwise walk the sort index and test each claim
  // against them. The (key, id) index gives claims without the key in id order too (phase n).
  if (drive === 'docs') {
    from = 'json_each(@docs) d CROSS JOIN claims c';
    where.unshift('c.doc_id = d.value');
  } else if (drive === 'walk') from = `claims c INDEXED BY ${SORT_INDEXES[name]}`;
  if (passes) where.unshift('claims_doc_passes(c.doc_id)');
  let order: string;
  if (phase === 'id') {
    // A subject or qualifier filter drives the query from its index, which is already in claim id order: SQLite
    // would otherwise walk every claim by id testing the filter, which takes seconds for a value few claims have.
    const qualifier = Object.keys(filters.qualifiers ?? {}).sort()[0];
    if (filters.subject !== undefined && !match && drive === 'plan') {
      from = 'claim_subjects d JOIN claims c ON c.id = d.claim_id';
      where.unshift('d.entity_id = @subject');
      params.subject = filters.subject;
      order = 'd.claim_id';
    } else if (qualifier !== undefined && !match && drive === 'plan') {
      // The first qualifier's condition (f.where's q0) stays: it is true of every row this index gives. A claim may
      // carry the same qualifier twice; only its first is a row.
      from = 'claim_qualifiers d JOIN claims c ON c.id = d.claim_id';
      where.unshift(
        'd.key = @qk0 AND d.value = @qv0',
        'NOT EXISTS (SELECT 1 FROM claim_qualifiers e WHERE e.claim_id = d.claim_id AND e.position < d.position AND e.key = d.key AND e.value = d.value)',
      );
      order = 'd.claim_id';
    } else order = 'c.id';
    if (cursor) {
      where.push(`${order} > @after`);
      params.after = cursor.id;
    }
  } else {
    const key = SORT_KEYS[name]!;
    if (phase === 'k') {
      where.push(`${key} IS NOT NULL`);
      if (keyFrom) where.push(`${key} ${desc ? '<=' : '>='} @keyFrom`);
      if (cursor && cursor.phase === 'k') {
        where.push(`(${key}, c.id) ${desc ? '<' : '>'} (@afterKey, @after)`);
        params.afterKey = cursor.key;
        params.after = cursor.id;
      }
      order = desc ? `${key} DESC, c.id DESC` : `${key}, c.id`;
    } else {
      where.push(`${key} IS NULL`);
      if (cursor && cursor.phase === 'n') {
        where.push('c.id > @after');
        params.after = cursor.id;
      }
      order = 'c.id';
    }
  }
  const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
  let sql: string;
  if (drive === 'docs') {
    // SQL sorts the given docs: the page is chosen from row ids and sort keys alone, and its columns are read for its
    // rows only. Sorting whole rows carried every claim's text and claimant look-ups into the sort. (An index walk,
    // which needs no sort, is 5-8% faster in one step.)
    const sortKey = phase === 'k' ? `, ${SORT_KEYS[name]} AS sort_key` : '';
    const outerOrder = phase === 'k' ? (desc ? 'p.sort_key DESC, c.id DESC' : 'p.sort_key, c.id') : 'c.id';
    sql = `SELECT ${phase === 'k' ? 'p.sort_key, ' : ''}${CLAIM_COLUMNS} FROM (
        SELECT c.rowid AS r${sortKey} FROM ${from} ${whereSql} ORDER BY ${order} LIMIT @limit
      ) p CROSS JOIN claims c ON c.rowid = p.r ORDER BY ${outerOrder}`;
  } else {
    const sortKey = phase === 'k' ? `${SORT_KEYS[name]} AS sort_key, ` : '';
    sql = `SELECT ${sortKey}${CLAIM_COLUMNS} FROM ${from} ${whereSql} ORDER BY ${order} LIMIT @limit`;
  }
  return { sql, key: `o|${sort}|${phase}|${cursor !== null}|${match}|${from}|${keyFrom}|${passes}|${f.key}`, params };
}
