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
    },
}

pub fn check(
    dir: Option<PathBuf>,
    assets: Option<PathBuf>,
    stats: bool,
) -> anyhow::Result<ExitCode> {
    let tree = match dir {
        None => LessonTree::embedded(),
        Some(dir) => {
            let assets = assets.unwrap_or_else(|| dir.join("..").join("assets"));
            anyhow::ensure!(dir.is_dir(), "{} is not a folder", dir.display());
            LessonTree::from_dir(&dir, &assets)
                .with_context(|| format!("cannot read {}", dir.display()))?
        }
    };
    let today = time::OffsetDateTime::now_utc().date();
    let checked = content::check(&tree, &|name| format!("/assets/{name}"), today);
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
    if problems.is_empty() {
        let warned = match checked.warnings.len() {
            0 => String::new(),
            n => format!(", {n} warning(s)"),
        };
        println!(
            "ok: {} modules, {lessons} lessons, {files} lesson files{warned}",
            catalogue.modules.len()
        );
        Ok(ExitCode::SUCCESS)
    } else {
        println!("{} problem(s) in {}", problems.len(), tree.label);
        Ok(ExitCode::FAILURE)
    }
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
