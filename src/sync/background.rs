//! The box's sync in the background: whenever a hub is pinned, on a timer (soon after start,
//! then every `AFTER_OK`; after a failure from `FIRST_RETRY`, doubling up to `MAX_RETRY`,
//! each with ±20% jitter so a province's boxes do not all call at once), at once when the
//! facilitator asks, and at once when the pinned hub shows up on the LAN by mDNS. Every
//! `PACK_LOOK` it also looks for content packs imported from a file, to serve them.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{Notify, mpsc, watch};

use super::client;
use crate::discovery::HubSeen;
use crate::store::sync::{HUB_KEY, HUB_PIN};
use crate::store::{PackVersion, Store};

const FIRST_TRY: Duration = Duration::from_secs(5);
const AFTER_OK: Duration = Duration::from_secs(15 * 60);
const FIRST_RETRY: Duration = Duration::from_secs(30);
const MAX_RETRY: Duration = Duration::from_secs(30 * 60);
/// How often the box looks for packs imported from a file while it serves.
const PACK_LOOK: Duration = Duration::from_secs(60);

/// `delay` give or take a fifth, at random.
fn jittered(delay: Duration) -> Duration {
    let mut byte = [0u8; 1];
    let _ = getrandom::fill(&mut byte);
    let factor = 0.8 + 0.4 * f64::from(byte[0]) / 255.0;
    delay.mul_f64(factor)
}

async fn pack_versions(store: &Store) -> Vec<PackVersion> {
    store.pack_versions().await.unwrap_or_default()
}

/// Runs until `closing` turns true. `new_lessons` is called when content packs arrived (by
/// a sync, or imported from a file while the box serves).
pub async fn run(
    store: Store,
    wake: Arc<Notify>,
    mut closing: watch::Receiver<bool>,
    mut seen: mpsc::Receiver<HubSeen>,
    new_lessons: impl Fn() + Send,
) {
    let mut delay = FIRST_TRY;
    let mut next = tokio::time::Instant::now() + delay;
    let mut packs = pack_versions(&store).await;
    loop {
        let mut found = None;
        let mut asked = false;
        let look = (tokio::time::Instant::now() + PACK_LOOK).min(next);
        tokio::select! {
            () = tokio::time::sleep_until(look) => {}
            () = wake.notified() => asked = true,
            Some(hub) = seen.recv() => found = Some(hub),
            _ = closing.changed() => return,
        }
        if *closing.borrow() {
            return;
        }
        let now = pack_versions(&store).await;
        if now != packs {
            new_lessons();
            packs = now;
        }
        if !asked && found.is_none() && tokio::time::Instant::now() < next {
            continue; // only a look for packs
        }
        let mut settings = store
            .settings(&[HUB_KEY, HUB_PIN])
            .await
            .unwrap_or_default();
        let certificate_pinned = settings.contains_key(HUB_PIN);
        let Some(pinned) = settings.remove(HUB_KEY) else {
            delay = AFTER_OK;
            next = tokio::time::Instant::now() + delay;
            continue;
        };
        let url = match found {
            // Over HTTPS at its LAN address, a hub's certificate is checked only by a pinned
            // fingerprint (the web's roots vouch for its name, not for that address).
            Some(hub) if hub.url.starts_with("https://") && !certificate_pinned => continue,
            Some(hub) if hub.key == pinned => {
                tracing::info!(url = %hub.url, "the province hub is on the LAN: syncing with it");
                Some(hub.url)
            }
            Some(_) => continue, // another province's hub; the timer stands
            None => None,
        };
        let result = client::sync(&store, url.as_deref(), &|_| {}).await;
        if let Err(e) = store
            .note_sync(result.as_ref().err().map(client::SyncError::plain))
            .await
        {
            tracing::error!("cannot note the sync: {e}");
        }
        match result {
            Ok(outcome) => {
                tracing::info!(
                    confirmed = outcome.confirmed,
                    packs = outcome.packs,
                    "synced with the hub"
                );
                delay = AFTER_OK;
                if outcome.packs > 0 {
                    new_lessons();
                    packs = pack_versions(&store).await;
                }
            }
            Err(e) => {
                tracing::warn!("sync failed: {e}");
                delay = match delay {
                    d if d >= AFTER_OK || d == FIRST_TRY => FIRST_RETRY,
                    d => (d * 2).min(MAX_RETRY),
                };
            }
        }
        next = tokio::time::Instant::now() + jittered(delay);
    }
}
