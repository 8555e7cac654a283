//! `/f/bai-hoc`: lessons made in the commune. A facilitator writes a lesson or copies one the
//! box serves to adapt it, adds pictures from the phone's camera or gallery, writes its quiz,
//! sees it at phone size, publishes it to the commune's learners at once, and sends it to the
//! province ("Gửi lên tỉnh"). Every save runs the lessons' checker (`facilitate::authoring`)
//! and shows what it found beside the field it concerns; a lesson with a problem is never
//! published, and one in use is not changed into one with a problem.

use axum::Router;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use maud::{Markup, PreEscaped, html};
use serde::Deserialize;

use super::lesson_form::{self, Place};
use super::uploads::{Unkept, keep_picture};
use crate::content::{self, Lang, LessonParts, Source};
use crate::facilitate::authoring::{self, Finding, Findings, OWN_MODULE, OWN_MODULE_TITLE};
use crate::store::LocalLesson;
use crate::web::extract::Multiform;
use crate::web::i18n::{current, t, t_args, ui, v};
use crate::web::pages::layout::{Extras, csrf_field, facilitator_nav, page_with};
use crate::web::session::Facilitating;
use crate::web::{AppState, Error, UPLOAD_LIMIT, complete};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/f/bai-hoc", get(list))
        .route(
            "/f/bai-hoc/moi",
            get(new_page)
                .post(create)
                .layer(DefaultBodyLimit::max(UPLOAD_LIMIT)),
        )
        .route(
            "/f/bai-hoc/{module}/{slug}",
            get(edit_page)
                .post(save)
                .layer(DefaultBodyLimit::max(UPLOAD_LIMIT)),
        )
        .route("/f/bai-hoc/{module}/{slug}/xem", get(preview))
        .route("/f/bai-hoc/{module}/{slug}/dien-thoai", get(phone))
        .route("/f/bai-hoc/{module}/{slug}/gui", post(propose))
        .route("/f/bai-hoc/{module}/{slug}/xoa", post(remove))
}

fn frame(state: &AppState, title: &str, body: Markup) -> Markup {
    let extras = Extras {
        tools: true,
        ..Default::default()
    };
    page_with(state, current(), None, title, body, &extras)
}

/// Where a lesson of the commune stands, in a few words.
fn status(lesson: &LocalLesson) -> Markup {
    html! {
        @if lesson.published { strong { (t("own-in-use")) } } @else { (t("own-draft")) }
        @if let Some(at) = &lesson.proposed_at {
            " · " (t_args("own-proposed-at", [("at", v(crate::clock::format::when(at)))]))
        }
    }
}

fn title_of(file: &str) -> String {
    content::parse_lesson(file)
        .map(|p| p.title)
        .ok()
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| t("own-untitled").into())
}

async fn list(State(state): State<AppState>, f: Facilitating) -> Result<Markup, Error> {
    let lessons = state.store.local_lessons().await?;
    let reworded = state.store.local_scenarios().await?;
    let room = state.store.media_room().await?;
    let out = state.store.proposals_out().await?;
    let catalogue = state.catalogue.clone();
    let body = html! {
        (facilitator_nav(&f))
        h1 { (t("own-title")) }
        p { (t("own-lead")) }
        p { a.button href="/f/bai-hoc/moi" { (t("own-new")) } }
        form.stack method="get" action="/f/bai-hoc/moi" {
            label { (t("own-copy-label"))
                select name="tu" {
                    @for module in &catalogue.modules {
                        optgroup label=(module.text.get(Lang::Vi).title) {
                            @for lesson in &module.lessons {
                                option value=(lesson.id) { (lesson.heading(Lang::Vi).title) }
                            }
                        }
                    }
                }
            }
            button.button.quiet type="submit" { (t("own-copy")) }
        }
        h2 { (t("own-list")) }
        @if lessons.is_empty() {
            p { (t("own-none")) }
        } @else {
            table.list.stack {
                thead { tr { th { (t("own-lesson")) } th { (t("own-status")) } th { "" } } }
                tbody {
                    @for lesson in &lessons {
                        @let (module, slug) = lesson.id.split_once('/').unwrap_or_default();
                        tr {
                            td { a href={ "/f/bai-hoc/" (module) "/" (slug) } { (title_of(&lesson.file)) } }
                            td data-label=(t("own-status")) { (status(lesson)) }
                            td { a href={ "/f/bai-doc/" (module) "/" (slug) } { (t("own-record")) } }
                        }
                    }
                }
            }
        }
        (super::scenarios::section(&state, &reworded))
        h2 { (t("own-record")) }
        p { (t("own-record-lead")) " " a href="/f/bai-doc" { (t("own-record-choose")) } }
        p.meta {
            (t_args("own-room", [("used", v(room.used.div_ceil(1024 * 1024))), ("budget", v(room.budget / (1024 * 1024)))])) " "
            @if out.waiting > 0 { (t_args("own-waiting", [("n", v(out.waiting))])) }
        }
    };
    Ok(frame(&state, t("own-title"), body))
}

#[derive(Deserialize, Default)]
struct From {
    #[serde(default)]
    tu: Option<String>,
    #[serde(default)]
    luu: Option<String>,
}

/// The modules a lesson may join: the box's, and the commune's own.
fn modules(state: &AppState) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = state
        .catalogue
        .modules
        .iter()
        .map(|m| (m.id.clone(), m.text.get(Lang::Vi).title.clone()))
        .collect();
    if !out.iter().any(|(id, _)| id == OWN_MODULE) {
        out.push((OWN_MODULE.into(), OWN_MODULE_TITLE.into()));
    }
    out
}

fn editor(
    state: &AppState,
    f: &Facilitating,
    lesson: Option<&LocalLesson>,
    place: &Place<'_>,
    parts: &LessonParts,
    findings: &Findings,
    note: Option<&str>,
) -> Markup {
    let (heading, title) = match lesson {
        Some(_) => (
            t("own-edit"),
            t_args("own-edit-title", [("title", v(&parts.title))]),
        ),
        None => (t("own-new"), t("own-new").to_string()),
    };
    let body = html! {
        (facilitator_nav(f))
        nav.crumbs { a href="/f/bai-hoc" { (t("own-title")) } " › " (heading) }
        h1 { (heading) }
        @if let Some(note) = note { p.note role="status" { (note) } }
        @if let Some(lesson) = lesson {
            @let (module, slug) = lesson.id.split_once('/').unwrap_or_default();
            p { (status(lesson)) }
            p.actions {
                a.button.quiet href={ "/f/bai-hoc/" (module) "/" (slug) "/xem" } { (t("own-see-on-phone")) }
                a.button.quiet href={ "/f/bai-doc/" (module) "/" (slug) } { (t("own-record")) }
                @if lesson.published { a.button.quiet href={ "/m/" (module) "/" (slug) } { (t("own-open-as-learner")) } }
            }
        }
        @if !findings.problems.is_empty() {
            div.note.error role="alert" {
                p { (t_args("own-problems", [("n", v(findings.problems.len()))])) }
                ul { @for p in &findings.problems { li { (field_name(p)) (p.message) } } }
            }
        }
        @if !findings.warnings.is_empty() {
            div.note {
                p { (t("own-warnings")) }
                ul { @for p in &findings.warnings { li { (field_name(p)) (p.message) } } }
            }
        }
        (lesson_form::form(&f.csrf, place, parts, findings))
        @if let Some(lesson) = lesson {
            @let (module, slug) = lesson.id.split_once('/').unwrap_or_default();
            h2 { (t("own-propose-title")) }
            @if lesson.published && findings.problems.is_empty() {
                p { (t("own-propose-lead")) }
                form.inline method="post" action={ "/f/bai-hoc/" (module) "/" (slug) "/gui" } {
                    (csrf_field(&f.csrf))
                    button.button type="submit" { @if lesson.proposed_at.is_some() { (t("own-propose-again")) } @else { (t("own-propose")) } }
                }
            } @else {
                p.meta { (t("own-propose-first")) }
            }
            h2 { (t("own-delete-title")) }
            form.inline method="post" action={ "/f/bai-hoc/" (module) "/" (slug) "/xoa" } {
                (csrf_field(&f.csrf))
                button.button.quiet type="submit" { (t("own-delete")) }
            }
        }
    };
    frame(state, &title, body)
}

/// The editor of the commune's lesson `lesson`, showing `parts`.
fn existing_editor(
    state: &AppState,
    f: &Facilitating,
    lesson: &LocalLesson,
    parts: &LessonParts,
    findings: &Findings,
    note: Option<&str>,
) -> Markup {
    let (module, slug) = lesson.id.split_once('/').unwrap_or_default();
    let url = format!("/f/bai-hoc/{module}/{slug}");
    let modules = modules(state);
    let place = Place {
        id: Some(&lesson.id),
        module,
        slug,
        modules: &modules,
        action: &url,
        published: lesson.published,
    };
    editor(state, f, Some(lesson), &place, parts, findings, note)
}

/// "Trang 2: " before a finding about slide 2, and so on.
fn field_name(finding: &Finding) -> String {
    let Some(field) = &finding.field else {
        return String::new();
    };
    let named = match field.as_str() {
        "title" => t("own-field-title").to_string(),
        "objective" => t("own-field-objective").to_string(),
        "minutes" => t("own-field-minutes").to_string(),
        "slug" => t("own-field-slug").to_string(),
        other => match other.split_once(' ') {
            Some(("slide", n)) => t_args("own-field-slide", [("n", v(n))]),
            Some(("quiz", n)) => t_args("own-field-quiz", [("n", v(n))]),
            _ => return String::new(),
        },
    };
    format!("{named}: ")
}

async fn new_page(
    State(state): State<AppState>,
    f: Facilitating,
    Query(from): Query<From>,
) -> Result<Markup, Error> {
    let catalogue = state.catalogue.clone();
    let (parts, module) = match from.tu.as_deref().and_then(|id| catalogue.lesson(id)) {
        Some(lesson) => {
            let held = crate::sync::packs::held(&state.store).await?;
            let local = state.store.local_lesson(&lesson.id).await?;
            let found = match local {
                Some(l) => Some((l.file, format!("90-{}", lesson.module_id))),
                None => {
                    authoring::lesson_file(&lesson.id, &crate::protocol::wire::Pack::files(&held))
                }
            };
            let parts = found
                .and_then(|(text, folder)| {
                    Some(authoring::copy_of(
                        &content::parse_lesson(&text).ok()?,
                        &folder,
                    ))
                })
                .ok_or(Error::NotFound)?;
            (parts, lesson.module_id.clone())
        }
        None => (
            LessonParts {
                minutes: Some(5),
                ..LessonParts::default()
            },
            OWN_MODULE.to_string(),
        ),
    };
    let modules = modules(&state);
    let place = Place {
        id: None,
        module: &module,
        slug: "",
        modules: &modules,
        action: "/f/bai-hoc/moi",
        published: false,
    };
    Ok(editor(
        &state,
        &f,
        None,
        &place,
        &parts,
        &Findings::default(),
        None,
    ))
}

/// The pictures the form brought, each kept and shown at the end of its slide; a picture
/// refused is a finding about its slide.
async fn take_pictures(
    state: &AppState,
    form: &Multiform,
    keep: &LessonParts,
) -> Result<(LessonParts, Vec<Finding>), Error> {
    let (mut parts, pictures) = lesson_form::read(form, keep);
    let mut refused = Vec::new();
    for (slide, bytes, alt) in pictures {
        match keep_picture(state, bytes).await {
            Ok(name) => {
                let text = &mut parts.slides[slide];
                if !text.is_empty() {
                    text.push_str("\n\n");
                }
                text.push_str(&format!("![{alt}]({name})"));
            }
            Err(Unkept::Said(message)) => refused.push(Finding {
                field: Some(format!("slide {}", slide + 1)),
                message,
            }),
            Err(Unkept::Failed(e)) => return Err(e),
        }
    }
    Ok((parts, refused))
}

/// The checker's findings on `lesson` as it would be served, with `more` (refused
/// pictures, a name taken) added.
async fn findings(
    state: &AppState,
    lesson: &LocalLesson,
    more: Vec<Finding>,
) -> Result<Findings, Error> {
    let held = crate::sync::packs::held(&state.store).await?;
    let others = state.store.local_lessons().await?;
    let media = state.store.media_sizes().await?;
    let today = state.store.clock().now().date();
    let draft = lesson.clone();
    let mut found = tokio::task::spawn_blocking(move || {
        let held = crate::protocol::wire::Pack::files(&held);
        authoring::check(&draft, &held, &others, &media, today)
    })
    .await
    .map_err(|_| Error::Internal)?;
    found.problems.splice(0..0, more);
    Ok(found)
}

async fn create(
    State(state): State<AppState>,
    f: Facilitating,
    form: Multiform,
) -> Result<Response, Error> {
    let (parts, mut more) = take_pictures(&state, &form, &LessonParts::default()).await?;
    let modules = modules(&state);
    let module = Some(form.get("module"))
        .filter(|m| modules.iter().any(|(id, _)| id == m))
        .unwrap_or(OWN_MODULE)
        .to_string();
    let slug = match form.get("slug") {
        "" => authoring::slug_from(&parts.title),
        typed => typed.to_string(),
    };
    let id = format!("{module}/{slug}");
    if !authoring::is_slug(&slug) {
        more.push(Finding {
            field: Some("slug".into()),
            message: t("own-slug-invalid").into(),
        });
    } else if state.catalogue.lesson(&id).is_some()
        || state.store.local_lesson(&id).await?.is_some()
    {
        more.push(Finding {
            field: Some("slug".into()),
            message: t("own-slug-taken").into(),
        });
    }
    if !more.is_empty() {
        let shown = Place {
            id: None,
            module: &module,
            slug: &slug,
            modules: &modules,
            action: "/f/bai-hoc/moi",
            published: false,
        };
        let findings = Findings {
            problems: more,
            warnings: Vec::new(),
        };
        let page = editor(
            &state,
            &f,
            None,
            &shown,
            &parts,
            &findings,
            Some(t("own-not-saved")),
        );
        return Ok(complete(StatusCode::UNPROCESSABLE_ENTITY, page));
    }
    let module_title = (module == OWN_MODULE).then(|| OWN_MODULE_TITLE.to_string());
    let file = content::write_lesson(&parts);
    let lesson = LocalLesson {
        id: id.clone(),
        module_title,
        file,
        published: false,
        created_by: f.facilitator.id.clone(),
        created_at: state.store.now(),
        updated_at: state.store.now(),
        proposed_at: None,
    };
    store_and_show(
        &state,
        &f,
        lesson,
        parts,
        form.get("action") == "xuat-ban",
        false,
    )
    .await
}

/// Keeps `lesson` (from `parts`) as a draft, or published when asked and nothing is wrong;
/// a lesson in use (`in_use`) is kept only when nothing is wrong. Then the editor again.
async fn store_and_show(
    state: &AppState,
    f: &Facilitating,
    lesson: LocalLesson,
    parts: LessonParts,
    publish: bool,
    in_use: bool,
) -> Result<Response, Error> {
    let found = findings(state, &lesson, Vec::new()).await?;
    let (module, slug) = lesson.id.split_once('/').unwrap_or_default();
    let url = format!("/f/bai-hoc/{module}/{slug}");
    let clean = found.problems.is_empty();
    if in_use && !clean {
        let page = existing_editor(
            state,
            f,
            &lesson,
            &parts,
            &found,
            Some(t("own-not-saved-in-use")),
        );
        return Ok(complete(StatusCode::UNPROCESSABLE_ENTITY, page));
    }
    let published = clean && (publish || in_use);
    state
        .store
        .save_local_lesson(
            &lesson.id,
            lesson.module_title.clone(),
            lesson.file.clone(),
            published,
            &lesson.created_by,
        )
        .await?;
    // (`lesson.published` is how it stood before this save.)
    if published || lesson.published {
        state.reload_lessons().await?;
    }
    let said = match (publish, published) {
        (true, true) => "xuat-ban",
        (true, false) => "con-loi",
        _ => "luu",
    };
    Ok(Redirect::to(&format!("{url}?luu={said}")).into_response())
}

async fn local(state: &AppState, module: &str, slug: &str) -> Result<LocalLesson, Error> {
    state
        .store
        .local_lesson(&format!("{module}/{slug}"))
        .await?
        .ok_or(Error::NotFound)
}

async fn edit_page(
    State(state): State<AppState>,
    f: Facilitating,
    Path((module, slug)): Path<(String, String)>,
    Query(from): Query<From>,
) -> Result<Markup, Error> {
    let lesson = local(&state, &module, &slug).await?;
    let parts = content::parse_lesson(&lesson.file).unwrap_or_default();
    let found = findings(&state, &lesson, Vec::new()).await?;
    let note = match from.luu.as_deref() {
        Some("xuat-ban") => Some(t("own-saved-published")),
        Some("con-loi") => Some(t("own-saved-with-problems")),
        Some("luu") => Some(t("own-saved")),
        Some("gui") => Some(t("own-will-propose")),
        _ => None,
    };
    Ok(existing_editor(&state, &f, &lesson, &parts, &found, note))
}

async fn save(
    State(state): State<AppState>,
    f: Facilitating,
    Path((module, slug)): Path<(String, String)>,
    form: Multiform,
) -> Result<Response, Error> {
    let lesson = local(&state, &module, &slug).await?;
    let before = content::parse_lesson(&lesson.file).unwrap_or_default();
    let (parts, refused) = take_pictures(&state, &form, &before).await?;
    let action = form.get("action");
    let changed = LocalLesson {
        file: content::write_lesson(&parts),
        ..lesson.clone()
    };
    if !refused.is_empty() {
        let found = findings(&state, &changed, refused).await?;
        let page = existing_editor(
            &state,
            &f,
            &lesson,
            &parts,
            &found,
            Some(t("own-not-saved-pictures")),
        );
        return Ok(complete(StatusCode::UNPROCESSABLE_ENTITY, page));
    }
    let in_use = lesson.published && action != "nhap";
    store_and_show(&state, &f, changed, parts, action == "xuat-ban", in_use).await
}

async fn preview(
    State(state): State<AppState>,
    f: Facilitating,
    Path((module, slug)): Path<(String, String)>,
) -> Result<Markup, Error> {
    let lesson = local(&state, &module, &slug).await?;
    let body = html! {
        (facilitator_nav(&f))
        nav.crumbs { a href="/f/bai-hoc" { (t("own-title")) } " › " a href={ "/f/bai-hoc/" (module) "/" (slug) } { (t("own-edit")) } " › " (t("own-preview")) }
        h1 { (t_args("own-preview-heading", [("title", v(title_of(&lesson.file)))])) }
        p.meta { (t("own-preview-width")) }
        iframe.phone-preview src={ "/f/bai-hoc/" (module) "/" (slug) "/dien-thoai" } width="360" height="640" title=(t("own-preview-frame")) {}
    };
    Ok(frame(&state, t("own-preview"), body))
}

/// The lesson as a phone shows it, built from its text now (a draft too), with its quiz's
/// questions and the right answers marked for the facilitator.
async fn phone(
    State(state): State<AppState>,
    _f: Facilitating,
    Path((module, slug)): Path<(String, String)>,
) -> Result<Markup, Error> {
    let lesson = local(&state, &module, &slug).await?;
    let held = crate::sync::packs::held(&state.store).await?;
    let media = state.store.media_sizes().await?;
    let assets = state.assets.clone();
    let id = lesson.id.clone();
    let built = tokio::task::spawn_blocking(move || {
        let files = authoring::local_files(
            &[LocalLesson {
                published: true,
                ..lesson
            }],
            &[],
            &[],
        );
        let mut packs = crate::protocol::wire::Pack::files(&held);
        packs.push((content::LOCAL, &files));
        let (catalogue, _) = content::catalogue_from(&packs, &media, &|n| assets.url(n));
        catalogue
            .lesson(&id)
            .filter(|l| l.source == Source::Local)
            .cloned()
    })
    .await
    .map_err(|_| Error::Internal)?;
    let Some(built) = built else {
        let body = html! { p.note.error { (t("own-phone-unreadable")) } };
        return Ok(crate::web::pages::layout::page(
            &state,
            current(),
            None,
            t("own-preview"),
            body,
        ));
    };
    let heading = built.heading(Lang::Vi);
    let version = built.versions.get(Lang::Vi);
    let body = html! {
        article {
            h1 { (heading.title) }
            p.meta { (t_args("own-phone-meta", [("minutes", v(version.minutes))])) }
            section.objective { h2 { (ui(current()).objective()) } p { (heading.objective) } }
            div.lesson-text lang="vi" {
                @for (i, slide) in version.slides.iter().enumerate() {
                    section.slide id={ "s" (i + 1) } { (PreEscaped(slide)) }
                }
            }
            h2 { (t("own-questions")) }
            ol {
                @for q in &version.quiz {
                    li {
                        p { (q.question) }
                        ul { @for (i, c) in q.choices.iter().enumerate() { li { (c) @if i == q.answer { " ✓" } } } }
                        p.meta { (q.explain) }
                    }
                }
            }
        }
    };
    Ok(crate::web::pages::layout::page(
        &state,
        current(),
        None,
        &heading.title,
        body,
    ))
}

async fn propose(
    State(state): State<AppState>,
    f: Facilitating,
    Path((module, slug)): Path<(String, String)>,
) -> Result<Response, Error> {
    let lesson = local(&state, &module, &slug).await?;
    let found = findings(&state, &lesson, Vec::new()).await?;
    if !lesson.published || !found.problems.is_empty() {
        return Ok(
            Redirect::to(&format!("/f/bai-hoc/{module}/{slug}?luu=con-loi")).into_response(),
        );
    }
    match crate::sync::proposals::propose_lesson(&state.store, &lesson, &f.facilitator.name).await {
        Ok(_) => {
            state.sync_now.notify_one();
            Ok(Redirect::to(&format!("/f/bai-hoc/{module}/{slug}?luu=gui")).into_response())
        }
        Err(crate::sync::proposals::NotProposed::Store(e)) => Err(e.into()),
        Err(e) => Err(Error::Rejected {
            code: "missing_media",
            detail: e.plain(),
        }),
    }
}

async fn remove(
    State(state): State<AppState>,
    _f: Facilitating,
    Path((module, slug)): Path<(String, String)>,
) -> Result<Response, Error> {
    let lesson = local(&state, &module, &slug).await?;
    state.store.delete_local_lesson(&lesson.id).await?;
    if lesson.published {
        state.reload_lessons().await?;
    }
    Ok(Redirect::to("/f/bai-hoc").into_response())
}
