//! SQLite, and the only module with SQL text: `Store::open` sets the pragmas (WAL,
//! `synchronous=FULL`, foreign keys, busy timeout, the query planner's stability guarantee),
//! applies the migrations embedded from `migrations/` (append-only; a newer database is
//! refused, never altered) and gives the box its id and signing key. Every write goes through
//! the one writer thread (`writer`: group commit, one SAVEPOINT a job, answered after the
//! commit); reads take one of four kept read-only connections, point lookups on the
//! request's own thread. The queries of each noun live beside the rows they return: learners
//! and sessions, events (with `progress` and `quiz_scores` in the same transaction),
//! facilitators, groups and cards, live sessions, reports, a learner's data rights (`rights`:
//! consent, erasure, everything held about one learner), the box's side of sync, and
//! `HubStore` (`store.hub()`), the hub's own tables. Knows nothing of HTTP and holds no rule
//! beyond the constraints that keep records whole: the pass mark comes from `learn`.

mod authoring;
mod backup;
mod engine;
mod events;
mod facilitators;
mod groups;
mod hub;
mod learners;
mod live;
mod postgres;
mod reports;
mod rights;
pub mod sync;
mod writer;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use rusqlite::config::DbConfig;
use rusqlite::{Connection, OptionalExtension};

pub use authoring::{
    LocalLesson, LocalReading, LocalScenario, MEDIA_BUDGET, MediaRefused, MediaRoom, NewMedia,
    ProposalsOut, Proposing,
};
pub use backup::{
    BACKUP_ERROR, BACKUPS_KEPT, BackupError, Copied, LAST_BACKUP, backup, backups_in,
    keep_backing_up, restore,
};
pub use engine::{Accounts, HubStore};
pub use events::{
    Change, EventCount, EventOutcome, LearnerRecord, LessonProgress, NewEvent, PracticeState,
    QuizAttempt, QuizScore,
};
pub use facilitators::{
    DayCounts, Facilitator, Granting, NewFacilitator, OfficerRole, Roles, SetupRefused,
};
pub use groups::{Group, GroupRefused, Profile};
pub use hub::{
    AuditAction, AuditEntry, AuditQuery, HubLearnerLine, HubLearnerRecord, LearnerPage, NewAudit,
};
pub use hub::{
    BatchRefused, BoxPlace, Dimension, EnrolCode, EnrolRefused, Finished, Forwarding, HeldEvent,
    HubBox, HubHall, HubLearner, HubLive, HubProposal, LiveMove, National, NewHubLive, NewProposal,
    PassingOn, Practised, ProposalDecision, ProposalMedia, ProposalStatus, PublishedPack, Relay,
    Scope, SqliteHub, Tally, tidy_code,
};
pub use learners::{Consent, Learner, LearnerListing, NewLearner, Secret, Village};
pub use live::{LiveAnswer, LiveRecord};
pub use postgres::Postgres;
pub use postgres::migrate::{Counted, migrate as migrate_to_postgres};
pub use reports::{AnswerSet, Attended, Decision, LearnerLine, LessonLine};
pub use rights::LearnerData;
pub use sync::{HeldPack, Identity, PackVersion, SyncStatus};
use writer::Writer;
pub use writer::panic_message;

/// The setting holding the seconds a facilitator added to the system's clock.
pub const CLOCK_OFFSET: &str = "clock_offset";

/// The database file inside the data folder.
pub const DB_FILE: &str = "hocso.db";

/// The schema, one file a version; a landed migration is never edited, only followed.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_init.sql"),
    include_str!("migrations/0002_facilitators.sql"),
    include_str!("migrations/0003_groups_cards_live.sql"),
    include_str!("migrations/0004_sync.sql"),
    include_str!("migrations/0005_practice.sql"),
    include_str!("migrations/0006_live_practice.sql"),
    include_str!("migrations/0007_hub_provinces_and_counts.sql"),
    include_str!("migrations/0008_hub_to_hub.sql"),
    include_str!("migrations/0009_hub_sums.sql"),
    include_str!("migrations/0010_live_province.sql"),
    include_str!("migrations/0011_authoring.sql"),
    include_str!("migrations/0012_officers.sql"),
    include_str!("migrations/0013_rights.sql"),
];

/// How long a connection waits for another's lock before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// Read connections: at most this many reads run at once, each on a connection kept open
/// for the next. More would only add threads and page caches on a two-core board: a read
/// is a few indexed lookups, and waiting for a turn is cheaper than a new connection.
const READERS: usize = 4;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("database: {0}")]
    Sqlite(rusqlite::Error),
    /// SQLite found the disk (or the SD card) full: nothing of the write was kept.
    #[error("the disk is full")]
    DiskFull,
    #[error(
        "the database {path} was written by a newer Hocso (schema version {found}; this binary knows up to {known}). \
         Run the newer binary, or restore a backup made by this one; the file was not changed"
    )]
    TooNew {
        path: String,
        found: i64,
        known: i64,
    },
    #[error("the writer has stopped")]
    WriterGone,
    #[error("a write panicked and was undone: {0}")]
    Panicked(String),
    #[error("{0} did not answer in time")]
    Unresponsive(&'static str),
    #[error("commit failed: {0}")]
    Commit(String),
    #[error("a reader task failed: {0}")]
    Reader(String),
    #[error("{0}")]
    Invalid(String),
    /// PostgreSQL (a hub's `--database`) refused or could not be reached; its words.
    #[error("PostgreSQL: {0}")]
    Postgres(String),
}

impl From<rusqlite::Error> for Error {
    fn from(error: rusqlite::Error) -> Error {
        match error.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DiskFull) => Error::DiskFull,
            _ => Error::Sqlite(error),
        }
    }
}

/// Below this many free bytes where the database lives, the dashboard warns: a day of a
/// busy hall writes a few MB, so 200 MB leaves weeks to make room or change the card.
pub const LOW_SPACE: u64 = 200 * 1024 * 1024;

/// The box's database: one writer, many readers.
#[derive(Clone)]
pub struct Store {
    inner: Arc<Inner>,
}

struct Inner {
    writer: Writer,
    readers: Mutex<Vec<Connection>>,
    /// A permit a read: bounds the blocking threads and connections reads use.
    reading: Arc<tokio::sync::Semaphore>,
    path: PathBuf,
    box_id: String,
    setup_code: Option<String>,
    clock: Arc<crate::clock::Clock>,
    keys: crate::protocol::Keys,
}

impl Store {
    /// Opens (or creates) `hocso.db` in `data_dir`, applies pending migrations, and gives the
    /// box its id and signing key on first start. A database from a newer binary is refused
    /// untouched. The machine is read from the system (`protocol::machine`).
    pub fn open(data_dir: &Path) -> Result<Store, Error> {
        Store::open_on(data_dir, crate::protocol::machine::fingerprint().as_deref())
    }

    /// `open`, on the machine `machine` (a fingerprint). A box whose identity was made on
    /// another machine (a copied SD card) takes a new identity here, before it records
    /// anything.
    pub fn open_on(data_dir: &Path, machine: Option<&str>) -> Result<Store, Error> {
        let path = data_dir.join(DB_FILE);
        // One process at a time makes a new folder's database and identity (`hocso
        // facilitator add` run while `hocso serve` starts for the first time); the lock is
        // let go when opening is done.
        let _opening = opening_lock(data_dir)?;
        let mut conn = Connection::open(&path)?;
        conn.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get::<_, String>(0))?;
        set_pragmas(&conn)?;
        migrate(&mut conn, &path)?;
        let box_id = box_id(&conn)?;
        let box_id = sync::ensure_identity(&conn, &box_id, machine)?;
        let keys = sync::keys_of(&conn, &box_id)?;
        let setup_code = facilitators::ensure_setup_code(&conn)?;
        let clock = Arc::new(crate::clock::Clock::default());
        if let Some(offset) =
            learners::get_setting(&conn, CLOCK_OFFSET)?.and_then(|s| s.parse().ok())
            && clock.restore(offset).is_err()
        {
            tracing::warn!(
                offset,
                "the stored clock correction would set the clock before the build or years ahead; it is ignored until a facilitator sets the time again"
            );
        }
        Ok(Store {
            inner: Arc::new(Inner {
                writer: Writer::start(conn, clock.clone()),
                clock,
                readers: Mutex::new(Vec::new()),
                reading: Arc::new(tokio::sync::Semaphore::new(READERS)),
                path,
                box_id,
                setup_code,
                keys,
            }),
        })
    }

    /// This box's clock (the system's, corrected by a facilitator if it was wrong).
    pub fn clock(&self) -> &crate::clock::Clock {
        &self.inner.clock
    }

    /// The box's clock as RFC 3339 text, for the times events carry.
    pub fn now(&self) -> String {
        format_time(self.clock().now())
    }

    /// This box's id, made on first start; it names the box's records everywhere.
    pub fn box_id(&self) -> &str {
        &self.inner.box_id
    }

    /// A setting read as the box starts (before serving), e.g. the default language; `None`
    /// if unset or unreadable.
    pub fn setting_at_open(&self, key: &str) -> Option<String> {
        let conn = open_reader(&self.inner.path).ok()?;
        learners::get_setting(&conn, key).ok().flatten()
    }

    /// The one-time set-up code, when the box had no facilitator as it opened: `serve` prints
    /// it to the console, and `/setup` asks for it.
    pub fn setup_code(&self) -> Option<&str> {
        self.inner.setup_code.as_deref()
    }

    /// Runs `work` in the writer's next group commit; answers once it is durable.
    async fn write<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Connection) -> Result<T, Error> + Send + 'static,
    ) -> Result<T, Error> {
        self.inner.writer.write(work).await
    }

    /// Whether the store can do its work now: the writer commits an empty transaction and a
    /// reader reads the schema, each within `wait`. The first that cannot, and why.
    pub async fn probe(&self, wait: Duration) -> Result<(), Error> {
        let written = tokio::time::timeout(
            wait,
            self.write(|conn| Ok(conn.query_row("SELECT 1", [], |r| r.get::<_, i64>(0))?)),
        )
        .await;
        match written {
            Err(_) => return Err(Error::Unresponsive("the writer")),
            Ok(result) => {
                result?;
            }
        }
        let read = tokio::time::timeout(
            wait,
            self.read(|conn| {
                Ok(
                    conn.query_row("SELECT COUNT(*) FROM sqlite_master", [], |r| {
                        r.get::<_, i64>(0)
                    })?,
                )
            }),
        )
        .await;
        match read {
            Err(_) => Err(Error::Unresponsive("a reader")),
            Ok(result) => result.map(|_| ()),
        }
    }

    /// Free bytes on the disk that holds the database (for unprivileged writers), if the
    /// system says.
    pub fn free_bytes(&self) -> Option<u64> {
        let folder = self.inner.path.parent()?;
        let stat = rustix::fs::statvfs(folder).ok()?;
        Some(stat.f_bavail.saturating_mul(stat.f_frsize))
    }

    /// Runs `work` as a write job that holds the writer (for tests of what waits on it).
    #[cfg(test)]
    pub(crate) async fn write_for_test(
        &self,
        work: impl FnOnce() + Send + 'static,
    ) -> Result<(), Error> {
        self.write(move |_| {
            work();
            Ok(())
        })
        .await
    }

    /// Runs a point lookup (a few rows found by index: a session, a learner's progress) on a
    /// read connection on this thread. Such a read takes microseconds from SQLite's cache,
    /// less than a trip to the blocking pool and back; anything that scans uses `read`.
    fn lookup<T>(&self, work: impl FnOnce(&Connection) -> Result<T, Error>) -> Result<T, Error> {
        let conn = self
            .inner
            .readers
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop();
        let conn = match conn {
            Some(conn) => conn,
            None => open_reader(&self.inner.path)?,
        };
        let result = work(&conn);
        self.inner
            .readers
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(conn);
        result
    }

    /// Runs `work` on a read connection, off the async threads.
    async fn read<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Connection) -> Result<T, Error> + Send + 'static,
    ) -> Result<T, Error> {
        // Held until the read ends, even if the request that asked is dropped meanwhile.
        let turn = self
            .inner
            .reading
            .clone()
            .acquire_owned()
            .await
            .map_err(|e| Error::Reader(e.to_string()))?;
        let inner = self.inner.clone();
        tokio::task::spawn_blocking(move || {
            let _turn = turn;
            let conn = inner
                .readers
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .pop();
            let conn = match conn {
                Some(conn) => conn,
                None => open_reader(&inner.path)?,
            };
            let result = work(&conn);
            inner
                .readers
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(conn);
            result
        })
        .await
        .map_err(|e| Error::Reader(e.to_string()))?
    }
}

/// An exclusive lock on the folder's `hocso.db.lock`, held while the database is opened.
fn opening_lock(data_dir: &Path) -> Result<std::fs::File, Error> {
    let lock = std::fs::File::create(data_dir.join(format!("{DB_FILE}.lock")))
        .map_err(|e| Error::Invalid(format!("cannot lock {}: {e}", data_dir.display())))?;
    rustix::fs::flock(&lock, rustix::fs::FlockOperation::LockExclusive)
        .map_err(|e| Error::Invalid(format!("cannot lock {}: {e}", data_dir.display())))?;
    Ok(lock)
}

fn set_pragmas(conn: &Connection) -> Result<(), Error> {
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // Plans that do not depend on the values bound: otherwise a kept statement whose plan
    // might (SQLite marks many) is compiled again every time it is used, since each use
    // binds new values; that was a tenth of a signed-in page's time.
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
    Ok(())
}

fn open_reader(path: &Path) -> Result<Connection, Error> {
    let conn = Connection::open(path)?;
    set_pragmas(&conn)?;
    conn.pragma_update(None, "query_only", "ON")?;
    Ok(conn)
}

/// Brings the schema up to date, one migration a transaction, tracked by `user_version`.
fn migrate(conn: &mut Connection, path: &Path) -> Result<(), Error> {
    let found: i64 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    let known = MIGRATIONS.len() as i64;
    if found > known {
        return Err(Error::TooNew {
            path: path.display().to_string(),
            found,
            known,
        });
    }
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        // Another process opening the same new folder (`hocso facilitator add` while `hocso
        // serve` starts) may have applied it meanwhile: the version is read again under the
        // write lock.
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let now: i64 = tx.pragma_query_value(None, "user_version", |row| row.get(0))?;
        if now > index as i64 {
            continue;
        }
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", index as i64 + 1)?;
        tx.commit()?;
        tracing::info!(version = index + 1, "database migrated");
    }
    Ok(())
}

fn box_id(conn: &Connection) -> Result<String, Error> {
    let existing: Option<String> = conn
        .query_row("SELECT box_id FROM box WHERE id = 1", [], |row| row.get(0))
        .optional()?;
    if let Some(id) = existing {
        return Ok(id);
    }
    let id = uuid::Uuid::now_v7().to_string();
    // Another process opening the same new folder may have given it an id first: that one
    // stays.
    let made = conn.execute(
        "INSERT INTO box (id, box_id, created_at) VALUES (1, ?1, ?2) ON CONFLICT DO NOTHING",
        (&id, now()),
    )?;
    if made == 0 {
        return Ok(conn.query_row("SELECT box_id FROM box WHERE id = 1", [], |row| row.get(0))?);
    }
    tracing::info!(box_id = %id, "this box has its id");
    Ok(id)
}

/// The box's clock as RFC 3339 text, inside the store: on the writer thread it is the box's
/// corrected clock, elsewhere the system's (only while opening). It may be wrong (a Pi has no
/// battery clock): order comes from `seq`, never from this.
fn now() -> String {
    format_time(writer::clock_now())
}

fn format_time(t: time::OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339)
        .expect("a UTC time formats")
}

#[cfg(test)]
mod tests;
