-- 0002: provinces above communes (as SQLite's 0007): a code is made for a commune of a
-- province; its box and the learners it sends belong to that province ('' before
-- provinces). An officer sees one province, or all when `province` is NULL.

ALTER TABLE hub_codes ADD COLUMN province text NOT NULL DEFAULT '';
ALTER TABLE hub_boxes ADD COLUMN province text NOT NULL DEFAULT '';
ALTER TABLE hub_learners ADD COLUMN province text NOT NULL DEFAULT '';
ALTER TABLE officers ADD COLUMN province text;
CREATE INDEX hub_learners_by_province ON hub_learners (province, commune);
CREATE INDEX hub_boxes_by_province ON hub_boxes (province, commune);

-- The dashboard's counts (as SQLite's 0007), kept in the transaction that takes a batch.
CREATE TABLE hub_finished (
    learner_id text NOT NULL,
    lesson_id  text NOT NULL,
    province   text NOT NULL,
    PRIMARY KEY (learner_id, lesson_id)
);
CREATE INDEX hub_finished_by_province ON hub_finished (province);

CREATE TABLE hub_practised (
    learner_id  text NOT NULL,
    scenario_id text NOT NULL,
    province    text NOT NULL,
    PRIMARY KEY (learner_id, scenario_id)
);
CREATE INDEX hub_practised_by_province ON hub_practised (province);

CREATE TABLE hub_attended (
    learner_id text PRIMARY KEY,
    province   text NOT NULL,
    times      bigint NOT NULL
);
CREATE INDEX hub_attended_by_province ON hub_attended (province);

CREATE TABLE hub_daily (
    day      text NOT NULL,
    province text NOT NULL,
    commune  text NOT NULL,
    kind     text NOT NULL,
    events   bigint NOT NULL,
    PRIMARY KEY (day, province, commune, kind)
);

-- Each learner's tallies (as SQLite's 0007) and what completes a module.
ALTER TABLE hub_learners ADD COLUMN lessons bigint NOT NULL DEFAULT 0;
ALTER TABLE hub_learners ADD COLUMN practices bigint NOT NULL DEFAULT 0;
ALTER TABLE hub_learners ADD COLUMN attended bigint NOT NULL DEFAULT 0;
ALTER TABLE hub_learners ADD COLUMN modules bigint NOT NULL DEFAULT 0;

CREATE TABLE hub_module_items (
    module text NOT NULL,
    kind   text NOT NULL,
    item   text NOT NULL,
    PRIMARY KEY (module, kind, item)
);

-- Counts and tallies are made from the events held by `recount.sql`, which the hub runs
-- after this migration.
