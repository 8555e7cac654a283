//! Điểm cầu over weak links: real boxes (each a `hocso` box server in this process, as on a
//! commune's board) follow a live lesson a hub leads, each box's link to the hub through the
//! tests' fault-injecting proxy (`tests/it/proxy.rs`) with latency added to every piece each
//! way and connections cut at random, as a weak mobile link does. For each officer's "Tiếp"
//! (a POST to the presenter's `/hub/live/{id}/go`), the time until each hall's own session
//! (`GET /api/v1/live` on the box: what its projector and phones follow) stands on the new
//! step: the last hall's time for each change, and p50/max over changes; then the link drops
//! for ten seconds while the province moves on, and the time from its return until every hall
//! has caught up. Printed, never asserted.
//!
//! `cargo bench --bench halls`; `HOCSO_BENCH_REAL_HALLS=8` (default) sets how many boxes.

mod support;

#[path = "../tests/it/proxy.rs"]
#[allow(dead_code)]
mod proxy;

use std::time::{Duration, Instant};

use proxy::{Faults, Proxy};

const LESSON: &str = "dien-thoai/bat-dau";
const CHANGES: usize = 8;

/// A link as the bench sets it: added latency each way, and the share of connections cut.
struct Link {
    name: &'static str,
    delay: Duration,
    cut: f64,
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let halls: usize = std::env::var("HOCSO_BENCH_REAL_HALLS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(8);
    let links = [
        Link {
            name: "loopback",
            delay: Duration::ZERO,
            cut: 0.0,
        },
        Link {
            name: "500 ms each way",
            delay: Duration::from_millis(500),
            cut: 0.0,
        },
        Link {
            name: "500 ms, 30% of connections cut",
            delay: Duration::from_millis(500),
            cut: 0.3,
        },
    ];
    println!(
        "Điểm cầu over weak links: {halls} real boxes follow a hub's live lesson, {CHANGES} steps a link"
    );
    println!(
        "{:<32} {:>10} {:>10} {:>10} {:>8} {:>10}   last hall each change (ms)",
        "link", "p50 ms", "p99 ms", "max ms", "cuts", "back in s"
    );
    for (n, link) in links.iter().enumerate() {
        run(halls, link, n as u64 + 1).await;
    }
}

async fn run(halls: usize, link: &Link, seed: u64) {
    let hub = support::start_as(hocso::Role::Hub, 64).await;
    let hub_addr: std::net::SocketAddr = hub.base.trim_start_matches("http://").parse().unwrap();
    let records = hocso::store::Store::open(&hub.data_dir).unwrap();
    // The officer, signed in through the hub's store; any well-formed CSRF token works when
    // the cookie and the field agree.
    let new =
        hocso::facilitate::new_facilitator("Cán bộ", "bench-password", "bench-password").unwrap();
    let officer = records.add_facilitator(new).await.unwrap().unwrap();
    let token = hocso::token::new();
    records
        .start_facilitator_session(hocso::token::hash(&token).unwrap(), &officer.id)
        .await
        .unwrap();
    let csrf = hocso::token::new();
    let cookie = format!("hocso_f={token}; hocso_csrf={csrf}");

    let faults = Faults {
        cut: link.cut,
        cut_within: 3_000,
        delay: link.delay,
        ..Faults::default()
    };
    // The boxes enrol over the slow link before it starts cutting.
    let proxy = Proxy::start(hub_addr, Faults { cut: 0.0, ..faults }, seed).await;
    let mut boxes = Vec::new();
    for i in 0..halls {
        let tb = support::start(8).await;
        let store = hocso::store::Store::open(&tb.data_dir).unwrap();
        let code = records
            .hub()
            .new_code(&format!("Xã Số {i}"), "")
            .await
            .unwrap();
        hocso::sync::client::enroll(&store, &format!("http://{}", proxy.addr), &code, None)
            .await
            .expect("enrolled through the proxy");
        boxes.push(tb);
    }
    proxy.set_faults(faults);
    let started = hub
        .client
        .post(format!("{}/hub/live", hub.base))
        .header("cookie", &cookie)
        .form(&[
            ("csrf", csrf.as_str()),
            ("lesson", LESSON),
            ("which", "all"),
        ])
        .send()
        .await
        .unwrap();
    let id = started.headers()["location"]
        .to_str()
        .unwrap()
        .trim_start_matches("/hub/live/")
        .to_string();
    for tb in &boxes {
        at_step(tb, 0, Duration::from_secs(120)).await;
    }
    let mut last_hall = Vec::new();
    let mut every = Vec::new();
    for from in 0..CHANGES {
        let sent = Instant::now();
        let moved = hub
            .client
            .post(format!("{}/hub/live/{id}/go", hub.base))
            .header("cookie", &cookie)
            .form(&[
                ("csrf", csrf.as_str()),
                ("from", &from.to_string()),
                ("to", &(from + 1).to_string()),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(moved.status(), 303, "the officer's press");
        let arrivals = arrivals_at(&boxes, from + 1).await;
        let times: Vec<f64> = arrivals
            .iter()
            .map(|at| at.duration_since(sent).as_secs_f64() * 1000.0)
            .collect();
        last_hall.push(times.iter().copied().fold(0.0, f64::max));
        every.extend(times);
    }
    // The link drops for ten seconds (every connection cut, none let through) while the
    // province moves on twice; then it returns: how long until every hall has caught up.
    proxy.set_faults(Faults {
        cut: 1.0,
        cut_within: 0,
        ..faults
    });
    proxy.sever();
    for from in CHANGES..CHANGES + 2 {
        let moved = hub
            .client
            .post(format!("{}/hub/live/{id}/go", hub.base))
            .header("cookie", &cookie)
            .form(&[
                ("csrf", csrf.as_str()),
                ("from", &from.to_string()),
                ("to", &(from + 1).to_string()),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(moved.status(), 303, "the officer's press");
    }
    tokio::time::sleep(Duration::from_secs(10)).await;
    let back = Instant::now();
    proxy.set_faults(faults);
    let caught_up = arrivals_at(&boxes, CHANGES + 2)
        .await
        .iter()
        .map(|at| at.duration_since(back).as_secs_f64())
        .fold(0.0, f64::max);
    every.sort_by(f64::total_cmp);
    let mut sorted = last_hall.clone();
    sorted.sort_by(f64::total_cmp);
    let pick = |v: &[f64], q: f64| v[((v.len() - 1) as f64 * q).round() as usize];
    println!(
        "{:<32} {:>10.0} {:>10.0} {:>10.0} {:>8} {:>10.1}   {}",
        link.name,
        pick(&every, 0.5),
        pick(&every, 0.99),
        pick(&sorted, 1.0),
        proxy.cuts(),
        caught_up,
        last_hall
            .iter()
            .map(|t| format!("{t:.0}"))
            .collect::<Vec<_>>()
            .join(" ")
    );
}

/// When each box's hall reached `step` (looked at every 10 ms).
async fn arrivals_at(boxes: &[support::Bench], step: usize) -> Vec<Instant> {
    let mut waits = Vec::new();
    for tb in boxes {
        let (client, base) = (tb.client.clone(), tb.base.clone());
        waits.push(tokio::spawn(async move {
            let deadline = Instant::now() + Duration::from_secs(120);
            loop {
                if step_of(&client, &base).await == Some(step) {
                    return Instant::now();
                }
                assert!(
                    Instant::now() < deadline,
                    "a hall never reached step {step}"
                );
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        }));
    }
    let mut arrivals = Vec::new();
    for wait in waits {
        arrivals.push(wait.await.unwrap());
    }
    arrivals
}

async fn step_of(client: &reqwest::Client, base: &str) -> Option<usize> {
    let now: serde_json::Value = client
        .get(format!("{base}/api/v1/live"))
        .send()
        .await
        .ok()?
        .json()
        .await
        .ok()?;
    (now["source"] == "province").then(|| now["step"].as_u64().map(|s| s as usize))?
}

async fn at_step(tb: &support::Bench, step: usize, within: Duration) {
    let deadline = Instant::now() + within;
    while step_of(&tb.client, &tb.base).await != Some(step) {
        assert!(Instant::now() < deadline, "a hall never joined the lesson");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
