//! The JSON API under `/api/v1`: health, and the lesson catalogue (never quiz answers).

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

use super::AppState;
use crate::content::Lang;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/health", get(health))
        .route("/api/v1/lessons", get(lessons))
}

#[derive(Serialize)]
struct Health {
    status: &'static str,
    version: &'static str,
    role: &'static str,
}

async fn health() -> Json<Health> {
    Json(Health {
        status: "ok",
        version: env!("CARGO_PKG_VERSION"),
        role: "box",
    })
}

/// One language's version of a lesson, as the catalogue lists it.
#[derive(Serialize)]
struct LessonEntry<'a> {
    id: &'a str,
    url: String,
    module: &'a str,
    title: &'a str,
    lang: &'static str,
    minutes: u32,
    slides: usize,
    quiz_count: usize,
}

#[derive(Deserialize)]
struct LessonsQuery {
    lang: Option<String>,
}

/// Every lesson in every language it has, in teaching order; `?lang=` keeps one language.
async fn lessons(State(state): State<AppState>, Query(query): Query<LessonsQuery>) -> Response {
    // `frame` has already refused an unknown `lang`.
    let only = query.lang.as_deref().and_then(Lang::from_code);
    let entries: Vec<LessonEntry<'_>> = state
        .catalogue
        .lessons()
        .flat_map(|lesson| {
            lesson
                .versions
                .iter()
                .filter(move |(lang, _)| only.is_none_or(|o| o == *lang))
                .map(move |(lang, v)| LessonEntry {
                    id: &lesson.id,
                    url: format!("/m/{}", lesson.id),
                    module: &lesson.module_id,
                    title: &v.title,
                    lang: lang.code(),
                    minutes: v.minutes,
                    slides: v.slides.len(),
                    quiz_count: v.quiz.len(),
                })
        })
        .collect();
    Json(entries).into_response()
}
