//! Server-rendered pages (maud). `layout` holds the frame; one file an area: `lessons`
//! (reading), `quiz`, `learners` (joining, signing in, the learner's own page), and
//! `facilitators` (set-up, facilitator sign-in, dashboard, settings).

mod charts;
mod facilitators;
pub mod layout;
pub(super) mod learners;
mod lessons;
mod live;
mod people;
mod printables;
mod quiz;
mod reports;

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
}

/// The learner's progress through the catalogue, from their records.
pub(crate) async fn overview(state: &AppState, learner: &Learner) -> Result<Overview, Error> {
    let progress = state.store.progress_for_learner(&learner.id).await?;
    let scores = state.store.scores_for_learner(&learner.id).await?;
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
