//! The language files kept whole: each parses, each has every key of Vietnamese's and no other,
//! with the same placeholders; every key the code names exists; every message formats.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use fluent_bundle::FluentResource;
use fluent_syntax::ast::{Entry, Expression, InlineExpression, Pattern, PatternElement};

use super::words::PracticeUi;
use super::{Ui, parse, ui};
use crate::content::Lang;

/// Each message's key and the names of the placeholders (`{ $name }`) it uses.
fn placeholders(lang: Lang) -> BTreeMap<String, BTreeSet<String>> {
    let resource = FluentResource::try_new(lang.source().to_string())
        .unwrap_or_else(|(_, errors)| panic!("i18n/{lang}.ftl does not parse: {errors:?}"));
    let mut found = BTreeMap::new();
    for entry in resource.entries() {
        if let Entry::Message(message) = entry {
            let mut names = BTreeSet::new();
            if let Some(value) = &message.value {
                in_pattern(value, &mut names);
            }
            for attribute in &message.attributes {
                in_pattern(&attribute.value, &mut names);
            }
            let key = message.id.name.to_string();
            assert!(
                found.insert(key.clone(), names).is_none(),
                "i18n/{lang}.ftl has `{key}` twice"
            );
        }
    }
    found
}

fn in_pattern(pattern: &Pattern<&str>, names: &mut BTreeSet<String>) {
    for element in &pattern.elements {
        if let PatternElement::Placeable { expression } = element {
            in_expression(expression, names);
        }
    }
}

fn in_expression(expression: &Expression<&str>, names: &mut BTreeSet<String>) {
    match expression {
        Expression::Select { selector, variants } => {
            in_inline(selector, names);
            for variant in variants {
                in_pattern(&variant.value, names);
            }
        }
        Expression::Inline(inline) => in_inline(inline, names),
    }
}

fn in_inline(inline: &InlineExpression<&str>, names: &mut BTreeSet<String>) {
    match inline {
        InlineExpression::VariableReference { id } => {
            names.insert(id.name.to_string());
        }
        InlineExpression::FunctionReference { arguments, .. } => {
            for argument in &arguments.positional {
                in_inline(argument, names);
            }
            for argument in &arguments.named {
                in_inline(&argument.value, names);
            }
        }
        InlineExpression::Placeable { expression } => in_expression(expression, names),
        _ => {}
    }
}

#[test]
fn every_language_file_parses_into_its_bundle() {
    for &lang in Lang::all() {
        let (_, keys, problems) = parse(lang);
        assert!(problems.is_empty(), "{problems:?}");
        assert!(
            keys.len() > 100,
            "i18n/{lang}.ftl has {} messages",
            keys.len()
        );
    }
}

#[test]
fn every_language_has_every_key_with_the_same_placeholders() {
    let vi = placeholders(Lang::Vi);
    for &lang in &Lang::all()[1..] {
        let other = placeholders(lang);
        let missing: Vec<&String> = vi.keys().filter(|k| !other.contains_key(*k)).collect();
        let extra: Vec<&String> = other.keys().filter(|k| !vi.contains_key(*k)).collect();
        assert!(missing.is_empty(), "i18n/{lang}.ftl lacks {missing:?}");
        assert!(
            extra.is_empty(),
            "i18n/{lang}.ftl has keys vi.ftl has not: {extra:?}"
        );
        for (key, names) in &vi {
            assert_eq!(
                &other[key], names,
                "`{key}`: i18n/{lang}.ftl's placeholders differ from vi.ftl's"
            );
        }
    }
}

/// Every key the code names: the learner's methods (`words`), and each `t("…")` and
/// `t_args("…"` written in `src/`.
fn keys_in_code() -> BTreeSet<String> {
    let mut keys: BTreeSet<String> = Ui::KEYS
        .iter()
        .chain(PracticeUi::KEYS)
        .map(|k| k.to_string())
        .collect();
    let mut files = Vec::new();
    rust_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        // Comments left out; a call's key may be on the next line.
        let code: Vec<&str> = text
            .lines()
            .filter(|line| !line.trim_start().starts_with("//"))
            .collect();
        let code = code.join("\n");
        for call in [".t(", ".t_args(", " t(", "(t("] {
            for (at, _) in code.match_indices(call) {
                let rest = code[at + call.len()..].trim_start();
                if let Some(literal) = rest.strip_prefix('"') {
                    let key = &literal[..literal.find('"').unwrap()];
                    let word = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-';
                    if !key.is_empty() && key.chars().all(word) {
                        keys.insert(key.to_string());
                    }
                }
            }
        }
    }
    keys
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_key_the_code_names_exists() {
    let vi = placeholders(Lang::Vi);
    let keys = keys_in_code();
    assert!(
        keys.contains("home-title") && keys.contains("lessons"),
        "{keys:?}"
    );
    let missing: Vec<&String> = keys.iter().filter(|k| !vi.contains_key(*k)).collect();
    assert!(
        missing.is_empty(),
        "keys the code names but vi.ftl lacks: {missing:?}"
    );
}

#[test]
fn every_message_formats_in_every_language() {
    for &lang in Lang::all() {
        let words = ui(lang);
        for (key, names) in placeholders(lang) {
            let text = match names.is_empty() {
                true => words.t(&key).to_string(),
                false => words.t_args(&key, names.iter().map(|n| (n.as_str(), "x".into()))),
            };
            assert!(!text.trim().is_empty(), "`{key}` in {lang} is empty");
            assert!(
                !text.contains('\u{2068}'),
                "no isolation marks: `{key}` in {lang}"
            );
        }
    }
}

#[test]
fn plurals_numbers_and_selections_as_fluent_does_them() {
    let (vi, en) = (ui(Lang::Vi), ui(Lang::En));
    assert_eq!(vi.lessons(1), "1 bài");
    assert_eq!(vi.lessons(12), "12 bài");
    assert_eq!(en.lessons(1), "1 lesson");
    assert_eq!(en.lessons(12), "12 lessons");
    assert_eq!(en.practice.count(1), "1 practice");
    assert_eq!(en.practice.count(0), "0 practices");
    assert_eq!(vi.born(1985), "Sinh năm 1985");
    assert_eq!(vi.hello("Ê Ban <b>"), "Chào Ê Ban <b>!");
    assert_eq!(
        vi.waiting(),
        "{n} kết quả đang chờ gửi. Đừng xóa dữ liệu trình duyệt."
    );
    assert_eq!(
        vi.quiz_sent_score(),
        "Bài kiểm tra đã gửi: đúng {s}/{t} câu."
    );
    assert_eq!(
        vi.live_mine_wrong('A', 'C'),
        "Bạn chọn A: chưa đúng. Đáp án đúng là C."
    );
    let kind = crate::text::CommuneKind::Phuong;
    assert_eq!(vi.commune_committee(kind, "Tân An"), "UBND Phường Tân An");
    assert_eq!(
        en.commune_committee(kind, "Tân An"),
        "People's Committee of Tân An Ward"
    );
    assert_eq!(vi.welcome_where("", ""), "");
    assert_eq!(vi.genders(), ["Nữ", "Nam", "Khác"]);
    assert_eq!(en.practice.kind("pay"), "QR payment");
    assert_eq!(vi.name(), "Tiếng Việt");
    assert_eq!(en.name(), "English");
}

#[test]
fn a_new_file_is_a_new_language() {
    // `lang` adds a test-only language (the Vietnamese file under the code `zz`): it is listed,
    // named by its own file, and its words come from its file.
    let zz = Lang::from_code(crate::lang::tests::TEST_ONLY).expect("the test language");
    assert_eq!(Lang::all().len(), 3);
    assert_eq!(ui(zz).name(), "Zz (test only)");
    assert_eq!(ui(zz).lang(), zz);
    assert_eq!(ui(zz).home_title(), ui(Lang::Vi).home_title());
}

#[test]
#[cfg(debug_assertions)]
fn a_missing_key_fails_loudly_in_tests() {
    let result = std::panic::catch_unwind(|| ui(Lang::En).t(&["no-such", "key"].join("-")));
    assert!(result.is_err(), "a missing key panics in a debug build");
    let result = std::panic::catch_unwind(|| ui(Lang::En).t("lessons"));
    assert!(
        result.is_err(),
        "a message with placeholders needs `t_args`"
    );
}
