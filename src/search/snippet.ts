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

/** A text's words and where the terms occur in them. */
interface Read {
  text: string;
  tokens: Token[];
  found: ReturnType<typeof hits>;
}

/**
 * The text's words and where the terms occur in it, or null when none does. An ASCII text without the first word of
 * any term as a substring holds none: it is not read word by word.
 */
function occurrencesIn(text: string | null, forms: Form[]): Read | null {
  if (text === null) return null;
  let lower: string | undefined;
  if (ASCII.test(text)) {
    lower = text.toLowerCase();
    const folded = lower;
    if (!forms.some((f) => folded.includes(f.tokens[0]!))) return null;
  }
  const tokens = tokenize(text, lower);
  const found = hits(tokens, forms);
  return found.length > 0 ? { text, tokens, found } : null;
}

/** Words of the second extract, shown when the first leaves out a term the document holds. */
export const MORE_TOKENS = 10;

/** A query has at most 32 terms: a set of them is a 32-bit mask. */
const everyTerm = (count: number): number => (count >= 32 ? 0xffffffff : (1 << count) - 1) >>> 0;
const termsFound = (found: Read['found']): number => found.reduce((mask, h) => mask | (1 << h.term), 0) >>> 0;

/** The extracts of one query's hits. */
export function createSnippets(terms: HighlightTerm[]) {
  const forms = formsOf(terms);
  const all = everyTerm(terms.length);

  return {
    /** The whole text, HTML-escaped, with every match in <mark>: a statement shown whole, as a result's title. */
    marked(text: string): string {
      const read = occurrencesIn(text, forms);
      return read === null || read.tokens.length === 0 ? (hasMarks(text) ? escapeMarked : escape)(text) : render(read, 0, read.tokens.length - 1);
    },

    /**
     * Whether the text holds every term: then a hit's extract comes from it alone (snippet), and the rest of the
     * document need not be read.
     */
    holdsEveryTerm(text: string): boolean {
      const read = occurrencesIn(text, forms);
      return read === null ? all === 0 : termsFound(read.found) === all;
    },

    /**
     * The extract that shows why a hit matched, from its texts (the statement, then each part of the rest of the
     * document: a caveat, a quote, a name; an extract keeps to one text, so two parts never read as one sentence): the
     * SNIPPET_TOKENS words that hold the most different terms, the statement's first where two hold as many; and when
     * a term the texts hold is not among them, the MORE_TOKENS words that show the most of those left out, after or
     * before it in the document's order. Matches in <mark>, '…' where a text goes on or two extracts meet. When the
     * statement holds every term, the extract is the statement's, as a reader sees it first.
     */
    snippet(texts: (string | null)[]): string {
      const first = occurrencesIn(texts[0] ?? null, forms);
      const reads = (first !== null && termsFound(first.found) === all ? [first] : [first, ...texts.slice(1).map((t) => occurrencesIn(t, forms))]).filter(
        (r) => r !== null,
      );
      if (reads.length === 0) {
        const text = texts.find((t) => t !== null) ?? '';
        const tokens = tokenize(text);
        return tokens.length === 0 ? '' : render({ text, tokens, found: [] }, 0, Math.min(tokens.length, SNIPPET_TOKENS) - 1);
      }
      const held = reads.reduce((mask, r) => mask | termsFound(r.found), 0) >>> 0;
      const main = bestWindow(reads, SNIPPET_TOKENS, held)!;
      const left = (held & ~main.terms) >>> 0;
      const more = left === 0 ? null : bestWindow(reads, MORE_TOKENS, left, main);
      const windows = more === null ? [main] : [main, more].sort((a, b) => a.read - b.read || a.first - b.first);
      // Two windows that meet in one text are one stretch of it.
      if (windows.length === 2 && windows[0]!.read === windows[1]!.read && windows[1]!.first === windows[0]!.last + 1)
        windows.splice(0, 2, { ...windows[0]!, last: windows[1]!.last });
      let out = '';
      for (const w of windows) {
        const piece = render(reads[w.read]!, w.first, w.last);
        if (out === '') out = piece;
        else if (out.endsWith('…')) out += ` ${piece.startsWith('…') ? piece.slice(1) : piece}`;
        else out += piece.startsWith('…') ? ` ${piece}` : ` … ${piece}`;
      }
      return out;
    },
  };
}

/** The extract of the query's terms in a hit's texts (createSnippets, for one hit). */
export const snippet = (texts: (string | null)[], terms: HighlightTerm[]): string => createSnippets(terms).snippet(texts);

/** The most words between two extracts of one text that are shown rather than cut. */
const NEAR = 3;

/** A stretch of one text's words, first to last, and the terms it shows. */
interface Window {
  read: number;
  first: number;
  last: number;
  terms: number;
}

/**
 * The window of `size` words that shows the most different terms of `wanted`, then comes first in the texts' order,
 * then holds the most matches, then starts earliest; a match opens it with a little context before, as a reader
 * expects. With `beside`, the window keeps clear of that one, so the two never overlap. Null when no match of a wanted
 * term can be shown.
 */
function bestWindow(reads: Read[], size: number, wanted: number, beside?: Window): Window | null {
  let best: (Window & { shown: number; inside: number }) | null = null;
  for (let read = 0; read < reads.length; read++) {
    const { tokens, found } = reads[read]!;
    for (const h of found) {
      if (((1 << h.term) & wanted) === 0) continue;
      let first = Math.max(0, Math.min(h.at - 2, tokens.length - size));
      let end = Math.min(tokens.length, first + size);
      if (beside !== undefined && beside.read === read) {
        // Beside it, or after a gap of a few words, which it then takes in: "…" would stand for less than it hides.
        if (h.at > beside.last) {
          first = h.at - 2 - (beside.last + 1) <= NEAR ? beside.last + 1 : h.at - 2;
          end = Math.min(tokens.length, first + size);
        } else if (h.at + h.length <= beside.first) {
          end = Math.min(beside.first, Math.max(0, h.at - 2) + size);
          if (beside.first - end <= NEAR) end = beside.first;
          first = Math.max(0, Math.min(h.at - 2, end - size));
        } else continue;
      }
      let terms = 0;
      let inside = 0;
      for (const o of found) {
        if (o.at >= first && o.at + o.length <= end) {
          terms |= 1 << o.term;
          inside++;
        }
      }
      const shown = bitCount((terms & wanted) >>> 0);
      if (
        best === null ||
        shown > best.shown ||
        (shown === best.shown && (read < best.read || (read === best.read && (inside > best.inside || (inside === best.inside && first < best.first)))))
      )
        best = { read, first, last: end - 1, terms: terms >>> 0, shown, inside };
    }
  }
  return best;
}

/** The words first to last of a text, the matches among them in <mark>, '…' where the text goes on either side. */
function render({ text, tokens, found }: Read, first: number, last: number): string {
  // 2 where a match starts, 1 where it goes on.
  const marked = new Uint8Array(last - first + 1);
  for (const h of found) {
    if (h.at < first || h.at + h.length - 1 > last) continue;
    for (let k = h.at - first; k < h.at - first + h.length; k++) marked[k] = Math.max(marked[k]!, k === h.at - first ? 2 : 1);
  }

  const show = hasMarks(text) ? escapeMarked : escape;
  // From the text's start, the punctuation before the first word (an opening quote) belongs to the extract.
  let out = first > 0 ? '…' : show(text.slice(0, tokens[0]!.start).trimStart());
  // The text from the window's first word, cut only where a run of marked words begins or ends: a phrase shares one
  // <mark>, and so do matches with only spaces between; escaping a piece at a time gives what escaping word by word did.
  let cursor = tokens[first]!.start;
  for (let i = 0; i < marked.length; i++) {
    if (marked[i] === 0) continue;
    let j = i;
    const joined = (k: number) => marked[k] === 1 || (marked[k] === 2 && text.slice(tokens[first + k - 1]!.end, tokens[first + k]!.start).trim() === '');
    while (j + 1 < marked.length && joined(j + 1)) j++;
    out += `${show(text.slice(cursor, tokens[first + i]!.start))}<mark>${show(text.slice(tokens[first + i]!.start, tokens[first + j]!.end))}</mark>`;
    cursor = tokens[first + j]!.end;
    i = j;
  }
  out += show(text.slice(cursor, tokens[last]!.end));
  // Trailing punctuation of the last word (a full stop, a closing bracket) belongs to the extract.
  out += show(last + 1 < tokens.length ? text.slice(tokens[last]!.end, tokens[last + 1]!.start).trimEnd() : text.slice(tokens[last]!.end).trimEnd());
  // A quoted excerpt may end in its own ellipsis.
  if (last < tokens.length - 1 && !out.endsWith('…')) out += '…';
  return out;
}

/** The number of bits set in a 32-bit integer. */
function bitCount(n: number): number {
  let v = n - ((n >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}
