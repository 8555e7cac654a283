//! Charts drawn on the box with no script and no library: the words are the page's own text
//! (they wrap and keep their size on a phone, a projector and paper), the bars small inline
//! SVG, sharp at any size.

use maud::{Markup, html};

/// A horizontal bar for each `(label, value)`, the label above its bar and the value after
/// it; `of` is the full length of a bar (e.g. the number of learners), else the largest
/// value. The bar at `highlight` is green; `unit` follows each value (`%`, or nothing).
pub fn bars(
    title: &str,
    rows: &[(String, u32)],
    of: Option<u32>,
    highlight: Option<usize>,
    unit: &str,
) -> Markup {
    // A bar's length in the units of its drawing, which stretches to the width left for it.
    const FULL: u32 = 1000;
    let full = of
        .unwrap_or_else(|| rows.iter().map(|r| r.1).max().unwrap_or(0))
        .max(1);
    html! {
        ul.chart aria-label=(title) {
            @for (i, (label, value)) in rows.iter().enumerate() {
                @let length = (FULL * (*value).min(full) / full).max(4);
                li {
                    span.label { (label) }
                    svg viewBox={ "0 0 " (FULL) " 10" } preserveAspectRatio="none" aria-hidden="true" focusable="false" {
                        rect width=(FULL) height="10" fill="#e6eefa" {}
                        rect width=(length) height="10" fill=(if highlight == Some(i) { "#1d7a3a" } else { "#0b4f9c" }) {}
                    }
                    strong.value { (value) (unit) }
                }
            }
        }
    }
}
