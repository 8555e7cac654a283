//! `/f/thuc-hanh`: practice scenarios reworded in the commune. A facilitator copies one of
//! the box's scenarios and changes its words only (one field a text, each labelled by where
//! it sits); its steps, choices and ends stay as they were (`facilitate::authoring::
//! scenarios`). Every save runs the checker and shows what it found beside the field; a
//! scenario with a problem is never published, and one in use is not changed into one with a
//! problem. The list lives on `/f/bai-hoc` (`section`).

use std::collections::BTreeMap;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use maud::{Markup, html};
use serde::Deserialize;

use crate::content::Lang;
use crate::facilitate::authoring::scenarios::{self, Place, Text};
use crate::facilitate::authoring::{Finding, Findings};
use crate::store::LocalScenario;
use crate::web::extract::AppForm;
use crate::web::i18n::{current, t, t_args, v};
use crate::web::pages::layout::{Extras, csrf_field, facilitator_nav, page_with};
use crate::web::session::Facilitating;
use crate::web::{AppState, Error, complete};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/f/thuc-hanh/moi", get(new_page).post(create))
        .route("/f/thuc-hanh/{module}/{slug}", get(edit_page).post(save))
        .route("/f/thuc-hanh/{module}/{slug}/xoa", post(remove))
}

fn frame(state: &AppState, title: &str, body: Markup) -> Markup {
    let extras = Extras {
        tools: true,
        ..Default::default()
    };
    page_with(state, current(), None, title, body, &extras)
}

fn title_of(file: &str) -> String {
    scenarios::texts(file)
        .and_then(|texts| texts.into_iter().find(|t| t.name == "title"))
        .map(|t| t.value)
        .filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| t("own-untitled").into())
}

fn status(scenario: &LocalScenario) -> Markup {
    html! {
        @if scenario.published { strong { (t("own-in-use")) } } @else { (t("own-draft")) }
    }
}

/// The part of `/f/bai-hoc` about scenarios: the commune's, and a copy of one of the box's.
pub(super) fn section(state: &AppState, reworded: &[LocalScenario]) -> Markup {
    let catalogue = state.catalogue.clone();
    html! {
        h2 { (t("scen-title")) }
        p { (t("scen-lead")) }
        form.stack method="get" action="/f/thuc-hanh/moi" {
            label { (t("scen-copy-label"))
                select name="tu" {
                    @for module in catalogue.modules.iter().filter(|m| !m.practice.is_empty()) {
                        optgroup label=(module.text.get(Lang::Vi).title) {
                            @for practice in &module.practice {
                                option value=(practice.id) { (practice.versions.get(Lang::Vi).title) }
                            }
                        }
                    }
                }
            }
            button.button.quiet type="submit" { (t("scen-copy")) }
        }
        @if reworded.is_empty() {
            p { (t("scen-none")) }
        } @else {
            table.list.stack {
                thead { tr { th { (t("scen-scenario")) } th { (t("own-status")) } } }
                tbody {
                    @for s in reworded {
                        tr {
                            td { a href={ "/f/thuc-hanh/" (s.id) } { (title_of(&s.file)) } }
                            td data-label=(t("own-status")) { (status(s)) }
                        }
                    }
                }
            }
        }
    }
}

/// "Bước 2 · Lựa chọn 1" for a group of texts.
fn group_label(place: &Place) -> Vec<String> {
    let mut parts = Vec::new();
    if let Some(s) = place.step {
        parts.push(t_args("scen-step", [("n", v(s + 1))]));
    }
    if let Some(c) = place.choice {
        parts.push(t_args("scen-choice", [("n", v(c + 1))]));
    }
    if let Some(e) = place.end {
        parts.push(t_args("scen-end", [("n", v(e + 1))]));
    }
    if place.input {
        parts.push(t("scen-input").to_string());
    }
    parts
}

/// "Bước 2 · Lời người gọi", "Bước 2 · Lựa chọn 1 · Phản hồi": where a text sits.
fn label(place: &Place) -> String {
    let mut parts = group_label(place);
    let key = match place.key.as_str() {
        "title" => t("scen-key-title"),
        "intro" => t("scen-key-intro"),
        "from" => t("scen-key-from"),
        "message" => t("scen-key-message"),
        "caller" => t("scen-key-caller"),
        "says" => t("scen-key-says"),
        "form" => t("scen-key-form"),
        "shop" => t("scen-key-shop"),
        "account" => t("scen-key-account"),
        "amount" => t("scen-key-amount"),
        "asked" => t("scen-key-asked"),
        "reply" => t("scen-key-reply"),
        "screen" => t("scen-key-screen"),
        "ask" => t("scen-key-ask"),
        "feedback" => t("scen-key-feedback"),
        "label" => t("scen-key-label"),
        "expect" => t("scen-key-expect"),
        "error" => t("scen-key-error"),
        "text" if place.end.is_some() => t("scen-key-end-text"),
        "text" => t("scen-key-choice-text"),
        "items" => "",
        other => other,
    };
    match place.item {
        Some(i) => parts.push(t_args("scen-item", [("n", v(i + 1))])),
        None => parts.push(key.to_string()),
    }
    parts.join(" · ")
}

/// What a finding's field is called: a text's label, or its group's.
fn field_label(texts: &[Text], finding: &Finding) -> String {
    let Some(field) = &finding.field else {
        return String::new();
    };
    if let Some(text) = texts.iter().find(|t| &t.name == field) {
        return format!("{}: ", label(&text.place));
    }
    match texts.iter().find(|t| &t.place.group() == field) {
        Some(text) if !field.is_empty() => format!("{}: ", group_label(&text.place).join(" · ")),
        _ => String::new(),
    }
}

struct Shown<'a> {
    /// The scenario when it is saved; `None` for a new copy.
    saved: Option<&'a LocalScenario>,
    /// The scenario it copies (`module/slug`), for a new copy.
    from: &'a str,
    texts: &'a [Text],
    findings: &'a Findings,
    note: Option<&'a str>,
}

fn editor(state: &AppState, f: &Facilitating, shown: &Shown<'_>) -> Markup {
    let title = shown
        .texts
        .iter()
        .find(|t| t.name == "title")
        .map_or("", |t| t.value.as_str());
    let (heading, page_title, action) = match shown.saved {
        Some(s) => (
            t("scen-edit"),
            t_args("scen-edit-title", [("title", v(title))]),
            format!("/f/thuc-hanh/{}", s.id),
        ),
        None => (
            t("scen-new"),
            t("scen-new").to_string(),
            "/f/thuc-hanh/moi".to_string(),
        ),
    };
    let findings = shown.findings;
    let body = html! {
        (facilitator_nav(f))
        nav.crumbs { a href="/f/bai-hoc" { (t("own-title")) } " › " (heading) }
        h1 { (heading) }
        @if let Some(note) = shown.note { p.note role="status" { (note) } }
        @if let Some(s) = shown.saved {
            p { (status(s)) }
            @if s.published {
                p.actions { a.button.quiet href={ "/p/" (s.id) } { (t("scen-open-as-learner")) } }
            }
        }
        p.meta { (t("scen-keeps")) }
        @if !findings.problems.is_empty() {
            div.note.error role="alert" {
                p { (t_args("own-problems", [("n", v(findings.problems.len()))])) }
                ul { @for p in &findings.problems { li { (field_label(shown.texts, p)) (p.message) } } }
            }
        }
        @if !findings.warnings.is_empty() {
            div.note {
                p { (t("own-warnings")) }
                ul { @for p in &findings.warnings { li { (field_label(shown.texts, p)) (p.message) } } }
            }
        }
        form.stack.editor method="post" action=(action) {
            (csrf_field(&f.csrf))
            @if shown.saved.is_none() { input type="hidden" name="tu" value=(shown.from); }
            @for (i, text) in shown.texts.iter().enumerate() {
                @let group = text.place.group();
                @if i == 0 || shown.texts[i - 1].place.group() != group {
                    @for p in findings.about(&group).filter(|_| !group.is_empty()) {
                        p.field-error { (group_label(&text.place).join(" · ")) ": " (p.message) }
                    }
                }
                label {
                    (label(&text.place))
                    @if text.long() {
                        textarea name=(text.name) rows=(text.rows()) { (text.value) }
                    } @else {
                        input type="text" name=(text.name) value=(text.value);
                    }
                }
                @for p in findings.about(&text.name) { p.field-error { (p.message) } }
            }
            p.actions {
                button.button.quiet type="submit" name="action" value="nhap" { (t("own-form-save-draft")) }
                " "
                button.button type="submit" name="action" value="xuat-ban" { (t("own-form-save-publish")) }
            }
        }
        @if let Some(s) = shown.saved {
            h2 { (t("scen-delete-title")) }
            form.inline method="post" action={ "/f/thuc-hanh/" (s.id) "/xoa" } {
                (csrf_field(&f.csrf))
                button.button.quiet type="submit" { (t("scen-delete")) }
            }
        }
    };
    frame(state, &page_title, body)
}

#[derive(Deserialize, Default)]
struct Asked {
    #[serde(default)]
    tu: Option<String>,
    #[serde(default)]
    luu: Option<String>,
}

/// The file of scenario `id` as the box serves it: the commune's own wording, or the
/// built-in or pack file.
async fn served_file(state: &AppState, id: &str) -> Result<String, Error> {
    if state.catalogue.practice(id).is_none() {
        return Err(Error::NotFound);
    }
    if let Some(own) = state.store.local_scenario(id).await? {
        return Ok(own.file);
    }
    let held = crate::sync::packs::held(&state.store).await?;
    scenarios::scenario_file(id, &crate::protocol::wire::Pack::files(&held)).ok_or(Error::NotFound)
}

async fn new_page(
    State(state): State<AppState>,
    f: Facilitating,
    Query(asked): Query<Asked>,
) -> Result<Markup, Error> {
    let from = asked.tu.unwrap_or_default();
    let file = served_file(&state, &from).await?;
    let texts = scenarios::texts(&file).ok_or(Error::NotFound)?;
    let shown = Shown {
        saved: None,
        from: &from,
        texts: &texts,
        findings: &Findings::default(),
        note: None,
    };
    Ok(editor(&state, &f, &shown))
}

/// The checker's findings on `scenario` as it would be served.
async fn findings(state: &AppState, scenario: &LocalScenario) -> Result<Findings, Error> {
    let held = crate::sync::packs::held(&state.store).await?;
    let lessons = state.store.local_lessons().await?;
    let others = state.store.local_scenarios().await?;
    let media = state.store.media_sizes().await?;
    let today = state.store.clock().now().date();
    let draft = scenario.clone();
    tokio::task::spawn_blocking(move || {
        let held = crate::protocol::wire::Pack::files(&held);
        scenarios::check_scenario(&draft, &held, &lessons, &others, &media, today)
    })
    .await
    .map_err(|_| Error::Internal)
}

/// The form's fields: its texts by name, and what else it said.
fn words(form: Vec<(String, String)>) -> (BTreeMap<String, String>, String, String) {
    let (mut action, mut from) = (String::new(), String::new());
    let mut words = BTreeMap::new();
    for (name, value) in form {
        match name.as_str() {
            "action" => action = value,
            "tu" => from = value,
            "csrf" => {}
            _ => {
                words.insert(name, value);
            }
        }
    }
    (words, action, from)
}

async fn create(
    State(state): State<AppState>,
    f: Facilitating,
    AppForm(form): AppForm<Vec<(String, String)>>,
) -> Result<Response, Error> {
    let (words, action, from) = words(form);
    let original = served_file(&state, &from).await?;
    let file = scenarios::with_texts(&original, &words).ok_or(Error::BadRequest)?;
    let (module, slug) = from.split_once('/').ok_or(Error::NotFound)?;
    let own: Vec<String> = state
        .store
        .local_scenarios()
        .await?
        .into_iter()
        .map(|s| s.id)
        .collect();
    let catalogue = state.catalogue.clone();
    let taken = |s: &str| {
        let id = format!("{module}/{s}");
        catalogue.practice(&id).is_some() || catalogue.lesson(&id).is_some() || own.contains(&id)
    };
    let id = format!("{module}/{}", scenarios::copy_slug(slug, &taken));
    let scenario = LocalScenario {
        id,
        file,
        published: false,
        created_by: f.facilitator.id.clone(),
        created_at: state.store.now(),
        updated_at: state.store.now(),
    };
    store_and_show(&state, &f, scenario, action == "xuat-ban", false).await
}

/// Keeps `scenario` as a draft, or published when asked and nothing is wrong; one in use
/// (`in_use`) is kept only when nothing is wrong. Then the editor again.
async fn store_and_show(
    state: &AppState,
    f: &Facilitating,
    scenario: LocalScenario,
    publish: bool,
    in_use: bool,
) -> Result<Response, Error> {
    let found = findings(state, &scenario).await?;
    let clean = found.problems.is_empty();
    if in_use && !clean {
        let texts = scenarios::texts(&scenario.file).unwrap_or_default();
        let shown = Shown {
            saved: Some(&scenario),
            from: "",
            texts: &texts,
            findings: &found,
            note: Some(t("own-not-saved-in-use")),
        };
        let page = editor(state, f, &shown);
        return Ok(complete(StatusCode::UNPROCESSABLE_ENTITY, page));
    }
    let published = clean && (publish || in_use);
    state
        .store
        .save_local_scenario(
            &scenario.id,
            scenario.file.clone(),
            published,
            &scenario.created_by,
        )
        .await?;
    if published || in_use {
        state.reload_lessons().await?;
    }
    let said = match (publish, published) {
        (true, true) => "xuat-ban",
        (true, false) => "con-loi",
        _ => "luu",
    };
    Ok(Redirect::to(&format!("/f/thuc-hanh/{}?luu={said}", scenario.id)).into_response())
}

async fn local(state: &AppState, module: &str, slug: &str) -> Result<LocalScenario, Error> {
    state
        .store
        .local_scenario(&format!("{module}/{slug}"))
        .await?
        .ok_or(Error::NotFound)
}

async fn edit_page(
    State(state): State<AppState>,
    f: Facilitating,
    Path((module, slug)): Path<(String, String)>,
    Query(asked): Query<Asked>,
) -> Result<Markup, Error> {
    let scenario = local(&state, &module, &slug).await?;
    let texts = scenarios::texts(&scenario.file).unwrap_or_default();
    let found = findings(&state, &scenario).await?;
    let note = match asked.luu.as_deref() {
        Some("xuat-ban") => Some(t("scen-saved-published")),
        Some("con-loi") => Some(t("own-saved-with-problems")),
        Some("luu") => Some(t("own-saved")),
        _ => None,
    };
    let shown = Shown {
        saved: Some(&scenario),
        from: "",
        texts: &texts,
        findings: &found,
        note,
    };
    Ok(editor(&state, &f, &shown))
}

async fn save(
    State(state): State<AppState>,
    f: Facilitating,
    Path((module, slug)): Path<(String, String)>,
    AppForm(form): AppForm<Vec<(String, String)>>,
) -> Result<Response, Error> {
    let scenario = local(&state, &module, &slug).await?;
    let (words, action, _) = words(form);
    let file = scenarios::with_texts(&scenario.file, &words).ok_or(Error::BadRequest)?;
    let in_use = scenario.published && action != "nhap";
    let changed = LocalScenario { file, ..scenario };
    store_and_show(&state, &f, changed, action == "xuat-ban", in_use).await
}

async fn remove(
    State(state): State<AppState>,
    _f: Facilitating,
    Path((module, slug)): Path<(String, String)>,
) -> Result<Response, Error> {
    let scenario = local(&state, &module, &slug).await?;
    state.store.delete_local_scenario(&scenario.id).await?;
    if scenario.published {
        state.reload_lessons().await?;
    }
    Ok(Redirect::to("/f/bai-hoc").into_response())
}
