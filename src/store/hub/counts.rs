//! The dashboard's counts, on both engines: what a batch's new events add (`Counts`), how
//! SQLite adds them (`add_counts`; PostgreSQL's is in `postgres`), each learner's tallies
//! made again (`retally`), and a breakdown's sums: `hub_sums`, each line's learners and
//! tallies, changed by what changed of a batch's learners (`sum_changes`) or made again
//! (`resum`), and read a breakdown at a time (`Dimension`, `Tally`, `tallies_sql`).

use std::collections::BTreeMap;

use rusqlite::{Connection, OptionalExtension};

use crate::protocol::wire::WireEvent;
use crate::store::Error;

/// What a batch's new events add to the dashboard's counts: each (learner, lesson) finished
/// (`lesson_finished`, or `live_attended` with its lesson), each (learner, scenario) won (a
/// `practice_finished` whose payload says `"win": true`, JSON true and nothing else, for a
/// string `"scenario"`), each learner's live attendances, and events a (day, kind), the day
/// from the box's `recorded_at`. Both engines add the same.
#[derive(Default)]
pub(in crate::store) struct Counts<'a> {
    pub finished: Vec<(&'a str, &'a str)>,
    pub practised: Vec<(&'a str, &'a str)>,
    pub attended: BTreeMap<&'a str, i64>,
    pub daily: BTreeMap<(&'a str, &'a str), i64>,
}

impl<'a> Counts<'a> {
    pub(in crate::store) fn of(events: impl IntoIterator<Item = &'a WireEvent>) -> Counts<'a> {
        let mut counts = Counts::default();
        for e in events {
            let day = e.recorded_at.get(..10).unwrap_or_default();
            *counts.daily.entry((day, e.kind.as_str())).or_default() += 1;
            let Some(learner) = e.learner.as_deref() else {
                continue;
            };
            match (e.kind.as_str(), e.lesson.as_deref()) {
                ("lesson_finished", Some(lesson)) => counts.finished.push((learner, lesson)),
                ("live_attended", lesson) => {
                    *counts.attended.entry(learner).or_default() += 1;
                    if let Some(lesson) = lesson {
                        counts.finished.push((learner, lesson));
                    }
                }
                ("practice_finished", _) => {
                    let won = e.payload.get("win") == Some(&serde_json::Value::Bool(true));
                    if let Some(scenario) = e.payload.get("scenario").and_then(|s| s.as_str())
                        && won
                    {
                        counts.practised.push((learner, scenario));
                    }
                }
                _ => {}
            }
        }
        counts
    }
}

/// Each learner's tallies made again from the counts, for the learners `which` names (a SQL
/// condition on `hub_learners.id`, or `TRUE` for all): lessons finished, scenarios won,
/// attendances, and modules completed (every item of the module in `hub_module_items` done).
/// The same text on both engines.
pub(in crate::store) fn retally(which: &str) -> String {
    format!(
        "UPDATE hub_learners SET
            lessons = (SELECT COUNT(*) FROM hub_finished f WHERE f.learner_id = hub_learners.id),
            practices = (SELECT COUNT(*) FROM hub_practised p WHERE p.learner_id = hub_learners.id),
            attended = COALESCE((SELECT a.times FROM hub_attended a WHERE a.learner_id = hub_learners.id), 0),
            modules = (SELECT COUNT(*) FROM (SELECT module, COUNT(*) AS items FROM hub_module_items GROUP BY module) m
                WHERE m.items = (SELECT COUNT(*) FROM hub_module_items i WHERE i.module = m.module AND (
                    (i.kind = 'lesson' AND EXISTS (SELECT 1 FROM hub_finished f
                        WHERE f.learner_id = hub_learners.id AND f.lesson_id = i.item))
                    OR (i.kind = 'scenario' AND EXISTS (SELECT 1 FROM hub_practised p
                        WHERE p.learner_id = hub_learners.id AND p.scenario_id = i.item)))))
         WHERE {which}"
    )
}

/// What a dashboard's breakdown groups learners by, as the hub holds them (the labels are
/// `hub::reach`'s).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dimension {
    Province,
    Commune,
    /// The commune and the village, as `Commune · Village`.
    Village,
    BirthYear,
    Gender,
    Ethnic,
}

impl Dimension {
    pub(in crate::store) const ALL: [Dimension; 6] = [
        Dimension::Province,
        Dimension::Commune,
        Dimension::Village,
        Dimension::BirthYear,
        Dimension::Gender,
        Dimension::Ethnic,
    ];

    /// Its name in `hub_sums.dimension`.
    fn name(self) -> &'static str {
        match self {
            Dimension::Province => "province",
            Dimension::Commune => "commune",
            Dimension::Village => "village",
            Dimension::BirthYear => "birth_year",
            Dimension::Gender => "gender",
            Dimension::Ethnic => "ethnic",
        }
    }

    /// A learner's line, as SQL on `hub_learners` (the same on both engines): `''` where
    /// the learner did not say.
    fn key_sql(self) -> &'static str {
        match self {
            Dimension::Province => "province",
            Dimension::Commune => "commune",
            Dimension::Village => "commune || ' · ' || village",
            Dimension::BirthYear => "COALESCE(CAST(birth_year AS TEXT), '')",
            Dimension::Gender => "COALESCE(gender, '')",
            Dimension::Ethnic => "COALESCE(ethnic_group, '')",
        }
    }

    /// A learner's line, as `key_sql` makes it.
    fn key(self, l: &Counted) -> String {
        match self {
            Dimension::Province => l.province.clone(),
            Dimension::Commune => l.commune.clone(),
            Dimension::Village => format!("{} · {}", l.commune, l.village),
            Dimension::BirthYear => l.birth_year.map(|y| y.to_string()).unwrap_or_default(),
            Dimension::Gender => l.gender.clone().unwrap_or_default(),
            Dimension::Ethnic => l.ethnic.clone().unwrap_or_default(),
        }
    }
}

/// A learner as the dashboard's sums count them: where they belong and their tallies
/// (lessons, practices, modules, attended). Read with `COUNTED` (its columns after the id).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(in crate::store) struct Counted {
    pub province: String,
    pub commune: String,
    pub village: String,
    pub birth_year: Option<i64>,
    pub gender: Option<String>,
    pub ethnic: Option<String>,
    pub tallies: [i64; 4],
}

/// The learners' rows `Counted` reads, the id first.
pub(in crate::store) const COUNTED: &str =
    "SELECT id, province, commune, village, birth_year, gender, ethnic_group,
    lessons, practices, modules, attended FROM hub_learners";

/// A change to one line of `hub_sums`: province, dimension, key, and what is added to
/// learners, lessons, practices, modules and attended (negative: taken away).
pub(in crate::store) type SumChange = ((String, &'static str, String), [i64; 5]);

/// What `hub_sums` gains when learners' rows go from `before` to `after` (by id; a learner
/// missing from `before` is new): each changed learner taken from their old lines and added
/// to their new ones. In key order (so transactions lock the lines in one order), without
/// the lines that do not change.
pub(in crate::store) fn sum_changes(
    before: &BTreeMap<String, Counted>,
    after: &BTreeMap<String, Counted>,
) -> Vec<SumChange> {
    let mut changes: BTreeMap<(String, &'static str, String), [i64; 5]> = BTreeMap::new();
    let mut count = |learner: &Counted, sign: i64| {
        for dimension in Dimension::ALL {
            let line = (
                learner.province.clone(),
                dimension.name(),
                dimension.key(learner),
            );
            let change = changes.entry(line).or_default();
            change[0] += sign;
            for (sum, tally) in change[1..].iter_mut().zip(learner.tallies) {
                *sum += sign * tally;
            }
        }
    };
    for (id, now) in after {
        match before.get(id) {
            Some(was) if was == now => {}
            Some(was) => {
                count(was, -1);
                count(now, 1);
            }
            None => count(now, 1),
        }
    }
    changes
        .into_iter()
        .filter(|(_, change)| change.iter().any(|n| *n != 0))
        .collect()
}

/// `hub_sums` made again from every learner's row (after every tally changed), the same
/// text on both engines.
pub(in crate::store) fn resum() -> String {
    let mut sql = String::from("DELETE FROM hub_sums;\n");
    for dimension in Dimension::ALL {
        sql.push_str(&format!(
            "INSERT INTO hub_sums (province, dimension, key, learners, lessons, practices, modules, attended)
             SELECT province, '{name}', {key}, COUNT(*), SUM(lessons), SUM(practices), SUM(modules), SUM(attended)
             FROM hub_learners GROUP BY province, {key};\n",
            name = dimension.name(),
            key = dimension.key_sql(),
        ));
    }
    sql
}

/// One line of a breakdown as the hub sums it: learners and their tallies.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// The learners' province when asked per province; empty otherwise.
    pub province: String,
    /// The dimension's value; `None` for learners who did not say.
    pub key: Option<String>,
    pub learners: i64,
    pub lessons: i64,
    pub practices: i64,
    pub modules: i64,
    pub attended: i64,
}

/// The breakdown's query: the lines of `hub_sums` in scope (`?1`/`$1`: a province or
/// NULL), per province too when `per_province`; a line nobody is in any more left out.
pub(in crate::store) fn tallies_sql(
    dimension: Dimension,
    per_province: bool,
    param: &str,
) -> String {
    let province = if per_province { "province" } else { "''" };
    let key = match dimension {
        Dimension::Province | Dimension::Commune | Dimension::Village => "key",
        _ => "NULLIF(key, '')",
    };
    format!(
        "SELECT {province}, {key}, CAST(SUM(learners) AS BIGINT), CAST(SUM(lessons) AS BIGINT),
                CAST(SUM(practices) AS BIGINT), CAST(SUM(modules) AS BIGINT), CAST(SUM(attended) AS BIGINT)
         FROM hub_sums WHERE dimension = '{name}' AND learners > 0 AND ({param} IS NULL OR province = {param})
         GROUP BY 1, 2",
        name = dimension.name(),
    )
}

/// Adds `changes` to `hub_sums` (SQLite; PostgreSQL's is in `postgres`).
pub(super) fn add_sums(conn: &Connection, changes: &[SumChange]) -> Result<(), Error> {
    let mut add = conn.prepare_cached(
        "INSERT INTO hub_sums (province, dimension, key, learners, lessons, practices, modules, attended)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (province, dimension, key) DO UPDATE SET learners = learners + excluded.learners,
             lessons = lessons + excluded.lessons, practices = practices + excluded.practices,
             modules = modules + excluded.modules, attended = attended + excluded.attended",
    )?;
    for ((province, dimension, key), [learners, lessons, practices, modules, attended]) in changes {
        add.execute((
            province, dimension, key, learners, lessons, practices, modules, attended,
        ))?;
    }
    Ok(())
}

/// The rows of the learners `ids` names, as the sums count them (SQLite).
pub(super) fn counted(
    conn: &Connection,
    ids: &std::collections::BTreeSet<&str>,
) -> Result<BTreeMap<String, Counted>, Error> {
    let mut stmt = conn.prepare_cached(&format!("{COUNTED} WHERE id = ?1"))?;
    let mut rows = BTreeMap::new();
    for id in ids {
        let found = stmt
            .query_row([id], |r| {
                Ok(Counted {
                    province: r.get(1)?,
                    commune: r.get(2)?,
                    village: r.get(3)?,
                    birth_year: r.get(4)?,
                    gender: r.get(5)?,
                    ethnic: r.get(6)?,
                    tallies: [r.get(7)?, r.get(8)?, r.get(9)?, r.get(10)?],
                })
            })
            .optional()?;
        if let Some(found) = found {
            rows.insert(id.to_string(), found);
        }
    }
    Ok(rows)
}

/// Adds a batch's `counts` to the dashboard's tables, for a box of `commune` in `province`.
pub(super) fn add_counts(
    conn: &Connection,
    counts: &Counts<'_>,
    province: &str,
    commune: &str,
) -> Result<(), Error> {
    let mut finished = conn.prepare_cached(
        "INSERT OR IGNORE INTO hub_finished (learner_id, lesson_id, province) VALUES (?1, ?2, ?3)",
    )?;
    for (learner, lesson) in &counts.finished {
        finished.execute((learner, lesson, province))?;
    }
    let mut practised = conn.prepare_cached(
        "INSERT OR IGNORE INTO hub_practised (learner_id, scenario_id, province) VALUES (?1, ?2, ?3)",
    )?;
    for (learner, scenario) in &counts.practised {
        practised.execute((learner, scenario, province))?;
    }
    let mut attended = conn.prepare_cached(
        "INSERT INTO hub_attended (learner_id, province, times) VALUES (?1, ?2, ?3)
         ON CONFLICT (learner_id) DO UPDATE SET times = times + excluded.times",
    )?;
    for (learner, times) in &counts.attended {
        attended.execute((learner, province, times))?;
    }
    let mut daily = conn.prepare_cached(
        "INSERT INTO hub_daily (day, province, commune, kind, events) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (day, province, commune, kind) DO UPDATE SET events = events + excluded.events",
    )?;
    for ((day, kind), events) in &counts.daily {
        daily.execute((day, province, commune, kind, events))?;
    }
    Ok(())
}
