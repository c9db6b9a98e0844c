// Keeps the full-text indexes in step with the records. Every method runs inside the caller's transaction, so a
// write and its index entry commit together: search sees a write as soon as it is acknowledged.
import type { Db } from '../db/open.js';
import { registerSearchText } from './search-text.js';

/**
 * What stands between the parts of a claim's indexed text beyond its statement: its article wording, value basis,
 * verdict explanation, each caveat, each citation's quote, each qualifier, each name. Joined by spaces, a snippet's
 * words ran from one source's quote into another's and read as one sentence ("…pulling its market cap down by $200
 * billion. finished down 17.4% Nvidia alone lost $596 billion…": Broadcom finished down 17.4%, not Nvidia). The
 * record separator is no word character to the tokenizer, as a space is not, so the words, their positions and every
 * score are the same; and no stored text holds it (src/domain/fields.ts refuses C0 controls), so a snippet can split
 * the text at it and keep to one part (src/claims/claims.page-items.ts). Migration 0013 indexed existing claims so.
 */
export const FIELD_BREAK = '\u001e';
const BREAK = `char(${FIELD_BREAK.charCodeAt(0)})`;

/**
 * The search document of claims, built from the tables (the same text migration 0013 indexed existing claims with):
 * statement, everything else, and flags ("retracted"), numbers marked by search_text (src/search/search-text.ts).
 * tests/search-document.test.ts fails if the two differ.
 */
const CLAIM_DOCUMENT = `
  SELECT c.doc_id, search_text(c.statement), search_text(concat_ws(${BREAK},
      c.article_wording, c.value_basis, c.verdict_explanation,
      (SELECT group_concat(text, ${BREAK}) FROM claim_caveats WHERE claim_id = c.id),
      (SELECT group_concat(quote, ${BREAK}) FROM claim_citations WHERE claim_id = c.id),
      (SELECT group_concat(value, ${BREAK}) FROM claim_qualifiers WHERE claim_id = c.id),
      (SELECT group_concat(e.name, ${BREAK}) FROM claim_subjects s JOIN entities e ON e.id = s.entity_id WHERE s.claim_id = c.id),
      (SELECT group_concat(a.alias, ${BREAK}) FROM claim_subjects s JOIN entity_aliases a ON a.entity_id = s.entity_id WHERE s.claim_id = c.id),
      (SELECT name FROM entities WHERE id = c.claimant_id),
      (SELECT group_concat(alias, ${BREAK}) FROM entity_aliases WHERE entity_id = c.claimant_id))),
    CASE WHEN c.retracted_at IS NULL THEN '' ELSE 'retracted' END
  FROM claims c`;

export function createSearchIndex(db: Db) {
  registerSearchText(db);
  const deleteClaim = db.prepare('DELETE FROM claims_fts WHERE rowid = (SELECT doc_id FROM claims WHERE id = ?)');
  const insertClaim = db.prepare(`INSERT INTO claims_fts (rowid, statement, body, flags) ${CLAIM_DOCUMENT} WHERE c.id = ?`);
  // Claims whose document names an entity: as a subject or as the claimant.
  const claimsNaming = db
    .prepare<[string, string], string>(
      'SELECT claim_id FROM claim_subjects WHERE entity_id = ? UNION SELECT id FROM claims WHERE claimant_id = ?',
    )
    .pluck();
  // An entity's search row is found by its rowid, the entity's doc_id (migration 0008): FTS5 can only scan for `id`.
  const deleteEntity = db.prepare('DELETE FROM entities_fts WHERE rowid = (SELECT doc_id FROM entities WHERE id = ?)');
  const ENTITY_NAMES = `concat_ws(' ', e.name, (SELECT group_concat(alias, ' ') FROM entity_aliases WHERE entity_id = e.id))`;
  const insertEntity = db.prepare(`INSERT INTO entities_fts (rowid, id, names) SELECT e.doc_id, e.id, ${ENTITY_NAMES} FROM entities e WHERE e.id = ?`);
  // Whether the entity's names as stored now differ from those indexed (or it has no search row yet).
  const namesChanged = db
    .prepare<[string], number>(
      `SELECT (SELECT names FROM entities_fts WHERE rowid = e.doc_id) IS NOT ${ENTITY_NAMES} FROM entities e WHERE e.id = ?`,
    )
    .pluck();

  // A claim re-indexed for an entity's names takes the next change number, as its own edits do (migrations 0004,
  // 0005): its document, length and scores changed. The search columns read its length again (doc-columns.ts), and a
  // relevance cursor resuming after it finds it moved (claims.relevance-anchor.ts).
  const claimChanged = db.prepare('UPDATE claims SET change_seq = (SELECT ifnull(max(change_seq), 0) + 1 FROM claims) WHERE id = ?');

  const indexClaim = (id: string) => {
    deleteClaim.run(id);
    insertClaim.run(id);
  };

  return {
    /** (Re)indexes one claim after its row and parts were written. */
    indexClaim,
    /**
     * (Re)indexes an entity, and every claim whose document carries its name or aliases, when those changed. An edit
     * of the description or homepage, or a PUT of the entity as it is (a nightly sync), re-indexed every claim
     * naming it: hundreds at a million claims, for nothing.
     */
    indexEntity(id: string): void {
      if (namesChanged.get(id) === 0) return;
      deleteEntity.run(id);
      insertEntity.run(id);
      for (const claimId of claimsNaming.all(id, id)) {
        indexClaim(claimId);
        claimChanged.run(claimId);
      }
    },
  };
}

export type SearchIndex = ReturnType<typeof createSearchIndex>;
