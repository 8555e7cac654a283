//! Lessons away from the box. "Mang về nhà": a module as one HTML file that a phone keeps in
//! its Downloads and opens with no network (text, style and pictures inside it, a
//! self-check quiz that works inside the file, and the module's practice scenarios played
//! from the file; nothing is recorded). "Bản in": a lesson or a whole module as an A4
//! handout in large type, with the quiz to answer with a pen, for villagers without a phone;
//! a module's handout prints each scenario as screens and questions to tick, along the
//! careful path (`Scenario::careful_path`), with an answer key on a page of its own for the
//! facilitator. Neither carries a quiz's answers in plain text: the handout has none, the
//! file only a hash of each right choice to check against. A scenario's way is not hidden in
//! the file (each choice's feedback is a part of the page, shown when its link is followed):
//! it is for practice, and nothing in it counts.
//!
//! A scenario in the file works without script: every step, every choice's feedback and
//! every end is a section with an id, a choice is a link to its feedback, and the style
//! sheet shows only the section the address names (`:target`), else the first step, which is
//! placed last so that a targeted section before it can hide it (`.sc-part` in `style.css`).
//! A typed value is offered as a link ("Gõ: 20/11/2026"); with script, `take-home.js` shows
//! the box to type in instead and checks it as the box does (`Input::accepts`).

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use base64::Engine as _;
use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::find_lesson;
use super::layout::{Extras, page_with};
use super::practice::{notes, screen};
use crate::content::practice::{Scenario, Step};
use crate::content::{Lang, Lesson, Module, Practice, Question};
use crate::web::i18n::{PracticeUi, Ui, ui};
use crate::web::session::Visitor;
use crate::web::{AppState, AssetStore, Error};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/m/{module}/tai-ve", get(download))
        .route("/m/{module}/in", get(print_module))
        .route("/m/{module}/{lesson}/in", get(print_lesson))
}

/// The file's name in the phone's Downloads.
pub fn file_name(module: &Module) -> String {
    format!("hocso-{}.html", module.id)
}

/// The self-check's hash of choice `choice` of question `question` of `lesson`: FNV-1a
/// (32 bits) of `lesson|question|choice` in hex, as `assets/take-home.js` computes it. It
/// keeps the answers from being read off the file at a glance; it is not a secret (the file
/// is for learning; the quiz that counts is on the box).
pub fn choice_hash(lesson: &str, question: usize, choice: usize) -> String {
    format!("{:08x}", fnv1a(&format!("{lesson}|{question}|{choice}")))
}

fn fnv1a(text: &str) -> u32 {
    text.bytes().fold(0x811c_9dc5, |hash, byte| {
        (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193)
    })
}

async fn download(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(module_id): Path<String>,
) -> Result<Response, Error> {
    let module = state.catalogue.module(&module_id).ok_or(Error::NotFound)?;
    let file = module_file(&state, module, visitor.lang);
    let disposition = format!("attachment; filename=\"{}\"", file_name(module));
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&disposition).map_err(|_| Error::Internal)?,
            ),
        ],
        file.into_string(),
    )
        .into_response())
}

/// The whole module as one page that needs nothing else: the style sheet and the self-check
/// script inside it, every picture as a `data:` URL.
fn module_file(state: &AppState, module: &Module, lang: Lang) -> Markup {
    let ui = ui(lang);
    let text = module.text.get(lang);
    let style = state.assets.text("style.css").unwrap_or_default();
    let script = state.assets.text("take-home.js").unwrap_or_default();
    html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (text.title) " · " (ui.site_name()) }
                style { (PreEscaped(style)) }
            }
            body.take-home {
                header.top { div.bar { span.brand { (ui.site_name()) } } }
                main {
                    h1 { (text.title) }
                    p.lead { (text.summary) }
                    p.note { (ui.offline_file_note(state.portal.short())) }
                    nav aria-label=(ui.lessons_heading()) {
                        ol.lessons {
                            @for (i, lesson) in module.lessons.iter().enumerate() {
                                li { a href={ "#bai-" (i + 1) } { span.card-title { (lesson.heading(lang).title) } } }
                            }
                        }
                    }
                    @if !module.practice.is_empty() {
                        nav aria-label=(ui.practice.heading()) {
                            p.meta { (ui.practice.heading()) }
                            ol.lessons {
                                @for (i, practice) in module.practice.iter().enumerate() {
                                    li { a href={ "#thuc-hanh-" (i + 1) } { span.card-title { (practice.versions.pick(lang).1.title) } } }
                                }
                            }
                        }
                    }
                    @for (i, lesson) in module.lessons.iter().enumerate() {
                        (lesson_body(&state.assets, lesson, lang, ui, Some(i + 1), Ending::SelfCheck, false))
                    }
                    @for (i, practice) in module.practice.iter().enumerate() {
                        (file_scenario(practice, lang, i + 1))
                    }
                }
                script { (PreEscaped(script)) }
            }
        }
    }
}

/// How a lesson ends away from the box.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ending {
    /// Questions to tick and check inside the downloaded file (with its script).
    SelfCheck,
    /// Questions to answer with a pen on paper.
    Paper,
}

/// One lesson's text and quiz, for the file (`number` gives it an anchor) or a handout.
/// `alone`: the lesson is the whole page, its title the page's heading.
fn lesson_body(
    assets: &AssetStore,
    lesson: &Lesson,
    lang: Lang,
    ui: &Ui,
    number: Option<usize>,
    ending: Ending,
    alone: bool,
) -> Markup {
    let heading = lesson.heading(lang);
    let (shown, version) = lesson.versions.pick(lang);
    let quiz = &version.quiz;
    html! {
        article.handout id=[number.map(|n| format!("bai-{n}"))] {
            @if alone { h1 { (heading.title) } } @else { h2 { (heading.title) } }
            p.meta { (ui.minutes(version.minutes)) }
            section.objective {
                @if alone { h2 { (ui.objective()) } } @else { h3 { (ui.objective()) } }
                p { (heading.objective) }
            }
            div lang=(shown.code()) {
                @for slide in &version.slides {
                    section.slide { (PreEscaped(inline_pictures(assets, slide))) }
                }
            }
            @if !quiz.is_empty() {
                @match ending {
                    Ending::SelfCheck => (self_check(lesson, quiz, shown, ui)),
                    Ending::Paper => (paper_quiz(quiz, shown, ui)),
                }
            }
        }
    }
}

/// The quiz inside the file: choices to tick, a button that marks them, and each question's
/// explanation shown once checked. Without script, the note says it needs it.
fn self_check(lesson: &Lesson, quiz: &[Question], shown: Lang, ui: &Ui) -> Markup {
    html! {
        section.self-check data-lesson=(lesson.id) {
            h3 { (ui.self_check()) }
            p.needs-script { (ui.needs_script()) }
            div lang=(shown.code()) {
                @for (i, question) in quiz.iter().enumerate() {
                    fieldset.question data-right=(choice_hash(&lesson.id, i, question.answer)) {
                        legend { (i + 1) ". " (question.question) }
                        @for (j, choice) in question.choices.iter().enumerate() {
                            label.choice {
                                input type="radio" name={ (lesson.id) "/" (i) } value=(j);
                                span { (choice) }
                            }
                        }
                        @if !question.explain.is_empty() {
                            p.explain hidden { (question.explain) }
                        }
                    }
                }
            }
            button.button.check type="button" hidden
                data-right=(ui.right()) data-wrong=(ui.wrong()) data-score=(ui.score(0, 0)) {
                (ui.check_answer())
            }
            p.check-result role="status" {}
        }
    }
}

/// A practice scenario inside the file (`number` gives it its anchors, `thuc-hanh-{n}` and
/// `th{n}_…`), played by following links: each step, each choice's feedback and each end is
/// a `.sc-part` the style sheet shows when the address names it, the first step when none is.
fn file_scenario(practice: &Practice, lang: Lang, number: usize) -> Markup {
    let p = &ui(lang).practice;
    let (shown, scenario) = practice.versions.pick(lang);
    let part = |id: &str| format!("th{number}_{id}");
    let first = &scenario.steps[0];
    html! {
        article.practice.take-practice id={ "thuc-hanh-" (number) } {
            h2 { (scenario.title) }
            p.meta { (p.heading()) " · " (p.kind(scenario.kind.code())) }
            (notes(scenario, shown, lang, p))
            div lang=(shown.code()) {
                p.practice-intro { (scenario.intro) }
                div.sc-parts {
                    @for step in &scenario.steps[1..] {
                        (file_step(scenario, step, &part, p, false))
                    }
                    @for step in &scenario.steps {
                        @for (i, choice) in step.choices.iter().enumerate() {
                            @let (label, way) = match (scenario.ends.iter().any(|e| e.id == choice.next), choice.next == step.id) {
                                (true, _) => (p.see_end(), &choice.next),
                                (false, true) => (p.try_step_again(), &step.id),
                                (false, false) => (p.go_on(), &choice.next),
                            };
                            section.sc-part id=(part(&format!("{}_{i}", step.id))) {
                                div.feedback .right[choice.right] .wrong[!choice.right] {
                                    p.chosen {
                                        span.mark { @if choice.right { "✓ " (p.right()) } @else { "✗ " (p.wrong()) } } ": " (choice.text)
                                    }
                                    p { (choice.feedback) }
                                }
                                p { a.button href={ "#" (part(way)) } { (label) } }
                            }
                        }
                    }
                    @for end in &scenario.ends {
                        section.sc-part id=(part(&end.id)) {
                            div.end .won[end.win] .lost[!end.win] {
                                p.end-title { @if end.win { "✓ " (p.won()) } @else { (p.lost()) } }
                                p { (end.text) }
                            }
                            p { a.button .quiet[end.win] href={ "#" (part(&first.id)) } { (p.try_again()) } }
                        }
                    }
                    // Last, so that any part targeted before it hides it.
                    (file_step(scenario, first, &part, p, true))
                }
            }
        }
    }
}

/// A step in the file: its screen, the question, the choices as links to their feedback,
/// and a typed value as a link on (a box to type in with script).
fn file_step(
    scenario: &Scenario,
    step: &Step,
    part: &dyn Fn(&str) -> String,
    p: &PracticeUi,
    first: bool,
) -> Markup {
    let id = part(&step.id);
    html! {
        section.sc-part .sc-first[first] id=(id) {
            (screen(scenario.kind, step, p, None))
            div.ask { p.q { (step.ask) } }
            @if let Some(input) = &step.input {
                form.typed.sc-typed hidden data-expect=(input.expect) data-next={ "#" (part(&input.next)) } {
                    label for={ (id) "_go" } { (input.label) }
                    p.field-error id={ (id) "_error" } role="alert" hidden { (input.error) }
                    input id={ (id) "_go" } type="text" autocomplete="off" aria-describedby={ (id) "_error" };
                    button.button type="submit" { (p.send()) }
                }
                p.sc-type-link { a.button.quiet href={ "#" (part(&input.next)) } { (p.type_value(&input.expect)) } }
            }
            @if !step.choices.is_empty() {
                ul.sc-choices {
                    @for (i, choice) in step.choices.iter().enumerate() {
                        li { a.choice-link href={ "#" (part(&format!("{}_{i}", step.id))) } { (choice.text) } }
                    }
                }
            }
        }
    }
}

/// A practice scenario on paper: its steps along the careful path, each screen drawn, its
/// question with the choices to tick and a line to write a typed value on. No answers: they
/// are in `answer_key`.
fn paper_scenario(practice: &Practice, lang: Lang) -> Markup {
    let p = &ui(lang).practice;
    let (shown, scenario) = practice.versions.pick(lang);
    let (path, _) = scenario.careful_path();
    html! {
        article.exercise {
            h2 { (scenario.title) }
            p.meta { (p.heading()) " · " (p.kind(scenario.kind.code())) }
            div lang=(shown.code()) {
                p.lead { (scenario.intro) }
                p { (p.exercise_how()) }
                ol.exercise-steps {
                    @for (k, step) in path.iter().enumerate() {
                        li.exercise-step {
                            h3 { (p.step_n(k + 1)) }
                            (screen(scenario.kind, step, p, None))
                            p.q { (step.ask) }
                            @if !step.choices.is_empty() {
                                ul.boxes {
                                    @for choice in &step.choices { li { "☐ " (choice.text) } }
                                }
                            }
                            @if let Some(input) = &step.input {
                                p.write-label { (input.label) ":" }
                                div.write-line {}
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The scenarios' answers, for the facilitator, on a part of its own to cut or fold away:
/// each step of the careful path with its right choices and why (their feedback), or the
/// value to type, then the end it reaches.
fn answer_key(practices: &[Practice], lang: Lang) -> Markup {
    let p = &ui(lang).practice;
    html! {
        section.answer-key {
            p.cut-here { (p.cut_here()) }
            h2 { (p.answer_key()) }
            @for practice in practices {
                @let (shown, scenario) = practice.versions.pick(lang);
                @let (path, end) = scenario.careful_path();
                h3 { (scenario.title) }
                ol.key lang=(shown.code()) {
                    @for (k, step) in path.iter().enumerate() {
                        li {
                            strong { (p.step_n(k + 1)) ": " }
                            @let right: Vec<_> = step.choices.iter().filter(|c| c.right).collect();
                            @if right.is_empty() {
                                @if let Some(input) = &step.input { (p.type_value(&input.expect)) }
                            }
                            @for choice in right {
                                span.key-choice { "☑ " (choice.text) } " — " span.why { (choice.feedback) } " "
                            }
                        }
                    }
                }
                @if let Some(end) = end { p.key-end lang=(shown.code()) { (end.text) } }
            }
        }
    }
}

/// The quiz on paper: each choice with a box to tick, no answers.
fn paper_quiz(quiz: &[Question], shown: Lang, ui: &Ui) -> Markup {
    html! {
        section.paper-quiz {
            h3 { (ui.self_check()) }
            p { (ui.write_answer()) }
            ol lang=(shown.code()) {
                @for question in quiz {
                    li {
                        p.q { (question.question) }
                        ul.boxes {
                            @for choice in &question.choices { li { "☐ " (choice) } }
                        }
                    }
                }
            }
        }
    }
}

/// `slide` with every `src="/assets/…"` picture replaced by a `data:` URL of its bytes.
fn inline_pictures(assets: &AssetStore, slide: &str) -> String {
    const SRC: &str = "src=\"";
    let mut out = String::with_capacity(slide.len());
    let mut rest = slide;
    while let Some(at) = rest.find(SRC) {
        let (before, after) = rest.split_at(at + SRC.len());
        out.push_str(before);
        let end = after.find('"').unwrap_or(after.len());
        let url = &after[..end];
        match assets.at_url(url) {
            Some((bytes, media_type)) => {
                out.push_str("data:");
                out.push_str(media_type);
                out.push_str(";base64,");
                out.push_str(&base64::engine::general_purpose::STANDARD.encode(bytes));
            }
            None => out.push_str(url),
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

async fn print_lesson(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((module_id, slug)): Path<(String, String)>,
) -> Result<Markup, Error> {
    let (_, lesson) = find_lesson(&state, &module_id, &slug)?;
    let lang = visitor.lang;
    let title = &lesson.heading(lang).title;
    Ok(handout(
        &state,
        &visitor,
        title,
        std::slice::from_ref(lesson),
        None,
        &[],
    ))
}

async fn print_module(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(module_id): Path<String>,
) -> Result<Markup, Error> {
    let module = state.catalogue.module(&module_id).ok_or(Error::NotFound)?;
    let text = module.text.get(visitor.lang);
    Ok(handout(
        &state,
        &visitor,
        &text.title,
        &module.lessons,
        Some(&text.summary),
        &module.practice,
    ))
}

/// The A4 handout of `lessons` and `practices`: on screen a note on how to print; on paper
/// only the text, the exercises, and their answer key last on a page of its own.
fn handout(
    state: &AppState,
    visitor: &Visitor,
    title: &str,
    lessons: &[Lesson],
    summary: Option<&str>,
    practices: &[Practice],
) -> Markup {
    let lang = visitor.lang;
    let ui = ui(lang);
    let extras = Extras {
        body_class: Some("handout-page"),
        ..Extras::default()
    };
    page_with(
        state,
        lang,
        visitor.learner.as_ref(),
        title,
        html! {
            p.note.no-print { (ui.print_how()) }
            @if lessons.len() > 1 {
                h1 { (title) }
                @if let Some(summary) = summary { p.lead { (summary) } }
            }
            @for lesson in lessons {
                (lesson_body(&state.assets, lesson, lang, ui, None, Ending::Paper, lessons.len() == 1))
            }
            @for practice in practices {
                (paper_scenario(practice, lang))
            }
            @if !practices.is_empty() {
                (answer_key(practices, lang))
            }
        },
        &extras,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choice_hashes_are_fnv_1a() {
        // Published FNV-1a 32-bit values.
        assert_eq!(fnv1a(""), 0x811c_9dc5);
        assert_eq!(fnv1a("a"), 0xe40c_292c);
        assert_eq!(fnv1a("foobar"), 0xbf9c_f968);
        assert_eq!(
            choice_hash("m/l", 0, 2),
            format!("{:08x}", fnv1a("m/l|0|2"))
        );
        assert_ne!(choice_hash("m/l", 0, 2), choice_hash("m/l", 0, 1));
    }
}
