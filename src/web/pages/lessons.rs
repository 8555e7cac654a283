//! Reading: the home page (modules), a module's page (its lessons), and a lesson's page.

use axum::Router;
use axum::extract::{Path, State};
use axum::routing::get;
use maud::{Markup, PreEscaped, html};

use super::layout::page;
use crate::content::{Lang, Lesson, Module};
use crate::web::i18n::{Ui, ui};
use crate::web::{AppState, Error};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/m/{module}", get(module))
        .route("/m/{module}/{lesson}", get(lesson))
}

async fn home(State(state): State<AppState>, lang: Lang) -> Markup {
    let ui = ui(lang);
    page(
        &state,
        lang,
        ui.home_title,
        html! {
            h1 { (ui.home_title) }
            p.lead { (ui.home_intro) }
            h2 { (ui.topics) }
            ul.cards {
                @for module in &state.catalogue.modules {
                    li { (module_card(module, lang, ui)) }
                }
            }
        },
    )
}

fn module_card(module: &Module, lang: Lang, ui: &Ui) -> Markup {
    let text = module.text.get(lang);
    html! {
        a.card href={ "/m/" (module.id) } {
            @if let Some(icon) = &module.icon_url {
                img.icon src=(icon) alt="" width="48" height="48";
            }
            span.card-text {
                span.card-title { (text.title) }
                span.meta { ((ui.lessons)(module.lessons.len())) " · " ((ui.minutes)(module.minutes(lang))) }
            }
        }
    }
}

async fn module(
    State(state): State<AppState>,
    lang: Lang,
    Path(module_id): Path<String>,
) -> Result<Markup, Error> {
    let module = state.catalogue.module(&module_id).ok_or(Error::NotFound)?;
    let ui = ui(lang);
    let text = module.text.get(lang);
    Ok(page(
        &state,
        lang,
        &text.title,
        html! {
            nav.crumbs { a href="/" { (ui.home) } }
            h1 { (text.title) }
            p.lead { (text.summary) }
            p.meta { ((ui.lessons)(module.lessons.len())) " · " ((ui.minutes)(module.minutes(lang))) }
            h2 { (ui.lessons_heading) }
            ol.lessons {
                @for lesson in &module.lessons {
                    @let version = lesson.versions.get(lang);
                    li {
                        a href=(lesson_url(lesson)) {
                            span.card-title { (version.title) }
                            span.meta { ((ui.minutes)(version.minutes)) }
                        }
                    }
                }
            }
            @if let Some(first) = module.lessons.first() {
                p { a.button href=(lesson_url(first)) { (ui.start) } }
            }
        },
    ))
}

async fn lesson(
    State(state): State<AppState>,
    lang: Lang,
    Path((module_id, slug)): Path<(String, String)>,
) -> Result<Markup, Error> {
    let module = state.catalogue.module(&module_id).ok_or(Error::NotFound)?;
    let lesson = module.lesson(&slug).ok_or(Error::NotFound)?;
    let ui = ui(lang);
    let (shown, version) = lesson.versions.pick(lang);
    let (previous, next) = state.catalogue.neighbours(&lesson.id);
    Ok(page(
        &state,
        lang,
        &version.title,
        html! {
            nav.crumbs {
                a href="/" { (ui.home) } " › "
                a href={ "/m/" (module.id) } { (module.text.get(lang).title) }
            }
            article lang=(shown.code()) {
                h1 { (version.title) }
                p.meta { ((ui.minutes)(version.minutes)) " · " ((ui.slides)(version.slides.len())) }
                @if shown != lang {
                    p.note lang=(lang.code()) { (ui.not_translated) }
                }
                section.objective {
                    h2 { (ui.objective) }
                    p { (version.objective) }
                }
                @for (i, slide) in version.slides.iter().enumerate() {
                    section.slide id={ "s" (i + 1) } { (PreEscaped(slide)) }
                }
            }
            nav.pager {
                @if let Some(previous) = previous {
                    a.prev href=(lesson_url(previous)) rel="prev" {
                        span.meta { "← " (ui.previous) }
                        span { (previous.versions.get(lang).title) }
                    }
                }
                @if let Some(next) = next {
                    a.next href=(lesson_url(next)) rel="next" {
                        span.meta { (ui.next) " →" }
                        span { (next.versions.get(lang).title) }
                    }
                } @else {
                    a.next href="/" { span { (ui.all_done) } }
                }
            }
        },
    ))
}

fn lesson_url(lesson: &Lesson) -> String {
    format!("/m/{}", lesson.id)
}
