//! How a phone shows pages: larger text, high contrast, or both, chosen with plain links
//! (`?chu=to`, `?mau=cao`, and `thuong` to go back) and remembered in a cookie, so it works
//! without JavaScript and stays with that phone. `frame` settles it for each request; the
//! page layout reads it to put classes on `<html>` and to draw the two links.

use axum::http::{HeaderMap, HeaderValue};
use serde::Deserialize;

use super::session;

const COOKIE: &str = "display";

tokio::task_local! {
    static CURRENT: Display;
}

/// This phone's choices.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Display {
    pub large: bool,
    pub contrast: bool,
}

/// A query value none of the links send.
#[derive(Debug, PartialEq, Eq)]
pub struct UnknownChoice;

/// The query fields that change it.
#[derive(Deserialize, Default)]
pub struct DisplayQuery {
    chu: Option<String>,
    mau: Option<String>,
}

impl Display {
    /// What the cookie remembers (anything unknown in it is ignored).
    pub fn from_headers(headers: &HeaderMap) -> Display {
        let value = session::cookie(headers, COOKIE).unwrap_or("");
        Display {
            large: value.split('.').any(|v| v == "large"),
            contrast: value.split('.').any(|v| v == "contrast"),
        }
    }

    /// `self` changed by a request's query; `Err` when a value is not one of the links'.
    /// `Ok(None)`: the query does not touch it.
    pub fn changed_by(self, query: &DisplayQuery) -> Result<Option<Display>, UnknownChoice> {
        fn on_off(value: &Option<String>, on: &str) -> Result<Option<bool>, UnknownChoice> {
            match value.as_deref() {
                None => Ok(None),
                Some(v) if v == on => Ok(Some(true)),
                Some("thuong") => Ok(Some(false)),
                Some(_) => Err(UnknownChoice),
            }
        }
        let large = on_off(&query.chu, "to")?;
        let contrast = on_off(&query.mau, "cao")?;
        if large.is_none() && contrast.is_none() {
            return Ok(None);
        }
        Ok(Some(Display {
            large: large.unwrap_or(self.large),
            contrast: contrast.unwrap_or(self.contrast),
        }))
    }

    /// The cookie that keeps it for a year.
    pub fn cookie(self) -> HeaderValue {
        let value = match (self.large, self.contrast) {
            (true, true) => "large.contrast",
            (true, false) => "large",
            (false, true) => "contrast",
            (false, false) => "plain",
        };
        HeaderValue::from_str(&format!(
            "{COOKIE}={value}; Path=/; Max-Age=31536000; SameSite=Lax"
        ))
        .expect("ascii cookie")
    }

    /// Runs `work` (the rest of the request) with `self` as the current display.
    pub async fn scope<F: Future>(self, work: F) -> F::Output {
        CURRENT.scope(self, work).await
    }

    /// The display of the request being answered (plain outside one).
    pub fn current() -> Display {
        CURRENT.try_with(|d| *d).unwrap_or_default()
    }

    /// The classes on `<html>`.
    pub fn class(self) -> Option<&'static str> {
        match (self.large, self.contrast) {
            (true, true) => Some("large contrast"),
            (true, false) => Some("large"),
            (false, true) => Some("contrast"),
            (false, false) => None,
        }
    }

    /// The link that turns large text on or off.
    pub fn toggle_large(self) -> &'static str {
        if self.large { "?chu=thuong" } else { "?chu=to" }
    }

    /// The link that turns high contrast on or off.
    pub fn toggle_contrast(self) -> &'static str {
        if self.contrast {
            "?mau=thuong"
        } else {
            "?mau=cao"
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(chu: Option<&str>, mau: Option<&str>) -> DisplayQuery {
        DisplayQuery {
            chu: chu.map(str::to_string),
            mau: mau.map(str::to_string),
        }
    }

    #[test]
    fn links_change_one_choice_and_keep_the_other() {
        let plain = Display::default();
        let large = plain.changed_by(&query(Some("to"), None)).unwrap().unwrap();
        assert_eq!(
            large,
            Display {
                large: true,
                contrast: false
            }
        );
        let both = large
            .changed_by(&query(None, Some("cao")))
            .unwrap()
            .unwrap();
        assert_eq!(both.class(), Some("large contrast"));
        let back = both
            .changed_by(&query(Some("thuong"), None))
            .unwrap()
            .unwrap();
        assert_eq!(
            back,
            Display {
                large: false,
                contrast: true
            }
        );
        assert_eq!(plain.changed_by(&query(None, None)), Ok(None));
        assert!(plain.changed_by(&query(Some("huge"), None)).is_err());
    }

    #[test]
    fn the_cookie_reads_back() {
        for display in [
            Display::default(),
            Display {
                large: true,
                contrast: false,
            },
            Display {
                large: false,
                contrast: true,
            },
            Display {
                large: true,
                contrast: true,
            },
        ] {
            let mut headers = HeaderMap::new();
            let set = display.cookie();
            let pair = set.to_str().unwrap().split(';').next().unwrap().to_string();
            headers.insert("cookie", HeaderValue::from_str(&pair).unwrap());
            assert_eq!(Display::from_headers(&headers), display);
        }
    }
}
