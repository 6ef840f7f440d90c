-- Who may see what (issue 20). Every job belongs to the principal that created it; jobs from
-- before owners existed have none and are seen by admins only.
ALTER TABLE jobs ADD COLUMN owner TEXT;
CREATE INDEX jobs_by_owner ON jobs (owner, created_at);

-- API keys: only the SHA-256 of a key is kept (a key is 256 random bits, so a fast hash is enough
-- and a slow one would only slow every request); in the database, so every node of a cluster
-- accepts the keys that `keys create` made on any of them. A revoked key keeps its row, and its
-- name, for the audit trail.
CREATE TABLE api_keys (
    name        TEXT PRIMARY KEY,
    key_hash    TEXT NOT NULL UNIQUE,       -- hex SHA-256 of the key
    admin       INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL,
    revoked_at  TEXT
);

-- Sign-in sessions of the web page (cookie mattepipe_session): the hash of the cookie's token,
-- so a copy of the database signs nobody in. key_name ties a session to the key it was opened
-- with: revoking the key ends the session.
CREATE TABLE sessions (
    token_hash  TEXT PRIMARY KEY,
    owner       TEXT NOT NULL,
    admin       INTEGER NOT NULL DEFAULT 0,
    key_name    TEXT,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL
);

-- The audit trail: who did what, when, from where.
CREATE TABLE audit_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,              -- upload download render retry cancel delete key-created key-revoked sign-in sign-in-failed
    job_id      TEXT,
    detail      TEXT,
    client      TEXT
);
CREATE INDEX audit_events_by_time ON audit_events (at);
