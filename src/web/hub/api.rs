//! The hub's sync API under `/hub/v1`, for boxes: enrol, push a signed batch, send a
//! commune's proposal, list and fetch content packs; and for a province hub passing its boxes on to this (national) one: join
//! with a join code, introduce a box, then push the box's own signed batches. Everything
//! sent is checked (signature, enrolment, the batch's rules) before anything is stored;
//! refusals are JSON with a stable code.

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};

use crate::hub::proposals::ProposalProblem;
use crate::hub::{self, BatchProblem};
use crate::protocol::envelope;
use crate::protocol::proposal::Held;
use crate::protocol::wire::{Batch, Enrol, Enrolled, Join, PackListing, code};
use crate::store::{BatchRefused, EnrolRefused};
use crate::web::extract::AppJson;
use crate::web::{AppState, Error, UPLOAD_LIMIT};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/hub/v1/enroll", post(enroll))
        .route("/hub/v1/push", post(push))
        .route(
            "/hub/v1/proposals",
            post(proposals).layer(DefaultBodyLimit::max(UPLOAD_LIMIT)),
        )
        .route("/hub/v1/join", post(join))
        .route("/hub/v1/introduce", post(introduce))
        .route("/hub/v1/packs", get(packs))
        .route("/hub/v1/packs/{name}", get(pack))
}

fn refused(status: StatusCode, code: &'static str, message: impl Into<String>) -> Error {
    Error::Sync {
        status,
        code,
        message: message.into(),
        held: None,
    }
}

fn bytes(body: Vec<u8>) -> Response {
    ([(header::CONTENT_TYPE, "application/octet-stream")], body).into_response()
}

async fn enroll(
    State(state): State<AppState>,
    AppJson(enrol): AppJson<Enrol>,
) -> Result<Json<Enrolled>, Error> {
    if uuid::Uuid::parse_str(&enrol.box_id).is_err()
        || envelope::public_key(&enrol.public_key).is_none()
        || enrol.first_seq < 1
    {
        return Err(refused(
            StatusCode::BAD_REQUEST,
            "bad_enrolment",
            "an enrolment needs a UUID box id, a public key and a first seq of at least 1",
        ));
    }
    let box_id = enrol.box_id.clone();
    match state.hub().enrol(enrol).await? {
        Ok(commune) => {
            tracing::info!(%box_id, %commune, "a box enrolled");
            Ok(Json(Enrolled {
                hub_id: state.hub().hub_id().to_string(),
                hub_key: state.hub().keys().public_hex(),
                commune,
            }))
        }
        Err(EnrolRefused::BadCode) => Err(refused(
            StatusCode::FORBIDDEN,
            code::BAD_CODE,
            "the enrolment code is unknown or was used by another box",
        )),
        Err(EnrolRefused::BadVouch) => Err(refused(
            StatusCode::FORBIDDEN,
            code::BAD_VOUCH,
            "the identity that vouches for this box is unknown or its signature is wrong",
        )),
        Err(EnrolRefused::KeyTaken) => Err(refused(
            StatusCode::CONFLICT,
            code::KEY_TAKEN,
            "this box id is enrolled with another key",
        )),
    }
}

/// Stores an opened batch; the highest seq now held with no gap.
async fn accept(state: &AppState, batch: Batch, sealed: &[u8]) -> Result<i64, Error> {
    let box_id = batch.box_id.clone();
    match state.hub().accept(batch, Some(sealed)).await? {
        Ok(held) => Ok(held),
        Err(BatchRefused::UnknownBox) => Err(refused(
            StatusCode::FORBIDDEN,
            code::UNKNOWN_BOX,
            "this box is not enrolled with this hub",
        )),
        Err(BatchRefused::Gap { held }) => Err(Error::Sync {
            status: StatusCode::CONFLICT,
            code: code::GAP,
            message: format!(
                "the hub holds this box's events up to seq {held}; send from {}",
                held + 1
            ),
            held: Some(held),
        }),
        Err(BatchRefused::ForeignLearner { learner }) => {
            tracing::warn!(%box_id, %learner, "a batch speaks for another box's learner");
            Err(refused(
                StatusCode::FORBIDDEN,
                code::FOREIGN_LEARNER,
                format!(
                    "learner {learner} belongs to another box; nothing of this batch was taken"
                ),
            ))
        }
        Err(BatchRefused::Conflict { seq }) => {
            tracing::error!(%box_id, seq, "two boxes send different events as one identity");
            Err(refused(
                StatusCode::CONFLICT,
                code::CONFLICT,
                format!(
                    "the hub holds another event at seq {seq} of this box: two boxes send as one identity"
                ),
            ))
        }
    }
}

async fn push(State(state): State<AppState>, body: Bytes) -> Result<Response, Error> {
    let batch = match hub::open_batch(state.hub(), &body).await? {
        Ok(batch) => batch,
        Err(problem) => {
            let (status, code) = match &problem {
                BatchProblem::TooLarge => (StatusCode::PAYLOAD_TOO_LARGE, code::TOO_LARGE),
                BatchProblem::Malformed(_) => (StatusCode::BAD_REQUEST, code::MALFORMED),
                BatchProblem::UnknownBox(_) => (StatusCode::FORBIDDEN, code::UNKNOWN_BOX),
                BatchProblem::BadSignature(_) => (StatusCode::FORBIDDEN, code::BAD_SIGNATURE),
            };
            return Err(refused(status, code, problem.to_string()));
        }
    };
    let box_id = batch.box_id.clone();
    let held = accept(&state, batch, &body).await?;
    Ok(bytes(hub::sealed_ack(state.hub(), &box_id, held)))
}

/// A commune's proposal, sealed by its box: opened with the key of the enrolled box it
/// names, kept once; the answer names every proposal of that box the hub holds.
async fn proposals(State(state): State<AppState>, body: Bytes) -> Result<Json<Held>, Error> {
    match hub::proposals::take(state.hub(), &body).await? {
        Ok(held) => Ok(Json(held)),
        Err(problem) => {
            let (status, code) = match &problem {
                ProposalProblem::TooLarge => (StatusCode::PAYLOAD_TOO_LARGE, code::TOO_LARGE),
                ProposalProblem::Malformed(_) => (StatusCode::BAD_REQUEST, code::MALFORMED),
                ProposalProblem::UnknownBox(_) => (StatusCode::FORBIDDEN, code::UNKNOWN_BOX),
                ProposalProblem::BadSignature(_) => (StatusCode::FORBIDDEN, code::BAD_SIGNATURE),
            };
            tracing::warn!("a proposal refused: {problem}");
            Err(refused(status, code, problem.to_string()))
        }
    }
}

/// A province hub joins this one with a join code made for its province, and pins the key
/// in the answer.
async fn join(
    State(state): State<AppState>,
    AppJson(join): AppJson<Join>,
) -> Result<Json<Enrolled>, Error> {
    if uuid::Uuid::parse_str(&join.hub_id).is_err()
        || envelope::public_key(&join.public_key).is_none()
        || join.hub_id == state.hub().hub_id()
    {
        return Err(refused(
            StatusCode::BAD_REQUEST,
            "bad_join",
            "joining needs another hub's UUID id and its public key",
        ));
    }
    let hub_id = join.hub_id.clone();
    match state.hub().join(join).await? {
        Some(province) => {
            tracing::info!(%hub_id, %province, "a province hub joined");
            Ok(Json(Enrolled {
                hub_id: state.hub().hub_id().to_string(),
                hub_key: state.hub().keys().public_hex(),
                commune: province,
            }))
        }
        None => Err(refused(
            StatusCode::FORBIDDEN,
            code::BAD_JOIN_CODE,
            "the join code is unknown or was used by another hub",
        )),
    }
}

/// A joined province hub introduces one of its boxes; the answer is this hub's signed
/// statement of what it holds of the box, from where the province hub passes on its batches.
async fn introduce(State(state): State<AppState>, body: Bytes) -> Result<Response, Error> {
    let (relay, intro) = match hub::open_introduction(state.hub(), &body).await? {
        Ok(opened) => opened,
        Err(problem) => {
            return Err(refused(
                StatusCode::FORBIDDEN,
                code::BAD_INTRODUCTION,
                problem,
            ));
        }
    };
    let box_id = intro.box_id.clone();
    match state.hub().introduce(&relay, intro).await? {
        Ok(held) => Ok(bytes(hub::sealed_ack(state.hub(), &box_id, held))),
        Err(EnrolRefused::KeyTaken) => Err(refused(
            StatusCode::CONFLICT,
            code::KEY_TAKEN,
            "this box id is enrolled with another key",
        )),
        Err(EnrolRefused::BadVouch | EnrolRefused::BadCode) => Err(refused(
            StatusCode::FORBIDDEN,
            code::BAD_INTRODUCTION,
            "the identity this box replaced was not introduced by the same hub",
        )),
    }
}

async fn packs(State(state): State<AppState>) -> Result<Json<Vec<PackListing>>, Error> {
    let packs = state.hub().packs().await?;
    Ok(Json(
        packs
            .into_iter()
            .map(|p| PackListing {
                name: p.name,
                version: p.version,
            })
            .collect(),
    ))
}

async fn pack(State(state): State<AppState>, Path(name): Path<String>) -> Result<Response, Error> {
    let packs = state.hub().packs().await?;
    let sealed = packs
        .into_iter()
        .find(|p| p.name == name)
        .map(|p| p.sealed)
        .ok_or(Error::NotFound)?;
    Ok(bytes(sealed))
}
