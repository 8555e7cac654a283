//! CSRF: every form under `/setup` and `/f/` carries this browser's token in a hidden `csrf`
//! field, and a request that changes something without it is refused before any handler runs.
//! The token is a random value in a `SameSite=Strict` cookie (double submit): a page on
//! another site can neither read it nor send it. A form that uploads a file
//! (`multipart/form-data`) carries the same field, read from its parts.

use axum::body::Body;
use axum::extract::{FromRequest, FromRequestParts, Multipart, Request};
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
        let upload = parts
            .headers
            .get(header::CONTENT_TYPE)
            .filter(|v| v.as_bytes().starts_with(b"multipart/form-data"))
            .cloned();
        // An upload is as large as the body limit in front lets it be.
        let limit = match upload {
            Some(_) => super::UPLOAD_LIMIT,
            None => FORM_LIMIT,
        };
        let Ok(bytes) = axum::body::to_bytes(body, limit).await else {
            return Error::TooLarge.into_response();
        };
        let sent = match upload {
            Some(kind) => multipart_field(kind, bytes.clone(), "csrf").await,
            None => serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes)
                .unwrap_or_default()
                .into_iter()
                .find(|(k, _)| k == "csrf")
                .map(|(_, v)| v),
        };
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

/// The text of field `name` of a `multipart/form-data` body of content type `kind`, if it has
/// one, among the body's first 64 KB: the token is the first field of every form, and the
/// reader (which takes at most 2 MB) never meets the large file after it.
async fn multipart_field(
    kind: axum::http::HeaderValue,
    body: axum::body::Bytes,
    name: &str,
) -> Option<String> {
    const HEAD: usize = 64 * 1024;
    let head = body.slice(..body.len().min(HEAD));
    let request = Request::builder()
        .header(header::CONTENT_TYPE, kind)
        .body(Body::from(head))
        .ok()?;
    let mut parts = Multipart::from_request(request, &()).await.ok()?;
    while let Ok(Some(field)) = parts.next_field().await {
        if field.name() == Some(name) {
            return field.text().await.ok();
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    const KIND: &str = "multipart/form-data; boundary=XyZ";

    fn field(body: &[u8]) -> Option<String> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        runtime.block_on(multipart_field(
            HeaderValue::from_static(KIND),
            axum::body::Bytes::copy_from_slice(body),
            "csrf",
        ))
    }

    #[test]
    fn an_uploads_token_is_read_from_its_parts() {
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nabc123\r\n\
            --XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n\r\n\
            \x00\x01csrf\r\n--XyZ--\r\n";
        assert_eq!(field(body).as_deref(), Some("abc123"));
        let no_token =
            b"--XyZ\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nx\r\n--XyZ--\r\n";
        assert_eq!(field(no_token), None);
    }

    #[test]
    fn a_token_before_a_large_file_is_read() {
        let mut body = b"--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nabc123\r\n\
            --XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n\r\n"
            .to_vec();
        body.extend(vec![0xFF; 16 * 1024 * 1024]);
        body.extend(b"\r\n--XyZ--\r\n");
        assert_eq!(field(&body).as_deref(), Some("abc123"));
    }

    proptest::proptest! {
        /// Any bytes as an upload: no panic, and a token only where a `csrf` part holds one.
        #[test]
        fn any_upload_is_read_safely(body in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..400)) {
            if let Some(token) = field(&body) {
                let text = String::from_utf8_lossy(&body);
                proptest::prop_assert!(text.contains("name=\"csrf\""));
                proptest::prop_assert!(text.contains(&token));
            }
        }
    }
}
