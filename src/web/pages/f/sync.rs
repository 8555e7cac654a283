//! `/f/sync`: the box's sync with the province as a facilitator sees it: the hub it is
//! enrolled with, the last successful sync, what is waiting, the last error in plain words;
//! enrolling with an address and a code; "sync now"; whether learners' names travel; and the
//! USB way, both halves on the page: the file of records to take to the province, and the
//! province's reply file taken back (`/f/sync/reply`, an upload).

use axum::Router;
use axum::extract::{DefaultBodyLimit, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use maud::{Markup, html};
use serde::Deserialize;

use crate::facilitate::hub_address;
use crate::protocol::address::{Fingerprint, HubAddress};
use crate::store::SyncStatus;
use crate::store::sync::SHARE_NAMES;
use crate::sync::client;
use crate::sync::link::Hub;
use crate::web::extract::{AppForm, Upload};
use crate::web::i18n::{t, t_args, v};
use crate::web::pages::layout::{csrf_field, errors, facilitator_nav};
use crate::web::session::Facilitating;
use crate::web::{AppState, Error, complete};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/f/sync", get(page))
        .route("/f/sync/enroll", post(enroll))
        .route("/f/sync/now", post(now))
        .route("/f/sync/export", get(export))
        .route(
            "/f/sync/reply",
            post(reply).layer(DefaultBodyLimit::max(crate::web::UPLOAD_LIMIT)),
        )
        .route("/f/sync/names", post(names))
}

/// The hub as the box reaches it now.
fn hub_of(status: &SyncStatus) -> Hub {
    Hub {
        url: status.hub_url.clone(),
        pin: status.hub_pin.clone(),
        plain_http: status.plain_http,
    }
}

/// The sync's state in a few lines, for this page and the dashboard; why sync is refused when
/// plain HTTP would go to a public address.
pub(super) fn summary(status: &SyncStatus) -> Markup {
    let refused = status.hub_id.is_some() && hub_of(status).plainly_refused();
    html! {
        @if status.hub_id.is_none() {
            p { (t("sync-not-enrolled")) " " a href="/f/sync" { (t("sync-enrol")) } }
        } @else {
            ul.figures {
                li { (t("sync-last-ok")) ": " strong { (status.last_ok.as_deref().map(crate::clock::format::when).unwrap_or_else(|| t("sync-never").into())) } }
                li { strong { (status.waiting) } " " (t("sync-waiting")) }
            }
        }
        @if refused {
            div.note.error role="alert" { p { "⚠ " (t("sync-plain-refused")) " " a href="/f/settings" { (t("f-nav-settings")) } } }
        } @else if let Some(error) = &status.last_error {
            div.note.error role="alert" { p { "⚠ " (t("sync-last-failed")) ": " (error) } }
        }
        @if let Some(note) = &status.new_identity {
            p.note { (t("sync-new-identity")) " " code { (note.split(' ').next().unwrap_or_default()) } "." }
        }
    }
}

/// How the link to the hub is kept private: encrypted (and how its certificate is checked),
/// or plain.
fn link_security(status: &SyncStatus) -> Markup {
    let https = HubAddress::parse(&status.hub_url).is_some_and(|a| a.is_https());
    let pinned = status.hub_pin.as_deref().and_then(Fingerprint::parse);
    html! {
        @match (https, pinned) {
            (true, Some(pin)) => p.meta { (t("sync-link-pinned")) " " code.fingerprint { (pin) } "." },
            (true, None) => p.meta { (t("sync-link-https")) },
            (false, _) => p.meta { (t("sync-link-plain")) },
        }
    }
}

#[derive(Deserialize, Default)]
struct Shown {
    #[serde(default)]
    started: Option<String>,
}

#[derive(Deserialize, Default, Clone)]
struct EnrolFields {
    #[serde(default)]
    hub_url: String,
    #[serde(default)]
    code: String,
    /// The hub's certificate fingerprint, when the province gave one.
    #[serde(default)]
    fingerprint: String,
}

fn sync_page(
    state: &AppState,
    f: &Facilitating,
    status: &SyncStatus,
    fields: &EnrolFields,
    notes: (&[&str], Option<&str>),
) -> Markup {
    let (problems, done) = notes;
    let started = done == Some("started");
    let extras = crate::web::pages::layout::Extras {
        tools: true,
        ..Default::default()
    };
    let body = html! {
        (facilitator_nav(f))
        h1 { (t("sync-title")) }
        @if let Some(done) = done.filter(|d| *d != "started") { p.note role="status" { "✓ " (done) } }
        @if started {
            // Reloads the page (without the note) once the sync has had time to run.
            meta http-equiv="refresh" content="3; url=/f/sync";
            p.note role="status" { (t("sync-running")) }
        }
        (errors(problems))
        (summary(status))
        @if status.hub_id.is_some() {
            p { (t("sync-hub")) ": " code { (status.hub_url) } }
            (link_security(status))
            form.inline method="post" action="/f/sync/now" {
                (csrf_field(&f.csrf))
                button.button type="submit" { (t("sync-now")) }
            }
            @if !status.packs.is_empty() {
                h2 { (t("sync-packs")) }
                ul { @for p in &status.packs { li { (p.name) " · " (t("sync-pack-version")) " " (p.version) } } }
            }
        }
        h2 { @if status.hub_id.is_some() { (t("sync-enrol-again")) } @else { (t("sync-enrol-title")) } }
        p { (t("sync-enrol-lead")) }
        form.stack method="post" action="/f/sync/enroll" {
            (csrf_field(&f.csrf))
            label { (t("sync-hub-address")) input type="text" name="hub_url" inputmode="url" required placeholder="http://192.168.1.10:8090" value=(fields.hub_url); }
            label { (t("sync-enrol-code")) input type="text" name="code" required autocomplete="off" placeholder="ABCD EFGH" value=(fields.code); }
            label { (t("sync-fingerprint")) input type="text" name="fingerprint" autocomplete="off" spellcheck="false" placeholder="AB:CD:…" value=(fields.fingerprint); }
            button.button type="submit" { (t("sync-enrol")) }
        }
        h2 { (t("sync-names")) }
        form.stack method="post" action="/f/sync/names" {
            (csrf_field(&f.csrf))
            label.check {
                input type="checkbox" name="share" value="1" checked[status.share_names];
                " " (t("sync-share-names"))
            }
            button.button.quiet type="submit" { (t("save")) }
        }
        h2 #usb { (t("sync-usb")) }
        @if status.hub_id.is_some() {
            ol.usb-steps {
                li {
                    p { (t("sync-usb-export")) }
                    p { a.button.quiet href="/f/sync/export" download { "⬇ " (t("sync-usb-download")) } }
                }
                li {
                    p { (t("sync-usb-reply-before")) " " strong { (t("sync-usb-reply-file")) } " " (t("sync-usb-reply-after")) }
                    form.stack method="post" action="/f/sync/reply" enctype="multipart/form-data" {
                        (csrf_field(&f.csrf))
                        label { (t("sync-reply-file")) input type="file" name="file" required accept=".hocso,application/octet-stream"; }
                        button.button type="submit" { (t("sync-take-reply")) }
                    }
                }
            }
        } @else {
            p { (t("sync-usb-enrol-first")) }
        }
        p.meta { (t("sync-cli-export")) " " code { "hocso sync export " (t("sync-cli-file")) } (t("sync-cli-import")) " " code { "hocso sync import " (t("sync-cli-file")) } "." }
    };
    crate::web::pages::layout::page_with(
        state,
        crate::web::i18n::current(),
        None,
        t("f-nav-sync"),
        body,
        &extras,
    )
}

async fn page(
    State(state): State<AppState>,
    f: Facilitating,
    Query(shown): Query<Shown>,
) -> Result<Markup, Error> {
    let status = state.store.sync_status().await?;
    let fields = EnrolFields {
        hub_url: status.hub_url.clone(),
        ..EnrolFields::default()
    };
    let done = shown.started.as_ref().map(|_| "started");
    Ok(sync_page(&state, &f, &status, &fields, (&[], done)))
}

async fn enroll(
    State(state): State<AppState>,
    f: Facilitating,
    AppForm(fields): AppForm<EnrolFields>,
) -> Result<Response, Error> {
    // An address typed without its scheme ("192.168.1.10:8090") is taken as http://.
    let url = hub_address(&fields.hub_url).unwrap_or_default();
    let code = fields.code.trim().to_string();
    let mut problems = Vec::new();
    if url.is_empty() {
        problems.push(t("set-hub-url").to_string());
    }
    if code.is_empty() || code.chars().count() > 40 {
        problems.push(t("sync-code-missing").to_string());
    }
    let pin = match fields.fingerprint.trim() {
        "" => None,
        typed => {
            let pin = Fingerprint::parse(typed);
            if pin.is_none() {
                problems.push(t("sync-fingerprint-bad").to_string());
            }
            pin
        }
    };
    if problems.is_empty() {
        match client::enroll(&state.store, &url, &code, pin.as_ref()).await {
            Ok(enrolled) => {
                tracing::info!(commune = %enrolled.commune, "enrolled with the hub");
                state.sync_now.notify_one();
                let status = state.store.sync_status().await?;
                let done = t_args("sync-enrolled", [("commune", v(&enrolled.commune))]);
                return Ok(sync_page(
                    &state,
                    &f,
                    &status,
                    &EnrolFields {
                        hub_url: url,
                        ..EnrolFields::default()
                    },
                    (&[], Some(&done)),
                )
                .into_response());
            }
            Err(e) => problems.push(e.plain()),
        }
    }
    let status = state.store.sync_status().await?;
    let shown: Vec<&str> = problems.iter().map(String::as_str).collect();
    Ok(complete(
        StatusCode::BAD_REQUEST,
        sync_page(&state, &f, &status, &fields, (&shown, None)),
    ))
}

async fn now(State(state): State<AppState>, _f: Facilitating) -> Response {
    state.sync_now.notify_one();
    Redirect::to("/f/sync?started=1").into_response()
}

#[derive(Deserialize, Default)]
struct NamesFields {
    #[serde(default)]
    share: Option<String>,
}

async fn names(
    State(state): State<AppState>,
    _f: Facilitating,
    AppForm(fields): AppForm<NamesFields>,
) -> Result<Response, Error> {
    let share = fields.share.as_deref() == Some("1");
    state
        .store
        .set_setting(SHARE_NAMES, if share { "1" } else { "0" })
        .await?;
    Ok(Redirect::to("/f/sync").into_response())
}

/// The province's reply file, brought back on a USB stick and chosen on the page: checked
/// against the hub's pinned key before anything in it is used; then the records the hub
/// holds are no longer waiting, and new lesson packs are served at once.
async fn reply(
    State(state): State<AppState>,
    f: Facilitating,
    Upload(file): Upload,
) -> Result<Response, Error> {
    let status = state.store.sync_status().await?;
    let fields = EnrolFields {
        hub_url: status.hub_url.clone(),
        ..EnrolFields::default()
    };
    let refuse = |problem: &str| {
        complete(
            StatusCode::BAD_REQUEST,
            sync_page(&state, &f, &status, &fields, (&[problem], None)),
        )
    };
    let Some(bytes) = file else {
        return Ok(refuse(t("sync-reply-missing")));
    };
    let replied = match client::import_reply(&state.store, &bytes).await {
        Ok(replied) => replied,
        Err(e) => {
            tracing::warn!("reply file refused: {e}");
            return Ok(refuse(&e.plain()));
        }
    };
    if replied.packs > 0 {
        state.reload_lessons().await?;
    }
    tracing::info!(packs = replied.packs, "took the hub's reply file");
    let status = state.store.sync_status().await?;
    let mut done = format!("{} ", t("sync-reply-taken"));
    done += &match status.waiting {
        0 => t("sync-hub-holds-all").to_string(),
        n => t_args("sync-still-waiting", [("n", v(n))]),
    };
    if replied.packs > 0 {
        done += " ";
        done += &t_args("sync-new-packs", [("n", v(replied.packs))]);
    }
    Ok(sync_page(&state, &f, &status, &fields, (&[], Some(&done))).into_response())
}

/// The USB file: every event the hub has not confirmed, as `hocso sync export` writes it, as a
/// download. Nothing moves on the box until the hub's reply file comes back.
async fn export(State(state): State<AppState>, _f: Facilitating) -> Result<Response, Error> {
    let (bytes, _) = client::export(&state.store).await.map_err(|e| {
        tracing::warn!("USB export failed: {e}");
        Error::Rejected {
            code: "not_enrolled",
            detail: e.to_string(),
        }
    })?;
    let name = format!(
        "hocso-{}.hocso",
        state.store.box_id().chars().take(8).collect::<String>()
    );
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "application/octet-stream".to_string(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}
