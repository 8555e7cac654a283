//! `hocso lessons check`: check a lesson tree and print every problem and warning, and with
//! `--stats` the quizzes' fairness figures.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Subcommand;
use hocso::content::fairness::{Count, Figures};
use hocso::content::{self, LessonTree};

#[derive(Subcommand)]
pub enum LessonsCommand {
    /// Check a lesson tree and print every problem as `file:line: message`. Exits non-zero if
    /// there is any. Warnings (quizzes that can be guessed, facts written out or not checked
    /// for a year) are printed too but do not fail. Without DIR, checks the lessons built into
    /// this binary.
    Check {
        /// A lessons folder to check before building, e.g. ./lessons.
        dir: Option<PathBuf>,
        /// The assets folder its images come from (default: `assets` beside DIR).
        #[arg(long, value_name = "DIR")]
        assets: Option<PathBuf>,
        /// Also print the quizzes' fairness figures: how often the right answer is the longest
        /// choice, and where it sits, against what chance would give.
        #[arg(long)]
        stats: bool,
        /// DIR is a content pack for the province to publish (module folders and perhaps a
        /// `facts.toml`): check it as boxes will see it, added to the lessons built into this
        /// binary, with their facts and pictures.
        #[arg(long, requires = "dir")]
        pack: bool,
    },
}

pub fn check(
    dir: Option<PathBuf>,
    assets: Option<PathBuf>,
    stats: bool,
    pack: bool,
) -> anyhow::Result<ExitCode> {
    let mut pack_problems = Vec::new();
    let tree = match dir {
        None => LessonTree::embedded(),
        Some(dir) if pack => {
            anyhow::ensure!(dir.is_dir(), "{} is not a folder", dir.display());
            let read = LessonTree::from_dir(&dir, &dir.join("..").join("assets"))
                .with_context(|| format!("cannot read {}", dir.display()))?;
            let mut files = std::collections::BTreeMap::new();
            for (path, bytes) in read.files {
                let text = String::from_utf8(bytes).map_err(|_| {
                    anyhow::anyhow!("{path} is not UTF-8 text; a pack carries lesson text only")
                })?;
                files.insert(path, text);
            }
            let name = read.label.rsplit('/').next().unwrap_or("pack").to_string();
            let (tree, problems) = with_built_in(&name, &files);
            pack_problems = problems;
            tree
        }
        Some(dir) => {
            let assets = assets.unwrap_or_else(|| dir.join("..").join("assets"));
            anyhow::ensure!(dir.is_dir(), "{} is not a folder", dir.display());
            LessonTree::from_dir(&dir, &assets)
                .with_context(|| format!("cannot read {}", dir.display()))?
        }
    };
    let today = time::OffsetDateTime::now_utc().date();
    let mut checked = content::check(&tree, &|name| format!("/assets/{name}"), today);
    pack_problems.append(&mut checked.problems);
    checked.problems = pack_problems;
    let (catalogue, problems) = (&checked.catalogue, &checked.problems);
    for problem in problems {
        println!("{problem}");
    }
    for warning in &checked.warnings {
        println!("{warning} (warning)");
    }
    if stats {
        print_stats(&checked.stats);
    }
    let lessons = catalogue.lessons().count();
    let files: usize = catalogue.lessons().map(|l| l.headings.iter().count()).sum();
    let practice: usize = catalogue.modules.iter().map(|m| m.practice.len()).sum();
    if problems.is_empty() {
        let warned = match checked.warnings.len() {
            0 => String::new(),
            n => format!(", {n} warning(s)"),
        };
        println!(
            "ok: {} modules, {lessons} lessons, {files} lesson files, {practice} practice scenario(s){warned}",
            catalogue.modules.len()
        );
        Ok(ExitCode::SUCCESS)
    } else {
        println!("{} problem(s) in {}", problems.len(), tree.label);
        Ok(ExitCode::FAILURE)
    }
}

/// The built-in lessons with the pack `name` (path → text) added, as boxes will load them,
/// and the problems of the merge.
fn with_built_in(
    name: &str,
    files: &std::collections::BTreeMap<String, String>,
) -> (LessonTree, Vec<content::Problem>) {
    content::with_packs(&LessonTree::embedded(), [(name, files)])
}

/// What an author should look at in the pack `name` before or after publishing it: quizzes
/// that can be guessed, facts written out or unused (its problems stop the publishing).
pub fn pack_warnings(
    name: &str,
    files: &std::collections::BTreeMap<String, String>,
) -> Vec<content::Problem> {
    let (tree, _) = with_built_in(name, files);
    let today = time::OffsetDateTime::now_utc().date();
    content::check(&tree, &|name| format!("/assets/{name}"), today).warnings
}

/// The fairness figures as a table: each count with what chance would give in brackets.
fn print_stats(stats: &content::fairness::Stats) {
    let count = |c: &Count| format!("{} ({:.1})", c.seen, c.expected());
    let row = |name: &str, f: &Figures| {
        let positions: Vec<String> = f.positions.iter().map(count).collect();
        println!(
            "{name:<22} {:>9}  {:>12}  {}",
            f.questions,
            count(&f.longest),
            positions.join("  ")
        );
    };
    println!();
    println!("Quizzes (Vietnamese): right answers, with what chance gives in brackets");
    println!(
        "{:<22} {:>9}  {:>12}  at A, B, C, D",
        "module", "questions", "longest"
    );
    for (module, figures) in &stats.modules {
        row(module, figures);
    }
    row("all", &stats.all);
    let first: Vec<String> = stats.first_questions.iter().map(count).collect();
    println!(
        "question 1 of each lesson at A, B, C, D: {}",
        first.join("  ")
    );
    println!();
}
