//! Charts drawn on the box as inline SVG: no script, no library, sharp on a projector and on
//! paper.

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
    const ROW: usize = 52;
    const WIDTH: u32 = 520;
    let full = of
        .unwrap_or_else(|| rows.iter().map(|r| r.1).max().unwrap_or(0))
        .max(1);
    let height = ROW * rows.len().max(1);
    html! {
        svg.chart viewBox={ "0 0 640 " (height) } role="img" aria-label=(title) {
            title { (title) }
            @for (i, (label, value)) in rows.iter().enumerate() {
                @let y = i * ROW;
                @let width = (WIDTH * (*value).min(full) / full).max(2);
                text x="0" y=(y + 18) font-size="17" { (label) }
                rect x="0" y=(y + 24) width=(width) height="20" rx="3"
                    fill=(if highlight == Some(i) { "#1d7a3a" } else { "#0b4f9c" }) {}
                text x=(width + 8) y=(y + 40) font-size="18" font-weight="bold" { (value) (unit) }
            }
        }
    }
}
