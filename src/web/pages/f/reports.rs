//! Reports for facilitators: the whole box (`/f/reports`), a group, a learner, a lesson (with
//! its most missed questions), each with charts drawn on the box, and each table also as CSV
//! (`…/csv`, UTF-8 with a byte-order mark). A wide table (`table.stack`) names each cell's
//! column, so that on a phone its rows become cards.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use maud::{Markup, html};

use crate::content::practice::Scenario;
use crate::content::{Lang, Lesson, Practice};
use crate::facilitate::report::{PracticeLine, csv, misses, practice_line};
use crate::store::{LearnerLine, LearnerRecord, LessonLine};
use crate::web::i18n::{current, t, t_args, ui, v};
use crate::web::pages::charts::bars;
use crate::web::pages::layout::{facilitator_nav, tools_page};
use crate::web::session::Facilitating;
use crate::web::{AppState, Error};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/f/reports", get(overview))
        .route("/f/reports/lessons/csv", get(lessons_csv))
        .route("/f/reports/practice/csv", get(practice_csv))
        .route("/f/reports/learners", get(learners))
        .route("/f/reports/learners/csv", get(learners_csv))
        .route("/f/reports/learners/{id}", get(learner))
        .route("/f/reports/learners/{id}/csv", get(learner_csv))
        .route("/f/reports/groups/{id}", get(group))
        .route("/f/reports/groups/{id}/csv", get(group_csv))
        .route("/f/reports/lessons/{module}/{lesson}", get(lesson))
        .route("/f/reports/lessons/{module}/{lesson}/csv", get(lesson_csv))
}

/// A CSV download named `name`.
pub(in crate::web) fn download(name: &str, header_row: &[&str], rows: &[Vec<String>]) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"hocso-{name}.csv\""),
            ),
        ],
        csv(header_row, rows),
    )
        .into_response()
}

fn csv_link(href: &str) -> Markup {
    html! { p.no-print { a.button.quiet href=(href) download { (t("rep-csv")) } } }
}

/// Best quiz scores as a share of the questions, e.g. `83%`; empty when none was answered.
fn score(best: u32, total: u32) -> String {
    match (best * 100 + total / 2).checked_div(total) {
        Some(p) => format!("{p}%"),
        None => String::new(),
    }
}

const LEARNER_HEADER: &[&str] = &[
    "Tên",
    "Thôn",
    "Năm sinh",
    "Giới tính",
    "Dân tộc",
    "Bài đã học xong",
    "Bài kiểm tra đạt",
    "Điểm trung bình",
    "Buổi học nhóm",
];

/// A line's name, or that it was erased (its records still count, nameless).
fn shown_name(l: &LearnerLine) -> String {
    match l.erased {
        true => t("rights-erased-name").to_string(),
        false => l.display_name.clone(),
    }
}

fn learner_row(l: &LearnerLine) -> Vec<String> {
    vec![
        shown_name(l),
        l.village.clone(),
        l.birth_year.map(|y| y.to_string()).unwrap_or_default(),
        crate::web::pages::gender_text(l.gender.as_deref()).to_string(),
        l.ethnic_group.clone().unwrap_or_default(),
        l.finished.to_string(),
        l.passed.to_string(),
        score(l.best, l.total),
        l.attended.to_string(),
    ]
}

fn learners_table(lines: &[LearnerLine]) -> Markup {
    html! {
        div.scroll tabindex="0" role="region" aria-label=(t("rep-each-learner")) {
            table.list.stack {
                thead { tr {
                    th { (t("signin-name")) } th { (t("people-village")) } th.n { (t("rep-finished")) } th.n { (t("rep-passed-quizzes")) } th.n { (t("rep-average")) } th.n { (t("rep-live")) }
                } }
                tbody {
                    @for l in lines {
                        tr {
                            td { @if l.erased { (shown_name(l)) } @else { a href={ "/f/reports/learners/" (l.id) } { (l.display_name) } } }
                            td data-label=(t("people-village")) { (l.village) }
                            td.n data-label=(t("rep-finished")) { (l.finished) }
                            td.n data-label=(t("rep-passed-quizzes")) { (l.passed) }
                            td.n data-label=(t("rep-average")) { (score(l.best, l.total)) }
                            td.n data-label=(t("rep-live")) { (l.attended) }
                        }
                    }
                }
            }
        }
    }
}

const LESSON_HEADER: &[&str] = &[
    "Chủ đề",
    "Bài",
    "Mã bài",
    "Người mở",
    "Người học xong",
    "Người làm kiểm tra",
    "Người đạt",
    "Người học nhóm",
];

/// Every lesson of the catalogue in order, with its line (zeros where nobody came).
fn lesson_rows<'a>(
    state: &'a AppState,
    lines: &[LessonLine],
) -> Vec<(&'a str, &'a Lesson, LessonLine)> {
    let mut out = Vec::new();
    for module in &state.catalogue.modules {
        for lesson in &module.lessons {
            let line = lines
                .iter()
                .find(|l| l.lesson_id == lesson.id)
                .cloned()
                .unwrap_or_default();
            out.push((module.text.get(Lang::Vi).title.as_str(), lesson, line));
        }
    }
    out
}

async fn overview(State(state): State<AppState>, f: Facilitating) -> Result<Markup, Error> {
    let learners = state.store.learner_lines(None).await?;
    let lessons = state.store.lesson_lines(None).await?;
    let groups = state.store.groups().await?;
    let rows = lesson_rows(&state, &lessons);
    let practice = practice_rows(&state).await?;
    let reached = learners.iter().filter(|l| l.finished > 0).count();
    let by_module: Vec<(String, u32)> = state
        .catalogue
        .modules
        .iter()
        .map(|m| {
            let finished = rows
                .iter()
                .filter(|(_, l, _)| l.module_id == m.id)
                .map(|(_, _, line)| line.finished)
                .sum();
            (m.text.get(Lang::Vi).title.clone(), finished)
        })
        .collect();
    Ok(tools_page(
        &state,
        t("f-nav-reports"),
        html! {
            (facilitator_nav(&f))
            h1 { (t("f-nav-reports")) }
            ul.figures {
                li { strong { (learners.len()) } " " (t("rep-learners-on-box")) }
                li { strong { (reached) } " " (t("rep-reached")) }
                li { strong { (learners.iter().map(|l| l.finished).sum::<u32>()) } " " (t("rep-finishes")) }
                li { strong { (learners.iter().map(|l| l.passed).sum::<u32>()) } " " (t("rep-quizzes-passed")) }
                li { strong { (learners.iter().map(|l| l.attended).sum::<u32>()) } " " (t("rep-attendances")) }
            }
            p.actions {
                a.button href="/f/reports/learners" { (t("rep-each-learner")) }
                @for g in &groups { a.button.quiet href={ "/f/reports/groups/" (g.id) } { (t_args("rep-group", [("group", v(&g.name))])) } }
            }
            h2 { (t("rep-by-topic")) }
            (bars(t("rep-by-topic"), &by_module, None, None, ""))
            h2 { (t("rep-each-lesson")) }
            div.scroll tabindex="0" role="region" aria-label=(t("rep-each-lesson")) {
                table.list.stack {
                    thead { tr { th { (t("live-lesson")) } th.n { (t("rep-opened")) } th.n { (t("rep-done")) } th.n { (t("rep-passed")) } th.n { (t("rep-live")) } } }
                    tbody {
                        @for (_, lesson, line) in &rows {
                            tr {
                                td { a href={ "/f/reports/lessons/" (lesson.id) } { (lesson.heading(Lang::Vi).title) } }
                                td.n data-label=(t("rep-opened")) { (line.opened) } td.n data-label=(t("rep-done")) { (line.finished) }
                                td.n data-label=(t("rep-passed")) { (line.passed) } td.n data-label=(t("rep-live")) { (line.attended) }
                            }
                        }
                    }
                }
            }
            (csv_link("/f/reports/lessons/csv"))
            h2 { (ui(current()).practice.heading()) }
            div.scroll tabindex="0" role="region" aria-label=(ui(current()).practice.heading()) {
                table.list.stack.practice-report {
                    thead { tr { th { (t("rep-practice")) } th.n { (t("rep-began")) } th.n { (t("rep-to-the-end")) } th.n { (t("rep-stayed-safe")) } th.n { (t("rep-first-try")) } th { (t("rep-worst-step")) } } }
                    tbody {
                        @for (practice, scenario, line) in &practice {
                            tr {
                                td { a href={ "/p/" (practice.id) } { (scenario.title) } }
                                td.n data-label=(t("rep-began")) { (line.began) } td.n data-label=(t("rep-to-the-end")) { (line.finished) }
                                td.n data-label=(t("rep-stayed-safe")) { (line.done) } td.n data-label=(t("rep-first-try")) { (line.first_try) }
                                td.worst data-label=(t("rep-worst-step")) { (worst_text(scenario, line)) }
                            }
                        }
                    }
                }
            }
            (csv_link("/f/reports/practice/csv"))
        },
    ))
}

/// Every scenario with how it fared: `(scenario, its Vietnamese version, line)`.
async fn practice_rows(
    state: &AppState,
) -> Result<Vec<(&Practice, &Scenario, PracticeLine)>, Error> {
    let states = state.store.practice_states().await?;
    let mut rows = Vec::new();
    for practice in state.catalogue.practices() {
        let scenario = practice.versions.get(Lang::Vi);
        let decisions = state.store.practice_decisions(&practice.id).await?;
        let line = practice_line(&practice.id, scenario, &states, &decisions);
        rows.push((practice, scenario, line));
    }
    Ok(rows)
}

/// "60% chọn «Thật: trong link có chữ gov.vn»" for the step most got wrong.
fn worst_text(scenario: &Scenario, line: &PracticeLine) -> String {
    let Some(worst) = &line.worst else {
        return String::new();
    };
    let step = scenario.steps.iter().find(|s| s.id == worst.step);
    let ask = step.map_or(worst.step.as_str(), |s| s.ask.as_str());
    match worst
        .choice
        .and_then(|(c, _)| step.and_then(|s| s.choices.get(c)))
    {
        Some(choice) => t_args(
            "rep-worst-choice",
            [
                ("percent", v(worst.choice_percent())),
                ("choice", v(&choice.text)),
                ("question", v(ask)),
            ],
        ),
        None => t_args(
            "rep-worst-typed",
            [("percent", v(worst.percent())), ("question", v(ask))],
        ),
    }
}

const PRACTICE_HEADER: &[&str] = &[
    "Bài thực hành",
    "Mã bài thực hành",
    "Loại",
    "Bài học",
    "Người đã làm",
    "Người làm đến cuối",
    "Người giữ an toàn",
    "Người đúng ngay lần đầu",
    "Bước hay sai nhất",
    "Tỉ lệ sai ở bước đó (%)",
];

async fn practice_csv(State(state): State<AppState>, _: Facilitating) -> Result<Response, Error> {
    let rows: Vec<Vec<String>> = practice_rows(&state)
        .await?
        .into_iter()
        .map(|(practice, scenario, line)| {
            vec![
                scenario.title.clone(),
                practice.id.clone(),
                scenario.kind.code().to_string(),
                practice.lesson_id.clone(),
                line.began.to_string(),
                line.finished.to_string(),
                line.done.to_string(),
                line.first_try.to_string(),
                worst_text(scenario, &line),
                line.worst
                    .as_ref()
                    .map_or(String::new(), |w| w.percent().to_string()),
            ]
        })
        .collect();
    Ok(download("thuc-hanh", PRACTICE_HEADER, &rows))
}

async fn lessons_csv(State(state): State<AppState>, _: Facilitating) -> Result<Response, Error> {
    let lessons = state.store.lesson_lines(None).await?;
    let rows: Vec<Vec<String>> = lesson_rows(&state, &lessons)
        .into_iter()
        .map(|(module, lesson, line)| {
            vec![
                module.to_string(),
                lesson.heading(Lang::Vi).title.clone(),
                lesson.id.clone(),
                line.opened.to_string(),
                line.finished.to_string(),
                line.answered.to_string(),
                line.passed.to_string(),
                line.attended.to_string(),
            ]
        })
        .collect();
    Ok(download("bai-hoc", LESSON_HEADER, &rows))
}

async fn learners(State(state): State<AppState>, f: Facilitating) -> Result<Markup, Error> {
    let lines = state.store.learner_lines(None).await?;
    Ok(tools_page(
        &state,
        t("rep-each-learner-title"),
        html! {
            (facilitator_nav(&f))
            nav.crumbs { a href="/f/reports" { "← " (t("f-nav-reports")) } }
            h1 { (t("rep-each-learner")) }
            (learners_table(&lines))
            (csv_link("/f/reports/learners/csv"))
        },
    ))
}

async fn learners_csv(State(state): State<AppState>, _: Facilitating) -> Result<Response, Error> {
    let lines = state.store.learner_lines(None).await?;
    let rows: Vec<Vec<String>> = lines.iter().map(learner_row).collect();
    Ok(download("nguoi-hoc", LEARNER_HEADER, &rows))
}

async fn group(
    State(state): State<AppState>,
    f: Facilitating,
    Path(id): Path<String>,
) -> Result<Markup, Error> {
    let group = state.store.group(&id).await?.ok_or(Error::NotFound)?;
    let lines = state.store.learner_lines(Some(id.clone())).await?;
    let members = lines.len() as u32;
    // Members who finished every lesson of each module.
    let mut whole = vec![0u32; state.catalogue.modules.len()];
    for line in &lines {
        let progress = state.store.progress_for_learner(&line.id).await?;
        let done = |id: &str| {
            progress
                .iter()
                .any(|p| p.lesson_id == id && p.finished_at.is_some())
        };
        for (count, module) in whole.iter_mut().zip(&state.catalogue.modules) {
            *count += u32::from(module.lessons.iter().all(|l| done(&l.id)));
        }
    }
    let by_module: Vec<(String, u32)> = state
        .catalogue
        .modules
        .iter()
        .zip(whole)
        .map(|(m, n)| (m.text.get(Lang::Vi).title.clone(), n))
        .collect();
    let per_member: Vec<(String, u32)> =
        lines.iter().map(|l| (shown_name(l), l.finished)).collect();
    Ok(tools_page(
        &state,
        &t_args("rep-group-title", [("group", v(&group.name))]),
        html! {
            (facilitator_nav(&f))
            nav.crumbs { a href="/f/reports" { "← " (t("f-nav-reports")) } }
            h1 { (t_args("rep-group", [("group", v(&group.name))])) }
            p.meta { (t_args("people-count", [("n", v(members))])) }
            (learners_table(&lines))
            (csv_link(&format!("/f/reports/groups/{id}/csv")))
            h2 { (t("rep-per-member")) }
            (bars(t("rep-per-member"), &per_member, Some(state.catalogue.modules.iter().map(|m| m.lessons.len() as u32).sum()), None, ""))
            h2 { (t("rep-whole-topic")) }
            p.meta { (t_args("rep-whole-topic-note", [("n", v(members))])) }
            (bars(t("rep-whole-topic"), &by_module, Some(members), None, ""))
        },
    ))
}

async fn group_csv(
    State(state): State<AppState>,
    _: Facilitating,
    Path(id): Path<String>,
) -> Result<Response, Error> {
    state.store.group(&id).await?.ok_or(Error::NotFound)?;
    let lines = state.store.learner_lines(Some(id)).await?;
    let rows: Vec<Vec<String>> = lines.iter().map(learner_row).collect();
    Ok(download("nhom", LEARNER_HEADER, &rows))
}

const ONE_LEARNER_HEADER: &[&str] = &[
    "Chủ đề",
    "Bài",
    "Mã bài",
    "Ngày học xong",
    "Điểm cao nhất",
    "Số câu",
    "Số lần làm",
    "Đạt",
    "Buổi học nhóm",
];

/// One learner's lessons: `(module, lesson, finished on, best, total, attempts, passed, attended)`.
async fn learner_rows(state: &AppState, id: &str) -> Result<Vec<Vec<String>>, Error> {
    let LearnerRecord {
        progress, scores, ..
    } = state.store.record_of_learner(id).await?;
    let attended = state.store.attended_lessons(id).await?;
    let mut rows = Vec::new();
    for module in &state.catalogue.modules {
        for lesson in &module.lessons {
            let p = progress.iter().find(|p| p.lesson_id == lesson.id);
            let s = scores.iter().find(|s| s.lesson_id == lesson.id);
            let a = attended
                .iter()
                .find(|a| a.lesson_id == lesson.id)
                .map_or(0, |a| a.times);
            if p.is_none() && s.is_none() && a == 0 {
                continue;
            }
            rows.push(vec![
                module.text.get(Lang::Vi).title.clone(),
                lesson.heading(Lang::Vi).title.clone(),
                lesson.id.clone(),
                p.and_then(|p| p.finished_at.as_deref())
                    .map(crate::clock::format::day)
                    .unwrap_or_default(),
                s.map(|s| s.best.to_string()).unwrap_or_default(),
                s.map(|s| s.total.to_string()).unwrap_or_default(),
                s.map(|s| s.attempts.to_string()).unwrap_or_default(),
                s.map(|s| {
                    if s.passed_at.is_some() {
                        "Đạt"
                    } else {
                        "Chưa"
                    }
                    .to_string()
                })
                .unwrap_or_default(),
                a.to_string(),
            ]);
        }
    }
    Ok(rows)
}

async fn learner(
    State(state): State<AppState>,
    f: Facilitating,
    Path(id): Path<String>,
) -> Result<Markup, Error> {
    let found = state.store.learner(&id).await?.ok_or(Error::NotFound)?;
    let rows = learner_rows(&state, &id).await?;
    let practice = state.store.record_of_learner(&id).await?.practice;
    Ok(tools_page(
        &state,
        &t_args("rep-learner-title", [("name", v(&found.display_name))]),
        html! {
            (facilitator_nav(&f))
            nav.crumbs { a href="/f/reports/learners" { "← " (t("rep-each-learner")) } " · " a href={ "/f/learners/" (id) } { (t("rep-details")) } }
            h1 { (found.display_name) }
            p.meta { (found.village) }
            @if rows.is_empty() {
                p { (t("rep-nothing-yet")) }
            } @else {
                div.scroll tabindex="0" role="region" aria-label=(t("rep-each-lesson-results")) {
                    table.list.stack {
                        thead { tr { th { (t("live-lesson")) } th { (t("rep-finished-on")) } th.n { (t("rep-score")) } th.n { (t("rep-attempts")) } th { (t("rep-passed")) } th.n { (t("rep-live")) } } }
                        tbody {
                            @for r in &rows {
                                tr {
                                    td { (r[1]) } td data-label=(t("rep-finished-on")) { (r[3]) }
                                    td.n data-label=(t("rep-score")) { @if !r[4].is_empty() { (r[4]) "/" (r[5]) } }
                                    td.n data-label=(t("rep-attempts")) { (r[6]) } td data-label=(t("rep-passed")) { (r[7]) } td.n data-label=(t("rep-live")) { (r[8]) }
                                }
                            }
                        }
                    }
                }
            }
            (csv_link(&format!("/f/reports/learners/{id}/csv")))
            @if !practice.is_empty() {
                h2 { (ui(current()).practice.heading()) }
                div.scroll tabindex="0" role="region" aria-label=(ui(current()).practice.heading()) {
                    table.list.stack.learner-practice {
                        thead { tr { th { (t("rep-practice")) } th.n { (t("rep-runs")) } th { (t("rep-stayed-safe")) } th { (t("rep-first-time")) } } }
                        tbody {
                            @for kept in &practice {
                                @let title = state.catalogue.practice(&kept.scenario_id).map_or(kept.scenario_id.as_str(), |p| p.versions.get(Lang::Vi).title.as_str());
                                tr {
                                    td { (title) } td.n data-label=(t("rep-runs")) { (kept.runs) }
                                    td data-label=(t("rep-stayed-safe")) { @if let Some(on) = &kept.won_at { "✓ " (crate::clock::format::day(on)) } @else { (t("rep-not-yet")) } }
                                    td data-label=(t("rep-first-time")) { @match kept.first_win { Some(true) => (t("rep-yes")), Some(false) => (t("rep-no")), None => "" } }
                                }
                            }
                        }
                    }
                }
            }
        },
    ))
}

async fn learner_csv(
    State(state): State<AppState>,
    _: Facilitating,
    Path(id): Path<String>,
) -> Result<Response, Error> {
    state.store.learner(&id).await?.ok_or(Error::NotFound)?;
    let rows = learner_rows(&state, &id).await?;
    Ok(download("ket-qua", ONE_LEARNER_HEADER, &rows))
}

/// A lesson's questions, the most missed first: `(question, asked, missed, percent)`.
async fn question_rows(
    state: &AppState,
    lesson: &Lesson,
) -> Result<Vec<(String, u32, u32, u32)>, Error> {
    let quiz = &lesson.versions.get(Lang::Vi).quiz;
    let right: Vec<usize> = quiz.iter().map(|q| q.answer).collect();
    let answers = state.store.quiz_answers(&lesson.id).await?;
    Ok(misses(&answers, &right)
        .into_iter()
        .map(|m| {
            (
                quiz[m.question].question.clone(),
                m.asked,
                m.missed,
                m.percent(),
            )
        })
        .collect())
}

fn find(state: &AppState, module: &str, slug: &str) -> Result<Lesson, Error> {
    crate::web::pages::find_lesson(state, module, slug).map(|(_, l)| l.clone())
}

async fn lesson(
    State(state): State<AppState>,
    f: Facilitating,
    Path((module, slug)): Path<(String, String)>,
) -> Result<Markup, Error> {
    let lesson = find(&state, &module, &slug)?;
    let lines = state.store.lesson_lines(None).await?;
    let line = lines
        .into_iter()
        .find(|l| l.lesson_id == lesson.id)
        .unwrap_or_default();
    let questions = question_rows(&state, &lesson).await?;
    let chart: Vec<(String, u32)> = questions
        .iter()
        .map(|(q, _, _, percent)| (q.clone(), *percent))
        .collect();
    Ok(tools_page(
        &state,
        &lesson.heading(Lang::Vi).title,
        html! {
            (facilitator_nav(&f))
            nav.crumbs { a href="/f/reports" { "← " (t("f-nav-reports")) } }
            h1 { (lesson.heading(Lang::Vi).title) }
            ul.figures {
                li { strong { (line.opened) } " " (t("rep-lesson-opened")) }
                li { strong { (line.finished) } " " (t("rep-lesson-finished")) }
                li { strong { (line.answered) } " " (t("rep-lesson-answered")) ", " strong { (line.passed) } " " (t("rep-lesson-passed")) }
                li { strong { (line.attended) } " " (t("rep-lesson-live")) }
            }
            h2 { (t("rep-hardest")) }
            p.meta { (t("rep-hardest-note")) }
            (bars(t("rep-hardest-chart"), &chart, Some(100), None, "%"))
            table.list {
                thead { tr { th { (t("rep-question")) } th.n { (t("rep-answers")) } th.n { (t("rep-wrong")) } th.n { "%" } } }
                tbody {
                    @for (q, asked, missed, percent) in &questions {
                        tr { td { (q) } td.n { (asked) } td.n { (missed) } td.n { (percent) "%" } }
                    }
                }
            }
            (csv_link(&format!("/f/reports/lessons/{}/csv", lesson.id)))
        },
    ))
}

async fn lesson_csv(
    State(state): State<AppState>,
    _: Facilitating,
    Path((module, slug)): Path<(String, String)>,
) -> Result<Response, Error> {
    let lesson = find(&state, &module, &slug)?;
    let rows: Vec<Vec<String>> = question_rows(&state, &lesson)
        .await?
        .into_iter()
        .map(|(q, asked, missed, percent)| {
            vec![
                q,
                asked.to_string(),
                missed.to_string(),
                format!("{percent}%"),
            ]
        })
        .collect();
    Ok(download(
        &lesson.id.replace('/', "-"),
        &["Câu hỏi", "Lần trả lời", "Sai", "Tỉ lệ sai"],
        &rows,
    ))
}
