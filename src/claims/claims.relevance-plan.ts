// How a ranked search is read, from what its words say about its matches: whether they are few enough for the window
// to be read forwards, and which words carry weight in bm25 at all. Neither changes which claims match; see
// docs/adr/0005-search.md ("A search that cannot fill the window is read forwards", "Words most claims hold").
import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/open.js';
import { ftsTerm, type ParsedQuery } from '../search/search-query.js';
import { RELEVANCE_WINDOW } from './claims.relevance-sql.js';

/** Matches read at each end of a word's posting list to judge how common it is. */
const SAMPLE = 256;
/**
 * Share of the claims at both ends of the collection that marks a word as held by at least half of all claims. bm25
 * gives such a word no weight: FTS5 clamps its idf, log((N - n + 0.5) / (n + 0.5)), to 1e-6 once n reaches N / 2.
 * 0.6 is above a half by three standard errors of a 256-match sample at each end, so a word is left out of the
 * ranking only when it would weigh nothing.
 */
const COMMON_SHARE = 0.6;
/** Words judged, with the span of doc ids they were judged at; kept while the collection grows by under a tenth. */
const JUDGED = 4096;

/** The finder's statements, each prepared once, the first time a request needs it. */
export type Prepared = (q: { sql: string; key: string }) => ReturnType<Db['prepare']>;

const COUNT_UP_TO = { sql: 'SELECT count(*) AS n FROM (SELECT 1 FROM claims_fts WHERE claims_fts MATCH @word LIMIT @n)', key: 'plan|count' };
const DOC_RANGE = { sql: 'SELECT (SELECT min(doc_id) FROM claims) AS first, (SELECT max(doc_id) FROM claims) AS last', key: 'plan|range' };
/**
 * A word's first or last SAMPLE matches: how many, and the doc ids they span. Either end is a few pages of its posting
 * list (0.1-0.3 ms at a million claims); a rowid range in its middle made FTS5 read up to it, 25-55 ms.
 */
const end = (order: 'ASC' | 'DESC') => ({
  sql: `SELECT count(*) AS n, min(rowid) AS lo, max(rowid) AS hi FROM (
    SELECT rowid FROM claims_fts WHERE claims_fts MATCH @word ORDER BY rowid ${order} LIMIT ${SAMPLE})`,
  key: `plan|${order}`,
});
const ENDS = { ASC: end('ASC'), DESC: end('DESC') };

export function createRelevancePlanner(prepared: Prepared) {
  const judged = new Map<string, { common: boolean; span: number }>();

  /**
   * Whether at least COMMON_SHARE of the claims hold the word, at the oldest end of the collection and at the newest;
   * counted exactly when it has fewer than SAMPLE matches. Judgements are kept (the last JUDGED words) while the
   * collection has grown by under a tenth: a word held by 60% of the claims then still has half of them.
   */
  function mostClaimsHold(word: string): boolean {
    const { first, last } = (prepared(DOC_RANGE) as Statement<[], { first: number | null; last: number | null }>).get()!;
    if (first === null || last === null) return false;
    const span = last - first + 1;
    const known = judged.get(word);
    if (known !== undefined && span >= known.span && span < known.span * 1.1) {
      judged.delete(word);
      judged.set(word, known);
      return known.common;
    }
    const dense = (order: 'ASC' | 'DESC') => {
      const r = prepared(ENDS[order]).get({ word: `"${word}"` }) as { n: number; lo: number | null; hi: number | null };
      if (r.n < SAMPLE) return r.n >= COMMON_SHARE * span;
      return (r.n - 1) / Math.max(1, r.hi! - r.lo!) >= COMMON_SHARE;
    };
    const common = dense('ASC') && dense('DESC');
    judged.set(word, { common, span });
    if (judged.size > JUDGED) judged.delete(judged.keys().next().value!);
    return common;
  }

  return {
    /**
     * Whether a search whose matches all hold these words has at most RELEVANCE_WINDOW of them, so that its window may
     * be read whole and forwards (buildRelevanceQuery). Counting a word's claims up to the window's size reads at
     * most that many entries forwards, 0.1-0.2 ms; the longest words are tried first, as the likeliest to be rare.
     * Retracted claims are counted too: a bound is all it needs. A single word gains nothing read forwards.
     */
    fewMatches(words: string[]): boolean {
      return (
        words.length > 1 &&
        [...words]
          .sort((a, b) => b.length - a.length)
          .slice(0, 3)
          .some((w) => (prepared(COUNT_UP_TO).get({ word: `"${w}"`, n: RELEVANCE_WINDOW + 1 }) as { n: number }).n <= RELEVANCE_WINDOW)
      );
    },

    /**
     * The FTS5 expression to score a search's hits with, when it differs from the search: its terms not after NOT,
     * less the single words that most claims hold, when other terms remain. bm25 weighs each term by how many claims
     * hold it, and FTS5 counts them by reading the term's whole posting list, once a query: 40 ms at a million
     * claims for a word in every claim ("the", "of"), where finding the matches of "the training" takes 2. Such a
     * word's weight is at most 2.2e-6 of a score (its clamped idf times bm25's largest term factor), so leaving it
     * out moves no score by more than that. A term after NOT stands in no match and weighs nothing, but FTS5 counts
     * its claims all the same. Not with OR, where a term after NOT may stand in a match through the other side.
     * null when every term is scored.
     */
    rankingMatch(query: ParsedQuery): string | null {
      if (query.or) return null;
      const positive = query.highlight;
      const weighed = positive.length < 2 ? positive : positive.filter((t) => t.prefix || t.tokens.length > 1 || !mostClaimsHold(t.tokens[0]!));
      const kept = weighed.length === 0 ? positive : weighed;
      return kept.length === query.terms.length ? null : kept.map(ftsTerm).join(' OR ');
    },
  };
}

export type RelevancePlanner = ReturnType<typeof createRelevancePlanner>;
