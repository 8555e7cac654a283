//! The projector's screen of a live lesson (`/present/{id}`): the slide or question, the
//! join code, and on a question the answers so far, all on one screen that never scrolls:
//! a slide's pictures beside its text, and a long slide's type a step smaller (`fit`).

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use maud::{Markup, PreEscaped, html};

use super::{RELOAD, controls, join_address, lesson_of, letter, stream};
use crate::content::{Lang, Question};
use crate::facilitate::live::{Live, Step};
use crate::protocol::live::Total;
use crate::web::i18n::{t, t_args, v};
use crate::web::pages::layout::{Extras, page_with};
use crate::web::session::Facilitating;
use crate::web::{AppState, Error};

/// The projector's part: the join bar, where the class is (a slide, or a question with the
/// answers so far), and a strip of the facilitator's buttons at the foot.
pub(super) fn projector_part(
    state: &AppState,
    f: &Facilitating,
    live: &Live,
    address: &str,
    total: Option<&Total>,
) -> Result<Markup, Error> {
    let lesson = lesson_of(state, live)?;
    let version = lesson.versions.get(Lang::Vi);
    let present = live.present.len();
    let practice = super::room::scenario_of(state, live);
    Ok(html! {
        div.join-bar {
            span { (t("present-join")) ": " strong { (address) } }
            span { (t("live-code-short")) ": " strong.code { (live.code) } }
            span { (t_args("present-count", [("n", v(present))])) }
        }
        @if live.ended {
            div.step {
                h1 { (t("present-ended")) }
                p.lead { (t_args("present-ended-count", [("n", v(present))])) }
            }
        } @else if let Some((practice, scenario)) = practice {
            div.step { (super::room::projector(live, practice, scenario)) }
        } @else {
            @match live.current() {
                Step::Slide(i) => {
                    // The page's heading is the lesson's, for those who listen to it; the
                    // room reads the slide's own.
                    h1.sep { (lesson.heading(Lang::Vi).title) }
                    (slide(version.slides.get(i).map_or("", String::as_str)))
                }
                Step::Question(q) if q >= version.quiz.len() => {
                    div.step {
                        p.meta { (t_args("present-question", [("question", v(q + 1)), ("questions", v(live.choices.len()))])) }
                        p.lead { (t("present-question-gone")) }
                    }
                }
                Step::Question(q) => {
                    @let question = &version.quiz[q];
                    @let tally = live.tally(q);
                    @let answered: u32 = tally.iter().sum();
                    div.step.question {
                        (question_head(q, live.choices.len(), html! { strong { (answered) "/" (present) } " " (t("present-answered")) }))
                        (question_counts(question, &tally, live.revealed, t("present-counts-label")))
                        @if let Some(total) = total.filter(|t| t.counts.len() == question.choices.len()) {
                            p.province-total {
                                (t_args("present-province-total", [("halls", v(total.halls)), ("people", v(total.people))])) ": "
                                @for (c, n) in total.counts.iter().enumerate() {
                                    @if c > 0 { " · " }
                                    strong { (letter(c)) } " " (n)
                                }
                            }
                        }
                    }
                }
            }
        }
        div.strip.no-print {
            @if let (false, None, Step::Slide(i)) = (live.ended, practice, live.current()) {
                p.meta { (t_args("present-page", [("page", v(i + 1)), ("pages", v(live.slides))])) }
            }
            (controls(state, f, live, "present"))
            p.meta { a href={ "/f/live/" (live.id) } { (t("present-to-control")) } " · " (t("present-keys")) }
        }
    })
}

/// A question's head on the projector: which of how many, and how many answered.
pub(in crate::web) fn question_head(q: usize, of: usize, answered: Markup) -> Markup {
    html! {
        div.q-head {
            p.meta { (t_args("present-question", [("question", v(q + 1)), ("questions", v(of))])) }
            p.answered { (answered) }
        }
    }
}

/// A question on the projector, lettered, with how many chose each choice (`counts`), and
/// the right one marked once `revealed`.
pub(in crate::web) fn question_counts(
    question: &Question,
    counts: &[u32],
    revealed: bool,
    label: &str,
) -> Markup {
    html! {
        h1 { (question.question) }
        ol.room-choices.shown[revealed] aria-label=(label) {
            @for (c, text) in question.choices.iter().enumerate() {
                @let right = revealed && c == question.answer;
                li.right[right] {
                    span.letter { (letter(c)) }
                    span.text {
                        (text)
                        @if right { " " span.mark { "✓ " (t("present-right")) } }
                    }
                    span.count { span.n { (counts.get(c).copied().unwrap_or(0)) } span.sep { " " (t("present-people")) } }
                }
            }
        }
        @if revealed { p.explain { (question.explain) } }
    }
}

/// A projector's page around its part (`#now`): what its script fetches again (`{base}/now`)
/// when its stream (`{base}/events`) says a version other than `v`; without script, a reload
/// every few seconds until the session ends.
pub(in crate::web) fn projector_page(
    state: &AppState,
    title: &str,
    base: &str,
    v: u64,
    ended: bool,
    part: Markup,
) -> Markup {
    let extras = Extras {
        tools: true,
        script: Some("live.js"),
        refresh: (!ended).then_some(RELOAD),
        body_class: Some("present"),
        ..Extras::default()
    };
    page_with(
        state,
        Lang::Vi,
        None,
        title,
        html! {
            div #now data-live data-v=(v) data-now={ (base) "/now" } data-events={ (base) "/events" } {
                (part)
            }
        },
        &extras,
    )
}

/// A slide on the projector: its text, and beside it its pictures, scaled to the room left;
/// a long text's type a step or more smaller (`fit-1`…), so that the slide fits the screen.
pub(in crate::web) fn slide(html: &str) -> Markup {
    let (text, pictures) = pictures_apart(html);
    let pictured = !pictures.is_empty();
    let fit = fit(&text, pictured);
    let class = format!(
        "step slide-now fit-{fit}{}",
        if pictured { " pictured" } else { "" }
    );
    html! {
        section class=(class) {
            div.slide-text { (PreEscaped(text)) }
            @if pictured { div.slide-picture { (PreEscaped(pictures)) } }
        }
    }
}

/// A slide's text and its pictures apart: the paragraphs that hold a picture alone, as the
/// lesson renderer writes them (`<p><img … /></p>`), go beside the text.
fn pictures_apart(slide: &str) -> (String, String) {
    let (mut text, mut pictures) = (String::new(), String::new());
    let mut rest = slide;
    while let Some(start) = rest.find("<p><img ") {
        let Some(len) = rest[start..].find("</p>") else {
            break;
        };
        let end = start + len + "</p>".len();
        // Text in an attribute is escaped: one `<` is the picture's own tag.
        let inner = &rest[start + "<p>".len()..start + len];
        if inner.matches('<').count() == 1 && inner.trim_end().ends_with('>') {
            text.push_str(&rest[..start]);
            pictures.push_str(&rest[start..end]);
        } else {
            text.push_str(&rest[..end]);
        }
        rest = &rest[end..];
    }
    text.push_str(rest);
    (text, pictures)
}

/// How many steps smaller a slide's type must be for `text` to fit the screen: 0 for the
/// full size, up to 3. Its height is estimated in ems of the full size: each block (a
/// paragraph, an item, a heading) takes whole lines of `per_line` characters at most, 1.35
/// em a line, and 0.3 em under it; a heading's type is 1.4 times larger, 1.2 of it a line. A
/// smaller type fits more characters on a line and takes less height a line. The figures
/// are `tools.css`'s (`body.present`); on every built-in slide at full size, in the browser
/// test's wide system font, the height measured was at most 6 % above the estimate.
fn fit(text: &str, pictured: bool) -> usize {
    // Characters on a line at full size: in the text's column beside a picture (3/5 of the
    // width), or across the screen.
    let per_line = if pictured { 46.0 } else { 86.0 };
    // The height a slide has on a 1280×720 screen, less a margin for the estimate's error.
    const ROOM: f64 = 20.0;
    // The type's size at each step, of the full size (`.fit-1`…).
    const STEPS: [f64; 4] = [1.0, 0.9, 0.8, 0.72];
    let blocks = blocks(text);
    let height = |scale: f64| -> f64 {
        let per_line = per_line / scale;
        let ems: f64 = blocks
            .iter()
            .map(|&(chars, heading)| {
                let (size, line) = if heading { (1.4, 1.2) } else { (1.0, 1.35) };
                let lines = (chars as f64 * size / per_line).ceil().max(1.0);
                lines * size * line + 0.3
            })
            .sum();
        ems * scale
    };
    STEPS
        .iter()
        .position(|&scale| height(scale) <= ROOM)
        .unwrap_or(STEPS.len() - 1)
}

/// The blocks of a slide's text, as (characters, whether a heading): what closes a
/// paragraph, an item, a heading or a table's cell ends a block.
fn blocks(html: &str) -> Vec<(usize, bool)> {
    let mut blocks = Vec::new();
    let mut chars = 0;
    let mut rest = html;
    while let Some(c) = rest.chars().next() {
        match c {
            '<' => {
                let end = rest.find('>').map_or(rest.len(), |e| e + 1);
                let tag = &rest[..end];
                let heading = tag.starts_with("</h");
                let closes = ["</p", "</li", "</h", "</td", "</th", "<br"]
                    .iter()
                    .any(|t| tag.starts_with(t));
                // A loose list's item holds paragraphs: its own end adds no block.
                if closes && chars > 0 {
                    blocks.push((chars, heading));
                    chars = 0;
                }
                rest = &rest[end..];
            }
            '&' => {
                let end = rest.find(';').map_or(1, |e| e + 1);
                chars += 1;
                rest = &rest[end..];
            }
            '\n' => rest = &rest[1..],
            c => {
                chars += 1;
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    if chars > 0 {
        blocks.push((chars, false));
    }
    blocks
}

pub(super) async fn present(
    State(state): State<AppState>,
    f: Facilitating,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Markup, Error> {
    let running = state.live.get(&state, &id).await?;
    let live = running.now();
    let title = super::title(&state, &live)?;
    let total = running.total();
    let part = projector_part(&state, &f, &live, &join_address(&headers), total.as_ref())?;
    let (_, v) = running.versions();
    Ok(projector_page(
        &state,
        &title,
        &format!("/present/{id}"),
        v,
        live.ended,
        part,
    ))
}

pub(super) async fn present_now(
    State(state): State<AppState>,
    f: Facilitating,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Markup, Error> {
    let running = state.live.get(&state, &id).await?;
    let total = running.total();
    projector_part(
        &state,
        &f,
        &running.now(),
        &join_address(&headers),
        total.as_ref(),
    )
}

pub(super) async fn present_events(
    State(state): State<AppState>,
    _: Facilitating,
    Path(id): Path<String>,
) -> Result<Response, Error> {
    let running = state.live.get(&state, &id).await?;
    Ok(stream(&state, running.projector()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pictures_alone_in_a_paragraph_go_beside_the_text() {
        let slide = "<h2>Nút</h2>\n<p>Một <img src=\"/a.svg\" alt=\"a\" /> hai</p>\n<p><img src=\"/b.svg\" alt=\"b &lt;c&gt;\" /></p>\n<p>Ba</p>\n";
        let (text, pictures) = pictures_apart(slide);
        assert_eq!(
            pictures,
            "<p><img src=\"/b.svg\" alt=\"b &lt;c&gt;\" /></p>"
        );
        assert_eq!(
            text,
            "<h2>Nút</h2>\n<p>Một <img src=\"/a.svg\" alt=\"a\" /> hai</p>\n\n<p>Ba</p>\n"
        );
        assert_eq!(
            pictures_apart("<p>Chữ</p>"),
            ("<p>Chữ</p>".into(), String::new())
        );
    }

    #[test]
    fn blocks_are_counted_in_characters_and_longer_slides_fit_smaller() {
        let text = "<h2>Đầu &amp; cuối</h2>\n<ul>\n<li><p>Một</p>\n</li>\n<li>Hai <strong>ba</strong></li>\n</ul>\n";
        assert_eq!(blocks(text), vec![(10, true), (3, false), (6, false)]);
        assert_eq!(fit(text, false), 0);
        let long = "<p>Chữ.</p>".repeat(13);
        assert_eq!(fit(&long, false), 1);
        let longer: String = format!("<p>{}</p>", "chữ ".repeat(40)).repeat(8);
        assert!(fit(&longer, true) > fit(&longer, false));
        assert_eq!(
            fit(&longer.repeat(9), true),
            3,
            "never smaller than the last step"
        );
    }
}
