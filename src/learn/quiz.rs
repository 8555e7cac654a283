//! Grading a quiz on the box: the phone sends only the chosen indexes; the right answers and
//! their explanations never leave the box before that.

use crate::content::Question;
use crate::store::Change;

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

    #[test]
    fn refuses_wrong_counts_and_out_of_range() {
        let quiz = [q(0), q(1)];
        assert!(grade(&quiz, &[0]).unwrap_err().contains("expected 2"));
        assert!(grade(&quiz, &[0, 3]).unwrap_err().contains("question 2"));
    }
}
