-- The retracted claims that name a claim as their replacement, for that claim's `supersedes` (its readers learn what
-- it replaces). Partial: few claims are retracted, so the index stays small and writes of live claims skip it.
CREATE INDEX claims_superseded_by ON claims (superseded_by) WHERE superseded_by IS NOT NULL;
