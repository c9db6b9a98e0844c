// The scores of a one-term search, a word or a phrase, computed here rather than by FTS5's bm25(). bm25() looks up the
// length of every match it scores in claims_fts_docsize, one statement each: about 2 µs a match at a million claims,
// most of what a rare word's search costs (bm25 over its 1,000 matches 2.2-2.9 ms, finding them 0.4 ms). For a phrase
// it also finds the phrase's matches twice, once to list them and once to count them for the phrase's weight: a phrase
// with a word most claims hold ("ka nemigormi") reads that word's positions at every match each time, 1 ms apiece.
// The lengths are in memory already (src/search/doc-columns.ts); a word's occurrences come from FTS5's fts5vocab
// 'instance' table in doc order (0.5 ms for 1,000), and a phrase's from those of one of its words few claims hold,
// within the claims the phrase matches, listed once. The same formula with the same inputs in the same order gives
// the same doubles: tests compare every score with bm25()'s for equality. Only for terms few claims hold: the instance
// table reads a word's every occurrence, where FTS5 scores only the window's. See docs/adr/0005-search.md.
import type { Db } from '../db/open.js';
import { asciiWords } from '../search/ascii-words.js';
import type { DocColumns } from '../search/doc-columns.js';
import { indexTotals } from '../search/fts5-records.js';
import { COUNT_UP_TO_SQL, createIndexStateMemo, INDEX_STATE_SQL } from '../search/index-state-memo.js';
import { ftsTerm, isFlagWord, type ParsedQuery } from '../search/search-query.js';
import type { HighlightTerm } from '../search/snippet.js';
import { COLUMN_WEIGHTS, STATEMENT_TIER } from './claims.relevance-sql.js';

/**
 * Words held by more claims than this are left to bm25(): reading all of their occurrences (about 0.5 µs each) costs
 * more than bm25() over the 1,000 newest. A phrase is scored here when one of its words is held by no more.
 */
export const TERM_SCORES_MAX_DOCS = 2000;

/**
 * Claims of a phrase whose occurrences its rare word cannot place (it stands in more than one column of the claim, or
 * more than once), counted in the claim's text instead: 4-7 µs each when its pages are cached, 45-70 µs when not (a
 * million claims, random claims). Past this many claims holding the word so, bm25() scores the phrase: reading more
 * costs more than bm25()'s second pass.
 */
export const TERM_SCORES_MAX_TEXTS = 16;

// bm25's constants in FTS5 (fts5_aux.c).
const K1 = 1.2;
const B = 0.75;

/**
 * A query word whose folding by FTS5's unicode61 tokenizer is certain: ASCII letters and digits (lower-cased), and the
 * marks inside numbers (src/search/search-text.ts), which it keeps. The instance table is looked up by the word as
 * indexed; JavaScript's folding of other letters is near unicode61's but not the same.
 */
const FOLDS_AS_ASCII = /^[A-Za-z0-9\uE000\uE001]+$/;

export interface TermHits {
  /** The claims holding the term, ascending by doc id; retracted ones only when asked for. */
  docs: Int32Array;
  /** Each one's score, as the ranked window's SQL gives it: bm25 with the statement tier (claims.relevance-sql.ts). */
  scores: Float64Array;
}

/** claims_fts's columns in order, and bm25's weight of each. */
const COLUMNS = Object.keys(COLUMN_WEIGHTS);
const WEIGHTS = Object.values(COLUMN_WEIGHTS);
const STATEMENT = COLUMNS.indexOf('statement');

/** How many times the words occur in a row in `text`, overlapping occurrences each counted, as FTS5 counts a phrase. */
function phraseCount(text: string | null, words: readonly string[]): number | null {
  const tokens = asciiWords(text ?? '');
  if (tokens === null) return null;
  let n = 0;
  for (let at = 0; at + words.length <= tokens.length; at++) {
    let k = 0;
    while (k < words.length && tokens[at + k] === words[k]) k++;
    if (k === words.length) n++;
  }
  return n;
}

/** How many claims hold a word more than once, from its occurrences (doc * 4 + column, in doc order). */
function claimsHoldingTwice(codes: readonly number[]): number {
  const docOf = (i: number) => Math.floor(codes[i]! / 4);
  let n = 0;
  // Counted at a claim's second occurrence.
  for (let i = 1; i < codes.length; i++) if (docOf(i) === docOf(i - 1) && (i === 1 || docOf(i - 2) !== docOf(i))) n++;
  return n;
}

export function createTermScores(db: Db, columns: DocColumns, maxDocs = TERM_SCORES_MAX_DOCS) {
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
  // Every claim a phrase matches: at most as many as hold the word it is read through.
  const phraseDocs = db.prepare<[string], number>('SELECT rowid FROM claims_fts WHERE claims_fts MATCH ? ORDER BY rowid').pluck();
  const texts = db.prepare<[string], Record<string, string | null> & { doc: number }>(
    `SELECT rowid AS doc, ${COLUMNS.join(', ')} FROM claims_fts WHERE rowid IN (SELECT value FROM json_each(?))`,
  );
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
    let many = counted.get(word);
    if (many === undefined) {
      many = countUpTo.get({ word: `"${word}"`, n: maxDocs + 1 })! > maxDocs;
      counted.set(word, many);
    }
    return many;
  }

  /** A term's words (one, or a phrase's in order) as the index holds them, or null for a prefix or several forms. */
  function wordsOf(term: HighlightTerm): string[] | null {
    if (term.prefix || term.alternatives !== undefined) return null;
    // The flags column holds it too, which the instance table would count: the SQL search keeps it to the text.
    if (term.tokens.length === 1 && isFlagWord(term.tokens[0]!)) return null;
    return term.tokens.every((t) => FOLDS_AS_ASCII.test(t)) ? term.tokens.map((t) => t.toLowerCase()) : null;
  }

  /** What bm25 needs of each claim holding the term, ascending, and how many claims hold it. */
  type Occurrences = { docs: Int32Array; freq: Float64Array; inStatement: Uint8Array; n: number };

  /**
   * A word's claims from its occurrences (doc * 4 + column, in doc order): per claim the weighted count of its
   * occurrences (bm25's "f", summed in the order FTS5 reads them) and whether the statement holds it (the tier: bm25
   * weighting the statement alone is below zero).
   */
  function ofWord(codes: number[]): Occurrences {
    const docs = new Int32Array(codes.length);
    const freq = new Float64Array(codes.length);
    const inStatement = new Uint8Array(codes.length);
    let n = 0;
    for (const code of codes) {
      const column = code % 4;
      const doc = (code - column) / 4;
      if (n === 0 || docs[n - 1] !== doc) docs[n++] = doc;
      freq[n - 1]! += WEIGHTS[column] ?? 1;
      if (column === STATEMENT) inStatement[n - 1] = 1;
    }
    return { docs: docs.subarray(0, n), freq: freq.subarray(0, n), inStatement: inStatement.subarray(0, n), n };
  }

  /**
   * A phrase's claims (`matched`, ascending, as FTS5 lists them) placed by the occurrences of one of its words that
   * it holds once (`codes`): where that word stands once in a claim, in one column, the phrase stands there once;
   * otherwise the claim's text tells. Null when the text cannot (beyond ASCII), or the index changed between reads.
   */
  function ofPhrase(words: string[], codes: number[], matched: number[]): Occurrences | null {
    const size = matched.length;
    const perColumn = new Uint32Array(size * 4);
    let m = 0;
    for (const code of codes) {
      const column = code % 4;
      const doc = (code - column) / 4;
      while (m < size && matched[m]! < doc) m++;
      if (matched[m] === doc) perColumn[m * 4 + column]!++;
    }
    const docs = Int32Array.from(matched);
    const freq = new Float64Array(size);
    const inStatement = new Uint8Array(size);
    const unplaced: number[] = [];
    for (let i = 0; i < size; i++) {
      const counts = perColumn.subarray(i * 4, i * 4 + 4);
      const total = counts.reduce((a, b) => a + b, 0);
      // None: the index changed between the two reads.
      if (total === 0) return null;
      const column = counts.findIndex((c) => c > 0);
      if (total === 1) {
        freq[i] = WEIGHTS[column] ?? 1;
        inStatement[i] = column === STATEMENT ? 1 : 0;
      } else unplaced.push(i);
    }
    if (unplaced.length > 0) {
      const byDoc = new Map(texts.all(JSON.stringify(unplaced.map((i) => matched[i]!))).map((t) => [t.doc, t]));
      for (const i of unplaced) {
        const text = byDoc.get(matched[i]!);
        if (text === undefined) return null;
        let total = 0;
        for (const [column, name] of COLUMNS.entries()) {
          const count = phraseCount(text[name] ?? null, words);
          // Text beyond ASCII: unicode61's words there are not certain to be ours.
          if (count === null) return null;
          // As FTS5 sums it, an occurrence at a time.
          for (let k = 0; k < count; k++) freq[i]! += WEIGHTS[column]!;
          total += count;
          if (column === STATEMENT) inStatement[i] = count > 0 ? 1 : 0;
        }
        if (total === 0) return null;
      }
    }
    return { docs, freq, inStatement, n: size };
  }

  /** The term's claims as bm25 weighs them, or null when they are too many to read here or cannot be placed. */
  function occurrencesOf(words: string[], match: string): Occurrences | null {
    // The word itself, or a word of the phrase that few claims hold, among those it holds once (each occurrence of the
    // phrase then holds one of it), the longest tried first as the likeliest to be rare.
    const read = [...words]
      .filter((w) => words.indexOf(w) === words.lastIndexOf(w))
      .sort((a, b) => b.length - a.length)
      .find((w) => !heldByMany(w));
    if (read === undefined) return null;
    const codes = instances.all(read);
    if (words.length === 1) return ofWord(codes);
    // Claims holding the word more than once, in one column or several: any of them the phrase matches must be read.
    // Too many, and listing the phrase's claims (1 ms for a phrase with a word most claims hold) is time lost.
    if (claimsHoldingTwice(codes) > TERM_SCORES_MAX_TEXTS) return null;
    // Every claim the phrase matches, retracted ones too (bm25 weighs it by how many it finds).
    return ofPhrase(words, codes, phraseDocs.all(match));
  }

  /**
   * The claims holding the term, scored: bm25, less STATEMENT_TIER where the statement holds the term when `tier`.
   * Null when this cannot score it exactly (see read).
   */
  function scored(words: string[], match: string, includeRetracted: boolean, tier: boolean): TermHits | null {
    if (!columns.sync()) return null;
    counted.follow();
    const found = occurrencesOf(words, match);
    const totals = indexTotals(averages.get());
    if (found === null || !columns.current() || found.n === 0) return null;
    const { docs, freq, inStatement, n } = found;
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
      scores[kept++] = tier ? bm25 - (inStatement[i] === 1 ? STATEMENT_TIER : 0.0) : bm25;
    }
    return { docs: docs.subarray(0, kept), scores: scores.subarray(0, kept) };
  }

  return {
    /**
     * The claims holding a one-term query's term, scored as the ranked window's SQL scores them, or null when this
     * cannot score it exactly: another kind of query, a word more than maxDocs claims hold (a phrase: each of its
     * words), the search columns not loaded or inside a transaction, a phrase whose occurrences cannot be placed
     * cheaply, or a write by another process between the reads (the lengths in memory would not be those of the index
     * read).
     */
    read(query: ParsedQuery, includeRetracted: boolean): TermHits | null {
      const words = query.terms.length === 1 && query.highlight.length === 1 ? wordsOf(query.highlight[0]!) : null;
      return words === null ? null : scored(words, query.match, includeRetracted, true);
    },

    /**
     * bm25 alone (no tier) of every claim holding one term of a search, retracted ones too: the score of a search
     * whose other terms weigh nothing (claims.relevance-plan.ts), before the tier the whole query decides. Null as
     * for read.
     */
    readTerm(term: HighlightTerm): TermHits | null {
      const words = wordsOf(term);
      return words === null ? null : scored(words, ftsTerm(term), true, false);
    },
  };
}

export type TermScores = ReturnType<typeof createTermScores>;
