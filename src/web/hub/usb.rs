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
        "Tệp USB của xã",
        html! {
            (nav(f))
            h1 { "Tệp USB của xã" }
            (errors(problems))
            @if let Some((imported, boxes)) = taken {
                div.note role="status" {
                    p { "✓ Đã nhận tệp: " strong { (imported.new_events) } " bản ghi mới." }
                    @for refused in &imported.refused {
                        p { "⚠ Một phần không nhận: " (refused) }
                    }
                }
                h2 { "Tệp trả lời để mang về xã" }
                p { "Chép tệp này vào USB; người hướng dẫn ở xã chọn nó ở trang Đồng bộ của hộp. Hộp sẽ biết tỉnh đã giữ những gì, và nhận bài học mới." }
                ul.actions {
                    @for (box_id, held) in &imported.held {
                        li {
                            a.button href={ "/hub/usb/reply/" (box_id) } download {
                                "⬇ Tệp trả lời cho "
                                (boxes.iter().find(|b| &b.box_id == box_id).map_or("hộp", |b| b.commune.as_str()))
                            }
                            " " span.meta { "(tỉnh giữ đến bản ghi số " (held) ")" }
                        }
                    }
                }
            }
            p { "Xã không có mạng thì người hướng dẫn tải tệp số liệu ở trang Đồng bộ của hộp, chép vào USB và mang lên tỉnh. Chọn tệp đó ở đây (nhận lại cùng một tệp không sao: mỗi bản ghi chỉ được tính một lần)." }
            form.stack method="post" action="/hub/usb" enctype="multipart/form-data" {
                (csrf_field(&f.csrf))
                label { "Tệp số liệu của hộp" input type="file" name="file" required accept=".hocso,application/octet-stream"; }
                button.button type="submit" { "Nhận tệp" }
            }
            p.meta { "Trên máy chủ cũng làm được bằng lệnh " code { "hocso sync import TỆP" } "." }
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
        return Ok(refuse("Hãy chọn tệp số liệu mà xã mang lên (tệp .hocso)."));
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
            return Ok(refuse(
                "Tệp này có số liệu của một xã không thuộc tỉnh của bạn; không lấy gì từ tệp.",
            ));
        }
    }
    let imported = match hub::import(state.hub(), &bytes, &|_, _| {}).await {
        Ok(imported) => imported,
        Err(ImportError::Store(e)) => return Err(e.into()),
        Err(e) => {
            tracing::warn!("a USB file refused: {e}");
            let problem = match e {
                ImportError::File(FileRefused::Foreign) => {
                    "Tệp này không phải tệp số liệu của hộp Học số; không lấy gì từ tệp."
                }
                ImportError::File(FileRefused::Damaged) => {
                    "Tệp bị hỏng hoặc chép chưa hết; không lấy gì từ tệp. Hãy chép lại từ hộp rồi thử lại."
                }
                _ => {
                    "Tệp có phần không phải số liệu của một hộp đã đăng ký với máy chủ này (hoặc là tệp trả lời của tỉnh); không lấy gì từ tệp."
                }
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
