//! Practice scenarios on a phone: a scenario's start page, each step as its own page (the
//! simulated screen, the question, the choices as buttons or the parts of the screen to tap,
//! a box to type in), a choice's feedback, and the end reached. Everything a run needs is in
//! the address, `/p/{module}/{slug}/{run}/{step}`, so a phone without JavaScript loses
//! nothing on back or reload; a signed-in learner's decisions are recorded
//! (`learn::practice`) and their run is kept on the box, to continue later.
//!
//! `screen` draws a step's simulated screen in HTML and CSS (`.phone` in `style.css`); the
//! projector's live scenario and the take-home file draw it the same way.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use maud::{Markup, PreEscaped, html};
use serde::Deserialize;

use super::layout::{Extras, page_with};
use super::{lesson_url, overview};
use crate::content::practice::{End, Kind, Scenario, Step};
use crate::content::{Lang, Practice};
use crate::learn::Overview;
use crate::learn::practice::{Answer, Move, answer};
use crate::web::extract::AppForm;
use crate::web::gzip;
use crate::web::i18n::{PracticeUi, ui};
use crate::web::session::Visitor;
use crate::web::{AppState, Error};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/p/{module}/{slug}", get(start))
        .route("/p/{module}/{slug}/{run}/{at}", get(at).post(decide))
        .route("/p/{module}/{slug}/{run}/{at}/{choice}", get(feedback))
}

/// Where a scenario begins: its first step, in a run of its own.
pub(crate) fn practice_url(practice: &Practice) -> String {
    format!("/p/{}", practice.id)
}

/// Scenarios as cards to open: title, kind, and for a signed-in learner whether done.
pub(super) fn cards<'a>(
    practices: impl IntoIterator<Item = &'a Practice>,
    overview: Option<&Overview>,
    lang: Lang,
) -> Markup {
    let p = &ui(lang).practice;
    html! {
        ul.practices {
            @for practice in practices {
                @let scenario = practice.versions.pick(lang).1;
                @let done = overview.is_some_and(|o| o.practice_done(&practice.id));
                li {
                    a.card href=(practice_url(practice)) {
                        span.card-text {
                            span.card-title { (scenario.title) }
                            span.meta {
                                @if done { span.tick { "✓ " (p.done()) " · " } }
                                (p.kind(scenario.kind.code()))
                            }
                        }
                    }
                }
            }
        }
    }
}

fn run_url(practice: &Practice, run: uuid::Uuid, at: &str) -> String {
    format!("/p/{}/{run}/{at}", practice.id)
}

fn find<'a>(state: &'a AppState, module: &str, slug: &str) -> Result<&'a Practice, Error> {
    state
        .catalogue
        .module(module)
        .and_then(|m| m.practice.iter().find(|p| p.slug == slug))
        .ok_or(Error::NotFound)
}

fn run_id(text: &str) -> Result<uuid::Uuid, Error> {
    uuid::Uuid::parse_str(text)
        .ok()
        .filter(|id| !id.is_nil() && !id.is_max())
        .ok_or(Error::NotFound)
}

/// The scenario's page: what it is about, and where to begin or go on.
async fn start(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((module, slug)): Path<(String, String)>,
) -> Result<Markup, Error> {
    let practice = find(&state, &module, &slug)?;
    let lang = visitor.lang;
    let ui = ui(lang);
    let p = &ui.practice;
    let (shown, scenario) = practice.versions.pick(lang);
    let kept = match &visitor.learner {
        Some(learner) => overview(&state, learner)
            .await?
            .practice(&practice.id)
            .cloned(),
        None => None,
    };
    // A run left on a step, to go on with.
    let unfinished = kept.as_ref().and_then(|k| {
        let run = uuid::Uuid::parse_str(&k.run_id).ok()?;
        scenario.steps.iter().any(|s| s.id == k.at).then_some(run)
    });
    let first = &scenario.steps[0].id;
    let begin = run_url(practice, uuid::Uuid::now_v7(), first);
    Ok(frame(
        &state,
        &visitor,
        practice,
        &scenario.title,
        html! {
            h1 { (scenario.title) }
            p.meta { (p.heading()) " · " (p.kind(scenario.kind.code())) }
            (notes(scenario, shown, lang, p))
            div.practice-intro lang=(shown.code()) data-read { p.lead { (scenario.intro) } }
            @if kept.as_ref().is_some_and(|k| k.won_at.is_some()) {
                p { span.tick { "✓ " } (p.done()) }
            }
            p.actions {
                @if let (Some(run), Some(k)) = (unfinished, &kept) {
                    a.button href=(run_url(practice, run, &k.at)) { (p.resume()) }
                    a.button.quiet href=(begin) { (p.restart()) }
                } @else {
                    a.button href=(begin) { (p.begin()) }
                }
            }
            @if visitor.learner.is_none() {
                p.meta { (ui.sign_in_to_save()) }
            }
        },
        false,
    ))
}

/// The simulation's notes: that nothing here is real; for a chat, that it is no real AI; and
/// when the scenario is shown in Vietnamese to someone reading another language, that too.
pub(in crate::web) fn notes(
    scenario: &Scenario,
    shown: Lang,
    lang: Lang,
    p: &PracticeUi,
) -> Markup {
    html! {
        p.note.simulated { (p.simulated()) }
        @if scenario.kind == Kind::Chat {
            p.note { (p.chat_note()) }
        }
        @if shown != lang {
            p.note { (ui(lang).not_translated()) }
        }
    }
}

/// Every practice page's frame: crumbs to the module and the lesson, the read-aloud button.
fn frame(
    state: &AppState,
    visitor: &Visitor,
    practice: &Practice,
    title: &str,
    main: Markup,
    pieces: bool,
) -> Markup {
    let lang = visitor.lang;
    let ui = ui(lang);
    let module = state.catalogue.module(&practice.module_id);
    let lesson = state.catalogue.lesson(&practice.lesson_id);
    let shown = practice.versions.pick(lang).0;
    let extras = Extras {
        script: Some("speech.js"),
        pieces,
        ..Extras::default()
    };
    page_with(
        state,
        lang,
        visitor.learner.as_ref(),
        title,
        html! {
            nav.crumbs {
                a href="/" { (ui.home()) }
                @if let Some(module) = module {
                    " › " a href={ "/m/" (module.id) } { (module.text.get(lang).title) }
                }
                @if let Some(lesson) = lesson {
                    " › " a href=(lesson_url(lesson)) { (lesson.heading(lang).title) }
                }
            }
            article.practice {
                div.listen {
                    button #read-aloud .button.quiet type="button" hidden
                        data-lang=(shown.code()) data-stop=(ui.stop_reading()) {
                        (ui.read_aloud())
                    }
                }
                (main)
            }
        },
        &extras,
    )
}

#[derive(Deserialize)]
struct AtQuery {
    /// Set after a typed value the form did not take: the step shows the form's error.
    #[serde(default)]
    sai: Option<String>,
}

/// A step of a run, or the end it reached.
async fn at(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((module, slug, run, at)): Path<(String, String, String, String)>,
    Query(query): Query<AtQuery>,
    headers: HeaderMap,
) -> Result<Response, Error> {
    let practice = find(&state, &module, &slug)?;
    // The run is only checked: the step is the same for every run, its forms post back here.
    run_id(&run)?;
    let (shown, scenario) = practice.versions.pick(visitor.lang);
    if let Some(end) = scenario.ends.iter().find(|e| e.id == at) {
        return Ok(end_page(&state, &visitor, practice, scenario, end)
            .await?
            .into_response());
    }
    let step = scenario
        .steps
        .iter()
        .find(|s| s.id == at)
        .ok_or(Error::NotFound)?;
    let p = &ui(visitor.lang).practice;
    let error = query
        .sai
        .is_some()
        .then(|| step.input.as_ref().map(|i| i.error.as_str()))
        .flatten();
    let page = frame(
        &state,
        &visitor,
        practice,
        &scenario.title,
        html! {
            h1.step-title { (scenario.title) }
            p.meta { (p.kind(scenario.kind.code())) }
            div lang=(shown.code()) {
                @if step.id == scenario.steps[0].id {
                    (notes(scenario, shown, visitor.lang, p))
                    p.practice-intro data-read { (scenario.intro) }
                }
                (screen(scenario.kind, step, p, Some(&Tapping { practice })))
                (question(practice, step, error, p))
            }
            (PreEscaped(gzip::FRESH))
            (decision_id(step))
            (PreEscaped(gzip::KEEP))
        },
        true,
    );
    // Drawn in pieces (see `web::gzip`): the forms' openings (the run, the decision's id) and
    // the top bar are made for this request; the screen, the question and the choices are the
    // same for every learner, kept compressed.
    Ok(gzip::answer(
        &page.into_string(),
        &headers,
        &state.kept_pieces,
    ))
}

/// The id this page draws for the decision, in each of the step's forms (the one sent counts):
/// a form sent twice, or again by the offline queue, counts once. Outside the forms (`form=`),
/// in one piece made for this request, so the rest of the page stays the same for everyone.
fn decision_id(step: &Step) -> Markup {
    let id = uuid::Uuid::now_v7();
    let forms = [
        (step.tap, "tap"),
        (step.input.is_some(), "type"),
        (!step.tap && !step.choices.is_empty(), "pick"),
    ];
    html! {
        @for (has, form) in forms {
            @if has { input type="hidden" name="id" form=(form) value=(id); }
        }
    }
}

/// What the tappable parts of a screen post to: a `tap = true` step's parts are its choices.
pub(in crate::web) struct Tapping<'a> {
    practice: &'a Practice,
}

/// The question and what the learner can do: the choices as buttons (a tap step's are on the
/// screen), and a form's box to type in. Forms name no action: they post to the step's own
/// address, which holds the run, so only the decision's id is drawn for this request.
fn question(practice: &Practice, step: &Step, error: Option<&str>, p: &PracticeUi) -> Markup {
    html! {
        div.ask {
            p.q data-read { (step.ask) }
            @if step.tap { p.meta { (p.tap_hint()) } }
        }
        @if let Some(input) = &step.input {
            form.typed #type method="post" data-kind="practice_step" data-scenario=(practice.id) data-lesson=(practice.lesson_id) data-step=(step.id) {
                label for="typed" { (input.label) }
                @if let Some(error) = error {
                    p.field-error #typed-error role="alert" { (error) }
                }
                input #typed type="text" name="typed" autocomplete="off" required
                    aria-invalid=[error.map(|_| "true")] aria-describedby=[error.map(|_| "typed-error")];
                button.button type="submit" { (p.send()) }
            }
        }
        @if !step.tap && !step.choices.is_empty() {
            form.choices-form #pick method="post" data-kind="practice_step" data-scenario=(practice.id) data-lesson=(practice.lesson_id) data-step=(step.id) {
                @for (i, choice) in step.choices.iter().enumerate() {
                    button.choice-button type="submit" name="choice" value=(i) data-read { (choice.text) }
                }
            }
        }
    }
}

/// A step's simulated screen, drawn as the kind's app would: a message thread, a call, a
/// public-service form, a bank's transfer, a practice chat, a settings page. With `tapping`,
/// a tap step's parts are buttons that choose them.
pub(in crate::web) fn screen(
    kind: Kind,
    step: &Step,
    p: &PracticeUi,
    tapping: Option<&Tapping<'_>>,
) -> Markup {
    let field = |name: &str| step.screen.get(name).map(String::as_str).unwrap_or("");
    let taps = step.tap && tapping.is_some();
    let body = html! {
        @match kind {
            Kind::Inbox => {
                div.app-bar { (p.messages()) }
                div.thread {
                    p.sender { span.avatar aria-hidden="true" { (initial(field("from"))) } (field("from")) }
                    div.bubble.them data-read { (tappable(field("message"), step, taps)) }
                }
            }
            Kind::Call => {
                div.call {
                    p.call-state { (p.incoming_call()) }
                    p.caller { (field("caller")) }
                    div.bubble.them.says data-read { "“" (field("says")) "”" }
                    div.call-buttons aria-hidden="true" { span.hang { "✆" } span.pick { "✆" } }
                }
            }
            Kind::Form => {
                (notification(step, p, taps))
                div.app-bar.portal { (field("form")) }
                (items(step, taps, true))
            }
            Kind::Pay => {
                (notification(step, p, taps))
                div.app-bar.bank { (p.bank()) }
                dl.transfer data-read {
                    dt { (p.shop()) } dd { (field("shop")) }
                    dt { (p.receiver()) } dd.receiver { (field("account")) }
                    dt { (p.amount()) } dd.amount { (field("amount")) }
                }
            }
            Kind::Chat => {
                div.app-bar.chatbot { (p.practice_chat()) }
                div.thread {
                    div.bubble.me data-read { (field("asked")) }
                    div.bubble.them data-read { (field("reply")) }
                }
            }
            Kind::Settings => {
                div.app-bar.settings { "⚙ " (field("screen")) }
                (items(step, taps, false))
            }
        }
    };
    match (taps, tapping) {
        (true, Some(t)) => html! {
            form.phone.tap #tap method="post" aria-label=(p.screen_label())
                data-kind="practice_step" data-scenario=(t.practice.id) data-lesson=(t.practice.lesson_id) data-step=(step.id) {
                (body)
            }
        },
        _ => html! { div.phone role="group" aria-label=(p.screen_label()) { (body) } },
    }
}

fn initial(name: &str) -> String {
    name.chars()
        .find(|c| c.is_alphanumeric())
        .map_or_else(String::new, |c| c.to_uppercase().collect())
}

/// An SMS on top of a form or a payment, as a phone's notification.
fn notification(step: &Step, p: &PracticeUi, taps: bool) -> Markup {
    html! {
        @if let Some(message) = step.screen.get("message") {
            div.notice role="note" aria-label=(p.new_message()) {
                p.sender { "✉ " (step.screen.get("from").map(String::as_str).unwrap_or("")) }
                p data-read { (tappable(message, step, taps)) }
            }
        }
    }
}

/// A form's fields (`Label: value`) or a settings page's rows; a tap step's rows are buttons.
fn items(step: &Step, taps: bool, form: bool) -> Markup {
    html! {
        ul.items .fields[form] {
            @for item in &step.items {
                @let choice = step.choices.iter().position(|c| taps && c.text == *item);
                @let (label, value) = item.split_once(": ").map_or((item.as_str(), None), |(l, v)| (l, Some(v)));
                li data-read {
                    @match choice {
                        Some(i) => {
                            button.tap-row type="submit" name="choice" value=(i) {
                                span.label { (label) } @if let Some(v) = value { span.sep { ": " } span.value { (v) } }
                            }
                        }
                        None => { span.label { (label) } @if let Some(v) = value { span.sep { ": " } span.value { (v) } } }
                    }
                }
            }
        }
    }
}

/// A message's text with its parts to tap as buttons (each part where it first appears).
fn tappable(text: &str, step: &Step, taps: bool) -> Markup {
    if !taps {
        return html! { (text) };
    }
    let mut parts: Vec<(usize, usize, usize)> = step
        .choices
        .iter()
        .enumerate()
        .filter_map(|(i, c)| text.find(&c.text).map(|at| (at, at + c.text.len(), i)))
        .collect();
    parts.sort();
    // Plain text, then a part to tap, in turn; a part overlapping the one before is left plain.
    let mut pieces: Vec<(&str, Option<usize>)> = Vec::new();
    let mut at = 0;
    for (start, end, i) in parts {
        if start >= at {
            pieces.push((&text[at..start], None));
            pieces.push((&text[start..end], Some(i)));
            at = end;
        }
    }
    pieces.push((&text[at..], None));
    html! {
        @for (piece, choice) in pieces {
            @match choice {
                Some(i) => { button.tap-part type="submit" name="choice" value=(i) { (piece) } }
                None => { (piece) }
            }
        }
    }
}

/// A choice made on a step: records it for a signed-in learner, then shows its feedback (a
/// right typed value goes straight on, a wrong one back to the box with the form's error).
async fn decide(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((module, slug, run, at)): Path<(String, String, String, String)>,
    AppForm(fields): AppForm<Vec<(String, String)>>,
) -> Result<Response, Error> {
    let practice = find(&state, &module, &slug)?;
    let run = run_id(&run)?;
    let scenario = practice.versions.get(Lang::Vi);
    let field = |name: &str| {
        fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    let given = match (field("choice"), field("typed")) {
        (Some(choice), _) => Answer::Choice(choice.parse().map_err(|_| Error::BadRequest)?),
        (None, Some(typed)) => Answer::Typed(typed.chars().take(200).collect()),
        (None, None) => return Err(Error::BadRequest),
    };
    let moved: Move = answer(scenario, &at, given).map_err(|_| Error::BadRequest)?;
    if let Some(learner) = &visitor.learner {
        let id = field("id")
            .and_then(|v| uuid::Uuid::parse_str(v).ok())
            .filter(|id| !id.is_nil() && !id.is_max())
            .unwrap_or_else(uuid::Uuid::now_v7);
        let events = moved.events(
            id,
            run,
            &practice.id,
            &practice.lesson_id,
            &learner.id,
            &state.store.now(),
        );
        state.store.record_events(events).await?;
    }
    let to = match &moved.answer {
        Answer::Choice(i) => format!("{}/{i}", run_url(practice, run, &at)),
        Answer::Typed(_) if moved.right => run_url(practice, run, moved.next),
        Answer::Typed(_) => format!("{}?sai=1", run_url(practice, run, &at)),
    };
    Ok(Redirect::to(&to).into_response())
}

/// What a choice on a step leads to: the screen as it was, the choice, its feedback, and the
/// way on.
async fn feedback(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((module, slug, run, at, choice)): Path<(String, String, String, String, String)>,
    headers: HeaderMap,
) -> Result<Response, Error> {
    let practice = find(&state, &module, &slug)?;
    run_id(&run)?;
    let (shown, scenario) = practice.versions.pick(visitor.lang);
    let i: usize = choice.parse().map_err(|_| Error::NotFound)?;
    let moved = answer(scenario, &at, Answer::Choice(i)).map_err(|_| Error::NotFound)?;
    let step = moved.step;
    let chosen = &step.choices[i];
    let p = &ui(visitor.lang).practice;
    // The way on is relative (`../{next}` from `/p/…/{run}/{step}/{choice}`): the page is
    // then the same for every run, kept compressed whole but for the top bar.
    let (label, way) = match (moved.end, moved.next == step.id) {
        (Some(_), _) => (p.see_end(), format!("../{}", moved.next)),
        (None, true) => (p.try_step_again(), format!("../{}", step.id)),
        (None, false) => (p.go_on(), format!("../{}", moved.next)),
    };
    let page = frame(
        &state,
        &visitor,
        practice,
        &scenario.title,
        html! {
            h1.step-title { (scenario.title) }
            p.meta { (p.kind(scenario.kind.code())) }
            div lang=(shown.code()) {
                (screen(scenario.kind, step, p, None))
                div.ask { p.q data-read { (step.ask) } }
                div.feedback .right[chosen.right] .wrong[!chosen.right] role="status" {
                    p.chosen data-read {
                        span.mark { @if chosen.right { "✓ " (p.right()) } @else { "✗ " (p.wrong()) } } ": " (chosen.text)
                    }
                    p data-read { (chosen.feedback) }
                }
            }
            p { a.button href=(way) autofocus { (label) } }
        },
        true,
    );
    // In pieces, as a step is: only the top bar is this request's.
    Ok(gzip::answer(
        &page.into_string(),
        &headers,
        &state.kept_pieces,
    ))
}

/// The end a run reached: kept safe or what the mistake cost, and where to go from here.
async fn end_page(
    state: &AppState,
    visitor: &Visitor,
    practice: &Practice,
    scenario: &Scenario,
    end: &End,
) -> Result<Markup, Error> {
    let lang = visitor.lang;
    let ui = ui(lang);
    let p = &ui.practice;
    let shown = practice.versions.pick(lang).0;
    let lesson = state.catalogue.lesson(&practice.lesson_id);
    let next = match &visitor.learner {
        Some(learner) => overview(state, learner)
            .await?
            .next_practice
            .filter(|id| *id != practice.id),
        None => None,
    }
    .and_then(|id| state.catalogue.practice(&id));
    let again = run_url(practice, uuid::Uuid::now_v7(), &scenario.steps[0].id);
    Ok(frame(
        state,
        visitor,
        practice,
        &scenario.title,
        html! {
            h1.step-title { (scenario.title) }
            div.end .won[end.win] .lost[!end.win] lang=(shown.code()) {
                p.end-title data-read { @if end.win { "✓ " (p.won()) } @else { (p.lost()) } }
                p data-read { (end.text) }
            }
            p.actions {
                @if let (true, Some(next)) = (end.win, next) {
                    a.button href=(practice_url(next)) { (p.next_practice()) ": " (next.versions.pick(lang).1.title) }
                }
                a.button .quiet[end.win] href=(again) { (p.try_again()) }
                @if let Some(lesson) = lesson {
                    a.button.quiet href=(lesson_url(lesson)) { (p.back_to_lesson()) }
                }
                @if visitor.learner.is_some() {
                    a.button.quiet href="/me" { (ui.my_progress()) }
                }
            }
        },
        false,
    ))
}
