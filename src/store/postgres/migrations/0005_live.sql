-- 0005: a live lesson the province leads (as SQLite's 0010, the hub's side): the province's
-- sessions and each hall's last report of its room (a report replaces the one before).

CREATE TABLE hub_live (
    id         text PRIMARY KEY,
    province   text,
    communes   text,
    lesson_id  text NOT NULL,
    step       bigint NOT NULL DEFAULT 0,
    revealed   boolean NOT NULL DEFAULT false,
    show_total boolean NOT NULL DEFAULT false,
    version    bigint NOT NULL DEFAULT 1,
    started_by text NOT NULL,
    started_at text NOT NULL,
    ended_at   text
);
CREATE INDEX hub_live_open ON hub_live (id) WHERE ended_at IS NULL;

CREATE TABLE hub_live_halls (
    session_id text NOT NULL REFERENCES hub_live (id),
    box_id     text NOT NULL,
    province   text NOT NULL,
    commune    text NOT NULL,
    step       bigint NOT NULL,
    led_here   boolean NOT NULL,
    missing    boolean NOT NULL,
    present    bigint NOT NULL,
    answers    text NOT NULL,
    first_seen text NOT NULL,
    last_seen  text NOT NULL,
    reports    bigint NOT NULL,
    PRIMARY KEY (session_id, box_id)
);
