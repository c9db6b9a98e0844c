-- Numbers in the claims index become whole words, apart from their units (src/search/search-text.ts): "$5.576M" was
-- indexed as the words 5 and 576m, so a search for 6 found "$5.6 million" and 1.6 did not find "$1.6B". Every row is
-- indexed again with its text marked by search_text(), which the migration runner registers.
-- Rebuilt as migration 0009 was, through a temporary table, rather than updated in place: nearly every claim holds a
-- number, and updating 100,000 rows so took 6.0 s and grew the file by 17% (FTS5 keeps the replaced entries until
-- its segments merge); rebuilt, 5.0 s and no growth.
CREATE TEMP TABLE claims_fts_rows AS
  SELECT rowid AS doc, search_text(statement) AS statement, search_text(body) AS body, flags FROM claims_fts;
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
