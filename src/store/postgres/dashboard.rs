//! The dashboard's counts and sums on PostgreSQL (as SQLite's `hub::counts` and
//! `hub::dashboard`): what a batch adds to them in its transaction (`add_counts`, the
//! learners' tallies made again with `RETALLY_SOME`, `counted` and `add_sums`), and what a
//! dashboard reads of them.

use std::collections::BTreeMap;

use super::Postgres;
use crate::store::hub::{
    COUNTED, Counted, Counts, Dimension, Scope, SumChange, Tally, resum, retally, tallies_sql,
};
use crate::store::{Error, Finished, Practised};

/// `super::hub::retally` for the learners `$1` names, set-based: their done items read once
/// and joined with what completes each module, instead of a probe per item and learner.
/// The done items are read a learner at a time by the key whatever the planner's statistics
/// say: until the first `ANALYZE` of a new hub's tables (autovacuum's, which may come a
/// minute or more into a bulk load) the planner guesses a learner has 0.5 % of the table,
/// and it planned `= ANY`, and a plain `LATERAL` (which it flattens into a join), as a scan
/// of every finished lesson and practice, batch after batch. `OFFSET 0` keeps each
/// `LATERAL` a subquery of its own, run once a learner with the key bound.
pub(super) const RETALLY_SOME: &str = "
WITH who AS (SELECT DISTINCT id FROM unnest($1::text[]) AS w (id)),
done AS (
    SELECT who.id AS learner_id, 'lesson'::text AS kind, f.lesson_id AS item
    FROM who, LATERAL (SELECT lesson_id FROM hub_finished WHERE learner_id = who.id OFFSET 0) f
    UNION ALL
    SELECT who.id, 'scenario'::text, p.scenario_id
    FROM who, LATERAL (SELECT scenario_id FROM hub_practised WHERE learner_id = who.id OFFSET 0) p),
sizes AS (SELECT module, COUNT(*) AS items FROM hub_module_items GROUP BY module),
complete AS (
    SELECT per.learner_id, COUNT(*) AS modules FROM (
        SELECT d.learner_id, i.module, COUNT(*) AS n FROM done d
        JOIN hub_module_items i ON i.kind = d.kind AND i.item = d.item GROUP BY 1, 2) per
    JOIN sizes s ON s.module = per.module AND s.items = per.n GROUP BY 1),
tallies AS (
    SELECT w.id,
           COUNT(*) FILTER (WHERE d.kind = 'lesson') AS lessons,
           COUNT(*) FILTER (WHERE d.kind = 'scenario') AS practices
    FROM unnest($1::text[]) AS w (id) LEFT JOIN done d ON d.learner_id = w.id GROUP BY w.id)
UPDATE hub_learners l SET
    lessons = t.lessons,
    practices = t.practices,
    attended = COALESCE((SELECT a.times FROM hub_attended a WHERE a.learner_id = l.id), 0),
    modules = COALESCE((SELECT c.modules FROM complete c WHERE c.learner_id = l.id), 0)
FROM tallies t WHERE l.id = t.id";

impl Postgres {
    pub async fn finished(&self, scope: &Scope) -> Result<Vec<Finished>, Error> {
        let rows = self
            .client()
            .await?
            .query(
                "SELECT learner_id, lesson_id FROM hub_finished WHERE ($1::text IS NULL OR province = $1)",
                &[&scope.province()],
            )
            .await?;
        Ok(rows
            .iter()
            .map(|r| Finished {
                learner_id: r.get(0),
                lesson_id: r.get(1),
            })
            .collect())
    }

    pub async fn practised(&self, scope: &Scope) -> Result<Vec<Practised>, Error> {
        let rows = self
            .client()
            .await?
            .query(
                "SELECT learner_id, scenario_id FROM hub_practised WHERE ($1::text IS NULL OR province = $1)",
                &[&scope.province()],
            )
            .await?;
        Ok(rows
            .iter()
            .map(|r| Practised {
                learner_id: r.get(0),
                scenario_id: r.get(1),
            })
            .collect())
    }

    pub async fn attendance(&self, scope: &Scope) -> Result<Vec<(String, i64)>, Error> {
        let rows = self
            .client()
            .await?
            .query(
                "SELECT learner_id, times FROM hub_attended WHERE ($1::text IS NULL OR province = $1)",
                &[&scope.province()],
            )
            .await?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
    }

    pub async fn tallies(
        &self,
        scope: &Scope,
        dimension: Dimension,
        per_province: bool,
    ) -> Result<Vec<Tally>, Error> {
        let rows = self
            .client()
            .await?
            .query(
                &tallies_sql(dimension, per_province, "$1::text"),
                &[&scope.province()],
            )
            .await?;
        Ok(rows
            .iter()
            .map(|r| Tally {
                province: r.get(0),
                key: r.get(1),
                learners: r.get(2),
                lessons: r.get::<_, Option<i64>>(3).unwrap_or_default(),
                practices: r.get::<_, Option<i64>>(4).unwrap_or_default(),
                modules: r.get::<_, Option<i64>>(5).unwrap_or_default(),
                attended: r.get::<_, Option<i64>>(6).unwrap_or_default(),
            })
            .collect())
    }

    /// `HubStore::set_modules`; processes starting together write and recount once.
    pub async fn set_modules(&self, items: Vec<(String, String, String)>) -> Result<bool, Error> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        tx.execute("LOCK TABLE hub_module_items IN EXCLUSIVE MODE", &[])
            .await?;
        let mut held: Vec<(String, String, String)> = tx
            .query("SELECT module, kind, item FROM hub_module_items", &[])
            .await?
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2)))
            .collect();
        let mut wanted = items;
        held.sort();
        wanted.sort();
        wanted.dedup();
        if held == wanted {
            return Ok(false);
        }
        tx.execute("DELETE FROM hub_module_items", &[]).await?;
        for (module, kind, item) in &wanted {
            tx.execute(
                "INSERT INTO hub_module_items (module, kind, item) VALUES ($1, $2, $3)",
                &[module, kind, item],
            )
            .await?;
        }
        tx.execute(&retally("TRUE"), &[]).await?;
        tx.batch_execute(&resum()).await?;
        tx.commit().await?;
        Ok(true)
    }

    pub async fn daily(&self, scope: &Scope, since: &str) -> Result<Vec<(String, i64)>, Error> {
        let rows = self
            .client()
            .await?
            .query(
                "SELECT day, SUM(events)::bigint FROM hub_daily
                 WHERE ($1::text IS NULL OR province = $1) AND day >= $2 GROUP BY day ORDER BY day",
                &[&scope.province(), &since],
            )
            .await?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
    }
}

/// The rows of the learners `ids` names, as the sums count them.
pub(super) async fn counted(
    tx: &deadpool_postgres::Transaction<'_>,
    ids: &[&str],
) -> Result<BTreeMap<String, Counted>, Error> {
    let rows = tx
        .query(&format!("{COUNTED} WHERE id = ANY($1)"), &[&ids])
        .await?;
    Ok(rows
        .iter()
        .map(|r| {
            let learner = Counted {
                province: r.get(1),
                commune: r.get(2),
                village: r.get(3),
                birth_year: r.get(4),
                gender: r.get(5),
                ethnic: r.get(6),
                tallies: [r.get(7), r.get(8), r.get(9), r.get(10)],
            };
            (r.get(0), learner)
        })
        .collect())
}

/// Adds `changes` to `hub_sums` (`super::hub`'s `add_sums`), as arrays, in their order.
pub(super) async fn add_sums(
    tx: &deadpool_postgres::Transaction<'_>,
    changes: &[SumChange],
) -> Result<(), Error> {
    if changes.is_empty() {
        return Ok(());
    }
    let column = |i: usize| changes.iter().map(|(_, c)| c[i]).collect::<Vec<i64>>();
    let provinces: Vec<&str> = changes.iter().map(|((p, _, _), _)| p.as_str()).collect();
    let dimensions: Vec<&str> = changes.iter().map(|((_, d, _), _)| *d).collect();
    let keys: Vec<&str> = changes.iter().map(|((_, _, k), _)| k.as_str()).collect();
    let (learners, lessons, practices, modules, attended) =
        (column(0), column(1), column(2), column(3), column(4));
    tx.execute(
        "INSERT INTO hub_sums (province, dimension, key, learners, lessons, practices, modules, attended)
         SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::bigint[],
                              $7::bigint[], $8::bigint[])
         ON CONFLICT (province, dimension, key) DO UPDATE SET learners = hub_sums.learners + excluded.learners,
             lessons = hub_sums.lessons + excluded.lessons, practices = hub_sums.practices + excluded.practices,
             modules = hub_sums.modules + excluded.modules, attended = hub_sums.attended + excluded.attended",
        &[&provinces, &dimensions, &keys, &learners, &lessons, &practices, &modules, &attended],
    )
    .await?;
    Ok(())
}

/// Adds a batch's `counts` to the dashboard's tables (`super::hub::add_counts`), as arrays.
pub(super) async fn add_counts(
    tx: &deadpool_postgres::Transaction<'_>,
    counts: &Counts<'_>,
    province: &str,
    commune: &str,
) -> Result<(), Error> {
    let (learners, lessons): (Vec<&str>, Vec<&str>) = counts.finished.iter().copied().unzip();
    tx.execute(
        "INSERT INTO hub_finished (learner_id, lesson_id, province)
         SELECT l, s, $3 FROM UNNEST($1::text[], $2::text[]) AS f (l, s) ON CONFLICT DO NOTHING",
        &[&learners, &lessons, &province],
    )
    .await?;
    let (learners, scenarios): (Vec<&str>, Vec<&str>) = counts.practised.iter().copied().unzip();
    tx.execute(
        "INSERT INTO hub_practised (learner_id, scenario_id, province)
         SELECT l, s, $3 FROM UNNEST($1::text[], $2::text[]) AS p (l, s) ON CONFLICT DO NOTHING",
        &[&learners, &scenarios, &province],
    )
    .await?;
    let (learners, times): (Vec<&str>, Vec<i64>) =
        counts.attended.iter().map(|(l, t)| (*l, *t)).unzip();
    tx.execute(
        "INSERT INTO hub_attended (learner_id, province, times)
         SELECT l, $3, t FROM UNNEST($1::text[], $2::bigint[]) AS a (l, t)
         ON CONFLICT (learner_id) DO UPDATE SET times = hub_attended.times + excluded.times",
        &[&learners, &times, &province],
    )
    .await?;
    let mut days = Vec::new();
    let mut kinds = Vec::new();
    let mut events = Vec::new();
    for ((day, kind), n) in &counts.daily {
        days.push(*day);
        kinds.push(*kind);
        events.push(*n);
    }
    tx.execute(
        "INSERT INTO hub_daily (day, province, commune, kind, events)
         SELECT d, $4, $5, k, n FROM UNNEST($1::text[], $2::text[], $3::bigint[]) AS c (d, k, n)
         ON CONFLICT (day, province, commune, kind) DO UPDATE SET events = hub_daily.events + excluded.events",
        &[&days, &kinds, &events, &province, &commune],
    )
    .await?;
    Ok(())
}
