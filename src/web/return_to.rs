//! Where someone was going when the box asked them to sign in. A page opened signed out (a
//! learner's `/live`, a facilitator's `/present/…`) answers with a redirect to sign-in and a
//! short-lived cookie naming the page; the sign-in page says why it is asked for; a sign-in
//! (or a new learner's joining) that succeeds goes to that page once and forgets it. Only a
//! path on this box is kept (never another site), and a learner's sign-in never follows a
//! facilitator's page, nor the other way round.

use axum::http::{HeaderMap, HeaderValue, Uri};
use percent_encoding::{NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

use super::cookie::{cookie, set_cookie};

const RETURN_COOKIE: &str = "hocso_return";
/// Seconds a wanted page is kept: long enough to find one's name and tap a code.
const KEPT_FOR: u32 = 900;
/// Longest path (with its query) worth keeping.
const LONGEST: usize = 512;

/// Who the sign-in is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Who {
    Learner,
    Facilitator,
}

impl Who {
    fn tag(self) -> &'static str {
        match self {
            Who::Learner => "l",
            Who::Facilitator => "f",
        }
    }
}

/// `Set-Cookie` remembering `uri` for `who`'s sign-in, if it is a page worth coming back to.
pub fn remember(who: Who, uri: &Uri) -> Option<HeaderValue> {
    let target = uri.path_and_query()?.as_str();
    if !worth_returning_to(target) {
        return None;
    }
    let value = format!(
        "{}:{}",
        who.tag(),
        utf8_percent_encode(target, NON_ALPHANUMERIC)
    );
    Some(set_cookie(RETURN_COOKIE, &value, Some(KEPT_FOR), "Lax"))
}

/// The page `who` was going to, if the request carries one.
pub fn wanted(who: Who, headers: &HeaderMap) -> Option<String> {
    let kept = cookie(headers, RETURN_COOKIE)?;
    let (tag, encoded) = kept.split_once(':')?;
    if tag != who.tag() {
        return None;
    }
    let target = percent_decode_str(encoded).decode_utf8().ok()?;
    worth_returning_to(&target).then(|| target.into_owned())
}

/// `Set-Cookie` that forgets the wanted page.
pub fn forget() -> HeaderValue {
    set_cookie(RETURN_COOKIE, "", Some(0), "Lax")
}

/// A path on this box (not `//other.site`), short, plain text, and not a sign-in page itself.
fn worth_returning_to(target: &str) -> bool {
    let path = target.split('?').next().unwrap_or_default();
    target.len() <= LONGEST
        && target.starts_with('/')
        && !target.starts_with("//")
        && !target.starts_with("/\\")
        && target.bytes().all(|b| b.is_ascii_graphic())
        && !matches!(
            path,
            "/" | "/signin" | "/signout" | "/join" | "/joined" | "/f/signin" | "/f/signout"
        )
        && !path.starts_with("/signin/")
        && !path.starts_with("/api/")
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::header;
    use proptest::prelude::*;

    fn asked(set: &HeaderValue) -> HeaderMap {
        let pair = set.to_str().unwrap().split(';').next().unwrap().to_string();
        let mut headers = HeaderMap::new();
        headers.insert(header::COOKIE, HeaderValue::from_str(&pair).unwrap());
        headers
    }

    #[test]
    fn a_page_is_kept_for_its_own_sign_in_only() {
        let uri: Uri = "/present/0193?x=1&y=%C3%A2".parse().unwrap();
        let set = remember(Who::Facilitator, &uri).unwrap();
        assert!(set.to_str().unwrap().contains("Max-Age=900"));
        let headers = asked(&set);
        assert_eq!(
            wanted(Who::Facilitator, &headers).as_deref(),
            Some("/present/0193?x=1&y=%C3%A2")
        );
        assert_eq!(wanted(Who::Learner, &headers), None);
    }

    #[test]
    fn only_pages_of_this_box_are_kept() {
        for target in [
            "//evil.example/live",
            "/\\evil.example",
            "/signin",
            "/signin/0193",
            "/f/signin",
            "/join",
            "/api/v1/me",
        ] {
            let uri: Uri = target.parse().unwrap();
            assert!(remember(Who::Learner, &uri).is_none(), "{target}");
        }
        let long: Uri = format!("/m/{}", "a".repeat(600)).parse().unwrap();
        assert!(remember(Who::Learner, &long).is_none());
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("hocso_return=l:%2F%2Fevil.example"),
        );
        assert_eq!(wanted(Who::Learner, &headers), None);
    }

    proptest! {
        /// Whatever a cookie holds, what is followed is a path on this box.
        #[test]
        fn a_kept_page_is_always_local(value in "[ -~]{0,80}") {
            let mut headers = HeaderMap::new();
            if let Ok(v) = HeaderValue::from_str(&format!("hocso_return={value}")) {
                headers.insert(header::COOKIE, v);
            }
            for who in [Who::Learner, Who::Facilitator] {
                if let Some(target) = wanted(who, &headers) {
                    prop_assert!(target.starts_with('/'));
                    prop_assert!(!target.starts_with("//") && !target.starts_with("/\\"));
                }
            }
        }
    }
}
