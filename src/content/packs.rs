//! Content packs: lessons the province publishes, added beside the embedded ones. A pack
//! adds modules, or lessons to a built-in module; it never replaces a built-in lesson, and
//! the first pack (by name) to give a lesson id keeps it. The box holds one version of each
//! pack, the newest, so a newer version of a pack replaces its older lessons. A pack's
//! `facts.toml` is laid over the built-in facts, so its newer values reach every lesson.
//!
//! A pack may also carry pictures and recordings (`media/<hex>.jpg` → the bytes in base64,
//! named by their content) and recorded readings of lessons (`readings.toml`). The commune's
//! own lessons and readings join the same way, as the last pack (`LOCAL`), so a lesson the
//! province adopted from a commune takes the place of the commune's draft of it.

use std::collections::{BTreeMap, BTreeSet};

use super::load::numbered;
use super::{LessonTree, Problem};

/// The name the commune's own lessons and readings go by among the packs: no pack can be
/// named so, and it sorts after every pack name.
pub const LOCAL: &str = "~xa";

/// The file of a pack that lists its recorded readings.
const READINGS: &str = "readings.toml";

/// Whether `name` names a media file: 16 to 64 lowercase hex digits, a dot, and `jpg`,
/// `webp` (pictures) or `ogg`, `opus`, `webm`, `m4a`, `mp3`, `wav` (recordings).
pub fn is_media_name(name: &str) -> bool {
    let Some((stem, ext)) = name.split_once('.') else {
        return false;
    };
    (16..=64).contains(&stem.len())
        && stem
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        && ["jpg", "webp", "ogg", "opus", "webm", "m4a", "mp3", "wav"].contains(&ext)
}

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
            if path == READINGS {
                tree.readings.push((pack.to_string(), text.clone()));
                continue;
            }
            if let Some(name) = path.strip_prefix("media/") {
                match is_media_name(name) {
                    // base64: four characters carry three bytes
                    true => {
                        tree.media
                            .insert(name.to_string(), text.trim().len() / 4 * 3);
                    }
                    false => refuse(format!(
                        "`{name}` is not a media file's name (its content's hash and a known extension)"
                    )),
                }
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
                        // A scenario's origin is kept as `practice module/name`.
                        let origin = match slug.strip_prefix("practice ") {
                            Some(name) => format!("practice {module}/{name}"),
                            None => format!("{module}/{slug}"),
                        };
                        tree.origins.insert(origin, pack.to_string());
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
    catalogue_from(packs, &BTreeMap::new(), asset_url)
}

/// `catalogue_with`, where `media` (name → size) are media files kept apart from the packs'
/// files (the commune's own pictures and recordings, in the box's database).
pub fn catalogue_from(
    packs: &[PackFiles<'_>],
    media: &BTreeMap<String, usize>,
    asset_url: &dyn Fn(&str) -> String,
) -> (super::Catalogue, Vec<Problem>) {
    let mut sorted = packs.to_vec();
    sorted.sort_by(|a, b| a.0.cmp(b.0));
    let (mut tree, mut problems) = with_packs(&LessonTree::embedded(), sorted);
    tree.media
        .extend(media.iter().map(|(n, s)| (n.clone(), *s)));
    let (catalogue, more) = super::load(&tree, asset_url);
    problems.extend(more);
    (catalogue, problems)
}

/// What `hocso lessons check` would say of the embedded lessons with `packs` and `media`
/// added: problems, warnings and figures, on `today`.
pub fn check_from(
    packs: &[PackFiles<'_>],
    media: &BTreeMap<String, usize>,
    asset_url: &dyn Fn(&str) -> String,
    today: time::Date,
) -> super::Checked {
    let mut sorted = packs.to_vec();
    sorted.sort_by(|a, b| a.0.cmp(b.0));
    let (mut tree, problems) = with_packs(&LessonTree::embedded(), sorted);
    tree.media
        .extend(media.iter().map(|(n, s)| (n.clone(), *s)));
    let mut checked = super::check(&tree, asset_url, today);
    checked.problems.splice(0..0, problems);
    checked
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
            ..LessonTree::default()
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

    /// A lesson a commune wrote (here: a built-in one with another title, a credit and a
    /// photo), as a pack carries it once the province adopted it.
    fn adopted(title: &str) -> String {
        let tree = LessonTree::embedded();
        let text =
            String::from_utf8(tree.files["03-an-toan/01-mat-khau-otp.vi.md"].clone()).unwrap();
        let (_, rest) = text.split_once("\n").unwrap();
        let (_, rest) = rest.split_once("\n").unwrap();
        format!(
            "+++\ntitle = \"{title}\"\ncredit = \"Xã Ea Tu\"\n{rest}\n![Tin nhắn giả](0123456789abcdef0123456789abcdef.jpg)\n"
        )
    }

    fn adopted_pack(readings: &str) -> BTreeMap<String, String> {
        BTreeMap::from([
            (
                "03-an-toan/81-trung-thuong.vi.md".to_string(),
                adopted("Lừa đảo mới"),
            ),
            (
                "media/0123456789abcdef0123456789abcdef.jpg".to_string(),
                "AAAA".repeat(100),
            ),
            (
                "media/fedcba9876543210fedcba9876543210.ogg".to_string(),
                "AAAA".repeat(100),
            ),
            ("readings.toml".to_string(), readings.to_string()),
        ])
    }

    #[test]
    fn a_pack_carries_pictures_and_readings_in_any_language() {
        let readings = "[[reading]]\nlesson = \"an-toan/trung-thuong\"\nlang = \"ede\"\nlang_name = \"Ê Đê\"\naudio = \"fedcba9876543210fedcba9876543210.ogg\"\nseconds = 95\ncredit = \"Xã Ea Tu\"\n\n[[reading]]\nlesson = \"an-toan/mat-khau-otp\"\nslide = 2\nlang = \"jra\"\nlang_name = \"J'rai\"\naudio = \"fedcba9876543210fedcba9876543210.ogg\"\nseconds = 40\n";
        let pack = adopted_pack(readings);
        let (catalogue, problems) = catalogue_with(&[("de-xuat-1", &pack)], &|n| format!("/x/{n}"));
        assert_eq!(problems, []);
        let lesson = catalogue.lesson("an-toan/trung-thuong").unwrap();
        assert_eq!(
            lesson.source,
            super::super::Source::Pack("de-xuat-1".into())
        );
        assert_eq!(
            lesson.heading(super::super::Lang::Vi).credit.as_deref(),
            Some("Xã Ea Tu")
        );
        let slide = lesson
            .versions
            .get(super::super::Lang::Vi)
            .slides
            .last()
            .unwrap();
        assert!(
            slide.contains("/x/0123456789abcdef0123456789abcdef.jpg"),
            "{slide}"
        );
        let read = catalogue.readings_of("an-toan/trung-thuong");
        assert_eq!(read.len(), 1);
        assert_eq!((read[0].lang.as_str(), read[0].seconds), ("ede", 95));
        assert_eq!(
            catalogue.readings_of("an-toan/mat-khau-otp")[0].slide,
            Some(2)
        );
        let embedded = catalogue.lesson("an-toan/mat-khau-otp").unwrap();
        assert_eq!(embedded.source, super::super::Source::Embedded);
    }

    #[test]
    fn readings_and_pictures_that_point_at_nothing_are_problems() {
        let readings = "[[reading]]\nlesson = \"an-toan/khong-co\"\nlang = \"ede\"\nlang_name = \"Ê Đê\"\naudio = \"fedcba9876543210fedcba9876543210.ogg\"\nseconds = 95\n\n[[reading]]\nlesson = \"an-toan/mat-khau-otp\"\nlang = \"Ê Đê\"\nlang_name = \"Ê Đê\"\naudio = \"fedcba9876543210fedcba9876543210.ogg\"\nseconds = 9\n\n[[reading]]\nlesson = \"an-toan/mat-khau-otp\"\nlang = \"ede\"\nlang_name = \"Ê Đê\"\naudio = \"0123456789abcdef0123456789abcdef.jpg\"\nseconds = 9\n";
        let mut pack = adopted_pack(readings);
        pack.remove("media/0123456789abcdef0123456789abcdef.jpg");
        pack.insert("media/../../etc/passwd".into(), "AAAA".into());
        let (catalogue, problems) = catalogue_with(&[("p", &pack)], &|n| n.to_string());
        let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(problems.len(), 5, "{text:#?}");
        assert!(text.iter().any(|p| p.contains("is not on this box")));
        assert!(
            text.iter()
                .any(|p| p.contains("no lesson `an-toan/khong-co`"))
        );
        assert!(text.iter().any(|p| p.contains("ISO 639-3")));
        assert!(text.iter().any(|p| p.contains("no recording")));
        assert!(text.iter().any(|p| p.contains("not a media file's name")));
        assert!(catalogue.readings.is_empty());
    }

    #[test]
    fn the_communes_own_lessons_yield_to_a_pack_that_adopted_them() {
        let pack = adopted_pack("");
        let mut local = pack.clone();
        local.insert(
            "03-an-toan/81-trung-thuong.vi.md".into(),
            adopted("Bản nháp"),
        );
        local.insert("03-an-toan/82-moi.vi.md".into(), adopted("Bài mới"));
        let (catalogue, problems) =
            catalogue_with(&[(LOCAL, &local), ("de-xuat-1", &pack)], &|n| n.to_string());
        assert_eq!(problems.len(), 1, "{problems:?}");
        let adopted = catalogue.lesson("an-toan/trung-thuong").unwrap();
        assert!(
            adopted
                .heading(super::super::Lang::Vi)
                .title
                .starts_with("Lừa đảo mới")
        );
        let own = catalogue.lesson("an-toan/moi").unwrap();
        assert_eq!(own.source, super::super::Source::Local);
    }

    #[test]
    fn media_names_are_content_hashes_with_a_known_extension() {
        assert!(is_media_name("0123456789abcdef.jpg"));
        assert!(!is_media_name("0123456789abcdef.svg"));
        assert!(!is_media_name("mat-khau.jpg"));
        assert!(!is_media_name("0123456789ABCDEF.jpg"));
        assert!(!is_media_name("../0123456789abcdef.jpg"));
    }
}
