// Where a later page of a relevance-ranked search resumes (claims.find.ts), from what its cursor holds
// (RelevanceCursor in claims.relevance-sql.ts) and the claims' change numbers.
import type { Db } from '../db/open.js';
import type { RelevanceAnchor, RelevanceCursor } from './claims.relevance-sql.js';

export function createRelevanceAnchors(db: Db) {
  // The change number now (a page's `seq`), and a claim's by its doc id.
  const latestChange = db.prepare<[], number | null>('SELECT max(change_seq) FROM claims').pluck();
  const changeOfDoc = db.prepare<[number], number | null>('SELECT change_seq FROM claims WHERE doc_id = ?').pluck();

  /**
   * Where a later relevance page resumes. The last claim shown, found again at its score now, unless it changed after
   * that page was made (its change number is past the cursor's): an edit moves its own score, and resuming from there
   * lost 6 of 24 matches when the last claim shown was reworded. Then the claim shown before it serves, and failing
   * both (or a cursor from before `seq`), the last one's score as it was.
   */
  function anchorOf(after: Extract<NonNullable<RelevanceCursor>, { phase: 'r' }>): RelevanceAnchor {
    const bounds = { top: after.top, bottom: after.bottom };
    if (after.seq === undefined) return { doc: after.doc, score: after.score, reanchor: true, ...bounds };
    // No number: a claim untouched since before change numbers existed (migration 0004), or no claim at all.
    const unchanged = (doc: number) => (changeOfDoc.get(doc) ?? 0) <= after.seq!;
    if (unchanged(after.doc)) return { doc: after.doc, score: after.score, reanchor: true, ...bounds };
    if (after.prev !== undefined && after.prevScore !== undefined && unchanged(after.prev))
      return { doc: after.prev, score: after.prevScore, reanchor: true, ...bounds };
    return { doc: after.doc, score: after.score, reanchor: false, ...bounds };
  }

  return { anchorOf, latestChange };
}
