//! The boxes' side of the province's live lesson, under `/hub/v1/live`: a hall opens a
//! stream with a signed report (`follow`) and reads the province's steps as they change, a
//! sealed `LiveNow` an event, with keep-alives between; or reports its room (`report`) and
//! reads the answer, which is also how a hall follows where a stream cannot live. Nothing
//! from a box is kept or answered before its signature is checked.

use std::convert::Infallible;
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::WatchStream;

use crate::hub::live::{ReportProblem, covers, open_report, step_of};
use crate::protocol::live::LiveReport;
use crate::protocol::wire::code;
use crate::store::BoxPlace;
use crate::web::{AppState, Error};

/// A comment line on an idle stream, so the NAT and proxies between keep it open, and the
/// box knows the link lives.
pub const KEEP_ALIVE: Duration = Duration::from_secs(15);

pub(in crate::web::hub) fn routes() -> Router<AppState> {
    Router::new()
        .route("/hub/v1/live/follow", post(follow))
        .route("/hub/v1/live/report", post(report))
}

/// Opens and keeps a hall's report: where its box is, and the report.
async fn take(state: &AppState, body: &[u8]) -> Result<(BoxPlace, LiveReport), Error> {
    let (place, report) = match open_report(state.hub(), body).await? {
        Ok(opened) => opened,
        Err(problem) => {
            let (status, code) = match &problem {
                ReportProblem::TooLarge => (StatusCode::PAYLOAD_TOO_LARGE, code::TOO_LARGE),
                ReportProblem::Malformed(_) => (StatusCode::BAD_REQUEST, code::MALFORMED),
                ReportProblem::UnknownBox(_) => (StatusCode::FORBIDDEN, code::UNKNOWN_BOX),
                ReportProblem::BadSignature(_) => (StatusCode::FORBIDDEN, code::BAD_SIGNATURE),
            };
            return Err(Error::Sync {
                status,
                code,
                message: problem.to_string(),
                held: None,
            });
        }
    };
    // A hall's room counts only in a session that invites it.
    if let Some(asked) = &report.session {
        let told = state.province_live.snapshot().session(asked);
        let session = match told {
            Some(session) => Some(session),
            None => state.hub().live_session(asked).await?,
        };
        if session.is_some_and(|s| covers(&s, &place)) {
            state.hub().live_report(&place, &report).await?;
        }
    }
    Ok((place, report))
}

/// A hall's stream: now, and at every change of what it is told, one sealed `LiveNow`.
async fn follow(State(state): State<AppState>, body: Bytes) -> Result<Response, Error> {
    if *state.closing.borrow() {
        return Ok(StatusCode::SERVICE_UNAVAILABLE.into_response());
    }
    let (place, _) = take(&state, &body).await?;
    let closing = WatchStream::from_changes(state.closing.subscribe())
        .filter(|closing| *closing)
        .map(|_| None);
    let told = state.clone();
    let mut last: Option<std::sync::Arc<[u8]>> = None;
    let events = WatchStream::new(state.province_live.subscribe())
        .map(Some)
        .merge(closing)
        .take_while(Option::is_some)
        .filter_map(move |snapshot| {
            let (_, sealed) = snapshot?.for_place(&told, &place);
            // A change elsewhere in the province tells this hall nothing new.
            if last.as_ref().is_some_and(|l| **l == *sealed) {
                return None;
            }
            last = Some(sealed.clone());
            Some(Ok::<_, Infallible>(
                Event::default().data(crate::protocol::live::encode_data(&sealed)),
            ))
        });
    let mut response = Sse::new(events)
        .keep_alive(KeepAlive::new().interval(KEEP_ALIVE))
        .into_response();
    // A proxy in front (nginx) passes each message on at once instead of gathering them.
    response.headers_mut().insert(
        "x-accel-buffering",
        axum::http::HeaderValue::from_static("no"),
    );
    Ok(response)
}

/// A hall's report of its room; the answer is where its session stands, sealed. A hall that
/// asks about a session no longer told (it ended a while ago) is told it ended.
async fn report(State(state): State<AppState>, body: Bytes) -> Result<Response, Error> {
    let (place, report) = take(&state, &body).await?;
    let snapshot = state.province_live.snapshot();
    let (told, mut sealed) = snapshot.for_place(&state, &place);
    if let Some(asked) = &report.session
        && told.as_ref() != Some(asked)
        && let Some(session) = state.hub().live_session(asked).await?
        && session.ended_at.is_some()
        && covers(&session, &place)
    {
        sealed = step_of(Some(&session), None)
            .seal(state.hub().hub_id(), state.hub().keys())
            .into();
    }
    Ok((
        [(header::CONTENT_TYPE, "application/octet-stream")],
        sealed.to_vec(),
    )
        .into_response())
}
