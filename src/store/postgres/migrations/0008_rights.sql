-- 0008: the learner's data rights (as SQLite's 0013 on a hub): when a learner was erased, so
-- a batch sent again never brings the profile back.

ALTER TABLE hub_learners ADD COLUMN erased_at text;
