//! The facilitator's side: the one-time set-up (`/setup`), signing in and out (`/f/signin`,
//! `/f/signout`), the dashboard with today's numbers (`/f`) and the box's settings
//! (`/f/settings`). Every form carries the browser's CSRF token; `csrf::guard` checks it.

use std::collections::HashMap;

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Router, middleware};
use maud::{Markup, html};
use serde::Deserialize;

use super::layout::{Extras, page_with};
use crate::content::Lang;
use crate::facilitate::{self, AccountInvalid, SettingInvalid, Settings};
use crate::learn::fold;
use crate::store::SetupRefused;
use crate::token;
use crate::web::csrf::{self, CsrfToken};
use crate::web::error::complete;
use crate::web::extract::AppForm;
use crate::web::session::{
    FACILITATOR_COOKIE, Facilitating, clear_facilitator_cookie, cookie, facilitator_cookie,
};
use crate::web::{AppState, Error, Role};

/// Set-up, sign-in and sign-out: the same on a box and on the hub.
pub(super) fn account_routes() -> Router<AppState> {
    Router::new()
        .route("/setup", get(setup_form).post(setup))
        .route("/f/signin", get(signin_form).post(signin))
        .route("/f/signout", axum::routing::post(signout))
        .layer(middleware::from_fn(csrf::guard))
}

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/f", get(dashboard))
        .route("/f/clock", axum::routing::post(set_clock))
        .route("/f/settings", get(settings_form).post(save_settings))
        .merge(super::people::routes())
        .merge(super::printables::routes())
        .merge(super::live::routes())
        .merge(super::reports::routes())
        .merge(super::sync::routes())
        .layer(middleware::from_fn(csrf::guard))
        .merge(account_routes())
}

/// The throttle's key for set-up tries: one for the whole box, as there is one code.
const SETUP_TRIES: &str = "setup";

/// A facilitator's page: Vietnamese, with the tools style sheet.
pub(super) fn tools_page(state: &AppState, title: &str, main: Markup) -> Markup {
    let extras = Extras {
        tools: true,
        ..Extras::default()
    };
    page_with(state, Lang::Vi, None, title, main, &extras)
}

/// The hidden field every form here carries.
pub(super) fn csrf_field(token: &str) -> Markup {
    html! { input type="hidden" name="csrf" value=(token); }
}

pub(super) fn errors(messages: &[&str]) -> Markup {
    html! {
        @if !messages.is_empty() {
            div.note.error role="alert" {
                @for m in messages { p { "⚠ " (m) } }
            }
        }
    }
}

fn account_message(invalid: AccountInvalid) -> &'static str {
    match invalid {
        AccountInvalid::NameEmpty => "Hãy nhập tên của bạn.",
        AccountInvalid::NameTooLong => "Tên dài quá 60 chữ.",
        AccountInvalid::PasswordTooShort => "Mật khẩu cần ít nhất 8 ký tự.",
        AccountInvalid::PasswordTooLong => "Mật khẩu dài quá 128 ký tự.",
        AccountInvalid::PasswordsDiffer => "Hai lần nhập mật khẩu không giống nhau.",
    }
}

fn setting_message(invalid: SettingInvalid) -> &'static str {
    match invalid {
        SettingInvalid::CommuneEmpty => "Hãy nhập tên xã.",
        SettingInvalid::CommuneTooLong => "Tên xã dài quá 100 chữ.",
        SettingInvalid::SsidTooLong => "Tên Wi-Fi dài quá 32 ký tự.",
        SettingInvalid::WifiPassword => {
            "Mật khẩu Wi-Fi cần từ 8 đến 63 ký tự (để trống nếu mạng không có mật khẩu)."
        }
        SettingInvalid::PasswordWithoutSsid => "Có mật khẩu Wi-Fi thì cần cả tên Wi-Fi.",
        SettingInvalid::HubUrl => {
            "Địa chỉ máy chủ tỉnh phải bắt đầu bằng http://, ví dụ http://192.168.1.10:8080."
        }
        SettingInvalid::Lang => "Hãy chọn một ngôn ngữ trong danh sách.",
        SettingInvalid::WifiPhones => "Số điện thoại Wi-Fi nhận được là một số từ 1 đến 5000.",
    }
}

#[derive(Deserialize, Default, Clone)]
struct SetupFields {
    #[serde(default)]
    code: String,
    #[serde(default)]
    commune: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    again: String,
}

fn setup_page(state: &AppState, csrf: &str, fields: &SetupFields, problems: &[&str]) -> Markup {
    let (title, lead, place, example) = match state.role {
        Role::Box => (
            "Cài đặt hộp Học số",
            "Tạo tài khoản người hướng dẫn đầu tiên. Mã cài đặt in trên màn hình của hộp khi hộp khởi động.",
            "Tên xã",
            "Xã Ea Sol",
        ),
        Role::Hub => (
            "Cài đặt máy chủ tỉnh",
            "Tạo tài khoản cán bộ tỉnh đầu tiên. Mã cài đặt in trên màn hình khi máy chủ khởi động.",
            "Tên tỉnh",
            "Tỉnh Đắk Lắk",
        ),
    };
    tools_page(
        state,
        title,
        html! {
            h1 { (title) }
            p.lead { (lead) }
            (errors(problems))
            form.stack method="post" action="/setup" {
                (csrf_field(csrf))
                label { "Mã cài đặt" input type="text" name="code" inputmode="numeric" autocomplete="off" required value=(fields.code); }
                label { (place) input type="text" name="commune" required maxlength="100" value=(fields.commune) placeholder=(example); }
                label { "Tên của bạn" input type="text" name="name" required maxlength="60" autocomplete="username" value=(fields.name); }
                label { "Mật khẩu (ít nhất 8 ký tự)" input type="password" name="password" required minlength="8" autocomplete="new-password"; }
                label { "Nhập lại mật khẩu" input type="password" name="again" required minlength="8" autocomplete="new-password"; }
                button.button type="submit" { "Cài đặt" }
            }
        },
    )
}

fn already_set_up(state: &AppState) -> Markup {
    tools_page(
        state,
        "Hộp đã được cài đặt",
        html! {
            h1 { "Hộp đã được cài đặt" }
            p.lead { "Hộp này đã có người hướng dẫn. Việc cài đặt chỉ làm một lần." }
            p { a.button href="/f/signin" { "Đăng nhập người hướng dẫn" } }
        },
    )
}

async fn setup_form(State(state): State<AppState>, csrf: Csrf) -> Result<Markup, Error> {
    if state.store.is_set_up().await? {
        return Ok(already_set_up(&state));
    }
    Ok(setup_page(&state, &csrf.0, &SetupFields::default(), &[]))
}

async fn setup(
    State(state): State<AppState>,
    csrf: Csrf,
    AppForm(fields): AppForm<SetupFields>,
) -> Result<Response, Error> {
    if state.store.is_set_up().await? {
        return Ok(complete(StatusCode::CONFLICT, already_set_up(&state)));
    }
    let form_again = |problems: &[&str], status| {
        let fields = SetupFields {
            password: String::new(),
            again: String::new(),
            code: String::new(),
            ..fields.clone()
        };
        complete(status, setup_page(&state, &csrf.0, &fields, problems))
    };
    if let Err(wait) = state.throttle.check(SETUP_TRIES) {
        let message = format!(
            "Nhập sai mã nhiều lần. Hãy chờ {} giây rồi thử lại.",
            wait.as_secs().max(1)
        );
        return Ok(form_again(&[&message], StatusCode::TOO_MANY_REQUESTS));
    }
    let commune = fields
        .commune
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let mut problems: Vec<&str> = Vec::new();
    if commune.is_empty() {
        problems.push(setting_message(SettingInvalid::CommuneEmpty));
    } else if commune.chars().count() > 100 {
        problems.push(setting_message(SettingInvalid::CommuneTooLong));
    }
    let (name, password, again) = (
        fields.name.clone(),
        fields.password.clone(),
        fields.again.clone(),
    );
    let new = state
        .hash(move || facilitate::new_facilitator(&name, &password, &again))
        .await?;
    let new = match new {
        Ok(new) if problems.is_empty() => new,
        Ok(_) => return Ok(form_again(&problems, StatusCode::BAD_REQUEST)),
        Err(invalid) => {
            problems.extend(invalid.into_iter().map(account_message));
            return Ok(form_again(&problems, StatusCode::BAD_REQUEST));
        }
    };
    let token = token::new();
    let hash = token::hash(&token).expect("a new token hashes");
    match state
        .store
        .set_up(&fields.code, new, &commune, hash)
        .await?
    {
        Ok(facilitator) => {
            state.throttle.succeeded(SETUP_TRIES);
            state.renamed.notify_one();
            tracing::info!(facilitator = %facilitator.name, "the box is set up");
            Ok(signed_in(&state, &token))
        }
        Err(SetupRefused::AlreadyDone) => {
            Ok(complete(StatusCode::CONFLICT, already_set_up(&state)))
        }
        Err(SetupRefused::WrongCode) => {
            state.throttle.failed(SETUP_TRIES);
            Ok(form_again(
                &["Mã cài đặt không đúng. Xem lại mã in trên màn hình của hộp."],
                StatusCode::BAD_REQUEST,
            ))
        }
    }
}

/// Signs the browser in as a facilitator (or officer) and goes to the dashboard.
fn signed_in(state: &AppState, token: &str) -> Response {
    let home = match state.role {
        Role::Box => "/f",
        Role::Hub => "/hub",
    };
    let mut response = Redirect::to(home).into_response();
    response
        .headers_mut()
        .append(header::SET_COOKIE, facilitator_cookie(token));
    response
}

#[derive(Deserialize, Default)]
struct SigninFields {
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
}

fn signin_page(state: &AppState, csrf: &str, name: &str, problems: &[&str]) -> Markup {
    tools_page(
        state,
        "Đăng nhập người hướng dẫn",
        html! {
            h1 { "Đăng nhập người hướng dẫn" }
            (errors(problems))
            form.stack method="post" action="/f/signin" {
                (csrf_field(csrf))
                label { "Tên" input type="text" name="name" required autocomplete="username" value=(name); }
                label { "Mật khẩu" input type="password" name="password" required autocomplete="current-password"; }
                button.button type="submit" { "Đăng nhập" }
            }
            p.meta { "Quên mật khẩu? Trên hộp, chạy: hocso facilitator reset-password \"Tên\"" }
        },
    )
}

async fn signin_form(State(state): State<AppState>, csrf: Csrf) -> Result<Response, Error> {
    if !state.store.is_set_up().await? {
        return Ok(Redirect::to("/setup").into_response());
    }
    Ok(signin_page(&state, &csrf.0, "", &[]).into_response())
}

async fn signin(
    State(state): State<AppState>,
    csrf: Csrf,
    AppForm(fields): AppForm<SigninFields>,
) -> Result<Response, Error> {
    let key = format!("f:{}", fold(&fields.name));
    let again = |message: &str, status| {
        complete(
            status,
            signin_page(&state, &csrf.0, &fields.name, &[message]),
        )
    };
    if let Err(wait) = state.throttle.check(&key) {
        let message = format!(
            "Sai nhiều lần. Hãy chờ {} giây rồi thử lại.",
            wait.as_secs().max(1)
        );
        return Ok(again(&message, StatusCode::TOO_MANY_REQUESTS));
    }
    let found = state.store.facilitator_login(&fold(&fields.name)).await?;
    let right = match found {
        Some((facilitator, stored)) => {
            let password = fields.password.clone();
            let ok = state
                .hash(move || facilitate::verify_password(&stored, &password))
                .await?;
            ok.then_some(facilitator)
        }
        None => None,
    };
    let Some(facilitator) = right else {
        state.throttle.failed(&key);
        return Ok(again(
            "Tên hoặc mật khẩu không đúng.",
            StatusCode::BAD_REQUEST,
        ));
    };
    state.throttle.succeeded(&key);
    let token = token::new();
    let hash = token::hash(&token).expect("a new token hashes");
    state
        .store
        .start_facilitator_session(hash, &facilitator.id)
        .await?;
    Ok(signed_in(&state, &token))
}

async fn signout(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
) -> Result<Response, Error> {
    if let Some(hash) = cookie(&headers, FACILITATOR_COOKIE).and_then(token::hash) {
        state.store.end_facilitator_session(hash).await?;
    }
    let mut response = Redirect::to("/f/signin").into_response();
    response
        .headers_mut()
        .append(header::SET_COOKIE, clear_facilitator_cookie());
    Ok(response)
}

/// The top bar of every facilitator page: where to go, and signing out.
pub(super) fn facilitator_nav(f: &Facilitating) -> Markup {
    html! {
        nav.crumbs.fnav aria-label="Việc của người hướng dẫn" {
            a href="/f" { "Bảng điều khiển" } " · "
            a href="/f/learners" { "Người học" } " · "
            a href="/f/groups" { "Nhóm" } " · "
            a href="/f/live" { "Học nhóm" } " · "
            a href="/f/reports" { "Báo cáo" } " · "
            a href="/f/print" { "In" } " · "
            a href="/f/sync" { "Đồng bộ" } " · "
            a href="/f/settings" { "Cài đặt" } " · "
            span { (f.facilitator.name) }
        }
        form.inline method="post" action="/f/signout" {
            (csrf_field(&f.csrf))
            button.button.quiet type="submit" { "Đăng xuất" }
        }
    }
}

/// The start of today in Vietnam (UTC+7), as the box's clock writes times (UTC).
fn start_of_today(state: &AppState) -> String {
    use time::format_description::well_known::Rfc3339;
    let now = state.store.clock().now().to_offset(super::vietnam());
    now.replace_time(time::Time::MIDNIGHT)
        .to_offset(time::UtcOffset::UTC)
        .format(&Rfc3339)
        .expect("a time formats")
}

async fn dashboard(State(state): State<AppState>, f: Facilitating) -> Result<Response, Error> {
    let (learners, today) = state.store.counts_since(&start_of_today(&state)).await?;
    let today: HashMap<String, i64> = today.into_iter().collect();
    let count = |kind: &str| today.get(kind).copied().unwrap_or(0);
    let settings = Settings::from_stored(&state.store.settings(&Settings::KEYS).await?);
    let sync = state.store.sync_status().await?;
    let open: Vec<_> = state
        .store
        .recent_live_sessions(20)
        .await?
        .into_iter()
        .filter(|(r, _)| r.ended_at.is_none())
        .collect();
    let extras = Extras {
        tools: true,
        script: Some("clock.js"),
        ..Extras::default()
    };
    let body = html! {
        (facilitator_nav(&f))
        (clock_check(&state, &f))
        h1 { (settings.commune_name) }
        h2 { "Hôm nay" }
        ul.figures {
            li { strong { (count("learner_joined")) } " người mới tham gia" }
            li { strong { (count("lesson_opened")) } " lượt mở bài" }
            li { strong { (count("lesson_finished")) } " bài học xong" }
            li { strong { (count("quiz_submitted")) } " lượt làm bài kiểm tra" }
            li { strong { (count("live_attended")) } " lượt có mặt ở buổi học nhóm" }
        }
        p.meta { "Tổng số người học trên hộp: " (learners) }
        (phones_now(state.portal.active(), settings.wifi_phones))
        h2 { "Đồng bộ với tỉnh" }
        (super::sync::summary(&sync))
        @if !open.is_empty() {
            h2 { "Buổi học nhóm đang mở" }
            ul {
                @for (record, present) in &open {
                    li {
                        a href={ "/f/live/" (record.id) } {
                            (super::lesson_title(&state, &record.lesson_id))
                        }
                        " · mã " strong { (record.code) } " · " (present) " người có mặt"
                    }
                }
            }
        }
        p.actions {
            a.button href="/f/live" { "Bắt đầu học nhóm" }
            a.button.quiet href="/f/learners/new" { "Ghi danh người học" }
            a.button.quiet href="/f/reports" { "Báo cáo" }
        }
        @if settings.wifi_ssid.is_empty() {
            p.note { "Chưa có tên Wi-Fi của nhà văn hóa. " a href="/f/settings" { "Nhập trong Cài đặt" } " để in áp phích." }
        }
    };
    Ok(page_with(&state, Lang::Vi, None, "Bảng điều khiển", body, &extras).into_response())
}

/// The phones that made a request in the last five minutes, against what the hall's Wi-Fi
/// takes: a warning from 80 % of it, a plain alarm at it.
fn phones_now(active: usize, limit: u32) -> Markup {
    let limit = limit as usize;
    html! {
        @if active * 5 >= limit * 4 {
            div.note.warn.phones role="status" {
                p { strong { (active) " điện thoại đang dùng Wi-Fi (5 phút qua), Wi-Fi nhận khoảng " (limit) "." } }
                p { @if active >= limit { "Wi-Fi đã đầy: điện thoại vào sau có thể không kết nối được." } @else { "Wi-Fi sắp đầy." }
                    " Hãy cho học theo lượt, hoặc nối thêm một bộ phát Wi-Fi (xem hướng dẫn lắp đặt), rồi sửa con số trong "
                    a href="/f/settings" { "Cài đặt" } "." }
            }
        } @else {
            p.meta.phones { (active) " điện thoại đang dùng Wi-Fi (5 phút qua), Wi-Fi nhận khoảng " (limit) "." }
        }
    }
}

/// The box's clock as the dashboard checks it: plainly wrong when it is before the build,
/// and (with script) when the browser's clock disagrees by more than `clock::TOLERANCE`.
/// Either way the facilitator can set it: from the browser's time (script), or typed.
fn clock_check(state: &AppState, f: &Facilitating) -> Markup {
    use crate::clock;
    let now = state.store.clock().now();
    let shown = now.to_offset(super::vietnam());
    let wrong = state.store.clock().before_build();
    html! {
        details.note.clock.warn[wrong] #clock open[wrong] data-box-ms=((now.unix_timestamp_nanos() / 1_000_000)) data-tolerance-ms=(clock::TOLERANCE.whole_milliseconds()) hidden[!wrong] {
            summary { strong {
                "Đồng hồ của hộp có thể sai: hộp đang ghi "
                (format!("{:02}:{:02} ngày {:02}/{:02}/{}", shown.hour(), shown.minute(), shown.day(), u8::from(shown.month()), shown.year()))
                "."
            } }
            p { "Giờ sai làm ngày tháng trong báo cáo sai (thứ tự các bản ghi thì không sai). Hãy đặt lại giờ:" }
            form method="post" action="/f/clock" {
                (csrf_field(&f.csrf))
                input type="hidden" name="browser_ms" value="";
                p.clock-auto hidden { button.button type="submit" { "Đặt theo giờ của máy này" } }
                div.stack.clock-typed {
                    label { "Ngày (giờ Việt Nam)" input type="date" name="date"; }
                    label { "Giờ" input type="time" name="time"; }
                    button.button type="submit" { "Đặt giờ" }
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
        Err(_) => typed_time(&fields.date, &fields.time),
    };
    let Some(right) = right.filter(|t| *t >= crate::clock::built_at()) else {
        let page = tools_page(
            &state,
            "Giờ không hợp lệ",
            html! {
                h1 { "Giờ không hợp lệ" }
                p.note.error role="alert" { "⚠ Hãy nhập ngày và giờ hiện tại (giờ Việt Nam), ví dụ 25/11/2026 và 14:30." }
                p { a.button href="/f#clock" { "Quay lại" } }
            },
        );
        return Ok(complete(StatusCode::BAD_REQUEST, page));
    };
    let offset = crate::clock::offset_to(right);
    state
        .store
        .set_setting(crate::store::CLOCK_OFFSET, &offset.to_string())
        .await?;
    state.store.clock().set_offset(offset);
    tracing::info!(offset, "the box's clock was set by a facilitator");
    Ok(Redirect::to("/f").into_response())
}

/// `2026-11-25` and `14:30`, in Vietnam's time.
fn typed_time(date: &str, time_of_day: &str) -> Option<time::OffsetDateTime> {
    let date = time::Date::parse(
        date.trim(),
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .ok()?;
    let time_of_day = time::Time::parse(
        time_of_day.trim(),
        time::macros::format_description!("[hour]:[minute]"),
    )
    .ok()?;
    Some(time::PrimitiveDateTime::new(date, time_of_day).assume_offset(super::vietnam()))
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
        "Cài đặt",
        html! {
            (facilitator_nav(f))
            h1 { "Cài đặt" }
            @if saved { p.note role="status" { "✓ Đã lưu." } }
            (errors(problems))
            form.stack method="post" action="/f/settings" {
                (csrf_field(&f.csrf))
                label { "Tên xã (in trên chứng nhận, báo cáo)" input type="text" name="commune_name" required maxlength="100" value=(s.commune_name); }
                label { "Tên Wi-Fi của nhà văn hóa (cho áp phích)" input type="text" name="wifi_ssid" maxlength="32" value=(s.wifi_ssid); }
                label { "Mật khẩu Wi-Fi (để trống nếu không có)" input type="text" name="wifi_password" maxlength="63" autocomplete="off" value=(s.wifi_password); }
                label { "Số điện thoại Wi-Fi nhận được cùng lúc (Wi-Fi của Raspberry Pi: khoảng 15; có bộ phát Wi-Fi riêng: nhiều hơn)" input type="number" name="wifi_phones" min="1" max="5000" inputmode="numeric" value=(s.wifi_phones); }
                label { "Địa chỉ máy chủ tỉnh (để đồng bộ, có thể để trống)" input type="text" name="hub_url" inputmode="url" placeholder="http://192.168.1.10:8080" value=(s.hub_url); }
                label { "Ngôn ngữ mặc định của hộp"
                    select name="lang" {
                        option value="vi" selected[s.lang == "vi"] { "Tiếng Việt" }
                        option value="en" selected[s.lang == "en"] { "English" }
                    }
                }
                button.button type="submit" { "Lưu" }
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
    };
    Ok(settings_page(&state, &f, &fields, false, &[]))
}

async fn save_settings(
    State(state): State<AppState>,
    f: Facilitating,
    AppForm(fields): AppForm<SettingsFields>,
) -> Result<Response, Error> {
    match Settings::from_form(
        &fields.commune_name,
        &fields.wifi_ssid,
        &fields.wifi_password,
        &fields.hub_url,
        &fields.lang,
        &fields.wifi_phones,
    ) {
        Ok(settings) => {
            state.store.set_settings(settings.to_stored()).await?;
            state.renamed.notify_one();
            *state.default_lang.write().expect("default language") = settings.lang;
            let shown = SettingsFields {
                lang: settings.lang.code().to_string(),
                commune_name: settings.commune_name,
                wifi_ssid: settings.wifi_ssid,
                wifi_password: settings.wifi_password,
                hub_url: settings.hub_url,
                wifi_phones: settings.wifi_phones.to_string(),
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

/// The CSRF token the guard settled for this request.
pub(super) struct Csrf(pub(super) String);

impl axum::extract::FromRequestParts<AppState> for Csrf {
    type Rejection = Error;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &AppState,
    ) -> Result<Self, Error> {
        CsrfToken::from_parts(parts).map(Csrf)
    }
}
