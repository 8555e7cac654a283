//! `/f/bai-doc`: readings of any lesson (built in, from a pack, or the commune's own),
//! recorded with the phone's own recorder in the language of the facilitator's choice, of
//! one slide or the whole lesson; checked for type and length, kept on the box, heard on the
//! lesson page at once, and sent to the province when the facilitator says so.

use axum::Router;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use maud::{Markup, html};
use serde::Deserialize;

use super::uploads::{over_budget, recording};
use crate::content::{Lang, Lesson};
use crate::facilitate::authoring::{LANGUAGES, language_name};
use crate::protocol::proposal::is_lang_code;
use crate::store::{LocalReading, MediaRefused};
use crate::web::extract::Multiform;
use crate::web::i18n::{current, t, t_args, v};
use crate::web::pages::layout::{Extras, csrf_field, facilitator_nav, page_with};
use crate::web::session::Facilitating;
use crate::web::{AppState, Error, UPLOAD_LIMIT, complete};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/f/bai-doc", get(list))
        .route(
            "/f/bai-doc/{module}/{slug}",
            get(page)
                .post(add)
                .layer(DefaultBodyLimit::max(UPLOAD_LIMIT)),
        )
        .route("/f/bai-doc/ban/{id}/xoa", post(remove))
        .route("/f/bai-doc/ban/{id}/gui", post(propose))
}

fn frame(state: &AppState, title: &str, body: Markup) -> Markup {
    let extras = Extras {
        tools: true,
        ..Default::default()
    };
    page_with(state, current(), None, title, body, &extras)
}

/// A reading's language and part: "Tiếng Ê Đê · trang 2", "Tiếng Ê Đê · cả bài".
fn heard_as(lang_name: &str, slide: Option<u32>) -> String {
    let part = match slide {
        Some(n) => t_args("reading-slide", [("n", v(n))]),
        None => t("reading-whole").to_string(),
    };
    format!(
        "{} · {part}",
        t_args("reading-lang", [("name", v(lang_name))])
    )
}

fn minutes(seconds: u32) -> String {
    format!("{}:{:02}", seconds / 60, seconds % 60)
}

async fn list(State(state): State<AppState>, f: Facilitating) -> Result<Markup, Error> {
    let catalogue = state.catalogue.clone();
    let body = html! {
        (facilitator_nav(&f))
        nav.crumbs { a href="/f/bai-hoc" { (t("own-title")) } " › " (t("reading-title")) }
        h1 { (t("reading-title")) }
        p { (t("reading-lead")) }
        @for module in &catalogue.modules {
            h2 { (module.text.get(Lang::Vi).title) }
            ul {
                @for lesson in &module.lessons {
                    @let read = catalogue.readings_of(&lesson.id);
                    li {
                        a href={ "/f/bai-doc/" (module.id) "/" (lesson.slug) } { (lesson.heading(Lang::Vi).title) }
                        @if !read.is_empty() { " · " (t_args("reading-count", [("n", v(read.len()))])) }
                    }
                }
            }
        }
    };
    Ok(frame(&state, t("reading-title"), body))
}

#[derive(Deserialize, Default)]
struct Said {
    #[serde(default)]
    luu: Option<String>,
}

fn lesson_of<'a>(state: &'a AppState, module: &str, slug: &str) -> Result<&'a Lesson, Error> {
    state
        .catalogue
        .lesson(&format!("{module}/{slug}"))
        .ok_or(Error::NotFound)
}

/// The page of one lesson's readings, with the form to add one; `problem` above the form.
async fn readings_page(
    state: &AppState,
    f: &Facilitating,
    lesson: &Lesson,
    note: Option<&str>,
    problem: Option<&str>,
) -> Result<Markup, Error> {
    let local = state.store.local_readings().await?;
    let mine: Vec<&LocalReading> = local.iter().filter(|r| r.lesson_id == lesson.id).collect();
    let from_packs: Vec<_> = state
        .catalogue
        .readings_of(&lesson.id)
        .iter()
        .filter(|r| r.id.is_none())
        .collect();
    let slides = lesson.versions.get(Lang::Vi).slides.len();
    let action = format!("/f/bai-doc/{}/{}", lesson.module_id, lesson.slug);
    let body = html! {
        (facilitator_nav(f))
        nav.crumbs { a href="/f/bai-hoc" { (t("own-title")) } " › " a href="/f/bai-doc" { (t("reading-title")) } }
        h1 { (t_args("reading-heading", [("title", v(&lesson.heading(Lang::Vi).title))])) }
        @if let Some(note) = note { p.note role="status" { (note) } }
        @if mine.is_empty() && from_packs.is_empty() {
            p { (t("reading-none")) }
        }
        @for r in &mine {
            section.reading {
                h2 { (heard_as(&r.lang_name, r.slide)) }
                audio controls preload="none" src={ "/media/" (r.audio) } {}
                p.meta {
                    (minutes(r.seconds)) " · " (t_args("reading-recorded-on", [("date", v(crate::clock::format::when(&r.created_at)))]))
                    @if let Some(at) = &r.proposed_at { " · " (t_args("reading-proposed-at", [("at", v(crate::clock::format::when(at)))])) }
                }
                div.actions {
                    @if r.proposed_at.is_none() {
                        form.inline method="post" action={ "/f/bai-doc/ban/" (r.id) "/gui" } {
                            (csrf_field(&f.csrf))
                            button.button.quiet type="submit" { (t("reading-propose")) }
                        }
                    }
                    form.inline method="post" action={ "/f/bai-doc/ban/" (r.id) "/xoa" } {
                        (csrf_field(&f.csrf))
                        button.button.quiet type="submit" { (t("reading-delete")) }
                    }
                }
            }
        }
        @for r in &from_packs {
            section.reading {
                h2 { (heard_as(&r.lang_name, r.slide)) }
                audio controls preload="none" src=(r.audio_url) {}
                p.meta { (t("reading-from-province")) @if let Some(c) = &r.credit { " (" (c) ")" } }
            }
        }
        h2 #ghi { (t("reading-add")) }
        p { (t("reading-add-lead")) }
        @if let Some(problem) = problem { div.note.error role="alert" { p { "⚠ " (problem) } } }
        form.stack method="post" action=(action) enctype="multipart/form-data" {
            (csrf_field(&f.csrf))
            label { (t("reading-in-lang"))
                select name="lang" {
                    @for (code, name) in LANGUAGES { option value=(code) { (name) } }
                    option value="khac" { (t("reading-other-lang")) }
                }
            }
            label { (t("reading-other-code")) " " code { "brv" } (t("reading-other-code-end"))
                input type="text" name="lang_code" maxlength="3" pattern="[a-z]{3}" autocapitalize="off" placeholder=(t("reading-code-placeholder"));
                input type="text" name="lang_name" maxlength="60" placeholder=(t("reading-name-placeholder"));
            }
            label { (t("reading-part"))
                select name="slide" {
                    option value="" { (t("reading-whole-lesson")) }
                    @for n in 1..=slides { option value=(n) { (t_args("reading-slide-option", [("n", v(n))])) } }
                }
            }
            label { (t("reading-file")) input type="file" name="file" accept="audio/*" capture required; }
            button.button type="submit" { (t("reading-save")) }
        }
    };
    Ok(frame(state, t("reading-page-title"), body))
}

async fn page(
    State(state): State<AppState>,
    f: Facilitating,
    Path((module, slug)): Path<(String, String)>,
    Query(said): Query<Said>,
) -> Result<Markup, Error> {
    let lesson = lesson_of(&state, &module, &slug)?;
    let note = match said.luu.as_deref() {
        Some("ok") => Some(t("reading-saved")),
        Some("gui") => Some(t("reading-will-propose")),
        Some("xoa") => Some(t("reading-deleted")),
        _ => None,
    };
    readings_page(&state, &f, lesson, note, None).await
}

async fn add(
    State(state): State<AppState>,
    f: Facilitating,
    Path((module, slug)): Path<(String, String)>,
    form: Multiform,
) -> Result<Response, Error> {
    let lesson = lesson_of(&state, &module, &slug)?;
    match keep(&state, &f, lesson, &form).await? {
        Ok(()) => {
            state.reload_lessons().await?;
            Ok(Redirect::to(&format!("/f/bai-doc/{module}/{slug}?luu=ok")).into_response())
        }
        Err(message) => {
            let page = readings_page(&state, &f, lesson, None, Some(&message)).await?;
            Ok(complete(StatusCode::UNPROCESSABLE_ENTITY, page))
        }
    }
}

/// Checks the posted reading of `lesson` and keeps it; what is wrong, in words, when not.
async fn keep(
    state: &AppState,
    f: &Facilitating,
    lesson: &Lesson,
    form: &Multiform,
) -> Result<Result<(), String>, Error> {
    let (lang, lang_name) = match form.get("lang") {
        "khac" => (
            form.get("lang_code").to_lowercase(),
            crate::text::squeeze(form.get("lang_name")),
        ),
        code => (
            code.to_string(),
            language_name(code).unwrap_or_default().to_string(),
        ),
    };
    if !is_lang_code(&lang) || lang_name.is_empty() || lang_name.chars().count() > 60 {
        return Ok(Err(t("reading-choose-lang").into()));
    }
    let slides = lesson.versions.get(Lang::Vi).slides.len() as u32;
    let slide = match form.get("slide") {
        "" => None,
        n => match n.parse::<u32>() {
            Ok(n) if (1..=slides).contains(&n) => Some(n),
            _ => return Ok(Err(t("reading-no-slide").into())),
        },
    };
    let Some(bytes) = form.file("file").cloned() else {
        return Ok(Err(t("reading-no-file").into()));
    };
    let probed = tokio::task::spawn_blocking(move || recording(&bytes))
        .await
        .map_err(|_| Error::Internal)?;
    let audio = match probed {
        Ok(audio) => audio,
        Err(message) => return Ok(Err(message)),
    };
    let reading = LocalReading {
        id: uuid::Uuid::now_v7().to_string(),
        lesson_id: lesson.id.clone(),
        slide,
        lang,
        lang_name,
        audio: audio.name.clone(),
        seconds: audio.seconds.unwrap_or(1),
        created_by: f.facilitator.id.clone(),
        created_at: state.store.now(),
        proposed_at: None,
    };
    match state.store.add_reading(reading, audio).await {
        Ok(()) => Ok(Ok(())),
        Err(MediaRefused::OverBudget { needed, budget }) => Ok(Err(over_budget(needed, budget))),
        Err(MediaRefused::Store(e)) => Err(e.into()),
    }
}

async fn remove(
    State(state): State<AppState>,
    _f: Facilitating,
    Path(id): Path<String>,
) -> Result<Response, Error> {
    let reading = state
        .store
        .local_reading(&id)
        .await?
        .ok_or(Error::NotFound)?;
    state.store.delete_reading(&id).await?;
    state.reload_lessons().await?;
    let (module, slug) = reading.lesson_id.split_once('/').unwrap_or_default();
    Ok(Redirect::to(&format!("/f/bai-doc/{module}/{slug}?luu=xoa")).into_response())
}

async fn propose(
    State(state): State<AppState>,
    f: Facilitating,
    Path(id): Path<String>,
) -> Result<Response, Error> {
    let reading = state
        .store
        .local_reading(&id)
        .await?
        .ok_or(Error::NotFound)?;
    match crate::sync::proposals::propose_reading(&state.store, &reading, &f.facilitator.name).await
    {
        Ok(_) => state.sync_now.notify_one(),
        Err(crate::sync::proposals::NotProposed::Store(e)) => return Err(e.into()),
        Err(e) => {
            return Err(Error::Rejected {
                code: "missing_media",
                detail: e.plain(),
            });
        }
    }
    let (module, slug) = reading.lesson_id.split_once('/').unwrap_or_default();
    Ok(Redirect::to(&format!("/f/bai-doc/{module}/{slug}?luu=gui")).into_response())
}
