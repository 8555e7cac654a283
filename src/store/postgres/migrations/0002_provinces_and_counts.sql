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

INSERT INTO hub_finished (learner_id, lesson_id, province)
SELECT e.learner_id, e.lesson_id, b.province FROM hub_events e JOIN hub_boxes b ON b.box_id = e.box_id
WHERE e.kind IN ('lesson_finished', 'live_attended') AND e.learner_id IS NOT NULL AND e.lesson_id IS NOT NULL
ON CONFLICT DO NOTHING;

INSERT INTO hub_practised (learner_id, scenario_id, province)
SELECT learner_id, p ->> 'scenario', province FROM (
    SELECT e.learner_id, e.payload::jsonb AS p, b.province
    FROM hub_events e JOIN hub_boxes b ON b.box_id = e.box_id
    WHERE e.kind = 'practice_finished' AND e.learner_id IS NOT NULL AND strpos(e.payload, '\u0000') = 0) e
WHERE jsonb_typeof(p -> 'win') = 'boolean' AND (p -> 'win')::boolean AND jsonb_typeof(p -> 'scenario') = 'string'
ON CONFLICT DO NOTHING;

INSERT INTO hub_attended (learner_id, province, times)
SELECT e.learner_id, MIN(b.province), COUNT(*) FROM hub_events e JOIN hub_boxes b ON b.box_id = e.box_id
WHERE e.kind = 'live_attended' AND e.learner_id IS NOT NULL GROUP BY e.learner_id;

INSERT INTO hub_daily (day, province, commune, kind, events)
SELECT substr(e.recorded_at, 1, 10), b.province, b.commune, e.kind, COUNT(*)
FROM hub_events e JOIN hub_boxes b ON b.box_id = e.box_id GROUP BY 1, 2, 3, 4;
