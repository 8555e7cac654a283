-- 0008: a hub above hubs. A province's hub that started alone joins a national hub with a
-- one-time join code made there for its province (`hub_relays`: the code, then the joining
-- hub's id and key). It introduces each of its boxes there (`relayed_by`: the hub that did)
-- and passes on the boxes' own signed batches, which it keeps as they came (`hub_batches`,
-- each batch that brought something new); `forwarded` is what the national hub's signed
-- answer says it holds of the box (NULL: not introduced yet).

CREATE TABLE hub_relays (
    code       TEXT PRIMARY KEY,
    province   TEXT NOT NULL,
    created_at TEXT NOT NULL,
    hub_id     TEXT UNIQUE,
    public_key TEXT,
    joined_at  TEXT
) STRICT;

ALTER TABLE hub_boxes ADD COLUMN relayed_by TEXT;
ALTER TABLE hub_boxes ADD COLUMN forwarded INTEGER;

CREATE TABLE hub_batches (
    box_id    TEXT NOT NULL REFERENCES hub_boxes (box_id),
    last_seq  INTEGER NOT NULL,
    first_seq INTEGER NOT NULL,
    sealed    BLOB NOT NULL,
    PRIMARY KEY (box_id, last_seq)
) STRICT;
