//! `/welcome`: where a phone's sign-in window lands when it joins the hall's Wi-Fi (see
//! `web::portal`). The window is a sandbox, so the page shows the box's short address in
//! large type, as a QR code and with a copy button, for the learner to move to the real
//! browser before joining (a sign-up in the window can be lost when it closes); "Mở trang
//! học" opens the lessons here (and brings the phone in, which closes the window). The QR code
//! is for a neighbour's phone: a phone cannot scan its own screen.

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use maud::{Markup, html};

use super::layout::{Extras, page_with};
use crate::content::Lang;
use crate::web::i18n::ui;
use crate::web::{AppState, Error};

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/welcome", get(welcome))
}

async fn welcome(State(state): State<AppState>, lang: Lang) -> Result<Markup, Error> {
    let ui = ui(lang);
    let commune = state
        .store
        .setting("commune_name")
        .await?
        .unwrap_or_default();
    let wifi = state.store.setting("wifi_ssid").await?.unwrap_or_default();
    let home = format!("{}/", state.portal.home());
    let extras = Extras {
        script: Some("welcome.js"),
        ..Extras::default()
    };
    Ok(page_with(
        &state,
        lang,
        None,
        ui.welcome_title(),
        html! {
            h1 { (ui.welcome_title()) }
            @let place = ui.welcome_where(&wifi, &commune);
            @if !place.is_empty() { p.meta.where { (place) } }
            p.lead { (ui.welcome_intro()) }
            // First the real browser: a sign-up in this window is lost if it closes.
            h2 { (ui.welcome_browser()) }
            p.address { strong #address { (state.portal.short()) } }
            div.copy {
                label for="address-field" { (ui.address_label()) }
                input #address-field type="text" readonly value=(home);
                button.button.quiet #copy type="button" hidden data-done=(ui.copied()) { (ui.copy_address()) }
                p #copied role="status" {}
            }
            p.actions { a.button.big href="/" { (ui.welcome_enter()) } }
            p { (ui.welcome_qr()) }
            @if let Some(svg) = crate::web::pages::layout::qr(&home) {
                div.welcome-qr { (svg) }
            }
        },
        &extras,
    ))
}
