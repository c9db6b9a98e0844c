-- A list filtered by unit in the default order (by id): with only (unit, value) indexes SQLite either read every
-- claim of the unit and sorted them (630 ms for USD at a million claims) or walked every claim by id testing the
-- unit (seconds for a rare unit). With the unit's claims in id order it reads just one page.
CREATE INDEX claims_unit_id ON claims (value_unit, id);
