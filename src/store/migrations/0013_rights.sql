-- 0013: the learner's data rights. On a box: what each learner consented to (the version of
-- the notice they were shown, and separately the optional fields: birth year, gender, ethnic
-- group), and when a learner was erased (asked to be forgotten, or not seen for longer than
-- the box keeps names): the row stays, nameless, so the learning records it holds count on
-- anonymously. On a hub: when a learner was erased, so a batch sent again never brings the
-- profile back.

ALTER TABLE learners ADD COLUMN consent_notice INTEGER;          -- NULL: joined before notices
ALTER TABLE learners ADD COLUMN consent_optional INTEGER NOT NULL DEFAULT 0;
ALTER TABLE learners ADD COLUMN consent_at TEXT;
ALTER TABLE learners ADD COLUMN erased_at TEXT;
-- When the box last heard of a learner is read for every learner (retention, the dashboard):
-- their last sign-in among the sessions, by index.
CREATE INDEX sessions_by_learner ON sessions (learner_id, created_at);

ALTER TABLE hub_learners ADD COLUMN erased_at TEXT;
