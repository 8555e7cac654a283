//! Reading: the home page (modules, and for a signed-in learner where to continue), a
//! module's page (its lessons, ticked when done), a lesson's page, and "Tôi đã học xong".
//!
//! A lesson is shown one part (slide) at a time: `/m/{module}/{lesson}` is its first part,
//! `?phan=3` its third, `?phan=ca` the whole lesson on one page ("Xem cả bài"; `/in` prints
//! it). "◀ Trước" and "Tiếp ▶" are plain links, so the parts work without JavaScript. The
//! last part (and the whole lesson) carries "Tôi đã học xong", the lesson's practice
//! scenarios and the way to the next lesson. Opening any part records "lesson_opened" once.
//! A finish is answered with a redirect to `/m/{module}/{lesson}/xong` (a GET), which says
//! "Đã ghi nhận" and leads on to the quiz.

use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use maud::{Markup, PreEscaped, html};

use super::layout::{Extras, page, page_with};
use super::{find_lesson, lesson_url, overview, record};
use crate::content::{Lang, LessonVersion, Module};
use crate::learn::{ModuleState, Overview};
use crate::store::Change;
use crate::web::extract::AppForm;
use crate::web::gzip;
use crate::web::i18n::{Ui, ui};
use crate::web::session::{SignedIn, Visitor};
use crate::web::{AppState, Error};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/m/{module}", get(module))
        .route("/m/{module}/{lesson}", get(lesson))
        .route("/m/{module}/{lesson}/xong", get(finished).post(finish))
}

async fn home(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
) -> Result<Response, Error> {
    let lang = visitor.lang;
    let ui = ui(lang);
    let learner = visitor.learner.as_ref();
    let overview = match learner {
        Some(learner) => Some(overview(&state, learner).await?),
        None => None,
    };
    let next = overview
        .as_ref()
        .and_then(|o| o.next.as_deref())
        .and_then(|id| state.catalogue.lesson(id));
    // The page is the same for everyone not signed in: kept gzipped (see `web::gzip`). A
    // learner's own is compressed as asked, whole (in pieces it would be a sixth bigger).
    let extras = Extras {
        pieces: learner.is_none(),
        ..Extras::default()
    };
    let page = page_with(
        &state,
        lang,
        learner,
        ui.home_title(),
        html! {
            h1 { (ui.home_title()) }
            @if let Some(learner) = learner {
                p.lead { (ui.hello(&learner.display_name)) }
                @let practice = overview.as_ref().and_then(|o| o.next_practice.as_deref()).and_then(|id| state.catalogue.practice(id));
                @if let Some(next) = next {
                    // The title on a line of its own: titles have colons of their own.
                    p { a.button.next-up href=(lesson_url(next)) { span { (ui.continue_learning()) } " " span.next-title { (next.heading(lang).title) } } }
                } @else if practice.is_none() {
                    p.note { (ui.all_finished()) }
                }
                @if let Some(practice) = practice {
                    p { a.button .quiet[next.is_some()] href=(super::practice::practice_url(practice)) { (ui.practice.heading()) ": " (practice.versions.pick(lang).1.title) } }
                }
                p { a href="/live" { (ui.live_link()) } }
            } @else {
                p.lead { (ui.home_intro()) }
                p.actions {
                    a.button href="/join" { (ui.join()) }
                    a.button.quiet href="/signin" { (ui.sign_in()) }
                }
            }
            h2 { (ui.topics()) }
            ul.cards {
                @for module in &state.catalogue.modules {
                    li { (module_card(module, overview.as_ref().and_then(|o| o.module(&module.id)), lang, ui)) }
                }
            }
        },
        &extras,
    );
    if learner.is_some() {
        return Ok(page.into_response());
    }
    Ok(gzip::answer(
        &page.into_string(),
        &headers,
        &state.kept_pieces,
    ))
}

fn module_card(module: &Module, progress: Option<&ModuleState>, lang: Lang, ui: &Ui) -> Markup {
    let text = module.text.get(lang);
    html! {
        a.card href={ "/m/" (module.id) } {
            @if let Some(icon) = &module.icon_url {
                img.icon src=(icon) alt="" width="48" height="48";
            }
            span.card-text {
                span.card-title { (text.title) }
                span.meta { (ui.lessons(module.lessons.len())) " · " (ui.minutes(module.minutes(lang))) }
                @if let Some(progress) = progress {
                    (progress_bar(progress, ui))
                }
            }
        }
    }
}

/// "2/3 bài xong" with a bar; a tick when the module is finished.
fn progress_bar(progress: &ModuleState, ui: &Ui) -> Markup {
    html! {
        span.progress {
            progress max=(progress.total) value=(progress.complete) aria-hidden="true" { (progress.percent()) "%" }
            span.meta {
                @if progress.finished_on.is_some() { span.tick aria-hidden="true" { "✓ " } }
                (ui.lessons_done(progress.complete, progress.total))
            }
        }
    }
}

async fn module(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(module_id): Path<String>,
) -> Result<Markup, Error> {
    let module = state.catalogue.module(&module_id).ok_or(Error::NotFound)?;
    let lang = visitor.lang;
    let ui = ui(lang);
    let text = module.text.get(lang);
    let learner = visitor.learner.as_ref();
    let overview = match learner {
        Some(learner) => overview(&state, learner).await?,
        None => Overview::default(),
    };
    let next = learner
        .and_then(|_| overview.next_in(&state.catalogue, &module.id))
        .and_then(|id| module.lessons.iter().find(|l| l.id == id))
        .or(module.lessons.first());
    Ok(page(
        &state,
        lang,
        learner,
        &text.title,
        html! {
            nav.crumbs { a href="/" { (ui.home()) } }
            h1 { (text.title) }
            p.lead { (text.summary) }
            p.meta { (ui.lessons(module.lessons.len())) " · " (ui.minutes(module.minutes(lang))) }
            @if let Some(progress) = learner.and_then(|_| overview.module(&module.id)) {
                (progress_bar(progress, ui))
                @if progress.finished_on.is_some() {
                    p.note { (ui.module_finished()) " " a href="/me" { (ui.see_certificate()) } }
                }
            }
            h2 { (ui.lessons_heading()) }
            ol.lessons {
                @for lesson in &module.lessons {
                    @let done = overview.lesson(&lesson.id).complete();
                    li {
                        a href=(lesson_url(lesson)) .done[done] {
                            span.card-title { (lesson.heading(lang).title) }
                            span.meta {
                                @if done { span.tick { "✓ " (ui.done()) " · " } }
                                (ui.minutes(lesson.versions.get(lang).minutes))
                            }
                        }
                    }
                }
            }
            @if !module.practice.is_empty() {
                h2 { (ui.practice.heading()) }
                @if let Some(progress) = learner.and_then(|_| overview.module(&module.id)) {
                    p.meta { (ui.practice.done_count(progress.practised, progress.practices)) }
                }
                (super::practice::cards(&module.practice, learner.map(|_| &overview), lang))
            }
            @if let Some(next) = next {
                @let started = module.lessons.iter().any(|l| overview.lesson(&l.id).opened);
                @let label = if started { ui.continue_learning() } else { ui.start() };
                p { a.button href=(lesson_url(next)) { (label) } }
            }
            section.away {
                h2 { (ui.take_home()) }
                p { (ui.take_home_note()) }
                p.actions {
                    a.button.quiet href={ "/m/" (module.id) "/tai-ve" } download=(super::take_home::file_name(module)) { "⬇ " (ui.take_home()) }
                    a.button.quiet href={ "/m/" (module.id) "/in" } { (ui.print_version()) }
                }
            }
        },
    ))
}

async fn lesson(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((module_id, slug)): Path<(String, String)>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<Response, Error> {
    let (module, lesson) = find_lesson(&state, &module_id, &slug)?;
    let parts = lesson.versions.pick(visitor.lang).1.slides.len().max(1);
    let shown_part = match Part::asked(query.as_deref()) {
        Part::One(k) if k > parts => return Err(Error::NotFound),
        part => part,
    };
    let lang = visitor.lang;
    let ui = ui(lang);
    let learner = visitor.learner.as_ref();
    let mut overview_here = None;
    let state_here = match learner {
        Some(learner) => {
            let all = overview(&state, learner).await?;
            let here = all.lesson(&lesson.id);
            overview_here = Some(all);
            if !here.opened {
                let id = uuid::Uuid::now_v7();
                record(
                    &state,
                    learner,
                    lesson,
                    id,
                    Change::Opened,
                    serde_json::json!({}),
                )
                .await?;
            }
            Some(here)
        }
        None => None,
    };
    let heading = lesson.heading(lang);
    let (shown, version) = lesson.versions.pick(lang);
    let (previous, next) = state.catalogue.neighbours(&lesson.id);
    let has_quiz = !version.quiz.is_empty();
    // Drawn in pieces: only the top bar and the finish section name the learner (see
    // `web::gzip`).
    let extras = Extras {
        script: Some("speech.js"),
        pieces: true,
        ..Extras::default()
    };
    // The finish, the practice and the next lesson come after the last part.
    let (first, last, slides) = match shown_part {
        Part::Whole => (true, true, 0..version.slides.len()),
        Part::One(k) => (k == 1, k == parts, k - 1..k.min(version.slides.len())),
    };
    let here_url = lesson_url(lesson);
    // The language of the readings chosen (`nghe=ede`), and the part's own address.
    let heard: Option<String> =
        serde_urlencoded::from_str::<Vec<(String, String)>>(query.as_deref().unwrap_or_default())
            .unwrap_or_default()
            .into_iter()
            .rev()
            .find(|(key, _)| key == "nghe")
            .map(|(_, value)| value);
    let (chosen_slide, part_url) = match shown_part {
        Part::Whole => (None, format!("{here_url}?phan=ca")),
        Part::One(k) => (Some(k), format!("{here_url}?phan={k}")),
    };
    let page = page_with(
        &state,
        lang,
        learner,
        &heading.title,
        html! {
            nav.crumbs {
                a href="/" { (ui.home()) } " › "
                a href={ "/m/" (module.id) } { (module.text.get(lang).title) }
            }
            article {
                h1 { (heading.title) }
                p.meta {
                    (ui.minutes(version.minutes)) " · "
                    @match shown_part {
                        Part::Whole => { (ui.slides(version.slides.len())) }
                        Part::One(k) => { (ui.part_of(k, parts)) }
                    }
                }
                @if first {
                    @if shown != lang {
                        p.note { (ui.not_translated()) }
                    }
                    section.objective {
                        h2 { (ui.objective()) }
                        p { (heading.objective) }
                    }
                }
                (super::hearing::made_by(lesson, heading, lang))
                (listen(version, shown, ui))
                (super::hearing::readings(state.catalogue.readings_of(&lesson.id), chosen_slide, heard.as_deref(), &part_url, lang))
                div.lesson-text lang=(shown.code()) { (lesson_text(version, slides)) }
            }
            @if let Part::One(k) = shown_part {
                nav.parts aria-label=(ui.parts_nav()) {
                    @if k > 1 {
                        a.button.quiet.prev href={ (here_url) "?phan=" (k - 1) } { (ui.part_previous()) }
                    }
                    span.where { (ui.part_of(k, parts)) }
                    @if k < parts {
                        a.button.next href={ (here_url) "?phan=" (k + 1) } { (ui.part_next()) }
                    }
                }
            }
            @if last {
                (PreEscaped(gzip::FRESH))
                section.finish {
                    @match &state_here {
                        Some(here) => {
                            @if here.finished_at.is_none() {
                                form method="post" action={ (here_url) "/xong" } data-kind="lesson_finished" data-lesson=(lesson.id) {
                                    input type="hidden" name="id" value=(uuid::Uuid::now_v7());
                                    button.button type="submit" { (ui.finished_reading()) }
                                }
                            } @else {
                                p { span.tick { "✓ " } (ui.read_already()) }
                            }
                            @if has_quiz {
                                @if let Some(score) = &here.quiz {
                                    p.meta { (ui.best_score(score.best, score.total)) }
                                }
                                @if here.finished_at.is_some() {
                                    p { a.button href={ (here_url) "/quiz" } { (ui.take_quiz()) } }
                                }
                            }
                        }
                        None => {
                            p { (ui.sign_in_to_save()) }
                            p.actions {
                                a.button href="/join" { (ui.join()) }
                                a.button.quiet href="/signin" { (ui.sign_in()) }
                            }
                        }
                    }
                }
                @let practices: Vec<_> = module.practice.iter().filter(|p| p.lesson_id == lesson.id).collect();
                @if !practices.is_empty() {
                    section.practice-links {
                        h2 { (ui.practice.heading()) }
                        (super::practice::cards(practices, overview_here.as_ref(), lang))
                    }
                }
                (PreEscaped(gzip::KEEP))
            }
            p.away {
                @match shown_part {
                    Part::Whole => { a href=(here_url) { (ui.one_part_at_a_time()) } }
                    Part::One(_) => { a href={ (here_url) "?phan=ca" } { (ui.whole_lesson()) } }
                }
                " · "
                a href={ (here_url) "/in" } { (ui.print_version()) }
            }
            @if last {
                nav.pager aria-label=(ui.lessons_heading()) {
                    @if let Some(previous) = previous {
                        a.prev href=(lesson_url(previous)) rel="prev" {
                            span.meta { "← " (ui.previous()) }
                            span { (previous.heading(lang).title) }
                        }
                    }
                    @if let Some(next) = next {
                        a.next href=(lesson_url(next)) rel="next" {
                            span.meta { (ui.next()) " →" }
                            span { (next.heading(lang).title) }
                        }
                    } @else {
                        a.next href="/" { span { (ui.all_done()) } }
                    }
                }
            }
        },
        &extras,
    )
    .into_string();
    Ok(gzip::answer(&page, &headers, &state.kept_pieces))
}

/// Which of a lesson's parts a page shows: one (counted from 1), or the whole lesson.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Part {
    One(usize),
    Whole,
}

impl Part {
    /// The part a lesson page's query asks for (`phan=3`, `phan=ca`); the first by default.
    fn asked(query: Option<&str>) -> Part {
        let pairs: Vec<(String, String)> =
            serde_urlencoded::from_str(query.unwrap_or_default()).unwrap_or_default();
        match pairs.iter().rev().find(|(key, _)| key == "phan") {
            Some((_, value)) if value == "ca" => Part::Whole,
            Some((_, value)) => {
                Part::One(value.parse::<usize>().ok().filter(|&k| k > 0).unwrap_or(1))
            }
            None => Part::One(1),
        }
    }
}

/// A lesson's slides `shown` (places counted from 0) as its page shows them.
fn lesson_text(version: &LessonVersion, shown: std::ops::Range<usize>) -> Markup {
    html! {
        @for (i, slide) in version.slides.iter().enumerate().take(shown.end).skip(shown.start) {
            section.slide id={ "s" (i + 1) } { (PreEscaped(slide)) }
        }
    }
}

/// Hearing the lesson: its recorded reading when it ships one (a plain `<audio>`), and a
/// button that reads the text with the phone's own voice in the text's language. The button
/// stays hidden unless `assets/speech.js` finds such a voice on the phone.
fn listen(version: &LessonVersion, shown: Lang, ui: &Ui) -> Markup {
    html! {
        div.listen {
            @if let Some(url) = &version.audio_url {
                p {
                    span #recording { (ui.recording()) }
                    audio controls preload="none" src=(url) aria-labelledby="recording" {}
                }
            }
            button #read-aloud .button.quiet type="button" hidden
                data-lang=(shown.code()) data-stop=(ui.stop_reading()) {
                (ui.read_aloud())
            }
        }
    }
}

/// "Tôi đã học xong": records that the lesson was read to its end, then goes to its quiz, or
/// to the next lesson when it has none. The form's hidden `id`, made when the page was, makes
/// a press sent twice (a lost answer, or the offline queue sending it again) count once.
async fn finish(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path((module_id, slug)): Path<(String, String)>,
    AppForm(fields): AppForm<Vec<(String, String)>>,
) -> Result<Response, Error> {
    let (_, lesson) = find_lesson(&state, &module_id, &slug)?;
    let id = fields
        .iter()
        .find(|(name, _)| name == "id")
        .and_then(|(_, value)| uuid::Uuid::parse_str(value).ok())
        .filter(|id| !id.is_nil() && !id.is_max())
        .unwrap_or_else(uuid::Uuid::now_v7);
    let payload = serde_json::json!({});
    record(
        &state,
        &signed_in.learner,
        lesson,
        id,
        Change::Finished,
        payload,
    )
    .await?;
    Ok(Redirect::to(&format!("{}/xong", lesson_url(lesson))).into_response())
}

/// "Đã ghi nhận": the finish is kept; then the quiz, or the next lesson when it has none. A
/// learner who has not finished the lesson is sent to its last part.
async fn finished(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path((module_id, slug)): Path<(String, String)>,
) -> Result<Response, Error> {
    let (module, lesson) = find_lesson(&state, &module_id, &slug)?;
    let lang = signed_in.lang;
    let ui = ui(lang);
    let (_, version) = lesson.versions.pick(lang);
    let here = overview(&state, &signed_in.learner)
        .await?
        .lesson(&lesson.id);
    if here.finished_at.is_none() {
        let last = version.slides.len().max(1);
        let to = format!("{}?phan={last}", lesson_url(lesson));
        return Ok(Redirect::to(&to).into_response());
    }
    let has_quiz = !lesson.versions.get(Lang::Vi).quiz.is_empty();
    let next = state.catalogue.neighbours(&lesson.id).1;
    let title = &lesson.heading(lang).title;
    Ok(page(
        &state,
        lang,
        Some(&signed_in.learner),
        ui.finish_recorded(),
        html! {
            nav.crumbs {
                a href="/" { (ui.home()) } " › "
                a href={ "/m/" (module.id) } { (module.text.get(lang).title) }
            }
            h1.recorded { span.tick aria-hidden="true" { "✓ " } (ui.finish_recorded()) }
            p.lead { (title) }
            @if has_quiz {
                p { (ui.finish_recorded_quiz()) }
                @if let Some(score) = &here.quiz {
                    p.meta { (ui.best_score(score.best, score.total)) }
                }
                p { a.button href={ (lesson_url(lesson)) "/quiz" } { (ui.take_quiz()) } }
            } @else {
                p { (ui.finish_recorded_next()) }
                @match next {
                    Some(next) => { p { a.button href=(lesson_url(next)) { (ui.next()) ": " (next.heading(lang).title) } } }
                    None => { p { a.button href="/me" { (ui.my_progress()) } } }
                }
            }
            p.actions {
                a.button.quiet href=(lesson_url(lesson)) { (ui.read_again()) }
                a.button.quiet href="/me" { (ui.my_progress()) }
            }
        },
    )
    .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_recorded_reading_gets_a_plain_player_and_the_voice_button_starts_hidden() {
        let mut version = LessonVersion {
            minutes: 6,
            audio_url: Some("/assets/bai-doc.ogg".into()),
            quiz: Vec::new(),
            ask: 0,
            slides: vec!["<p>Xin chào</p>".into()],
        };
        let html = listen(&version, Lang::Vi, ui(Lang::Vi)).into_string();
        assert!(
            html.contains(r#"<audio controls preload="none" src="/assets/bai-doc.ogg""#),
            "{html}"
        );
        assert!(html.contains(r#"id="read-aloud""#) && html.contains(" hidden"));
        assert!(html.contains(r#"data-lang="vi""#));
        version.audio_url = None;
        let html = listen(&version, Lang::En, ui(Lang::Vi)).into_string();
        assert!(!html.contains("<audio"));
        assert!(html.contains(r#"data-lang="en""#));
    }
}
