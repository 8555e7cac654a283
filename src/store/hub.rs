//! The hub's records on SQLite (`SqliteHub`, one side of `HubStore`), on the same database
//! file and writer as `Store`:
//! enrolment codes, the boxes it knows, every box's events (each `(box_id, seq)` once, with
//! no gap), the learners they name, and the packs it publishes. Beside them: the dashboard's
//! counts and sums a batch adds to (`counts`, shared with PostgreSQL) and what the dashboard
//! reads of them (`dashboard`), a hub above hubs (`relays`), the province's live lesson
//! (`live`), what communes propose (`proposals`) and the officers' audit log with the
//! learner-level reads that write it (`audit`). Only a hub runs these.

use std::collections::BTreeSet;

use rusqlite::{Connection, OptionalExtension};

use super::{Error, Store, now};
use crate::protocol::wire::{Batch, Enrol, vouch_statement};

mod audit;
mod counts;
mod dashboard;
mod live;
mod proposals;
mod relays;
mod rights;
#[cfg(test)]
mod tests;

pub use audit::{
    AuditAction, AuditEntry, AuditQuery, HubLearnerLine, HubLearnerRecord, LearnerPage, NewAudit,
};
pub(super) use audit::{insert_audit, line_columns};
pub(super) use counts::{
    COUNTED, Counted, Counts, SumChange, resum, retally, sum_changes, tallies_sql,
};
pub use counts::{Dimension, Tally};
use counts::{add_counts, add_sums, counted};
pub use live::{BoxPlace, HubHall, HubLive, LiveMove, NewHubLive};
pub(super) use live::{
    COLUMNS as LIVE_COLUMNS, ENDED_TOLD, answers_of, communes_json, communes_of,
};
pub use proposals::{HubProposal, NewProposal, ProposalDecision, ProposalMedia, ProposalStatus};
pub(super) use proposals::{PROPOSAL_COLUMNS, body_of, kind_of, proposal_of};
pub use relays::{Forwarding, National, PassingOn, Relay};
pub(super) use rights::{OPTIONAL_FIELDS, PERSONAL_FIELDS, PROFILE_KINDS, Rights, kinds, paths};

/// Why the hub turned a box's enrolment away.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EnrolRefused {
    /// The code is unknown, or another box used it.
    BadCode,
    /// The vouching identity is unknown or its signature is wrong.
    BadVouch,
    /// This box id is enrolled already with another key.
    KeyTaken,
}

/// Why the hub turned a batch away (nothing of it was stored).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BatchRefused {
    UnknownBox,
    /// The batch starts after a gap; the hub holds up to `held`.
    Gap {
        held: i64,
    },
    /// Another event is held at this seq: two boxes send as one identity.
    Conflict {
        seq: i64,
    },
    /// The batch speaks for a learner another box first sent (not this box's own line of
    /// identities): nothing of it is stored.
    ForeignLearner {
        learner: String,
    },
}

/// The first identity of `box_id`'s line: a box that took a new identity on another board
/// is vouched for by its old one, and both speak for the same learners.
fn first_of_line(conn: &Connection, box_id: &str) -> Result<String, Error> {
    let mut current = box_id.to_string();
    // A line is a few identities long; the bound only guards against a loop.
    for _ in 0..64 {
        let up: Option<Option<String>> = conn
            .query_row(
                "SELECT vouched_by FROM hub_boxes WHERE box_id = ?1",
                [&current],
                |r| r.get(0),
            )
            .optional()?;
        match up.flatten() {
            Some(voucher) if voucher != current => current = voucher,
            _ => break,
        }
    }
    Ok(current)
}

/// Which of a hub's records an officer sees: every province's, or one province's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    All,
    Province(String),
}

impl Scope {
    /// An officer's scope: their province, or all when they have none.
    pub fn of(province: Option<&str>) -> Scope {
        match province {
            Some(p) => Scope::Province(p.to_string()),
            None => Scope::All,
        }
    }

    /// The province to keep to, as the queries' parameter (`NULL`: every one).
    pub fn province(&self) -> Option<&str> {
        match self {
            Scope::All => None,
            Scope::Province(p) => Some(p),
        }
    }
}

/// A box as the hub's status shows it.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct HubBox {
    pub box_id: String,
    /// `''` for a box enrolled with a code made without a province.
    pub province: String,
    pub commune: String,
    pub enrolled_at: String,
    pub last_sync_at: Option<String>,
    /// Highest seq held with no gap below.
    pub held: i64,
    pub events: i64,
    pub vouched_by: Option<String>,
    pub conflict: Option<String>,
}

/// A learner as the hub holds them.
#[derive(Clone, Debug, PartialEq)]
pub struct HubLearner {
    pub id: String,
    pub province: String,
    pub commune: String,
    pub name: Option<String>,
    pub village: String,
    pub birth_year: Option<i64>,
    pub gender: Option<String>,
    pub ethnic_group: Option<String>,
}

/// A code a province officer gives a commune: eight letters and digits that cannot be
/// mistaken for each other when read aloud or copied by hand, as `ABCD-EFGH`.
pub(super) fn new_code() -> String {
    const ALPHABET: &[u8] = b"ACDEFHJKMNPRTUVWXY3479";
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).expect("the system has randomness");
    let chars: String = bytes
        .iter()
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect();
    format!("{}-{}", &chars[..4], &chars[4..])
}

/// A typed code as stored: its letters and digits in upper case, a dash after the fourth of
/// eight (`9p4d e73x`, `9P4DE73X` and `9p4d-e73x` are all `9P4D-E73X`).
pub fn tidy_code(code: &str) -> String {
    let chars: String = code
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_uppercase();
    match chars.len() {
        8 => format!("{}-{}", &chars[..4], &chars[4..]),
        _ => chars,
    }
}

fn box_key(conn: &Connection, box_id: &str) -> Result<Option<String>, Error> {
    Ok(conn
        .query_row(
            "SELECT public_key FROM hub_boxes WHERE box_id = ?1",
            [box_id],
            |r| r.get(0),
        )
        .optional()?)
}

fn insert_box(
    conn: &Connection,
    enrol: &Enrol,
    (province, commune): (&str, &str),
    vouched_by: Option<&str>,
) -> Result<(), Error> {
    conn.execute(
        "INSERT INTO hub_boxes (box_id, province, commune, public_key, first_seq, held, enrolled_at, vouched_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?5 - 1, ?6, ?7)",
        (&enrol.box_id, province, commune, &enrol.public_key, enrol.first_seq.max(1), now(), vouched_by),
    )?;
    Ok(())
}

/// The hub's queries on SQLite: `store.hub()` is `HubStore::Sqlite` of it.
#[derive(Clone)]
pub struct SqliteHub {
    store: Store,
}

impl Store {
    /// The hub's records on this database.
    pub fn hub(&self) -> super::HubStore {
        super::HubStore::Sqlite(SqliteHub {
            store: self.clone(),
        })
    }
}

/// An enrolment code as the hub's codes page lists it.
#[derive(Clone, Debug, PartialEq)]
pub struct EnrolCode {
    pub code: String,
    pub province: String,
    pub commune: String,
    pub made_at: String,
    /// The box that used it, once used.
    pub used_by: Option<String>,
}

/// A (learner, lesson) finished, by reading or by a live lesson.
#[derive(Clone, Debug, PartialEq)]
pub struct Finished {
    pub learner_id: String,
    pub lesson_id: String,
}

/// A (learner, practice scenario) done: some run of the learner's through it ended in a win.
#[derive(Clone, Debug, PartialEq)]
pub struct Practised {
    pub learner_id: String,
    /// The scenario's id, `module/scenario` (`Practice::id`), as the box's payload names it.
    pub scenario_id: String,
}

/// One event the hub holds of a box.
#[derive(Clone, Debug, PartialEq)]
pub struct HeldEvent {
    pub seq: i64,
    pub id: String,
}

/// A content pack the hub published, sealed with its key.
#[derive(Clone, Debug, PartialEq)]
pub struct PublishedPack {
    pub name: String,
    pub version: i64,
    pub sealed: Vec<u8>,
    pub published_at: String,
}

impl SqliteHub {
    /// The database the hub's accounts and identity live in.
    pub(super) fn store(&self) -> &Store {
        &self.store
    }

    pub async fn new_code(&self, commune: &str, province: &str) -> Result<String, Error> {
        let (commune, province) = (commune.to_string(), province.to_string());
        self.store
            .write(move |conn| {
                let code = new_code();
                conn.execute(
                    "INSERT INTO hub_codes (code, province, commune, created_at) VALUES (?1, ?2, ?3, ?4)",
                    (&code, &province, &commune, now()),
                )?;
                Ok(code)
            })
            .await
    }

    pub async fn codes(&self, scope: &Scope) -> Result<Vec<EnrolCode>, Error> {
        let province = scope.province().map(str::to_string);
        self.store
            .read(move |conn| {
                let mut stmt = conn.prepare(
                    "SELECT code, province, commune, created_at, used_by FROM hub_codes
                 WHERE (?1 IS NULL OR province = ?1) ORDER BY created_at DESC",
                )?;
                let rows = stmt.query_map([province], |r| {
                    Ok(EnrolCode {
                        code: r.get(0)?,
                        province: r.get(1)?,
                        commune: r.get(2)?,
                        made_at: r.get(3)?,
                        used_by: r.get(4)?,
                    })
                })?;
                Ok(rows.collect::<Result<_, _>>()?)
            })
            .await
    }

    /// Enrols a box with a one-time code, or vouched for by an identity the hub knows. The
    /// same box asking again with the same key (its answer was lost) is enrolled still; a
    /// code used by another box is refused. Answers the commune it is enrolled for.
    pub async fn enrol(&self, enrol: Enrol) -> Result<Result<String, EnrolRefused>, Error> {
        self.store
            .write(move |conn| {
                if let Some(key) = box_key(conn, &enrol.box_id)? {
                    if key != enrol.public_key {
                        return Ok(Err(EnrolRefused::KeyTaken));
                    }
                    let commune: String = conn.query_row(
                        "SELECT commune FROM hub_boxes WHERE box_id = ?1",
                        [&enrol.box_id],
                        |r| r.get(0),
                    )?;
                    return Ok(Ok(commune));
                }
                if let Some(vouch) = &enrol.vouch {
                    let old: Option<(String, String, String)> = conn
                        .query_row(
                            "SELECT public_key, commune, province FROM hub_boxes WHERE box_id = ?1",
                            [&vouch.box_id],
                            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                        )
                        .optional()?;
                    let statement =
                        vouch_statement(&enrol.box_id, &enrol.public_key, enrol.first_seq);
                    return Ok(match old {
                        Some((key, commune, province))
                            if crate::protocol::envelope::verify(
                                &key,
                                &statement,
                                &vouch.signature,
                            ) =>
                        {
                            insert_box(conn, &enrol, (&province, &commune), Some(&vouch.box_id))?;
                            Ok(commune)
                        }
                        _ => Err(EnrolRefused::BadVouch),
                    });
                }
                let code = tidy_code(enrol.code.as_deref().unwrap_or_default());
                let found: Option<(String, String)> = conn
                    .query_row(
                        "SELECT commune, province FROM hub_codes WHERE code = ?1 AND used_by IS NULL",
                        [&code],
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )
                    .optional()?;
                let Some((commune, province)) = found else {
                    return Ok(Err(EnrolRefused::BadCode));
                };
                conn.execute(
                    "UPDATE hub_codes SET used_by = ?2, used_at = ?3 WHERE code = ?1",
                    (&code, &enrol.box_id, now()),
                )?;
                insert_box(conn, &enrol, (&province, &commune), None)?;
                Ok(Ok(commune))
            })
            .await
    }

    /// The public key of an enrolled box.
    pub async fn box_key(&self, box_id: &str) -> Result<Option<String>, Error> {
        let box_id = box_id.to_string();
        self.store.read(move |conn| box_key(conn, &box_id)).await
    }

    /// What the hub holds of `box_id` with no gap; `None` for a box it does not know.
    pub async fn held(&self, box_id: &str) -> Result<Option<i64>, Error> {
        let box_id = box_id.to_string();
        self.store
            .read(move |conn| {
                Ok(conn
                    .query_row(
                        "SELECT held FROM hub_boxes WHERE box_id = ?1",
                        [&box_id],
                        |r| r.get(0),
                    )
                    .optional()?)
            })
            .await
    }

    /// Takes a batch whose signature was checked: stores each event not held yet, and the
    /// learners' profiles; answers the highest seq now held with no gap. A batch starting
    /// after a gap is refused whole. An event at a held seq with another id means two boxes
    /// send as one: the batch is refused and the box marked, for both dashboards to say so.
    pub async fn accept(
        &self,
        batch: Batch,
        sealed: Option<&[u8]>,
    ) -> Result<Result<i64, BatchRefused>, Error> {
        let sealed = sealed.map(<[u8]>::to_vec);
        self.store.write(move |conn| {
            let found: Option<(i64, String, String)> = conn
                .query_row(
                    "SELECT held, commune, province FROM hub_boxes WHERE box_id = ?1",
                    [&batch.box_id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?;
            let Some((mut held, commune, province)) = found else {
                return Ok(Err(BatchRefused::UnknownBox));
            };
            if batch.first_seq() > held + 1 {
                return Ok(Err(BatchRefused::Gap { held }));
            }
            // Every learner the batch names, in a profile or an event, must be new to the hub
            // or first sent by this box's own line.
            let line = first_of_line(conn, &batch.box_id)?;
            let named = batch
                .learners
                .iter()
                .map(|l| l.id.as_str())
                .chain(batch.events.iter().filter_map(|e| e.learner.as_deref()));
            for learner in named {
                let owner: Option<String> = conn
                    .query_row(
                        "SELECT box_id FROM hub_learners WHERE id = ?1",
                        [learner],
                        |r| r.get(0),
                    )
                    .optional()?;
                if let Some(owner) = owner
                    && owner != batch.box_id
                    && first_of_line(conn, &owner)? != line
                {
                    return Ok(Err(BatchRefused::ForeignLearner {
                        learner: learner.to_string(),
                    }));
                }
            }
            let received_at = now();
            {
                let mut same = conn.prepare_cached(
                    "SELECT id FROM hub_events WHERE box_id = ?1 AND seq = ?2",
                )?;
                for event in batch.events.iter().filter(|e| e.seq <= held) {
                    let id: Option<String> =
                        same.query_row((&batch.box_id, event.seq), |r| r.get(0)).optional()?;
                    if id.is_some_and(|id| id != event.id) {
                        conn.execute(
                            "UPDATE hub_boxes SET conflict = ?2 WHERE box_id = ?1",
                            (&batch.box_id, format!("{received_at}: seq {}", event.seq)),
                        )?;
                        return Ok(Err(BatchRefused::Conflict { seq: event.seq }));
                    }
                }
            }
            let mut insert = conn.prepare_cached(
                "INSERT INTO hub_events (box_id, seq, id, kind, learner_id, lesson_id, payload, at, recorded_at, received_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )?;
            let before = held;
            add_counts(conn, &Counts::of(batch.events.iter().filter(|e| e.seq > before)), &province, &commune)?;
            for event in batch.events.iter().filter(|e| e.seq > before) {
                insert.execute((
                    &batch.box_id,
                    event.seq,
                    &event.id,
                    &event.kind,
                    &event.learner,
                    &event.lesson,
                    event.payload.to_string(),
                    &event.at,
                    &event.recorded_at,
                    &received_at,
                ))?;
                held = event.seq;
            }
            let tallied: BTreeSet<&str> = batch.learners.iter().map(|l| l.id.as_str()).chain(
                batch.events.iter().filter(|e| e.seq > before).filter_map(|e| e.learner.as_deref()),
            ).collect();
            let was = counted(conn, &tallied)?;
            let mut learner = conn.prepare_cached(
                "INSERT INTO hub_learners (id, box_id, commune, name, village, birth_year, gender, ethnic_group, province)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                 ON CONFLICT (id) DO UPDATE SET name = excluded.name, village = excluded.village,
                     birth_year = excluded.birth_year, gender = excluded.gender, ethnic_group = excluded.ethnic_group
                 WHERE hub_learners.erased_at IS NULL",
            )?;
            for l in &batch.learners {
                learner.execute((
                    &l.id, &batch.box_id, &commune, &l.name, &l.village, l.birth_year, &l.gender, &l.ethnic_group, &province,
                ))?;
            }
            let rights = Rights::of(batch.events.iter().filter(|e| e.seq > before));
            if !rights.is_empty() {
                rights::apply(conn, &batch.box_id, &rights, &received_at)?;
            }
            let mut retallied = conn.prepare_cached(&retally("id = ?1"))?;
            for learner in &tallied {
                retallied.execute([learner])?;
            }
            add_sums(conn, &sum_changes(&was, &counted(conn, &tallied)?))?;
            conn.execute(
                "UPDATE hub_boxes SET held = ?2, last_sync_at = ?3 WHERE box_id = ?1",
                (&batch.box_id, held, &received_at),
            )?;
            // The box's own signed batch, kept to be passed on to a national hub as it came.
            if let Some(sealed) = sealed.filter(|_| held > before) {
                conn.prepare_cached(
                    "INSERT OR IGNORE INTO hub_batches (box_id, last_seq, first_seq, sealed) VALUES (?1, ?2, ?3, ?4)",
                )?
                .execute((&batch.box_id, batch.last_seq(), batch.first_seq(), sealed))?;
            }
            Ok(Ok(held))
        })
        .await
    }

    /// Notes that a box was heard from (a sync with nothing new still counts).
    pub async fn heard_from(&self, box_id: &str) -> Result<(), Error> {
        let box_id = box_id.to_string();
        self.store
            .write(move |conn| {
                conn.execute(
                    "UPDATE hub_boxes SET last_sync_at = ?2 WHERE box_id = ?1",
                    (&box_id, now()),
                )?;
                Ok(())
            })
            .await
    }

    pub async fn boxes(&self, scope: &Scope) -> Result<Vec<HubBox>, Error> {
        let province = scope.province().map(str::to_string);
        self.store
            .read(move |conn| {
                // The events held are those from its first seq to `held`, with no gap.
                let mut stmt = conn.prepare(
                    "SELECT b.box_id, b.province, b.commune, b.enrolled_at, b.last_sync_at, b.held,
                        MAX(b.held - b.first_seq + 1, 0), b.vouched_by, b.conflict
                 FROM hub_boxes b WHERE (?1 IS NULL OR b.province = ?1)
                 ORDER BY b.province, b.commune, b.enrolled_at",
                )?;
                let rows = stmt.query_map([province], |r| {
                    Ok(HubBox {
                        box_id: r.get(0)?,
                        province: r.get(1)?,
                        commune: r.get(2)?,
                        enrolled_at: r.get(3)?,
                        last_sync_at: r.get(4)?,
                        held: r.get(5)?,
                        events: r.get(6)?,
                        vouched_by: r.get(7)?,
                        conflict: r.get(8)?,
                    })
                })?;
                Ok(rows.collect::<Result<_, _>>()?)
            })
            .await
    }

    pub async fn learners(&self, scope: &Scope) -> Result<Vec<HubLearner>, Error> {
        let province = scope.province().map(str::to_string);
        self.store.read(move |conn| {
            let mut stmt = conn.prepare(
                "SELECT id, province, commune, name, village, birth_year, gender, ethnic_group FROM hub_learners
                 WHERE (?1 IS NULL OR province = ?1)",
            )?;
            let rows = stmt.query_map([province], |r| {
                Ok(HubLearner {
                    id: r.get(0)?,
                    province: r.get(1)?,
                    commune: r.get(2)?,
                    name: r.get(3)?,
                    village: r.get(4)?,
                    birth_year: r.get(5)?,
                    gender: r.get(6)?,
                    ethnic_group: r.get(7)?,
                })
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await
    }

    /// The events the hub holds of `box_id`, in seq order (for checks and tests).
    pub async fn event_ids(&self, box_id: &str) -> Result<Vec<HeldEvent>, Error> {
        let box_id = box_id.to_string();
        self.store
            .read(move |conn| {
                let mut stmt =
                    conn.prepare("SELECT seq, id FROM hub_events WHERE box_id = ?1 ORDER BY seq")?;
                let rows = stmt.query_map([box_id], |r| {
                    Ok(HeldEvent {
                        seq: r.get(0)?,
                        id: r.get(1)?,
                    })
                })?;
                Ok(rows.collect::<Result<_, _>>()?)
            })
            .await
    }

    /// The version the next publication of pack `name` gets.
    pub async fn next_pack_version(&self, name: &str) -> Result<i64, Error> {
        let name = name.to_string();
        self.store
            .read(move |conn| {
                Ok(conn.query_row(
                    "SELECT COALESCE(MAX(version), 0) + 1 FROM hub_packs WHERE name = ?1",
                    [name],
                    |r| r.get(0),
                )?)
            })
            .await
    }

    /// Keeps a published pack, sealed by the hub.
    pub async fn publish(&self, name: &str, version: i64, sealed: Vec<u8>) -> Result<(), Error> {
        let name = name.to_string();
        self.store.write(move |conn| {
            conn.execute(
                "INSERT INTO hub_packs (name, version, sealed, published_at) VALUES (?1, ?2, ?3, ?4)",
                (&name, version, &sealed, now()),
            )?;
            Ok(())
        })
        .await
    }

    /// The newest version of every pack, in name order.
    pub async fn packs(&self) -> Result<Vec<PublishedPack>, Error> {
        self.store.read(|conn| {
            let mut stmt = conn.prepare(
                "SELECT name, version, sealed, published_at FROM hub_packs p
                 WHERE version = (SELECT MAX(version) FROM hub_packs q WHERE q.name = p.name) ORDER BY name",
            )?;
            let rows = stmt.query_map([], |r| {
                Ok(PublishedPack {
                    name: r.get(0)?,
                    version: r.get(1)?,
                    sealed: r.get(2)?,
                    published_at: r.get(3)?,
                })
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await
    }
}
