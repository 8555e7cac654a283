-- 0003: what facilitators keep: groups of learners, sign-in cards, and live group lessons
-- with who came and what they answered (kept as they happen, turned into events at the end).

CREATE TABLE groups (
    id         TEXT PRIMARY KEY,               -- UUIDv7
    name       TEXT NOT NULL,
    name_key   TEXT NOT NULL UNIQUE,           -- the name folded: lowercase, no accents
    created_at TEXT NOT NULL
) STRICT;

CREATE TABLE group_members (
    group_id   TEXT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    learner_id TEXT NOT NULL REFERENCES learners (id),
    added_at   TEXT NOT NULL,
    PRIMARY KEY (group_id, learner_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX group_members_by_learner ON group_members (learner_id);

-- A printed card's QR code signs its learner in. One card a learner; a new card or "revoke"
-- ends the old one. The token is kept as printed: it is worth no more than the name list.
CREATE TABLE learner_cards (
    learner_id TEXT PRIMARY KEY REFERENCES learners (id),
    token      TEXT NOT NULL UNIQUE,
    issued_at  TEXT NOT NULL
) STRICT;

CREATE TABLE live_sessions (
    id             TEXT PRIMARY KEY,           -- UUIDv7
    code           TEXT NOT NULL,              -- four digits, unique among open sessions
    group_id       TEXT REFERENCES groups (id),-- NULL: anyone on the box may join
    lesson_id      TEXT NOT NULL,
    facilitator_id TEXT NOT NULL REFERENCES facilitators (id),
    step           INTEGER NOT NULL DEFAULT 0, -- slides first, then one step a quiz question
    revealed       INTEGER NOT NULL DEFAULT 0, -- the current question's answer is shown
    started_at     TEXT NOT NULL,
    ended_at       TEXT
) STRICT;
CREATE UNIQUE INDEX live_sessions_open_code ON live_sessions (code) WHERE ended_at IS NULL;

CREATE TABLE live_attendance (
    session_id TEXT NOT NULL REFERENCES live_sessions (id),
    learner_id TEXT NOT NULL REFERENCES learners (id),
    how        TEXT NOT NULL CHECK (how IN ('joined', 'ticked')),
    at         TEXT NOT NULL,
    PRIMARY KEY (session_id, learner_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE live_answers (
    session_id TEXT NOT NULL REFERENCES live_sessions (id),
    learner_id TEXT NOT NULL REFERENCES learners (id),
    question   INTEGER NOT NULL,
    choice     INTEGER NOT NULL,
    at         TEXT NOT NULL,
    PRIMARY KEY (session_id, learner_id, question)
) STRICT, WITHOUT ROWID;
