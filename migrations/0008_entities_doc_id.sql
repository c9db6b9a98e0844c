-- Entities' search rows by a stable integer, as claims' are (0003). entities_fts rows were found by their `id`
-- column, which FTS5 can only scan: each write of an entity read every entity's search row, and an import of 8,000
-- entities took 5.3 s (20,000: 38 s). doc_id is the search row's rowid; the implicit rowid of entities (a table with a
-- TEXT primary key) is not used because VACUUM may renumber it.
ALTER TABLE entities ADD COLUMN doc_id INTEGER;
UPDATE entities SET doc_id = rowid;
CREATE UNIQUE INDEX entities_doc_id ON entities (doc_id);
-- Every writer's new entity gets the next number.
CREATE TRIGGER entities_doc_id AFTER INSERT ON entities WHEN NEW.doc_id IS NULL BEGIN
  UPDATE entities SET doc_id = (SELECT ifnull(max(doc_id), 0) + 1 FROM entities) WHERE rowid = NEW.rowid;
END;

-- The search rows again, keyed by doc_id (the same document as src/search/search-index.ts writes).
DELETE FROM entities_fts;
INSERT INTO entities_fts (rowid, id, names)
SELECT e.doc_id, e.id, concat_ws(' ', e.name, (SELECT group_concat(alias, ' ') FROM entity_aliases WHERE entity_id = e.id))
FROM entities e;
