//! Live group lessons: how many phones one session's server-sent event streams hold, and how
//! long a slide change takes to reach every one of them (fan-out latency: from the moment the
//! facilitator's "next" is sent to the moment each phone's stream says so), at 50, 200, 500
//! and 2,000 phones. Phones and box share this machine's cores and one process.
//!
//! `cargo bench --bench live` (add `-- 20` for 20 slide changes a level; default 10).

mod support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::Mutex;

/// When each version reached one phone's stream.
type Arrivals = Arc<Mutex<Vec<(u64, Instant)>>>;

const LEVELS: [usize; 4] = [50, 200, 500, 2000];
const LESSON: &str = "dien-thoai/bat-dau";

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let changes: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(10);
    let bench = support::start(4096).await;
    let (base, client) = (&bench.base, &bench.client);

    // A facilitator, signed in through the store the box uses; any well-formed CSRF token
    // works when the cookie and the field agree.
    let store = hocso::store::Store::open(&bench.data_dir).unwrap();
    let new =
        hocso::facilitate::new_facilitator("Bench", "bench-password", "bench-password").unwrap();
    let facilitator = store.add_facilitator(new).await.unwrap().unwrap();
    let token = hocso::token::new();
    store
        .start_facilitator_session(hocso::token::hash(&token).unwrap(), &facilitator.id)
        .await
        .unwrap();
    let csrf = hocso::token::new();
    let f_cookie = format!("hocso_f={token}; hocso_csrf={csrf}");

    let most = *LEVELS.iter().max().unwrap();
    let phones = bench.join(most).await;
    let steps = {
        let (catalogue, _) =
            hocso::content::load(&hocso::content::LessonTree::embedded(), &|n| n.to_string());
        let version = catalogue
            .lesson(LESSON)
            .unwrap()
            .versions
            .get(hocso::content::Lang::Vi)
            .clone();
        version.slides.len() + version.quiz.len()
    };

    println!(
        "live lesson fan-out: {changes} slide changes a level, every phone on its own SSE stream"
    );
    println!(
        "{:>7} {:>9} {:>10} {:>10} {:>10} {:>12}",
        "phones", "all saw", "p50 ms", "p99 ms", "max ms", "RSS MB"
    );
    for level in LEVELS {
        let started = client
            .post(format!("{base}/f/live"))
            .header("cookie", &f_cookie)
            .form(&[("csrf", csrf.as_str()), ("group", ""), ("lesson", LESSON)])
            .send()
            .await
            .unwrap();
        let id = started.headers()["location"]
            .to_str()
            .unwrap()
            .trim_start_matches("/f/live/")
            .to_string();
        let code = store.live_session(&id).await.unwrap().unwrap().code;
        for phone in &phones[..level] {
            let joined = client
                .post(format!("{base}/live"))
                .header("cookie", phone)
                .form(&[("code", code.as_str())])
                .send()
                .await
                .unwrap();
            assert_eq!(joined.status(), 303, "join");
        }
        // Each phone's stream: when each version arrived.
        let arrivals: Vec<Arrivals> = (0..level)
            .map(|_| Arc::new(Mutex::new(Vec::new())))
            .collect();
        let mut streams = Vec::with_capacity(level);
        for (phone, arrivals) in phones[..level].iter().zip(&arrivals) {
            let (client, url, phone, arrivals) = (
                client.clone(),
                format!("{base}/live/{id}/events"),
                phone.clone(),
                arrivals.clone(),
            );
            streams.push(tokio::spawn(async move {
                let mut response = client
                    .get(url)
                    .header("cookie", phone)
                    .send()
                    .await
                    .unwrap();
                let mut buffer = String::new();
                while let Ok(Some(chunk)) = response.chunk().await {
                    let at = Instant::now();
                    buffer.push_str(&String::from_utf8_lossy(&chunk));
                    while let Some(end) = buffer.find("\n\n") {
                        let message: String = buffer.drain(..end + 2).collect();
                        if let Some(data) = message.lines().find_map(|l| l.strip_prefix("data: ")) {
                            let v: serde_json::Value = serde_json::from_str(data).unwrap();
                            arrivals.lock().await.push((v["v"].as_u64().unwrap(), at));
                        }
                    }
                }
            }));
        }
        wait_for(&arrivals, 0).await;
        let rss = rss_mb();
        let mut latencies = Vec::with_capacity(level * changes);
        let mut saw_all = true;
        let (mut at, mut forward) = (0usize, true);
        for change in 1..=changes as u64 {
            let to = if forward { at + 1 } else { at - 1 };
            forward = if to + 1 == steps {
                false
            } else {
                to == 0 || forward
            };
            let sent = Instant::now();
            client
                .post(format!("{base}/f/live/{id}/go"))
                .header("cookie", &f_cookie)
                .form(&[
                    ("csrf", csrf.as_str()),
                    ("from", &at.to_string()),
                    ("to", &to.to_string()),
                ])
                .send()
                .await
                .unwrap();
            at = to;
            saw_all &= wait_for(&arrivals, change).await;
            for arrivals in &arrivals {
                if let Some((_, when)) = arrivals.lock().await.iter().find(|(v, _)| *v >= change) {
                    latencies.push(when.duration_since(sent));
                }
            }
        }
        latencies.sort();
        let pick =
            |q: f64| latencies[((latencies.len() as f64 * q) as usize).min(latencies.len() - 1)];
        println!(
            "{:>7} {:>9} {:>10.2} {:>10.2} {:>10.2} {:>12.1}",
            level,
            if saw_all { "yes" } else { "NO" },
            pick(0.50).as_secs_f64() * 1000.0,
            pick(0.99).as_secs_f64() * 1000.0,
            latencies.last().unwrap().as_secs_f64() * 1000.0,
            rss,
        );
        for stream in streams {
            stream.abort();
        }
        client
            .post(format!("{base}/f/live/{id}/end"))
            .header("cookie", &f_cookie)
            .form(&[("csrf", csrf.as_str())])
            .send()
            .await
            .unwrap();
    }
    println!("RSS is the whole process: the box and every phone's client together.");
}

/// Waits (at most 30 s) until every stream has seen version `v`; whether all did.
async fn wait_for(arrivals: &[Arrivals], v: u64) -> bool {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let mut behind = 0;
        for a in arrivals {
            if !a.lock().await.iter().any(|(seen, _)| *seen >= v) {
                behind += 1;
            }
        }
        if behind == 0 {
            return true;
        }
        if Instant::now() > deadline {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
}

/// This process's resident memory, in MB (Linux).
fn rss_mb() -> f64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: f64 = statm
        .split(' ')
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(0.0);
    pages * 4096.0 / 1_048_576.0
}
