-- 0007: provinces above communes, on a hub. A code is made for a commune of a province; the
-- box enrolled with it, and the learners it sends, belong to that province. '' is a record
-- made before provinces (or without one): the hub's own. An officer sees one province's
-- records, or every province's when `province` is NULL (a national officer, or the officer
-- of a hub that serves one province). A box's facilitators never have one.

ALTER TABLE hub_codes ADD COLUMN province TEXT NOT NULL DEFAULT '';
ALTER TABLE hub_boxes ADD COLUMN province TEXT NOT NULL DEFAULT '';
ALTER TABLE hub_learners ADD COLUMN province TEXT NOT NULL DEFAULT '';
ALTER TABLE facilitators ADD COLUMN province TEXT;
CREATE INDEX hub_learners_by_province ON hub_learners (province, commune);
CREATE INDEX hub_boxes_by_province ON hub_boxes (province, commune);

-- The dashboard's counts, kept up to date in the transaction that takes a batch, so a page
-- reads rows that grow with learners, not with events (the raw events stay for export):
-- each (learner, lesson) finished once, each (learner, scenario) won once, each learner's
-- live attendances, and events a day, commune and kind.
CREATE TABLE hub_finished (
    learner_id TEXT NOT NULL,
    lesson_id  TEXT NOT NULL,
    province   TEXT NOT NULL,
    PRIMARY KEY (learner_id, lesson_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX hub_finished_by_province ON hub_finished (province);

CREATE TABLE hub_practised (
    learner_id  TEXT NOT NULL,
    scenario_id TEXT NOT NULL,
    province    TEXT NOT NULL,
    PRIMARY KEY (learner_id, scenario_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX hub_practised_by_province ON hub_practised (province);

CREATE TABLE hub_attended (
    learner_id TEXT PRIMARY KEY,
    province   TEXT NOT NULL,
    times      INTEGER NOT NULL
) STRICT;
CREATE INDEX hub_attended_by_province ON hub_attended (province);

CREATE TABLE hub_daily (
    day      TEXT NOT NULL,                  -- YYYY-MM-DD of the box's recorded_at
    province TEXT NOT NULL,
    commune  TEXT NOT NULL,
    kind     TEXT NOT NULL,
    events   INTEGER NOT NULL,
    PRIMARY KEY (day, province, commune, kind)
) STRICT, WITHOUT ROWID;

INSERT OR IGNORE INTO hub_finished (learner_id, lesson_id, province)
SELECT e.learner_id, e.lesson_id, b.province FROM hub_events e JOIN hub_boxes b ON b.box_id = e.box_id
WHERE e.kind IN ('lesson_finished', 'live_attended') AND e.learner_id IS NOT NULL AND e.lesson_id IS NOT NULL;

INSERT OR IGNORE INTO hub_practised (learner_id, scenario_id, province)
SELECT e.learner_id, json_extract(e.payload, '$.scenario'), b.province
FROM hub_events e JOIN hub_boxes b ON b.box_id = e.box_id
WHERE e.kind = 'practice_finished' AND e.learner_id IS NOT NULL AND json_valid(e.payload)
  AND json_type(e.payload, '$.win') = 'true' AND json_type(e.payload, '$.scenario') = 'text';

INSERT INTO hub_attended (learner_id, province, times)
SELECT e.learner_id, MIN(b.province), COUNT(*) FROM hub_events e JOIN hub_boxes b ON b.box_id = e.box_id
WHERE e.kind = 'live_attended' AND e.learner_id IS NOT NULL GROUP BY e.learner_id;

INSERT INTO hub_daily (day, province, commune, kind, events)
SELECT substr(e.recorded_at, 1, 10), b.province, b.commune, e.kind, COUNT(*)
FROM hub_events e JOIN hub_boxes b ON b.box_id = e.box_id GROUP BY 1, 2, 3, 4;

-- Each learner's tallies, kept with the counts: the dashboard sums them by province, commune,
-- village, birth year, gender and ethnic group, reading rows that grow with learners. A
-- module counts for a learner when every item of it in `hub_module_items` (its lessons and
-- practice scenarios, which the hub writes from the lessons it serves) is done.
ALTER TABLE hub_learners ADD COLUMN lessons INTEGER NOT NULL DEFAULT 0;
ALTER TABLE hub_learners ADD COLUMN practices INTEGER NOT NULL DEFAULT 0;
ALTER TABLE hub_learners ADD COLUMN attended INTEGER NOT NULL DEFAULT 0;
ALTER TABLE hub_learners ADD COLUMN modules INTEGER NOT NULL DEFAULT 0;

CREATE TABLE hub_module_items (
    module TEXT NOT NULL,
    kind   TEXT NOT NULL,                    -- 'lesson' or 'scenario'
    item   TEXT NOT NULL,
    PRIMARY KEY (module, kind, item)
) STRICT, WITHOUT ROWID;

UPDATE hub_learners SET
    lessons = (SELECT COUNT(*) FROM hub_finished f WHERE f.learner_id = hub_learners.id),
    practices = (SELECT COUNT(*) FROM hub_practised p WHERE p.learner_id = hub_learners.id),
    attended = COALESCE((SELECT a.times FROM hub_attended a WHERE a.learner_id = hub_learners.id), 0);
