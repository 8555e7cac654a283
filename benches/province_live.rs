//! Prints what a province live lesson (issue "Điểm cầu") takes at the hub: one `hocso hub`
//! process (the release binary, on SQLite in a folder of its own) leads a lesson that every
//! enrolled commune hall follows over `POST /hub/v1/live/follow`, one TCP connection a hall.
//!
//! For each hall count, on a fresh hub: every hall enrols (with a code), an officer signs in
//! and starts a session of `LESSON` from the officers' page, every hall opens its stream
//! (read with a raw `TcpStream`: the request written by hand, the chunked answer decoded
//! here, so every byte a hall reads is counted) and waits for its first message; then the
//! officer presses "next" (`POST /hub/live/{id}/go`) about `CHANGES` times, one after
//! another, each waiting until every hall has read the new step (each message opened with
//! the hub's key). Printed: the time from just before the officer's POST to each hall's
//! receipt (p50, p99, max over every hall and change), the bytes each hall read for a change
//! (HTTP chunk framing included), the hub's CPU time a change, the time to open every stream
//! (`OPEN_AT_ONCE` being opened at a time; with the machine's listen-queue overflows, each a
//! SYN dropped and sent again a second later), the hub's memory when all are open and at
//! its peak; then every hall reports its room once (`POST /hub/v1/live/report`,
//! `REPORT_AT_ONCE` at a time): reports a second and their round trip. Then a weak link: 20
//! halls whose streams cross a proxy in this bench that holds every piece `WEAK_DELAY` each
//! way and cuts the connection with probability `WEAK_CUT` a piece (the hall opens its
//! stream again after `REOPEN_AFTER`, as a box does); per change, the time from the press to
//! the last hall having the step. A default run takes under a minute once built.
//!
//! Timings are printed, never asserted. The bench itself runs on the same machine as the
//! hub: its halls' reads compete with the hub for the cores, and the figures include that.
//! A message identical to one already opened is not checked again (every hall of a
//! session is sent the same sealed bytes; checking each copy would time this bench's
//! ed25519, not the hub).
//!
//! Run: `cargo bench --bench province_live`. `HOCSO_BENCH_HALLS=100,1000,3300` chooses the
//! hall counts (each on a fresh hub); `HOCSO_BENCH_WEAK=20` the weak-link halls (0: none);
//! `HOCSO_BENCH_HOLD=40` keeps the streams open that many seconds before the first change
//! (keep-alives, and whether any limit of the hub's closes a long stream).

mod support;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hocso::content::{Catalogue, LessonTree};
use hocso::protocol::Keys;
use hocso::protocol::live::{EventReader, LiveNow, LiveReport, decode_event};
use hocso::protocol::wire::{Enrol, Enrolled};
use hocso::store::HubStore;
use reqwest::{Client, StatusCode};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, mpsc};

/// The lesson led: slides, then quiz questions.
const LESSON: &str = "dien-thoai/bat-dau";
const PROVINCE: &str = "Đắk Lắk";
/// Step changes the officer makes in a run.
const CHANGES: usize = 10;
/// Enrolments in flight at once.
const ENROL_AT_ONCE: usize = 64;
/// Streams being opened at once (connected, asked, not yet answered).
const OPEN_AT_ONCE: usize = 256;
/// Reports in flight at once.
const REPORT_AT_ONCE: usize = 64;
/// How long every hall may take to have its first message, and then each change.
const FIRST_TIMEOUT: Duration = Duration::from_secs(120);
const CHANGE_TIMEOUT: Duration = Duration::from_secs(60);
/// The weak link: each piece held this long each way, the connection cut with this
/// probability a piece; a cut hall opens its stream again after `REOPEN_AFTER`.
const WEAK_DELAY: Duration = Duration::from_millis(500);
const WEAK_CUT: f64 = 0.05;
const REOPEN_AFTER: Duration = Duration::from_secs(1);
const OFFICER: &str = "Nguyễn Thị Điểm Cầu";
const PASSWORD: &str = "diem-cau-toan-tinh";

/// A comma-separated list of numbers from `var`, or `default`.
fn numbers(var: &str, default: &str) -> Vec<usize> {
    std::env::var(var)
        .unwrap_or_else(|_| default.into())
        .split(',')
        .map(|w| w.trim().replace('_', ""))
        .filter(|w| !w.is_empty())
        .map(|w| {
            w.parse()
                .unwrap_or_else(|_| panic!("{var}: {w:?} is not a number"))
        })
        .collect()
}

/// One `hocso hub` process on a free loopback port, on SQLite in its own temp folder; killed
/// when dropped.
struct HubProcess {
    child: Child,
    addr: SocketAddr,
    base: String,
    dir: tempfile::TempDir,
}

impl HubProcess {
    async fn start() -> HubProcess {
        let dir = tempfile::tempdir().expect("temp dir");
        let addr = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap();
        let log = dir.path().join("hub.log");
        let mut command = hocso(&["--mdns", "off", "--bind", &addr.to_string()], dir.path());
        command
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).expect("a log file"));
        let mut child = command.spawn().expect("hocso hub starts");
        let base = format!("http://{addr}");
        let client = support::http().build().unwrap();
        for _ in 0..3000 {
            let health = client.get(format!("{base}/api/v1/health")).send().await;
            if health.is_ok_and(|r| r.status() == StatusCode::OK) {
                return HubProcess {
                    child,
                    addr,
                    base,
                    dir,
                };
            }
            if let Ok(Some(status)) = child.try_wait() {
                let said = std::fs::read_to_string(&log).unwrap_or_default();
                panic!("hocso hub stopped ({status}):\n{said}");
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        panic!("hocso hub did not answer within a minute");
    }

    fn data_dir(&self) -> PathBuf {
        self.dir.path().join("hub")
    }

    /// Resident memory now and at its peak, in MB (`/proc/PID/status`).
    fn memory(&self) -> Memory {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        let kb = |field: &str| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(field))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
                .unwrap_or(0)
        };
        Memory {
            rss_mb: kb("VmRSS:") as f64 / 1024.0,
            hwm_mb: kb("VmHWM:") as f64 / 1024.0,
        }
    }

    /// CPU time the process has used, user and system (`/proc/PID/stat`, in the kernel's
    /// USER_HZ ticks of 10 ms).
    fn cpu(&self) -> Duration {
        let stat =
            std::fs::read_to_string(format!("/proc/{}/stat", self.child.id())).unwrap_or_default();
        // After the command's name in parentheses: state is field 3, utime 14, stime 15.
        let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
        let ticks: u64 = rest
            .split_whitespace()
            .skip(11)
            .take(2)
            .filter_map(|t| t.parse::<u64>().ok())
            .sum();
        Duration::from_millis(ticks * 10)
    }

    /// The log's lines that warn or tell of an error, and how many there are.
    fn complaints(&self) -> (usize, Vec<String>) {
        let log = std::fs::read_to_string(self.dir.path().join("hub.log")).unwrap_or_default();
        let lines: Vec<String> = log
            .lines()
            .filter(|l| l.contains("WARN") || l.contains("ERROR"))
            .map(str::to_string)
            .collect();
        (lines.len(), lines.into_iter().take(3).collect())
    }
}

impl Drop for HubProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `hocso hub ARGS --data-dir DIR/hub` of the release binary.
fn hocso(args: &[&str], dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_hocso"));
    command
        .arg("hub")
        .args(args)
        .arg("--data-dir")
        .arg(dir.join("hub"));
    command
        .env_remove("RUST_LOG")
        .env_remove("HOCSO_DATABASE_URL");
    command
}

#[derive(Clone, Copy, Default)]
struct Memory {
    rss_mb: f64,
    hwm_mb: f64,
}

/// A simulated commune box: enrolled, with the key it signs with.
struct Hall {
    id: String,
    keys: Keys,
}

/// The hub as the bench drives it: the process, an officer signed in, the session.
struct Hub {
    process: HubProcess,
    client: Client,
    hub_key: String,
    cookie: String,
    csrf: String,
}

impl Hub {
    /// A fresh hub with `count` halls enrolled and an officer signed in; with the time the
    /// enrolments took.
    async fn start(count: usize) -> (Hub, Vec<Hall>, Duration) {
        let process = HubProcess::start().await;
        eprintln!("  hub at {}", process.base);
        let client = support::client(ENROL_AT_ONCE.max(REPORT_AT_ONCE));
        let started = Instant::now();
        let (halls, hub_key) = enrol(&process, &client, count).await;
        let enrolled = started.elapsed();
        eprintln!(
            "  {count} halls enrolled in {:.2} s",
            enrolled.as_secs_f64()
        );
        let (cookie, csrf) = sign_in(&process, &client).await;
        let hub = Hub {
            process,
            client,
            hub_key,
            cookie,
            csrf,
        };
        (hub, halls, enrolled)
    }

    /// Starts a session of `LESSON` for every commune from the officers' page; its id.
    async fn start_session(&self) -> String {
        let answer = self
            .client
            .post(format!("{}/hub/live", self.process.base))
            .header("cookie", &self.cookie)
            .form(&[
                ("csrf", self.csrf.as_str()),
                ("lesson", LESSON),
                ("which", "all"),
            ])
            .send()
            .await
            .unwrap();
        let status = answer.status();
        let location = answer
            .headers()
            .get("location")
            .and_then(|l| l.to_str().ok())
            .unwrap_or_default()
            .to_string();
        let id = location
            .strip_prefix("/hub/live/")
            .unwrap_or_else(|| {
                panic!("POST /hub/live: {status}, location {location:?}");
            })
            .to_string();
        uuid::Uuid::parse_str(&id).expect("the session's id is a UUID");
        id
    }

    /// The officer presses "next" (or "back") on step `from`; the answer's status and time.
    async fn go(&self, session: &str, from: usize, to: usize) -> (StatusCode, Duration) {
        let started = Instant::now();
        let answer = self
            .client
            .post(format!("{}/hub/live/{session}/go", self.process.base))
            .header("cookie", &self.cookie)
            .form(&[
                ("csrf", self.csrf.clone()),
                ("from", from.to_string()),
                ("to", to.to_string()),
            ])
            .send()
            .await
            .unwrap();
        (answer.status(), started.elapsed())
    }
}

/// `count` halls: codes made in the hub's records (as `hocso hub code` makes them), then
/// each enrols over HTTP, `ENROL_AT_ONCE` at a time; the halls and the hub's key.
async fn enrol(process: &HubProcess, client: &Client, count: usize) -> (Vec<Hall>, String) {
    let records = HubStore::open(None, &process.data_dir())
        .await
        .expect("the hub's records open");
    let mut codes = Vec::with_capacity(count);
    for index in 0..count {
        let commune = hocso::text::commune_name(&format!("Xã Điểm Cầu {index:05}")).unwrap();
        let code = records
            .new_code(&commune, PROVINCE)
            .await
            .expect("a code is made");
        codes.push((commune, code));
    }
    drop(records);
    let gate = Arc::new(Semaphore::new(ENROL_AT_ONCE));
    let mut enrolling = tokio::task::JoinSet::new();
    let mut halls = Vec::with_capacity(count);
    for (commune, code) in codes {
        let hall = Hall {
            id: uuid::Uuid::now_v7().to_string(),
            keys: Keys::generate(),
        };
        let enrol = Enrol {
            box_id: hall.id.clone(),
            commune,
            public_key: hall.keys.public_hex(),
            first_seq: 1,
            code: Some(code),
            vouch: None,
        };
        let url = format!("{}/hub/v1/enroll", process.base);
        let (client, gate) = (client.clone(), gate.clone());
        enrolling.spawn(async move {
            let _permit = gate.acquire().await.unwrap();
            let answer = client.post(&url).json(&enrol).send().await.unwrap();
            assert_eq!(answer.status(), StatusCode::OK, "{url}");
            answer.json::<Enrolled>().await.unwrap()
        });
        halls.push(hall);
    }
    let mut hub_key: Option<String> = None;
    for enrolled in enrolling.join_all().await {
        let key = hub_key.get_or_insert_with(|| enrolled.hub_key.clone());
        assert_eq!(*key, enrolled.hub_key, "one hub, one key");
    }
    (halls, hub_key.expect("at least one hall"))
}

/// An officer made with `hocso hub officer`, signed in through the form: the cookies and
/// the CSRF token.
async fn sign_in(process: &HubProcess, client: &Client) -> (String, String) {
    let mut officer = hocso(&["officer", OFFICER], process.dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("hocso hub officer starts");
    {
        use std::io::Write;
        let mut stdin = officer.stdin.take().unwrap();
        writeln!(stdin, "{PASSWORD}\n{PASSWORD}").unwrap();
    }
    let done = officer.wait_with_output().unwrap();
    let said = String::from_utf8_lossy(&done.stderr);
    assert!(done.status.success(), "hocso hub officer: {said}");
    let base = &process.base;
    let form = client.get(format!("{base}/f/signin")).send().await.unwrap();
    let csrf = cookie(&form, "hocso_csrf").expect("the sign-in page sets hocso_csrf");
    let signed = client
        .post(format!("{base}/f/signin"))
        .header("cookie", format!("hocso_csrf={csrf}"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("name", OFFICER),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    let token = cookie(&signed, "hocso_f").expect("signed in");
    (format!("hocso_f={token}; hocso_csrf={csrf}"), csrf)
}

/// The value of cookie `name` that `answer` sets.
fn cookie(answer: &reqwest::Response, name: &str) -> Option<String> {
    answer
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix(&format!("{name}=")))
        .map(|v| v.split(';').next().unwrap_or_default().to_string())
}

/// Opens sealed `LiveNow`s with the hub's key, each distinct message once.
struct Opener {
    hub_key: String,
    opened: Mutex<HashMap<Vec<u8>, Option<LiveNow>>>,
}

impl Opener {
    fn open(&self, sealed: &[u8]) -> Option<LiveNow> {
        if let Some(now) = self.opened.lock().unwrap().get(sealed) {
            return now.clone();
        }
        let now = LiveNow::open(sealed, &self.hub_key).ok();
        self.opened
            .lock()
            .unwrap()
            .insert(sealed.to_vec(), now.clone());
        now
    }
}

/// What a hall's stream tells the bench.
enum Note {
    /// A message with a step of the session, read at `at`, on the hall's `stream`-th stream
    /// (from 1), the first on it or not; `bytes`: every byte the hall read so far.
    Step {
        hall: usize,
        at: Instant,
        session: String,
        step: usize,
        first_on_stream: bool,
        stream: u32,
        bytes: u64,
    },
    /// A message that did not open with the hub's key, or no step in it.
    Unreadable,
    /// The stream ended (`why`); it will be opened again if the hall reopens.
    Closed { why: String },
}

/// The halls' streams, as the bench counts them.
struct Streams {
    notes: mpsc::UnboundedReceiver<Note>,
    /// Bytes each hall read, all its streams together.
    bytes: Arc<Vec<AtomicU64>>,
    tasks: tokio::task::JoinSet<()>,
    closed: usize,
    unreadable: usize,
    reasons: HashMap<String, usize>,
    /// Reopened streams whose first message was the step the session was at, and all
    /// reopened streams that had a first message.
    reopened_current: usize,
    reopened: usize,
    /// The step each hall last had.
    step: Vec<Option<usize>>,
    /// The steps the session may be at now (two while a press is on its way).
    current: Vec<usize>,
    session: String,
}

/// The request that opens hall `hall`'s stream, as a box writes it.
fn follow_request(host: &str, hall: &Hall) -> Vec<u8> {
    let report = LiveReport {
        box_id: hall.id.clone(),
        session: None,
        step: 0,
        led_here: false,
        missing: false,
        present: 0,
        answers: Vec::new(),
    };
    let body = report.seal(&hall.keys);
    let mut request = format!(
        "POST /hub/v1/live/follow HTTP/1.1\r\nHost: {host}\r\nUser-Agent: hocso-bench\r\n\
         Accept: text/event-stream\r\nContent-Type: application/octet-stream\r\n\
         Content-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    request.extend_from_slice(&body);
    request
}

impl Streams {
    /// Opens every hall's stream to `addr` (the hub, or a proxy in front of it), at most
    /// `OPEN_AT_ONCE` being opened at a time; a hall that `reopens` opens its stream again
    /// `REOPEN_AFTER` after it ends.
    fn open(
        halls: &[Hall],
        addr: SocketAddr,
        host: &str,
        opener: Arc<Opener>,
        session: &str,
        reopens: bool,
    ) -> Streams {
        let (tx, notes) = mpsc::unbounded_channel();
        let bytes: Arc<Vec<AtomicU64>> =
            Arc::new(halls.iter().map(|_| AtomicU64::new(0)).collect());
        let gate = Arc::new(Semaphore::new(OPEN_AT_ONCE));
        let mut tasks = tokio::task::JoinSet::new();
        for (i, hall) in halls.iter().enumerate() {
            let follow = Follow {
                hall: i,
                addr,
                request: follow_request(host, hall),
                opener: opener.clone(),
                notes: tx.clone(),
                bytes: bytes.clone(),
                reopens,
            };
            tasks.spawn(follow.run(gate.clone()));
        }
        Streams {
            notes,
            bytes,
            tasks,
            closed: 0,
            unreadable: 0,
            reasons: HashMap::new(),
            reopened_current: 0,
            reopened: 0,
            step: vec![None; halls.len()],
            current: vec![0],
            session: session.to_string(),
        }
    }

    /// Takes one note; a hall's message of the session: the hall, the step, when it was read
    /// and the bytes read then.
    fn take(&mut self, note: Note) -> Option<(usize, usize, Instant, u64)> {
        match note {
            Note::Step {
                hall,
                at,
                session,
                step,
                first_on_stream,
                stream,
                bytes,
            } => {
                if session != self.session {
                    self.unreadable += 1;
                    return None;
                }
                if first_on_stream && stream > 1 {
                    self.reopened += 1;
                    self.reopened_current += usize::from(self.current.contains(&step));
                }
                self.step[hall] = Some(step);
                Some((hall, step, at, bytes))
            }
            Note::Unreadable => {
                self.unreadable += 1;
                None
            }
            Note::Closed { why, .. } => {
                self.closed += 1;
                *self.reasons.entry(why).or_default() += 1;
                None
            }
        }
    }

    /// Waits until every hall has had a message of the session; the time each had its
    /// first, from `since` (`None`: not within `FIRST_TIMEOUT`), and the bytes read then.
    async fn first(&mut self, since: Instant) -> (Vec<Option<Duration>>, Vec<u64>) {
        let n = self.step.len();
        let mut times = vec![None; n];
        let mut bytes = vec![0; n];
        let mut have = 0;
        let deadline = tokio::time::Instant::from_std(since + FIRST_TIMEOUT);
        while have < n {
            let Ok(Some(note)) = tokio::time::timeout_at(deadline, self.notes.recv()).await else {
                break;
            };
            if let Some((hall, _, at, read)) = self.take(note)
                && times[hall].is_none()
            {
                times[hall] = Some(at.saturating_duration_since(since));
                bytes[hall] = read;
                have += 1;
            }
        }
        (times, bytes)
    }

    /// Waits until every hall has step `to`, pressed at `pressed` (when each hall had read
    /// `before` bytes); each hall's time from the press (`None`: not within
    /// `CHANGE_TIMEOUT`) and the bytes it read for the change.
    async fn change(
        &mut self,
        from: usize,
        to: usize,
        pressed: Instant,
        before: &[u64],
    ) -> (Vec<Option<Duration>>, Vec<u64>) {
        let n = self.step.len();
        let mut times = vec![None; n];
        let mut bytes = vec![0; n];
        // A hall reopened since may have the step already (after the press, or the press
        // was undone): only messages read after the press count.
        let mut have = 0;
        self.current = vec![from, to];
        let deadline = tokio::time::Instant::from_std(pressed + CHANGE_TIMEOUT);
        while have < n {
            let Ok(Some(note)) = tokio::time::timeout_at(deadline, self.notes.recv()).await else {
                break;
            };
            if let Some((hall, step, at, read)) = self.take(note)
                && step == to
                && at >= pressed
                && times[hall].is_none()
            {
                times[hall] = Some(at - pressed);
                bytes[hall] = read.saturating_sub(before[hall]);
                have += 1;
            }
        }
        self.current = vec![to];
        (times, bytes)
    }

    /// Every hall's bytes read so far.
    fn bytes_now(&self) -> Vec<u64> {
        self.bytes
            .iter()
            .map(|b| b.load(Ordering::Relaxed))
            .collect()
    }

    /// Takes the notes already come without waiting (so none is left behind for the next
    /// wait from before its press).
    fn drain(&mut self) {
        while let Ok(note) = self.notes.try_recv() {
            self.take(note);
        }
    }

    fn reasons(&self) -> String {
        let mut said: Vec<String> = self
            .reasons
            .iter()
            .map(|(why, n)| format!("{n}× {why}"))
            .collect();
        said.sort();
        said.join(", ")
    }
}

/// One hall following the session: its stream read as it comes, opened again after a cut
/// when it `reopens`.
struct Follow {
    hall: usize,
    addr: SocketAddr,
    request: Vec<u8>,
    opener: Arc<Opener>,
    notes: mpsc::UnboundedSender<Note>,
    bytes: Arc<Vec<AtomicU64>>,
    reopens: bool,
}

impl Follow {
    async fn run(self, gate: Arc<Semaphore>) {
        let mut stream = 0u32;
        loop {
            stream += 1;
            let permit = gate.clone().acquire_owned().await.unwrap();
            let why = self.once(stream, Some(permit)).await;
            let _ = self.notes.send(Note::Closed { why });
            if !self.reopens {
                return;
            }
            tokio::time::sleep(REOPEN_AFTER).await;
        }
    }

    /// One stream until it ends; why it ended. `permit` is let go at the first message.
    async fn once(
        &self,
        stream: u32,
        mut permit: Option<tokio::sync::OwnedSemaphorePermit>,
    ) -> String {
        let mut socket = match TcpStream::connect(self.addr).await {
            Ok(socket) => socket,
            Err(e) => return format!("connect: {}", e.kind()),
        };
        let _ = socket.set_nodelay(true);
        if let Err(e) = socket.write_all(&self.request).await {
            return format!("write: {}", e.kind());
        }
        let mut buf = vec![0u8; 8192];
        let mut head = Vec::new();
        let mut body: Option<Body> = None;
        let mut events = EventReader::default();
        let mut first = true;
        let counter = &self.bytes[self.hall];
        loop {
            let n = match socket.read(&mut buf).await {
                Ok(0) => return "closed by the other side".into(),
                Ok(n) => n,
                Err(e) => return format!("read: {}", e.kind()),
            };
            let at = Instant::now();
            let read = counter.fetch_add(n as u64, Ordering::Relaxed) + n as u64;
            let mut piece = &buf[..n];
            let mut payload = Vec::new();
            if body.is_none() {
                head.extend_from_slice(piece);
                let Some(end) = head.windows(4).position(|w| w == b"\r\n\r\n") else {
                    if head.len() > 64 * 1024 {
                        return "an answer's head too long".into();
                    }
                    continue;
                };
                let text = String::from_utf8_lossy(&head[..end]).to_ascii_lowercase();
                let status = text
                    .split_whitespace()
                    .nth(1)
                    .unwrap_or_default()
                    .to_string();
                if status != "200" {
                    return format!("status {status}");
                }
                let chunked = text
                    .lines()
                    .any(|l| l.starts_with("transfer-encoding:") && l.contains("chunked"));
                body = Some(Body::new(chunked));
                let rest = head.split_off(end + 4);
                body.as_mut().unwrap().feed(&rest, &mut payload);
                piece = &[];
            }
            let body = body.as_mut().unwrap();
            if body.feed(piece, &mut payload) {
                // The last chunk: the hub ended the stream; its last events are read first.
                self.tell(
                    &mut events,
                    &payload,
                    at,
                    stream,
                    &mut first,
                    read,
                    &mut permit,
                );
                return "ended by the hub".into();
            }
            self.tell(
                &mut events,
                &payload,
                at,
                stream,
                &mut first,
                read,
                &mut permit,
            );
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn tell(
        &self,
        events: &mut EventReader,
        payload: &[u8],
        at: Instant,
        stream: u32,
        first: &mut bool,
        read: u64,
        permit: &mut Option<tokio::sync::OwnedSemaphorePermit>,
    ) {
        for data in events.feed(payload) {
            let now = decode_event(&data).and_then(|sealed| self.opener.open(&sealed));
            let note = match now.and_then(|n| n.session) {
                Some(step) => Note::Step {
                    hall: self.hall,
                    at,
                    session: step.id,
                    step: step.step,
                    first_on_stream: std::mem::take(first),
                    stream,
                    bytes: read,
                },
                None => Note::Unreadable,
            };
            permit.take();
            let _ = self.notes.send(note);
        }
    }
}

/// An answer's body as it comes: chunked (HTTP/1.1's framing of a stream) or as it is.
struct Body {
    chunked: bool,
    state: Chunk,
    line: Vec<u8>,
}

enum Chunk {
    /// Reading a chunk's size line.
    Size,
    /// This many bytes of data left in the chunk.
    Data(usize),
    /// The CRLF after a chunk's data: this many bytes left.
    End(usize),
    /// The last chunk came.
    Done,
}

impl Body {
    fn new(chunked: bool) -> Body {
        Body {
            chunked,
            state: Chunk::Size,
            line: Vec::new(),
        }
    }

    /// Adds the data of `bytes` to `out`; whether the last chunk came.
    fn feed(&mut self, mut bytes: &[u8], out: &mut Vec<u8>) -> bool {
        if !self.chunked {
            out.extend_from_slice(bytes);
            return false;
        }
        while !bytes.is_empty() {
            match self.state {
                Chunk::Size => {
                    let (byte, rest) = (bytes[0], &bytes[1..]);
                    bytes = rest;
                    if byte != b'\n' {
                        self.line.push(byte);
                        continue;
                    }
                    let line = String::from_utf8_lossy(&self.line).to_string();
                    self.line.clear();
                    let hex = line.split(';').next().unwrap_or_default().trim();
                    let size = usize::from_str_radix(hex, 16).unwrap_or(0);
                    self.state = if size == 0 {
                        Chunk::Done
                    } else {
                        Chunk::Data(size)
                    };
                }
                Chunk::Data(left) => {
                    let take = left.min(bytes.len());
                    out.extend_from_slice(&bytes[..take]);
                    bytes = &bytes[take..];
                    self.state = match left - take {
                        0 => Chunk::End(2),
                        left => Chunk::Data(left),
                    };
                }
                Chunk::End(left) => {
                    let take = left.min(bytes.len());
                    bytes = &bytes[take..];
                    self.state = match left - take {
                        0 => Chunk::Size,
                        left => Chunk::End(left),
                    };
                }
                Chunk::Done => return true,
            }
        }
        matches!(self.state, Chunk::Done)
    }
}

/// A TCP proxy on loopback in front of the hub that holds every piece `WEAK_DELAY` before
/// passing it on, each way, and cuts the connection instead with probability `WEAK_CUT`.
struct WeakLink {
    addr: SocketAddr,
    cuts: Arc<AtomicUsize>,
    connections: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl WeakLink {
    async fn start(upstream: SocketAddr) -> WeakLink {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let cuts = Arc::new(AtomicUsize::new(0));
        let connections = Arc::new(AtomicUsize::new(0));
        let (c, n) = (cuts.clone(), connections.clone());
        let task = tokio::spawn(async move {
            let mut links = tokio::task::JoinSet::new();
            loop {
                let Ok((down, _)) = listener.accept().await else {
                    continue;
                };
                n.fetch_add(1, Ordering::Relaxed);
                let cuts = c.clone();
                links.spawn(async move {
                    let Ok(up) = TcpStream::connect(upstream).await else {
                        return;
                    };
                    let _ = (down.set_nodelay(true), up.set_nodelay(true));
                    let (down_read, down_write) = down.into_split();
                    let (up_read, up_write) = up.into_split();
                    // Either way ending (a cut, or a side closing) closes both.
                    tokio::select! {
                        () = pump(down_read, up_write, cuts.clone()) => {}
                        () = pump(up_read, down_write, cuts) => {}
                    }
                });
                while links.try_join_next().is_some() {}
            }
        });
        WeakLink {
            addr,
            cuts,
            connections,
            task,
        }
    }
}

impl Drop for WeakLink {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Passes pieces from `from` to `to`, each held `WEAK_DELAY`, until a side closes or a cut.
async fn pump(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    cuts: Arc<AtomicUsize>,
) {
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        let n = match from.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => n,
        };
        tokio::time::sleep(WEAK_DELAY).await;
        if fastrand::f64() < WEAK_CUT {
            cuts.fetch_add(1, Ordering::Relaxed);
            return;
        }
        if to.write_all(&buf[..n]).await.is_err() {
            return;
        }
    }
}

/// The steps the officer goes to, one press each: forward to the lesson's last step, then
/// back if the lesson has fewer than `CHANGES + 1` steps.
fn plan(steps: usize) -> Vec<(usize, usize)> {
    let mut at = 0;
    let mut forward = true;
    let mut presses = Vec::new();
    while presses.len() < CHANGES && steps > 1 {
        if forward && at + 1 == steps {
            forward = false;
        } else if !forward && at == 0 {
            forward = true;
        }
        let to = if forward { at + 1 } else { at - 1 };
        presses.push((at, to));
        at = to;
    }
    presses
}

/// The `q` quantile (0 to 1) of `times`.
fn quantile(times: &[Duration], q: f64) -> Duration {
    let mut sorted = times.to_vec();
    sorted.sort_unstable();
    let at = ((sorted.len() as f64 * q).ceil() as usize).clamp(1, sorted.len().max(1)) - 1;
    sorted.get(at).copied().unwrap_or_default()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The lesson's shape: slides, then each question's choices.
fn lesson_shape() -> (usize, Vec<usize>) {
    let catalogue: Catalogue = hocso::content::load(&LessonTree::embedded(), &|n| n.into()).0;
    hocso::hub::live::shape(&catalogue, LESSON).expect("the lesson is in the catalogue")
}

/// A hall's report of its room: about ten people, and how many chose each answer.
fn room(hall: &Hall, i: usize, session: &str, step: usize, choices: &[usize]) -> Vec<u8> {
    let present = 8 + (i % 5) as u32;
    let answers = choices
        .iter()
        .enumerate()
        .map(|(q, &n)| {
            let answered = present - ((i + q) % 3) as u32;
            let mut counts = vec![0u32; n];
            for person in 0..answered as usize {
                counts[(person * 7 + i + q) % n] += 1;
            }
            counts
        })
        .collect();
    LiveReport {
        box_id: hall.id.clone(),
        session: Some(session.to_string()),
        step,
        led_here: false,
        missing: false,
        present,
        answers,
    }
    .seal(&hall.keys)
}

/// What one run of halls took.
struct Run {
    halls: usize,
    enrol: Duration,
    open: Duration,
    open_missing: usize,
    /// The median hall's first message, halls that had it after 900 ms or more (a dropped
    /// SYN sent again), and the machine's listen-queue overflows while they opened.
    open_p50: Duration,
    open_slow: usize,
    overflows: u64,
    first_bytes: f64,
    after_open: Memory,
    peak: Memory,
    /// Every hall's time to each change.
    times: Vec<Duration>,
    missed: usize,
    changes: usize,
    bytes: (u64, f64, u64),
    presses: Vec<Duration>,
    /// The hub's CPU time a change, all halls told.
    change_cpu: Duration,
    reports_per_s: f64,
    report_p50: Duration,
    report_p99: Duration,
    report_failed: usize,
    halls_recorded: usize,
    closed: String,
    complaints: usize,
}

impl Run {
    fn line(&self) -> String {
        let (min, mean, max) = self.bytes;
        let missing = match (self.open_missing, self.missed) {
            (0, 0) => String::new(),
            (open, changes) => {
                format!(" ({open} without a first message, {changes} steps not had)")
            }
        };
        format!(
            "| {} | {:.2} | {:.2}{missing} | {:.0} | {} | {} | {:.0} | {:.1} / {:.1} | {} × {} | {:.1} | {:.1} | {:.1} | {min} / {mean:.0} / {max} | {:.1} | {:.0} | {:.0} | {:.1} | {:.1} | {} | {} |",
            self.halls,
            self.enrol.as_secs_f64(),
            self.open.as_secs_f64(),
            ms(self.open_p50),
            self.open_slow,
            self.overflows,
            self.first_bytes,
            self.after_open.rss_mb,
            self.peak.hwm_mb,
            self.changes,
            self.halls,
            ms(quantile(&self.times, 0.5)),
            ms(quantile(&self.times, 0.99)),
            ms(self.times.iter().max().copied().unwrap_or_default()),
            ms(quantile(&self.presses, 0.5)),
            ms(self.change_cpu),
            self.reports_per_s,
            ms(self.report_p50),
            ms(self.report_p99),
            self.report_failed,
            self.halls_recorded,
        )
    }
}

async fn run(count: usize, shape: &(usize, Vec<usize>)) -> Run {
    eprintln!("{count} halls");
    let (hub, halls, enrolled) = Hub::start(count).await;
    let session = hub.start_session().await;
    let opener = Arc::new(Opener {
        hub_key: hub.hub_key.clone(),
        opened: Mutex::default(),
    });
    let host = hub.process.addr.to_string();
    let dropped = listen_overflows();
    let started = Instant::now();
    let mut streams = Streams::open(&halls, hub.process.addr, &host, opener, &session, false);
    let (firsts, first_bytes) = streams.first(started).await;
    let dropped = listen_overflows().saturating_sub(dropped);
    let open_missing = firsts.iter().filter(|t| t.is_none()).count();
    let had: Vec<Duration> = firsts.iter().flatten().copied().collect();
    let open = had.iter().max().copied().unwrap_or_default();
    let after_open = hub.process.memory();
    let slow = had
        .iter()
        .filter(|t| **t >= Duration::from_millis(900))
        .count();
    eprintln!(
        "  every stream open in {:.2} s (first message p50 {:.0} ms, {slow} halls after 900 ms or more, \
         {open_missing} without one; {dropped} listen-queue overflows on the machine meanwhile); hub RSS {:.0} MB",
        open.as_secs_f64(),
        ms(quantile(&had, 0.5)),
        after_open.rss_mb
    );
    let hold = numbers("HOCSO_BENCH_HOLD", "0")
        .first()
        .copied()
        .unwrap_or(0);
    if hold > 0 {
        tokio::time::sleep(Duration::from_secs(hold as u64)).await;
        streams.drain();
        eprintln!(
            "  streams held {hold} s: {} closed {}",
            streams.closed,
            streams.reasons()
        );
    }
    let mut times = Vec::new();
    let mut bytes = Vec::new();
    let mut presses = Vec::new();
    let mut missed = 0;
    let steps = plan(shape.0 + shape.1.len());
    let cpu = hub.process.cpu();
    for &(from, to) in &steps {
        streams.drain();
        let before = streams.bytes_now();
        let pressed = Instant::now();
        let (status, took) = hub.go(&session, from, to).await;
        if status != StatusCode::SEE_OTHER {
            eprintln!("  POST /go {from}→{to}: {status}");
        }
        presses.push(took);
        let (each, read) = streams.change(from, to, pressed, &before).await;
        let had: Vec<Duration> = each.iter().flatten().copied().collect();
        missed += each.len() - had.len();
        eprintln!(
            "  step {from}→{to}: POST {:.0} ms; halls p50 {:.0} ms, max {:.0} ms{}",
            ms(took),
            ms(quantile(&had, 0.5)),
            ms(had.iter().max().copied().unwrap_or_default()),
            match each.len() - had.len() {
                0 => String::new(),
                n => format!(", {n} halls did not have it"),
            }
        );
        times.extend(had);
        bytes.extend(
            read.iter()
                .zip(&each)
                .filter(|(_, t)| t.is_some())
                .map(|(b, _)| *b),
        );
    }
    let change_cpu = (hub.process.cpu() - cpu) / steps.len().max(1) as u32;
    let last = steps.last().map_or(0, |&(_, to)| to);

    // Every hall reports its room once, at most `REPORT_AT_ONCE` at a time.
    let sealed: Vec<Vec<u8>> = halls
        .iter()
        .enumerate()
        .map(|(i, h)| room(h, i, &session, last, &shape.1))
        .collect();
    let gate = Arc::new(Semaphore::new(REPORT_AT_ONCE));
    let url = format!("{}/hub/v1/live/report", hub.process.base);
    let mut reporting = tokio::task::JoinSet::new();
    let reported = Instant::now();
    for body in sealed {
        let (client, gate, url) = (hub.client.clone(), gate.clone(), url.clone());
        let (key, session) = (hub.hub_key.clone(), session.clone());
        reporting.spawn(async move {
            let _permit = gate.acquire().await.unwrap();
            let started = Instant::now();
            let answer = client.post(&url).body(body).send().await;
            let bytes = match answer {
                Ok(a) if a.status() == StatusCode::OK => a.bytes().await.ok(),
                Ok(a) => {
                    eprintln!("  report: {}", a.status());
                    None
                }
                Err(e) => {
                    eprintln!("  report: {e}");
                    None
                }
            };
            let took = started.elapsed();
            let told = bytes
                .and_then(|b| LiveNow::open(&b, &key).ok())
                .and_then(|n| n.session)
                .is_some_and(|s| s.id == session);
            (took, told)
        });
    }
    let answers = reporting.join_all().await;
    let wall = reported.elapsed();
    let trips: Vec<Duration> = answers.iter().map(|(t, _)| *t).collect();
    let report_failed = answers.iter().filter(|(_, ok)| !ok).count();
    let records = HubStore::open(None, &hub.process.data_dir())
        .await
        .expect("the hub's records open");
    let halls_recorded = records.live_halls(&session).await.map_or(0, |h| h.len());
    drop(records);

    streams.drain();
    let peak = hub.process.memory();
    let mean = bytes.iter().sum::<u64>() as f64 / bytes.len().max(1) as f64;
    let run = Run {
        halls: count,
        enrol: enrolled,
        open,
        open_missing,
        open_p50: quantile(&had, 0.5),
        open_slow: slow,
        overflows: dropped,
        first_bytes: first_bytes.iter().sum::<u64>() as f64 / count.max(1) as f64,
        after_open,
        peak,
        times,
        missed,
        changes: steps.len(),
        bytes: (
            bytes.iter().min().copied().unwrap_or(0),
            mean,
            bytes.iter().max().copied().unwrap_or(0),
        ),
        presses,
        change_cpu,
        reports_per_s: count as f64 / wall.as_secs_f64(),
        report_p50: quantile(&trips, 0.5),
        report_p99: quantile(&trips, 0.99),
        report_failed,
        halls_recorded,
        closed: match streams.closed {
            0 => String::new(),
            n => format!("{n} streams closed: {}", streams.reasons()),
        },
        complaints: hub.process.complaints().0,
    };
    let (complaints, some) = hub.process.complaints();
    if complaints > 0 {
        eprintln!("  the hub's log warns {complaints} times, e.g.:");
        for line in some {
            eprintln!("    {line}");
        }
    }
    if streams.unreadable > 0 {
        eprintln!(
            "  {} messages did not open as the session's",
            streams.unreadable
        );
    }
    streams.tasks.abort_all();
    eprintln!("  {}", run.line());
    run
}

/// What the weak link run took.
struct Weak {
    halls: usize,
    /// Per change: from the press to the last hall having the step (`None`: a hall did not
    /// within `CHANGE_TIMEOUT`).
    lasts: Vec<(usize, usize, Option<Duration>, usize)>,
    open: Duration,
    open_missing: usize,
    cuts: usize,
    connections: usize,
    closed: usize,
    reasons: String,
    reopened: usize,
    reopened_current: usize,
}

async fn weak(count: usize, shape: &(usize, Vec<usize>)) -> Weak {
    eprintln!("weak link: {count} halls");
    let (hub, halls, _) = Hub::start(count).await;
    let session = hub.start_session().await;
    let link = WeakLink::start(hub.process.addr).await;
    let opener = Arc::new(Opener {
        hub_key: hub.hub_key.clone(),
        opened: Mutex::default(),
    });
    let host = hub.process.addr.to_string();
    let started = Instant::now();
    let mut streams = Streams::open(&halls, link.addr, &host, opener, &session, true);
    let (firsts, _) = streams.first(started).await;
    let open_missing = firsts.iter().filter(|t| t.is_none()).count();
    let open = firsts.iter().flatten().max().copied().unwrap_or_default();
    let mut lasts = Vec::new();
    for (from, to) in plan(shape.0 + shape.1.len()) {
        streams.drain();
        let before = streams.bytes_now();
        let pressed = Instant::now();
        let (status, _) = hub.go(&session, from, to).await;
        if status != StatusCode::SEE_OTHER {
            eprintln!("  POST /go {from}→{to}: {status}");
        }
        let (each, _) = streams.change(from, to, pressed, &before).await;
        let missing = each.iter().filter(|t| t.is_none()).count();
        let last = (missing == 0).then(|| each.iter().flatten().max().copied().unwrap_or_default());
        eprintln!(
            "  step {from}→{to}: last hall after {}; cuts so far {}",
            last.map_or_else(
                || format!("— ({missing} halls missing)"),
                |l| format!("{:.0} ms", ms(l))
            ),
            link.cuts.load(Ordering::Relaxed)
        );
        lasts.push((from, to, last, missing));
    }
    streams.drain();
    streams.tasks.abort_all();
    Weak {
        halls: count,
        lasts,
        open,
        open_missing,
        cuts: link.cuts.load(Ordering::Relaxed),
        connections: link.connections.load(Ordering::Relaxed),
        closed: streams.closed,
        reasons: streams.reasons(),
        reopened: streams.reopened,
        reopened_current: streams.reopened_current,
    }
}

#[tokio::main]
async fn main() {
    let files = rlimit::increase_nofile_limit(u64::MAX).unwrap_or(0);
    let counts = numbers("HOCSO_BENCH_HALLS", "100,1000,3300");
    let weak_halls = numbers("HOCSO_BENCH_WEAK", "20")
        .first()
        .copied()
        .unwrap_or(0);
    let shape = lesson_shape();
    let started = Instant::now();
    let load = load_average();
    println!(
        "Province live lesson (Điểm cầu): one `hocso hub` process on SQLite, {} cores, lesson {LESSON} \
         ({} slides, {} questions), {CHANGES} step changes a run from the officer's page; \
         this bench's open-files limit {files}",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        shape.0,
        shape.1.len()
    );
    let mut runs = Vec::new();
    for &count in &counts {
        runs.push(run(count, &shape).await);
    }
    let weak = match weak_halls {
        0 => None,
        n => Some(weak(n, &shape).await),
    };

    println!();
    println!(
        "Every hall on its own stream (one TCP connection each), a fresh hub a row. Open: from the first \
         connect until every hall had its first message ({OPEN_AT_ONCE} being opened at a time); first \
         message: bytes a hall read for it, HTTP answer head included. Memory: the hub's RSS when every \
         stream was open / its peak (VmHWM) at the end. Step: from just before the officer's POST to \
         each hall's receipt, over every hall and change. Bytes: read by a hall for one change, chunk \
         framing included (min / mean / max). POST: the officer's `/go` round trip (median). Hub CPU: the hub process's user + system time \
         over the changes, divided by their number (10 ms ticks). Reports: \
         every hall once, {REPORT_AT_ONCE} at a time; failed: not answered with the session's step; \
         recorded: halls the hub keeps a report of. Listen overflows: connections the machine's listen \
         queues had no room for while the streams opened (ListenOverflows, every process's; the SYN is \
         dropped and sent again a second later)."
    );
    println!();
    println!(
        "| halls | enrol s | open s | open p50 ms | halls opened after ≥ 0.9 s | listen overflows | first message B | hub RSS / peak MB | changes × halls | step p50 ms | step p99 ms | step max ms | bytes / hall / change | POST /go ms | hub CPU ms / change | reports/s | report p50 ms | report p99 ms | failed | recorded |"
    );
    println!(
        "|---:|---:|---:|---:|---:|---:|---:|---|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|"
    );
    for run in &runs {
        println!("{}", run.line());
    }
    for run in &runs {
        if !run.closed.is_empty() || run.complaints > 0 {
            println!(
                "{} halls: {}{}",
                run.halls,
                run.closed,
                match run.complaints {
                    0 => String::new(),
                    n => format!(" the hub's log warned {n} times"),
                }
            );
        }
    }
    if let Some(weak) = weak {
        println!();
        println!(
            "Weak link: {} halls through a proxy holding every piece {} ms each way and cutting the connection \
             with probability {WEAK_CUT} a piece; a cut hall opens its stream again after {} s. Per change, \
             from the officer's press to the last hall having the step.",
            weak.halls,
            WEAK_DELAY.as_millis(),
            REOPEN_AFTER.as_secs()
        );
        println!();
        println!("| change | last hall ms |");
        println!("|---|---:|");
        for (from, to, last, missing) in &weak.lasts {
            let cell = match last {
                Some(l) => format!("{:.0}", ms(*l)),
                None => format!(
                    "— ({missing} halls without it in {} s)",
                    CHANGE_TIMEOUT.as_secs()
                ),
            };
            println!("| {from} → {to} | {cell} |");
        }
        let had: Vec<Duration> = weak.lasts.iter().filter_map(|l| l.2).collect();
        println!();
        println!(
            "weak link: every stream open in {:.1} s{}; last hall p50 {:.0} ms, max {:.0} ms over {} changes{}; \
             the proxy cut {} times ({} connections made); halls saw {} streams end ({}); {} reopened streams \
             had a first message, {} of them the session's current step",
            weak.open.as_secs_f64(),
            match weak.open_missing {
                0 => String::new(),
                n => format!(" ({n} halls without a message)"),
            },
            ms(quantile(&had, 0.5)),
            ms(had.iter().max().copied().unwrap_or_default()),
            had.len(),
            match weak.lasts.len() - had.len() {
                0 => String::new(),
                n => format!(" ({n} changes not had by every hall)"),
            },
            weak.cuts,
            weak.connections,
            weak.closed,
            weak.reasons,
            weak.reopened,
            weak.reopened_current,
        );
    }
    println!();
    println!(
        "whole run: {:.0} s; load average before {load}, after {}",
        started.elapsed().as_secs_f64(),
        load_average()
    );
}

/// Connections the machine's listen queues had no room for so far (`ListenOverflows` of
/// /proc/net/netstat, every process's): the SYN is dropped, and the client sends it again a
/// second later.
fn listen_overflows() -> u64 {
    let said = std::fs::read_to_string("/proc/net/netstat").unwrap_or_default();
    let mut lines = said.lines().filter(|l| l.starts_with("TcpExt:"));
    let (Some(names), Some(values)) = (lines.next(), lines.next()) else {
        return 0;
    };
    names
        .split_whitespace()
        .zip(values.split_whitespace())
        .find(|(name, _)| *name == "ListenOverflows")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0)
}

/// The machine's load average over 1, 5 and 15 minutes: whether something else ran too.
fn load_average() -> String {
    let said = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    said.split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}
