//! The languages the box speaks: one translator's file a language, `i18n/{code}.ftl`, embedded
//! in the binary. `Lang` names one of them; the list is the files present, Vietnamese first, so
//! a new language is a new file and nothing else here changes.
//!
//! This module knows only which files there are and their text. Reading the messages in them
//! is `web::i18n`'s; lesson files in a language (`*.{code}.md`) are `content`'s, and a lesson
//! without one falls back to Vietnamese there.

use std::cmp::Ordering;
use std::fmt;
use std::sync::LazyLock;

#[derive(rust_embed::Embed)]
#[folder = "i18n/"]
#[include = "*.ftl"]
struct Files;

/// A language a lesson or the interface can be shown in: the code of an `.ftl` file present
/// (`vi`, `en`). Vietnamese is the default and every lesson must have it; other languages are
/// optional translations. Ordered as `Lang::all` lists them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Lang(&'static str);

/// One language's file: its code (the file's stem) and its text.
struct File {
    code: String,
    source: String,
}

/// Every language file, Vietnamese first and then by code; read once.
static FILES: LazyLock<Vec<File>> = LazyLock::new(|| {
    let mut files: Vec<File> = Files::iter()
        .filter_map(|name| {
            let code = name.strip_suffix(".ftl")?.to_string();
            let data = Files::get(&name)?.data;
            let source = String::from_utf8(data.into_owned())
                .unwrap_or_else(|_| panic!("i18n/{name} is not UTF-8"));
            Some(File { code, source })
        })
        .collect();
    #[cfg(test)]
    files.push(tests::test_only_language(&files));
    files.sort_by(|a, b| (a.code != "vi", &a.code).cmp(&(b.code != "vi", &b.code)));
    assert!(
        files.first().is_some_and(|f| f.code == "vi"),
        "i18n/vi.ftl is the box's first language and must be present"
    );
    files
});

static ALL: LazyLock<Vec<Lang>> =
    LazyLock::new(|| FILES.iter().map(|f| Lang(f.code.as_str())).collect());

#[allow(non_upper_case_globals)] // kept as the enum's variants were named, for its callers
impl Lang {
    /// Vietnamese: the default, and what a missing translation falls back to.
    pub const Vi: Lang = Lang("vi");
    /// English, which ships (`i18n/en.ftl`; a test checks it is present).
    pub const En: Lang = Lang("en");

    /// Every language present, Vietnamese first.
    pub fn all() -> &'static [Lang] {
        &ALL
    }

    pub fn code(self) -> &'static str {
        self.0
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        Lang::all().iter().copied().find(|l| l.0 == code)
    }

    /// Where `self` stands in `Lang::all`.
    fn index(self) -> usize {
        Lang::all()
            .iter()
            .position(|l| l.0 == self.0)
            .unwrap_or(usize::MAX)
    }

    /// The text of the language's `.ftl` file.
    pub fn source(self) -> &'static str {
        FILES
            .get(self.index())
            .map_or("", |file| file.source.as_str())
    }
}

impl Ord for Lang {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.index(), self.0).cmp(&(other.index(), other.0))
    }
}

impl PartialOrd for Lang {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The code of the language only the tests have.
    pub(crate) const TEST_ONLY: &str = "zz";

    /// A third language for the tests, to show that a new file is all a language needs: the
    /// Vietnamese file under another name. It never ships (it is built only under `cfg(test)`)
    /// and is no translation.
    pub(super) fn test_only_language(files: &[File]) -> File {
        let vi = files
            .iter()
            .find(|f| f.code == "vi")
            .expect("i18n/vi.ftl is present");
        let source = vi
            .source
            .lines()
            .map(|line| match line.starts_with("language-name =") {
                true => "language-name = Zz (test only)",
                false => line,
            })
            .collect::<Vec<_>>()
            .join("\n");
        File {
            code: TEST_ONLY.to_string(),
            source,
        }
    }

    #[test]
    fn the_files_present_are_the_languages() {
        let codes: Vec<&str> = Lang::all().iter().map(|l| l.code()).collect();
        assert_eq!(codes, ["vi", "en", TEST_ONLY]);
        assert_eq!(Lang::from_code("en"), Some(Lang::En));
        assert_eq!(Lang::from_code(TEST_ONLY).map(Lang::code), Some(TEST_ONLY));
        assert_eq!(Lang::from_code("fr"), None);
        assert!(Lang::Vi < Lang::En);
        assert!(Lang::source(Lang::En).contains("language-name = English"));
    }
}
