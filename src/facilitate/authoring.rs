//! Lessons made in the commune: the rules of the box's lesson editor, of recorded readings,
//! and of practice scenarios reworded (`scenarios`). The commune's published lessons and
//! scenarios and all its readings join the catalogue as the
//! last pack (`content::LOCAL`), so the one loader checks them as it checks every lesson; a
//! draft is checked the same way, beside everything the box serves, and each problem is
//! said in plain Vietnamese beside the field it concerns. No HTTP and no SQL text.

use std::collections::BTreeMap;

use crate::content::{self, LessonParts, PackFiles, Problem};
use crate::store::{LocalLesson, LocalReading, LocalScenario};

pub mod scenarios;

/// The module of lessons that belong to no built-in one.
pub const OWN_MODULE: &str = "bai-cua-xa";
pub const OWN_MODULE_TITLE: &str = "Bài của xã";

/// Languages a reading is offered in first (ISO 639-3, the name the village uses); another
/// may be named by its code.
pub const LANGUAGES: [(&str, &str); 12] = [
    ("vie", "Tiếng Việt"),
    ("ede", "Ê Đê"),
    ("cmo", "M'nông"),
    ("jra", "J'rai"),
    ("bdq", "Ba Na"),
    ("sed", "Xơ Đăng"),
    ("hnj", "H'Mông"),
    ("tyz", "Tày"),
    ("mtq", "Mường"),
    ("khm", "Khmer"),
    ("cja", "Chăm"),
    ("eng", "English"),
];

/// The name of language `code`: the offered one's, else `None`.
pub fn language_name(code: &str) -> Option<&'static str> {
    LANGUAGES.iter().find(|(c, _)| *c == code).map(|(_, n)| *n)
}

/// The slug a title gives: lowercase ASCII letters and digits joined by dashes, at most 60.
pub fn slug_from(title: &str) -> String {
    let folded = crate::text::fold(title);
    let mut slug = String::new();
    for c in folded.chars() {
        match c {
            'a'..='z' | '0'..='9' => slug.push(c),
            _ if !slug.is_empty() && !slug.ends_with('-') => slug.push('-'),
            _ => {}
        }
        if slug.len() >= 60 {
            break;
        }
    }
    slug.trim_end_matches('-').to_string()
}

/// Whether `slug` is a lesson's part of an id: lowercase ASCII letters, digits and single
/// dashes inside, at most 60.
pub fn is_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= 60
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !slug.starts_with('-')
        && !slug.ends_with('-')
        && !slug.contains("--")
}

/// Where the commune's own files sit: `90-<module>/<600 + n>-<slug>.vi.<ext>` (`md` for a
/// lesson, `toml` for a scenario), n its place among the module's own of that kind by
/// creation; the loader moves it into the module's own folder when the module exists.
/// `own` gives each file's id (`module/slug`) and when it was created.
fn places<'a>(
    own: impl IntoIterator<Item = (&'a str, &'a str)>,
    ext: &str,
) -> BTreeMap<String, String> {
    let mut by_module: BTreeMap<&str, Vec<(&str, &str, &str)>> = BTreeMap::new();
    for (id, created_at) in own {
        if let Some((module, slug)) = id.split_once('/') {
            by_module
                .entry(module)
                .or_default()
                .push((created_at, id, slug));
        }
    }
    let mut places = BTreeMap::new();
    for (module, mut list) in by_module {
        list.sort();
        for (n, (_, id, slug)) in list.into_iter().enumerate() {
            places.insert(
                id.to_string(),
                format!("90-{module}/{}-{slug}.vi.{ext}", 600 + n),
            );
        }
    }
    places
}

/// Where each of `lessons` sits among the files.
fn paths<'a>(lessons: impl IntoIterator<Item = &'a LocalLesson>) -> BTreeMap<String, String> {
    places(
        lessons
            .into_iter()
            .map(|l| (l.id.as_str(), l.created_at.as_str())),
        "md",
    )
}

/// The files the commune's lessons and scenarios (those `published`) and readings add to the
/// catalogue, as a pack's: each lesson file, a `module.toml` for a module of the commune's
/// own, each scenario file, and `readings.toml`.
pub fn local_files(
    lessons: &[LocalLesson],
    readings: &[LocalReading],
    scenarios: &[LocalScenario],
) -> BTreeMap<String, String> {
    let published: Vec<&LocalLesson> = lessons.iter().filter(|l| l.published).collect();
    let mut files = BTreeMap::new();
    let reworded: Vec<&LocalScenario> = scenarios.iter().filter(|s| s.published).collect();
    for (id, path) in scenarios::paths(reworded.iter().copied()) {
        if let Some(scenario) = reworded.iter().find(|s| s.id == id) {
            files.insert(path, scenario.file.clone());
        }
    }
    for (id, path) in paths(published.iter().copied()) {
        let lesson = published
            .iter()
            .find(|l| l.id == id)
            .expect("a path a lesson");
        if let Some(title) = &lesson.module_title {
            let module = id.split_once('/').map_or("", |(m, _)| m);
            let toml = format!(
                "[vi]\ntitle = {}\nsummary = {}\n",
                toml_string(title),
                toml_string("Bài do xã soạn, cho bà con trong xã.")
            );
            files.insert(format!("90-{module}/module.toml"), toml);
        }
        files.insert(path, lesson.file.clone());
    }
    if !readings.is_empty() {
        files.insert("readings.toml".into(), readings_toml(readings));
    }
    files
}

fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn readings_toml(readings: &[LocalReading]) -> String {
    let mut out = String::new();
    for r in readings {
        out.push_str("[[reading]]\n");
        out.push_str(&format!("id = {}\n", toml_string(&r.id)));
        out.push_str(&format!("lesson = {}\n", toml_string(&r.lesson_id)));
        if let Some(slide) = r.slide {
            out.push_str(&format!("slide = {slide}\n"));
        }
        out.push_str(&format!("lang = {}\n", toml_string(&r.lang)));
        out.push_str(&format!("lang_name = {}\n", toml_string(&r.lang_name)));
        out.push_str(&format!("audio = {}\n", toml_string(&r.audio)));
        out.push_str(&format!("seconds = {}\n\n", r.seconds.max(1)));
    }
    out
}

/// One thing the checker found in a draft: the field it concerns (`title`, `objective`,
/// `minutes`, `quiz N`, `slide N`; `None` for the whole lesson) and what to do, in Vietnamese.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub field: Option<String>,
    pub message: String,
}

/// What the checker says of a draft: what must be fixed before it is published, and what
/// deserves a look.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Findings {
    pub problems: Vec<Finding>,
    pub warnings: Vec<Finding>,
}

impl Findings {
    /// The findings about `field`.
    pub fn about<'a>(&'a self, field: &'a str) -> impl Iterator<Item = &'a Finding> + 'a {
        self.problems
            .iter()
            .chain(&self.warnings)
            .filter(move |f| f.field.as_deref() == Some(field))
    }
}

/// Checks `draft` (a local lesson, published or not) as the box would load it: beside the
/// packs `held`, the commune's other published lessons `others`, and the media on the box
/// (name → size), on `today`.
pub fn check(
    draft: &LocalLesson,
    held: &[PackFiles<'_>],
    others: &[LocalLesson],
    media: &BTreeMap<String, usize>,
    today: time::Date,
) -> Findings {
    let mut lessons: Vec<LocalLesson> = others
        .iter()
        .filter(|l| l.id != draft.id && l.published)
        .cloned()
        .collect();
    lessons.push(LocalLesson {
        published: true,
        ..draft.clone()
    });
    let files = local_files(&lessons, &[], &[]);
    let path = paths(&lessons)
        .remove(&draft.id)
        .expect("the draft has a path");
    findings_in(held, &files, &path, media, today, |p| Finding {
        field: p
            .line
            .and_then(|line| content::field_of_line(&draft.file, line)),
        message: vietnamese(&p.message),
    })
}

/// The checker's findings, each made by `finding`, about the file at `path` of the commune's
/// `files` (as the last pack, after those `held`).
fn findings_in(
    held: &[PackFiles<'_>],
    files: &BTreeMap<String, String>,
    path: &str,
    media: &BTreeMap<String, usize>,
    today: time::Date,
    finding: impl Fn(&Problem) -> Finding,
) -> Findings {
    let file_name = path.rsplit('/').next().unwrap_or(path);
    let mut packs: Vec<PackFiles<'_>> = held.to_vec();
    packs.push((content::LOCAL, files));
    let checked = content::check_from(&packs, media, &|n| n.to_string(), today);
    let mine = |p: &&Problem| p.file.ends_with(&format!("/{file_name}"));
    Findings {
        problems: checked.problems.iter().filter(mine).map(&finding).collect(),
        warnings: checked.warnings.iter().filter(mine).map(&finding).collect(),
    }
}

/// The checker's finding in plain Vietnamese (the checker speaks English to authors at a
/// computer); what it does not know is given as the checker said it.
pub fn vietnamese(message: &str) -> String {
    let number = |after: &str| -> Option<String> {
        let rest = message.split(after).nth(1)?;
        let n: String = rest
            .trim_start()
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        (!n.is_empty()).then_some(n)
    };
    let has = |s: &str| message.contains(s);
    if has("`minutes`") {
        return "Thời gian đọc là số phút, từ 5 đến 10.".into();
    }
    if has("`title` is empty") {
        return "Bài chưa có tên.".into();
    }
    if has("`objective` is empty") {
        return "Bài chưa có mục tiêu: học xong, bà con làm được gì?".into();
    }
    if has("`question` is empty") {
        return "Câu hỏi còn để trống.".into();
    }
    if has("`explain` is empty") {
        return "Chưa có lời giải thích cho đáp án đúng.".into();
    }
    if has("is out of range") {
        return "Chưa chọn đáp án đúng.".into();
    }
    if has("the quiz has") {
        let n = number("the quiz has").unwrap_or_default();
        return format!("Bài cần ít nhất 3 câu hỏi; mới có {n}.");
    }
    if has("a question needs at least") || has("choices; give") {
        return "Mỗi câu hỏi cần từ 3 đến 4 lựa chọn.".into();
    }
    if has("a choice is empty") {
        return "Có lựa chọn còn để trống.".into();
    }
    if has("is given twice") {
        return "Có hai lựa chọn giống nhau.".into();
    }
    if has("not one about the others") {
        return "Đừng dùng lựa chọn như «tất cả các ý trên»: hãy viết một ý thật.".into();
    }
    if has("the text has") && has("words") {
        let n = number("the text has").unwrap_or_default();
        return format!("Bài có {n} chữ; một bài cần từ 300 đến 700 chữ (đọc 5 đến 10 phút).");
    }
    if has("slide(s); the projector") {
        let n = number("the text has").unwrap_or_default();
        return format!("Bài có {n} trang; cần ít nhất 3 trang.");
    }
    if has("the text has no picture") {
        return "Bài chưa có ảnh: thêm ít nhất một ảnh vào một trang.".into();
    }
    if has("raw HTML") || has("HTML") {
        return "Không viết mã HTML trong bài; chỉ viết chữ (có thể dùng **đậm**, danh sách - …)."
            .into();
    }
    if has("leads outside the box") {
        return "Hộp không có internet: đừng đặt đường link ra ngoài; hãy viết địa chỉ thành chữ."
            .into();
    }
    if has("is not on this box") {
        return "Ảnh này không còn trên hộp: hãy tải ảnh lên lại.".into();
    }
    if has("use `##`") {
        return "Tiêu đề của trang viết bằng ## ở đầu dòng (một dấu # là tên bài).".into();
    }
    if has("built into the box") || has("comes already from pack") {
        return "Đã có bài khác cùng tên: hãy đặt tên khác.".into();
    }
    if has("points to a lesson file that does not exist") {
        return "Đường dẫn tới một bài không còn đúng: hãy xoá đường dẫn đó hoặc viết tên bài thành chữ.".into();
    }
    if has("front matter") {
        return format!("Bài không đọc được ({message}).");
    }
    if has("fact") {
        return format!("Dữ kiện viết trong {{{{…}}}} không đúng: {message}");
    }
    format!("Cần xem lại: {message}")
}

/// A lesson's parts as the editor starts a copy of it: the same text, a new title, and its
/// links to the lessons beside it (in module folder `folder`) made to lead there from any
/// module the copy goes to.
pub fn copy_of(parts: &LessonParts, folder: &str) -> LessonParts {
    LessonParts {
        title: format!("{} (bản của xã)", parts.title),
        credit: None,
        audio: None,
        slides: parts.slides.iter().map(|s| links_from(s, folder)).collect(),
        ..parts.clone()
    }
}

/// `text` with each link to a lesson file beside it (`](05-x.vi.md)`) made `](../folder/…)`.
fn links_from(text: &str, folder: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("](") {
        out.push_str(&rest[..at + 2]);
        rest = &rest[at + 2..];
        let end = rest.find(')').unwrap_or(rest.len());
        let dest = &rest[..end];
        let file = dest.split('#').next().unwrap_or(dest);
        if file.ends_with(".md") && !file.contains('/') && !file.contains(':') {
            out.push_str(&format!("../{folder}/"));
        }
    }
    out.push_str(rest);
    out
}

/// The text of lesson `id` as its file is written, and the module folder it is in: a
/// built-in lesson's, or one a pack in `held` brings.
pub fn lesson_file(id: &str, held: &[PackFiles<'_>]) -> Option<(String, String)> {
    let (module, slug) = id.split_once('/')?;
    let matches = |path: &str| {
        let (folder, file) = path.split_once('/')?;
        let folder_module = folder.split_once('-')?.1;
        let (stem, _) = file.strip_suffix(".vi.md")?.split_once('-')?;
        let file_slug = &file[stem.len() + 1..file.len() - ".vi.md".len()];
        (folder_module == module && file_slug == slug).then(|| folder.to_string())
    };
    let embedded = content::LessonTree::embedded();
    for (path, bytes) in &embedded.files {
        if let Some(folder) = matches(path) {
            return Some((String::from_utf8_lossy(bytes).into_owned(), folder));
        }
    }
    for (_, files) in held {
        for (path, text) in files.iter() {
            if let Some(folder) = matches(path) {
                return Some((text.clone(), folder));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn local(id: &str, file: String, at: &str) -> LocalLesson {
        LocalLesson {
            id: id.into(),
            module_title: None,
            file,
            published: true,
            created_by: "f".into(),
            created_at: at.into(),
            updated_at: at.into(),
            proposed_at: None,
        }
    }

    fn embedded(path: &str) -> String {
        String::from_utf8(content::LessonTree::embedded().files[path].clone()).unwrap()
    }

    #[test]
    fn slugs_come_from_vietnamese_titles() {
        assert_eq!(
            slug_from("Lừa đảo: tin nhắn \"trúng thưởng\"!"),
            "lua-dao-tin-nhan-trung-thuong"
        );
        assert_eq!(slug_from("Đi chợ 2026"), "di-cho-2026");
        assert_eq!(slug_from("!!!"), "");
        assert!(is_slug("di-cho-2026"));
        assert!(!is_slug("di--cho") && !is_slug("-di") && !is_slug("Đi") && !is_slug(""));
    }

    #[test]
    fn a_copy_of_a_built_in_lesson_passes_and_a_broken_draft_is_told_by_field() {
        let today = time::macros::date!(2026 - 12 - 04);
        let media = BTreeMap::new();
        let mut parts =
            content::parse_lesson(&embedded("03-an-toan/01-mat-khau-otp.vi.md")).unwrap();
        parts = copy_of(&parts, "03-an-toan");
        let good = local(
            "an-toan/mat-khau-cua-xa",
            content::write_lesson(&parts),
            "1",
        );
        let found = check(&good, &[], &[], &media, today);
        assert_eq!(found.problems, [], "{found:?}");

        parts.title = String::new();
        parts.quiz[1].answer = 0;
        parts.slides.truncate(1);
        let bad = local(
            "an-toan/mat-khau-cua-xa",
            content::write_lesson(&parts),
            "1",
        );
        let found = check(&bad, &[], &[], &media, today);
        let said = |field: &str| {
            found
                .about(field)
                .map(|f| f.message.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(said("title"), ["Bài chưa có tên."]);
        assert_eq!(said("quiz 2"), ["Chưa chọn đáp án đúng."]);
        assert!(
            found
                .problems
                .iter()
                .any(|f| f.message.starts_with("Bài có") && f.message.contains("trang")),
            "{found:?}"
        );
    }

    #[test]
    fn a_lesson_named_as_a_built_in_one_is_refused() {
        let today = time::macros::date!(2026 - 12 - 04);
        let text = embedded("03-an-toan/01-mat-khau-otp.vi.md");
        let clash = local("an-toan/mat-khau-otp", text, "1");
        let found = check(&clash, &[], &[], &BTreeMap::new(), today);
        assert_eq!(
            found.problems[0].message,
            "Đã có bài khác cùng tên: hãy đặt tên khác."
        );
    }

    #[test]
    fn the_communes_files_hold_published_lessons_their_own_module_and_readings() {
        let (text, folder) = lesson_file("an-toan/khi-bi-lua", &[]).unwrap();
        assert_eq!(folder, "03-an-toan");
        let parts = copy_of(&content::parse_lesson(&text).unwrap(), &folder);
        let text = content::write_lesson(&parts);
        let mut own = local("bai-cua-xa/cho-phien", text.clone(), "2");
        own.module_title = Some(OWN_MODULE_TITLE.into());
        let draft = LocalLesson {
            published: false,
            ..local("an-toan/nhap", text.clone(), "3")
        };
        let reading = LocalReading {
            id: "r1".into(),
            lesson_id: "an-toan/mat-khau-otp".into(),
            slide: Some(2),
            lang: "ede".into(),
            lang_name: "Ê Đê".into(),
            audio: "0123456789abcdef0123456789abcdef.ogg".into(),
            seconds: 30,
            created_by: "f".into(),
            created_at: "1".into(),
            proposed_at: None,
        };
        let files = local_files(&[own, draft], &[reading], &[]);
        let names: Vec<&str> = files.keys().map(String::as_str).collect();
        assert_eq!(
            names,
            [
                "90-bai-cua-xa/600-cho-phien.vi.md",
                "90-bai-cua-xa/module.toml",
                "readings.toml"
            ]
        );
        let media = BTreeMap::from([("0123456789abcdef0123456789abcdef.ogg".to_string(), 900)]);
        let (catalogue, problems) =
            content::catalogue_from(&[(content::LOCAL, &files)], &media, &|n| n.to_string());
        assert_eq!(problems, []);
        let lesson = catalogue.lesson("bai-cua-xa/cho-phien").unwrap();
        assert_eq!(lesson.source, content::Source::Local);
        assert_eq!(
            catalogue
                .module("bai-cua-xa")
                .unwrap()
                .text
                .get(content::Lang::Vi)
                .title,
            OWN_MODULE_TITLE
        );
        assert_eq!(
            catalogue.readings_of("an-toan/mat-khau-otp")[0]
                .id
                .as_deref(),
            Some("r1")
        );
    }

    #[test]
    fn every_finding_of_the_checker_reads_in_vietnamese() {
        for english in [
            "`minutes` is the reading time on a phone: a whole number from 5 to 10",
            "the quiz has 1 question(s); a lesson needs at least 3",
            "the text has 120 words; a lesson has 300 to 700 (5–10 minutes on a phone)",
            "the text has no picture; show at least one with `![alt](../../assets/FILE.svg)`",
        ] {
            let said = vietnamese(english);
            assert!(!said.starts_with("Cần xem lại"), "{english} → {said}");
        }
        assert_eq!(
            vietnamese("the quiz has 1 question(s); a lesson needs at least 3"),
            "Bài cần ít nhất 3 câu hỏi; mới có 1."
        );
    }
}
