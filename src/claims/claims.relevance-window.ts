// The ranked window of a search (claims.find.ts asks for it): its matches, read from FTS5 or given from the columns in
// memory, and their scores, resumed after a later page's anchor. The SQL is in claims.relevance-sql.ts; what the
// query's words say about how to read it, in claims.relevance-plan.ts; the scores of a one-word or one-phrase search,
// computed in memory, in claims.term-scores.ts.
import type { ParsedQuery } from '../search/search-query.js';
import type { HighlightTerm } from '../search/snippet.js';
import type { ClaimFilters } from './claims.list-query.js';
import { filterConditions, type Params } from './claims.list-sql.js';
import { createRelevancePlanner, type Prepared } from './claims.relevance-plan.js';
import {
  buildRelevanceQuery,
  buildRelevanceWindowDocs,
  RELEVANCE_WINDOW,
  relevanceScore,
  STATEMENT_MATCHES,
  STATEMENT_TIER,
  statementMatch,
  type RelevanceAnchor,
} from './claims.relevance-sql.js';
import type { TermHits, TermScores } from './claims.term-scores.js';

/** The terms a search is scored under when they are not all of its own: their FTS5 expression, and the terms. */
export interface Ranking {
  match: string;
  terms: HighlightTerm[];
}

/** A match and its score: lower ranks first (bm25 is negative), then the older doc. */
export interface ScoredDoc {
  doc: number;
  score: number;
}

export interface RankedWindow {
  /** The window's matches after the anchor, scored, in no particular order. */
  ranked: ScoredDoc[];
  /** How many matches the window holds, and its oldest and newest doc. */
  window: { size: number; oldest: number | null; newest: number | null };
}

/** One search's reading: the query, its FTS5 match as run (retracted claims left out or not), and a later page's anchor. */
export interface WindowRequest {
  query: ParsedQuery;
  match: string;
  /** Whether `match` keeps retracted claims. */
  includeRetracted: boolean;
  anchor: RelevanceAnchor | null;
}

/** The score of each given doc from a term's scored hits (docs ascending), or null if one is not among them. */
function scoresOf(hits: TermHits, docs: number[]): { doc: number; score: number }[] | null {
  const out: { doc: number; score: number }[] = [];
  for (const doc of docs) {
    let lo = 0;
    let hi = hits.docs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (hits.docs[mid]! < doc) lo = mid + 1;
      else hi = mid;
    }
    if (hits.docs[lo] !== doc) return null;
    out.push({ doc, score: hits.scores[lo]! });
  }
  return out;
}

const hasClaimFilters = (filters: ClaimFilters) => filterConditions(filters).claimFilters;

/** Whether a match ranks after a later page's anchor, the anchor standing at `from` (its score now, when trusted). */
const follows = (anchor: RelevanceAnchor, from: number, doc: number, score: number) => score > from || (score === from && doc > anchor.doc);

/**
 * The n first of the matches offered, in rank order, as sorting them all and taking those would give; a match becomes
 * an object only when it ranks among them. A page needs 21 of a window of 1,000: sorting them all, as objects, with a
 * comparator returning a float, made a fifth of a rare-word search's garbage (2026-12-02).
 */
export function rankedFirst(n: number) {
  const best: ScoredDoc[] = [];
  const before = (doc: number, score: number, other: ScoredDoc) => score < other.score || (score === other.score && doc < other.doc);
  return {
    offer(doc: number, score: number): void {
      if (best.length === n) {
        if (n === 0 || !before(doc, score, best[n - 1]!)) return;
        best.pop();
      }
      let at = best.length;
      while (at > 0 && before(doc, score, best[at - 1]!)) at--;
      best.splice(at, 0, { doc, score });
    },
    /** Those offered so far, best first. */
    best: (): ScoredDoc[] => best,
  };
}

/** The n first of `ranked` in rank order. */
export function bestRanked(ranked: ScoredDoc[], n: number): ScoredDoc[] {
  const first = rankedFirst(n);
  for (const r of ranked) first.offer(r.doc, r.score);
  return first.best();
}

export function createRelevanceWindows(prepared: Prepared, termScores?: TermScores) {
  const planner = createRelevancePlanner(prepared);

  /**
   * bm25 (with the statement tier) for the given hits of a search, newest first, under the ranking terms when they
   * differ from the query's. The hits were chosen by the whole search, so the query as typed is enough here: leaving
   * out its retraction clause saves a third of the time. The tier is always the whole query's.
   */
  function scoreDocs(query: ParsedQuery, docs: number[], ranking: Ranking | null): { doc: number; score: number }[] {
    const newest = docs[0]!;
    const oldest = docs.at(-1)!;
    // The hits are the search's: retracted ones among them only if it kept them.
    if (ranking === null) {
      const term = termScores?.read(query, true);
      const scored = term ? scoresOf(term, docs) : null;
      if (scored !== null) return scored;
    } else if (ranking.terms.length === 1 && !query.anyTerm) {
      // One term weighs (the others most claims hold): its scores from memory, the tier from the statement's matches
      // of the whole query, in the window's range, as the SQL below has it.
      const term = termScores?.readTerm(ranking.terms[0]!);
      const scored = term ? scoresOf(term, docs) : null;
      if (scored !== null) {
        const tier = new Set(
          (prepared(STATEMENT_MATCHES).all({ statementMatch: statementMatch(query.match), oldest, newest }) as { doc: number }[]).map((r) => r.doc),
        );
        return scored.map((r) => ({ doc: r.doc, score: r.score - (tier.has(r.doc) ? STATEMENT_TIER : 0.0) }));
      }
    }
    const q = relevanceScore(query.anyTerm);
    const params: Params = { match: ranking?.match ?? query.match, docs: JSON.stringify(docs), newest, oldest };
    return prepared(q).all(query.anyTerm ? params : { ...params, statementMatch: statementMatch(query.match) }) as { doc: number; score: number }[];
  }

  /** A window's scored matches (`window` newest first), resumed after the anchor as buildRelevanceQuery does. */
  function resume(anchor: RelevanceAnchor | null, window: number[], scored: { doc: number; score: number }[]): RankedWindow {
    let ranked = scored;
    if (anchor !== null) {
      // At its score now when it may be trusted.
      const from = (anchor.reanchor ? ranked.find((r) => r.doc === anchor.doc)?.score : undefined) ?? anchor.score;
      ranked = ranked.filter((r) => follows(anchor, from, r.doc, r.score));
    }
    return { window: { size: window.length, oldest: window.at(-1) ?? null, newest: window[0] ?? null }, ranked };
  }

  /** A window chosen apart from its scores (newest first), scored, and resumed after the anchor. */
  function rankGiven({ query, anchor }: WindowRequest, taken: number[], ranking: Ranking | null): RankedWindow {
    if (anchor?.bottom !== undefined) taken = taken.filter((doc) => doc >= anchor.bottom!);
    return resume(anchor, taken, taken.length === 0 ? [] : scoreDocs(query, taken, ranking));
  }

  /**
   * The window read from FTS5 under the filters in SQL, with `fetch` rows after the anchor at most. Read forwards
   * when the query cannot have more matches than the window, and if it turns out to (claims written between the count
   * and the read), newest first after all. Scored in the same query, or apart when the ranking terms are not the
   * query's.
   */
  function fromIndex(request: WindowRequest, filters: ClaimFilters, fetch: number, ranking: Ranking | null): RankedWindow {
    const { query, match, anchor } = request;
    // A word or phrase few claims hold, without filters: its newest matches (within the first page's window) scored in
    // memory.
    const term = ranking === null && !hasClaimFilters(filters) ? termScores?.read(query, request.includeRetracted) : null;
    if (term) {
      // Newest first within the first page's window, as the SQL reads it: the window is a range of the term's docs
      // (ascending), and only the page's best of it become objects.
      const { docs, scores } = term;
      let newestAt = docs.length - 1;
      if (anchor?.top !== undefined) while (newestAt >= 0 && docs[newestAt]! > anchor.top) newestAt--;
      let oldestAt = Math.max(newestAt - RELEVANCE_WINDOW + 1, 0);
      if (anchor?.bottom !== undefined) while (oldestAt <= newestAt && docs[oldestAt]! < anchor.bottom) oldestAt++;
      const size = newestAt - oldestAt + 1;
      // After the anchor at its score now when it may be trusted, as resume() has it.
      let from = anchor?.score ?? Number.NEGATIVE_INFINITY;
      if (anchor?.reanchor) for (let i = oldestAt; i <= newestAt; i++) if (docs[i] === anchor.doc) from = scores[i]!;
      const first = rankedFirst(fetch);
      for (let i = newestAt; i >= oldestAt; i--) if (anchor === null || follows(anchor, from, docs[i]!, scores[i]!)) first.offer(docs[i]!, scores[i]!);
      return { window: { size, oldest: size > 0 ? docs[oldestAt]! : null, newest: size > 0 ? docs[newestAt]! : null }, ranked: first.best() };
    }
    /** Read forwards when the count allows; more than the window then means a write came in between: the newest. */
    const readWindow = <T>(read: (forwards: boolean) => T, size: (window: T) => number): T => {
      const forwards = planner.fewMatches(query.required);
      const first = read(forwards);
      return forwards && size(first) > RELEVANCE_WINDOW ? read(false) : first;
    };
    if (ranking !== null) {
      const taken = readWindow(
        (forwards) => {
          const q = buildRelevanceWindowDocs(filters, anchor, forwards);
          const docs = (prepared(q).all({ ...q.params, match }) as { doc: number }[]).map((r) => r.doc);
          return forwards ? docs.reverse() : docs;
        },
        (docs) => docs.length,
      );
      return rankGiven(request, taken, ranking);
    }
    type Row = { doc: number | null; score: number | null; size: number | null; oldest: number | null; newest: number | null };
    const summaryOf = (rows: Row[]) => rows.find((r) => r.doc === null)!;
    const out = readWindow(
      (forwards) => {
        const q = buildRelevanceQuery(filters, anchor, fetch, query.anyTerm, forwards);
        const params = { ...q.params, match };
        return prepared(q).all(query.anyTerm ? params : { ...params, statementMatch: statementMatch(query.match) }) as Row[];
      },
      (rows) => summaryOf(rows).size!,
    );
    const summary = summaryOf(out);
    return {
      window: { size: summary.size!, oldest: summary.oldest, newest: summary.newest },
      ranked: out.filter((r) => r.doc !== null) as { doc: number; score: number }[],
    };
  }

  return {
    /**
     * The terms bm25 weighs: null for all of them, else their FTS5 expression and the terms, and which were left out
     * (claims.relevance-plan.ts).
     */
    ranking(query: ParsedQuery, skip?: readonly number[]): { ranking: Ranking | null; skip: number[] } {
      const plan = planner.ranking(query, skip);
      return { ranking: plan.match === null ? null : { match: plan.match, terms: plan.terms }, skip: plan.skip };
    },
    rankGiven,
    fromIndex,
  };
}
