//! Lessons: the lesson tree on disk, front matter, Markdown → HTML, the `Catalogue`, `load`,
//! the facts lessons name (`facts`), quizzes that can be guessed (`fairness`), the
//! curriculum `standards`, and a lesson file taken apart into its fields and written back
//! (`source`, for the box's lesson editor).
//!
//! This module knows nothing of HTTP, SQL or the rest of the crate. It reads a `LessonTree` (the
//! embedded `lessons/` folder, or a folder on disk for authors), and `load` turns it into a
//! `Catalogue` plus every `Problem` it found; `check` adds the warnings and figures, so
//! `hocso lessons check` can print them all.

pub mod facts;
pub mod fairness;
mod front_matter;
mod load;
mod packs;
pub mod practice;
mod render;
mod source;
mod standards;
mod tree;

use std::collections::BTreeMap;

pub use front_matter::Question;
pub use load::{Checked, Problem, check, load};
pub use packs::{
    LOCAL, PackFiles, catalogue_from, catalogue_with, check_from, check_pack, is_media_name,
    with_packs,
};
pub use source::{LessonParts, QuizParts, field_of_line, parse_lesson, slides, write_lesson};
pub use tree::{Assets, LessonTree};

pub use crate::lang::Lang;

/// Text in several languages; Vietnamese is always present, and is what a missing translation
/// falls back to.
#[derive(Clone, Debug)]
pub struct Localized<T> {
    by_lang: BTreeMap<Lang, T>,
}

impl<T> Localized<T> {
    /// Builds from a map that must hold Vietnamese; `None` when it does not.
    fn new(by_lang: BTreeMap<Lang, T>) -> Option<Self> {
        by_lang
            .contains_key(&Lang::Vi)
            .then_some(Localized { by_lang })
    }

    /// The text in `lang`, or the Vietnamese one, with the language actually given.
    pub fn pick(&self, lang: Lang) -> (Lang, &T) {
        match self.by_lang.get(&lang) {
            Some(t) => (lang, t),
            None => (Lang::Vi, &self.by_lang[&Lang::Vi]),
        }
    }

    pub fn get(&self, lang: Lang) -> &T {
        self.pick(lang).1
    }

    pub fn iter(&self) -> impl Iterator<Item = (Lang, &T)> {
        self.by_lang.iter().map(|(l, t)| (*l, t))
    }
}

/// Every module and lesson the box serves, in teaching order.
#[derive(Clone, Debug, Default)]
pub struct Catalogue {
    pub modules: Vec<Module>,
    /// Recorded readings by lesson id: from packs and the commune's own, in any language.
    pub readings: BTreeMap<String, Vec<Reading>>,
}

/// Where a lesson comes from.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum Source {
    /// Built into the binary.
    #[default]
    Embedded,
    /// A content pack the province published (its name).
    Pack(String),
    /// Written on this box by the commune's facilitators.
    Local,
}

impl Source {
    /// As the API says it: `embedded`, `pack` or `local`.
    pub fn code(&self) -> &'static str {
        match self {
            Source::Embedded => "embedded",
            Source::Pack(_) => "pack",
            Source::Local => "local",
        }
    }
}

/// A recorded reading of a lesson (of one slide, or the whole lesson) in some language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reading {
    /// The box's id of a reading recorded here; `None` for one a pack brought.
    pub id: Option<String>,
    pub lesson_id: String,
    /// From 1; `None`: the whole lesson.
    pub slide: Option<u32>,
    /// ISO 639-3: `vie`, `ede`, …
    pub lang: String,
    pub lang_name: String,
    /// The media file's name and the URL it is served under.
    pub audio: String,
    pub audio_url: String,
    pub seconds: u32,
    pub credit: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Module {
    /// The folder name without its number: `dien-thoai`. Ids are forever.
    pub id: String,
    /// The icon's URL, as the asset resolver gave it.
    pub icon_url: Option<String>,
    pub text: Localized<ModuleText>,
    pub lessons: Vec<Lesson>,
    /// Its practice scenarios, in teaching order.
    pub practice: Vec<Practice>,
}

/// A practice scenario: a simulated phone screen to act on, for a lesson of its module.
#[derive(Clone, Debug)]
pub struct Practice {
    /// `module/scenario`, e.g. `an-toan/cong-an-gia`. Ids are forever.
    pub id: String,
    pub slug: String,
    pub module_id: String,
    /// The lesson it belongs to: `an-toan/cuoc-goi-lua-dao`.
    pub lesson_id: String,
    /// Built in, from a pack, or the commune's own wording of one.
    pub source: Source,
    /// In every language it has a file in; Vietnamese always.
    pub versions: Localized<practice::Scenario>,
}

#[derive(Clone, Debug)]
pub struct ModuleText {
    pub title: String,
    pub summary: String,
}

#[derive(Clone, Debug)]
pub struct Lesson {
    /// `module/lesson`, e.g. `dien-thoai/bat-dau`. Ids are forever.
    pub id: String,
    /// The lesson's part of the id: `bat-dau`.
    pub slug: String,
    pub module_id: String,
    /// Built in, from a pack, or the commune's own.
    pub source: Source,
    /// Title and objective in every language the lesson has a file in.
    pub headings: Localized<Heading>,
    /// The lesson's text and quiz in every language it is fully translated into; a language
    /// with only a heading shows the Vietnamese text under its own title.
    pub versions: Localized<LessonVersion>,
}

/// What lists and page titles show of a lesson: its title and what the learner will be able to
/// do.
#[derive(Clone, Debug)]
pub struct Heading {
    pub title: String,
    pub objective: String,
    /// Who made the lesson when it is not the project ("Xã Ea Tu").
    pub credit: Option<String>,
}

/// One language's text of a lesson, rendered once.
#[derive(Clone, Debug)]
pub struct LessonVersion {
    pub minutes: u32,
    /// URL of a recorded reading, when the lesson has one.
    pub audio_url: Option<String>,
    pub quiz: Vec<Question>,
    /// How many of `quiz` one attempt asks (all of them unless the lesson says fewer).
    pub ask: usize,
    /// One HTML fragment a slide, in order; never empty.
    pub slides: Vec<String>,
}

impl Catalogue {
    pub fn module(&self, id: &str) -> Option<&Module> {
        self.modules.iter().find(|m| m.id == id)
    }

    /// Every lesson in teaching order, module after module.
    pub fn lessons(&self) -> impl Iterator<Item = &Lesson> {
        self.modules.iter().flat_map(|m| m.lessons.iter())
    }

    /// The lesson with id `module/slug`.
    pub fn lesson(&self, id: &str) -> Option<&Lesson> {
        self.lessons().find(|l| l.id == id)
    }

    /// Every practice scenario in teaching order, module after module.
    pub fn practices(&self) -> impl Iterator<Item = &Practice> {
        self.modules.iter().flat_map(|m| m.practice.iter())
    }

    /// The scenario with id `module/slug`.
    pub fn practice(&self, id: &str) -> Option<&Practice> {
        self.practices().find(|p| p.id == id)
    }

    /// The readings of `lesson_id`, whole-lesson ones first, then by slide.
    pub fn readings_of(&self, lesson_id: &str) -> &[Reading] {
        self.readings.get(lesson_id).map_or(&[], Vec::as_slice)
    }

    /// The lessons before and after `lesson_id` in teaching order.
    pub fn neighbours(&self, lesson_id: &str) -> (Option<&Lesson>, Option<&Lesson>) {
        let all: Vec<&Lesson> = self.lessons().collect();
        match all.iter().position(|l| l.id == lesson_id) {
            Some(i) => (i.checked_sub(1).map(|p| all[p]), all.get(i + 1).copied()),
            None => (None, None),
        }
    }
}

impl Lesson {
    /// The title and objective in `lang`, or in Vietnamese when the lesson has no file in it.
    pub fn heading(&self, lang: Lang) -> &Heading {
        self.headings.get(lang)
    }
}

impl Module {
    pub fn lesson(&self, slug: &str) -> Option<&Lesson> {
        self.lessons.iter().find(|l| l.slug == slug)
    }

    /// Total reading minutes in `lang` (falling back to Vietnamese per lesson).
    pub fn minutes(&self, lang: Lang) -> u32 {
        self.lessons
            .iter()
            .map(|l| l.versions.get(lang).minutes)
            .sum()
    }
}
