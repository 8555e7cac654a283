-- 0001: the box itself, learners and their sessions, the event log, and the tables pages
-- read (kept in step with the events in the same transaction).

CREATE TABLE box (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    box_id     TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE learners (
    id           TEXT PRIMARY KEY,           -- UUIDv7, also the learner's URL id
    display_name TEXT NOT NULL,
    village      TEXT NOT NULL,
    birth_year   INTEGER,
    gender       TEXT,
    ethnic_group TEXT,
    secret_kind  TEXT CHECK (secret_kind IN ('pin', 'picture')),
    secret_hash  TEXT,
    created_at   TEXT NOT NULL
) STRICT;
CREATE INDEX learners_by_village ON learners (village, display_name);

CREATE TABLE sessions (
    token_hash BLOB PRIMARY KEY,             -- SHA-256 of the cookie's token
    learner_id TEXT NOT NULL REFERENCES learners (id),
    created_at TEXT NOT NULL
) STRICT;

CREATE TABLE events (
    seq         INTEGER PRIMARY KEY,         -- this box's order; never reused
    id          TEXT NOT NULL UNIQUE,        -- UUIDv7
    box_id      TEXT NOT NULL,
    kind        TEXT NOT NULL,
    learner_id  TEXT REFERENCES learners (id),
    lesson_id   TEXT,
    payload     TEXT NOT NULL,               -- JSON
    at          TEXT NOT NULL,               -- when it happened, by the sender's clock
    recorded_at TEXT NOT NULL                -- when the box stored it, by the box's clock
) STRICT;
CREATE INDEX events_by_learner ON events (learner_id, seq);

CREATE TABLE progress (
    learner_id  TEXT NOT NULL REFERENCES learners (id),
    lesson_id   TEXT NOT NULL,
    opened_at   TEXT NOT NULL,
    finished_at TEXT,
    PRIMARY KEY (learner_id, lesson_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE quiz_scores (
    learner_id TEXT NOT NULL REFERENCES learners (id),
    lesson_id  TEXT NOT NULL,
    best       INTEGER NOT NULL,
    total      INTEGER NOT NULL,
    attempts   INTEGER NOT NULL,
    passed_at  TEXT,                         -- first attempt with at least 2/3 right
    PRIMARY KEY (learner_id, lesson_id)
) STRICT, WITHOUT ROWID;
