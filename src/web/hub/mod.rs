//! What only a hub serves over HTTP: the sync API boxes talk to (`api`, `/hub/v1`) and the
//! officers' pages (`pages`: `/hub`, its codes and CSV; `learners`: learners' lines and
//! records, each look logged; `officers`: an administrator's audit log and roles at
//! `/hub/nhat-ky` and `/hub/can-bo`; `usb`: a commune's USB file taken and
//! its reply file given; `proposals`: what communes propose, reviewed, then published or
//! declined, at `/hub/de-xuat`, behind the same guards), and the live lesson the province
//! leads to every hall (`live`: the halls' streams and reports, the officers' presenter). A
//! box serves none of it.
mod api;
mod learners;
pub mod live;
mod officers;
mod pages;
mod proposals;
mod usb;

use axum::Router;

use super::AppState;

/// Every route of a hub: its officers' pages and the boxes' API.
pub(super) fn routes(state: &AppState) -> Router<AppState> {
    pages::routes(state)
        .merge(api::routes())
        .merge(live::api_routes())
}
