//! Reports' arithmetic, with no HTTP or SQL: which quiz questions are most often missed, how a
//! practice scenario fared (who did it, who kept safe the first time, the step most often got
//! wrong), and tables written as CSV that spreadsheet programs open with Vietnamese intact.

use std::collections::{BTreeMap, BTreeSet};

use crate::content::practice::Scenario;
use crate::store::{AnswerSet, Decision, PracticeState};

/// How a practice scenario fared on the box.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PracticeLine {
    /// Learners who made a decision in it.
    pub began: u32,
    /// Learners with a run that reached an end.
    pub finished: u32,
    /// Learners who kept safe at least once.
    pub done: u32,
    /// Learners whose first finished run kept them safe.
    pub first_try: u32,
    /// The step most often got wrong, if any was.
    pub worst: Option<WorstStep>,
}

/// A step and how it was got wrong: over each run's first answer at it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorstStep {
    pub step: String,
    pub answered: u32,
    pub wrong: u32,
    /// The wrong choice most taken and how many took it (`None` when the wrong answers were
    /// typed).
    pub choice: Option<(usize, u32)>,
}

impl WorstStep {
    /// Wrong out of a hundred, rounded.
    pub fn percent(&self) -> u32 {
        (self.wrong * 100 + self.answered / 2)
            .checked_div(self.answered)
            .unwrap_or(0)
    }

    /// The share that took the most taken wrong choice, out of a hundred.
    pub fn choice_percent(&self) -> u32 {
        self.choice.map_or(0, |(_, n)| {
            (n * 100 + self.answered / 2)
                .checked_div(self.answered)
                .unwrap_or(0)
        })
    }
}

/// How scenario `scenario_id` fared, from every standing the box keeps (`states`: one a
/// learner and scenario, any scenario) and its `decisions`, oldest first. Only each run's first answer at a step counts toward
/// the worst step (a second try after feedback is learning, not a miss).
pub fn practice_line(
    scenario_id: &str,
    scenario: &Scenario,
    states: &[PracticeState],
    decisions: &[Decision],
) -> PracticeLine {
    let mine: Vec<&PracticeState> = states
        .iter()
        .filter(|s| s.scenario_id == scenario_id)
        .collect();
    let began: BTreeSet<&str> = decisions.iter().map(|d| d.learner_id.as_str()).collect();
    let mut firsts: BTreeMap<&str, (u32, u32, BTreeMap<usize, u32>)> = BTreeMap::new();
    let mut seen: BTreeSet<(&str, &str)> = BTreeSet::new();
    for d in decisions {
        if !seen.insert((d.run.as_str(), d.step.as_str())) {
            continue;
        }
        let entry = firsts.entry(d.step.as_str()).or_default();
        entry.0 += 1;
        if !d.right {
            entry.1 += 1;
            if let Some(choice) = d.choice {
                *entry.2.entry(choice).or_default() += 1;
            }
        }
    }
    // The worst: the highest share wrong; ties go to the step first in the file.
    let order = |step: &str| {
        scenario
            .steps
            .iter()
            .position(|s| s.id == step)
            .unwrap_or(usize::MAX)
    };
    let worst = firsts
        .iter()
        .filter(|(_, (_, wrong, _))| *wrong > 0)
        .max_by(|(a, (an, aw, _)), (b, (bn, bw, _))| {
            (u64::from(*aw) * u64::from(*bn))
                .cmp(&(u64::from(*bw) * u64::from(*an)))
                .then(order(b).cmp(&order(a)))
        })
        .map(|(step, (answered, wrong, choices))| WorstStep {
            step: step.to_string(),
            answered: *answered,
            wrong: *wrong,
            choice: choices
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
                .map(|(c, n)| (*c, *n)),
        });
    PracticeLine {
        began: began.len().max(mine.len()) as u32,
        finished: mine.iter().filter(|s| s.runs > 0).count() as u32,
        done: mine.iter().filter(|s| s.won_at.is_some()).count() as u32,
        first_try: mine.iter().filter(|s| s.first_win == Some(true)).count() as u32,
        worst,
    }
}

/// How one question fared over every answer given to its quiz.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Miss {
    /// From 0, in the quiz's order.
    pub question: usize,
    pub asked: u32,
    pub missed: u32,
}

impl Miss {
    /// Missed out of a hundred, rounded; 0 when nobody answered.
    pub fn percent(&self) -> u32 {
        (self.missed * 100 + self.asked / 2)
            .checked_div(self.asked)
            .unwrap_or(0)
    }
}

/// For each question (whose right choices are `right`), how often it was asked and missed
/// over `answer_sets`; the most missed first (ties in quiz order). Answers to questions the
/// quiz no longer has are left out.
pub fn misses(answer_sets: &[AnswerSet], right: &[usize]) -> Vec<Miss> {
    let mut out: Vec<Miss> = (0..right.len())
        .map(|question| Miss {
            question,
            asked: 0,
            missed: 0,
        })
        .collect();
    for set in answer_sets {
        for (&question, given) in set.questions.iter().zip(&set.answers) {
            if let (Some(miss), Some(right)) = (out.get_mut(question), right.get(question)) {
                miss.asked += 1;
                miss.missed += u32::from(given != right);
            }
        }
    }
    out.sort_by(|a, b| {
        b.percent()
            .cmp(&a.percent())
            .then(a.question.cmp(&b.question))
    });
    out
}

/// A table as CSV: UTF-8 with a byte-order mark (so spreadsheet programs read Vietnamese
/// right), CRLF line ends, fields quoted when needed, and text that a spreadsheet would run
/// as a formula (`=`, `+`, `-`, `@` first) kept as text.
pub fn csv(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = String::from("\u{feff}");
    let mut line = |fields: &mut dyn Iterator<Item = &str>| {
        let cells: Vec<String> = fields.map(cell).collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    };
    line(&mut header.iter().copied());
    for row in rows {
        line(&mut row.iter().map(String::as_str));
    }
    out
}

fn cell(text: &str) -> String {
    let guarded = match text.chars().next() {
        Some('=' | '+' | '-' | '@') if text.parse::<f64>().is_err() => format!("'{text}"),
        _ => text.to_string(),
    };
    if guarded.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_most_missed_question_comes_first() {
        let set = |questions: &[usize], answers: &[usize]| AnswerSet {
            questions: questions.to_vec(),
            answers: answers.to_vec(),
        };
        let sets = vec![
            set(&[0, 1, 2], &[0, 1, 2]),
            set(&[0, 1, 2], &[0, 0, 2]),
            set(&[0, 1, 2], &[1, 0, 2]),
            set(&[0, 5], &[0, 1]),
        ];
        let m = misses(&sets, &[0, 1, 2]);
        assert_eq!(
            m,
            [
                Miss {
                    question: 1,
                    asked: 3,
                    missed: 2
                },
                Miss {
                    question: 0,
                    asked: 4,
                    missed: 1
                },
                Miss {
                    question: 2,
                    asked: 3,
                    missed: 0
                },
            ]
        );
        assert_eq!(m[0].percent(), 67);
        assert_eq!(m[1].percent(), 25);
        assert_eq!(misses(&[], &[0]).remove(0).percent(), 0);
    }

    #[test]
    fn csv_has_a_bom_quotes_and_no_formulas() {
        let rows = vec![
            vec![
                "Nguyễn Văn An".into(),
                "Buôn \"Đôn\", Ea Sol".into(),
                "-3".into(),
            ],
            vec!["=HYPERLINK(\"x\")".into(), "@me".into(), "".into()],
        ];
        assert_eq!(
            csv(&["Tên", "Thôn", "Số"], &rows),
            "\u{feff}Tên,Thôn,Số\r\nNguyễn Văn An,\"Buôn \"\"Đôn\"\", Ea Sol\",-3\r\n\"'=HYPERLINK(\"\"x\"\")\",'@me,\r\n"
        );
    }
}

#[cfg(test)]
mod practice_tests {
    use super::*;

    fn decision(
        learner: &str,
        run: &str,
        step: &str,
        choice: Option<usize>,
        right: bool,
    ) -> Decision {
        Decision {
            learner_id: learner.into(),
            run: run.into(),
            step: step.into(),
            choice,
            right,
        }
    }

    fn state(scenario: &str, runs: u32, first_win: Option<bool>, won: bool) -> PracticeState {
        PracticeState {
            scenario_id: scenario.into(),
            run_id: "r".into(),
            at: "x".into(),
            runs,
            first_win,
            won_at: won.then(|| "2026-12-03".into()),
        }
    }

    #[test]
    fn a_scenario_line_counts_learners_first_tries_and_the_step_most_got_wrong() {
        let scenario = crate::content::practice::parse(
            "kind = \"call\"\nlesson = \"l\"\ntitle = \"T\"\nintro = \"I\"\n\n[[step]]\nid = \"a\"\ncaller = \"c\"\nsays = \"s\"\nask = \"?\"\n\n[[step.choice]]\ntext = \"1\"\nright = true\nfeedback = \"f\"\nnext = \"b\"\n\n[[step.choice]]\ntext = \"2\"\nfeedback = \"f\"\nnext = \"b\"\n\n[[step]]\nid = \"b\"\ncaller = \"c\"\nsays = \"s\"\nask = \"?\"\n\n[[step.choice]]\ntext = \"1\"\nright = true\nfeedback = \"f\"\nnext = \"z\"\n\n[[step.choice]]\ntext = \"2\"\nfeedback = \"f\"\nnext = \"b\"\n\n[[step.choice]]\ntext = \"3\"\nfeedback = \"f\"\nnext = \"b\"\n\n[[end]]\nid = \"z\"\nwin = true\ntext = \"ok\"\n",
        )
        .unwrap();
        let decisions = [
            // Learner x: right at a, wrong at b (choice 2), then right at b (a second try: not counted).
            decision("x", "r1", "a", Some(0), true),
            decision("x", "r1", "b", Some(2), false),
            decision("x", "r1", "b", Some(0), true),
            // Learner y: wrong at a, wrong at b (choice 2), then right.
            decision("y", "r2", "a", Some(1), false),
            decision("y", "r2", "b", Some(2), false),
            decision("y", "r2", "b", Some(0), true),
            // Learner z, two runs: right at b in the second.
            decision("z", "r3", "a", Some(0), true),
            decision("z", "r3", "b", Some(1), false),
            decision("z", "r4", "a", Some(0), true),
            decision("z", "r4", "b", Some(0), true),
        ];
        let states = [
            state("m/s", 1, Some(true), true),
            state("m/s", 1, Some(true), true),
            state("m/s", 2, Some(true), true),
            state("m/other", 1, Some(false), false),
        ];
        let line = practice_line("m/s", &scenario, &states, &decisions);
        assert_eq!(
            (line.began, line.finished, line.done, line.first_try),
            (3, 3, 3, 3)
        );
        let worst = line.worst.unwrap();
        assert_eq!(worst.step, "b");
        assert_eq!((worst.answered, worst.wrong), (4, 3));
        assert_eq!(worst.choice, Some((2, 2)));
        assert_eq!((worst.percent(), worst.choice_percent()), (75, 50));
        let none = practice_line("m/s", &scenario, &[], &[]);
        assert_eq!(none, PracticeLine::default());
    }
}
