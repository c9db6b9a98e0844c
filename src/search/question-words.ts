// The words a question is written with, which the relaxed reading of a search leaves out (src/search/search-query.ts)
// and the respeller never touches (src/search/spelling.ts). See docs/adr/0005-search.md.

/**
 * Words a question is written with that tell nothing of what it asks after: interrogatives, auxiliaries, articles,
 * prepositions, pronouns, and what every record here is (a claim, something said). English only, as the seed is.
 */
export const QUESTION_WORDS: ReadonlySet<string> = new Set(
  (
    'a an the and or of in on at to for by with from about as into than then so if ' +
    'is are was were be been being do does did done has have had will would can could should may might must ' +
    'what which who whom whose when where why how many much ' +
    'i you he she it we they me him her us them my your his its our their this that these those there here ' +
    'claim claims claimed say says said'
  ).split(' '),
);

/** A parsed query's part as seen here: an operator, `implied` when no one wrote it, or a term, `word` when one plain word. */
type Part = { op: string; implied?: true } | { word?: string };

/**
 * The sequence without the question words that stand between operators no one wrote, when a word that is not one
 * remains: read as alternatives, "what did SemiAnalysis claim" would rank the claim whose statement says "claim" first,
 * the rarest of its words on a small collection, where the reader asks after SemiAnalysis. As Algolia's
 * removeStopWords does for its relaxed queries. Each goes with an operator beside it, both being OR.
 */
export function withoutQuestionWords<P extends Part>(sequence: readonly P[]): readonly P[] {
  const implied = (p: Part | undefined) => p === undefined || ('op' in p && p.implied === true);
  const questionWord = (parts: readonly Part[], i: number) => {
    const p = parts[i]!;
    return !('op' in p) && p.word !== undefined && QUESTION_WORDS.has(p.word) && implied(parts[i - 1]) && implied(parts[i + 1]);
  };
  if (sequence.every((p, i) => 'op' in p || questionWord(sequence, i))) return sequence;
  const parts = [...sequence];
  for (let i = 0; i < parts.length; ) {
    if (!questionWord(parts, i)) i++;
    else if (i > 0) parts.splice(--i, 2);
    else parts.splice(0, 2);
  }
  return parts;
}
