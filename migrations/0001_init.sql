-- The claims model: entities, sources, claims with their subjects, qualifiers, citations, caveats and
-- relations, and an append-only log of revisions. STRICT tables; every controlled vocabulary is a CHECK
-- mirrored by src/domain/vocabulary.ts (tests/vocabulary.test.ts keeps the two in step).

CREATE TABLE entities (
  id          TEXT PRIMARY KEY CHECK (id GLOB '[a-z0-9]*' AND id NOT GLOB '*[^a-z0-9-]*' AND length(id) <= 100),
  name        TEXT NOT NULL CHECK (length(name) > 0),
  type        TEXT NOT NULL CHECK (type IN ('organization', 'government_agency', 'person', 'ai_model', 'product', 'app', 'country')),
  description TEXT,
  wikidata_id TEXT CHECK (wikidata_id GLOB 'Q[1-9]*'),
  homepage    TEXT,
  revision    INTEGER NOT NULL CHECK (revision >= 1),
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
) STRICT;
CREATE INDEX entities_type ON entities (type, id);

CREATE TABLE entity_aliases (
  entity_id TEXT NOT NULL REFERENCES entities (id),
  position  INTEGER NOT NULL,
  alias     TEXT NOT NULL CHECK (length(alias) > 0),
  PRIMARY KEY (entity_id, position)
) STRICT, WITHOUT ROWID;

CREATE TABLE sources (
  id               TEXT PRIMARY KEY CHECK (id GLOB '[a-z0-9]*' AND id NOT GLOB '*[^a-z0-9-]*' AND length(id) <= 100),
  type             TEXT NOT NULL CHECK (type IN ('paper', 'news_article', 'analyst_report', 'government_record', 'press_release', 'dataset', 'web_page', 'code_repository')),
  title            TEXT NOT NULL CHECK (length(title) > 0),
  publisher        TEXT,
  authors          TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(authors) AND json_type(authors) = 'array'),
  published_on     TEXT CHECK (published_on GLOB '[0-9][0-9][0-9][0-9]' OR published_on GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]' OR published_on GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
  url              TEXT CHECK (url GLOB 'http*://*'),
  archive_url      TEXT CHECK (archive_url GLOB 'http*://*'),
  doi              TEXT,
  arxiv_id         TEXT,
  git_commit       TEXT,
  federal_register TEXT,
  evidence         TEXT NOT NULL CHECK (evidence IN ('original', 'republished_copy', 'secondary_summary')),
  note             TEXT,
  revision         INTEGER NOT NULL CHECK (revision >= 1),
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL
) STRICT;
CREATE INDEX sources_type ON sources (type, id);

CREATE TABLE claims (
  id                     TEXT PRIMARY KEY CHECK (id GLOB '[a-z0-9]*' AND id NOT GLOB '*[^a-z0-9-]*' AND length(id) <= 100),
  statement              TEXT NOT NULL CHECK (length(statement) > 0),
  article_wording        TEXT,
  kind                   TEXT NOT NULL CHECK (kind IN ('cost_figure', 'spend_estimate', 'download_ranking', 'market_value_change', 'policy_action', 'forecast', 'quote', 'licence', 'quantity')),
  claimant_id            TEXT REFERENCES entities (id),
  claimed_on             TEXT CHECK (claimed_on GLOB '[0-9][0-9][0-9][0-9]' OR claimed_on GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]' OR claimed_on GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
  claimed_first_day      TEXT,
  claimed_last_day       TEXT,
  fact_start             TEXT CHECK (fact_start GLOB '[0-9][0-9][0-9][0-9]' OR fact_start GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]' OR fact_start GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
  fact_end               TEXT CHECK (fact_end GLOB '[0-9][0-9][0-9][0-9]' OR fact_end GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]' OR fact_end GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
  -- First and last day the fact period covers ("2025-01" -> 2025-01-01 .. 2025-01-31), for overlap filters.
  fact_first_day         TEXT,
  fact_last_day          TEXT,
  value_comparator       TEXT CHECK (value_comparator IN ('eq', 'approx', 'gt', 'gte', 'lt', 'lte', 'between')),
  -- Exact amounts as canonical decimal text; value_sort is a REAL copy (amount, or lower for between) for ordering only.
  value_amount           TEXT CHECK (value_amount NOT GLOB '*[^0-9.-]*'),
  value_lower            TEXT CHECK (value_lower NOT GLOB '*[^0-9.-]*'),
  value_upper            TEXT CHECK (value_upper NOT GLOB '*[^0-9.-]*'),
  value_unit             TEXT CHECK (value_unit GLOB '[A-Z][A-Z][A-Z]' OR value_unit IN ('GPU-hours', 'GPUs', 'rank', 'percent', 'count', 'tokens', 'parameters')),
  value_basis            TEXT,
  value_sort             REAL,
  verdict                TEXT NOT NULL CHECK (verdict IN ('accurate', 'accurate_with_caveats', 'misleading', 'unsupported', 'false', 'unassessed')),
  verdict_explanation    TEXT,
  revision               INTEGER NOT NULL CHECK (revision >= 1),
  created_at             TEXT NOT NULL,
  updated_at             TEXT NOT NULL,
  CHECK ((fact_start IS NULL) = (fact_end IS NULL)),
  CHECK ((fact_start IS NULL) = (fact_first_day IS NULL) AND (fact_end IS NULL) = (fact_last_day IS NULL)),
  CHECK ((claimed_on IS NULL) = (claimed_first_day IS NULL) AND (claimed_on IS NULL) = (claimed_last_day IS NULL)),
  CHECK (
    (value_comparator IS NULL AND value_unit IS NULL AND value_amount IS NULL AND value_lower IS NULL AND value_upper IS NULL AND value_basis IS NULL)
    OR (value_comparator = 'between' AND value_unit IS NOT NULL AND value_amount IS NULL AND value_lower IS NOT NULL AND value_upper IS NOT NULL)
    OR (value_comparator <> 'between' AND value_unit IS NOT NULL AND value_amount IS NOT NULL AND value_lower IS NULL AND value_upper IS NULL)
  )
) STRICT;
CREATE INDEX claims_kind ON claims (kind, id);
CREATE INDEX claims_verdict ON claims (verdict, id);
CREATE INDEX claims_claimant ON claims (claimant_id, id);
CREATE INDEX claims_fact_first_day ON claims (fact_first_day);
CREATE INDEX claims_claimed_first_day ON claims (claimed_first_day);

CREATE TABLE claim_subjects (
  claim_id  TEXT NOT NULL REFERENCES claims (id),
  entity_id TEXT NOT NULL REFERENCES entities (id),
  position  INTEGER NOT NULL,
  PRIMARY KEY (claim_id, entity_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX claim_subjects_entity ON claim_subjects (entity_id, claim_id);

CREATE TABLE claim_qualifiers (
  claim_id TEXT NOT NULL REFERENCES claims (id),
  position INTEGER NOT NULL,
  key      TEXT NOT NULL CHECK (key IN ('model', 'stage', 'hardware', 'priceBasis', 'scope', 'chart', 'store', 'country', 'region', 'ticker', 'exchange', 'dataVendor', 'period', 'licence', 'coverage')),
  value    TEXT NOT NULL CHECK (length(value) > 0),
  PRIMARY KEY (claim_id, position)
) STRICT, WITHOUT ROWID;
CREATE INDEX claim_qualifiers_key_value ON claim_qualifiers (key, value, claim_id);

CREATE TABLE claim_citations (
  claim_id  TEXT NOT NULL REFERENCES claims (id),
  position  INTEGER NOT NULL,
  source_id TEXT NOT NULL REFERENCES sources (id),
  role      TEXT NOT NULL CHECK (role IN ('primary', 'secondary')),
  stance    TEXT NOT NULL CHECK (stance IN ('states', 'reports', 'supports', 'contradicts', 'contextualizes')),
  quote     TEXT,
  locator   TEXT CHECK (locator IS NULL OR json_valid(locator)),
  PRIMARY KEY (claim_id, position)
) STRICT, WITHOUT ROWID;
CREATE INDEX claim_citations_source ON claim_citations (source_id, claim_id);

CREATE TABLE claim_caveats (
  claim_id TEXT NOT NULL REFERENCES claims (id),
  position INTEGER NOT NULL,
  kind     TEXT NOT NULL CHECK (kind IN ('scope', 'method', 'assumption', 'estimate', 'attribution', 'disagreement', 'timing', 'context', 'unverified')),
  text     TEXT NOT NULL CHECK (length(text) > 0),
  PRIMARY KEY (claim_id, position)
) STRICT, WITHOUT ROWID;

-- Each relation is stored once, on the claim that holds it; the inverse is derived on read.
CREATE TABLE claim_relations (
  from_claim_id TEXT NOT NULL REFERENCES claims (id),
  position      INTEGER NOT NULL,
  type          TEXT NOT NULL CHECK (type IN ('supports', 'contradicts', 'contextualizes', 'aggregates', 'supersedes')),
  to_claim_id   TEXT NOT NULL REFERENCES claims (id),
  note          TEXT,
  PRIMARY KEY (from_claim_id, position),
  UNIQUE (from_claim_id, type, to_claim_id),
  CHECK (from_claim_id <> to_claim_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX claim_relations_to ON claim_relations (to_claim_id);

-- Append-only history: one row per change of any record, in commit order (seq). The snapshot is the record's
-- write shape with its server-owned fields, as JSON.
CREATE TABLE revisions (
  seq           INTEGER PRIMARY KEY,
  resource_type TEXT NOT NULL CHECK (resource_type IN ('claim', 'source', 'entity')),
  resource_id   TEXT NOT NULL,
  revision      INTEGER NOT NULL CHECK (revision >= 1),
  action        TEXT NOT NULL CHECK (action IN ('create', 'update', 'retract')),
  created_at    TEXT NOT NULL,
  author        TEXT NOT NULL,
  reason        TEXT NOT NULL CHECK (length(reason) > 0),
  snapshot      TEXT NOT NULL CHECK (json_valid(snapshot)),
  UNIQUE (resource_type, resource_id, revision)
) STRICT;
