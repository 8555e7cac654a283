//! Who may use the facilitator's pages: the one-time set-up (`/setup`) that makes the first
//! facilitator, and signing in and out (`/f/signin`, `/f/signout`). The same on a box and on
//! the hub, where officers sign in here too. Someone sent here from a page (`/present/…`) is
//! told why and goes back to it once signed in (`web::return_to`).

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use maud::{Markup, html};
use serde::Deserialize;

use super::dashboard::setting_message;
use crate::facilitate::{self, AccountInvalid, SettingInvalid};
use crate::store::SetupRefused;
use crate::text::{self, fold};
use crate::token;
use crate::web::csrf::CsrfToken;
use crate::web::error::complete;
use crate::web::extract::AppForm;
use crate::web::i18n::{t, t_args, v};
use crate::web::pages::layout::{csrf_field, errors, tools_page};
use crate::web::return_to::{self, Who};
use crate::web::session::{
    FACILITATOR_COOKIE, clear_facilitator_cookie, cookie, facilitator_cookie,
};
use crate::web::{AppState, Error, Role};

/// Set-up, sign-in and sign-out: the same on a box and on the hub.
pub(in crate::web) fn account_routes() -> Router<AppState> {
    Router::new()
        .route("/setup", get(setup_form).post(setup))
        .route("/f/signin", get(signin_form).post(signin))
        .route("/f/signout", axum::routing::post(signout))
}

/// The throttle's key for set-up tries: one for the whole box, as there is one code.
const SETUP_TRIES: &str = "setup";

fn account_message(invalid: AccountInvalid) -> &'static str {
    match invalid {
        AccountInvalid::NameEmpty => t("account-name-empty"),
        AccountInvalid::NameTooLong => t("account-name-long"),
        AccountInvalid::NameHidden => t("account-name-hidden"),
        AccountInvalid::PasswordTooShort => t("account-password-short"),
        AccountInvalid::PasswordTooLong => t("account-password-long"),
        AccountInvalid::PasswordsDiffer => t("account-passwords-differ"),
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
            t("setup-box-title"),
            t("setup-box-lead"),
            t("setup-commune"),
            "Xã Ea Sol",
        ),
        Role::Hub => (
            t("setup-hub-title"),
            t("setup-hub-lead"),
            t("setup-province"),
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
                label { (t("setup-code")) input type="text" name="code" inputmode="numeric" autocomplete="off" required value=(fields.code); }
                label { (place) input type="text" name="commune" required maxlength="100" value=(fields.commune) placeholder=(example); }
                label { (t("account-your-name")) input type="text" name="name" required maxlength="60" autocomplete="username" value=(fields.name); }
                label { (t("account-new-password")) input type="password" name="password" required minlength="8" autocomplete="new-password"; }
                label { (t("account-password-again")) input type="password" name="again" required minlength="8" autocomplete="new-password"; }
                button.button type="submit" { (t("setup-button")) }
            }
        },
    )
}

fn already_set_up(state: &AppState) -> Markup {
    tools_page(
        state,
        t("setup-done"),
        html! {
            h1 { (t("setup-done")) }
            p.lead { (t("setup-done-lead")) }
            p { a.button href="/f/signin" { (t("signin-title")) } }
        },
    )
}

async fn setup_form(
    State(state): State<AppState>,
    CsrfToken(csrf): CsrfToken,
) -> Result<Markup, Error> {
    if state.accounts().is_set_up().await? {
        return Ok(already_set_up(&state));
    }
    Ok(setup_page(&state, &csrf, &SetupFields::default(), &[]))
}

async fn setup(
    State(state): State<AppState>,
    CsrfToken(csrf): CsrfToken,
    AppForm(fields): AppForm<SetupFields>,
) -> Result<Response, Error> {
    if state.accounts().is_set_up().await? {
        return Ok(complete(StatusCode::CONFLICT, already_set_up(&state)));
    }
    let form_again = |problems: &[&str], status| {
        let fields = SetupFields {
            password: String::new(),
            again: String::new(),
            code: String::new(),
            ..fields.clone()
        };
        complete(status, setup_page(&state, &csrf, &fields, problems))
    };
    if let Err(wait) = state.throttle.check(SETUP_TRIES) {
        let message = t_args("setup-wait", [("seconds", v(wait.as_secs().max(1)))]);
        return Ok(form_again(&[&message], StatusCode::TOO_MANY_REQUESTS));
    }
    let mut problems: Vec<&str> = Vec::new();
    let commune = text::commune_name(&fields.commune).unwrap_or_else(|invalid| {
        problems.push(setting_message(SettingInvalid::from(invalid)));
        String::new()
    });
    let (name, password, again) = (
        fields.name.clone(),
        fields.password.clone(),
        fields.again.clone(),
    );
    let new = state
        .hash(move || facilitate::new_facilitator(&name, &password, &again))
        .await?;
    let new = match new {
        // A hub's first officer, who holds the server's set-up code, administers it: reads
        // the audit log and grants the names role (seeing names is not theirs by default).
        Ok(new) if problems.is_empty() => crate::store::NewFacilitator {
            roles: crate::store::Roles {
                administrator: state.role == Role::Hub,
                see_names: false,
            },
            ..new
        },
        Ok(_) => return Ok(form_again(&problems, StatusCode::BAD_REQUEST)),
        Err(invalid) => {
            problems.extend(invalid.into_iter().map(account_message));
            return Ok(form_again(&problems, StatusCode::BAD_REQUEST));
        }
    };
    let token = token::new();
    let hash = token::hash(&token).expect("a new token hashes");
    match state
        .accounts()
        .set_up(&fields.code, new, &commune, hash)
        .await?
    {
        Ok(facilitator) => {
            state.throttle.succeeded(SETUP_TRIES);
            state.renamed.notify_one();
            tracing::info!(facilitator = %facilitator.name, "the box is set up");
            Ok(signed_in(&state, &token, None))
        }
        Err(SetupRefused::AlreadyDone) => {
            Ok(complete(StatusCode::CONFLICT, already_set_up(&state)))
        }
        Err(SetupRefused::WrongCode) => {
            state.throttle.failed(SETUP_TRIES);
            Ok(form_again(
                &[t("setup-wrong-code")],
                StatusCode::BAD_REQUEST,
            ))
        }
    }
}

/// Signs the browser in as a facilitator (or officer) and goes on to the `wanted` page (then
/// forgotten), else to the dashboard.
fn signed_in(state: &AppState, token: &str, wanted: Option<&str>) -> Response {
    let home = match state.role {
        Role::Box => "/f",
        Role::Hub => "/hub",
    };
    let mut response = Redirect::to(wanted.unwrap_or(home)).into_response();
    response
        .headers_mut()
        .append(header::SET_COOKIE, facilitator_cookie(token));
    if wanted.is_some() {
        response
            .headers_mut()
            .append(header::SET_COOKIE, return_to::forget());
    }
    response
}

#[derive(Deserialize, Default)]
struct SigninFields {
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
}

/// Why a facilitator is asked to sign in, if they were opening a page.
fn why_sign_in(headers: &HeaderMap) -> Option<&'static str> {
    let wanted = return_to::wanted(Who::Facilitator, headers)?;
    Some(if wanted.starts_with("/present/") {
        t("signin-for-projector")
    } else {
        t("signin-for-page")
    })
}

fn signin_page(
    state: &AppState,
    csrf: &str,
    name: &str,
    problems: &[&str],
    why: Option<&str>,
) -> Markup {
    tools_page(
        state,
        t("signin-title"),
        html! {
            h1 { (t("signin-title")) }
            @if let Some(why) = why {
                p.note.why role="status" { (why) }
            }
            (errors(problems))
            form.stack method="post" action="/f/signin" {
                (csrf_field(csrf))
                label { (t("signin-name")) input type="text" name="name" required autocomplete="username" value=(name); }
                label { (t("print-wifi-password")) input type="password" name="password" required autocomplete="current-password"; }
                button.button type="submit" { (t("signin-button")) }
            }
            p.meta { (t("signin-forgot")) " hocso facilitator reset-password \"" (t("signin-name")) "\"" }
        },
    )
}

async fn signin_form(
    State(state): State<AppState>,
    CsrfToken(csrf): CsrfToken,
    headers: HeaderMap,
) -> Result<Response, Error> {
    if !state.accounts().is_set_up().await? {
        return Ok(Redirect::to("/setup").into_response());
    }
    Ok(signin_page(&state, &csrf, "", &[], why_sign_in(&headers)).into_response())
}

async fn signin(
    State(state): State<AppState>,
    CsrfToken(csrf): CsrfToken,
    headers: HeaderMap,
    AppForm(fields): AppForm<SigninFields>,
) -> Result<Response, Error> {
    let key = format!("f:{}", fold(&fields.name));
    let why = why_sign_in(&headers);
    let again = |message: &str, status| {
        complete(
            status,
            signin_page(&state, &csrf, &fields.name, &[message], why),
        )
    };
    if let Err(wait) = state.throttle.check(&key) {
        let message = t_args("signin-wait", [("seconds", v(wait.as_secs().max(1)))]);
        return Ok(again(&message, StatusCode::TOO_MANY_REQUESTS));
    }
    let found = state
        .accounts()
        .facilitator_login(&fold(&fields.name))
        .await?;
    // A name that does not exist costs the same argon2 check as one that does, so the time
    // taken does not tell who has an account.
    let (facilitator, stored) = match found {
        Some((facilitator, stored)) => (Some(facilitator), stored),
        None => (None, facilitate::decoy_hash().to_string()),
    };
    let password = fields.password.clone();
    let ok = state
        .hash(move || facilitate::verify_password(&stored, &password))
        .await?;
    let right = facilitator.filter(|_| ok);
    let Some(facilitator) = right else {
        state.throttle.failed(&key);
        return Ok(again(t("signin-wrong"), StatusCode::BAD_REQUEST));
    };
    state.throttle.succeeded(&key);
    let token = token::new();
    let hash = token::hash(&token).expect("a new token hashes");
    state
        .accounts()
        .start_facilitator_session(hash, &facilitator.id)
        .await?;
    let wanted = return_to::wanted(Who::Facilitator, &headers);
    Ok(signed_in(&state, &token, wanted.as_deref()))
}

async fn signout(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
) -> Result<Response, Error> {
    if let Some(hash) = cookie(&headers, FACILITATOR_COOKIE).and_then(token::hash) {
        state.accounts().end_facilitator_session(hash).await?;
    }
    let mut response = Redirect::to("/f/signin").into_response();
    response
        .headers_mut()
        .append(header::SET_COOKIE, clear_facilitator_cookie());
    Ok(response)
}
