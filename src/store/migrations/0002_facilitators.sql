-- 0002: facilitators (commune officers, teachers) and their sessions. The one-time set-up
-- code lives in `settings` under `setup_code` until the first facilitator exists.

CREATE TABLE facilitators (
    id            TEXT PRIMARY KEY,            -- UUIDv7
    name          TEXT NOT NULL,               -- what they sign in with, as typed
    name_key      TEXT NOT NULL UNIQUE,        -- the name folded: lowercase, no accents
    password_hash TEXT NOT NULL,               -- argon2 PHC string
    created_at    TEXT NOT NULL
) STRICT;

CREATE TABLE facilitator_sessions (
    token_hash     BLOB PRIMARY KEY,           -- SHA-256 of the cookie's token
    facilitator_id TEXT NOT NULL REFERENCES facilitators (id) ON DELETE CASCADE,
    created_at     TEXT NOT NULL
) STRICT;
