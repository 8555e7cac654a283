//! The phone's screen of a live lesson: joining with the code (`/live`), following the
//! class (`/live/{id}`, its part and its event stream) and answering the question on show,
//! its choices lettered as on the projector; once the answer is shown, whether this phone's
//! was right; at the end, its score.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, PreEscaped, html};
use serde::Deserialize;

use super::running::Running;
use super::{RELOAD, lesson_of, letter, stream};
use crate::content::Lang;
use crate::facilitate::live::{AnswerRefused, How, Live, Step};
use crate::store::{Learner, LiveAnswer};
use crate::web::extract::AppForm;
use crate::web::i18n::ui;
use crate::web::pages::layout::{Extras, page_with};
use crate::web::session::SignedIn;
use crate::web::{AppState, Error, complete};

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct CodeForm {
    code: String,
}

pub(super) fn join_page(
    state: &AppState,
    signed_in: &SignedIn,
    code: &str,
    problem: Option<&str>,
) -> Markup {
    let ui = ui(signed_in.lang);
    page_with(
        state,
        signed_in.lang,
        Some(&signed_in.learner),
        ui.live_title(),
        html! {
            h1 { (ui.live_title()) }
            p.lead { (ui.live_intro()) }
            @if let Some(problem) = problem { p.note.error role="alert" { "⚠ " (problem) } }
            form.stack method="post" action="/live" {
                label for="code" { (ui.live_code()) }
                input #code type="text" name="code" value=(code) inputmode="numeric" pattern="[0-9]{4}"
                    maxlength="4" autocomplete="off" required autofocus;
                button.button type="submit" { (ui.live_join()) }
            }
        },
        &Extras::default(),
    )
}

pub(super) async fn join_form(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Query(form): Query<CodeForm>,
) -> Markup {
    join_page(&state, &signed_in, &form.code, None)
}

pub(super) async fn join(
    State(state): State<AppState>,
    signed_in: SignedIn,
    AppForm(form): AppForm<CodeForm>,
) -> Result<Response, Error> {
    let ui = ui(signed_in.lang);
    let code: String = form.code.chars().filter(char::is_ascii_digit).collect();
    let refuse = |problem: &str| {
        complete(
            StatusCode::BAD_REQUEST,
            join_page(&state, &signed_in, &form.code, Some(problem)),
        )
    };
    let Some(running) = state.live.by_code(&state, &code).await? else {
        return Ok(refuse(ui.live_no_code()));
    };
    let live = running.now();
    let learner = &signed_in.learner;
    if let Some(group) = &live.group_id {
        let members = state.store.group_members(group).await?;
        if !members.iter().any(|m| m.id == learner.id) {
            let name = state.store.group(group).await?.map(|g| g.name);
            return Ok(refuse(&ui.live_not_in_group(&name.unwrap_or_default())));
        }
    }
    if !state
        .store
        .live_presence(&live.id, &learner.id, Some(How::Joined.code()))
        .await?
    {
        return Ok(refuse(ui.live_no_code()));
    }
    running.change(false, |live| {
        // A learner ticked by hand who then joins keeps the tick's record: both mean present.
        live.present
            .entry(learner.id.clone())
            .or_insert(How::Joined);
        true
    });
    Ok(Redirect::to(&format!("/live/{}", live.id)).into_response())
}

/// The session a learner's phone asks about; only for learners in it.
pub(super) async fn joined(
    state: &AppState,
    id: &str,
    learner: &Learner,
) -> Result<std::sync::Arc<Running>, Error> {
    let running = state.live.get(state, id).await?;
    if running.read(|live| live.present.contains_key(&learner.id)) {
        Ok(running)
    } else {
        Err(Error::NotFound)
    }
}

/// What a phone shows of the class now: the slide, the question to answer, or the end.
pub(super) fn phone_part(
    state: &AppState,
    live: &Live,
    lang: Lang,
    learner: &Learner,
) -> Result<Markup, Error> {
    let ui = ui(lang);
    let lesson = lesson_of(state, live)?;
    let version = lesson.versions.get(lang);
    if live.ended {
        // A lesson's questions, scored as the end recorded them (the Vietnamese quiz: a
        // translation has the same answers).
        let questions = &lesson.versions.get(Lang::Vi).quiz;
        let score = (live.practice.is_none() && !questions.is_empty())
            .then(|| live.score_of(&learner.id, questions));
        return Ok(html! {
            h2 { (ui.live_ended()) }
            @if let Some((right, total)) = score {
                p.live-score role="status" { (ui.live_score(right, total)) }
            }
            p.lead { (ui.live_ended_detail()) }
            p { a.button href="/me" { (ui.me_title()) } }
        });
    }
    if let Some((_, scenario)) = super::room::scenario_of(state, live) {
        return Ok(super::room::phone(live, scenario, lang, learner));
    }
    Ok(match live.current() {
        Step::Slide(i) => html! {
            p.meta { (ui.live_step(i + 1, live.slides)) " · " (ui.live_follow()) }
            section.slide-now { (PreEscaped(version.slides.get(i).map_or("", String::as_str))) }
        },
        // The lesson lost this question (a content pack changed it): wait for the next step.
        Step::Question(q) if q >= version.quiz.len() => html! {
            p.meta { (ui.live_question(q + 1, live.choices.len())) " · " (ui.live_follow()) }
        },
        Step::Question(q) => {
            let question = &version.quiz[q];
            let mine = live.answers.get(&(learner.id.clone(), q)).copied();
            html! {
                p.meta { (ui.live_question(q + 1, live.choices.len())) }
                h2 { (question.question) }
                @if live.revealed {
                    @let right = letter(question.answer);
                    // This phone's own answer first: what its learner wants to know.
                    @match mine {
                        Some(c) if c == question.answer => p.verdict.right role="status" { "✓ " (ui.live_mine_right(right)) },
                        Some(c) => p.verdict.wrong role="status" { "✗ " (ui.live_mine_wrong(letter(c), right)) },
                        None => p.verdict role="status" { (ui.live_mine_none(right)) },
                    }
                    ul.choices {
                        @for (c, choice) in question.choices.iter().enumerate() {
                            li.right[c == question.answer].mine[mine == Some(c)] {
                                @if c == question.answer { "✓ " }
                                span.letter { (letter(c)) } " "
                                (choice)
                                @if mine == Some(c) { " · " (ui.live_your_answer()) }
                            }
                        }
                    }
                    p.explain { (question.explain) }
                } @else {
                    p { (ui.live_pick()) }
                    form method="post" action={ "/live/" (live.id) "/answer" } data-answer {
                        input type="hidden" name="q" value=(q);
                        @for (c, choice) in question.choices.iter().enumerate() {
                            button.choice-button.mine[mine == Some(c)] type="submit" name="choice" value=(c) {
                                span.letter { (letter(c)) } " " (choice)
                            }
                        }
                    }
                    @if mine.is_some() { p.note role="status" { "✓ " (ui.live_wait_reveal()) } }
                }
            }
        }
    })
}

/// Whether a page without script should reload itself: not while its learner has a question
/// still to answer (the reload would lose nothing, but would move the buttons under a finger).
pub(super) fn reloads(live: &Live, learner: &str) -> bool {
    match live.current() {
        Step::Question(q) if !live.ended && !live.revealed => {
            live.answers.contains_key(&(learner.to_string(), q))
        }
        _ => !live.ended,
    }
}

pub(super) async fn phone(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
) -> Result<Response, Error> {
    let Ok(running) = joined(&state, &id, &signed_in.learner).await else {
        return Ok(Redirect::to("/live").into_response());
    };
    let live = running.now();
    let ui = ui(signed_in.lang);
    let part = phone_part(&state, &live, signed_in.lang, &signed_in.learner)?;
    let lesson = lesson_of(&state, &live)?;
    let extras = Extras {
        script: Some("live.js"),
        refresh: reloads(&live, &signed_in.learner.id).then_some(RELOAD),
        ..Extras::default()
    };
    let (v, _) = running.versions();
    Ok(page_with(
        &state,
        signed_in.lang,
        Some(&signed_in.learner),
        ui.live_title(),
        html! {
            p.meta { (ui.live_title()) }
            @if live.practice.is_some() { h1 { (super::title(&state, &live)?) } }
            @else { h1 { (lesson.heading(signed_in.lang).title) } }
            div #now data-live data-v=(v) data-now={ "/live/" (live.id) "/now" } data-events={ "/live/" (live.id) "/events" } aria-live="polite" {
                (part)
            }
        },
        &extras,
    )
    .into_response())
}

pub(super) async fn phone_now(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
) -> Result<Markup, Error> {
    let running = joined(&state, &id, &signed_in.learner).await?;
    phone_part(&state, &running.now(), signed_in.lang, &signed_in.learner)
}

pub(super) async fn phone_events(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
) -> Result<Response, Error> {
    let running = joined(&state, &id, &signed_in.learner).await?;
    Ok(stream(&state, running.phones()))
}

#[derive(Deserialize)]
pub(super) struct AnswerForm {
    q: usize,
    choice: usize,
}

pub(super) async fn answer(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
    AppForm(form): AppForm<AnswerForm>,
) -> Result<Response, Error> {
    let learner = &signed_in.learner;
    let running = joined(&state, &id, learner).await?;
    let back = Redirect::to(&format!("/live/{id}")).into_response();
    if running.read(|live| live.practice.is_some()) {
        super::room::decide(&state, &running, learner, form.q, form.choice).await?;
        return Ok(back);
    }
    match running.read(|live| live.check_answer(&learner.id, form.q, form.choice)) {
        Ok(()) => {}
        // The class moved on, or the answer was shown, just before this phone sent: the
        // page shows where the class is now.
        Err(
            AnswerRefused::NotNow
            | AnswerRefused::Revealed
            | AnswerRefused::Ended
            | AnswerRefused::Decided,
        ) => {
            return Ok(back);
        }
        Err(AnswerRefused::NoSuchChoice | AnswerRefused::NotPresent) => {
            return Err(Error::BadRequest);
        }
    }
    let kept = LiveAnswer {
        learner_id: learner.id.clone(),
        question: form.q,
        choice: form.choice,
    };
    if state.store.live_answer(&id, kept).await? {
        running.change(false, |live| {
            live.answers
                .insert((learner.id.clone(), form.q), form.choice);
            true
        });
    }
    Ok(back)
}

// ---------------------------------------------------------------- the facilitator
