//! A lesson file's TOML front matter between `+++` lines, and the `module.toml` beside it.

use serde::Deserialize;
use toml::Spanned;

/// A quiz question as the box grades it. `answer` is the index of the right choice counted
/// from 0 (the file counts from 1, as authors do).
#[derive(Clone, Debug, PartialEq)]
pub struct Question {
    pub question: String,
    pub choices: Vec<String>,
    pub answer: usize,
    pub explain: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FrontMatter {
    pub title: Spanned<String>,
    /// Required for a lesson with text; a translation of the heading alone has none.
    #[serde(default)]
    pub minutes: Option<Spanned<i64>>,
    pub objective: Spanned<String>,
    #[serde(default)]
    pub audio: Option<Spanned<String>>,
    /// How many of the questions one attempt asks; all when not given.
    #[serde(default)]
    pub ask: Option<Spanned<i64>>,
    #[serde(default)]
    pub quiz: Vec<Spanned<RawQuestion>>,
    /// Who made the lesson, when it is not the project: "Xã Ea Tu" for a lesson a commune
    /// wrote and the province adopted.
    #[serde(default)]
    pub credit: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawQuestion {
    pub question: Spanned<String>,
    pub choices: Spanned<Vec<String>>,
    pub answer: Spanned<i64>,
    pub explain: Spanned<String>,
}

/// `module.toml`: `icon = "file.svg"` and one table a language (`[vi]`, `[en]`, …). Keys keep
/// their spans so a problem can name the line of an unknown language or a bad table.
pub(super) type ModuleToml = std::collections::BTreeMap<Spanned<String>, Spanned<toml::Value>>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ModuleTextToml {
    pub title: String,
    pub summary: String,
}

/// A lesson file cut in two: the front matter's text and the Markdown body, each with the
/// byte offset where it starts in the file, so problems can name the right line.
#[derive(Debug)]
pub(super) struct Split<'a> {
    pub front: &'a str,
    pub front_offset: usize,
    pub body: &'a str,
    pub body_offset: usize,
}

/// Cuts `text` at its `+++` lines; the error says what is wrong with the frame.
pub(super) fn split(text: &str) -> Result<Split<'_>, &'static str> {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut lines = LineIter { text, pos: start };
    match lines.next() {
        Some((_, line)) if line.trim_end() == "+++" => {}
        _ => return Err("the file must begin with a line `+++` that opens the front matter"),
    }
    let front_offset = lines.pos;
    while let Some((at, line)) = lines.next() {
        if line.trim_end() == "+++" {
            return Ok(Split {
                front: &text[front_offset..at],
                front_offset,
                body: &text[lines.pos..],
                body_offset: lines.pos,
            });
        }
    }
    Err("the front matter is never closed: add a line `+++` after it")
}

/// Lines with the byte offset where each starts; the line excludes its `\n` (and `\r`).
struct LineIter<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Iterator for LineIter<'a> {
    type Item = (usize, &'a str);
    fn next(&mut self) -> Option<(usize, &'a str)> {
        if self.pos >= self.text.len() {
            return None;
        }
        let at = self.pos;
        let rest = &self.text[at..];
        let (line, used) = match rest.find('\n') {
            Some(i) => (&rest[..i], i + 1),
            None => (rest, rest.len()),
        };
        self.pos += used;
        Some((at, line.trim_end_matches('\r')))
    }
}

/// The 1-based line of byte `offset` in `text`.
pub(super) fn line_of(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    text.as_bytes()[..offset]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_finds_front_matter_and_body() {
        let text = "+++\ntitle = \"a\"\n+++\nBody\n";
        let s = split(text).unwrap();
        assert_eq!(s.front, "title = \"a\"\n");
        assert_eq!(s.body, "Body\n");
        assert_eq!(line_of(text, s.body_offset), 4);
        assert_eq!(line_of(text, s.front_offset), 2);
    }

    #[test]
    fn split_accepts_crlf_and_bom() {
        let text = "\u{feff}+++\r\ntitle = \"a\"\r\n+++\r\nBody";
        let s = split(text).unwrap();
        assert_eq!(s.body, "Body");
    }

    #[test]
    fn split_reports_missing_frame() {
        assert!(split("title = 1\n").unwrap_err().contains("begin"));
        assert!(
            split("+++\ntitle = 1\n")
                .unwrap_err()
                .contains("never closed")
        );
    }
}
