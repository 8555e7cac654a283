//! A lesson file as an author edits it, taken apart into its fields (title, objective, the
//! quiz, one Markdown text a slide) and written back: what the box's lesson editor works on.
//! Writing escapes every field as TOML, so nothing typed in a field can reach the front
//! matter's structure; the loader then checks the file as it checks every lesson.

use pulldown_cmark::{Event, Options, Parser};
use serde::{Deserialize, Serialize};

use super::front_matter;

/// A lesson file's parts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LessonParts {
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minutes: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ask: Option<i64>,
    pub objective: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audio: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub quiz: Vec<QuizParts>,
    /// The Markdown of each slide, in order.
    #[serde(skip)]
    pub slides: Vec<String>,
}

/// A quiz question as the file writes it: `answer` counts the choices from 1.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuizParts {
    pub question: String,
    pub choices: Vec<String>,
    pub answer: i64,
    pub explain: String,
}

/// Takes a lesson file apart; what is wrong with its frame or front matter when it cannot.
pub fn parse_lesson(text: &str) -> Result<LessonParts, String> {
    let split = front_matter::split(text).map_err(str::to_string)?;
    let mut parts: LessonParts =
        toml::from_str(split.front).map_err(|e| e.message().trim().to_string())?;
    parts.slides = slides(split.body);
    Ok(parts)
}

/// The Markdown of each slide of `body`: the text between its rules (`---`), trimmed.
pub fn slides(body: &str) -> Vec<String> {
    let mut cuts = vec![(0, 0)];
    for (event, range) in Parser::new_ext(body, Options::ENABLE_TABLES).into_offset_iter() {
        if event == Event::Rule {
            cuts.push((range.start, range.end));
        }
    }
    cuts.push((body.len(), body.len()));
    cuts.windows(2)
        .map(|w| body[w[0].1..w[1].0].trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Writes a lesson file from its parts: TOML front matter, then the slides between rules.
/// A field of the front matter is one line: line breaks typed in one become spaces.
pub fn write_lesson(parts: &LessonParts) -> String {
    let line = |s: &str| {
        s.split(['\r', '\n'])
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut front = parts.clone();
    front.title = line(&front.title);
    front.objective = line(&front.objective);
    front.credit = front.credit.as_deref().map(line);
    for q in &mut front.quiz {
        q.question = line(&q.question);
        q.explain = line(&q.explain);
        q.choices = q.choices.iter().map(|c| line(c)).collect();
    }
    let front = toml::to_string(&front).expect("lesson parts serialize");
    let body = parts
        .slides
        .iter()
        .map(|s| s.trim())
        .collect::<Vec<_>>()
        .join("\n\n---\n\n");
    format!("+++\n{front}+++\n\n{body}\n")
}

/// The fields of a file written by `write_lesson` by line: which field (`title`,
/// `objective`, `minutes`, `quiz N` from 1, `slide N` from 1) each 1-based line belongs to.
pub fn field_of_line(text: &str, line: usize) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    let index = line.checked_sub(1)?;
    let close = lines.iter().skip(1).position(|l| l.trim_end() == "+++")? + 1;
    if index == 0 || index == close {
        return None;
    }
    if index < close {
        let mut question = 0;
        let mut field = None;
        for l in &lines[1..=index] {
            let l = l.trim_start();
            if l.starts_with("[[quiz]]") {
                question += 1;
                field = Some(format!("quiz {question}"));
            } else if question == 0
                && let Some((key, _)) = l.split_once('=')
            {
                field = Some(key.trim().to_string());
            }
        }
        return field;
    }
    // In the body: count the rules above the line (as `write_lesson` writes them).
    let above = lines[close + 1..index]
        .iter()
        .filter(|l| l.trim() == "---")
        .count();
    Some(format!("slide {}", above + 1))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn lesson() -> LessonParts {
        LessonParts {
            title: "Tin nhắn \"trúng thưởng\"".into(),
            minutes: Some(5),
            ask: None,
            objective: "Nhận ra tin nhắn giả.".into(),
            credit: None,
            audio: None,
            quiz: vec![QuizParts {
                question: "Nên làm gì?".into(),
                choices: vec!["Xoá tin".into(), "Bấm link".into()],
                answer: 1,
                explain: "Link lạ dẫn tới trang lừa đảo.".into(),
            }],
            slides: vec!["## Một\n\nChữ.".into(), "## Hai\n\n- a\n- b".into()],
        }
    }

    #[test]
    fn a_lesson_written_reads_back_the_same() {
        let parts = lesson();
        let text = write_lesson(&parts);
        assert_eq!(parse_lesson(&text).unwrap(), parts);
    }

    #[test]
    fn a_field_is_one_line_whatever_is_typed_in_it() {
        let mut parts = lesson();
        parts.objective = "Nhận ra\n+++\nquiz = 1".into();
        let back = parse_lesson(&write_lesson(&parts)).unwrap();
        assert_eq!(back.objective, "Nhận ra +++ quiz = 1");
        assert_eq!(back.quiz, parts.quiz);
    }

    #[test]
    fn every_line_names_its_field() {
        let text = write_lesson(&lesson());
        let field = |needle: &str| {
            let line = text.lines().position(|l| l.contains(needle)).unwrap() + 1;
            field_of_line(&text, line)
        };
        assert_eq!(field("title =").as_deref(), Some("title"));
        assert_eq!(field("objective =").as_deref(), Some("objective"));
        assert_eq!(field("question =").as_deref(), Some("quiz 1"));
        assert_eq!(field("## Hai").as_deref(), Some("slide 2"));
        assert_eq!(field("## Một").as_deref(), Some("slide 1"));
    }

    #[test]
    fn slides_are_cut_at_rules_only() {
        assert_eq!(slides("a\n\n---\n\nb\n\n***\n\nc"), ["a", "b", "c"]);
        assert_eq!(slides("Tiêu đề\n---\n\nchữ"), ["Tiêu đề\n---\n\nchữ"]);
        assert_eq!(slides("\n\n---\n\n"), Vec::<String>::new());
    }

    proptest! {
        #[test]
        fn any_typed_fields_survive_writing_and_reading(
            title in "\\PC{0,40}",
            objective in "[\\PC\\n]{0,60}",
            question in "\\PC{0,40}",
            choice in "\\PC{0,20}",
        ) {
            let mut parts = lesson();
            parts.title = title;
            parts.objective = objective;
            parts.quiz[0].question = question;
            parts.quiz[0].choices[0] = choice;
            let back = parse_lesson(&write_lesson(&parts)).unwrap();
            let line = |s: &str| s.split(['\r', '\n']).map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join(" ");
            prop_assert_eq!(back.title, line(&parts.title));
            prop_assert_eq!(back.objective, line(&parts.objective));
            prop_assert_eq!(&back.quiz[0].question, &line(&parts.quiz[0].question));
            prop_assert_eq!(&back.quiz[0].choices[0], &line(&parts.quiz[0].choices[0]));
        }

        #[test]
        fn any_text_is_parsed_or_refused_without_panic(text in "[\\PC\\n+=\\[\\]-]{0,300}") {
            let _ = parse_lesson(&text);
            let _ = field_of_line(&text, 3);
        }
    }
}
