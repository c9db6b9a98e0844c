// The scores of a one-word search, computed here rather than by FTS5's bm25(). bm25() looks up the length of every
// match it scores in claims_fts_docsize, one statement each: about 2 µs a match at a million claims, most of what a
// rare word's search costs (bm25 over its 1,000 matches 2.2-2.9 ms, finding them 0.4 ms). The lengths are in memory
// already (src/search/doc-columns.ts), and a word's occurrences come from FTS5's fts5vocab 'instance' table in doc
// order (0.5 ms for 1,000), so the same formula with the same inputs in the same order gives the same doubles:
// tests compare every score with bm25()'s for equality. Only for words few claims hold: the instance table reads a
// word's every occurrence, where FTS5 scores only the window's. See docs/adr/0005-search.md.
import type { Db } from '../db/open.js';
import type { DocColumns } from '../search/doc-columns.js';
import { indexTotals } from '../search/fts5-records.js';
import { COUNT_UP_TO_SQL, createIndexStateMemo, INDEX_STATE_SQL } from '../search/index-state-memo.js';
import type { ParsedQuery } from '../search/search-query.js';
import { COLUMN_WEIGHTS, STATEMENT_TIER } from './claims.relevance-sql.js';

/**
 * Words held by more claims than this are left to bm25(): reading all of their occurrences (about 0.5 µs each) costs
 * more than bm25() over the 1,000 newest.
 */
export const WORD_SCORES_MAX_DOCS = 2000;

// bm25's constants in FTS5 (fts5_aux.c).
const K1 = 1.2;
const B = 0.75;

/**
 * A query word whose folding by FTS5's unicode61 tokenizer is certain: ASCII letters and digits (lower-cased), and the
 * marks inside numbers (src/search/search-text.ts), which it keeps. The instance table is looked up by the word as
 * indexed; JavaScript's folding of other letters is near unicode61's but not the same.
 */
const FOLDS_AS_ASCII = /^[A-Za-z0-9\uE000\uE001]+$/;

export interface WordHits {
  /** The claims holding the word, ascending by doc id; retracted ones only when asked for. */
  docs: Int32Array;
  /** Each one's score, as the ranked window's SQL gives it: bm25 with the statement tier (claims.relevance-sql.ts). */
  scores: Float64Array;
}

/** claims_fts's columns in order, and bm25's weight of each. */
const COLUMNS = Object.keys(COLUMN_WEIGHTS);
const WEIGHTS = Object.values(COLUMN_WEIGHTS);
const STATEMENT = COLUMNS.indexOf('statement');

export function createWordScores(db: Db, columns: DocColumns, maxDocs = WORD_SCORES_MAX_DOCS) {
  db.exec("CREATE VIRTUAL TABLE IF NOT EXISTS temp.claims_fts_instances USING fts5vocab(main, 'claims_fts', 'instance')");
  // Reads at most maxDocs + 1 entries of the word's list: 0.07 ms for a rare word, 0.3-0.5 ms for one held by more.
  const countUpTo = db.prepare<{ word: string; n: number }, number>(COUNT_UP_TO_SQL).pluck();
  // Each occurrence as one number, doc * 4 + column: a row array and a column name apiece cost a third of a request's
  // garbage, and the collections it brought.
  const instances = db
    .prepare<[string], number>(
      `SELECT doc * 4 + CASE col ${COLUMNS.map((c, i) => `WHEN '${c}' THEN ${i}`).join(' ')} ELSE 3 END FROM temp.claims_fts_instances WHERE term = ?`,
    )
    .pluck();
  const averages = db.prepare<[], Buffer | undefined>('SELECT block FROM claims_fts_data WHERE id = 1').pluck();
  // Through SQLite's ln(), which is the C library's log() that bm25() calls: Math.log may differ in the last bit.
  const idfOf = db.prepare<{ rows: number; hits: number }, number>('SELECT ln((@rows - @hits + 0.5) / (@hits + 0.5))').pluck();
  /**
   * Whether more than maxDocs claims hold the word, remembered for this state of the index: a common word's count cost
   * its search 0.3-0.5 ms, a tenth of it, every time. Forgotten when the index changes: an edit can make a word rarer.
   */
  const structure = db.prepare<[], Buffer | undefined>(INDEX_STATE_SQL).pluck();
  const counted = createIndexStateMemo<boolean>(() => structure.get());
  function heldByMany(word: string): boolean {
    counted.follow();
    let many = counted.get(word);
    if (many === undefined) {
      many = countUpTo.get({ word: `"${word}"`, n: maxDocs + 1 })! > maxDocs;
      counted.set(word, many);
    }
    return many;
  }

  /** The query's one word as the index holds it, or null when the query is anything else. */
  function wordOf(query: ParsedQuery): string | null {
    const [term] = query.highlight;
    if (query.terms.length !== 1 || term === undefined || term.prefix || term.alternatives !== undefined || term.tokens.length !== 1) return null;
    const word = term.tokens[0]!;
    return FOLDS_AS_ASCII.test(word) ? word.toLowerCase() : null;
  }

  return {
    /**
     * The claims holding a one-word query's word, scored, or null when this cannot score it exactly: another kind of
     * query, a word more than maxDocs claims hold, the search columns not loaded or inside a transaction, or a write
     * by another process between the reads (the lengths in memory would not be those of the index read).
     */
    read(query: ParsedQuery, includeRetracted: boolean): WordHits | null {
      const word = wordOf(query);
      if (word === null || !columns.sync()) return null;
      if (heldByMany(word)) return null;
      const occurrences = instances.all(word);
      const totals = indexTotals(averages.get());
      if (!columns.current() || occurrences.length === 0) return null;
      // Per doc, the weighted count of its occurrences (bm25's "f", summed in the order FTS5 reads them), and whether
      // the statement holds the word (the tier: bm25 weighting the statement alone is below zero).
      const docs = new Int32Array(occurrences.length);
      const freq = new Float64Array(occurrences.length);
      const inStatement = new Uint8Array(occurrences.length);
      let n = 0;
      for (const code of occurrences) {
        const column = code % 4;
        const doc = (code - column) / 4;
        if (n === 0 || docs[n - 1] !== doc) docs[n++] = doc;
        freq[n - 1]! += WEIGHTS[column] ?? 1;
        if (column === STATEMENT) inStatement[n - 1] = 1;
      }
      // As fts5_aux.c computes it: every claim in the index counts, retracted ones too.
      let idf = idfOf.get({ rows: totals.rows, hits: n })!;
      if (idf <= 0) idf = 1e-6;
      const avgdl = totals.tokens / totals.rows;
      const lengths = columns.lengths();
      const retracted = columns.retracted();
      // Scored in place: the live claims (or all) move to the front.
      const scores = new Float64Array(n);
      let kept = 0;
      for (let i = 0; i < n; i++) {
        const doc = docs[i]!;
        if (!includeRetracted && retracted[doc] === 1) continue;
        const f = freq[i]!;
        const D = lengths[doc]!;
        const bm25 = -1.0 * (0.0 + idf * ((f * (K1 + 1.0)) / (f + K1 * (1 - B + (B * D) / avgdl))));
        docs[kept] = doc;
        scores[kept++] = bm25 - (inStatement[i] === 1 ? STATEMENT_TIER : 0.0);
      }
      return { docs: docs.subarray(0, kept), scores: scores.subarray(0, kept) };
    },
  };
}

export type WordScores = ReturnType<typeof createWordScores>;
