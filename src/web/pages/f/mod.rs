//! The facilitator's route tree, whole: set-up and signing in (`account`), and behind one
//! guard that lets only a signed-in facilitator through, the dashboard and settings
//! (`dashboard`, with how long learners' names are kept: `retention`), learners and groups
//! (`people`), printables (`printables`), reports
//! (`reports`), sync with the province (`sync`), lessons and practice scenarios made in the
//! commune (`lessons`, `scenarios`) and live lessons' control and projector
//! (`pages::live`). Every form here carries the browser's CSRF token, which `csrf::guard`
//! checks before any handler runs. Their words are in the request's language (`i18n::t`);
//! lessons and scenarios are named in Vietnamese, as the room reads them.

pub(in crate::web) mod account;
mod dashboard;
mod lesson_form;
mod lessons;
mod people;
pub(in crate::web) mod printables;
pub(in crate::web) mod readings;
pub(in crate::web) mod reports;
mod retention;
mod scenarios;
pub(in crate::web) mod sync;
mod uploads;

use axum::{Router, middleware};

use super::live;
use crate::web::{AppState, csrf, session};

/// Every facilitator route of a box: the guarded tree and the account pages, all behind the
/// CSRF guard.
pub(in crate::web) fn routes(state: &AppState) -> Router<AppState> {
    Router::new()
        .merge(dashboard::routes())
        .merge(people::routes())
        .merge(printables::routes())
        .merge(live::facilitator_routes())
        .merge(reports::routes())
        .merge(sync::routes())
        .merge(lessons::routes())
        .merge(scenarios::routes())
        .merge(readings::routes())
        .merge(retention::routes())
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            session::facilitators_only,
        ))
        .merge(account::account_routes())
        .layer(middleware::from_fn(csrf::guard))
}
