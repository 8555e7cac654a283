//! Content packs: lessons the province publishes, added beside the embedded ones. A pack
//! adds modules, or lessons to a built-in module; it never replaces a built-in lesson, and
//! the first pack (by name) to give a lesson id keeps it. The box holds one version of each
//! pack, the newest, so a newer version of a pack replaces its older lessons. A pack's
//! `facts.toml` is laid over the built-in facts, so its newer values reach every lesson.

use std::collections::{BTreeMap, BTreeSet};

use super::load::numbered;
use super::{LessonTree, Problem};

/// `base` with the files of every pack (name, path → text) added, and a problem for each
/// file left out. Paths are as in a lessons folder: `05-lua-dao/07-ma-qr.vi.md`.
pub fn with_packs<'a>(
    base: &LessonTree,
    packs: impl IntoIterator<Item = (&'a str, &'a BTreeMap<String, String>)>,
) -> (LessonTree, Vec<Problem>) {
    let mut folders: BTreeMap<String, String> = BTreeMap::new();
    let mut lessons: BTreeMap<(String, String), String> = BTreeMap::new();
    for path in base.files.keys() {
        let Some((folder, file)) = path.split_once('/') else {
            continue;
        };
        if let Some((_, module)) = numbered(folder) {
            folders.insert(module.to_string(), folder.to_string());
            if let Some(slug) = slug(file) {
                lessons.insert((module.to_string(), slug), String::new());
            }
        }
    }
    let built_in: BTreeSet<String> = folders.keys().cloned().collect();
    let mut tree = base.clone();
    let mut problems = Vec::new();
    for (pack, files) in packs {
        for (path, text) in files {
            let mut refuse = |message: String| {
                problems.push(Problem {
                    file: format!("pack {pack}/{path}"),
                    line: None,
                    message,
                })
            };
            if path == super::facts::FILE {
                tree.fact_packs.push((pack.to_string(), text.clone()));
                continue;
            }
            let Some((folder, file)) = path.split_once('/') else {
                refuse(format!(
                    "a pack holds module folders and `{}` only",
                    super::facts::FILE
                ));
                continue;
            };
            let Some((_, module)) = numbered(folder) else {
                // Let the lesson check name what is wrong with the folder.
                tree.files.insert(path.clone(), text.clone().into_bytes());
                continue;
            };
            let folder = folders
                .entry(module.to_string())
                .or_insert_with(|| folder.to_string())
                .clone();
            if file == "module.toml" && built_in.contains(module) {
                continue; // a built-in module keeps its own title
            }
            if let Some(slug) = slug(file) {
                let id = (module.to_string(), slug.clone());
                match lessons.get(&id).map(String::as_str) {
                    Some("") => {
                        refuse(format!(
                            "{} {module}/{} is built into the box; a pack cannot replace it (give the new one another name)",
                            what(&slug),
                            name_of(&slug)
                        ));
                        continue;
                    }
                    Some(other) if other != pack => {
                        refuse(format!(
                            "{} {module}/{} comes already from pack {other}",
                            what(&slug),
                            name_of(&slug)
                        ));
                        continue;
                    }
                    _ => {
                        lessons.insert(id, pack.to_string());
                    }
                }
            }
            tree.files
                .insert(format!("{folder}/{file}"), text.clone().into_bytes());
        }
    }
    (tree, problems)
}

/// A pack as the loader sees it: its name and its files (path → text).
pub type PackFiles<'a> = (&'a str, &'a BTreeMap<String, String>);

/// The embedded lessons with `packs` added (in name order), loaded as a catalogue.
pub fn catalogue_with(
    packs: &[PackFiles<'_>],
    asset_url: &dyn Fn(&str) -> String,
) -> (super::Catalogue, Vec<Problem>) {
    let mut sorted = packs.to_vec();
    sorted.sort_by(|a, b| a.0.cmp(b.0));
    let (tree, mut problems) = with_packs(&LessonTree::embedded(), sorted);
    let (catalogue, more) = super::load(&tree, asset_url);
    problems.extend(more);
    (catalogue, problems)
}

/// Whether `new` may join `held` (replacing the held pack of its name): it must bring no
/// problem the lessons did not have before. The problems it brings, if any.
pub fn check_pack(held: &[PackFiles<'_>], new: PackFiles<'_>) -> Result<(), Vec<Problem>> {
    let url = |name: &str| format!("/assets/{name}");
    let before = catalogue_with(held, &url).1;
    let mut with: Vec<PackFiles<'_>> = held.iter().filter(|p| p.0 != new.0).copied().collect();
    with.push(new);
    let after = catalogue_with(&with, &url).1;
    let brought: Vec<Problem> = after.into_iter().filter(|p| !before.contains(p)).collect();
    match brought.is_empty() {
        true => Ok(()),
        false => Err(brought),
    }
}

fn what(slug: &str) -> &'static str {
    match slug.starts_with("practice ") {
        true => "practice scenario",
        false => "lesson",
    }
}

fn name_of(slug: &str) -> &str {
    slug.strip_prefix("practice ").unwrap_or(slug)
}

/// What a file of a module folder gives, by name: `07-ma-qr.vi.md` → `ma-qr` (a lesson),
/// `01-cong-an-gia.vi.toml` → `practice cong-an-gia` (a practice scenario).
fn slug(file: &str) -> Option<String> {
    let (stem, practice) = match (file.strip_suffix(".md"), file.strip_suffix(".toml")) {
        (Some(stem), _) => (stem, false),
        (None, Some(stem)) => (stem, true),
        (None, None) => return None,
    };
    let (stem, _lang) = stem.rsplit_once('.')?;
    let (_, slug) = numbered(stem)?;
    Some(match practice {
        true => format!("practice {slug}"),
        false => slug.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(files: &[&str]) -> LessonTree {
        LessonTree {
            label: "lessons".into(),
            files: files
                .iter()
                .map(|f| (f.to_string(), b"x".to_vec()))
                .collect(),
            assets: BTreeMap::new(),
            fact_packs: Vec::new(),
        }
    }

    fn pack(files: &[&str]) -> BTreeMap<String, String> {
        files
            .iter()
            .map(|f| (f.to_string(), "y".to_string()))
            .collect()
    }

    #[test]
    fn packs_add_lessons_and_modules_but_never_replace_built_in_ones() {
        let base = tree(&["05-lua-dao/module.toml", "05-lua-dao/01-tin-nhan.vi.md"]);
        let news = pack(&[
            "5-lua-dao/module.toml",
            "5-lua-dao/07-ma-qr.vi.md",
            "5-lua-dao/01-tin-nhan.vi.md",
            "09-ai-moi/module.toml",
            "09-ai-moi/01-chatbot.vi.md",
        ]);
        let (merged, problems) = with_packs(&base, [("tin-moi", &news)]);
        let files: Vec<&str> = merged.files.keys().map(String::as_str).collect();
        assert_eq!(
            files,
            [
                "05-lua-dao/01-tin-nhan.vi.md",
                "05-lua-dao/07-ma-qr.vi.md",
                "05-lua-dao/module.toml",
                "09-ai-moi/01-chatbot.vi.md",
                "09-ai-moi/module.toml"
            ]
        );
        assert_eq!(merged.files["05-lua-dao/01-tin-nhan.vi.md"], b"x");
        assert_eq!(problems.len(), 1);
        assert!(problems[0].message.contains("built into the box"));
    }

    #[test]
    fn the_first_pack_to_give_a_lesson_keeps_it() {
        let base = tree(&[]);
        let a = pack(&["01-moi/01-bai.vi.md"]);
        let b = pack(&["01-moi/01-bai.vi.md", "01-moi/01-bai.en.md"]);
        let (merged, problems) = with_packs(&base, [("a", &a), ("b", &b)]);
        assert_eq!(merged.files.len(), 1);
        assert_eq!(problems.len(), 2);
        assert!(problems[0].message.contains("pack a"));
    }
}
