//! The one writer: a thread that owns the write connection, takes jobs over a channel, runs
//! every job waiting at that moment in one transaction (group commit), and answers each job
//! only after that transaction is durable.

use std::cell::RefCell;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, mpsc};
use std::thread;

use rusqlite::Connection;
use tokio::sync::oneshot;

use super::Error;
use crate::clock::Clock;

thread_local! {
    /// The clock of the box whose writer this thread is: what `store::now` reads.
    static WRITER_CLOCK: RefCell<Option<Arc<Clock>>> = const { RefCell::new(None) };
}

/// The writer's box's clock on the writer thread; the system's anywhere else.
pub(super) fn clock_now() -> time::OffsetDateTime {
    WRITER_CLOCK.with(|c| match &*c.borrow() {
        Some(clock) => clock.now(),
        None => time::OffsetDateTime::now_utc(),
    })
}

/// Most jobs committed together; bounds the time any one job waits behind the others.
const MAX_GROUP: usize = 512;

/// What to tell a job's caller once the commit's outcome is known.
type Reply = Box<dyn FnOnce(Result<(), Error>) + Send>;

/// Work queued for the writer, with the way back to its caller.
trait Job: Send {
    /// Runs inside the group's transaction; the reply waits for the commit. Also says
    /// whether the job found the disk full.
    fn run(self: Box<Self>, conn: &Connection) -> (Reply, bool);
    /// Answers without running, when no transaction could be begun.
    fn fail(self: Box<Self>, error: Error);
}

struct Task<F, T> {
    work: F,
    reply: oneshot::Sender<Result<T, Error>>,
}

impl<F, T> Job for Task<F, T>
where
    F: FnOnce(&Connection) -> Result<T, Error> + Send,
    T: Send + 'static,
{
    fn run(self: Box<Self>, conn: &Connection) -> (Reply, bool) {
        let result = in_savepoint(conn, self.work);
        let full = matches!(result, Err(Error::DiskFull));
        let reply = self.reply;
        let reply: Reply = Box::new(move |committed| {
            let _ = reply.send(committed.and(result));
        });
        (reply, full)
    }

    fn fail(self: Box<Self>, error: Error) {
        let _ = self.reply.send(Err(error));
    }
}

#[derive(Clone)]
pub(super) struct Writer {
    jobs: mpsc::Sender<Box<dyn Job>>,
}

impl Writer {
    pub fn start(conn: Connection, clock: Arc<Clock>) -> Writer {
        let (jobs, queue) = mpsc::channel::<Box<dyn Job>>();
        thread::Builder::new()
            .name("hocso-writer".into())
            .spawn(move || {
                WRITER_CLOCK.with(|c| *c.borrow_mut() = Some(clock));
                run(conn, queue)
            })
            .expect("start the writer thread");
        Writer { jobs }
    }

    /// Runs `work` in the next group's transaction, in a savepoint of its own so that its
    /// failure undoes only its own changes; answers after the group is committed.
    pub async fn write<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Connection) -> Result<T, Error> + Send + 'static,
    ) -> Result<T, Error> {
        let (reply, answer) = oneshot::channel();
        self.jobs
            .send(Box::new(Task { work, reply }))
            .map_err(|_| Error::WriterGone)?;
        answer.await.map_err(|_| Error::WriterGone)?
    }
}

/// Runs `work` in a savepoint of its own. A job that fails, or panics, is undone alone: its
/// caller gets the error and the writer goes on with the others.
fn in_savepoint<T>(
    conn: &Connection,
    work: impl FnOnce(&Connection) -> Result<T, Error>,
) -> Result<T, Error> {
    conn.execute_batch("SAVEPOINT job")?;
    let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| work(conn)))
        .unwrap_or_else(|panic| Err(Error::Panicked(panic_message(panic.as_ref()))));
    match outcome {
        Ok(value) => {
            conn.execute_batch("RELEASE job")?;
            Ok(value)
        }
        Err(e) => {
            if let Error::Panicked(message) = &e {
                tracing::error!("a write panicked and was undone: {message}");
            }
            // SQLite may have rolled the whole transaction back itself (it does on a full
            // disk); then there is no savepoint left to return to, and the error stands.
            if !conn.is_autocommit() {
                conn.execute_batch("ROLLBACK TO job; RELEASE job")?;
            }
            Err(e)
        }
    }
}

/// Why a group's transaction was not kept, told to each of its jobs' callers.
#[derive(Clone)]
enum Failed {
    DiskFull,
    Other(String),
}

impl Failed {
    fn of(e: &rusqlite::Error) -> Failed {
        match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DiskFull) => Failed::DiskFull,
            _ => Failed::Other(e.to_string()),
        }
    }

    fn error(self) -> Error {
        match self {
            Failed::DiskFull => Error::DiskFull,
            Failed::Other(message) => Error::Commit(message),
        }
    }
}

/// Why a group SQLite rolled back by itself was not kept.
fn rolled_back(full: bool) -> Failed {
    match full {
        true => Failed::DiskFull,
        false => Failed::Other("the transaction was rolled back".into()),
    }
}

/// What a panic said, when it said it in words.
pub fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".into())
}

fn run(conn: Connection, queue: mpsc::Receiver<Box<dyn Job>>) {
    while let Ok(first) = queue.recv() {
        let mut group = vec![first];
        while group.len() < MAX_GROUP {
            match queue.try_recv() {
                Ok(job) => group.push(job),
                Err(_) => break,
            }
        }
        if let Err(e) = conn.execute_batch("BEGIN IMMEDIATE") {
            tracing::error!("cannot begin a write: {e}");
            for job in group {
                job.fail(Failed::of(&e).error());
            }
            continue;
        }
        let mut replies: Vec<Reply> = Vec::with_capacity(group.len());
        let mut full = false;
        for job in group {
            if conn.is_autocommit() {
                // SQLite rolled the group back (as it does on a full disk): the jobs left
                // must not run outside a transaction, where each would be kept on its own.
                job.fail(rolled_back(full).error());
                continue;
            }
            let (reply, was_full) = job.run(&conn);
            full |= was_full;
            replies.push(reply);
        }
        let committed = if conn.is_autocommit() {
            // Nothing of the group was kept.
            tracing::error!("the write was rolled back by the database");
            Err(rolled_back(full))
        } else {
            match conn.execute_batch("COMMIT") {
                Ok(()) => Ok(()),
                Err(e) => {
                    tracing::error!("commit failed: {e}");
                    let _ = conn.execute_batch("ROLLBACK");
                    Err(Failed::of(&e))
                }
            }
        };
        for reply in replies {
            reply(committed.clone().map_err(Failed::error));
        }
    }
}
