//! CSRF: every form under `/setup` and `/f/` carries this browser's token in a hidden `csrf`
//! field, and a request that changes something without it is refused before any handler runs.
//! The token is a random value in a `SameSite=Strict` cookie (double submit): a page on
//! another site can neither read it nor send it.

use axum::body::Body;
use axum::extract::{FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use super::Error;
use super::cookie::{cookie, set_cookie};
use crate::token;

const CSRF_COOKIE: &str = "hocso_csrf";
/// Largest form a facilitator page sends.
const FORM_LIMIT: usize = 64 * 1024;

/// This browser's token, for the hidden field of every form on the page.
#[derive(Clone, Debug)]
pub struct CsrfToken(pub String);

/// The extractor: the token the guard settled for this request (a route outside the guard
/// has none, an internal error).
impl<S: Send + Sync> FromRequestParts<S> for CsrfToken {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Error> {
        parts
            .extensions
            .get::<CsrfToken>()
            .cloned()
            .ok_or(Error::Internal)
    }
}

/// The middleware: gives a browser its token, and refuses a POST whose `csrf` field is not it.
pub async fn guard(request: Request, next: Next) -> Response {
    let existing = cookie(request.headers(), CSRF_COOKIE)
        .filter(|t| token::hash(t).is_some())
        .map(str::to_string);
    let mut request = request;
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        let Some(expected) = &existing else {
            return Error::StaleForm.into_response();
        };
        let (parts, body) = request.into_parts();
        let Ok(bytes) = axum::body::to_bytes(body, FORM_LIMIT).await else {
            return Error::TooLarge.into_response();
        };
        let fields: Vec<(String, String)> =
            serde_urlencoded::from_bytes(&bytes).unwrap_or_default();
        let sent = fields.iter().find(|(k, _)| k == "csrf").map(|(_, v)| v);
        // Compared as digests, so the time taken says nothing about the token.
        let same = sent.is_some_and(|sent| {
            Sha256::digest(sent.as_bytes()) == Sha256::digest(expected.as_bytes())
        });
        if !same {
            return Error::StaleForm.into_response();
        }
        request = Request::from_parts(parts, Body::from(bytes));
    }
    let (token, fresh) = match existing {
        Some(token) => (token, false),
        None => (token::new(), true),
    };
    request.extensions_mut().insert(CsrfToken(token.clone()));
    let mut response = next.run(request).await;
    if fresh {
        let value = set_cookie(CSRF_COOKIE, &token, None, "Strict");
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}
