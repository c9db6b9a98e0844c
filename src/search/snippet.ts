// The short highlighted extract that shows why a search hit matched. FTS5's snippet() re-tokenizes each hit's whole
// document and cost 60-130 µs a hit at a million claims (2-3 ms of every search page); the same tokenization in
// JavaScript over the page's 20 documents costs a tenth of that. The text is the claim's own, so it is HTML-escaped
// here and only our <mark> tags are added: the result is safe to put in a page.
import { ASCII_TEXT as ASCII, isAsciiWordCode } from './ascii-words.js';
import { displayText, hasMarks } from './search-text.js';

/** A positive term of a query: its words in order, the last one a prefix when `prefix` is set. */
export interface HighlightTerm {
  tokens: string[];
  prefix: boolean;
  /** The same term written otherwise, word for word (2,048 for 2048: src/search/search-text.ts). */
  alternatives?: string[][];
}

/** Words of the extract; FTS5's snippet() used 16 too. */
export const SNIPPET_TOKENS = 16;

// The same characters the query parser reads as words; folding matches the index's unicode61 remove_diacritics 2.
// The texts are the index's, numbers marked (src/search/search-text.ts): the marks inside numbers are word
// characters (Co), the break before a unit a separator, and ASCII text with marks keeps the fast path.
const WORD = /[\p{L}\p{M}\p{N}\p{Co}]+/gu;
export const fold = (word: string) => (ASCII.test(word) ? word : word.normalize('NFD').replace(/\p{M}/gu, '')).toLowerCase();

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
/** Indexed text with marks as a reader sees it, HTML-escaped. */
const escapeMarked = (s: string) => escape(displayText(s));

interface Token {
  start: number;
  end: number;
  word: string;
}

/**
 * The text's words. Most text is ASCII: lower-cased whole, it keeps every offset, and its words are runs of [a-z0-9],
 * which is what the Unicode classes come to in ASCII; read character by character, they cost no match object each
 * (a page's snippets made a third of a rare-word search's garbage, 2026-12-02). `lower` is the ASCII text lower-cased.
 */
function tokenize(text: string, lower?: string): Token[] {
  const out: Token[] = [];
  if (lower !== undefined || ASCII.test(text)) {
    const folded = lower ?? text.toLowerCase();
    let start = -1;
    for (let i = 0; i <= folded.length; i++) {
      const word = i < folded.length && isAsciiWordCode(folded.charCodeAt(i));
      if (word && start < 0) start = i;
      else if (!word && start >= 0) {
        out.push({ start, end: i, word: folded.slice(start, i) });
        start = -1;
      }
    }
    return out;
  }
  for (const m of text.matchAll(WORD)) out.push({ start: m.index, end: m.index + m[0].length, word: fold(m[0]) });
  return out;
}

/** A form of a query's term, folded, and which term it is a form of. */
interface Form {
  tokens: string[];
  prefix: boolean;
  term: number;
}

/** Where each term occurs: the term, the token its occurrence starts at, and how many tokens it spans. */
function hits(tokens: Token[], terms: Form[]): { term: number; at: number; length: number }[] {
  const found: { term: number; at: number; length: number }[] = [];
  for (let at = 0; at < tokens.length; at++) {
    for (let t = 0; t < terms.length; t++) {
      const term = terms[t]!;
      const n = term.tokens.length;
      if (at + n > tokens.length) continue;
      let k = 0;
      for (; k < n; k++) {
        const word = tokens[at + k]!.word;
        const want = term.tokens[k]!;
        if (!(word === want || (term.prefix && k === n - 1 && word.startsWith(want)))) break;
      }
      if (k === n) found.push({ term: term.term, at, length: n });
    }
  }
  return found;
}

/** The query's terms as the index folds them, each in every form it is searched in. */
const formsOf = (terms: HighlightTerm[]): Form[] =>
  terms.flatMap((t, term) => [t.tokens, ...(t.alternatives ?? [])].map((form) => ({ tokens: form.map(fold), prefix: t.prefix, term })));

/**
 * The text's words and where the terms occur in it, or null when none does. An ASCII text without the first word of
 * any term as a substring holds none: it is not read word by word.
 */
function occurrencesIn(text: string | null, forms: Form[]): { tokens: Token[]; found: ReturnType<typeof hits> } | null {
  if (text === null) return null;
  let lower: string | undefined;
  if (ASCII.test(text)) {
    lower = text.toLowerCase();
    const folded = lower;
    if (!forms.some((f) => folded.includes(f.tokens[0]!))) return null;
  }
  const tokens = tokenize(text, lower);
  const found = hits(tokens, forms);
  return found.length > 0 ? { tokens, found } : null;
}

/**
 * The extract of the first of `texts` (the statement, then the rest of the document) in which a term occurs: the
 * SNIPPET_TOKENS words that hold the most different terms, matches in <mark>, '…' where the text goes on.
 */
export function snippet(texts: (string | null)[], terms: HighlightTerm[]): string {
  const forms = formsOf(terms);
  for (const text of texts) {
    const at = occurrencesIn(text, forms);
    if (at !== null) return extract(text!, at.tokens, at.found);
  }
  const text = texts.find((t) => t !== null) ?? '';
  return extract(text, tokenize(text), []);
}

/** The extract of `text` if a term occurs in it, as snippet() gives it with `text` first; otherwise null. */
export function snippetIfFound(text: string, terms: HighlightTerm[]): string | null {
  const at = occurrencesIn(text, formsOf(terms));
  return at === null ? null : extract(text, at.tokens, at.found);
}

/** The extract of a text from its words and the terms' occurrences in them. */
function extract(text: string, tokens: Token[], found: ReturnType<typeof hits>): string {
  if (tokens.length === 0) return '';

  // The window with the most distinct terms, then the most matches, then the earliest; a match opens it with a
  // little context before, as a reader expects. A query has at most 32 terms: the distinct ones are bits of a mask.
  let best = { start: 0, score: -1 };
  for (const h of found) {
    const start = Math.max(0, Math.min(h.at - 2, tokens.length - SNIPPET_TOKENS));
    let terms = 0;
    let inside = 0;
    for (const o of found) {
      if (o.at >= start && o.at + o.length <= start + SNIPPET_TOKENS) {
        terms |= 1 << o.term;
        inside++;
      }
    }
    const score = bitCount(terms) * 1000 + inside;
    if (score > best.score || (score === best.score && start < best.start)) best = { start, score };
  }
  const first = best.start;
  const last = Math.min(tokens.length, first + SNIPPET_TOKENS) - 1;
  const marked = new Uint8Array(last - first + 1);
  for (const h of found) if (h.at >= first && h.at + h.length - 1 <= last) marked.fill(1, h.at - first, h.at - first + h.length);

  const show = hasMarks(text) ? escapeMarked : escape;
  // From the text's start, the punctuation before the first word (an opening quote) belongs to the extract.
  let out = first > 0 ? '…' : show(text.slice(0, tokens[0]!.start).trimStart());
  // The text from the window's first word, cut only where a run of marked words (a phrase shares one <mark>) begins
  // or ends: escaping a piece at a time gives what escaping word by word did.
  let cursor = tokens[first]!.start;
  for (let i = 0; i < marked.length; i++) {
    if (marked[i] === 0) continue;
    let j = i;
    while (j + 1 < marked.length && marked[j + 1] === 1) j++;
    out += `${show(text.slice(cursor, tokens[first + i]!.start))}<mark>${show(text.slice(tokens[first + i]!.start, tokens[first + j]!.end))}</mark>`;
    cursor = tokens[first + j]!.end;
    i = j;
  }
  out += show(text.slice(cursor, tokens[last]!.end));
  // Trailing punctuation of the last word (a full stop, a closing bracket) belongs to the extract.
  out += show(last + 1 < tokens.length ? text.slice(tokens[last]!.end, tokens[last + 1]!.start).trimEnd() : text.slice(tokens[last]!.end).trimEnd());
  if (last < tokens.length - 1) out += '…';
  return out;
}

/** The number of bits set in a 32-bit integer. */
function bitCount(n: number): number {
  let v = n - ((n >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}
