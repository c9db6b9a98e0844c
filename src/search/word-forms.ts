// The forms of a word a search treats as the same word. Claims quote sources as they were written, and sources and
// readers write the same thing differently: "market cap" and "market capitalization", "$589bn" and "$589 billion",
// "data centres" and "data centers", "27 Jan" and "27 January", "GPU" and "GPUs". The tokenizer folds case and accents
// but knows no words, so without these a fact-checker who types "Nvidia market cap" misses Bloomberg's "$589 billion
// from its market capitalization".
//
// The list is short on purpose and searched at query time only (the index is as written): every group here is a
// figure's wording, a date's, or a spelling that a claim about figures and companies carries. An unquoted word of a
// group finds every word of it; a "quoted phrase" is searched as written. Single letters are equivalents only as the
// suffix of a number typed together (800B, 5.576M), since on their own they are too often something else: the t of
// "don't", the m of "I'm", the B of "Series B".
//
// An unquoted word also finds its plural or singular (GPU and GPUs, export control and export controls), by the
// regular English rules: a reader types either, and a claim holds one. The query side drops the forms no claim holds
// before searching (narrowSearchQuery), so a made-up form costs one index lookup and changes nothing.

/** Groups of words that find each other wherever they are typed unquoted. */
const WORD_GROUPS: readonly (readonly string[])[] = [
  // Magnitudes as financial reporting abbreviates them.
  ['billion', 'bn'],
  ['million', 'mn', 'mln'],
  ['trillion', 'tn', 'trn'],
  // Market capitalization, and its British spelling.
  ['cap', 'capitalization', 'capitalisation'],
  // British and American spellings (their plurals follow from the rules below).
  ['centre', 'center'],
  ['organisation', 'organization'],
  ['licence', 'license'],
  ['defence', 'defense'],
  ['analyse', 'analyze'],
  ['analysed', 'analyzed'],
  ['modelling', 'modeling'],
  ['labour', 'labor'],
];

/**
 * Months as sources date things: the seed's claims say "27 Jan 2025" and its sources "January 2025", so a reader's
 * "January 2025" missed most of them. Names, so never made plural or singular, and found only from the word as typed:
 * Mars is not the plural of Mar. Not "apr", which in figures is often an annual percentage rate.
 */
const MONTH_GROUPS: readonly (readonly string[])[] = [
  ['january', 'jan'],
  ['february', 'feb'],
  ['march', 'mar'],
  ['june', 'jun'],
  ['july', 'jul'],
  ['august', 'aug'],
  ['september', 'sept', 'sep'],
  ['october', 'oct'],
  ['november', 'nov'],
  ['december', 'dec'],
];

/** After a number in the same run of characters (800B, $5.576M, 2k), a letter or abbreviation is its magnitude. */
const SUFFIX_GROUPS: readonly (readonly string[])[] = [
  ['b', 'bn', 'billion'],
  ['m', 'mn', 'mln', 'million'],
  ['k', 'thousand'],
  ['t', 'tn', 'trn', 'trillion'],
];

const byWord = (groups: readonly (readonly string[])[]) => new Map(groups.flatMap((g) => g.map((w) => [w, g] as const)));

/**
 * Whether a word, typed after a number and a space ($1.6 billion), is its magnitude: whole words only, since a single
 * letter after a space is too often something else (800 B could be a grade).
 */
export const isMagnitudeWord = (word: string): boolean => word.length > 1 && SUFFIX_GROUPS.some((g) => g.includes(word.toLowerCase()));
const WORDS = byWord(WORD_GROUPS);
const SUFFIXES = byWord(SUFFIX_GROUPS);
const MONTHS = byWord(MONTH_GROUPS);

/**
 * The words a search for `word` also finds, the word itself first, or null when it has none. `afterNumber`: the word
 * follows a number in the same run of characters (800B), where a letter is a magnitude.
 */
function equivalentsOf(word: string, afterNumber: boolean): readonly string[] | null {
  const folded = word.toLowerCase();
  const group = (afterNumber ? SUFFIXES.get(folded) : undefined) ?? WORDS.get(folded);
  return group === undefined ? null : [word, ...group.filter((w) => w !== folded)];
}

/** Words whose final s is not a plural's: their singular is not another form of them. */
const NOT_PLURAL = new Set(['news', 'series', 'species', 'means', 'physics', 'economics', 'politics', 'always', 'perhaps', 'does', 'lens', 'towards']);
const ASCII_WORD = /^[a-z]{3,}$/;
const CONSONANT_Y = /[^aeiou]y$/;

/**
 * The word's plural, or its singular if it is a plural, by the regular English rules (cost, costs; company,
 * companies; tax, taxes; analysis, analyses); where the rules cannot tell (caches: cache or cach? movies: movy or
 * movie? GPUs: GPU, or a singular like status?), every candidate, since the search drops those no claim holds. None for words of fewer
 * than 3 ASCII letters (units, numbers, other scripts, whose folding the index does differently), and for words
 * like news and series.
 */
export function otherGrammaticalNumbers(word: string): string[] {
  const w = word.toLowerCase();
  if (!ASCII_WORD.test(w) || NOT_PLURAL.has(w)) return [];
  // Both readings where a word may be either: analysis and taxis, status and GPUs.
  if (w.endsWith('is')) return [`${w.slice(0, -2)}es`, w.slice(0, -1)];
  if (w.endsWith('us')) return [`${w}es`, w.slice(0, -1)];
  if (w.endsWith('ss')) return [`${w}es`];
  if (w.endsWith('s')) {
    if (w.length < 4) return [];
    // companies, company; movies, movie.
    if (w.endsWith('ies') && w.length > 4) return [`${w.slice(0, -3)}y`, w.slice(0, -1)];
    // heroes, hero; shoes, shoe.
    if (w.endsWith('oes')) return [w.slice(0, -2), w.slice(0, -1)];
    if (w.endsWith('yses')) return [`${w.slice(0, -2)}is`, w.slice(0, -1)];
    if (w.endsWith('sses')) return [w.slice(0, -2)];
    if (/(?:x|z|ch|sh)es$/.test(w)) return [w.slice(0, -2), w.slice(0, -1)];
    return [w.slice(0, -1)];
  }
  if (CONSONANT_Y.test(w)) return [`${w.slice(0, -1)}ies`];
  if (/(?:x|z|ch|sh)$/.test(w)) return [`${w}es`];
  // photos, heroes.
  if (w.endsWith('o')) return [`${w}s`, `${w}es`];
  return [`${w}s`];
}

/**
 * Every form a search for `word` finds, the word as typed first: a month's other names (Jan, January); or else its
 * plural or singular, the equivalents of each, and their plural or singular (centres finds centre, center and
 * centers). `afterNumber`: the word follows a number in the same run of characters (800B), where a letter is a
 * magnitude, which has no plural. `afterName`: it follows a name ending in digits in the same run (H800s).
 */
export function wordForms(word: string, afterNumber: boolean, afterName = false): string[] {
  // The s of H800s, A100s: the index splits a name ending in digits from the letters after it (search-text.ts), so
  // that s is its plural, and the name alone its singular (the empty form: the word left out). Not after a number
  // alone: the 1990s are a decade, not several 1990.
  if (afterName && word.toLowerCase() === 's') return [word, ''];
  const month = MONTHS.get(word.toLowerCase());
  if (month !== undefined) return [word, ...month.filter((w) => w !== word.toLowerCase())];
  const inflected = (w: string) => (afterNumber ? [] : otherGrammaticalNumbers(w));
  const own = [word, ...inflected(word)];
  const all = [...own, ...own.flatMap((w) => (equivalentsOf(w, afterNumber) ?? []).slice(1).flatMap((e) => [e, ...inflected(e)]))];
  return all.filter((w, i) => all.findIndex((v) => v.toLowerCase() === w.toLowerCase()) === i);
}
