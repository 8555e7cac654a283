//! A hall following the province's live lesson: each step the hub tells (`sync::live`,
//! through `Following`) moves the hall's own session of that lesson, a session like any
//! other, with the hall's own join code, so the projector and the phones follow it as they
//! follow a local one; the hall's room (who is there, how many chose each answer, no names)
//! goes back as a report whenever it changes. A message older than one already applied is
//! dropped; only a session said ended ends the hall's (or a new province session for this
//! hall, which the hub starts only once the last ended). The hall's facilitator may take
//! over (`lead`), then hand back: the class goes to where the province is then.

use std::collections::HashMap;
use std::time::Duration;

use axum::extract::{Path, State};
use axum::response::Response;
use serde::Deserialize;

use super::control::{back_to, finish};
use crate::facilitate::live::Live;
use crate::protocol::live::{LiveNow, LiveReport, LiveStep};
use crate::web::extract::AppForm;
use crate::web::i18n::t;
use crate::web::session::Facilitating;
use crate::web::{AppState, Error};

/// How often the hall's room is looked at even when nothing woke it.
const LOOK: Duration = Duration::from_secs(2);

/// Follows the province's live lessons until the box shuts down.
pub async fn keep_following(state: AppState) {
    let mut told = state.following.told.subscribe();
    // Each message is applied once (what was told before this began, first); the loop also
    // wakes for the room's changes.
    let mut fresh = true;
    let mut closing = state.closing.subscribe();
    // The newest version applied of each province session.
    let mut versions: HashMap<String, i64> = HashMap::new();
    let mut missing: Option<String> = None;
    loop {
        // The lessons as served now (a content pack may have arrived since the last turn).
        let state = state.clone();
        let news = match std::mem::take(&mut fresh) {
            true => told.borrow_and_update().clone(),
            false => None,
        };
        if let Some(now) = news
            && let Err(e) = apply(&state, now, &mut versions, &mut missing).await
        {
            tracing::warn!("cannot follow the province's live lesson: {e:?}");
        }
        let mut projector = match room(&state, missing.as_deref()).await {
            Ok((report, projector)) => {
                state.following.room.send_if_modified(|kept| {
                    let changed = *kept != report;
                    *kept = report;
                    changed
                });
                projector
            }
            Err(e) => {
                tracing::warn!("cannot read the hall's room: {e:?}");
                None
            }
        };
        let woken = async {
            match &mut projector {
                Some(p) => {
                    let _ = p.changed().await;
                }
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            changed = told.changed() => fresh = changed.is_ok(),
            () = woken => {}
            () = tokio::time::sleep(LOOK) => {}
            _ = closing.wait_for(|c| *c) => return,
        }
    }
}

/// Applies what the hub said, unless a newer word on that session was applied already.
async fn apply(
    state: &AppState,
    now: LiveNow,
    versions: &mut HashMap<String, i64>,
    missing: &mut Option<String>,
) -> Result<(), Error> {
    let Some(step) = now.session else {
        return Ok(());
    };
    if versions.get(&step.id).is_some_and(|v| *v > step.version) {
        return Ok(());
    }
    versions.insert(step.id.clone(), step.version);
    // One province session covers a hall at a time: another one the province still leads
    // here has ended there.
    let mut kept = None;
    for record in state.store.open_province_sessions().await? {
        let this = record.province_session.as_deref() == Some(step.id.as_str());
        if (!this || step.ended) && record.led_by_province {
            tracing::info!(session = %record.id, "the province's live lesson ended");
            finish(state, &record.id).await?;
        } else if this {
            kept = Some(record.id);
        }
    }
    if step.ended {
        return Ok(());
    }
    if state.catalogue.lesson(&step.lesson).is_none() {
        if missing.as_deref() != Some(&step.id) {
            tracing::warn!(lesson = %step.lesson, "the province leads a lesson this box does not hold");
        }
        *missing = Some(step.id);
        return Ok(());
    }
    *missing = None;
    let id = match kept {
        Some(id) => id,
        None => {
            let record = state
                .store
                .follow_province(
                    &step.id,
                    &step.lesson,
                    step.step,
                    step.reveal,
                    Live::new_code,
                )
                .await?;
            if record.ended_at.is_some() {
                // The hall's facilitator ended it here.
                return Ok(());
            }
            tracing::info!(session = %record.id, province = %step.id, "the hall follows the province's live lesson");
            record.id
        }
    };
    move_to(state, &id, &step).await
}

/// Puts the hall's session `id` where the province's `step` stands, if the province leads it.
async fn move_to(state: &AppState, id: &str, step: &LiveStep) -> Result<(), Error> {
    let running = state.live.get(state, id).await?;
    let _one_at_a_time = running.control.lock().await;
    let mut moved = running.now();
    if moved.follow(step.step, step.reveal) {
        state
            .store
            .live_step(id, moved.step, moved.revealed)
            .await?;
        running.change(true, |live| live.follow(step.step, step.reveal));
    }
    running.set_total(step.total.clone());
    Ok(())
}

/// The hall's room in the province session it follows (the newest open), and what wakes
/// when it changes; `None` when it follows none.
async fn room(
    state: &AppState,
    missing: Option<&str>,
) -> Result<
    (
        Option<LiveReport>,
        Option<tokio::sync::watch::Receiver<u64>>,
    ),
    Error,
> {
    let empty = |session: &str, missing| LiveReport {
        box_id: String::new(),
        session: Some(session.to_string()),
        step: 0,
        led_here: false,
        missing,
        present: 0,
        answers: Vec::new(),
    };
    let Some(record) = state.store.open_province_sessions().await?.pop() else {
        return Ok((missing.map(|m| empty(m, true)), None));
    };
    let Ok(running) = state.live.get(state, &record.id).await else {
        return Ok((None, None));
    };
    let live = running.now();
    let report = LiveReport {
        present: live.present.len() as u32,
        step: live.step,
        led_here: live.led_here(),
        answers: (0..live.choices.len()).map(|q| live.tally(q)).collect(),
        ..empty(
            record.province_session.as_deref().unwrap_or_default(),
            false,
        )
    };
    Ok((Some(report), Some(running.projector())))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct LeadForm {
    /// `1`: the hall's facilitator takes over; `0`: hands back to the province.
    here: u8,
}

/// The hall's facilitator takes the class over (the link is down, or the room needs time),
/// or hands it back: the class then goes to where the province is.
pub(super) async fn lead(
    State(state): State<AppState>,
    _: Facilitating,
    Path(id): Path<String>,
    AppForm(form): AppForm<LeadForm>,
) -> Result<Response, Error> {
    let running = state.live.get(&state, &id).await?;
    let by_province = form.here == 0;
    let Some(province) = running.now().province else {
        return Err(Error::BadRequest);
    };
    {
        let _one_at_a_time = running.control.lock().await;
        if state.store.live_led_by(&id, by_province).await? {
            running.change(true, |live| {
                if let Some(p) = &mut live.province {
                    p.by_province = by_province;
                }
                true
            });
        }
    }
    if by_province {
        let told = state.following.told.borrow().clone();
        if let Some(step) = told.and_then(|now| now.session)
            && step.id == province.session
            && !step.ended
        {
            move_to(&state, &id, &step).await?;
        }
    }
    Ok(back_to(&id, "control"))
}

/// What the hall's screens say of the province: who leads, and whether the link lives.
pub(super) fn status(state: &AppState, live: &Live) -> Option<&'static str> {
    let province = live.province.as_ref()?;
    let linked = state.following.linked(Duration::from_secs(30));
    Some(match (province.by_province, linked) {
        (true, true) => t("province-leads"),
        (true, false) => t("province-lost"),
        (false, true) => t("province-led-here"),
        (false, false) => t("province-led-here-lost"),
    })
}
