//! Learners and groups, for facilitators: the list with search (`/f/learners`), registering a
//! villager who has no phone (`/f/learners/new`), one learner's page (details, a new PIN,
//! their card, their groups), and groups (`/f/groups`) with their members.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use maud::{Markup, html};
use serde::Deserialize;

use crate::learn::{self, Invalid, SecretInput};
use crate::store::{GroupRefused, Learner, Profile, Secret};
use crate::text::{self, NameInvalid, fold};
use crate::web::extract::AppForm;
use crate::web::i18n::ui;
use crate::web::pages::layout::{csrf_field, errors, facilitator_nav, tools_page};
use crate::web::pages::learners::{
    Filling, JoinForm, invalid_text, known_villages, profile_fields,
};
use crate::web::session::Facilitating;
use crate::web::{AppState, Error, complete};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/f/learners", get(list))
        .route("/f/learners/new", get(register_form).post(register))
        .route("/f/learners/{id}", get(learner_page).post(save_learner))
        .route("/f/learners/{id}/pin", post(new_pin))
        .route("/f/learners/{id}/card", post(card))
        .route("/f/groups", get(groups).post(create_group))
        .route("/f/groups/{id}", get(group_page))
        .route("/f/groups/{id}/members", post(change_members))
}

/// Most rows a list shows before it asks for a narrower search.
const SHOWN: usize = 200;

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct Search {
    q: String,
    village: String,
}

/// Whether `learner` matches a search: every word of `q` begins a word of the name, accents
/// and case aside ("an" finds "Nguyễn Văn An", not "Y Moan"), and the village is the one chosen.
fn matches(learner: &Learner, q: &str, village: &str) -> bool {
    let name = fold(&learner.display_name);
    let words: Vec<&str> = name.split(' ').collect();
    fold(q)
        .split(' ')
        .all(|typed| words.iter().any(|w| w.starts_with(typed)))
        && (village.is_empty() || learner.village == village)
}

/// The names of the villages learners gave, the busiest first, for the search's choice.
async fn village_names(state: &AppState) -> Result<Vec<String>, Error> {
    Ok(known_villages(state)
        .await?
        .into_iter()
        .map(|v| v.name)
        .collect())
}

fn search_form(action: &str, search: &Search, villages: &[String]) -> Markup {
    html! {
        form.search method="get" action=(action) {
            label for="q" { "Tìm theo tên" }
            div.row {
                input #q type="search" name="q" value=(search.q) autocomplete="off";
                button.button type="submit" { "Tìm" }
            }
            @if villages.len() > 1 {
                label for="village" { "Thôn, buôn" }
                select #village name="village" {
                    option value="" { "Tất cả" }
                    @for v in villages {
                        option value=(v) selected[search.village == *v] { (v) }
                    }
                }
            }
        }
    }
}

async fn list(
    State(state): State<AppState>,
    f: Facilitating,
    Query(search): Query<Search>,
) -> Result<Markup, Error> {
    let all = state.store.all_learners().await?;
    let villages = village_names(&state).await?;
    let found: Vec<&Learner> = all
        .iter()
        .filter(|l| matches(l, &search.q, &search.village))
        .collect();
    Ok(tools_page(
        &state,
        "Người học",
        html! {
            (facilitator_nav(&f))
            h1 { "Người học" }
            p { a.button href="/f/learners/new" { "+ Ghi danh người học" } }
            (search_form("/f/learners", &search, &villages))
            p.meta { "Có " (found.len()) " người (trong " (all.len()) " người trên hộp)." }
            @if found.is_empty() {
                p { "Không tìm thấy ai." }
            } @else {
                table.list {
                    thead { tr { th { "Tên" } th { "Thôn" } th { "Năm sinh" } th { "Bảo vệ" } } }
                    tbody {
                        @for l in found.iter().take(SHOWN) {
                            tr {
                                td { a href={ "/f/learners/" (l.id) } { (l.display_name) } }
                                td { (l.village) }
                                td { @if let Some(y) = l.birth_year { (y) } }
                                td { (secret_text(l)) }
                            }
                        }
                    }
                }
                @if found.len() > SHOWN {
                    p.note { "Chỉ hiện " (SHOWN) " người đầu. Hãy tìm theo tên hoặc thôn." }
                }
            }
        },
    ))
}

fn secret_text(learner: &Learner) -> &'static str {
    match learner.secret.as_ref().map(|s| s.0) {
        Some(Secret::Pin) => "Mã PIN",
        Some(Secret::Picture) => "Hình",
        None => "—",
    }
}

fn register_page(
    state: &AppState,
    f: &Facilitating,
    villages: &[crate::store::Village],
    form: &JoinForm,
    problems: &[Invalid],
) -> Markup {
    tools_page(
        state,
        "Ghi danh người học",
        html! {
            (facilitator_nav(f))
            h1 { "Ghi danh người học" }
            p.lead { "Cho người không có điện thoại, hoặc nhờ bạn ghi giúp. Người này không bị đăng nhập vào máy của bạn." }
            @if !problems.is_empty() { p.note.error role="alert" { "Hãy sửa những chỗ đánh dấu ⚠ bên dưới." } }
            form.stack method="post" action="/f/learners/new" {
                button.default-submit type="submit" tabindex="-1" aria-hidden="true" { "Ghi danh" }
                (csrf_field(&f.csrf))
                (profile_fields(state, ui(crate::content::Lang::Vi), villages, form, problems, Filling::Registering, "/f/learners/new"))
                button.button type="submit" { "Ghi danh" }
            }
        },
    )
}

async fn register_form(State(state): State<AppState>, f: Facilitating) -> Result<Markup, Error> {
    let villages = known_villages(&state).await?;
    Ok(register_page(
        &state,
        &f,
        &villages,
        &JoinForm::default(),
        &[],
    ))
}

async fn register(
    State(state): State<AppState>,
    f: Facilitating,
    AppForm(mut form): AppForm<JoinForm>,
) -> Result<Response, Error> {
    if form.picking() {
        let villages = known_villages(&state).await?;
        return Ok(register_page(&state, &f, &villages, &form, &[]).into_response());
    }
    match crate::web::pages::learners::create_learner(&state, form.request(), false).await? {
        Ok((learner, _)) => {
            Ok(Redirect::to(&format!("/f/learners/{}?new=1", learner.id)).into_response())
        }
        Err(problems) => {
            let villages = known_villages(&state).await?;
            let page = register_page(&state, &f, &villages, &form, &problems);
            Ok(complete(StatusCode::BAD_REQUEST, page))
        }
    }
}

async fn learner_or_404(state: &AppState, id: &str) -> Result<Learner, Error> {
    state.store.learner(id).await?.ok_or(Error::NotFound)
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Shown {
    /// Just registered.
    new: String,
    /// What was just saved: `details`, `pin`, `card`.
    saved: String,
}

/// The form as a learner's stored details fill it.
fn form_of(learner: &Learner) -> JoinForm {
    JoinForm {
        display_name: learner.display_name.clone(),
        village: learner.village.clone(),
        birth_year: learner
            .birth_year
            .map(|y| y.to_string())
            .unwrap_or_default(),
        gender: learner.gender.clone().unwrap_or_default(),
        ethnic_group: learner.ethnic_group.clone().unwrap_or_default(),
        ..JoinForm::default()
    }
}

async fn learner_view(
    state: &AppState,
    f: &Facilitating,
    learner: &Learner,
    form: &JoinForm,
    problems: &[Invalid],
    notice: Option<&str>,
    pin_problem: Option<&str>,
) -> Result<Markup, Error> {
    let villages = known_villages(state).await?;
    let groups = state.store.learner_groups(&learner.id).await?;
    let card = state.store.card_issued(&learner.id).await?;
    Ok(tools_page(
        state,
        &learner.display_name,
        html! {
            (facilitator_nav(f))
            nav.crumbs { a href="/f/learners" { "← Người học" } }
            h1 { (learner.display_name) }
            @if let Some(notice) = notice { p.note role="status" { "✓ " (notice) } }
            p.meta {
                (learner.village)
                @if let Some(y) = learner.birth_year { " · sinh năm " (y) }
                @if let Some(g) = &learner.gender { " · " (crate::web::pages::gender_text(Some(g))) }
                @if let Some(e) = &learner.ethnic_group { " · " (e) }
                " · ghi danh ngày " (crate::clock::format::day(&learner.created_at))
            }
            p.actions {
                a.button href={ "/f/reports/learners/" (learner.id) } { "Kết quả học" }
                a.button.quiet href={ "/f/print/cards?learner=" (learner.id) } { "In thẻ" }
            }

            h2 { "Nhóm" }
            @if groups.is_empty() {
                p { "Chưa ở nhóm nào. " a href="/f/groups" { "Thêm vào nhóm" } }
            } @else {
                ul { @for g in &groups { li { a href={ "/f/groups/" (g.id) } { (g.name) } } } }
            }

            h2 { "Sửa thông tin" }
            @if !problems.is_empty() { p.note.error role="alert" { "Hãy sửa những chỗ đánh dấu ⚠ bên dưới." } }
            form.stack method="post" action={ "/f/learners/" (learner.id) } {
                (csrf_field(&f.csrf))
                (profile_fields(state, ui(crate::content::Lang::Vi), &villages, form, problems, Filling::Editing, ""))
                button.button type="submit" { "Lưu thông tin" }
            }

            h2 { "Mã PIN" }
            p { "Hiện tại: " strong { (secret_text(learner)) } ". Đặt mã mới khi người học quên mã. Điện thoại đang đăng nhập của người này sẽ phải đăng nhập lại." }
            (errors(&pin_problem.into_iter().collect::<Vec<_>>()))
            form.stack method="post" action={ "/f/learners/" (learner.id) "/pin" } {
                (csrf_field(&f.csrf))
                label { "Mã PIN mới (4 chữ số)"
                    input type="text" name="pin" inputmode="numeric" pattern="[0-9]{4}" maxlength="4" autocomplete="off";
                }
                button.button type="submit" name="action" value="pin" { "Đặt mã PIN mới" }
                " "
                button.button.quiet type="submit" name="action" value="none" { "Bỏ mã (không cần mã)" }
            }

            h2 { "Thẻ đăng nhập" }
            @match &card {
                Some(issued) => p { "Có thẻ, làm ngày " (crate::clock::format::day(issued)) ". Quét mã QR trên thẻ là vào học được." },
                None => p { "Chưa có thẻ." },
            }
            form.inline method="post" action={ "/f/learners/" (learner.id) "/card" } {
                (csrf_field(&f.csrf))
                @if card.is_some() {
                    button.button.quiet type="submit" name="action" value="renew" { "Làm thẻ mới (thẻ cũ hết dùng)" }
                    " "
                    button.button.quiet type="submit" name="action" value="revoke" { "Khóa thẻ" }
                } @else {
                    button.button.quiet type="submit" name="action" value="issue" { "Làm thẻ" }
                }
            }
        },
    ))
}

async fn learner_page(
    State(state): State<AppState>,
    f: Facilitating,
    Path(id): Path<String>,
    Query(shown): Query<Shown>,
) -> Result<Markup, Error> {
    let learner = learner_or_404(&state, &id).await?;
    let notice = if !shown.new.is_empty() {
        Some("Đã ghi danh. Có thể in thẻ để người này đăng nhập bằng mã QR.")
    } else {
        match shown.saved.as_str() {
            "details" => Some("Đã lưu thông tin."),
            "pin" => Some("Đã đổi mã."),
            "card" => Some("Đã cập nhật thẻ."),
            _ => None,
        }
    };
    learner_view(&state, &f, &learner, &form_of(&learner), &[], notice, None).await
}

fn saved(id: &str, what: &str) -> Response {
    Redirect::to(&format!("/f/learners/{id}?saved={what}")).into_response()
}

async fn save_learner(
    State(state): State<AppState>,
    f: Facilitating,
    Path(id): Path<String>,
    AppForm(form): AppForm<JoinForm>,
) -> Result<Response, Error> {
    let learner = learner_or_404(&state, &id).await?;
    let mut request = form.request();
    request.secret = SecretInput::None;
    let villages = state.store.villages().await?;
    match learn::join_request(
        request,
        &villages,
        crate::web::pages::learners::this_year(&state),
    ) {
        Ok(checked) => {
            let profile = Profile {
                display_name: checked.display_name,
                village: checked.village,
                birth_year: checked.birth_year,
                gender: checked.gender,
                ethnic_group: checked.ethnic_group,
            };
            state
                .store
                .update_learner(&id, profile)
                .await?
                .ok_or(Error::NotFound)?;
            Ok(saved(&id, "details"))
        }
        Err(problems) => {
            let page = learner_view(&state, &f, &learner, &form, &problems, None, None).await?;
            Ok(complete(StatusCode::BAD_REQUEST, page))
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct PinForm {
    pin: String,
    action: String,
}

async fn new_pin(
    State(state): State<AppState>,
    f: Facilitating,
    Path(id): Path<String>,
    AppForm(form): AppForm<PinForm>,
) -> Result<Response, Error> {
    let learner = learner_or_404(&state, &id).await?;
    let secret = match form.action.as_str() {
        "none" => SecretInput::None,
        _ => SecretInput::Pin(form.pin.trim().to_string()),
    };
    if let Err(invalid) = learn::check_secret(&secret) {
        let message = invalid_text(ui(crate::content::Lang::Vi), invalid);
        let page = learner_view(
            &state,
            &f,
            &learner,
            &form_of(&learner),
            &[],
            None,
            Some(message),
        )
        .await?;
        return Ok(complete(StatusCode::BAD_REQUEST, page));
    }
    let hashed = match secret {
        SecretInput::None => None,
        secret => state.hash(move || learn::hash_secret(&secret)).await?,
    };
    state.store.set_learner_secret(&id, hashed).await?;
    state.throttle.succeeded(&id);
    Ok(saved(&id, "pin"))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct CardForm {
    action: String,
}

async fn card(
    State(state): State<AppState>,
    _: Facilitating,
    Path(id): Path<String>,
    AppForm(form): AppForm<CardForm>,
) -> Result<Response, Error> {
    learner_or_404(&state, &id).await?;
    match form.action.as_str() {
        "issue" | "renew" => {
            let renew = form.action == "renew";
            state.store.issue_cards(vec![id.clone()], renew).await?;
        }
        "revoke" => state.store.revoke_card(&id).await?,
        _ => return Err(Error::BadRequest),
    }
    Ok(saved(&id, "card"))
}

fn groups_page(
    state: &AppState,
    f: &Facilitating,
    groups: &[crate::store::Group],
    name: &str,
    problem: Option<&str>,
) -> Markup {
    tools_page(
        state,
        "Nhóm",
        html! {
            (facilitator_nav(f))
            h1 { "Nhóm" }
            p.lead { "Một lớp, một thôn, một chi đoàn: học nhóm và báo cáo theo nhóm." }
            @if groups.is_empty() {
                p { "Chưa có nhóm nào." }
            } @else {
                ul.cards {
                    @for g in groups {
                        li { a.card href={ "/f/groups/" (g.id) } {
                            span.card-text { span.card-title { (g.name) } span.meta { (g.members) " người" } }
                        } }
                    }
                }
            }
            h2 { "Tạo nhóm mới" }
            (errors(&problem.into_iter().collect::<Vec<_>>()))
            form.stack method="post" action="/f/groups" {
                (csrf_field(&f.csrf))
                label { "Tên nhóm" input type="text" name="name" required maxlength="60" value=(name) placeholder="Lớp tối thứ Ba"; }
                button.button type="submit" { "Tạo nhóm" }
            }
        },
    )
}

async fn groups(State(state): State<AppState>, f: Facilitating) -> Result<Markup, Error> {
    let groups = state.store.groups().await?;
    Ok(groups_page(&state, &f, &groups, "", None))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct GroupForm {
    name: String,
}

async fn create_group(
    State(state): State<AppState>,
    f: Facilitating,
    AppForm(form): AppForm<GroupForm>,
) -> Result<Response, Error> {
    let name = text::name(&form.name, 60);
    let problem = match &name {
        Err(NameInvalid::Empty) => Some("Hãy nhập tên nhóm."),
        Err(NameInvalid::TooLong) => Some("Tên nhóm dài quá 60 chữ."),
        Err(NameInvalid::Hidden) => {
            Some("Tên nhóm có ký tự ẩn hoặc ký tự điều khiển. Hãy xóa và gõ lại.")
        }
        Ok(name) => match state.store.create_group(name, &fold(name)).await? {
            Ok(group) => {
                return Ok(Redirect::to(&format!("/f/groups/{}", group.id)).into_response());
            }
            Err(GroupRefused::NameTaken) => Some("Đã có nhóm tên này."),
        },
    };
    let groups = state.store.groups().await?;
    let page = groups_page(&state, &f, &groups, &form.name, problem);
    Ok(complete(StatusCode::BAD_REQUEST, page))
}

async fn group_page(
    State(state): State<AppState>,
    f: Facilitating,
    Path(id): Path<String>,
    Query(search): Query<Search>,
) -> Result<Markup, Error> {
    let group = state.store.group(&id).await?.ok_or(Error::NotFound)?;
    let members = state.store.group_members(&id).await?;
    let all = state.store.all_learners().await?;
    let villages = village_names(&state).await?;
    let others: Vec<&Learner> = all
        .iter()
        .filter(|l| !members.iter().any(|m| m.id == l.id))
        .filter(|l| matches(l, &search.q, &search.village))
        .collect();
    Ok(tools_page(
        &state,
        &group.name,
        html! {
            (facilitator_nav(&f))
            nav.crumbs { a href="/f/groups" { "← Nhóm" } }
            h1 { (group.name) }
            p.actions {
                a.button href={ "/f/live?group=" (group.id) } { "Bắt đầu học nhóm" }
                a.button.quiet href={ "/f/reports/groups/" (group.id) } { "Báo cáo nhóm" }
                a.button.quiet href={ "/f/print/cards?group=" (group.id) } { "In thẻ cả nhóm" }
            }
            h2 { "Thành viên (" (members.len()) ")" }
            @if members.is_empty() {
                p { "Nhóm chưa có ai. Chọn người học bên dưới để thêm." }
            } @else {
                form method="post" action={ "/f/groups/" (group.id) "/members" } {
                    (csrf_field(&f.csrf))
                    ul.picklist {
                        @for m in &members {
                            li { label.choice {
                                input type="checkbox" name="remove" value=(m.id);
                                span { (m.display_name) " · " span.meta { (m.village) } }
                            } }
                        }
                    }
                    button.button.quiet type="submit" { "Bỏ những người đã chọn ra khỏi nhóm" }
                }
            }
            h2 { "Thêm người vào nhóm" }
            (search_form(&format!("/f/groups/{}", group.id), &search, &villages))
            @if others.is_empty() {
                p { "Không còn ai để thêm." }
            } @else {
                form method="post" action={ "/f/groups/" (group.id) "/members" } {
                    (csrf_field(&f.csrf))
                    ul.picklist {
                        @for l in others.iter().take(SHOWN) {
                            li { label.choice {
                                input type="checkbox" name="add" value=(l.id);
                                span { (l.display_name) " · " span.meta { (l.village) @if let Some(y) = l.birth_year { ", " (y) } } }
                            } }
                        }
                    }
                    @if others.len() > SHOWN {
                        p.note { "Chỉ hiện " (SHOWN) " người đầu. Hãy tìm theo tên hoặc thôn." }
                    }
                    button.button type="submit" { "Thêm những người đã chọn" }
                }
            }
        },
    ))
}

/// Repeated `add` and `remove` fields: the form is read as pairs.
async fn change_members(
    State(state): State<AppState>,
    _: Facilitating,
    Path(id): Path<String>,
    AppForm(fields): AppForm<Vec<(String, String)>>,
) -> Result<Response, Error> {
    let pick = |name: &str| -> Vec<String> {
        fields
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    };
    if !state
        .store
        .change_members(&id, pick("add"), pick("remove"))
        .await?
    {
        return Err(Error::NotFound);
    }
    Ok(Redirect::to(&format!("/f/groups/{id}")).into_response())
}
