//! `/hub/de-xuat`: what communes propose, for officers of their province: the list, one
//! proposal (a lesson's text as learners would read it, and its phone-size preview at
//! `/hub/de-xuat/{id}/xem`; a reading's recording and the lesson it reads), its pictures and
//! recordings (`/hub/de-xuat/media/{name}`, and `/media/{name}` where the lessons the hub
//! serves name them), and the officer's decision: publish it to every
//! commune as a pack of its own, or decline it.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use maud::{Markup, PreEscaped, html};
use serde::Deserialize;

use super::pages::nav;
use crate::clock::format;
use crate::content::{Catalogue, Lang, Problem};
use crate::hub::proposals::{self as proposing, AdoptRefused};
use crate::protocol::proposal::{Proposed, media_kind};
use crate::store::{HubProposal, ProposalDecision, ProposalStatus, Scope};
use crate::web::csrf::CsrfToken;
use crate::web::extract::AppForm;
use crate::web::i18n::{t, t_args, v};
use crate::web::pages::layout::{self, csrf_field, errors, tools_page};
use crate::web::session::Facilitating;
use crate::web::{AppState, Error, complete, media};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/hub/de-xuat", get(list))
        .route("/hub/de-xuat/media/{name}", get(media_file))
        // Where the lessons the hub serves show pictures of adopted proposals (the officer's
        // presenter): the same files.
        .route("/media/{name}", get(media_file))
        .route("/hub/de-xuat/{id}", get(detail))
        .route("/hub/de-xuat/{id}/xem", get(preview))
        .route("/hub/de-xuat/{id}/xuat-ban", post(adopt))
        .route("/hub/de-xuat/{id}/khong-nhan", post(decline))
}

fn scope_of(f: &Facilitating) -> Scope {
    Scope::of(f.facilitator.province.as_deref())
}

/// The URL a proposal's picture or recording is served at.
fn media_url(name: &str) -> String {
    format!("/hub/de-xuat/media/{name}")
}

/// How the pages name what a proposal offers.
fn kind(p: &HubProposal) -> String {
    match &p.proposal.what {
        Proposed::Lesson { .. } => t("proposal-kind-lesson").into(),
        Proposed::Reading { lang_name, .. } => {
            t_args("proposal-kind-reading", [("lang", v(lang_name.as_str()))])
        }
    }
}

/// The title of the lesson a proposal is (its own front matter) or reads (as served).
fn title(p: &HubProposal, catalogue: &Catalogue) -> String {
    match &p.proposal.what {
        Proposed::Lesson {
            file, lesson_id, ..
        } => proposing::lesson_title(file).unwrap_or_else(|| lesson_id.clone()),
        Proposed::Reading { lesson_id, .. } => catalogue
            .lesson(lesson_id)
            .map(|l| l.heading(Lang::Vi).title.clone())
            .unwrap_or_else(|| lesson_id.clone()),
    }
}

fn status_words(p: &HubProposal) -> Markup {
    html! {
        @match p.status {
            ProposalStatus::New => strong { (t("proposal-new")) },
            ProposalStatus::Adopted => { "✓ " (t("proposal-adopted")) @if let Some(pack) = &p.pack { " (" code { (pack) } ")" } },
            ProposalStatus::Declined => (t("proposal-declined")),
        }
    }
}

#[derive(Deserialize)]
struct Filter {
    #[serde(rename = "trang-thai", default)]
    status: String,
}

/// The filter's words in the address, its name's message, and the status it stands for.
const FILTERS: [(&str, &str, Option<ProposalStatus>); 4] = [
    ("", "proposals-all", None),
    ("moi", "proposal-new", Some(ProposalStatus::New)),
    (
        "da-xuat-ban",
        "proposal-adopted",
        Some(ProposalStatus::Adopted),
    ),
    (
        "khong-nhan",
        "proposal-declined",
        Some(ProposalStatus::Declined),
    ),
];

async fn list(
    State(state): State<AppState>,
    f: Facilitating,
    Query(filter): Query<Filter>,
) -> Result<Markup, Error> {
    let (chosen, status) = FILTERS
        .iter()
        .find(|(key, _, _)| *key == filter.status)
        .map(|(key, _, status)| (*key, *status))
        .unwrap_or(("", None));
    let list = state.hub().proposals(&scope_of(&f), status).await?;
    Ok(tools_page(
        &state,
        t("proposals-title"),
        html! {
            (nav(&f))
            h1 { (t("proposals-title")) }
            p.lead { (t("proposals-lead")) }
            p.actions {
                @for (key, words, _) in FILTERS {
                    @let href = if key.is_empty() { "/hub/de-xuat".to_string() } else { format!("/hub/de-xuat?trang-thai={key}") };
                    @if key == chosen { strong aria-current="page" { (t(words)) } } @else { a href=(href) { (t(words)) } }
                    " "
                }
            }
            @if list.is_empty() {
                p { (t("proposals-none")) }
            } @else {
                table.report.list.stack {
                    thead { tr { th { (t("proposals-commune")) } th { (t("proposals-kind")) } th { (t("proposals-lesson")) } th { (t("proposals-by")) } th { (t("proposals-when")) } th { (t("proposals-status")) } } }
                    tbody {
                        @for p in &list {
                            tr {
                                td { (p.proposal.commune) }
                                td data-label=(t("proposals-kind")) { (kind(p)) }
                                td data-label=(t("proposals-lesson")) { a href={ "/hub/de-xuat/" (p.proposal.id) } { (title(p, &state.catalogue)) } }
                                td data-label=(t("proposals-by")) { (p.proposal.by) }
                                td data-label=(t("proposals-when")) { (format::when(&p.received_at)) }
                                td data-label=(t("proposals-status")) { (status_words(p)) }
                            }
                        }
                    }
                }
            }
        },
    ))
}

/// Proposal `id` as this officer may see it; 404 for one of another province.
async fn kept(state: &AppState, f: &Facilitating, id: &str) -> Result<HubProposal, Error> {
    state
        .hub()
        .proposal(&scope_of(f), id)
        .await?
        .ok_or(Error::NotFound)
}

/// The URL of a served asset or of one of the proposal's media files.
fn asset_url(state: &AppState) -> impl Fn(&str) -> String + '_ {
    move |name: &str| match media_kind(name) {
        Some(_) => media_url(name),
        None => state.assets.url(name),
    }
}

/// A proposed lesson loaded as learners would have it: the catalogue, its id and the
/// loader's problems with it.
async fn loaded(
    state: &AppState,
    p: &HubProposal,
) -> Result<Option<(Catalogue, String, Vec<Problem>)>, Error> {
    let published = crate::hub::published(state.hub()).await?;
    let url = asset_url(state);
    Ok(proposing::preview(p, &state.catalogue, &published, &url))
}

/// A lesson's slides and quiz as the phone shows them; with `answers` (for the officer's
/// page, whose heading names the lesson), each question's right choice and explanation too.
fn lesson_body(catalogue: &Catalogue, id: &str, answers: bool) -> Markup {
    let Some(lesson) = catalogue.lesson(id) else {
        return html! {};
    };
    let version = lesson.versions.get(Lang::Vi);
    let heading = lesson.heading(Lang::Vi);
    html! {
        // The officer's page names the lesson in its own heading already.
        @if !answers { h1 { (heading.title) } }
        p.lead { (heading.objective) }
        div.lesson-text lang="vi" {
            @for (i, slide) in version.slides.iter().enumerate() {
                section.slide id={ "s" (i + 1) } { (PreEscaped(slide)) }
            }
        }
        @if !version.quiz.is_empty() {
            section {
                h2 { (t("proposal-quiz")) }
                ol {
                    @for q in &version.quiz {
                        li {
                            p { strong { (q.question) } }
                            ol type="A" {
                                @for (i, choice) in q.choices.iter().enumerate() {
                                    @if answers && i == q.answer { li { strong { (choice) " ✓" } } } @else { li { (choice) } }
                                }
                            }
                            @if answers { p.meta { (q.explain) } }
                        }
                    }
                }
            }
        }
    }
}

fn problems_list(problems: &[Problem]) -> Markup {
    html! {
        @if !problems.is_empty() {
            div.note.error role="alert" {
                p { "⚠ " (t("proposal-problems")) }
                ul { @for p in problems { li { (p.to_string()) } } }
            }
        }
    }
}

async fn detail(
    State(state): State<AppState>,
    f: Facilitating,
    Path(id): Path<String>,
) -> Result<Markup, Error> {
    let p = kept(&state, &f, &id).await?;
    detail_page(&state, &f, &p, &[], None).await
}

/// One proposal: who sent it and when, what it offers, and the decision (or the forms to
/// take it). `problems` are the officer's last try's, `slug` the short name they typed.
async fn detail_page(
    state: &AppState,
    f: &Facilitating,
    p: &HubProposal,
    problems: &[&str],
    slug: Option<&str>,
) -> Result<Markup, Error> {
    let id = &p.proposal.id;
    let what = match &p.proposal.what {
        Proposed::Lesson { .. } => {
            let (catalogue, lesson_id, lesson_problems) =
                loaded(state, p).await?.ok_or(Error::Internal)?;
            html! {
                (problems_list(&lesson_problems))
                h2 { (t("proposal-phone")) }
                iframe.phone src={ "/hub/de-xuat/" (id) "/xem" } title=(t("proposal-phone-frame")) width="360" height="640" style="max-width:100%;border:1px solid #888" {}
                h2 { (t("proposal-text")) }
                article { (lesson_body(&catalogue, &lesson_id, true)) }
            }
        }
        Proposed::Reading {
            lesson_id,
            slide,
            lang_name,
            audio,
            seconds,
            ..
        } => html! {
            p {
                span #recording { (t("proposal-recording")) }
                audio controls preload="none" src=(media_url(audio)) aria-labelledby="recording" {}
            }
            dl {
                dt { (t("proposal-read-lesson")) }
                dd {
                    @if state.catalogue.lesson(lesson_id).is_some() {
                        a href={ "/hub/de-xuat/" (id) "/xem" } { (title(p, &state.catalogue)) }
                    } @else {
                        (lesson_id) " (" (t("proposal-lesson-missing")) ")"
                    }
                }
                dt { (t("proposal-language")) } dd { (lang_name) }
                dt { (t("proposal-part")) } dd { @match slide { Some(n) => (t_args("proposal-slide", [("n", v(*n))])), None => (t("proposal-whole")) } }
                dt { (t("proposal-length")) } dd { (t_args("proposal-minutes", [("m", v(seconds / 60)), ("s", v(seconds % 60))])) }
            }
        },
    };
    let proposed = proposing::proposed_slug(&p.proposal);
    Ok(tools_page(
        state,
        t("proposals-title"),
        html! {
            (nav(f))
            p { a href="/hub/de-xuat" { "← " (t("proposals-title")) } }
            h1 { (kind(p)) ": " (title(p, &state.catalogue)) }
            p.meta {
                (t_args("proposal-sent", [("commune", v(p.proposal.commune.as_str())), ("by", v(p.proposal.by.as_str())), ("when", v(format::when(&p.received_at)))]))
                " · " (status_words(p))
            }
            @if let (Some(by), Some(at)) = (&p.decided_by, &p.decided_at) {
                p.meta { (t_args("proposal-decided", [("by", v(by.as_str())), ("when", v(format::when(at)))])) }
            }
            (errors(problems))
            (what)
            @if p.status == ProposalStatus::New {
                h2 { (t("proposal-decide")) }
                form.stack method="post" action={ "/hub/de-xuat/" (id) "/xuat-ban" } {
                    (csrf_field(&f.csrf))
                    @if matches!(p.proposal.what, Proposed::Lesson { .. }) {
                        label {
                            (t("proposal-slug"))
                            input type="text" name="slug" required maxlength="80" pattern="[a-z0-9-]+" value=(slug.unwrap_or(proposed));
                        }
                    }
                    p { (t_args("proposal-adopt-note", [("credit", v(proposing::credit(&p.proposal.commune)))])) }
                    button.button type="submit" { (t("proposal-adopt")) }
                }
                form method="post" action={ "/hub/de-xuat/" (id) "/khong-nhan" } {
                    (csrf_field(&f.csrf))
                    button.button.quiet type="submit" { (t("proposal-decline")) }
                }
            }
        },
    ))
}

/// The phone-size preview: the lesson (a proposed one, or the one a reading reads, with its
/// recording) in the learners' frame and style sheet.
async fn preview(
    State(state): State<AppState>,
    f: Facilitating,
    Path(id): Path<String>,
) -> Result<Markup, Error> {
    let p = kept(&state, &f, &id).await?;
    let body = match &p.proposal.what {
        Proposed::Lesson { .. } => {
            let (catalogue, lesson_id, _) = loaded(&state, &p).await?.ok_or(Error::Internal)?;
            lesson_body(&catalogue, &lesson_id, false)
        }
        Proposed::Reading {
            lesson_id, audio, ..
        } => html! {
            p { audio controls preload="none" src=(media_url(audio)) aria-label=(t("proposal-recording")) {} }
            (lesson_body(&state.catalogue, lesson_id, false))
        },
    };
    Ok(layout::page(
        &state,
        Lang::Vi,
        None,
        &title(&p, &state.catalogue),
        body,
    ))
}

/// A proposal's picture or recording, in pieces when asked; only of a proposal this officer
/// sees.
async fn media_file(
    State(state): State<AppState>,
    f: Facilitating,
    Path(name): Path<String>,
    headers: HeaderMap,
) -> Result<Response, Error> {
    if media_kind(&name).is_none() {
        return Err(Error::NotFound);
    }
    let (mime, bytes) = state
        .hub()
        .proposal_media(&scope_of(&f), &name)
        .await?
        .ok_or(Error::NotFound)?;
    Ok(media::answer(&name, bytes, &mime, &headers))
}

#[derive(Deserialize)]
struct AdoptFields {
    #[serde(default)]
    slug: Option<String>,
}

/// "Xuất bản cho mọi xã": the proposal as a pack of its own, served at once; its page again
/// with what is wrong when it cannot be.
async fn adopt(
    State(state): State<AppState>,
    f: Facilitating,
    _csrf: CsrfToken,
    Path(id): Path<String>,
    AppForm(fields): AppForm<AdoptFields>,
) -> Result<Response, Error> {
    let p = kept(&state, &f, &id).await?;
    let slug = fields.slug.as_deref().map(str::trim);
    let adopted = proposing::adopt(
        state.hub(),
        &state.catalogue,
        &scope_of(&f),
        &id,
        slug,
        &f.facilitator.name,
    )
    .await;
    let problem = match adopted {
        Ok(pack) => {
            tracing::info!(%id, %pack, officer = %f.facilitator.name, "a proposal adopted");
            state.reload_lessons().await?;
            return Ok(Redirect::to(&format!("/hub/de-xuat/{id}")).into_response());
        }
        Err(AdoptRefused::Store(e)) => return Err(e.into()),
        Err(AdoptRefused::Decided) => t("proposal-decided-already").to_string(),
        Err(AdoptRefused::BadSlug(_)) => t("proposal-bad-slug").to_string(),
        Err(AdoptRefused::SlugTaken(taken)) => {
            t_args("proposal-slug-taken", [("lesson", v(taken))])
        }
        Err(AdoptRefused::UnknownLesson(lesson)) => {
            t_args("proposal-unknown-lesson", [("lesson", v(lesson))])
        }
        Err(AdoptRefused::MissingMedia(name)) => {
            t_args("proposal-missing-media", [("name", v(name))])
        }
        Err(AdoptRefused::Problems(problems)) => {
            tracing::warn!(%id, "an adopted proposal's pack has problems: {problems:?}");
            let first = problems
                .first()
                .map(ToString::to_string)
                .unwrap_or_default();
            t_args(
                "proposal-not-published",
                [("n", v(problems.len())), ("first", v(first))],
            )
        }
    };
    let status = match p.status {
        ProposalStatus::New => StatusCode::BAD_REQUEST,
        _ => StatusCode::CONFLICT,
    };
    let p = kept(&state, &f, &id).await?;
    Ok(complete(
        status,
        detail_page(&state, &f, &p, &[&problem], slug).await?,
    ))
}

/// "Không nhận": the proposal declined, by this officer, now.
async fn decline(
    State(state): State<AppState>,
    f: Facilitating,
    _csrf: CsrfToken,
    Path(id): Path<String>,
) -> Result<Response, Error> {
    let p = kept(&state, &f, &id).await?;
    let decided = state
        .hub()
        .decide_proposal(&id, ProposalDecision::Decline, &f.facilitator.name)
        .await?;
    if !decided {
        return Ok(complete(
            StatusCode::CONFLICT,
            detail_page(&state, &f, &p, &[t("proposal-decided-already")], None).await?,
        ));
    }
    Ok(Redirect::to(&format!("/hub/de-xuat/{id}")).into_response())
}
