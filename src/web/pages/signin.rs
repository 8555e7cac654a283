//! Signing in on a phone (`/signin`): the village, then the name (searchable), then the
//! secret, a PIN or the picture code tapped on `learners::picture_picker`; "Đổi người học"
//! (`/signout`). A learner sent to sign in from a page (`/live`) is told why, and goes on to
//! that page once signed in (`web::return_to`).

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use maud::{Markup, html};
use serde::Deserialize;

use super::layout::{page, page_with};
use super::learners::{
    CODE_COOKIE, known_villages, picking, picture_picker, secret_input, with_picker,
};
use crate::clock::format::day;
use crate::learn::{self};
use crate::store::{Learner, Secret};
use crate::token;
use crate::web::extract::AppForm;
use crate::web::i18n::{Ui, ui};
use crate::web::return_to::{self, Who};
use crate::web::session::{
    Visitor, clear_session_cookie, cookie, session_cookie, session_hash, set_cookie,
};
use crate::web::{AppState, Error, complete};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/signin", get(choose))
        .route("/signin/{id}", get(secret_form).post(sign_in))
        .route("/signout", post(sign_out))
}

/// Signed in with `token`: on to the page this learner was opening when sent to sign in,
/// else to `home`.
pub(super) fn signed_in_going_on(headers: &HeaderMap, home: &str, token: &str) -> Response {
    let Some(wanted) = return_to::wanted(Who::Learner, headers) else {
        return signed_in_redirect(home, token);
    };
    let mut response = signed_in_redirect(&wanted, token);
    response
        .headers_mut()
        .append(header::SET_COOKIE, return_to::forget());
    response
}

/// Why a learner is asked to sign in, if they were opening a page.
fn why_sign_in(ui: &Ui, headers: &HeaderMap) -> Option<&'static str> {
    let wanted = return_to::wanted(Who::Learner, headers)?;
    Some(if wanted.starts_with("/live") {
        ui.sign_in_for_live()
    } else {
        ui.sign_in_for_page()
    })
}

pub(super) fn signed_in_redirect(to: &str, token: &str) -> Response {
    let mut response = Redirect::to(to).into_response();
    response
        .headers_mut()
        .append(header::SET_COOKIE, session_cookie(token));
    response
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ChooseQuery {
    village: String,
    q: String,
}

/// Most names a sign-in list shows before it asks for the first letters.
const LIST_LIMIT: usize = 40;

/// Sign-in steps one and two: pick your village, then your name (searchable).
async fn choose(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    Query(query): Query<ChooseQuery>,
) -> Result<Markup, Error> {
    let lang = visitor.lang;
    let ui = ui(lang);
    let why = why_sign_in(ui, &headers);
    let villages = known_villages(&state).await?;
    let village = villages.iter().find(|v| v.name == query.village);
    let main = match village {
        None => html! {
            h1 { (ui.sign_in_title()) }
            @if let Some(why) = why {
                p.note.why role="status" { (why) }
            }
            @if villages.is_empty() {
                p.lead { (ui.nobody_yet()) }
            } @else {
                p.lead { (ui.pick_village()) }
                ul.cards {
                    @for village in &villages {
                        li { a.card href=(village_url(&village.name)) {
                            span.card-title { (village.name) }
                            span.meta { (ui.learners_count(village.learners)) }
                        } }
                    }
                }
            }
            p { (ui.new_here()) " " a.button href="/join" { (ui.join()) } }
        },
        Some(village) => {
            let mut everyone = state.store.learners_in_village(&village.name).await?;
            learn::sort_by_name(&mut everyone, |l| &l.display_name);
            let search = learn::NameSearch::new(&query.q);
            let matching: Vec<_> = everyone
                .iter()
                .filter(|l| search.finds(&l.display_name))
                .collect();
            let shown = &matching[..matching.len().min(LIST_LIMIT)];
            let same_name =
                |name: &str| everyone.iter().filter(|l| l.display_name == name).count() > 1;
            html! {
                nav.crumbs { a href="/signin" { "← " (ui.other_villages()) } }
                h1 { (village.name) }
                @if let Some(why) = why {
                    p.note.why role="status" { (why) }
                }
                p.lead { (ui.pick_name()) }
                form.search method="get" action="/signin" {
                    input type="hidden" name="village" value=(village.name);
                    label for="q" { (ui.search_label()) }
                    div.row {
                        input #q type="search" name="q" value=(query.q) autocomplete="off";
                        button.button type="submit" { (ui.search()) }
                    }
                }
                @if shown.is_empty() {
                    p.note { (ui.no_such_name()) }
                }
                ul.cards.names {
                    @for learner in shown {
                        li { a.card href={ "/signin/" (learner.id) } {
                            span.card-title { (learner.display_name) }
                            @if same_name(&learner.display_name) {
                                span.meta {
                                    @match learner.birth_year {
                                        Some(year) => { (ui.born(year)) }
                                        None => { (ui.joined_on(&day(&learner.created_at))) }
                                    }
                                }
                            }
                        } }
                    }
                }
                @if matching.len() > shown.len() {
                    p.meta { (ui.more_names(matching.len() - shown.len())) }
                }
                p { (ui.not_in_list()) " " a href="/join" { (ui.join()) } }
            }
        }
    };
    Ok(page(
        &state,
        lang,
        visitor.learner.as_ref(),
        ui.sign_in_title(),
        main,
    ))
}

/// The sign-in list of one village.
fn village_url(village: &str) -> String {
    let query = serde_urlencoded::to_string([("village", village)]).expect("text encodes");
    format!("/signin?{query}")
}

/// A learner named in a URL. Ids are UUIDs (random in their last 74 bits); anything else is
/// simply not found.
async fn learner_in_path(state: &AppState, id: &str) -> Result<Learner, Error> {
    if uuid::Uuid::parse_str(id).is_err() {
        return Err(Error::NotFound);
    }
    state.store.learner(id).await?.ok_or(Error::NotFound)
}

/// Sign-in step three: the secret, if this learner set one; else one button.
async fn secret_form(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Result<Markup, Error> {
    let learner = learner_in_path(&state, &id).await?;
    Ok(secret_page(
        &state,
        &visitor,
        &learner,
        ["", "", ""],
        None,
        false,
    ))
}

/// Sign-in step three as drawn: `code` is the picture code tapped so far, `problem` what went
/// wrong, and `forgot` says a wrong code can be asked about.
fn secret_page(
    state: &AppState,
    visitor: &Visitor,
    learner: &Learner,
    code: [&str; 3],
    problem: Option<String>,
    forgot: bool,
) -> Markup {
    let action = format!("/signin/{}", learner.id);
    let lang = visitor.lang;
    let ui = ui(lang);
    page_with(
        state,
        lang,
        visitor.learner.as_ref(),
        ui.sign_in_title(),
        html! {
            nav.crumbs { a href=(village_url(&learner.village)) { "← " (learner.village) } }
            h1 { (learner.display_name) }
            @if let Some(problem) = &problem {
                p.note.error role="alert" { (problem) }
                @if forgot {
                    p.forgot { strong { (ui.forgot_secret()) } }
                }
            }
            form.stack method="post" action=(action) {
                @match learner.secret.as_ref().map(|s| s.0) {
                    Some(Secret::Pin) => {
                        label for="pin" { (ui.enter_pin()) }
                        input #pin type="password" name="pin" inputmode="numeric" pattern="[0-9]{4}"
                            maxlength="4" autocomplete="off" required autofocus;
                    }
                    Some(Secret::Picture) => {
                        p { (ui.enter_pictures()) }
                        (picture_picker(state, ui, code, &action))
                    }
                    None => {
                        p { (ui.is_this_you()) }
                    }
                }
                button.button type="submit" { (ui.sign_in()) }
            }
            p { a href="/signin" { (ui.not_you()) } }
        },
        &with_picker(),
    )
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SecretForm {
    pin: String,
    p1: String,
    p2: String,
    p3: String,
    tap: String,
    undo: String,
}

async fn sign_in(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    Path(id): Path<String>,
    AppForm(mut form): AppForm<SecretForm>,
) -> Result<Response, Error> {
    let learner = learner_in_path(&state, &id).await?;
    let ui = ui(visitor.lang);
    if let Some(stored) = learner.secret.clone() {
        let SecretForm {
            p1,
            p2,
            p3,
            tap,
            undo,
            ..
        } = &mut form;
        if picking([p1, p2, p3], tap, undo) {
            let code = [form.p1.as_str(), &form.p2, &form.p3];
            return Ok(secret_page(&state, &visitor, &learner, code, None, false).into_response());
        }
        if let Err(wait) = state.throttle.check(&learner.id) {
            let problem = ui.wait_before_retry(wait.as_secs() + 1);
            let page = secret_page(
                &state,
                &visitor,
                &learner,
                ["", "", ""],
                Some(problem),
                false,
            );
            return Ok(complete(StatusCode::TOO_MANY_REQUESTS, page));
        }
        let input = secret_input(stored.0.code(), &form.pin, [&form.p1, &form.p2, &form.p3]);
        let right = state
            .hash(move || learn::verify_secret(&stored, &input))
            .await?;
        if !right {
            state.throttle.failed(&learner.id);
            let problem = ui.wrong_secret().to_string();
            let page = secret_page(
                &state,
                &visitor,
                &learner,
                ["", "", ""],
                Some(problem),
                true,
            );
            return Ok(complete(StatusCode::BAD_REQUEST, page));
        }
        state.throttle.succeeded(&learner.id);
    }
    if let Some(old) = session_hash(&headers) {
        state.store.end_session(old).await?;
    }
    let token = token::new();
    let hash = token::hash(&token).expect("a new token is a token");
    state.store.start_session(hash, &learner.id).await?;
    Ok(signed_in_going_on(&headers, "/", &token))
}

/// "Đổi người học": forgets this phone's session, and goes back to the list of names.
async fn sign_out(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, Error> {
    if let Some(hash) = session_hash(&headers) {
        state.store.end_session(hash).await?;
    }
    let mut response = Redirect::to("/signin").into_response();
    response
        .headers_mut()
        .append(header::SET_COOKIE, clear_session_cookie());
    if cookie(&headers, CODE_COOKIE).is_some() {
        response.headers_mut().append(
            header::SET_COOKIE,
            set_cookie(CODE_COOKIE, "", Some(0), "Strict"),
        );
    }
    if return_to::wanted(Who::Learner, &headers).is_some() {
        response
            .headers_mut()
            .append(header::SET_COOKIE, return_to::forget());
    }
    Ok(response)
}
