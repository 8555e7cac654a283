//! The facilitator's screen of a live lesson: starting one for a group and a lesson
//! (`/f/live`), the control page that moves the class (`/f/live/{id}`: next, back, reveal,
//! attendance by hand) and ending it, which records the events `facilitate::live` says. A
//! lesson's practice scenarios are offered beside it ("Thực hành: …"), to run with the room.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;

use super::{controls, join_address, lesson_of};
use crate::content::Lang;
use crate::facilitate::live::{How, Live, Standing, Step};
use crate::store::Learner;
use crate::web::extract::AppForm;
use crate::web::i18n::{t, t_args, v};
use crate::web::pages::layout::{csrf_field, errors, facilitator_nav, tools_page};
use crate::web::session::Facilitating;
use crate::web::{AppState, Error, complete};

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct StartQuery {
    group: String,
}

pub(super) async fn start_page(
    state: &AppState,
    f: &Facilitating,
    group: &str,
    problem: Option<&str>,
) -> Result<Markup, Error> {
    let groups = state.store.groups().await?;
    let recent = state.store.recent_live_sessions(20).await?;
    Ok(tools_page(
        state,
        t("f-nav-live"),
        html! {
            (facilitator_nav(f))
            h1 { (t("f-nav-live")) }
            p.lead { (t("live-start-lead")) }
            (errors(&problem.into_iter().collect::<Vec<_>>()))
            form.stack method="post" action="/f/live" {
                (csrf_field(&f.csrf))
                label { (t("live-group"))
                    select name="group" {
                        option value="" { (t("live-everyone")) }
                        @for g in &groups {
                            option value=(g.id) selected[g.id == group] { (g.name) " (" (t_args("people-count", [("n", v(g.members))])) ")" }
                        }
                    }
                }
                label { (t("live-lesson-or-practice"))
                    select name="lesson" required {
                        @for module in &state.catalogue.modules {
                            optgroup label=(module.text.get(Lang::Vi).title) {
                                @for lesson in &module.lessons {
                                    option value=(lesson.id) { (lesson.heading(Lang::Vi).title) }
                                    @for practice in module.practice.iter().filter(|p| p.lesson_id == lesson.id) {
                                        option value={ (PRACTICE) (practice.id) } { (t("live-practice")) ": " (practice.versions.get(Lang::Vi).title) }
                                    }
                                }
                            }
                        }
                    }
                }
                button.button type="submit" { (t("live-start")) }
            }
            @if !recent.is_empty() {
                h2 { (t("live-recent")) }
                table.list {
                    thead { tr { th { (t("live-started")) } th { (t("live-lesson")) } th { (t("live-code-short")) } th.n { (t("live-present")) } th { "" } } }
                    tbody {
                        @for (record, present) in &recent {
                            tr {
                                td { (crate::clock::format::day(&record.started_at)) }
                                td { @match record.scenario_id.as_deref().and_then(|s| state.catalogue.practice(s)) {
                                    Some(practice) => { (t("live-practice")) ": " (practice.versions.get(Lang::Vi).title) },
                                    None => { (crate::web::pages::lesson_title(state, &record.lesson_id)) },
                                } }
                                td { @if record.ended_at.is_none() { strong { (record.code) } } @else { (t("live-ended-short")) } }
                                td.n { (present) }
                                td { a href={ "/f/live/" (record.id) } { (t("live-open")) } }
                            }
                        }
                    }
                }
            }
        },
    ))
}

pub(super) async fn start_form(
    State(state): State<AppState>,
    f: Facilitating,
    Query(query): Query<StartQuery>,
) -> Result<Markup, Error> {
    start_page(&state, &f, &query.group, None).await
}

/// What the start form's choice of a practice scenario begins with, before its id.
const PRACTICE: &str = "thuc-hanh:";

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct StartForm {
    group: String,
    lesson: String,
}

pub(super) async fn start(
    State(state): State<AppState>,
    f: Facilitating,
    AppForm(form): AppForm<StartForm>,
) -> Result<Response, Error> {
    // A scenario is `thuc-hanh:module/slug`; it runs from its first step, for its lesson.
    let wants_practice = form.lesson.starts_with(PRACTICE);
    let practice = form
        .lesson
        .strip_prefix(PRACTICE)
        .and_then(|id| state.catalogue.practice(id));
    let lesson = practice.map_or(form.lesson.as_str(), |p| p.lesson_id.as_str());
    let first = practice.and_then(|p| {
        let step = p.versions.get(Lang::Vi).steps.first()?;
        Some((p.id.as_str(), step.id.as_str()))
    });
    if state.catalogue.lesson(lesson).is_none() || (wants_practice && first.is_none()) {
        let page = start_page(&state, &f, &form.group, Some(t("live-pick-lesson"))).await?;
        return Ok(complete(StatusCode::BAD_REQUEST, page));
    }
    let group = match form.group.as_str() {
        "" => None,
        id => match state.store.group(id).await? {
            Some(group) => Some(group.id),
            None => {
                let page = start_page(&state, &f, "", Some(t("live-pick-group"))).await?;
                return Ok(complete(StatusCode::BAD_REQUEST, page));
            }
        },
    };
    let record = state
        .store
        .start_live(group, lesson, first, &f.facilitator.id, Live::new_code)
        .await?;
    Ok(Redirect::to(&format!("/f/live/{}", record.id)).into_response())
}

pub(super) async fn control(
    State(state): State<AppState>,
    f: Facilitating,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Markup, Error> {
    let running = state.live.get(&state, &id).await?;
    let live = running.now();
    let (group, members) = match &live.group_id {
        Some(group) => (
            state.store.group(group).await?.map(|g| g.name),
            state.store.group_members(group).await?,
        ),
        None => (None, Vec::new()),
    };
    // Everyone present who is not a member (an open session, or someone since removed).
    let mut others = Vec::new();
    for learner in live.present.keys() {
        if !members.iter().any(|m| &m.id == learner)
            && let Some(l) = state.store.learner(learner).await?
        {
            others.push(l);
        }
    }
    let people: Vec<&Learner> = members.iter().chain(&others).collect();
    Ok(tools_page(
        &state,
        t("f-nav-live"),
        html! {
            (facilitator_nav(&f))
            nav.crumbs { a href="/f/live" { "← " (t("f-nav-live")) } }
            h1 { (super::title(&state, &live)?) }
            @if live.province.is_some() {
                p.meta { (t("live-province-led")) }
            } @else {
                p.meta { (t("live-group")) ": " (group.as_deref().unwrap_or(t("live-everyone"))) }
            }
            @if live.ended {
                @if live.practice.is_some() {
                    p.note role="status" { (t_args("live-ended-practice", [("n", v(live.present.len()))])) }
                } @else {
                    p.note role="status" { (t_args("live-ended-lesson", [("n", v(live.present.len()))])) }
                }
            } @else {
                p { (t("live-join-before")) " " strong { (join_address(&headers)) } " " (t("live-join-after")) }
                p.big-code { (live.code) }
                p.actions {
                    a.button href={ "/present/" (live.id) } { (t("live-open-projector")) }
                }
                p.meta { (t("live-at")) ": " @match (&live.practice, live.current()) {
                    (Some(room), _) => { (t_args("live-at-step", [("step", v(live.step + 1))])) " (" (room.at) ")" }
                    (None, Step::Slide(i)) => { (t_args("live-at-slide", [("slide", v(i + 1)), ("slides", v(live.slides))])) }
                    (None, Step::Question(q)) => { (t_args("live-at-question", [("question", v(q + 1)), ("questions", v(live.choices.len()))])) }
                } }
                (controls(&state, &f, &live, "control"))
            }
            h2 { (t_args("live-attendance", [("n", v(live.present.len()))])) }
            @if people.is_empty() {
                p { (t("live-nobody")) }
            }
            table.list {
                tbody {
                    @for l in &people {
                        @let how = live.present.get(&l.id);
                        tr {
                            td { (l.display_name) " · " span.meta { (l.village) } }
                            td { @match how {
                                Some(How::Joined) => { "✓ " (t("live-joined-by-phone")) },
                                Some(How::Ticked) => { "✓ " (t("live-ticked")) },
                                None => { "—" },
                            } }
                            td {
                                @if !live.ended && how != Some(&How::Joined) {
                                    form.inline method="post" action={ "/f/live/" (live.id) "/tick" } {
                                        (csrf_field(&f.csrf))
                                        input type="hidden" name="learner" value=(l.id);
                                        @if how.is_some() {
                                            button.button.quiet type="submit" name="on" value="0" { (t("live-untick")) }
                                        } @else {
                                            button.button.quiet type="submit" name="on" value="1" { (t("live-present")) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            @if !live.ended {
                h2 { (t("live-end")) }
                @if live.practice.is_some() {
                    p { (t("live-end-practice-note")) }
                } @else {
                    p { (t("live-end-lesson-note")) }
                }
                form method="post" action={ "/f/live/" (live.id) "/end" } {
                    (csrf_field(&f.csrf))
                    button.button type="submit" { (t("live-end-lesson")) }
                }
            }
        },
    ))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct MoveForm {
    from: usize,
    to: Option<usize>,
    back: String,
}

pub(super) fn back_to(id: &str, back: &str) -> Response {
    let to = match back {
        "present" => format!("/present/{id}"),
        _ => format!("/f/live/{id}"),
    };
    Redirect::to(&to).into_response()
}

pub(super) async fn go(
    State(state): State<AppState>,
    _: Facilitating,
    Path(id): Path<String>,
    AppForm(form): AppForm<MoveForm>,
) -> Result<Response, Error> {
    let running = state.live.get(&state, &id).await?;
    let to = form.to.ok_or(Error::BadRequest)?;
    let _one_at_a_time = running.control.lock().await;
    let mut moved = running.now();
    // While the province leads, its steps move the class, not the hall's buttons.
    if moved.led_here() && moved.go(form.from, to) {
        state
            .store
            .live_step(&id, moved.step, moved.revealed)
            .await?;
        running.change(true, |live| live.go(form.from, to));
    }
    Ok(back_to(&id, &form.back))
}

pub(super) async fn reveal(
    State(state): State<AppState>,
    _: Facilitating,
    Path(id): Path<String>,
    AppForm(form): AppForm<MoveForm>,
) -> Result<Response, Error> {
    let running = state.live.get(&state, &id).await?;
    let _one_at_a_time = running.control.lock().await;
    let mut shown = running.now();
    // A scenario's room shows its choice only on a step, not at an end.
    let on_step = match super::room::scenario_of(&state, &shown) {
        Some((_, scenario)) => matches!(shown.standing(scenario), Standing::Step(_)),
        None => shown.practice.is_none(),
    };
    if on_step && shown.led_here() && shown.reveal(form.from) {
        state.store.live_step(&id, shown.step, true).await?;
        running.change(true, |live| live.reveal(form.from));
    }
    Ok(back_to(&id, &form.back))
}

#[derive(Deserialize)]
pub(super) struct TickForm {
    learner: String,
    on: u8,
}

pub(super) async fn tick(
    State(state): State<AppState>,
    _: Facilitating,
    Path(id): Path<String>,
    AppForm(form): AppForm<TickForm>,
) -> Result<Response, Error> {
    let running = state.live.get(&state, &id).await?;
    if state.store.learner(&form.learner).await?.is_none() {
        return Err(Error::BadRequest);
    }
    let _one_at_a_time = running.control.lock().await;
    let on = form.on == 1;
    let how = on.then_some(How::Ticked.code());
    if state.store.live_presence(&id, &form.learner, how).await? {
        running.change(false, |live| {
            if on {
                live.present
                    .entry(form.learner.clone())
                    .or_insert(How::Ticked);
            } else if live.present.get(&form.learner) == Some(&How::Ticked) {
                live.present.remove(&form.learner);
            }
            true
        });
    }
    Ok(back_to(&id, "control"))
}

/// Ends a session, once the facilitator said so twice: the first press asks ("Kết thúc buổi
/// học?"), with what ending records, and only a press of its "Kết thúc" (`sure=1`) ends.
pub(super) async fn end(
    State(state): State<AppState>,
    f: Facilitating,
    Path(id): Path<String>,
    AppForm(fields): AppForm<Vec<(String, String)>>,
) -> Result<Response, Error> {
    let running = state.live.get(&state, &id).await?;
    let sure = fields.iter().any(|(k, v)| k == "sure" && v == "1");
    if !sure && !running.now().ended {
        return Ok(tools_page(
            &state,
            t("live-end-sure"),
            html! {
                (facilitator_nav(&f))
                h1 { (t("live-end-sure")) }
                p.lead { (t("live-end-sure-note")) }
                form.inline method="post" action={ "/f/live/" (id) "/end" } {
                    (csrf_field(&f.csrf))
                    input type="hidden" name="sure" value="1";
                    button.button type="submit" { (t("live-end")) }
                }
                " "
                a.button.quiet href={ "/f/live/" (id) } { (t("live-back-to-session")) }
            },
        )
        .into_response());
    }
    finish(&state, &id).await?;
    Ok(back_to(&id, "control"))
}

/// Ends session `id` and records what its end records (attendance and answers, or the end
/// a practice room reached), once: a session ended already records nothing.
pub(super) async fn finish(state: &AppState, id: &str) -> Result<(), Error> {
    let running = state.live.get(state, id).await?;
    let _one_at_a_time = running.control.lock().await;
    let live = running.now();
    if !live.ended {
        let at = state.store.now();
        let events = if live.practice.is_some() {
            // The end the room reached, again, for anyone who joined after it (ids drawn
            // from the session and the learner: those recorded already are held once).
            match super::room::scenario_of(state, &live) {
                Some((practice, scenario)) => match live.standing(scenario) {
                    Standing::End(end) => live.end_events_of(practice, end, &at),
                    _ => Vec::new(),
                },
                None => Vec::new(),
            }
        } else {
            let lesson = lesson_of(state, &live)?;
            live.end_events(&lesson.versions.get(Lang::Vi).quiz, &at)
        };
        if state.store.end_live(id, events).await? {
            running.change(true, |live| {
                live.ended = true;
                true
            });
            state.live.forget(id);
        }
    }
    Ok(())
}
