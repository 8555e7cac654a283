//! `hocso lessons check`: check a lesson tree and print every problem.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Subcommand;
use hocso::content::{self, LessonTree};

#[derive(Subcommand)]
pub enum LessonsCommand {
    /// Check a lesson tree and print every problem as `file:line: message`. Exits non-zero if
    /// there is any. Without DIR, checks the lessons built into this binary.
    Check {
        /// A lessons folder to check before building, e.g. ./lessons.
        dir: Option<PathBuf>,
        /// The assets folder its images come from (default: `assets` beside DIR).
        #[arg(long, value_name = "DIR")]
        assets: Option<PathBuf>,
    },
}

pub fn check(dir: Option<PathBuf>, assets: Option<PathBuf>) -> anyhow::Result<ExitCode> {
    let tree = match dir {
        None => LessonTree::embedded(),
        Some(dir) => {
            let assets = assets.unwrap_or_else(|| dir.join("..").join("assets"));
            anyhow::ensure!(dir.is_dir(), "{} is not a folder", dir.display());
            LessonTree::from_dir(&dir, &assets)
                .with_context(|| format!("cannot read {}", dir.display()))?
        }
    };
    let (catalogue, problems) = content::load(&tree, &|name| format!("/assets/{name}"));
    for problem in &problems {
        println!("{problem}");
    }
    let lessons = catalogue.lessons().count();
    let files: usize = catalogue.lessons().map(|l| l.headings.iter().count()).sum();
    if problems.is_empty() {
        println!(
            "ok: {} modules, {lessons} lessons, {files} lesson files",
            catalogue.modules.len()
        );
        Ok(ExitCode::SUCCESS)
    } else {
        println!("{} problem(s) in {}", problems.len(), tree.label);
        Ok(ExitCode::FAILURE)
    }
}
