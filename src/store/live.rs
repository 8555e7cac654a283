//! Live group lessons as they happen: the session, its step, who is present and what they
//! answered are written as they change (so a restart loses nothing), and ending the session
//! writes its events and closes it in one transaction. A session running a practice scenario
//! keeps the scenario and where the room stands; a phone's answer and the event it records are
//! written together, and so are the room's move and the ends it records. A hall's session
//! may follow the province's (`follow_province`): one a province session, kept like any other.

use rusqlite::{Connection, OptionalExtension};

use super::events::{NewEvent, insert_event};
use super::{Error, Store, now};

/// A live session as kept, with everything needed to pick it up after a restart.
#[derive(Clone, Debug, PartialEq)]
pub struct LiveRecord {
    pub id: String,
    pub code: String,
    pub group_id: Option<String>,
    pub lesson_id: String,
    /// `None`: the province started it (a hall following the province's session).
    pub facilitator_id: Option<String>,
    pub step: usize,
    pub revealed: bool,
    pub started_at: String,
    pub ended_at: Option<String>,
    /// The practice scenario the session runs (`module/slug`), if it runs one.
    pub scenario_id: Option<String>,
    /// The scenario's step or end the room stands at.
    pub practice_at: Option<String>,
    /// The hub's session this hall follows, if the province leads it.
    pub province_session: Option<String>,
    /// The province moves it now (`false`: the hall's facilitator, who took over, or who
    /// started it).
    pub led_by_province: bool,
    /// `(learner, "joined" | "ticked")`.
    pub present: Vec<(String, String)>,
    pub answers: Vec<LiveAnswer>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LiveAnswer {
    pub learner_id: String,
    pub question: usize,
    pub choice: usize,
}

/// Tries at finding a join code no open session holds.
const CODE_TRIES: usize = 50;

/// A session's own row, without who is present or what they answered.
fn session_row(conn: &Connection, id: &str) -> Result<Option<LiveRecord>, Error> {
    Ok(conn
        .query_row(
            "SELECT id, code, group_id, lesson_id, facilitator_id, step, revealed, started_at, ended_at,
                    scenario_id, practice_at, province_session, led_by
             FROM live_sessions WHERE id = ?1",
            [id],
            |row| {
                Ok(LiveRecord {
                    id: row.get(0)?,
                    code: row.get(1)?,
                    group_id: row.get(2)?,
                    lesson_id: row.get(3)?,
                    facilitator_id: row.get(4)?,
                    step: row.get::<_, i64>(5)? as usize,
                    revealed: row.get::<_, i64>(6)? != 0,
                    started_at: row.get(7)?,
                    ended_at: row.get(8)?,
                    scenario_id: row.get(9)?,
                    practice_at: row.get(10)?,
                    province_session: row.get(11)?,
                    led_by_province: row.get::<_, String>(12)? == "province",
                    present: Vec::new(),
                    answers: Vec::new(),
                })
            },
        )
        .optional()?)
}

/// A session with everyone present and every answer.
fn record_by_id(conn: &Connection, id: &str) -> Result<Option<LiveRecord>, Error> {
    let Some(mut record) = session_row(conn, id)? else {
        return Ok(None);
    };
    let mut stmt = conn.prepare_cached(
        "SELECT learner_id, how FROM live_attendance WHERE session_id = ?1 ORDER BY at",
    )?;
    record.present = stmt
        .query_map([id], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let mut stmt = conn.prepare_cached(
        "SELECT learner_id, question, choice FROM live_answers WHERE session_id = ?1",
    )?;
    record.answers = stmt
        .query_map([id], |row| {
            Ok(LiveAnswer {
                learner_id: row.get(0)?,
                question: row.get::<_, i64>(1)? as usize,
                choice: row.get::<_, i64>(2)? as usize,
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(Some(record))
}

impl Store {
    /// Opens a live session with a join code no other open session holds. With `practice`
    /// (`(scenario, its first step)`), the session runs that scenario of lesson `lesson_id`.
    pub async fn start_live(
        &self,
        group_id: Option<String>,
        lesson_id: &str,
        practice: Option<(&str, &str)>,
        facilitator_id: &str,
        new_code: fn() -> String,
    ) -> Result<LiveRecord, Error> {
        let (lesson_id, facilitator_id) = (lesson_id.to_string(), facilitator_id.to_string());
        let (scenario_id, practice_at) = match practice {
            Some((scenario, at)) => (Some(scenario.to_string()), Some(at.to_string())),
            None => (None, None),
        };
        self.write(move |conn| {
            let id = uuid::Uuid::now_v7().to_string();
            for _ in 0..CODE_TRIES {
                let inserted = conn.execute(
                    "INSERT INTO live_sessions (id, code, group_id, lesson_id, facilitator_id, started_at, scenario_id, practice_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT DO NOTHING",
                    (&id, new_code(), &group_id, &lesson_id, &facilitator_id, now(), &scenario_id, &practice_at),
                )?;
                if inserted == 1 {
                    return Ok(record_by_id(conn, &id)?.expect("the session just written"));
                }
            }
            Err(Error::Invalid("no free join code: too many live sessions are open".into()))
        })
        .await
    }

    /// The hall's session following the province's session `province_session`: the one
    /// kept, or a new one (with a join code no open session holds) on the province's step,
    /// led by the province. `None` only if no join code is free.
    pub async fn follow_province(
        &self,
        province_session: &str,
        lesson_id: &str,
        step: usize,
        revealed: bool,
        new_code: fn() -> String,
    ) -> Result<LiveRecord, Error> {
        let (province_session, lesson_id) = (province_session.to_string(), lesson_id.to_string());
        self.write(move |conn| {
            let kept: Option<String> = conn
                .query_row(
                    "SELECT id FROM live_sessions WHERE province_session = ?1",
                    [&province_session],
                    |row| row.get(0),
                )
                .optional()?;
            if let Some(id) = kept {
                return Ok(record_by_id(conn, &id)?.expect("the session just read"));
            }
            let id = uuid::Uuid::now_v7().to_string();
            for _ in 0..CODE_TRIES {
                let inserted = conn.execute(
                    "INSERT INTO live_sessions (id, code, lesson_id, step, revealed, started_at, province_session, led_by)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'province') ON CONFLICT DO NOTHING",
                    (&id, new_code(), &lesson_id, step as i64, revealed as i64, now(), &province_session),
                )?;
                if inserted == 1 {
                    return Ok(record_by_id(conn, &id)?.expect("the session just written"));
                }
            }
            Err(Error::Invalid("no free join code: too many live sessions are open".into()))
        })
        .await
    }

    /// Who moves a hall's session following the province: the province (`true`), or the
    /// hall's facilitator who took over. `false` if the session has ended.
    pub async fn live_led_by(&self, session_id: &str, province: bool) -> Result<bool, Error> {
        let session_id = session_id.to_string();
        self.write(move |conn| {
            let led_by = if province { "province" } else { "local" };
            Ok(conn.execute(
                "UPDATE live_sessions SET led_by = ?2
                 WHERE id = ?1 AND ended_at IS NULL AND province_session IS NOT NULL",
                (&session_id, led_by),
            )? == 1)
        })
        .await
    }

    /// The open sessions that follow a province's session, oldest first.
    pub async fn open_province_sessions(&self) -> Result<Vec<LiveRecord>, Error> {
        self.read(move |conn| {
            let ids: Vec<String> = conn
                .prepare_cached(
                    "SELECT id FROM live_sessions
                     WHERE ended_at IS NULL AND province_session IS NOT NULL ORDER BY id",
                )?
                .query_map([], |row| row.get(0))?
                .collect::<Result<_, _>>()?;
            let mut out = Vec::with_capacity(ids.len());
            for id in ids {
                out.extend(session_row(conn, &id)?);
            }
            Ok(out)
        })
        .await
    }

    /// The session the hall is in now: the open one the province leads, else the open one
    /// started last; `None` if none is open.
    pub async fn current_live_session(&self) -> Result<Option<LiveRecord>, Error> {
        self.read(move |conn| {
            let id: Option<String> = conn
                .query_row(
                    "SELECT id FROM live_sessions WHERE ended_at IS NULL
                     ORDER BY province_session IS NULL, id DESC LIMIT 1",
                    [],
                    |row| row.get(0),
                )
                .optional()?;
            match id {
                Some(id) => session_row(conn, &id),
                None => Ok(None),
            }
        })
        .await
    }

    /// The id of the open session that join code `code` names, if any.
    pub async fn open_live_session(&self, code: &str) -> Result<Option<String>, Error> {
        let code = code.to_string();
        self.read(move |conn| {
            Ok(conn
                .query_row(
                    "SELECT id FROM live_sessions WHERE code = ?1 AND ended_at IS NULL",
                    [code],
                    |row| row.get(0),
                )
                .optional()?)
        })
        .await
    }

    pub async fn live_session(&self, id: &str) -> Result<Option<LiveRecord>, Error> {
        let id = id.to_string();
        self.read(move |conn| record_by_id(conn, &id)).await
    }

    /// The latest sessions, newest first: `(the session's row, without who is present or
    /// their answers; how many are present)`.
    pub async fn recent_live_sessions(
        &self,
        limit: usize,
    ) -> Result<Vec<(LiveRecord, u32)>, Error> {
        self.read(move |conn| {
            let ids: Vec<(String, u32)> = conn
                .prepare(
                    "SELECT s.id, (SELECT COUNT(*) FROM live_attendance a WHERE a.session_id = s.id)
                     FROM live_sessions s ORDER BY s.id DESC LIMIT ?1",
                )?
                .query_map([limit as i64], |row| Ok((row.get(0)?, row.get(1)?)))?
                .collect::<Result<_, _>>()?;
            let mut out = Vec::with_capacity(ids.len());
            for (id, present) in ids {
                if let Some(record) = session_row(conn, &id)? {
                    out.push((record, present));
                }
            }
            Ok(out)
        })
        .await
    }

    /// Counts a learner present (or, with `how = None`, takes a hand tick away; a learner who
    /// joined on their phone stays). Refused once the session has ended.
    pub async fn live_presence(
        &self,
        session_id: &str,
        learner_id: &str,
        how: Option<&'static str>,
    ) -> Result<bool, Error> {
        let (session_id, learner_id) = (session_id.to_string(), learner_id.to_string());
        self.write(move |conn| {
            if !is_open(conn, &session_id)? {
                return Ok(false);
            }
            match how {
                Some(how) => conn.execute(
                    "INSERT INTO live_attendance (session_id, learner_id, how, at) VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT DO NOTHING",
                    (&session_id, &learner_id, how, now()),
                )?,
                None => conn.execute(
                    "DELETE FROM live_attendance WHERE session_id = ?1 AND learner_id = ?2 AND how = 'ticked'",
                    (&session_id, &learner_id),
                )?,
            };
            Ok(true)
        })
        .await
    }

    /// Keeps a learner's answer to a question (a later answer replaces an earlier one).
    pub async fn live_answer(&self, session_id: &str, answer: LiveAnswer) -> Result<bool, Error> {
        let session_id = session_id.to_string();
        self.write(move |conn| {
            if !is_open(conn, &session_id)? {
                return Ok(false);
            }
            conn.execute(
                "INSERT INTO live_answers (session_id, learner_id, question, choice, at) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT DO UPDATE SET choice = excluded.choice, at = excluded.at",
                (&session_id, &answer.learner_id, answer.question as i64, answer.choice as i64, now()),
            )?;
            Ok(true)
        })
        .await
    }

    /// Keeps where the class is.
    pub async fn live_step(
        &self,
        session_id: &str,
        step: usize,
        revealed: bool,
    ) -> Result<(), Error> {
        let session_id = session_id.to_string();
        self.write(move |conn| {
            conn.execute(
                "UPDATE live_sessions SET step = ?2, revealed = ?3 WHERE id = ?1 AND ended_at IS NULL",
                (&session_id, step as i64, revealed as i64),
            )?;
            Ok(())
        })
        .await
    }

    /// Keeps a phone's decision on the room's turn `answer.question` of a practice scenario,
    /// with `events` (what it records for the learner), in one transaction. A learner decides
    /// once a turn: `false`, with nothing written, if they already have (a resend, a double
    /// tap) or the session has ended.
    pub async fn live_decision(
        &self,
        session_id: &str,
        answer: LiveAnswer,
        events: Vec<NewEvent>,
    ) -> Result<bool, Error> {
        let box_id = self.box_id().to_string();
        let session_id = session_id.to_string();
        self.write(move |conn| {
            if !is_open(conn, &session_id)? {
                return Ok(false);
            }
            let inserted = conn.execute(
                "INSERT INTO live_answers (session_id, learner_id, question, choice, at) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT DO NOTHING",
                (&session_id, &answer.learner_id, answer.question as i64, answer.choice as i64, now()),
            )?;
            if inserted == 0 {
                return Ok(false);
            }
            for event in &events {
                insert_event(conn, &box_id, event)?;
            }
            Ok(true)
        })
        .await
    }

    /// Moves the room of a practice scenario to `at` on turn `turn`, the answer hidden, and
    /// records `events` (the ends for those present, when `at` is an end) in one transaction.
    /// `false`, with nothing written, unless the session is open and still on `turn - 1`.
    pub async fn live_practice_move(
        &self,
        session_id: &str,
        turn: usize,
        at: &str,
        events: Vec<NewEvent>,
    ) -> Result<bool, Error> {
        let box_id = self.box_id().to_string();
        let (session_id, at) = (session_id.to_string(), at.to_string());
        self.write(move |conn| {
            let moved = conn.execute(
                "UPDATE live_sessions SET step = ?2, revealed = 0, practice_at = ?3
                 WHERE id = ?1 AND ended_at IS NULL AND step = ?2 - 1",
                (&session_id, turn as i64, &at),
            )?;
            if moved == 0 {
                return Ok(false);
            }
            for event in &events {
                insert_event(conn, &box_id, event)?;
            }
            Ok(true)
        })
        .await
    }

    /// Ends a session and records `events` (attendance and answers) in one transaction.
    /// `false`, with nothing written, if it had already ended.
    pub async fn end_live(&self, session_id: &str, events: Vec<NewEvent>) -> Result<bool, Error> {
        let box_id = self.box_id().to_string();
        let session_id = session_id.to_string();
        self.write(move |conn| {
            let ended = conn.execute(
                "UPDATE live_sessions SET ended_at = ?2 WHERE id = ?1 AND ended_at IS NULL",
                (&session_id, now()),
            )?;
            if ended == 0 {
                return Ok(false);
            }
            for event in &events {
                insert_event(conn, &box_id, event)?;
            }
            Ok(true)
        })
        .await
    }
}

fn is_open(conn: &Connection, session_id: &str) -> Result<bool, Error> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM live_sessions WHERE id = ?1 AND ended_at IS NULL",
            [session_id],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}
