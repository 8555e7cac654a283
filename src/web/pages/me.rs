//! The learner's own page (`/me`): what to do next, handing the phone on, each module's
//! progress with its lessons and practice, the way to "Thông tin của tôi" (`pages::rights`); and the certificate of a finished module
//! (`/me/certificate/{module}`), drawn by `certificate_article` as the facilitator prints it.

use axum::Router;
use axum::extract::{Path, State};
use axum::routing::get;
use maud::{Markup, html};

use super::layout::page;
use super::{lesson_url, overview};
use crate::clock::format::day;
use crate::store::Learner;
use crate::web::i18n::{Ui, ui};
use crate::web::session::SignedIn;
use crate::web::{AppState, Error};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/me", get(me))
        .route("/me/certificate/{module}", get(certificate))
}

/// The learner's own page: what to do next, handing the phone on, then each module's progress
/// and certificate, its lessons and practice folded (open where the learner is at work).
async fn me(State(state): State<AppState>, signed_in: SignedIn) -> Result<Markup, Error> {
    let lang = signed_in.lang;
    let ui = ui(lang);
    let learner = &signed_in.learner;
    let overview = overview(&state, learner).await?;
    Ok(page(
        &state,
        lang,
        Some(learner),
        ui.me_title(),
        html! {
            div.me-head {
                div {
                    h1 { (learner.display_name) }
                    p.meta { (learner.village) }
                }
                // Handing the phone on is near the top, not after every module.
                form.switch method="post" action="/signout" {
                    button.button.quiet type="submit" { (ui.switch_learner()) }
                }
            }
            // What to do next first: the next lesson, or the next practice.
            @let next = overview.next.as_deref().and_then(|id| state.catalogue.lesson(id));
            @let practice = overview.next_practice.as_deref().and_then(|id| state.catalogue.practice(id));
            @if let Some(next) = next {
                p { a.button.next-up href=(lesson_url(next)) { span { (ui.continue_learning()) } " " span.next-title { (next.heading(lang).title) } } }
            }
            @if let Some(practice) = practice {
                p { a.button .quiet[next.is_some()] href=(super::practice::practice_url(practice)) { (ui.practice.heading()) ": " (practice.versions.pick(lang).1.title) } }
            }
            @if next.is_none() && practice.is_none() {
                p.note { (ui.all_finished()) }
            }
            // Each module: its progress at a glance, its lessons and practice folded away
            // (open where the learner is at work).
            @for module in &state.catalogue.modules {
                @let progress = overview.module(&module.id);
                section.module-progress {
                    h2 { a href={ "/m/" (module.id) } { (module.text.get(lang).title) } }
                    @if let Some(progress) = progress {
                        p.meta { (ui.lessons_done(progress.complete, progress.total)) }
                        progress max=(progress.total) value=(progress.complete) { (progress.percent()) "%" }
                        @if let Some(on) = &progress.finished_on {
                            p.finished {
                                span.tick { "✓ " } (ui.module_finished_on(&day(on)))
                            }
                            p { a.button href={ "/me/certificate/" (module.id) } { (ui.certificate()) } }
                        }
                    }
                    @let started = module.lessons.iter().any(|l| overview.lesson(&l.id).opened)
                        || module.practice.iter().any(|p| overview.practice(&p.id).is_some());
                    @let at_work = started && progress.is_some_and(|p| p.finished_on.is_none());
                    details.module-details open[at_work] {
                    summary { (ui.lessons_heading()) @if !module.practice.is_empty() { " · " (ui.practice.heading()) } }
                    ul.states {
                        @for lesson in &module.lessons {
                            @let here = overview.lesson(&lesson.id);
                            li .done[here.complete()] {
                                a href=(lesson_url(lesson)) { (lesson.heading(lang).title) }
                                " "
                                span.meta {
                                    @if here.complete() { "✓ " (ui.done()) }
                                    @else if here.finished_at.is_some() { (ui.quiz_to_pass()) }
                                    @else if here.opened { (ui.opened()) }
                                    @else { (ui.not_started()) }
                                    @if let Some(score) = &here.quiz {
                                        " · " (ui.best_score(score.best, score.total))
                                    }
                                }
                            }
                        }
                    }
                    @if !module.practice.is_empty() {
                        h3 { (ui.practice.heading()) }
                        @if let Some(progress) = progress {
                            p.meta { (ui.practice.done_count(progress.practised, progress.practices)) }
                        }
                        ul.states {
                            @for practice in &module.practice {
                                @let kept = overview.practice(&practice.id);
                                @let done = overview.practice_done(&practice.id);
                                li .done[done] {
                                    a href=(super::practice::practice_url(practice)) { (practice.versions.pick(lang).1.title) }
                                    " "
                                    span.meta {
                                        @if done { "✓ " (ui.practice.done()) }
                                        @else if kept.is_some() { (ui.opened()) }
                                        @else { (ui.not_started()) }
                                    }
                                }
                            }
                        }
                    }
                    }
                }
            }
            // What the box holds about the learner: to see, download, correct or erase.
            p.my-data { a.button.quiet href="/me/thong-tin" { (ui.t("my-data")) " →" } }
        },
    ))
}

/// A printable certificate, only for a module the learner has finished.
async fn certificate(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(module_id): Path<String>,
) -> Result<Markup, Error> {
    let module = state.catalogue.module(&module_id).ok_or(Error::NotFound)?;
    let learner = &signed_in.learner;
    let overview = overview(&state, learner).await?;
    let finished_on = overview
        .module(&module.id)
        .and_then(|m| m.finished_on.clone())
        .ok_or(Error::NotFound)?;
    let commune = state.store.setting("commune_name").await?;
    let lang = signed_in.lang;
    let ui = ui(lang);
    let title = &module.text.get(lang).title;
    Ok(page(
        &state,
        lang,
        Some(learner),
        ui.certificate(),
        html! {
            nav.crumbs { a href="/me" { "← " (ui.me_title()) } }
            (certificate_article(ui, learner, title, module.lessons.len(), commune.as_deref(), &finished_on))
            p.meta.no-print { (ui.print_hint()) }
        },
    ))
}

/// One certificate: `learner` finished the module `title` (of `lessons` lessons) on
/// `finished_on`, in `commune`. Headed as Vietnamese certificates are: the commune's People's
/// Committee on the left (the movement, when the box has no commune name), the country's name
/// and motto on the right; the place before the date is a dotted line to fill in then.
pub(super) fn certificate_article(
    ui: &Ui,
    learner: &Learner,
    title: &str,
    lessons: usize,
    commune: Option<&str>,
    finished_on: &str,
) -> Markup {
    let commune = commune.filter(|c| !c.trim().is_empty());
    html! {
        article.certificate {
            div.cert-head {
                p.committee {
                    @match commune {
                        Some(commune) => {
                            @let (kind, name) = crate::text::commune_parts(commune);
                            (ui.commune_committee(kind, name))
                        }
                        None => (ui.movement()),
                    }
                }
                p.nation { (ui.nation()) br; span.motto { (ui.motto()) } }
            }
            @if commune.is_some() { p.issuer { (ui.movement()) } }
            h1 { (ui.certificate_heading()) }
            p { (ui.certifies_that()) }
            p.name { (learner.display_name) }
            p { (ui.village_label()) ": " strong { (learner.village) } }
            p { (ui.has_finished()) }
            p.module { (title) }
            p { (ui.lessons_count_done(lessons)) }
            div.cert-foot {
                p.date {
                    @match commune {
                        Some(commune) => { (commune) ", " }
                        None => { span.blank { "……………………" } ", " }
                    }
                    (ui.on_date(&day(finished_on)))
                }
                p.sign { (ui.facilitator_signs()) }
            }
        }
    }
}
