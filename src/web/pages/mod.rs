//! Server-rendered pages (maud). `layout` holds the frame; one file an area: `lessons`
//! (reading), `quiz`, `learners` (joining, signing in, the learner's own page), and
//! `facilitators` (set-up, facilitator sign-in, dashboard, settings).

mod charts;
mod facilitators;
mod hub;
pub mod layout;
pub(super) mod learners;
mod lessons;
mod live;
mod people;
mod printables;
mod quiz;
mod reports;
mod sync;
pub mod take_home;
mod welcome;

use axum::Router;

use super::{AppState, Error};
use crate::content::{Lesson, Module};
use crate::learn::Overview;
use crate::store::{Change, Learner, NewEvent};

pub(super) fn routes() -> Router<AppState> {
    lessons::routes()
        .merge(quiz::routes())
        .merge(learners::routes())
        .merge(facilitators::routes())
        .merge(printables::card_routes())
        .merge(live::learner_routes())
        .merge(welcome::routes())
        .merge(take_home::routes())
}

/// The hub's pages: its officers' dashboard, enrolment codes, and their sign-in.
pub(super) fn hub_routes() -> Router<AppState> {
    hub::routes()
}

/// The learner's progress through the catalogue, from their records.
pub(crate) async fn overview(state: &AppState, learner: &Learner) -> Result<Overview, Error> {
    let (progress, scores) = state.store.record_of_learner(&learner.id).await?;
    Ok(Overview::build(&state.catalogue, progress, scores))
}

/// The module and lesson named in a `/m/{module}/{lesson}` path.
fn find_lesson<'a>(
    state: &'a AppState,
    module_id: &str,
    slug: &str,
) -> Result<(&'a Module, &'a Lesson), Error> {
    let module = state.catalogue.module(module_id).ok_or(Error::NotFound)?;
    let lesson = module.lesson(slug).ok_or(Error::NotFound)?;
    Ok((module, lesson))
}

/// Records what a learner did on a lesson page, by the box's clock; `id` lets a form sent
/// twice count once.
async fn record(
    state: &AppState,
    learner: &Learner,
    lesson: &Lesson,
    id: uuid::Uuid,
    change: Change,
    payload: serde_json::Value,
) -> Result<(), Error> {
    let event = NewEvent {
        id,
        learner_id: learner.id.clone(),
        lesson_id: Some(lesson.id.clone()),
        at: state.store.now(),
        payload,
        change,
    };
    state.store.record_events(vec![event]).await?;
    Ok(())
}

fn lesson_url(lesson: &Lesson) -> String {
    format!("/m/{}", lesson.id)
}

/// Vietnam's time zone (UTC+7, no summer time): days on pages begin at its midnight.
fn vietnam() -> time::UtcOffset {
    time::UtcOffset::from_hms(7, 0, 0).expect("a valid offset")
}

/// A stored UTC time as the day it was in Vietnam (UTC+7), written `25/11/2026`.
fn day(timestamp: &str) -> String {
    use time::format_description::well_known::Rfc3339;
    match time::OffsetDateTime::parse(timestamp, &Rfc3339) {
        Ok(t) => {
            let t = t.to_offset(vietnam());
            format!("{:02}/{:02}/{}", t.day(), u8::from(t.month()), t.year())
        }
        Err(_) => timestamp.to_string(),
    }
}

/// A lesson's Vietnamese title for facilitators' pages, or its id if the box no longer has it.
fn lesson_title<'a>(state: &'a AppState, lesson_id: &'a str) -> &'a str {
    state.catalogue.lesson(lesson_id).map_or(lesson_id, |l| {
        l.heading(crate::content::Lang::Vi).title.as_str()
    })
}

/// A gender code as facilitators read it; empty when not given.
fn gender_text(code: Option<&str>) -> &'static str {
    match code {
        Some("nu") => "Nữ",
        Some("nam") => "Nam",
        Some(_) => "Khác",
        None => "",
    }
}

/// The box's address as this browser reached it (`192.168.4.1`, `hocso.lan:8080`), which is
/// the one phones on the hotspot use too, and whether it is the box's own `localhost`, which
/// phones cannot use.
fn host(headers: &axum::http::HeaderMap) -> (String, bool) {
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| !h.is_empty() && h.bytes().all(|b| b.is_ascii_graphic()))
        .unwrap_or("hocso.lan");
    let local =
        host.starts_with("localhost") || host.starts_with("127.") || host.starts_with("[::1]");
    (host.to_string(), local)
}
