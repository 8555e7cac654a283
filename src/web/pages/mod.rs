//! Server-rendered pages (maud). `layout` holds the frame of every page (a learner's, and a
//! facilitator's with its menu); `charts` draws bar charts. The learner's areas, one file
//! each: `lessons` (reading), `quiz`, `practice`, `learners` (joining), `signin` (signing in and out), `me` (the
//! learner's own page and certificates), `rights` (the notice at joining, and "Thông tin của
//! tôi": what the box holds about the learner, shown, downloaded, corrected or erased), `welcome` (the captive portal's page), `take_home`
//! (downloads and handouts). The
//! facilitator's whole route tree is `f/`; live lessons' three screens are `live/`.

pub(super) mod charts;
pub(super) mod f;
mod hearing;
pub mod layout;
pub(super) mod learners;
mod lessons;
pub(super) mod live;
pub(super) mod me;
pub(super) mod practice;
mod quiz;
pub(super) mod rights;
pub(super) mod signin;
pub mod take_home;
mod welcome;

use axum::Router;

use super::{AppState, Error};
use crate::content::{Lesson, Module};
use crate::learn::Overview;
use crate::store::{Change, Learner, LearnerRecord, NewEvent};

/// Every page of a box: the learners' and the facilitators' tree.
pub(super) fn routes(state: &AppState) -> Router<AppState> {
    lessons::routes()
        .merge(quiz::routes())
        .merge(learners::routes())
        .merge(me::routes())
        .merge(rights::routes())
        .merge(signin::routes())
        .merge(f::routes(state))
        .merge(f::printables::card_routes())
        .merge(live::phone_routes())
        .merge(welcome::routes())
        .merge(take_home::routes())
        .merge(practice::routes())
}

/// The learner's progress through the catalogue, from their records.
pub(crate) async fn overview(state: &AppState, learner: &Learner) -> Result<Overview, Error> {
    let LearnerRecord {
        progress,
        scores,
        practice,
    } = state.store.record_of_learner(&learner.id).await?;
    Ok(Overview::build(
        &state.catalogue,
        progress,
        scores,
        practice,
    ))
}

/// The module and lesson named in a `/m/{module}/{lesson}` path.
pub(in crate::web) fn find_lesson<'a>(
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
pub(in crate::web) async fn record(
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

pub(in crate::web) fn lesson_url(lesson: &Lesson) -> String {
    format!("/m/{}", lesson.id)
}

/// A lesson's Vietnamese title for facilitators' pages, or its id if the box no longer has it.
pub(in crate::web) fn lesson_title<'a>(state: &'a AppState, lesson_id: &'a str) -> &'a str {
    state.catalogue.lesson(lesson_id).map_or(lesson_id, |l| {
        l.heading(crate::content::Lang::Vi).title.as_str()
    })
}

/// A gender code as facilitators read it, in the request's language; empty when not given.
pub(in crate::web) fn gender_text(code: Option<&str>) -> &'static str {
    let [female, male, other] = crate::web::i18n::ui(crate::web::i18n::current()).genders();
    match code {
        Some("nu") => female,
        Some("nam") => male,
        Some(_) => other,
        None => "",
    }
}

/// The box's address as this browser reached it (`192.168.4.1`, `hocso.lan:8080`), which is
/// the one phones on the hotspot use too, and whether it is the box's own `localhost`, which
/// phones cannot use.
pub(in crate::web) fn host(headers: &axum::http::HeaderMap) -> (String, bool) {
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| !h.is_empty() && h.bytes().all(|b| b.is_ascii_graphic()))
        .unwrap_or("hocso.lan");
    let local =
        host.starts_with("localhost") || host.starts_with("127.") || host.starts_with("[::1]");
    (host.to_string(), local)
}
