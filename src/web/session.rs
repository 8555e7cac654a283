//! Who is asking: the `Visitor` extractor (language and, if signed in, the learner) and
//! `SignedIn` for routes that need a learner. The session cookie holds a random token; the
//! box keeps only its hash.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};

use super::{AppState, Error};
use crate::content::Lang;
use crate::store::Learner;
use crate::token;

pub const SESSION_COOKIE: &str = "hocso_session";
/// A shared phone stays signed in for a year unless someone presses "Đổi người học".
const SESSION_MAX_AGE: u32 = 365 * 24 * 3600;

/// The person on the other end: their language and, when signed in, who they are.
pub struct Visitor {
    pub lang: Lang,
    pub learner: Option<Learner>,
}

/// A signed-in learner; pages send others to sign in, the API answers 401.
pub struct SignedIn {
    pub lang: Lang,
    pub learner: Learner,
}

/// The value of cookie `name`, if the request has one.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// The session cookie's token hash, if the cookie holds something shaped like a token.
pub fn session_hash(headers: &HeaderMap) -> Option<[u8; 32]> {
    cookie(headers, SESSION_COOKIE).and_then(token::hash)
}

/// `Set-Cookie` for `name=value` on the whole box, out of scripts' reach. `max_age` in
/// seconds (`Some(0)` clears it; `None` lasts as long as the browser); `same_site` is `Lax` or
/// `Strict`.
pub fn set_cookie(name: &str, value: &str, max_age: Option<u32>, same_site: &str) -> HeaderValue {
    let age = max_age
        .map(|s| format!("; Max-Age={s}"))
        .unwrap_or_default();
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/{age}; HttpOnly; SameSite={same_site}"
    ))
    .expect("cookie names and hex tokens are valid header text")
}

/// `Set-Cookie` that signs this phone in with `token`.
pub fn session_cookie(token: &str) -> HeaderValue {
    set_cookie(SESSION_COOKIE, token, Some(SESSION_MAX_AGE), "Lax")
}

/// `Set-Cookie` that signs this phone out.
pub fn clear_session_cookie() -> HeaderValue {
    set_cookie(SESSION_COOKIE, "", Some(0), "Lax")
}

impl FromRequestParts<AppState> for Visitor {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Visitor, Error> {
        let lang = parts.extensions.get::<Lang>().copied().unwrap_or(Lang::Vi);
        let learner = match session_hash(&parts.headers) {
            Some(hash) => state.store.session_learner(hash).await?,
            None => None,
        };
        Ok(Visitor { lang, learner })
    }
}

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<SignedIn, Error> {
        let visitor = Visitor::from_request_parts(parts, state).await?;
        match visitor.learner {
            Some(learner) => Ok(SignedIn {
                lang: visitor.lang,
                learner,
            }),
            None => Err(Error::NotSignedIn),
        }
    }
}

pub const FACILITATOR_COOKIE: &str = "hocso_f";
/// A facilitator's browser stays signed in for a week; the hall's laptop is shared.
const FACILITATOR_MAX_AGE: u32 = 7 * 24 * 3600;

/// A signed-in facilitator; pages send anyone else to `/f/signin`. A learner's session is not
/// enough.
pub struct Facilitating {
    pub facilitator: crate::store::Facilitator,
    pub csrf: String,
}

/// `Set-Cookie` that signs this browser in as a facilitator with `token`.
pub fn facilitator_cookie(token: &str) -> HeaderValue {
    set_cookie(
        FACILITATOR_COOKIE,
        token,
        Some(FACILITATOR_MAX_AGE),
        "Strict",
    )
}

pub fn clear_facilitator_cookie() -> HeaderValue {
    set_cookie(FACILITATOR_COOKIE, "", Some(0), "Strict")
}

impl FromRequestParts<AppState> for Facilitating {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Error> {
        let csrf = super::csrf::CsrfToken::from_parts(parts)?;
        let hash = cookie(&parts.headers, FACILITATOR_COOKIE).and_then(token::hash);
        let facilitator = match hash {
            Some(hash) => state.store.session_facilitator(hash).await?,
            None => None,
        };
        match facilitator {
            Some(facilitator) => Ok(Facilitating { facilitator, csrf }),
            None => Err(Error::FacilitatorOnly),
        }
    }
}
