//! `/hub/nguoi-hoc`: the learners an officer's scope holds, a page at a time and by
//! commune, one learner's record (`/hub/nguoi-hoc/{id}`) and the list as CSV
//! (`/hub/csv/learners`). Each is read through the store's audited reads, which log who,
//! when and what in the same transaction, and a name shows only to an officer with the
//! `see_names` role (others see the learner's pseudonym, `hub::officers`).

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use maud::{Markup, html};
use serde::Deserialize;

use super::pages::{nav, scope_of};
use crate::hub::officers::{pseudonym, shown_name};
use crate::hub::reach::{By, province_name};
use crate::store::{AuditAction, HubLearnerLine, LearnerPage, NewAudit};
use crate::web::i18n::t;
use crate::web::pages::f::reports::download;
use crate::web::pages::layout::tools_page;
use crate::web::session::Facilitating;
use crate::web::{AppState, Error};

/// Learners a page.
const PAGE: i64 = 50;

/// The longest commune name a filter can carry (`text::MAX_COMMUNE`, with room to spare).
const MAX_FILTER: usize = 200;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/hub/nguoi-hoc", get(list))
        .route("/hub/nguoi-hoc/{id}", get(record))
        .route("/hub/csv/learners", get(learners_csv))
}

/// The list's query as typed in the address: `?xa=…&trang=2`. Anything else is ignored,
/// and a page that is not a number is the first.
#[derive(Deserialize, Default)]
struct Listing {
    #[serde(default)]
    xa: String,
    #[serde(default)]
    trang: String,
}

impl Listing {
    /// The commune chosen, if one is and it is a name a commune could have.
    fn commune(&self) -> Option<String> {
        let commune = self.xa.trim();
        (!commune.is_empty() && commune.len() <= MAX_FILTER).then(|| commune.to_string())
    }

    /// The page asked for, from 1.
    fn page(&self) -> i64 {
        self.trang
            .trim()
            .parse::<i64>()
            .unwrap_or(1)
            .clamp(1, 1_000_000)
    }

    /// The page and filter as the audit log keeps them: `page=2; commune=Xã Ea Sol` (the
    /// commune last, whatever it holds).
    fn detail(&self, page: Option<i64>) -> String {
        let page = page.map(|p| format!("page={p}"));
        let commune = self.commune().map(|c| format!("commune={c}"));
        page.into_iter()
            .chain(commune)
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// The list's address with this filter at `page`.
    fn href(&self, page: i64) -> String {
        let mut pairs = Vec::new();
        if let Some(c) = self.commune() {
            pairs.push(("xa", c));
        }
        if page > 1 {
            pairs.push(("trang", page.to_string()));
        }
        match query(&pairs) {
            q if q.is_empty() => "/hub/nguoi-hoc".to_string(),
            q => format!("/hub/nguoi-hoc?{q}"),
        }
    }
}

/// `pairs` as an address's query, encoded.
pub(super) fn query(pairs: &[(&str, String)]) -> String {
    serde_urlencoded::to_string(pairs).unwrap_or_default()
}

/// What the officer may see of names, said above every list and record.
fn names_note(f: &Facilitating) -> Markup {
    html! {
        @if f.facilitator.roles.see_names {
            p.meta { (t("hub-learners-names")) }
        } @else {
            p.note role="note" { (t("hub-learners-no-names")) }
        }
    }
}

async fn list(
    State(state): State<AppState>,
    f: Facilitating,
    Query(listing): Query<Listing>,
) -> Result<Markup, Error> {
    let scope = scope_of(&f);
    let page = listing.page();
    let mut communes: Vec<String> = state
        .hub()
        .boxes(&scope)
        .await?
        .into_iter()
        .map(|b| b.commune)
        .collect();
    communes.sort_by_cached_key(|c| crate::text::fold(c));
    communes.dedup();
    let mut lines = state
        .hub()
        .learner_lines(
            &scope,
            &LearnerPage {
                commune: listing.commune(),
                offset: (page - 1) * PAGE,
                limit: Some(PAGE + 1),
            },
            NewAudit::by(
                &f.facilitator,
                AuditAction::Learners,
                "/hub/nguoi-hoc",
                listing.detail(Some(page)),
            ),
        )
        .await?;
    let more = lines.len() as i64 > PAGE;
    lines.truncate(PAGE as usize);
    let chosen = listing.commune().unwrap_or_default();
    let year = crate::web::pages::learners::this_year(&state);
    let csv = match listing.commune() {
        Some(_) => format!("/hub/csv/learners?{}", query(&[("xa", chosen.clone())])),
        None => "/hub/csv/learners".to_string(),
    };
    Ok(tools_page(
        &state,
        t("hub-learners-title"),
        html! {
            (nav(&f))
            h1 { (t("hub-learners-title")) }
            p.lead { (t("hub-learners-lead")) }
            (names_note(&f))
            form.actions method="get" action="/hub/nguoi-hoc" {
                label { (t("hub-commune")) " "
                    select name="xa" {
                        option value="" selected[chosen.is_empty()] { (t("hub-all-communes")) }
                        @for c in &communes {
                            option value=(c) selected[*c == chosen] { (c) }
                        }
                    }
                }
                " "
                button.button type="submit" { (t("hub-show")) }
            }
            @if lines.is_empty() {
                p { (t("hub-no-learners")) }
            } @else {
                table.report.list.stack {
                    thead { tr {
                        th { (t("hub-learner")) } th { (t("hub-commune")) } th { (t("hub-village")) }
                        th.n { (t("hub-birth-year")) } th { (t("hub-gender")) }
                        th.n { (t("hub-lessons-done")) } th.n { (t("hub-practice")) } th.n { (t("hub-modules-done")) } th.n { (t("hub-attended")) }
                    } }
                    tbody {
                        @for l in &lines {
                            tr {
                                td { a href={ "/hub/nguoi-hoc/" (l.learner.id) } { (shown_name(&l.learner)) } }
                                td data-label=(t("hub-commune")) { (l.learner.commune) }
                                td data-label=(t("hub-village")) { (l.learner.village) }
                                td.n data-label=(t("hub-birth-year")) { (l.learner.birth_year.map(|y| y.to_string()).unwrap_or_default()) }
                                td data-label=(t("hub-gender")) { (By::Gender.name(l.learner.gender.as_deref(), year)) }
                                td.n data-label=(t("hub-lessons-done")) { (l.lessons) }
                                td.n data-label=(t("hub-practice")) { (l.practices) }
                                td.n data-label=(t("hub-modules-done")) { (l.modules) }
                                td.n data-label=(t("hub-attended")) { (l.attended) }
                            }
                        }
                    }
                }
            }
            p.actions {
                @if page > 1 { a href=(listing.href(1)) { (t("hub-first-page")) } " " }
                @if more { a href=(listing.href(page + 1)) { (t("hub-next-page")) } }
            }
            p { a href=(csv) { (t("hub-csv-learners")) } }
        },
    ))
}

async fn record(
    State(state): State<AppState>,
    f: Facilitating,
    Path(id): Path<String>,
) -> Result<Markup, Error> {
    if id.len() > MAX_FILTER {
        return Err(Error::NotFound);
    }
    let found = state
        .hub()
        .learner_record(
            &scope_of(&f),
            &id,
            NewAudit::by(&f.facilitator, AuditAction::Learner, id.as_str(), ""),
        )
        .await?
        .ok_or(Error::NotFound)?;
    let l = &found.line;
    let year = crate::web::pages::learners::this_year(&state);
    let name = shown_name(&l.learner);
    let facts = [
        (t("hub-learner-code"), pseudonym(&l.learner.id)),
        (t("hub-province"), province_name(&l.learner.province).into()),
        (t("hub-commune"), l.learner.commune.clone()),
        (t("hub-village"), l.learner.village.clone()),
        (
            t("hub-birth-year"),
            l.learner
                .birth_year
                .map(|y| y.to_string())
                .unwrap_or_default(),
        ),
        (
            t("hub-gender"),
            By::Gender.name(l.learner.gender.as_deref(), year),
        ),
        (
            t("hub-ethnic"),
            By::Ethnic.name(l.learner.ethnic_group.as_deref(), year),
        ),
        (t("hub-lessons-done"), l.lessons.to_string()),
        (t("hub-practice"), l.practices.to_string()),
        (t("hub-modules-done"), l.modules.to_string()),
        (t("hub-attended"), l.attended.to_string()),
    ];
    Ok(tools_page(
        &state,
        &name,
        html! {
            (nav(&f))
            p { a href="/hub/nguoi-hoc" { (t("hub-back-learners")) } }
            h1 { (name) }
            (names_note(&f))
            @if f.facilitator.roles.see_names && l.learner.name.is_none() {
                p.meta { (t("hub-no-name-sent")) }
            }
            table.report {
                tbody {
                    @for (label, value) in &facts {
                        tr { th scope="row" { (label) } td { (value) } }
                    }
                }
            }
            h2 { (t("hub-learner-lessons")) }
            (ids(&found.lessons))
            h2 { (t("hub-learner-scenarios")) }
            (ids(&found.scenarios))
        },
    ))
}

fn ids(ids: &[String]) -> Markup {
    html! {
        @if ids.is_empty() { p { (t("hub-none-yet")) } }
        @else { ul { @for id in ids { li { code { (id) } } } } }
    }
}

/// The columns of the learners' CSV file.
const LEARNER_HEADER: &[&str] = &[
    "Mã",
    "Tên",
    "Tỉnh",
    "Xã",
    "Thôn",
    "Năm sinh",
    "Giới tính",
    "Dân tộc",
    "Bài học xong",
    "Thực hành",
    "Phần học hoàn thành",
    "Lượt học nhóm",
];

fn learner_row(l: &HubLearnerLine, year: i32) -> Vec<String> {
    vec![
        pseudonym(&l.learner.id),
        l.learner.name.clone().unwrap_or_default(),
        province_name(&l.learner.province).to_string(),
        l.learner.commune.clone(),
        l.learner.village.clone(),
        l.learner
            .birth_year
            .map(|y| y.to_string())
            .unwrap_or_default(),
        By::Gender.name(l.learner.gender.as_deref(), year),
        By::Ethnic.name(l.learner.ethnic_group.as_deref(), year),
        l.lessons.to_string(),
        l.practices.to_string(),
        l.modules.to_string(),
        l.attended.to_string(),
    ]
}

async fn learners_csv(
    State(state): State<AppState>,
    f: Facilitating,
    Query(listing): Query<Listing>,
) -> Result<Response, Error> {
    let lines = state
        .hub()
        .learner_lines(
            &scope_of(&f),
            &LearnerPage {
                commune: listing.commune(),
                offset: 0,
                limit: None,
            },
            NewAudit::by(
                &f.facilitator,
                AuditAction::Export,
                "hocso-hub-learners.csv",
                listing.detail(None),
            ),
        )
        .await?;
    let year = crate::web::pages::learners::this_year(&state);
    let rows: Vec<Vec<String>> = lines.iter().map(|l| learner_row(l, year)).collect();
    Ok(download("hub-learners", LEARNER_HEADER, &rows))
}

#[cfg(test)]
mod tests {
    use super::Listing;
    use proptest::prelude::*;

    fn listing(xa: &str, trang: &str) -> Listing {
        Listing {
            xa: xa.into(),
            trang: trang.into(),
        }
    }

    #[test]
    fn a_listing_reads_its_commune_and_page() {
        let l = listing(" Xã Ea Sol ", "3");
        assert_eq!(l.commune().as_deref(), Some("Xã Ea Sol"));
        assert_eq!(l.page(), 3);
        assert_eq!(l.detail(Some(3)), "page=3; commune=Xã Ea Sol");
        assert_eq!(l.detail(None), "commune=Xã Ea Sol");
        assert_eq!(l.href(2), "/hub/nguoi-hoc?xa=X%C3%A3+Ea+Sol&trang=2");
        assert_eq!(listing("", "abc").page(), 1);
        assert_eq!(listing("", "-4").page(), 1);
        assert_eq!(listing("", "").href(1), "/hub/nguoi-hoc");
    }

    proptest! {
        /// Whatever the address carries, the page is a number from 1 and the links made
        /// from it stay on the list.
        #[test]
        fn any_query_gives_a_page_and_a_link_of_the_list(xa in ".{0,300}", trang in ".{0,30}") {
            let l = listing(&xa, &trang);
            prop_assert!(l.page() >= 1);
            prop_assert!(l.commune().is_none_or(|c| !c.is_empty() && c.len() <= super::MAX_FILTER));
            let href = l.href(l.page() + 1);
            prop_assert!(href.starts_with("/hub/nguoi-hoc"));
            prop_assert!(!href.contains(['<', '>', '"', ' ']));
        }
    }
}
