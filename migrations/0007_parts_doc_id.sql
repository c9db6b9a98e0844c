-- A source's, a qualifier's and a subject's claims as doc ids straight from their index. The search columns filter by
-- doc id (src/claims/claims.column-search.ts), and these filters read their claims from SQL per request: through
-- claim_id that meant a look-up in claims for every claim, 3-6 µs each at a million claims, so a qualifier or a source
-- held by 100,000 claims cost 300-600 ms before any search or facet began (a subject's are read up to 5,000).
--
-- doc_id is a copy of claims.doc_id, which never changes once a claim has it. The repository writes it with each
-- part; for any other writer (a CLI, a script, another process) a trigger fills it in when it is left out.

ALTER TABLE claim_subjects ADD COLUMN doc_id INTEGER;
UPDATE claim_subjects SET doc_id = (SELECT doc_id FROM claims WHERE claims.id = claim_subjects.claim_id);
DROP INDEX claim_subjects_entity;
CREATE INDEX claim_subjects_entity ON claim_subjects (entity_id, claim_id, doc_id);
CREATE TRIGGER claim_subjects_doc_id AFTER INSERT ON claim_subjects WHEN NEW.doc_id IS NULL BEGIN
  UPDATE claim_subjects SET doc_id = (SELECT doc_id FROM claims WHERE id = NEW.claim_id)
  WHERE claim_id = NEW.claim_id AND entity_id = NEW.entity_id;
END;

ALTER TABLE claim_qualifiers ADD COLUMN doc_id INTEGER;
UPDATE claim_qualifiers SET doc_id = (SELECT doc_id FROM claims WHERE claims.id = claim_qualifiers.claim_id);
-- In claim id order for lists (claims.list-sql.ts), and covering doc_id for the search columns.
DROP INDEX claim_qualifiers_key_value;
CREATE INDEX claim_qualifiers_key_value ON claim_qualifiers (key, value, claim_id, doc_id);
CREATE TRIGGER claim_qualifiers_doc_id AFTER INSERT ON claim_qualifiers WHEN NEW.doc_id IS NULL BEGIN
  UPDATE claim_qualifiers SET doc_id = (SELECT doc_id FROM claims WHERE id = NEW.claim_id)
  WHERE claim_id = NEW.claim_id AND position = NEW.position;
END;

ALTER TABLE claim_citations ADD COLUMN doc_id INTEGER;
UPDATE claim_citations SET doc_id = (SELECT doc_id FROM claims WHERE claims.id = claim_citations.claim_id);
DROP INDEX claim_citations_source;
CREATE INDEX claim_citations_source ON claim_citations (source_id, claim_id, doc_id);
CREATE TRIGGER claim_citations_doc_id AFTER INSERT ON claim_citations WHEN NEW.doc_id IS NULL BEGIN
  UPDATE claim_citations SET doc_id = (SELECT doc_id FROM claims WHERE id = NEW.claim_id)
  WHERE claim_id = NEW.claim_id AND position = NEW.position;
END;
