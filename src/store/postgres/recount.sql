-- The dashboard's counts made again from the events held (as `HubStore::accept` keeps them
-- as batches arrive): each (learner, lesson) finished once, each (learner, scenario) won once
-- (`"win"` JSON true for a string `"scenario"`; a payload holding \u0000, which jsonb cannot
-- hold, counts for nothing), each learner's live attendances, events a day, commune and kind.
TRUNCATE hub_finished, hub_practised, hub_attended, hub_daily;

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

UPDATE hub_learners l SET
    lessons = (SELECT COUNT(*) FROM hub_finished f WHERE f.learner_id = l.id),
    practices = (SELECT COUNT(*) FROM hub_practised p WHERE p.learner_id = l.id),
    attended = COALESCE((SELECT a.times FROM hub_attended a WHERE a.learner_id = l.id), 0),
    modules = (SELECT COUNT(*) FROM (
        SELECT i.module FROM hub_module_items i
        LEFT JOIN hub_finished f ON i.kind = 'lesson' AND f.learner_id = l.id AND f.lesson_id = i.item
        LEFT JOIN hub_practised p ON i.kind = 'scenario' AND p.learner_id = l.id AND p.scenario_id = i.item
        GROUP BY i.module HAVING COUNT(*) = COUNT(f.lesson_id) + COUNT(p.scenario_id)) done);
