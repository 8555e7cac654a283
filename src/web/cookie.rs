//! Cookies, read and set: the one format every cookie of the box is written in (the whole
//! box's path, out of scripts' reach, with its SameSite rule).

use axum::http::{HeaderMap, HeaderValue, header};

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
