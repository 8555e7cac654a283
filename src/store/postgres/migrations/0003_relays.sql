-- 0003: a hub above hubs (as SQLite's 0008, the national side): a province's hub joins with
-- a one-time join code made for its province, introduces its boxes (`relayed_by`), then
-- passes on the boxes' own signed batches as they came.

CREATE TABLE hub_relays (
    code       text PRIMARY KEY,
    province   text NOT NULL,
    created_at text NOT NULL,
    hub_id     text UNIQUE,
    public_key text,
    joined_at  text
);

ALTER TABLE hub_boxes ADD COLUMN relayed_by text;
