//! The benchmark's helper, run by `bench/run`:
//!
//! - `seed DATA_DIR OUT_DIR`: a data folder as a busy commune's box would have it, written
//!   straight through `hocso::store::Store` (no HTTP): 1,000 learners in 5 villages and
//!   100,000 lesson events (opened, finished, quiz submitted) over the real catalogue, each
//!   learner a different way through it. 200 of the learners are signed in; their cookies go
//!   to `OUT_DIR/cookies.txt` for the load scripts, with `OUT_DIR/lessons.txt` (the lesson
//!   pages read under load) and `OUT_DIR/quizzes.txt` (every lesson with a quiz, and each
//!   question's number of choices, so submitted answers are valid). The data is the same on
//!   every run (a fixed pseudo-random seed); only ids, times and tokens differ.
//! - `startup [--cpu N] RUNS BIN DATA_DIR PORT LESSON_PATH COOKIE`: starts `BIN serve` on
//!   `127.0.0.1:PORT` RUNS times and prints, for each and as medians, the milliseconds from
//!   exec to the first 200 on `/api/v1/health` and then on the signed-in lesson page.
//! - `hold ADDR IDLE SLOW SECONDS`: holds IDLE connections to the box that say nothing and
//!   SLOW slowloris ones (half a request's head, then a byte a second) for SECONDS, opening
//!   a new one whenever the box closes one, as an attacker would. Prints `HELD` once all are
//!   open, then at the end how many the box closed and how many new ones it turned away as
//!   busy.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use hocso::content::{self, Lang, LessonTree};
use hocso::learn::grade;
use hocso::token;
use hocso::store::{Change, NewEvent, NewLearner, Store};

const LEARNERS: usize = 1_000;
const EVENTS_PER_LEARNER: usize = 100;
/// Every `SIGNED_IN_EVERY`th learner gets a session (200 of 1,000).
const SIGNED_IN_EVERY: usize = 5;
/// Learners written at once: their transactions share the writer's group commits.
const IN_FLIGHT: usize = 32;

const VILLAGES: [&str; 5] = [
    "Buôn Ea Sol",
    "Thôn Hòa Bình",
    "Bản Nà Ngần",
    "Xóm Đồng Tâm",
    "Làng Kon Rơ",
];
const FAMILY: [&str; 8] = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "H'", "Y", "Lò"];
const MIDDLE: [&str; 5] = ["Văn", "Thị", "Đức", "Ngọc", "Minh"];
const GIVEN: [&str; 10] = [
    "An", "Bình", "Cúc", "Dũng", "Hoa", "Lan", "Mai", "Nam", "Sơn", "Thảo",
];

/// xorshift64*: a fixed seed gives the same learners and progress on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("seed") if args.len() == 3 => seed(Path::new(&args[1]), Path::new(&args[2])),
        Some("startup") => startup(&args[1..]),
        Some("hold") if args.len() == 5 => hold(&args[1..]),
        _ => Err("usage: hocso-bench-tool seed DATA_DIR OUT_DIR | startup [--cpu N] RUNS BIN DATA_DIR PORT LESSON_PATH COOKIE | hold ADDR IDLE SLOW SECONDS".into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("hocso-bench-tool: {e}");
            ExitCode::FAILURE
        }
    }
}

/// One lesson as the seeding needs it.
#[derive(Clone)]
struct LessonInfo {
    id: String,
    /// Number of choices of each quiz question (Vietnamese text, which grading uses).
    choices: Vec<usize>,
    quiz: Vec<content::Question>,
}

fn seed(data_dir: &Path, out_dir: &Path) -> Result<(), String> {
    if data_dir.join(hocso::store::DB_FILE).exists() {
        return Err(format!("{} already holds a database", data_dir.display()));
    }
    std::fs::create_dir_all(data_dir).map_err(|e| format!("{}: {e}", data_dir.display()))?;
    std::fs::create_dir_all(out_dir).map_err(|e| format!("{}: {e}", out_dir.display()))?;
    let (catalogue, problems) = content::load(&LessonTree::embedded(), &|n| n.to_string());
    if !problems.is_empty() {
        return Err(format!("the embedded lessons have problems: {problems:?}"));
    }
    let lessons: Vec<LessonInfo> = catalogue
        .lessons()
        .map(|l| {
            let quiz = l.versions.get(Lang::Vi).quiz.clone();
            LessonInfo {
                id: l.id.clone(),
                choices: quiz.iter().map(|q| q.choices.len()).collect(),
                quiz,
            }
        })
        .collect();
    // The pages read under load: the first lesson of each module.
    let read: Vec<String> = catalogue
        .modules
        .iter()
        .filter_map(|m| m.lessons.first())
        .map(|l| l.id.clone())
        .collect();

    let started = Instant::now();
    let runtime = tokio::runtime::Runtime::new().map_err(|e| e.to_string())?;
    let cookies = runtime.block_on(async {
        let store = Store::open(data_dir).map_err(|e| e.to_string())?;
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let mut tasks = tokio::task::JoinSet::new();
        let mut cookies = Vec::new();
        for n in 0..LEARNERS {
            let new = NewLearner {
                display_name: format!(
                    "{} {} {} {}",
                    FAMILY[rng.below(FAMILY.len())],
                    MIDDLE[rng.below(MIDDLE.len())],
                    GIVEN[rng.below(GIVEN.len())],
                    n + 1
                ),
                village: VILLAGES[rng.below(VILLAGES.len())].to_string(),
                birth_year: Some(1950 + rng.below(60) as i32),
                gender: Some(["nu", "nam"][rng.below(2)].to_string()),
                ethnic_group: None,
                secret: None,
                consent: None,
            };
            let token = (n % SIGNED_IN_EVERY == 0).then(token::new);
            if let Some(token) = &token {
                cookies.push(format!("hocso_session={token}"));
            }
            let plan = plan(&mut rng, &lessons, token.is_some().then_some(&read[..]));
            if tasks.len() >= IN_FLIGHT
                && let Some(done) = tasks.join_next().await
            {
                done.map_err(|e| e.to_string())??;
            }
            let store = store.clone();
            tasks.spawn(async move {
                let session = token.as_deref().and_then(token::hash);
                let learner = store
                    .create_learner(new, session)
                    .await
                    .map_err(|e| e.to_string())?;
                let at = store.now();
                let events = plan
                    .into_iter()
                    .map(|(lesson, change, payload)| NewEvent {
                        id: uuid::Uuid::now_v7(),
                        learner_id: learner.id.clone(),
                        lesson_id: Some(lesson),
                        at: at.clone(),
                        payload,
                        change,
                    })
                    .collect();
                let outcomes = store
                    .record_events(events)
                    .await
                    .map_err(|e| e.to_string())?;
                match outcomes
                    .iter()
                    .find(|o| !matches!(o, hocso::store::EventOutcome::Stored { .. }))
                {
                    Some(o) => Err(format!("an event was not stored: {o:?}")),
                    None => Ok::<(), String>(()),
                }
            });
        }
        while let Some(done) = tasks.join_next().await {
            done.map_err(|e| e.to_string())??;
        }
        let events = store
            .event_count()
            .await
            .map_err(|e| e.to_string())?
            .events;
        println!(
            "seeded {LEARNERS} learners ({} signed in) and {events} events (of which {} lesson events) in {:.1} s",
            cookies.len(),
            LEARNERS * EVENTS_PER_LEARNER,
            started.elapsed().as_secs_f64()
        );
        Ok::<_, String>(cookies)
    })?;
    // Let the writer thread finish and the database close before the files are used.
    drop(runtime);

    let write = |name: &str, lines: Vec<String>| {
        let path: PathBuf = out_dir.join(name);
        std::fs::write(&path, lines.join("\n") + "\n")
            .map_err(|e| format!("{}: {e}", path.display()))
    };
    write("cookies.txt", cookies)?;
    write(
        "lessons.txt",
        read.iter().map(|id| format!("/m/{id}")).collect(),
    )?;
    write(
        "quizzes.txt",
        lessons
            .iter()
            .filter(|l| !l.choices.is_empty())
            .map(|l| {
                let choices: Vec<String> = l.choices.iter().map(|c| c.to_string()).collect();
                format!("{} {}", l.id, choices.join(" "))
            })
            .collect(),
    )?;
    Ok(())
}

/// One learner's 100 lesson events: the lessons in teaching order up to a depth of their
/// own (opened, finished, the quiz once or twice with answers that may or may not pass), then
/// lessons opened again. A signed-in learner has also opened each of `read` (the pages read
/// under load), so reading them records nothing new; whether they finished them and how they
/// scored varies, so the pages show a mix of ticks, scores and "finished" buttons.
fn plan(
    rng: &mut Rng,
    lessons: &[LessonInfo],
    read: Option<&[String]>,
) -> Vec<(String, Change, serde_json::Value)> {
    let mut plan = Vec::with_capacity(EVENTS_PER_LEARNER);
    let depth = 1 + rng.below(lessons.len());
    let opened = |id: &str| (id.to_string(), Change::Opened, serde_json::json!({}));
    for (i, lesson) in lessons.iter().take(depth).enumerate() {
        plan.push(opened(&lesson.id));
        if i + 1 < depth || rng.below(2) == 0 {
            plan.push((lesson.id.clone(), Change::Finished, serde_json::json!({})));
            for _ in 0..1 + rng.below(2) {
                if lesson.quiz.is_empty() {
                    break;
                }
                // Mostly right: each answer is the right one two times in three.
                let answers: Vec<usize> = lesson
                    .quiz
                    .iter()
                    .map(|q| {
                        if rng.below(3) < 2 {
                            q.answer
                        } else {
                            rng.below(q.choices.len())
                        }
                    })
                    .collect();
                let graded = grade(&lesson.quiz, &answers).expect("valid answers");
                plan.push((
                    lesson.id.clone(),
                    graded.change(),
                    serde_json::json!({ "answers": answers, "score": graded.score, "total": graded.total }),
                ));
            }
        }
    }
    if let Some(read) = read {
        // Room for the read lessons first, then whichever of them the walk did not open.
        plan.truncate(EVENTS_PER_LEARNER - read.len());
        for id in read {
            if !plan.iter().any(|(l, c, _)| l == id && *c == Change::Opened) {
                plan.push(opened(id));
            }
        }
    }
    plan.truncate(EVENTS_PER_LEARNER);
    while plan.len() < EVENTS_PER_LEARNER {
        let lesson = &lessons[rng.below(depth)];
        plan.push(opened(&lesson.id));
    }
    plan.truncate(EVENTS_PER_LEARNER);
    plan
}

/// `startup [--cpu N] RUNS BIN DATA_DIR PORT LESSON_PATH COOKIE`.
fn startup(args: &[String]) -> Result<(), String> {
    let (cpu, args) = match args {
        [flag, cpu, rest @ ..] if flag == "--cpu" => (Some(cpu.clone()), rest),
        rest => (None, rest),
    };
    let [runs, bin, data_dir, port, lesson, cookie] = args else {
        return Err("startup [--cpu N] RUNS BIN DATA_DIR PORT LESSON_PATH COOKIE".into());
    };
    let runs: usize = runs.parse().map_err(|_| "RUNS: a number")?;
    let addr = format!("127.0.0.1:{port}");
    if TcpStream::connect(&addr).is_ok() {
        return Err(format!("something already listens on {addr}"));
    }
    let (mut to_health, mut to_lesson) = (Vec::new(), Vec::new());
    for run in 1..=runs {
        let mut command = match &cpu {
            Some(cpu) => {
                let mut c = Command::new("taskset");
                c.args(["-c", cpu, bin]);
                c
            }
            None => Command::new(bin),
        };
        command
            .args([
                "serve",
                "--bind",
                &addr,
                "--data-dir",
                data_dir,
                "--mdns",
                "off",
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let started = Instant::now();
        let mut child = command.spawn().map_err(|e| format!("{bin}: {e}"))?;
        let health = wait_for_200(&addr, "/api/v1/health", None, started, &mut child);
        let page = health
            .as_ref()
            .ok()
            .map(|_| wait_for_200(&addr, lesson, Some(cookie), started, &mut child));
        // SIGTERM, as systemd stops it; then wait until the port is free for the next run.
        let _ = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status();
        let _ = child.wait();
        while TcpStream::connect(&addr).is_ok() {
            std::thread::sleep(Duration::from_millis(5));
        }
        let health = health?;
        let page = page.expect("asked after health")?;
        println!(
            "start-up run {run}: first 200 on /api/v1/health after {:.1} ms, on {lesson} after {:.1} ms",
            ms(health),
            ms(page)
        );
        to_health.push(health);
        to_lesson.push(page);
    }
    to_health.sort();
    to_lesson.sort();
    println!(
        "STARTUP health_ms={:.1} lesson_ms={:.1}",
        ms(to_health[runs / 2]),
        ms(to_lesson[runs / 2])
    );
    Ok(())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Asks for `path` every millisecond until it answers 200; the time since `started`. Gives up
/// after 30 s, or when the box exits.
fn wait_for_200(
    addr: &str,
    path: &str,
    cookie: Option<&str>,
    started: Instant,
    child: &mut std::process::Child,
) -> Result<Duration, String> {
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nAccept-Encoding: gzip\r\n{}Connection: close\r\n\r\n",
        cookie
            .map(|c| format!("Cookie: {c}\r\n"))
            .unwrap_or_default()
    );
    loop {
        if let Ok(mut stream) = TcpStream::connect(addr) {
            let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
            let mut head = [0u8; 12];
            if stream.write_all(request.as_bytes()).is_ok()
                && stream.read_exact(&mut head).is_ok()
                && &head[9..12] == b"200"
            {
                let at = started.elapsed();
                // Read the whole answer, so the page really was made.
                let _ = stream.read_to_end(&mut Vec::new());
                return Ok(at);
            }
        }
        if let Ok(Some(status)) = child.try_wait() {
            return Err(format!(
                "the box exited ({status}) before {path} answered 200"
            ));
        }
        if started.elapsed() > Duration::from_secs(30) {
            return Err(format!("{path} did not answer 200 within 30 s"));
        }
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// What the held connections met, counted across all of them.
#[derive(Default)]
struct Held {
    /// Connections the box closed (each then opened again).
    closed: std::sync::atomic::AtomicUsize,
    /// New connections the box answered 503 (busy).
    busy: std::sync::atomic::AtomicUsize,
    /// Connections that could not be opened at all.
    failed: std::sync::atomic::AtomicUsize,
}

fn hold(args: &[String]) -> Result<(), String> {
    let [addr, idle, slow, seconds] = args else {
        return Err("hold ADDR IDLE SLOW SECONDS".into());
    };
    let number = |s: &str, what: &str| s.parse::<usize>().map_err(|_| format!("{what}: a number"));
    let (idle, slow) = (number(idle, "IDLE")?, number(slow, "SLOW")?);
    let until = Instant::now() + Duration::from_secs(number(seconds, "SECONDS")? as u64);
    // One file a connection, and then some.
    rlimit::increase_nofile_limit((idle + slow + 64) as u64)
        .map_err(|e| format!("cannot raise the open-files limit: {e}"))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let held = std::sync::Arc::new(Held::default());
    runtime.block_on(async {
        let (opened, mut all_open) = tokio::sync::mpsc::channel::<()>(idle + slow);
        let mut tasks = Vec::new();
        for n in 0..idle + slow {
            let (addr, held, opened) = (addr.clone(), held.clone(), opened.clone());
            tasks.push(tokio::spawn(keep_one(addr, n >= idle, held, opened, until)));
        }
        drop(opened);
        let mut count = 0;
        while all_open.recv().await.is_some() {
            count += 1;
            if count == idle + slow {
                println!("HELD {count}");
            }
        }
        for task in tasks {
            let _ = task.await;
        }
    });
    use std::sync::atomic::Ordering::Relaxed;
    println!(
        "HOLD idle={idle} slow={slow} closed_by_box={} busy={} failed={}",
        held.closed.load(Relaxed),
        held.busy.load(Relaxed),
        held.failed.load(Relaxed)
    );
    Ok(())
}

/// Keeps one connection open until `until`: silent, or slowloris when `slow`. Tells
/// `opened` once the first is open.
async fn keep_one(
    addr: String,
    slow: bool,
    held: std::sync::Arc<Held>,
    opened: tokio::sync::mpsc::Sender<()>,
    until: Instant,
) {
    use std::sync::atomic::Ordering::Relaxed;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut opened = Some(opened);
    let mut buffer = [0u8; 512];
    while Instant::now() < until {
        let Ok(mut stream) = tokio::net::TcpStream::connect(&addr).await else {
            held.failed.fetch_add(1, Relaxed);
            tokio::time::sleep(Duration::from_millis(100)).await;
            continue;
        };
        if let Some(opened) = opened.take() {
            let _ = opened.send(()).await;
        }
        if slow {
            let _ = stream
                .write_all(b"GET / HTTP/1.1\r\nHost: hocso.lan\r\nX-Slow: ")
                .await;
        }
        // Until the box closes it (or answers it busy), or the time is up.
        loop {
            let left = until.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return;
            }
            let wait = left.min(Duration::from_secs(1));
            match tokio::time::timeout(wait, stream.read(&mut buffer)).await {
                Err(_) => {
                    if slow && stream.write_all(b"a").await.is_err() {
                        held.closed.fetch_add(1, Relaxed);
                        break;
                    }
                }
                Ok(Ok(0)) | Ok(Err(_)) => {
                    held.closed.fetch_add(1, Relaxed);
                    break;
                }
                Ok(Ok(n)) => {
                    if buffer[..n].starts_with(b"HTTP/1.1 503") {
                        held.busy.fetch_add(1, Relaxed);
                        tokio::time::sleep(Duration::from_millis(100)).await;
                        break;
                    }
                }
            }
        }
    }
}
