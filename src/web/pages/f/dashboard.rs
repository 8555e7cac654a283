//! The facilitator's dashboard (`/f`: today's numbers, open live lessons, the phones on the
//! Wi-Fi, the clock check), correcting the box's clock (`/f/clock`) and the box's settings
//! (`/f/settings`).

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
        SettingInvalid::CommuneEmpty => "Hãy nhập tên xã.",
        SettingInvalid::CommuneTooLong => "Tên xã dài quá 100 chữ.",
        SettingInvalid::CommuneHidden => {
            "Tên xã có ký tự ẩn hoặc ký tự điều khiển. Hãy xóa và gõ lại."
        }
        SettingInvalid::SsidTooLong => "Tên Wi-Fi dài quá 32 ký tự.",
        SettingInvalid::WifiPassword => {
            "Mật khẩu Wi-Fi cần từ 8 đến 63 ký tự (để trống nếu mạng không có mật khẩu)."
        }
        SettingInvalid::PasswordWithoutSsid => "Có mật khẩu Wi-Fi thì cần cả tên Wi-Fi.",
        SettingInvalid::HubUrl => super::HUB_ADDRESS_WRONG,
        SettingInvalid::Lang => "Hãy chọn một ngôn ngữ trong danh sách.",
        SettingInvalid::WifiPhones => "Số điện thoại Wi-Fi nhận được là một số từ 1 đến 5000.",
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
                h2 { "Tỉnh đang dạy trực tuyến" }
                p { strong { (crate::web::pages::lesson_title(&state, &record.lesson_id)) }
                    " · mã " strong { (record.code) } " · " (present) " người có mặt" }
                p.actions {
                    a.button href={ "/present/" (record.id) } { "Mở màn chiếu" }
                    a.button.quiet href={ "/f/live/" (record.id) } { "Điều khiển, điểm danh" }
                }
            }
        }
        h2 { "Hôm nay" }
        ul.figures {
            li { strong { (count("learner_joined")) } " người mới tham gia" }
            li { strong { (count("lesson_opened")) } " lượt mở bài" }
            li { strong { (count("lesson_finished")) } " bài học xong" }
            li { strong { (count("quiz_submitted")) } " lượt làm bài kiểm tra" }
            li { strong { (count("practice_finished")) } " lượt thực hành làm đến cuối" }
            li { strong { (count("live_attended")) } " lượt có mặt ở buổi học nhóm" }
        }
        p.meta { "Tổng số người học trên hộp: " (learners) }
        (phones_now(state.portal.active(), settings.wifi_phones))
        (free_space(state.store.free_bytes()))
        (backups(&backed_up))
        (made_here(&room, own, &out))
        h2 { "Đồng bộ với tỉnh" }
        (super::sync::summary(&sync))
        @if !open.is_empty() {
            h2 { "Buổi học nhóm đang mở" }
            ul {
                @for (record, present) in &open {
                    li {
                        a href={ "/f/live/" (record.id) } {
                            (crate::web::pages::lesson_title(&state, &record.lesson_id))
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
        h2 { "Bài của xã" }
        ul.figures {
            li { strong { (own) } " bài của xã đang dùng · " a href="/f/bai-hoc" { "Viết, sửa, ghi âm" } }
            li { "Ảnh và ghi âm: " strong { (mb(room.used)) " MB" } " trong " (mb(room.budget)) " MB dành cho xã" }
            @if out.waiting > 0 { li { strong { (out.waiting) } " bài chờ gửi lên tỉnh" } }
        }
        @if nearly_full {
            p.note { "⚠ Chỗ cho ảnh và ghi âm sắp hết. Xoá bớt bài đọc hoặc bài nháp cũ." }
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
                p { strong { "Bộ nhớ của hộp sắp đầy: còn trống " (shown) "." } }
                p { "Khi đầy, hộp không ghi thêm được bài học của ai. Hãy xóa bớt tệp không cần trên thẻ nhớ, hoặc sao lưu rồi chuyển sang thẻ nhớ lớn hơn." }
            }
        } @else {
            p.meta.space { "Bộ nhớ còn trống: " (shown) "." }
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
                p { strong { "Sao lưu tự động lúc " (format::when(at)) " không được." } }
                p { "Lý do: " (why) ". Hãy xem USB sao lưu còn cắm và còn chỗ trống không." }
            }
        }
        @if let Some((at, file)) = last {
            p.meta.backup { "Sao lưu tự động lần cuối: " (format::when(at)) ", vào " code { (file) } "." }
        } @else if failed.is_none() {
            p.meta.backup { "Chưa có bản sao lưu tự động. Chạy hộp với " code { "--backup-dir" } " (một USB) để hộp tự sao lưu 6 giờ một lần, hoặc dùng lệnh " code { "hocso backup TỆP" } "." }
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
                "Đồng hồ của hộp có thể sai: hộp đang ghi "
                (format::moment(now))
                "."
            } }
            @if ignored {
                p { "Lần đặt giờ trước đã lưu một giờ không thể đúng (trước ngày làm ra phần mềm hoặc quá nhiều năm sau), nên hộp bỏ qua nó." }
            }
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
        Err(_) => format::typed(&fields.date, &fields.time),
    };
    // A time before the build or years ahead is a slip: refused, nothing kept.
    let Some(offset) = right.and_then(|right| crate::clock::offset_for(right).ok()) else {
        let page = tools_page(
            &state,
            "Giờ không hợp lệ",
            html! {
                h1 { "Giờ không hợp lệ" }
                p.note.error role="alert" { "⚠ Hãy nhập ngày và giờ hiện tại (giờ Việt Nam), ví dụ 25/11/2026 và 14:30. Giờ phải sau ngày làm ra phần mềm này và không quá " (crate::clock::YEARS_AHEAD) " năm sau đó." }
                p { a.button href="/f#clock" { "Quay lại" } }
            },
        );
        return Ok(complete(StatusCode::BAD_REQUEST, page));
    };
    state
        .store
        .set_setting(crate::store::CLOCK_OFFSET, &offset.to_string())
        .await?;
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
