//! The event log and the tables pages read: every kept action is an immutable event, and the
//! progress and score tables change with it, in the same transaction. The one exception to
//! "immutable": a learner's withdrawal or erasure scrubs the personal fields of their earlier
//! events in place (`store::rights`), in the transaction of the event that asks it.

use rusqlite::{Connection, OptionalExtension};

use super::{Error, Store, now};

/// What an event changes in the tables pages read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// A learner joined (the learner row is written beside it).
    Joined,
    /// A facilitator corrected a learner's details (the row is updated beside it).
    Updated,
    /// A lesson was opened.
    Opened,
    /// A lesson was read to its end.
    Finished,
    /// A quiz was answered and graded on the box.
    /// `passed` is `learn`'s rule, decided where the quiz was graded.
    Quiz {
        score: u32,
        total: u32,
        passed: bool,
    },
    /// The learner took part in a live group lesson: it counts as finished.
    Attended,
    /// A decision in a practice scenario's run: the run now stands at `at` (a step or an end).
    PracticeStep {
        scenario: String,
        run: String,
        at: String,
    },
    /// A practice run reached its end `end`; `win` when it kept the learner safe.
    PracticeFinished {
        scenario: String,
        run: String,
        end: String,
        win: bool,
    },
    /// The learner consented to version `notice` of the notice, and to the optional fields
    /// or not: without them, the fields are cleared from the learner and from the payloads
    /// of their earlier `learner_joined` and `learner_updated` events (`store::rights`).
    Consent { notice: i64, optional: bool },
    /// The learner was erased: their name, optional fields, secret, sessions and card go,
    /// and the payloads of their profile's events are scrubbed in place; what they learnt
    /// stays under the nameless id, so every count stays the same (`store::rights`).
    Erased,
}

impl Change {
    pub fn kind(&self) -> &'static str {
        match self {
            Change::Joined => "learner_joined",
            Change::Updated => "learner_updated",
            Change::Opened => "lesson_opened",
            Change::Finished => "lesson_finished",
            Change::Quiz { .. } => "quiz_submitted",
            Change::Attended => "live_attended",
            Change::PracticeStep { .. } => "practice_step",
            Change::PracticeFinished { .. } => "practice_finished",
            Change::Consent { .. } => "consent",
            Change::Erased => "learner_erased",
        }
    }
}

/// An event to record. `id` may come from a phone (so a retried send is stored once).
#[derive(Clone, Debug)]
pub struct NewEvent {
    pub id: uuid::Uuid,
    pub learner_id: String,
    pub lesson_id: Option<String>,
    /// When it happened, by the sender's clock (kept, never used for order).
    pub at: String,
    pub payload: serde_json::Value,
    pub change: Change,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EventOutcome {
    /// Stored now, at this place in the box's order.
    Stored { seq: i64 },
    /// The same event was stored before; nothing changed.
    AlreadyHeld,
    /// Not stored, and why.
    Refused(String),
}

/// A quiz attempt as its event holds it: the lesson and the payload's JSON text (questions,
/// answers, score, total).
#[derive(Clone, Debug, PartialEq)]
pub struct QuizAttempt {
    pub lesson_id: String,
    pub payload: String,
}

/// How many events the box holds, and the highest `seq` given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EventCount {
    pub events: i64,
    pub last_seq: i64,
}

/// What a learner's pages draw: their progress and best scores, lesson by lesson.
#[derive(Clone, Debug, PartialEq)]
pub struct LearnerRecord {
    pub progress: Vec<LessonProgress>,
    pub scores: Vec<QuizScore>,
    pub practice: Vec<PracticeState>,
}

/// Where a learner stands in a practice scenario, and what their finished runs achieved.
#[derive(Clone, Debug, PartialEq)]
pub struct PracticeState {
    pub scenario_id: String,
    /// The run that moved last, and the step or end it reached.
    pub run_id: String,
    pub at: String,
    /// Runs that reached an end.
    pub runs: u32,
    /// Whether the first finished run kept the learner safe (`None` before one finished).
    pub first_win: Option<bool>,
    /// The first success, by the box's clock: the scenario is done.
    pub won_at: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct LessonProgress {
    pub lesson_id: String,
    pub opened_at: String,
    pub finished_at: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct QuizScore {
    pub lesson_id: String,
    pub best: u32,
    pub total: u32,
    pub attempts: u32,
    /// When it was first passed (at least 2 of 3 right), by the box's clock.
    pub passed_at: Option<String>,
}

/// Inserts `event` unless its id is held already, and applies its change.
pub(super) fn insert_event(
    conn: &Connection,
    box_id: &str,
    event: &NewEvent,
) -> Result<EventOutcome, Error> {
    let id = event.id.to_string();
    let recorded_at = now();
    let inserted = conn.execute(
        "INSERT INTO events (id, box_id, kind, learner_id, lesson_id, payload, at, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (id) DO NOTHING",
        (
            &id,
            box_id,
            event.change.kind(),
            &event.learner_id,
            &event.lesson_id,
            event.payload.to_string(),
            &event.at,
            &recorded_at,
        ),
    )?;
    if inserted == 0 {
        let owner: Option<Option<String>> = conn
            .query_row(
                "SELECT learner_id FROM events WHERE id = ?1",
                [&id],
                |row| row.get(0),
            )
            .optional()?;
        return Ok(match owner {
            Some(Some(learner)) if learner == event.learner_id => EventOutcome::AlreadyHeld,
            _ => EventOutcome::Refused("this id belongs to another record".into()),
        });
    }
    let seq = conn.last_insert_rowid();
    let lesson = event.lesson_id.as_deref();
    let learner = event.learner_id.as_str();
    match &event.change {
        Change::Joined | Change::Updated => {}
        &Change::Consent { notice, optional } => {
            super::rights::apply_consent(conn, learner, notice, optional, seq, &recorded_at)?;
        }
        Change::Erased => super::rights::erase(conn, learner, &recorded_at)?,
        Change::Opened => {
            conn.execute(
                "INSERT INTO progress (learner_id, lesson_id, opened_at) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
                (learner, lesson, &recorded_at),
            )?;
        }
        Change::Finished | Change::Attended => {
            conn.execute(
                "INSERT INTO progress (learner_id, lesson_id, opened_at, finished_at) VALUES (?1, ?2, ?3, ?3)
                 ON CONFLICT DO UPDATE SET finished_at = COALESCE(finished_at, excluded.finished_at)",
                (learner, lesson, &recorded_at),
            )?;
        }
        &Change::Quiz {
            score,
            total,
            passed,
        } => {
            // The best attempt is the best share right: attempts may ask different numbers
            // of questions (a lesson that asks fewer than it has, a quiz since changed).
            let passed_at = passed.then_some(&recorded_at);
            conn.execute(
                "INSERT INTO quiz_scores (learner_id, lesson_id, best, total, attempts, passed_at) VALUES (?1, ?2, ?3, ?4, 1, ?5)
                 ON CONFLICT DO UPDATE SET
                     best = CASE WHEN excluded.best * total > best * excluded.total THEN excluded.best ELSE best END,
                     total = CASE WHEN excluded.best * total > best * excluded.total THEN excluded.total ELSE total END,
                     attempts = attempts + 1, passed_at = COALESCE(passed_at, excluded.passed_at)",
                (learner, lesson, score, total, passed_at),
            )?;
        }
        Change::PracticeStep { scenario, run, at } => {
            conn.execute(
                "INSERT INTO practice (learner_id, scenario_id, run_id, at, runs) VALUES (?1, ?2, ?3, ?4, 0)
                 ON CONFLICT DO UPDATE SET run_id = excluded.run_id, at = excluded.at",
                (learner, scenario, run, at),
            )?;
        }
        Change::PracticeFinished {
            scenario,
            run,
            end,
            win,
        } => {
            let won_at = win.then_some(&recorded_at);
            conn.execute(
                "INSERT INTO practice (learner_id, scenario_id, run_id, at, runs, first_win, won_at) VALUES (?1, ?2, ?3, ?4, 1, ?5, ?6)
                 ON CONFLICT DO UPDATE SET run_id = excluded.run_id, at = excluded.at, runs = runs + 1,
                     first_win = COALESCE(first_win, excluded.first_win), won_at = COALESCE(won_at, excluded.won_at)",
                (learner, scenario, run, end, win, won_at),
            )?;
        }
    }
    Ok(EventOutcome::Stored { seq })
}

impl Store {
    /// Records a batch of events in one transaction; each gets its own outcome. An event
    /// whose learner does not exist is refused, not stored.
    pub async fn record_events(&self, events: Vec<NewEvent>) -> Result<Vec<EventOutcome>, Error> {
        let box_id = self.box_id().to_string();
        self.write(move |conn| {
            events
                .iter()
                .map(|event| insert_event(conn, &box_id, event))
                .collect()
        })
        .await
    }

    /// Every lesson the learner has opened, with when they finished it.
    pub async fn progress_for_learner(
        &self,
        learner_id: &str,
    ) -> Result<Vec<LessonProgress>, Error> {
        let learner_id = learner_id.to_string();
        self.read(move |conn| progress_rows(conn, &learner_id))
            .await
    }

    /// The learner's best score in every quiz they answered.
    pub async fn scores_for_learner(&self, learner_id: &str) -> Result<Vec<QuizScore>, Error> {
        let learner_id = learner_id.to_string();
        self.read(move |conn| score_rows(conn, &learner_id)).await
    }

    /// Both of the above in one lookup (on this thread): what a learner's pages draw.
    pub async fn record_of_learner(&self, learner_id: &str) -> Result<LearnerRecord, Error> {
        self.lookup(|conn| {
            Ok(LearnerRecord {
                progress: progress_rows(conn, learner_id)?,
                scores: score_rows(conn, learner_id)?,
                practice: practice_rows(conn, learner_id)?,
            })
        })
    }

    /// Learner `learner_id`'s quiz attempt `attempt`, as its event recorded it; `None` when
    /// the box holds no such attempt of theirs (another learner's is never found).
    pub async fn quiz_attempt(
        &self,
        learner_id: &str,
        attempt: &str,
    ) -> Result<Option<QuizAttempt>, Error> {
        let (learner_id, attempt) = (learner_id.to_string(), attempt.to_string());
        self.read(move |conn| {
            Ok(conn
                .query_row(
                    "SELECT lesson_id, payload FROM events \
                     WHERE id = ?1 AND learner_id = ?2 AND kind = 'quiz_submitted'",
                    [&attempt, &learner_id],
                    |row| {
                        Ok(QuizAttempt {
                            lesson_id: row.get::<_, Option<String>>(0)?.unwrap_or_default(),
                            payload: row.get(1)?,
                        })
                    },
                )
                .optional()?)
        })
        .await
    }

    /// The id of every event the box holds, in `seq` order (for checks and tests).
    pub async fn event_ids(&self) -> Result<Vec<String>, Error> {
        self.read(|conn| {
            let mut stmt = conn.prepare("SELECT id FROM events ORDER BY seq")?;
            let rows = stmt.query_map([], |row| row.get(0))?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await
    }

    /// What `PRAGMA integrity_check` says: `ok` when the file is sound.
    pub async fn integrity_check(&self) -> Result<String, Error> {
        self.read(|conn| {
            let mut stmt = conn.prepare("PRAGMA integrity_check")?;
            let rows = stmt.query_map([], |row| row.get::<_, String>(0))?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?.join("\n"))
        })
        .await
    }

    /// How many events the box holds, and the highest `seq`.
    pub async fn event_count(&self) -> Result<EventCount, Error> {
        self.read(|conn| {
            Ok(conn.query_row(
                "SELECT COUNT(*), COALESCE(MAX(seq), 0) FROM events",
                [],
                |r| {
                    Ok(EventCount {
                        events: r.get(0)?,
                        last_seq: r.get(1)?,
                    })
                },
            )?)
        })
        .await
    }
}

/// A learner's progress, lesson by lesson.
pub(super) const PROGRESS_SQL: &str =
    "SELECT lesson_id, opened_at, finished_at FROM progress WHERE learner_id = ?1";

pub(super) fn progress_rows(
    conn: &Connection,
    learner_id: &str,
) -> Result<Vec<LessonProgress>, Error> {
    let mut stmt = conn.prepare_cached(PROGRESS_SQL)?;
    let rows = stmt.query_map([learner_id], |row| {
        Ok(LessonProgress {
            lesson_id: row.get(0)?,
            opened_at: row.get(1)?,
            finished_at: row.get(2)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A learner's best quiz scores, lesson by lesson.
pub(super) const SCORES_SQL: &str =
    "SELECT lesson_id, best, total, attempts, passed_at FROM quiz_scores WHERE learner_id = ?1";

pub(super) fn score_rows(conn: &Connection, learner_id: &str) -> Result<Vec<QuizScore>, Error> {
    let mut stmt = conn.prepare_cached(SCORES_SQL)?;
    let rows = stmt.query_map([learner_id], |row| {
        Ok(QuizScore {
            lesson_id: row.get(0)?,
            best: row.get(1)?,
            total: row.get(2)?,
            attempts: row.get(3)?,
            passed_at: row.get(4)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A learner's practice, scenario by scenario.
pub(super) const PRACTICE_SQL: &str =
    "SELECT scenario_id, run_id, at, runs, first_win, won_at FROM practice WHERE learner_id = ?1";

pub(super) fn practice_rows(
    conn: &Connection,
    learner_id: &str,
) -> Result<Vec<PracticeState>, Error> {
    let mut stmt = conn.prepare_cached(PRACTICE_SQL)?;
    let rows = stmt.query_map([learner_id], |row| {
        Ok(PracticeState {
            scenario_id: row.get(0)?,
            run_id: row.get(1)?,
            at: row.get(2)?,
            runs: row.get(3)?,
            first_win: row.get(4)?,
            won_at: row.get(5)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
