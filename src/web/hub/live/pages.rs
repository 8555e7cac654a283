//! The officers' side of the province's live lesson: choosing a lesson and the communes and
//! starting (`/hub/live`), the presenter's screen (`/hub/live/{id}`: the slide or question
//! as the halls show it, the province's answers, how many halls and people follow and how
//! many lost their link, the buttons that move every hall), the halls one by one
//! (`/hub/live/{id}/halls`) and the end. Moves go through `hub::live::act`, then this
//! process tells its halls at once; other processes within a `LOOK`.

use std::collections::BTreeSet;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use maud::{Markup, html};
use serde::Deserialize;

use crate::clock::format;
use crate::content::Lang;
use crate::facilitate::live::{Live, Step};
use crate::hub::live::{Action, Figures, StartRefused, act, as_live, shape, start};
use crate::store::{HubLive, Scope};
use crate::web::extract::AppForm;
use crate::web::i18n::{t, t_args, v};
use crate::web::pages::layout::{csrf_field, errors, tools_page};
use crate::web::pages::live::{projector_page, question_counts, question_head, slide, stream};
use crate::web::session::Facilitating;
use crate::web::{AppState, Error, complete};

/// Behind the officers' guard (`web::hub::pages`).
pub(in crate::web::hub) fn routes() -> Router<AppState> {
    Router::new()
        .route("/hub/live", get(start_form).post(start_post))
        .route("/hub/live/{id}", get(present))
        .route("/hub/live/{id}/now", get(present_now))
        .route("/hub/live/{id}/events", get(present_events))
        .route("/hub/live/{id}/halls", get(halls))
        .route("/hub/live/{id}/go", post(go))
        .route("/hub/live/{id}/reveal", post(reveal))
        .route("/hub/live/{id}/total", post(total))
        .route("/hub/live/{id}/end", post(end))
}

fn scope_of(f: &Facilitating) -> Scope {
    Scope::of(f.facilitator.province.as_deref())
}

/// The session `id`, if this officer may lead it (their province's, or any for an officer
/// of every province).
async fn session_of(state: &AppState, f: &Facilitating, id: &str) -> Result<HubLive, Error> {
    let session = state.hub().live_session(id).await?.ok_or(Error::NotFound)?;
    match (&f.facilitator.province, &session.province) {
        (None, _) => Ok(session),
        (Some(mine), Some(its)) if mine == its => Ok(session),
        _ => Err(Error::NotFound),
    }
}

/// What the halls are, in words: every commune, or the ones named.
fn invited(session: &HubLive) -> String {
    let communes = match &session.communes {
        None => t("hlive-every-commune").to_string(),
        Some(names) => names.join(", "),
    };
    match &session.province {
        Some(p) if !p.is_empty() => format!("{communes} ({p})"),
        _ => communes,
    }
}

fn title(state: &AppState, session: &HubLive) -> String {
    crate::web::pages::lesson_title(state, &session.lesson_id).to_string()
}

async fn start_page(
    state: &AppState,
    f: &Facilitating,
    problem: Option<&str>,
) -> Result<Markup, Error> {
    let scope = scope_of(f);
    let boxes = state.hub().boxes(&scope).await?;
    let communes: BTreeSet<(String, String)> = boxes
        .iter()
        .map(|b| (b.province.clone(), b.commune.clone()))
        .collect();
    let provinces: BTreeSet<&str> = communes
        .iter()
        .map(|(p, _)| p.as_str())
        .filter(|p| !p.is_empty())
        .collect();
    let recent = state.hub().live_sessions(&scope, 10).await?;
    Ok(tools_page(
        state,
        t("hlive-title"),
        html! {
            (super::super::pages::nav(f))
            h1 { (t("hlive-title")) }
            p.lead { (t("hlive-lead")) }
            (errors(&problem.into_iter().collect::<Vec<_>>()))
            @for session in recent.iter().filter(|s| s.ended_at.is_none()) {
                p.note role="status" {
                    (t("hlive-running")) ": " strong { (title(state, session)) } " " (t("hlive-for")) " " (invited(session)) ". "
                    a.button href={ "/hub/live/" (session.id) } { (t("hlive-open-presenter")) }
                }
            }
            form.stack method="post" action="/hub/live" {
                (csrf_field(&f.csrf))
                label { (t("hlive-lesson"))
                    select name="lesson" required {
                        @for module in &state.catalogue.modules {
                            optgroup label=(module.text.get(Lang::Vi).title) {
                                @for lesson in &module.lessons {
                                    option value=(lesson.id) { (lesson.heading(Lang::Vi).title) }
                                }
                            }
                        }
                    }
                }
                @if f.facilitator.province.is_none() && provinces.len() > 1 {
                    label { (t("hub-province"))
                        select name="province" {
                            option value="" { (t("hlive-every-province")) }
                            @for p in &provinces { option value=(p) { (p) } }
                        }
                    }
                }
                fieldset {
                    legend { (t("hlive-halls")) }
                    label.choice { input type="radio" name="which" value="all" checked; " " (t_args("hlive-all-communes", [("n", v(communes.len()))])) }
                    label.choice { input type="radio" name="which" value="chosen"; " " (t("hlive-chosen-communes")) }
                    @for (province, commune) in &communes {
                        label.choice {
                            input type="checkbox" name="commune" value=(commune);
                            " " (commune)
                            @if provinces.len() > 1 { span.meta { " · " (province) } }
                        }
                    }
                }
                button.button type="submit" { (t("live-start")) }
            }
            @if recent.iter().any(|s| s.ended_at.is_some()) {
                h2 { (t("live-recent")) }
                table.list {
                    thead { tr { th { (t("live-started")) } th { (t("live-lesson")) } th { (t("hlive-halls-short")) } th { "" } } }
                    tbody {
                        @for s in recent.iter().filter(|s| s.ended_at.is_some()) {
                            tr {
                                td { (format::day(&s.started_at)) }
                                td { (title(state, s)) }
                                td { (invited(s)) }
                                td { a href={ "/hub/live/" (s.id) "/halls" } { (t("hlive-see")) } }
                            }
                        }
                    }
                }
            }
        },
    ))
}

async fn start_form(State(state): State<AppState>, f: Facilitating) -> Result<Markup, Error> {
    start_page(&state, &f, None).await
}

async fn start_post(
    State(state): State<AppState>,
    f: Facilitating,
    AppForm(fields): AppForm<Vec<(String, String)>>,
) -> Result<Response, Error> {
    let field = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    };
    let chosen: Vec<String> = fields
        .iter()
        .filter(|(k, _)| k == "commune")
        .map(|(_, v)| v.clone())
        .collect();
    let province = match &f.facilitator.province {
        Some(mine) => Some(mine.clone()),
        None => Some(field("province").to_string()).filter(|p| !p.is_empty()),
    };
    let communes = (field("which") == "chosen").then_some(chosen);
    let problem = match &communes {
        Some(c) if c.is_empty() => Some(t("hlive-mark-one").to_string()),
        _ => None,
    };
    let started = match problem {
        Some(problem) => Err(problem),
        None => start(
            state.hub(),
            &state.catalogue,
            field("lesson"),
            province.as_deref(),
            communes,
            &f.facilitator.name,
        )
        .await?
        .map_err(|refused| match refused {
            StartRefused::NoLesson(_) => t("live-pick-lesson").to_string(),
            StartRefused::NoCommune(name) => t_args("hlive-no-box", [("commune", v(name))]),
            StartRefused::Running => t("hlive-running-already").to_string(),
        }),
    };
    match started {
        Ok(session) => {
            state.province_live.moved();
            tracing::info!(session = %session.id, lesson = %session.lesson_id, "a province live lesson started");
            Ok(Redirect::to(&format!("/hub/live/{}", session.id)).into_response())
        }
        Err(problem) => {
            let page = start_page(&state, &f, Some(&problem)).await?;
            Ok(complete(StatusCode::BAD_REQUEST, page))
        }
    }
}

/// The session, its lesson as a live lesson keeps it, and the province's figures now.
async fn figures_of(state: &AppState, session: &HubLive) -> Result<(Live, Figures), Error> {
    let shape = shape(&state.catalogue, &session.lesson_id).ok_or(Error::NotFound)?;
    let live = as_live(session, shape.clone());
    let halls = state.hub().live_halls(&session.id).await?;
    Ok((
        live,
        Figures::of(halls, &shape.1, state.hub().clock().now()),
    ))
}

/// The buttons that move every hall, with the step they were pressed on.
fn controls(f: &Facilitating, session: &HubLive, live: &Live) -> Markup {
    let at = live.step;
    let button = |action: &str, to: Option<usize>, label: &str, enabled: bool, key: &str| {
        html! {
            form method="post" action={ "/hub/live/" (session.id) "/" (action) } {
                (csrf_field(&f.csrf))
                input type="hidden" name="from" value=(at);
                @if let Some(to) = to { input type="hidden" name="to" value=(to); }
                button.button.quiet[key != "next" && key != "reveal"] type="submit" disabled[!enabled] data-key=(key) { (label) }
            }
        }
    };
    let on_question = matches!(live.current(), Step::Question(_));
    html! {
        @if !live.ended {
            div.controls.no-print {
                (button("go", at.checked_sub(1), t("live-previous"), at > 0, "prev"))
                (button("go", Some(at + 1), t("live-next"), at + 1 < live.steps(), "next"))
                @if on_question {
                    (button("reveal", None, t("live-reveal"), !live.revealed, "reveal"))
                }
                form method="post" action={ "/hub/live/" (session.id) "/total" } {
                    (csrf_field(&f.csrf))
                    @if session.show_total {
                        input type="hidden" name="on" value="0";
                        button.button.quiet type="submit" { (t("hlive-hide-total")) }
                    } @else {
                        input type="hidden" name="on" value="1";
                        button.button.quiet type="submit" { (t("hlive-show-total")) }
                    }
                }
            }
        }
    }
}

/// The presenter's part: the province's bar, the slide or question with the province's
/// answers, and the buttons.
fn presenter_part(
    state: &AppState,
    f: &Facilitating,
    session: &HubLive,
    live: &Live,
    figures: &Figures,
) -> Result<Markup, Error> {
    let lesson = state
        .catalogue
        .lesson(&session.lesson_id)
        .ok_or(Error::NotFound)?;
    let version = lesson.versions.get(Lang::Vi);
    Ok(html! {
        div.join-bar {
            span { (t("hlive-online")) " · " (invited(session)) }
            span { strong { (figures.following) } " " (t("hlive-following")) " · " strong { (figures.people) } " " (t("present-people")) }
            @if figures.lost > 0 {
                span.lost {
                    a href={ "/hub/live/" (session.id) "/halls" } { (figures.lost) " " (t("hlive-lost")) }
                    // A few are named; more, on the halls' page.
                    @if figures.lost <= 3 {
                        ": " (lost_names(figures))
                    }
                }
            }
            @if figures.led_here > 0 {
                span { (figures.led_here) " " (t("hlive-led-here")) }
            }
        }
        @if live.ended {
            div.step {
                h1 { (t("present-ended")) }
                p.lead { (t_args("hlive-ended", [("n", v(figures.halls.len()))])) }
            }
        } @else {
            @match live.current() {
                Step::Slide(i) => {
                    h1.sep { (lesson.heading(Lang::Vi).title) }
                    (slide(version.slides.get(i).map_or("", String::as_str)))
                }
                Step::Question(q) if q >= version.quiz.len() => {
                    div.step { p.lead { (t("hlive-question-gone")) } }
                }
                Step::Question(q) => {
                    @let question = &version.quiz[q];
                    @let tally = figures.answers.get(q).cloned().unwrap_or_default();
                    @let answered: u32 = tally.iter().sum();
                    div.step.question {
                        (question_head(q, live.choices.len(), html! { strong { (answered) "/" (figures.people) } " " (t("hlive-answered")) }))
                        (question_counts(question, &tally, live.revealed, t("hlive-counts-label")))
                    }
                }
            }
        }
        div.strip.no-print {
            @if let (false, Step::Slide(i)) = (live.ended, live.current()) {
                p.meta { (t_args("present-page", [("page", v(i + 1)), ("pages", v(live.slides))])) }
            }
            (controls(f, session, live))
            p.meta { a href={ "/hub/live/" (session.id) "/halls" } { (t("hlive-to-halls")) } " · " (t("present-keys")) }
        }
    })
}

/// The communes of the halls that lost their link, in words.
fn lost_names(figures: &Figures) -> String {
    figures
        .halls
        .iter()
        .filter(|h| !h.following)
        .map(|h| h.report.commune.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A number that changes when what the presenter shows may have: the session's version,
/// and the halls' reports.
fn pulse(session: &HubLive, figures: &Figures) -> u64 {
    let reports: i64 = figures.halls.iter().map(|h| h.report.reports).sum();
    (session.version as u64)
        .wrapping_mul(1_000_003)
        .wrapping_add(reports as u64)
        .wrapping_add(u64::from(figures.following) << 40)
        .wrapping_add(u64::from(figures.lost) << 50)
}

async fn present(
    State(state): State<AppState>,
    f: Facilitating,
    Path(id): Path<String>,
) -> Result<Markup, Error> {
    let session = session_of(&state, &f, &id).await?;
    let (live, figures) = figures_of(&state, &session).await?;
    let part = presenter_part(&state, &f, &session, &live, &figures)?;
    Ok(projector_page(
        &state,
        &title(&state, &session),
        &format!("/hub/live/{id}"),
        pulse(&session, &figures),
        live.ended,
        part,
    ))
}

async fn present_now(
    State(state): State<AppState>,
    f: Facilitating,
    Path(id): Path<String>,
) -> Result<Markup, Error> {
    let session = session_of(&state, &f, &id).await?;
    let (live, figures) = figures_of(&state, &session).await?;
    presenter_part(&state, &f, &session, &live, &figures)
}

/// How often the presenter's stream looks whether the halls said anything.
const PULSE_EVERY: std::time::Duration = std::time::Duration::from_secs(1);

async fn present_events(
    State(state): State<AppState>,
    f: Facilitating,
    Path(id): Path<String>,
) -> Result<Response, Error> {
    let session = session_of(&state, &f, &id).await?;
    let (_, figures) = figures_of(&state, &session).await?;
    let (tx, rx) = tokio::sync::watch::channel(pulse(&session, &figures));
    let watcher = state.clone();
    tokio::spawn(async move {
        let mut told = watcher.province_live.subscribe();
        loop {
            tokio::select! {
                () = tokio::time::sleep(PULSE_EVERY) => {}
                _ = told.changed() => {}
                () = tx.closed() => return,
            }
            let Ok(Some(session)) = watcher.hub().live_session(&id).await else {
                continue;
            };
            if let Ok((_, figures)) = figures_of(&watcher, &session).await {
                tx.send_if_modified(|v| {
                    let now = pulse(&session, &figures);
                    std::mem::replace(v, now) != now
                });
            }
            if session.ended_at.is_some() {
                // One more look after the end, then the page reloads no more.
                tokio::time::sleep(PULSE_EVERY).await;
                return;
            }
        }
    });
    Ok(stream(&state, rx))
}

async fn halls(
    State(state): State<AppState>,
    f: Facilitating,
    Path(id): Path<String>,
) -> Result<Markup, Error> {
    let session = session_of(&state, &f, &id).await?;
    let (live, figures) = figures_of(&state, &session).await?;
    let now = state.hub().clock().now();
    // The halls invited that have not come in: their box is off, or has no link.
    let absent: Vec<String> = state
        .hub()
        .boxes(&scope_of(&f))
        .await?
        .into_iter()
        .filter(|b| !figures.halls.iter().any(|h| h.report.box_id == b.box_id))
        .filter(|b| {
            let place = crate::store::BoxPlace {
                key: String::new(),
                province: b.province.clone(),
                commune: b.commune.clone(),
            };
            crate::hub::live::covers(&session, &place)
        })
        .map(|b| b.commune)
        .collect();
    Ok(tools_page(
        &state,
        t("hlive-halls"),
        html! {
            (super::super::pages::nav(&f))
            nav.crumbs { a href="/hub/live" { "← " (t("hlive-title")) } }
            h1 { (title(&state, &session)) }
            p.meta { (t("hlive-halls-short")) ": " (invited(&session)) " · " (t("hlive-began")) " " (format::when(&session.started_at)) }
            @if live.ended {
                p.note role="status" { (t("hlive-ended-note")) }
            } @else {
                p.actions { a.button href={ "/hub/live/" (session.id) } { (t("hlive-open-presenter")) } }
            }
            p { strong { (figures.following) } " " (t("hlive-following")) ", " strong { (figures.people) } " " (t("present-people")) "; "
                (figures.lost) " " (t("hlive-lost-short")) "; " (figures.led_here) " " (t("hlive-led-here-short")) "." }
            @if figures.halls.is_empty() {
                p { (t("hlive-none-yet")) }
            } @else {
                table.list {
                    thead { tr { th { (t("hub-commune")) } th.n { (t("hlive-people")) } th { (t("hlive-at")) } th { (t("hlive-state")) } } }
                    tbody {
                        @for hall in &figures.halls {
                            tr {
                                td { (hall.report.commune)
                                    @if !hall.report.province.is_empty() { span.meta { " · " (hall.report.province) } } }
                                td.n { (hall.report.present) }
                                td { (t_args("live-at-step", [("step", v(hall.report.step + 1))])) }
                                td {
                                    @if hall.report.missing { (t("hlive-missing")) }
                                    @else if !hall.following {
                                        (t("hlive-lost-short")) " (" (format::ago(&hall.report.last_seen, now).unwrap_or_default()) ")"
                                    }
                                    @else if hall.report.led_here { (t("hlive-led-here-short")) }
                                    @else { (t("hlive-following-short")) }
                                }
                            }
                        }
                    }
                }
            }
            @if !absent.is_empty() {
                p { strong { (absent.len()) " " (t("hlive-absent")) ": " } (absent.join(", ")) }
            }
            @if !live.ended {
                h2 { (t("live-end")) }
                p { (t("hlive-end-note")) }
                form method="post" action={ "/hub/live/" (session.id) "/end" } {
                    (csrf_field(&f.csrf))
                    input type="hidden" name="sure" value="1";
                    button.button type="submit" { (t("hlive-end")) }
                }
            }
        },
    ))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct MoveForm {
    from: Option<usize>,
    to: Option<usize>,
    on: Option<u8>,
    sure: Option<u8>,
}

async fn moved(
    state: &AppState,
    f: &Facilitating,
    id: &str,
    action: Action,
    back: &str,
) -> Result<Response, Error> {
    session_of(state, f, id).await?;
    if act(state.hub(), &state.catalogue, id, action)
        .await?
        .is_some()
    {
        state.province_live.moved();
    }
    Ok(Redirect::to(&format!("/hub/live/{id}{back}")).into_response())
}

async fn go(
    State(state): State<AppState>,
    f: Facilitating,
    Path(id): Path<String>,
    AppForm(form): AppForm<MoveForm>,
) -> Result<Response, Error> {
    let (Some(from), Some(to)) = (form.from, form.to) else {
        return Err(Error::BadRequest);
    };
    let action = match to {
        to if from.checked_add(1) == Some(to) => Action::Next { from: Some(from) },
        to if to.checked_add(1) == Some(from) => Action::Back { from: Some(from) },
        _ => return Err(Error::BadRequest),
    };
    moved(&state, &f, &id, action, "").await
}

async fn reveal(
    State(state): State<AppState>,
    f: Facilitating,
    Path(id): Path<String>,
    AppForm(form): AppForm<MoveForm>,
) -> Result<Response, Error> {
    moved(&state, &f, &id, Action::Reveal { at: form.from }, "").await
}

async fn total(
    State(state): State<AppState>,
    f: Facilitating,
    Path(id): Path<String>,
    AppForm(form): AppForm<MoveForm>,
) -> Result<Response, Error> {
    moved(&state, &f, &id, Action::ShowTotal(form.on == Some(1)), "").await
}

async fn end(
    State(state): State<AppState>,
    f: Facilitating,
    Path(id): Path<String>,
    AppForm(form): AppForm<MoveForm>,
) -> Result<Response, Error> {
    if form.sure != Some(1) {
        return Ok(Redirect::to(&format!("/hub/live/{id}/halls")).into_response());
    }
    moved(&state, &f, &id, Action::End, "/halls").await
}
