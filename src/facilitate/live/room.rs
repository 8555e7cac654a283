//! A practice scenario run live with the room (`Room`): the room stands on one step at a
//! time (`step` counts its moves, its turns), each phone decides once a turn, and the room
//! follows the choice most picked (`room_choice`) or the one the facilitator picks. A phone's
//! decision records a `practice_step` for its learner at once; an end reached records a
//! `practice_finished` for everyone present. Their ids are drawn from the session, the learner
//! and the turn (`derived_id`), so a resend, or an end recorded again when the session ends,
//! counts once; each learner has one run a session.

use super::{AnswerRefused, Live};
use crate::content::Practice;
use crate::content::practice::{End, Scenario, Step as ScenarioStep};
use crate::learn::practice::{Answer, answer};
use crate::store::{Change, NewEvent};

/// Where a room running a practice scenario stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Room {
    /// `module/slug`.
    pub scenario_id: String,
    /// The step or end the room is on.
    pub at: String,
}

/// What the room is looking at in its scenario.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Standing<'a> {
    Step(&'a ScenarioStep),
    End(&'a End),
    /// The scenario no longer has it (a content pack changed it): the session can only end.
    Gone,
}

impl Live {
    /// Where the room stands in `scenario` (a session running no scenario stands nowhere).
    pub fn standing<'a>(&self, scenario: &'a Scenario) -> Standing<'a> {
        let Some(room) = &self.practice else {
            return Standing::Gone;
        };
        if let Some(step) = scenario.steps.iter().find(|s| s.id == room.at) {
            Standing::Step(step)
        } else if let Some(end) = scenario.ends.iter().find(|e| e.id == room.at) {
            Standing::End(end)
        } else {
            Standing::Gone
        }
    }

    /// Whether `learner` may decide `choice` on turn `turn` of `scenario` now.
    pub fn check_decision(
        &self,
        scenario: &Scenario,
        learner: &str,
        turn: usize,
        choice: usize,
    ) -> Result<(), AnswerRefused> {
        if self.ended {
            return Err(AnswerRefused::Ended);
        }
        if !self.present.contains_key(learner) {
            return Err(AnswerRefused::NotPresent);
        }
        let Standing::Step(step) = self.standing(scenario) else {
            return Err(AnswerRefused::NotNow);
        };
        if turn != self.step {
            return Err(AnswerRefused::NotNow);
        }
        if self.revealed {
            return Err(AnswerRefused::Revealed);
        }
        if choice >= step.choices.len() {
            return Err(AnswerRefused::NoSuchChoice);
        }
        if self.answers.contains_key(&(learner.to_string(), turn)) {
            return Err(AnswerRefused::Decided);
        }
        Ok(())
    }

    /// Moves the room from turn `from` to the step or end `to` of `scenario`: two presses
    /// on one turn move it once. The room's choice is hidden again on the new turn.
    pub fn move_to(&mut self, scenario: &Scenario, from: usize, to: &str) -> bool {
        if self.ended || self.step != from || !matches!(self.standing(scenario), Standing::Step(_))
        {
            return false;
        }
        if !scenario.steps.iter().any(|s| s.id == to) && !scenario.ends.iter().any(|e| e.id == to) {
            return false;
        }
        let Some(room) = &mut self.practice else {
            return false;
        };
        room.at = to.to_string();
        self.step += 1;
        self.revealed = false;
        true
    }

    /// What `learner`'s decision `choice` on turn `turn` records: the `practice_step` of
    /// their run, under an id drawn from the session, the learner and the turn. Where their
    /// own choice would have led is kept in it; the run's end is the room's (`end_events_of`).
    pub fn decision_events(
        &self,
        practice: &Practice,
        scenario: &Scenario,
        learner: &str,
        turn: usize,
        choice: usize,
        at: &str,
    ) -> Vec<NewEvent> {
        let Standing::Step(step) = self.standing(scenario) else {
            return Vec::new();
        };
        let Ok(decided) = answer(scenario, &step.id, Answer::Choice(choice)) else {
            return Vec::new();
        };
        let mut events = decided.events(
            derived_id(&self.id, &[learner, "turn", &turn.to_string()]),
            run_id(&self.id, learner),
            &practice.id,
            &practice.lesson_id,
            learner,
            at,
        );
        events.truncate(1);
        for event in &mut events {
            event.payload["live_session"] = self.id.clone().into();
        }
        events
    }

    /// The end `end` the room reached, for everyone present: a `practice_finished` of each
    /// one's run, under an id drawn from the session and the learner (a run ends once).
    pub fn end_events_of(&self, practice: &Practice, end: &End, at: &str) -> Vec<NewEvent> {
        self.present
            .keys()
            .map(|learner| {
                let run = run_id(&self.id, learner).to_string();
                NewEvent {
                    id: derived_id(&self.id, &[learner, "end"]),
                    learner_id: learner.clone(),
                    lesson_id: Some(practice.lesson_id.clone()),
                    at: at.to_string(),
                    payload: serde_json::json!({
                        "scenario": practice.id,
                        "run": run,
                        "end": end.id,
                        "win": end.win,
                        "live_session": self.id,
                    }),
                    change: Change::PracticeFinished {
                        scenario: practice.id.clone(),
                        run,
                        end: end.id.clone(),
                        win: end.win,
                    },
                }
            })
            .collect()
    }
}

/// The choice the room made on `step`, from how many picked each (`tally`): the one most
/// picked; among equals the first right one, else the first. `None` if nobody chose.
pub fn room_choice(step: &ScenarioStep, tally: &[u32]) -> Option<usize> {
    let most = tally.iter().copied().max().filter(|m| *m > 0)?;
    let tied: Vec<usize> = (0..tally.len()).filter(|&c| tally[c] == most).collect();
    tied.iter()
        .copied()
        .find(|&c| step.choices.get(c).is_some_and(|c| c.right))
        .or_else(|| tied.first().copied())
}

/// Where the room goes on from `step` when the facilitator presses "next": along the room's
/// choice; with none, along the value a form's box expects, else the first right choice.
pub fn room_next(step: &ScenarioStep, chosen: Option<usize>) -> Option<&str> {
    chosen
        .and_then(|c| step.choices.get(c))
        .map(|c| c.next.as_str())
        .or_else(|| step.input.as_ref().map(|i| i.next.as_str()))
        .or_else(|| {
            step.choices
                .iter()
                .find(|c| c.right)
                .map(|c| c.next.as_str())
        })
        .or_else(|| step.choices.first().map(|c| c.next.as_str()))
}

/// The run of `learner` in session `session`: one a learner a session.
pub fn run_id(session: &str, learner: &str) -> uuid::Uuid {
    derived_id(session, &[learner, "run"])
}

/// A UUIDv7 of the session's moment whose random part is drawn from `session` and `parts`:
/// the same parts always give the same id.
pub fn derived_id(session: &str, parts: &[&str]) -> uuid::Uuid {
    use sha2::{Digest, Sha256};
    let mut hash = Sha256::new();
    hash.update(session.as_bytes());
    for part in parts {
        hash.update([0u8]);
        hash.update(part.as_bytes());
    }
    let digest = hash.finalize();
    let millis = uuid::Uuid::parse_str(session)
        .ok()
        .and_then(|id| id.get_timestamp())
        .map_or(0, |t| {
            let (seconds, nanos) = t.to_unix();
            seconds * 1000 + u64::from(nanos) / 1_000_000
        });
    let mut random = [0u8; 10];
    random.copy_from_slice(&digest[..10]);
    uuid::Builder::from_unix_timestamp_millis(millis, &random).into_uuid()
}

#[cfg(test)]
mod tests {
    use super::super::tests::live;
    use super::*;

    const CALL: &str = r#"kind = "call"
lesson = "goi"
title = "Gọi"
intro = "Một số lạ gọi."

[[step]]
id = "alo"
caller = "Số lạ"
says = "Đọc mã OTP cho tôi."
ask = "Làm gì?"

[[step.choice]]
text = "Đọc mã"
feedback = "Mất tiền."
next = "mat"

[[step.choice]]
text = "Cúp máy"
right = true
feedback = "Đúng rồi."
next = "an-toan"

[[step.choice]]
text = "Hỏi tên"
feedback = "Họ có sẵn tên giả."
next = "alo"

[[end]]
id = "an-toan"
win = true
text = "Giữ được tiền."

[[end]]
id = "mat"
win = false
text = "Thử lại nhé."
"#;

    fn room() -> (Live, Scenario) {
        let scenario = crate::content::practice::parse(CALL).unwrap();
        let mut live = live();
        live.id = uuid::Uuid::now_v7().to_string();
        (live.slides, live.choices) = (0, Vec::new());
        live.practice = Some(Room {
            scenario_id: "m/goi".into(),
            at: "alo".into(),
        });
        (live, scenario)
    }

    #[test]
    fn the_room_follows_the_choice_most_picked_and_a_tie_the_first_right_one() {
        let (_, scenario) = room();
        let step = &scenario.steps[0];
        assert_eq!(room_choice(step, &[0, 0, 0]), None);
        assert_eq!(room_choice(step, &[2, 1, 0]), Some(0));
        assert_eq!(
            room_choice(step, &[1, 1, 1]),
            Some(1),
            "the right one of a tie"
        );
        assert_eq!(
            room_choice(step, &[2, 0, 2]),
            Some(0),
            "no right one: the first"
        );
        assert_eq!(room_next(step, Some(0)), Some("mat"));
        assert_eq!(
            room_next(step, None),
            Some("an-toan"),
            "nobody chose: the right way"
        );
    }

    #[test]
    fn a_room_decides_once_a_turn_and_moves_once_a_press() {
        let (mut live, scenario) = room();
        assert_eq!(live.check_decision(&scenario, "a", 0, 2), Ok(()));
        live.answers.insert(("a".into(), 0), 2);
        assert_eq!(
            live.check_decision(&scenario, "a", 0, 1),
            Err(AnswerRefused::Decided)
        );
        assert_eq!(
            live.check_decision(&scenario, "a", 0, 3),
            Err(AnswerRefused::NoSuchChoice)
        );
        // A choice that leads back to its own step is a new turn.
        assert!(live.move_to(&scenario, 0, "alo"));
        assert!(!live.move_to(&scenario, 0, "an-toan"), "pressed on turn 0");
        assert!(!live.move_to(&scenario, 1, "nowhere"));
        assert_eq!(
            live.check_decision(&scenario, "a", 0, 1),
            Err(AnswerRefused::NotNow)
        );
        assert_eq!(live.check_decision(&scenario, "a", 1, 1), Ok(()));
        assert!(live.move_to(&scenario, 1, "an-toan"));
        assert!(matches!(live.standing(&scenario), Standing::End(e) if e.win));
        assert_eq!(
            live.check_decision(&scenario, "a", 2, 0),
            Err(AnswerRefused::NotNow)
        );
        assert!(
            !live.move_to(&scenario, 2, "alo"),
            "an end is where the room stays"
        );
    }

    #[test]
    fn ids_drawn_from_the_session_are_the_same_each_time_and_differ_by_part() {
        let session = uuid::Uuid::now_v7().to_string();
        let run = run_id(&session, "a");
        assert_eq!(run, run_id(&session, "a"));
        assert_ne!(run, run_id(&session, "b"));
        assert_ne!(
            derived_id(&session, &["a", "turn", "1"]),
            derived_id(&session, &["a", "turn", "2"])
        );
        assert_eq!(run.get_version_num(), 7);
        let started = uuid::Uuid::parse_str(&session)
            .unwrap()
            .get_timestamp()
            .unwrap();
        assert_eq!(
            run.get_timestamp().unwrap().to_unix().0,
            started.to_unix().0
        );
    }
}
