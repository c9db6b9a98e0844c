-- The parts of a claim's indexed text beyond its statement (article wording, value basis, verdict explanation, each
-- caveat, each citation's quote, each qualifier, each name) were joined by spaces, so a snippet could run from one
-- source's quote into another's as if they were one sentence. They are joined by U+001E (record separator, char(30))
-- instead, as src/search/search-index.ts now writes them: the tokenizer reads it as it read the space, so the words,
-- their positions, the documents' lengths and every score stay as they were, and snippets keep to one part.
-- Rebuilt from the tables as migration 0011 rebuilt the index, through a temporary table (no growth from replaced
-- entries), for exactly the claims indexed before.
CREATE TEMP TABLE claims_fts_rows AS
  SELECT c.doc_id AS doc, search_text(c.statement) AS statement, search_text(concat_ws(char(30),
      c.article_wording, c.value_basis, c.verdict_explanation,
      (SELECT group_concat(text, char(30)) FROM claim_caveats WHERE claim_id = c.id),
      (SELECT group_concat(quote, char(30)) FROM claim_citations WHERE claim_id = c.id),
      (SELECT group_concat(value, char(30)) FROM claim_qualifiers WHERE claim_id = c.id),
      (SELECT group_concat(e.name, char(30)) FROM claim_subjects s JOIN entities e ON e.id = s.entity_id WHERE s.claim_id = c.id),
      (SELECT group_concat(a.alias, char(30)) FROM claim_subjects s JOIN entity_aliases a ON a.entity_id = s.entity_id WHERE s.claim_id = c.id),
      (SELECT name FROM entities WHERE id = c.claimant_id),
      (SELECT group_concat(alias, char(30)) FROM entity_aliases WHERE entity_id = c.claimant_id))) AS body,
    CASE WHEN c.retracted_at IS NULL THEN '' ELSE 'retracted' END AS flags
  FROM claims c WHERE c.doc_id IN (SELECT rowid FROM claims_fts);
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
