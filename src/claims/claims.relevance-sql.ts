// The SQL of a search ranked by relevance: bm25 over a window of the most recent matches, the scores of given hits,
// and the older matches that follow the window (claims.find.ts runs them). Ordered lists are in claims.list-sql.ts.
import type { ClaimFilters } from './claims.list-query.js';
import { filterConditions, type Params } from './claims.list-sql.js';

/**
 * How many of the most recent matches bm25 ranks. bm25 scores every match it is asked to order, 0.7-2.5 µs each
 * at a million claims (a look-up of the document's length, scattered for rare words): a word in 2% of a million
 * claims (20,000 matches) costs 17 ms a query ordered whole. Ranking the 1,000 most recent matches bounds that at
 * 1.5-3 ms; the remaining matches follow, newest first. A rare word (under 0.1% of a million claims) is ranked
 * exactly. See docs/adr/0005-search.md.
 */
export const RELEVANCE_WINDOW = 1000;

/** bm25's weight of each column of claims_fts, in order: the statement ten times the rest; flags nothing. */
export const COLUMN_WEIGHTS = { statement: 10, body: 1, flags: 0 } as const;
/** Subtracted from the score of a claim whose statement alone matches the whole query. */
export const STATEMENT_TIER = 1000;
const weights = (only?: keyof typeof COLUMN_WEIGHTS) =>
  Object.entries(COLUMN_WEIGHTS)
    .map(([column, weight]) => (only === undefined ? weight : column === only ? 1 : 0).toFixed(1))
    .join(', ');

/**
 * bm25 with the statement weighted ten times the rest of the document, and every claim whose statement alone
 * matches the whole query ranked ahead of those that match only through caveats, quotes or names. bm25 by itself
 * cannot promise that: a word found in most documents gets (almost) no weight, and on a small or topical
 * collection "training cost" would rank a claim that mentions training in its caveats above the one whose
 * statement is about the training cost. A one-word or one-phrase search is scored the same way in
 * claims.term-scores.ts.
 */
const score = (anyTerm: boolean) => `bm25(claims_fts, ${weights()}) - CASE WHEN ${
  // When holding any one term is holding the query (ParsedQuery.anyTerm: one word, a phrase, only ORs, only NOTs),
  // bm25 weighting the statement alone tells for free: it is below zero when a term stands there. Otherwise (AND,
  // or OR with NOT) only a statement-only search tells, and it costs a pass over all the statement's matches
  // (2 ms for a common word).
  anyTerm
    ? `bm25(claims_fts, ${weights('statement')}) < 0`
    : 'claims_fts.rowid IN (SELECT rowid FROM claims_fts WHERE claims_fts MATCH @statementMatch)'
} THEN ${STATEMENT_TIER.toFixed(1)} ELSE 0.0 END`;

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
 * `seq` is the change number when the page was made; `prev` and `prevScore` the claim shown before the last; `skip` the
 * positive terms left out of the scores on the first page (claims.relevance-plan.ts).
 */
export type RelevanceCursor =
  | { phase: 'r'; score: number; doc: number; top?: number; bottom?: number; seq?: number; prev?: number; prevScore?: number; skip?: number[] }
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
 * Where a window's matches come from: the search, within the first page's window (`top`, `bottom`) on later pages,
 * and the filters. Without filters on the claims themselves, from the index alone (@match excludes retracted claims).
 */
function windowSource(filters: ClaimFilters, bounds: { top?: number | undefined; bottom?: number | undefined } | null) {
  const f = filterConditions(filters);
  const params: Params = { ...(f.claimFilters ? f.params : {}), window: RELEVANCE_WINDOW };
  const where = ['claims_fts MATCH @match'];
  if (bounds?.top !== undefined) {
    where.push('claims_fts.rowid <= @top');
    params.top = bounds.top;
  }
  if (bounds?.bottom !== undefined) {
    where.push('claims_fts.rowid >= @bottom');
    params.bottom = bounds.bottom;
  }
  return {
    from: f.claimFilters ? 'claims_fts JOIN claims c ON c.doc_id = claims_fts.rowid' : 'claims_fts',
    where: (f.claimFilters ? [...where, ...f.where] : where).join(' AND '),
    params,
    key: `${params.top !== undefined}|${params.bottom !== undefined}|${f.key}`,
  };
}

/**
 * The order a window is read in. Newest first, the RELEVANCE_WINDOW most recent matches; or, for a search known to
 * have no more than the window holds (the same set, then), every match oldest first. FTS5 reads a posting list
 * backwards by walking it, where forwards it skips through its index: a phrase or words with a word most claims hold
 * ("the training") read its whole posting list backwards, 3-6 ms at a million claims, against 1.2-2 ms forwards. Read
 * whole, the window has at most RELEVANCE_WINDOW + 1 rows: one more says that a write came between the count and the
 * read, and the caller reads the newest instead.
 */
const windowOrder = (whole: boolean) => `ORDER BY claims_fts.rowid ${whole ? 'LIMIT @window + 1' : 'DESC LIMIT @window'}`;

/**
 * The ranked window: the RELEVANCE_WINDOW most recent matches that pass the filters (or all of them, `whole`), in
 * (score, doc) order, after the cursor. Each row also carries the window's size and its oldest doc, where the tail
 * begins.
 */
export function buildRelevanceQuery(filters: ClaimFilters, anchor: RelevanceAnchor | null, limit: number, anyTerm: boolean, whole = false) {
  const source = windowSource(filters, anchor);
  const params: Params = { ...source.params, limit };
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
  }
  // The page's rows, then one summary row (doc NULL) with the window's size, oldest and newest doc, even when the
  // page is empty. The caller orders the page rows itself.
  const sql = `WITH w AS MATERIALIZED (
      SELECT claims_fts.rowid AS doc, ${score(anyTerm)} AS score
      FROM ${source.from}
      WHERE ${source.where}
      ${windowOrder(whole)})
    SELECT * FROM (SELECT doc, score, NULL AS size, NULL AS oldest, NULL AS newest FROM w ${after} ORDER BY score, doc LIMIT @limit)
    UNION ALL SELECT NULL, NULL, count(*), min(doc), max(doc) FROM w`;
  return { sql, key: `r|${anchor?.reanchor ?? null}|${anyTerm}|${whole}|${source.key}`, params };
}

/** The window's docs alone, to be scored apart (relevanceScore): newest first, or oldest first when `whole`. */
export function buildRelevanceWindowDocs(filters: ClaimFilters, bounds: { top?: number | undefined; bottom?: number | undefined } | null, whole: boolean) {
  const source = windowSource(filters, bounds);
  const sql = `SELECT claims_fts.rowid AS doc FROM ${source.from} WHERE ${source.where} ${windowOrder(whole)}`;
  return { sql, key: `wd|${whole}|${source.key}`, params: source.params };
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

/** The claims within a window's range whose statement alone matches the whole query: the tier, apart from scores. */
export const STATEMENT_MATCHES = {
  sql: 'SELECT rowid AS doc FROM claims_fts WHERE claims_fts MATCH @statementMatch AND rowid BETWEEN @oldest AND @newest',
  key: 'st',
};

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
