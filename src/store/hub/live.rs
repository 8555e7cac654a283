//! A live lesson the province leads, on a hub's SQLite (PostgreSQL's is `postgres::live`, with
//! the same answers): the province's sessions (`hub_live`), each changed only from the version
//! it was read at, so two officers (or the page and `hocso hub live next`) pressing "next" on
//! one step move it once; and each hall's last report of its room (`hub_live_halls`), which a
//! report replaces whole. The rules (which step comes next, who is invited) are `hub::live`'s.

use rusqlite::{Connection, OptionalExtension, Row};

use super::{Scope, SqliteHub};
use crate::protocol::live::LiveReport;
use crate::store::{Error, now};

/// A session of the province's live lesson.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HubLive {
    pub id: String,
    /// `None`: every province of the hub.
    pub province: Option<String>,
    /// The communes invited, by name; `None`: every commune.
    pub communes: Option<Vec<String>>,
    pub lesson_id: String,
    pub step: usize,
    pub revealed: bool,
    /// The halls' projectors show the whole province's answers.
    pub show_total: bool,
    pub version: i64,
    pub started_by: String,
    pub started_at: String,
    pub ended_at: Option<String>,
}

/// A session to start.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewHubLive {
    pub province: Option<String>,
    pub communes: Option<Vec<String>>,
    pub lesson_id: String,
    pub started_by: String,
}

/// Where a session goes: its new place, or its end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LiveMove {
    pub step: usize,
    pub revealed: bool,
    pub show_total: bool,
    pub end: bool,
}

/// A hall's last report of its room in a session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HubHall {
    pub box_id: String,
    pub province: String,
    pub commune: String,
    pub step: usize,
    pub led_here: bool,
    pub missing: bool,
    pub present: u32,
    /// Per question, how many chose each choice.
    pub answers: Vec<Vec<u32>>,
    pub first_seen: String,
    pub last_seen: String,
    pub reports: i64,
}

/// Where a box is, as the hub enrolled it, and the key its messages are checked with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BoxPlace {
    pub key: String,
    pub province: String,
    pub commune: String,
}

/// How many sessions that ended are still told to the halls (a hall cut while its session
/// ended learns it so).
pub const ENDED_TOLD: i64 = 10;

pub(in crate::store) const COLUMNS: &str = "id, province, communes, lesson_id, step, revealed, show_total, version, started_by, started_at, ended_at";

pub(in crate::store) fn communes_json(communes: &Option<Vec<String>>) -> Option<String> {
    communes
        .as_ref()
        .map(|c| serde_json::to_string(c).expect("names serialize"))
}

pub(in crate::store) fn communes_of(json: Option<String>) -> Option<Vec<String>> {
    json.and_then(|j| serde_json::from_str(&j).ok())
}

pub(in crate::store) fn answers_of(json: &str) -> Vec<Vec<u32>> {
    serde_json::from_str(json).unwrap_or_default()
}

fn session(row: &Row) -> rusqlite::Result<HubLive> {
    Ok(HubLive {
        id: row.get(0)?,
        province: row.get(1)?,
        communes: communes_of(row.get(2)?),
        lesson_id: row.get(3)?,
        step: row.get::<_, i64>(4)? as usize,
        revealed: row.get::<_, i64>(5)? != 0,
        show_total: row.get::<_, i64>(6)? != 0,
        version: row.get(7)?,
        started_by: row.get(8)?,
        started_at: row.get(9)?,
        ended_at: row.get(10)?,
    })
}

fn by_id(conn: &Connection, id: &str) -> Result<Option<HubLive>, Error> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM hub_live WHERE id = ?1"),
            [id],
            session,
        )
        .optional()?)
}

impl SqliteHub {
    /// Starts a session; `None` if an open one covers the same halls (the same province, or
    /// one of them every province).
    pub async fn live_start(&self, new: NewHubLive) -> Result<Option<HubLive>, Error> {
        self.store
            .write(move |conn| {
                let clash: bool = conn.query_row(
                    "SELECT EXISTS (SELECT 1 FROM hub_live WHERE ended_at IS NULL
                       AND (province IS NULL OR ?1 IS NULL OR province = ?1))",
                    [&new.province],
                    |r| r.get(0),
                )?;
                if clash {
                    return Ok(None);
                }
                let id = uuid::Uuid::now_v7().to_string();
                conn.execute(
                    "INSERT INTO hub_live (id, province, communes, lesson_id, started_by, started_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    (&id, &new.province, communes_json(&new.communes), &new.lesson_id, &new.started_by, now()),
                )?;
                by_id(conn, &id)
            })
            .await
    }

    /// The open sessions, and the last few that ended, oldest first.
    pub async fn live_current(&self) -> Result<Vec<HubLive>, Error> {
        self.store
            .read(move |conn| {
                let mut sessions: Vec<HubLive> = conn
                    .prepare_cached(&format!(
                        "SELECT {COLUMNS} FROM hub_live WHERE ended_at IS NULL
                         UNION SELECT * FROM (SELECT {COLUMNS} FROM hub_live
                           WHERE ended_at IS NOT NULL ORDER BY id DESC LIMIT ?1)"
                    ))?
                    .query_map([ENDED_TOLD], session)?
                    .collect::<Result<_, _>>()?;
                sessions.sort_by(|a, b| a.id.cmp(&b.id));
                Ok(sessions)
            })
            .await
    }

    pub async fn live_session(&self, id: &str) -> Result<Option<HubLive>, Error> {
        let id = id.to_string();
        self.store.read(move |conn| by_id(conn, &id)).await
    }

    /// The latest sessions an officer of `scope` led, newest first.
    pub async fn live_sessions(&self, scope: &Scope, limit: usize) -> Result<Vec<HubLive>, Error> {
        let province = scope.province().map(str::to_string);
        self.store
            .read(move |conn| {
                Ok(conn
                    .prepare_cached(&format!(
                        "SELECT {COLUMNS} FROM hub_live
                         WHERE ?1 IS NULL OR province = ?1 ORDER BY id DESC LIMIT ?2"
                    ))?
                    .query_map((&province, limit as i64), session)?
                    .collect::<Result<_, _>>()?)
            })
            .await
    }

    /// Moves session `id` as `to` says, if it is open and still at `version`; the session as
    /// it is then, or `None` if it was not moved.
    pub async fn live_move(
        &self,
        id: &str,
        version: i64,
        to: LiveMove,
    ) -> Result<Option<HubLive>, Error> {
        let id = id.to_string();
        self.store
            .write(move |conn| {
                let moved = conn.execute(
                    "UPDATE hub_live SET step = ?3, revealed = ?4, show_total = ?5, version = version + 1,
                       ended_at = CASE WHEN ?6 THEN ?7 END
                     WHERE id = ?1 AND version = ?2 AND ended_at IS NULL",
                    (&id, version, to.step as i64, to.revealed, to.show_total, to.end, now()),
                )?;
                if moved == 0 {
                    return Ok(None);
                }
                by_id(conn, &id)
            })
            .await
    }

    /// Keeps a hall's report of its room in an open session, replacing its last; `false`
    /// (nothing kept) if the session is not open.
    pub async fn live_report(&self, place: &BoxPlace, report: &LiveReport) -> Result<bool, Error> {
        let (place, report) = (place.clone(), report.clone());
        self.store
            .write(move |conn| {
                let Some(session) = &report.session else {
                    return Ok(false);
                };
                let answers = serde_json::to_string(&report.answers).expect("numbers serialize");
                let at = now();
                let kept = conn.execute(
                    "INSERT INTO hub_live_halls (session_id, box_id, province, commune, step, led_here, missing,
                       present, answers, first_seen, last_seen, reports)
                     SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, 1
                     FROM hub_live WHERE id = ?1 AND ended_at IS NULL
                     ON CONFLICT (session_id, box_id) DO UPDATE SET step = excluded.step,
                       led_here = excluded.led_here, missing = excluded.missing,
                       present = excluded.present, answers = excluded.answers,
                       last_seen = excluded.last_seen, reports = reports + 1",
                    (
                        session, &report.box_id, &place.province, &place.commune,
                        report.step as i64, report.led_here, report.missing,
                        i64::from(report.present), &answers, &at,
                    ),
                )?;
                Ok(kept == 1)
            })
            .await
    }

    /// Every hall's last report in session `id`, by commune.
    pub async fn live_halls(&self, id: &str) -> Result<Vec<HubHall>, Error> {
        let id = id.to_string();
        self.store
            .read(move |conn| {
                Ok(conn
                    .prepare_cached(
                        "SELECT box_id, province, commune, step, led_here, missing, present, answers,
                           first_seen, last_seen, reports
                         FROM hub_live_halls WHERE session_id = ?1 ORDER BY province, commune, box_id",
                    )?
                    .query_map([&id], |row| {
                        Ok(HubHall {
                            box_id: row.get(0)?,
                            province: row.get(1)?,
                            commune: row.get(2)?,
                            step: row.get::<_, i64>(3)? as usize,
                            led_here: row.get::<_, i64>(4)? != 0,
                            missing: row.get::<_, i64>(5)? != 0,
                            present: row.get::<_, i64>(6)? as u32,
                            answers: answers_of(&row.get::<_, String>(7)?),
                            first_seen: row.get(8)?,
                            last_seen: row.get(9)?,
                            reports: row.get(10)?,
                        })
                    })?
                    .collect::<Result<_, _>>()?)
            })
            .await
    }

    /// Where box `box_id` is and its key; `None` if it is not enrolled here.
    pub async fn box_place(&self, box_id: &str) -> Result<Option<BoxPlace>, Error> {
        let box_id = box_id.to_string();
        self.store
            .read(move |conn| {
                Ok(conn
                    .query_row(
                        "SELECT public_key, province, commune FROM hub_boxes WHERE box_id = ?1",
                        [&box_id],
                        |r| {
                            Ok(BoxPlace {
                                key: r.get(0)?,
                                province: r.get(1)?,
                                commune: r.get(2)?,
                            })
                        },
                    )
                    .optional()?)
            })
            .await
    }
}
