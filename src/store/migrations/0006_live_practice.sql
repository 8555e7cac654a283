-- 0006: a live session can run a practice scenario instead of a lesson. `lesson_id` is then
-- the scenario's lesson, `step` counts the room's moves (a turn: a scenario's steps can lead
-- back to one already seen, and `live_answers.question` holds the turn a phone answered on),
-- and `practice_at` is the step or end the room stands at.

ALTER TABLE live_sessions ADD COLUMN scenario_id TEXT;  -- `module/slug`; NULL: a lesson
ALTER TABLE live_sessions ADD COLUMN practice_at TEXT;  -- the scenario's step or end now
