//! The province's live lesson on PostgreSQL (as SQLite's `hub::live`, with the same answers):
//! a session changes only from the version it was read at, whichever process moves it; one
//! start at a time across processes (an advisory lock), so two open sessions never cover one
//! hall; a hall's report replaces its last.

use tokio_postgres::Row;

use super::Postgres;
use crate::protocol::live::LiveReport;
use crate::store::Error;
use crate::store::hub::{
    BoxPlace, ENDED_TOLD, HubHall, HubLive, LIVE_COLUMNS, LiveMove, NewHubLive, Scope, answers_of,
    communes_json, communes_of,
};

/// The advisory lock a start holds: one start at a time on the whole hub.
const START_LOCK: i64 = 0x686f_6373_6f4c;

fn session(row: &Row) -> HubLive {
    HubLive {
        id: row.get(0),
        province: row.get(1),
        communes: communes_of(row.get(2)),
        lesson_id: row.get(3),
        step: row.get::<_, i64>(4) as usize,
        revealed: row.get(5),
        show_total: row.get(6),
        version: row.get(7),
        started_by: row.get(8),
        started_at: row.get(9),
        ended_at: row.get(10),
    }
}

impl Postgres {
    pub async fn live_start(&self, new: NewHubLive) -> Result<Option<HubLive>, Error> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&START_LOCK])
            .await?;
        let clash: bool = tx
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM hub_live WHERE ended_at IS NULL
                   AND (province IS NULL OR $1::text IS NULL OR province = $1))",
                &[&new.province],
            )
            .await?
            .get(0);
        if clash {
            return Ok(None);
        }
        let id = uuid::Uuid::now_v7().to_string();
        let row = tx
            .query_one(
                &format!(
                    "INSERT INTO hub_live (id, province, communes, lesson_id, started_by, started_at)
                     VALUES ($1, $2, $3, $4, $5, $6) RETURNING {LIVE_COLUMNS}"
                ),
                &[
                    &id,
                    &new.province,
                    &communes_json(&new.communes),
                    &new.lesson_id,
                    &new.started_by,
                    &self.now(),
                ],
            )
            .await?;
        tx.commit().await?;
        Ok(Some(session(&row)))
    }

    pub async fn live_current(&self) -> Result<Vec<HubLive>, Error> {
        let rows = self
            .client()
            .await?
            .query(
                &format!(
                    "SELECT {LIVE_COLUMNS} FROM hub_live WHERE ended_at IS NULL
                     UNION SELECT * FROM (SELECT {LIVE_COLUMNS} FROM hub_live
                       WHERE ended_at IS NOT NULL ORDER BY id DESC LIMIT $1) ended
                     ORDER BY id"
                ),
                &[&ENDED_TOLD],
            )
            .await?;
        Ok(rows.iter().map(session).collect())
    }

    pub async fn live_session(&self, id: &str) -> Result<Option<HubLive>, Error> {
        let row = self
            .client()
            .await?
            .query_opt(
                &format!("SELECT {LIVE_COLUMNS} FROM hub_live WHERE id = $1"),
                &[&id],
            )
            .await?;
        Ok(row.as_ref().map(session))
    }

    pub async fn live_sessions(&self, scope: &Scope, limit: usize) -> Result<Vec<HubLive>, Error> {
        let rows = self
            .client()
            .await?
            .query(
                &format!(
                    "SELECT {LIVE_COLUMNS} FROM hub_live
                     WHERE $1::text IS NULL OR province = $1 ORDER BY id DESC LIMIT $2"
                ),
                &[&scope.province(), &(limit as i64)],
            )
            .await?;
        Ok(rows.iter().map(session).collect())
    }

    pub async fn live_move(
        &self,
        id: &str,
        version: i64,
        to: LiveMove,
    ) -> Result<Option<HubLive>, Error> {
        let row = self
            .client()
            .await?
            .query_opt(
                &format!(
                    "UPDATE hub_live SET step = $3, revealed = $4, show_total = $5,
                       version = version + 1, ended_at = CASE WHEN $6 THEN $7 END
                     WHERE id = $1 AND version = $2 AND ended_at IS NULL
                     RETURNING {LIVE_COLUMNS}"
                ),
                &[
                    &id,
                    &version,
                    &(to.step as i64),
                    &to.revealed,
                    &to.show_total,
                    &to.end,
                    &self.now(),
                ],
            )
            .await?;
        Ok(row.as_ref().map(session))
    }

    pub async fn live_report(&self, place: &BoxPlace, report: &LiveReport) -> Result<bool, Error> {
        let Some(session_id) = &report.session else {
            return Ok(false);
        };
        let answers = serde_json::to_string(&report.answers).expect("numbers serialize");
        let kept = self
            .client()
            .await?
            .execute(
                "INSERT INTO hub_live_halls (session_id, box_id, province, commune, step, led_here, missing,
                   present, answers, first_seen, last_seen, reports)
                 SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, 1
                 FROM hub_live WHERE id = $1 AND ended_at IS NULL
                 ON CONFLICT (session_id, box_id) DO UPDATE SET step = excluded.step,
                   led_here = excluded.led_here, missing = excluded.missing,
                   present = excluded.present, answers = excluded.answers,
                   last_seen = excluded.last_seen, reports = hub_live_halls.reports + 1",
                &[
                    session_id,
                    &report.box_id,
                    &place.province,
                    &place.commune,
                    &(report.step as i64),
                    &report.led_here,
                    &report.missing,
                    &i64::from(report.present),
                    &answers,
                    &self.now(),
                ],
            )
            .await?;
        Ok(kept == 1)
    }

    pub async fn live_halls(&self, id: &str) -> Result<Vec<HubHall>, Error> {
        let rows = self
            .client()
            .await?
            .query(
                "SELECT box_id, province, commune, step, led_here, missing, present, answers,
                   first_seen, last_seen, reports
                 FROM hub_live_halls WHERE session_id = $1 ORDER BY province, commune, box_id",
                &[&id],
            )
            .await?;
        Ok(rows
            .iter()
            .map(|row| HubHall {
                box_id: row.get(0),
                province: row.get(1),
                commune: row.get(2),
                step: row.get::<_, i64>(3) as usize,
                led_here: row.get(4),
                missing: row.get(5),
                present: row.get::<_, i64>(6) as u32,
                answers: answers_of(&row.get::<_, String>(7)),
                first_seen: row.get(8),
                last_seen: row.get(9),
                reports: row.get(10),
            })
            .collect())
    }

    pub async fn box_place(&self, box_id: &str) -> Result<Option<BoxPlace>, Error> {
        let row = self
            .client()
            .await?
            .query_opt(
                "SELECT public_key, province, commune FROM hub_boxes WHERE box_id = $1",
                &[&box_id],
            )
            .await?;
        Ok(row.map(|r| BoxPlace {
            key: r.get(0),
            province: r.get(1),
            commune: r.get(2),
        }))
    }
}
