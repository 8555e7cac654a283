//! `Error`: everything a handler can fail with, and how every failed answer looks: a short
//! Vietnamese (or chosen-language) page on page routes, JSON under `/api`. Internal detail
//! goes to the log, never to the phone.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use maud::html;

use super::AppState;
use super::i18n::{Ui, ui};
use super::pages::layout;
use crate::content::Lang;

/// What went wrong, in the words a person needs. Carried on an error response as an
/// extension; the `frame` middleware turns it into the page or JSON body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Error {
    NotFound,
    BadRequest,
    BadLang,
    MethodNotAllowed,
    TooLarge,
    HeadersTooLarge,
    Timeout,
    Internal,
}

impl Error {
    /// The error an answer with `status` stands for, when no handler said more.
    pub fn from_status(status: StatusCode) -> Error {
        match status {
            StatusCode::NOT_FOUND => Error::NotFound,
            StatusCode::METHOD_NOT_ALLOWED => Error::MethodNotAllowed,
            StatusCode::PAYLOAD_TOO_LARGE => Error::TooLarge,
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE => Error::HeadersTooLarge,
            StatusCode::REQUEST_TIMEOUT => Error::Timeout,
            s if s.is_client_error() => Error::BadRequest,
            _ => Error::Internal,
        }
    }

    fn status(self) -> StatusCode {
        match self {
            Error::NotFound => StatusCode::NOT_FOUND,
            Error::BadRequest | Error::BadLang => StatusCode::BAD_REQUEST,
            Error::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Error::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Error::HeadersTooLarge => StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            Error::Timeout => StatusCode::REQUEST_TIMEOUT,
            Error::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// A stable machine-readable code for the JSON body.
    fn code(self) -> &'static str {
        match self {
            Error::NotFound => "not_found",
            Error::BadRequest => "bad_request",
            Error::BadLang => "unknown_language",
            Error::MethodNotAllowed => "method_not_allowed",
            Error::TooLarge | Error::HeadersTooLarge => "too_large",
            Error::Timeout => "timeout",
            Error::Internal => "internal",
        }
    }

    fn words(self, ui: &Ui) -> (&'static str, &'static str) {
        match self {
            Error::NotFound => (ui.not_found, ui.not_found_detail),
            Error::BadRequest => (ui.bad_request, ui.bad_request_detail),
            Error::BadLang => (ui.bad_request, ui.bad_lang_detail),
            Error::MethodNotAllowed => (ui.method_not_allowed, ui.method_not_allowed_detail),
            Error::TooLarge | Error::HeadersTooLarge => (ui.too_large, ui.too_large_detail),
            Error::Timeout => (ui.timeout, ui.timeout_detail),
            Error::Internal => (ui.server_error, ui.server_error_detail),
        }
    }

    /// The full answer for a phone: a page, or JSON for `/api` callers.
    pub(super) fn render(self, api: bool, lang: Lang, state: &AppState) -> Response {
        let ui = ui(lang);
        let (title, detail) = self.words(ui);
        let mut response = if api {
            let body = serde_json::json!({ "error": { "code": self.code(), "message": detail } });
            (self.status(), axum::Json(body)).into_response()
        } else {
            let page = layout::page(
                state,
                lang,
                title,
                html! {
                    h1 { (title) }
                    p.lead { (detail) }
                    p { a.button href="/" { (ui.go_home) } }
                },
            );
            (self.status(), page).into_response()
        };
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        response
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let mut response = self.status().into_response();
        response.extensions_mut().insert(self);
        response
    }
}
