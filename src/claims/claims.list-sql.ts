// The SQL text of a page of claims and of the rest of a relevance-ranked result, built from the filters present
// (claims.list-query.ts parses them); facet counts are in claims.facet-sql.ts. Each combination has one SQL text, so
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

type Params = Record<string, string | number>;

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

// ---- Relevance ---------------------------------------------------------------------------------------------------

/**
 * How many of the most recent matches bm25 ranks. bm25 scores every match it is asked to order, 0.7-2.5 µs each
 * at a million claims (a look-up of the document's length, scattered for rare words): a word in 2% of a million
 * claims (20,000 matches) costs 17 ms a query ordered whole. Ranking the 1,000 most recent matches bounds that at
 * 1.5-3 ms; the remaining matches follow, newest first. A rare word (under 0.1% of a million claims) is ranked
 * exactly. See docs/adr/0005-search.md.
 */
export const RELEVANCE_WINDOW = 1000;

/**
 * bm25 with the statement weighted ten times the rest of the document, and every claim whose statement alone
 * matches the whole query ranked ahead of those that match only through caveats, quotes or names. bm25 by itself
 * cannot promise that: a word found in most documents gets (almost) no weight, and on a small or topical
 * collection "training cost" would rank a claim that mentions training in its caveats above the one whose
 * statement is about the training cost.
 */
const score = (anyTerm: boolean) => `bm25(claims_fts, 10.0, 1.0, 0.0) - CASE WHEN ${
  // When holding any one term is holding the query (ParsedQuery.anyTerm: one word, a phrase, only ORs, only NOTs),
  // bm25 weighting the statement alone tells for free: it is below zero when a term stands there. Otherwise (AND,
  // or OR with NOT) only a statement-only search tells, and it costs a pass over all the statement's matches
  // (2 ms for a common word).
  anyTerm
    ? 'bm25(claims_fts, 1.0, 0.0, 0.0) < 0'
    : 'claims_fts.rowid IN (SELECT rowid FROM claims_fts WHERE claims_fts MATCH @statementMatch)'
} THEN 1000.0 ELSE 0.0 END`;

/** The FTS5 expression that matches the query within the statement column only. */
export const statementMatch = (match: string) => `{statement} : (${match})`;

/**
 * The search as run: live claims only unless retracted ones are asked for. Retraction is a flag in the index, so
 * this costs no lookup in claims.
 */
export const searchMatch = (match: string, includeRetracted: boolean | undefined) =>
  includeRetracted === true ? match : `(${match}) NOT {flags} : retracted`;

/**
 * A position in relevance order. `top` and `bottom` bound the first page's window (its newest match, and its oldest
 * when it was full): later pages rank the same matches, so a claim written meanwhile does not enter the window, and
 * one retracted does not let an older match slide in, ahead of the position, where no page would show it.
 * `seq` is the change number when the page was made; `prev` and `prevScore` the claim shown before the last.
 */
export type RelevanceCursor =
  | { phase: 'r'; score: number; doc: number; top?: number; bottom?: number; seq?: number; prev?: number; prevScore?: number }
  | { phase: 't'; doc: number }
  | null;

/**
 * Where a later page resumes: after `doc`, at its score now (`reanchor`) or at the score it had (`score`). Chosen by
 * the finder from the cursor (claims.find.ts).
 */
export interface RelevanceAnchor {
  doc: number;
  score: number;
  reanchor: boolean;
  top?: number | undefined;
  bottom?: number | undefined;
}

/**
 * The ranked window: the RELEVANCE_WINDOW most recent matches that pass the filters, in (score, doc) order, after
 * the cursor. Each row also carries the window's size and its oldest doc, where the tail begins.
 */
export function buildRelevanceQuery(filters: ClaimFilters, anchor: RelevanceAnchor | null, limit: number, anyTerm: boolean) {
  const f = filterConditions(filters);
  const params: Params = { ...(f.claimFilters ? f.params : {}), limit, window: RELEVANCE_WINDOW };
  const match = ['claims_fts MATCH @match'];
  let after = '';
  if (anchor !== null) {
    // Every write moves every score a little (bm25 weighs a term by how many claims hold it, and a claim's length
    // against the average), so the anchor is found again at its score now, and the page goes on after that. Against
    // the score alone, one unrelated claim written between pages dropped 4 of a search's 11 matches from a seeded
    // database, or showed one twice.
    after = anchor.reanchor
      ? 'WHERE (score, doc) > (coalesce((SELECT score FROM w WHERE doc = @afterDoc), @afterScore), @afterDoc)'
      : 'WHERE (score, doc) > (@afterScore, @afterDoc)';
    params.afterScore = anchor.score;
    params.afterDoc = anchor.doc;
    if (anchor.top !== undefined) {
      match.push('claims_fts.rowid <= @top');
      params.top = anchor.top;
    }
    if (anchor.bottom !== undefined) {
      match.push('claims_fts.rowid >= @bottom');
      params.bottom = anchor.bottom;
    }
  }
  const where = [...match, ...f.where];
  // The page's rows, then one summary row (doc NULL) with the window's size, oldest and newest doc, even when the
  // page is empty. The caller orders the page rows itself.
  // Without filters on the claims themselves, the window comes from the index alone (@match excludes retracted).
  const from = f.claimFilters ? 'claims_fts JOIN claims c ON c.doc_id = claims_fts.rowid' : 'claims_fts';
  const conditions = f.claimFilters ? where : match;
  const sql = `WITH w AS MATERIALIZED (
      SELECT claims_fts.rowid AS doc, ${score(anyTerm)} AS score
      FROM ${from}
      WHERE ${conditions.join(' AND ')}
      ORDER BY claims_fts.rowid DESC LIMIT @window)
    SELECT * FROM (SELECT doc, score, NULL AS size, NULL AS oldest, NULL AS newest FROM w ${after} ORDER BY score, doc LIMIT @limit)
    UNION ALL SELECT NULL, NULL, count(*), min(doc), max(doc) FROM w`;
  return { sql, key: `r|${anchor?.reanchor ?? null}|${params.top !== undefined}|${params.bottom !== undefined}|${anyTerm}|${f.key}`, params };
}

/**
 * The scores of given hits (`docs`, a JSON array, newest first, from `newest` to `oldest`), for a window chosen
 * outside SQL. The unary + keeps SQLite from handing FTS5 one `rowid = ?` search per doc: it then reads the posting
 * lists between the two ends once and scores only the docs asked for.
 */
export function relevanceScore(anyTerm: boolean) {
  const sql = `SELECT rowid AS doc, ${score(anyTerm)} AS score FROM claims_fts
    WHERE claims_fts MATCH @match AND rowid BETWEEN @oldest AND @newest AND +rowid IN (SELECT value FROM json_each(@docs))`;
  return { sql, key: `s|${anyTerm}` };
}

/** Matches older than the ranked window (doc below `before`), newest first. */
export function buildRelevanceTailQuery(filters: ClaimFilters, before: number, limit: number) {
  const f = filterConditions(filters);
  const sql = f.claimFilters
    ? `SELECT claims_fts.rowid AS doc
    FROM claims_fts JOIN claims c ON c.doc_id = claims_fts.rowid
    WHERE claims_fts MATCH @match AND claims_fts.rowid < @before AND ${f.where.join(' AND ')}
    ORDER BY claims_fts.rowid DESC LIMIT @limit`
    : `SELECT rowid AS doc FROM claims_fts WHERE claims_fts MATCH @match AND rowid < @before ORDER BY rowid DESC LIMIT @limit`;
  return { sql, key: `t|${f.key}`, params: { ...(f.claimFilters ? f.params : {}), before, limit } };
}
