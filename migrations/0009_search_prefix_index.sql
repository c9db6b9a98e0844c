-- claims_fts again, with an index of every word's first three characters (FTS5's prefix = '3').
-- Without it a prefix search read and merged the postings of every word the prefix covers, in one call nothing can
-- interrupt: at a million claims `zen*` (1,250 words, 99% of claims) held the service for 1.5 s, four such prefixes
-- for 5.5 s. Three characters is the shortest prefix a query may hold (src/search/search-query.ts), and the
-- broadest: with the index it is one posting list, as a single word is. Longer prefixes still merge the words they
-- cover, a narrower set. The index adds about 5% to the database.
-- Every row keeps its rowid (claims.doc_id) and its content, re-tokenized once: about 5 s per 100,000 claims. The
-- rows wait in a temporary table while the old index is dropped, so that the new one reuses its pages; copied
-- straight across, the old index's pages were left free and the file grew by their size (1.5 GB at a million claims).
CREATE TEMP TABLE claims_fts_rows AS SELECT rowid AS doc, statement, body, flags FROM claims_fts;
DROP TABLE claims_fts;
CREATE VIRTUAL TABLE claims_fts USING fts5 (
  statement,
  body,
  flags,
  tokenize = 'unicode61 remove_diacritics 2',
  prefix = '3'
);
INSERT INTO claims_fts (rowid, statement, body, flags) SELECT doc, statement, body, flags FROM temp.claims_fts_rows ORDER BY doc;
DROP TABLE temp.claims_fts_rows;
