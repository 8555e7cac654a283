//! The projector's screen of a live lesson (`/present/{id}`): the slide or question, the
//! join code, and on a question the answers so far.

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use maud::{Markup, PreEscaped, html};

use super::{RELOAD, controls, join_address, lesson_of, stream};
use crate::content::Lang;
use crate::facilitate::live::{Live, Step};
use crate::web::pages::layout::{Extras, page_with};
use crate::web::session::Facilitating;
use crate::web::{AppState, Error};

/// The projector's part: where the class is, and on a question the answers so far.
pub(super) fn projector_part(
    state: &AppState,
    f: &Facilitating,
    live: &Live,
    address: &str,
) -> Result<Markup, Error> {
    let lesson = lesson_of(state, live)?;
    let version = lesson.versions.get(Lang::Vi);
    let present = live.present.len();
    let practice = super::room::scenario_of(state, live);
    Ok(html! {
        div.join-bar {
            span { "Vào học nhóm: " strong { (address) } }
            span { "Mã: " strong.code { (live.code) } }
            span { (present) " người có mặt" }
        }
        @if live.ended {
            h1 { "Buổi học đã kết thúc" }
            p.lead { (present) " người có mặt đã được ghi nhận." }
        } @else if let Some((practice, scenario)) = practice {
            (super::room::projector(live, practice, scenario))
        } @else {
            @match live.current() {
                Step::Slide(i) => {
                    p.meta { "Trang " (i + 1) "/" (live.slides) }
                    section.slide-now { (PreEscaped(version.slides.get(i).map_or("", String::as_str))) }
                }
                Step::Question(q) if q >= version.quiz.len() => {
                    p.meta { "Câu hỏi " (q + 1) "/" (live.choices.len()) }
                    p.lead { "Bài học vừa được cập nhật và không còn câu hỏi này. Hãy bấm Tiếp hoặc kết thúc buổi học." }
                }
                Step::Question(q) => {
                    @let question = &version.quiz[q];
                    @let tally = live.tally(q);
                    @let answered: u32 = tally.iter().sum();
                    p.meta { "Câu hỏi " (q + 1) "/" (live.choices.len()) " · " (answered) "/" (present) " người đã trả lời" }
                    h1 { (question.question) }
                    @let rows: Vec<(String, u32)> = question.choices.iter().zip(&tally).enumerate()
                        .map(|(c, (text, n))| {
                            let mark = if live.revealed && c == question.answer { "✓ " } else { "" };
                            (format!("{mark}{}. {text}", char::from(b'A' + c as u8)), *n)
                        })
                        .collect();
                    (crate::web::pages::charts::bars("Số người chọn mỗi câu trả lời", &rows, Some(present.max(1) as u32), live.revealed.then_some(question.answer), ""))
                    @if live.revealed { p.explain { (question.explain) } }
                }
            }
        }
        (controls(state, f, live, "present"))
    })
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
    let part = projector_part(&state, &f, &live, &join_address(&headers))?;
    let (_, v) = running.versions();
    let extras = Extras {
        tools: true,
        script: Some("live.js"),
        refresh: (!live.ended).then_some(RELOAD),
        body_class: Some("present"),
        ..Extras::default()
    };
    Ok(page_with(
        &state,
        Lang::Vi,
        None,
        &title,
        html! {
            div #now data-live data-v=(v) data-now={ "/present/" (id) "/now" } data-events={ "/present/" (id) "/events" } {
                (part)
            }
            p.meta.no-print { a href={ "/f/live/" (id) } { "Điểm danh, kết thúc buổi học" } " · Phím ← → để chuyển trang." }
        },
        &extras,
    ))
}

pub(super) async fn present_now(
    State(state): State<AppState>,
    f: Facilitating,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Markup, Error> {
    let running = state.live.get(&state, &id).await?;
    projector_part(&state, &f, &running.now(), &join_address(&headers))
}

pub(super) async fn present_events(
    State(state): State<AppState>,
    _: Facilitating,
    Path(id): Path<String>,
) -> Result<Response, Error> {
    let running = state.live.get(&state, &id).await?;
    Ok(stream(&state, running.projector()))
}
