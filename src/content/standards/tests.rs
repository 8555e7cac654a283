//! Tests for the brief's `Standards`: whole lessons read by `load`, each falling short of the
//! brief in one way, and the one problem it must produce.

use std::collections::BTreeMap;

use crate::content::{LessonTree, load};

const MODULE: &str = "icon = \"i.svg\"\n[vi]\ntitle = \"Điện thoại\"\nsummary = \"Tóm tắt\"\n";

/// A lesson that meets the brief: `words` words of text on `slides` slides, one picture, and
/// three questions of three choices.
fn brief_lesson(words: usize, slides: usize) -> String {
    lesson_with_questions(words, slides, 3)
}

fn lesson_with_questions(words: usize, slides: usize, questions: usize) -> String {
    let mut text = String::from("+++\ntitle = \"T\"\nminutes = 7\nobjective = \"O\"\n");
    for i in 0..questions {
        text += &format!(
            "\n[[quiz]]\nquestion = \"Q{i}\"\nchoices = [\"a\", \"b\", \"c\"]\nanswer = 2\nexplain = \"E\"\n"
        );
    }
    text += "+++\n![Hình](../../assets/i.svg)\n";
    let per_slide = words / slides;
    for s in 0..slides {
        if s > 0 {
            text += "\n---\n\n";
        }
        let n = if s == 0 {
            words - per_slide * (slides - 1)
        } else {
            per_slide
        };
        text += &"chữ ".repeat(n);
        text += "\n";
    }
    text
}

/// The problems `load` finds in a module of one lesson, `lesson`, held to the brief.
fn brief_problems(lesson: &str) -> Vec<String> {
    let files: BTreeMap<String, Vec<u8>> = [
        ("01-dien-thoai/module.toml", MODULE),
        ("01-dien-thoai/01-bat-dau.vi.md", lesson),
    ]
    .into_iter()
    .map(|(p, t)| (p.to_string(), t.as_bytes().to_vec()))
    .collect();
    let assets = [
        ("i.svg".to_string(), 300),
        ("big.svg".to_string(), 60_000),
        ("a.png".to_string(), 10),
    ]
    .into();
    let tree = LessonTree {
        label: "lessons".into(),
        files,
        assets,
        ..LessonTree::default()
    };
    let (_, problems) = load(&tree, &|n| n.to_string());
    problems.iter().map(|p| p.to_string()).collect()
}

#[test]
fn lessons_are_held_to_the_brief() {
    assert_eq!(brief_problems(&brief_lesson(300, 3)), Vec::<String>::new());
    assert_eq!(brief_problems(&brief_lesson(700, 8)), Vec::<String>::new());

    let cases: Vec<(String, &str)> = vec![
        (
            brief_lesson(299, 3),
            "the text has 299 words; a lesson has 300 to 700",
        ),
        (brief_lesson(701, 3), "the text has 701 words"),
        (
            brief_lesson(400, 2),
            "the text has 2 slide(s); the projector needs at least 3",
        ),
        (
            brief_lesson(400, 3).replace("![Hình](../../assets/i.svg)\n", ""),
            "the text has no picture",
        ),
        (
            brief_lesson(400, 3).replace("minutes = 7", "minutes = 12"),
            "a whole number from 5 to 10",
        ),
        (
            lesson_with_questions(400, 3, 2),
            "the quiz has 2 question(s); a lesson needs at least 3",
        ),
        (
            brief_lesson(400, 3).replacen("[\"a\", \"b\", \"c\"]", "[\"a\", \"b\"]", 1),
            "a question has 2 choices; give 3 to 4",
        ),
        (
            brief_lesson(400, 3).replacen("\"c\"", "\"Tất cả các ý trên\"", 1),
            "not one about the others",
        ),
        (
            brief_lesson(400, 3).replacen("\"c\"", "\"A\"", 1),
            "given twice",
        ),
        (
            brief_lesson(400, 3).replace("i.svg", "big.svg"),
            "a drawing must stay under 10 KB",
        ),
    ];
    for (lesson, expected) in cases {
        let found = brief_problems(&lesson);
        assert!(
            found.len() == 1 && found[0].contains(expected),
            "expected only {expected:?} in {found:#?}"
        );
    }
}
