-- 0001: the hub on PostgreSQL, as the SQLite hub keeps it (0002 and 0004 there): the hub's
-- identity (one signing key for every process on this database), its settings, officers and
-- their sessions, enrolment codes, the boxes it knows, their events and learners, and the
-- packs it publishes. Times are RFC 3339 text, as on SQLite; payloads the box's JSON text.

CREATE TABLE hub_identity (
    only_one   boolean PRIMARY KEY DEFAULT true CHECK (only_one),
    hub_id     text NOT NULL,
    secret_key bytea NOT NULL,               -- ed25519, 32 bytes; signs acks and packs
    created_at text NOT NULL
);

CREATE TABLE hub_settings (
    key   text PRIMARY KEY,
    value text NOT NULL
);

CREATE TABLE officers (
    id            text PRIMARY KEY,          -- UUIDv7
    name          text NOT NULL,
    name_key      text NOT NULL UNIQUE,      -- the name folded: lowercase, no accents
    password_hash text NOT NULL,             -- argon2 PHC string
    created_at    text NOT NULL
);

CREATE TABLE officer_sessions (
    token_hash bytea PRIMARY KEY,            -- SHA-256 of the cookie's token
    officer_id text NOT NULL REFERENCES officers (id) ON DELETE CASCADE,
    created_at text NOT NULL
);

CREATE TABLE hub_codes (
    code       text PRIMARY KEY,
    commune    text NOT NULL,
    created_at text NOT NULL,
    used_by    text,
    used_at    text
);

CREATE TABLE hub_boxes (
    box_id       text PRIMARY KEY,
    commune      text NOT NULL,
    public_key   text NOT NULL,
    first_seq    bigint NOT NULL,
    held         bigint NOT NULL,            -- highest seq held with no gap below it
    enrolled_at  text NOT NULL,
    last_sync_at text,
    vouched_by   text,
    conflict     text
);

CREATE TABLE hub_events (
    box_id      text NOT NULL REFERENCES hub_boxes (box_id),
    seq         bigint NOT NULL,
    id          text NOT NULL,
    kind        text NOT NULL,
    learner_id  text,
    lesson_id   text,
    payload     text NOT NULL,
    at          text NOT NULL,
    recorded_at text NOT NULL,
    received_at text NOT NULL,
    PRIMARY KEY (box_id, seq)
);
CREATE INDEX hub_events_by_kind ON hub_events (kind, learner_id, lesson_id);

CREATE TABLE hub_learners (
    id           text PRIMARY KEY,
    box_id       text NOT NULL,
    commune      text NOT NULL,
    name         text,
    village      text NOT NULL,
    birth_year   bigint,
    gender       text,
    ethnic_group text
);

CREATE TABLE hub_packs (
    name         text NOT NULL,
    version      bigint NOT NULL,
    sealed       bytea NOT NULL,
    published_at text NOT NULL,
    PRIMARY KEY (name, version)
);
