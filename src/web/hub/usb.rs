//! `/hub/usb`: a commune's records brought on a USB stick, taken on an officer's page as
//! `hocso sync import` takes them, and the reply file for each box to carry back
//! (`/hub/usb/reply/{box}`: what the hub holds, and the lesson packs), as a download.

use axum::Router;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use maud::{Markup, html};

use super::pages::nav;
use crate::hub::{self, ImportError, Imported};
use crate::protocol::file::FileRefused;
use crate::store::{HubBox, Scope};
use crate::web::extract::Upload;
use crate::web::i18n::{t, t_args, v};
use crate::web::pages::layout::{csrf_field, errors, tools_page};
use crate::web::session::Facilitating;
use crate::web::{AppState, Error, UPLOAD_LIMIT, complete};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/hub/usb",
            get(page)
                .post(take)
                .layer(DefaultBodyLimit::max(UPLOAD_LIMIT)),
        )
        .route("/hub/usb/reply/{box_id}", get(reply))
}

/// The page: how the USB way goes, the form to choose a box's file, and what a file did.
fn usb_page(
    state: &AppState,
    f: &Facilitating,
    problems: &[&str],
    taken: Option<(&Imported, &[HubBox])>,
) -> Markup {
    tools_page(
        state,
        t("usb-title"),
        html! {
            (nav(f))
            h1 { (t("usb-title")) }
            (errors(problems))
            @if let Some((imported, boxes)) = taken {
                div.note role="status" {
                    p { "✓ " (t("usb-taken")) ": " strong { (imported.new_events) } " " (t("usb-new-records")) }
                    @if imported.new_proposals > 0 {
                        p { "✓ " strong { (imported.new_proposals) } " " (t("usb-new-proposals")) }
                    }
                    @for refused in &imported.refused {
                        p { "⚠ " (t("usb-part-refused")) ": " (refused) }
                    }
                }
                h2 { (t("usb-reply-title")) }
                p { (t("usb-reply-how")) }
                ul.actions {
                    @for (box_id, held) in &imported.held {
                        li {
                            a.button href={ "/hub/usb/reply/" (box_id) } download {
                                "⬇ " (t("usb-reply-for")) " "
                                (boxes.iter().find(|b| &b.box_id == box_id).map_or(t("usb-the-box"), |b| b.commune.as_str()))
                            }
                            " " span.meta { "(" (t_args("usb-held", [("seq", v(*held))])) ")" }
                        }
                    }
                }
            }
            p { (t("usb-lead")) }
            form.stack method="post" action="/hub/usb" enctype="multipart/form-data" {
                (csrf_field(&f.csrf))
                label { (t("usb-file")) input type="file" name="file" required accept=".hocso,application/octet-stream"; }
                button.button type="submit" { (t("usb-take")) }
            }
            p.meta { (t("usb-cli")) " " code { "hocso sync import " (t("sync-cli-file")) } "." }
        },
    )
}

async fn page(State(state): State<AppState>, f: Facilitating) -> Markup {
    usb_page(&state, &f, &[], None)
}

/// A box's file, chosen on the page: every batch checked before any is stored (a damaged or
/// foreign file changes nothing), then each event taken once.
async fn take(
    State(state): State<AppState>,
    f: Facilitating,
    Upload(file): Upload,
) -> Result<Response, Error> {
    let refuse = |problem: &str| {
        complete(
            StatusCode::BAD_REQUEST,
            usb_page(&state, &f, &[problem], None),
        )
    };
    let Some(bytes) = file else {
        return Ok(refuse(t("usb-missing")));
    };
    // A province's officer takes files of their own province's communes only.
    if let Some(province) = &f.facilitator.province {
        let theirs = state
            .hub()
            .boxes(&Scope::Province(province.clone()))
            .await?;
        let foreign = hub::senders(&bytes)
            .iter()
            .any(|sender| !theirs.iter().any(|b| &b.box_id == sender));
        if foreign {
            return Ok(refuse(t("usb-foreign-province")));
        }
    }
    let imported = match hub::import(state.hub(), &bytes, &|_, _| {}).await {
        Ok(imported) => imported,
        Err(ImportError::Store(e)) => return Err(e.into()),
        Err(e) => {
            tracing::warn!("a USB file refused: {e}");
            let problem = match e {
                ImportError::File(FileRefused::Foreign) => t("usb-not-ours"),
                ImportError::File(FileRefused::Damaged) => t("usb-damaged"),
                _ => t("usb-unknown-box"),
            };
            return Ok(refuse(problem));
        }
    };
    tracing::info!(new = imported.new_events, "took a USB file");
    let scope = Scope::of(f.facilitator.province.as_deref());
    let boxes = state.hub().boxes(&scope).await?;
    Ok(usb_page(&state, &f, &[], Some((&imported, &boxes))).into_response())
}

/// The reply file for one box, as `hocso hub reply` writes it; 404 for a box the hub does not
/// know, or of a province the officer does not see.
async fn reply(
    State(state): State<AppState>,
    f: Facilitating,
    Path(box_id): Path<String>,
) -> Result<Response, Error> {
    let scope = Scope::of(f.facilitator.province.as_deref());
    let seen = state.hub().boxes(&scope).await?;
    if !seen.iter().any(|b| b.box_id == box_id) {
        return Err(Error::NotFound);
    }
    let bytes = hub::reply(state.hub(), &box_id)
        .await?
        .ok_or(Error::NotFound)?;
    let short: String = box_id
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(8)
        .collect();
    Ok((
        [
            (header::CONTENT_TYPE, "application/octet-stream".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"tra-loi-{short}.hocso\""),
            ),
        ],
        bytes,
    )
        .into_response())
}
