//! The learner's data rights on their phone: the notice joining shows (`notice`), and
//! "Thông tin của tôi" (`/me/thong-tin`): everything the box holds about the signed-in
//! learner as a page and as a download (JSON, CSV), their details corrected, the optional
//! fields' consent withdrawn, and "Xoá tôi khỏi máy" (`/me/xoa`), final, after a
//! confirmation that works without script. The facilitator's pages for a learner without a
//! phone (`f::people`) draw the same views (`Held`, `sections`, `json`, `csv_rows`).

use axum::Router;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use maud::{Markup, html};
use serde::Deserialize;
use serde_json::{Value, json};

use super::layout::page;
use super::learners::{Filling, JoinForm, known_villages, profile_fields};
use crate::clock::format::day;
use crate::learn::rights::{self, BY_LEARNER, Retention};
use crate::learn::{Invalid, Overview, SecretInput};
use crate::store::sync::SHARE_NAMES;
use crate::store::{Learner, LearnerData, Profile, Secret};
use crate::web::extract::AppForm;
use crate::web::i18n::{Ui, ui, v};
use crate::web::session::{SignedIn, clear_session_cookie};
use crate::web::{AppState, Error, complete};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/me/thong-tin", get(mine).post(correct))
        .route("/me/thong-tin.json", get(mine_json))
        .route("/me/thong-tin.csv", get(mine_csv))
        .route("/me/thong-tin/rut-dong-y", post(withdraw))
        .route("/me/xoa", get(erase_form).post(erase))
}

/// Whether the commune sends learners' names to the province (`f::sync`'s setting).
pub(in crate::web) async fn names_shared(state: &AppState) -> Result<bool, Error> {
    Ok(state.store.setting(SHARE_NAMES).await?.as_deref() == Some("1"))
}

/// What the box keeps, what reaches the province (names only when the commune chose so)
/// and why, and where to see, correct or delete it: three short sentences.
pub(in crate::web) fn notice(ui: &Ui, names: bool) -> Markup {
    html! {
        section.notice aria-labelledby="notice-title" {
            h2 #notice-title { (ui.t("rights-notice-title")) }
            p { (ui.t("rights-notice-box")) }
            p { @if names { (ui.t("rights-notice-province-names")) } @else { (ui.t("rights-notice-province")) } }
            p { (ui.t("rights-notice-rights")) }
        }
    }
}

/// Everything about one learner, with what it means: the records, their progress through
/// the lessons, whether names go to the province, and how long the box keeps them.
pub(in crate::web) struct Held {
    pub data: LearnerData,
    pub overview: Overview,
    pub names: bool,
    pub retention: Retention,
}

impl Held {
    /// The learner `id`'s, or `None` for no such learner.
    pub(in crate::web) async fn of(state: &AppState, id: &str) -> Result<Option<Held>, Error> {
        let Some(data) = state.store.learner_data(id).await? else {
            return Ok(None);
        };
        let record = data.record.clone();
        Ok(Some(Held {
            overview: Overview::build(
                &state.catalogue,
                record.progress,
                record.scores,
                record.practice,
            ),
            names: names_shared(state).await?,
            retention: rights::retention(&state.store).await?,
            data,
        }))
    }

    fn learner(&self) -> &Learner {
        &self.data.learner
    }

    fn finished_modules<'a>(&self, state: &'a AppState) -> Vec<&'a crate::content::Module> {
        state
            .catalogue
            .modules
            .iter()
            .filter(|m| {
                self.overview
                    .module(&m.id)
                    .is_some_and(|p| p.finished_on.is_some())
            })
            .collect()
    }

    /// Lessons opened, finished, quizzes answered and passed, scenarios done.
    fn counts(&self) -> (usize, usize, usize, usize, usize) {
        let r = &self.data.record;
        (
            r.progress.len(),
            r.progress
                .iter()
                .filter(|p| p.finished_at.is_some())
                .count(),
            r.scores.len(),
            r.scores.iter().filter(|s| s.passed_at.is_some()).count(),
            r.practice.iter().filter(|p| p.won_at.is_some()).count(),
        )
    }
}

fn secret_words(ui: &Ui, learner: &Learner) -> &'static str {
    match learner.secret.as_ref().map(|s| s.0) {
        Some(Secret::Picture) => ui.t("rights-secret-picture"),
        Some(Secret::Pin) => ui.t("rights-secret-pin"),
        None => ui.t("rights-secret-none"),
    }
}

fn yes_no(ui: &Ui, yes: bool) -> &'static str {
    ui.t(if yes { "rights-yes" } else { "rights-no" })
}

/// One consent as the page and the CSV say it: when, the notice, the optional fields.
fn consent_line(ui: &Ui, at: &str, payload: &Value) -> String {
    let optional = payload["optional"] == Value::Bool(true);
    let mut line = ui.t_args(
        "rights-consent-line",
        [
            ("date", v(day(at))),
            ("notice", v(payload["notice"].as_i64().unwrap_or(0))),
            ("optional", v(yes_no(ui, optional))),
        ],
    );
    if payload.get("withdrawn").is_some() {
        line.push(' ');
        line.push_str(ui.t("rights-withdrawn"));
    }
    line
}

/// The page's sections: profile, consent, learning, phones and groups, what goes to the
/// province, how long it is kept.
pub(in crate::web) fn sections(ui: &Ui, state: &AppState, held: &Held) -> Markup {
    let learner = held.learner();
    let not_given = ui.t("rights-not-given");
    let (opened, finished, quizzes, passed, practised) = held.counts();
    let modules = held.finished_modules(state);
    let lang = crate::web::i18n::current();
    let optional_sent =
        learner.birth_year.is_some() || learner.gender.is_some() || learner.ethnic_group.is_some();
    html! {
        section.data #profile {
            h2 { (ui.t("rights-profile")) }
            dl.data {
                dt { (ui.t("rights-name")) } dd { (learner.display_name) }
                dt { (ui.t("rights-village")) } dd { (learner.village) }
                dt { (ui.birth_year()) } dd { @match learner.birth_year { Some(y) => (y), None => (not_given) } }
                dt { (ui.gender()) } dd { @match &learner.gender { Some(g) => (crate::web::pages::gender_text(Some(g))), None => (not_given) } }
                dt { (ui.ethnic_group()) } dd { @match &learner.ethnic_group { Some(e) => (e), None => (not_given) } }
                dt { (ui.t("rights-joined-on")) } dd { (day(&learner.created_at)) }
                dt { (ui.t("rights-secret")) } dd { (secret_words(ui, learner)) }
            }
        }
        section.data #consent {
            h2 { (ui.t("rights-consent")) }
            @if held.data.consents.is_empty() {
                p { (ui.t("rights-consent-before")) }
            } @else {
                ul { @for (at, payload) in &held.data.consents { li { (consent_line(ui, at, payload)) } } }
            }
        }
        section.data #learning {
            h2 { (ui.t("rights-learning")) }
            ul {
                li { (ui.t_args("rights-lessons-opened", [("n", v(opened))])) }
                li { (ui.t_args("rights-lessons-finished", [("n", v(finished))])) }
                li { (ui.t_args("rights-quizzes", [("n", v(quizzes)), ("passed", v(passed))])) }
                li { (ui.t_args("rights-practice", [("n", v(practised))])) }
                li { (ui.t_args("rights-modules", [("n", v(modules.len()))]))
                    @for m in &modules { " · " (m.text.get(lang).title) } }
            }
            p.meta { (ui.t_args("rights-events", [("n", v(held.data.events))])) }
        }
        section.data #devices {
            h2 { (ui.t("rights-devices")) }
            ul {
                li { (ui.t_args("rights-sessions", [("n", v(held.data.sessions.len()))]))
                    @for at in &held.data.sessions { " · " (day(at)) } }
                li { @if held.data.groups.is_empty() { (ui.t("rights-no-group")) }
                     @else { (ui.t_args("rights-groups", [("groups", v(held.data.groups.join(", ")))])) } }
                @if let Some(at) = &held.data.card { li { (ui.t_args("rights-card", [("date", v(day(at)))])) } }
            }
        }
        section.data #province {
            h2 { (ui.t("rights-province")) }
            ul {
                li { (ui.t("rights-sent-counts")) }
                @if optional_sent { li { (ui.t("rights-sent-optional")) } }
                li { @if held.names { (ui.t("rights-sent-name")) } @else { (ui.t("rights-not-sent-name")) } }
            }
        }
        section.data #keep {
            h2 { (ui.t("rights-keep")) }
            p { @match held.retention.months {
                Some(months) => (ui.t_args("rights-keep-months", [("months", v(months))])),
                None => (ui.t("rights-keep-forever")),
            } }
        }
    }
}

/// Everything held, as the download's JSON.
pub(in crate::web) fn json(state: &AppState, held: &Held) -> Value {
    let learner = held.learner();
    let lessons: Vec<Value> = held
        .data
        .record
        .progress
        .iter()
        .map(|p| {
            let quiz = held
                .data
                .record
                .scores
                .iter()
                .find(|s| s.lesson_id == p.lesson_id);
            json!({
                "lesson": p.lesson_id,
                "title": crate::web::pages::lesson_title(state, &p.lesson_id),
                "opened_at": p.opened_at,
                "finished_at": p.finished_at,
                "quiz": quiz.map(|q| json!({"best": q.best, "total": q.total, "attempts": q.attempts, "passed_at": q.passed_at})),
            })
        })
        .collect();
    let practice: Vec<Value> = held
        .data
        .record
        .practice
        .iter()
        .map(|p| json!({"scenario": p.scenario_id, "runs": p.runs, "done_at": p.won_at}))
        .collect();
    json!({
        "learner": {
            "id": learner.id,
            "display_name": learner.display_name,
            "village": learner.village,
            "birth_year": learner.birth_year,
            "gender": learner.gender,
            "ethnic_group": learner.ethnic_group,
            "secret": learner.secret.as_ref().map(|s| s.0.code()),
            "joined_at": learner.created_at,
            "last_seen": held.data.last_seen,
        },
        "consent": {
            "notice": learner.consent_notice,
            "optional": learner.consent_optional,
            "at": learner.consent_at,
            "history": held.data.consents.iter().map(|(at, p)| json!({"at": at, "given": p})).collect::<Vec<_>>(),
        },
        "learning": {
            "lessons": lessons,
            "practice": practice,
            "modules_finished": held.finished_modules(state).iter().map(|m| &m.id).collect::<Vec<_>>(),
            "events": held.data.events,
        },
        "sessions": held.data.sessions.iter().map(|at| json!({"signed_in_at": at})).collect::<Vec<_>>(),
        "groups": held.data.groups,
        "card_issued_at": held.data.card,
        "sent_to_province": {
            "name": held.names,
            "village": true,
            "optional_fields": learner.birth_year.is_some() || learner.gender.is_some() || learner.ethnic_group.is_some(),
        },
        "kept_months_unseen": held.retention.months,
    })
}

/// The CSV's header row and rows: what, and its value, a line each.
pub(in crate::web) fn csv_rows(
    ui: &Ui,
    state: &AppState,
    held: &Held,
) -> (Vec<&'static str>, Vec<Vec<String>>) {
    let learner = held.learner();
    let not_given = || ui.t("rights-not-given").to_string();
    let mut rows = vec![
        vec![ui.t("rights-name").into(), learner.display_name.clone()],
        vec![ui.t("rights-village").into(), learner.village.clone()],
        vec![
            ui.birth_year().into(),
            learner.birth_year.map_or_else(not_given, |y| y.to_string()),
        ],
        vec![
            ui.gender().into(),
            learner.gender.as_deref().map_or_else(not_given, |g| {
                crate::web::pages::gender_text(Some(g)).to_string()
            }),
        ],
        vec![
            ui.ethnic_group().into(),
            learner.ethnic_group.clone().unwrap_or_else(not_given),
        ],
        vec![ui.t("rights-joined-on").into(), day(&learner.created_at)],
        vec![
            ui.t("rights-secret").into(),
            secret_words(ui, learner).into(),
        ],
    ];
    for (at, payload) in &held.data.consents {
        rows.push(vec![
            ui.t("rights-consent").into(),
            consent_line(ui, at, payload),
        ]);
    }
    for p in &held.data.record.progress {
        let mut said = format!("{} {}", ui.opened(), day(&p.opened_at));
        if let Some(at) = &p.finished_at {
            said.push_str(&format!(" · {} {}", ui.done(), day(at)));
        }
        if let Some(q) = held
            .data
            .record
            .scores
            .iter()
            .find(|s| s.lesson_id == p.lesson_id)
        {
            said.push_str(&format!(" · {}", ui.best_score(q.best, q.total)));
        }
        rows.push(vec![
            crate::web::pages::lesson_title(state, &p.lesson_id).to_string(),
            said,
        ]);
    }
    let (.., practised) = held.counts();
    rows.push(vec![
        ui.t_args("rights-practice", [("n", v(practised))]),
        String::new(),
    ]);
    rows.push(vec![
        ui.t_args("rights-sessions", [("n", v(held.data.sessions.len()))]),
        held.data
            .sessions
            .iter()
            .map(|at| day(at))
            .collect::<Vec<_>>()
            .join(", "),
    ]);
    rows.push(vec![
        ui.t("rights-devices").into(),
        held.data.groups.join(", "),
    ]);
    (vec![ui.t("rights-what"), ui.t("rights-value")], rows)
}

/// A JSON download named `hocso-{name}.json`.
pub(in crate::web) fn json_download(name: &str, value: &Value) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                "application/json; charset=utf-8".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"hocso-{name}.json\""),
            ),
        ],
        serde_json::to_string_pretty(value).expect("JSON values serialize"),
    )
        .into_response()
}

/// The form as the learner's details fill it, consent included.
pub(super) fn form_of(learner: &Learner) -> JoinForm {
    JoinForm {
        display_name: learner.display_name.clone(),
        village: learner.village.clone(),
        birth_year: learner
            .birth_year
            .map(|y| y.to_string())
            .unwrap_or_default(),
        gender: learner.gender.clone().unwrap_or_default(),
        ethnic_group: learner.ethnic_group.clone().unwrap_or_default(),
        optional_consent: if learner.consent_optional {
            "1".into()
        } else {
            String::new()
        },
        ..JoinForm::default()
    }
}

/// A correction as typed, checked as joining is (no secret here): the profile and whether
/// the optional fields are consented to, or what is wrong.
pub(super) async fn checked_correction(
    state: &AppState,
    form: &JoinForm,
) -> Result<Result<(Profile, bool), Vec<Invalid>>, Error> {
    let mut request = form.request();
    request.secret = SecretInput::None;
    let villages = state.store.villages().await?;
    Ok(
        crate::learn::join_request(request, &villages, super::learners::this_year(state)).map(
            |checked| {
                (
                    Profile {
                        display_name: checked.display_name,
                        village: checked.village,
                        birth_year: checked.birth_year,
                        gender: checked.gender,
                        ethnic_group: checked.ethnic_group,
                    },
                    checked.optional_consent,
                )
            },
        ),
    )
}

/// What the withdrawal and erasure forms say, and where they post.
pub(in crate::web) fn withdraw_form(ui: &Ui, action: &str, csrf: Option<&str>) -> Markup {
    html! {
        section.data #withdraw {
            h2 { (ui.t("rights-withdraw-title")) }
            p { (ui.t("rights-withdraw-note")) }
            form method="post" action=(action) {
                @if let Some(token) = csrf { (super::layout::csrf_field(token)) }
                button.button.quiet type="submit" { (ui.t("rights-withdraw-button")) }
            }
        }
    }
}

/// The confirmation before an erasure: what goes, that it is final, and the one button that
/// does it (posting `confirm=yes`), or back to `back`.
pub(in crate::web) fn erase_confirmation(
    ui: &Ui,
    action: &str,
    back: &str,
    csrf: Option<&str>,
    missing: bool,
) -> Markup {
    html! {
        h1 { (ui.t("rights-erase-title")) }
        @if missing { p.note.error role="alert" { "⚠ " (ui.t("rights-erase-confirm-missing")) } }
        p { (ui.t("rights-erase-note")) }
        p.note.warn role="note" { strong { (ui.t("rights-erase-final")) } }
        form.stack method="post" action=(action) {
            @if let Some(token) = csrf { (super::layout::csrf_field(token)) }
            input type="hidden" name="confirm" value="yes";
            button.button.danger type="submit" { (ui.t("rights-erase-button")) }
        }
        p { a href=(back) { "← " (ui.t("rights-erase-cancel")) } }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(in crate::web) struct Confirm {
    pub confirm: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Shown {
    saved: String,
}

/// "Thông tin của tôi": the sections, the downloads, the correction form, withdrawal, and
/// the way to erasure.
async fn mine_page(
    state: &AppState,
    signed_in: &SignedIn,
    form: &JoinForm,
    problems: &[Invalid],
    saved: Option<&str>,
) -> Result<Markup, Error> {
    let lang = signed_in.lang;
    let ui = ui(lang);
    let held = Held::of(state, &signed_in.learner.id)
        .await?
        .ok_or(Error::NotSignedIn)?;
    let villages = known_villages(state).await?;
    let learner = &signed_in.learner;
    let may_withdraw = learner.consent_optional
        || learner.birth_year.is_some()
        || learner.gender.is_some()
        || learner.ethnic_group.is_some();
    Ok(page(
        state,
        lang,
        Some(learner),
        ui.t("my-data"),
        html! {
            nav.crumbs { a href="/me" { "← " (ui.me_title()) } }
            h1 { (ui.t("my-data")) }
            @if let Some(saved) = saved { p.note role="status" { "✓ " (saved) } }
            p.lead { (ui.t("rights-lead")) }
            (sections(ui, state, &held))
            section.data #download {
                h2 { (ui.t("rights-download")) }
                p.actions {
                    a.button.quiet href="/me/thong-tin.json" download { (ui.t("rights-download-json")) }
                    a.button.quiet href="/me/thong-tin.csv" download { (ui.t("rights-download-csv")) }
                }
            }
            section.data #correct {
                h2 { (ui.t("rights-correct")) }
                @if !problems.is_empty() { p.note.error role="alert" { (ui.form_has_problems()) } }
                form.stack method="post" action="/me/thong-tin" {
                    (profile_fields(state, ui, &villages, form, problems, Filling::Correcting, ""))
                    button.button type="submit" { (ui.t("rights-save")) }
                }
            }
            @if may_withdraw { (withdraw_form(ui, "/me/thong-tin/rut-dong-y", None)) }
            section.data #erase {
                h2 { (ui.t("rights-erase-title")) }
                p { (ui.t("rights-erase-note")) }
                p { a.button.quiet href="/me/xoa" { (ui.t("rights-erase-start")) } }
            }
        },
    ))
}

async fn mine(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Query(shown): Query<Shown>,
) -> Result<Markup, Error> {
    let ui = ui(signed_in.lang);
    let saved = match shown.saved.as_str() {
        "details" => Some(ui.t("rights-saved")),
        "withdrawn" => Some(ui.t("rights-withdrawn-done")),
        _ => None,
    };
    mine_page(&state, &signed_in, &form_of(&signed_in.learner), &[], saved).await
}

async fn mine_json(State(state): State<AppState>, signed_in: SignedIn) -> Result<Response, Error> {
    let held = Held::of(&state, &signed_in.learner.id)
        .await?
        .ok_or(Error::NotSignedIn)?;
    Ok(json_download("thong-tin-cua-toi", &json(&state, &held)))
}

async fn mine_csv(State(state): State<AppState>, signed_in: SignedIn) -> Result<Response, Error> {
    let held = Held::of(&state, &signed_in.learner.id)
        .await?
        .ok_or(Error::NotSignedIn)?;
    let (header, rows) = csv_rows(ui(signed_in.lang), &state, &held);
    Ok(super::f::reports::download(
        "thong-tin-cua-toi",
        &header,
        &rows,
    ))
}

/// The learner's own correction: checked as joining is; their consent to the optional
/// fields goes with it (recorded when it changed). Bad input stores nothing.
async fn correct(
    State(state): State<AppState>,
    signed_in: SignedIn,
    AppForm(form): AppForm<JoinForm>,
) -> Result<Response, Error> {
    match checked_correction(&state, &form).await? {
        Ok((profile, optional)) => {
            state
                .store
                .update_learner(
                    &signed_in.learner.id,
                    profile,
                    Some(rights::consent(optional, BY_LEARNER)),
                )
                .await?
                .ok_or(Error::NotSignedIn)?;
            Ok(Redirect::to("/me/thong-tin?saved=details#correct").into_response())
        }
        Err(problems) => {
            let page = mine_page(&state, &signed_in, &form, &problems, None).await?;
            Ok(complete(StatusCode::BAD_REQUEST, page))
        }
    }
}

/// The optional fields' consent withdrawn: they are cleared here, and at the hub after the
/// next sync.
async fn withdraw(State(state): State<AppState>, signed_in: SignedIn) -> Result<Response, Error> {
    state
        .store
        .record_consent(&signed_in.learner.id, rights::consent(false, BY_LEARNER))
        .await?
        .ok_or(Error::NotSignedIn)?;
    Ok(Redirect::to("/me/thong-tin?saved=withdrawn").into_response())
}

async fn erase_form(State(state): State<AppState>, signed_in: SignedIn) -> Markup {
    let ui = ui(signed_in.lang);
    page(
        &state,
        signed_in.lang,
        Some(&signed_in.learner),
        ui.t("rights-erase-title"),
        erase_confirmation(ui, "/me/xoa", "/me/thong-tin", None, false),
    )
}

/// Erases the signed-in learner once the confirmation was pressed, signs the phone out, and
/// says it is done. Without the confirmation, the confirmation again, nothing erased.
async fn erase(
    State(state): State<AppState>,
    signed_in: SignedIn,
    AppForm(confirm): AppForm<Confirm>,
) -> Result<Response, Error> {
    let lang = signed_in.lang;
    let ui = ui(lang);
    if confirm.confirm != "yes" {
        let page = page(
            &state,
            lang,
            Some(&signed_in.learner),
            ui.t("rights-erase-title"),
            erase_confirmation(ui, "/me/xoa", "/me/thong-tin", None, true),
        );
        return Ok(complete(StatusCode::BAD_REQUEST, page));
    }
    state
        .store
        .erase_learner(&signed_in.learner.id, BY_LEARNER)
        .await?;
    let mut response = page(
        &state,
        lang,
        None,
        ui.t("rights-erased-title"),
        html! {
            h1 { "✓ " (ui.t("rights-erased-title")) }
            p { (ui.t("rights-erased-note")) }
            p { a.button href="/" { (ui.go_home()) } }
        },
    )
    .into_response();
    response
        .headers_mut()
        .append(header::SET_COOKIE, clear_session_cookie());
    Ok(response)
}
