// Words a search treats as the same. Claims quote sources as they were written, and sources and readers write the
// same thing differently: "market cap" and "market capitalization", "$589bn" and "$589 billion", "data centres" and
// "data centers". The tokenizer folds case and accents but knows no words, so without this list a fact-checker who
// types "Nvidia market cap" misses Bloomberg's "$589 billion from its market capitalization".
//
// The list is short on purpose and searched at query time only (the index is as written): every group here is a
// figure's wording or a spelling that a claim about figures and companies carries. An unquoted word of a group finds
// every word of it; a "quoted phrase" is searched as written. Single letters are equivalents only as the suffix of a
// number typed together (800B, 5.576M), since on their own they are too often something else: the t of "don't", the m
// of "I'm", the B of "Series B".

/** Groups of words that find each other wherever they are typed unquoted. */
const WORD_GROUPS: readonly (readonly string[])[] = [
  // Magnitudes as financial reporting abbreviates them.
  ['billion', 'bn'],
  ['million', 'mn', 'mln'],
  ['trillion', 'tn', 'trn'],
  // Market capitalization, and its British spelling.
  ['cap', 'capitalization', 'capitalisation'],
  ['caps', 'capitalizations', 'capitalisations'],
  // British and American spellings.
  ['centre', 'center'],
  ['centres', 'centers'],
  ['organisation', 'organization'],
  ['organisations', 'organizations'],
  ['licence', 'license'],
  ['licences', 'licenses'],
  ['defence', 'defense'],
  ['analyse', 'analyze'],
  ['analysed', 'analyzed'],
  ['modelling', 'modeling'],
  ['labour', 'labor'],
];

/** After a number in the same run of characters (800B, $5.576M, 2k), a letter or abbreviation is its magnitude. */
const SUFFIX_GROUPS: readonly (readonly string[])[] = [
  ['b', 'bn', 'billion'],
  ['m', 'mn', 'mln', 'million'],
  ['k', 'thousand'],
  ['t', 'tn', 'trn', 'trillion'],
];

const byWord = (groups: readonly (readonly string[])[]) => new Map(groups.flatMap((g) => g.map((w) => [w, g] as const)));
const WORDS = byWord(WORD_GROUPS);
const SUFFIXES = byWord(SUFFIX_GROUPS);

/**
 * The words a search for `word` also finds, the word itself first, or null when it has none. `afterNumber`: the word
 * follows a number in the same run of characters (800B), where a letter is a magnitude.
 */
export function equivalentsOf(word: string, afterNumber: boolean): readonly string[] | null {
  const folded = word.toLowerCase();
  const group = (afterNumber ? SUFFIXES.get(folded) : undefined) ?? WORDS.get(folded);
  return group === undefined ? null : [word, ...group.filter((w) => w !== folded)];
}
