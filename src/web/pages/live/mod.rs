//! Live group lessons. The facilitator starts one for a group and a lesson (`/f/live`), gets a
//! four-digit code, shows `/present/{id}` on the projector and moves it from any browser;
//! learners join at `/live` with the code and their phones follow (`/live/{id}`): server-sent
//! events tell a page's script to fetch its new part, and without script the page reloads
//! itself. Three screens, one file each: `phone`, `control` (the facilitator's, and starting
//! and ending a session) and `present` (the projector). The session's rules, and which events
//! its end records, are `facilitate::live`'s; the sessions running now are `running`'s. A
//! session may run a practice scenario instead of a lesson: `room` draws it on all three
//! screens and moves it. A session may follow the province's live lesson (`province`): the
//! hub's steps move it, until the hall's facilitator takes over.

mod control;
mod phone;
mod present;
pub mod province;
mod room;
pub mod running;

pub(in crate::web) use present::{projector_page, question_counts, question_head, slide};

use std::convert::Infallible;
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use maud::{Markup, html};
use tokio_stream::StreamExt;
use tokio_stream::wrappers::WatchStream;

use crate::content::Lesson;
use crate::facilitate::live::{Live, Step};
use crate::web::i18n::t;
use crate::web::pages::layout::csrf_field;
use crate::web::session::Facilitating;
use crate::web::{AppState, Error};

/// Seconds between reloads of a live page in a browser without script.
pub(in crate::web) const RELOAD: u32 = 5;
/// A comment line on idle event streams, so proxies and phones keep them open.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// The learner's side (no CSRF guard: learner forms rely on their SameSite=Lax session).
pub(in crate::web) fn phone_routes() -> Router<AppState> {
    Router::new()
        .route("/live", get(phone::join_form).post(phone::join))
        .route("/live/{id}", get(phone::phone))
        .route("/live/{id}/now", get(phone::phone_now))
        .route("/live/{id}/events", get(phone::phone_events))
        .route("/live/{id}/answer", post(phone::answer))
}

/// The facilitator's side: the control page and the projector (part of the facilitator's
/// tree, behind its guards).
pub(in crate::web) fn facilitator_routes() -> Router<AppState> {
    Router::new()
        .route("/f/live", get(control::start_form).post(control::start))
        .route("/f/live/{id}", get(control::control))
        .route("/f/live/{id}/go", post(control::go))
        .route("/f/live/{id}/reveal", post(control::reveal))
        .route("/f/live/{id}/follow", post(room::follow))
        .route("/f/live/{id}/tick", post(control::tick))
        .route("/f/live/{id}/end", post(control::end))
        .route("/f/live/{id}/lead", post(province::lead))
        .route("/present/{id}", get(present::present))
        .route("/present/{id}/now", get(present::present_now))
        .route("/present/{id}/events", get(present::present_events))
}

pub(super) fn lesson_of<'a>(state: &'a AppState, live: &Live) -> Result<&'a Lesson, Error> {
    state
        .catalogue
        .lesson(&live.lesson_id)
        .ok_or(Error::NotFound)
}

/// What a session shows as its title: the lesson's, or "Thực hành: " and the scenario's.
pub(super) fn title(state: &AppState, live: &Live) -> Result<String, Error> {
    if live.practice.is_some() {
        let (_, scenario) = room::scenario_of(state, live).ok_or(Error::NotFound)?;
        return Ok(format!("{}: {}", t("live-practice"), scenario.title));
    }
    Ok(lesson_of(state, live)?
        .heading(crate::content::Lang::Vi)
        .title
        .clone())
}

/// A choice's letter, A, B, C…: the same on the projector and on every phone.
pub(in crate::web) fn letter(i: usize) -> char {
    char::from(b'A' + (i % 26) as u8)
}

/// An event stream that says `{"v": n}` now and at every change of `versions`, until the
/// box begins to shut down.
pub(in crate::web) fn stream(
    state: &AppState,
    versions: tokio::sync::watch::Receiver<u64>,
) -> Response {
    if *state.closing.borrow() {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    }
    let closing = WatchStream::from_changes(state.closing.subscribe())
        .filter(|closing| *closing)
        .map(|_| None);
    let events = WatchStream::new(versions)
        .map(Some)
        .merge(closing)
        .take_while(Option::is_some)
        .map(|v| {
            let v = v.unwrap_or_default();
            Ok::<_, Infallible>(Event::default().data(format!("{{\"v\":{v}}}")))
        });
    Sse::new(events)
        .keep_alive(KeepAlive::new().interval(KEEP_ALIVE))
        .into_response()
}

// ---------------------------------------------------------------- the learner's phone

/// The address phones join at, as this browser reached the box.
pub(super) fn join_address(headers: &HeaderMap) -> String {
    format!("{}/live", super::host(headers).0)
}

/// The buttons that move the class, with the step they were pressed on, so two presses of
/// "next" on one step move it once.
pub(super) fn controls(state: &AppState, f: &Facilitating, live: &Live, back: &str) -> Markup {
    if live.practice.is_some() {
        return match room::scenario_of(state, live) {
            Some((_, scenario)) => room::controls(f, live, scenario, back),
            None => html! {},
        };
    }
    let at = live.step;
    let button = |action: &str, to: Option<usize>, label: &str, enabled: bool, key: &str| {
        html! {
            form method="post" action={ "/f/live/" (live.id) "/" (action) } {
                (csrf_field(&f.csrf))
                input type="hidden" name="from" value=(at);
                @if let Some(to) = to { input type="hidden" name="to" value=(to); }
                input type="hidden" name="back" value=(back);
                // The way on is the main button; going back, quiet.
                button.button.quiet[key != "next" && key != "reveal"] type="submit" disabled[!enabled] data-key=(key) { (label) }
            }
        }
    };
    let on_question = matches!(live.current(), Step::Question(_));
    html! {
        @if let (false, Some(status), Some(province)) = (live.ended, province::status(state, live), &live.province) {
            div.province.no-print {
                p.note role="status" { (status) }
                form method="post" action={ "/f/live/" (live.id) "/lead" } {
                    (csrf_field(&f.csrf))
                    @if province.by_province {
                        input type="hidden" name="here" value="1";
                        button.button.quiet type="submit" { (t("live-lead-here")) }
                    } @else {
                        input type="hidden" name="here" value="0";
                        button.button.quiet type="submit" { (t("live-follow-province")) }
                    }
                }
            }
        }
        @if !live.ended && live.led_here() {
            div.controls.no-print {
                (button("go", at.checked_sub(1), t("live-previous"), at > 0, "prev"))
                (button("go", Some(at + 1), t("live-next"), at + 1 < live.steps(), "next"))
                @if on_question {
                    (button("reveal", None, t("live-reveal"), !live.revealed, "reveal"))
                }
            }
        }
    }
}
