//! The facts lessons state (numbers such as 156, addresses such as dichvucong.gov.vn, app and
//! office names), kept in one `facts.toml` with where each comes from and when it was last
//! checked. Lessons write `{{name}}`; `fill` puts the value in. A content pack may carry its
//! own `facts.toml`, whose facts replace the built-in ones of the same name, so a changed
//! reporting number reaches every lesson on the next sync.

use std::collections::{BTreeMap, BTreeSet};

use toml::Spanned;

use super::Lang;
use super::front_matter::line_of;

/// The file's name, at the top of a lessons folder or a pack.
pub const FILE: &str = "facts.toml";

/// How long a fact may go unchecked before `hocso lessons check` warns.
pub const FRESH_DAYS: i64 = 365;

/// One fact: its value (Vietnamese, and other languages where they differ), its source and
/// the day it was last checked there.
#[derive(Clone, Debug, PartialEq)]
pub struct Fact {
    pub value: String,
    pub translated: BTreeMap<Lang, String>,
    pub source: String,
    pub checked: time::Date,
    /// Where it was given, for messages: `lessons/facts.toml` or `pack tin-moi/facts.toml`.
    pub file: String,
    pub line: usize,
}

impl Fact {
    /// The value a lesson in `lang` shows.
    pub fn value(&self, lang: Lang) -> &str {
        self.translated.get(&lang).unwrap_or(&self.value)
    }

    /// Every value this fact has, in any language.
    fn values(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.value.as_str()).chain(self.translated.values().map(String::as_str))
    }
}

/// Facts by name.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Facts {
    pub by_name: BTreeMap<String, Fact>,
}

/// A problem in a facts file: its 1-based line and what is wrong.
pub type FactProblem = (usize, String);

impl Facts {
    /// Reads a facts file's `text`; `file` names it in messages. Facts with a problem are left
    /// out, and every problem is returned.
    pub fn parse(file: &str, text: &str) -> (Facts, Vec<FactProblem>) {
        let mut facts = Facts::default();
        let mut problems = Vec::new();
        let table: BTreeMap<Spanned<String>, Spanned<toml::Value>> = match toml::from_str(text) {
            Ok(t) => t,
            Err(e) => {
                let line = e.span().map_or(1, |s| line_of(text, s.start));
                problems.push((line, format!("not valid TOML: {}", e.message().trim())));
                return (facts, problems);
            }
        };
        for (name, entry) in table {
            let line = line_of(text, name.span().start);
            match read_fact(name.get_ref(), entry.into_inner()) {
                Ok((value, translated, source, checked)) => {
                    facts.by_name.insert(
                        name.into_inner(),
                        Fact {
                            value,
                            translated,
                            source,
                            checked,
                            file: file.to_string(),
                            line,
                        },
                    );
                }
                Err(message) => problems.push((line, message)),
            }
        }
        (facts, problems)
    }

    /// These facts with `newer`'s put over them, name by name.
    pub fn overlay(&mut self, newer: Facts) {
        self.by_name.extend(newer.by_name);
    }

    /// Facts whose `checked` day is more than `FRESH_DAYS` before `today`.
    pub fn stale(&self, today: time::Date) -> impl Iterator<Item = (&String, &Fact)> {
        self.by_name
            .iter()
            .filter(move |(_, f)| (today - f.checked).whole_days() > FRESH_DAYS)
    }

    /// `text` with every `{{name}}` replaced by the fact's value in `lang`; `{{Name}}` (first
    /// letter capital) capitalises the value. Names used are added to `used`; each reference
    /// that names no fact, or is not closed, is returned with its byte offset in `text`.
    pub fn fill(
        &self,
        text: &str,
        lang: Lang,
        used: &mut BTreeSet<String>,
    ) -> (String, Vec<(usize, String)>) {
        let mut out = String::with_capacity(text.len());
        let mut problems = Vec::new();
        let mut rest = text;
        let mut at = 0;
        while let Some(open) = rest.find("{{") {
            out.push_str(&rest[..open]);
            let inner_start = open + 2;
            let Some(len) = rest[inner_start..].find("}}") else {
                problems.push((
                    at + open,
                    "`{{` opens a fact but no `}}` closes it on this line or after".into(),
                ));
                out.push_str(&rest[open..]);
                return (out, problems);
            };
            let reference = rest[inner_start..inner_start + len].trim();
            let capital = reference.starts_with(|c: char| c.is_ascii_uppercase());
            let name = reference.to_ascii_lowercase();
            match self.by_name.get(&name).filter(|_| valid_name(&name)) {
                Some(fact) => {
                    used.insert(name);
                    let value = fact.value(lang);
                    if capital {
                        let mut chars = value.chars();
                        if let Some(first) = chars.next() {
                            out.extend(first.to_uppercase());
                            out.push_str(chars.as_str());
                        }
                    } else {
                        out.push_str(value);
                    }
                }
                None => {
                    problems.push((
                        at + open,
                        format!(
                            "`{{{{{reference}}}}}` is not a fact in `{FILE}`: add it there (value, source, checked) or use a name from it"
                        ),
                    ));
                    out.push_str(&rest[open..inner_start + len + 2]);
                }
            }
            let next = inner_start + len + 2;
            at += next;
            rest = &rest[next..];
        }
        out.push_str(rest);
        (out, problems)
    }

    /// Each fact's value that `text` writes out instead of naming the fact, with the byte
    /// offset where it stands: `(offset, name, value)`. References (`{{…}}`) are skipped, and
    /// values under three characters (`S`, `LD`) are too common to look for.
    pub fn written_out<'a>(&'a self, text: &str) -> Vec<(usize, &'a str, &'a str)> {
        let bare = blank_references(text);
        let lower = bare.to_lowercase();
        let mut found = Vec::new();
        if lower.len() != bare.len() {
            return found; // lowercasing changed byte lengths: offsets would not match
        }
        for (name, fact) in &self.by_name {
            for value in fact.values() {
                if value.chars().count() < 3 {
                    continue;
                }
                let needle = value.to_lowercase();
                let mut from = 0;
                while let Some(i) = lower[from..].find(&needle) {
                    let start = from + i;
                    let end = start + needle.len();
                    let before = lower[..start].chars().rev();
                    let after = lower[end..].chars();
                    if !joined(before) && !joined(after) {
                        found.push((start, name.as_str(), value));
                        break;
                    }
                    from = end;
                }
            }
        }
        found.sort();
        found.dedup_by(|a, b| a.0 == b.0);
        found
    }
}

/// Whether the characters beside a value (read away from it) make it part of a longer word
/// or address: a letter or digit, or a `.`, `-`, `/` or `@` followed by one
/// (`dichvucong.gov.vn-xacminh.example` is another address, `156.` ends a sentence).
fn joined(mut beside: impl Iterator<Item = char>) -> bool {
    match beside.next() {
        Some(c) if c.is_alphanumeric() => true,
        Some('.' | '-' | '/' | '@') => beside.next().is_some_and(char::is_alphanumeric),
        _ => false,
    }
}

/// `text` with each `{{…}}` turned into spaces of the same length.
fn blank_references(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        let Some(len) = rest[open..].find("}}") else {
            break;
        };
        out.push_str(&rest[..open]);
        out.extend(std::iter::repeat_n(' ', len + 2));
        rest = &rest[open + len + 2..];
    }
    out.push_str(rest);
    out
}

/// A fact's name: lowercase ASCII letters, digits and dashes, beginning with a letter.
fn valid_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !name.ends_with('-')
}

/// Characters a value may not hold: they would change the Markdown or the TOML around it.
const UNSAFE: &[char] = &[
    '"', '\\', '{', '}', '<', '>', '*', '_', '[', ']', '`', '|', '#', '\n', '\r',
];

type FactParts = (String, BTreeMap<Lang, String>, String, time::Date);

fn read_fact(name: &str, entry: toml::Value) -> Result<FactParts, String> {
    if !valid_name(name) {
        return Err(format!(
            "`{name}`: a fact's name is lowercase ASCII letters, digits and dashes, beginning with a letter"
        ));
    }
    let toml::Value::Table(table) = entry else {
        return Err(format!(
            "`{name}` is a table: `[{name}]` then `value`, `source` and `checked`"
        ));
    };
    let text = |key: &str| -> Result<String, String> {
        match table.get(key) {
            Some(toml::Value::String(s)) if !s.trim().is_empty() => Ok(s.trim().to_string()),
            Some(_) => Err(format!("`{name}`: `{key}` is a text in quotes, not empty")),
            None => Err(format!("`{name}` needs `{key}`")),
        }
    };
    let safe = |key: &str, value: String| -> Result<String, String> {
        match value.find(UNSAFE) {
            Some(i) => Err(format!(
                "`{name}`: `{key}` may not hold `{}`: a value is plain text put into lessons",
                &value[i..].chars().next().unwrap_or(' ')
            )),
            None => Ok(value),
        }
    };
    let value = safe("value", text("value")?)?;
    let source = text("source")?;
    let checked = match table.get("checked") {
        Some(toml::Value::Datetime(dt)) => dt
            .date
            .filter(|_| dt.time.is_none())
            .and_then(|d| {
                let month = time::Month::try_from(d.month).ok()?;
                time::Date::from_calendar_date(d.year.into(), month, d.day).ok()
            })
            .ok_or_else(|| format!("`{name}`: `checked` is a day, such as 2026-11-25"))?,
        Some(_) => return Err(format!("`{name}`: `checked` is a day, such as 2026-11-25")),
        None => {
            return Err(format!(
                "`{name}` needs `checked`: the day it was last checked"
            ));
        }
    };
    let mut translated = BTreeMap::new();
    for (key, v) in &table {
        match key.as_str() {
            "value" | "source" | "checked" => {}
            code => match (Lang::from_code(code), v) {
                (Some(Lang::Vi), _) => {
                    return Err(format!(
                        "`{name}`: the Vietnamese value is `value`, not `vi`"
                    ));
                }
                (Some(lang), toml::Value::String(s)) if !s.trim().is_empty() => {
                    translated.insert(lang, safe(code, s.trim().to_string())?);
                }
                (Some(_), _) => {
                    return Err(format!("`{name}`: `{code}` is a text in quotes, not empty"));
                }
                (None, _) => {
                    return Err(format!(
                        "`{name}`: `{code}` is neither `value`, `source`, `checked` nor a language code"
                    ));
                }
            },
        }
    }
    Ok((value, translated, source, checked))
}

#[cfg(test)]
mod tests;
