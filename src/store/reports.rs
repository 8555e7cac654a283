//! What reports read: per learner (lessons finished, quizzes passed, live lessons attended),
//! per lesson (opened, finished, passed, attended), every quiz answer given to a lesson, and
//! every practice decision and standing.
//! Counts come from the tables kept in step with the events, and attendance from the events.

use super::{Error, Store};

/// One quiz attempt's answers: the questions asked (places in the quiz, from 0) and the
/// choice given to each (as the lesson file numbers them, from 0).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnswerSet {
    pub questions: Vec<usize>,
    pub answers: Vec<usize>,
}

/// One learner's line in a report.
#[derive(Clone, Debug, PartialEq)]
pub struct LearnerLine {
    pub id: String,
    pub display_name: String,
    pub village: String,
    pub birth_year: Option<i32>,
    pub gender: Option<String>,
    pub ethnic_group: Option<String>,
    pub finished: u32,
    pub passed: u32,
    /// Sum of best scores and of question counts, over the quizzes answered.
    pub best: u32,
    pub total: u32,
    pub attended: u32,
    /// The learner was erased: no name, their records counted on anonymously.
    pub erased: bool,
}

/// One lesson's line in a report.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LessonLine {
    pub lesson_id: String,
    pub opened: u32,
    pub finished: u32,
    pub answered: u32,
    pub passed: u32,
    pub attended: u32,
}

/// One decision in a practice run, as the box recorded it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    pub learner_id: String,
    pub run: String,
    pub step: String,
    /// The choice (as the file numbers them), or `None` for a value typed.
    pub choice: Option<usize>,
    pub right: bool,
}

impl Store {
    /// Every decision recorded in scenario `scenario_id`, oldest first.
    pub async fn practice_decisions(&self, scenario_id: &str) -> Result<Vec<Decision>, Error> {
        let scenario_id = scenario_id.to_string();
        self.read(move |conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT learner_id, payload FROM events WHERE kind = 'practice_step'
                 AND json_extract(payload, '$.scenario') = ?1 ORDER BY seq",
            )?;
            let rows = stmt.query_map([scenario_id], |row| {
                Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
            })?;
            let mut out = Vec::new();
            for row in rows {
                let (learner_id, payload) = row?;
                let payload: serde_json::Value = serde_json::from_str(&payload).unwrap_or_default();
                let (Some(run), Some(step), Some(right)) = (
                    payload["run"].as_str(),
                    payload["step"].as_str(),
                    payload["right"].as_bool(),
                ) else {
                    continue;
                };
                out.push(Decision {
                    learner_id,
                    run: run.to_string(),
                    step: step.to_string(),
                    choice: payload["choice"].as_u64().map(|c| c as usize),
                    right,
                });
            }
            Ok(out)
        })
        .await
    }

    /// Every learner's standing in every scenario they began: `(learner, state)`.
    pub async fn practice_states(&self) -> Result<Vec<super::PracticeState>, Error> {
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT scenario_id, run_id, at, runs, first_win, won_at FROM practice",
            )?;
            let rows = stmt.query_map([], |row| {
                Ok(super::PracticeState {
                    scenario_id: row.get(0)?,
                    run_id: row.get(1)?,
                    at: row.get(2)?,
                    runs: row.get(3)?,
                    first_win: row.get(4)?,
                    won_at: row.get(5)?,
                })
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await
    }

    /// A line for each learner, or for each member of `group`, by village then name.
    pub async fn learner_lines(&self, group: Option<String>) -> Result<Vec<LearnerLine>, Error> {
        self.read(move |conn| {
            let sql = format!(
                "SELECT l.id, l.display_name, l.village, l.birth_year, l.gender, l.ethnic_group,
                    (SELECT COUNT(*) FROM progress p WHERE p.learner_id = l.id AND p.finished_at IS NOT NULL),
                    (SELECT COUNT(*) FROM quiz_scores q WHERE q.learner_id = l.id AND q.passed_at IS NOT NULL),
                    (SELECT COALESCE(SUM(best), 0) FROM quiz_scores q WHERE q.learner_id = l.id),
                    (SELECT COALESCE(SUM(total), 0) FROM quiz_scores q WHERE q.learner_id = l.id),
                    (SELECT COUNT(*) FROM events e WHERE e.learner_id = l.id AND e.kind = 'live_attended'),
                    l.erased_at IS NOT NULL
                 FROM learners l {}
                 ORDER BY l.village, l.display_name, l.id",
                if group.is_some() {
                    "JOIN group_members m ON m.learner_id = l.id AND m.group_id = ?1"
                } else {
                    "WHERE ?1 IS NULL"
                }
            );
            let mut stmt = conn.prepare_cached(&sql)?;
            let rows = stmt.query_map([&group], |row| {
                Ok(LearnerLine {
                    id: row.get(0)?,
                    display_name: row.get(1)?,
                    village: row.get(2)?,
                    birth_year: row.get(3)?,
                    gender: row.get(4)?,
                    ethnic_group: row.get(5)?,
                    finished: row.get(6)?,
                    passed: row.get(7)?,
                    best: row.get(8)?,
                    total: row.get(9)?,
                    attended: row.get(10)?,
                    erased: row.get(11)?,
                })
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await
    }

    /// A line for each lesson anyone has opened, answered or attended, among the learners of
    /// `group` if given.
    pub async fn lesson_lines(&self, group: Option<String>) -> Result<Vec<LessonLine>, Error> {
        self.read(move |conn| {
            let who = if group.is_some() {
                "learner_id IN (SELECT learner_id FROM group_members WHERE group_id = ?1)"
            } else {
                "?1 IS NULL"
            };
            let mut lines: std::collections::BTreeMap<String, LessonLine> = Default::default();
            let queries = [
                format!("SELECT lesson_id, COUNT(*), COUNT(finished_at) FROM progress WHERE {who} GROUP BY lesson_id"),
                format!("SELECT lesson_id, COUNT(*), COUNT(passed_at) FROM quiz_scores WHERE {who} GROUP BY lesson_id"),
                format!("SELECT lesson_id, COUNT(DISTINCT learner_id), 0 FROM events WHERE kind = 'live_attended' AND {who} GROUP BY lesson_id"),
            ];
            for (i, sql) in queries.iter().enumerate() {
                let mut stmt = conn.prepare_cached(sql)?;
                let rows = stmt.query_map([&group], |row| {
                    Ok((row.get::<_, String>(0)?, row.get::<_, u32>(1)?, row.get::<_, u32>(2)?))
                })?;
                for row in rows {
                    let (id, a, b) = row?;
                    let line = lines.entry(id.clone()).or_insert_with(|| LessonLine {
                        lesson_id: id,
                        ..LessonLine::default()
                    });
                    match i {
                        0 => (line.opened, line.finished) = (a, b),
                        1 => (line.answered, line.passed) = (a, b),
                        _ => line.attended = a,
                    }
                }
            }
            Ok(lines.into_values().collect())
        })
        .await
    }

    /// Every answer set given to a lesson's quiz, oldest first: the questions asked (places in
    /// the quiz; all of them, in order, for sets recorded before attempts asked fewer) and the
    /// choice given to each.
    pub async fn quiz_answers(&self, lesson_id: &str) -> Result<Vec<AnswerSet>, Error> {
        let lesson_id = lesson_id.to_string();
        self.read(move |conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT payload FROM events WHERE kind = 'quiz_submitted' AND lesson_id = ?1 ORDER BY seq",
            )?;
            let rows = stmt.query_map([lesson_id], |row| row.get::<_, String>(0))?;
            let numbers = |v: &serde_json::Value| -> Option<Vec<usize>> {
                v.as_array()?
                    .iter()
                    .map(|a| a.as_u64().map(|a| a as usize))
                    .collect()
            };
            let mut out = Vec::new();
            for payload in rows {
                let payload: serde_json::Value =
                    serde_json::from_str(&payload?).unwrap_or_default();
                let Some(answers) = numbers(&payload["answers"]) else {
                    continue;
                };
                let questions = match payload.get("questions") {
                    Some(q) => numbers(q),
                    None => Some((0..answers.len()).collect()),
                };
                if let Some(questions) = questions.filter(|q| q.len() == answers.len()) {
                    out.push(AnswerSet { questions, answers });
                }
            }
            Ok(out)
        })
        .await
    }

    /// The lessons a learner attended live, with how many times.
    pub async fn attended_lessons(&self, learner_id: &str) -> Result<Vec<Attended>, Error> {
        let learner_id = learner_id.to_string();
        self.read(move |conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT lesson_id, COUNT(*) FROM events WHERE kind = 'live_attended' AND learner_id = ?1 GROUP BY lesson_id",
            )?;
            let rows = stmt.query_map([learner_id], |row| {
                Ok(Attended {
                    lesson_id: row.get(0)?,
                    times: row.get(1)?,
                })
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await
    }
}

/// A lesson a learner attended live, and how many times.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attended {
    pub lesson_id: String,
    pub times: u32,
}
