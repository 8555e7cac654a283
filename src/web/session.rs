//! Who is asking: the `Visitor` extractor (language and, if signed in, the learner) and
//! `SignedIn` for routes that need a learner. The session cookie holds a random token; the
//! box keeps only its hash.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue};

pub use super::cookie::{cookie, set_cookie};
use super::csrf::CsrfToken;
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

/// The session cookie's token hash, if the cookie holds something shaped like a token.
pub fn session_hash(headers: &HeaderMap) -> Option<[u8; 32]> {
    cookie(headers, SESSION_COOKIE).and_then(token::hash)
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
#[derive(Clone)]
pub struct Facilitating {
    pub facilitator: crate::store::Facilitator,
    pub csrf: String,
    /// The page asked for, to mark where the menu stands.
    pub path: String,
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
        // Behind `facilitators_only` the guard has found them already.
        if let Some(facilitating) = parts.extensions.get::<Facilitating>() {
            return Ok(facilitating.clone());
        }
        let CsrfToken(csrf) = CsrfToken::from_request_parts(parts, state).await?;
        let hash = cookie(&parts.headers, FACILITATOR_COOKIE).and_then(token::hash);
        let facilitator = match hash {
            Some(hash) => state.accounts().session_facilitator(hash).await?,
            None => None,
        };
        match facilitator {
            Some(facilitator) => Ok(Facilitating {
                facilitator,
                csrf,
                path: parts.uri.path().to_string(),
            }),
            None => Err(Error::FacilitatorOnly),
        }
    }
}

/// The guard in front of a facilitator's route tree: lets a signed-in facilitator through
/// (their `Facilitating` handed on to the handler) and answers anyone else as
/// `Error::FacilitatorOnly` does, before any handler runs.
pub async fn facilitators_only(
    axum::extract::State(state): axum::extract::State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let (mut parts, body) = request.into_parts();
    match Facilitating::from_request_parts(&mut parts, &state).await {
        Ok(facilitating) => {
            parts.extensions.insert(facilitating);
            next.run(axum::extract::Request::from_parts(parts, body))
                .await
        }
        Err(e) => e.into_response(),
    }
}
