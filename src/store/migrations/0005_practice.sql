-- 0005: practice scenarios. One row a learner and scenario, kept in step with the
-- `practice_step` and `practice_finished` events in the same transaction: where the run last
-- moved stands (so a learner continues where they were), and what the finished runs achieved.

CREATE TABLE practice (
    learner_id  TEXT NOT NULL REFERENCES learners (id),
    scenario_id TEXT NOT NULL,                -- `module/slug`
    run_id      TEXT NOT NULL,                -- the run that moved last
    at          TEXT NOT NULL,                -- the step or end it reached
    runs        INTEGER NOT NULL,             -- runs that reached an end
    first_win   INTEGER CHECK (first_win IN (0, 1)), -- the first finished run kept safe
    won_at      TEXT,                         -- the first success, by the box's clock
    PRIMARY KEY (learner_id, scenario_id)
) STRICT, WITHOUT ROWID;
