//! Things facilitators print (A4, and fine on screen): sign-in cards whose QR code signs a
//! learner in (`/f/print/cards`), the hall's poster to join the Wi-Fi and open the box
//! (`/f/print/poster`), and certificates (`/f/print/certificates`). The card's QR code leads to
//! `/c/{token}`, where a phone asks "is this you?" and signs in.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use maud::{Markup, html};
use serde::Deserialize;

use crate::content::Lang;
use crate::facilitate::{Settings, qr};
use crate::store::Learner;
use crate::token;
use crate::web::i18n::ui;
use crate::web::pages::layout::page;
use crate::web::pages::layout::{facilitator_nav, tools_page};
use crate::web::pages::me::certificate_article;
use crate::web::pages::overview;
use crate::web::pages::signin::signed_in_redirect;
use crate::web::session::{Facilitating, Visitor, session_hash};
use crate::web::{AppState, Error, complete};

/// Facilitators' routes (behind the CSRF guard).
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/f/print", get(menu))
        .route("/f/print/cards", get(cards))
        .route("/f/print/poster", get(poster))
        .route("/f/print/certificates", get(certificates))
}

/// The learner's side: a card's QR code.
pub(in crate::web) fn card_routes() -> Router<AppState> {
    Router::new().route("/c/{token}", get(card_form).post(card_sign_in))
}

/// The address phones on the hotspot reach the box at: the one this browser used. A browser
/// on the box itself (`localhost`) gets a warning, as phones cannot use that address.
fn box_address(headers: &HeaderMap) -> (String, bool) {
    let (host, local) = crate::web::pages::host(headers);
    (format!("http://{host}/"), local)
}

fn local_warning(local: bool) -> Markup {
    html! {
        @if local {
            p.note.warn.no-print role="alert" {
                "Trang này mở bằng địa chỉ của chính hộp (localhost). Điện thoại không vào được địa chỉ đó: "
                "hãy mở trang này từ một máy trong mạng Wi-Fi của nhà văn hóa rồi in."
            }
        }
    }
}

fn qr_or_text(text: &str) -> Markup {
    match crate::web::pages::layout::qr(text) {
        Some(svg) => svg,
        None => html! { p { (text) } },
    }
}

async fn menu(State(state): State<AppState>, f: Facilitating) -> Result<Markup, Error> {
    let groups = state.store.groups().await?;
    Ok(tools_page(
        &state,
        "In",
        html! {
            (facilitator_nav(&f))
            h1 { "In" }
            ul.cards {
                li { a.card href="/f/print/poster" { span.card-text {
                    span.card-title { "Áp phích cho nhà văn hóa" }
                    span.meta { "Mã QR để vào Wi-Fi và mở trang học." }
                } } }
            }
            h2 { "Thẻ đăng nhập và giấy chứng nhận theo nhóm" }
            @if groups.is_empty() {
                p { "Chưa có nhóm. " a href="/f/groups" { "Tạo nhóm" } ", hoặc in thẻ cho từng người từ trang " a href="/f/learners" { "Người học" } "." }
            } @else {
                table.list {
                    tbody {
                        @for g in &groups {
                            tr {
                                td { (g.name) " (" (g.members) " người)" }
                                td { a href={ "/f/print/cards?group=" (g.id) } { "Thẻ" } }
                                td { a href={ "/f/print/certificates?group=" (g.id) } { "Giấy chứng nhận" } }
                            }
                        }
                    }
                }
            }
        },
    ))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Who {
    group: String,
    learner: String,
}

/// The learners a print is for: one learner, or a group's members.
async fn who(state: &AppState, who: &Who) -> Result<(String, Vec<Learner>), Error> {
    if !who.learner.is_empty() {
        let learner = state
            .store
            .learner(&who.learner)
            .await?
            .ok_or(Error::NotFound)?;
        return Ok((learner.display_name.clone(), vec![learner]));
    }
    let group = state
        .store
        .group(&who.group)
        .await?
        .ok_or(Error::NotFound)?;
    Ok((group.name, state.store.group_members(&who.group).await?))
}

async fn cards(
    State(state): State<AppState>,
    f: Facilitating,
    headers: HeaderMap,
    Query(query): Query<Who>,
) -> Result<Markup, Error> {
    let (title, learners) = who(&state, &query).await?;
    // Printing makes a card for whoever has none; a card already made keeps working.
    let tokens: std::collections::HashMap<String, String> = state
        .store
        .issue_cards(learners.iter().map(|l| l.id.clone()).collect(), false)
        .await?
        .into_iter()
        .collect();
    let (address, local) = box_address(&headers);
    let commune = Settings::from_stored(&state.store.settings(&Settings::KEYS).await?).commune_name;
    Ok(tools_page(
        &state,
        &format!("Thẻ đăng nhập: {title}"),
        html! {
            div.no-print {
                (facilitator_nav(&f))
                h1 { "Thẻ đăng nhập: " (title) }
                p { "Mỗi người một thẻ. Quét mã QR bằng camera điện thoại (khi đã vào Wi-Fi của nhà văn hóa) là vào học, không cần nhớ mã. Mất thẻ thì khóa thẻ ở trang của người đó." }
                p.meta { "Muốn in: mở menu của trình duyệt và chọn In. Cắt theo đường chấm." }
            }
            (local_warning(local))
            @if learners.is_empty() {
                p { "Nhóm chưa có ai." }
            }
            div.sheet {
                @for l in &learners {
                    @if let Some(token) = tokens.get(&l.id) {
                        div.signin-card {
                            (qr_or_text(&format!("{address}c/{token}")))
                            div {
                                p.name { (l.display_name) }
                                p { (l.village) @if let Some(y) = l.birth_year { " · " (y) } }
                                p { "Quét mã để vào học" }
                                p.meta { "Học số · " (commune) }
                            }
                        }
                    }
                }
            }
        },
    ))
}

async fn poster(
    State(state): State<AppState>,
    f: Facilitating,
    headers: HeaderMap,
) -> Result<Markup, Error> {
    let settings = Settings::from_stored(&state.store.settings(&Settings::KEYS).await?);
    let (address, local) = box_address(&headers);
    let shown = address.trim_start_matches("http://").trim_end_matches('/');
    Ok(tools_page(
        &state,
        "Áp phích",
        html! {
            div.no-print { (facilitator_nav(&f)) }
            (local_warning(local))
            section.poster {
                h1 { "Học số · " (settings.commune_name) }
                p.lead { "Học kỹ năng số miễn phí trên điện thoại của bạn." }
                div.steps {
                    @if !settings.wifi_ssid.is_empty() {
                        div.step {
                            h2 { "1. Vào Wi-Fi" }
                            (qr_or_text(&qr::wifi_text(&settings.wifi_ssid, &settings.wifi_password)))
                            p { "Tên Wi-Fi: " strong { (settings.wifi_ssid) } }
                            @if !settings.wifi_password.is_empty() {
                                p { "Mật khẩu: " strong { (settings.wifi_password) } }
                            } @else {
                                p { "Không cần mật khẩu." }
                            }
                        }
                    }
                    div.step {
                        h2 { @if !settings.wifi_ssid.is_empty() { "2. " } "Mở trang học" }
                        (qr_or_text(&address))
                        p { "Hoặc gõ vào trình duyệt:" }
                        p.address { (shown) }
                    }
                }
            }
            @if settings.wifi_ssid.is_empty() {
                p.note.no-print { "Chưa có tên Wi-Fi: áp phích chỉ có mã mở trang học. " a href="/f/settings" { "Nhập tên Wi-Fi trong Cài đặt" } "." }
            }
        },
    ))
}

async fn certificates(
    State(state): State<AppState>,
    f: Facilitating,
    Query(query): Query<Who>,
) -> Result<Markup, Error> {
    let (title, learners) = who(&state, &query).await?;
    let commune = state
        .store
        .setting("commune_name")
        .await?
        .filter(|c| !c.trim().is_empty());
    let ui = ui(Lang::Vi);
    let mut earned = Vec::new();
    for learner in &learners {
        let overview = overview(&state, learner).await?;
        for module in &state.catalogue.modules {
            if let Some(on) = overview
                .module(&module.id)
                .and_then(|m| m.finished_on.clone())
            {
                earned.push((learner, module, on));
            }
        }
    }
    Ok(tools_page(
        &state,
        &format!("Giấy chứng nhận: {title}"),
        html! {
            div.no-print {
                (facilitator_nav(&f))
                h1 { "Giấy chứng nhận: " (title) }
                p { (earned.len()) " giấy, mỗi giấy một trang khi in. Chỉ có giấy cho chủ đề đã học xong (mọi bài đã học, mọi bài kiểm tra đạt)." }
                @if commune.is_none() {
                    p.note { "Chưa có tên xã: đầu giấy ghi tên phong trào. " a href="/f/settings" { "Nhập tên xã trong Cài đặt" } "." }
                }
            }
            @for (learner, module, on) in &earned {
                div.page-break {
                    (certificate_article(ui, learner, &module.text.get(Lang::Vi).title, module.lessons.len(), commune.as_deref(), on))
                }
            }
        },
    ))
}

fn card_page(state: &AppState, visitor: &Visitor, learner: &Learner, token: &str) -> Markup {
    let ui = ui(visitor.lang);
    page(
        state,
        visitor.lang,
        visitor.learner.as_ref(),
        ui.sign_in_title(),
        html! {
            h1 { (ui.card_is_you(&learner.display_name)) }
            p.lead { (learner.village) @if let Some(y) = learner.birth_year { " · " (y) } }
            form method="post" action={ "/c/" (token) } {
                button.button type="submit" { (ui.card_enter()) }
            }
            p { a href="/signin" { (ui.card_not_you()) } }
        },
    )
}

fn card_unknown(state: &AppState, visitor: &Visitor) -> Response {
    let ui = ui(visitor.lang);
    let body = page(
        state,
        visitor.lang,
        visitor.learner.as_ref(),
        ui.card_unknown(),
        html! {
            h1 { (ui.card_unknown()) }
            p.lead { (ui.card_unknown_detail()) }
            p { a.button href="/signin" { (ui.sign_in()) } }
        },
    );
    complete(StatusCode::NOT_FOUND, body)
}

async fn card_learner(state: &AppState, token: &str) -> Result<Option<Learner>, Error> {
    if token::hash(token).is_none() {
        return Ok(None);
    }
    Ok(state.store.learner_by_card(token).await?)
}

async fn card_form(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(token): Path<String>,
) -> Result<Response, Error> {
    Ok(match card_learner(&state, &token).await? {
        Some(learner) => card_page(&state, &visitor, &learner, &token).into_response(),
        None => card_unknown(&state, &visitor),
    })
}

async fn card_sign_in(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    Path(token): Path<String>,
) -> Result<Response, Error> {
    let Some(learner) = card_learner(&state, &token).await? else {
        return Ok(card_unknown(&state, &visitor));
    };
    if let Some(old) = session_hash(&headers) {
        state.store.end_session(old).await?;
    }
    let session = token::new();
    let hash = token::hash(&session).expect("a new token is a token");
    state.store.start_session(hash, &learner.id).await?;
    Ok(signed_in_redirect("/", &session))
}
