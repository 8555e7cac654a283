//! Server-rendered pages (maud). `layout` holds the frame; one file an area.

pub mod layout;
mod lessons;

use axum::Router;

use super::AppState;

pub(super) fn routes() -> Router<AppState> {
    lessons::routes()
}
