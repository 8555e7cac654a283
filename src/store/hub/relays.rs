//! A hub above hubs, on SQLite. The national side: join codes made for a province, the
//! province hubs that joined with them (`hub_relays`), and the boxes they introduce
//! (`relayed_by`). The province side: each box's signed batches kept as they came
//! (`hub_batches`, written by `accept`), the events held from before it kept them, and how
//! far the national hub holds each box (`forwarded`), so they are passed on in order and the
//! national hub keeps each once.

use std::collections::BTreeSet;

use rusqlite::OptionalExtension;

use super::{EnrolRefused, SqliteHub, new_code, tidy_code};
use crate::protocol::wire::{Batch, Introduction, Join, WireEvent, WireLearner};
use crate::store::learners::{get_setting, put_setting};
use crate::store::sync::wire_event;
use crate::store::{Error, now};

/// The settings naming the national hub this one joined: its address, id and pinned key, the
/// fingerprint of its certificate when one was pinned, and "1" when plain HTTP may go to it
/// on a public address.
const NATIONAL_URL: &str = "national_url";
const NATIONAL_ID: &str = "national_id";
const NATIONAL_KEY: &str = "national_key";
const NATIONAL_PIN: &str = "national_tls_pin";
const NATIONAL_PLAIN_HTTP: &str = "national_plain_http";

/// The national hub a province hub joined.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct National {
    pub url: String,
    pub hub_id: String,
    pub key: String,
    /// The SHA-256 fingerprint of its certificate (hex), pinned when it joined.
    pub pin: Option<String>,
    /// Plain HTTP may go to it though its address is public.
    pub plain_http: bool,
}

/// A box as the province hub passes it on: what the national hub needs to know of it, what
/// this hub holds and what the national hub acknowledged (`None`: not introduced yet).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Forwarding {
    pub introduction: Introduction,
    pub held: i64,
    pub forwarded: Option<i64>,
}

/// How far a province hub has passed its boxes on to the national hub it joined.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PassingOn {
    pub national: National,
    /// Events this hub holds, and those the national hub acknowledged.
    pub held: i64,
    pub forwarded: i64,
}

/// A join code and the hub that used it, as the national hub lists them.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Relay {
    pub code: String,
    pub province: String,
    pub made_at: String,
    pub hub_id: Option<String>,
    pub joined_at: Option<String>,
}

impl SqliteHub {
    pub async fn new_join_code(&self, province: &str) -> Result<String, Error> {
        let province = province.to_string();
        self.store
            .write(move |conn| {
                let code = new_code();
                conn.execute(
                    "INSERT INTO hub_relays (code, province, created_at) VALUES (?1, ?2, ?3)",
                    (&code, &province, now()),
                )?;
                Ok(code)
            })
            .await
    }

    pub async fn join(&self, join: Join) -> Result<Option<String>, Error> {
        self.store
            .write(move |conn| {
                let code = tidy_code(&join.code);
                // The same hub asking again with the same key (its answer was lost) has joined.
                Ok(conn
                    .query_row(
                        "UPDATE hub_relays SET hub_id = ?2, public_key = ?3, joined_at = COALESCE(joined_at, ?4)
                         WHERE code = ?1 AND (hub_id IS NULL OR (hub_id = ?2 AND public_key = ?3))
                         AND NOT EXISTS (SELECT 1 FROM hub_relays o WHERE o.hub_id = ?2 AND o.code <> ?1)
                         RETURNING province",
                        (&code, &join.hub_id, &join.public_key, now()),
                        |r| r.get(0),
                    )
                    .optional()?)
            })
            .await
    }

    pub async fn relays(&self) -> Result<Vec<Relay>, Error> {
        self.store
            .read(|conn| {
                let mut stmt = conn.prepare(
                    "SELECT code, province, created_at, hub_id, joined_at FROM hub_relays
                     ORDER BY province, created_at",
                )?;
                let rows = stmt.query_map([], |r| {
                    Ok(Relay {
                        code: r.get(0)?,
                        province: r.get(1)?,
                        made_at: r.get(2)?,
                        hub_id: r.get(3)?,
                        joined_at: r.get(4)?,
                    })
                })?;
                Ok(rows.collect::<Result<_, _>>()?)
            })
            .await
    }

    pub async fn introduced_by(&self, box_id: &str) -> Result<Option<String>, Error> {
        let box_id = box_id.to_string();
        self.store
            .read(move |conn| {
                Ok(conn
                    .query_row(
                        "SELECT relayed_by FROM hub_boxes WHERE box_id = ?1",
                        [&box_id],
                        |r| r.get(0),
                    )
                    .optional()?
                    .flatten())
            })
            .await
    }

    pub async fn relay_key(&self, hub_id: &str) -> Result<Option<String>, Error> {
        let hub_id = hub_id.to_string();
        self.store
            .read(move |conn| {
                Ok(conn
                    .query_row(
                        "SELECT public_key FROM hub_relays WHERE hub_id = ?1",
                        [&hub_id],
                        |r| r.get(0),
                    )
                    .optional()?)
            })
            .await
    }

    pub async fn introduce(
        &self,
        relay: &str,
        intro: Introduction,
    ) -> Result<Result<i64, EnrolRefused>, Error> {
        let relay = relay.to_string();
        self.store
            .write(move |conn| {
                let province: Option<String> = conn
                    .query_row(
                        "SELECT province FROM hub_relays WHERE hub_id = ?1",
                        [&relay],
                        |r| r.get(0),
                    )
                    .optional()?;
                let Some(province) = province else {
                    return Ok(Err(EnrolRefused::BadVouch));
                };
                let known: Option<(String, i64)> = conn
                    .query_row(
                        "SELECT public_key, held FROM hub_boxes WHERE box_id = ?1",
                        [&intro.box_id],
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )
                    .optional()?;
                if let Some((key, held)) = known {
                    return Ok(match key == intro.public_key {
                        true => Ok(held),
                        false => Err(EnrolRefused::KeyTaken),
                    });
                }
                if let Some(voucher) = &intro.vouched_by {
                    let ours: Option<i64> = conn
                        .query_row(
                            "SELECT 1 FROM hub_boxes WHERE box_id = ?1 AND relayed_by = ?2",
                            (voucher, &relay),
                            |r| r.get(0),
                        )
                        .optional()?;
                    if ours.is_none() {
                        return Ok(Err(EnrolRefused::BadVouch));
                    }
                }
                let first_seq = intro.first_seq.max(1);
                conn.execute(
                    "INSERT INTO hub_boxes (box_id, province, commune, public_key, first_seq, held, enrolled_at, vouched_by, relayed_by)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?5 - 1, ?6, ?7, ?8)",
                    (
                        &intro.box_id,
                        &province,
                        &intro.commune,
                        &intro.public_key,
                        first_seq,
                        now(),
                        &intro.vouched_by,
                        &relay,
                    ),
                )?;
                Ok(Ok(first_seq - 1))
            })
            .await
    }

    /// The national hub this one joined, if any.
    pub async fn national(&self) -> Result<Option<National>, Error> {
        self.store
            .read(|conn| {
                let (Some(url), Some(hub_id), Some(key)) = (
                    get_setting(conn, NATIONAL_URL)?,
                    get_setting(conn, NATIONAL_ID)?,
                    get_setting(conn, NATIONAL_KEY)?,
                ) else {
                    return Ok(None);
                };
                Ok(Some(National {
                    url,
                    hub_id,
                    key,
                    pin: get_setting(conn, NATIONAL_PIN)?,
                    plain_http: get_setting(conn, NATIONAL_PLAIN_HTTP)?.as_deref() == Some("1"),
                }))
            })
            .await
    }

    /// The national hub this one joined and how far it holds this hub's boxes; `None` when
    /// it joined none.
    pub async fn passing_on(&self) -> Result<Option<PassingOn>, Error> {
        let Some(national) = self.national().await? else {
            return Ok(None);
        };
        let (held, forwarded) = self
            .store
            .read(|conn| {
                Ok(conn.query_row(
                    "SELECT COALESCE(SUM(MAX(held - first_seq + 1, 0)), 0),
                            COALESCE(SUM(MAX(COALESCE(forwarded, 0) - first_seq + 1, 0)), 0)
                     FROM hub_boxes",
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )?)
            })
            .await?;
        Ok(Some(PassingOn {
            national,
            held,
            forwarded,
        }))
    }

    /// Pins the national hub this one joined. Joining another (another key) starts passing
    /// every box on again from its beginning: what the first acknowledged means nothing there.
    pub async fn set_national(&self, national: National) -> Result<(), Error> {
        self.store
            .write(move |conn| {
                if get_setting(conn, NATIONAL_KEY)?.is_some_and(|k| k != national.key) {
                    conn.execute("UPDATE hub_boxes SET forwarded = NULL", [])?;
                }
                put_setting(conn, NATIONAL_URL, &national.url)?;
                put_setting(conn, NATIONAL_ID, &national.hub_id)?;
                put_setting(conn, NATIONAL_KEY, &national.key)?;
                match &national.pin {
                    Some(pin) => put_setting(conn, NATIONAL_PIN, pin)?,
                    None => {
                        conn.execute("DELETE FROM settings WHERE key = ?1", [NATIONAL_PIN])?;
                    }
                }
                let plain = if national.plain_http { "1" } else { "0" };
                put_setting(conn, NATIONAL_PLAIN_HTTP, plain)?;
                Ok(())
            })
            .await
    }

    /// Every box this hub holds, in the order they enrolled (a vouched identity after the
    /// one that vouched for it), as it passes them on.
    pub async fn forwarding(&self) -> Result<Vec<Forwarding>, Error> {
        self.store
            .read(|conn| {
                let mut stmt = conn.prepare(
                    "SELECT box_id, public_key, first_seq, commune, vouched_by, held, forwarded
                     FROM hub_boxes ORDER BY rowid",
                )?;
                let rows = stmt.query_map([], |r| {
                    Ok(Forwarding {
                        introduction: Introduction {
                            box_id: r.get(0)?,
                            public_key: r.get(1)?,
                            first_seq: r.get(2)?,
                            commune: r.get(3)?,
                            vouched_by: r.get(4)?,
                        },
                        held: r.get(5)?,
                        forwarded: r.get(6)?,
                    })
                })?;
                Ok(rows.collect::<Result<_, _>>()?)
            })
            .await
    }

    /// The box's signed batch that goes furthest among those holding the seq after `after`.
    pub async fn sealed_after(&self, box_id: &str, after: i64) -> Result<Option<Vec<u8>>, Error> {
        let box_id = box_id.to_string();
        self.store
            .read(move |conn| {
                Ok(conn
                    .query_row(
                        "SELECT sealed FROM hub_batches
                         WHERE box_id = ?1 AND last_seq > ?2 AND first_seq <= ?2 + 1
                         ORDER BY last_seq DESC LIMIT 1",
                        (&box_id, after),
                        |r| r.get(0),
                    )
                    .optional()?)
            })
            .await
    }

    /// Events of `box_id` after `after` that no signed batch of the box holds (taken before
    /// this hub kept them), up to `limit`, stopping before the next signed batch; with the
    /// profiles of the learners they name, as the box sent them. `None` when there are none.
    pub async fn unsealed_after(
        &self,
        box_id: &str,
        after: i64,
        limit: usize,
    ) -> Result<Option<Batch>, Error> {
        let box_id = box_id.to_string();
        self.store
            .read(move |conn| {
                let commune: String = conn.query_row(
                    "SELECT commune FROM hub_boxes WHERE box_id = ?1",
                    [&box_id],
                    |r| r.get(0),
                )?;
                let mut stmt = conn.prepare_cached(
                    "SELECT seq, id, kind, learner_id, lesson_id, payload, at, recorded_at FROM hub_events
                     WHERE box_id = ?1 AND seq > ?2
                     AND seq < COALESCE((SELECT MIN(first_seq) FROM hub_batches WHERE box_id = ?1 AND first_seq > ?2), 9223372036854775807)
                     ORDER BY seq LIMIT ?3",
                )?;
                let rows = stmt.query_map((&box_id, after, limit as i64), wire_event)?;
                let events: Vec<WireEvent> = rows.collect::<Result<_, _>>()?;
                if events.first().is_none_or(|e| e.seq != after + 1) {
                    return Ok(None);
                }
                let named: BTreeSet<&str> =
                    events.iter().filter_map(|e| e.learner.as_deref()).collect();
                let mut stmt = conn.prepare_cached(
                    "SELECT id, name, village, birth_year, gender, ethnic_group FROM hub_learners WHERE id = ?1",
                )?;
                let mut learners = Vec::with_capacity(named.len());
                for id in named {
                    let found = stmt
                        .query_row([id], |r| {
                            Ok(WireLearner {
                                id: r.get(0)?,
                                name: r.get(1)?,
                                village: r.get(2)?,
                                birth_year: r.get(3)?,
                                gender: r.get(4)?,
                                ethnic_group: r.get(5)?,
                            })
                        })
                        .optional()?;
                    learners.extend(found);
                }
                Ok(Some(Batch {
                    box_id,
                    commune,
                    events,
                    learners,
                }))
            })
            .await
    }

    /// Notes what the national hub's signed answer says it holds of `box_id`.
    pub async fn set_forwarded(&self, box_id: &str, held: i64) -> Result<(), Error> {
        let box_id = box_id.to_string();
        self.store
            .write(move |conn| {
                conn.execute(
                    "UPDATE hub_boxes SET forwarded = ?2 WHERE box_id = ?1",
                    (&box_id, held),
                )?;
                // Once a learner of the box was erased, its signed batches the national hub
                // holds go: they carry profiles as they were sent. Should it ask for them
                // again, this hub signs the scrubbed events itself.
                conn.execute(
                    "DELETE FROM hub_batches WHERE box_id = ?1 AND last_seq <= ?2
                     AND EXISTS (SELECT 1 FROM hub_learners WHERE box_id = ?1 AND erased_at IS NOT NULL)",
                    (&box_id, held),
                )?;
                Ok(())
            })
            .await
    }
}
