//! A lesson's quiz: the questions as a plain HTML form (no answers in it), graded on the box,
//! and the result with each answer right or wrong and why.
//!
//! Each attempt has an id, in the page's address (`?a=…`) and hidden in the form. The id
//! decides which questions it asks and the order of their choices (`learn::Attempt`), so a
//! reload shows the same page, and a form sent twice counts once. `/quiz` alone starts a new
//! attempt; "Làm lại" (`?after=…`) starts one that asks the questions the last left out, where
//! the lesson has more than it asks, each in a new order. Choices are sent as the lesson file
//! numbers them, whatever order they were shown in.
//!
//! A sent form is answered with a redirect to the attempt's result page
//! (`/m/{module}/{lesson}/ket-qua/{attempt}`, a GET), drawn from the attempt's recorded event,
//! so a reload shows the result again and sends nothing. The event is looked for among the
//! signed-in learner's own: another learner's attempt id finds nothing (404).

use std::collections::HashMap;

use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use maud::{Markup, html};

use super::layout::page;
use super::{find_lesson, lesson_url, overview, record};
use crate::content::{Lesson, LessonVersion};
use crate::learn::{Attempt, Graded, grade_asked};
use crate::web::extract::AppForm;
use crate::web::i18n::{Ui, ui};
use crate::web::session::SignedIn;
use crate::web::{AppState, Error, complete};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/m/{module}/{lesson}/quiz", get(show).post(submit))
        .route("/m/{module}/{lesson}/ket-qua/{attempt}", get(result))
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

/// An attempt's id as a page or form gives it; `None` unless it is a real id.
fn attempt_id(text: &str) -> Option<uuid::Uuid> {
    uuid::Uuid::parse_str(text)
        .ok()
        .filter(|id| !id.is_nil() && !id.is_max())
}

fn plan(id: uuid::Uuid, version: &LessonVersion) -> Attempt {
    Attempt::plan(id, &version.quiz, version.ask)
}

/// The address of attempt `id`'s result.
pub(in crate::web) fn result_url(lesson: &Lesson, id: uuid::Uuid) -> String {
    format!("{}/ket-qua/{id}", lesson_url(lesson))
}

/// The address of attempt `id`.
fn attempt_url(lesson: &Lesson, id: uuid::Uuid) -> String {
    format!("{}/quiz?a={id}", lesson_url(lesson))
}

async fn show(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path((module_id, slug)): Path<(String, String)>,
    RawQuery(query): RawQuery,
) -> Result<Response, Error> {
    let lesson = quiz_lesson(&state, &module_id, &slug)?;
    let (mut attempt, mut after) = (None, None);
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(&query.unwrap_or_default()).unwrap_or_default();
    for (key, value) in pairs {
        match key.as_str() {
            "a" => attempt = attempt_id(&value),
            "after" => after = attempt_id(&value),
            _ => {}
        }
    }
    let Some(attempt) = attempt else {
        // A new attempt gets its id in the address, so a reload shows the same page.
        let (_, version) = lesson.versions.pick(signed_in.lang);
        let id = match after {
            Some(after) => plan(after, version).next(&version.quiz, version.ask),
            None => uuid::Uuid::now_v7(),
        };
        return Ok(Redirect::to(&attempt_url(lesson, id)).into_response());
    };
    Ok(form_page(&state, &signed_in, lesson, attempt, &HashMap::new(), false).into_response())
}

/// The quiz form; `chosen` (question → choice, as the file numbers them) keeps what was
/// picked when the form comes back with a question left unanswered.
fn form_page(
    state: &AppState,
    signed_in: &SignedIn,
    lesson: &Lesson,
    id: uuid::Uuid,
    chosen: &HashMap<usize, usize>,
    show_missing: bool,
) -> Markup {
    let lang = signed_in.lang;
    let ui = ui(lang);
    let (shown, version) = lesson.versions.pick(lang);
    let attempt = plan(id, version);
    let title = ui.quiz_title(&lesson.heading(lang).title);
    page(
        state,
        lang,
        Some(&signed_in.learner),
        &title,
        html! {
            nav.crumbs { a href=(lesson_url(lesson)) { "← " (lesson.heading(lang).title) } }
            h1 { (title) }
            @if show_missing {
                p.note.error role="alert" { (ui.quiz_missing()) }
            } @else {
                p.lead { (ui.quiz_intro()) }
            }
            form.quiz method="post" action=(attempt_url(lesson, id)) lang=(shown.code()) data-kind="quiz_submitted" data-lesson=(lesson.id)
                data-result=(result_url(lesson, id)) data-score=(ui.quiz_sent_score()) data-see=(ui.see_result()) {
                input type="hidden" name="attempt" value=(id);
                @for (n, shown) in attempt.questions.iter().enumerate() {
                    @let i = shown.question;
                    @let question = &version.quiz[i];
                    @let missing = show_missing && !chosen.contains_key(&i);
                    fieldset.question .missing[missing] data-q=(i) {
                        legend { (n + 1) ". " (question.question) }
                        @if missing { p.error-text { "⚠ " (ui.not_answered()) } }
                        @for &j in &shown.order {
                            label.choice {
                                input type="radio" name={ "q" (i) } value=(j) required checked[chosen.get(&i) == Some(&j)];
                                span { (question.choices[j]) }
                            }
                        }
                    }
                }
                button.button type="submit" { (ui.submit_answers()) }
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
            attempt = attempt_id(value);
        } else if let Some(i) = name.strip_prefix('q').and_then(|i| i.parse::<usize>().ok()) {
            let question = questions.get(i).ok_or(Error::BadRequest)?;
            let j = value.parse::<usize>().map_err(|_| Error::BadRequest)?;
            if j >= question.choices.len() {
                return Err(Error::BadRequest);
            }
            chosen.insert(i, j);
        }
    }
    let id = attempt.unwrap_or_else(uuid::Uuid::now_v7);
    let planned = plan(id, version).asked();
    // The attempt's questions; or all of them, from a form made before the lesson asked fewer.
    let asked = match (0..questions.len()).all(|i| chosen.contains_key(&i)) {
        true if !planned.iter().all(|i| chosen.contains_key(i)) => (0..questions.len()).collect(),
        _ => planned,
    };
    if !asked.iter().all(|i| chosen.contains_key(i)) {
        let page = form_page(&state, &signed_in, lesson, id, &chosen, true);
        return Ok(complete(StatusCode::BAD_REQUEST, page));
    }
    let answers: Vec<usize> = asked.iter().map(|i| chosen[i]).collect();
    let graded = grade_asked(questions, &asked, &answers).map_err(|_| Error::BadRequest)?;
    let change = graded.change();
    let payload = serde_json::json!({
        "questions": asked,
        "answers": answers,
        "score": graded.score,
        "total": graded.total,
    });
    record(&state, &signed_in.learner, lesson, id, change, payload).await?;
    Ok(Redirect::to(&result_url(lesson, id)).into_response())
}

/// The result of the signed-in learner's attempt `attempt` at this lesson's quiz, from the
/// event that recorded it.
async fn result(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path((module_id, slug, attempt)): Path<(String, String, String)>,
) -> Result<Response, Error> {
    let lesson = quiz_lesson(&state, &module_id, &slug)?;
    let id = attempt_id(&attempt).ok_or(Error::NotFound)?;
    let held = state
        .store
        .quiz_attempt(&signed_in.learner.id, &id.to_string())
        .await?
        .filter(|held| held.lesson_id == lesson.id)
        .ok_or(Error::NotFound)?;
    #[derive(serde::Deserialize)]
    struct Recorded {
        questions: Vec<usize>,
        answers: Vec<usize>,
    }
    let recorded: Recorded = serde_json::from_str(&held.payload).map_err(|_| Error::NotFound)?;
    let (_, version) = lesson.versions.pick(signed_in.lang);
    let graded = grade_asked(&version.quiz, &recorded.questions, &recorded.answers)
        .map_err(|_| Error::NotFound)?;
    let best = overview(&state, &signed_in.learner)
        .await?
        .lesson(&lesson.id)
        .quiz
        .map(|q| (q.best, q.total));
    let done = Done {
        attempt: id,
        asked: &recorded.questions,
        answers: &recorded.answers,
        graded: &graded,
        best,
    };
    Ok(result_page(&state, &signed_in, lesson, version, &done).into_response())
}

/// A graded attempt, as the result page shows it.
struct Done<'a> {
    attempt: uuid::Uuid,
    /// The questions asked (places in the quiz) and the choice given to each.
    asked: &'a [usize],
    answers: &'a [usize],
    graded: &'a Graded,
    /// The learner's best score at this quiz, this attempt included.
    best: Option<(u32, u32)>,
}

fn result_page(
    state: &AppState,
    signed_in: &SignedIn,
    lesson: &Lesson,
    version: &LessonVersion,
    done: &Done<'_>,
) -> Markup {
    let (graded, best) = (done.graded, done.best);
    let lang = signed_in.lang;
    let ui: &Ui = ui(lang);
    let shown = lesson.versions.pick(lang).0;
    let next = state.catalogue.neighbours(&lesson.id).1;
    page(
        state,
        lang,
        Some(&signed_in.learner),
        ui.quiz_result(),
        html! {
            nav.crumbs { a href=(lesson_url(lesson)) { "← " (lesson.heading(lang).title) } }
            h1 { (ui.quiz_result()) }
            p.score .passed[graded.passed()] { (ui.score(graded.score, graded.total)) }
            p.lead { @if graded.passed() { (ui.quiz_passed()) } @else { (ui.quiz_not_passed()) } }
            @if let Some((best, total)) = best {
                p.meta { (ui.best_score(best, total)) }
            }
            ol.answers lang=(shown.code()) {
                @for (n, &i) in done.asked.iter().enumerate() {
                    @let question = &version.quiz[i];
                    @let right = graded.right[n];
                    li .right[right] .wrong[!right] {
                        p.q { (question.question) }
                        p {
                            @if right { span.mark { "✓ " (ui.right()) ": " } } @else { span.mark { "✗ " (ui.wrong()) ": " } }
                            (question.choices[done.answers[n]])
                        }
                        @if !right {
                            p { (ui.right_answer()) ": " strong { (question.choices[question.answer]) } }
                        }
                        @if !question.explain.is_empty() {
                            p.explain { (question.explain) }
                        }
                    }
                }
            }
            p.actions {
                @if let (true, Some(next)) = (graded.passed(), next) {
                    a.button href=(lesson_url(next)) { (ui.next()) ": " (next.heading(lang).title) }
                }
                a.button.quiet href={ (lesson_url(lesson)) "/quiz?after=" (done.attempt) } { (ui.try_again()) }
                @if !graded.passed() {
                    a.button.quiet href=(lesson_url(lesson)) { (ui.read_again()) }
                }
                a.button.quiet href="/me" { (ui.my_progress()) }
            }
        },
    )
}
