-- 0009: the dashboard's sums, kept as batches arrive, so a page reads a few thousand lines
-- however many learners there are: for each province, breakdown (`dimension`: province,
-- commune, village, birth_year, gender, ethnic) and line (`key`; '' where the learner did not
-- say), the learners in it and the sum of their tallies. A batch changes the lines of the
-- learners it changed, in its own transaction; filled here from every learner.

CREATE TABLE hub_sums (
    province  TEXT NOT NULL,
    dimension TEXT NOT NULL,
    key       TEXT NOT NULL,
    learners  INTEGER NOT NULL,
    lessons   INTEGER NOT NULL,
    practices INTEGER NOT NULL,
    modules   INTEGER NOT NULL,
    attended  INTEGER NOT NULL,
    PRIMARY KEY (province, dimension, key)
) STRICT, WITHOUT ROWID;

INSERT INTO hub_sums (province, dimension, key, learners, lessons, practices, modules, attended)
    SELECT province, 'province', province, COUNT(*), SUM(lessons), SUM(practices), SUM(modules), SUM(attended)
    FROM hub_learners GROUP BY province, province;
INSERT INTO hub_sums (province, dimension, key, learners, lessons, practices, modules, attended)
    SELECT province, 'commune', commune, COUNT(*), SUM(lessons), SUM(practices), SUM(modules), SUM(attended)
    FROM hub_learners GROUP BY province, commune;
INSERT INTO hub_sums (province, dimension, key, learners, lessons, practices, modules, attended)
    SELECT province, 'village', commune || ' · ' || village, COUNT(*), SUM(lessons), SUM(practices), SUM(modules), SUM(attended)
    FROM hub_learners GROUP BY province, commune || ' · ' || village;
INSERT INTO hub_sums (province, dimension, key, learners, lessons, practices, modules, attended)
    SELECT province, 'birth_year', COALESCE(CAST(birth_year AS TEXT), ''), COUNT(*), SUM(lessons), SUM(practices), SUM(modules), SUM(attended)
    FROM hub_learners GROUP BY province, COALESCE(CAST(birth_year AS TEXT), '');
INSERT INTO hub_sums (province, dimension, key, learners, lessons, practices, modules, attended)
    SELECT province, 'gender', COALESCE(gender, ''), COUNT(*), SUM(lessons), SUM(practices), SUM(modules), SUM(attended)
    FROM hub_learners GROUP BY province, COALESCE(gender, '');
INSERT INTO hub_sums (province, dimension, key, learners, lessons, practices, modules, attended)
    SELECT province, 'ethnic', COALESCE(ethnic_group, ''), COUNT(*), SUM(lessons), SUM(practices), SUM(modules), SUM(attended)
    FROM hub_learners GROUP BY province, COALESCE(ethnic_group, '');
