//! The facts file read, filled into lesson text, laid over by a pack's, and found written out.

use proptest::prelude::*;

use super::*;

const FILE_TEXT: &str = r#"
[tong-dai]
value = "156"
source = "thongbaorac"
checked = 2026-11-25

[cong-an-xa]
value = "công an xã"
en = "the commune police"
source = "register"
checked = 2024-01-02
"#;

fn facts() -> Facts {
    let (facts, problems) = Facts::parse("lessons/facts.toml", FILE_TEXT);
    assert_eq!(problems, []);
    facts
}

fn fill(text: &str, lang: Lang) -> (String, Vec<(usize, String)>) {
    facts().fill(text, lang, &mut BTreeSet::new())
}

#[test]
fn reads_values_translations_sources_and_days() {
    let facts = facts();
    let fact = &facts.by_name["cong-an-xa"];
    assert_eq!(fact.value(Lang::Vi), "công an xã");
    assert_eq!(fact.value(Lang::En), "the commune police");
    assert_eq!(facts.by_name["tong-dai"].value(Lang::En), "156");
    assert_eq!((fact.file.as_str(), fact.line), ("lessons/facts.toml", 7));
    assert_eq!(fact.checked.to_string(), "2024-01-02");
}

#[test]
fn fills_references_and_capitalises_on_request() {
    let mut used = BTreeSet::new();
    let (text, problems) = facts().fill(
        "Gọi **{{tong-dai}}**. {{Cong-an-xa}} giúp; báo {{ cong-an-xa }}.",
        Lang::Vi,
        &mut used,
    );
    assert_eq!(text, "Gọi **156**. Công an xã giúp; báo công an xã.");
    assert_eq!(problems, []);
    assert_eq!(
        used.into_iter().collect::<Vec<_>>(),
        ["cong-an-xa", "tong-dai"]
    );
    assert_eq!(
        fill("Tell {{cong-an-xa}}.", Lang::En).0,
        "Tell the commune police."
    );
}

#[test]
fn names_unknown_and_unclosed_references_where_they_stand() {
    let (text, problems) = fill("ab {{tong-dia}} cd {{x", Lang::Vi);
    assert_eq!(text, "ab {{tong-dia}} cd {{x");
    assert_eq!(problems.len(), 2);
    assert_eq!(problems[0].0, 3);
    assert!(problems[0].1.contains("`{{tong-dia}}` is not a fact"));
    assert_eq!(problems[1].0, 19);
    assert!(problems[1].1.contains("no `}}` closes it"));
}

#[test]
fn refuses_bad_facts_with_their_lines() {
    let text = "[ok]\nvalue = \"1\"\nsource = \"s\"\nchecked = 2026-01-01\n\n[Bad_Name]\nvalue = \"1\"\nsource = \"s\"\nchecked = 2026-01-01\n\n[no-day]\nvalue = \"1\"\nsource = \"s\"\n\n[markup]\nvalue = \"**156**\"\nsource = \"s\"\nchecked = 2026-01-01\n\n[when]\nvalue = \"1\"\nsource = \"s\"\nchecked = \"last year\"\n\n[extra]\nvalue = \"1\"\nsource = \"s\"\nchecked = 2026-01-01\nnote = \"x\"\n";
    let (facts, problems) = Facts::parse("f", text);
    assert_eq!(facts.by_name.keys().collect::<Vec<_>>(), ["ok"]);
    let lines: Vec<usize> = problems.iter().map(|p| p.0).collect();
    assert_eq!(lines, [6, 25, 15, 11, 20], "{problems:?}");
    assert!(problems.iter().any(|p| p.1.contains("may not hold `*`")));
    assert!(problems.iter().any(|p| p.1.contains("needs `checked`")));
    assert!(problems.iter().any(|p| p.1.contains("neither `value`")));
    assert!(!Facts::parse("f", "[a\n").1.is_empty());
}

#[test]
fn a_newer_file_replaces_facts_by_name() {
    let mut facts = facts();
    let (newer, _) = Facts::parse(
        "pack p/facts.toml",
        "[tong-dai]\nvalue = \"157\"\nsource = \"s\"\nchecked = 2027-01-01\n",
    );
    facts.overlay(newer);
    assert_eq!(facts.by_name["tong-dai"].value, "157");
    assert_eq!(facts.by_name["tong-dai"].file, "pack p/facts.toml");
    assert_eq!(facts.by_name["cong-an-xa"].value, "công an xã");
}

#[test]
fn stale_facts_are_those_unchecked_for_more_than_a_year() {
    let facts = facts();
    let day = |s: &str| {
        time::Date::parse(s, time::macros::format_description!("[year]-[month]-[day]")).unwrap()
    };
    let stale: Vec<&String> = facts.stale(day("2026-12-03")).map(|(n, _)| n).collect();
    assert_eq!(stale, ["cong-an-xa"]);
    assert_eq!(facts.stale(day("2025-01-01")).count(), 0);
}

#[test]
fn finds_values_written_out_but_not_inside_words_or_references() {
    let facts = facts();
    let found = facts.written_out("Gọi 156 hoặc báo Công an xã; {{tong-dai}} 1560 a156");
    assert_eq!(
        found,
        [(6, "tong-dai", "156"), (22, "cong-an-xa", "công an xã")]
    );
    assert_eq!(facts.written_out("call the commune police").len(), 1);
    assert!(facts.written_out("gọi {{tong-dai}}").is_empty());
    assert!(
        facts
            .written_out("gọi 156-1 hoặc x.156 hoặc 156/9")
            .is_empty()
    );
    assert_eq!(facts.written_out("gọi 156. Xong").len(), 1);
}

proptest! {
    #[test]
    fn filling_any_text_never_panics_and_keeps_text_without_references(text in "\\PC{0,200}") {
        let (filled, problems) = fill(&text, Lang::Vi);
        if !text.contains("{{") {
            prop_assert_eq!(&filled, &text);
            prop_assert!(problems.is_empty());
        }
        for (offset, _) in problems {
            prop_assert!(text.is_char_boundary(offset));
        }
        let _ = facts().written_out(&text);
    }

    #[test]
    fn known_references_always_become_their_values(before in "[^{}]{0,40}", after in "[^{}]{0,40}") {
        let text = format!("{before}{{{{tong-dai}}}}{after}");
        let (filled, problems) = fill(&text, Lang::Vi);
        prop_assert_eq!(filled, format!("{before}156{after}"));
        prop_assert!(problems.is_empty());
    }

    #[test]
    fn any_facts_file_parses_without_panicking(text in "\\PC{0,300}") {
        let _ = Facts::parse("f", &text);
    }
}
