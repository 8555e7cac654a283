//! How long the box keeps learners' names, for facilitators: the dashboard's part (`part`:
//! the months kept, how many learners the next look erases, the pause after the clock moved
//! far forward) and its form (`/f/giu-ten`): new months, confirmed first when they would
//! erase anyone now, or "go on" after a pause. Either way what is due is erased at once,
//! as the timer would (`learn::rights`).

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use maud::{Markup, html};
use serde::Deserialize;

use crate::learn::rights::{
    self, MAX_MONTHS, RETENTION_MONTHS, RETENTION_PAUSED, Retention, months_before,
};
use crate::web::extract::AppForm;
use crate::web::i18n::{t, t_args, v};
use crate::web::pages::layout::{csrf_field, errors, facilitator_nav, tools_page};
use crate::web::session::Facilitating;
use crate::web::{AppState, Error, complete};

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/f/giu-ten", post(save))
}

/// The dashboard's part: what retention will do before it does it.
pub(super) fn part(retention: &Retention, csrf: &str) -> Markup {
    html! {
        section #retention {
            h2 { (t("rights-retention-title")) }
            @match retention.months {
                Some(months) => {
                    p { (t_args("rights-retention-on", [("months", v(months))])) }
                    @if retention.paused {
                        div.note.warn role="status" {
                            p { (t_args("rights-retention-paused", [("n", v(retention.due))])) }
                            form method="post" action="/f/giu-ten" {
                                (csrf_field(csrf))
                                input type="hidden" name="resume" value="1";
                                button.button type="submit" { (t("rights-retention-resume")) }
                            }
                        }
                    } @else {
                        p.meta.due { (t_args("rights-retention-due", [("n", v(retention.due))])) }
                    }
                }
                None => p { (t("rights-retention-off")) },
            }
            (months_form(retention.months.unwrap_or(0), csrf, None))
        }
    }
}

fn months_form(months: u32, csrf: &str, typed: Option<&str>) -> Markup {
    html! {
        form.inline method="post" action="/f/giu-ten" {
            (csrf_field(csrf))
            label { (t("rights-retention-months")) " "
                input type="text" name="months" inputmode="numeric" maxlength="3" size="4"
                    value=(typed.map_or_else(|| months.to_string(), str::to_string));
            }
            " "
            button.button.quiet type="submit" { (t("rights-retention-save")) }
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RetentionForm {
    months: String,
    /// `1`: go on after a pause.
    resume: String,
    /// `yes`: the facilitator saw who would be erased, and saves.
    confirm: String,
}

/// New months (confirmed first when they would erase anyone now), or going on after a pause;
/// then what is due is erased at once.
async fn save(
    State(state): State<AppState>,
    f: Facilitating,
    AppForm(form): AppForm<RetentionForm>,
) -> Result<Response, Error> {
    if form.resume == "1" {
        state.store.set_setting(RETENTION_PAUSED, "0").await?;
    } else {
        let Some(months) = rights::parse_months(&form.months) else {
            let page = tools_page(
                &state,
                t("rights-retention-title"),
                html! {
                    (facilitator_nav(&f))
                    h1 { (t("rights-retention-title")) }
                    (errors(&[&t_args("rights-retention-invalid", [("max", v(MAX_MONTHS))])]))
                    (months_form(0, &f.csrf, Some(&form.months)))
                },
            );
            return Ok(complete(StatusCode::BAD_REQUEST, page));
        };
        let due = match months {
            0 => 0,
            m => {
                let since = months_before(state.store.clock().now(), m);
                let since = since
                    .format(&time::format_description::well_known::Rfc3339)
                    .expect("a UTC time formats");
                state.store.unseen_learners(&since).await?
            }
        };
        if due > 0 && form.confirm != "yes" {
            let page = tools_page(
                &state,
                t("rights-retention-title"),
                html! {
                    (facilitator_nav(&f))
                    h1 { (t("rights-retention-title")) }
                    p.note.warn role="note" { strong { (t_args("rights-retention-confirm", [("months", v(months)), ("n", v(due))])) } }
                    form.stack method="post" action="/f/giu-ten" {
                        (csrf_field(&f.csrf))
                        input type="hidden" name="months" value=(months);
                        input type="hidden" name="confirm" value="yes";
                        button.button.danger type="submit" { (t("rights-retention-confirm-button")) }
                    }
                    p { a href="/f#retention" { "← " (t("rights-erase-cancel")) } }
                },
            );
            return Ok(page.into_response());
        }
        state
            .store
            .set_setting(RETENTION_MONTHS, &months.to_string())
            .await?;
    }
    let erased = rights::erase_unseen(&state.store).await?;
    if erased > 0 {
        tracing::info!(
            learners = erased,
            "learners not seen for the months kept were erased"
        );
    }
    Ok(Redirect::to("/f#retention").into_response())
}
