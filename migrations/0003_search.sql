-- Finding claims: full-text search, value bounds for comparator-aware value filters, and the indexes behind every
-- documented filter and sort (tests/search-plans.test.ts fails on a full scan of claims).

-- A stable integer per claim for the full-text index. The implicit rowid of a table with a TEXT primary key may be
-- renumbered by VACUUM (and VACUUM INTO, which backups use); doc_id never is.
ALTER TABLE claims ADD COLUMN doc_id INTEGER;
UPDATE claims SET doc_id = rowid;
CREATE UNIQUE INDEX claims_doc_id ON claims (doc_id);
-- Search hits are doc ids; filters and facet counts over them read this narrow covering index instead of the
-- claims rows (measured at a million claims: facet counts over 25,000 hits 120 ms -> 46 ms).
CREATE INDEX claims_doc_facets ON claims (doc_id, kind, verdict, value_unit, claimed_on, claimant_id, retracted_at);

-- The range of true values a claim's value allows, for value filters: eq and approx hold at the amount, gt/gte
-- from the amount up, lt/lte up to the amount, between from lower to upper. 9e999 is +infinity in SQLite.
ALTER TABLE claims ADD COLUMN value_low REAL;
ALTER TABLE claims ADD COLUMN value_high REAL;
UPDATE claims SET
  value_low = CASE value_comparator
    WHEN 'between' THEN CAST(value_lower AS REAL)
    WHEN 'lt' THEN -9e999 WHEN 'lte' THEN -9e999
    ELSE CAST(value_amount AS REAL) END,
  value_high = CASE value_comparator
    WHEN 'between' THEN CAST(value_upper AS REAL)
    WHEN 'gt' THEN 9e999 WHEN 'gte' THEN 9e999
    ELSE CAST(value_amount AS REAL) END
WHERE value_comparator IS NOT NULL;
CREATE INDEX claims_unit_value_low ON claims (value_unit, value_low);
CREATE INDEX claims_unit_value_high ON claims (value_unit, value_high);

-- Date filters use both ends of a period (overlap), and every sort pages by (key, id).
CREATE INDEX claims_fact_last_day ON claims (fact_last_day);
CREATE INDEX claims_claimed_last_day ON claims (claimed_last_day);
DROP INDEX claims_fact_first_day;
DROP INDEX claims_claimed_first_day;
CREATE INDEX claims_fact_first_day ON claims (fact_first_day, id);
CREATE INDEX claims_claimed_first_day ON claims (claimed_first_day, id);
CREATE INDEX claims_updated_at ON claims (updated_at, id);
CREATE INDEX claims_unit_value_sort ON claims (value_unit, value_sort, id);
-- "Claims with a primary source" and other citation-role filters start from the citations.
CREATE INDEX claim_citations_role ON claim_citations (role, claim_id);

-- The search document of a claim: its statement (weighted above the rest when ranking) and everything else a
-- reader might search by. Kept in step with every write by the claims repository, in the write's transaction.
-- unicode61 with remove_diacritics 2 folds case and accents, so Zurich finds Zürich.
-- `flags` holds "retracted" for a retracted claim, so that the usual search (live claims only) is answered by the
-- index alone, without looking up every match in claims.
CREATE VIRTUAL TABLE claims_fts USING fts5 (
  statement,
  body,
  flags,
  tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO claims_fts (rowid, statement, body, flags)
SELECT c.doc_id, c.statement, concat_ws(' ',
    c.article_wording, c.value_basis, c.verdict_explanation,
    (SELECT group_concat(text, ' ') FROM claim_caveats WHERE claim_id = c.id),
    (SELECT group_concat(quote, ' ') FROM claim_citations WHERE claim_id = c.id),
    (SELECT group_concat(value, ' ') FROM claim_qualifiers WHERE claim_id = c.id),
    (SELECT group_concat(e.name, ' ') FROM claim_subjects s JOIN entities e ON e.id = s.entity_id WHERE s.claim_id = c.id),
    (SELECT group_concat(a.alias, ' ') FROM claim_subjects s JOIN entity_aliases a ON a.entity_id = s.entity_id WHERE s.claim_id = c.id),
    (SELECT name FROM entities WHERE id = c.claimant_id),
    (SELECT group_concat(alias, ' ') FROM entity_aliases WHERE entity_id = c.claimant_id)),
  CASE WHEN c.retracted_at IS NULL THEN '' ELSE 'retracted' END
FROM claims c;

-- Entities by name or alias prefix, for autocomplete; the same folding as claims.
CREATE VIRTUAL TABLE entities_fts USING fts5 (
  id UNINDEXED,
  names,
  tokenize = 'unicode61 remove_diacritics 2',
  prefix = '1 2 3'
);
INSERT INTO entities_fts (rowid, id, names)
SELECT e.rowid, e.id, concat_ws(' ', e.name, (SELECT group_concat(alias, ' ') FROM entity_aliases WHERE entity_id = e.id))
FROM entities e;
