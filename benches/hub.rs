//! Prints what the province hub takes at national scale, on each engine: SQLite (one
//! `hocso hub` process on its folder), PostgreSQL with one process, and PostgreSQL with two
//! processes on one database (box `i` talks to process `i % 2`). Real `hocso hub` processes
//! of the release binary; simulated boxes enrol with codes, then all send one day of a
//! 300-learner commune at once (about 2,400 events each, in batches as a box sends them),
//! at most `IN_FLIGHT` requests at a time. Printed: batches and events accepted a second,
//! the wall time, each batch's round trip (p50, p99), each process's memory, the records'
//! size on disk; then the national dashboard's answer time (`/hub`, `/hub/csv/commune`)
//! with about 1 and 10 million events held; and, after each SQLite run of up to 1,000
//! boxes, how fast that province hub passes everything on to a fresh national hub (`hocso hub join`). Timings
//! are printed, never asserted.
//!
//! Run: `cargo bench --bench hub` (a full run takes long). A smaller one is chosen with
//! `HOCSO_BENCH_ENGINES=sqlite,pg1,pg2` (the engines; pgN for N processes),
//! `HOCSO_BENCH_BOXES=100,1000,3300` (the box counts, each on a fresh hub) and
//! `HOCSO_BENCH_DASHBOARD=1000000,10000000` (the events held when the dashboard is timed;
//! empty for none); `HOCSO_BENCH_FORWARD=0` leaves out passing on. PostgreSQL is the cluster `HOCSO_TEST_POSTGRES` names, or one this
//! bench starts with `.ci/postgres` and stops.

mod support;

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use hocso::content::{Catalogue, LessonTree};
use hocso::learn::{ETHNIC_GROUPS, GENDERS};
use hocso::protocol::Keys;
use hocso::protocol::envelope::{self, Kind};
use hocso::protocol::wire::{
    Ack, Batch, Enrol, Enrolled, MAX_BATCH_EVENTS, WireEvent, WireLearner,
};
use hocso::store::HubStore;
use reqwest::{Client, StatusCode};
use serde_json::json;
use tokio::sync::Semaphore;

/// A commune's day: each of 300 learners opens and finishes three lessons, takes a quiz and
/// finishes a practice scenario (8 events), one learner after another, as they come to the
/// hall.
const LEARNERS: usize = 300;
const PER_LEARNER: usize = 8;
const DAY_EVENTS: usize = LEARNERS * PER_LEARNER;
/// Requests in flight at once, all boxes together (enrolments and batches alike).
const IN_FLIGHT: usize = 128;
/// Times each dashboard address is asked.
const VIEWS: usize = 5;
const PUSH_TIMEOUT: Duration = Duration::from_secs(120);
const VIEW_TIMEOUT: Duration = Duration::from_secs(600);
const OFFICER: &str = "Nguyễn Văn Đo";
const PASSWORD: &str = "do-tai-toan-quoc";
const VILLAGES: [&str; 7] = [
    "Buôn A",
    "Buôn Trấp",
    "Buôn Ea Sol",
    "Thôn 1",
    "Thôn 2",
    "Thôn Đoàn Kết",
    "Bản Mới",
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Engine {
    Sqlite,
    Postgres { processes: usize },
}

impl Engine {
    fn parse(word: &str) -> Engine {
        let processes = word.strip_prefix("pg").and_then(|n| n.parse().ok());
        match (word, processes) {
            ("sqlite", _) => Engine::Sqlite,
            (_, Some(processes)) if processes > 0 => Engine::Postgres { processes },
            _ => panic!("HOCSO_BENCH_ENGINES: {word:?} is not sqlite, pg1, pg2…"),
        }
    }

    fn label(self) -> String {
        match self {
            Engine::Sqlite => "SQLite, 1 process".into(),
            Engine::Postgres { processes: 1 } => "PostgreSQL, 1 process".into(),
            Engine::Postgres { processes } => format!("PostgreSQL, {processes} processes"),
        }
    }
}

/// A comma-separated list from `var`, or `default`; numbers may be written `10_000_000`.
fn list(var: &str, default: &str) -> Vec<String> {
    std::env::var(var)
        .unwrap_or_else(|_| default.into())
        .split(',')
        .map(|w| w.trim().replace('_', ""))
        .filter(|w| !w.is_empty())
        .collect()
}

fn numbers(var: &str, default: &str) -> Vec<u64> {
    let mut numbers: Vec<u64> = list(var, default)
        .iter()
        .map(|w| {
            w.parse()
                .unwrap_or_else(|_| panic!("{var}: {w:?} is not a number"))
        })
        .collect();
    numbers.sort_unstable();
    numbers
}

/// The PostgreSQL cluster: the one `HOCSO_TEST_POSTGRES` names, or one started here with
/// `.ci/postgres` and stopped when this is dropped.
struct Cluster {
    conninfo: String,
    started: Option<String>,
}

impl Cluster {
    fn find_or_start() -> Cluster {
        if let Ok(conninfo) = std::env::var("HOCSO_TEST_POSTGRES") {
            return Cluster {
                conninfo,
                started: None,
            };
        }
        eprintln!("starting a throwaway PostgreSQL cluster (bash .ci/postgres start)");
        let out = Command::new("bash")
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/postgres"))
            .arg("start")
            .stderr(Stdio::inherit())
            .output()
            .expect("bash runs");
        assert!(out.status.success(), ".ci/postgres start failed");
        let exported = |name: &str| {
            String::from_utf8_lossy(&out.stdout)
                .lines()
                .find_map(|l| l.strip_prefix(&format!("export {name}=")))
                .map(|v| v.trim_matches('\'').to_string())
                .unwrap_or_else(|| panic!(".ci/postgres start printed no {name}"))
        };
        Cluster {
            conninfo: exported("HOCSO_TEST_POSTGRES"),
            started: Some(exported("HOCSO_TEST_POSTGRES_DIR")),
        }
    }

    /// The cluster's conninfo (libpq's words or a URL) with another database.
    fn conninfo_of(&self, database: &str) -> String {
        if let Some((scheme, rest)) = self.conninfo.split_once("://") {
            let (authority, query) = match rest.split_once('?') {
                Some((before, query)) => (before, format!("?{query}")),
                None => (rest, String::new()),
            };
            let host = authority.split('/').next().unwrap_or_default();
            return format!("{scheme}://{host}/{database}{query}");
        }
        let mut words: Vec<String> = self
            .conninfo
            .split_whitespace()
            .filter(|w| !w.starts_with("dbname="))
            .map(str::to_string)
            .collect();
        words.push(format!("dbname={database}"));
        words.join(" ")
    }

    /// A new, empty database; its name and conninfo.
    async fn new_database(&self) -> (String, String) {
        let name = format!("b_{}", uuid::Uuid::new_v4().simple());
        connect(&self.conninfo)
            .await
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .await
            .expect("the cluster makes a database");
        let conninfo = self.conninfo_of(&name);
        (name, conninfo)
    }

    async fn drop_database(&self, name: &str) {
        connect(&self.conninfo)
            .await
            .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .await
            .expect("the cluster drops a database");
    }

    /// What makes its figures comparable: version and whether commits reach the disk.
    async fn settings(&self) -> String {
        let client = connect(&self.conninfo).await;
        let mut said = Vec::new();
        for setting in [
            "server_version",
            "fsync",
            "synchronous_commit",
            "full_page_writes",
            "shared_buffers",
            "max_connections",
        ] {
            let row = client.query_one(&format!("SHOW {setting}"), &[]).await;
            let value: String = row.map(|r| r.get(0)).unwrap_or_else(|e| e.to_string());
            said.push(format!("{setting}={value}"));
        }
        said.join(", ")
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        if let Some(dir) = &self.started {
            let _ = Command::new("bash")
                .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/postgres"))
                .args(["stop", dir])
                .status();
        }
    }
}

/// A connection to `conninfo`, its I/O driven by a task of its own.
async fn connect(conninfo: &str) -> tokio_postgres::Client {
    let (client, connection) = tokio_postgres::connect(conninfo, tokio_postgres::NoTls)
        .await
        .unwrap_or_else(|e| panic!("PostgreSQL at {conninfo}: {e}"));
    tokio::spawn(connection);
    client
}

/// One `hocso hub` process on a free loopback port; killed when dropped.
struct HubProcess {
    child: Child,
    base: String,
}

impl HubProcess {
    async fn start(data_dir: &Path, database: Option<&str>, log: &Path) -> HubProcess {
        let addr = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap();
        let bind = addr.to_string();
        let mut command = hocso(&["--mdns", "off", "--bind", &bind], data_dir, database);
        command
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(log).expect("a log file"));
        let mut child = command.spawn().expect("hocso hub starts");
        let base = format!("http://{addr}");
        let client = support::http().build().unwrap();
        for _ in 0..3000 {
            let health = client.get(format!("{base}/api/v1/health")).send().await;
            if health.is_ok_and(|r| r.status() == StatusCode::OK) {
                return HubProcess { child, base };
            }
            if let Ok(Some(status)) = child.try_wait() {
                let said = std::fs::read_to_string(log).unwrap_or_default();
                panic!("hocso hub stopped ({status}):\n{said}");
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        panic!("hocso hub did not answer within a minute");
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
            rss_mb: kb("VmRSS:") / 1024,
            hwm_mb: kb("VmHWM:") / 1024,
        }
    }
}

impl Drop for HubProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `hocso hub ARGS` of the release binary on the hub's folder and database, as an operator
/// runs it (the database in `HOCSO_DATABASE_URL`).
fn hocso(args: &[&str], data_dir: &Path, database: Option<&str>) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_hocso"));
    command
        .arg("hub")
        .args(args)
        .arg("--data-dir")
        .arg(data_dir);
    command
        .env_remove("RUST_LOG")
        .env_remove("HOCSO_DATABASE_URL");
    if let Some(database) = database {
        command.env("HOCSO_DATABASE_URL", database);
    }
    command
}

#[derive(Clone, Copy, Default)]
struct Memory {
    rss_mb: u64,
    hwm_mb: u64,
}

fn memories(memory: &[Memory]) -> String {
    memory
        .iter()
        .map(|m| format!("{}/{}", m.rss_mb, m.hwm_mb))
        .collect::<Vec<_>>()
        .join(" + ")
}

/// The lessons and scenarios of the embedded catalogue, which learners' days go through.
struct Content {
    lessons: Vec<String>,
    scenarios: Vec<String>,
}

impl Content {
    fn embedded() -> Content {
        let catalogue: Catalogue = hocso::content::load(&LessonTree::embedded(), &|n| n.into()).0;
        let modules = &catalogue.modules;
        Content {
            lessons: modules
                .iter()
                .flat_map(|m| m.lessons.iter().map(|l| l.id.clone()))
                .collect(),
            scenarios: modules
                .iter()
                .flat_map(|m| m.practice.iter().map(|p| p.id.clone()))
                .collect(),
        }
    }
}

/// A simulated box: enrolled, with the key it signs with.
struct SimBox {
    index: usize,
    id: String,
    keys: Keys,
    commune: String,
}

/// A batch as it goes on the wire.
struct Sealed {
    bytes: Vec<u8>,
    events: usize,
    last_seq: i64,
}

/// Learner `n` of a box, as the box would send their profile (no name: the default).
fn profile(n: usize) -> WireLearner {
    WireLearner {
        id: uuid::Uuid::now_v7().to_string(),
        name: None,
        village: VILLAGES[n % VILLAGES.len()].into(),
        birth_year: Some(1950 + (n % 60) as i64),
        gender: Some(GENDERS[n % 5 / 2].into()),
        ethnic_group: (!n.is_multiple_of(11))
            .then(|| ETHNIC_GROUPS[n % ETHNIC_GROUPS.len()].into()),
    }
}

/// One day of `b`'s commune from seq 1, in batches as the box's sync sends them: at most
/// `MAX_BATCH_EVENTS` events each, with the profile of every learner the batch names.
fn day(b: &SimBox, content: &Content, date: &str) -> Vec<Sealed> {
    let learners: Vec<WireLearner> = (0..LEARNERS).map(profile).collect();
    let mut events = Vec::with_capacity(DAY_EVENTS);
    for (n, learner) in learners.iter().enumerate() {
        let lesson = |j: usize| content.lessons[(n % 10 * 3 + j) % content.lessons.len()].clone();
        let scenario = content.scenarios[n % content.scenarios.len()].clone();
        let steps = [
            ("lesson_opened", Some(lesson(0)), json!({})),
            ("lesson_finished", Some(lesson(0)), json!({})),
            (
                "quiz_submitted",
                Some(lesson(0)),
                json!({"answers": [0, 2, 1], "score": 2, "total": 3}),
            ),
            ("lesson_opened", Some(lesson(1)), json!({})),
            ("lesson_finished", Some(lesson(1)), json!({})),
            ("lesson_opened", Some(lesson(2)), json!({})),
            ("lesson_finished", Some(lesson(2)), json!({})),
            (
                "practice_finished",
                None,
                json!({"scenario": scenario, "run": uuid::Uuid::now_v7().to_string(),
                       "end": "an-toan", "win": !n.is_multiple_of(3)}),
            ),
        ];
        for (k, (kind, lesson, payload)) in steps.into_iter().enumerate() {
            let seconds = 7 * 3600 + n * 120 + k * 15;
            let at = format!(
                "{date}T{:02}:{:02}:{:02}.{:06}Z",
                seconds / 3600,
                seconds / 60 % 60,
                seconds % 60,
                n * 1000 + k
            );
            events.push(WireEvent {
                seq: events.len() as i64 + 1,
                id: uuid::Uuid::now_v7().to_string(),
                kind: kind.into(),
                learner: Some(learner.id.clone()),
                lesson,
                payload,
                recorded_at: at.clone(),
                at,
            });
        }
    }
    events
        .chunks(MAX_BATCH_EVENTS)
        .enumerate()
        .map(|(i, chunk)| {
            // Learner n's events are n * PER_LEARNER onwards: those this batch names.
            let first = i * MAX_BATCH_EVENTS;
            let last = first + chunk.len() - 1;
            let named = learners[first / PER_LEARNER..=last / PER_LEARNER].to_vec();
            let batch = Batch {
                box_id: b.id.clone(),
                commune: b.commune.clone(),
                events: chunk.to_vec(),
                learners: named,
            };
            Sealed {
                bytes: envelope::seal(Kind::Batch, &b.id, &b.keys, &batch),
                events: chunk.len(),
                last_seq: batch.last_seq(),
            }
        })
        .collect()
}

/// Every box's day, sealed on every core before the clock starts: the figures are the hub's.
fn seal_days(boxes: &[SimBox], content: &Content) -> Vec<Vec<Sealed>> {
    let date = time::OffsetDateTime::now_utc().date().to_string();
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let per_thread = boxes.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let parts: Vec<_> = boxes
            .chunks(per_thread)
            .map(|part| {
                let date = &date;
                scope.spawn(move || {
                    part.iter()
                        .map(|b| day(b, content, date))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        parts
            .into_iter()
            .flat_map(|p| p.join().expect("sealing does not panic"))
            .collect()
    })
}

/// Provinces since the 2025 reform: box `i` is a commune of province `i % PROVINCES`.
const PROVINCES: usize = 34;

/// A new enrolment code for `commune` of `province`, made in the hub's records as
/// `hocso hub code --province` makes it.
async fn new_code(records: &HubStore, commune: &str, province: &str) -> String {
    records
        .new_code(commune, province)
        .await
        .expect("a code is made")
}

/// What one run of boxes sending at once took.
struct Push {
    engine: Engine,
    label: String,
    held_before: u64,
    batches: usize,
    events: u64,
    wall: Duration,
    trips: Vec<Duration>,
    failed: usize,
    memory: Vec<Memory>,
    disk_mb: u64,
}

/// What the dashboard's addresses took with `held` events at the hub.
struct Dashboard {
    engine: Engine,
    held: u64,
    learners: usize,
    views: Vec<Views>,
    memory: Vec<Memory>,
}

struct Views {
    path: &'static str,
    times: Vec<Duration>,
    statuses: Vec<u16>,
    bytes: usize,
}

/// The hub's processes on fresh records, and what the bench knows of them.
struct Hubs {
    engine: Engine,
    processes: Vec<HubProcess>,
    dirs: Vec<tempfile::TempDir>,
    database: Option<(String, String)>,
    records: HubStore,
    client: Client,
    hub_key: Option<String>,
    boxes: usize,
    held: u64,
    session: Option<String>,
}

impl Hubs {
    async fn start(engine: Engine, cluster: Option<&Cluster>) -> Hubs {
        let (count, database) = match engine {
            Engine::Sqlite => (1, None),
            Engine::Postgres { processes } => {
                let cluster = cluster.expect("a PostgreSQL cluster");
                (processes, Some(cluster.new_database().await))
            }
        };
        let conninfo = database.as_ref().map(|(_, c)| c.as_str());
        let mut dirs = Vec::new();
        let mut processes = Vec::new();
        for n in 0..count {
            let dir = tempfile::tempdir().expect("temp dir");
            let data = dir.path().join("hub");
            let log = dir.path().join("hub.log");
            processes.push(HubProcess::start(&data, conninfo, &log).await);
            dirs.push(dir);
            eprintln!("  {}: process {n} at {}", engine.label(), processes[n].base);
        }
        let records = HubStore::open(conninfo, &dirs[0].path().join("hub"))
            .await
            .expect("the hub's records open");
        Hubs {
            engine,
            processes,
            dirs,
            database,
            records,
            client: support::client(IN_FLIGHT),
            hub_key: None,
            boxes: 0,
            held: 0,
            session: None,
        }
    }

    fn data_dir(&self) -> PathBuf {
        self.dirs[0].path().join("hub")
    }

    fn conninfo(&self) -> Option<&str> {
        self.database.as_ref().map(|(_, c)| c.as_str())
    }

    /// The process box (or view) `i` talks to.
    fn base(&self, i: usize) -> &str {
        &self.processes[i % self.processes.len()].base
    }

    fn memory(&self) -> Vec<Memory> {
        self.processes.iter().map(HubProcess::memory).collect()
    }

    /// What the hub's records take on disk, in MB.
    async fn disk_mb(&self) -> u64 {
        let bytes = match self.conninfo() {
            Some(conninfo) => {
                let row = connect(conninfo)
                    .await
                    .query_one("SELECT pg_database_size(current_database())", &[])
                    .await
                    .expect("the database's size");
                row.get::<_, i64>(0) as u64
            }
            None => std::fs::read_dir(self.data_dir())
                .expect("the hub's folder")
                .filter_map(|e| e.ok()?.metadata().ok())
                .filter(|m| m.is_file())
                .map(|m| m.len())
                .sum(),
        };
        bytes / 1_000_000
    }

    /// `count` new boxes: codes made in the records, then each enrols over HTTP (at most
    /// `IN_FLIGHT` at once), with the process its index names.
    async fn enrol(&mut self, count: usize) -> Vec<SimBox> {
        let started = Instant::now();
        let mut boxes = Vec::with_capacity(count);
        let mut making = tokio::task::JoinSet::new();
        let gate = Arc::new(Semaphore::new(16));
        for index in self.boxes..self.boxes + count {
            let commune = hocso::text::commune_name(&format!("Xã Đo Tải {index:05}")).unwrap();
            let (records, gate) = (self.records.clone(), gate.clone());
            making.spawn(async move {
                let _permit = gate.acquire().await.unwrap();
                let province = format!("Tỉnh {:02}", index % PROVINCES + 1);
                let code = new_code(&records, &commune, &province).await;
                (index, commune, code)
            });
        }
        let mut codes = making.join_all().await;
        codes.sort_by_key(|(index, ..)| *index);
        let gate = Arc::new(Semaphore::new(IN_FLIGHT));
        let mut enrolling = tokio::task::JoinSet::new();
        for (index, commune, code) in codes {
            let b = SimBox {
                index,
                id: uuid::Uuid::now_v7().to_string(),
                keys: Keys::generate(),
                commune,
            };
            let enrol = Enrol {
                box_id: b.id.clone(),
                commune: b.commune.clone(),
                public_key: b.keys.public_hex(),
                first_seq: 1,
                code: Some(code),
                vouch: None,
            };
            let url = format!("{}/hub/v1/enroll", self.base(index));
            let (client, gate) = (self.client.clone(), gate.clone());
            enrolling.spawn(async move {
                let _permit = gate.acquire().await.unwrap();
                let answer = client.post(&url).json(&enrol).send().await.unwrap();
                assert_eq!(answer.status(), StatusCode::OK, "{url}");
                answer.json::<Enrolled>().await.unwrap()
            });
            boxes.push(b);
        }
        for enrolled in enrolling.join_all().await {
            let key = self.hub_key.get_or_insert_with(|| enrolled.hub_key.clone());
            assert_eq!(*key, enrolled.hub_key, "every process signs as one hub");
        }
        self.boxes += count;
        eprintln!(
            "  {count} boxes enrolled in {:.1} s",
            started.elapsed().as_secs_f64()
        );
        boxes
    }

    /// `count` new boxes each send a day at once; what it took.
    async fn push_days(&mut self, count: usize, label: String, content: &Content) -> Push {
        let boxes = self.enrol(count).await;
        let started = Instant::now();
        let days = tokio::task::block_in_place(|| seal_days(&boxes, content));
        let bytes: usize = days.iter().flatten().map(|s| s.bytes.len()).sum();
        let batches: usize = days.iter().map(Vec::len).sum();
        eprintln!(
            "  {batches} batches sealed in {:.1} s ({:.0} MB, {:.0} bytes/event)",
            started.elapsed().as_secs_f64(),
            bytes as f64 / 1e6,
            bytes as f64 / (count * DAY_EVENTS) as f64
        );
        let gate = Arc::new(Semaphore::new(IN_FLIGHT));
        let hub_key = self.hub_key.clone().expect("enrolled");
        let mut sending = tokio::task::JoinSet::new();
        let started = Instant::now();
        for (b, day) in boxes.iter().zip(days) {
            let url = format!("{}/hub/v1/push", self.base(b.index));
            let (client, gate, key) = (self.client.clone(), gate.clone(), hub_key.clone());
            sending.spawn(send_day(client, url, gate, key, day));
        }
        let sent = sending.join_all().await;
        let wall = started.elapsed();
        let held_before = self.held;
        let events: u64 = sent.iter().map(|s| s.events).sum();
        self.held += events;
        let stored: i64 = self
            .records
            .boxes(&hocso::store::Scope::All)
            .await
            .expect("the boxes")
            .iter()
            .map(|b| b.events)
            .sum();
        if stored as u64 != self.held {
            eprintln!(
                "  WRONG: the hub holds {stored} events; the boxes were told {}",
                self.held
            );
        }
        let push = Push {
            engine: self.engine,
            label,
            held_before,
            batches: sent.iter().map(|s| s.batches).sum(),
            events,
            wall,
            trips: sent.iter().flat_map(|s| s.trips.iter().copied()).collect(),
            failed: sent.iter().map(|s| s.failed).sum(),
            memory: self.memory(),
            disk_mb: self.disk_mb().await,
        };
        eprintln!("  {}", push.line());
        push
    }

    /// Pushes new boxes' days until the hub holds about `target` events.
    async fn fill_to(&mut self, target: u64, content: &Content) -> Option<Push> {
        let missing = target.saturating_sub(self.held);
        let count = missing.div_ceil(DAY_EVENTS as u64) as usize;
        if count == 0 {
            return None;
        }
        let more = if self.held > 0 { "+" } else { "" };
        let label = format!("{more}{count} (to {})", thousands(target));
        Some(self.push_days(count, label, content).await)
    }

    /// An officer made with `hocso hub officer`, signed in through the form; the cookie.
    async fn sign_in(&mut self) -> String {
        if let Some(session) = &self.session {
            return session.clone();
        }
        let mut officer = hocso(&["officer", OFFICER], &self.data_dir(), self.conninfo())
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
        let base = self.base(0).to_string();
        let form = self
            .client
            .get(format!("{base}/f/signin"))
            .send()
            .await
            .unwrap();
        let csrf = cookie(&form, "hocso_csrf").expect("the sign-in page sets hocso_csrf");
        let signed = self
            .client
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
        let session = format!("hocso_f={token}; hocso_csrf={csrf}");
        self.session = Some(session.clone());
        session
    }

    /// Times the national dashboard and its CSV by commune, `VIEWS` times each, the views
    /// spread over the processes.
    async fn dashboard(&mut self) -> Dashboard {
        let session = self.sign_in().await;
        let mut views = Vec::new();
        for path in ["/hub", "/hub/csv/commune"] {
            let mut view = Views {
                path,
                times: Vec::new(),
                statuses: Vec::new(),
                bytes: 0,
            };
            for i in 0..VIEWS {
                let started = Instant::now();
                let answer = self
                    .client
                    .get(format!("{}{path}", self.base(i)))
                    .header("cookie", &session)
                    .timeout(VIEW_TIMEOUT)
                    .send()
                    .await;
                let (status, bytes) = match answer {
                    Ok(answer) => {
                        let status = answer.status().as_u16();
                        (status, answer.bytes().await.map_or(0, |b| b.len()))
                    }
                    Err(e) => {
                        eprintln!("  GET {path}: {e}");
                        (0, 0)
                    }
                };
                view.times.push(started.elapsed());
                view.statuses.push(status);
                view.bytes = view.bytes.max(bytes);
            }
            eprintln!("  {}", view.line());
            views.push(view);
        }
        Dashboard {
            engine: self.engine,
            held: self.held,
            learners: self.boxes * LEARNERS,
            views,
            memory: self.memory(),
        }
    }

    /// This (SQLite) hub joins a fresh national hub, on PostgreSQL when a cluster is at hand,
    /// and passes every box on with `hocso hub join`, timed; the table's line.
    async fn forward(&self, cluster: Option<&Cluster>) -> String {
        let national_engine = match cluster {
            Some(_) => Engine::Postgres { processes: 1 },
            None => Engine::Sqlite,
        };
        let national = Hubs::start(national_engine, cluster).await;
        let code = national
            .records
            .new_join_code("Đắk Lắk")
            .await
            .expect("a join code");
        let started = Instant::now();
        let out = hocso(&["join", national.base(0), &code], &self.data_dir(), None)
            .output()
            .expect("hocso hub join runs");
        let wall = started.elapsed();
        let said = String::from_utf8_lossy(&out.stdout).to_string();
        assert!(
            out.status.success(),
            "hocso hub join: {said}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        // The serving province hub may pass some on too, at the same time: the national hub's
        // records are what count.
        let all = hocso::store::Scope::All;
        let there = national.records.boxes(&all).await.expect("boxes");
        let events: u64 = there.iter().map(|b| b.events as u64).sum();
        assert_eq!(
            (there.len(), events),
            (self.boxes, self.held),
            "every box and event passed on: {said}"
        );
        let line = format!(
            "| {} | {} | {} | {:.1} | {:.0} | {} |",
            national_engine.label(),
            self.boxes,
            events,
            wall.as_secs_f64(),
            events as f64 / wall.as_secs_f64(),
            memories(&national.memory())
        );
        eprintln!("  forwarded: {line}");
        national.stop(cluster).await;
        line
    }

    async fn stop(self, cluster: Option<&Cluster>) {
        let Hubs {
            processes,
            database,
            records,
            ..
        } = self;
        drop(records);
        drop(processes);
        if let (Some(cluster), Some((name, _))) = (cluster, database) {
            cluster.drop_database(&name).await;
        }
    }
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

/// What one box's day took.
#[derive(Default)]
struct Sent {
    batches: usize,
    events: u64,
    trips: Vec<Duration>,
    failed: usize,
}

/// A box sends its batches in order, each when `gate` lets it, and checks the hub's signed
/// answer; a failed batch is sent again (a real box would), up to three times.
async fn send_day(
    client: Client,
    url: String,
    gate: Arc<Semaphore>,
    hub_key: String,
    day: Vec<Sealed>,
) -> Sent {
    let mut sent = Sent::default();
    for batch in day {
        let mut tries = 0;
        loop {
            let permit = gate.acquire().await.unwrap();
            let started = Instant::now();
            let answer = client
                .post(&url)
                .body(batch.bytes.clone())
                .timeout(PUSH_TIMEOUT)
                .send()
                .await;
            let body = match answer {
                Ok(answer) if answer.status() == StatusCode::OK => answer.bytes().await.ok(),
                Ok(answer) => {
                    let status = answer.status();
                    let said = answer.text().await.unwrap_or_default();
                    eprintln!("  push: {status} {said}");
                    None
                }
                Err(e) => {
                    eprintln!("  push: {e}");
                    None
                }
            };
            let trip = started.elapsed();
            drop(permit);
            let held = body.and_then(|body| {
                envelope::open::<Ack>(&body, Kind::Ack, |_| Some(hub_key.clone()))
                    .ok()
                    .map(|(_, ack)| ack.held)
            });
            if held == Some(batch.last_seq) {
                sent.trips.push(trip);
                sent.batches += 1;
                sent.events += batch.events as u64;
                break;
            }
            sent.failed += 1;
            tries += 1;
            if tries == 3 {
                return sent;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
    sent
}

fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The `q` quantile (0 to 1) of `times`.
fn quantile(times: &[Duration], q: f64) -> Duration {
    let mut sorted = times.to_vec();
    sorted.sort_unstable();
    let at = ((sorted.len() as f64 * q).ceil() as usize).clamp(1, sorted.len().max(1)) - 1;
    sorted.get(at).copied().unwrap_or_default()
}

impl Push {
    fn line(&self) -> String {
        let seconds = self.wall.as_secs_f64();
        format!(
            "| {} | {} | {} | {} | {} | {:.1} | {:.0} | {:.0} | {:.0} | {:.0} | {} | {} | {} |",
            self.engine.label(),
            self.label,
            thousands(self.held_before),
            self.batches,
            thousands(self.events),
            seconds,
            self.batches as f64 / seconds,
            self.events as f64 / seconds,
            ms(quantile(&self.trips, 0.5)),
            ms(quantile(&self.trips, 0.99)),
            self.failed,
            memories(&self.memory),
            self.disk_mb,
        )
    }
}

impl Views {
    fn line(&self) -> String {
        let ok = self.statuses.iter().all(|s| *s == 200);
        let statuses = if ok {
            "200".to_string()
        } else {
            format!("{:?}", self.statuses)
        };
        format!(
            "GET {}: median {:.2} s, max {:.2} s, {} KB, status {statuses}",
            self.path,
            quantile(&self.times, 0.5).as_secs_f64(),
            self.times
                .iter()
                .max()
                .unwrap_or(&Duration::ZERO)
                .as_secs_f64(),
            self.bytes / 1024
        )
    }
}

impl Dashboard {
    fn line(&self) -> String {
        let cells: Vec<String> = self
            .views
            .iter()
            .map(|v| {
                let failed = v.statuses.iter().filter(|s| **s != 200).count();
                let also = match failed {
                    0 => String::new(),
                    n => format!(" ({n} of {VIEWS} not 200: {:?})", v.statuses),
                };
                format!(
                    "{:.2} / {:.2}{also}",
                    quantile(&v.times, 0.5).as_secs_f64(),
                    v.times
                        .iter()
                        .max()
                        .unwrap_or(&Duration::ZERO)
                        .as_secs_f64()
                )
            })
            .collect();
        format!(
            "| {} | {} | {} | {} | {} | {} KB | {} |",
            self.engine.label(),
            thousands(self.held),
            thousands(self.learners as u64),
            cells[0],
            cells[1],
            self.views[0].bytes / 1024,
            memories(&self.memory)
        )
    }
}

#[tokio::main]
async fn main() {
    let engines: Vec<Engine> = list("HOCSO_BENCH_ENGINES", "sqlite,pg1,pg2")
        .iter()
        .map(|w| Engine::parse(w))
        .collect();
    let stages = numbers("HOCSO_BENCH_BOXES", "100,1000,3300");
    let targets = numbers("HOCSO_BENCH_DASHBOARD", "1000000,10000000");
    let content = Content::embedded();
    {
        let sample: Vec<WireLearner> = (0..LEARNERS).map(profile).collect();
        hocso::hub::check_learners(&sample).expect("the profiles keep the hub's rules");
    }
    // (With a cluster named, a national hub passed on to is on PostgreSQL too.)
    let cluster = (engines.iter().any(|e| matches!(e, Engine::Postgres { .. }))
        || std::env::var_os("HOCSO_TEST_POSTGRES").is_some())
    .then(Cluster::find_or_start);
    let started = Instant::now();
    let load = load_average();
    println!(
        "hocso hub at national scale: {} cores, {LEARNERS}-learner communes, {DAY_EVENTS} events a box-day, \
         batches of at most {MAX_BATCH_EVENTS}, {IN_FLIGHT} requests in flight",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    if let Some(cluster) = &cluster {
        println!("PostgreSQL: {}", cluster.settings().await);
    }
    let mut pushes = Vec::new();
    let mut dashboards = Vec::new();
    let mut forwards = Vec::new();
    let forward = std::env::var("HOCSO_BENCH_FORWARD").map_or(true, |v| v != "0");
    for &engine in &engines {
        eprintln!("{}", engine.label());
        let mut pending: VecDeque<u64> = targets.iter().copied().collect();
        let first = stages.first().map_or(u64::MAX, |c| c * DAY_EVENTS as u64);
        // Sizes below the smallest run's: a hub filled for them alone.
        if pending.front().is_some_and(|t| *t < first) {
            let mut hubs = Hubs::start(engine, cluster.as_ref()).await;
            while let Some(target) = pending.front().copied().filter(|t| *t < first) {
                pushes.extend(hubs.fill_to(target, &content).await);
                dashboards.push(hubs.dashboard().await);
                pending.pop_front();
            }
            hubs.stop(cluster.as_ref()).await;
        }
        for (i, &count) in stages.iter().enumerate() {
            let mut hubs = Hubs::start(engine, cluster.as_ref()).await;
            let label = format!("{count} boxes");
            pushes.push(hubs.push_days(count as usize, label, &content).await);
            // (A province has at most a few hundred communes.)
            if engine == Engine::Sqlite && forward && count <= 1000 {
                forwards.push(hubs.forward(cluster.as_ref()).await);
            }
            // Sizes up to the next run's are reached from this one.
            let next = stages
                .get(i + 1)
                .map_or(u64::MAX, |c| c * DAY_EVENTS as u64);
            while let Some(target) = pending.front().copied().filter(|t| *t < next) {
                pushes.extend(hubs.fill_to(target, &content).await);
                dashboards.push(hubs.dashboard().await);
                pending.pop_front();
            }
            hubs.stop(cluster.as_ref()).await;
        }
    }

    println!();
    println!(
        "Boxes sending a day each, all at once (a fresh hub for each count; a `+N` line adds N boxes to it). \
         Memory: each process's RSS/peak RSS in MB after the run."
    );
    println!();
    println!(
        "| engine | boxes | events held before | batches | events | wall s | batches/s | events/s | p50 ms | p99 ms | failed tries | memory MB | disk MB |"
    );
    println!("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|");
    for push in &pushes {
        println!("{}", push.line());
    }
    if !forwards.is_empty() {
        println!();
        println!(
            "A province hub on SQLite holding those boxes' day joins a fresh national hub and passes everything on \
             (`hocso hub join`, one request at a time, as it runs)."
        );
        println!();
        println!("| national hub | boxes | events | wall s | events/s | national memory MB |");
        println!("|---|---:|---:|---:|---:|---|");
        for line in &forwards {
            println!("{line}");
        }
    }
    if !dashboards.is_empty() {
        println!();
        println!(
            "The national dashboard, {VIEWS} views each (median / max seconds; page size of /hub; memory RSS/peak MB after)."
        );
        println!();
        println!(
            "| engine | events held | learners | GET /hub s | GET /hub/csv/commune s | /hub page | memory MB |"
        );
        println!("|---|---:|---:|---|---|---:|---|");
        for dashboard in &dashboards {
            println!("{}", dashboard.line());
        }
    }
    println!();
    println!(
        "whole run: {:.0} s; load average before {load}, after {}",
        started.elapsed().as_secs_f64(),
        load_average()
    );
}

/// The machine's load average over 1, 5 and 15 minutes: whether something else ran too.
fn load_average() -> String {
    let said = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    said.split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}
