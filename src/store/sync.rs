//! The box's side of sync: its signing identities, the batches it sends, how far the hub has
//! confirmed each identity, the hub it is enrolled with, and the content packs it received.

use rusqlite::{Connection, OptionalExtension};

use super::learners::{get_setting, put_setting};
use super::{Error, Store, now};
use crate::protocol::Keys;
use crate::protocol::wire::{WireEvent, WireLearner};

/// Settings that say where and how the box syncs.
pub const HUB_URL: &str = "hub_url";
pub const HUB_KEY: &str = "hub_key";
pub const HUB_ID: &str = "hub_id";
/// The SHA-256 fingerprint of the hub's certificate, pinned at enrolment (hex), if any.
pub const HUB_PIN: &str = "hub_tls_pin";
/// "1": sync may go over plain HTTP to a hub on a public address.
pub const HUB_PLAIN_HTTP: &str = "hub_plain_http";
pub const SHARE_NAMES: &str = "sync_share_names";
pub const LAST_OK: &str = "sync_last_ok";
pub const LAST_ERROR: &str = "sync_last_error";
pub const LAST_TRY: &str = "sync_last_try";
/// Set when the box took a new identity: `OLD_ID TIME`.
pub const NEW_IDENTITY: &str = "sync_new_identity";

/// An event as it travels, from a row of `seq, id, kind, learner_id, lesson_id, payload,
/// at, recorded_at` (a box's `events`, or a hub's `hub_events`).
pub(super) fn wire_event(r: &rusqlite::Row<'_>) -> rusqlite::Result<WireEvent> {
    Ok(WireEvent {
        seq: r.get(0)?,
        id: r.get(1)?,
        kind: r.get(2)?,
        learner: r.get(3)?,
        lesson: r.get(4)?,
        payload: serde_json::from_str(&r.get::<_, String>(5)?).unwrap_or(serde_json::Value::Null),
        at: r.get(6)?,
        recorded_at: r.get(7)?,
    })
}

/// One signing identity of this box. The newest is the box's own; older ones remain while
/// events recorded under them wait to reach the hub (the box was copied or moved boards).
#[derive(Clone)]
pub struct Identity {
    pub box_id: String,
    pub keys: Keys,
    pub first_seq: i64,
    /// Highest seq the hub said it holds with no gap.
    pub confirmed: i64,
    pub enrolled: bool,
}

/// What the facilitator's page and `hocso sync` show of the box's sync.
#[derive(Clone, Debug, Default)]
pub struct SyncStatus {
    pub hub_url: String,
    pub hub_id: Option<String>,
    /// The hub's certificate fingerprint pinned at enrolment (hex).
    pub hub_pin: Option<String>,
    /// Plain HTTP may go to a hub on a public address.
    pub plain_http: bool,
    pub last_ok: Option<String>,
    pub last_try: Option<String>,
    pub last_error: Option<String>,
    /// Events the hub has not confirmed yet.
    pub waiting: i64,
    pub share_names: bool,
    /// `OLD_ID TIME` when the box took a new identity on another machine.
    pub new_identity: Option<String>,
    /// Content packs held: name and version.
    pub packs: Vec<PackVersion>,
}

/// Makes sure the box has a signing identity for `box_id`, made on `machine`. When the
/// machine differs from the one the identity was made on (a copied SD card in another
/// board), the box takes a new identity before it records anything: a new id and key, its
/// events starting after the last one held. Answers the box's id from now on.
pub(super) fn ensure_identity(
    conn: &Connection,
    box_id: &str,
    machine: Option<&str>,
) -> Result<String, Error> {
    let found: Option<Option<String>> = conn
        .query_row(
            "SELECT machine FROM identities WHERE box_id = ?1",
            [box_id],
            |r| r.get(0),
        )
        .optional()?;
    match (found, machine) {
        (None, _) => {
            conn.execute(
                "INSERT INTO identities (box_id, secret_key, machine, first_seq, confirmed, created_at)
                 VALUES (?1, ?2, ?3, 1, 0, ?4)",
                (box_id, Keys::generate().secret(), machine, now()),
            )?;
            Ok(box_id.to_string())
        }
        (Some(None), Some(machine)) => {
            conn.execute(
                "UPDATE identities SET machine = ?2 WHERE box_id = ?1",
                (box_id, machine),
            )?;
            Ok(box_id.to_string())
        }
        (Some(Some(made_on)), Some(machine)) if made_on != machine && !is_hub(conn)? => {
            let new_id = uuid::Uuid::now_v7().to_string();
            let next: i64 =
                conn.query_row("SELECT COALESCE(MAX(seq), 0) + 1 FROM events", [], |r| {
                    r.get(0)
                })?;
            let at = now();
            conn.execute(
                "INSERT INTO identities (box_id, secret_key, machine, first_seq, confirmed, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                (&new_id, Keys::generate().secret(), machine, next, next - 1, &at),
            )?;
            conn.execute("UPDATE box SET box_id = ?1 WHERE id = 1", [&new_id])?;
            put_setting(conn, NEW_IDENTITY, &format!("{box_id} {at}"))?;
            tracing::warn!(old = %box_id, new = %new_id, "this box runs on another machine than it was set up on (a copied card?): it takes a new identity");
            Ok(new_id)
        }
        _ => Ok(box_id.to_string()),
    }
}

/// Whether this database is a hub's (it made enrolment codes): a hub keeps its identity
/// wherever its folder is copied, even when a tool opens it on another machine.
fn is_hub(conn: &Connection) -> Result<bool, Error> {
    Ok(conn.query_row("SELECT EXISTS (SELECT 1 FROM hub_codes)", [], |r| r.get(0))?)
}

/// The current identity's key.
pub(super) fn keys_of(conn: &Connection, box_id: &str) -> Result<Keys, Error> {
    let secret: Vec<u8> = conn.query_row(
        "SELECT secret_key FROM identities WHERE box_id = ?1",
        [box_id],
        |r| r.get(0),
    )?;
    Keys::from_secret(&secret).ok_or_else(|| Error::Invalid("a stored key is damaged".into()))
}

fn identities(conn: &Connection) -> Result<Vec<Identity>, Error> {
    let mut stmt = conn.prepare_cached(
        "SELECT box_id, secret_key, first_seq, confirmed, enrolled FROM identities ORDER BY created_at, first_seq",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, Vec<u8>>(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
        ))
    })?;
    rows.map(|row| {
        let (box_id, secret, first_seq, confirmed, enrolled) = row?;
        Ok(Identity {
            keys: Keys::from_secret(&secret)
                .ok_or_else(|| Error::Invalid("a stored key is damaged".into()))?,
            box_id,
            first_seq,
            confirmed,
            enrolled,
        })
    })
    .collect()
}

fn pack_versions(conn: &Connection) -> Result<Vec<PackVersion>, Error> {
    let mut stmt = conn.prepare_cached("SELECT name, version FROM packs ORDER BY name")?;
    let rows = stmt.query_map([], |r| {
        Ok(PackVersion {
            name: r.get(0)?,
            version: r.get(1)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn waiting(conn: &Connection) -> Result<i64, Error> {
    Ok(conn.query_row(
        "SELECT COUNT(*) FROM events e JOIN identities i ON i.box_id = e.box_id WHERE e.seq > i.confirmed",
        [],
        |r| r.get(0),
    )?)
}

impl Store {
    /// This box's signing key (its current identity's).
    pub fn keys(&self) -> &Keys {
        &self.inner.keys
    }

    /// Every identity of this box, oldest first.
    pub async fn identities(&self) -> Result<Vec<Identity>, Error> {
        self.read(identities).await
    }

    /// The next events of `box_id` after `after`, at most `limit`, with the profiles of the
    /// learners they name (names only when `names`). Learner names are left out of the
    /// events' payloads too unless `names`.
    pub async fn events_after(
        &self,
        box_id: &str,
        after: i64,
        limit: usize,
        names: bool,
    ) -> Result<(Vec<WireEvent>, Vec<WireLearner>), Error> {
        let box_id = box_id.to_string();
        self.read(move |conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT seq, id, kind, learner_id, lesson_id, payload, at, recorded_at FROM events
                 WHERE box_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3",
            )?;
            let rows = stmt.query_map((&box_id, after, limit as i64), wire_event)?;
            let mut events: Vec<WireEvent> = rows.collect::<Result<_, _>>()?;
            let mut ids: Vec<&str> = events.iter().filter_map(|e| e.learner.as_deref()).collect();
            ids.sort_unstable();
            ids.dedup();
            let mut learners = Vec::with_capacity(ids.len());
            let mut stmt = conn.prepare_cached(
                "SELECT id, CASE WHEN erased_at IS NULL THEN display_name END, village, birth_year, gender, ethnic_group
                 FROM learners WHERE id = ?1",
            )?;
            for id in ids {
                if let Some(learner) = stmt
                    .query_row([id], |r| {
                        Ok(WireLearner {
                            id: r.get(0)?,
                            // An erased learner has no name to send.
                            name: if names { r.get(1)? } else { None },
                            village: r.get(2)?,
                            birth_year: r.get(3)?,
                            gender: r.get(4)?,
                            ethnic_group: r.get(5)?,
                        })
                    })
                    .optional()?
                {
                    learners.push(learner);
                }
            }
            if !names {
                for event in &mut events {
                    if let Some(payload) = event.payload.as_object_mut() {
                        payload.remove("display_name");
                    }
                }
            }
            Ok((events, learners))
        })
        .await
    }

    /// Moves `box_id`'s cursor to what the hub said it holds (forward, or back when the hub
    /// lost some, e.g. restored from a backup).
    pub async fn set_confirmed(&self, box_id: &str, held: i64) -> Result<(), Error> {
        let box_id = box_id.to_string();
        self.write(move |conn| {
            conn.execute(
                "UPDATE identities SET confirmed = MAX(?2, first_seq - 1) WHERE box_id = ?1",
                (&box_id, held),
            )?;
            Ok(())
        })
        .await
    }

    /// Pins the hub this box enrolled with (its address, id and public key, and the
    /// fingerprint of its certificate when one was given, else none) and marks `box_id`
    /// known to it.
    pub async fn set_enrolled(
        &self,
        box_id: &str,
        hub_url: &str,
        hub_id: &str,
        hub_key: &str,
        pin: Option<&str>,
    ) -> Result<(), Error> {
        let (box_id, hub_url, hub_id, hub_key) = (
            box_id.to_string(),
            hub_url.to_string(),
            hub_id.to_string(),
            hub_key.to_string(),
        );
        let pin = pin.map(str::to_string);
        self.write(move |conn| {
            let pinned = get_setting(conn, HUB_KEY)?;
            if pinned.is_some_and(|p| p != hub_key) {
                // Another hub: what the first one confirmed means nothing to this one.
                conn.execute(
                    "UPDATE identities SET confirmed = first_seq - 1, enrolled = 0",
                    [],
                )?;
            }
            put_setting(conn, HUB_URL, &hub_url)?;
            put_setting(conn, HUB_ID, &hub_id)?;
            put_setting(conn, HUB_KEY, &hub_key)?;
            match &pin {
                Some(pin) => put_setting(conn, HUB_PIN, pin)?,
                None => {
                    conn.execute("DELETE FROM settings WHERE key = ?1", [HUB_PIN])?;
                }
            }
            conn.execute(
                "UPDATE identities SET enrolled = 1 WHERE box_id = ?1",
                [&box_id],
            )?;
            Ok(())
        })
        .await
    }

    /// Marks an identity known to the hub (after it was vouched for).
    pub async fn set_identity_enrolled(&self, box_id: &str) -> Result<(), Error> {
        let box_id = box_id.to_string();
        self.write(move |conn| {
            conn.execute(
                "UPDATE identities SET enrolled = 1 WHERE box_id = ?1",
                [&box_id],
            )?;
            Ok(())
        })
        .await
    }

    /// Notes a sync attempt: its time, and its error in plain words, or success.
    pub async fn note_sync(&self, error: Option<String>) -> Result<(), Error> {
        self.write(move |conn| {
            let at = now();
            put_setting(conn, LAST_TRY, &at)?;
            match error {
                Some(error) => put_setting(conn, LAST_ERROR, &error)?,
                None => {
                    put_setting(conn, LAST_OK, &at)?;
                    conn.execute("DELETE FROM settings WHERE key = ?1", [LAST_ERROR])?;
                }
            }
            Ok(())
        })
        .await
    }

    pub async fn sync_status(&self) -> Result<SyncStatus, Error> {
        self.read(|conn| {
            let get = |key| get_setting(conn, key);
            let packs = pack_versions(conn)?;
            Ok(SyncStatus {
                hub_url: get(HUB_URL)?.unwrap_or_default(),
                hub_id: get(HUB_ID)?,
                hub_pin: get(HUB_PIN)?,
                plain_http: get(HUB_PLAIN_HTTP)?.as_deref() == Some("1"),
                last_ok: get(LAST_OK)?,
                last_try: get(LAST_TRY)?,
                last_error: get(LAST_ERROR)?,
                waiting: waiting(conn)?,
                share_names: get(SHARE_NAMES)?.as_deref() == Some("1"),
                new_identity: get(NEW_IDENTITY)?,
                packs,
            })
        })
        .await
    }

    /// The name and version of every content pack held (cheap: the background task asks
    /// every minute).
    pub async fn pack_versions(&self) -> Result<Vec<PackVersion>, Error> {
        self.read(pack_versions).await
    }

    /// Keeps a content pack if it is newer than the one held of its name; whether it was.
    pub async fn save_pack(
        &self,
        name: &str,
        version: i64,
        sealed: Vec<u8>,
    ) -> Result<bool, Error> {
        let name = name.to_string();
        self.write(move |conn| {
            let changed = conn.execute(
                "INSERT INTO packs (name, version, sealed, received_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (name) DO UPDATE SET version = excluded.version, sealed = excluded.sealed,
                     received_at = excluded.received_at WHERE excluded.version > packs.version",
                (&name, version, &sealed, now()),
            )?;
            Ok(changed > 0)
        })
        .await
    }

    /// Every content pack held, sealed as received, in name order.
    pub async fn packs(&self) -> Result<Vec<HeldPack>, Error> {
        self.read(|conn| {
            let mut stmt =
                conn.prepare_cached("SELECT name, version, sealed FROM packs ORDER BY name")?;
            let rows = stmt.query_map([], |r| {
                Ok(HeldPack {
                    name: r.get(0)?,
                    version: r.get(1)?,
                    sealed: r.get(2)?,
                })
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await
    }
}

/// A content pack a box holds, sealed as it was received.
#[derive(Clone, Debug, PartialEq)]
pub struct HeldPack {
    pub name: String,
    pub version: i64,
    pub sealed: Vec<u8>,
}

/// A content pack's name and the version held.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackVersion {
    pub name: String,
    pub version: i64,
}
