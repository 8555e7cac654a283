//! Where lessons come from: the folders embedded in the binary, or a folder on disk.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

use rust_embed::RustEmbed;

/// The `lessons/` folder, built into the binary.
#[derive(RustEmbed)]
#[folder = "lessons/"]
#[exclude = "README.md"]
struct EmbeddedLessons;

/// The `assets/` folder (images, the style sheet), built into the binary.
#[derive(RustEmbed)]
#[folder = "assets/"]
pub struct Assets;

/// A lesson tree read into memory: every file under the lessons folder, and the names and sizes
/// of the files in the assets folder that lessons may point at.
#[derive(Clone, Debug, Default)]
pub struct LessonTree {
    /// How problems name the lessons folder: `lessons` or the folder an author gave.
    pub label: String,
    /// Path relative to the lessons folder (`01-dien-thoai/01-bat-dau.vi.md`) → contents.
    pub files: BTreeMap<String, Vec<u8>>,
    /// Asset file name → size in bytes.
    pub assets: BTreeMap<String, usize>,
    /// The `facts.toml` of each content pack added (pack name, text), in the order they are
    /// laid over the tree's own `facts.toml`.
    pub fact_packs: Vec<(String, String)>,
    /// Pictures and recordings kept beside the lessons (a pack's, the commune's), by their
    /// content's name (`<hex>.jpg`) → size in bytes. A lesson shows one as `![…](<hex>.jpg)`.
    pub media: BTreeMap<String, usize>,
    /// The `readings.toml` of each pack (pack name, text), and the commune's own.
    pub readings: Vec<(String, String)>,
    /// Each lesson a pack gave: lesson id → the pack's name (a scenario's id is kept as
    /// `practice module/name`).
    pub origins: BTreeMap<String, String>,
}

impl LessonTree {
    /// The lessons and assets compiled into this binary.
    pub fn embedded() -> LessonTree {
        let files = EmbeddedLessons::iter()
            .filter_map(|path| {
                let file = EmbeddedLessons::get(&path)?;
                Some((path.into_owned(), file.data.into_owned()))
            })
            .collect();
        let assets = Assets::iter()
            .filter_map(|name| {
                let size = Assets::get(&name)?.data.len();
                Some((name.into_owned(), size))
            })
            .collect();
        LessonTree {
            label: "lessons".into(),
            files,
            assets,
            ..LessonTree::default()
        }
    }

    /// A lessons folder on disk, with its assets folder (by default `../assets` beside it).
    pub fn from_dir(lessons: &Path, assets: &Path) -> io::Result<LessonTree> {
        let mut files = BTreeMap::new();
        for path in walk(lessons)? {
            let rel = relative(lessons, &path);
            if rel == "README.md" {
                continue;
            }
            files.insert(rel, std::fs::read(&path)?);
        }
        let mut sizes = BTreeMap::new();
        if assets.is_dir() {
            for path in walk(assets)? {
                let size = std::fs::metadata(&path)?.len() as usize;
                sizes.insert(relative(assets, &path), size);
            }
        }
        Ok(LessonTree {
            label: lessons
                .display()
                .to_string()
                .trim_end_matches('/')
                .to_string(),
            files,
            assets: sizes,
            ..LessonTree::default()
        })
    }
}

/// Every regular file under `dir`, skipping hidden ones (editors' and file managers' litter).
fn walk(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d)? {
            let entry = entry?;
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            let kind = entry.file_type()?;
            if kind.is_dir() {
                stack.push(entry.path());
            } else if kind.is_file() {
                out.push(entry.path());
            }
        }
    }
    Ok(out)
}

fn relative(base: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(base).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}
