-- The search columns in memory (src/search/doc-columns.ts) now also hold whether a claim is retracted and what it is
-- about (its subjects), so that facets without a search, and the subject filter and facet, are counted there too.
-- A claim's number must therefore move on a retraction and on every edit: an edit rewrites the subjects, and every
-- edit and retraction moves `revision`.
DROP TRIGGER claims_change_seq_update;
CREATE TRIGGER claims_change_seq_update
AFTER UPDATE OF kind, verdict, value_unit, claimed_on, claimant_id, doc_id, retracted_at, revision ON claims BEGIN
  UPDATE claims SET change_seq = (SELECT ifnull(max(change_seq), 0) + 1 FROM claims) WHERE rowid = NEW.rowid;
END;
