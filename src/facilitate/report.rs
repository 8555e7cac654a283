//! Reports' arithmetic, with no HTTP or SQL: which quiz questions are most often missed, and
//! tables written as CSV that spreadsheet programs open with Vietnamese intact.

use crate::store::AnswerSet;

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
