//! The lesson editor's form: a lesson's fields as text boxes a facilitator fills on a phone
//! (title, objective, minutes, one box a slide with a picture button under it, each quiz
//! question with its choices, the right one and the explanation), drawn with the checker's
//! findings beside the field each concerns, and read back from the posted form.

use maud::{Markup, html};

use crate::content::{LessonParts, QuizParts};
use crate::facilitate::authoring::{Findings, OWN_MODULE, OWN_MODULE_TITLE};
use crate::web::extract::Multiform;
use crate::web::i18n::{t, t_args, v};
use crate::web::pages::layout::csrf_field;

/// Most quiz questions the form offers.
pub(super) const MAX_QUESTIONS: usize = 8;
/// Choices a question offers boxes for.
const CHOICES: usize = 4;
/// Most slides a lesson may have.
pub(super) const MAX_SLIDES: usize = 30;

/// What the form holds besides the lesson's parts: where it goes and what it is called.
pub(super) struct Place<'a> {
    /// `None` while the lesson is new: the module and slug are chosen then, once.
    pub id: Option<&'a str>,
    pub module: &'a str,
    pub slug: &'a str,
    /// The modules a lesson may join: id and title.
    pub modules: &'a [(String, String)],
    pub action: &'a str,
    /// Whether learners see the lesson now: saving keeps it so, or takes it back to a draft.
    pub published: bool,
}

/// The lesson's parts the form posted, and each picture it brought (slide index, bytes,
/// the picture's description).
pub(super) fn read(
    form: &Multiform,
    keep: &LessonParts,
) -> (LessonParts, Vec<(usize, axum::body::Bytes, String)>) {
    let mut slides = Vec::new();
    let mut pictures = Vec::new();
    for (i, text) in form.all("slide").enumerate().take(MAX_SLIDES + 1) {
        let picture = form.file(&format!("anh_{i}"));
        let text = text.replace("\r\n", "\n").trim().to_string();
        if text.is_empty() && picture.is_none() {
            continue;
        }
        if let Some(bytes) = picture {
            let alt = form.get(&format!("anh_mo_ta_{i}"));
            // The description goes into the lesson's text, which is Vietnamese.
            let alt = match alt.is_empty() {
                true => "Ảnh minh họa".to_string(),
                false => alt.replace(['[', ']', '\n', '\r'], " "),
            };
            pictures.push((slides.len(), bytes.clone(), alt));
        }
        slides.push(text);
    }
    let mut quiz = Vec::new();
    for q in 0..MAX_QUESTIONS {
        let field = |name: &str| form.get(&format!("q{q}_{name}")).to_string();
        let given: Vec<(usize, String)> = (1..=CHOICES)
            .map(|c| (c, field(&format!("c{c}"))))
            .filter(|(_, c)| !c.is_empty())
            .collect();
        let (question, explain) = (field("question"), field("explain"));
        if question.is_empty() && explain.is_empty() && given.is_empty() {
            continue;
        }
        let chosen: Option<usize> = field("answer").parse().ok();
        let answer = given
            .iter()
            .position(|(c, _)| Some(*c) == chosen)
            .map_or(0, |p| p as i64 + 1);
        quiz.push(QuizParts {
            question,
            choices: given.into_iter().map(|(_, c)| c).collect(),
            answer,
            explain,
        });
    }
    let parts = LessonParts {
        title: form.get("title").to_string(),
        minutes: form.get("minutes").parse().ok(),
        ask: keep.ask.filter(|&a| a as usize <= quiz.len()),
        objective: form.get("objective").to_string(),
        credit: None,
        audio: None,
        quiz,
        slides,
    };
    (parts, pictures)
}

/// The findings about `field`, each a line under it.
fn said(findings: &Findings, field: &str) -> Markup {
    html! {
        @for f in findings.about(field) {
            p.field-error role="alert" { "⚠ " (f.message) }
        }
    }
}

/// The editor's form for `parts`, with `findings` beside their fields.
pub(super) fn form(
    csrf: &str,
    place: &Place<'_>,
    parts: &LessonParts,
    findings: &Findings,
) -> Markup {
    let slides = parts.slides.len().min(MAX_SLIDES);
    // One empty slide and question more than there are, to add one without script.
    let slide_boxes = (slides + 1).clamp(3, MAX_SLIDES);
    let question_boxes = (parts.quiz.len() + 1).clamp(3, MAX_QUESTIONS);
    html! {
        form.stack.editor method="post" action=(place.action) enctype="multipart/form-data" {
            (csrf_field(csrf))
            label { (t("own-field-title")) input type="text" name="title" required maxlength="120" value=(parts.title); }
            (said(findings, "title"))
            label { (t("own-form-objective")) textarea name="objective" rows="2" maxlength="300" { (parts.objective) } }
            (said(findings, "objective"))
            label { (t("own-form-minutes")) input type="number" name="minutes" min="5" max="10" inputmode="numeric" value=(parts.minutes.unwrap_or(5)); }
            (said(findings, "minutes"))
            @if place.id.is_none() {
                label { (t("own-form-module"))
                    select name="module" {
                        @for (id, title) in place.modules {
                            option value=(id) selected[id == place.module] { (title) }
                        }
                        @if !place.modules.iter().any(|(id, _)| id == OWN_MODULE) {
                            option value=(OWN_MODULE) selected[place.module == OWN_MODULE] { (OWN_MODULE_TITLE) }
                        }
                    }
                }
                label { (t("own-form-slug"))
                    input type="text" name="slug" maxlength="60" pattern="[a-z0-9]+(-[a-z0-9]+)*" autocapitalize="off" value=(place.slug);
                }
                (said(findings, "slug"))
            }
            (said(findings, "__lesson"))
            h2 { (t("own-form-slides")) }
            details.help {
                summary { (t("own-form-how")) }
                ul {
                    li { (t("own-form-how-text")) }
                    li { (t("own-form-how-heading")) " " code { "## " } "." }
                    li { (t("own-form-how-list")) " " code { "- " } "." }
                    li { (t("own-form-how-bold")) " " code { "**" (t("own-form-how-bold-word")) "**" } "." }
                    li { (t("own-form-how-picture")) }
                    li { (t("own-form-how-no-links")) }
                }
            }
            @for i in 0..slide_boxes {
                @let text = parts.slides.get(i).map_or("", String::as_str);
                @let field = format!("slide {}", i + 1);
                fieldset.slide-box {
                    @let name = t_args("own-field-slide", [("n", v(i + 1))]);
                    legend { (name) }
                    textarea name="slide" rows="8" aria-label=(name) { (text) }
                    (said(findings, &field))
                    @for name in pictures_in(text) {
                        img.thumb src={ "/media/" (name) } alt="" width="96" loading="lazy";
                    }
                    label { (t("own-form-add-picture")) input type="file" name={ "anh_" (i) } accept="image/*"; }
                    label { (t("own-form-picture-alt")) input type="text" name={ "anh_mo_ta_" (i) } maxlength="120"; }
                }
            }
            p.meta { (t("own-form-drop-slide")) }
            h2 { (t("own-questions")) }
            p.meta { (t("own-form-quiz-rules")) }
            @for q in 0..question_boxes {
                @let question = parts.quiz.get(q);
                @let field = format!("quiz {}", q + 1);
                fieldset.question-box {
                    legend { (t_args("own-field-quiz", [("n", v(q + 1))])) }
                    label { (t("own-form-question")) textarea name={ "q" (q) "_question" } rows="2" maxlength="300" { (question.map_or("", |x| x.question.as_str())) } }
                    @for c in 1..=CHOICES {
                        @let choice = question.and_then(|x| x.choices.get(c - 1)).map_or("", String::as_str);
                        @let right = question.is_some_and(|x| x.answer == c as i64);
                        div.choice-row {
                            label.check { input type="radio" name={ "q" (q) "_answer" } value=(c) checked[right]; " " (t("own-form-right")) }
                            label { (t_args("own-form-choice", [("n", v(c))])) input type="text" name={ "q" (q) "_c" (c) } maxlength="200" value=(choice); }
                        }
                    }
                    label { (t("own-form-explain")) textarea name={ "q" (q) "_explain" } rows="2" maxlength="300" { (question.map_or("", |x| x.explain.as_str())) } }
                    (said(findings, &field))
                }
            }
            div.actions {
                @if place.published {
                    button.button type="submit" name="action" value="luu" { (t("own-form-save")) }
                    button.button.quiet type="submit" name="action" value="nhap" { (t("own-form-unpublish")) }
                } @else {
                    button.button type="submit" name="action" value="luu" { (t("own-form-save-draft")) }
                    button.button type="submit" name="action" value="xuat-ban" { (t("own-form-save-publish")) }
                }
            }
        }
    }
}

/// The media pictures a slide's Markdown shows: `![…](<name>)`.
pub(super) fn pictures_in(text: &str) -> Vec<&str> {
    text.split("](")
        .skip(1)
        .filter_map(|rest| rest.split(')').next())
        .filter(|dest| crate::content::is_media_name(dest))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pictures_are_found_by_their_media_names() {
        let text = "Chữ ![Ảnh](0123456789abcdef0123456789abcdef.jpg) và ![x](../../assets/a.svg)";
        assert_eq!(pictures_in(text), ["0123456789abcdef0123456789abcdef.jpg"]);
    }

    #[test]
    fn a_posted_form_gives_the_lessons_parts() {
        let text = |k: &str, v: &str| (k.to_string(), v.to_string());
        let form = Multiform {
            text: vec![
                text("title", " Tin nhắn lạ "),
                text("minutes", "6"),
                text("objective", "Nhận ra tin giả."),
                text("slide", "## Một\r\n\r\nChữ."),
                text("slide", "   "),
                text("slide", "Hai"),
                text("q0_question", "Nên làm gì?"),
                text("q0_c1", "Bấm link"),
                text("q0_c2", ""),
                text("q0_c3", "Xoá tin"),
                text("q0_answer", "3"),
                text("q0_explain", "Link lạ là bẫy."),
                text("q1_question", "Câu hai"),
                text("q1_c1", "A"),
                text("q1_answer", "2"),
            ],
            files: vec![("anh_2".into(), axum::body::Bytes::from_static(b"jpeg"))],
        };
        let (parts, pictures) = read(&form, &LessonParts::default());
        assert_eq!(parts.title, "Tin nhắn lạ");
        assert_eq!(parts.minutes, Some(6));
        assert_eq!(parts.slides, ["## Một\n\nChữ.", "Hai"]);
        assert_eq!(parts.quiz[0].choices, ["Bấm link", "Xoá tin"]);
        assert_eq!(
            parts.quiz[0].answer, 2,
            "the third box is the second choice given"
        );
        assert_eq!(parts.quiz[1].answer, 0, "an empty box chosen is no answer");
        assert_eq!(pictures.len(), 1);
        assert_eq!((pictures[0].0, pictures[0].2.as_str()), (1, "Ảnh minh họa"));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(128))]

        /// Whatever a browser posts, the form reads into parts that write a lesson file the
        /// loader can read back, with every answer pointing at a choice or at none.
        #[test]
        fn any_posted_fields_make_a_lesson_file_that_reads_back(
            fields in proptest::collection::vec(
                (
                    proptest::sample::select(vec![
                        "title", "objective", "minutes", "slide", "q0_question", "q0_c1",
                        "q0_c2", "q0_c4", "q0_answer", "q0_explain", "q7_c3", "q7_answer",
                        "anh_mo_ta_0", "other",
                    ]),
                    "[\\PC\n\r+=#\\[\\]\"-]{0,40}",
                ),
                0..40,
            ),
        ) {
            let form = Multiform {
                text: fields.into_iter().map(|(k, v)| (k.to_string(), v)).collect(),
                files: vec![],
            };
            let (parts, _) = read(&form, &LessonParts::default());
            for q in &parts.quiz {
                proptest::prop_assert!(q.answer >= 0 && q.answer as usize <= q.choices.len());
            }
            let file = crate::content::write_lesson(&parts);
            let back = crate::content::parse_lesson(&file);
            proptest::prop_assert!(back.is_ok(), "{file}");
            proptest::prop_assert_eq!(back.unwrap().quiz.len(), parts.quiz.len());
        }
    }
}
