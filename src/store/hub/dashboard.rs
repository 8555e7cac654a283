//! What the dashboard reads of a SQLite hub: each learner and lesson finished, each scenario
//! won, attendance, a breakdown's lines of `hub_sums`, events a day; and the module items
//! the hub writes from the lessons it serves, every tally and sum made again when they
//! change. What a batch adds to them is `counts`.

use super::{SqliteHub, resum, retally, tallies_sql};
use crate::store::{Dimension, Error, Finished, Practised, Scope, Tally};

impl SqliteHub {
    pub async fn finished(&self, scope: &Scope) -> Result<Vec<Finished>, Error> {
        let province = scope.province().map(str::to_string);
        self.store.read(move |conn| {
            let mut stmt = conn.prepare(
                "SELECT learner_id, lesson_id FROM hub_finished WHERE (?1 IS NULL OR province = ?1)",
            )?;
            let rows = stmt.query_map([province], |r| {
                Ok(Finished {
                    learner_id: r.get(0)?,
                    lesson_id: r.get(1)?,
                })
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await
    }

    pub async fn practised(&self, scope: &Scope) -> Result<Vec<Practised>, Error> {
        let province = scope.province().map(str::to_string);
        self.store.read(move |conn| {
            let mut stmt = conn.prepare(
                "SELECT learner_id, scenario_id FROM hub_practised WHERE (?1 IS NULL OR province = ?1)",
            )?;
            let rows = stmt.query_map([province], |r| {
                Ok(Practised {
                    learner_id: r.get(0)?,
                    scenario_id: r.get(1)?,
                })
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await
    }

    pub async fn attendance(&self, scope: &Scope) -> Result<Vec<(String, i64)>, Error> {
        let province = scope.province().map(str::to_string);
        self.store
            .read(move |conn| {
                let mut stmt = conn.prepare(
                    "SELECT learner_id, times FROM hub_attended WHERE (?1 IS NULL OR province = ?1)",
                )?;
                let rows = stmt.query_map([province], |r| Ok((r.get(0)?, r.get(1)?)))?;
                Ok(rows.collect::<Result<_, _>>()?)
            })
            .await
    }

    pub async fn tallies(
        &self,
        scope: &Scope,
        dimension: Dimension,
        per_province: bool,
    ) -> Result<Vec<Tally>, Error> {
        let province = scope.province().map(str::to_string);
        self.store
            .read(move |conn| {
                let mut stmt = conn.prepare_cached(&tallies_sql(dimension, per_province, "?1"))?;
                let rows = stmt.query_map([province], |r| {
                    Ok(Tally {
                        province: r.get(0)?,
                        key: r.get(1)?,
                        learners: r.get(2)?,
                        lessons: r.get(3)?,
                        practices: r.get(4)?,
                        modules: r.get(5)?,
                        attended: r.get(6)?,
                    })
                })?;
                Ok(rows.collect::<Result<_, _>>()?)
            })
            .await
    }

    pub async fn set_modules(&self, items: Vec<(String, String, String)>) -> Result<bool, Error> {
        self.store
            .write(move |conn| {
                let mut held: Vec<(String, String, String)> = {
                    let mut stmt =
                        conn.prepare("SELECT module, kind, item FROM hub_module_items")?;
                    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
                    rows.collect::<Result<_, _>>()?
                };
                let mut wanted = items;
                held.sort();
                wanted.sort();
                wanted.dedup();
                if held == wanted {
                    return Ok(false);
                }
                conn.execute("DELETE FROM hub_module_items", [])?;
                let mut insert = conn.prepare(
                    "INSERT INTO hub_module_items (module, kind, item) VALUES (?1, ?2, ?3)",
                )?;
                for (module, kind, item) in &wanted {
                    insert.execute((module, kind, item))?;
                }
                conn.execute(&retally("TRUE"), [])?;
                conn.execute_batch(&resum())?;
                Ok(true)
            })
            .await
    }

    pub async fn daily(&self, scope: &Scope, since: &str) -> Result<Vec<(String, i64)>, Error> {
        let (province, since) = (scope.province().map(str::to_string), since.to_string());
        self.store
            .read(move |conn| {
                let mut stmt = conn.prepare(
                    "SELECT day, SUM(events) FROM hub_daily WHERE (?1 IS NULL OR province = ?1) AND day >= ?2
                     GROUP BY day ORDER BY day",
                )?;
                let rows = stmt.query_map((province, since), |r| Ok((r.get(0)?, r.get(1)?)))?;
                Ok(rows.collect::<Result<_, _>>()?)
            })
            .await
    }
}
