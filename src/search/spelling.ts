// "Did you mean": a search whose words the claims do not hold, written again with each unknown word replaced by the
// indexed word one edit away (a letter left out, added, changed, or two swapped: Damerau-Levenshtein 1) that the most
// claims hold, or else by a word of an entity's name two edits away. "Nvidai market cap" finds nothing, and its
// relaxed reading only the market-cap claims of every company; "Nvidia market cap" finds the five claims meant.
// Candidates are tried against the index itself, so a suggestion names only words some claim holds, and only when a
// search found nothing (src/claims/claims.search.ts). Numbers are never respelled: 5.577 for 5.576 is a different
// figure, not a typing slip. See docs/adr/0005-search.md.
import { QUESTION_WORDS } from './question-words.js';
import type { ParsedQuery } from './search-query.js';

/**
 * What the index says of a word: whether any claim holds it, and how many do, counted up to `upTo`; and the words of
 * the entities' names and aliases, lower-cased.
 */
export interface Lexicon {
  holds(word: string): boolean;
  claimsHolding(word: string, upTo: number): number;
  nameWords(): Iterable<string>;
}

/** Words respelled: ASCII letters only (the index folds others its own way), long enough for one edit to mean a slip. */
const RESPELLABLE = /^[a-z]{4,20}$/;
/** At most this many unknown words of a search are respelled: each costs a few hundred look-ups (2-5 ms). */
export const MAX_RESPELLED = 3;
/** Candidates held by more claims than this are ranked as equals (then alphabetically): counting further costs more. */
const COUNT_UP_TO = 1000;
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
/** Never suggested: typed in capitals they would be read as operators. */
const OPERATORS = new Set(['and', 'or', 'not']);

/** Names are respelled two edits away when one finds nothing (Semianalisys), from this length: shorter words are too near too many. */
const TWO_EDITS_FROM = 6;

/**
 * The optimal-string-alignment distance between two words (Damerau-Levenshtein with each substring edited once), or
 * `max + 1` once it is certain to exceed `max`.
 */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let before = new Array<number>(b.length + 1).fill(0);
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let least = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2]! + 1);
      row.push(d);
      least = Math.min(least, d);
    }
    if (least > max) return max + 1;
    [before, previous] = [previous, row];
  }
  return Math.min(previous[b.length]!, max + 1);
}

/** Every word one edit from `word` (lower-case letters): deletions, transpositions, substitutions, insertions. */
export function oneEditAway(word: string): string[] {
  const out = new Set<string>();
  for (let i = 0; i <= word.length; i++) {
    const [head, tail] = [word.slice(0, i), word.slice(i)];
    if (tail.length > 0) out.add(head + tail.slice(1));
    if (tail.length > 1) out.add(head + tail[1] + tail[0] + tail.slice(2));
    for (const c of LETTERS) {
      if (tail.length > 0 && c !== tail[0]) out.add(head + c + tail.slice(1));
      out.add(head + c + tail);
    }
  }
  out.delete(word);
  return [...out];
}

/** The word in the case it was typed in: Nvidai gives Nvidia, NVIDAI NVIDIA. */
function inCaseOf(typed: string, word: string): string {
  if (typed.length > 1 && typed === typed.toUpperCase()) return word.toUpperCase();
  if (typed[0] === typed[0]!.toUpperCase()) return word[0]!.toUpperCase() + word.slice(1);
  return word;
}

/**
 * The search `input` (parsed as `query`) with each of its words that no claim holds replaced by the indexed word one
 * edit away held by the most claims, or null when none of its words can be so respelled. Only words a match needs
 * to hold or may hold (not those after NOT, nor a prefix's last), and not the words a question is written with, are
 * respelled. With `namesOnly`, only into a word of an entity's name: a search that found claims all the same (read
 * relaxed) is not offered an ordinary word for another ("who founded DeepSeek": funded), since the seed's few words
 * leave out many an English one, where a slip in a name is seldom another name.
 */
export function respell(input: string, query: ParsedQuery, lexicon: Lexicon, namesOnly = false): string | null {
  // Each respellable word, with the other forms its term is searched in (a plural, an equivalent) when it is one word.
  const words = new Map<string, string[]>();
  for (const term of query.highlight)
    term.tokens.forEach((token, k) => {
      const word = token.toLowerCase();
      if ((term.prefix && k === term.tokens.length - 1) || !RESPELLABLE.test(word) || QUESTION_WORDS.has(word) || words.has(word)) return;
      words.set(word, term.tokens.length === 1 ? (term.alternatives ?? []).filter((f) => f.length === 1).map((f) => f[0]!.toLowerCase()) : []);
    });
  // A word the index holds in one of its other forms is found as it is.
  const unknown = [...words]
    .filter(([word, forms]) => !lexicon.holds(word) && !forms.some((f) => lexicon.holds(f)))
    .map(([word]) => word)
    .slice(0, MAX_RESPELLED);
  let out = input;
  let changed = false;
  let names: Set<string> | undefined;
  for (const word of unknown) {
    let best: { word: string; claims: number } | null = null;
    const allowed = namesOnly ? (names ??= new Set(lexicon.nameWords())) : null;
    for (const candidate of oneEditAway(word).sort()) {
      if (OPERATORS.has(candidate) || (allowed !== null && !allowed.has(candidate)) || !lexicon.holds(candidate)) continue;
      const claims = lexicon.claimsHolding(candidate, COUNT_UP_TO);
      if (best === null || claims > best.claims) best = { word: candidate, claims };
    }
    // A name typed with two slips: the entities' names are few enough to compare with each. (Those one edit away that
    // claims hold were tried above.)
    if (best === null && word.length >= TWO_EDITS_FROM)
      for (const name of (names ??= new Set(lexicon.nameWords()))) {
        if (OPERATORS.has(name) || editDistance(word, name, 2) > 2 || !lexicon.holds(name)) continue;
        const claims = lexicon.claimsHolding(name, COUNT_UP_TO);
        if (best === null || claims > best.claims || (claims === best.claims && name < best.word)) best = { word: name, claims };
      }
    if (best === null) continue;
    const respelled = best.word;
    // Every place the word stands as a whole word, not as a prefix, in the case it was typed there.
    out = out.replace(new RegExp(`(?<![\\p{L}\\p{M}\\p{N}])${word}(?![\\p{L}\\p{M}\\p{N}*])`, 'giu'), (t) => inCaseOf(t, respelled));
    changed = true;
  }
  return changed ? out : null;
}
