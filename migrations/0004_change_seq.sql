-- Which claims changed, in commit order, for the search columns the service keeps in memory (src/search/doc-columns.ts):
-- every insert of a claim, and every update of a value search filters or counts by, takes the next number. Triggers
-- keep it, so every writer is seen (the service, the CLIs, another process), and a rolled-back write leaves nothing.
-- Writers take turns and claims are never deleted, so the numbers only grow. Existing claims start without one: a
-- service reads every claim when it starts using the columns.
ALTER TABLE claims ADD COLUMN change_seq INTEGER;
CREATE INDEX claims_change_seq ON claims (change_seq);

CREATE TRIGGER claims_change_seq_insert AFTER INSERT ON claims BEGIN
  UPDATE claims SET change_seq = (SELECT ifnull(max(change_seq), 0) + 1 FROM claims) WHERE rowid = NEW.rowid;
END;

CREATE TRIGGER claims_change_seq_update AFTER UPDATE OF kind, verdict, value_unit, claimed_on, claimant_id, doc_id ON claims BEGIN
  UPDATE claims SET change_seq = (SELECT ifnull(max(change_seq), 0) + 1 FROM claims) WHERE rowid = NEW.rowid;
END;
