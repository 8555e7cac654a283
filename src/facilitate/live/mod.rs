//! A live group lesson's rules, with no HTTP or SQL: where the class is (the lesson's slides,
//! then one step a quiz question), who is there, what each phone answered, and what the end
//! records. `web::pages::live::running` keeps one `Live` a running session and tells phones
//! when it changes.
//!
//! A session may instead run a practice scenario with the room (`room`). A session may follow
//! the province's live lesson (`Followed`): the province's steps move it until the hall's
//! facilitator takes over.

use std::collections::{BTreeMap, HashMap};

mod room;

pub use room::{Room, Standing, derived_id, room_choice, room_next, run_id};

use crate::content::Question;
use crate::learn::grade;
use crate::store::{Change, NewEvent};

/// How a learner came to be counted present.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum How {
    /// Joined with the code on their own phone.
    Joined,
    /// Ticked by the facilitator (no phone, or a phone that could not join).
    Ticked,
}

impl How {
    pub fn code(self) -> &'static str {
        match self {
            How::Joined => "joined",
            How::Ticked => "ticked",
        }
    }

    pub fn from_code(code: &str) -> Option<How> {
        match code {
            "joined" => Some(How::Joined),
            "ticked" => Some(How::Ticked),
            _ => None,
        }
    }
}

/// What the class is looking at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// A slide of the lesson, from 0.
    Slide(usize),
    /// A quiz question, from 0.
    Question(usize),
}

/// Why a phone's answer was not taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AnswerRefused {
    /// The session has ended.
    Ended,
    /// The learner has not joined (nor been ticked).
    NotPresent,
    /// The class is not on that question now.
    NotNow,
    /// The answer has been shown: it is too late to change.
    Revealed,
    /// No such choice.
    NoSuchChoice,
    /// The learner has decided on this turn of a scenario already: a decision is kept.
    Decided,
}

/// A hall's session that follows the province's live lesson.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Followed {
    /// The province's session (the hub's id).
    pub session: String,
    /// The province moves the hall now; `false`: the hall's facilitator took over.
    pub by_province: bool,
}

/// One running live session.
#[derive(Clone, Debug)]
pub struct Live {
    pub id: String,
    pub code: String,
    pub group_id: Option<String>,
    pub lesson_id: String,
    pub slides: usize,
    /// How many choices each quiz question has.
    pub choices: Vec<usize>,
    pub step: usize,
    pub revealed: bool,
    pub present: BTreeMap<String, How>,
    /// `(learner, question)` → choice; one answer a learner a question, the last one counts.
    pub answers: HashMap<(String, usize), usize>,
    pub ended: bool,
    /// The practice scenario the room runs instead of the lesson, if any.
    pub practice: Option<Room>,
    /// The province's session this one follows, if the province leads it.
    pub province: Option<Followed>,
}

impl Live {
    /// How many steps the session has: the slides, then the questions.
    pub fn steps(&self) -> usize {
        self.slides + self.choices.len()
    }

    pub fn current(&self) -> Step {
        if self.step < self.slides {
            Step::Slide(self.step)
        } else {
            Step::Question(self.step - self.slides)
        }
    }

    /// Moves from step `from` to step `to`, if the class is still on `from` and `to` exists:
    /// two facilitators pressing "next" on the same step move the class once. The answer
    /// is hidden again on the new step. `true` if it moved.
    pub fn go(&mut self, from: usize, to: usize) -> bool {
        if self.ended || self.step != from || to >= self.steps() || to == from {
            return false;
        }
        self.step = to;
        self.revealed = false;
        true
    }

    /// Puts the class where the province's session stands (`step`, the answer shown or
    /// not), if the province leads it and that step exists. `true` if it moved.
    pub fn follow(&mut self, step: usize, revealed: bool) -> bool {
        let led = self.province.as_ref().is_some_and(|p| p.by_province);
        if self.ended
            || !led
            || step >= self.steps()
            || (step, revealed) == (self.step, self.revealed)
        {
            return false;
        }
        self.step = step;
        self.revealed = revealed && matches!(self.current(), Step::Question(_));
        true
    }

    /// Whether the hall's own buttons move the class: not while the province leads it.
    pub fn led_here(&self) -> bool {
        self.province.as_ref().is_none_or(|p| !p.by_province)
    }

    /// Shows the current question's right answer. `true` if that changed anything.
    pub fn reveal(&mut self, at: usize) -> bool {
        if self.ended || self.step != at || self.revealed {
            return false;
        }
        if !matches!(self.current(), Step::Question(_)) {
            return false;
        }
        self.revealed = true;
        true
    }

    /// Whether `learner` may answer question `question` with `choice` now.
    pub fn check_answer(
        &self,
        learner: &str,
        question: usize,
        choice: usize,
    ) -> Result<(), AnswerRefused> {
        if self.ended {
            return Err(AnswerRefused::Ended);
        }
        if !self.present.contains_key(learner) {
            return Err(AnswerRefused::NotPresent);
        }
        if self.current() != Step::Question(question) {
            return Err(AnswerRefused::NotNow);
        }
        if self.revealed {
            return Err(AnswerRefused::Revealed);
        }
        if choice >= self.choices[question] {
            return Err(AnswerRefused::NoSuchChoice);
        }
        Ok(())
    }

    /// How many chose each choice of `question`.
    pub fn tally(&self, question: usize) -> Vec<u32> {
        self.counts(question, self.choices.get(question).copied().unwrap_or(0))
    }

    /// What `learner` answered to each question, in order (`None` where they did not).
    pub fn answers_of(&self, learner: &str) -> Vec<Option<usize>> {
        (0..self.choices.len())
            .map(|q| self.answers.get(&(learner.to_string(), q)).copied())
            .collect()
    }

    /// How many of `questions` `learner` answered right, and how many there are: the score a
    /// phone shows when the session ends (one not answered counts as not right).
    pub fn score_of(&self, learner: &str, questions: &[Question]) -> (usize, usize) {
        let right = self
            .answers_of(learner)
            .iter()
            .zip(questions)
            .filter(|(mine, question)| **mine == Some(question.answer))
            .count();
        (right, questions.len())
    }

    /// How many chose each of `n` choices on question or turn `question`.
    pub fn counts(&self, question: usize, n: usize) -> Vec<u32> {
        let mut counts = vec![0; n];
        for ((_, q), choice) in &self.answers {
            if *q == question
                && let Some(count) = counts.get_mut(*choice)
            {
                *count += 1;
            }
        }
        counts
    }

    /// A four-digit join code from four random bytes.
    pub fn new_code() -> String {
        let mut bytes = [0u8; 4];
        getrandom::fill(&mut bytes).expect("the system's random source works");
        format!("{:04}", u32::from_le_bytes(bytes) % 10_000)
    }
}

impl Live {
    /// The events ending this session records, at `at`: everyone present attended (which
    /// counts the lesson as learned), and whoever answered every one of `questions` has a
    /// quiz score, like a quiz taken alone.
    pub fn end_events(&self, questions: &[Question], at: &str) -> Vec<NewEvent> {
        let mut events = Vec::new();
        for (learner, how) in &self.present {
            let answers = self.answers_of(learner);
            events.push(NewEvent {
                id: uuid::Uuid::now_v7(),
                learner_id: learner.clone(),
                lesson_id: Some(self.lesson_id.clone()),
                at: at.to_string(),
                payload: serde_json::json!({
                    "live_session": self.id,
                    "group_id": self.group_id,
                    "how": how.code(),
                    "answers": answers,
                }),
                change: Change::Attended,
            });
            let all: Option<Vec<usize>> = answers.into_iter().collect();
            if let Some(all) = all.filter(|a| !a.is_empty())
                && let Ok(graded) = grade(questions, &all)
            {
                events.push(NewEvent {
                    id: uuid::Uuid::now_v7(),
                    learner_id: learner.clone(),
                    lesson_id: Some(self.lesson_id.clone()),
                    at: at.to_string(),
                    payload: serde_json::json!({
                        "answers": all,
                        "score": graded.score,
                        "total": graded.total,
                        "live_session": self.id,
                    }),
                    change: graded.change(),
                });
            }
        }
        events
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) fn live() -> Live {
        Live {
            id: "s".into(),
            code: "1234".into(),
            group_id: None,
            lesson_id: "m/l".into(),
            slides: 2,
            choices: vec![3, 4],
            step: 0,
            revealed: false,
            present: BTreeMap::from([("a".to_string(), How::Joined)]),
            answers: HashMap::new(),
            ended: false,
            practice: None,
            province: None,
        }
    }

    #[test]
    fn a_hall_follows_the_province_only_while_the_province_leads_it() {
        let mut live = live();
        assert!(!live.follow(2, false), "a hall's own session");
        live.province = Some(Followed {
            session: "p".into(),
            by_province: true,
        });
        assert!(!live.led_here());
        assert!(live.follow(2, true));
        assert_eq!((live.current(), live.revealed), (Step::Question(0), true));
        assert!(!live.follow(2, true), "already there");
        assert!(!live.follow(9, false), "no such step");
        assert!(live.follow(1, true), "a slide shows no answer");
        assert!(!live.revealed);
        live.province.as_mut().unwrap().by_province = false;
        assert!(live.led_here());
        assert!(!live.follow(3, false), "the hall took over");
    }

    #[test]
    fn two_presses_of_next_on_one_step_move_once() {
        let mut live = live();
        assert!(live.go(0, 1));
        assert!(!live.go(0, 1), "the second press was for step 0");
        assert_eq!(live.step, 1);
        assert!(!live.go(1, 4), "there are only 4 steps");
        assert!(live.go(1, 2));
        assert_eq!(live.current(), Step::Question(0));
    }

    #[test]
    fn answers_are_taken_only_on_their_question_before_the_reveal() {
        let mut live = live();
        assert_eq!(live.check_answer("a", 0, 1), Err(AnswerRefused::NotNow));
        live.go(0, 2);
        assert_eq!(live.check_answer("b", 0, 1), Err(AnswerRefused::NotPresent));
        assert_eq!(
            live.check_answer("a", 0, 3),
            Err(AnswerRefused::NoSuchChoice)
        );
        assert_eq!(live.check_answer("a", 0, 2), Ok(()));
        live.answers.insert(("a".into(), 0), 2);
        assert_eq!(live.tally(0), vec![0, 0, 1]);
        assert!(!live.reveal(1), "reveal names the step it was pressed on");
        assert!(live.reveal(2));
        assert_eq!(live.check_answer("a", 0, 1), Err(AnswerRefused::Revealed));
        assert!(live.go(2, 3), "a new step hides the answer again");
        assert!(!live.revealed);
        assert_eq!(live.answers_of("a"), vec![Some(2), None]);
    }

    #[test]
    fn a_score_counts_the_right_answers_and_every_question() {
        let question = |answer| Question {
            question: "?".into(),
            choices: vec!["x".into(); 4],
            answer,
            explain: String::new(),
        };
        let mut live = live();
        live.choices = vec![3, 4, 4];
        let questions = [question(2), question(0), question(3)];
        assert_eq!(live.score_of("a", &questions), (0, 3), "nothing answered");
        live.answers.insert(("a".into(), 0), 2);
        live.answers.insert(("a".into(), 1), 1);
        live.answers.insert(("b".into(), 2), 3);
        assert_eq!(live.score_of("a", &questions), (1, 3));
        assert_eq!(
            live.score_of("b", &questions),
            (1, 3),
            "each learner their own"
        );
    }

    #[test]
    fn slides_cannot_be_revealed_and_an_ended_session_does_not_move() {
        let mut live = live();
        assert!(!live.reveal(0));
        live.ended = true;
        assert!(!live.go(0, 1));
        assert_eq!(live.check_answer("a", 0, 0), Err(AnswerRefused::Ended));
    }

    #[test]
    fn codes_are_four_digits() {
        for _ in 0..100 {
            let code = Live::new_code();
            assert_eq!(code.len(), 4);
            assert!(code.bytes().all(|b| b.is_ascii_digit()));
        }
    }
}
