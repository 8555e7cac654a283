//! Several hub processes on one PostgreSQL, behind a load balancer (the test proxy, which
//! sends each connection to the next process and may cut it): a box's batches land on
//! either, even two at once, and the database keeps each `(box_id, seq)` once with no gap;
//! a code works once across processes, an officer's session on every one, a pack published
//! is served by all. One process is `hocso hub` run as an operator runs it; the other is a
//! hub inside the test. Skipped without PostgreSQL, like every test of `postgres`.

use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};

use hocso::protocol::Keys;
use hocso::protocol::wire::Enrol;
use hocso::store::{HubStore, Store};
use hocso::sync::client;
use reqwest::StatusCode;

use crate::facilitators::set_up;
use crate::postgres::Engine;
use crate::proxy::{Faults, Proxy};
use crate::support::TestBox;
use crate::sync::{box_events, hub_ids, record, sealed};

/// `hocso hub --database …` in a process of its own, on a free loopback port; killed when
/// dropped.
struct HubProcess {
    child: Child,
    addr: SocketAddr,
    _dir: tempfile::TempDir,
}

impl HubProcess {
    async fn start(database: &str) -> HubProcess {
        let addr = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let child = Command::new(env!("CARGO_BIN_EXE_hocso"))
            .args(["hub", "--mdns", "off", "--bind", &addr.to_string()])
            .arg("--data-dir")
            .arg(dir.path())
            .env("HOCSO_DATABASE_URL", database)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("hocso hub starts");
        let hub = HubProcess {
            child,
            addr,
            _dir: dir,
        };
        let client = crate::support::http().build().unwrap();
        for _ in 0..500 {
            let health = client.get(hub.url("/api/v1/health")).send().await;
            if health.is_ok_and(|r| r.status() == StatusCode::OK) {
                return hub;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        panic!("hocso hub --database did not start");
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
}

impl Drop for HubProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Two hubs on one new database: a `hocso hub` process and one in this test.
async fn two_hubs() -> Option<(HubProcess, TestBox, String)> {
    let engine = Engine::postgres().await?;
    let database = engine.database().expect("a PostgreSQL engine");
    let inside = TestBox::start_hub_on(&engine).await;
    let outside = HubProcess::start(&database).await;
    Some((outside, inside, database))
}

fn addr_of(hub: &TestBox) -> SocketAddr {
    hub.base.trim_start_matches("http://").parse().unwrap()
}

/// A new box's database, enrolled through `url` with a code made by `records`.
async fn new_box(records: &HubStore, url: &str) -> (Store, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_on(dir.path(), Some(&uuid::Uuid::new_v4().to_string())).unwrap();
    let code = records.new_code("Xã Ea Sol", "").await.unwrap();
    client::enroll(&store, url, &code, None)
        .await
        .expect("enrolled");
    (store, dir)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hub_processes_take_a_box_through_a_cut_link_each_event_once() {
    let Some((outside, inside, _)) = two_hubs().await else {
        return;
    };
    let records = inside.records().await;
    let faults = Faults {
        cut: 0.5,
        cut_within: 60_000,
        drop_reply: 0.3,
        ..Faults::default()
    };
    let proxy = Proxy::start_among(vec![outside.addr, addr_of(&inside)], faults, 21).await;
    let through = format!("http://{}", proxy.addr);
    let (store, _dir) = new_box(&records, &inside.base).await;
    record(&store, 1_400).await;
    let mut tries = 0;
    while tries < 300 && client::sync(&store, Some(&through), &|_| {}).await.is_err() {
        tries += 1;
    }
    assert!(tries < 300, "synced within 300 tries");
    assert!(proxy.cuts() + proxy.dropped() > 0, "the link did fail");
    assert_eq!(
        hub_ids(&inside, store.box_id()).await,
        box_events(&store).await
    );
    assert_eq!(store.sync_status().await.unwrap().waiting, 0);
    // More records, straight to the other process: it resumes from what the first held.
    record(&store, 10).await;
    client::sync(&store, Some(&outside.url("")), &|_| {})
        .await
        .unwrap();
    assert_eq!(
        hub_ids(&inside, store.box_id()).await,
        box_events(&store).await
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_boxes_sync_at_once_through_both_processes() {
    let Some((outside, inside, _)) = two_hubs().await else {
        return;
    };
    let records = inside.records().await;
    let proxy =
        Proxy::start_among(vec![outside.addr, addr_of(&inside)], Faults::default(), 3).await;
    let through = format!("http://{}", proxy.addr);
    let mut boxes = Vec::new();
    for _ in 0..16 {
        let (store, dir) = new_box(&records, &through).await;
        record(&store, 300).await;
        boxes.push((store, dir));
    }
    let syncs = boxes.iter().map(|(store, _)| {
        let (store, through) = (store.clone(), through.clone());
        tokio::spawn(async move { client::sync(&store, Some(&through), &|_| {}).await })
    });
    for sync in syncs.collect::<Vec<_>>() {
        sync.await.unwrap().expect("each box syncs");
    }
    for (store, _) in &boxes {
        assert_eq!(
            hub_ids(&inside, store.box_id()).await,
            box_events(store).await
        );
    }
    let held = records.boxes(&hocso::store::Scope::All).await.unwrap();
    assert_eq!(held.len(), 16);
    assert!(held.iter().all(|b| b.events == 301), "{held:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn processes_share_one_batch_one_code_every_session_and_every_pack() {
    let Some((outside, inside, _)) = two_hubs().await else {
        return;
    };
    let records = inside.records().await;
    let http = crate::support::http().build().unwrap();
    let enrol = |code: &str, keys: &Keys| Enrol {
        box_id: uuid::Uuid::now_v7().to_string(),
        commune: "?".into(),
        public_key: keys.public_hex(),
        first_seq: 1,
        code: Some(code.into()),
        vouch: None,
    };

    // One code, two boxes at once, one on each process: exactly one is enrolled.
    let code = records.new_code("Xã Ea Sol", "").await.unwrap();
    let (a, b) = (Keys::generate(), Keys::generate());
    let (first, second) = (enrol(&code, &a), enrol(&code, &b));
    let (one, two) = tokio::join!(
        http.post(outside.url("/hub/v1/enroll")).json(&first).send(),
        http.post(inside.url("/hub/v1/enroll")).json(&second).send(),
    );
    let mut statuses = [one.unwrap().status(), two.unwrap().status()];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::FORBIDDEN]);
    let (box_id, keys) = match records.box_key(&first.box_id).await.unwrap() {
        Some(_) => (first.box_id, a),
        None => (second.box_id, b),
    };

    // The same batch sent to both at the same moment, again and again: held once.
    let batch = sealed(&box_id, &keys, 1..=200);
    for _ in 0..5 {
        let (one, two) = tokio::join!(
            http.post(outside.url("/hub/v1/push"))
                .body(batch.clone())
                .send(),
            http.post(inside.url("/hub/v1/push"))
                .body(batch.clone())
                .send(),
        );
        assert_eq!(one.unwrap().status(), StatusCode::OK);
        assert_eq!(two.unwrap().status(), StatusCode::OK);
    }
    let held = records.event_ids(&box_id).await.unwrap();
    assert_eq!(held.len(), 200);
    assert_eq!(records.held(&box_id).await.unwrap(), Some(200));

    // An officer set up on one process is signed in on the other.
    let officer = set_up(&inside).await;
    let session = format!("hocso_f={}", officer.others["hocso_f"]);
    let dashboard = http
        .get(outside.url("/hub"))
        .header("cookie", &session)
        .send()
        .await
        .unwrap();
    assert_eq!(dashboard.status(), StatusCode::OK);
    assert!(dashboard.text().await.unwrap().contains("Lê Thị Hoa"));

    // Both processes sign as one hub, and serve what either published.
    hocso::hub::publish(&records, "tin-moi", crate::sync::new_lessons("Lừa đảo mới"))
        .await
        .unwrap();
    for base in [outside.url(""), inside.base.clone()] {
        let packs: serde_json::Value = http
            .get(format!("{base}/hub/v1/packs"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(packs[0]["name"], "tin-moi", "{base}: {packs}");
        assert_eq!(packs[0]["version"], 1, "{base}: {packs}");
    }
    let identity: [String; 2] = [
        records.keys().public_hex(),
        HubStore::open(inside.database.as_deref(), &inside.data_dir)
            .await
            .unwrap()
            .keys()
            .public_hex(),
    ];
    assert_eq!(identity[0], identity[1]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sqlite_hub_moves_into_postgresql_resumably_and_its_boxes_sync_on() {
    let Some(engine) = Engine::postgres().await else {
        return;
    };
    let database = engine.database().unwrap();
    // A province that started alone: a SQLite hub, its officer, a box's records, a pack.
    let old = TestBox::start_hub().await;
    // Its first officer administers it, and what they download is logged.
    let mut officer = set_up(&old).await;
    assert_eq!(officer.get("/hub/csv/boxes").await.status(), StatusCode::OK);
    drop(officer);
    let tb = TestBox::start().await;
    crate::sync::enrol(&old, &tb).await;
    let store = tb.store();
    record(&store, 1_200).await;
    client::sync(&store, None, &|_| {}).await.unwrap();
    hocso::hub::publish(
        &old.records().await,
        "tin-moi",
        crate::sync::new_lessons("Lừa đảo mới"),
    )
    .await
    .unwrap();
    // A province hub joined it, as a national hub is joined.
    let province_hub = (
        uuid::Uuid::now_v7().to_string(),
        Keys::generate().public_hex(),
    );
    let code = old.records().await.new_join_code("Đắk Lắk").await.unwrap();
    let joined = old
        .records()
        .await
        .join(hocso::protocol::wire::Join {
            hub_id: province_hub.0.clone(),
            public_key: province_hub.1.clone(),
            code,
        })
        .await
        .unwrap();
    assert_eq!(joined.as_deref(), Some("Đắk Lắk"));
    // A commune's proposal, with its recording.
    let proposal = crate::proposals::kept_reading(&old.records().await, store.box_id()).await;
    let old = old.stopped().await;
    let migrate = || {
        Command::new(env!("CARGO_BIN_EXE_hocso"))
            .args(["hub", "migrate-to", &database, "--data-dir"])
            .arg(&old.data_dir)
            .output()
            .unwrap()
    };
    let out = migrate();
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        said.contains("hub_events") && !said.contains("DIFFERENT"),
        "{said}"
    );

    // A copy cut short (here: events lost after the 700th) is run again and resumes.
    let pg = crate::postgres::connect_to(&database).await;
    pg.execute("DELETE FROM hub_events WHERE seq > 700", &[])
        .await
        .unwrap();
    let out = migrate();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );

    // The hub on PostgreSQL is the same hub to the box: it signs with the key the box
    // pinned, holds every event, and takes the next ones.
    let new = TestBox::start_hub_on(&engine).await;
    assert_eq!(
        hub_ids(&new, store.box_id()).await,
        box_events(&store).await
    );
    record(&store, 10).await;
    client::sync(&store, Some(&new.base), &|_| {})
        .await
        .unwrap();
    assert_eq!(
        hub_ids(&new, store.box_id()).await,
        box_events(&store).await
    );
    assert_eq!(store.sync_status().await.unwrap().waiting, 0);
    let records = new.records().await;
    assert_eq!(records.packs().await.unwrap()[0].name, "tin-moi");
    assert_eq!(
        records.relay_key(&province_hub.0).await.unwrap(),
        Some(province_hub.1)
    );
    let moved = records
        .proposal(&hocso::store::Scope::All, &proposal)
        .await
        .unwrap()
        .expect("the proposal moved");
    let (audio, _) = &moved.media[0];
    assert!(
        records
            .proposal_media(&hocso::store::Scope::All, audio)
            .await
            .unwrap()
            .is_some()
    );
    assert_eq!(records.setup_code(), None, "the officer moved too");
    let (officer, _) = records
        .accounts()
        .facilitator_login("le thi hoa")
        .await
        .unwrap()
        .expect("the officer moved");
    assert!(officer.roles.administrator && !officer.roles.see_names);
    // The audit log moved whole, and goes on after its last line.
    let log = || hocso::store::AuditQuery {
        scope: hocso::store::Scope::All,
        officer: None,
        before: None,
        limit: 10,
    };
    let moved = records.audit_log(&log()).await.unwrap();
    assert_eq!(moved.len(), 1);
    assert_eq!(moved[0].subject, "hocso-hub-boxes.csv");
    assert_eq!(moved[0].officer_id.as_deref(), Some(officer.id.as_str()));
    records
        .audit(hocso::store::NewAudit::by(
            &officer,
            hocso::store::AuditAction::Export,
            "hocso-hub-commune.csv",
            "",
        ))
        .await
        .unwrap();
    let lines = records.audit_log(&log()).await.unwrap();
    assert!(
        lines[0].id > moved[0].id && lines[1] == moved[0],
        "{lines:?}"
    );
}
