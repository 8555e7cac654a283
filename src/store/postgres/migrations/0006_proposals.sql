-- 0006: made in the commune (as SQLite's hub tables of 0011): the proposals communes sent,
-- each kept once by its id in the province of the box that sent it, their pictures and
-- recordings kept once by their content's name, and which proposal carries which.

CREATE TABLE hub_proposals (
    id          text PRIMARY KEY,
    box_id      text NOT NULL,
    province    text NOT NULL,
    commune     text NOT NULL,
    kind        text NOT NULL CHECK (kind IN ('lesson', 'reading')),
    lesson_id   text NOT NULL,
    sent_by     text NOT NULL,
    sent_at     text NOT NULL,
    body        text NOT NULL,
    received_at text NOT NULL,
    status      text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'adopted', 'declined')),
    decided_by  text,
    decided_at  text,
    pack        text
);
CREATE INDEX hub_proposals_by_box ON hub_proposals (box_id);
CREATE INDEX hub_proposals_newest ON hub_proposals (province, received_at);

CREATE TABLE hub_media (
    name  text PRIMARY KEY,
    mime  text NOT NULL,
    size  bigint NOT NULL,
    bytes bytea NOT NULL
);

CREATE TABLE hub_proposal_media (
    proposal_id text NOT NULL REFERENCES hub_proposals (id),
    name        text NOT NULL REFERENCES hub_media (name),
    PRIMARY KEY (proposal_id, name)
);
CREATE INDEX hub_proposal_media_by_name ON hub_proposal_media (name);
