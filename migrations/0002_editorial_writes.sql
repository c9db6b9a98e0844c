-- Editorial writes: API keys, idempotent POSTs and claim retraction. Every new column on an existing table is
-- nullable, so rows inserted by code that predates this migration (or writes the old columns only) stay valid.

-- API keys. Only the SHA-256 of a key is stored (hex); the key itself is shown once, when it is created.
-- Names are never reused, because revisions name the key that made each change.
CREATE TABLE api_keys (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE CHECK (name GLOB '[a-z0-9]*' AND name NOT GLOB '*[^a-z0-9._-]*' AND length(name) <= 64),
  scope      TEXT NOT NULL CHECK (scope IN ('editor', 'admin')),
  key_hash   TEXT NOT NULL UNIQUE CHECK (length(key_hash) = 64 AND key_hash NOT GLOB '*[^0-9a-f]*'),
  created_at TEXT NOT NULL,
  expires_at TEXT,
  revoked_at TEXT
) STRICT;

-- The first response to a POST carrying an Idempotency-Key, per key holder, kept for 24 hours so that a retry
-- gets the same answer instead of a second record. Written in the same transaction as the record it created.
CREATE TABLE idempotency_keys (
  api_key_id      INTEGER NOT NULL REFERENCES api_keys (id),
  idempotency_key TEXT NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 200),
  request_hash    TEXT NOT NULL,
  status          INTEGER NOT NULL,
  location        TEXT NOT NULL,
  etag            TEXT NOT NULL,
  body            TEXT NOT NULL,
  created_at      TEXT NOT NULL,
  PRIMARY KEY (api_key_id, idempotency_key)
) STRICT, WITHOUT ROWID;
CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);

-- Retraction instead of deletion: a retracted claim keeps its row and its URL. Reason and time go together;
-- a successor must exist and may only be named on a retracted claim.
ALTER TABLE claims ADD COLUMN retraction_reason TEXT CHECK (retraction_reason IS NULL OR length(retraction_reason) > 0);
ALTER TABLE claims ADD COLUMN retracted_at TEXT CHECK ((retracted_at IS NULL) = (retraction_reason IS NULL));
ALTER TABLE claims ADD COLUMN superseded_by TEXT REFERENCES claims (id)
  CHECK (superseded_by IS NULL OR (retracted_at IS NOT NULL AND superseded_by <> id));

-- The revision log is append-only: the database itself refuses to change or remove a revision.
CREATE TRIGGER revisions_immutable_update BEFORE UPDATE ON revisions
BEGIN
  SELECT RAISE(ABORT, 'revisions are immutable');
END;
CREATE TRIGGER revisions_immutable_delete BEFORE DELETE ON revisions
BEGIN
  SELECT RAISE(ABORT, 'revisions are immutable');
END;
