// How a ranked search is read, from what its words say about its matches: whether they are few enough for the window
// to be read forwards, and which words carry weight in bm25 at all. Neither changes which claims match; see
// docs/adr/0005-search.md ("A search that cannot fill the window is read forwards", "Words most claims hold are left
// out of the scores").
import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/open.js';
import { indexTotals } from '../search/fts5-records.js';
import { COUNT_UP_TO_SQL, createIndexStateMemo, INDEX_STATE_SQL } from '../search/index-state-memo.js';
import { ftsTerm, isFlagWord, type ParsedQuery } from '../search/search-query.js';
import type { HighlightTerm } from '../search/snippet.js';
import { RELEVANCE_WINDOW } from './claims.relevance-sql.js';

/** Matches read at each end of a word's posting list before it is counted. */
const SAMPLE = 256;

/** The finder's statements, each prepared once, the first time a request needs it. */
export type Prepared = (q: { sql: string; key: string }) => ReturnType<Db['prepare']>;

const COUNT_UP_TO = { sql: COUNT_UP_TO_SQL, key: 'plan|count' };
/** FTS5's structure record (index-state-memo.ts), and its averages record, which starts with the row count bm25 uses. */
const INDEX_STATE = { sql: INDEX_STATE_SQL, key: 'plan|structure' };
const AVERAGES = { sql: 'SELECT block FROM claims_fts_data WHERE id = 1', key: 'plan|averages' };
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
  // Judgements hold for one state of the index: any write to it (a claim, an entity renamed) may change a count.
  const judged = createIndexStateMemo<boolean>(() => (prepared(INDEX_STATE) as Statement<[], Buffer | undefined>).pluck().get());
  let rows = 0;

  /** Forgets every judgement when the index has changed since they were made, and reads its row count again. */
  function followIndex(): void {
    if (!judged.follow()) return;
    const averages = (prepared(AVERAGES) as Statement<[], Buffer | undefined>).pluck().get();
    rows = indexTotals(averages).rows;
  }

  /**
   * Whether at least half of the claims in the index hold the word: then bm25 gives it no weight, since FTS5 clamps
   * its idf, log((N - n + 0.5) / (n + 0.5)), to 1e-6 once n reaches N / 2. Told exactly, by counting its claims up to
   * N / 2 (40 ms for a word in every one of a million claims, once per state of the index), but only for a word that
   * half the claims hold at both ends of the collection (its first and last SAMPLE matches and the doc ids they
   * span, 0.1-0.3 ms): a word that fails that is scored, whatever it would have counted to, so most words are never
   * counted. Kept per state of the index, for the last 4,096 words asked about.
   */
  function mostClaimsHold(word: string): boolean {
    // Counted here in every column, flags included, where the search counts it in the text alone: scored, always.
    if (isFlagWord(word)) return false;
    const known = judged.get(word);
    if (known !== undefined) return known;
    const half = Math.ceil(rows / 2);
    const dense = (order: 'ASC' | 'DESC') => {
      const r = prepared(ENDS[order]).get({ word: `"${word}"` }) as { n: number; lo: number | null; hi: number | null };
      // Under SAMPLE matches is all of them.
      return r.n < SAMPLE ? r.n >= half : (r.n - 1) / Math.max(1, r.hi! - r.lo!) >= 0.5;
    };
    const common =
      rows > 0 && dense('ASC') && dense('DESC') && (prepared(COUNT_UP_TO).get({ word: `"${word}"`, n: half }) as { n: number }).n >= half;
    judged.set(word, common);
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
     * The terms a search's hits are scored under, when they differ from the search's: its terms not after NOT, less
     * the single words that at least half the claims hold, when another term remains. bm25 weighs each term by how many
     * claims hold it, and FTS5 counts them by reading the term's whole posting list, once a query: 40 ms at a million
     * claims for a word in every claim ("the", "of"), where finding the matches of "the training" takes 2. Such a
     * word's part of a score is at most 2.2e-6 (its clamped idf times bm25's largest term factor, k1 + 1), so leaving
     * it out moves no score by more. A term after NOT stands in no match and weighs nothing, but FTS5 counts its claims
     * all the same. Not with OR, where a term after NOT may stand in a match through the other side.
     *
     * `skip` is the positive terms (by position) left out on the search's first page, which later pages keep (the
     * cursor carries them), so that every page is scored alike whatever the claims hold by then. `match` is null when
     * every term is scored; `terms` are those scored.
     */
    ranking(query: ParsedQuery, skip?: readonly number[]): { match: string | null; skip: number[]; terms: HighlightTerm[] } {
      const positive = query.highlight;
      if (query.or) return { match: null, skip: [], terms: positive };
      let left: number[];
      if (skip !== undefined) left = skip.filter((i, k) => Number.isInteger(i) && i >= 0 && i < positive.length && skip.indexOf(i) === k);
      else {
        left = [];
        if (positive.length >= 2) {
          followIndex();
          positive.forEach((t, i) => {
            if (!t.prefix && t.alternatives === undefined && t.tokens.length === 1 && mostClaimsHold(t.tokens[0]!)) left.push(i);
          });
        }
      }
      // One term at least is scored: if every one is left out, none is.
      if (left.length >= positive.length) left = [];
      const kept = positive.filter((_, i) => !left.includes(i));
      return { match: kept.length === query.terms.length ? null : kept.map((t) => ftsTerm(t)).join(' OR '), skip: left, terms: kept };
    },
  };
}

export type RelevancePlanner = ReturnType<typeof createRelevancePlanner>;
