//! `Error`: everything a handler can fail with, and how every failed answer looks: a short
//! Vietnamese (or chosen-language) page on page routes, JSON under `/api`. Internal detail
//! goes to the log, never to the phone.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};

use super::AppState;
use super::i18n::{Ui, ui};
use super::pages::layout;
use crate::content::Lang;

/// What went wrong, in the words a person needs. Carried on an error response as an
/// extension; the `frame` middleware turns it into the page or JSON body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Error {
    NotFound,
    BadRequest,
    BadLang,
    MethodNotAllowed,
    TooLarge,
    HeadersTooLarge,
    Timeout,
    /// A page or API call that needs a signed-in learner got none (or a stale cookie).
    NotSignedIn,
    /// A facilitator page without a facilitator's session: pages go to `/f/signin`.
    FacilitatorOnly,
    /// A form that changes something came without this browser's CSRF token.
    StaleForm,
    /// API input that breaks a rule; `detail` says which, for the tool that sent it.
    Rejected {
        code: &'static str,
        detail: String,
    },
    /// Sync input the hub turns away, with its HTTP status, a stable code, what is wrong in
    /// words for the box's log, and (for a gap) the highest seq the hub holds.
    Sync {
        status: StatusCode,
        code: &'static str,
        message: String,
        held: Option<i64>,
    },
    /// The box's disk is full: nothing was kept.
    DiskFull,
    Internal,
}

/// Marks an error response whose body a handler drew itself (a form shown again with its
/// mistakes), so `frame` leaves it as it is.
#[derive(Clone, Copy, Debug)]
pub struct Complete;

/// `markup` as a whole page answer with `status`, drawn by the handler.
pub fn complete(status: StatusCode, markup: Markup) -> Response {
    let mut response = (status, markup).into_response();
    response.extensions_mut().insert(Complete);
    response
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
            StatusCode::UNAUTHORIZED => Error::NotSignedIn,
            s if s.is_client_error() => Error::BadRequest,
            _ => Error::Internal,
        }
    }

    fn status(&self) -> StatusCode {
        match self {
            Error::NotFound => StatusCode::NOT_FOUND,
            Error::BadRequest | Error::BadLang | Error::Rejected { .. } => StatusCode::BAD_REQUEST,
            Error::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Error::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Error::HeadersTooLarge => StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            Error::Timeout => StatusCode::REQUEST_TIMEOUT,
            Error::NotSignedIn | Error::FacilitatorOnly => StatusCode::UNAUTHORIZED,
            Error::StaleForm => StatusCode::FORBIDDEN,
            Error::Sync { status, .. } => *status,
            Error::DiskFull => StatusCode::INSUFFICIENT_STORAGE,
            Error::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// A stable machine-readable code for the JSON body.
    fn code(&self) -> &'static str {
        match self {
            Error::NotFound => "not_found",
            Error::BadRequest => "bad_request",
            Error::BadLang => "unknown_language",
            Error::MethodNotAllowed => "method_not_allowed",
            Error::TooLarge | Error::HeadersTooLarge => "too_large",
            Error::Timeout => "timeout",
            Error::NotSignedIn | Error::FacilitatorOnly => "not_signed_in",
            Error::StaleForm => "stale_form",
            Error::Rejected { code, .. } | Error::Sync { code, .. } => code,
            Error::DiskFull => "disk_full",
            Error::Internal => "internal",
        }
    }

    fn words(&self, ui: &Ui) -> (&'static str, &'static str) {
        match self {
            Error::NotFound => (ui.not_found(), ui.not_found_detail()),
            Error::BadRequest | Error::Rejected { .. } | Error::Sync { .. } => {
                (ui.bad_request(), ui.bad_request_detail())
            }
            Error::BadLang => (ui.bad_request(), ui.bad_lang_detail()),
            Error::MethodNotAllowed => (ui.method_not_allowed(), ui.method_not_allowed_detail()),
            Error::TooLarge | Error::HeadersTooLarge => (ui.too_large(), ui.too_large_detail()),
            Error::Timeout => (ui.timeout(), ui.timeout_detail()),
            Error::NotSignedIn | Error::FacilitatorOnly => {
                (ui.not_signed_in(), ui.not_signed_in_detail())
            }
            Error::StaleForm => (ui.stale_form(), ui.stale_form_detail()),
            Error::DiskFull => (ui.disk_full(), ui.disk_full_detail()),
            Error::Internal => (ui.server_error(), ui.server_error_detail()),
        }
    }

    /// The full answer for a phone: a page (naming the signed-in `learner` in its top bar, if
    /// known), or JSON for `/api` callers.
    pub(super) fn render(
        &self,
        api: bool,
        lang: Lang,
        state: &AppState,
        learner: Option<&crate::store::Learner>,
    ) -> Response {
        let ui = ui(lang);
        let (title, message) = self.words(ui);
        let mut response = if api {
            let mut error = serde_json::json!({ "code": self.code(), "message": message });
            if let Error::Rejected { detail, .. } = self {
                error["detail"] = detail.clone().into();
            }
            if let Error::Sync { message, held, .. } = self {
                error["message"] = message.clone().into();
                if let Some(held) = held {
                    error["held"] = (*held).into();
                }
            }
            (
                self.status(),
                axum::Json(serde_json::json!({ "error": error })),
            )
                .into_response()
        } else if *self == Error::NotSignedIn {
            Redirect::to("/signin").into_response()
        } else if *self == Error::FacilitatorOnly {
            Redirect::to("/f/signin").into_response()
        } else {
            let page = layout::page(
                state,
                lang,
                learner,
                title,
                html! {
                    h1 { (title) }
                    p.lead { (message) }
                    p { a.button href="/" { (ui.go_home()) } }
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

impl From<crate::store::Error> for Error {
    fn from(error: crate::store::Error) -> Error {
        tracing::error!("store: {error}");
        match error {
            crate::store::Error::DiskFull => Error::DiskFull,
            _ => Error::Internal,
        }
    }
}
