//! Learners and groups, for facilitators: the list with search (`/f/learners`), registering a
//! villager who has no phone (`/f/learners/new`, the notice read to them), one learner's page
//! (details, a new PIN, their card, their groups, and their data rights: everything held,
//! downloaded, the optional fields' consent withdrawn, erasure after a confirmation), and
//! groups (`/f/groups`) with their members.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use maud::{Markup, html};
use serde::Deserialize;

use crate::learn::rights::{self, BY_FACILITATOR};
use crate::learn::{self, Invalid, SecretInput};
use crate::store::{GroupRefused, Learner, Secret};
use crate::text::{self, NameInvalid, fold};
use crate::web::extract::AppForm;
use crate::web::i18n::ui;
use crate::web::i18n::{t, t_args, v};
use crate::web::pages::layout::{csrf_field, errors, facilitator_nav, tools_page};
use crate::web::pages::learners::{
    Filling, JoinForm, invalid_text, known_villages, profile_fields,
};
use crate::web::pages::rights::{
    Confirm, Held, checked_correction, erase_confirmation, form_of, notice, withdraw_form,
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
        .route("/f/learners/{id}/thong-tin", get(data_page))
        .route("/f/learners/{id}/thong-tin.json", get(data_json))
        .route("/f/learners/{id}/thong-tin.csv", get(data_csv))
        .route("/f/learners/{id}/rut-dong-y", post(withdraw))
        .route("/f/learners/{id}/xoa", get(erase_form).post(erase))
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
            label for="q" { (t("people-search")) }
            div.row {
                input #q type="search" name="q" value=(search.q) autocomplete="off";
                button.button type="submit" { (t("people-search-button")) }
            }
            @if villages.len() > 1 {
                label for="village" { (t("people-village-filter")) }
                select #village name="village" {
                    option value="" { (t("people-all")) }
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
        t("f-nav-learners"),
        html! {
            (facilitator_nav(&f))
            h1 { (t("f-nav-learners")) }
            p { a.button href="/f/learners/new" { "+ " (t("people-register")) } }
            (search_form("/f/learners", &search, &villages))
            p.meta { (t_args("people-found", [("found", v(found.len())), ("all", v(all.len()))])) }
            @if found.is_empty() {
                p { (t("people-none-found")) }
            } @else {
                table.list {
                    thead { tr { th { (t("signin-name")) } th { (t("people-village")) } th { (t("people-birth-year")) } th { (t("people-protection")) } } }
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
                    p.note { (t_args("people-only-first", [("n", v(SHOWN))])) }
                }
            }
        },
    ))
}

fn secret_text(learner: &Learner) -> &'static str {
    match learner.secret.as_ref().map(|s| s.0) {
        Some(Secret::Pin) => t("people-pin"),
        Some(Secret::Picture) => t("people-picture"),
        None => "—",
    }
}

fn register_page(
    state: &AppState,
    f: &Facilitating,
    villages: &[crate::store::Village],
    form: &JoinForm,
    problems: &[Invalid],
    names: bool,
) -> Markup {
    tools_page(
        state,
        t("people-register"),
        html! {
            (facilitator_nav(f))
            h1 { (t("people-register")) }
            p.lead { (t("people-register-lead")) }
            p { strong { (t("rights-notice-read-aloud")) } }
            (notice(ui(crate::web::i18n::current()), names))
            @if !problems.is_empty() { p.note.error role="alert" { (t("people-fix-below")) } }
            form.stack method="post" action="/f/learners/new" {
                button.default-submit type="submit" tabindex="-1" aria-hidden="true" { (t("people-register-button")) }
                (csrf_field(&f.csrf))
                (profile_fields(state, ui(crate::web::i18n::current()), villages, form, problems, Filling::Registering, "/f/learners/new"))
                button.button type="submit" { (t("people-register-button")) }
            }
        },
    )
}

async fn register_form(State(state): State<AppState>, f: Facilitating) -> Result<Markup, Error> {
    let villages = known_villages(&state).await?;
    let names = crate::web::pages::rights::names_shared(&state).await?;
    Ok(register_page(
        &state,
        &f,
        &villages,
        &JoinForm::default(),
        &[],
        names,
    ))
}

async fn register(
    State(state): State<AppState>,
    f: Facilitating,
    AppForm(mut form): AppForm<JoinForm>,
) -> Result<Response, Error> {
    let names = crate::web::pages::rights::names_shared(&state).await?;
    if form.picking() {
        let villages = known_villages(&state).await?;
        return Ok(register_page(&state, &f, &villages, &form, &[], names).into_response());
    }
    let request = form.request();
    match crate::web::pages::learners::create_learner(&state, request, false, BY_FACILITATOR)
        .await?
    {
        Ok((learner, _)) => {
            Ok(Redirect::to(&format!("/f/learners/{}?new=1", learner.id)).into_response())
        }
        Err(problems) => {
            let villages = known_villages(&state).await?;
            let page = register_page(&state, &f, &villages, &form, &problems, names);
            Ok(complete(StatusCode::BAD_REQUEST, page))
        }
    }
}

async fn learner_or_404(state: &AppState, id: &str) -> Result<Learner, Error> {
    state
        .store
        .learner_even_erased(id)
        .await?
        .ok_or(Error::NotFound)
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Shown {
    /// Just registered.
    new: String,
    /// What was just saved: `details`, `pin`, `card`.
    saved: String,
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
    if let Some(at) = &learner.erased_at {
        return Ok(tools_page(
            state,
            t("rights-erased-name"),
            html! {
                (facilitator_nav(f))
                nav.crumbs { a href="/f/learners" { "← " (t("f-nav-learners")) } }
                h1 { (t("rights-erased-name")) }
                p { (t_args("rights-erased-on", [("date", v(crate::clock::format::day(at)))])) }
            },
        ));
    }
    let villages = known_villages(state).await?;
    let groups = state.store.learner_groups(&learner.id).await?;
    let card = state.store.card_issued(&learner.id).await?;
    let ui = ui(crate::web::i18n::current());
    let may_withdraw = learner.consent_optional
        || learner.birth_year.is_some()
        || learner.gender.is_some()
        || learner.ethnic_group.is_some();
    Ok(tools_page(
        state,
        &learner.display_name,
        html! {
            (facilitator_nav(f))
            nav.crumbs { a href="/f/learners" { "← " (t("f-nav-learners")) } }
            h1 { (learner.display_name) }
            @if let Some(notice) = notice { p.note role="status" { "✓ " (notice) } }
            p.meta {
                (learner.village)
                @if let Some(y) = learner.birth_year { " · " (t_args("people-born", [("year", v(y))])) }
                @if let Some(g) = &learner.gender { " · " (crate::web::pages::gender_text(Some(g))) }
                @if let Some(e) = &learner.ethnic_group { " · " (e) }
                " · " (t_args("people-registered-on", [("date", v(crate::clock::format::day(&learner.created_at)))]))
            }
            p.actions {
                a.button href={ "/f/reports/learners/" (learner.id) } { (t("people-results")) }
                a.button.quiet href={ "/f/print/cards?learner=" (learner.id) } { (t("people-print-card")) }
            }

            h2 { (t("f-nav-groups")) }
            @if groups.is_empty() {
                p { (t("people-no-group")) " " a href="/f/groups" { (t("people-add-to-group")) } }
            } @else {
                ul { @for g in &groups { li { a href={ "/f/groups/" (g.id) } { (g.name) } } } }
            }

            h2 { (t("people-edit")) }
            @if !problems.is_empty() { p.note.error role="alert" { (t("people-fix-below")) } }
            form.stack method="post" action={ "/f/learners/" (learner.id) } {
                (csrf_field(&f.csrf))
                (profile_fields(state, ui, &villages, form, problems, Filling::Editing, ""))
                button.button type="submit" { (t("people-save")) }
            }

            h2 { (t("people-pin")) }
            p { (t("people-now")) ": " strong { (secret_text(learner)) } ". " (t("people-pin-note")) }
            (errors(&pin_problem.into_iter().collect::<Vec<_>>()))
            form.stack method="post" action={ "/f/learners/" (learner.id) "/pin" } {
                (csrf_field(&f.csrf))
                label { (t("people-new-pin"))
                    input type="text" name="pin" inputmode="numeric" pattern="[0-9]{4}" maxlength="4" autocomplete="off";
                }
                button.button type="submit" name="action" value="pin" { (t("people-set-pin")) }
                " "
                button.button.quiet type="submit" name="action" value="none" { (t("people-no-secret")) }
            }

            h2 { (t("print-signin-card")) }
            @match &card {
                Some(issued) => p { (t_args("people-card-issued", [("date", v(crate::clock::format::day(issued)))])) },
                None => p { (t("people-no-card")) },
            }
            form.inline method="post" action={ "/f/learners/" (learner.id) "/card" } {
                (csrf_field(&f.csrf))
                @if card.is_some() {
                    button.button.quiet type="submit" name="action" value="renew" { (t("people-renew-card")) }
                    " "
                    button.button.quiet type="submit" name="action" value="revoke" { (t("people-revoke-card")) }
                } @else {
                    button.button.quiet type="submit" name="action" value="issue" { (t("people-issue-card")) }
                }
            }

            h2 #rights { (t("rights-f-title")) }
            p.actions {
                a.button.quiet href={ "/f/learners/" (learner.id) "/thong-tin" } { (t("rights-f-see")) }
                a.button.quiet href={ "/f/learners/" (learner.id) "/thong-tin.json" } download { (ui.t("rights-download-json")) }
                a.button.quiet href={ "/f/learners/" (learner.id) "/thong-tin.csv" } download { (ui.t("rights-download-csv")) }
            }
            @if may_withdraw {
                (withdraw_form(ui, &format!("/f/learners/{}/rut-dong-y", learner.id), Some(&f.csrf)))
            }
            p { a.button.quiet href={ "/f/learners/" (learner.id) "/xoa" } { (ui.t("rights-erase-start")) } }
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
        Some(t("people-registered"))
    } else {
        match shown.saved.as_str() {
            "details" => Some(t("people-saved")),
            "pin" => Some(t("people-pin-changed")),
            "card" => Some(t("people-card-updated")),
            "withdrawn" => Some(t("rights-withdrawn-done")),
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
    match checked_correction(&state, &form).await? {
        Ok((profile, optional)) => {
            state
                .store
                .update_learner(
                    &id,
                    profile,
                    Some(rights::consent(optional, BY_FACILITATOR)),
                )
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

/// Everything the box holds about a learner not erased, as the learner's own page shows it.
async fn held_or_404(state: &AppState, id: &str) -> Result<Held, Error> {
    Held::of(state, id)
        .await?
        .filter(|h| h.data.learner.erased_at.is_none())
        .ok_or(Error::NotFound)
}

async fn data_page(
    State(state): State<AppState>,
    f: Facilitating,
    Path(id): Path<String>,
) -> Result<Markup, Error> {
    let held = held_or_404(&state, &id).await?;
    let ui = ui(crate::web::i18n::current());
    Ok(tools_page(
        &state,
        &held.data.learner.display_name,
        html! {
            (facilitator_nav(&f))
            nav.crumbs { a href={ "/f/learners/" (id) "#rights" } { "← " (held.data.learner.display_name) } }
            h1 { (t("rights-f-see")) }
            (crate::web::pages::rights::sections(ui, &state, &held))
        },
    ))
}

async fn data_json(
    State(state): State<AppState>,
    _: Facilitating,
    Path(id): Path<String>,
) -> Result<Response, Error> {
    let held = held_or_404(&state, &id).await?;
    let json = crate::web::pages::rights::json(&state, &held);
    Ok(crate::web::pages::rights::json_download(
        "thong-tin-nguoi-hoc",
        &json,
    ))
}

async fn data_csv(
    State(state): State<AppState>,
    _: Facilitating,
    Path(id): Path<String>,
) -> Result<Response, Error> {
    let held = held_or_404(&state, &id).await?;
    let ui = ui(crate::web::i18n::current());
    let (header, rows) = crate::web::pages::rights::csv_rows(ui, &state, &held);
    Ok(super::reports::download(
        "thong-tin-nguoi-hoc",
        &header,
        &rows,
    ))
}

async fn withdraw(
    State(state): State<AppState>,
    _: Facilitating,
    Path(id): Path<String>,
) -> Result<Response, Error> {
    state
        .store
        .record_consent(&id, rights::consent(false, BY_FACILITATOR))
        .await?
        .ok_or(Error::NotFound)?;
    Ok(saved(&id, "withdrawn"))
}

fn erase_page(state: &AppState, f: &Facilitating, learner: &Learner, missing: bool) -> Markup {
    let ui = ui(crate::web::i18n::current());
    let action = format!("/f/learners/{}/xoa", learner.id);
    let back = format!("/f/learners/{}#rights", learner.id);
    tools_page(
        state,
        ui.t("rights-erase-title"),
        html! {
            (facilitator_nav(f))
            p.meta { (learner.display_name) " · " (learner.village) }
            p { strong { (t("rights-notice-read-aloud")) } }
            (erase_confirmation(ui, &action, &back, Some(&f.csrf), missing))
        },
    )
}

async fn erase_form(
    State(state): State<AppState>,
    f: Facilitating,
    Path(id): Path<String>,
) -> Result<Markup, Error> {
    let learner = learner_or_404(&state, &id).await?;
    if learner.erased_at.is_some() {
        return Err(Error::NotFound);
    }
    Ok(erase_page(&state, &f, &learner, false))
}

/// Erases a learner once the confirmation was pressed; without it, the confirmation again.
async fn erase(
    State(state): State<AppState>,
    f: Facilitating,
    Path(id): Path<String>,
    AppForm(confirm): AppForm<Confirm>,
) -> Result<Response, Error> {
    let learner = learner_or_404(&state, &id).await?;
    if learner.erased_at.is_some() {
        return Err(Error::NotFound);
    }
    if confirm.confirm != "yes" {
        let page = erase_page(&state, &f, &learner, true);
        return Ok(complete(StatusCode::BAD_REQUEST, page));
    }
    state.store.erase_learner(&id, BY_FACILITATOR).await?;
    Ok(Redirect::to(&format!("/f/learners/{id}")).into_response())
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
        let message = invalid_text(ui(crate::web::i18n::current()), invalid);
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
        t("f-nav-groups"),
        html! {
            (facilitator_nav(f))
            h1 { (t("f-nav-groups")) }
            p.lead { (t("groups-lead")) }
            @if groups.is_empty() {
                p { (t("groups-none")) }
            } @else {
                ul.cards {
                    @for g in groups {
                        li { a.card href={ "/f/groups/" (g.id) } {
                            span.card-text { span.card-title { (g.name) } span.meta { (t_args("people-count", [("n", v(g.members))])) } }
                        } }
                    }
                }
            }
            h2 { (t("groups-new")) }
            (errors(&problem.into_iter().collect::<Vec<_>>()))
            form.stack method="post" action="/f/groups" {
                (csrf_field(&f.csrf))
                label { (t("groups-name")) input type="text" name="name" required maxlength="60" value=(name) placeholder=(t("groups-name-example")); }
                button.button type="submit" { (t("print-make-group")) }
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
        Err(NameInvalid::Empty) => Some(t("groups-name-empty")),
        Err(NameInvalid::TooLong) => Some(t("groups-name-long")),
        Err(NameInvalid::Hidden) => Some(t("groups-name-hidden")),
        Ok(name) => match state.store.create_group(name, &fold(name)).await? {
            Ok(group) => {
                return Ok(Redirect::to(&format!("/f/groups/{}", group.id)).into_response());
            }
            Err(GroupRefused::NameTaken) => Some(t("groups-name-taken")),
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
            nav.crumbs { a href="/f/groups" { "← " (t("f-nav-groups")) } }
            h1 { (group.name) }
            p.actions {
                a.button href={ "/f/live?group=" (group.id) } { (t("groups-start-live")) }
                a.button.quiet href={ "/f/reports/groups/" (group.id) } { (t("groups-report")) }
                a.button.quiet href={ "/f/print/cards?group=" (group.id) } { (t("groups-print-cards")) }
            }
            h2 { (t_args("groups-members", [("n", v(members.len()))])) }
            @if members.is_empty() {
                p { (t("groups-empty")) }
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
                    button.button.quiet type="submit" { (t("groups-remove")) }
                }
            }
            h2 { (t("groups-add-title")) }
            (search_form(&format!("/f/groups/{}", group.id), &search, &villages))
            @if others.is_empty() {
                p { (t("groups-nobody-left")) }
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
                        p.note { (t_args("people-only-first", [("n", v(SHOWN))])) }
                    }
                    button.button type="submit" { (t("groups-add")) }
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
