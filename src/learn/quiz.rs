//! A quiz attempt on the box: which questions it asks and in what order each shows its
//! choices, and grading. The phone sends only the chosen choices (as the file numbers them,
//! whatever order they were shown in); the right answers and their explanations never leave
//! the box before that.

use crate::content::Question;
use crate::store::Change;

/// One attempt's questions, each with its choices in the order shown. The attempt's id alone
/// decides both, so the same attempt looks the same on every reload and its answers arrive
/// the same from the offline queue. The attempt after one ("Làm lại") gets an id chosen so
/// that it asks the questions the last one left out, where the quiz has more than it asks,
/// and shows every question again in a new order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attempt {
    pub questions: Vec<Shown>,
}

/// A question as one attempt shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shown {
    /// The question's place in the quiz, from 0.
    pub question: usize,
    /// The choices' places in the quiz, in the order shown.
    pub order: Vec<usize>,
}

/// How many ids `Attempt::next` tries before it settles for the best it found.
const TRIES: usize = 500;

impl Attempt {
    /// The attempt `id` over `quiz`, asking `ask` of its questions (in the quiz's order).
    pub fn plan(id: uuid::Uuid, quiz: &[Question], ask: usize) -> Attempt {
        let mut rng = fastrand::Rng::with_seed(seed(id));
        let mut questions: Vec<usize> = (0..quiz.len()).collect();
        if ask < quiz.len() {
            rng.shuffle(&mut questions);
            questions.truncate(ask);
            questions.sort_unstable();
        }
        let questions = questions
            .into_iter()
            .map(|question| {
                let mut order: Vec<usize> = (0..quiz[question].choices.len()).collect();
                rng.shuffle(&mut order);
                Shown { question, order }
            })
            .collect();
        Attempt { questions }
    }

    /// An id for the attempt after this one: it asks as many of the questions this one left
    /// out as it can, and shows no question in the same order as this one did.
    pub fn next(&self, quiz: &[Question], ask: usize) -> uuid::Uuid {
        let left_out = quiz.len() - self.questions.len();
        let wanted = (left_out.min(ask), ask);
        let mut best = (uuid::Uuid::now_v7(), (0, 0));
        for _ in 0..TRIES {
            let id = uuid::Uuid::now_v7();
            let next = Attempt::plan(id, quiz, ask);
            let new = next
                .questions
                .iter()
                .filter(|s| !self.questions.iter().any(|b| b.question == s.question))
                .count();
            let reordered = next
                .questions
                .iter()
                .filter(|s| !self.questions.contains(s))
                .count();
            let score = (new, reordered);
            if score == wanted {
                return id;
            }
            if score > best.1 {
                best = (id, score);
            }
        }
        best.0
    }

    /// The questions asked, in order.
    pub fn asked(&self) -> Vec<usize> {
        self.questions.iter().map(|s| s.question).collect()
    }
}

/// A number from an attempt's id to seed its shuffles (a version 7 id's random bits are its
/// last 62).
fn seed(id: uuid::Uuid) -> u64 {
    let bits = id.as_u128();
    (bits as u64) ^ ((bits >> 64) as u64)
}

/// A graded attempt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Graded {
    pub score: u32,
    pub total: u32,
    /// Whether each answer was right, question by question.
    pub right: Vec<bool>,
}

/// Whether `score` of `total` passes: at least two thirds right.
pub fn passes(score: u32, total: u32) -> bool {
    total > 0 && score * 3 >= total * 2
}

impl Graded {
    /// At least two thirds right.
    pub fn passed(&self) -> bool {
        passes(self.score, self.total)
    }

    /// What this attempt changes in the learner's record.
    pub fn change(&self) -> Change {
        Change::Quiz {
            score: self.score,
            total: self.total,
            passed: self.passed(),
        }
    }
}

/// Grades `answers` to the questions `asked` (places in `quiz`, from 0; each once). `Err`
/// says what is wrong, in plain English for the API.
pub fn grade_asked(
    quiz: &[Question],
    asked: &[usize],
    answers: &[usize],
) -> Result<Graded, String> {
    let mut questions = Vec::with_capacity(asked.len());
    for (i, &q) in asked.iter().enumerate() {
        if asked[..i].contains(&q) {
            return Err(format!("question {} is asked twice", q + 1));
        }
        let question = quiz.get(q).ok_or_else(|| {
            format!(
                "question {} does not exist; the quiz has {}",
                q + 1,
                quiz.len()
            )
        })?;
        questions.push(question.clone());
    }
    grade(&questions, answers)
}

/// Grades `answers` (one choice index a question, counted from 0) against `questions`.
/// `Err` says what is wrong with the answers, in plain English for the API.
pub fn grade(questions: &[Question], answers: &[usize]) -> Result<Graded, String> {
    if answers.len() != questions.len() {
        return Err(format!(
            "expected {} answers, got {}",
            questions.len(),
            answers.len()
        ));
    }
    let mut right = Vec::with_capacity(answers.len());
    for (i, (question, &answer)) in questions.iter().zip(answers).enumerate() {
        if answer >= question.choices.len() {
            return Err(format!(
                "answer {} is {answer}; question {} has choices 0 to {}",
                i + 1,
                i + 1,
                question.choices.len() - 1
            ));
        }
        right.push(answer == question.answer);
    }
    let score = right.iter().filter(|r| **r).count() as u32;
    Ok(Graded {
        score,
        total: questions.len() as u32,
        right,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(answer: usize) -> Question {
        Question {
            question: "?".into(),
            choices: vec!["a".into(), "b".into(), "c".into()],
            answer,
            explain: "".into(),
        }
    }

    #[test]
    fn grades_and_passes_at_two_thirds() {
        let quiz = [q(0), q(1), q(2)];
        let g = grade(&quiz, &[0, 1, 0]).unwrap();
        assert_eq!(
            (g.score, g.total, g.right.clone()),
            (2, 3, vec![true, true, false])
        );
        assert!(g.passed());
        assert!(!grade(&quiz, &[1, 1, 0]).unwrap().passed());
    }

    fn quiz(n: usize) -> Vec<Question> {
        (0..n).map(|i| q(i % 3)).collect()
    }

    fn id(n: u128) -> uuid::Uuid {
        uuid::Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0000 | n)
    }

    #[test]
    fn an_attempt_looks_the_same_every_time_it_is_planned() {
        let quiz = quiz(4);
        let a = Attempt::plan(id(1), &quiz, 3);
        assert_eq!(a, Attempt::plan(id(1), &quiz, 3));
        assert_eq!(a.questions.len(), 3);
        let asked = a.asked();
        assert!(
            asked.windows(2).all(|w| w[0] < w[1]),
            "in quiz order: {asked:?}"
        );
        for shown in &a.questions {
            let mut order = shown.order.clone();
            order.sort_unstable();
            assert_eq!(order, [0, 1, 2], "each choice shown once");
        }
        assert_eq!(Attempt::plan(id(1), &quiz, 4).asked(), [0, 1, 2, 3]);
    }

    #[test]
    fn attempts_show_choices_in_different_orders() {
        let quiz = quiz(3);
        let orders: std::collections::BTreeSet<Vec<Vec<usize>>> = (0..40)
            .map(|_| {
                let a = Attempt::plan(uuid::Uuid::now_v7(), &quiz, 3);
                a.questions.into_iter().map(|s| s.order).collect()
            })
            .collect();
        assert!(orders.len() > 20, "{} orders in 40 attempts", orders.len());
        let firsts: std::collections::BTreeSet<usize> = orders.iter().map(|o| o[0][0]).collect();
        assert_eq!(firsts.len(), 3, "every choice comes first in some attempt");
    }

    #[test]
    fn the_next_attempt_asks_the_questions_left_out_and_reorders_every_question() {
        for (size, ask) in [(4, 3), (5, 3), (3, 3)] {
            let quiz = quiz(size);
            let mut attempt = Attempt::plan(uuid::Uuid::now_v7(), &quiz, ask);
            for _ in 0..30 {
                let next = Attempt::plan(attempt.next(&quiz, ask), &quiz, ask);
                let left_out: Vec<usize> =
                    (0..size).filter(|q| !attempt.asked().contains(q)).collect();
                let asked_again = left_out.iter().filter(|q| next.asked().contains(q)).count();
                assert_eq!(
                    asked_again,
                    left_out.len().min(ask),
                    "{attempt:?} then {next:?}"
                );
                for shown in &next.questions {
                    assert!(
                        !attempt.questions.contains(shown),
                        "question {} shown as before: {attempt:?} then {next:?}",
                        shown.question
                    );
                }
                attempt = next;
            }
        }
    }

    #[test]
    fn grading_follows_the_questions_asked() {
        let quiz = quiz(4); // right choices 0, 1, 2, 0
        let g = grade_asked(&quiz, &[1, 3], &[1, 2]).unwrap();
        assert_eq!((g.score, g.total, g.right), (1, 2, vec![true, false]));
        assert!(
            grade_asked(&quiz, &[1, 1], &[1, 1])
                .unwrap_err()
                .contains("twice")
        );
        assert!(
            grade_asked(&quiz, &[4], &[0])
                .unwrap_err()
                .contains("does not exist")
        );
        assert!(
            grade_asked(&quiz, &[0, 1], &[0])
                .unwrap_err()
                .contains("expected 2")
        );
    }

    #[test]
    fn refuses_wrong_counts_and_out_of_range() {
        let quiz = [q(0), q(1)];
        assert!(grade(&quiz, &[0]).unwrap_err().contains("expected 2"));
        assert!(grade(&quiz, &[0, 3]).unwrap_err().contains("question 2"));
    }
}
