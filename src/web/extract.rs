//! `Form` and `Json` whose rejections become `web::Error`, so bad input gets the box's own
//! Vietnamese page or JSON error rather than axum's English plain text. A form whose text
//! is not UTF-8 once decoded is refused (400), never read with replacement characters. A
//! form with files is read whole (`Multiform`: its text fields and chosen files); `Upload`
//! answers its `file` field's bytes.

use axum::body::Body;
use axum::extract::{FromRequest, Request};
use axum::http::Method;
use serde::de::DeserializeOwned;

use super::Error;

pub struct AppForm<T>(pub T);

/// The `file` field of a `multipart/form-data` form, if one was chosen (not empty). A body
/// that is not such a form is a `BadRequest`; one past the route's limit, `TooLarge`.
pub struct Upload(pub Option<axum::body::Bytes>);

impl<S: Send + Sync> FromRequest<S> for Upload {
    type Rejection = Error;

    async fn from_request(request: Request, state: &S) -> Result<Self, Error> {
        let form = Multiform::from_request(request, state).await?;
        Ok(Upload(form.file("file").cloned()))
    }
}

/// A `multipart/form-data` form read whole: its text fields (in order; a field that is not
/// UTF-8 makes the form a `BadRequest`) and its files that were chosen (not empty), by
/// field name. A body past the route's limit is `TooLarge`; one cut short, `BadRequest`.
pub struct Multiform {
    pub text: Vec<(String, String)>,
    pub files: Vec<(String, axum::body::Bytes)>,
}

impl Multiform {
    /// The first text field `name`, trimmed; empty when absent.
    pub fn get(&self, name: &str) -> &str {
        self.text
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.trim())
    }

    /// Every text field `name`, in order.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.text
            .iter()
            .filter(move |(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The file chosen for field `name`.
    pub fn file(&self, name: &str) -> Option<&axum::body::Bytes> {
        self.files.iter().find(|(k, _)| k == name).map(|(_, v)| v)
    }
}

/// Most text fields a form may have (a lesson: its slides, questions and choices).
const MAX_FIELDS: usize = 400;

impl<S: Send + Sync> FromRequest<S> for Multiform {
    type Rejection = Error;

    async fn from_request(request: Request, state: &S) -> Result<Self, Error> {
        let broken = |e: axum::extract::multipart::MultipartError| match e.status() {
            axum::http::StatusCode::PAYLOAD_TOO_LARGE => Error::TooLarge,
            _ => Error::BadRequest,
        };
        let mut form = axum::extract::Multipart::from_request(request, state)
            .await
            .map_err(|_| Error::BadRequest)?;
        let mut out = Multiform {
            text: Vec::new(),
            files: Vec::new(),
        };
        while let Some(field) = form.next_field().await.map_err(broken)? {
            let name = field.name().unwrap_or_default().to_string();
            let is_file = field.file_name().is_some();
            let bytes = field.bytes().await.map_err(broken)?;
            if is_file {
                if !bytes.is_empty() {
                    out.files.push((name, bytes));
                }
            } else {
                let text = String::from_utf8(bytes.to_vec()).map_err(|_| Error::BadRequest)?;
                out.text.push((name, text));
            }
            if out.text.len() + out.files.len() > MAX_FIELDS {
                return Err(Error::BadRequest);
            }
        }
        Ok(out)
    }
}

/// Whether urlencoded form text decodes to UTF-8 (`+` a space, `%XX` a byte, anything else
/// itself), as the form decoder would read it.
pub fn decodes_to_utf8(encoded: &[u8]) -> bool {
    let spaced: Vec<u8> = encoded
        .iter()
        .map(|&b| if b == b'+' { b' ' } else { b })
        .collect();
    percent_encoding::percent_decode(&spaced)
        .decode_utf8()
        .is_ok()
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for AppForm<T> {
    type Rejection = Error;

    async fn from_request(request: Request, state: &S) -> Result<Self, Error> {
        let (parts, body) = request.into_parts();
        let request = if matches!(parts.method, Method::GET | Method::HEAD) {
            let query = parts.uri.query().unwrap_or_default();
            if !decodes_to_utf8(query.as_bytes()) {
                return Err(Error::BadRequest);
            }
            Request::from_parts(parts, body)
        } else {
            // The router's body limit still holds: reading more fails here.
            let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
                return Err(Error::BadRequest);
            };
            if !decodes_to_utf8(&bytes) {
                return Err(Error::BadRequest);
            }
            Request::from_parts(parts, Body::from(bytes))
        };
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

#[cfg(test)]
mod tests {
    use super::decodes_to_utf8;

    #[test]
    fn form_text_must_decode_to_utf8() {
        assert!(decodes_to_utf8(
            b"name=L%C3%AA+Th%E1%BB%8B+Hoa&village=Bu%C3%B4n"
        ));
        assert!(decodes_to_utf8("name=Lê Thị".as_bytes()));
        assert!(decodes_to_utf8(b"a=100%&b=%zz"), "a stray % is itself");
        assert!(!decodes_to_utf8(b"name=%FF%FE"));
        assert!(!decodes_to_utf8(b"name=%C3"), "half a letter");
        assert!(!decodes_to_utf8(b"name=\xff"));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(128))]

        /// Any text a form encodes decodes as UTF-8; the same with a lone continuation byte
        /// slipped in does not.
        #[test]
        fn encoded_text_is_utf8_and_a_stray_byte_is_not(text in "\\PC{0,80}", at in 0usize..200) {
            let encoded = serde_urlencoded::to_string([("name", text.as_str())]).unwrap();
            proptest::prop_assert!(decodes_to_utf8(encoded.as_bytes()));
            let at = at % (encoded.len() + 1);
            let at = (0..=at).rev().find(|i| encoded.is_char_boundary(*i)).unwrap_or(0);
            let broken = format!("{}%80{}", &encoded[..at], &encoded[at..]);
            // A `%` just before breaks only a `%XX` already there; it stays bad UTF-8 anyway.
            proptest::prop_assert!(!decodes_to_utf8(broken.as_bytes()));
        }

        /// Any bytes never panic.
        #[test]
        fn no_bytes_make_the_check_panic(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..300)) {
            let _ = decodes_to_utf8(&bytes);
        }
    }
}
