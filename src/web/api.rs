//! The JSON API under `/api/v1`: health, the lesson catalogue (never quiz answers), the
//! notice a learner consents to and joining,
//! a signed-in learner's events (sent again after a dropped Wi-Fi, stored once), and the
//! learner's own records, and the live lesson the hall is in.

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::extract::AppJson;
use super::pages::learners::create_learner;
use super::session::{SignedIn, session_cookie};
use super::{AppState, Error, gzip};
use crate::content::Lang;
use crate::learn::practice::{Answer, answer};
use crate::learn::rights::{BY_LEARNER, NOTICE_VERSION};
use crate::learn::{Invalid, JoinRequest, SecretInput, grade_asked};
use crate::store::{Change, EventOutcome, Learner, NewEvent};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .merge(health_routes())
        .route("/api/v1/lessons", get(lessons))
        .route("/api/v1/practice", get(practice_list))
        .route("/api/v1/learners", post(join))
        .route("/api/v1/notice", get(notice))
        .route("/api/v1/events", post(events))
        .route("/api/v1/me", get(me))
        .route("/api/v1/live", get(live_now))
}

/// `GET /api/v1/live`: the live lesson the hall is in now (the one the province leads,
/// else the one started last here), as `{code, lesson, step, reveal, source}` with `source`
/// `"province"` while the province moves it and `"local"` otherwise; `null` when none is on.
async fn live_now(State(state): State<AppState>) -> Result<Json<Value>, Error> {
    let Some(record) = state.store.current_live_session().await? else {
        return Ok(Json(Value::Null));
    };
    // The session as it runs now (its step is kept as it changes, but read it where it moves).
    let live = state
        .live
        .get(&state, &record.id)
        .await
        .map(|r| r.now())
        .ok();
    let (step, reveal) = live
        .as_ref()
        .map_or((record.step, record.revealed), |l| (l.step, l.revealed));
    let source = match live.as_ref().and_then(|l| l.province.as_ref()) {
        Some(p) if p.by_province => "province",
        _ => "local",
    };
    Ok(Json(json!({
        "code": record.code,
        "lesson": record.lesson_id,
        "step": step,
        "reveal": reveal,
        "source": source,
    })))
}

/// Most events one batch may carry.
const MAX_BATCH: usize = 100;
/// How far ahead of the box's clock a phone's may run before its times are not believed.
const CLOCK_SLACK: time::Duration = time::Duration::minutes(10);

/// `GET /api/v1/health`, on a box and on a hub alike.
pub(super) fn health_routes() -> Router<AppState> {
    Router::new().route("/api/v1/health", get(health))
}

#[derive(Serialize)]
struct Health {
    status: &'static str,
    version: &'static str,
    role: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
}

/// Whether the box can do its work: the writer commits a transaction and a reader reads
/// the database, each within a few seconds (a hub: its database answers, a load balancer's
/// check). 503 with the reason when either cannot.
async fn health(State(state): State<AppState>) -> Response {
    let role = match state.role {
        crate::config::Role::Box => "box",
        crate::config::Role::Hub => "hub",
    };
    let reason = match state.role {
        crate::config::Role::Box => state.store.probe(HEALTH_WAIT).await.err(),
        crate::config::Role::Hub => state.hub().probe(HEALTH_WAIT).await.err(),
    };
    let status = match reason {
        None => StatusCode::OK,
        Some(_) => StatusCode::SERVICE_UNAVAILABLE,
    };
    if let Some(reason) = &reason {
        tracing::error!("health check failed: {reason}");
    }
    let health = Health {
        status: if reason.is_none() {
            "ok"
        } else {
            "unavailable"
        },
        version: env!("CARGO_PKG_VERSION"),
        role,
        reason: reason.map(|e| e.to_string()),
    };
    let mut response = (status, Json(health)).into_response();
    // Drawn here, with its reason: not replaced by the generic error body.
    response.extensions_mut().insert(crate::web::Complete);
    response
}

/// How long the health check waits for the writer and a reader.
const HEALTH_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

/// One language's version of a lesson, as the catalogue lists it. `text_lang` is the language
/// of its slides and quiz: Vietnamese where only the title and objective are translated.
#[derive(Serialize)]
struct LessonEntry<'a> {
    id: &'a str,
    url: String,
    module: &'a str,
    lang: &'static str,
    title: &'a str,
    objective: &'a str,
    text_lang: &'static str,
    minutes: u32,
    slides: usize,
    quiz_count: usize,
    /// `embedded`, `pack` or `local` (written on this box).
    source: &'static str,
    /// The languages (ISO 639-3) the lesson has recorded readings in.
    audio: Vec<String>,
}

#[derive(Deserialize)]
struct LessonsQuery {
    lang: Option<String>,
}

/// Every lesson in every language it has a heading in, in teaching order; `?lang=` keeps one
/// language.
async fn lessons(
    State(state): State<AppState>,
    Query(query): Query<LessonsQuery>,
    headers: HeaderMap,
) -> Response {
    // `frame` has already refused an unknown `lang`.
    let only = query.lang.as_deref().and_then(Lang::from_code);
    // The same for every phone until a content pack changes the lessons: made and gzipped
    // once (20 KB of JSON is too much to compress on every request).
    let list = state
        .lesson_lists
        .lock()
        .expect("lesson lists")
        .get(&state.catalogue, only, || {
            let json = lesson_list(&state, only);
            let gzip = Bytes::from(gzip::splice(&[&gzip::Piece::kept(&json)]));
            KeptList { json, gzip }
        });
    if gzip::accepted(&headers) {
        return gzip::gzipped("application/json", list.gzip);
    }
    ([(header::CONTENT_TYPE, "application/json")], list.json).into_response()
}

/// `GET /api/v1/lessons` as sent, plain and gzipped.
#[derive(Clone)]
pub struct KeptList {
    json: Bytes,
    gzip: Bytes,
}

fn lesson_list(state: &AppState, only: Option<Lang>) -> Bytes {
    let entries: Vec<LessonEntry<'_>> = state
        .catalogue
        .lessons()
        .flat_map(|lesson| {
            let mut audio: Vec<String> = state
                .catalogue
                .readings_of(&lesson.id)
                .iter()
                .map(|r| r.lang.clone())
                .collect();
            if lesson.versions.get(Lang::Vi).audio_url.is_some() {
                audio.push("vie".into());
            }
            audio.sort();
            audio.dedup();
            lesson
                .headings
                .iter()
                .filter(move |(lang, _)| only.is_none_or(|o| o == *lang))
                .map(move |(lang, heading)| {
                    let (text_lang, v) = lesson.versions.pick(lang);
                    LessonEntry {
                        id: &lesson.id,
                        // The page in this entry's language: Vietnamese is the default.
                        url: match lang {
                            Lang::Vi => format!("/m/{}", lesson.id),
                            other => format!("/m/{}?lang={}", lesson.id, other.code()),
                        },
                        module: &lesson.module_id,
                        lang: lang.code(),
                        title: &heading.title,
                        objective: &heading.objective,
                        text_lang: text_lang.code(),
                        minutes: v.minutes,
                        slides: v.slides.len(),
                        quiz_count: v.quiz.len(),
                        source: lesson.source.code(),
                        audio: audio.clone(),
                    }
                })
        })
        .collect();
    Bytes::from(serde_json::to_vec(&entries).expect("lessons serialize"))
}

/// `GET /api/v1/practice`: every practice scenario the box serves, in teaching order, once a
/// language it has: `{id, url, lesson, module, kind, title, lang, steps}`; `url` opens its
/// first step (its start page, which begins a run).
async fn practice_list(State(state): State<AppState>) -> Json<Value> {
    let entries: Vec<Value> = state
        .catalogue
        .practices()
        .flat_map(|practice| {
            practice.versions.iter().map(move |(lang, scenario)| {
                let url = match lang {
                    Lang::Vi => super::pages::practice::practice_url(practice),
                    other => format!(
                        "{}?lang={}",
                        super::pages::practice::practice_url(practice),
                        other.code()
                    ),
                };
                json!({
                    "id": practice.id,
                    "url": url,
                    "lesson": practice.lesson_id,
                    "module": practice.module_id,
                    "kind": scenario.kind.code(),
                    "title": scenario.title,
                    "lang": lang.code(),
                    "steps": scenario.steps.len(),
                })
            })
        })
        .collect();
    Json(Value::Array(entries))
}

#[derive(Deserialize)]
struct JoinBody {
    display_name: String,
    village: String,
    birth_year: Option<i32>,
    gender: Option<String>,
    ethnic_group: Option<String>,
    pin: Option<String>,
    /// Consent to keep the birth year, gender and ethnic group (`GET /api/v1/notice` says
    /// what for): needed to give any of them.
    #[serde(default)]
    consent_optional: bool,
}

/// The learner as their own phone and tools see them (never the secret's hash).
fn learner_json(learner: &Learner) -> Value {
    json!({
        "id": learner.id,
        "display_name": learner.display_name,
        "village": learner.village,
        "birth_year": learner.birth_year,
        "gender": learner.gender,
        "ethnic_group": learner.ethnic_group,
        "has_secret": learner.secret.is_some(),
        "created_at": learner.created_at,
        "consent": {
            "notice": learner.consent_notice,
            "optional": learner.consent_optional,
            "at": learner.consent_at,
        },
    })
}

/// The field and rule an `Invalid` names, for tools.
fn invalid_detail(invalid: Invalid) -> &'static str {
    match invalid {
        Invalid::NameEmpty => "display_name: must not be empty",
        Invalid::NameTooLong => "display_name: at most 60 characters",
        Invalid::NameHidden => {
            "display_name: no control characters or characters that reorder text"
        }
        Invalid::VillageEmpty => "village: must not be empty",
        Invalid::VillageTooLong => "village: at most 60 characters",
        Invalid::VillageHidden => "village: no control characters or characters that reorder text",
        Invalid::BirthYear => "birth_year: a year from 1900 to this year",
        Invalid::Gender => "gender: one of nu, nam, khac",
        Invalid::EthnicGroup => "ethnic_group: one of the names in the join form's list",
        Invalid::Pin => "pin: exactly 4 digits",
        Invalid::Pictures => "pictures: three of the nine, in order",
        Invalid::OptionalConsent => {
            "consent_optional: must be true to give birth_year, gender or ethnic_group"
        }
    }
}

/// The notice a learner joining through the API consents to, in the request's language: its
/// version, its sentences (names go to the province only when the commune chose so), and
/// what the optional fields are for.
async fn notice(State(state): State<AppState>) -> Result<Json<Value>, Error> {
    let ui = crate::web::i18n::ui(crate::web::i18n::current());
    let names = super::pages::rights::names_shared(&state).await?;
    let province = match names {
        true => "rights-notice-province-names",
        false => "rights-notice-province",
    };
    Ok(Json(json!({
        "version": NOTICE_VERSION,
        "notice": [ui.t("rights-notice-box"), ui.t(province), ui.t("rights-notice-rights")],
        "names_to_province": names,
        "optional": {
            "fields": ["birth_year", "gender", "ethnic_group"],
            "why": ui.t("rights-optional-why"),
            "consent": ui.t("rights-optional-consent"),
        },
    })))
}

/// Creates a learner and signs this client in: 201, with the session cookie.
async fn join(
    State(state): State<AppState>,
    AppJson(body): AppJson<JoinBody>,
) -> Result<Response, Error> {
    let request = JoinRequest {
        display_name: body.display_name,
        village: body.village,
        birth_year: body.birth_year.map(|y| y.to_string()),
        gender: body.gender,
        ethnic_group: body.ethnic_group,
        secret: body.pin.map_or(SecretInput::None, SecretInput::Pin),
        optional_consent: body.consent_optional,
    };
    // Joining through the API is consenting to the notice `GET /api/v1/notice` gives.
    match create_learner(&state, request, true, BY_LEARNER).await? {
        Ok((learner, token)) => {
            let token = token.expect("asked to sign in");
            let mut response = (
                StatusCode::CREATED,
                Json(json!({ "learner": learner_json(&learner) })),
            )
                .into_response();
            response
                .headers_mut()
                .append(header::SET_COOKIE, session_cookie(&token));
            Ok(response)
        }
        Err(problems) => Err(Error::Rejected {
            code: "invalid_learner",
            detail: problems
                .into_iter()
                .map(invalid_detail)
                .collect::<Vec<_>>()
                .join("; "),
        }),
    }
}

#[derive(Deserialize)]
struct Batch {
    events: Vec<Value>,
}

/// One event as a phone sends it.
#[derive(Deserialize)]
struct EventIn {
    id: String,
    kind: String,
    lesson: String,
    at: Option<String>,
    #[serde(default)]
    payload: Value,
}

/// A quiz's answers: the choice given to each question asked (as the lesson file numbers
/// choices, from 0), and which questions were asked (places in the quiz, from 0; all of
/// them, in order, when not given).
#[derive(Deserialize)]
struct QuizPayload {
    answers: Vec<usize>,
    #[serde(default)]
    questions: Option<Vec<usize>>,
}

/// A practice decision: the scenario, the run, the step, and the choice (as the file numbers
/// them, from 0) or the value typed.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PracticePayload {
    scenario: String,
    run: String,
    step: String,
    choice: Option<usize>,
    typed: Option<String>,
}

/// Checks one event against the catalogue and grades a quiz or a practice decision; `Err` is
/// why it is refused. A decision that ends its run records the end too.
fn check_event(state: &AppState, learner: &Learner, raw: Value) -> Result<Vec<NewEvent>, String> {
    let event: EventIn =
        serde_json::from_value(raw).map_err(|e| format!("malformed event: {e}"))?;
    let id = uuid::Uuid::parse_str(&event.id).map_err(|_| "id: not a UUID".to_string())?;
    if id.is_nil() || id.is_max() {
        return Err("id: not a UUID".into());
    }
    let lesson = state
        .catalogue
        .lesson(&event.lesson)
        .ok_or_else(|| format!("lesson: no lesson {:?} on this box", event.lesson))?;
    let at = match event.at {
        None => state.store.now(),
        Some(at) => {
            let at = OffsetDateTime::parse(&at, &Rfc3339)
                .map_err(|_| "at: not an RFC 3339 time".to_string())?;
            plausible_time(state, at)
        }
    };
    let (change, payload) = match event.kind.as_str() {
        "lesson_opened" => (Change::Opened, json!({})),
        "lesson_finished" => (Change::Finished, json!({})),
        "practice_step" => {
            let given: PracticePayload = serde_json::from_value(event.payload).map_err(|_| {
                "payload: expected {\"scenario\", \"run\", \"step\", and \"choice\": n or \"typed\": text}".to_string()
            })?;
            let practice = state
                .catalogue
                .practice(&given.scenario)
                .filter(|p| p.lesson_id == lesson.id)
                .ok_or_else(|| {
                    format!("payload: no scenario {:?} for this lesson", given.scenario)
                })?;
            let run = uuid::Uuid::parse_str(&given.run)
                .ok()
                .filter(|run| !run.is_nil() && !run.is_max())
                .ok_or_else(|| "payload: run is not a UUID".to_string())?;
            let what = match (given.choice, given.typed) {
                (Some(i), None) => Answer::Choice(i),
                (None, Some(text)) if text.chars().count() <= 200 => Answer::Typed(text),
                _ => {
                    return Err(
                        "payload: give either \"choice\" or \"typed\" (at most 200 characters)"
                            .into(),
                    );
                }
            };
            let moved = answer(practice.versions.get(Lang::Vi), &given.step, what)
                .map_err(|e| format!("payload: {e}"))?;
            return Ok(moved.events(id, run, &practice.id, &lesson.id, &learner.id, &at));
        }
        "quiz_submitted" => {
            let quiz: QuizPayload = serde_json::from_value(event.payload).map_err(|_| {
                "payload: expected {\"answers\": [choice index, …], \"questions\": [question index, …]}".to_string()
            })?;
            let version = lesson.versions.get(Lang::Vi);
            if version.quiz.is_empty() {
                return Err("lesson: this lesson has no quiz".into());
            }
            // Without `questions` (a phone's queue from before attempts asked fewer), the
            // answers are to the first questions, in order.
            let asked = quiz
                .questions
                .unwrap_or_else(|| (0..quiz.answers.len()).collect());
            if !(version.ask..=version.quiz.len()).contains(&asked.len()) {
                return Err(format!(
                    "payload: an attempt asks {} to {} of the questions, not {}",
                    version.ask,
                    version.quiz.len(),
                    asked.len()
                ));
            }
            let graded = grade_asked(&version.quiz, &asked, &quiz.answers)
                .map_err(|e| format!("payload: {e}"))?;
            let payload = json!({
                "questions": asked,
                "answers": quiz.answers,
                "score": graded.score,
                "total": graded.total,
            });
            (graded.change(), payload)
        }
        other => return Err(format!("kind: unknown kind {other:?}")),
    };
    Ok(vec![NewEvent {
        id,
        learner_id: learner.id.clone(),
        lesson_id: Some(lesson.id.clone()),
        at,
        payload,
        change,
    }])
}

/// A phone's time for an event, in UTC, or the box's own time when the phone's cannot be
/// right: before this binary was built (a phone clock years behind) or ahead of the box's
/// clock (a phone clock years ahead). Order never depends on it; reports' days do.
fn plausible_time(state: &AppState, at: OffsetDateTime) -> String {
    let now = state.store.clock().now();
    let at = if at < crate::clock::built_at() || at > now + CLOCK_SLACK {
        now
    } else {
        at.to_offset(time::UtcOffset::UTC)
    };
    at.format(&Rfc3339).expect("a UTC time formats")
}

/// Stores a batch of the signed-in learner's events. Each gets its own answer, in order:
/// `stored` (now), `already_held` (sent before), or `refused` with the reason.
async fn events(
    State(state): State<AppState>,
    signed_in: SignedIn,
    AppJson(batch): AppJson<Batch>,
) -> Result<Json<Value>, Error> {
    if batch.events.len() > MAX_BATCH {
        return Err(Error::Rejected {
            code: "too_many_events",
            detail: format!(
                "at most {MAX_BATCH} events a batch; got {}",
                batch.events.len()
            ),
        });
    }
    let mut results: Vec<Value> = Vec::with_capacity(batch.events.len());
    // Each event checked, and the place of its answer; a practice decision that ends its run
    // records two, and is answered as the first.
    let mut valid: Vec<(Option<usize>, NewEvent)> = Vec::new();
    for raw in batch.events {
        let id = raw.get("id").cloned().unwrap_or(Value::Null);
        match check_event(&state, &signed_in.learner, raw) {
            Ok(events) => {
                let mut result = json!({ "id": id });
                if let Some(Change::Quiz { score, total, .. }) = events.first().map(|e| &e.change) {
                    result["score"] = (*score).into();
                    result["total"] = (*total).into();
                }
                if let Some(step) = events
                    .first()
                    .filter(|e| e.change.kind() == "practice_step")
                {
                    result["right"] = step.payload["right"].clone();
                    result["next"] = step.payload["next"].clone();
                }
                results.push(result);
                let place = results.len() - 1;
                for (n, event) in events.into_iter().enumerate() {
                    valid.push(((n == 0).then_some(place), event));
                }
            }
            Err(reason) => results.push(json!({ "id": id, "status": "refused", "reason": reason })),
        }
    }
    let (places, events): (Vec<Option<usize>>, Vec<NewEvent>) = valid.into_iter().unzip();
    let outcomes = state.store.record_events(events).await?;
    for (place, outcome) in places.into_iter().zip(outcomes) {
        let Some(place) = place else { continue };
        let result = &mut results[place];
        match outcome {
            EventOutcome::Stored { seq } => {
                result["status"] = "stored".into();
                result["seq"] = seq.into();
            }
            EventOutcome::AlreadyHeld => result["status"] = "already_held".into(),
            EventOutcome::Refused(reason) => {
                result["status"] = "refused".into();
                result["reason"] = reason.into();
            }
        }
    }
    Ok(Json(json!({ "results": results })))
}

/// The signed-in learner, each lesson's state, best scores and finished modules.
async fn me(State(state): State<AppState>, signed_in: SignedIn) -> Result<Json<Value>, Error> {
    let overview = super::pages::overview(&state, &signed_in.learner).await?;
    let lessons: Vec<Value> = state
        .catalogue
        .lessons()
        .map(|lesson| {
            let here = overview.lesson(&lesson.id);
            json!({
                "id": lesson.id,
                "opened": here.opened,
                "finished_at": here.finished_at,
                "has_quiz": here.has_quiz,
                "quiz": here.quiz.as_ref().map(|q| json!({
                    "best": q.best,
                    "total": q.total,
                    "attempts": q.attempts,
                    "passed_at": q.passed_at,
                })),
                "complete": here.complete(),
            })
        })
        .collect();
    let modules: Vec<Value> = state
        .catalogue
        .modules
        .iter()
        .filter_map(|m| overview.module(&m.id).map(|p| (m, p)))
        .map(|(m, p)| {
            json!({
                "id": m.id,
                "complete": p.complete,
                "total": p.total,
                "practised": p.practised,
                "practices": p.practices,
                "finished_on": p.finished_on,
            })
        })
        .collect();
    let finished: Vec<&Value> = modules
        .iter()
        .filter(|m| !m["finished_on"].is_null())
        .map(|m| &m["id"])
        .collect();
    let practice: Vec<Value> = state
        .catalogue
        .practices()
        .map(|practice| {
            let kept = overview.practice(&practice.id);
            json!({
                "id": practice.id,
                "lesson": practice.lesson_id,
                "runs": kept.map_or(0, |k| k.runs),
                "done": kept.is_some_and(|k| k.won_at.is_some()),
                "won_at": kept.and_then(|k| k.won_at.clone()),
                "first_try": kept.and_then(|k| k.first_win),
                "at": kept.map(|k| k.at.clone()),
            })
        })
        .collect();
    Ok(Json(json!({
        "learner": learner_json(&signed_in.learner),
        "lessons": lessons,
        "practice": practice,
        "modules": modules,
        "finished_modules": finished,
        "next_lesson": overview.next,
        "next_practice": overview.next_practice,
    })))
}
