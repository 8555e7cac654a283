//! The box's side of a live lesson the province leads: it opens the connection (boxes sit
//! behind mobile NAT), a long-lived stream of the province's steps, each checked against the
//! pinned hub key, and sends the hall's room (`LiveReport`) when it changes and every
//! `HEARTBEAT`. Where a stream cannot live (a proxy that buffers, a link that cuts), the
//! reports' answers carry the steps: a report every `POLL` while the stream is down is the
//! polling. What the hall does with a step is `web::pages::live::province`'s; this module only
//! carries messages, through `Following`.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tokio::sync::watch;
use tokio::time::Instant;

use super::client::{current_identity, pinned};
use super::link::{Hub, Link, Use};
use crate::protocol::live::{EventReader, LiveNow, LiveReport, decode_event};
use crate::store::Store;

/// A following hall reports at least this often (the hub counts a hall silent after 30 s).
pub const HEARTBEAT: Duration = Duration::from_secs(10);
/// How often the hall asks while its stream is down.
const POLL: Duration = Duration::from_secs(3);
/// A stream silent for this long is dead (the hub sends a keep-alive every 15 s).
const SILENT: Duration = Duration::from_secs(40);
/// Waits before opening the stream again: from `RETRY`, doubling up to `MAX_RETRY`.
const RETRY: Duration = Duration::from_secs(1);
const MAX_RETRY: Duration = Duration::from_secs(15);
/// How long a box not enrolled waits before looking again.
const NOT_ENROLLED: Duration = Duration::from_secs(3);
/// A change of the room waits this long for more before it is sent (a hall answering at once).
const GATHER: Duration = Duration::from_millis(300);
/// One report's round trip may take this long at most.
const REPORT_TIMEOUT: Duration = Duration::from_secs(20);

/// What passes between the link and the hall: what the hub said last, when it was last
/// heard from, and the hall's room to send.
pub struct Following {
    /// Every message the hub sent, newest last (opened and checked).
    pub told: watch::Sender<Option<LiveNow>>,
    /// When the hub was last heard (a step, a keep-alive, an answer to a report).
    pub heard: watch::Sender<Option<Instant>>,
    /// The hall's room in the session it follows; `box_id` is filled in when sent.
    pub room: watch::Sender<Option<LiveReport>>,
    /// A stream to the hub is open now: reports need not ask.
    pub streaming: AtomicBool,
}

impl Default for Following {
    fn default() -> Following {
        Following {
            told: watch::Sender::new(None),
            heard: watch::Sender::new(None),
            room: watch::Sender::new(None),
            streaming: AtomicBool::new(false),
        }
    }
}

impl Following {
    /// Whether the hub was heard within `within`.
    pub fn linked(&self, within: Duration) -> bool {
        self.heard.borrow().is_some_and(|t| t.elapsed() < within)
    }

    fn heard_now(&self) {
        self.heard.send_replace(Some(Instant::now()));
    }

    fn tell(&self, now: LiveNow) {
        self.heard_now();
        self.told.send_replace(Some(now));
    }
}

/// `delay` give or take a fifth, at random.
fn jittered(delay: Duration) -> Duration {
    delay.mul_f64(0.8 + 0.4 * fastrand::f64())
}

/// The report to send now: the hall's room, or a question of what is on.
fn report_now(following: &Following, box_id: &str) -> LiveReport {
    let mut report = following.room.borrow().clone().unwrap_or(LiveReport {
        box_id: String::new(),
        session: None,
        step: 0,
        led_here: false,
        missing: false,
        present: 0,
        answers: Vec::new(),
    });
    report.box_id = box_id.to_string();
    report
}

/// Follows the province's live lessons while the box serves: a stream, and reports, each
/// while the box is enrolled with a hub.
pub async fn follow(
    store: Store,
    following: std::sync::Arc<Following>,
    closing: watch::Receiver<bool>,
) {
    let streaming = stream(store.clone(), following.clone(), closing.clone());
    let reporting = report(store, following, closing);
    tokio::join!(streaming, reporting);
}

/// A link to the hub, kept while the hub's address, pinned certificate and the plain-HTTP
/// setting stay as they were, and forgotten when a request on it fails.
#[derive(Default)]
struct Kept(Option<(Hub, Link)>);

impl Kept {
    async fn link(&mut self, hub: Hub, purpose: Use) -> Option<Link> {
        if let Some((kept, link)) = &self.0
            && *kept == hub
        {
            return Some(link.clone());
        }
        self.0 = None;
        match Link::open(&hub, purpose).await {
            Ok(link) => {
                self.0 = Some((hub, link.clone()));
                Some(link)
            }
            Err(e) => {
                tracing::debug!("no link to the hub for the live lesson: {e}");
                None
            }
        }
    }

    fn forget(&mut self) {
        self.0 = None;
    }
}

/// The link to the hub, its pinned key, and this box's identity to sign with; `None` if the
/// box is not enrolled (or its hub cannot be reached as the settings say).
async fn link_of(
    store: &Store,
    kept: &mut Kept,
    purpose: Use,
) -> Option<(Link, String, crate::store::Identity)> {
    let (hub, key) = pinned(store, None).await.ok()?;
    let identity = current_identity(store).await.ok()?;
    if !identity.enrolled {
        return None;
    }
    Some((kept.link(hub, purpose).await?, key, identity))
}

/// Sleeps `delay`; `false` if the box began to shut down meanwhile.
async fn wait(closing: &mut watch::Receiver<bool>, delay: Duration) -> bool {
    let slept = tokio::select! {
        () = tokio::time::sleep(delay) => true,
        _ = closing.wait_for(|c| *c) => false,
    };
    slept && !*closing.borrow()
}

/// Keeps a stream open to the hub, again and again, each message told to the hall.
async fn stream(
    store: Store,
    following: std::sync::Arc<Following>,
    mut closing: watch::Receiver<bool>,
) {
    let mut retry = RETRY;
    let mut kept = Kept::default();
    while !*closing.borrow() {
        let Some((link, key, identity)) = link_of(&store, &mut kept, Use::Stream).await else {
            if !wait(&mut closing, NOT_ENROLLED).await {
                return;
            }
            continue;
        };
        let hello = report_now(&following, &identity.box_id).seal(&identity.keys);
        let opened = tokio::select! {
            sent = link.client().post(link.url("/hub/v1/live/follow")).body(hello).send() => sent,
            _ = closing.wait_for(|c| *c) => return,
        };
        match opened {
            Ok(mut response) if response.status().is_success() => {
                following.heard_now();
                following.streaming.store(true, Ordering::Relaxed);
                let mut reader = EventReader::default();
                loop {
                    let piece = tokio::select! {
                        piece = tokio::time::timeout(SILENT, response.chunk()) => piece,
                        _ = closing.wait_for(|c| *c) => {
                            following.streaming.store(false, Ordering::Relaxed);
                            return;
                        }
                    };
                    let Ok(Ok(Some(piece))) = piece else {
                        following.streaming.store(false, Ordering::Relaxed);
                        break;
                    };
                    following.heard_now();
                    // A stream that carried something is a stream that works.
                    retry = RETRY;
                    for data in reader.feed(&piece) {
                        match decode_event(&data).map(|sealed| LiveNow::open(&sealed, &key)) {
                            Some(Ok(now)) => following.tell(now),
                            _ => tracing::warn!(
                                "a live message not signed by the pinned hub was dropped"
                            ),
                        }
                    }
                }
            }
            Ok(response) => {
                tracing::debug!(status = %response.status(), "the hub refused the live stream");
            }
            Err(e) => {
                kept.forget();
                tracing::debug!("cannot open the live stream: {e}");
            }
        }
        if !wait(&mut closing, jittered(retry)).await {
            return;
        }
        retry = (retry * 2).min(MAX_RETRY);
    }
}

/// Sends the hall's room when it changes (gathered for `GATHER`), every `HEARTBEAT` while it
/// follows a session, and every `POLL` while the stream is down; each answer is told.
async fn report(
    store: Store,
    following: std::sync::Arc<Following>,
    mut closing: watch::Receiver<bool>,
) {
    let mut kept = Kept::default();
    let mut room = following.room.subscribe();
    // Due at once (a board just booted has no instant ten seconds back to start from).
    let mut last_sent = Instant::now()
        .checked_sub(HEARTBEAT)
        .unwrap_or_else(Instant::now);
    loop {
        // How often to send now: it changes when a session begins or the stream drops.
        let every = || {
            let following_one = following
                .room
                .borrow()
                .as_ref()
                .is_some_and(|r| r.session.is_some());
            match (following.streaming.load(Ordering::Relaxed), following_one) {
                (false, _) => POLL,
                (true, true) => HEARTBEAT,
                (true, false) => Duration::from_secs(3600),
            }
        };
        let look = (last_sent + every()).min(Instant::now() + POLL);
        let changed = tokio::select! {
            () = tokio::time::sleep_until(look) => false,
            r = room.changed() => r.is_ok(),
            _ = closing.wait_for(|c| *c) => return,
        };
        if !changed && Instant::now() < last_sent + every() {
            continue;
        }
        if changed && !wait(&mut closing, GATHER).await {
            return;
        }
        room.borrow_and_update();
        last_sent = Instant::now();
        let Some((link, key, identity)) = link_of(&store, &mut kept, Use::Requests).await else {
            continue;
        };
        let sealed = report_now(&following, &identity.box_id).seal(&identity.keys);
        let sent = link
            .client()
            .post(link.url("/hub/v1/live/report"))
            .timeout(REPORT_TIMEOUT)
            .body(sealed)
            .send()
            .await;
        let answer = match sent {
            Ok(response) if response.status().is_success() => response.bytes().await.ok(),
            Ok(response) => {
                tracing::debug!(status = %response.status(), "the hub refused a live report");
                None
            }
            Err(e) => {
                kept.forget();
                tracing::debug!("cannot send a live report: {e}");
                None
            }
        };
        if let Some(answer) = answer {
            match LiveNow::open(&answer, &key) {
                Ok(now) => following.tell(now),
                Err(_) => tracing::warn!(
                    "an answer to a live report not signed by the pinned hub was dropped"
                ),
            }
        }
    }
}
