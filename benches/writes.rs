//! Durable event writes through the real HTTP API: acknowledged writes a second and the
//! p50/p99 latency of each, with 1, 50 and 200 phones writing at once. Every write is one
//! `POST /api/v1/events` with one event, answered only after its commit (group commit lets
//! concurrent writers share one). Client and box share this machine's cores.
//!
//! `cargo bench --bench writes` (add `-- 5` for 5 seconds a level; default 3).

mod support;

use std::time::{Duration, Instant};

use serde_json::json;

const LEVELS: [usize; 3] = [1, 50, 200];

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let seconds: u64 = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(3);
    let bench = support::start(256).await;
    let (base, client) = (&bench.base, &bench.client);

    println!("durable event writes (WAL, synchronous=FULL), {seconds} s a level");
    println!(
        "{:>8} {:>10} {:>12} {:>10} {:>10}",
        "writers", "writes", "writes/s", "p50 ms", "p99 ms"
    );
    for writers in LEVELS {
        let cookies = bench.join(writers).await;
        let deadline = Instant::now() + Duration::from_secs(seconds);
        let started = Instant::now();
        let tasks: Vec<_> = cookies
            .into_iter()
            .map(|cookie| {
                let (client, base) = (client.clone(), base.clone());
                tokio::spawn(async move {
                    let mut latencies = Vec::new();
                    while Instant::now() < deadline {
                        let event = json!({ "events": [{
                            "id": uuid::Uuid::now_v7().to_string(),
                            "kind": "lesson_opened",
                            "lesson": "dien-thoai/bat-dau",
                        }]});
                        let sent = Instant::now();
                        let reply: serde_json::Value = client
                            .post(format!("{base}/api/v1/events"))
                            .header("cookie", &cookie)
                            .json(&event)
                            .send()
                            .await
                            .unwrap()
                            .json()
                            .await
                            .unwrap();
                        assert_eq!(reply["results"][0]["status"], "stored");
                        latencies.push(sent.elapsed());
                    }
                    latencies
                })
            })
            .collect();
        let mut latencies = Vec::new();
        for task in tasks {
            latencies.extend(task.await.unwrap());
        }
        let elapsed = started.elapsed().as_secs_f64();
        latencies.sort();
        let at =
            |q: f64| latencies[((latencies.len() as f64 * q) as usize).min(latencies.len() - 1)];
        println!(
            "{:>8} {:>10} {:>12.0} {:>10.2} {:>10.2}",
            writers,
            latencies.len(),
            latencies.len() as f64 / elapsed,
            at(0.50).as_secs_f64() * 1e3,
            at(0.99).as_secs_f64() * 1e3,
        );
    }
}
