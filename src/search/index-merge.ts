// Keeps the claims' full-text index in few segments. FTS5 writes every transaction's entries as a new segment and
// merges them only a few at a time (automerge), so an index grown by writes, or loaded in batches, is several
// segments, and every word of every search is looked up in each: at a million claims the bench's index was ten
// segments, and merged into one a rare word took 1.9 ms instead of 2.7 in process, and the service answered 7-21%
// more rare words or phrases a second. Merging rewrites the index (9 s at a million claims, 680 MB), so it is done
// when the segments besides the largest have grown to a tenth of it, in short steps between requests. A merge changes
// no match and no score: it only rewrites where postings are kept. See docs/adr/0005-search.md.
import type { Db } from '../db/open.js';

/** Pages of index (4 KB each) one merge step writes: about 3 ms; a step finishing a word held by most claims, ~150 ms. */
export const MERGE_STEP_PAGES = 64;

/** A merge starts when the segments besides the largest hold this share of its pages. */
export const MERGE_WHEN_REST_OVER = 0.1;

export function createIndexMerge(db: Db) {
  // Pages per segment, as FTS5's own index of leaf pages counts them (one row per leaf page that starts a term):
  // 0.3 ms at a million claims, where counting the pages themselves reads the whole index.
  const segmentSizes = db.prepare<[], number>('SELECT count(*) FROM claims_fts_idx GROUP BY segid').pluck();
  // A negative page count merges every segment into one, even fewer than FTS5's usermerge; it comes back to a merge
  // left unfinished by the last step.
  const merge = db.prepare("INSERT INTO claims_fts (claims_fts, rank) VALUES ('merge', ?)");
  const totalChanges = db.prepare<[], number>('SELECT total_changes()').pluck();
  /** The index's segments, largest first, in leaf pages starting a term. */
  const segments = () => segmentSizes.all().sort((a, b) => b - a);

  return {
    segments,

    /** Whether the segments besides the largest hold more than MERGE_WHEN_REST_OVER of its pages. */
    needed(): boolean {
      const [largest = 0, ...rest] = segments();
      return rest.reduce((a, b) => a + b, 0) > largest * MERGE_WHEN_REST_OVER;
    },

    /**
     * Writes about `pages` pages of the merged index, in a transaction of its own; false when there was nothing left
     * to merge (FTS5 says so by changing fewer than two rows).
     */
    step(pages = MERGE_STEP_PAGES): boolean {
      const before = totalChanges.get()!;
      merge.run(-pages);
      return totalChanges.get()! - before >= 2;
    },
  };
}

export type IndexMerge = ReturnType<typeof createIndexMerge>;

export interface MergeOutcome {
  steps: number;
  ms: number;
  segmentsBefore: number;
  segmentsAfter: number;
}

/**
 * Merges the index when it is needed, in steps of at most `sliceMs` between requests (as the search columns load);
 * never inside an open transaction, whose write it would join. Another process holding the write lock makes a step
 * fail at once rather than wait out busy_timeout with every request held behind it: the merge stops, says why, and
 * the next run takes it up. `done` hears what was done (null when nothing was needed); each step is a transaction,
 * so stopping between two loses nothing.
 */
export function mergeInBackground(
  db: Db,
  merger: IndexMerge,
  done: (outcome: MergeOutcome | null, err?: unknown) => void,
  { sliceMs = 20 }: { sliceMs?: number } = {},
): void {
  if (!merger.needed()) return done(null);
  const started = performance.now();
  const segmentsBefore = merger.segments().length;
  let steps = 0;
  const outcome = (): MergeOutcome => ({ steps, ms: performance.now() - started, segmentsBefore, segmentsAfter: merger.segments().length });
  const slice = () => {
    if (!db.open) return; // the process is stopping
    if (db.inTransaction) return void setImmediate(slice);
    const busyTimeout = db.pragma('busy_timeout', { simple: true }) as number;
    db.pragma('busy_timeout = 0');
    let more = true;
    try {
      const end = performance.now() + sliceMs;
      do {
        more = merger.step();
        steps++;
      } while (more && performance.now() < end);
    } catch (err) {
      return done(outcome(), err);
    } finally {
      db.pragma(`busy_timeout = ${busyTimeout}`);
    }
    if (more) return void setImmediate(slice);
    done(outcome());
  };
  setImmediate(slice);
}

/** How often the service looks at whether the index wants merging (the look costs well under a millisecond). */
export const MERGE_CHECK_EVERY_MS = 10 * 60 * 1000;
