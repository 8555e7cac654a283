//! Copies of the box's database, for a dead SD card: `Store::backup_to` writes a consistent
//! copy while the box serves (SQLite's online backup API, page by page), and `restore`
//! brings one back into an empty data folder. The copy holds everything, the box's signing
//! identities too; a restored box takes a new identity when it next opens (as a box whose
//! card was copied into another board does), vouched for by the old one at the hub, so its
//! new records never clash with what the hub already holds of the old identity.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags, OptionalExtension};

use super::{DB_FILE, Error, MIGRATIONS, Store, now, open_reader};

/// Pages copied a step: a few MB, so a step is quick and the progress moves.
const PAGES_A_STEP: i32 = 1024;
/// Steps may restart when the box writes meanwhile; after this many, copy the rest at once.
const RESTARTS: u32 = 8;

/// What a copy holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Copied {
    /// The box's identity in the copy.
    pub box_id: String,
    pub events: i64,
    /// The highest `seq` in the copy.
    pub last_seq: i64,
    pub bytes: u64,
}

/// Why a copy could not be made or brought back.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{0}")]
    Store(#[from] Error),
    #[error("{path}: {source}")]
    File {
        path: String,
        source: std::io::Error,
    },
    #[error("{0} is not a Hocso database, or it is damaged: nothing was restored")]
    NotABackup(String),
    #[error(
        "{0} holds a database already; restore into an empty folder (move the old one away first)"
    )]
    NotEmpty(String),
}

impl From<rusqlite::Error> for BackupError {
    fn from(e: rusqlite::Error) -> Self {
        BackupError::Store(e.into())
    }
}

fn file_error(path: &Path) -> impl FnOnce(std::io::Error) -> BackupError + '_ {
    move |source| BackupError::File {
        path: path.display().to_string(),
        source,
    }
}

/// Copies `from` into the new database at `to` page by page, telling `progress` (pages
/// done, pages in all) as it goes.
fn copy(
    from: &Connection,
    to: &Path,
    progress: &(dyn Fn(u64, u64) + Send + Sync),
) -> Result<(), BackupError> {
    let mut target = Connection::open(to)?;
    {
        let backup = Backup::new(from, &mut target)?;
        let mut restarts = 0;
        let mut last_remaining = i32::MAX;
        loop {
            let step = if restarts < RESTARTS {
                PAGES_A_STEP
            } else {
                -1
            };
            let result = backup.step(step)?;
            let p = backup.progress();
            if p.remaining > last_remaining {
                restarts += 1; // the source changed under the copy: SQLite began again
            }
            last_remaining = p.remaining;
            let total = p.pagecount.max(0) as u64;
            progress(total.saturating_sub(p.remaining.max(0) as u64), total);
            match result {
                StepResult::Done => break,
                StepResult::More => {}
                _ => std::thread::sleep(Duration::from_millis(20)),
            }
        }
    }
    // The copy leaves rollback-journal mode behind; the box opens it in WAL again.
    target.pragma_update(None, "journal_mode", "DELETE")?;
    drop(target);
    std::fs::File::open(to)
        .and_then(|f| f.sync_all())
        .map_err(file_error(to))?;
    Ok(())
}

/// What a database file holds, read from it.
fn copied(conn: &Connection, path: &Path) -> Result<Copied, BackupError> {
    let box_id: Option<String> = conn
        .query_row("SELECT box_id FROM box WHERE id = 1", [], |r| r.get(0))
        .optional()?;
    let (events, last_seq) = conn.query_row(
        "SELECT COUNT(*), COALESCE(MAX(seq), 0) FROM events",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(Copied {
        box_id: box_id.unwrap_or_default(),
        events,
        last_seq,
        bytes: std::fs::metadata(path).map_err(file_error(path))?.len(),
    })
}

/// `path` with `.partial` added: where a copy is written before it is whole.
fn partial(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".partial");
    PathBuf::from(name)
}

/// Writes a consistent copy of the database of `data_dir` to `file`, while a box may be
/// serving from it: first to `file.partial`, synced, then renamed, so a stick pulled out
/// too early leaves no half copy under the real name.
pub fn backup(
    data_dir: &Path,
    file: &Path,
    progress: &(dyn Fn(u64, u64) + Send + Sync),
) -> Result<Copied, BackupError> {
    let source = data_dir.join(DB_FILE);
    if !source.is_file() {
        return Err(BackupError::File {
            path: source.display().to_string(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "no database here"),
        });
    }
    let from = open_reader(&source)?;
    let writing = partial(file);
    let _ = std::fs::remove_file(&writing);
    copy(&from, &writing, progress)?;
    std::fs::rename(&writing, file).map_err(file_error(file))?;
    let conn = Connection::open_with_flags(file, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    copied(&conn, file)
}

impl Store {
    /// `backup` of this store's database to `file`, off the async threads.
    pub async fn backup_to(&self, file: &Path) -> Result<Copied, BackupError> {
        let data_dir = self
            .inner
            .path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let file = file.to_path_buf();
        tokio::task::spawn_blocking(move || backup(&data_dir, &file, &|_, _| {}))
            .await
            .map_err(|e| BackupError::Store(Error::Reader(e.to_string())))?
    }
}

/// Brings the copy `file` back as the database of `data_dir`, which must hold none. The copy
/// is checked whole first (SQLite's integrity check, a Hocso schema this binary knows); its
/// identity is marked as restored, so that the box takes a new one when it opens (see the
/// module's comment). Nothing is written under the real name until the copy is whole.
pub fn restore(
    file: &Path,
    data_dir: &Path,
    progress: &(dyn Fn(u64, u64) + Send + Sync),
) -> Result<Copied, BackupError> {
    let target = data_dir.join(DB_FILE);
    if target.exists() {
        return Err(BackupError::NotEmpty(data_dir.display().to_string()));
    }
    let not_a_backup = || BackupError::NotABackup(file.display().to_string());
    if !file.is_file() {
        return Err(BackupError::File {
            path: file.display().to_string(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"),
        });
    }
    let from = Connection::open_with_flags(file, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|_| not_a_backup())?;
    let fine: String = from
        .query_row("PRAGMA quick_check", [], |r| r.get(0))
        .map_err(|_| not_a_backup())?;
    let version: i64 = from
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(|_| not_a_backup())?;
    let has_box = from
        .query_row("SELECT box_id FROM box WHERE id = 1", [], |r| {
            r.get::<_, String>(0)
        })
        .optional()
        .map_err(|_| not_a_backup())?
        .is_some();
    if fine != "ok" || !has_box || version < 1 {
        return Err(not_a_backup());
    }
    if version > MIGRATIONS.len() as i64 {
        return Err(BackupError::Store(Error::TooNew {
            path: file.display().to_string(),
            found: version,
            known: MIGRATIONS.len() as i64,
        }));
    }
    std::fs::create_dir_all(data_dir).map_err(file_error(data_dir))?;
    let writing = partial(&target);
    let _ = std::fs::remove_file(&writing);
    copy(&from, &writing, progress)?;
    {
        let conn = Connection::open(&writing)?;
        // An identity table exists from schema 4 on; an older copy has none to mark, and
        // takes its identity when it opens.
        let has_identities: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE name = 'identities')",
            [],
            |r| r.get(0),
        )?;
        if has_identities {
            conn.execute(
                "UPDATE identities SET machine = ?1 WHERE box_id = (SELECT box_id FROM box WHERE id = 1)",
                [format!("restored {}", now())],
            )?;
        }
    }
    std::fs::File::open(&writing)
        .and_then(|f| f.sync_all())
        .map_err(file_error(&writing))?;
    std::fs::rename(&writing, &target).map_err(file_error(&target))?;
    let conn = Connection::open_with_flags(&target, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    copied(&conn, &target)
}

/// The setting holding the last automatic backup: its time and file.
pub const LAST_BACKUP: &str = "backup_last";
/// The setting holding why the last automatic backup failed, if it did.
pub const BACKUP_ERROR: &str = "backup_error";
/// How often the box copies itself into its backup folder.
pub const BACKUP_EVERY: Duration = Duration::from_secs(6 * 3600);
/// How long after start the first automatic copy is made.
const FIRST_BACKUP: Duration = Duration::from_secs(60);
/// How many automatic copies the backup folder keeps (the oldest go first).
pub const BACKUPS_KEPT: usize = 7;
/// How an automatic copy's name begins; the rest is the time it was made.
const BACKUP_PREFIX: &str = "hocso-backup-";

/// The automatic copies in `dir`, oldest first.
pub fn backups_in(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.starts_with(BACKUP_PREFIX) && n.ends_with(".db"))
                })
                .collect()
        })
        .unwrap_or_default();
    found.sort();
    found
}

impl Store {
    /// One automatic copy into `dir`, named by the time, keeping the newest `BACKUPS_KEPT`;
    /// noted in the settings (`LAST_BACKUP`, or `BACKUP_ERROR` with why it failed).
    pub async fn backup_into(&self, dir: &Path) -> Result<Copied, BackupError> {
        let stamp = self.clock().now();
        let name = format!(
            "{BACKUP_PREFIX}{:04}{:02}{:02}-{:02}{:02}{:02}-{:03}.db",
            stamp.year(),
            u8::from(stamp.month()),
            stamp.day(),
            stamp.hour(),
            stamp.minute(),
            stamp.second(),
            stamp.millisecond()
        );
        let file = dir.join(name);
        let made = async {
            std::fs::create_dir_all(dir).map_err(file_error(dir))?;
            let copied = self.backup_to(&file).await?;
            let all = backups_in(dir);
            for old in &all[..all.len().saturating_sub(BACKUPS_KEPT)] {
                if let Err(e) = std::fs::remove_file(old) {
                    tracing::warn!("cannot remove the old backup {}: {e}", old.display());
                }
            }
            Ok::<_, BackupError>(copied)
        }
        .await;
        match &made {
            Ok(_) => {
                self.set_setting(LAST_BACKUP, &format!("{} {}", self.now(), file.display()))
                    .await?;
                self.set_setting(BACKUP_ERROR, "").await?;
            }
            Err(e) => {
                tracing::error!("the automatic backup failed: {e}");
                self.set_setting(BACKUP_ERROR, &format!("{} {e}", self.now()))
                    .await?;
            }
        }
        made
    }
}

/// Copies the box into `dir` a minute after start and every `BACKUP_EVERY` after, until
/// `closing` turns true.
pub async fn keep_backing_up(
    store: Store,
    dir: PathBuf,
    mut closing: tokio::sync::watch::Receiver<bool>,
) {
    let mut wait = FIRST_BACKUP;
    loop {
        tokio::select! {
            () = tokio::time::sleep(wait) => {}
            _ = closing.wait_for(|closing| *closing) => return,
        }
        let _ = store.backup_into(&dir).await;
        wait = BACKUP_EVERY;
    }
}
