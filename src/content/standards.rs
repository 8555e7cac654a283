//! The curriculum brief's standards that every lesson with text is held to: reading minutes,
//! words, slides, pictures, quiz size and choices, drawing size, and the checks that apply them.
//!
//! Each check is given what a lesson holds and answers in words what falls short of the brief.
//! It knows nothing of files, lines or how a lesson is read (that is `load`, which names the file
//! and line of each problem), nor of HTTP, SQL or the rest of the crate.

use std::ops::RangeInclusive;

use super::render::Rendered;

/// Largest image a lesson may show; a cheap phone on weak Wi-Fi must load it in a moment.
pub(super) const MAX_IMAGE_BYTES: usize = 50 * 1024;
/// Choices that make a question a riddle rather than a lesson (the brief, §1.4).
const CATCH_ALL_CHOICES: [&str; 4] = [
    "tất cả các ý trên",
    "không ý nào đúng",
    "all of the above",
    "none of the above",
];

/// What the curriculum brief asks of every lesson with text (`shared/curriculum.md`, §1.3–1.5):
/// 5–10 minutes on a phone, 300–700 words, slides for the projector, a quiz of 3 or more
/// questions with 3–4 choices, a picture, small drawings.
#[derive(Clone, Debug)]
pub(super) struct Standards {
    pub(super) minutes: RangeInclusive<u32>,
    pub(super) words: RangeInclusive<usize>,
    pub(super) min_slides: usize,
    pub(super) min_questions: usize,
    pub(super) choices: RangeInclusive<usize>,
    pub(super) min_pictures: usize,
    pub(super) max_svg_bytes: usize,
}

pub(super) const BRIEF: Standards = Standards {
    minutes: 5..=10,
    words: 300..=700,
    min_slides: 3,
    min_questions: 3,
    choices: 3..=4,
    min_pictures: 1,
    max_svg_bytes: 10 * 1024,
};

impl Standards {
    /// The reading minutes a lesson gives, or what to write instead when the brief does not
    /// allow them.
    pub(super) fn check_minutes(&self, given: i64) -> Result<u32, String> {
        match u32::try_from(given) {
            Ok(minutes) if self.minutes.contains(&minutes) => Ok(minutes),
            _ => Err(format!(
                "`minutes` is the reading time on a phone: a whole number from {} to {}",
                self.minutes.start(),
                self.minutes.end()
            )),
        }
    }

    /// The minutes a lesson is taken to last when it gives none the brief allows.
    pub(super) fn fallback_minutes(&self) -> u32 {
        *self.minutes.start()
    }

    /// What is wrong with a quiz of `questions` questions, if anything.
    pub(super) fn check_quiz_size(&self, questions: usize) -> Option<String> {
        (questions < self.min_questions).then(|| {
            format!(
                "the quiz has {questions} question(s); a lesson needs at least {}",
                self.min_questions
            )
        })
    }

    /// How many questions an attempt asks, given `ask` of a quiz of `questions`: at least as
    /// many as a quiz must have, at most all of them.
    pub(super) fn check_ask(&self, ask: i64, questions: usize) -> Result<usize, String> {
        match usize::try_from(ask) {
            Ok(ask) if (self.min_questions..=questions).contains(&ask) => Ok(ask),
            _ => Err(format!(
                "`ask = {ask}`: an attempt asks from {} to {questions} of the quiz's {questions} questions",
                self.min_questions
            )),
        }
    }

    /// A question's choices: as many as the brief asks, none empty, none twice, no catch-all.
    /// One message a thing wrong, in order.
    pub(super) fn check_choices(&self, choices: &[String]) -> Vec<String> {
        let mut problems = Vec::new();
        let wanted = &self.choices;
        if !wanted.contains(&choices.len()) {
            let message = if wanted.end() == &usize::MAX {
                format!("a question needs at least {} choices", wanted.start())
            } else {
                format!(
                    "a question has {} choices; give {} to {}",
                    choices.len(),
                    wanted.start(),
                    wanted.end()
                )
            };
            problems.push(message);
        }
        if choices.iter().any(|c| c.trim().is_empty()) {
            problems.push("a choice is empty".to_string());
        }
        for (i, choice) in choices.iter().enumerate() {
            let lower = choice.trim().to_lowercase();
            if choices[..i]
                .iter()
                .any(|c| c.trim().to_lowercase() == lower)
                && !lower.is_empty()
            {
                problems.push(format!("the choice {choice:?} is given twice"));
            }
            if CATCH_ALL_CHOICES.iter().any(|c| lower.contains(c)) {
                problems.push(format!(
                    "{choice:?}: give a real choice, not one about the others (the brief, §1.4)"
                ));
            }
        }
        problems
    }

    /// The length, slides and pictures the brief asks of a lesson's text. One message a thing
    /// wrong, in order.
    pub(super) fn check_body(&self, rendered: &Rendered) -> Vec<String> {
        let mut problems = Vec::new();
        if !self.words.contains(&rendered.words) {
            problems.push(format!(
                "the text has {} words; a lesson has {} to {} (5–10 minutes on a phone)",
                rendered.words,
                self.words.start(),
                self.words.end()
            ));
        }
        if rendered.slides.len() < self.min_slides {
            problems.push(format!(
                "the text has {} slide(s); the projector needs at least {}: separate them with a `---` line",
                rendered.slides.len(),
                self.min_slides
            ));
        }
        if rendered.pictures < self.min_pictures {
            problems.push(
                "the text has no picture; show at least one with `![alt](../../assets/FILE.svg)`"
                    .to_string(),
            );
        }
        problems
    }

    /// The most bytes an image with extension `ext` (lowercase) may have: a drawing is held to
    /// the brief's size, and no image may pass `MAX_IMAGE_BYTES`.
    pub(super) fn image_limit(&self, ext: &str) -> usize {
        match ext {
            "svg" => self.max_svg_bytes.min(MAX_IMAGE_BYTES),
            _ => MAX_IMAGE_BYTES,
        }
    }
}

#[cfg(test)]
mod tests;
