//! Whether quizzes can be passed by test-taking instead of understanding: the right answer
//! being the longest choice far more often than chance, or sitting where a pattern gives it
//! away. The box shuffles choices for each attempt, but live lessons, paper handouts and
//! packs show them in the file's order, so the file must be fair too.
//!
//! "Far more often than chance" is a one-sided test: the chance of seeing so many or more if
//! choices were written and placed at random is under 1 in 100.

use super::front_matter::Question;

/// Below this chance of happening at random, a count is a pattern worth a warning.
const UNLIKELY: f64 = 0.01;

/// Position letters, as learners see choices on paper.
const LETTERS: [char; 4] = ['A', 'B', 'C', 'D'];

/// The most choices a question has (`standards` holds quizzes to 3–4).
const MAX_CHOICES: usize = 4;

/// A count of right answers with a property, and how many chance would give.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Count {
    pub seen: u32,
    /// Each question's chance of the property, in question order.
    chances: Vec<f64>,
}

impl Count {
    fn add(&mut self, seen: bool, chance: f64) {
        self.seen += u32::from(seen);
        self.chances.push(chance);
    }

    /// How many chance alone would give, on average.
    pub fn expected(&self) -> f64 {
        self.chances.iter().sum()
    }

    /// The chance of seeing `seen` or more at random (a Poisson binomial tail).
    pub fn chance_of_so_many(&self) -> f64 {
        let mut dist = vec![1.0];
        for &p in &self.chances {
            let mut next = vec![0.0; dist.len() + 1];
            for (k, &q) in dist.iter().enumerate() {
                next[k] += q * (1.0 - p);
                next[k + 1] += q * p;
            }
            dist = next;
        }
        dist.iter().skip(self.seen as usize).sum()
    }

    fn unlikely(&self) -> bool {
        self.seen > 0 && self.chance_of_so_many() < UNLIKELY
    }

    fn merge(&mut self, other: &Count) {
        self.seen += other.seen;
        self.chances.extend_from_slice(&other.chances);
    }
}

/// A group of questions' figures: how often the right answer is the longest choice, and
/// where it sits.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Figures {
    pub questions: u32,
    pub longest: Count,
    pub positions: [Count; MAX_CHOICES],
}

impl Figures {
    fn add(&mut self, question: &Question) {
        let k = question.choices.len().max(1);
        self.questions += 1;
        self.longest.add(right_is_longest(question), 1.0 / k as f64);
        for (p, count) in self.positions.iter_mut().enumerate() {
            if p < k {
                count.add(question.answer == p, 1.0 / k as f64);
            }
        }
    }

    fn merge(&mut self, other: &Figures) {
        self.questions += other.questions;
        self.longest.merge(&other.longest);
        for (mine, theirs) in self.positions.iter_mut().zip(&other.positions) {
            mine.merge(theirs);
        }
    }
}

/// The figures `hocso lessons check --stats` prints: each module's Vietnamese quizzes, and
/// all of them together.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Stats {
    /// `(module folder, figures)` in module order.
    pub modules: Vec<(String, Figures)>,
    pub all: Figures,
    /// Where question 1's answer sits, lesson by lesson, across all modules.
    pub first_questions: [Count; MAX_CHOICES],
}

/// One lesson file's quiz, as `review` reads it.
pub struct QuizFile<'a> {
    pub path: String,
    /// Whether this is the Vietnamese file (positions are the same in translations).
    pub vietnamese: bool,
    pub quiz: &'a [Question],
}

/// A warning: where (a file or folder) and what.
pub type Warning = (String, String);

/// Warnings for one module's quiz files, and its figures (of Vietnamese files).
pub fn review_module(folder: &str, files: &[QuizFile<'_>]) -> (Vec<Warning>, Figures) {
    let mut warnings = Vec::new();
    let mut figures = Figures::default();
    let mut translated: std::collections::BTreeMap<&str, Count> = Default::default();
    let mut lessons = 0;
    let mut every_lesson_a_permutation = true;
    for file in files {
        if !file.vietnamese {
            let lang = file.path.rsplit('.').nth(1).unwrap_or("");
            let count = translated.entry(lang).or_default();
            for q in file.quiz {
                count.add(right_is_longest(q), 1.0 / q.choices.len().max(1) as f64);
            }
            continue;
        }
        for q in file.quiz {
            figures.add(q);
        }
        if let Some(message) = lesson_pattern(file.quiz) {
            warnings.push((file.path.clone(), message));
        }
        if file.quiz.len() >= 3 {
            lessons += 1;
            let first: Vec<&Question> = file.quiz.iter().take(3).collect();
            let three_choices = first.iter().all(|q| q.choices.len() == 3);
            let mut positions: Vec<usize> = first.iter().map(|q| q.answer).collect();
            positions.sort_unstable();
            every_lesson_a_permutation &= three_choices && positions == [0, 1, 2];
        }
    }
    if figures.longest.unlikely() {
        warnings.push((folder.to_string(), longest_message(&figures.longest, "")));
    }
    for (lang, count) in translated {
        if count.unlikely() {
            warnings.push((folder.to_string(), longest_message(&count, lang)));
        }
    }
    for (p, count) in figures.positions.iter().enumerate() {
        if count.unlikely() {
            warnings.push((folder.to_string(), position_message(p, count, "questions")));
        }
    }
    if lessons >= 3 && every_lesson_a_permutation {
        warnings.push((
            folder.to_string(),
            "in every lesson the first three answers are A, B and C in some order, so the third can be guessed from the first two: let a position repeat in some lessons".into(),
        ));
    }
    (warnings, figures)
}

/// Warnings across all modules, and the figures of all of them: where question 1's answer
/// sits, lesson by lesson.
pub fn review_all(
    label: &str,
    modules: Vec<(String, Figures)>,
    first_answers: &[&Question],
) -> (Vec<Warning>, Stats) {
    let mut stats = Stats {
        modules,
        ..Stats::default()
    };
    for (_, figures) in &stats.modules {
        stats.all.merge(figures);
    }
    for q in first_answers {
        let k = q.choices.len().max(1);
        for (p, count) in stats.first_questions.iter_mut().enumerate() {
            if p < k {
                count.add(q.answer == p, 1.0 / k as f64);
            }
        }
    }
    let mut warnings = Vec::new();
    for (p, count) in stats.all.positions.iter().enumerate() {
        if count.unlikely() {
            warnings.push((label.to_string(), position_message(p, count, "questions")));
        }
    }
    for (p, count) in stats.first_questions.iter().enumerate() {
        if count.unlikely() {
            warnings.push((
                label.to_string(),
                format!(
                    "question 1's answer is choice {} in {} of {} lessons (chance gives about {:.0}): vary where the first answer sits",
                    LETTERS[p],
                    count.seen,
                    count.chances.len(),
                    count.expected()
                ),
            ));
        }
    }
    (warnings, stats)
}

fn position_message(p: usize, count: &Count, of_what: &str) -> String {
    format!(
        "the right answer is choice {} in {} of the {} {of_what} that have it (chance gives about {:.0}): move some to other places",
        LETTERS[p],
        count.seen,
        count.chances.len(),
        count.expected()
    )
}

fn longest_message(count: &Count, lang: &str) -> String {
    let whose = match lang {
        "" => String::new(),
        lang => format!(" of the `{lang}` files"),
    };
    format!(
        "the right answer is the longest choice in {} of {} questions{whose} (chance gives about {:.0}): learners pick the longest and pass; make wrong choices as long, or right ones shorter",
        count.seen,
        count.chances.len(),
        count.expected()
    )
}

/// Whether the right choice is longer than every other, in characters.
pub fn right_is_longest(question: &Question) -> bool {
    let len = |s: &String| s.chars().count();
    let Some(right) = question.choices.get(question.answer) else {
        return false;
    };
    question
        .choices
        .iter()
        .enumerate()
        .all(|(i, c)| i == question.answer || len(c) < len(right))
}

/// A pattern in one lesson's answer positions that gives the answers away: all in one place,
/// or a straight run (A, B, C or C, B, A).
fn lesson_pattern(quiz: &[Question]) -> Option<String> {
    if quiz.len() < 3 {
        return None;
    }
    let positions: Vec<usize> = quiz.iter().map(|q| q.answer).collect();
    let letters = || -> String {
        positions
            .iter()
            .map(|&p| LETTERS.get(p).copied().unwrap_or('?').to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let step = |d: isize| {
        positions
            .windows(2)
            .all(|w| w[1] as isize - w[0] as isize == d)
    };
    if step(0) {
        Some(format!(
            "every answer is choice {}: a learner who notices passes without reading",
            letters().chars().next().unwrap_or('?')
        ))
    } else if step(1) || step(-1) {
        Some(format!(
            "the answers run {} in order: a learner who notices passes without reading",
            letters()
        ))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(choices: &[&str], answer: usize) -> Question {
        Question {
            question: "?".into(),
            choices: choices.iter().map(|c| c.to_string()).collect(),
            answer,
            explain: String::new(),
        }
    }

    fn file(quiz: &[Question]) -> QuizFile<'_> {
        QuizFile {
            path: "lessons/01-m/01-a.vi.md".into(),
            vietnamese: true,
            quiz,
        }
    }

    #[test]
    fn the_tail_of_a_fair_count_is_large_and_of_a_biased_one_small() {
        let mut count = Count::default();
        for i in 0..18 {
            count.add(i < 15, 1.0 / 3.0);
        }
        assert!((count.expected() - 6.0).abs() < 1e-9);
        assert!(count.chance_of_so_many() < 1e-4);
        count.seen = 6;
        assert!(count.chance_of_so_many() > 0.4);
        count.seen = 0;
        assert!((count.chance_of_so_many() - 1.0).abs() < 1e-9);
    }

    #[test]
    fn right_is_longest_only_when_strictly_longer() {
        assert!(right_is_longest(&q(&["ab", "abcd", "abc"], 1)));
        assert!(!right_is_longest(&q(&["abcd", "abcd", "abc"], 1)));
        assert!(!right_is_longest(&q(&["ab", "abcd", "abc"], 0)));
        assert!(
            right_is_longest(&q(&["đường", "đi"], 0)),
            "counts characters, not bytes"
        );
    }

    #[test]
    fn a_module_whose_right_answers_are_the_longest_is_warned_about() {
        let biased: Vec<Question> = (0..15)
            .map(|i| {
                q(
                    &["ngắn", "ngắn nữa", "câu trả lời đúng và dài"],
                    [2, 0, 1][i % 3],
                )
            })
            .map(|mut q| {
                let right = q.choices.remove(2);
                q.choices.insert(q.answer, right);
                q
            })
            .collect();
        let files: Vec<QuizFile> = biased.chunks(3).map(file).collect();
        let (warnings, figures) = review_module("lessons/01-m", &files);
        assert_eq!(figures.longest.seen, 15);
        assert_eq!(figures.questions, 15);
        assert!(
            warnings
                .iter()
                .any(|(at, m)| at == "lessons/01-m" && m.contains("longest choice in 15 of 15")),
            "{warnings:?}"
        );
    }

    #[test]
    fn patterns_in_a_lesson_and_across_a_module_are_named() {
        let same = [
            q(&["a", "b", "c"], 1),
            q(&["a", "b", "c"], 1),
            q(&["a", "b", "c"], 1),
        ];
        assert!(
            lesson_pattern(&same)
                .unwrap()
                .contains("every answer is choice B")
        );
        let run = [
            q(&["a", "b", "c"], 0),
            q(&["a", "b", "c"], 1),
            q(&["a", "b", "c"], 2),
        ];
        assert!(lesson_pattern(&run).unwrap().contains("run A, B, C"));
        let down = [
            q(&["a", "b", "c"], 2),
            q(&["a", "b", "c"], 1),
            q(&["a", "b", "c"], 0),
        ];
        assert!(lesson_pattern(&down).is_some());
        let fair = [
            q(&["a", "b", "c"], 1),
            q(&["a", "b", "c"], 0),
            q(&["a", "b", "c"], 2),
        ];
        assert_eq!(lesson_pattern(&fair), None);
        assert_eq!(lesson_pattern(&fair[..2]), None);

        let lessons = [fair.clone(), fair.clone(), fair.clone(), fair];
        let files: Vec<QuizFile> = lessons.iter().map(|l| file(l)).collect();
        let (warnings, _) = review_module("lessons/01-m", &files);
        assert!(
            warnings
                .iter()
                .any(|(_, m)| m.contains("A, B and C in some order"))
        );
        assert!(warnings.iter().all(|(_, m)| !m.contains("longest")));
    }

    #[test]
    fn a_fair_module_has_no_warning() {
        let lessons = [
            [
                q(&["aa", "b", "c"], 1),
                q(&["a", "b", "cc"], 1),
                q(&["a", "bb", "c"], 2),
                q(&["a", "b", "c"], 0),
            ],
            [
                q(&["a", "bb", "c"], 0),
                q(&["a", "b", "c"], 2),
                q(&["a", "b", "c"], 2),
                q(&["aa", "b", "c"], 1),
            ],
            [
                q(&["a", "b", "c"], 2),
                q(&["a", "b", "cc"], 0),
                q(&["a", "bb", "c"], 0),
                q(&["a", "b", "cc"], 2),
            ],
        ];
        let files: Vec<QuizFile> = lessons.iter().map(|l| file(l)).collect();
        let (warnings, figures) = review_module("lessons/01-m", &files);
        assert_eq!(warnings, Vec::<Warning>::new());
        assert_eq!(
            figures.positions.iter().map(|c| c.seen).collect::<Vec<_>>(),
            [4, 3, 5, 0]
        );
    }

    #[test]
    fn question_one_always_in_one_place_is_warned_about_across_modules() {
        let quizzes: Vec<Question> = (0..29)
            .map(|i| q(&["a", "b", "c"], usize::from(i % 3 != 0)))
            .collect();
        let first: Vec<&Question> = quizzes.iter().collect();
        let (warnings, stats) = review_all("lessons", Vec::new(), &first);
        assert_eq!(stats.first_questions[1].seen, 19);
        assert!(
            warnings[0].1.contains("choice B in 19 of 29 lessons"),
            "{warnings:?}"
        );
    }
}
