//! Prints what sync costs: bytes on the wire per event (counted by a forwarding proxy, HTTP
//! included), the time to sync 100,000 events from a box to a hub on loopback, and what a day
//! of a 300-learner commune takes over a 100 kbit/s link. Run: `cargo bench --bench sync`.

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use hocso::Role;
use hocso::store::{Change, NewEvent, NewLearner, Store};
use hocso::sync::client;
use serde_json::json;

const EVENTS: usize = 100_000;
const LEARNERS: usize = 300;
/// A busy day in a commune: each of 300 learners opens and finishes three lessons and takes
/// two quizzes (about 8 events), and 300 profiles travel with them.
const DAY_EVENTS: usize = LEARNERS * 8;
const LINK_BITS_PER_SECOND: f64 = 100_000.0;

/// Forwards connections to `target`, counting the bytes both ways.
async fn counting_proxy(target: std::net::SocketAddr, bytes: Arc<AtomicU64>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((inbound, _)) = listener.accept().await {
            let bytes = bytes.clone();
            tokio::spawn(async move {
                let Ok(outbound) = tokio::net::TcpStream::connect(target).await else {
                    return;
                };
                let (client_read, client_write) = inbound.into_split();
                let (hub_read, hub_write) = outbound.into_split();
                tokio::join!(
                    pipe(client_read, hub_write, bytes.clone()),
                    pipe(hub_read, client_write, bytes)
                );
            });
        }
    });
    format!("http://{addr}")
}

/// Copies `from` to `to`, adding every byte to `bytes` as it passes.
async fn pipe(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    bytes: Arc<AtomicU64>,
) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut buffer = vec![0u8; 64 * 1024];
    while let Ok(n) = from.read(&mut buffer).await {
        if n == 0 || to.write_all(&buffer[..n]).await.is_err() {
            break;
        }
        bytes.fetch_add(n as u64, Ordering::Relaxed);
    }
    let _ = to.shutdown().await;
}

/// `count` events by `LEARNERS` learners, in the mix a commune makes.
async fn record(store: &Store, count: usize) {
    let mut learners = Vec::new();
    for n in 0..LEARNERS {
        let new = NewLearner {
            display_name: format!("Người học {n}"),
            village: format!("Buôn {}", n % 7),
            birth_year: Some(1950 + (n % 60) as i32),
            gender: Some(["nu", "nam"][n % 2].into()),
            ethnic_group: Some(["Ê Đê", "Kinh", "M'Nông"][n % 3].into()),
            secret: None,
            consent: None,
        };
        learners.push(store.create_learner(new, None).await.unwrap().id);
    }
    let mut events = Vec::with_capacity(count);
    for i in 0..count.saturating_sub(LEARNERS) {
        let (change, payload) = match i % 4 {
            0 => (Change::Opened, json!({})),
            1 => (Change::Finished, json!({})),
            2 => (
                Change::Quiz {
                    score: 2,
                    total: 3,
                    passed: true,
                },
                json!({"answers": [0, 2, 1], "score": 2, "total": 3}),
            ),
            _ => (Change::Opened, json!({})),
        };
        events.push(NewEvent {
            id: uuid::Uuid::now_v7(),
            learner_id: learners[i % LEARNERS].clone(),
            lesson_id: Some(format!("lua-dao/bai-{}", i % 30)),
            at: "2026-11-25T08:00:00.123456Z".into(),
            payload,
            change,
        });
    }
    for chunk in events.chunks(1000) {
        store.record_events(chunk.to_vec()).await.unwrap();
    }
}

#[tokio::main]
async fn main() {
    let hub = support::start_as(Role::Hub, 4).await;
    let tb = support::start_as(Role::Box, 4).await;
    let hub_store = Store::open_on(&hub.data_dir, None).unwrap();
    let store = Store::open(&tb.data_dir).unwrap();
    let code = hub_store.hub().new_code("Xã Bench", "").await.unwrap();
    client::enroll(&store, &hub.base, &code, None)
        .await
        .unwrap();

    let started = Instant::now();
    record(&store, EVENTS).await;
    let held = store.event_count().await.unwrap().last_seq;
    println!(
        "recorded {held} events by {LEARNERS} learners in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let bytes = Arc::new(AtomicU64::new(0));
    let target = hub.base.trim_start_matches("http://").parse().unwrap();
    let through = counting_proxy(target, bytes.clone()).await;
    let started = Instant::now();
    let outcome = client::sync(&store, Some(&through), &|_| {}).await.unwrap();
    let took = started.elapsed();
    let wire = bytes.load(Ordering::Relaxed) as f64;
    let per_event = wire / outcome.confirmed as f64;
    println!(
        "synced {} events in {:.1} s ({:.0} events/s) over loopback",
        outcome.confirmed,
        took.as_secs_f64(),
        outcome.confirmed as f64 / took.as_secs_f64()
    );
    println!(
        "bytes on the wire: {:.0} KB in all, {per_event:.1} bytes/event (HTTP, signatures and profiles included)",
        wire / 1024.0
    );
    let (file, in_file) = {
        store.set_confirmed(store.box_id(), 0).await.unwrap();
        client::export(&store).await.unwrap()
    };
    println!(
        "a USB file of all {in_file} events: {:.0} KB ({:.1} bytes/event)",
        file.len() as f64 / 1024.0,
        file.len() as f64 / in_file as f64
    );
    let day_seconds = DAY_EVENTS as f64 * per_event * 8.0 / LINK_BITS_PER_SECOND;
    println!(
        "a day of a {LEARNERS}-learner commune (~{DAY_EVENTS} events) over a 100 kbit/s link: {day_seconds:.0} s"
    );
    let stored = hub_store
        .hub()
        .boxes(&hocso::store::Scope::All)
        .await
        .unwrap()[0]
        .events;
    assert_eq!(stored, held, "the hub holds every event");
}
