//! Reading a whole lesson tree into a `Catalogue`, and every `Problem` found on the way: the
//! files and folders, their names and numbers, front matter and `module.toml`, links and
//! assets, translations that must match the Vietnamese quiz, facts named and filled in.
//! `check` also gathers what an author should look at but the box can live with (warnings:
//! quizzes that can be guessed, facts written out, unused or unchecked for a year, drawings
//! left untranslated) and the quizzes' figures.
//!
//! Bad input is not an exception here: `load` always returns what it could build together with
//! all problems, so an author sees every mistake in one run of `hocso lessons check`. What the
//! curriculum brief asks of a lesson's length, pictures and quiz is not decided here but in
//! `standards`; this file only names the file and line of what those checks find. One lesson
//! file is read in `lesson`, a module's practice scenarios in `scenarios`. It knows nothing of
//! HTTP, SQL or the rest of the crate.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;

use toml::Spanned;

use super::facts::{self, Facts};
use super::fairness::{self, Figures, QuizFile, Stats};
use super::front_matter::{self, FrontMatter, ModuleTextToml, ModuleToml, Question, line_of};
use super::packs::is_media_name;
use super::practice::Scenario;
use super::render::{self, Target};
use super::standards::{BRIEF, Standards};
use super::{
    Catalogue, Heading, Lang, Lesson, LessonTree, LessonVersion, Localized, Module, ModuleText,
    Practice, Reading, Source,
};

const IMAGE_KINDS: [&str; 2] = ["svg", "webp"];
const AUDIO_KINDS: [&str; 4] = ["mp3", "ogg", "opus", "m4a"];
/// What a picture or recording kept as media (a pack's, the commune's) may be.
const IMAGE_MEDIA: [&str; 2] = ["jpg", "webp"];
const AUDIO_MEDIA: [&str; 6] = ["ogg", "opus", "webm", "m4a", "mp3", "wav"];
/// Most bytes a picture kept as media may have.
const MEDIA_IMAGE_LIMIT: usize = 200 * 1024;

/// One thing wrong in a lesson tree, shown as `file:line: message`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The file, as the author would open it: `lessons/01-dien-thoai/01-bat-dau.vi.md`.
    pub file: String,
    /// 1-based; `None` for a problem with a whole folder.
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.file, line, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

/// Builds the catalogue from `tree`. `asset_url` gives the URL the box serves an asset file
/// under (the web layer hashes names; `lessons check` needs no more than the name).
pub fn load(tree: &LessonTree, asset_url: &dyn Fn(&str) -> String) -> (Catalogue, Vec<Problem>) {
    let checked = check_with(tree, asset_url, &BRIEF, None);
    (checked.catalogue, checked.problems)
}

/// What `hocso lessons check` finds in a lesson tree.
pub struct Checked {
    pub catalogue: Catalogue,
    /// What must be fixed: the box would refuse the lessons.
    pub problems: Vec<Problem>,
    /// What an author should look at: quizzes that can be guessed, facts written out instead
    /// of named, facts not checked for more than a year on `today`, facts no lesson uses.
    pub warnings: Vec<Problem>,
    /// The quizzes' fairness figures.
    pub stats: Stats,
}

/// `load`, and the warnings and figures an author needs on `today`.
pub fn check(tree: &LessonTree, asset_url: &dyn Fn(&str) -> String, today: time::Date) -> Checked {
    check_with(tree, asset_url, &BRIEF, Some(today))
}

#[cfg(test)]
fn load_with(
    tree: &LessonTree,
    asset_url: &dyn Fn(&str) -> String,
    standards: &Standards,
) -> (Catalogue, Vec<Problem>) {
    let checked = check_with(tree, asset_url, standards, None);
    (checked.catalogue, checked.problems)
}

fn check_with(
    tree: &LessonTree,
    asset_url: &dyn Fn(&str) -> String,
    standards: &Standards,
    today: Option<time::Date>,
) -> Checked {
    let mut loader = Loader {
        tree,
        asset_url,
        standards,
        problems: Vec::new(),
        warnings: Vec::new(),
        // The box loading its lessons needs no warnings; an author's check does.
        warn: today.is_some(),
        facts: Facts::default(),
        used: BTreeSet::new(),
        figures: Vec::new(),
        first_questions: Vec::new(),
    };
    let catalogue = loader.catalogue();
    let stats = match today {
        Some(today) => loader.review(today),
        None => Stats::default(),
    };
    Checked {
        catalogue,
        problems: loader.problems,
        warnings: loader.warnings,
        stats,
    }
}

/// One scenario's files by language: the file's path and what it holds.
type ScenarioFiles = BTreeMap<Lang, (String, Scenario)>;

/// One lesson's files by language: the file's path and what it holds.
type Versions = BTreeMap<Lang, (String, LessonFile)>;

/// What one lesson file gives: its heading, and its text and quiz unless it translates the
/// heading alone.
struct LessonFile {
    heading: Heading,
    version: Option<LessonVersion>,
}

/// A lesson file's name taken apart: `01-bat-dau.vi.md`.
struct LessonName<'a> {
    order: u32,
    slug: &'a str,
    lang: Lang,
}

struct Loader<'t> {
    tree: &'t LessonTree,
    asset_url: &'t dyn Fn(&str) -> String,
    standards: &'t Standards,
    problems: Vec<Problem>,
    warnings: Vec<Problem>,
    /// Whether to look for what deserves a warning.
    warn: bool,
    /// The facts lessons may name: the tree's `facts.toml` with the packs' laid over it.
    facts: Facts,
    /// The facts some lesson names.
    used: BTreeSet<String>,
    /// Each module's quiz figures, in module order.
    figures: Vec<(String, Figures)>,
    /// Each lesson's first question (Vietnamese).
    first_questions: Vec<Question>,
}

impl Loader<'_> {
    fn problem(&mut self, path: &str, line: Option<usize>, message: impl Into<String>) {
        self.problems.push(Problem {
            file: format!("{}/{}", self.tree.label, path),
            line,
            message: message.into(),
        });
    }

    fn warning(&mut self, file: String, line: Option<usize>, message: impl Into<String>) {
        self.warnings.push(Problem {
            file,
            line,
            message: message.into(),
        });
    }

    /// A warning for each fact's value `text` (the file at `path`) writes out instead of
    /// naming the fact.
    fn warn_written_out(&mut self, path: &str, text: &str) {
        if !self.warn {
            return;
        }
        let found: Vec<(usize, String)> = self
            .facts
            .written_out(text)
            .into_iter()
            .map(|(offset, name, value)| {
                let message = format!(
                    "`{value}` is written out: write `{{{{{name}}}}}` so the lesson changes when the fact does"
                );
                (offset, message)
            })
            .collect();
        for (offset, message) in found {
            let file = format!("{}/{path}", self.tree.label);
            self.warning(file, Some(line_of(text, offset)), message);
        }
    }

    /// A warning for each picture a `lang` lesson shows in Vietnamese while the drawing in
    /// its language (`name.LANG.svg` beside `name.svg`) exists.
    fn warn_untranslated_pictures(
        &mut self,
        path: &str,
        lang: Lang,
        line: usize,
        dests: &[String],
    ) {
        for dest in dests {
            let name = dest.rsplit('/').next().unwrap_or(dest);
            let Some((stem, ext)) = name.rsplit_once('.') else {
                continue;
            };
            let translated = format!("{stem}.{lang}.{ext}");
            if self.tree.assets.contains_key(&translated) {
                let file = format!("{}/{path}", self.tree.label);
                let message = format!(
                    "`{name}` has a drawing in this lesson's language: show `{translated}`"
                );
                self.warning(file, Some(line), message);
            }
        }
    }

    /// Reads the tree's `facts.toml` and lays each pack's over it.
    fn read_facts(&mut self) {
        if let Some(bytes) = self.tree.files.get(facts::FILE)
            && let Some(text) = self.utf8(facts::FILE, bytes)
        {
            let (facts, problems) =
                Facts::parse(&format!("{}/{}", self.tree.label, facts::FILE), text);
            for (line, message) in problems {
                self.problem(facts::FILE, Some(line), message);
            }
            self.facts = facts;
        }
        for (pack, text) in &self.tree.fact_packs {
            let file = format!("pack {pack}/{}", facts::FILE);
            let (facts, problems) = Facts::parse(&file, text);
            for (line, message) in problems {
                self.problems.push(Problem {
                    file: file.clone(),
                    line: Some(line),
                    message,
                });
            }
            self.facts.overlay(facts);
        }
    }

    /// The warnings that concern the whole tree, once every lesson is read: facts unused or
    /// not checked for a year on `today`, and the quizzes' patterns across modules.
    fn review(&mut self, today: time::Date) -> Stats {
        let facts = std::mem::take(&mut self.facts);
        for (name, fact) in &facts.by_name {
            if !self.used.contains(name) {
                let message = format!("no lesson names the fact `{name}`: use it or remove it");
                self.warning(fact.file.clone(), Some(fact.line), message);
            }
        }
        for (name, fact) in facts.stale(today) {
            let message = format!(
                "`{name}` was last checked on {}, more than a year ago: check it again at its source ({}) and update `checked`",
                fact.checked, fact.source
            );
            self.warning(fact.file.clone(), Some(fact.line), message);
        }
        let first: Vec<&Question> = self.first_questions.iter().collect();
        let figures = std::mem::take(&mut self.figures);
        let (warnings, stats) = fairness::review_all(&self.tree.label, figures, &first);
        for (file, message) in warnings {
            self.warning(file, None, message);
        }
        stats
    }

    fn catalogue(&mut self) -> Catalogue {
        self.read_facts();
        // First every folder and file name, so links between lessons can be resolved.
        let mut folders: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for path in self.tree.files.keys() {
            if path == facts::FILE {
                continue;
            }
            match path.split_once('/') {
                Some((folder, rest)) if !rest.contains('/') => {
                    folders.entry(folder).or_default().push(path)
                }
                Some(_) => self.problem(
                    path,
                    None,
                    "lesson files belong directly in a module folder, not deeper",
                ),
                None => self.problem(
                    path,
                    None,
                    "this file is outside any module folder (`NN-name/`)",
                ),
            }
        }

        let mut urls = HashMap::new();
        let mut modules_by_id: HashMap<String, String> = HashMap::new();
        let mut orders: HashMap<u32, String> = HashMap::new();
        let mut heads = Vec::new();
        for &folder in folders.keys() {
            let Some((order, id)) = numbered(folder) else {
                self.problem(folder, None, "a module folder is named `NN-name`: a number, a dash, then lowercase ASCII letters, digits and dashes");
                continue;
            };
            if let Some(other) = modules_by_id.insert(id.to_string(), folder.to_string()) {
                self.problem(
                    folder,
                    None,
                    format!("module id `{id}` is used by `{other}` too; ids must be unique"),
                );
                continue;
            }
            if let Some(other) = orders.insert(order, folder.to_string()) {
                self.problem(
                    folder,
                    None,
                    format!("module number {order:02} is used by `{other}` too"),
                );
            }
            for path in &folders[folder] {
                let file = &path[folder.len() + 1..];
                if let Some(name) = lesson_name(file) {
                    urls.insert(path.to_string(), format!("/m/{id}/{}", name.slug));
                }
            }
            heads.push((order, folder, id.to_string()));
        }
        heads.sort();

        let mut modules = Vec::new();
        for (_, folder, id) in heads {
            if let Some(module) = self.module(folder, id, &folders[folder], &urls) {
                modules.push(module);
            }
        }
        let source = |origin: Option<&String>| match origin {
            None => Source::Embedded,
            Some(pack) if pack == super::LOCAL => Source::Local,
            Some(pack) => Source::Pack(pack.clone()),
        };
        for lesson in modules.iter_mut().flat_map(|m| m.lessons.iter_mut()) {
            lesson.source = source(self.tree.origins.get(&lesson.id));
        }
        for practice in modules.iter_mut().flat_map(|m| m.practice.iter_mut()) {
            practice.source = source(self.tree.origins.get(&format!("practice {}", practice.id)));
        }
        let mut catalogue = Catalogue {
            modules,
            readings: BTreeMap::new(),
        };
        catalogue.readings = self.readings(&catalogue);
        catalogue
    }

    fn module(
        &mut self,
        folder: &str,
        id: String,
        paths: &[&str],
        urls: &HashMap<String, String>,
    ) -> Option<Module> {
        let toml_path = format!("{folder}/module.toml");
        let (icon_url, text) = match self.tree.files.get(&toml_path) {
            Some(bytes) => self.module_toml(&toml_path, bytes)?,
            None => {
                self.problem(
                    folder,
                    None,
                    "the module has no `module.toml` (title and summary per language)",
                );
                return None;
            }
        };

        // slug → (order, lang → version)
        let mut lessons: BTreeMap<&str, (u32, Versions)> = BTreeMap::new();
        let mut orders: HashMap<u32, &str> = HashMap::new();
        // id → (order, lang → (path, scenario))
        let mut scenarios: BTreeMap<&str, (u32, ScenarioFiles)> = BTreeMap::new();
        for &path in paths {
            let file = &path[folder.len() + 1..];
            if file == "module.toml" {
                continue;
            }
            if let Some(name) = scenario_name(file) {
                if let Some(scenario) = self.scenario_file(path, name.lang, &self.tree.files[path])
                {
                    let entry = scenarios
                        .entry(name.slug)
                        .or_insert((name.order, BTreeMap::new()));
                    entry.1.insert(name.lang, (path.to_string(), scenario));
                }
                continue;
            }
            let Some(name) = lesson_name(file) else {
                let message = if file.ends_with(".md") {
                    format!(
                        "a lesson file is named `NN-name.LANG.md` with LANG one of {}",
                        lang_list()
                    )
                } else if file.ends_with(".toml") {
                    format!(
                        "a practice scenario is named `NN-name.LANG.toml` with LANG one of {}",
                        lang_list()
                    )
                } else {
                    "only `module.toml`, lesson files and practice scenarios belong in a module folder; images go in `assets/`".to_string()
                };
                self.problem(path, None, message);
                continue;
            };
            if let Some(other) = orders.insert(name.order, name.slug)
                && other != name.slug
            {
                self.problem(
                    path,
                    None,
                    format!("lesson number {:02} is used by `{other}` too", name.order),
                );
            }
            let Some(lesson_file) = self.lesson_file(path, name.lang, &self.tree.files[path], urls)
            else {
                continue;
            };
            let entry = lessons
                .entry(name.slug)
                .or_insert((name.order, BTreeMap::new()));
            if entry.0 != name.order {
                self.problem(path, None, format!("lesson `{}` has number {:02} in another file; use one number in all its languages", name.slug, entry.0));
            }
            entry.1.insert(name.lang, (path.to_string(), lesson_file));
        }

        let mut ordered: Vec<(u32, Lesson)> = Vec::new();
        let mut quizzes: Vec<(String, bool, Vec<Question>)> = Vec::new();
        for (slug, (order, versions)) in lessons {
            let Some((
                vi_path,
                LessonFile {
                    version: Some(vi), ..
                },
            )) = versions.get(&Lang::Vi)
            else {
                let (path, _) = versions
                    .values()
                    .next()
                    .expect("a lesson has one file at least");
                self.problem(path, None, format!("lesson `{slug}` has no Vietnamese file (`{order:02}-{slug}.vi.md`); every lesson needs one"));
                continue;
            };
            for (lang, (path, file)) in &versions {
                if let Some(version) = &file.version
                    && *lang != Lang::Vi
                    && !same_answers(vi, version)
                {
                    self.problem(path, Some(1), format!("the quiz must match `{}`: same questions in the same order, same number of choices, same answers, same `ask`", vi_path.rsplit('/').next().unwrap_or(vi_path)));
                }
                if let Some(version) = &file.version
                    && self.warn
                {
                    let label = format!("{}/{path}", self.tree.label);
                    quizzes.push((label, *lang == Lang::Vi, version.quiz.clone()));
                }
            }
            if self.warn {
                self.first_questions.extend(vi.quiz.first().cloned());
            }
            let mut headings = BTreeMap::new();
            let mut texts = BTreeMap::new();
            for (lang, (_, file)) in versions {
                headings.insert(lang, file.heading);
                if let Some(version) = file.version {
                    texts.insert(lang, version);
                }
            }
            ordered.push((
                order,
                Lesson {
                    id: format!("{id}/{slug}"),
                    slug: slug.to_string(),
                    module_id: id.clone(),
                    source: Source::Embedded,
                    headings: Localized::new(headings).expect("Vietnamese checked above"),
                    versions: Localized::new(texts).expect("Vietnamese checked above"),
                },
            ));
        }
        ordered.sort_by_key(|(order, _)| *order);
        let files: Vec<QuizFile> = quizzes
            .iter()
            .map(|(path, vietnamese, quiz)| QuizFile {
                path: path.clone(),
                vietnamese: *vietnamese,
                quiz,
            })
            .collect();
        if self.warn {
            let folder_label = format!("{}/{folder}", self.tree.label);
            let (warnings, figures) = fairness::review_module(&folder_label, &files);
            for (file, message) in warnings {
                self.warning(file, None, message);
            }
            self.figures.push((folder.to_string(), figures));
        }
        if ordered.is_empty() {
            self.problem(&toml_path, None, "the module has no lessons");
            return None;
        }
        let practice = self.practice(&id, scenarios, &ordered);
        Some(Module {
            id,
            icon_url,
            text,
            lessons: ordered.into_iter().map(|(_, l)| l).collect(),
            practice,
        })
    }

    fn module_toml(
        &mut self,
        path: &str,
        bytes: &[u8],
    ) -> Option<(Option<String>, Localized<ModuleText>)> {
        let text = self.utf8(path, bytes)?;
        self.warn_written_out(path, text);
        let table: ModuleToml = match toml::from_str(text) {
            Ok(t) => t,
            Err(e) => {
                let line = e.span().map(|s| line_of(text, s.start));
                self.problem(path, line, format!("not valid TOML: {}", e.message()));
                return None;
            }
        };
        let mut icon_url = None;
        let mut by_lang = BTreeMap::new();
        let has_vi = table.contains_key("vi");
        for (key, value) in table {
            let line = Some(line_of(text, key.span().start));
            if key.get_ref() == "icon" {
                match value.get_ref().as_str() {
                    Some(name) => icon_url = self.asset(path, line, name, &IMAGE_KINDS),
                    None => self.problem(
                        path,
                        line,
                        "`icon` is the name of an image file in `assets/`",
                    ),
                }
                continue;
            }
            let Some(lang) = Lang::from_code(key.get_ref()) else {
                self.problem(
                    path,
                    line,
                    format!(
                        "`{}` is neither `icon` nor a language ({})",
                        key.get_ref(),
                        lang_list()
                    ),
                );
                continue;
            };
            match value.into_inner().try_into::<ModuleTextToml>() {
                Ok(t) => {
                    if t.title.trim().is_empty() || t.summary.trim().is_empty() {
                        self.problem(
                            path,
                            line,
                            format!("`[{lang}]` has an empty `title` or `summary`"),
                        );
                    }
                    let mut fill = |text: &str| {
                        let (filled, problems) = self.facts.fill(text.trim(), lang, &mut self.used);
                        for (_, message) in problems {
                            self.problem(path, line, message);
                        }
                        filled
                    };
                    let (title, summary) = (fill(&t.title), fill(&t.summary));
                    by_lang.insert(lang, ModuleText { title, summary });
                }
                Err(e) => self.problem(
                    path,
                    line,
                    format!(
                        "`[{lang}]` needs `title` and `summary` and nothing else: {}",
                        e.message()
                    ),
                ),
            }
        }
        if !has_vi {
            self.problem(
                path,
                Some(1),
                "the module needs a `[vi]` table with `title` and `summary`",
            );
        }
        Localized::new(by_lang).map(|text| (icon_url, text))
    }

    fn utf8<'b>(&mut self, path: &str, bytes: &'b [u8]) -> Option<&'b str> {
        match std::str::from_utf8(bytes) {
            Ok(text) => Some(text),
            Err(e) => {
                let line = line_of(
                    &String::from_utf8_lossy(&bytes[..e.valid_up_to()]),
                    e.valid_up_to(),
                );
                self.problem(
                    path,
                    Some(line),
                    "the file is not UTF-8 text; save it as UTF-8",
                );
                None
            }
        }
    }
}

/// `01-dien-thoai` → `(1, "dien-thoai")`.
pub(super) fn numbered(name: &str) -> Option<(u32, &str)> {
    let (number, id) = name.split_once('-')?;
    let ok_number = !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit());
    let ok_id = !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !id.starts_with('-')
        && !id.ends_with('-');
    (ok_number && ok_id)
        .then(|| (number.parse().ok(), id))
        .and_then(|(n, id)| Some((n?, id)))
}

fn lesson_name(file: &str) -> Option<LessonName<'_>> {
    file_name(file, ".md")
}

/// A practice file's name taken apart: `01-cong-an-gia.vi.toml`.
fn scenario_name(file: &str) -> Option<LessonName<'_>> {
    file_name(file, ".toml")
}

/// `NN-name.LANG` and then `ext`, taken apart.
fn file_name<'a>(file: &'a str, ext: &str) -> Option<LessonName<'a>> {
    let stem = file.strip_suffix(ext)?;
    let (stem, lang) = stem.rsplit_once('.')?;
    let (order, slug) = numbered(stem)?;
    Some(LessonName {
        order,
        slug,
        lang: Lang::from_code(lang)?,
    })
}

fn same_answers(a: &LessonVersion, b: &LessonVersion) -> bool {
    a.ask == b.ask
        && a.quiz.len() == b.quiz.len()
        && a.quiz
            .iter()
            .zip(&b.quiz)
            .all(|(x, y)| x.answer == y.answer && x.choices.len() == y.choices.len())
}

fn lang_list() -> String {
    Lang::all()
        .iter()
        .map(|l| format!("`{l}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Joins a relative path onto a folder, resolving `.` and `..`; `None` if it climbs above the
/// root that holds `lessons/` and `assets/`.
fn join(dir: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for part in rel.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

mod lesson;
mod readings;
mod scenarios;
#[cfg(test)]
mod tests;
