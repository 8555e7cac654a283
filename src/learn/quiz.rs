//! A quiz attempt on the box: which questions it asks and in what order each shows its
//! choices, and grading. The phone sends only the chosen choices (as the file numbers them,
//! whatever order they were shown in); the right answers and their explanations never leave
//! the box before that.

use crate::content::Question;
use crate::store::Change;

/// One attempt's questions, each with its choices in the order shown. The attempt's id
/// decides both, so the same attempt looks the same on every reload and its answers arrive
/// the same from the offline queue; a new attempt after one (`Làm lại`) asks other questions
/// where the quiz has more than it asks, and shows each question's choices in a new order.
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

impl Attempt {
    /// The attempt `id` over `quiz` asking `ask` questions; `after` is the attempt just
    /// before it, if the learner asked to try again.
    pub fn plan(id: uuid::Uuid, after: Option<uuid::Uuid>, quiz: &[Question], ask: usize) -> Attempt {
        let before = after.map(|after| Attempt::plan(after, None, quiz, ask));
        let mut rng = fastrand::Rng::with_seed(seed(id));
        let mut questions: Vec<usize> = (0..quiz.len()).collect();
        if ask < quiz.len() {
            rng.shuffle(&mut questions);
            // Questions the attempt before did not ask come first.
            if let Some(before) = &before {
                questions.sort_by_key(|q| before.questions.iter().any(|s| s.question == *q));
            }
            questions.truncate(ask);
            questions.sort_unstable();
        }
        let questions = questions
            .into_iter()
            .map(|question| {
                let mut order: Vec<usize> = (0..quiz[question].choices.len()).collect();
                rng.shuffle(&mut order);
                let same_as_before = before.as_ref().is_some_and(|b| {
                    b.questions
                        .iter()
                        .any(|s| s.question == question && s.order == order)
                });
                if same_as_before {
                    order.rotate_left(1);
                }
                Shown { question, order }
            })
            .collect();
        Attempt { questions }
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
pub fn grade_asked(quiz: &[Question], asked: &[usize], answers: &[usize]) -> Result<Graded, String> {
    let mut questions = Vec::with_capacity(asked.len());
    for (i, &q) in asked.iter().enumerate() {
        if asked[..i].contains(&q) {
            return Err(format!("question {} is asked twice", q + 1));
        }
        let question = quiz
            .get(q)
            .ok_or_else(|| format!("question {} does not exist; the quiz has {}", q + 1, quiz.len()))?;
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
        let a = Attempt::plan(id(1), None, &quiz, 3);
        assert_eq!(a, Attempt::plan(id(1), None, &quiz, 3));
        assert_eq!(a.questions.len(), 3);
        let asked = a.asked();
        assert!(asked.windows(2).all(|w| w[0] < w[1]), "in quiz order: {asked:?}");
        for shown in &a.questions {
            let mut order = shown.order.clone();
            order.sort_unstable();
            assert_eq!(order, [0, 1, 2], "each choice shown once");
        }
    }

    #[test]
    fn attempts_show_choices_in_different_orders() {
        let quiz = quiz(3);
        let orders: std::collections::BTreeSet<Vec<Vec<usize>>> = (0..40)
            .map(|n| {
                let a = Attempt::plan(uuid::Uuid::now_v7(), None, &quiz, 3);
                let _ = n;
                a.questions.into_iter().map(|s| s.order).collect()
            })
            .collect();
        assert!(orders.len() > 20, "{} orders in 40 attempts", orders.len());
        let firsts: std::collections::BTreeSet<usize> = orders.iter().map(|o| o[0][0]).collect();
        assert_eq!(firsts.len(), 3, "every choice comes first in some attempt");
    }

    #[test]
    fn trying_again_asks_the_questions_left_out_and_reorders_every_question() {
        let quiz = quiz(4);
        for n in 0..50 {
            let first = Attempt::plan(id(2 * n), None, &quiz, 3);
            let again = Attempt::plan(id(2 * n + 1), Some(id(2 * n)), &quiz, 3);
            let left_out = (0..4).find(|q| !first.asked().contains(q)).unwrap();
            assert!(again.asked().contains(&left_out), "{first:?} then {again:?}");
            for shown in &again.questions {
                assert!(
                    !first.questions.contains(shown),
                    "question {} shown as before: {first:?} then {again:?}",
                    shown.question
                );
            }
        }
        let all = Attempt::plan(id(7), Some(id(6)), &quiz, 4);
        assert_eq!(all.asked(), [0, 1, 2, 3]);
    }

    #[test]
    fn grading_follows_the_questions_asked() {
        let quiz = quiz(4); // right choices 0, 1, 2, 0
        let g = grade_asked(&quiz, &[1, 3], &[1, 2]).unwrap();
        assert_eq!((g.score, g.total, g.right), (1, 2, vec![true, false]));
        assert!(grade_asked(&quiz, &[1, 1], &[1, 1]).unwrap_err().contains("twice"));
        assert!(grade_asked(&quiz, &[4], &[0]).unwrap_err().contains("does not exist"));
        assert!(grade_asked(&quiz, &[0, 1], &[0]).unwrap_err().contains("expected 2"));
    }

    #[test]
    fn refuses_wrong_counts_and_out_of_range() {
        let quiz = [q(0), q(1)];
        assert!(grade(&quiz, &[0]).unwrap_err().contains("expected 2"));
        assert!(grade(&quiz, &[0, 3]).unwrap_err().contains("question 2"));
    }
}
