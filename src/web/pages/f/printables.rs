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

use crate::facilitate::{Settings, qr};
use crate::store::Learner;
use crate::token;
use crate::web::i18n::ui;
use crate::web::i18n::{current, t, t_args, v};
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
                (t("print-localhost"))
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
        t("print-title"),
        html! {
            (facilitator_nav(&f))
            h1 { (t("print-title")) }
            ul.cards {
                li { a.card href="/f/print/poster" { span.card-text {
                    span.card-title { (t("print-poster-card")) }
                    span.meta { (t("print-poster-card-note")) }
                } } }
            }
            h2 { (t("print-by-group")) }
            @if groups.is_empty() {
                p { (t("print-no-groups")) " " a href="/f/groups" { (t("print-make-group")) } (t("print-or-cards-from")) " " a href="/f/learners" { (t("f-nav-learners")) } "." }
            } @else {
                table.list {
                    tbody {
                        @for g in &groups {
                            tr {
                                td { (g.name) " (" (t_args("people-count", [("n", v(g.members))])) ")" }
                                td { a href={ "/f/print/cards?group=" (g.id) } { (t("print-cards")) } }
                                td { a href={ "/f/print/certificates?group=" (g.id) } { (t("print-certificates")) } }
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
        &format!("{}: {title}", t("print-signin-cards")),
        html! {
            div.no-print {
                (facilitator_nav(&f))
                h1 { (t("print-signin-cards")) ": " (title) }
                p { (t("print-cards-how")) }
                p.meta { (t("print-cards-print")) }
            }
            (local_warning(local))
            @if learners.is_empty() {
                p { (t("print-group-empty")) }
            }
            div.sheet {
                @for l in &learners {
                    @if let Some(token) = tokens.get(&l.id) {
                        div.signin-card {
                            (qr_or_text(&format!("{address}c/{token}")))
                            div {
                                p.name { (l.display_name) }
                                p { (l.village) @if let Some(y) = l.birth_year { " · " (y) } }
                                p { (t("print-scan-to-learn")) }
                                p.meta { (ui(current()).site_name()) " · " (commune) }
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
        t("print-poster"),
        html! {
            div.no-print { (facilitator_nav(&f)) }
            (local_warning(local))
            section.poster {
                h1 { (ui(current()).site_name()) " · " (settings.commune_name) }
                p.lead { (t("print-poster-lead")) }
                div.steps {
                    @if !settings.wifi_ssid.is_empty() {
                        div.step {
                            h2 { "1. " (t("print-poster-wifi")) }
                            (qr_or_text(&qr::wifi_text(&settings.wifi_ssid, &settings.wifi_password)))
                            p { (t("print-wifi-name")) ": " strong { (settings.wifi_ssid) } }
                            @if !settings.wifi_password.is_empty() {
                                p { (t("print-wifi-password")) ": " strong { (settings.wifi_password) } }
                            } @else {
                                p { (t("print-no-password")) }
                            }
                        }
                    }
                    div.step {
                        h2 { @if !settings.wifi_ssid.is_empty() { "2. " } (t("print-poster-open")) }
                        (qr_or_text(&address))
                        p { (t("print-or-type")) }
                        p.address { (shown) }
                    }
                }
            }
            @if settings.wifi_ssid.is_empty() {
                p.note.no-print { (t("print-no-wifi")) " " a href="/f/settings" { (t("print-set-wifi")) } "." }
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
    let ui = ui(current());
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
        &format!("{}: {title}", t("print-certificates")),
        html! {
            div.no-print {
                (facilitator_nav(&f))
                h1 { (t("print-certificates")) ": " (title) }
                p { (t_args("print-certificates-count", [("n", v(earned.len()))])) }
                @if commune.is_none() {
                    p.note { (t("print-no-commune")) " " a href="/f/settings" { (t("print-set-commune")) } "." }
                }
            }
            @for (learner, module, on) in &earned {
                div.page-break {
                    (certificate_article(ui, learner, &module.text.get(ui.lang()).title, module.lessons.len(), commune.as_deref(), on))
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
