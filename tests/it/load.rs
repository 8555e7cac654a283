//! Many phones at once, and a box that loses power: every acknowledged write is kept,
//! exactly once.

use std::collections::{HashMap, HashSet};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use reqwest::{Client, StatusCode, redirect};
use serde_json::{Value, json};

use crate::support::{TestBox, wait_until_serving};

const LESSONS: [&str; 3] = [
    "dien-thoai/bat-dau",
    "dien-thoai/man-hinh-cam-ung",
    "dien-thoai/cai-dat-co-ban",
];

/// A batch as a phone makes it: open, finish and answer a lesson, with fresh ids.
fn batch(round: usize) -> Vec<Value> {
    let lesson = LESSONS[round % LESSONS.len()];
    let ids: Vec<String> = (0..3).map(|_| uuid::Uuid::now_v7().to_string()).collect();
    vec![
        json!({ "id": ids[0], "kind": "lesson_opened", "lesson": lesson }),
        json!({ "id": ids[1], "kind": "lesson_finished", "lesson": lesson }),
        json!({ "id": ids[2], "kind": "quiz_submitted", "lesson": lesson,
                "payload": { "answers": [round % 3, (round + 1) % 3, 0] } }),
    ]
}

/// Joins through the API; the session cookie (`hocso_session=…`) to send after.
async fn join(client: &Client, base: &str, name: &str, village: &str) -> String {
    let joined = client
        .post(format!("{base}/api/v1/learners"))
        .json(&json!({ "display_name": name, "village": village }))
        .send()
        .await
        .unwrap();
    assert_eq!(joined.status(), StatusCode::CREATED);
    let set_cookie = joined.headers()["set-cookie"].to_str().unwrap();
    set_cookie.split(';').next().unwrap().to_string()
}

/// The ids the box acknowledged (stored now or held already) in a reply to `/events`.
fn acknowledged(reply: &Value) -> Vec<String> {
    reply["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["status"] == "stored" || r["status"] == "already_held")
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_phones_at_once_each_write_kept_exactly_once() {
    let tb = TestBox::start().await;
    let mut tasks = Vec::new();
    for n in 0..200 {
        let tb_base = tb.base.clone();
        tasks.push(tokio::spawn(async move {
            let client = crate::support::http()
                .redirect(redirect::Policy::none())
                .build()
                .unwrap();
            let cookie = join(&client, &tb_base, &format!("Người học {n}"), "Buôn Đôn").await;
            let mut acked = Vec::new();
            let mut quizzes: HashMap<&str, HashSet<String>> = HashMap::new();
            for round in 0..3 {
                let events = batch(round + n);
                // Every batch is sent twice, as a phone does when the first reply is lost.
                for _ in 0..2 {
                    let reply: Value = client
                        .post(format!("{tb_base}/api/v1/events"))
                        .header("cookie", &cookie)
                        .json(&json!({ "events": events }))
                        .send()
                        .await
                        .unwrap()
                        .json()
                        .await
                        .unwrap();
                    acked.extend(acknowledged(&reply));
                }
                let lesson = LESSONS[(round + n) % LESSONS.len()];
                quizzes
                    .entry(lesson)
                    .or_default()
                    .insert(events[2]["id"].as_str().unwrap().into());
            }
            let me: Value = client
                .get(format!("{tb_base}/api/v1/me"))
                .header("cookie", &cookie)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            for lesson in me["lessons"].as_array().unwrap() {
                let sent = quizzes
                    .get(lesson["id"].as_str().unwrap())
                    .map_or(0, HashSet::len);
                let attempts = lesson["quiz"]["attempts"].as_u64().unwrap_or(0) as usize;
                assert_eq!(attempts, sent, "each attempt counted once");
            }
            acked
        }));
    }
    let mut acked = Vec::new();
    for task in tasks {
        acked.extend(task.await.unwrap());
    }
    let unique: HashSet<String> = acked.iter().cloned().collect();
    assert_eq!(acked.len(), 200 * 3 * 3 * 2, "every write was acknowledged");
    assert_eq!(unique.len(), 200 * 3 * 3);
    let held = tb.store().event_ids().await.unwrap();
    let held_set: HashSet<&String> = held.iter().collect();
    assert_eq!(held.len(), held_set.len(), "no id twice");
    assert!(
        unique.iter().all(|id| held_set.contains(id)),
        "an acknowledged event is missing"
    );
    assert_eq!(
        held.len(),
        unique.len() + 2 * 200,
        "the events sent, plus one join and its consent each"
    );
}

/// A `hocso serve` process on a free loopback port.
fn spawn_box(data_dir: &std::path::Path) -> (Child, String) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(env!("CARGO_BIN_EXE_hocso"))
        .args([
            "serve",
            "--bind",
            &format!("127.0.0.1:{port}"),
            "--mdns",
            "off",
            "--data-dir",
        ])
        .arg(data_dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("hocso starts");
    (child, format!("http://127.0.0.1:{port}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_in_the_middle_of_writes_the_box_keeps_every_acknowledged_event() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("data");
    let client = crate::support::http()
        .redirect(redirect::Policy::none())
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let (mut child, base) = spawn_box(&data_dir);
    wait_until_serving(&client, &base).await;

    let (acked_tx, mut acked_rx) = tokio::sync::mpsc::unbounded_channel::<Vec<String>>();
    let mut writers = Vec::new();
    for n in 0..20 {
        let (client, base, acked_tx) = (client.clone(), base.clone(), acked_tx.clone());
        writers.push(tokio::spawn(async move {
            let cookie = join(&client, &base, &format!("Người {n}"), "Thôn 5").await;
            for round in 0.. {
                let sent = client
                    .post(format!("{base}/api/v1/events"))
                    .header("cookie", &cookie)
                    .json(&json!({ "events": batch(round) }))
                    .send()
                    .await;
                let Ok(response) = sent else { return };
                let Ok(reply) = response.json::<Value>().await else {
                    return;
                };
                let _ = acked_tx.send(acknowledged(&reply));
            }
        }));
    }
    drop(acked_tx);
    // Let the load run until a good number of writes are acknowledged, then pull the plug.
    let mut acked: Vec<String> = Vec::new();
    while acked.len() < 600 {
        acked.extend(acked_rx.recv().await.expect("writers are writing"));
    }
    child.kill().expect("SIGKILL"); // std's kill is SIGKILL on Unix
    child.wait().unwrap();
    for writer in writers {
        writer.await.unwrap();
    }
    while let Ok(more) = acked_rx.try_recv() {
        acked.extend(more);
    }

    let (mut child, base) = spawn_box(&data_dir);
    wait_until_serving(&client, &base).await;
    let store = hocso::store::Store::open(&data_dir).unwrap();
    assert_eq!(store.integrity_check().await.unwrap(), "ok");
    let held: HashSet<String> = store.event_ids().await.unwrap().into_iter().collect();
    let missing = acked.iter().filter(|id| !held.contains(*id)).count();
    assert_eq!(
        missing,
        0,
        "{missing} of {} acknowledged events lost",
        acked.len()
    );
    // The restarted box serves and takes new writes.
    join(&client, &base, "Sau khi mất điện", "Thôn 5").await;
    child.kill().unwrap();
    child.wait().unwrap();
}
