//! What a hub's administrator does: reads the audit log (`/hub/nhat-ky`: newest first, a
//! page at a time, one officer's lines if chosen) and gives or takes the role of seeing
//! learners' names (`/hub/can-bo`). An officer who is not an administrator gets 403 and a
//! page that says so (`Administering`); a province's administrator reaches only that
//! province's officers and lines.

use axum::Router;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use maud::{Markup, html};
use serde::Deserialize;

use super::learners::query;
use super::pages::{nav, scope_of};
use crate::clock::format;
use crate::hub::officers::pseudonym;
use crate::hub::reach::province_name;
use crate::store::{AuditAction, AuditEntry, AuditQuery, Granting, OfficerRole, Scope};
use crate::web::csrf::CsrfToken;
use crate::web::extract::AppForm;
use crate::web::i18n::{t, t_args, v};
use crate::web::pages::layout::{csrf_field, tools_page};
use crate::web::session::Facilitating;
use crate::web::{AppState, Error, complete};

/// Lines of the log a page.
const PAGE: i64 = 50;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/hub/nhat-ky", get(log))
        .route("/hub/can-bo", get(officers))
        .route("/hub/can-bo/{id}/xem-ten", post(names_role))
}

/// A signed-in officer with the administrator role; anyone else signed in gets 403.
pub(super) struct Administering(pub Facilitating);

impl FromRequestParts<AppState> for Administering {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let f = Facilitating::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        if f.facilitator.roles.administrator {
            return Ok(Administering(f));
        }
        Err(complete(
            StatusCode::FORBIDDEN,
            tools_page(
                state,
                t("hub-admin-only"),
                html! {
                    (nav(&f))
                    h1 { (t("hub-admin-only")) }
                    p.lead { (t("hub-admin-only-detail")) }
                    p { a.button href="/hub" { (t("hub-nav-overview")) } }
                },
            ),
        ))
    }
}

/// The log's query: `?can-bo=ID&truoc=N`. Anything else is ignored.
#[derive(Deserialize, Default)]
struct LogQuery {
    #[serde(default, rename = "can-bo")]
    officer: String,
    #[serde(default)]
    truoc: String,
}

fn action_words(action: AuditAction) -> &'static str {
    t(match action {
        AuditAction::Export => "hub-log-export",
        AuditAction::Learners => "hub-log-learners",
        AuditAction::Learner => "hub-log-learner",
        AuditAction::Grant => "hub-log-grant",
        AuditAction::Revoke => "hub-log-revoke",
    })
}

fn role_words(role: &str) -> &'static str {
    match OfficerRole::parse(role) {
        Some(OfficerRole::SeeNames) => t("hub-role-names"),
        Some(OfficerRole::Administrator) => t("hub-role-administrator"),
        None => "",
    }
}

/// What a line was about, in words: the file and its filter, the learner by pseudonym, the
/// role and whose.
fn what(entry: &AuditEntry) -> Markup {
    html! {
        @match entry.action {
            AuditAction::Learner => { (t("hub-learner")) " " code { (pseudonym(&entry.subject)) } },
            AuditAction::Grant | AuditAction::Revoke => { (role_words(&entry.detail)) " · " strong { (entry.subject) } },
            AuditAction::Export => {
                code { (entry.subject) }
                @if !entry.detail.is_empty() { " · " (filter_words(&entry.detail)) }
            },
            AuditAction::Learners => (filter_words(&entry.detail)),
        }
        @if let Some(p) = &entry.province { " · " (province_name(p)) }
    }
}

/// A list's page and filter as the log keeps them (`page=2; commune=Xã Ea Sol`), in words:
/// `Trang 2 · Xã: Xã Ea Sol`. The commune comes last and is taken whole.
fn filter_words(detail: &str) -> String {
    let (page, commune) = match detail.strip_prefix("page=") {
        Some(rest) => match rest.split_once("; ") {
            Some((page, rest)) => (Some(page), rest.strip_prefix("commune=")),
            None => (Some(rest), None),
        },
        None => (None, detail.strip_prefix("commune=")),
    };
    let mut words = Vec::new();
    if let Some(page) = page {
        words.push(format!("{} {page}", t("hub-log-page")));
    }
    if let Some(commune) = commune {
        words.push(format!("{}: {commune}", t("hub-commune")));
    }
    match words.is_empty() {
        true => detail.to_string(),
        false => words.join(" · "),
    }
}

fn yes_no(yes: bool) -> &'static str {
    t(if yes { "hub-yes" } else { "hub-no" })
}

async fn log(
    State(state): State<AppState>,
    Administering(f): Administering,
    Query(asked): Query<LogQuery>,
) -> Result<Markup, Error> {
    let scope = scope_of(&f);
    let officers = state.accounts().officers(&scope).await?;
    let chosen = officers
        .iter()
        .find(|o| o.id == asked.officer.trim())
        .map(|o| o.id.clone());
    let before = asked.truoc.trim().parse::<i64>().ok().filter(|b| *b > 0);
    let mut lines = state
        .hub()
        .audit_log(&AuditQuery {
            scope,
            officer: chosen.clone(),
            before,
            limit: PAGE + 1,
        })
        .await?;
    let more = lines.len() as i64 > PAGE;
    lines.truncate(PAGE as usize);
    let href = |before: Option<i64>| {
        let mut pairs = Vec::new();
        if let Some(o) = &chosen {
            pairs.push(("can-bo", o.clone()));
        }
        if let Some(b) = before {
            pairs.push(("truoc", b.to_string()));
        }
        match query(&pairs) {
            q if q.is_empty() => "/hub/nhat-ky".to_string(),
            q => format!("/hub/nhat-ky?{q}"),
        }
    };
    Ok(tools_page(
        &state,
        t("hub-log-title"),
        html! {
            (nav(&f))
            h1 { (t("hub-log-title")) }
            p.lead { (t("hub-log-lead")) }
            form.actions method="get" action="/hub/nhat-ky" {
                label { (t("hub-log-officer")) " "
                    select name="can-bo" {
                        option value="" selected[chosen.is_none()] { (t("hub-log-all")) }
                        @for o in &officers {
                            option value=(o.id) selected[chosen.as_deref() == Some(o.id.as_str())] { (o.name) }
                        }
                    }
                }
                " "
                button.button type="submit" { (t("hub-show")) }
            }
            @if lines.is_empty() {
                p { (t("hub-log-empty")) }
            } @else {
                table.report.list.stack {
                    thead { tr { th { (t("hub-log-when")) } th { (t("hub-log-officer")) } th { (t("hub-log-what")) } th { (t("hub-log-detail")) } th { (t("hub-log-names")) } } }
                    tbody {
                        @for e in &lines {
                            tr {
                                td { (format::when(&e.at)) }
                                td data-label=(t("hub-log-officer")) {
                                    @if e.officer_id.is_some() { (e.officer) } @else { (e.officer) " (" (t("hub-log-cli")) ")" }
                                }
                                td data-label=(t("hub-log-what")) { (action_words(e.action)) }
                                td data-label=(t("hub-log-detail")) { (what(e)) }
                                td data-label=(t("hub-log-names")) { (yes_no(e.names)) }
                            }
                        }
                    }
                }
            }
            p.actions {
                @if before.is_some() { a href=(href(None)) { (t("hub-first-page")) } " " }
                @if more { @if let Some(last) = lines.last() { a href=(href(Some(last.id))) { (t("hub-next-page")) } } }
            }
        },
    ))
}

fn officers_page(
    state: &AppState,
    f: &Facilitating,
    list: &[crate::store::Facilitator],
    changed: Option<&str>,
) -> Markup {
    tools_page(
        state,
        t("hub-officers-title"),
        html! {
            (nav(f))
            h1 { (t("hub-officers-title")) }
            p.lead { (t("hub-officers-lead")) }
            @if let Some(name) = changed {
                p.note role="status" { "✓ " (t_args("hub-role-changed", [("name", v(name))])) }
            }
            table.report.list.stack {
                thead { tr { th { (t("hub-log-officer")) } th { (t("hub-province")) } th { (t("hub-role-names")) } th { (t("hub-role-administrator")) } th { (t("hub-change-role")) } } }
                tbody {
                    @for o in list {
                        tr {
                            td { (o.name) }
                            td data-label=(t("hub-province")) { (o.province.as_deref().map(province_name).unwrap_or_else(|| t("hub-whole-country"))) }
                            td data-label=(t("hub-role-names")) { (yes_no(o.roles.see_names)) }
                            td data-label=(t("hub-role-administrator")) { (yes_no(o.roles.administrator)) }
                            td data-label=(t("hub-change-role")) {
                                form method="post" action={ "/hub/can-bo/" (o.id) "/xem-ten" } {
                                    (csrf_field(&f.csrf))
                                    @if o.roles.see_names {
                                        input type="hidden" name="on" value="0";
                                        button.button.quiet type="submit" { (t("hub-revoke-names")) }
                                    } @else {
                                        input type="hidden" name="on" value="1";
                                        button.button type="submit" { (t("hub-grant-names")) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            p { (t("hub-officers-cli")) " " code { "hocso hub grant TÊN administrator" } }
        },
    )
}

#[derive(Deserialize)]
struct ChangedQuery {
    #[serde(default)]
    doi: String,
}

async fn officers(
    State(state): State<AppState>,
    Administering(f): Administering,
    Query(changed): Query<ChangedQuery>,
) -> Result<Markup, Error> {
    let list = state.accounts().officers(&scope_of(&f)).await?;
    let changed = list
        .iter()
        .find(|o| o.id == changed.doi)
        .map(|o| o.name.as_str());
    Ok(officers_page(&state, &f, &list, changed))
}

#[derive(Deserialize)]
struct RoleFields {
    on: String,
}

async fn names_role(
    State(state): State<AppState>,
    Administering(f): Administering,
    _csrf: CsrfToken,
    Path(id): Path<String>,
    AppForm(fields): AppForm<RoleFields>,
) -> Result<Response, Error> {
    let on = match fields.on.as_str() {
        "1" => true,
        "0" => false,
        _ => return Err(Error::BadRequest),
    };
    let scope: Scope = scope_of(&f);
    let changed = state
        .accounts()
        .set_role(
            &scope,
            &id,
            Granting {
                by: Some(&f.facilitator),
                role: OfficerRole::SeeNames,
                on,
            },
        )
        .await?
        .ok_or(Error::NotFound)?;
    let to = query(&[("doi", changed.id)]);
    Ok(Redirect::to(&format!("/hub/can-bo?{to}")).into_response())
}

#[cfg(test)]
mod tests {
    use super::filter_words;
    use proptest::prelude::*;

    #[test]
    fn a_filter_reads_as_words() {
        assert_eq!(
            filter_words("page=2; commune=Xã Ea Sol"),
            "Trang 2 · Xã: Xã Ea Sol"
        );
        assert_eq!(filter_words("page=1"), "Trang 1");
        assert_eq!(filter_words("commune=A; B"), "Xã: A; B");
        assert_eq!(filter_words(""), "");
    }

    proptest! {
        /// Whatever a commune filter held, its words give it back whole.
        #[test]
        fn any_commune_is_said_whole(commune in ".{1,60}", page in 1i64..1000) {
            let said = filter_words(&format!("page={page}; commune={commune}"));
            prop_assert!(said.ends_with(&commune), "{}", said);
        }
    }
}
