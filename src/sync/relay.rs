//! A province hub's side of the link to a national hub: join it with a join code made there
//! for the province (pinning its key), introduce each box, then pass on the box's own signed
//! batches as they came, in order, each until the national hub holds it (events taken before
//! the hub kept those go as batches it signs itself). A box's cursor
//! (`forwarded`) moves only to what the national hub's signed answer says, so a cut link, a
//! second run or two runs at once send nothing twice into the national records. A hub that
//! joined does this on a timer (`run`); `hocso hub forward` does it at once.

use std::time::Duration;

use tokio::sync::watch;

use super::client::{Moved, SyncError, open_ack, plain_answer, push};
use super::link::{Hub, Link, Use};
use crate::protocol::address::{Fingerprint, HubAddress};
use crate::protocol::envelope::{self, Kind};
use crate::protocol::wire::{self, Enrolled, Introduction, Join, MAX_BATCH_EVENTS, MAX_SEALED};
use crate::store::{Forwarding, HubStore, National, SqliteHub};

/// How often a hub that joined passes its boxes on, and soonest after a failure (doubling up
/// to `AFTER_OK`).
const AFTER_OK: Duration = Duration::from_secs(10 * 60);
const FIRST_RETRY: Duration = Duration::from_secs(30);
const FIRST_TRY: Duration = Duration::from_secs(5);
/// How often a hub that has not joined looks whether it joined (`hocso hub join` runs beside it).
const LOOK: Duration = Duration::from_secs(60);

/// What passing the boxes on did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Forwarded {
    /// Boxes the national hub learnt of now.
    pub introduced: usize,
    /// Batches and events the national hub took now.
    pub batches: usize,
    pub events: i64,
    /// Events passed on under this hub's signature: those it took before it kept the boxes'
    /// own signed batches.
    pub signed_here: i64,
    /// Boxes left where they stand, and why, in words.
    pub held_back: Vec<(String, String)>,
}

fn sqlite(hub: &HubStore) -> Result<&SqliteHub, SyncError> {
    match hub {
        HubStore::Sqlite(hub) => Ok(hub),
        HubStore::Postgres(_) => Err(SyncError::File(
            "only a hub on SQLite passes its boxes on to a national hub; this one runs on PostgreSQL"
                .into(),
        )),
    }
}

/// Joins the national hub at `url` with a join `code`, and pins its key; `reach` is the
/// fingerprint of its certificate to pin (an `https://` hub with its own CA) and whether plain
/// HTTP may go to it on a public address, both kept for every later request. Answers the
/// province the national hub knows this hub by.
pub async fn join(
    hub: &HubStore,
    url: &str,
    code: &str,
    reach: (Option<&Fingerprint>, bool),
) -> Result<Enrolled, SyncError> {
    let sqlite = sqlite(hub)?;
    let (pin, plain_http) = reach;
    let address = HubAddress::parse(url).ok_or_else(|| SyncError::NotAnAddress(url.into()))?;
    if pin.is_some() && !address.is_https() {
        return Err(SyncError::PinWithoutTls {
            url: address.to_string(),
        });
    }
    let national = Hub {
        url: address.to_string(),
        pin: pin.map(Fingerprint::hex),
        plain_http,
    };
    let link = Link::open(&national, Use::Requests).await?;
    let join = Join {
        hub_id: hub.hub_id().to_string(),
        public_key: hub.keys().public_hex(),
        code: code.to_string(),
    };
    let sent = link
        .client()
        .post(link.url("/hub/v1/join"))
        .json(&join)
        .send()
        .await;
    let body = plain_answer(link.base(), sent, "joining").await?;
    let joined: Enrolled =
        serde_json::from_slice(&body).map_err(|e| SyncError::BadAnswer(e.to_string()))?;
    if envelope::public_key(&joined.hub_key).is_none() {
        return Err(SyncError::BadAnswer("the hub's key is not a key".into()));
    }
    sqlite
        .set_national(National {
            url: national.url,
            hub_id: joined.hub_id.clone(),
            key: joined.hub_key.clone(),
            pin: national.pin,
            plain_http,
        })
        .await?;
    Ok(joined)
}

/// Passes every box on to the national hub this one joined: each box not introduced yet is
/// introduced, then its signed batches are pushed from where the national hub's answer
/// stands. A box the national hub refuses is held back (and said why) while the others go on.
pub async fn forward(hub: &HubStore) -> Result<Forwarded, SyncError> {
    let sqlite = sqlite(hub)?;
    let national = sqlite.national().await?.ok_or(SyncError::NotEnrolled)?;
    let link = Link::open(
        &Hub {
            url: national.url.clone(),
            pin: national.pin.clone(),
            plain_http: national.plain_http,
        },
        Use::Requests,
    )
    .await?;
    let mut done = Forwarded::default();
    for boxed in sqlite.forwarding().await? {
        let box_id = boxed.introduction.box_id.clone();
        match forward_box(hub, sqlite, &link, &national, boxed, &mut done).await {
            Ok(()) => {}
            Err(SyncError::Refused { message, .. }) => done.held_back.push((box_id, message)),
            Err(e) => return Err(e),
        }
    }
    Ok(done)
}

async fn forward_box(
    hub: &HubStore,
    sqlite: &SqliteHub,
    link: &Link,
    national: &National,
    boxed: Forwarding,
    done: &mut Forwarded,
) -> Result<(), SyncError> {
    let box_id = boxed.introduction.box_id.clone();
    let mut cursor = match boxed.forwarded {
        Some(held) => held,
        None => {
            let held = introduce(hub, link, national, &boxed.introduction).await?;
            sqlite.set_forwarded(&box_id, held).await?;
            done.introduced += 1;
            held
        }
    };
    let mut rewinds = 0;
    let mut introduced_again = false;
    while cursor < boxed.held {
        let (sealed, signed_here) = match sqlite.sealed_after(&box_id, cursor).await? {
            Some(sealed) => (sealed, false),
            None => match sign_here(hub, sqlite, &box_id, cursor).await? {
                Some(sealed) => (sealed, true),
                None => {
                    return Err(SyncError::File(format!(
                        "box {box_id}: this hub holds no event after seq {cursor}"
                    )));
                }
            },
        };
        let pushed = push(link, &national.key, &box_id, sealed, cursor, &mut rewinds).await;
        cursor = match pushed {
            Ok(Moved::Took(held)) => {
                done.batches += 1;
                done.events += held - cursor;
                if signed_here {
                    done.signed_here += held - cursor;
                }
                held
            }
            Ok(Moved::Back(held)) => held,
            // The national hub no longer knows the box (restored from a backup made before
            // it was introduced): introduced again, it says what it holds.
            Err(SyncError::Refused { code, .. })
                if code == wire::code::UNKNOWN_BOX && !introduced_again =>
            {
                introduced_again = true;
                introduce(hub, link, national, &boxed.introduction).await?
            }
            Err(e) => return Err(e),
        };
        sqlite.set_forwarded(&box_id, cursor).await?;
    }
    Ok(())
}

/// The events of `box_id` after `cursor` this hub took before it kept boxes' signed
/// batches, as a batch it signs itself (the national hub takes it for a box this hub
/// introduced): up to `MAX_BATCH_EVENTS`, halved until it fits in `MAX_SEALED`.
async fn sign_here(
    hub: &HubStore,
    sqlite: &SqliteHub,
    box_id: &str,
    cursor: i64,
) -> Result<Option<Vec<u8>>, SyncError> {
    let mut limit = MAX_BATCH_EVENTS;
    loop {
        let Some(batch) = sqlite.unsealed_after(box_id, cursor, limit).await? else {
            return Ok(None);
        };
        let sealed = envelope::seal(Kind::Batch, hub.hub_id(), hub.keys(), &batch);
        if sealed.len() <= MAX_SEALED || limit == 1 {
            return Ok(Some(sealed));
        }
        limit /= 2;
    }
}

/// Introduces a box, signed by this hub; answers what the national hub holds of it.
async fn introduce(
    hub: &HubStore,
    link: &Link,
    national: &National,
    intro: &Introduction,
) -> Result<i64, SyncError> {
    let sealed = envelope::seal(Kind::Introduction, hub.hub_id(), hub.keys(), intro);
    let sent = link
        .client()
        .post(link.url("/hub/v1/introduce"))
        .header("content-type", "application/octet-stream")
        .body(sealed)
        .send()
        .await;
    let body = plain_answer(link.base(), sent, "an introduction").await?;
    Ok(open_ack(&body, &national.key, &intro.box_id)?.held)
}

/// Passes the boxes on whenever this hub has joined a national one: soon after start (or
/// within `LOOK` of joining), then every `AFTER_OK`, sooner again after a failure. Runs until `closing` turns true.
pub async fn run(hub: HubStore, mut closing: watch::Receiver<bool>) {
    let HubStore::Sqlite(sqlite) = &hub else {
        return;
    };
    let mut delay = FIRST_TRY;
    loop {
        tokio::select! {
            () = tokio::time::sleep(delay) => {}
            _ = closing.changed() => return,
        }
        if *closing.borrow() {
            return;
        }
        if !matches!(sqlite.national().await, Ok(Some(_))) {
            delay = LOOK;
            continue;
        }
        delay = match forward(&hub).await {
            Ok(done) => {
                if done.events > 0 || done.introduced > 0 {
                    tracing::info!(
                        boxes = done.introduced,
                        batches = done.batches,
                        events = done.events,
                        "passed on to the national hub"
                    );
                }
                for (box_id, why) in &done.held_back {
                    tracing::warn!(%box_id, "a box is not passed on: {why}");
                }
                AFTER_OK
            }
            Err(e) => {
                tracing::warn!("cannot pass the boxes on to the national hub: {e}");
                match delay {
                    d if d >= AFTER_OK || d == FIRST_TRY => FIRST_RETRY,
                    d => (d * 2).min(AFTER_OK),
                }
            }
        };
    }
}
