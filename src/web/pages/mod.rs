//! Server-rendered pages (maud). `layout` holds the frame; one file an area: `lessons`
//! (reading), `quiz`, and `learners` (joining, signing in, the learner's own page).

pub mod layout;
pub(super) mod learners;
mod lessons;
mod quiz;

use axum::Router;

use super::{AppState, Error};
use crate::content::Lesson;
use crate::learn::Overview;
use crate::store::Learner;

pub(super) fn routes() -> Router<AppState> {
    lessons::routes()
        .merge(quiz::routes())
        .merge(learners::routes())
}

/// The learner's progress through the catalogue, from their records.
pub(crate) async fn overview(state: &AppState, learner: &Learner) -> Result<Overview, Error> {
    let progress = state.store.progress_for_learner(&learner.id).await?;
    let scores = state.store.scores_for_learner(&learner.id).await?;
    Ok(Overview::build(&state.catalogue, progress, scores))
}

fn lesson_url(lesson: &Lesson) -> String {
    format!("/m/{}", lesson.id)
}

/// A stored UTC time as the day it was in Vietnam (UTC+7), written `25/11/2026`.
fn day(timestamp: &str) -> String {
    use time::format_description::well_known::Rfc3339;
    let vietnam = time::UtcOffset::from_hms(7, 0, 0).expect("a valid offset");
    match time::OffsetDateTime::parse(timestamp, &Rfc3339) {
        Ok(t) => {
            let t = t.to_offset(vietnam);
            format!("{:02}/{:02}/{}", t.day(), u8::from(t.month()), t.year())
        }
        Err(_) => timestamp.to_string(),
    }
}
