//! Recorded readings: each pack's `readings.toml` (and the commune's own, as the last pack)
//! read into the catalogue's readings by lesson, each checked against the lessons served and
//! the media held, each problem said by file and line.

use serde::Deserialize;

use super::*;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReadingsToml {
    #[serde(default)]
    reading: Vec<Spanned<RawReading>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReading {
    #[serde(default)]
    id: Option<String>,
    lesson: String,
    #[serde(default)]
    slide: Option<i64>,
    lang: String,
    lang_name: String,
    audio: String,
    seconds: i64,
    #[serde(default)]
    credit: Option<String>,
}

/// Longest reading a pack may list, in seconds.
const MAX_SECONDS: i64 = 60 * 60;

impl Loader<'_> {
    /// Every reading of `catalogue`'s lessons the tree's `readings.toml` files list, by lesson
    /// id: whole-lesson readings first, then by slide, then by language.
    pub(super) fn readings(&mut self, catalogue: &Catalogue) -> BTreeMap<String, Vec<Reading>> {
        let mut by_lesson: BTreeMap<String, Vec<Reading>> = BTreeMap::new();
        for (pack, text) in &self.tree.readings {
            let file = match pack.as_str() {
                super::super::LOCAL => "the commune's readings".to_string(),
                pack => format!("pack {pack}/readings.toml"),
            };
            let mut problem = |line: Option<usize>, message: String| {
                self.problems.push(Problem {
                    file: file.clone(),
                    line,
                    message,
                })
            };
            let list: ReadingsToml = match toml::from_str(text) {
                Ok(list) => list,
                Err(e) => {
                    let line = e.span().map(|s| line_of(text, s.start));
                    problem(line, format!("readings: {}", e.message().trim()));
                    continue;
                }
            };
            for raw in list.reading {
                let line = Some(line_of(text, raw.span().start));
                let raw = raw.into_inner();
                let Some(lesson) = catalogue.lesson(&raw.lesson) else {
                    problem(line, format!("no lesson `{}` is served", raw.lesson));
                    continue;
                };
                let slides = lesson.versions.get(Lang::Vi).slides.len() as i64;
                let slide = match raw.slide {
                    None => None,
                    Some(s) if (1..=slides).contains(&s) => Some(s as u32),
                    Some(s) => {
                        problem(
                            line,
                            format!("`slide = {s}`: the lesson has {slides} slides"),
                        );
                        continue;
                    }
                };
                let code_ok =
                    raw.lang.len() == 3 && raw.lang.bytes().all(|b| b.is_ascii_lowercase());
                let name = raw.lang_name.trim();
                if !code_ok || name.is_empty() || name.chars().count() > 60 {
                    problem(
                        line,
                        format!(
                            "`lang = {:?}` must be an ISO 639-3 code (three lowercase letters) with a `lang_name`",
                            raw.lang
                        ),
                    );
                    continue;
                }
                let audio_ext = raw.audio.rsplit_once('.').map_or("", |(_, e)| e);
                if !is_media_name(&raw.audio)
                    || !AUDIO_MEDIA.contains(&audio_ext)
                    || !self.tree.media.contains_key(&raw.audio)
                {
                    problem(
                        line,
                        format!("`audio = {:?}` is no recording the pack carries", raw.audio),
                    );
                    continue;
                }
                if !(1..=MAX_SECONDS).contains(&raw.seconds) {
                    problem(
                        line,
                        format!("`seconds = {}` is not a recording's length", raw.seconds),
                    );
                    continue;
                }
                by_lesson
                    .entry(lesson.id.clone())
                    .or_default()
                    .push(Reading {
                        id: raw.id,
                        lesson_id: lesson.id.clone(),
                        slide,
                        lang: raw.lang,
                        lang_name: name.to_string(),
                        audio_url: (self.asset_url)(&raw.audio),
                        audio: raw.audio,
                        seconds: raw.seconds as u32,
                        credit: raw
                            .credit
                            .map(|c| c.trim().to_string())
                            .filter(|c| !c.is_empty()),
                    });
            }
        }
        for readings in by_lesson.values_mut() {
            readings.sort_by(|a, b| (a.slide, &a.lang).cmp(&(b.slide, &b.lang)));
        }
        by_lesson
    }
}
