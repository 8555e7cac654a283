//! The frame around every page: head, the top bar, the language switch. No web fonts, no
//! script: one small style sheet under a content-hashed URL.

use maud::{DOCTYPE, Markup, html};

use crate::content::Lang;
use crate::store::Learner;
use crate::web::AppState;
use crate::web::i18n::ui;

/// A whole page titled `title` around `main`, in the interface language `lang`. The top bar
/// names the signed-in `learner` (a link to their own page), or offers to sign in.
pub fn page(
    state: &AppState,
    lang: Lang,
    learner: Option<&Learner>,
    title: &str,
    main: Markup,
) -> Markup {
    let ui = ui(lang);
    html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · " (ui.site_name) }
                link rel="stylesheet" href=(state.assets.url("style.css"));
                link rel="icon" type="image/svg+xml" href=(state.assets.url("icon.svg"));
            }
            body {
                header.top {
                    div.bar {
                        a.brand href="/" { (ui.site_name) }
                        @match learner {
                            Some(learner) => a.who href="/me" { (learner.display_name) },
                            None => a.who href="/signin" { (ui.sign_in) },
                        }
                    }
                }
                main { (main) }
                footer {
                    nav aria-label=(ui.language) {
                        @for other in Lang::ALL {
                            @if other == lang {
                                span.current lang=(other.code()) { (crate::web::i18n::ui(other).name) }
                            } @else {
                                a href={ "?lang=" (other.code()) } lang=(other.code()) hreflang=(other.code()) { (crate::web::i18n::ui(other).name) }
                            }
                        }
                    }
                }
            }
        }
    }
}
