//! The province hub's pages, for officers (signed in like facilitators, on the hub's own
//! accounts): the dashboard of every commune's reach with charts and CSV (each download
//! logged first), enrolment codes, and the content packs published.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::middleware;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use maud::{Markup, html};
use serde::Deserialize;

use crate::clock::format;
use crate::hub::reach::{self, By, Line, province_name};
use crate::store::{AuditAction, EnrolCode, HubBox, NewAudit, PublishedPack, Scope};
use crate::text::{self, NameInvalid};
use crate::web::csrf;
use crate::web::csrf::CsrfToken;
use crate::web::extract::AppForm;
use crate::web::i18n::{t, t_args, v};
use crate::web::pages::charts::bars;
use crate::web::pages::f::account;
use crate::web::pages::f::reports::download;
use crate::web::pages::layout::{self, csrf_field, errors, tools_page};
use crate::web::session::{self, Facilitating};
use crate::web::{AppState, Error, complete};

/// The officers' pages behind the guard that lets only a signed-in officer through, the
/// account pages and the hub's front door, all behind the CSRF guard.
pub(super) fn routes(state: &AppState) -> Router<AppState> {
    Router::new()
        .route("/hub", get(dashboard))
        .route("/hub/codes", get(codes).post(new_code))
        .route("/hub/csv/boxes", get(boxes_csv))
        .route("/hub/csv/{by}", get(breakdown_csv))
        .merge(super::learners::routes())
        .merge(super::officers::routes())
        .merge(super::usb::routes())
        .merge(super::proposals::routes())
        .merge(super::live::page_routes())
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            session::facilitators_only,
        ))
        .route("/", get(|| async { Redirect::to("/hub") }))
        .route("/f", get(|| async { Redirect::to("/hub") }))
        .route("/f/", get(|| async { Redirect::to("/hub") }))
        .merge(account::account_routes())
        .layer(middleware::from_fn(csrf::guard))
}

/// The officers' menu; an administrator's also leads to the officers' roles and the log.
pub(super) fn nav(f: &Facilitating) -> Markup {
    let mut places = vec![
        ("/hub", t("hub-nav-overview")),
        ("/hub/nguoi-hoc", t("hub-nav-learners")),
        ("/hub/codes", t("hub-nav-codes")),
        ("/hub/usb", t("hub-nav-usb")),
        ("/hub/de-xuat", t("hub-nav-proposals")),
        ("/hub/live", t("hub-nav-live")),
    ];
    if f.facilitator.roles.administrator {
        places.extend([
            ("/hub/can-bo", t("hub-nav-officers")),
            ("/hub/nhat-ky", t("hub-nav-log")),
        ]);
    }
    layout::menu(f, &places)
}

/// How long ago `timestamp` was, roughly, in words: `3 giờ`, `2 ngày`.
fn lag(state: &AppState, timestamp: Option<&str>) -> String {
    timestamp
        .and_then(|t| format::ago(t, state.hub().clock().now()))
        .unwrap_or_else(|| t("hub-never-synced").into())
}

/// What an officer sees: one province's records, or every province's.
pub(super) fn scope_of(f: &Facilitating) -> Scope {
    Scope::of(f.facilitator.province.as_deref())
}

struct Figures {
    scope: Scope,
    boxes: Vec<HubBox>,
    /// Every learner in scope once, and their tallies.
    total: Line,
    year: i32,
    /// Some record names a province: breakdowns and CSV files carry a province column.
    provinces: bool,
    /// Events received each of the last 30 days.
    daily: Vec<(String, i64)>,
}

impl Figures {
    /// More than one province is seen: the dashboard breaks everything down by province.
    fn national(&self) -> bool {
        self.scope == Scope::All && self.provinces
    }

    /// The breakdown `by`, per province too when `per_province`, from the store's sums.
    async fn lines(
        &self,
        state: &AppState,
        by: By,
        per_province: bool,
    ) -> Result<Vec<Line>, Error> {
        let tallies = state
            .hub()
            .tallies(&self.scope, by.dimension(), per_province)
            .await?;
        Ok(reach::lines(by, &tallies, self.year, per_province))
    }
}

async fn figures(state: &AppState, scope: Scope) -> Result<Figures, Error> {
    let hub = state.hub();
    let mut boxes = hub.boxes(&scope).await?;
    // As a Vietnamese reader orders names: Đắk Lắk before Tuyên Quang.
    boxes.sort_by_cached_key(|b| (text::fold(&b.province), text::fold(&b.commune)));
    let month_ago = hub.clock().now() - time::Duration::days(30);
    let since = format::date_iso(month_ago);
    let daily = hub.daily(&scope, &since).await?;
    let provinces = boxes.iter().any(|b| !b.province.is_empty());
    let name = match (&scope, provinces) {
        (Scope::Province(p), _) => t_args("hub-whole-province-named", [("province", v(p))]),
        (Scope::All, true) => t("hub-whole-country").into(),
        (Scope::All, false) => t("hub-whole-province").into(),
    };
    let year = crate::web::pages::learners::this_year(state);
    let by_province = hub.tallies(&scope, By::Province.dimension(), false).await?;
    let total = reach::total(
        &reach::lines(By::Province, &by_province, year, false),
        &name,
    );
    Ok(Figures {
        scope,
        boxes,
        total,
        year,
        provinces,
        daily,
    })
}

/// A breakdown as a table; on a phone each line a card, its name first.
fn table(lines: &[Line], first: &str, provinces: bool) -> Markup {
    html! {
        table.report.list.stack {
            thead { tr { th { (first) } @if provinces { th { (t("hub-province")) } } th.n { (t("f-nav-learners")) } th.n { (t("hub-lessons-done")) } th.n { (t("hub-practice")) } th.n { (t("hub-modules-done")) } th.n { (t("hub-attended")) } } }
            tbody {
                @for l in lines {
                    tr {
                        td { (l.key) }
                        @if provinces { td data-label=(t("hub-province")) { (l.province) } }
                        td.n data-label=(t("f-nav-learners")) { (l.learners) }
                        td.n data-label=(t("hub-lessons-done")) { (l.lessons) }
                        td.n data-label=(t("hub-practice")) { (l.practices) }
                        td.n data-label=(t("hub-modules-done")) { (l.modules) }
                        td.n data-label=(t("hub-attended")) { (l.attended) }
                    }
                }
            }
        }
    }
}

async fn dashboard(State(state): State<AppState>, f: Facilitating) -> Result<Markup, Error> {
    let figures = figures(&state, scope_of(&f)).await?;
    let total = &figures.total;
    let mut breakdowns = Vec::new();
    for by in By::ALL {
        if by == By::Province && !figures.national() {
            continue;
        }
        // Thousands of communes and villages do not read on one page: the nation's are in
        // their CSV files.
        if figures.national() && matches!(by, By::Commune | By::Village) {
            continue;
        }
        let per_province = figures.national() && by != By::Province;
        breakdowns.push((
            by,
            figures.lines(&state, by, per_province).await?,
            per_province,
        ));
    }
    let title = match &figures.scope {
        Scope::Province(p) => t_args("hub-title-province", [("province", v(p))]),
        Scope::All if figures.provinces => t("hub-title-country").into(),
        Scope::All => t("hub-title").into(),
    };
    let conflicts: Vec<&HubBox> = figures
        .boxes
        .iter()
        .filter(|b| b.conflict.is_some())
        .collect();
    // A province's boxes are listed all; the nation's, only those quiet for a week.
    let week_ago = state.hub().clock().now() - time::Duration::days(7);
    let listed: Vec<&HubBox> = figures
        .boxes
        .iter()
        .filter(|b| {
            !figures.national()
                || b.last_sync_at
                    .as_deref()
                    .and_then(format::parse)
                    .is_none_or(|at| at < week_ago)
        })
        .collect();
    let body = html! {
        (nav(&f))
        h1 { (title) }
        @for b in &conflicts {
            div.note.error role="alert" {
                p { "⚠ " (t("hub-conflict-box")) " " strong { (b.commune) } " (" code { (b.box_id) } "): " (t("hub-conflict")) }
            }
        }
        ul.figures {
            li { strong { (total.learners) } " " (t("hub-reached")) }
            li { strong { (total.lessons) } " " (t("hub-total-lessons")) }
            li { strong { (total.practices) } " " (t("hub-total-practices")) }
            li { strong { (total.modules) } " " (t("hub-total-modules")) }
            li { strong { (total.attended) } " " (t("rep-attendances")) }
        }
        @if !figures.daily.is_empty() {
            section {
                h2 { (t("hub-daily")) }
                (bars(t("hub-records"), &figures.daily.iter().map(|(day, n)| (format::day_month(day), u32::try_from(*n).unwrap_or(u32::MAX))).collect::<Vec<_>>(), None, None, &format!(" {}", t("hub-records-unit"))))
            }
        }
        h2 { (t("hub-communes")) }
        @if figures.boxes.is_empty() {
            p { (t("hub-no-boxes")) " " a href="/hub/codes" { (t("hub-make-code-for")) } "." }
        } @else {
            @if figures.national() {
                // Thousands of boxes do not read on one page either: those that went quiet.
                p { strong { (figures.boxes.len()) } " " (t("hub-boxes-enrolled")) "; "
                    strong { (listed.len()) } " " (t("hub-boxes-quiet"))
                    @if !listed.is_empty() { ":" } @else { "." } }
            }
            @if !listed.is_empty() {
            table.report.list.stack {
                thead { tr { th { (t("hub-commune")) } @if figures.provinces { th { (t("hub-province")) } } th { (t("hub-last-sync")) } th { (t("hub-ago")) } th.n { (t("hub-records")) } } }
                tbody {
                    @for b in &listed {
                        tr {
                            td { (b.commune) @if b.vouched_by.is_some() { " (" (t("hub-new-identity")) ")" } }
                            @if figures.provinces { td data-label=(t("hub-province")) { (province_name(&b.province)) } }
                            td data-label=(t("hub-last-sync")) { (b.last_sync_at.as_deref().map(format::when).unwrap_or_default()) }
                            td data-label=(t("hub-ago")) { (lag(&state, b.last_sync_at.as_deref())) }
                            td.n data-label=(t("hub-records")) { (b.events) }
                        }
                    }
                }
            }
            }
            p { a href="/hub/csv/boxes" { (t("hub-csv-boxes")) } }
        }
        @if figures.national() {
            section {
                h2 { (t("hub-by-commune-village")) }
                p { (t("hub-too-many")) " "
                    a href="/hub/csv/commune" { (t("hub-csv-commune")) } ", "
                    a href="/hub/csv/village" { (t("hub-csv-village")) } "." }
            }
        }
        @for (by, lines, per_province) in &breakdowns {
            @let by = *by;
            section {
                h2 { (by.title()) }
                (bars(t("f-nav-learners"), &lines.iter().map(|l| (label(l), l.learners)).collect::<Vec<_>>(), None, None, &format!(" {}", t("present-people"))))
                (table(lines, by.title(), *per_province))
                p { a href={ "/hub/csv/" (by.slug()) } { (t("hub-csv")) } }
            }
        }
        @if figures.scope == Scope::All {
            (hubs_joined(&state).await?)
        }
        h2 { (t("hub-packs")) }
        (packs_list(&state).await?)
    };
    Ok(tools_page(&state, t("hub-nav-overview"), body))
}

/// A line's name on a chart: its province's too, when lines are per province.
fn label(line: &Line) -> String {
    match line.province.as_str() {
        "" => line.key.clone(),
        province => format!("{province} · {}", line.key),
    }
}

/// For the hub's own officers: the national hub this one passes its communes' records on
/// to and how far it holds them, and the province hubs that joined this one.
async fn hubs_joined(state: &AppState) -> Result<Markup, Error> {
    let relays = state.hub().relays().await?;
    let passing_on = state.hub().passing_on().await?;
    Ok(html! {
        @if let Some(on) = passing_on {
            section {
                h2 { (t("hub-national")) }
                p { (t("hub-national-sends")) " " code { (on.national.url) } ". "
                    @if on.forwarded >= on.held {
                        "✓ " (t("hub-national-all")) " " strong { (on.held) } " " (t("hub-records-unit")) "."
                    } @else {
                        (t("hub-national-sent")) " " strong { (on.forwarded) } " / " (on.held) " " (t("hub-records-unit")) "; " (t("hub-national-rest"))
                    }
                }
            }
        }
        @if !relays.is_empty() {
            section {
                h2 { (t("hub-relays")) }
                table.report.list.stack {
                    thead { tr { th { (t("hub-province")) } th { (t("hub-join-code")) } th { (t("hub-joined-at")) } } }
                    tbody {
                        @for r in &relays {
                            tr {
                                td { (r.province) }
                                td data-label=(t("hub-join-code")) { code { (r.code) } }
                                td data-label=(t("hub-joined-at")) { (r.joined_at.as_deref().map(format::when).unwrap_or_else(|| t("hub-unused").into())) }
                            }
                        }
                    }
                }
            }
        }
    })
}

async fn packs_list(state: &AppState) -> Result<Markup, Error> {
    let packs = state.hub().packs().await?;
    Ok(html! {
        @if packs.is_empty() {
            p { (t("hub-no-packs")) " " code { "hocso hub publish " (t("hub-folder")) } " " (t("hub-on-server")) }
        } @else {
            ul {
                @for PublishedPack { name, version, published_at: at, .. } in &packs {
                    li { strong { (name) } " · " (t("sync-pack-version")) " " (version) " · " (format::when(at)) }
                }
            }
        }
    })
}

/// Logs the CSV file `hocso-{name}.csv` that `f` is about to download; an export whose line
/// cannot be written is refused (the error answers instead of the file).
async fn logged(
    state: &AppState,
    f: &Facilitating,
    name: &str,
    detail: String,
) -> Result<(), Error> {
    Ok(state
        .hub()
        .audit(NewAudit::by(
            &f.facilitator,
            AuditAction::Export,
            format!("hocso-{name}.csv"),
            detail,
        ))
        .await?)
}

async fn boxes_csv(State(state): State<AppState>, f: Facilitating) -> Result<Response, Error> {
    let boxes = state.hub().boxes(&scope_of(&f)).await?;
    let provinces = boxes.iter().any(|b| !b.province.is_empty());
    let rows: Vec<Vec<String>> = boxes
        .iter()
        .map(|b| {
            let province = provinces.then(|| province_name(&b.province).to_string());
            province
                .into_iter()
                .chain([
                    b.commune.clone(),
                    b.box_id.clone(),
                    b.enrolled_at.clone(),
                    b.last_sync_at.clone().unwrap_or_default(),
                    b.events.to_string(),
                    b.held.to_string(),
                    b.conflict.clone().unwrap_or_default(),
                ])
                .collect()
        })
        .collect();
    let province = provinces.then_some("Tỉnh");
    logged(&state, &f, "hub-boxes", String::new()).await?;
    Ok(download(
        "hub-boxes",
        &province
            .into_iter()
            .chain([
                "Xã",
                "Mã hộp",
                "Đăng ký lúc",
                "Đồng bộ cuối",
                "Bản ghi",
                "Seq liên tục",
                "Xung đột",
            ])
            .collect::<Vec<_>>(),
        &rows,
    ))
}

async fn breakdown_csv(
    State(state): State<AppState>,
    f: Facilitating,
    Path(by): Path<String>,
) -> Result<Response, Error> {
    let by = By::from_slug(by.trim_end_matches(".csv")).ok_or(Error::NotFound)?;
    let figures = figures(&state, scope_of(&f)).await?;
    let per_province = figures.provinces && by != By::Province;
    let mut lines = figures.lines(&state, by, per_province).await?;
    lines.push(figures.total.clone());
    let rows: Vec<Vec<String>> = lines
        .iter()
        .map(|l| {
            let province = per_province.then(|| l.province.clone());
            province
                .into_iter()
                .chain([
                    l.key.clone(),
                    l.learners.to_string(),
                    l.lessons.to_string(),
                    l.practices.to_string(),
                    l.modules.to_string(),
                    l.attended.to_string(),
                ])
                .collect()
        })
        .collect();
    let province = per_province.then_some("Tỉnh");
    logged(&state, &f, &format!("hub-{}", by.slug()), String::new()).await?;
    Ok(download(
        &format!("hub-{}", by.slug()),
        &province
            .into_iter()
            .chain([
                by.title(),
                "Người học",
                "Bài học xong",
                "Thực hành",
                "Phần học hoàn thành",
                "Lượt học nhóm",
            ])
            .collect::<Vec<_>>(),
        &rows,
    ))
}

#[derive(Deserialize, Default)]
struct CodeFields {
    #[serde(default)]
    commune: String,
    /// A national officer names the commune's province; a province's officer makes codes of
    /// their own province only.
    #[serde(default)]
    province: String,
}

fn codes_page(
    state: &AppState,
    f: &Facilitating,
    list: &[EnrolCode],
    made: Option<(&str, &str)>,
    problems: &[&str],
) -> Markup {
    tools_page(
        state,
        t("hub-nav-codes"),
        html! {
            (nav(f))
            h1 { (t("hub-codes-title")) }
            p.lead { (t("hub-codes-lead")) }
            @if let Some((code, commune)) = made {
                p.note role="status" { (t_args("hub-code-for", [("commune", v(commune))])) ": " strong.code { (code) } }
            }
            (errors(problems))
            form.stack method="post" action="/hub/codes" {
                (csrf_field(&f.csrf))
                @match &f.facilitator.province {
                    Some(p) => p.meta { (t("hub-province")) ": " strong { (p) } },
                    None => label { (t("hub-province-name")) input type="text" name="province" maxlength="100" placeholder="Đắk Lắk"; },
                }
                label { (t("setup-commune")) input type="text" name="commune" required maxlength="100" placeholder="Xã Ea Sol"; }
                button.button type="submit" { (t("hub-make-code")) }
            }
            @if !list.is_empty() {
                @let provinces = list.iter().any(|c| !c.province.is_empty());
                table.report.list.stack {
                    thead { tr { th { (t("live-code-short")) } @if provinces { th { (t("hub-province")) } } th { (t("hub-commune")) } th { (t("hub-made-at")) } th { (t("hub-used")) } } }
                    tbody {
                        @for EnrolCode { code, province, commune, made_at: at, used_by: used } in list {
                            tr {
                                td { code { (code) } }
                                @if provinces { td data-label=(t("hub-province")) { (province_name(province)) } }
                                td data-label=(t("hub-commune")) { (commune) }
                                td data-label=(t("hub-made-at")) { (format::when(at)) }
                                td data-label=(t("hub-used")) { @if used.is_some() { "✓" } @else { (t("hub-not-used")) } }
                            }
                        }
                    }
                }
            }
        },
    )
}

async fn codes(State(state): State<AppState>, f: Facilitating) -> Result<Markup, Error> {
    let list = state.hub().codes(&scope_of(&f)).await?;
    Ok(codes_page(&state, &f, &list, None, &[]))
}

async fn new_code(
    State(state): State<AppState>,
    f: Facilitating,
    _csrf: CsrfToken,
    AppForm(fields): AppForm<CodeFields>,
) -> Result<Response, Error> {
    let scope = scope_of(&f);
    let province = match &f.facilitator.province {
        Some(own) => Ok(own.clone()),
        None if fields.province.trim().is_empty() => Ok(String::new()),
        None => text::commune_name(&fields.province).map_err(|invalid| match invalid {
            NameInvalid::Hidden => t("hub-province-hidden"),
            NameInvalid::Empty | NameInvalid::TooLong => t("hub-province-long"),
        }),
    };
    let commune = text::commune_name(&fields.commune).map_err(|invalid| match invalid {
        NameInvalid::Hidden => t("set-commune-hidden"),
        NameInvalid::Empty | NameInvalid::TooLong => t("hub-commune-missing"),
    });
    let (province, commune) = match (province, commune) {
        (Ok(province), Ok(commune)) => (province, commune),
        (province, commune) => {
            let problems: Vec<&str> = [province.err(), commune.err()]
                .into_iter()
                .flatten()
                .collect();
            let list = state.hub().codes(&scope).await?;
            return Ok(complete(
                StatusCode::BAD_REQUEST,
                codes_page(&state, &f, &list, None, &problems),
            ));
        }
    };
    let code = state.hub().new_code(&commune, &province).await?;
    let list = state.hub().codes(&scope).await?;
    Ok(codes_page(&state, &f, &list, Some((&code, &commune)), &[]).into_response())
}
