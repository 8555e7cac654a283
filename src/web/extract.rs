//! `Form` and `Json` whose rejections become `web::Error`, so bad input gets the box's own
//! Vietnamese page or JSON error rather than axum's English plain text.

use axum::extract::{FromRequest, Request};
use serde::de::DeserializeOwned;

use super::Error;

pub struct AppForm<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for AppForm<T> {
    type Rejection = Error;

    async fn from_request(request: Request, state: &S) -> Result<Self, Error> {
        match axum::Form::<T>::from_request(request, state).await {
            Ok(axum::Form(value)) => Ok(AppForm(value)),
            Err(rejection) => {
                tracing::debug!("bad form: {rejection}");
                Err(Error::BadRequest)
            }
        }
    }
}

pub struct AppJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for AppJson<T> {
    type Rejection = Error;

    async fn from_request(request: Request, state: &S) -> Result<Self, Error> {
        match axum::Json::<T>::from_request(request, state).await {
            Ok(axum::Json(value)) => Ok(AppJson(value)),
            Err(rejection) if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE => {
                Err(Error::TooLarge)
            }
            Err(rejection) => Err(Error::Rejected {
                code: "bad_json",
                detail: rejection.body_text(),
            }),
        }
    }
}
