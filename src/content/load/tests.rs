//! Tests for `load`: small lesson trees built in memory, each with one mistake, and the
//! problem (file, line, words) it must produce.

use super::*;
use crate::content::standards::MAX_IMAGE_BYTES;

const MODULE: &str = "icon = \"i.svg\"\n[vi]\ntitle = \"Điện thoại\"\nsummary = \"Tóm tắt\"\n";

const LESSON: &str = "+++
title = \"Bắt đầu\"
minutes = 5
objective = \"Biết bật máy\"

[[quiz]]
question = \"Bật máy thế nào?\"
choices = [\"Nhấn giữ nút nguồn\", \"Chạm màn hình\"]
answer = 1
explain = \"Nút nguồn bật máy.\"
+++
## Một

![Điện thoại](../../assets/i.svg)

---

## Hai

Xem [bài sau](02-sau.vi.md).
";

const NEXT: &str = "+++\ntitle = \"Sau\"\nminutes = 5\nobjective = \"O\"\n+++\nText\n";

/// The structure alone: the fixtures stay small, and the brief's standards have their own test
/// (in `standards/tests.rs`).
const LOOSE: Standards = Standards {
    minutes: 1..=60,
    words: 1..=usize::MAX,
    min_slides: 1,
    min_questions: 0,
    choices: 2..=usize::MAX,
    min_pictures: 0,
    max_svg_bytes: MAX_IMAGE_BYTES,
};

/// A file to write (`Some`) or remove (`None`) in the good tree.
type Change<'a> = (&'a str, Option<&'a str>);

fn tree(changes: &[Change]) -> LessonTree {
    let mut files: BTreeMap<String, Vec<u8>> = [
        ("01-dien-thoai/module.toml", MODULE),
        ("01-dien-thoai/01-bat-dau.vi.md", LESSON),
        ("01-dien-thoai/02-sau.vi.md", NEXT),
    ]
    .into_iter()
    .map(|(p, t)| (p.to_string(), t.as_bytes().to_vec()))
    .collect();
    for (path, text) in changes {
        match text {
            Some(t) => files.insert(path.to_string(), t.as_bytes().to_vec()),
            None => files.remove(*path),
        };
    }
    let assets = [
        ("i.svg".to_string(), 300),
        ("big.svg".to_string(), 60_000),
        ("a.png".to_string(), 10),
    ]
    .into();
    LessonTree {
        label: "lessons".into(),
        files,
        assets,
        ..LessonTree::default()
    }
}

fn problems_in(changes: &[Change]) -> Vec<String> {
    let (_, problems) = load_with(&tree(changes), &|name| format!("/assets/{name}"), &LOOSE);
    problems.iter().map(|p| p.to_string()).collect()
}

/// Replaces `from` with `to` in the first lesson and expects exactly one problem that starts
/// with `at` (`file:line`) and contains `words`.
fn check(from: &str, to: &str, at: &str, words: &str) {
    assert!(LESSON.contains(from), "fixture lacks {from:?}");
    let lesson = LESSON.replacen(from, to, 1);
    let found = problems_in(&[("01-dien-thoai/01-bat-dau.vi.md", Some(&lesson))]);
    assert_eq!(found.len(), 1, "{from:?} → {to:?}: {found:#?}");
    let prefix = format!("lessons/01-dien-thoai/01-bat-dau.vi.md:{at}: ");
    assert!(
        found[0].starts_with(&prefix) && found[0].contains(words),
        "{from:?} → {to:?}: {found:#?}"
    );
}

#[test]
fn a_good_tree_loads_without_problems() {
    let (catalogue, problems) = load_with(&tree(&[]), &|name| format!("/a/{name}"), &LOOSE);
    assert_eq!(problems, vec![]);
    let module = &catalogue.modules[0];
    assert_eq!(module.id, "dien-thoai");
    assert_eq!(module.icon_url.as_deref(), Some("/a/i.svg"));
    let lesson = &module.lessons[0];
    assert_eq!(lesson.id, "dien-thoai/bat-dau");
    let v = lesson.versions.get(Lang::Vi);
    assert_eq!(
        (v.minutes, v.slides.len(), v.quiz.len(), v.quiz[0].answer),
        (5, 2, 1, 0)
    );
    assert!(v.slides[0].contains(r#"src="/a/i.svg""#));
    assert!(
        v.slides[1].contains(r#"href="/m/dien-thoai/sau""#),
        "{}",
        v.slides[1]
    );
    assert_eq!(module.lessons[1].slug, "sau");
}

#[test]
fn front_matter_mistakes_name_their_line() {
    check("+++\ntitle", "title", "1", "must begin with a line `+++`");
    check("minutes = 5", "minutes = 0", "3", "`minutes`");
    check("minutes = 5", "minutes = \"năm\"", "3", "front matter");
    check(
        "title = \"Bắt đầu\"",
        "titel = \"Bắt đầu\"",
        "2",
        "front matter",
    );
    check(
        "objective = \"Biết bật máy\"\n",
        "",
        "2",
        "missing field `objective`",
    );
    check(
        "title = \"Bắt đầu\"",
        "title = \"  \"",
        "2",
        "`title` is empty",
    );
    check("answer = 1", "answer = 3", "9", "out of range");
    check("answer = 1", "answer = 0", "9", "counts the choices from 1");
    check(
        "choices = [\"Nhấn giữ nút nguồn\", \"Chạm màn hình\"]",
        "choices = [\"Nhấn giữ nút nguồn\"]",
        "8",
        "at least 2 choices",
    );
    check(
        "explain = \"Nút nguồn bật máy.\"",
        "explain = \"\"",
        "10",
        "`explain` is empty",
    );
}

#[test]
fn body_mistakes_name_their_line() {
    check(
        "../../assets/i.svg",
        "../../assets/none.svg",
        "14",
        "does not exist",
    );
    check(
        "../../assets/i.svg",
        "../../assets/big.svg",
        "14",
        "under 50 KB",
    );
    check(
        "../../assets/i.svg",
        "../../assets/a.png",
        "14",
        "svg, webp",
    );
    check("![Điện thoại]", "![]", "14", "alt text");
    check("02-sau.vi.md", "03-khong-co.vi.md", "20", "does not exist");
    check(
        "02-sau.vi.md",
        "https://example.com",
        "20",
        "outside the box",
    );
    check("## Hai", "<b>Hai</b>", "18", "raw HTML");
    check("## Một", "# Một", "12", "`##`");
    check(
        "\n---\n\n## Hai",
        "\n---\n\n---\n\n## Hai",
        "16",
        "empty slide",
    );
}

#[test]
fn a_lesson_without_body_has_no_slide() {
    let found = problems_in(&[(
        "01-dien-thoai/02-sau.vi.md",
        Some("+++\ntitle = \"S\"\nminutes = 5\nobjective = \"O\"\n+++\n"),
    )]);
    assert_eq!(
        found,
        vec![
            "lessons/01-dien-thoai/02-sau.vi.md:6: the lesson has no text: it needs at least one slide"
        ]
    );
}

#[test]
fn tree_mistakes_are_reported() {
    let cases: &[(&[Change], &str)] = &[
        (
            &[("01-dien-thoai/module.toml", None)],
            "lessons/01-dien-thoai: the module has no `module.toml`",
        ),
        (
            &[(
                "01-dien-thoai/module.toml",
                Some("[en]\ntitle = \"P\"\nsummary = \"S\"\n"),
            )],
            "module.toml:1: the module needs a `[vi]` table",
        ),
        (
            &[(
                "01-dien-thoai/module.toml",
                Some("icon = \"x.svg\"\n[vi]\ntitle = \"P\"\nsummary = \"S\"\n"),
            )],
            "module.toml:1: `assets/x.svg` does not exist",
        ),
        (
            &[(
                "01-dien-thoai/module.toml",
                Some(
                    "[vi]\ntitle = \"P\"\nsummary = \"S\"\n[fr]\ntitle = \"P\"\nsummary = \"S\"\n",
                ),
            )],
            "module.toml:4: `fr` is neither",
        ),
        (
            &[
                ("02-dien-thoai/module.toml", Some(MODULE)),
                ("02-dien-thoai/01-a.vi.md", Some(NEXT)),
            ],
            "lessons/02-dien-thoai: module id `dien-thoai` is used by `01-dien-thoai` too",
        ),
        (
            &[("Dien Thoai/module.toml", Some(MODULE))],
            "lessons/Dien Thoai: a module folder is named `NN-name`",
        ),
        (
            &[("01-dien-thoai/01-bat-dau.md", Some(LESSON))],
            "01-bat-dau.md: a lesson file is named `NN-name.LANG.md`",
        ),
        (
            &[("01-dien-thoai/01-khac.vi.md", Some(NEXT))],
            "01-khac.vi.md: lesson number 01 is used by `bat-dau` too",
        ),
        (
            &[("01-dien-thoai/03-moi.en.md", Some(NEXT))],
            "03-moi.en.md: lesson `moi` has no Vietnamese file",
        ),
        (
            &[("01-dien-thoai/01-bat-dau.en.md", Some(NEXT))],
            "01-bat-dau.en.md:1: the quiz must match `01-bat-dau.vi.md`",
        ),
        (
            &[("01-dien-thoai/hinh.svg", Some("<svg/>"))],
            "hinh.svg: only `module.toml`, lesson files and practice scenarios",
        ),
        (
            &[("ghi-chu.txt", Some("x"))],
            "lessons/ghi-chu.txt: this file is outside any module folder",
        ),
        (
            &[("01-dien-thoai/02-sau.vi.md", Some("+++\ntitle = \"S\"\n"))],
            "02-sau.vi.md:1: the front matter is never closed",
        ),
    ];
    for (changes, expected) in cases {
        let found = problems_in(changes);
        assert!(
            found.iter().any(|p| p.contains(expected)),
            "expected {expected:?} in {found:#?}"
        );
    }
}

#[test]
fn a_translation_falls_back_to_vietnamese() {
    let en = LESSON.replace("Bắt đầu", "Getting started");
    let (catalogue, problems) = load_with(
        &tree(&[("01-dien-thoai/01-bat-dau.en.md", Some(&en))]),
        &|n| n.to_string(),
        &LOOSE,
    );
    assert_eq!(problems, vec![]);
    let lessons = &catalogue.modules[0].lessons;
    assert_eq!(lessons[0].heading(Lang::En).title, "Getting started");
    assert_eq!(lessons[0].versions.pick(Lang::En).0, Lang::En);
    assert_eq!(lessons[1].heading(Lang::En).title, "Sau");
    assert_eq!(lessons[1].versions.pick(Lang::En).0, Lang::Vi);
    // A language with an interface file but no lesson files (the tests' own `zz`) reads every
    // lesson in Vietnamese.
    let zz = Lang::from_code(crate::lang::tests::TEST_ONLY).unwrap();
    assert_eq!(lessons[0].versions.pick(zz).0, Lang::Vi);
    assert_eq!(lessons[0].heading(zz).title, "Bắt đầu");
}

#[test]
fn a_translation_may_give_the_heading_alone() {
    let en = "+++\ntitle = \"Later\"\nobjective = \"Know what comes next\"\n+++\n";
    let (catalogue, problems) = load_with(
        &tree(&[("01-dien-thoai/02-sau.en.md", Some(en))]),
        &|n| n.to_string(),
        &LOOSE,
    );
    assert_eq!(problems, vec![]);
    let lesson = &catalogue.modules[0].lessons[1];
    assert_eq!(lesson.heading(Lang::En).title, "Later");
    assert_eq!(lesson.heading(Lang::En).objective, "Know what comes next");
    assert_eq!(lesson.versions.pick(Lang::En).0, Lang::Vi);

    // A heading-only file with a quiz or minutes is a half-done translation.
    let half = "+++\ntitle = \"Later\"\nminutes = 5\nobjective = \"O\"\n+++\n";
    let found = problems_in(&[("01-dien-thoai/02-sau.en.md", Some(half))]);
    assert_eq!(
        found,
        vec![
            "lessons/01-dien-thoai/02-sau.en.md:1: this translation has no text, so it gives only `title` and `objective`: remove `minutes`, `audio`, `ask` and the quiz, or translate the text too"
        ]
    );
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    /// Any bytes as a lesson file or a module's TOML never panic the loader: a problem is
    /// said, or the lesson loads.
    #[test]
    fn no_lesson_text_makes_the_loader_panic(
        lesson in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..600),
        module in "\\PC{0,200}",
        cut in 0usize..LESSON.len(),
    ) {
        let lesson_text = String::from_utf8_lossy(&lesson).into_owned();
        let _ = load(&tree(&[("01-dien-thoai/01-bat-dau.vi.md", Some(&lesson_text))]), &|n| n.to_string());
        let _ = load(&tree(&[("01-dien-thoai/module.toml", Some(&module))]), &|n| n.to_string());
        // The good lesson cut anywhere (at a character's edge) is a problem, never a panic.
        let cut = (0..=cut).rev().find(|i| LESSON.is_char_boundary(*i)).unwrap_or(0);
        let _ = load(&tree(&[("01-dien-thoai/01-bat-dau.vi.md", Some(&LESSON[..cut]))]), &|n| n.to_string());
        let mut raw = tree(&[]);
        raw.files.insert("01-dien-thoai/01-bat-dau.vi.md".into(), lesson);
        let _ = load(&raw, &|n| n.to_string());
    }
}

const FACTS: &str = "[so-cong-an]\nvalue = \"113\"\nsource = \"register\"\nchecked = 2026-11-25\n\n[cong-an-xa]\nvalue = \"công an xã\"\nen = \"the commune police\"\nsource = \"register\"\nchecked = 2024-06-01\n";

/// The good tree with a facts file, and the first lesson's `from` replaced by `to`.
fn with_facts(from: &str, to: &str) -> LessonTree {
    assert!(LESSON.contains(from), "fixture lacks {from:?}");
    let lesson = LESSON.replacen(from, to, 1);
    tree(&[
        ("facts.toml", Some(FACTS)),
        ("01-dien-thoai/01-bat-dau.vi.md", Some(&lesson)),
    ])
}

fn run(tree: &LessonTree) -> Checked {
    let today = time::macros::date!(2026 - 12 - 03);
    let mut checked = check_with(tree, &|name| format!("/a/{name}"), &LOOSE, Some(today));
    checked
        .warnings
        .retain(|w| !w.message.contains("longest") && !w.message.contains("choice A"));
    checked
}

fn strings(problems: &[Problem]) -> Vec<String> {
    problems.iter().map(|p| p.to_string()).collect()
}

#[test]
fn facts_are_filled_in_where_lessons_name_them() {
    let tree = with_facts(
        "Xem [bài sau]",
        "Gọi **{{so-cong-an}}** hoặc báo {{cong-an-xa}}. {{Cong-an-xa}} giúp.\n\nXem [bài sau]",
    );
    let tree = LessonTree {
        files: {
            let mut files = tree.files;
            let lesson =
                String::from_utf8(files["01-dien-thoai/01-bat-dau.vi.md"].clone()).unwrap();
            let lesson = lesson.replace(
                "Bật máy thế nào?",
                "Gọi số nào khi gặp nguy hiểm, {{so-cong-an}}?",
            );
            files.insert("01-dien-thoai/01-bat-dau.vi.md".into(), lesson.into_bytes());
            files
        },
        ..tree
    };
    let checked = run(&tree);
    assert_eq!(strings(&checked.problems), Vec::<String>::new());
    let version = checked.catalogue.modules[0].lessons[0]
        .versions
        .get(Lang::Vi);
    assert!(
        version.slides[1]
            .contains("Gọi <strong>113</strong> hoặc báo công an xã. Công an xã giúp."),
        "{}",
        version.slides[1]
    );
    assert_eq!(
        version.quiz[0].question,
        "Gọi số nào khi gặp nguy hiểm, 113?"
    );
    // Each fact is used; the one checked in June 2024 is more than a year old.
    assert_eq!(
        strings(&checked.warnings),
        [
            "lessons/facts.toml:6: `cong-an-xa` was last checked on 2024-06-01, more than a year ago: check it again at its source (register) and update `checked`"
        ]
    );
}

#[test]
fn an_unknown_fact_fails_and_a_written_out_or_unused_one_warns() {
    let checked = run(&with_facts(
        "Xem [bài sau]",
        "Gọi {{so-cong-am}}.\n\nXem [bài sau]",
    ));
    assert_eq!(
        strings(&checked.problems),
        [
            "lessons/01-dien-thoai/01-bat-dau.vi.md:20: `{{so-cong-am}}` is not a fact in `facts.toml`: add it there (value, source, checked) or use a name from it"
        ]
    );
    let checked = run(&with_facts(
        "Xem [bài sau]",
        "Gọi 113 ngay.\n\nXem [bài sau]",
    ));
    assert_eq!(strings(&checked.problems), Vec::<String>::new());
    let warnings = strings(&checked.warnings);
    assert!(
        warnings.contains(&"lessons/01-dien-thoai/01-bat-dau.vi.md:20: `113` is written out: write `{{so-cong-an}}` so the lesson changes when the fact does".to_string()),
        "{warnings:#?}"
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.starts_with("lessons/facts.toml:1: no lesson names the fact `so-cong-an`"))
    );
    let bad = tree(&[("facts.toml", Some("[x]\nvalue = \"1\"\n"))]);
    assert_eq!(
        strings(&checked_problems(&bad)),
        ["lessons/facts.toml:1: `x` needs `source`"]
    );
}

fn checked_problems(tree: &LessonTree) -> Vec<Problem> {
    run(tree).problems
}

#[test]
fn a_packs_facts_replace_the_built_in_ones_in_every_lesson() {
    let base = with_facts("Xem [bài sau]", "Gọi **{{so-cong-an}}**.\n\nXem [bài sau]");
    let base_files: BTreeMap<String, String> = BTreeMap::new();
    let newer: BTreeMap<String, String> = [(
        "facts.toml".to_string(),
        "[so-cong-an]\nvalue = \"114\"\nsource = \"province\"\nchecked = 2026-12-01\n".to_string(),
    )]
    .into();
    let (merged, problems) =
        crate::content::with_packs(&base, [("p", &base_files), ("tin-moi", &newer)]);
    assert_eq!(problems, vec![]);
    let checked = run(&merged);
    assert_eq!(strings(&checked.problems), Vec::<String>::new());
    let slides = &checked.catalogue.modules[0].lessons[0]
        .versions
        .get(Lang::Vi)
        .slides;
    assert!(
        slides[1].contains("Gọi <strong>114</strong>."),
        "{}",
        slides[1]
    );

    let broken: BTreeMap<String, String> = [(
        "facts.toml".to_string(),
        "[so-cong-an]\nvalue = \"**\"\n".to_string(),
    )]
    .into();
    let (merged, _) = crate::content::with_packs(&base, [("hong", &broken)]);
    assert_eq!(
        strings(&run(&merged).problems),
        [
            "pack hong/facts.toml:1: `so-cong-an`: `value` may not hold `*`: a value is plain text put into lessons"
        ]
    );
}

#[test]
fn ask_is_checked_and_kept() {
    let four =
        "[[quiz]]\nquestion = \"Q\"\nchoices = [\"a\", \"b\"]\nanswer = 1\nexplain = \"E\"\n";
    let lesson =
        |ask: &str| LESSON.replacen("[[quiz]]", &format!("{ask}\n{}[[quiz]]", four.repeat(3)), 1);
    let (catalogue, problems) = load_with(
        &tree(&[("01-dien-thoai/01-bat-dau.vi.md", Some(&lesson("ask = 3")))]),
        &|n| n.to_string(),
        &BRIEF_QUIZ,
    );
    assert!(
        problems.iter().all(|p| !p.message.contains("ask")),
        "{problems:?}"
    );
    let version = catalogue.modules[0].lessons[0].versions.get(Lang::Vi);
    assert_eq!((version.quiz.len(), version.ask), (4, 3));
    for bad in ["ask = 5", "ask = 2", "ask = -1"] {
        let (_, problems) = load_with(
            &tree(&[("01-dien-thoai/01-bat-dau.vi.md", Some(&lesson(bad)))]),
            &|n| n.to_string(),
            &BRIEF_QUIZ,
        );
        let found: Vec<String> = strings(&problems)
            .into_iter()
            .filter(|p| p.contains("ask"))
            .collect();
        assert_eq!(found.len(), 1, "{bad}: {found:?}");
        assert!(
            found[0].starts_with("lessons/01-dien-thoai/01-bat-dau.vi.md:6: "),
            "{found:?}"
        );
        assert!(
            found[0].contains("an attempt asks from 3 to 4"),
            "{found:?}"
        );
    }
}

/// The structure, and the brief's quiz size (3 questions or more).
const BRIEF_QUIZ: Standards = Standards {
    min_questions: 3,
    ..LOOSE
};

#[test]
fn a_translation_showing_a_vietnamese_drawing_that_has_its_own_is_warned_about() {
    let en = LESSON.replace("Bắt đầu", "Getting started");
    let mut with_english_drawing = tree(&[("01-dien-thoai/01-bat-dau.en.md", Some(&en))]);
    let warned = |tree: &LessonTree| -> Vec<String> {
        strings(&run(tree).warnings)
            .into_iter()
            .filter(|w| w.contains("drawing"))
            .collect()
    };
    assert_eq!(warned(&with_english_drawing), Vec::<String>::new());
    with_english_drawing.assets.insert("i.en.svg".into(), 300);
    assert_eq!(
        warned(&with_english_drawing),
        [
            "lessons/01-dien-thoai/01-bat-dau.en.md:12: `i.svg` has a drawing in this lesson's language: show `i.en.svg`"
        ]
    );
    let fixed = en.replace("assets/i.svg", "assets/i.en.svg");
    let fixed = LessonTree {
        assets: with_english_drawing.assets.clone(),
        ..tree(&[("01-dien-thoai/01-bat-dau.en.md", Some(&fixed))])
    };
    assert_eq!(warned(&fixed), Vec::<String>::new());
}

const SCENARIO: &str = "kind = \"call\"\nlesson = \"bat-dau\"\ntitle = \"Gọi thử\"\nintro = \"Có người gọi.\"\n\n[[step]]\nid = \"alo\"\ncaller = \"Số lạ\"\nsays = \"Đọc mã cho tôi, gọi {{so-cong-an}} cũng được.\"\nask = \"Làm gì?\"\n\n[[step.choice]]\ntext = \"Cúp máy\"\nfeedback = \"Đúng.\"\nnext = \"an-toan\"\nright = true\n\n[[step.choice]]\ntext = \"Đọc mã\"\nfeedback = \"Mất tiền.\"\nnext = \"mat\"\n\n[[end]]\nid = \"an-toan\"\nwin = true\ntext = \"Giữ được tiền.\"\n\n[[end]]\nid = \"mat\"\nwin = false\ntext = \"Thử lại.\"\n";

#[test]
fn practice_scenarios_load_beside_their_lessons() {
    let with = |files: &[(&str, &str)]| {
        let mut changes: Vec<Change> = vec![("facts.toml", Some(FACTS))];
        changes.extend(files.iter().map(|(p, t)| (*p, Some(*t))));
        run(&tree(&changes))
    };
    let checked = with(&[("01-dien-thoai/01-goi-thu.vi.toml", SCENARIO)]);
    assert_eq!(strings(&checked.problems), Vec::<String>::new());
    let module = &checked.catalogue.modules[0];
    let practice = &module.practice[0];
    assert_eq!(
        (practice.id.as_str(), practice.lesson_id.as_str()),
        ("dien-thoai/goi-thu", "dien-thoai/bat-dau")
    );
    let scenario = practice.versions.get(Lang::Vi);
    assert_eq!(
        scenario.steps[0].screen["says"],
        "Đọc mã cho tôi, gọi 113 cũng được."
    );

    let problems = |files: &[(&str, &str)]| strings(&with(files).problems);
    assert_eq!(
        problems(&[(
            "01-dien-thoai/01-goi-thu.vi.toml",
            &SCENARIO.replace("bat-dau", "khong-co")
        )]),
        [
            "lessons/01-dien-thoai/01-goi-thu.vi.toml:2: `lesson = \"khong-co\"` is not a lesson of this module"
        ]
    );
    assert_eq!(
        problems(&[(
            "01-dien-thoai/01-goi-thu.vi.toml",
            &SCENARIO.replace("next = \"mat\"", "next = \"mat-tien\"")
        )]),
        [
            "lessons/01-dien-thoai/01-goi-thu.vi.toml:18: step `alo`, choice `Đọc mã`: `next = \"mat-tien\"` is neither a step nor an end"
        ]
    );
    assert_eq!(
        problems(&[("01-dien-thoai/01-goi-thu.en.toml", SCENARIO)]),
        [
            "lessons/01-dien-thoai/01-goi-thu.en.toml: scenario `goi-thu` has no Vietnamese file (`01-goi-thu.vi.toml`); every scenario needs one"
        ]
    );
    let swapped = SCENARIO
        .replace("next = \"an-toan\"", "next = \"x\"")
        .replace("next = \"mat\"", "next = \"an-toan\"")
        .replace("next = \"x\"", "next = \"mat\"")
        .replace("right = true\n", "")
        .replace("text = \"Đọc mã\"\n", "text = \"Đọc mã\"\nright = true\n");
    assert_eq!(
        problems(&[
            ("01-dien-thoai/01-goi-thu.vi.toml", SCENARIO),
            ("01-dien-thoai/01-goi-thu.en.toml", &swapped)
        ]),
        [
            "lessons/01-dien-thoai/01-goi-thu.en.toml:1: a translation of `01-goi-thu.vi.toml` has the same kind, lesson, steps, choices and ends, leading the same way"
        ]
    );
    assert_eq!(
        problems(&[(
            "01-dien-thoai/01-goi-thu.vi.toml",
            &SCENARIO.replace("{{so-cong-an}}", "{{so-cong-am}}")
        )]),
        [
            "lessons/01-dien-thoai/01-goi-thu.vi.toml:9: `{{so-cong-am}}` is not a fact in `facts.toml`: add it there (value, source, checked) or use a name from it"
        ]
    );
    assert!(
        problems(&[("01-dien-thoai/goi-thu.toml", SCENARIO)])[0]
            .contains("a practice scenario is named `NN-name.LANG.toml`")
    );
}

#[test]
fn a_pack_brings_scenarios_but_never_replaces_a_built_in_one() {
    let base = tree(&[
        ("facts.toml", Some(FACTS)),
        ("01-dien-thoai/01-goi-thu.vi.toml", Some(SCENARIO)),
    ]);
    let pack: BTreeMap<String, String> = [
        (
            "01-dien-thoai/01-goi-thu.vi.toml".to_string(),
            SCENARIO.to_string(),
        ),
        (
            "01-dien-thoai/02-goi-nua.vi.toml".to_string(),
            SCENARIO.to_string(),
        ),
    ]
    .into();
    let (merged, problems) = crate::content::with_packs(&base, [("p", &pack)]);
    assert_eq!(
        strings(&problems),
        [
            "pack p/01-dien-thoai/01-goi-thu.vi.toml: practice scenario dien-thoai/goi-thu is built into the box; a pack cannot replace it (give the new one another name)"
        ]
    );
    let checked = run(&merged);
    assert_eq!(strings(&checked.problems), Vec::<String>::new());
    let ids: Vec<&str> = checked.catalogue.modules[0]
        .practice
        .iter()
        .map(|p| p.id.as_str())
        .collect();
    assert_eq!(ids, ["dien-thoai/goi-thu", "dien-thoai/goi-nua"]);
}
