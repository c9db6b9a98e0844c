// The search syntax users type, turned into an FTS5 query that cannot fail to parse. User text never reaches FTS5
// as syntax: every word becomes a quoted string, and only the operators below are passed through.
//
//   words           all must match (AND is implied):        deepseek training cost
//                   or, with match=any, any may; a query of plain words no claim holds every word of is answered
//                   so, and says it (src/claims/claims.search.ts)
//   "a phrase"      the words in this order:                "training cost"
//   prefix*         words starting with it:                 deeps*
//   OR, NOT, AND    in capitals, between terms:             nvidia OR broadcom,  deepseek NOT r1
//                   OR binds first:                         nvidia OR broadcom market cap is (nvidia OR broadcom)
//                                                            AND market AND cap; deepseek NOT r1 OR v2 leaves out both
//   numbers         whole, as written: 5.576, $800, 2,788   (5.576 finds $5.576M, 800 finds $800B; 6 does not find
//                                                            5.6, nor 576 5.576, nor 800 8000; 2048 and 2,048 find
//                                                            each other: src/search/search-text.ts)
//   other forms     unquoted, a word also finds its plural   GPU finds GPUs, H800s H800, cap capitalization, bn
//                   or singular and its equivalents:         billion, $800B and $800 billion each other, centre
//                                                            center, Jan January (src/search/word-forms.ts); "cap"
//                                                            and "GPU" quoted find only themselves
//
// Anything else (brackets, lone quotes, stray operators, NEAR, column filters, control characters) is read as a
// separator. A query with no words, over 500 characters, with over 32 terms, with a prefix of under 3 characters or
// with over 4 prefixes is refused with a clear message.
import { AppError } from '../http/problems.js';
import { isMagnitudeWord, wordForms } from './word-forms.js';
import { withoutQuestionWords } from './question-words.js';
import { displayText, indexText, otherNumberForm } from './search-text.js';
import type { HighlightTerm } from './snippet.js';

export const MAX_QUERY_LENGTH = 500;
const MAX_TERMS = 32;
/**
 * Prefixes are what a search can cost without bound. FTS5 reads and merges the postings of every word a prefix
 * covers before it returns a first row, and nothing can interrupt it: at a million claims `l*` took 1.5 s and 32
 * one-letter prefixes joined by OR took 20 s, holding every other request. So a prefix needs 3 letters or digits, and
 * a query may hold 4 prefixes.
 */
export const MIN_PREFIX_LENGTH = 3;
export const MAX_PREFIXES = 4;
const OPERATORS = new Set(['AND', 'OR', 'NOT']);
/** At most this many ways of writing one term are searched (2,048bn: 2 number forms times 3 for bn). */
const MAX_FORMS = 8;
/** A word that is a number (digits, and the marks inside numbers): a letter after it in a run is its magnitude. */
const NUMBER = /^[\p{N}\p{Co}]+$/u;
/** A name ending in digits (H800, A100): an s after it in a run is a plural's. */
const ENDS_IN_DIGIT = /\p{N}$/u;
// Co: the marks search_text puts inside numbers (5.576 is one word).
const WORD = /[\p{L}\p{M}\p{N}\p{Co}]+/gu;

type Term = HighlightTerm;
type Operator = 'AND' | 'OR' | 'NOT';
/**
 * A term or an operator. `implied` marks an operator no one wrote (between plain words); `word` a term that is one
 * unquoted word, no prefix, folded.
 */
type Part = { op: Operator; implied?: true } | { term: Term; word?: string };

type Lexed = { op: Operator } | { tokens: string[]; prefix: boolean; quoted: boolean };

/** Splits the raw query into quoted phrases, operators and words; never throws on any input. */
function lex(input: string): Part[] {
  const lexed: Lexed[] = [];
  // Quoted phrases (a missing closing quote runs to the end), or runs of anything but space and quotes.
  for (const m of input.matchAll(/"([^"]*)"?(\*?)|[^\s"]+/g)) {
    if (m[1] !== undefined) {
      const tokens = m[1].match(WORD) ?? [];
      if (tokens.length > 0) lexed.push({ tokens, prefix: m[2] === '*', quoted: true });
      continue;
    }
    // FTS5's NEAR is no operator here but a separator, as documented: "a NEAR b" is a and b, and NEAR( opens nothing.
    const raw = m[0].replace(/^NEAR(?=\(|$)/, '');
    if (OPERATORS.has(raw)) {
      lexed.push({ op: raw as Operator });
      continue;
    }
    // Several words in one run (High-Flyer, $800B: 800 and b) are a phrase.
    const tokens = raw.match(WORD) ?? [];
    if (tokens.length === 0) continue;
    // A number and its magnitude typed apart ($1.6 billion) are one, as typed together ($1.6B): so that each finds
    // the other, and the magnitude stands next to its number, not anywhere in the claim.
    const before = lexed.at(-1);
    if (before !== undefined && 'tokens' in before && !before.quoted && !before.prefix && NUMBER.test(before.tokens.at(-1)!) && isMagnitudeWord(tokens[0]!))
      lexed[lexed.length - 1] = { tokens: [...before.tokens, ...tokens], prefix: raw.endsWith('*'), quoted: false };
    else lexed.push({ tokens, prefix: raw.endsWith('*'), quoted: false });
  }
  return lexed.map((l) =>
    'op' in l
      ? l
      : { term: term(l.tokens, l.prefix, l.quoted), ...(l.tokens.length === 1 && !l.quoted && !l.prefix ? { word: folded(l.tokens[0]!) } : {}) },
  );
}

/**
 * A term of these words, with the other ways of writing it as alternatives: its numbers in their other form (2048,
 * 2,048), and, unless it was quoted, its words' other forms (GPUs for GPU, capitalization for cap:
 * src/search/word-forms.ts).
 */
function term(tokens: string[], prefix: boolean, quoted: boolean): Term {
  const numbers = tokens.map((t) => otherNumberForm(t) ?? t);
  let forms = numbers.some((t, k) => t !== tokens[k]) ? [tokens, numbers] : [tokens];
  if (!quoted)
    for (let k = 0; k < tokens.length; k++) {
      // A prefix's last word is a beginning, not a word.
      if (prefix && k === tokens.length - 1) continue;
      const previous = k > 0 ? tokens[k - 1]! : '';
      const afterNumber = NUMBER.test(previous);
      const words = wordForms(tokens[k]!, afterNumber, !afterNumber && ENDS_IN_DIGIT.test(previous));
      if (words.length === 1 || forms.length * words.length > MAX_FORMS) continue;
      forms = forms.flatMap((f) => words.map((w) => f.with(k, w)));
    }
  // A form may leave a word out (the s of H800s).
  if (forms.length > 1) forms = forms.map((f) => f.filter((w) => w !== ''));
  return forms.length === 1 ? { tokens, prefix } : { tokens, prefix, alternatives: forms.slice(1) };
}

/**
 * The one word the index's flags column holds: "retracted", on a retracted claim (migrations/0003_search.sql), so that
 * the usual search leaves those out without a lookup. A reader's word must not find it there: "retracted", or
 * retract*, with includeRetracted=true matched every retracted claim whatever its text, with nothing to mark in its
 * snippet. A term that can match it is kept to the text columns; no other word stands in flags.
 */
const FLAG_WORD = 'retracted';
const folded = (word: string) => word.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
/** Whether a word, as unicode61 folds it, is the flags column's: what counts it in every column counts the mark too. */
export const isFlagWord = (word: string): boolean => folded(word) === FLAG_WORD;
const couldMatchFlag = (tokens: string[], prefix: boolean) =>
  tokens.length === 1 && (prefix ? FLAG_WORD.startsWith(folded(tokens[0]!)) : isFlagWord(tokens[0]!));

/** Which index a query is for: the claims index has the flags column, the entities index (autocomplete) has not. */
type Index = 'claims' | 'entities';

const phrase = (tokens: string[], prefix: boolean, index: Index = 'claims') => {
  const quoted = `"${tokens.join(' ')}"${prefix ? '*' : ''}`;
  return index === 'claims' && couldMatchFlag(tokens, prefix) ? `{statement body} : ${quoted}` : quoted;
};

/** A term as FTS5 reads it: a quoted string, with * after a prefix; its forms joined by OR in brackets. */
export const ftsTerm = (t: HighlightTerm, index: Index = 'claims') =>
  t.alternatives === undefined
    ? phrase(t.tokens, t.prefix, index)
    : `(${[t.tokens, ...t.alternatives].map((f) => phrase(f, t.prefix, index)).join(' OR ')})`;

export interface ParsedQuery {
  /** The FTS5 MATCH expression. */
  match: string;
  /** The words searched for, for display. */
  terms: string[];
  /** The terms a hit's snippet marks: all but those after NOT. */
  highlight: HighlightTerm[];
  /**
   * True when a text holds the query as soon as it holds one of its terms not after NOT: a single term, terms joined
   * only by OR, or a term followed only by NOTs (whose terms then stand nowhere in a match). False with AND, and with
   * OR and NOT together (a term after NOT may then stand in a match, through the other side of the OR).
   */
  anyTerm: boolean;
  /**
   * Words every match holds, as typed: those of each term not after NOT, less a prefix term's last word and a number
   * with another form, when the query has no OR (with OR, no word is certain). A match can be no more common than
   * the rarest of them.
   */
  required: string[];
  /** Whether the query has OR. */
  or: boolean;
  /** Its terms and operators, operators only between terms (for narrowSearchQuery). */
  sequence: readonly Part[];
}

/**
 * How the terms of a query with no operator between them combine: `all` must match (the default), or `any` may. A
 * reader who types a question ("what did SemiAnalysis claim") gets the claims holding some of its words, where no claim
 * holds every one.
 */
export const SEARCH_MATCHES = ['all', 'any'] as const;
export type SearchMatch = (typeof SEARCH_MATCHES)[number];

/** Parses a user query; throws a 400 `invalid-query` problem when nothing searchable is left. */
export function parseSearchQuery(input: string, match: SearchMatch = 'all'): ParsedQuery {
  // With match=any, "nvidia broadcom NOT lseg" is (nvidia OR broadcom) NOT lseg: OR binds first (compile).
  return parse(input, match === 'any' ? 'OR' : 'AND').query;
}

/**
 * A query of plain words (two terms or more, no operator written) read with match=any; null for any other query,
 * which means what its operators say.
 */
export function anyWordReading(input: string): ParsedQuery | null {
  const { query, written, typed } = parse(input, 'OR');
  return written.size === 0 && typed > 1 ? query : null;
}

function parse(input: string, implied: Operator): { query: ParsedQuery; written: Set<Operator>; typed: number } {
  if (input.length > MAX_QUERY_LENGTH)
    throw new AppError('invalid-query', `The query is ${input.length} characters long; at most ${MAX_QUERY_LENGTH} are searched`);
  // Numbers are marked as the index's text is, after control and format characters go (the marks are of those).
  const parts = lex(indexText(input.replace(/[\p{Cc}\p{Cf}]/gu, ' ')));
  // Operators only stand between two terms: drop leading, trailing and repeated ones (the last one wins).
  const sequence: Part[] = [];
  const written = new Set<Operator>();
  let pending: Operator | null = null;
  for (const p of parts) {
    if ('op' in p) {
      // FTS5 has no "everything except": a NOT with nothing before it would silently search for the opposite.
      if (sequence.length === 0 && p.op === 'NOT')
        throw new AppError('invalid-query', 'NOT needs a term before it, e.g. q=deepseek NOT r1');
      if (sequence.length > 0) pending = p.op;
      continue;
    }
    if (sequence.length > 0) sequence.push(pending === null ? { op: implied, implied: true } : { op: pending });
    if (pending !== null) written.add(pending);
    sequence.push(p);
    pending = null;
  }
  const terms = sequence.flatMap((p) => ('term' in p ? [p.term] : []));
  if (terms.length === 0)
    throw new AppError('invalid-query', 'The query has no words to search for: use letters or digits, e.g. q=deepseek training cost');
  if (terms.length > MAX_TERMS)
    throw new AppError('invalid-query', `The query has ${terms.length} terms; at most ${MAX_TERMS} are searched`);
  checkPrefixes(terms.filter((t) => t.prefix));
  // Words read as alternatives: those that only make the question a sentence are left out.
  return { query: compile(implied === 'OR' ? withoutQuestionWords(sequence) : sequence), written, typed: terms.length };
}

/**
 * The query of these terms and operators (operators only between terms). OR binds the terms beside it before AND and
 * NOT do, as in a web search and in FTS3's standard syntax: "nvidia OR broadcom market cap" is (nvidia OR broadcom)
 * market cap, and "deepseek NOT r1 OR v2" is deepseek NOT (r1 OR v2). FTS5 binds AND first (nvidia OR (broadcom market
 * cap)), so each run of terms joined by OR is written in brackets.
 */
function compile(sequence: readonly Part[], index: Index = 'claims'): ParsedQuery {
  const out: string[] = [];
  const terms: string[] = [];
  const highlight: HighlightTerm[] = [];
  const required: string[] = [];
  let group: string[] = [];
  const close = () => out.push(group.length > 1 ? `(${group.join(' OR ')})` : group[0]!);
  // Whether the run of terms being read follows NOT: none of its terms stands in a match.
  let negated = false;
  for (const p of sequence) {
    if ('op' in p) {
      if (p.op === 'OR') continue;
      close();
      [group, negated] = [[], p.op === 'NOT'];
      out.push(p.op);
      continue;
    }
    if (!negated) {
      highlight.push(p.term);
      // A word only some forms of the term have (2048 or 2,048; cap or capitalization) is not in every match.
      const { tokens, prefix, alternatives = [] } = p.term;
      required.push(...tokens.filter((w, k) => !(prefix && k === tokens.length - 1) && alternatives.every((f) => f[k] === w)));
    }
    group.push(ftsTerm(p.term, index));
    terms.push(p.term.tokens.join(' '));
  }
  close();
  const operators = sequence.flatMap((p) => ('op' in p ? [p.op] : []));
  const anyTerm = operators.every((o) => o === 'OR') || operators.every((o) => o === 'NOT');
  const or = operators.includes('OR');
  return { match: out.join(' '), terms, highlight, anyTerm, required: or ? [] : [...new Set(required)], or, sequence };
}

/**
 * The query without the alternatives no claim holds (a plural or an equivalent the data never uses), so that a word
 * whose other forms are all absent is searched as one word, which the in-memory scores answer and the planner
 * can count. Exact: an absent form matches nothing and adds 0 to every bm25 score. `indexed` tells whether the
 * index holds an FTS5 term; the term as typed is always kept.
 */
export function narrowSearchQuery(query: ParsedQuery, indexed: (ftsTerm: string) => boolean): ParsedQuery {
  if (!query.sequence.some((p) => 'term' in p && p.term.alternatives !== undefined)) return query;
  return compile(
    query.sequence.map((p) => {
      if (!('term' in p) || p.term.alternatives === undefined) return p;
      const { tokens, prefix } = p.term;
      const held = p.term.alternatives.filter((f) => indexed(phrase(f, prefix)));
      return { term: held.length === 0 ? { tokens, prefix } : { tokens, prefix, alternatives: held } };
    }),
  );
}

/** Refuses prefixes too short or too many to search in bounded time (see MIN_PREFIX_LENGTH). */
function checkPrefixes(prefixes: Term[]): void {
  const short = prefixes.find((t) => [...t.tokens[t.tokens.length - 1]!].length < MIN_PREFIX_LENGTH);
  if (short)
    throw new AppError(
      'invalid-query',
      `The prefix "${displayText(short.tokens.join(' '))}*" is too short: a prefix needs at least ${MIN_PREFIX_LENGTH} letters or digits before *, since a shorter one matches too many words to search`,
    );
  if (prefixes.length > MAX_PREFIXES)
    throw new AppError('invalid-query', `The query has ${prefixes.length} prefix terms (ending in *); at most ${MAX_PREFIXES} are searched`);
}

/** The FTS5 prefix query for autocomplete: every word of the input as a prefix. */
export function parsePrefixQuery(input: string): ParsedQuery {
  if (input.length > 100) throw new AppError('invalid-query', 'An autocomplete query is at most 100 characters long');
  const tokens = input.match(WORD) ?? [];
  if (tokens.length === 0) throw new AppError('invalid-query', 'The query has no letters or digits to complete');
  const words = tokens.slice(0, 8);
  return compile(
    words.flatMap((t, i): Part[] => [...(i > 0 ? [{ op: 'AND' as const }] : []), { term: { tokens: [t], prefix: true } }]),
    'entities',
  );
}
