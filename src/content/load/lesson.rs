//! Loading one lesson file: its front matter and Markdown made a lesson, its pictures, sounds
//! and links resolved to what the box serves, each problem said by file and line.

use super::*;

impl Loader<'_> {
    pub(super) fn lesson_file(
        &mut self,
        path: &str,
        lang: Lang,
        bytes: &[u8],
        urls: &HashMap<String, String>,
    ) -> Option<LessonFile> {
        let raw = self.utf8(path, bytes)?;
        self.warn_written_out(path, raw);
        let (filled, fact_problems) = self.facts.fill(raw, lang, &mut self.used);
        for (offset, message) in fact_problems {
            self.problem(path, Some(line_of(raw, offset)), message);
        }
        let text = filled.as_str();
        let split = match front_matter::split(text) {
            Ok(s) => s,
            Err(message) => {
                self.problem(path, Some(1), message);
                return None;
            }
        };
        let at = split.front_offset;
        let fm: FrontMatter = match toml::from_str(split.front) {
            Ok(fm) => fm,
            Err(e) => {
                let line = line_of(text, at + e.span().map_or(0, |s| s.start));
                self.problem(
                    path,
                    Some(line),
                    format!("front matter: {}", e.message().trim()),
                );
                return None;
            }
        };
        let heading = Heading {
            title: self.required(path, text, at, "title", fm.title),
            objective: self.required(path, text, at, "objective", fm.objective),
            credit: fm.credit.and_then(|credit| {
                let line = Some(line_of(text, at + credit.span().start));
                let credit = credit.into_inner().trim().to_string();
                match credit.chars().count() {
                    0 => None,
                    1..=120 => Some(credit),
                    _ => {
                        self.problem(path, line, "`credit` is a name: at most 120 characters");
                        None
                    }
                }
            }),
        };
        let body_line = line_of(text, split.body_offset);

        // A translation may give the title and objective alone: lists and headings then speak
        // the learner's language while the text stays Vietnamese until it is translated.
        if lang != Lang::Vi && split.body.trim().is_empty() {
            if fm.minutes.is_some() || fm.audio.is_some() || fm.ask.is_some() || !fm.quiz.is_empty()
            {
                self.problem(path, Some(1), "this translation has no text, so it gives only `title` and `objective`: remove `minutes`, `audio`, `ask` and the quiz, or translate the text too");
            }
            return Some(LessonFile {
                heading,
                version: None,
            });
        }

        let standards = self.standards;
        let minutes = match &fm.minutes {
            None => {
                self.problem(
                    path,
                    Some(line_of(text, at)),
                    "front matter: missing field `minutes` (the reading time on a phone)",
                );
                standards.fallback_minutes()
            }
            Some(m) => match standards.check_minutes(*m.get_ref()) {
                Ok(minutes) => minutes,
                Err(message) => {
                    self.problem(path, Some(line_of(text, at + m.span().start)), message);
                    standards.fallback_minutes()
                }
            },
        };
        let audio_url = fm.audio.and_then(|audio| {
            let line = Some(line_of(text, at + audio.span().start));
            self.asset(path, line, audio.get_ref(), &AUDIO_KINDS)
        });

        if let Some(message) = standards.check_quiz_size(fm.quiz.len()) {
            self.problem(path, Some(line_of(text, at)), message);
        }
        let mut quiz = Vec::new();
        for q in fm.quiz {
            let q = q.into_inner();
            let question = self.required(path, text, at, "question", q.question);
            let explain = self.required(path, text, at, "explain", q.explain);
            let choices_line = Some(line_of(text, at + q.choices.span().start));
            let choices = q.choices.into_inner();
            for message in standards.check_choices(&choices) {
                self.problem(path, choices_line, message);
            }
            let answer_line = Some(line_of(text, at + q.answer.span().start));
            let answer = *q.answer.get_ref();
            let Some(index) = usize::try_from(answer)
                .ok()
                .filter(|a| (1..=choices.len()).contains(a))
            else {
                self.problem(path, answer_line, format!("`answer = {answer}` is out of range: it counts the choices from 1, and there are {}", choices.len()));
                continue;
            };
            quiz.push(Question {
                question,
                choices,
                answer: index - 1,
                explain,
            });
        }

        let ask = match &fm.ask {
            None => quiz.len(),
            Some(ask) => match standards.check_ask(*ask.get_ref(), quiz.len()) {
                Ok(ask) => ask,
                Err(message) => {
                    self.problem(path, Some(line_of(text, at + ask.span().start)), message);
                    quiz.len()
                }
            },
        };

        let dir = path.rsplit_once('/').map_or("", |(d, _)| d);
        let pictures = std::cell::RefCell::new(Vec::new());
        let resolve = |target: Target, dest: &str| {
            if target == Target::Image {
                pictures.borrow_mut().push(dest.to_string());
            }
            self.resolve(dir, target, dest, urls)
        };
        let mut rendered = render::render(split.body, &resolve);
        if self.warn && lang != Lang::Vi {
            self.warn_untranslated_pictures(path, lang, body_line, &pictures.into_inner());
        }
        for (offset, message) in std::mem::take(&mut rendered.problems) {
            self.problem(
                path,
                Some(line_of(text, split.body_offset + offset)),
                message,
            );
        }
        if rendered.slides.is_empty() {
            self.problem(
                path,
                Some(body_line),
                "the lesson has no text: it needs at least one slide",
            );
        } else {
            for message in standards.check_body(&rendered) {
                self.problem(path, Some(body_line), message);
            }
        }
        Some(LessonFile {
            heading,
            version: Some(LessonVersion {
                minutes,
                audio_url,
                quiz,
                ask,
                slides: rendered.slides,
            }),
        })
    }

    /// Where an image or link in a lesson in folder `dir` leads on the box.
    pub(super) fn resolve(
        &self,
        dir: &str,
        target: Target,
        dest: &str,
        urls: &HashMap<String, String>,
    ) -> Result<String, String> {
        let lower = dest.to_ascii_lowercase();
        if lower.contains("://")
            || lower.starts_with("//")
            || lower.starts_with("mailto:")
            || lower.starts_with("data:")
            || lower.starts_with("javascript:")
        {
            return Err(format!(
                "`{dest}` leads outside the box, which has no internet; write the address as text if learners need it"
            ));
        }
        if target == Target::Link && (lower.starts_with("tel:") || dest.starts_with('#')) {
            return Ok(dest.to_string());
        }
        if is_media_name(dest) {
            let ext = dest.rsplit_once('.').map_or("", |(_, e)| e);
            return match (target, self.tree.media.get(dest)) {
                (Target::Link, _) => Err(format!("`{dest}`: show pictures with `![alt](...)`")),
                (_, _) if !IMAGE_MEDIA.contains(&ext) => {
                    Err(format!("`{dest}` is a recording, not a picture"))
                }
                (_, None) => Err(format!("the picture `{dest}` is not on this box")),
                (_, Some(&size)) if size > MEDIA_IMAGE_LIMIT => Err(format!(
                    "the picture `{dest}` is {} KB; a picture must stay under {} KB for weak Wi-Fi",
                    size.div_ceil(1024),
                    MEDIA_IMAGE_LIMIT / 1024
                )),
                (_, Some(_)) => Ok((self.asset_url)(dest)),
            };
        }
        if dest.starts_with('/') {
            return Err(format!(
                "`{dest}`: write paths relative to the lesson file, e.g. `../../assets/picture.svg`"
            ));
        }
        let (file, fragment) = dest
            .split_once('#')
            .map_or((dest, None), |(f, h)| (f, Some(h)));
        let Some(joined) = join(&format!("lessons/{dir}"), file) else {
            return Err(format!(
                "`{dest}` leads outside the lessons and assets folders"
            ));
        };
        if let Some(name) = joined.strip_prefix("assets/") {
            if target == Target::Link {
                return Err(format!(
                    "`{dest}`: link to lessons; show pictures with `![alt](...)`"
                ));
            }
            return match self.check_asset(name, &IMAGE_KINDS) {
                Ok(()) => Ok((self.asset_url)(name)),
                Err(message) => Err(message),
            };
        }
        if let Some(lesson) = joined.strip_prefix("lessons/")
            && target == Target::Link
        {
            return match urls.get(lesson) {
                Some(url) => Ok(match fragment {
                    Some(h) => format!("{url}#{h}"),
                    None => url.clone(),
                }),
                None => Err(format!(
                    "`{dest}` points to a lesson file that does not exist"
                )),
            };
        }
        Err(format!(
            "`{dest}` does not exist: images are in `assets/`, lessons in `lessons/`"
        ))
    }

    pub(super) fn check_asset(&self, name: &str, kinds: &[&str]) -> Result<(), String> {
        let ext = name
            .rsplit_once('.')
            .map_or("", |(_, e)| e)
            .to_ascii_lowercase();
        if !kinds.contains(&ext.as_str()) {
            return Err(format!("`{name}`: use one of {}", kinds.join(", ")));
        }
        let limit = self.standards.image_limit(&ext);
        match self.tree.assets.get(name) {
            None => Err(format!("`assets/{name}` does not exist")),
            Some(&size) if kinds == IMAGE_KINDS && size > limit => Err(format!(
                "`assets/{name}` is {} KB; {} must stay under {} KB for weak Wi-Fi",
                size.div_ceil(1024),
                if ext == "svg" {
                    "a drawing"
                } else {
                    "an image"
                },
                limit / 1024
            )),
            Some(_) => Ok(()),
        }
    }

    pub(super) fn asset(
        &mut self,
        path: &str,
        line: Option<usize>,
        name: &str,
        kinds: &[&str],
    ) -> Option<String> {
        match self.check_asset(name, kinds) {
            Ok(()) => Some((self.asset_url)(name)),
            Err(message) => {
                self.problem(path, line, message);
                None
            }
        }
    }

    pub(super) fn required(
        &mut self,
        path: &str,
        text: &str,
        at: usize,
        field: &str,
        value: Spanned<String>,
    ) -> String {
        if value.get_ref().trim().is_empty() {
            self.problem(
                path,
                Some(line_of(text, at + value.span().start)),
                format!("`{field}` is empty"),
            );
        }
        value.into_inner().trim().to_string()
    }
}
