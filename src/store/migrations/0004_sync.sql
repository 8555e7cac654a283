-- 0004: sync with the province. On a box: its signing identities (a new one when it finds
-- itself on another machine, as from a copied SD card), how far the hub has confirmed each,
-- and the content packs it received. On a hub: enrolment codes, the boxes it knows, their
-- events and learners, and the packs it publishes. Both roles share one schema.

CREATE TABLE identities (
    box_id     TEXT PRIMARY KEY,
    secret_key BLOB NOT NULL,                -- ed25519, 32 bytes; never leaves the box
    machine    TEXT,                         -- fingerprint of the machine it was made on
    first_seq  INTEGER NOT NULL,             -- its events are those with seq >= this
    confirmed  INTEGER NOT NULL,             -- highest seq the hub holds with no gap (its answer)
    enrolled   INTEGER NOT NULL DEFAULT 0,   -- whether the hub knows this identity
    created_at TEXT NOT NULL
) STRICT;

CREATE TABLE packs (
    name        TEXT PRIMARY KEY,            -- the latest version received of each pack
    version     INTEGER NOT NULL,
    sealed      BLOB NOT NULL,               -- the envelope as the hub signed it
    received_at TEXT NOT NULL
) STRICT;

CREATE TABLE hub_codes (
    code       TEXT PRIMARY KEY,
    commune    TEXT NOT NULL,
    created_at TEXT NOT NULL,
    used_by    TEXT,                         -- the box that enrolled with it
    used_at    TEXT
) STRICT;

CREATE TABLE hub_boxes (
    box_id       TEXT PRIMARY KEY,
    commune      TEXT NOT NULL,
    public_key   TEXT NOT NULL,
    first_seq    INTEGER NOT NULL,
    held         INTEGER NOT NULL,           -- highest seq held with no gap below it
    enrolled_at  TEXT NOT NULL,
    last_sync_at TEXT,
    vouched_by   TEXT,                       -- the identity this one replaced (a copied card)
    conflict     TEXT                        -- set when two boxes sent different events as this one
) STRICT;

CREATE TABLE hub_events (
    box_id      TEXT NOT NULL REFERENCES hub_boxes (box_id),
    seq         INTEGER NOT NULL,
    id          TEXT NOT NULL,
    kind        TEXT NOT NULL,
    learner_id  TEXT,
    lesson_id   TEXT,
    payload     TEXT NOT NULL,
    at          TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    received_at TEXT NOT NULL,
    PRIMARY KEY (box_id, seq)
) STRICT;
CREATE INDEX hub_events_by_kind ON hub_events (kind, learner_id, lesson_id);

CREATE TABLE hub_learners (
    id           TEXT PRIMARY KEY,
    box_id       TEXT NOT NULL,
    commune      TEXT NOT NULL,
    name         TEXT,                       -- only when the commune shares names
    village      TEXT NOT NULL,
    birth_year   INTEGER,
    gender       TEXT,
    ethnic_group TEXT
) STRICT;

CREATE TABLE hub_packs (
    name         TEXT NOT NULL,
    version      INTEGER NOT NULL,
    sealed       BLOB NOT NULL,
    published_at TEXT NOT NULL,
    PRIMARY KEY (name, version)
) STRICT;
