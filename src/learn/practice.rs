//! A run through a practice scenario: what a choice or a typed value on a step leads to,
//! whether it was right, and the events it records. A run is named by a UUID the box draws
//! when it begins; which step it stands at travels in the page's address (so a phone without
//! JavaScript, back and reload lose nothing) and, for a signed-in learner, in the box's
//! records. The box decides what an answer leads to, never the phone.

use crate::content::practice::{End, Scenario, Step};
use crate::store::{Change, NewEvent};

/// What the learner did on a step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    /// A choice, as the file numbers the step's choices (from 0).
    Choice(usize),
    /// A value typed in the step's box.
    Typed(String),
}

/// What an answer leads to.
#[derive(Clone, Debug, PartialEq)]
pub struct Move<'a> {
    pub step: &'a Step,
    pub answer: Answer,
    /// What a careful person does (a right choice, or the value the box expects).
    pub right: bool,
    /// What the screen says back: a choice's feedback, or a form's error for a wrong value
    /// (`None` for a right value: the form just goes on).
    pub feedback: Option<&'a str>,
    /// The step or end it leads to (a wrong value stays on its step).
    pub next: &'a str,
    /// The end reached, if `next` is one.
    pub end: Option<&'a End>,
}

/// What `answer` on step `step_id` of `scenario` leads to; `Err` says why it cannot be.
pub fn answer<'a>(
    scenario: &'a Scenario,
    step_id: &str,
    answer: Answer,
) -> Result<Move<'a>, String> {
    let step = scenario
        .steps
        .iter()
        .find(|s| s.id == step_id)
        .ok_or_else(|| format!("step: no step {step_id:?} in this scenario"))?;
    let (right, feedback, next) = match &answer {
        Answer::Choice(i) => {
            let choice = step
                .choices
                .get(*i)
                .ok_or_else(|| format!("choice: step {step_id:?} has no choice {i}"))?;
            (
                choice.right,
                Some(choice.feedback.as_str()),
                choice.next.as_str(),
            )
        }
        Answer::Typed(text) => {
            let input = step
                .input
                .as_ref()
                .ok_or_else(|| format!("typed: step {step_id:?} has no box to type in"))?;
            if input.accepts(text) {
                (true, None, input.next.as_str())
            } else {
                (false, Some(input.error.as_str()), step.id.as_str())
            }
        }
    };
    Ok(Move {
        step,
        right,
        feedback,
        next,
        end: scenario.ends.iter().find(|e| e.id == next),
        answer,
    })
}

impl Move<'_> {
    /// The events this move records for `learner_id` in run `run` of scenario `scenario_id`
    /// (whose lesson is `lesson_id`): the decision under `id`, and when it ends the run, the
    /// end under an id drawn from `id` (so a decision sent twice ends its run once).
    pub fn events(
        &self,
        id: uuid::Uuid,
        run: uuid::Uuid,
        scenario_id: &str,
        lesson_id: &str,
        learner_id: &str,
        at: &str,
    ) -> Vec<NewEvent> {
        let mut payload = serde_json::json!({
            "scenario": scenario_id,
            "run": run.to_string(),
            "step": self.step.id,
            "right": self.right,
            "next": self.next,
        });
        match &self.answer {
            Answer::Choice(i) => payload["choice"] = (*i).into(),
            Answer::Typed(_) => payload["typed"] = true.into(),
        }
        let event = |id, payload, change| NewEvent {
            id,
            learner_id: learner_id.to_string(),
            lesson_id: Some(lesson_id.to_string()),
            at: at.to_string(),
            payload,
            change,
        };
        let mut events = vec![event(
            id,
            payload,
            Change::PracticeStep {
                scenario: scenario_id.to_string(),
                run: run.to_string(),
                at: self.next.to_string(),
            },
        )];
        if let Some(end) = self.end {
            let payload = serde_json::json!({
                "scenario": scenario_id,
                "run": run.to_string(),
                "end": end.id,
                "win": end.win,
            });
            events.push(event(
                finished_id(id),
                payload,
                Change::PracticeFinished {
                    scenario: scenario_id.to_string(),
                    run: run.to_string(),
                    end: end.id.clone(),
                    win: end.win,
                },
            ));
        }
        events
    }
}

/// The id of the end a decision `id` reached: a UUIDv7 of the same moment, its random part
/// drawn from `id`, so the same decision always ends its run under the same id.
pub fn finished_id(id: uuid::Uuid) -> uuid::Uuid {
    let bytes = id.as_bytes();
    let mut millis = [0u8; 8];
    millis[2..].copy_from_slice(&bytes[..6]);
    let mut rng = fastrand::Rng::with_seed((id.as_u128() as u64) ^ 0x7072_6163_7469_6365);
    let mut random = [0u8; 10];
    rng.fill(&mut random);
    uuid::Builder::from_unix_timestamp_millis(u64::from_be_bytes(millis), &random).into_uuid()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::practice::parse;

    const CALL: &str = r#"kind = "call"
lesson = "cuoc-goi-lua-dao"
title = "Cuộc gọi"
intro = "Một số lạ gọi."

[[step]]
id = "alo"
caller = "Số lạ"
says = "Đọc mã OTP cho tôi."
ask = "Làm gì?"

[[step.choice]]
text = "Cúp máy"
right = true
feedback = "Đúng rồi."
next = "an-toan"

[[step.choice]]
text = "Đọc mã"
feedback = "Mất tiền."
next = "mat"

[[end]]
id = "an-toan"
win = true
text = "Giữ được tiền."

[[end]]
id = "mat"
win = false
text = "Thử lại nhé."
"#;

    #[test]
    fn a_choice_leads_where_the_file_says_and_an_end_records_a_second_event() {
        let scenario = parse(CALL).unwrap();
        let right = answer(&scenario, "alo", Answer::Choice(0)).unwrap();
        assert!(right.right && right.end.is_some_and(|e| e.win));
        let wrong = answer(&scenario, "alo", Answer::Choice(1)).unwrap();
        assert_eq!((wrong.right, wrong.next), (false, "mat"));
        assert_eq!(wrong.feedback, Some("Mất tiền."));
        let id = uuid::Uuid::now_v7();
        let run = uuid::Uuid::now_v7();
        let events = wrong.events(id, run, "an-toan/goi", "an-toan/cuoc-goi", "l", "t");
        assert_eq!(events.len(), 2);
        assert_eq!(events[0].payload["choice"], 1);
        assert_eq!(events[0].payload["right"], false);
        assert_eq!(events[1].change.kind(), "practice_finished");
        assert_eq!(events[1].payload["win"], false);
        assert_eq!(events[1].id, finished_id(id));
        assert_ne!(events[1].id, id);
        assert_eq!(events[1].id.get_version_num(), 7);
        assert_eq!(
            events[1].id.get_timestamp().map(|t| t.to_unix()),
            id.get_timestamp().map(|t| t.to_unix())
        );
        assert!(answer(&scenario, "alo", Answer::Choice(2)).is_err());
        assert!(answer(&scenario, "nowhere", Answer::Choice(0)).is_err());
        assert!(answer(&scenario, "alo", Answer::Typed("x".into())).is_err());
    }
}
