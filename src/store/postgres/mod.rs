//! The hub on PostgreSQL (`hocso hub --database postgres://…`): the same records and answers
//! as the SQLite hub (`super::hub`), for a province or a nation whose IT centre keeps its
//! records in PostgreSQL, and for several hub processes on one database. Every rule that
//! keeps records whole is the database's: a box's batch is taken in one transaction that
//! holds its box's row (`FOR UPDATE`), so two processes taking batches of one box at once
//! take them one after the other, each `(box_id, seq)` once and with no gap; a code is used
//! by the `UPDATE … WHERE used_by IS NULL` that takes it; the hub's signing key, officers
//! and their sessions live in the database, so every process signs as one hub and knows
//! every officer. Migrations (`migrations/`, numbered, append-only) run at open under an
//! advisory lock, so processes starting together apply each once.
//!
//! A pool (deadpool-postgres) keeps warm connections; `tokio-postgres` speaks the protocol
//! without TLS: the database is reached on its machine's socket or a trusted network. Beside
//! the records here: officers and their sessions (`accounts`), the dashboard's counts and
//! sums (`dashboard`), province hubs that joined (`relays`), a SQLite hub copied in
//! (`migrate`).

mod accounts;
mod audit;
mod dashboard;
mod live;
pub mod migrate;
mod proposals;
mod relays;
#[cfg(test)]
mod tests;

use std::sync::Arc;

use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use tokio_postgres::NoTls;
use tokio_postgres::error::SqlState;
use tokio_postgres::types::ToSql;

use super::hub::{
    Counts, EnrolRefused, OPTIONAL_FIELDS, PERSONAL_FIELDS, PROFILE_KINDS, Rights, Scope, new_code,
    sum_changes, tidy_code,
};
use super::{
    BatchRefused, EnrolCode, Error, HeldEvent, HubBox, HubLearner, PublishedPack, format_time,
};
use crate::protocol::Keys;
use crate::protocol::wire::{Batch, Enrol, vouch_statement};
use dashboard::{RETALLY_SOME, add_counts, add_sums, counted};

/// The schema, one file a version; a landed migration is never edited, only followed.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_hub.sql"),
    include_str!("migrations/0002_provinces_and_counts.sql"),
    include_str!("migrations/0003_relays.sql"),
    include_str!("migrations/0004_hub_sums.sql"),
    include_str!("migrations/0005_live.sql"),
    include_str!("migrations/0006_proposals.sql"),
    include_str!("migrations/0007_officers.sql"),
    include_str!("migrations/0008_rights.sql"),
];

/// The dashboard's counts made again from the events held: after migration 2 made their
/// tables, and after `migrate` copied a SQLite hub's events in.
pub(super) const RECOUNT: &str = include_str!("recount.sql");

/// The migration that made the counts' tables.
const COUNTS_MADE: usize = 2;

/// The advisory lock processes take to migrate one at a time (any fixed number; "hocso").
const MIGRATION_LOCK: i64 = 0x0068_6f63_736f;

/// Connections one process keeps at most: a batch holds one for its transaction, a
/// dashboard one for its reads; more would only queue on the database's cores.
const POOL_SIZE: usize = 16;

const SETUP_CODE: &str = "setup_code";

impl From<tokio_postgres::Error> for Error {
    fn from(error: tokio_postgres::Error) -> Error {
        match error.code() {
            Some(code) if *code == SqlState::DISK_FULL => Error::DiskFull,
            _ => Error::Postgres(match error.as_db_error() {
                Some(db) => format!("{} ({})", db.message(), db.code().code()),
                None => match std::error::Error::source(&error) {
                    Some(source) => format!("{error}: {source}"),
                    None => error.to_string(),
                },
            }),
        }
    }
}

impl From<deadpool_postgres::PoolError> for Error {
    fn from(error: deadpool_postgres::PoolError) -> Error {
        match error {
            deadpool_postgres::PoolError::Backend(e) => e.into(),
            other => Error::Postgres(other.to_string()),
        }
    }
}

/// A hub's records on PostgreSQL; cloned cheaply, one pool behind.
#[derive(Clone)]
pub struct Postgres {
    inner: Arc<Inner>,
}

struct Inner {
    pool: Pool,
    hub_id: String,
    keys: Keys,
    clock: crate::clock::Clock,
    setup_code: Option<String>,
}

/// The migrations a database holds: the highest version applied (0 for an empty one).
async fn version(client: &impl deadpool_postgres::GenericClient) -> Result<i64, Error> {
    client
        .batch_execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version bigint PRIMARY KEY, applied_at text NOT NULL)",
        )
        .await?;
    let row = client
        .query_one(
            "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
            &[],
        )
        .await?;
    Ok(row.get(0))
}

impl Postgres {
    /// Connects to `address` (a `postgres://` URL or libpq's `key=value` words), applies the
    /// migrations it lacks (a database from a newer binary is refused untouched), and gives
    /// the hub its identity and, while it has no officer, its set-up code, the first process
    /// to open an empty database making them for all.
    pub async fn open(address: &str) -> Result<Postgres, Error> {
        let config: tokio_postgres::Config = address.parse().map_err(|e| {
            Error::Invalid(format!(
                "the database address is not a PostgreSQL address ({e}); write it as postgres://USER:PASSWORD@HOST/DATABASE"
            ))
        })?;
        let manager = Manager::from_config(
            config,
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(POOL_SIZE)
            .runtime(deadpool_postgres::Runtime::Tokio1)
            .build()
            .map_err(|e| Error::Postgres(e.to_string()))?;
        let mut client = pool.get().await?;
        let tx = client.transaction().await?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
            .await?;
        let found = version(&tx).await?;
        let known = MIGRATIONS.len() as i64;
        if found > known {
            return Err(Error::TooNew {
                path: "the PostgreSQL database".into(),
                found,
                known,
            });
        }
        let now = format_time(time::OffsetDateTime::now_utc());
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
            tx.batch_execute(sql).await?;
            if i + 1 == COUNTS_MADE {
                tx.batch_execute(RECOUNT).await?;
            }
            tx.execute(
                "INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)",
                &[&(i as i64 + 1), &now],
            )
            .await?;
        }
        let fresh = Keys::generate();
        tx.execute(
            "INSERT INTO hub_identity (hub_id, secret_key, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            &[&uuid::Uuid::now_v7().to_string(), &&fresh.secret()[..], &now],
        )
        .await?;
        let row = tx
            .query_one("SELECT hub_id, secret_key FROM hub_identity", &[])
            .await?;
        let hub_id: String = row.get(0);
        let secret: Vec<u8> = row.get(1);
        let keys = Keys::from_secret(&secret)
            .ok_or_else(|| Error::Invalid("the hub's stored key is damaged".into()))?;
        let officers: i64 = tx
            .query_one("SELECT COUNT(*) FROM officers", &[])
            .await?
            .get(0);
        let setup_code = if officers == 0 {
            tx.execute(
                "INSERT INTO hub_settings (key, value) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                &[&SETUP_CODE, &super::facilitators::new_setup_code()],
            )
            .await?;
            tx.query_opt(
                "SELECT value FROM hub_settings WHERE key = $1",
                &[&SETUP_CODE],
            )
            .await?
            .map(|r| r.get(0))
        } else {
            None
        };
        tx.commit().await?;
        drop(client);
        Ok(Postgres {
            inner: Arc::new(Inner {
                pool,
                hub_id,
                keys,
                clock: crate::clock::Clock::default(),
                setup_code,
            }),
        })
    }

    async fn client(&self) -> Result<deadpool_postgres::Object, Error> {
        Ok(self.inner.pool.get().await?)
    }

    pub fn keys(&self) -> &Keys {
        &self.inner.keys
    }

    pub fn hub_id(&self) -> &str {
        &self.inner.hub_id
    }

    pub fn clock(&self) -> &crate::clock::Clock {
        &self.inner.clock
    }

    pub fn now(&self) -> String {
        format_time(self.inner.clock.now())
    }

    pub fn setup_code(&self) -> Option<&str> {
        self.inner.setup_code.as_deref()
    }

    /// Whether the database answers within `wait`.
    pub async fn probe(&self, wait: std::time::Duration) -> Result<(), Error> {
        let asked = async {
            self.client()
                .await?
                .query_one("SELECT 1", &[])
                .await
                .map_err(Error::from)
        };
        match tokio::time::timeout(wait, asked).await {
            Err(_) => Err(Error::Unresponsive("PostgreSQL")),
            Ok(answer) => answer.map(drop),
        }
    }

    /// The migrations this database holds (for tests and `hocso hub status`).
    pub async fn schema_version(&self) -> Result<i64, Error> {
        let client = self.client().await?;
        version(&client).await
    }

    pub async fn new_code(&self, commune: &str, province: &str) -> Result<String, Error> {
        let code = new_code();
        self.client()
            .await?
            .execute(
                "INSERT INTO hub_codes (code, province, commune, created_at) VALUES ($1, $2, $3, $4)",
                &[&code, &province, &commune, &self.now()],
            )
            .await?;
        Ok(code)
    }

    pub async fn codes(&self, scope: &Scope) -> Result<Vec<EnrolCode>, Error> {
        let rows = self
            .client()
            .await?
            .query(
                "SELECT code, province, commune, created_at, used_by FROM hub_codes
                 WHERE ($1::text IS NULL OR province = $1) ORDER BY created_at DESC",
                &[&scope.province()],
            )
            .await?;
        Ok(rows
            .iter()
            .map(|r| EnrolCode {
                code: r.get(0),
                province: r.get(1),
                commune: r.get(2),
                made_at: r.get(3),
                used_by: r.get(4),
            })
            .collect())
    }

    pub async fn enrol(&self, enrol: Enrol) -> Result<Result<String, EnrolRefused>, Error> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        // One enrolment of a box id at a time, across processes: a box asking twice at once
        // (its first answer lost) is enrolled once and told so twice.
        tx.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))",
            &[&enrol.box_id],
        )
        .await?;
        let known = tx
            .query_opt(
                "SELECT public_key, commune FROM hub_boxes WHERE box_id = $1",
                &[&enrol.box_id],
            )
            .await?;
        if let Some(row) = known {
            let (key, commune): (String, String) = (row.get(0), row.get(1));
            return Ok(if key == enrol.public_key {
                Ok(commune)
            } else {
                Err(EnrolRefused::KeyTaken)
            });
        }
        let enrolled = if let Some(vouch) = &enrol.vouch {
            let old = tx
                .query_opt(
                    "SELECT public_key, commune, province FROM hub_boxes WHERE box_id = $1",
                    &[&vouch.box_id],
                )
                .await?;
            let statement = vouch_statement(&enrol.box_id, &enrol.public_key, enrol.first_seq);
            match old {
                Some(row)
                    if crate::protocol::envelope::verify(
                        row.get(0),
                        &statement,
                        &vouch.signature,
                    ) =>
                {
                    let (commune, province): (String, String) = (row.get(1), row.get(2));
                    let place = (province.as_str(), commune.as_str());
                    insert_box(&tx, &enrol, place, Some(&vouch.box_id), &self.now()).await?;
                    Ok(commune)
                }
                _ => Err(EnrolRefused::BadVouch),
            }
        } else {
            let code = tidy_code(enrol.code.as_deref().unwrap_or_default());
            let taken = tx
                .query_opt(
                    "UPDATE hub_codes SET used_by = $2, used_at = $3 WHERE code = $1 AND used_by IS NULL
                     RETURNING commune, province",
                    &[&code, &enrol.box_id, &self.now()],
                )
                .await?;
            match taken {
                Some(row) => {
                    let (commune, province): (String, String) = (row.get(0), row.get(1));
                    let place = (province.as_str(), commune.as_str());
                    insert_box(&tx, &enrol, place, None, &self.now()).await?;
                    Ok(commune)
                }
                None => Err(EnrolRefused::BadCode),
            }
        };
        if enrolled.is_ok() {
            tx.commit().await?;
        }
        Ok(enrolled)
    }

    pub async fn box_key(&self, box_id: &str) -> Result<Option<String>, Error> {
        let row = self
            .client()
            .await?
            .query_opt(
                "SELECT public_key FROM hub_boxes WHERE box_id = $1",
                &[&box_id],
            )
            .await?;
        Ok(row.map(|r| r.get(0)))
    }

    pub async fn held(&self, box_id: &str) -> Result<Option<i64>, Error> {
        let row = self
            .client()
            .await?
            .query_opt("SELECT held FROM hub_boxes WHERE box_id = $1", &[&box_id])
            .await?;
        Ok(row.map(|r| r.get(0)))
    }

    /// `HubStore::accept`, in one transaction holding the box's row: a batch of the same box
    /// taken by another process at the same moment waits for this one, then reads what it
    /// left. Events and profiles go in as arrays, one statement each.
    /// Takes a batch (as `HubStore::accept`). The signed original is not kept: a hub that
    /// passes its boxes on to a national hub runs on SQLite.
    pub async fn accept(
        &self,
        batch: Batch,
        _sealed: Option<&[u8]>,
    ) -> Result<Result<i64, BatchRefused>, Error> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let found = tx
            .query_opt(
                "SELECT held, commune, province FROM hub_boxes WHERE box_id = $1 FOR UPDATE",
                &[&batch.box_id],
            )
            .await?;
        let Some(row) = found else {
            return Ok(Err(BatchRefused::UnknownBox));
        };
        let (held, commune, province): (i64, String, String) = (row.get(0), row.get(1), row.get(2));
        if batch.first_seq() > held + 1 {
            return Ok(Err(BatchRefused::Gap { held }));
        }
        let line = first_of_line(&tx, &batch.box_id).await?;
        // One batch of a line of identities at a time (a copied card's twins share their
        // learners): the sums change by what a learner was before this batch and after it.
        tx.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended($1, 3))",
            &[&line],
        )
        .await?;
        let mut named: Vec<&str> = batch
            .learners
            .iter()
            .map(|l| l.id.as_str())
            .chain(batch.events.iter().filter_map(|e| e.learner.as_deref()))
            .collect();
        named.sort_unstable();
        named.dedup();
        let owners = tx
            .query(
                "SELECT id, box_id FROM hub_learners WHERE id = ANY($1) AND box_id <> $2",
                &[&named, &batch.box_id],
            )
            .await?;
        for owner in &owners {
            if first_of_line(&tx, owner.get(1)).await? != line {
                return Ok(Err(BatchRefused::ForeignLearner {
                    learner: owner.get(0),
                }));
            }
        }
        let received_at = self.now();
        let resent: Vec<i64> = batch
            .events
            .iter()
            .filter(|e| e.seq <= held)
            .map(|e| e.seq)
            .collect();
        if !resent.is_empty() {
            let stored = tx
                .query(
                    "SELECT seq, id FROM hub_events WHERE box_id = $1 AND seq = ANY($2)",
                    &[&batch.box_id, &resent],
                )
                .await?;
            for row in &stored {
                let (seq, id): (i64, String) = (row.get(0), row.get(1));
                if batch.events.iter().any(|e| e.seq == seq && e.id != id) {
                    // The mark outlives the refusal: it is what both dashboards show.
                    tx.execute(
                        "UPDATE hub_boxes SET conflict = $2 WHERE box_id = $1",
                        &[&batch.box_id, &format!("{received_at}: seq {seq}")],
                    )
                    .await?;
                    tx.commit().await?;
                    return Ok(Err(BatchRefused::Conflict { seq }));
                }
            }
        }
        let new: Vec<_> = batch.events.iter().filter(|e| e.seq > held).collect();
        let now_held = new.last().map_or(held, |e| e.seq);
        if !new.is_empty() {
            let column = |f: &dyn Fn(&crate::protocol::wire::WireEvent) -> Option<String>| {
                new.iter().map(|e| f(e)).collect::<Vec<_>>()
            };
            let seqs: Vec<i64> = new.iter().map(|e| e.seq).collect();
            let ids = column(&|e| Some(e.id.clone()));
            let kinds = column(&|e| Some(e.kind.clone()));
            let learners = column(&|e| e.learner.clone());
            let lessons = column(&|e| e.lesson.clone());
            let payloads = column(&|e| Some(e.payload.to_string()));
            let ats = column(&|e| Some(e.at.clone()));
            let recorded = column(&|e| Some(e.recorded_at.clone()));
            let params: [&(dyn ToSql + Sync); 10] = [
                &batch.box_id,
                &seqs,
                &ids,
                &kinds,
                &learners,
                &lessons,
                &payloads,
                &ats,
                &recorded,
                &received_at,
            ];
            tx.execute(
                "INSERT INTO hub_events (box_id, seq, id, kind, learner_id, lesson_id, payload, at, recorded_at, received_at)
                 SELECT $1::text, *, $10::text FROM UNNEST($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[],
                                              $7::text[], $8::text[], $9::text[])",
                &params,
            )
            .await?;
            add_counts(&tx, &Counts::of(new.iter().copied()), &province, &commune).await?;
        }
        let mut tallied: Vec<&str> = batch
            .learners
            .iter()
            .map(|l| l.id.as_str())
            .chain(new.iter().filter_map(|e| e.learner.as_deref()))
            .collect();
        tallied.sort_unstable();
        tallied.dedup();
        let was = counted(&tx, &tallied).await?;
        if !batch.learners.is_empty() {
            let l = &batch.learners;
            let ids: Vec<&str> = l.iter().map(|l| l.id.as_str()).collect();
            let names: Vec<Option<&str>> = l.iter().map(|l| l.name.as_deref()).collect();
            let villages: Vec<&str> = l.iter().map(|l| l.village.as_str()).collect();
            let years: Vec<Option<i64>> = l.iter().map(|l| l.birth_year).collect();
            let genders: Vec<Option<&str>> = l.iter().map(|l| l.gender.as_deref()).collect();
            let groups: Vec<Option<&str>> = l.iter().map(|l| l.ethnic_group.as_deref()).collect();
            tx.execute(
                "INSERT INTO hub_learners (id, box_id, commune, name, village, birth_year, gender, ethnic_group, province)
                 SELECT id, $2, $3, name, village, birth_year, gender, ethnic_group, $9
                 FROM UNNEST($1::text[], $4::text[], $5::text[], $6::bigint[], $7::text[], $8::text[])
                      AS l (id, name, village, birth_year, gender, ethnic_group)
                 ON CONFLICT (id) DO UPDATE SET name = excluded.name, village = excluded.village,
                     birth_year = excluded.birth_year, gender = excluded.gender, ethnic_group = excluded.ethnic_group
                 WHERE hub_learners.erased_at IS NULL",
                &[&ids, &batch.box_id, &commune, &names, &villages, &years, &genders, &groups, &province],
            )
            .await?;
        }
        apply_rights(
            &tx,
            &batch.box_id,
            &Rights::of(new.iter().copied()),
            &received_at,
        )
        .await?;
        // Without statistics the same guess costs the retally over `jit_above_cost`, and
        // compiling it (20–100 ms a batch) took longer than running it: a few learners'
        // rows never need JIT. `LOCAL`: until this transaction ends.
        tx.batch_execute("SET LOCAL jit = off").await?;
        tx.execute(RETALLY_SOME, &[&tallied]).await?;
        let now = counted(&tx, &tallied).await?;
        add_sums(&tx, &sum_changes(&was, &now)).await?;
        tx.execute(
            "UPDATE hub_boxes SET held = $2, last_sync_at = $3 WHERE box_id = $1",
            &[&batch.box_id, &now_held, &received_at],
        )
        .await?;
        tx.commit().await?;
        Ok(Ok(now_held))
    }

    pub async fn heard_from(&self, box_id: &str) -> Result<(), Error> {
        self.client()
            .await?
            .execute(
                "UPDATE hub_boxes SET last_sync_at = $2 WHERE box_id = $1",
                &[&box_id, &self.now()],
            )
            .await?;
        Ok(())
    }

    pub async fn boxes(&self, scope: &Scope) -> Result<Vec<HubBox>, Error> {
        let rows = self
            .client()
            .await?
            .query(
                "SELECT box_id, province, commune, enrolled_at, last_sync_at, held,
                        GREATEST(held - first_seq + 1, 0), vouched_by, conflict
                 FROM hub_boxes WHERE ($1::text IS NULL OR province = $1)
                 ORDER BY province, commune, enrolled_at",
                &[&scope.province()],
            )
            .await?;
        Ok(rows
            .iter()
            .map(|r| HubBox {
                box_id: r.get(0),
                province: r.get(1),
                commune: r.get(2),
                enrolled_at: r.get(3),
                last_sync_at: r.get(4),
                held: r.get(5),
                events: r.get(6),
                vouched_by: r.get(7),
                conflict: r.get(8),
            })
            .collect())
    }

    pub async fn learners(&self, scope: &Scope) -> Result<Vec<HubLearner>, Error> {
        let rows = self
            .client()
            .await?
            .query(
                "SELECT id, province, commune, name, village, birth_year, gender, ethnic_group FROM hub_learners
                 WHERE ($1::text IS NULL OR province = $1)",
                &[&scope.province()],
            )
            .await?;
        Ok(rows
            .iter()
            .map(|r| HubLearner {
                id: r.get(0),
                province: r.get(1),
                commune: r.get(2),
                name: r.get(3),
                village: r.get(4),
                birth_year: r.get(5),
                gender: r.get(6),
                ethnic_group: r.get(7),
            })
            .collect())
    }

    pub async fn event_ids(&self, box_id: &str) -> Result<Vec<HeldEvent>, Error> {
        let rows = self
            .client()
            .await?
            .query(
                "SELECT seq, id FROM hub_events WHERE box_id = $1 ORDER BY seq",
                &[&box_id],
            )
            .await?;
        Ok(rows
            .iter()
            .map(|r| HeldEvent {
                seq: r.get(0),
                id: r.get(1),
            })
            .collect())
    }

    pub async fn next_pack_version(&self, name: &str) -> Result<i64, Error> {
        let row = self
            .client()
            .await?
            .query_one(
                "SELECT COALESCE(MAX(version), 0) + 1 FROM hub_packs WHERE name = $1",
                &[&name],
            )
            .await?;
        Ok(row.get(0))
    }

    pub async fn publish(&self, name: &str, version: i64, sealed: Vec<u8>) -> Result<(), Error> {
        self.client()
            .await?
            .execute(
                "INSERT INTO hub_packs (name, version, sealed, published_at) VALUES ($1, $2, $3, $4)",
                &[&name, &version, &sealed, &self.now()],
            )
            .await?;
        Ok(())
    }

    pub async fn packs(&self) -> Result<Vec<PublishedPack>, Error> {
        let rows = self
            .client()
            .await?
            .query(
                "SELECT DISTINCT ON (name) name, version, sealed, published_at FROM hub_packs
                 ORDER BY name, version DESC",
                &[],
            )
            .await?;
        Ok(rows
            .iter()
            .map(|r| PublishedPack {
                name: r.get(0),
                version: r.get(1),
                sealed: r.get(2),
                published_at: r.get(3),
            })
            .collect())
    }
}

/// `store::hub::rights`'s `apply`, on PostgreSQL: a withdrawal scrubs the optional fields
/// from the learner's earlier profile events, an erasure the name too and marks the learner.
async fn apply_rights(
    tx: &tokio_postgres::Transaction<'_>,
    box_id: &str,
    rights: &Rights<'_>,
    at: &str,
) -> Result<(), Error> {
    let kinds: Vec<&str> = PROFILE_KINDS.to_vec();
    for (learner, seq) in &rights.withdrawn {
        let fields: Vec<&str> = OPTIONAL_FIELDS.to_vec();
        // Of this box, only the events before the withdrawal: a later one may give them again.
        tx.execute(
            "UPDATE hub_events SET payload = (payload::jsonb - $4::text[])::text
             WHERE learner_id = $1 AND kind = ANY($5) AND NOT (box_id = $2 AND seq > $3)
               AND payload LIKE '{%'",
            &[learner, &box_id, seq, &fields, &kinds],
        )
        .await?;
    }
    for learner in &rights.erased {
        tx.execute(
            "UPDATE hub_learners SET name = NULL, birth_year = NULL, gender = NULL, ethnic_group = NULL,
                 erased_at = COALESCE(erased_at, $2) WHERE id = $1",
            &[learner, &at],
        )
        .await?;
        let fields: Vec<&str> = PERSONAL_FIELDS.to_vec();
        tx.execute(
            "UPDATE hub_events SET payload = (payload::jsonb - $2::text[])::text
             WHERE learner_id = $1 AND kind = ANY($3) AND payload LIKE '{%'",
            &[learner, &fields, &kinds],
        )
        .await?;
    }
    Ok(())
}

async fn insert_box(
    tx: &deadpool_postgres::Transaction<'_>,
    enrol: &Enrol,
    (province, commune): (&str, &str),
    vouched_by: Option<&str>,
    now: &str,
) -> Result<(), Error> {
    let first = enrol.first_seq.max(1);
    tx.execute(
        "INSERT INTO hub_boxes (box_id, province, commune, public_key, first_seq, held, enrolled_at, vouched_by)
         VALUES ($1, $2, $3, $4, $5::bigint, $5::bigint - 1, $6, $7)",
        &[&enrol.box_id, &province, &commune, &enrol.public_key, &first, &now, &vouched_by],
    )
    .await?;
    Ok(())
}

/// The first identity of `box_id`'s line (`super::hub::first_of_line`).
async fn first_of_line(
    tx: &deadpool_postgres::Transaction<'_>,
    box_id: &str,
) -> Result<String, Error> {
    let mut current = box_id.to_string();
    for _ in 0..64 {
        let up: Option<Option<String>> = tx
            .query_opt(
                "SELECT vouched_by FROM hub_boxes WHERE box_id = $1",
                &[&current],
            )
            .await?
            .map(|r| r.get(0));
        match up.flatten() {
            Some(voucher) if voucher != current => current = voucher,
            _ => break,
        }
    }
    Ok(current)
}
