-- 0004: the dashboard's sums (as SQLite's 0009), kept in the transaction that takes a
-- batch: for each province, breakdown and line, the learners in it and their tallies.

CREATE TABLE hub_sums (
    province  text NOT NULL,
    dimension text NOT NULL,
    key       text NOT NULL,
    learners  bigint NOT NULL,
    lessons   bigint NOT NULL,
    practices bigint NOT NULL,
    modules   bigint NOT NULL,
    attended  bigint NOT NULL,
    PRIMARY KEY (province, dimension, key)
);

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
