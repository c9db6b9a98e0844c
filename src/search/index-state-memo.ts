// What is known about words for one state of the full-text index: judgements that cost a pass over a posting list
// (whether most claims hold a word, whether more than so many do), kept until anything is written to the index.
// FTS5 rewrites its structure record on every write to claims_fts, by any process, and a rollback restores it, so
// comparing that record tells whether a judgement may still hold. Used by claims.relevance-plan.ts and
// claims.term-scores.ts.

/** FTS5's structure record of claims_fts. */
export const INDEX_STATE_SQL = 'SELECT block FROM claims_fts_data WHERE id = 10';
/** How many of a word's claims FTS5 finds, reading at most @n of them. */
export const COUNT_UP_TO_SQL = 'SELECT count(*) AS n FROM (SELECT 1 FROM claims_fts WHERE claims_fts MATCH @word LIMIT @n)';

/** Judgements per word, for the last `limit` words asked about, forgotten when the index changes. */
export function createIndexStateMemo<V>(readState: () => Buffer | undefined, limit = 4096) {
  let state: Buffer | null = null;
  const memo = new Map<string, V>();
  return {
    /** Forgets every judgement if the index has changed since the last call; true when it had. */
    follow(): boolean {
      const now = readState() ?? null;
      if (now !== null && state !== null && now.equals(state)) return false;
      state = now;
      memo.clear();
      return true;
    },
    get(word: string): V | undefined {
      const known = memo.get(word);
      if (known !== undefined) {
        // The most recently asked stay longest.
        memo.delete(word);
        memo.set(word, known);
      }
      return known;
    },
    set(word: string, value: V): void {
      memo.set(word, value);
      if (memo.size > limit) memo.delete(memo.keys().next().value!);
    },
  };
}
