//! Live group lessons. The facilitator starts one for a group and a lesson (`/f/live`), gets a
//! four-digit code, shows `/present/{id}` on the projector and moves it from any browser;
//! learners join at `/live` with the code and their phones follow (`/live/{id}`): server-sent
//! events tell a page's script to fetch its new part, and without script the page reloads
//! itself. Ending the session turns attendance and answers into events.

use std::convert::Infallible;
use std::time::Duration;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use maud::{Markup, PreEscaped, html};
use serde::Deserialize;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::WatchStream;

use super::facilitators::{csrf_field, errors, facilitator_nav, tools_page};
use super::layout::{Extras, page_with};
use crate::content::{Lang, Lesson};
use crate::facilitate::live::{AnswerRefused, How, Live, Step};
use crate::learn::grade;
use crate::store::{Change, Learner, LiveAnswer, NewEvent};
use crate::web::extract::AppForm;
use crate::web::i18n::ui;
use crate::web::live::Running;
use crate::web::session::{Facilitating, SignedIn};
use crate::web::{AppState, Error, complete};

/// Seconds between reloads of a live page in a browser without script.
const RELOAD: u32 = 5;
/// A comment line on idle event streams, so proxies and phones keep them open.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// The learner's side (no CSRF guard: learner forms rely on their SameSite=Lax session).
pub(super) fn learner_routes() -> Router<AppState> {
    Router::new()
        .route("/live", get(join_form).post(join))
        .route("/live/{id}", get(phone))
        .route("/live/{id}/now", get(phone_now))
        .route("/live/{id}/events", get(phone_events))
        .route("/live/{id}/answer", post(answer))
}

/// The facilitator's side (behind the CSRF guard).
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/f/live", get(start_form).post(start))
        .route("/f/live/{id}", get(control))
        .route("/f/live/{id}/go", post(go))
        .route("/f/live/{id}/reveal", post(reveal))
        .route("/f/live/{id}/tick", post(tick))
        .route("/f/live/{id}/end", post(end))
        .route("/present/{id}", get(present))
        .route("/present/{id}/now", get(present_now))
        .route("/present/{id}/events", get(present_events))
}

fn lesson_of<'a>(state: &'a AppState, live: &Live) -> Result<&'a Lesson, Error> {
    state
        .catalogue
        .lesson(&live.lesson_id)
        .ok_or(Error::NotFound)
}

/// An event stream that says `{"v": n}` now and at every change of `versions`, until the
/// box begins to shut down.
fn stream(state: &AppState, versions: tokio::sync::watch::Receiver<u64>) -> Response {
    if *state.closing.borrow() {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    }
    let closing = WatchStream::from_changes(state.closing.subscribe())
        .filter(|closing| *closing)
        .map(|_| None);
    let events = WatchStream::new(versions)
        .map(Some)
        .merge(closing)
        .take_while(Option::is_some)
        .map(|v| {
            let v = v.unwrap_or_default();
            Ok::<_, Infallible>(Event::default().data(format!("{{\"v\":{v}}}")))
        });
    Sse::new(events)
        .keep_alive(KeepAlive::new().interval(KEEP_ALIVE))
        .into_response()
}

// ---------------------------------------------------------------- the learner's phone

#[derive(Deserialize, Default)]
#[serde(default)]
struct CodeForm {
    code: String,
}

fn join_page(state: &AppState, signed_in: &SignedIn, code: &str, problem: Option<&str>) -> Markup {
    let ui = ui(signed_in.lang);
    page_with(
        state,
        signed_in.lang,
        Some(&signed_in.learner),
        ui.live_title,
        html! {
            h1 { (ui.live_title) }
            p.lead { (ui.live_intro) }
            @if let Some(problem) = problem { p.note.error role="alert" { "⚠ " (problem) } }
            form.stack method="post" action="/live" {
                label for="code" { (ui.live_code) }
                input #code type="text" name="code" value=(code) inputmode="numeric" pattern="[0-9]{4}"
                    maxlength="4" autocomplete="off" required autofocus;
                button.button type="submit" { (ui.live_join) }
            }
        },
        &Extras::default(),
    )
}

async fn join_form(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Query(form): Query<CodeForm>,
) -> Markup {
    join_page(&state, &signed_in, &form.code, None)
}

async fn join(
    State(state): State<AppState>,
    signed_in: SignedIn,
    AppForm(form): AppForm<CodeForm>,
) -> Result<Response, Error> {
    let ui = ui(signed_in.lang);
    let code: String = form.code.chars().filter(char::is_ascii_digit).collect();
    let refuse = |problem: &str| {
        complete(
            StatusCode::BAD_REQUEST,
            join_page(&state, &signed_in, &form.code, Some(problem)),
        )
    };
    let Some(running) = state.live.by_code(&state, &code).await? else {
        return Ok(refuse(ui.live_no_code));
    };
    let live = running.now();
    let learner = &signed_in.learner;
    if let Some(group) = &live.group_id {
        let members = state.store.group_members(group).await?;
        if !members.iter().any(|m| m.id == learner.id) {
            let name = state.store.group(group).await?.map(|g| g.name);
            return Ok(refuse(&(ui.live_not_in_group)(&name.unwrap_or_default())));
        }
    }
    if !state
        .store
        .live_presence(&live.id, &learner.id, Some(How::Joined.code()))
        .await?
    {
        return Ok(refuse(ui.live_no_code));
    }
    running.change(false, |live| {
        // A learner ticked by hand who then joins keeps the tick's record: both mean present.
        live.present
            .entry(learner.id.clone())
            .or_insert(How::Joined);
        true
    });
    Ok(Redirect::to(&format!("/live/{}", live.id)).into_response())
}

/// The session a learner's phone asks about; only for learners in it.
async fn joined(
    state: &AppState,
    id: &str,
    learner: &Learner,
) -> Result<std::sync::Arc<Running>, Error> {
    let running = state.live.get(state, id).await?;
    if running.read(|live| live.present.contains_key(&learner.id)) {
        Ok(running)
    } else {
        Err(Error::NotFound)
    }
}

/// What a phone shows of the class now: the slide, the question to answer, or the end.
fn phone_part(
    state: &AppState,
    live: &Live,
    lang: Lang,
    learner: &Learner,
) -> Result<Markup, Error> {
    let ui = ui(lang);
    let lesson = lesson_of(state, live)?;
    let version = lesson.versions.get(lang);
    if live.ended {
        return Ok(html! {
            h2 { (ui.live_ended) }
            p.lead { (ui.live_ended_detail) }
            p { a.button href="/me" { (ui.me_title) } }
        });
    }
    Ok(match live.current() {
        Step::Slide(i) => html! {
            p.meta { ((ui.live_step)(i + 1, live.slides)) " · " (ui.live_follow) }
            section.slide-now { (PreEscaped(version.slides.get(i).map_or("", String::as_str))) }
        },
        Step::Question(q) => {
            let question = &version.quiz[q];
            let mine = live.answers.get(&(learner.id.clone(), q)).copied();
            html! {
                p.meta { ((ui.live_question)(q + 1, live.choices.len())) }
                h2 { (question.question) }
                @if live.revealed {
                    ul.choices {
                        @for (c, choice) in question.choices.iter().enumerate() {
                            li.right[c == question.answer].mine[mine == Some(c)] {
                                @if c == question.answer { "✓ " }
                                (choice)
                                @if mine == Some(c) { " · " (ui.live_your_answer) }
                            }
                        }
                    }
                    p.explain { (question.explain) }
                } @else {
                    p { (ui.live_pick) }
                    form method="post" action={ "/live/" (live.id) "/answer" } data-answer {
                        input type="hidden" name="q" value=(q);
                        @for (c, choice) in question.choices.iter().enumerate() {
                            button.choice-button.mine[mine == Some(c)] type="submit" name="choice" value=(c) { (choice) }
                        }
                    }
                    @if mine.is_some() { p.note role="status" { "✓ " (ui.live_wait_reveal) } }
                }
            }
        }
    })
}

/// Whether a page without script should reload itself: not while its learner has a question
/// still to answer (the reload would lose nothing, but would move the buttons under a finger).
fn reloads(live: &Live, learner: &str) -> bool {
    match live.current() {
        Step::Question(q) if !live.ended && !live.revealed => {
            live.answers.contains_key(&(learner.to_string(), q))
        }
        _ => !live.ended,
    }
}

async fn phone(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
) -> Result<Response, Error> {
    let Ok(running) = joined(&state, &id, &signed_in.learner).await else {
        return Ok(Redirect::to("/live").into_response());
    };
    let live = running.now();
    let ui = ui(signed_in.lang);
    let part = phone_part(&state, &live, signed_in.lang, &signed_in.learner)?;
    let lesson = lesson_of(&state, &live)?;
    let extras = Extras {
        script: Some("live.js"),
        refresh: reloads(&live, &signed_in.learner.id).then_some(RELOAD),
        ..Extras::default()
    };
    let (v, _) = running.versions();
    Ok(page_with(
        &state,
        signed_in.lang,
        Some(&signed_in.learner),
        ui.live_title,
        html! {
            p.meta { (ui.live_title) }
            h1 { (lesson.heading(signed_in.lang).title) }
            div #now data-live data-v=(v) data-now={ "/live/" (live.id) "/now" } data-events={ "/live/" (live.id) "/events" } aria-live="polite" {
                (part)
            }
        },
        &extras,
    )
    .into_response())
}

async fn phone_now(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
) -> Result<Markup, Error> {
    let running = joined(&state, &id, &signed_in.learner).await?;
    phone_part(&state, &running.now(), signed_in.lang, &signed_in.learner)
}

async fn phone_events(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
) -> Result<Response, Error> {
    let running = joined(&state, &id, &signed_in.learner).await?;
    Ok(stream(&state, running.phones()))
}

#[derive(Deserialize)]
struct AnswerForm {
    q: usize,
    choice: usize,
}

async fn answer(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
    AppForm(form): AppForm<AnswerForm>,
) -> Result<Response, Error> {
    let learner = &signed_in.learner;
    let running = joined(&state, &id, learner).await?;
    let back = Redirect::to(&format!("/live/{id}")).into_response();
    match running.read(|live| live.check_answer(&learner.id, form.q, form.choice)) {
        Ok(()) => {}
        // The class moved on, or the answer was shown, just before this phone sent: the
        // page shows where the class is now.
        Err(AnswerRefused::NotNow | AnswerRefused::Revealed | AnswerRefused::Ended) => {
            return Ok(back);
        }
        Err(AnswerRefused::NoSuchChoice | AnswerRefused::NotPresent) => {
            return Err(Error::BadRequest);
        }
    }
    let kept = LiveAnswer {
        learner_id: learner.id.clone(),
        question: form.q,
        choice: form.choice,
    };
    if state.store.live_answer(&id, kept).await? {
        running.change(false, |live| {
            live.answers
                .insert((learner.id.clone(), form.q), form.choice);
            true
        });
    }
    Ok(back)
}

// ---------------------------------------------------------------- the facilitator

#[derive(Deserialize, Default)]
#[serde(default)]
struct StartQuery {
    group: String,
}

async fn start_page(
    state: &AppState,
    f: &Facilitating,
    group: &str,
    problem: Option<&str>,
) -> Result<Markup, Error> {
    let groups = state.store.groups().await?;
    let recent = state.store.recent_live_sessions(20).await?;
    Ok(tools_page(
        state,
        "Học nhóm",
        html! {
            (facilitator_nav(f))
            h1 { "Học nhóm" }
            p.lead { "Chiếu bài học lên màn hình; người học vào bằng mã số và theo dõi trên điện thoại." }
            (errors(&problem.into_iter().collect::<Vec<_>>()))
            form.stack method="post" action="/f/live" {
                (csrf_field(&f.csrf))
                label { "Nhóm"
                    select name="group" {
                        option value="" { "Mọi người trên hộp" }
                        @for g in &groups {
                            option value=(g.id) selected[g.id == group] { (g.name) " (" (g.members) " người)" }
                        }
                    }
                }
                label { "Bài học"
                    select name="lesson" required {
                        @for module in &state.catalogue.modules {
                            optgroup label=(module.text.get(Lang::Vi).title) {
                                @for lesson in &module.lessons {
                                    option value=(lesson.id) { (lesson.heading(Lang::Vi).title) }
                                }
                            }
                        }
                    }
                }
                button.button type="submit" { "Bắt đầu" }
            }
            @if !recent.is_empty() {
                h2 { "Các buổi gần đây" }
                table.list {
                    thead { tr { th { "Bắt đầu" } th { "Bài" } th { "Mã" } th.n { "Có mặt" } th { "" } } }
                    tbody {
                        @for (record, present) in &recent {
                            tr {
                                td { (super::day(&record.started_at)) }
                                td { (super::lesson_title(state, &record.lesson_id)) }
                                td { @if record.ended_at.is_none() { strong { (record.code) } } @else { "đã kết thúc" } }
                                td.n { (present) }
                                td { a href={ "/f/live/" (record.id) } { "Mở" } }
                            }
                        }
                    }
                }
            }
        },
    ))
}

async fn start_form(
    State(state): State<AppState>,
    f: Facilitating,
    Query(query): Query<StartQuery>,
) -> Result<Markup, Error> {
    start_page(&state, &f, &query.group, None).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct StartForm {
    group: String,
    lesson: String,
}

async fn start(
    State(state): State<AppState>,
    f: Facilitating,
    AppForm(form): AppForm<StartForm>,
) -> Result<Response, Error> {
    if state.catalogue.lesson(&form.lesson).is_none() {
        let page = start_page(
            &state,
            &f,
            &form.group,
            Some("Hãy chọn một bài học trong danh sách."),
        )
        .await?;
        return Ok(complete(StatusCode::BAD_REQUEST, page));
    }
    let group = match form.group.as_str() {
        "" => None,
        id => match state.store.group(id).await? {
            Some(group) => Some(group.id),
            None => {
                let page =
                    start_page(&state, &f, "", Some("Hãy chọn một nhóm trong danh sách.")).await?;
                return Ok(complete(StatusCode::BAD_REQUEST, page));
            }
        },
    };
    let record = state
        .store
        .start_live(group, &form.lesson, &f.facilitator.id, Live::new_code)
        .await?;
    Ok(Redirect::to(&format!("/f/live/{}", record.id)).into_response())
}

/// The address phones join at, as this browser reached the box.
fn join_address(headers: &HeaderMap) -> String {
    format!("{}/live", super::host(headers).0)
}

/// The buttons that move the class, with the step they were pressed on, so two presses of
/// "next" on one step move it once.
fn controls(f: &Facilitating, live: &Live, back: &str) -> Markup {
    let at = live.step;
    let button = |action: &str, to: Option<usize>, label: &str, enabled: bool, key: &str| {
        html! {
            form method="post" action={ "/f/live/" (live.id) "/" (action) } {
                (csrf_field(&f.csrf))
                input type="hidden" name="from" value=(at);
                @if let Some(to) = to { input type="hidden" name="to" value=(to); }
                input type="hidden" name="back" value=(back);
                button.button.quiet[action != "go" || key == "next"] type="submit" disabled[!enabled] data-key=(key) { (label) }
            }
        }
    };
    let on_question = matches!(live.current(), Step::Question(_));
    html! {
        @if !live.ended {
            div.controls.no-print {
                (button("go", at.checked_sub(1), "◀ Trước", at > 0, "prev"))
                (button("go", Some(at + 1), "Tiếp ▶", at + 1 < live.steps(), "next"))
                @if on_question {
                    (button("reveal", None, "Hiện đáp án", !live.revealed, "reveal"))
                }
            }
        }
    }
}

/// The projector's part: where the class is, and on a question the answers so far.
fn projector_part(
    state: &AppState,
    f: &Facilitating,
    live: &Live,
    address: &str,
) -> Result<Markup, Error> {
    let lesson = lesson_of(state, live)?;
    let version = lesson.versions.get(Lang::Vi);
    let present = live.present.len();
    Ok(html! {
        div.join-bar {
            span { "Vào học nhóm: " strong { (address) } }
            span { "Mã: " strong.code { (live.code) } }
            span { (present) " người có mặt" }
        }
        @if live.ended {
            h1 { "Buổi học đã kết thúc" }
            p.lead { (present) " người có mặt đã được ghi nhận." }
        } @else {
            @match live.current() {
                Step::Slide(i) => {
                    p.meta { "Trang " (i + 1) "/" (live.slides) }
                    section.slide-now { (PreEscaped(version.slides.get(i).map_or("", String::as_str))) }
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
                    (super::charts::bars("Số người chọn mỗi câu trả lời", &rows, Some(present.max(1) as u32), live.revealed.then_some(question.answer), ""))
                    @if live.revealed { p.explain { (question.explain) } }
                }
            }
        }
        (controls(f, live, "present"))
    })
}

async fn present(
    State(state): State<AppState>,
    f: Facilitating,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Markup, Error> {
    let running = state.live.get(&state, &id).await?;
    let live = running.now();
    let lesson = lesson_of(&state, &live)?;
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
        &lesson.heading(Lang::Vi).title,
        html! {
            div #now data-live data-v=(v) data-now={ "/present/" (id) "/now" } data-events={ "/present/" (id) "/events" } {
                (part)
            }
            p.meta.no-print { a href={ "/f/live/" (id) } { "Điểm danh, kết thúc buổi học" } " · Phím ← → để chuyển trang." }
        },
        &extras,
    ))
}

async fn present_now(
    State(state): State<AppState>,
    f: Facilitating,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Markup, Error> {
    let running = state.live.get(&state, &id).await?;
    projector_part(&state, &f, &running.now(), &join_address(&headers))
}

async fn present_events(
    State(state): State<AppState>,
    _: Facilitating,
    Path(id): Path<String>,
) -> Result<Response, Error> {
    let running = state.live.get(&state, &id).await?;
    Ok(stream(&state, running.projector()))
}

async fn control(
    State(state): State<AppState>,
    f: Facilitating,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Markup, Error> {
    let running = state.live.get(&state, &id).await?;
    let live = running.now();
    let lesson = lesson_of(&state, &live)?;
    let (group, members) = match &live.group_id {
        Some(group) => (
            state.store.group(group).await?.map(|g| g.name),
            state.store.group_members(group).await?,
        ),
        None => (None, Vec::new()),
    };
    // Everyone present who is not a member (an open session, or someone since removed).
    let mut others = Vec::new();
    for learner in live.present.keys() {
        if !members.iter().any(|m| &m.id == learner)
            && let Some(l) = state.store.learner(learner).await?
        {
            others.push(l);
        }
    }
    let people: Vec<&Learner> = members.iter().chain(&others).collect();
    Ok(tools_page(
        &state,
        "Học nhóm",
        html! {
            (facilitator_nav(&f))
            nav.crumbs { a href="/f/live" { "← Học nhóm" } }
            h1 { (lesson.heading(Lang::Vi).title) }
            p.meta { "Nhóm: " (group.as_deref().unwrap_or("Mọi người trên hộp")) }
            @if live.ended {
                p.note role="status" { "Buổi học đã kết thúc. " (live.present.len()) " người có mặt đã được ghi vào kết quả học." }
            } @else {
                p { "Người học mở " strong { (join_address(&headers)) } " và nhập mã:" }
                p.big-code { (live.code) }
                p.actions {
                    a.button href={ "/present/" (live.id) } { "Mở màn chiếu" }
                }
                p.meta { "Đang ở: " @match live.current() {
                    Step::Slide(i) => { "trang " (i + 1) "/" (live.slides) }
                    Step::Question(q) => { "câu hỏi " (q + 1) "/" (live.choices.len()) }
                } }
                (controls(&f, &live, "control"))
            }
            h2 { "Điểm danh (" (live.present.len()) " có mặt)" }
            @if people.is_empty() {
                p { "Chưa có ai. Người có điện thoại vào bằng mã; người không có điện thoại thì đánh dấu ở đây (cần thêm họ vào nhóm trước)." }
            }
            table.list {
                tbody {
                    @for l in &people {
                        @let how = live.present.get(&l.id);
                        tr {
                            td { (l.display_name) " · " span.meta { (l.village) } }
                            td { @match how {
                                Some(How::Joined) => { "✓ vào bằng điện thoại" },
                                Some(How::Ticked) => { "✓ có mặt" },
                                None => { "—" },
                            } }
                            td {
                                @if !live.ended && how != Some(&How::Joined) {
                                    form.inline method="post" action={ "/f/live/" (live.id) "/tick" } {
                                        (csrf_field(&f.csrf))
                                        input type="hidden" name="learner" value=(l.id);
                                        @if how.is_some() {
                                            button.button.quiet type="submit" name="on" value="0" { "Bỏ đánh dấu" }
                                        } @else {
                                            button.button.quiet type="submit" name="on" value="1" { "Có mặt" }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            @if !live.ended {
                h2 { "Kết thúc" }
                p { "Khi kết thúc, người có mặt được ghi là đã học bài này; ai trả lời đủ các câu hỏi thì có điểm kiểm tra." }
                form method="post" action={ "/f/live/" (live.id) "/end" } {
                    (csrf_field(&f.csrf))
                    button.button type="submit" { "Kết thúc buổi học" }
                }
            }
        },
    ))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct MoveForm {
    from: usize,
    to: Option<usize>,
    back: String,
}

fn back_to(id: &str, back: &str) -> Response {
    let to = match back {
        "present" => format!("/present/{id}"),
        _ => format!("/f/live/{id}"),
    };
    Redirect::to(&to).into_response()
}

async fn go(
    State(state): State<AppState>,
    _: Facilitating,
    Path(id): Path<String>,
    AppForm(form): AppForm<MoveForm>,
) -> Result<Response, Error> {
    let running = state.live.get(&state, &id).await?;
    let to = form.to.ok_or(Error::BadRequest)?;
    let _one_at_a_time = running.control.lock().await;
    let mut moved = running.now();
    if moved.go(form.from, to) {
        state
            .store
            .live_step(&id, moved.step, moved.revealed)
            .await?;
        running.change(true, |live| live.go(form.from, to));
    }
    Ok(back_to(&id, &form.back))
}

async fn reveal(
    State(state): State<AppState>,
    _: Facilitating,
    Path(id): Path<String>,
    AppForm(form): AppForm<MoveForm>,
) -> Result<Response, Error> {
    let running = state.live.get(&state, &id).await?;
    let _one_at_a_time = running.control.lock().await;
    let mut shown = running.now();
    if shown.reveal(form.from) {
        state.store.live_step(&id, shown.step, true).await?;
        running.change(true, |live| live.reveal(form.from));
    }
    Ok(back_to(&id, &form.back))
}

#[derive(Deserialize)]
struct TickForm {
    learner: String,
    on: u8,
}

async fn tick(
    State(state): State<AppState>,
    _: Facilitating,
    Path(id): Path<String>,
    AppForm(form): AppForm<TickForm>,
) -> Result<Response, Error> {
    let running = state.live.get(&state, &id).await?;
    if state.store.learner(&form.learner).await?.is_none() {
        return Err(Error::BadRequest);
    }
    let _one_at_a_time = running.control.lock().await;
    let on = form.on == 1;
    let how = on.then_some(How::Ticked.code());
    if state.store.live_presence(&id, &form.learner, how).await? {
        running.change(false, |live| {
            if on {
                live.present
                    .entry(form.learner.clone())
                    .or_insert(How::Ticked);
            } else if live.present.get(&form.learner) == Some(&How::Ticked) {
                live.present.remove(&form.learner);
            }
            true
        });
    }
    Ok(back_to(&id, "control"))
}

/// The events ending a session records: everyone present attended (which counts the lesson
/// as learned), and whoever answered every question has a quiz score, like a quiz taken alone.
fn end_events(state: &AppState, live: &Live) -> Result<Vec<NewEvent>, Error> {
    let lesson = lesson_of(state, live)?;
    let questions = &lesson.versions.get(Lang::Vi).quiz;
    let at = state.store.now();
    let mut events = Vec::new();
    for (learner, how) in &live.present {
        let answers = live.answers_of(learner);
        events.push(NewEvent {
            id: uuid::Uuid::now_v7(),
            learner_id: learner.clone(),
            lesson_id: Some(live.lesson_id.clone()),
            at: at.clone(),
            payload: serde_json::json!({
                "live_session": live.id,
                "group_id": live.group_id,
                "how": how.code(),
                "answers": answers,
            }),
            change: Change::Attended,
        });
        let all: Option<Vec<usize>> = answers.into_iter().collect();
        if let Some(all) = all.filter(|a| !a.is_empty())
            && let Ok(graded) = grade(questions, &all)
        {
            events.push(NewEvent {
                id: uuid::Uuid::now_v7(),
                learner_id: learner.clone(),
                lesson_id: Some(live.lesson_id.clone()),
                at: at.clone(),
                payload: serde_json::json!({
                    "answers": all,
                    "score": graded.score,
                    "total": graded.total,
                    "live_session": live.id,
                }),
                change: graded.change(),
            });
        }
    }
    Ok(events)
}

async fn end(
    State(state): State<AppState>,
    _: Facilitating,
    Path(id): Path<String>,
) -> Result<Response, Error> {
    let running = state.live.get(&state, &id).await?;
    let _one_at_a_time = running.control.lock().await;
    let live = running.now();
    if !live.ended {
        let events = end_events(&state, &live)?;
        if state.store.end_live(&id, events).await? {
            running.change(true, |live| {
                live.ended = true;
                true
            });
            state.live.forget(&id);
        }
    }
    Ok(back_to(&id, "control"))
}
