//! The dashboard's counts, on both engines: what a batch's new events add (`Counts`), how
//! SQLite adds them (`add_counts`; PostgreSQL's is in `postgres`), each learner's tallies
//! made again (`retally`), and a breakdown's sums (`Dimension`, `Tally`, `tallies_sql`).

use std::collections::BTreeMap;

use rusqlite::Connection;

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
    /// The SQL of a line's key (text, or NULL for a learner who did not say).
    pub(in crate::store) fn key(self) -> &'static str {
        match self {
            Dimension::Province => "province",
            Dimension::Commune => "commune",
            Dimension::Village => "commune || ' · ' || village",
            Dimension::BirthYear => "CAST(birth_year AS TEXT)",
            Dimension::Gender => "gender",
            Dimension::Ethnic => "ethnic_group",
        }
    }
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

/// The breakdown's query: learners in scope (`?1`/`$1`: a province or NULL) summed by the
/// dimension, per province too when `per_province`.
pub(in crate::store) fn tallies_sql(
    dimension: Dimension,
    per_province: bool,
    param: &str,
) -> String {
    let province = if per_province { "province" } else { "''" };
    format!(
        "SELECT {province}, {key}, COUNT(*), CAST(SUM(lessons) AS BIGINT), CAST(SUM(practices) AS BIGINT),
                CAST(SUM(modules) AS BIGINT), CAST(SUM(attended) AS BIGINT)
         FROM hub_learners WHERE ({param} IS NULL OR province = {param}) GROUP BY 1, 2",
        key = dimension.key(),
    )
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
