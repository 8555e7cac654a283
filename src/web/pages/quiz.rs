//! A lesson's quiz: the questions as a plain HTML form (no answers in it), graded on the box,
//! and the result with each answer right or wrong and why. A hidden attempt id makes a form
//! sent twice count once.

use std::collections::HashMap;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use maud::{Markup, html};

use super::layout::page;
use super::{find_lesson, lesson_url, overview, record};
use crate::content::{Lesson, Question};
use crate::learn::{Graded, grade};
use crate::web::extract::AppForm;
use crate::web::i18n::{Ui, ui};
use crate::web::session::SignedIn;
use crate::web::{AppState, Error, complete};

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/m/{module}/{lesson}/quiz", get(show).post(submit))
}

/// The lesson named in the path, if it has a quiz.
fn quiz_lesson<'a>(state: &'a AppState, module_id: &str, slug: &str) -> Result<&'a Lesson, Error> {
    let (_, lesson) = find_lesson(state, module_id, slug)?;
    match lesson
        .versions
        .get(crate::content::Lang::Vi)
        .quiz
        .is_empty()
    {
        true => Err(Error::NotFound),
        false => Ok(lesson),
    }
}

async fn show(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path((module_id, slug)): Path<(String, String)>,
) -> Result<Markup, Error> {
    let lesson = quiz_lesson(&state, &module_id, &slug)?;
    Ok(form_page(
        &state,
        &signed_in,
        lesson,
        &HashMap::new(),
        false,
    ))
}

/// The quiz form; `chosen` keeps what was picked when the form comes back with a question
/// left unanswered.
fn form_page(
    state: &AppState,
    signed_in: &SignedIn,
    lesson: &Lesson,
    chosen: &HashMap<usize, usize>,
    show_missing: bool,
) -> Markup {
    let lang = signed_in.lang;
    let ui = ui(lang);
    let (shown, version) = lesson.versions.pick(lang);
    let title = (ui.quiz_title)(&lesson.heading(lang).title);
    page(
        state,
        lang,
        Some(&signed_in.learner),
        &title,
        html! {
            nav.crumbs { a href=(lesson_url(lesson)) { "← " (lesson.heading(lang).title) } }
            h1 { (title) }
            @if show_missing {
                p.note.error role="alert" { (ui.quiz_missing) }
            } @else {
                p.lead { (ui.quiz_intro) }
            }
            form.quiz method="post" lang=(shown.code()) data-kind="quiz_submitted" data-lesson=(lesson.id) {
                input type="hidden" name="attempt" value=(uuid::Uuid::now_v7());
                @for (i, question) in version.quiz.iter().enumerate() {
                    @let missing = show_missing && !chosen.contains_key(&i);
                    fieldset.question .missing[missing] {
                        legend { (i + 1) ". " (question.question) }
                        @if missing { p.error-text { "⚠ " (ui.not_answered) } }
                        @for (j, choice) in question.choices.iter().enumerate() {
                            label.choice {
                                input type="radio" name={ "q" (i) } value=(j) required checked[chosen.get(&i) == Some(&j)];
                                span { (choice) }
                            }
                        }
                    }
                }
                button.button type="submit" { (ui.submit_answers) }
            }
        },
    )
}

async fn submit(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path((module_id, slug)): Path<(String, String)>,
    AppForm(fields): AppForm<Vec<(String, String)>>,
) -> Result<Response, Error> {
    let lesson = quiz_lesson(&state, &module_id, &slug)?;
    let (_, version) = lesson.versions.pick(signed_in.lang);
    let questions = &version.quiz;
    let mut chosen = HashMap::new();
    let mut attempt = None;
    for (name, value) in &fields {
        if name == "attempt" {
            attempt = uuid::Uuid::parse_str(value)
                .ok()
                .filter(|id| !id.is_nil() && !id.is_max());
        } else if let Some(i) = name.strip_prefix('q').and_then(|i| i.parse::<usize>().ok()) {
            let question = questions.get(i).ok_or(Error::BadRequest)?;
            let j = value.parse::<usize>().map_err(|_| Error::BadRequest)?;
            if j >= question.choices.len() {
                return Err(Error::BadRequest);
            }
            chosen.insert(i, j);
        }
    }
    if chosen.len() < questions.len() {
        let page = form_page(&state, &signed_in, lesson, &chosen, true);
        return Ok(complete(StatusCode::BAD_REQUEST, page));
    }
    let answers: Vec<usize> = (0..questions.len()).map(|i| chosen[&i]).collect();
    let graded = grade(questions, &answers).map_err(|_| Error::BadRequest)?;
    let change = graded.change();
    let payload =
        serde_json::json!({ "answers": answers, "score": graded.score, "total": graded.total });
    let id = attempt.unwrap_or_else(uuid::Uuid::now_v7);
    record(&state, &signed_in.learner, lesson, id, change, payload).await?;
    let best = overview(&state, &signed_in.learner)
        .await?
        .lesson(&lesson.id)
        .quiz
        .map(|q| (q.best, q.total));
    Ok(result_page(
        &state, &signed_in, lesson, questions, &answers, &graded, best,
    )
    .into_response())
}

fn result_page(
    state: &AppState,
    signed_in: &SignedIn,
    lesson: &Lesson,
    questions: &[Question],
    answers: &[usize],
    graded: &Graded,
    best: Option<(u32, u32)>,
) -> Markup {
    let lang = signed_in.lang;
    let ui: &Ui = ui(lang);
    let shown = lesson.versions.pick(lang).0;
    let next = state.catalogue.neighbours(&lesson.id).1;
    page(
        state,
        lang,
        Some(&signed_in.learner),
        ui.quiz_result,
        html! {
            nav.crumbs { a href=(lesson_url(lesson)) { "← " (lesson.heading(lang).title) } }
            h1 { (ui.quiz_result) }
            p.score .passed[graded.passed()] { ((ui.score)(graded.score, graded.total)) }
            p.lead { @if graded.passed() { (ui.quiz_passed) } @else { (ui.quiz_not_passed) } }
            @if let Some((best, total)) = best {
                p.meta { ((ui.best_score)(best, total)) }
            }
            ol.answers lang=(shown.code()) {
                @for (i, question) in questions.iter().enumerate() {
                    @let right = graded.right[i];
                    li .right[right] .wrong[!right] {
                        p.q { (question.question) }
                        p {
                            @if right { span.mark { "✓ " (ui.right) ": " } } @else { span.mark { "✗ " (ui.wrong) ": " } }
                            (question.choices[answers[i]])
                        }
                        @if !right {
                            p { (ui.right_answer) ": " strong { (question.choices[question.answer]) } }
                        }
                        @if !question.explain.is_empty() {
                            p.explain { (question.explain) }
                        }
                    }
                }
            }
            p.actions {
                @if let (true, Some(next)) = (graded.passed(), next) {
                    a.button href=(lesson_url(next)) { (ui.next) ": " (next.heading(lang).title) }
                }
                a.button.quiet href={ (lesson_url(lesson)) "/quiz" } { (ui.try_again) }
                @if !graded.passed() {
                    a.button.quiet href=(lesson_url(lesson)) { (ui.read_again) }
                }
                a.button.quiet href="/me" { (ui.my_progress) }
            }
        },
    )
}
