-- The last time the service found a seeded database in line with the seed (src/db/seed.ts): a fingerprint of the
-- seed files and of the build that compared them. A start with the same seed and the same build skips the
-- comparison, which read, validated and compared every seed record (about 40 ms of each start). One row at most.
-- WITHOUT ROWID: `PRAGMA optimize` (src/db/statistics.ts) counts a rowid table without indexes and without rows as
-- never analysed, and would analyse it at every start.
CREATE TABLE seed_check (
  id          INTEGER PRIMARY KEY CHECK (id = 1),
  fingerprint TEXT NOT NULL,
  checked_at  TEXT NOT NULL
) STRICT, WITHOUT ROWID;
