//! The facilitator's dashboard (`/f`: today's numbers, open live lessons, the phones on the
//! Wi-Fi, the clock check, how long learners' names are kept), correcting the box's clock
//! (`/f/clock`; far forward, it pauses retention) and the box's settings (`/f/settings`).

use std::collections::HashMap;
use std::sync::PoisonError;

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use maud::{Markup, html};
use serde::Deserialize;

use crate::clock::format;
use crate::content::Lang;
use crate::facilitate::{SettingInvalid, Settings};
use crate::store::{BACKUP_ERROR, DayCounts, LAST_BACKUP};
use crate::web::error::complete;
use crate::web::extract::AppForm;
use crate::web::i18n::{current, t, t_args, ui, v};
use crate::web::pages::layout::{
    Extras, csrf_field, errors, facilitator_nav, page_with, tools_page,
};
use crate::web::session::Facilitating;
use crate::web::{AppState, Error};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/f", get(dashboard))
        // Typed with a slash, the same door.
        .route("/f/", get(|| async { Redirect::to("/f") }))
        .route("/f/clock", axum::routing::post(set_clock))
        .route("/f/settings", get(settings_form).post(save_settings))
}

pub(super) fn setting_message(invalid: SettingInvalid) -> &'static str {
    match invalid {
        SettingInvalid::CommuneEmpty => t("set-commune-empty"),
        SettingInvalid::CommuneTooLong => t("set-commune-long"),
        SettingInvalid::CommuneHidden => t("set-commune-hidden"),
        SettingInvalid::SsidTooLong => t("set-ssid-long"),
        SettingInvalid::WifiPassword => t("set-wifi-password"),
        SettingInvalid::PasswordWithoutSsid => t("set-password-without-ssid"),
        SettingInvalid::HubUrl => t("set-hub-url"),
        SettingInvalid::Lang => t("set-lang"),
        SettingInvalid::WifiPhones => t("set-wifi-phones"),
    }
}

async fn dashboard(State(state): State<AppState>, f: Facilitating) -> Result<Response, Error> {
    let DayCounts {
        learners,
        events: today,
    } = state
        .store
        .counts_since(&format::start_of_day(state.store.clock().now()))
        .await?;
    let count = |kind: &str| today.get(kind).copied().unwrap_or(0);
    let settings = Settings::from_stored(&state.store.settings(&Settings::KEYS).await?);
    let sync = state.store.sync_status().await?;
    let backed_up = state.store.settings(&[LAST_BACKUP, BACKUP_ERROR]).await?;
    let open: Vec<_> = state
        .store
        .recent_live_sessions(20)
        .await?
        .into_iter()
        .filter(|(r, _)| r.ended_at.is_none())
        .collect();
    let room = state.store.media_room().await?;
    let retention = crate::learn::rights::retention(&state.store).await?;
    let out = state.store.proposals_out().await?;
    let own = state
        .catalogue
        .lessons()
        .filter(|l| l.source == crate::content::Source::Local)
        .count();
    let extras = Extras {
        tools: true,
        script: Some("clock.js"),
        ..Extras::default()
    };
    let body = html! {
        (facilitator_nav(&f))
        (clock_check(&state, &f))
        h1 { (settings.commune_name) }
        @for (record, present) in open.iter().filter(|(r, _)| r.province_session.is_some()) {
            div.note.province role="status" {
                h2 { (t("dash-province-live")) }
                p { strong { (crate::web::pages::lesson_title(&state, &record.lesson_id)) }
                    " · " (t("dash-code")) " " strong { (record.code) } " · " (t_args("present-count", [("n", v(*present))])) }
                p.actions {
                    a.button href={ "/present/" (record.id) } { (t("live-open-projector")) }
                    a.button.quiet href={ "/f/live/" (record.id) } { (t("dash-control")) }
                }
            }
        }
        h2 { (t("dash-today")) }
        ul.figures {
            li { strong { (count("learner_joined")) } " " (t("dash-joined")) }
            li { strong { (count("lesson_opened")) } " " (t("dash-opened")) }
            li { strong { (count("lesson_finished")) } " " (t("dash-finished")) }
            li { strong { (count("quiz_submitted")) } " " (t("dash-quizzes")) }
            li { strong { (count("practice_finished")) } " " (t("dash-practice")) }
            li { strong { (count("live_attended")) } " " (t("rep-attendances")) }
        }
        p.meta { (t("dash-learners")) ": " (learners) }
        (phones_now(state.portal.active(), settings.wifi_phones))
        (free_space(state.store.free_bytes()))
        (backups(&backed_up))
        (made_here(&room, own, &out))
        (super::retention::part(&retention, &f.csrf))
        h2 { (t("sync-title")) }
        (super::sync::summary(&sync))
        @if !open.is_empty() {
            h2 { (t("dash-open-sessions")) }
            ul {
                @for (record, present) in &open {
                    li {
                        a href={ "/f/live/" (record.id) } {
                            (crate::web::pages::lesson_title(&state, &record.lesson_id))
                        }
                        " · " (t("dash-code")) " " strong { (record.code) } " · " (t_args("present-count", [("n", v(*present))]))
                    }
                }
            }
        }
        p.actions {
            a.button href="/f/live" { (t("groups-start-live")) }
            a.button.quiet href="/f/learners/new" { (t("people-register")) }
            a.button.quiet href="/f/reports" { (t("f-nav-reports")) }
        }
        @if settings.wifi_ssid.is_empty() {
            p.note { (t("dash-no-wifi")) " " a href="/f/settings" { (t("dash-enter-in-settings")) } " " (t("dash-for-poster")) }
        }
    };
    Ok(page_with(&state, current(), None, t("f-nav-dashboard"), body, &extras).into_response())
}

/// The commune's own lessons, the room their pictures and recordings take of their budget
/// (a warning from 80 %), and what waits to go up to the province.
fn made_here(
    room: &crate::store::MediaRoom,
    own: usize,
    out: &crate::store::ProposalsOut,
) -> Markup {
    let mb = |b: u64| b.div_ceil(1024 * 1024);
    let nearly_full = room.used * 5 >= room.budget * 4;
    html! {
        h2 { (t("dash-own")) }
        ul.figures {
            li { strong { (own) } " " (t("dash-own-in-use")) " · " a href="/f/bai-hoc" { (t("dash-own-edit")) } }
            li { (t("dash-own-media")) ": " strong { (mb(room.used)) " MB" } " " (t_args("dash-own-of-budget", [("budget", v(mb(room.budget)))])) }
            @if out.waiting > 0 { li { strong { (out.waiting) } " " (t("dash-own-waiting")) } }
        }
        @if nearly_full {
            p.note { (t("dash-own-nearly-full")) }
        }
    }
}

/// The phones that made a request in the last five minutes, against what the hall's Wi-Fi
/// takes: a warning from 80 % of it, a plain alarm at it.
fn phones_now(active: usize, limit: u32) -> Markup {
    let limit = limit as usize;
    html! {
        @if active * 5 >= limit * 4 {
            div.note.warn.phones role="status" {
                p { strong { (t_args("dash-phones", [("active", v(active)), ("limit", v(limit))])) } }
                p { @if active >= limit { (t("dash-wifi-full")) } @else { (t("dash-wifi-nearly-full")) }
                    " " (t("dash-wifi-advice")) " "
                    a href="/f/settings" { (t("f-nav-settings")) } "." }
            }
        } @else {
            p.meta.phones { (t_args("dash-phones", [("active", v(active)), ("limit", v(limit))])) }
        }
    }
}

/// The free space where the box keeps its records, and a warning below `store::LOW_SPACE`.
fn free_space(free: Option<u64>) -> Markup {
    let Some(free) = free else {
        return html! {};
    };
    let shown = match free {
        b if b >= 1 << 30 => format!("{:.1} GB", b as f64 / (1u64 << 30) as f64),
        b => format!("{} MB", b >> 20),
    };
    html! {
        @if free < crate::store::LOW_SPACE {
            div.note.warn.space role="status" {
                p { strong { (t_args("dash-space-low", [("free", v(&shown))])) } }
                p { (t("dash-space-advice")) }
            }
        } @else {
            p.meta.space { (t_args("dash-space", [("free", v(&shown))])) }
        }
    }
}

/// When the box last copied itself into its backup folder, or why it could not.
fn backups(settings: &HashMap<String, String>) -> Markup {
    let last = settings.get(LAST_BACKUP).and_then(|s| s.split_once(' '));
    let failed = settings
        .get(BACKUP_ERROR)
        .filter(|e| !e.is_empty())
        .and_then(|s| s.split_once(' '));
    html! {
        @if let Some((at, why)) = failed {
            div.note.warn.backup role="status" {
                p { strong { (t_args("dash-backup-failed", [("at", v(format::when(at)))])) } }
                p { (t_args("dash-backup-why", [("why", v(why))])) }
            }
        }
        @if let Some((at, file)) = last {
            p.meta.backup { (t("dash-backup-last")) ": " (format::when(at)) ", " (t("dash-backup-into")) " " code { (file) } "." }
        } @else if failed.is_none() {
            p.meta.backup { (t("dash-backup-none")) " " code { "--backup-dir" } " " (t("dash-backup-none-usb")) " " code { "hocso backup " (t("sync-cli-file")) } "." }
        }
    }
}

/// The box's clock as the dashboard checks it: plainly wrong when it is before the build,
/// and (with script) when the browser's clock disagrees by more than `clock::TOLERANCE`.
/// Either way the facilitator can set it: from the browser's time (script), or typed.
fn clock_check(state: &AppState, f: &Facilitating) -> Markup {
    use crate::clock;
    let now = state.store.clock().now();
    let ignored = state.store.clock().ignored();
    let wrong = state.store.clock().before_build() || ignored;
    html! {
        details.note.clock.warn[wrong] #clock open[wrong] data-box-ms=((now.unix_timestamp_nanos() / 1_000_000)) data-tolerance-ms=(clock::TOLERANCE.whole_milliseconds()) hidden[!wrong] {
            summary { strong {
                (t_args("dash-clock-wrong", [("now", v(format::moment(now)))]))
            } }
            @if ignored {
                p { (t("dash-clock-ignored")) }
            }
            p { (t("dash-clock-why")) }
            form method="post" action="/f/clock" {
                (csrf_field(&f.csrf))
                input type="hidden" name="browser_ms" value="";
                p.clock-auto hidden { button.button type="submit" { (t("dash-clock-from-browser")) } }
                div.stack.clock-typed {
                    label { (t("dash-clock-date")) input type="date" name="date"; }
                    label { (t("dash-clock-time")) input type="time" name="time"; }
                    button.button type="submit" { (t("dash-clock-set")) }
                }
            }
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ClockFields {
    /// The browser's clock, in milliseconds since 1970 (filled by the dashboard's script).
    browser_ms: String,
    /// Typed by hand in Vietnam's time: `2026-11-25` and `14:30`.
    date: String,
    time: String,
}

/// Sets the box's clock from the browser's time or a typed one, and keeps the correction.
async fn set_clock(
    State(state): State<AppState>,
    _: Facilitating,
    AppForm(fields): AppForm<ClockFields>,
) -> Result<Response, Error> {
    let right = match fields.browser_ms.trim().parse::<i64>() {
        Ok(ms) => time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).ok(),
        Err(_) => format::typed(&fields.date, &fields.time),
    };
    // A time before the build or years ahead is a slip: refused, nothing kept.
    let Some(offset) = right.and_then(|right| crate::clock::offset_for(right).ok()) else {
        let page = tools_page(
            &state,
            t("dash-clock-invalid"),
            html! {
                h1 { (t("dash-clock-invalid")) }
                p.note.error role="alert" { "⚠ " (t_args("dash-clock-invalid-note", [("years", v(crate::clock::YEARS_AHEAD))])) }
                p { a.button href="/f#clock" { (t("dash-back")) } }
            },
        );
        return Ok(complete(StatusCode::BAD_REQUEST, page));
    };
    let before = state.store.clock().offset();
    state
        .store
        .set_setting(crate::store::CLOCK_OFFSET, &offset.to_string())
        .await?;
    // Far forward, learners recorded by the old clock would look long gone: retention waits
    // until a facilitator has seen what it would do (the dashboard says).
    if crate::learn::rights::pauses_retention(before, offset) {
        state
            .store
            .set_setting(crate::learn::rights::RETENTION_PAUSED, "1")
            .await?;
    }
    if state.store.clock().set_offset(offset).is_err() {
        tracing::warn!(
            offset,
            "the clock's new correction went out of range as it was set"
        );
    }
    tracing::info!(offset, "the box's clock was set by a facilitator");
    Ok(Redirect::to("/f").into_response())
}

#[derive(Deserialize, Default)]
struct SettingsFields {
    #[serde(default)]
    commune_name: String,
    #[serde(default)]
    wifi_ssid: String,
    #[serde(default)]
    wifi_password: String,
    #[serde(default)]
    hub_url: String,
    #[serde(default)]
    lang: String,
    #[serde(default)]
    wifi_phones: String,
    /// "1" when the box may sync over plain HTTP with a hub on a public address.
    #[serde(default)]
    hub_plain_http: Option<String>,
}

fn settings_page(
    state: &AppState,
    f: &Facilitating,
    s: &SettingsFields,
    saved: bool,
    problems: &[&str],
) -> Markup {
    tools_page(
        state,
        t("f-nav-settings"),
        html! {
            (facilitator_nav(f))
            h1 { (t("f-nav-settings")) }
            @if saved { p.note role="status" { "✓ " (t("set-saved")) } }
            (errors(problems))
            form.stack method="post" action="/f/settings" {
                (csrf_field(&f.csrf))
                label { (t("set-commune")) input type="text" name="commune_name" required maxlength="100" value=(s.commune_name); }
                label { (t("set-ssid")) input type="text" name="wifi_ssid" maxlength="32" value=(s.wifi_ssid); }
                label { (t("set-password")) input type="text" name="wifi_password" maxlength="63" autocomplete="off" value=(s.wifi_password); }
                label { (t("set-phones")) input type="number" name="wifi_phones" min="1" max="5000" inputmode="numeric" value=(s.wifi_phones); }
                label { (t("set-hub")) input type="text" name="hub_url" inputmode="url" placeholder="http://192.168.1.10:8080" value=(s.hub_url); }
                label.check {
                    input type="checkbox" name="hub_plain_http" value="1" checked[s.hub_plain_http.as_deref() == Some("1")];
                    " " (t("set-plain-http"))
                }
                label { (t("set-default-lang"))
                    select name="lang" {
                        @for &lang in Lang::all() {
                            option value=(lang.code()) selected[s.lang == lang.code()] { (ui(lang).name()) }
                        }
                    }
                }
                button.button type="submit" { (t("save")) }
            }
        },
    )
}

async fn settings_form(State(state): State<AppState>, f: Facilitating) -> Result<Markup, Error> {
    let s = Settings::from_stored(&state.store.settings(&Settings::KEYS).await?);
    let fields = SettingsFields {
        commune_name: s.commune_name,
        wifi_ssid: s.wifi_ssid,
        wifi_password: s.wifi_password,
        hub_url: s.hub_url,
        lang: s.lang.code().to_string(),
        wifi_phones: s.wifi_phones.to_string(),
        hub_plain_http: s.hub_plain_http.then(|| "1".to_string()),
    };
    Ok(settings_page(&state, &f, &fields, false, &[]))
}

async fn save_settings(
    State(state): State<AppState>,
    f: Facilitating,
    AppForm(fields): AppForm<SettingsFields>,
) -> Result<Response, Error> {
    let before = Settings::from_stored(&state.store.settings(&Settings::KEYS).await?);
    match Settings::from_form(
        &fields.commune_name,
        &fields.wifi_ssid,
        &fields.wifi_password,
        (
            &fields.hub_url,
            fields.hub_plain_http.as_deref() == Some("1"),
        ),
        &fields.lang,
        &fields.wifi_phones,
    ) {
        Ok(settings) => {
            state.store.set_settings(settings.to_stored()).await?;
            // The way to the hub changed: sync now, so its page says at once how it went.
            if (&before.hub_url, before.hub_plain_http)
                != (&settings.hub_url, settings.hub_plain_http)
            {
                state.sync_now.notify_one();
            }
            state.renamed.notify_one();
            *state
                .default_lang
                .write()
                .unwrap_or_else(PoisonError::into_inner) = settings.lang;
            let shown = SettingsFields {
                lang: settings.lang.code().to_string(),
                commune_name: settings.commune_name,
                wifi_ssid: settings.wifi_ssid,
                wifi_password: settings.wifi_password,
                hub_url: settings.hub_url,
                wifi_phones: settings.wifi_phones.to_string(),
                hub_plain_http: settings.hub_plain_http.then(|| "1".to_string()),
            };
            Ok(settings_page(&state, &f, &shown, true, &[]).into_response())
        }
        Err(invalid) => {
            let problems: Vec<&str> = invalid.into_iter().map(setting_message).collect();
            Ok(complete(
                StatusCode::BAD_REQUEST,
                settings_page(&state, &f, &fields, false, &problems),
            ))
        }
    }
}
