-- 0010: a live lesson the province leads, followed in every commune hall.
--
-- On a box: a hall's session may follow a session of the hub (`province_session`, one hall
-- session each); no facilitator started it (`facilitator_id` NULL); `led_by` says who moves
-- it now: the province, or the hall's facilitator who took over. The table is made again to
-- let `facilitator_id` be NULL; rows that point at it are checked when the transaction ends.
--
-- On a hub: the province's sessions (`hub_live`) and each hall's last report of its room
-- (`hub_live_halls`: a report replaces the one before, so a hall is never counted twice).

PRAGMA defer_foreign_keys = ON;

CREATE TABLE live_sessions_new (
    id               TEXT PRIMARY KEY,           -- UUIDv7
    code             TEXT NOT NULL,              -- four digits, unique among open sessions
    group_id         TEXT REFERENCES groups (id),-- NULL: anyone on the box may join
    lesson_id        TEXT NOT NULL,
    facilitator_id   TEXT REFERENCES facilitators (id), -- NULL: the province started it
    step             INTEGER NOT NULL DEFAULT 0,
    revealed         INTEGER NOT NULL DEFAULT 0,
    started_at       TEXT NOT NULL,
    ended_at         TEXT,
    scenario_id      TEXT,
    practice_at      TEXT,
    province_session TEXT,                       -- the hub's session this hall follows
    led_by           TEXT NOT NULL DEFAULT 'local' CHECK (led_by IN ('local', 'province'))
) STRICT;

INSERT INTO live_sessions_new (id, code, group_id, lesson_id, facilitator_id, step, revealed,
                               started_at, ended_at, scenario_id, practice_at)
SELECT id, code, group_id, lesson_id, facilitator_id, step, revealed, started_at, ended_at,
       scenario_id, practice_at
FROM live_sessions;

DROP TABLE live_sessions;
ALTER TABLE live_sessions_new RENAME TO live_sessions;
CREATE UNIQUE INDEX live_sessions_open_code ON live_sessions (code) WHERE ended_at IS NULL;
CREATE UNIQUE INDEX live_sessions_by_province ON live_sessions (province_session)
    WHERE province_session IS NOT NULL;

CREATE TABLE hub_live (
    id         TEXT PRIMARY KEY,                 -- UUIDv7
    province   TEXT,                             -- NULL: every province of the hub
    communes   TEXT,                             -- JSON array of names; NULL: every commune
    lesson_id  TEXT NOT NULL,
    step       INTEGER NOT NULL DEFAULT 0,
    revealed   INTEGER NOT NULL DEFAULT 0,
    show_total INTEGER NOT NULL DEFAULT 0,       -- the halls' projectors show the province's answers
    version    INTEGER NOT NULL DEFAULT 1,       -- grows with every change
    started_by TEXT NOT NULL,
    started_at TEXT NOT NULL,
    ended_at   TEXT
) STRICT;
CREATE INDEX hub_live_open ON hub_live (ended_at);

CREATE TABLE hub_live_halls (
    session_id TEXT NOT NULL REFERENCES hub_live (id),
    box_id     TEXT NOT NULL,
    province   TEXT NOT NULL,
    commune    TEXT NOT NULL,
    step       INTEGER NOT NULL,
    led_here   INTEGER NOT NULL,
    missing    INTEGER NOT NULL,
    present    INTEGER NOT NULL,
    answers    TEXT NOT NULL,                    -- JSON: per question, how many chose each choice
    first_seen TEXT NOT NULL,
    last_seen  TEXT NOT NULL,
    reports    INTEGER NOT NULL,
    PRIMARY KEY (session_id, box_id)
) STRICT, WITHOUT ROWID;
