//! Practice scenarios reworded in the commune: a scenario the box serves, copied, and only its
//! words changed (names, amounts, the scam's phrasing, feedback in the village's words). Its
//! structure (kind, lesson, steps and their ids, choices, which are right, where each leads,
//! ends) is never a field of the form, so a copy leads exactly where the original did. A draft
//! is checked by the loader beside everything the box serves, as lessons are. No HTTP and no
//! SQL text.

use std::collections::BTreeMap;

use toml::{Table, Value};

use super::{Finding, Findings, findings_in, local_files, vietnamese};
use crate::content::{self, PackFiles};
use crate::store::{LocalLesson, LocalScenario};

/// Where an editable text sits in a scenario file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    /// The step (from 0), when inside one.
    pub step: Option<usize>,
    /// The choice of that step (from 0).
    pub choice: Option<usize>,
    /// The end (from 0).
    pub end: Option<usize>,
    /// The item of a step's `items` (from 0).
    pub item: Option<usize>,
    /// Inside the step's box to type in (`[step.input]`).
    pub input: bool,
    /// The key: `title`, `intro`, `says`, `feedback`, …
    pub key: String,
}

impl Place {
    /// The group of texts it belongs to, as findings name it: `""` (the scenario),
    /// `step.N`, `step.N.choice.M`, `end.N`.
    pub fn group(&self) -> String {
        match (self.step, self.choice, self.end) {
            (Some(s), Some(c), _) => format!("step.{s}.choice.{c}"),
            (Some(s), None, _) => format!("step.{s}"),
            (_, _, Some(e)) => format!("end.{e}"),
            _ => String::new(),
        }
    }
}

/// One text a facilitator may change: its form field's name (`step.1.says`), where it sits,
/// and its words now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Text {
    pub name: String,
    pub place: Place,
    pub value: String,
}

impl Text {
    /// Whether the form gives it several lines (a phone's line holds about 30 characters).
    pub fn long(&self) -> bool {
        self.value.chars().count() > 30
            || matches!(
                self.place.key.as_str(),
                "intro" | "says" | "message" | "reply" | "feedback"
            )
            || self.place.end.is_some()
    }

    /// The lines its box shows at first.
    pub fn rows(&self) -> usize {
        (self.value.chars().count() / 32 + 1).clamp(2, 6)
    }
}

/// A step's keys that are words on the screen or the question (the rest of a step,
/// `id`, `tap`, `choice`, `input`, is its structure). `items` are texts each.
const STEP_TEXTS: [&str; 13] = [
    "from", "message", "caller", "says", "form", "shop", "account", "amount", "asked", "reply",
    "screen", "ask", "items",
];
const CHOICE_TEXTS: [&str; 2] = ["text", "feedback"];
const INPUT_TEXTS: [&str; 3] = ["label", "expect", "error"];
const END_TEXTS: [&str; 1] = ["text"];

/// Every text of `table` under `keys` (in `keys`' order), as `visit` finds it.
fn each_text(
    table: &mut Table,
    keys: &[&str],
    prefix: &str,
    at: &Place,
    visit: &mut dyn FnMut(String, Place, &mut String),
) {
    for key in keys {
        let place = Place {
            key: key.to_string(),
            ..at.clone()
        };
        match table.get_mut(*key) {
            Some(Value::String(s)) => visit(format!("{prefix}{key}"), place, s),
            Some(Value::Array(items)) => {
                for (i, item) in items.iter_mut().enumerate() {
                    if let Value::String(s) = item {
                        let place = Place {
                            item: Some(i),
                            ..place.clone()
                        };
                        visit(format!("{prefix}{key}.{i}"), place, s);
                    }
                }
            }
            _ => {}
        }
    }
}

/// Walks every editable text of a scenario, in the file's order.
fn walk(scenario: &mut Table, visit: &mut dyn FnMut(String, Place, &mut String)) {
    let top = Place {
        step: None,
        choice: None,
        end: None,
        item: None,
        input: false,
        key: String::new(),
    };
    each_text(scenario, &["title", "intro"], "", &top, visit);
    if let Some(Value::Array(steps)) = scenario.get_mut("step") {
        for (s, step) in steps.iter_mut().enumerate() {
            let Value::Table(step) = step else { continue };
            let at = Place {
                step: Some(s),
                ..top.clone()
            };
            each_text(step, &STEP_TEXTS, &format!("step.{s}."), &at, visit);
            if let Some(Value::Table(input)) = step.get_mut("input") {
                let at = Place {
                    input: true,
                    ..at.clone()
                };
                each_text(input, &INPUT_TEXTS, &format!("step.{s}.input."), &at, visit);
            }
            if let Some(Value::Array(choices)) = step.get_mut("choice") {
                for (c, choice) in choices.iter_mut().enumerate() {
                    let Value::Table(choice) = choice else {
                        continue;
                    };
                    let at = Place {
                        choice: Some(c),
                        ..at.clone()
                    };
                    let prefix = format!("step.{s}.choice.{c}.");
                    each_text(choice, &CHOICE_TEXTS, &prefix, &at, visit);
                }
            }
        }
    }
    if let Some(Value::Array(ends)) = scenario.get_mut("end") {
        for (e, end) in ends.iter_mut().enumerate() {
            let Value::Table(end) = end else { continue };
            let at = Place {
                end: Some(e),
                ..top.clone()
            };
            each_text(end, &END_TEXTS, &format!("end.{e}."), &at, visit);
        }
    }
}

/// The texts of scenario `file` a facilitator may change, in the file's order; `None` if it
/// is not TOML.
pub fn texts(file: &str) -> Option<Vec<Text>> {
    let mut table: Table = toml::from_str(file).ok()?;
    let mut out = Vec::new();
    walk(&mut table, &mut |name, place, value| {
        out.push(Text {
            name,
            place,
            value: value.clone(),
        })
    });
    Some(out)
}

/// `file` with the texts named in `words` (form field → words) changed, and nothing else:
/// a name that is no text of the file changes nothing. `None` if `file` is not TOML.
pub fn with_texts(file: &str, words: &BTreeMap<String, String>) -> Option<String> {
    let mut table: Table = toml::from_str(file).ok()?;
    walk(&mut table, &mut |name, _, value| {
        if let Some(new) = words.get(&name) {
            *value = new.replace("\r\n", "\n").trim().to_string();
        }
    });
    toml::to_string(&table).ok()
}

/// The slug of a new copy of scenario `slug`: `<slug>-cua-xa`, or `-2`, `-3`, … after it
/// while `taken` says a name is used (by a scenario or a lesson of the module).
pub fn copy_slug(slug: &str, taken: &dyn Fn(&str) -> bool) -> String {
    let base = format!("{}-cua-xa", slug.trim_end_matches("-cua-xa"));
    let base: String = base.chars().take(52).collect();
    let base = base.trim_end_matches('-').to_string();
    if !taken(&base) {
        return base;
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|s| !taken(s))
        .expect("a free name")
}

/// The text of scenario `id` (`module/slug`) as its Vietnamese file is written: a built-in
/// one's, or one a pack in `held` brings.
pub fn scenario_file(id: &str, held: &[PackFiles<'_>]) -> Option<String> {
    let (module, slug) = id.split_once('/')?;
    let matches = |path: &str| {
        let (folder, file) = path.split_once('/')?;
        let folder_module = folder.split_once('-')?.1;
        let stem = file.strip_suffix(".vi.toml")?;
        let file_slug = stem.split_once('-')?.1;
        Some(folder_module == module && file_slug == slug)
    };
    let embedded = content::LessonTree::embedded();
    for (path, bytes) in &embedded.files {
        if matches(path) == Some(true) {
            return Some(String::from_utf8_lossy(bytes).into_owned());
        }
    }
    held.iter()
        .flat_map(|(_, files)| files.iter())
        .find(|(path, _)| matches(path) == Some(true))
        .map(|(_, text)| text.clone())
}

/// Where each of `scenarios` sits among the files.
pub(super) fn paths<'a>(
    scenarios: impl IntoIterator<Item = &'a LocalScenario>,
) -> BTreeMap<String, String> {
    super::places(
        scenarios
            .into_iter()
            .map(|s| (s.id.as_str(), s.created_at.as_str())),
        "toml",
    )
}

/// The group of texts (`Place::group`) the line `line` of `file` is in.
fn group_of_line(file: &str, line: usize) -> String {
    let (mut step, mut choice, mut end) = (None::<usize>, None::<usize>, None::<usize>);
    for text in file.lines().take(line) {
        match text.trim() {
            "[[step]]" => {
                step = Some(step.map_or(0, |s| s + 1));
                choice = None;
                end = None;
            }
            "[[step.choice]]" => choice = Some(choice.map_or(0, |c| c + 1)),
            "[step.input]" => choice = None,
            "[[end]]" => {
                end = Some(end.map_or(0, |e| e + 1));
                step = None;
                choice = None;
            }
            _ => {}
        }
    }
    Place {
        step,
        choice,
        end,
        item: None,
        input: false,
        key: String::new(),
    }
    .group()
}

/// The field a problem of the checker is about: the text it names (`` `says` ``) in the
/// group its line is in, else the group.
fn field_of(file: &str, texts: &[Text], line: usize, message: &str) -> String {
    let group = group_of_line(file, line);
    texts
        .iter()
        .filter(|t| t.place.group() == group && t.place.item.is_none())
        .find(|t| message.contains(&format!("`{}`", t.place.key)))
        .map_or(group, |t| t.name.clone())
}

/// The checker's finding on a scenario in plain Vietnamese.
pub fn scenario_vietnamese(message: &str) -> String {
    let has = |s: &str| message.contains(s);
    if has("is empty") {
        return "Chỗ này còn để trống: hãy viết lời vào.".into();
    }
    if has("a phone's screen holds") {
        let n: String = message
            .split(" has ")
            .nth(1)
            .unwrap_or("")
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        return format!("Dài quá ({n} chữ): màn hình điện thoại chỉ nên có tối đa 60 chữ.");
    }
    if has("every branch") || (has("words") && has("scenario")) {
        return "Cả bài thực hành dài quá: hãy viết ngắn lại.".into();
    }
    if has("tap = true") {
        return "Lựa chọn này phải là chữ có trong tin nhắn (hoặc một mục trên màn hình) để bà con chạm vào.".into();
    }
    if has("is there twice") {
        return "Có hai chỗ viết giống hệt nhau: hãy viết khác đi.".into();
    }
    if has("built into the box") || has("comes already from pack") || has("lesson's name too") {
        return "Đã có bài thực hành hoặc bài học cùng tên: hãy chép lại để có tên mới.".into();
    }
    if has("not a scenario") {
        return format!("Bài thực hành không đọc được ({message}).");
    }
    vietnamese(message)
}

/// Checks `draft` (a local scenario, published or not) as the box would load it: beside the
/// packs `held`, the commune's published lessons and its other published scenarios
/// (`others`), with the media on the box, on `today`. Each finding names the form field
/// (`step.1.says`) or group of fields (`step.1.choice.0`) it is about when it can.
pub fn check_scenario(
    draft: &LocalScenario,
    held: &[PackFiles<'_>],
    lessons: &[LocalLesson],
    others: &[LocalScenario],
    media: &BTreeMap<String, usize>,
    today: time::Date,
) -> Findings {
    let mut scenarios: Vec<LocalScenario> = others
        .iter()
        .filter(|s| s.id != draft.id && s.published)
        .cloned()
        .collect();
    scenarios.push(LocalScenario {
        published: true,
        ..draft.clone()
    });
    let files = local_files(lessons, &[], &scenarios);
    let path = paths(&scenarios)
        .remove(&draft.id)
        .expect("the draft has a path");
    let texts = texts(&draft.file).unwrap_or_default();
    findings_in(held, &files, &path, media, today, |p| Finding {
        field: p
            .line
            .map(|line| field_of(&draft.file, &texts, line, &p.message)),
        message: scenario_vietnamese(&p.message),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "an-toan/cong-an-gia-cua-xa";

    fn original() -> String {
        scenario_file("an-toan/cong-an-gia", &[]).expect("a built-in scenario")
    }

    fn local(file: String) -> LocalScenario {
        LocalScenario {
            id: ID.into(),
            file,
            published: false,
            created_by: "f".into(),
            created_at: "1".into(),
            updated_at: "1".into(),
        }
    }

    fn today() -> time::Date {
        time::macros::date!(2026 - 12 - 04)
    }

    #[test]
    fn texts_are_the_words_and_never_the_structure() {
        let texts = texts(&original()).unwrap();
        let names: Vec<&str> = texts.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(
            names[..4],
            ["title", "intro", "step.0.caller", "step.0.says"]
        );
        assert!(names.contains(&"step.0.choice.1.feedback"));
        assert!(names.contains(&"end.0.text"));
        for t in &texts {
            let last = t.name.rsplit('.').next().unwrap();
            assert!(
                !["id", "next", "kind", "lesson", "right", "tap", "win"].contains(&last),
                "{}",
                t.name
            );
        }
        let says = texts.iter().find(|t| t.name == "step.0.says").unwrap();
        assert_eq!(says.place.step, Some(0));
        assert!(says.long());
    }

    #[test]
    fn new_words_keep_every_step_choice_and_end_and_pass_the_checker() {
        let file = original();
        let words = BTreeMap::from([
            (
                "step.0.says".to_string(),
                "Alo, tôi là công an huyện Krông Bông. Bà Y Liên chuyển 20 triệu vào tài khoản tạm giữ ngay.".to_string(),
            ),
            ("step.0.choice.0.feedback".into(), "Đúng rồi, \"cúp máy\" là <b>đúng</b> 🙂".into()),
            ("kind".into(), "inbox".into()),
            ("step.0.choice.0.next".into(), "mat-tien".into()),
        ]);
        let changed = with_texts(&file, &words).unwrap();
        let before = content::practice::parse(&file.replace("{{cong-an-xa}}", "x")).unwrap();
        let after = content::practice::parse(&changed.replace("{{cong-an-xa}}", "x")).unwrap();
        assert!(after.steps[0].screen["says"].contains("Krông Bông"));
        assert_eq!(
            after.steps[0].choices[0].feedback,
            "Đúng rồi, \"cúp máy\" là <b>đúng</b> 🙂"
        );
        assert_eq!(after.kind, before.kind, "a structural key is no text");
        assert_eq!(after.lesson, before.lesson);
        assert_eq!(after.ends, before.ends);
        for (a, b) in after.steps.iter().zip(&before.steps) {
            assert_eq!(a.id, b.id);
            let leads = |s: &content::practice::Step| {
                s.choices
                    .iter()
                    .map(|c| (c.right, c.next.clone()))
                    .collect::<Vec<_>>()
            };
            assert_eq!(leads(a), leads(b));
        }
        let found = check_scenario(&local(changed), &[], &[], &[], &BTreeMap::new(), today());
        assert_eq!(found.problems, [], "{found:?}");
    }

    #[test]
    fn an_empty_text_is_told_in_vietnamese_by_its_field() {
        let words = BTreeMap::from([("step.1.choice.0.feedback".to_string(), " ".to_string())]);
        let changed = with_texts(&original(), &words).unwrap();
        let found = check_scenario(&local(changed), &[], &[], &[], &BTreeMap::new(), today());
        assert_eq!(found.problems.len(), 1, "{found:?}");
        assert_eq!(
            found.problems[0].field.as_deref(),
            Some("step.1.choice.0.feedback")
        );
        assert!(
            found.problems[0]
                .message
                .starts_with("Chỗ này còn để trống")
        );
    }

    #[test]
    fn a_copys_name_is_never_one_in_use() {
        let taken = |s: &str| ["cong-an-gia-cua-xa", "cong-an-gia-cua-xa-2"].contains(&s);
        assert_eq!(copy_slug("cong-an-gia", &|_| false), "cong-an-gia-cua-xa");
        assert_eq!(copy_slug("cong-an-gia", &taken), "cong-an-gia-cua-xa-3");
        assert_eq!(
            copy_slug("cong-an-gia-cua-xa", &taken),
            "cong-an-gia-cua-xa-3"
        );
    }

    #[test]
    fn a_published_copy_joins_its_module_and_a_draft_does_not() {
        let mut published = local(original());
        published.published = true;
        let draft = LocalScenario {
            id: "an-toan/nhap".into(),
            ..local(original())
        };
        let files = local_files(&[], &[], &[published, draft]);
        assert_eq!(
            files.keys().collect::<Vec<_>>(),
            ["90-an-toan/600-cong-an-gia-cua-xa.vi.toml"]
        );
        let (catalogue, problems) =
            content::catalogue_from(&[(content::LOCAL, &files)], &BTreeMap::new(), &|n| {
                n.to_string()
            });
        assert_eq!(problems, []);
        let copy = catalogue.practice(ID).unwrap();
        assert_eq!(copy.lesson_id, "an-toan/cuoc-goi-lua-dao");
        assert_eq!(copy.source, content::Source::Local, "not for a certificate");
        let built_in = catalogue.practice("an-toan/cong-an-gia").unwrap();
        assert_eq!(built_in.source, content::Source::Embedded);
    }

    proptest::proptest! {
        /// Whatever a form sends, the words come back as typed (ends trimmed, CRLF as LF)
        /// and the scenario leads as before.
        #[test]
        fn any_words_round_trip_and_never_change_where_choices_lead(
            says in "\\PC{0,80}",
            feedback in "[\\PC\r\n]{0,80}",
            junk in "\\PC{0,20}",
        ) {
            let file = original();
            let words = BTreeMap::from([
                ("step.0.says".to_string(), says.clone()),
                ("step.1.choice.0.feedback".to_string(), feedback.clone()),
                (junk.clone(), "x".to_string()),
            ]);
            let changed = with_texts(&file, &words).unwrap();
            let texts = texts(&changed).unwrap();
            let value = |name: &str| texts.iter().find(|t| t.name == name).unwrap().value.clone();
            proptest::prop_assert_eq!(value("step.0.says"), says.trim());
            let typed = feedback.replace("\r\n", "\n");
            proptest::prop_assert_eq!(value("step.1.choice.0.feedback"), typed.trim());
            let leads = |text: &str| -> Vec<(String, bool, String)> {
                let table: Table = toml::from_str(text).unwrap();
                let mut out = Vec::new();
                for step in table["step"].as_array().unwrap() {
                    for choice in step["choice"].as_array().unwrap() {
                        out.push((
                            step["id"].as_str().unwrap().to_string(),
                            choice.get("right").and_then(Value::as_bool).unwrap_or(false),
                            choice["next"].as_str().unwrap().to_string(),
                        ));
                    }
                }
                out
            };
            proptest::prop_assert_eq!(leads(&changed), leads(&file));
        }
    }
}
