//! A live lesson the province leads, as one hub process serves it: what every hall is told
//! now (`Broadcast`: the sessions, read again from the records every `LOOK` or at once when
//! an officer of this process moves one, with each hall's message sealed once a change and
//! shared by every hall it is for), the boxes' side (`api`: a hall's stream and its reports)
//! and the officers' (`pages`: starting, the presenter's screen, the halls). The rules are
//! `hub::live`'s; the records `HubStore`'s, so every process of a hub, and `hocso hub live`,
//! move one session.

mod api;
mod pages;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use tokio::sync::{Notify, watch};

use crate::hub::live::{Figures, session_for, shape, step_of};
use crate::protocol::live::Total;
use crate::store::{BoxPlace, HubLive};
use crate::web::AppState;

pub(super) use api::routes as api_routes;
pub(super) use pages::routes as page_routes;

/// How often a process reads the sessions again (another process, or `hocso hub live`,
/// may have moved one).
const LOOK: Duration = Duration::from_millis(500);
/// How often the province's answers shown in the halls are summed again, at most.
const TOTALS_EVERY: Duration = Duration::from_secs(2);

/// What this process tells the halls, and what wakes their streams.
pub struct Broadcast {
    now: watch::Sender<Arc<Snapshot>>,
    /// Told when an officer of this process moved a session: read again at once.
    wake: Notify,
}

impl Default for Broadcast {
    fn default() -> Broadcast {
        Broadcast {
            now: watch::Sender::new(Arc::new(Snapshot::default())),
            wake: Notify::new(),
        }
    }
}

/// The sessions as last read, and each message told of them, sealed once.
#[derive(Default)]
pub struct Snapshot {
    sessions: Vec<HubLive>,
    /// The province's answers shown in the halls, by session.
    totals: HashMap<String, Total>,
    /// Sealed messages by the session they tell (`None`: nothing for the hall).
    sealed: Mutex<HashMap<Option<String>, Arc<[u8]>>>,
}

impl Snapshot {
    /// The session a hall at `place` is in, and its message, sealed by the hub.
    pub fn for_place(&self, state: &AppState, place: &BoxPlace) -> (Option<String>, Arc<[u8]>) {
        let session = session_for(&self.sessions, place);
        let key = session.map(|s| s.id.clone());
        let mut sealed = self.sealed.lock().unwrap_or_else(PoisonError::into_inner);
        let message = sealed
            .entry(key.clone())
            .or_insert_with(|| {
                let total = session.and_then(|s| self.totals.get(&s.id).cloned());
                step_of(session, total)
                    .seal(state.hub().hub_id(), state.hub().keys())
                    .into()
            })
            .clone();
        (key, message)
    }

    /// Session `id`, if it is among those told.
    pub fn session(&self, id: &str) -> Option<HubLive> {
        self.sessions.iter().find(|s| s.id == id).cloned()
    }

    /// Whether `sessions` and `totals` say anything this one does not.
    fn differs(&self, sessions: &[HubLive], totals: &HashMap<String, Total>) -> bool {
        self.sessions != sessions || &self.totals != totals
    }
}

impl Broadcast {
    pub fn subscribe(&self) -> watch::Receiver<Arc<Snapshot>> {
        self.now.subscribe()
    }

    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.now.borrow().clone()
    }

    /// Read the sessions again now: an officer of this process moved one.
    pub fn moved(&self) {
        self.wake.notify_one();
    }
}

/// What a session tells its halls of the province's answers, when the officer shows them.
async fn total_of(state: &AppState, session: &HubLive) -> Option<Total> {
    if !session.show_total || session.ended_at.is_some() {
        return None;
    }
    let shape = shape(&state.catalogue, &session.lesson_id)?;
    let live = crate::hub::live::as_live(session, shape.clone());
    let halls = state.hub().live_halls(&session.id).await.ok()?;
    Figures::of(halls, &shape.1, state.hub().clock().now()).total(&live)
}

/// Keeps this process's `Broadcast` true until the hub shuts down: reads the sessions every
/// `LOOK`, or at once when told, and the totals shown in halls every `TOTALS_EVERY`.
pub async fn keep_told(state: AppState) {
    let mut closing = state.closing.subscribe();
    let broadcast = state.province_live.clone();
    let mut totals: HashMap<String, Total> = HashMap::new();
    // Summed at once (a board just booted has no earlier instant to start from).
    let mut summed = Instant::now()
        .checked_sub(TOTALS_EVERY)
        .unwrap_or_else(Instant::now);
    let mut first = true;
    loop {
        let sessions = match state.hub().live_current().await {
            Ok(sessions) => sessions,
            Err(e) => {
                tracing::warn!("cannot read the province's live lessons: {e}");
                broadcast.snapshot().sessions.clone()
            }
        };
        let moved = broadcast.snapshot().sessions != sessions;
        if moved || first || summed.elapsed() >= TOTALS_EVERY {
            first = false;
            // The catalogue as served now (a pack may have arrived).
            let state = state.clone();
            totals.clear();
            for session in &sessions {
                if let Some(total) = total_of(&state, session).await {
                    totals.insert(session.id.clone(), total);
                }
            }
            summed = Instant::now();
        }
        if broadcast.snapshot().differs(&sessions, &totals) {
            broadcast.now.send_replace(Arc::new(Snapshot {
                sessions,
                totals: totals.clone(),
                sealed: Mutex::default(),
            }));
        }
        tokio::select! {
            () = tokio::time::sleep(LOOK) => {}
            () = broadcast.wake.notified() => {}
            _ = closing.wait_for(|closing| *closing) => return,
        }
    }
}
