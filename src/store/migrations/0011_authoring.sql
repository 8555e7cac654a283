-- 0011: made in the commune. On a box: the lessons its facilitators write (drafts and
-- published), pictures and recordings kept in the database (so a backup holds them and a
-- write is whole or nothing), readings of any lesson in any language, and what was offered
-- to the province. On a hub: the proposals communes sent, for an officer to review.

CREATE TABLE media (
    name       TEXT PRIMARY KEY,             -- `<sha-256 hex, 32>.<ext>`: its content's name
    mime       TEXT NOT NULL,
    bytes      BLOB NOT NULL,
    size       INTEGER NOT NULL,
    seconds    INTEGER,                      -- a recording's length
    origin     TEXT NOT NULL CHECK (origin IN ('local', 'pack')),
    created_at TEXT NOT NULL
) STRICT;

CREATE TABLE local_lessons (
    id           TEXT PRIMARY KEY,           -- `module/slug`, as every lesson
    module_title TEXT,                       -- when the module is the commune's own
    file         TEXT NOT NULL,              -- the lesson file (front matter and slides)
    published    INTEGER NOT NULL CHECK (published IN (0, 1)),
    created_by   TEXT NOT NULL,              -- facilitator id
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    proposed_at  TEXT,                       -- when "Gửi lên tỉnh" was pressed
    proposal_id  TEXT                        -- the proposal it went up as
) STRICT;

CREATE TABLE readings (
    id          TEXT PRIMARY KEY,            -- UUID
    lesson_id   TEXT NOT NULL,
    slide       INTEGER,                     -- from 1; NULL: the whole lesson
    lang        TEXT NOT NULL,               -- ISO 639-3
    lang_name   TEXT NOT NULL,
    audio       TEXT NOT NULL REFERENCES media (name),
    seconds     INTEGER NOT NULL,
    created_by  TEXT NOT NULL,               -- facilitator id
    created_at  TEXT NOT NULL,
    proposed_at TEXT,
    proposal_id TEXT
) STRICT;
CREATE INDEX readings_by_lesson ON readings (lesson_id);

-- What the box sends up: one sealed proposal a row, until the hub says it holds it.
CREATE TABLE proposals_out (
    id       TEXT PRIMARY KEY,
    body     BLOB NOT NULL,                -- the proposal (JSON), sealed when it is sent
    made_at  TEXT NOT NULL,
    held_at  TEXT
) STRICT;

-- A proposal a commune sent, kept once by its id; its province is the box's as enrolled.
CREATE TABLE hub_proposals (
    id          TEXT PRIMARY KEY,
    box_id      TEXT NOT NULL,
    province    TEXT NOT NULL,               -- '' for a box enrolled without a province
    commune     TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('lesson', 'reading')),
    lesson_id   TEXT NOT NULL,
    sent_by     TEXT NOT NULL,
    sent_at     TEXT NOT NULL,
    body        TEXT NOT NULL,               -- the proposal without its media's bytes, JSON
    received_at TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'adopted', 'declined')),
    decided_by  TEXT,
    decided_at  TEXT,
    pack        TEXT                         -- the pack it was published in
) STRICT;
CREATE INDEX hub_proposals_by_box ON hub_proposals (box_id);
CREATE INDEX hub_proposals_newest ON hub_proposals (province, received_at);

-- Pictures and recordings of proposals, by their content's name: each kept once.
CREATE TABLE hub_media (
    name  TEXT PRIMARY KEY,
    mime  TEXT NOT NULL,
    size  INTEGER NOT NULL,
    bytes BLOB NOT NULL
) STRICT;

-- Which proposal carries which media file (an officer sees a file of a proposal in scope).
CREATE TABLE hub_proposal_media (
    proposal_id TEXT NOT NULL REFERENCES hub_proposals (id),
    name        TEXT NOT NULL REFERENCES hub_media (name),
    PRIMARY KEY (proposal_id, name)
) STRICT;
CREATE INDEX hub_proposal_media_by_name ON hub_proposal_media (name);

-- The commune's own wording of a practice scenario the box serves: the same steps, choices
-- and ends, its words changed (names, amounts, the scam's phrasing, feedback).
CREATE TABLE local_scenarios (
    id         TEXT PRIMARY KEY,             -- `module/slug`, as every scenario
    file       TEXT NOT NULL,                -- the scenario file (TOML)
    published  INTEGER NOT NULL CHECK (published IN (0, 1)),
    created_by TEXT NOT NULL,                -- facilitator id
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
