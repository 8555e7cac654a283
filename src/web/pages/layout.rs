//! The frame around every page: head, the top bar, the language switch. No web fonts; one
//! small style sheet under a content-hashed URL, and for facilitators' pages a second one.
//! Scripts only where a page is better with them, never needed: live lessons, and on a
//! signed-in learner's pages the queue that keeps results when the Wi-Fi drops.

use maud::{DOCTYPE, Markup, PreEscaped, html};

use crate::content::Lang;
use crate::store::Learner;
use crate::web::AppState;
use crate::web::display::Display;
use crate::web::gzip;
use crate::web::i18n::ui;
use crate::web::i18n::{current, t};
use crate::web::session::Facilitating;

/// A whole page titled `title` around `main`, in the interface language `lang`. The top bar
/// names the signed-in `learner` (a link to their own page), or offers to sign in.
pub fn page(
    state: &AppState,
    lang: Lang,
    learner: Option<&Learner>,
    title: &str,
    main: Markup,
) -> Markup {
    page_with(state, lang, learner, title, main, &Extras::default())
}

/// What some pages add to the frame.
#[derive(Default)]
pub struct Extras<'a> {
    /// The facilitators' style sheet (tables, printables, the projector) and their top bar.
    pub tools: bool,
    /// A script from `assets/`, loaded deferred: the page works without it.
    pub script: Option<&'a str>,
    /// Reload the page every this many seconds when scripts are off (live lessons).
    pub refresh: Option<u32>,
    /// A class on `<body>`, e.g. `present` for the projector.
    pub body_class: Option<&'a str>,
    /// Drawn in pieces for `gzip::spliced`: the body's tag and the top bar, which name the
    /// learner, are marked as made for this request.
    pub pieces: bool,
}

/// `page` with `extras`.
pub fn page_with(
    state: &AppState,
    lang: Lang,
    learner: Option<&Learner>,
    title: &str,
    main: Markup,
    extras: &Extras<'_>,
) -> Markup {
    let ui = ui(lang);
    let display = Display::current();
    // A learner's results go through the offline queue (assets/offline.js) on the box.
    let queue = learner.filter(|_| !extras.tools && state.role == crate::web::Role::Box);
    html! {
        (DOCTYPE)
        html lang=(lang.code()) class=[display.class()] {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · " (ui.site_name()) }
                link rel="stylesheet" href=(state.assets.url("style.css"));
                @if extras.tools {
                    link rel="stylesheet" href=(state.assets.url("tools.css"));
                }
                link rel="icon" type="image/svg+xml" href=(state.assets.url("icon.svg"));
                @if let Some(seconds) = extras.refresh {
                    noscript { meta http-equiv="refresh" content=(seconds); }
                }
                @if let Some(script) = extras.script {
                    script src=(state.assets.url(script)) defer {}
                }
                @if queue.is_some() {
                    script src=(state.assets.url("offline.js")) defer {}
                }
            }
            @if extras.pieces { (PreEscaped(gzip::FRESH)) }
            body class=[extras.body_class] data-learner=[queue.map(|l| &l.id)] data-box-time=[queue.map(|_| state.store.clock().now().unix_timestamp_nanos() / 1_000_000)] {
                header.top {
                    div.bar {
                        a.brand href="/" { (ui.site_name()) }
                        @if state.role == crate::web::Role::Hub {
                            a.who href="/hub" { (t("who-officer")) }
                        } @else if extras.tools {
                            a.who href="/f" { (t("who-facilitator")) }
                        } @else {
                            span.bar-end {
                                // The learner first in the page (made for this request), then
                                // "Aa" (the display choices, where people look; no script: a
                                // details element), shown before the name (`order`) and kept
                                // with the rest of the page for everyone with the same choices.
                                @match learner {
                                    Some(learner) => a.who href="/me" { (learner.display_name) },
                                    None => a.who href="/signin" { (ui.sign_in()) },
                                }
                                @if extras.pieces { (PreEscaped(gzip::KEEP)) }
                                details.aa {
                                    summary aria-label=(ui.display()) { "Aa" }
                                    nav aria-label=(ui.display()) {
                                        a href=(display.toggle_large()) .on[display.large] { (ui.large_text()) @if display.large { " ✓" } }
                                        a href=(display.toggle_contrast()) .on[display.contrast] { (ui.high_contrast()) @if display.contrast { " ✓" } }
                                    }
                                }
                            }
                        }
                    }
                }
                @if extras.pieces { (PreEscaped(gzip::KEEP)) }
                main {
                    @if queue.is_some() {
                        p #queue .note hidden role="status" data-waiting=(ui.waiting()) data-sent=(ui.sent()) data-queued=(ui.queued()) {}
                    }
                    (main)
                }
                // The language switch, on every page but the projector's.
                @if extras.body_class != Some("present") { footer {
                    nav aria-label=(ui.language()) {
                        @for &other in Lang::all() {
                            @if other == lang {
                                span.current lang=(other.code()) { (crate::web::i18n::ui(other).name()) }
                            } @else {
                                a href={ "?lang=" (other.code()) } lang=(other.code()) hreflang=(other.code()) { (crate::web::i18n::ui(other).name()) }
                            }
                        }
                    }
                } }
            }
        }
    }
}

/// A facilitator's page, in the request's language (`i18n::current`), with the tools style
/// sheet.
pub fn tools_page(state: &AppState, title: &str, main: Markup) -> Markup {
    let extras = Extras {
        tools: true,
        ..Extras::default()
    };
    page_with(state, current(), None, title, main, &extras)
}

/// The hidden field every form here carries.
pub fn csrf_field(token: &str) -> Markup {
    html! { input type="hidden" name="csrf" value=(token); }
}

pub fn errors(messages: &[&str]) -> Markup {
    html! {
        @if !messages.is_empty() {
            div.note.error role="alert" {
                @for m in messages { p { "⚠ " (m) } }
            }
        }
    }
}

/// The facilitator's places, in the menu's order: where each lives and its name.
fn facilitator_places() -> [(&'static str, &'static str); 9] {
    [
        ("/f", t("f-nav-dashboard")),
        ("/f/learners", t("f-nav-learners")),
        ("/f/groups", t("f-nav-groups")),
        ("/f/live", t("f-nav-live")),
        ("/f/bai-hoc", t("f-nav-own-lessons")),
        ("/f/reports", t("f-nav-reports")),
        ("/f/print", t("f-nav-print")),
        ("/f/sync", t("f-nav-sync")),
        ("/f/settings", t("f-nav-settings")),
    ]
}

/// The place of `places` that `path` belongs to: the longest that is it or holds it.
fn place_of(places: &[(&'static str, &'static str)], path: &str) -> Option<&'static str> {
    places
        .iter()
        .map(|(at, _)| *at)
        .filter(|at| path == *at || path.starts_with(&format!("{at}/")))
        .max_by_key(|at| at.len())
}

/// The menu at the top of every facilitator page. On a phone, one line ("☰ Menu" and where
/// one is) opening to finger-sized links, with signing out last, under the facilitator's
/// name; on a wider screen, the links in one row and signing out small at its end. Both
/// without script: the phone's menu is a `details` element, and CSS shows one of the two.
pub fn facilitator_nav(f: &Facilitating) -> Markup {
    menu(f, &facilitator_places())
}

/// The menu of `places` (`facilitator_nav`'s, or a hub officer's), marking where `f` is.
pub fn menu(f: &Facilitating, places: &[(&'static str, &'static str)]) -> Markup {
    let here = place_of(places, &f.path);
    let here_name = places
        .iter()
        .find(|(at, _)| Some(*at) == here)
        .map(|(_, name)| *name);
    let links = html! {
        ul {
            @for &(at, name) in places {
                li {
                    @if Some(at) == here {
                        a href=(at) aria-current="page" { (name) }
                    } @else {
                        a href=(at) { (name) }
                    }
                }
            }
        }
    };
    let sign_out = html! {
        form.signout method="post" action="/f/signout" {
            (csrf_field(&f.csrf))
            span.meta { (f.facilitator.name) }
            button.link type="submit" { (t("sign-out")) }
        }
    };
    html! {
        details.fmenu {
            summary {
                span.burger aria-hidden="true" { "☰" } " Menu"
                @if let Some(name) = here_name { span.here { (name) } }
            }
            nav aria-label=(t("f-nav-label")) { (links) }
            (sign_out)
        }
        div.fbar {
            nav aria-label=(t("f-nav-label-wide")) { (links) }
            (sign_out)
        }
    }
}

/// The QR code of `text` as an inline `<svg>` that fills its box (CSS sizes it), dark on
/// white with its quiet zone, labelled with its text for screen readers. `None` if the text
/// is too long for a QR code.
pub fn qr(text: &str) -> Option<Markup> {
    let qr = crate::facilitate::qr::code(text)?;
    let view_box = format!("0 0 {0} {0}", qr.side);
    Some(html! {
        svg role="img" class="qr" aria-label=(text) viewBox=(view_box) shape-rendering="crispEdges" {
            rect x="0" y="0" width=(qr.side) height=(qr.side) fill="#fff" {}
            path fill="#000" d=(qr.dark) {}
        }
    })
}

#[cfg(test)]
mod tests {
    use super::{page, qr};
    use crate::content::Lang;
    use crate::store::Store;
    use crate::web::{AppState, Role};

    #[test]
    fn the_language_switch_lists_the_language_files_present() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_on(dir.path(), Some("a-machine")).unwrap();
        let state = AppState::new(store, Role::Box, "hocso.lan");
        let zz = Lang::from_code(crate::lang::tests::TEST_ONLY).unwrap();
        let html = page(&state, Lang::En, None, "t", maud::html! {}).into_string();
        assert!(
            html.contains(r#"<span class="current" lang="en">English</span>"#),
            "{html}"
        );
        assert!(html.contains(r#"hreflang="vi">Tiếng Việt</a>"#), "{html}");
        // The tests' own language (`lang::tests`): a file present is a language offered.
        assert!(
            html.contains(r#"hreflang="zz">Zz (test only)</a>"#),
            "{html}"
        );
        let html = page(&state, zz, None, "t", maud::html! {}).into_string();
        assert!(html.contains(r#"<html lang="zz""#), "{html}");
    }

    #[test]
    fn a_qr_code_is_an_inline_svg_sized_by_css() {
        let image = qr("http://192.168.4.1/").unwrap().into_string();
        assert!(
            image.starts_with(
                "<svg role=\"img\" class=\"qr\" aria-label=\"http://192.168.4.1/\" viewBox=\"0 0 "
            ),
            "{image}"
        );
        assert!(!image.contains("<?xml"));
        let tag = &image[..image.find('>').unwrap()];
        assert!(!tag.contains("width"), "{tag}");
        assert!(image.contains("<path"));
        assert!(image.ends_with("</svg>"));
        let label = qr("WIFI:S:\"A&B\";;").unwrap().into_string();
        assert!(
            label.contains("aria-label=\"WIFI:S:&quot;A&amp;B&quot;;;\""),
            "{label}"
        );
    }
}
