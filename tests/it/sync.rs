//! Sync with the province: a box and a hub as two real servers on loopback. Enrolment, push
//! and resume, bad input at the hub, a flaky link, USB files, content packs, copied cards, and
//! what the province's dashboard and CSV count of the records pushed.

use std::collections::BTreeMap;

use hocso::hub;
use hocso::protocol::envelope::{self, Keys, Kind};
use hocso::protocol::file;
use hocso::protocol::wire::{Batch, Enrol, WireEvent, WireLearner};
use hocso::store::{Change, NewEvent, Store};
use hocso::sync::client;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::facilitators::set_up;
use crate::postgres::{Engine, on_both_engines};
use crate::proxy::{Faults, Proxy};
use crate::support::{Phone, TestBox, attrs, text, texts};

/// Enrols `tb` with `hub` for "Xã Ea Sol" as `hocso sync enroll` does.
pub(crate) async fn enrol(hub: &TestBox, tb: &TestBox) {
    let code = hub.records().await.new_code("Xã Ea Sol", "").await.unwrap();
    client::enroll(&tb.store(), &hub.base, &code, None)
        .await
        .expect("enrolled");
}

/// A learner on `store` and `n` lesson events for them.
pub(crate) async fn record(store: &Store, n: usize) {
    let learner = store
        .create_learner(
            hocso::store::NewLearner {
                display_name: "Y Moan".into(),
                village: "Buôn Ea".into(),
                birth_year: Some(1988),
                gender: Some("nu".into()),
                ethnic_group: Some("Ê Đê".into()),
                secret: None,
                consent: None,
            },
            None,
        )
        .await
        .unwrap();
    let events = (0..n)
        .map(|i| NewEvent {
            id: uuid::Uuid::now_v7(),
            learner_id: learner.id.clone(),
            lesson_id: Some(format!("dien-thoai/bai-{i}")),
            at: "2026-11-25T08:00:00Z".into(),
            payload: json!({}),
            change: Change::Opened,
        })
        .collect::<Vec<_>>();
    for chunk in events.chunks(500) {
        store.record_events(chunk.to_vec()).await.unwrap();
    }
}

/// The box's events, `(seq, id)` in order, of its identity `box_id`.
pub(crate) async fn box_events(store: &Store) -> Vec<String> {
    store.event_ids().await.unwrap()
}

pub(crate) async fn hub_ids(hub: &TestBox, box_id: &str) -> Vec<String> {
    let held = hub.records().await.event_ids(box_id).await.unwrap();
    for (i, event) in held.iter().enumerate() {
        assert_eq!(
            event.seq,
            i as i64 + 1,
            "the hub holds each seq once, with no gap"
        );
    }
    held.into_iter().map(|event| event.id).collect()
}

async fn wait_for(mut done: impl AsyncFnMut() -> bool) {
    for _ in 0..300 {
        if done().await {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("it did not happen in 15 s");
}

async fn a_facilitator_enrols_the_box_and_the_province_sees_its_commune(engine: Engine) {
    let hub = TestBox::start_hub_on(&engine).await;
    let tb = TestBox::start().await;

    // The officer sets the hub up and makes a code on its page.
    let mut officer = set_up(&hub).await;
    let made = officer
        .post_f("/hub/codes", &[("commune", "Xã Ea Sol")])
        .await;
    assert_eq!(made.status(), StatusCode::OK);
    let page = scraper::Html::parse_document(&made.text().await.unwrap());
    let code = text(&page, "strong.code");
    assert_eq!(code.len(), 9, "{code}");
    let empty = officer.post_f("/hub/codes", &[("commune", "  ")]).await;
    assert_eq!(empty.status(), StatusCode::BAD_REQUEST);

    // In the commune: a villager joins and reads a lesson; the facilitator enrols the box.
    let mut facilitator = set_up(&tb).await;
    let mut phone = Phone::new(&tb);
    phone.join("Y Moan", "Buôn Ea").await;
    let lesson = tb.lesson_urls().await.remove(0);
    phone.get(&lesson).await;
    // "Tôi đã học xong" is on the lesson's last part, and on the whole lesson.
    let form = phone
        .page(&format!("{lesson}?phan=ca"), StatusCode::OK)
        .await;
    let action = attrs(&form, "form[action$='/xong']", "action").remove(0);
    let fields: Vec<(String, String)> = attrs(&form, "form[action$='/xong'] input", "name")
        .into_iter()
        .zip(attrs(&form, "form[action$='/xong'] input", "value"))
        .collect();
    let fields: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    phone.post_form(&action, &fields).await;
    // And keeps safe in a practice scenario, on the box's own pages' API.
    crate::practice::win(&mut phone, "an-toan/cong-an-gia").await;

    let wrong = facilitator
        .post_f(
            "/f/sync/enroll",
            &[("hub_url", &hub.base), ("code", "ZZZZ-ZZZZ")],
        )
        .await;
    assert_eq!(wrong.status(), StatusCode::BAD_REQUEST);
    assert!(
        wrong
            .text()
            .await
            .unwrap()
            .contains("Mã đăng ký không đúng")
    );
    let enrolled = facilitator
        .post_f(
            "/f/sync/enroll",
            // Typed as a person would: no "http://", the code in lower case with a space.
            &[
                ("hub_url", hub.base.trim_start_matches("http://")),
                ("code", &code.to_lowercase().replace('-', " ")),
            ],
        )
        .await;
    assert_eq!(enrolled.status(), StatusCode::OK);
    assert!(enrolled.text().await.unwrap().contains("Đã đăng ký"));

    // The box syncs by itself (woken by the enrolment); "sync now" also works.
    let store = tb.store();
    let all = box_events(&store).await;
    assert!(all.len() >= 3, "joined, opened, finished");
    wait_for(async || hub_ids(&hub, store.box_id()).await == all).await;
    let now = facilitator.post_f("/f/sync/now", &[]).await;
    assert_eq!(now.status(), StatusCode::SEE_OTHER);
    wait_for(async || {
        let page = facilitator.page("/f", StatusCode::OK).await;
        texts(&page, "ul.figures li")
            .iter()
            .any(|t| t.contains("0 bản ghi đang chờ"))
    })
    .await;

    // Names stay in the commune unless it says otherwise.
    let learners = hub
        .records()
        .await
        .learners(&hocso::store::Scope::All)
        .await
        .unwrap();
    assert_eq!(learners.len(), 1);
    assert_eq!(
        (learners[0].name.as_deref(), learners[0].village.as_str()),
        (None, "Buôn Ea")
    );

    // The province's dashboard: the commune, its reach, charts, CSV.
    let page = officer.page("/hub", StatusCode::OK).await;
    let figures = texts(&page, "ul.figures li");
    assert!(figures[0].starts_with("1 người học"), "{figures:?}");
    assert!(figures[1].starts_with("1 bài học"), "{figures:?}");
    assert!(texts(&page, "table.report td").contains(&"Xã Ea Sol".to_string()));
    assert!(
        page.select(&scraper::Selector::parse("svg").unwrap())
            .count()
            >= 5
    );
    let csv = officer.get("/hub/csv/village").await.text().await.unwrap();
    // Learners, lessons finished, scenarios done, modules completed, attendances.
    assert!(
        csv.contains("\r\nXã Ea Sol · Buôn Ea,1,1,1,0,0\r\n"),
        "{csv}"
    );
    let boxes = officer.get("/hub/csv/boxes").await.text().await.unwrap();
    assert!(boxes.contains(store.box_id()));

    // No link? The facilitator downloads the USB file from the page, and the hub takes it.
    let page = facilitator.page("/f/sync", StatusCode::OK).await;
    assert_eq!(attrs(&page, "a[download]", "href"), ["/f/sync/export"]);
    let usb = facilitator.get("/f/sync/export").await;
    assert_eq!(usb.status(), StatusCode::OK);
    assert!(
        usb.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment; filename=\"hocso-")
    );
    let bytes = usb.bytes().await.unwrap();
    let none = |_: usize, _: usize| {};
    hub::import(&hub.records().await, &bytes, &none)
        .await
        .expect("the hub takes the box's USB file");
    assert_eq!(
        Phone::new(&tb).get("/f/sync/export").await.status(),
        StatusCode::SEE_OTHER,
        "facilitators only"
    );
    assert_eq!(
        Phone::new(&hub).get("/hub").await.status(),
        StatusCode::SEE_OTHER
    );
}

/// A batch of `events` sealed by `keys` as `box_id`.
pub(crate) fn sealed(box_id: &str, keys: &Keys, seqs: std::ops::RangeInclusive<i64>) -> Vec<u8> {
    let batch = Batch {
        box_id: box_id.into(),
        commune: "Xã Ea Sol".into(),
        events: seqs
            .map(|seq| WireEvent {
                seq,
                id: uuid::Uuid::now_v7().to_string(),
                kind: "lesson_opened".into(),
                learner: None,
                lesson: None,
                payload: json!({}),
                at: String::new(),
                recorded_at: String::new(),
            })
            .collect(),
        learners: vec![],
    };
    envelope::seal(Kind::Batch, box_id, keys, &batch)
}

async fn the_hub_refuses_bad_input_and_stores_nothing_of_it(engine: Engine) {
    let hub = TestBox::start_hub_on(&engine).await;
    let store = hub.records().await;
    let http = &hub.client;
    let keys = Keys::generate();
    let box_id = uuid::Uuid::now_v7().to_string();
    let code = store.new_code("Xã Ea Sol", "").await.unwrap();
    let enrol = |box_id: &str, keys: &Keys, code: &str| Enrol {
        box_id: box_id.into(),
        commune: "?".into(),
        public_key: keys.public_hex(),
        first_seq: 1,
        code: Some(code.into()),
        vouch: None,
    };
    let error = async |response: reqwest::Response| -> (StatusCode, String) {
        let status = response.status();
        let body: Value = response.json().await.unwrap();
        (status, body["error"]["code"].as_str().unwrap().to_string())
    };
    let post_enrol = |e: Enrol| http.post(hub.url("/hub/v1/enroll")).json(&e).send();
    assert_eq!(
        post_enrol(enrol(&box_id, &keys, &code))
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    // The same code again, by another box: refused.
    let other = uuid::Uuid::now_v7().to_string();
    let again = post_enrol(enrol(&other, &Keys::generate(), &code))
        .await
        .unwrap();
    assert_eq!(
        error(again).await,
        (StatusCode::FORBIDDEN, "bad_code".into())
    );
    let junk = http
        .post(hub.url("/hub/v1/enroll"))
        .body("{")
        .header("content-type", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(junk.status(), StatusCode::BAD_REQUEST);

    let push = |body: Vec<u8>| http.post(hub.url("/hub/v1/push")).body(body).send();
    // Signed by another key, from an unknown box, after a gap, cut short, too big.
    let forged = push(sealed(&box_id, &Keys::generate(), 1..=3))
        .await
        .unwrap();
    assert_eq!(
        error(forged).await,
        (StatusCode::FORBIDDEN, "bad_signature".into())
    );
    let stranger = push(sealed(&other, &Keys::generate(), 1..=3))
        .await
        .unwrap();
    assert_eq!(
        error(stranger).await,
        (StatusCode::FORBIDDEN, "unknown_box".into())
    );
    let gap = push(sealed(&box_id, &keys, 5..=6)).await.unwrap();
    assert_eq!(gap.status(), StatusCode::CONFLICT);
    let gap: Value = gap.json().await.unwrap();
    assert_eq!(
        (gap["error"]["code"].as_str(), gap["error"]["held"].as_i64()),
        (Some("gap"), Some(0))
    );
    let good = sealed(&box_id, &keys, 1..=3);
    let cut = push(good[..good.len() - 5].to_vec()).await.unwrap();
    assert_eq!(
        error(cut).await,
        (StatusCode::FORBIDDEN, "bad_signature".into())
    );
    let header_only = push(good[..20].to_vec()).await.unwrap();
    assert_eq!(
        error(header_only).await,
        (StatusCode::BAD_REQUEST, "malformed".into())
    );
    let huge = push(vec![7u8; 2 * 1024 * 1024]).await.unwrap();
    assert_eq!(huge.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(store.event_ids(&box_id).await.unwrap().is_empty());

    // The good batch, twice: stored once; the answer is signed by the hub.
    for _ in 0..2 {
        let answer = push(good.clone()).await.unwrap();
        assert_eq!(answer.status(), StatusCode::OK);
        let bytes = answer.bytes().await.unwrap();
        let hub_key = Some(store.keys().public_hex());
        let (_, ack): (String, hocso::protocol::wire::Ack) =
            envelope::open(&bytes, Kind::Ack, |_| hub_key).unwrap();
        assert_eq!(ack.held, 3);
    }
    assert_eq!(store.event_ids(&box_id).await.unwrap().len(), 3);
    // Different events under the same seqs: two boxes as one. Refused, and said.
    let twin = push(sealed(&box_id, &keys, 2..=4)).await.unwrap();
    assert_eq!(error(twin).await, (StatusCode::CONFLICT, "conflict".into()));
    assert_eq!(store.event_ids(&box_id).await.unwrap().len(), 3);
    assert!(
        store.boxes(&hocso::store::Scope::All).await.unwrap()[0]
            .conflict
            .is_some()
    );
    // The hub still serves.
    assert_eq!(
        http.get(hub.url("/hub/v1/packs"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
}

async fn a_link_cut_at_random_loses_and_doubles_nothing(engine: Engine) {
    let hub = TestBox::start_hub_on(&engine).await;
    let tb = TestBox::start().await;
    enrol(&hub, &tb).await;
    let store = tb.store();
    record(&store, 1_400).await;
    let target = hub.base.trim_start_matches("http://").parse().unwrap();
    let faults = Faults {
        cut: 0.5,
        cut_within: 60_000,
        drop_reply: 0.3,
        ..Faults::default()
    };
    let proxy = Proxy::start(target, faults, 6).await;
    let through = format!("http://{}", proxy.addr);
    let mut tries = 0;
    let mut confirmed_all = false;
    while tries < 200 && !confirmed_all {
        tries += 1;
        confirmed_all = client::sync(&store, Some(&through), &|_| {}).await.is_ok();
    }
    assert!(confirmed_all, "synced within 200 tries");
    assert!(
        proxy.cuts() + proxy.dropped() > 0,
        "the link did fail on the way"
    );
    assert_eq!(
        hub_ids(&hub, store.box_id()).await,
        box_events(&store).await
    );
    assert_eq!(store.sync_status().await.unwrap().waiting, 0);

    // A restart of either side changes nothing; more records resume from the cursor.
    let hub = hub.restart().await;
    record(&store, 10).await;
    client::sync(&store, Some(&hub.base), &|_| {})
        .await
        .unwrap();
    assert_eq!(
        hub_ids(&hub, store.box_id()).await,
        box_events(&store).await
    );
}

async fn usb_files_arrive_once_in_any_order_and_damaged_ones_change_nothing(engine: Engine) {
    let hub = TestBox::start_hub_on(&engine).await;
    let tb = TestBox::start().await;
    enrol(&hub, &tb).await;
    let store = tb.store();
    let hub_store = hub.records().await;
    record(&store, 700).await;
    let (first, count) = client::export(&store).await.unwrap();
    assert_eq!(count, 701);
    record(&store, 20).await;
    let (second, _) = client::export(&store).await.unwrap();

    // Cut short, changed, or from a box the hub does not know: refused whole.
    let none = |_: usize, _: usize| {};
    assert!(matches!(
        hub::import(&hub_store, &second[..second.len() / 2], &none).await,
        Err(hub::ImportError::File(_))
    ));
    let mut changed = second.clone();
    changed[100] ^= 0x40;
    assert!(hub::import(&hub_store, &changed, &none).await.is_err());
    let stranger = TestBox::start().await;
    record(&stranger.store(), 3).await;
    let foreign = file::write(&[sealed(
        stranger.store().box_id(),
        stranger.store().keys(),
        1..=2,
    )]);
    assert!(matches!(
        hub::import(&hub_store, &foreign, &none).await,
        Err(hub::ImportError::Foreign(_))
    ));
    assert!(
        hub_store
            .event_ids(store.box_id())
            .await
            .unwrap()
            .is_empty()
    );

    // The later file, the earlier one, the later again: every event once.
    let imported = hub::import(&hub_store, &second, &none).await.unwrap();
    assert_eq!(imported.new_events, 722);
    assert_eq!(
        hub::import(&hub_store, &first, &none)
            .await
            .unwrap()
            .new_events,
        0
    );
    assert_eq!(
        hub::import(&hub_store, &second, &none)
            .await
            .unwrap()
            .new_events,
        0
    );
    assert_eq!(
        hub_ids(&hub, store.box_id()).await,
        box_events(&store).await
    );

    // The reply file moves the box's cursor; then nothing is left to export.
    let reply = hub::reply(&hub_store, store.box_id())
        .await
        .unwrap()
        .unwrap();
    assert!(
        client::import_reply(&stranger.store(), &reply)
            .await
            .is_err(),
        "another box's reply"
    );
    let replied = client::import_reply(&store, &reply).await.unwrap();
    assert_eq!(replied.confirmed, vec![(store.box_id().to_string(), 722)]);
    assert_eq!(client::export(&store).await.unwrap().1, 0);
    assert!(
        client::import_reply(&store, &reply[..reply.len() - 1])
            .await
            .is_err()
    );
}

/// A new module with one lesson, made from a built-in lesson's text under a new id.
pub(crate) fn new_lessons(title: &str) -> BTreeMap<String, String> {
    let tree = hocso::content::LessonTree::embedded();
    let (path, text) = tree
        .files
        .iter()
        .find(|(p, _)| p.ends_with(".vi.md"))
        .map(|(p, t)| (p.clone(), String::from_utf8(t.clone()).unwrap()))
        .unwrap();
    let folder = path.split('/').next().unwrap();
    let module = String::from_utf8(tree.files[&format!("{folder}/module.toml")].clone()).unwrap();
    let mut text = text.replacen("title = ", &format!("title = \"{title}\"\nold_title = "), 1);
    text = text.replace("old_title = ", "# ");
    BTreeMap::from([
        ("09-tin-moi/module.toml".to_string(), module),
        ("09-tin-moi/01-lua-dao-moi.vi.md".to_string(), text),
    ])
}

async fn new_lessons_reach_the_box_signed_and_are_served_without_a_restart(engine: Engine) {
    let hub = TestBox::start_hub_on(&engine).await;
    let tb = TestBox::start().await;
    enrol(&hub, &tb).await;
    let hub_store = hub.records().await;
    let url = "/m/tin-moi/lua-dao-moi";
    assert_eq!(tb.get(url).await.status(), StatusCode::NOT_FOUND);

    // A broken lesson, or one that would replace a built-in lesson: not published.
    let mut broken = new_lessons("Lừa đảo mới");
    broken.insert("09-tin-moi/02-hong.vi.md".into(), "no front matter".into());
    assert!(matches!(
        hub::publish(&hub_store, "tin-moi", broken).await,
        Err(hub::PublishError::Problems(_))
    ));
    let built_in = hocso::content::LessonTree::embedded();
    let (path, text) = built_in
        .files
        .iter()
        .find(|(p, _)| p.ends_with(".vi.md"))
        .unwrap();
    let replacing = BTreeMap::from([(path.clone(), String::from_utf8(text.clone()).unwrap())]);
    assert!(
        hub::publish(&hub_store, "thay-the", replacing)
            .await
            .is_err()
    );

    assert_eq!(
        hub::publish(&hub_store, "tin-moi", new_lessons("Lừa đảo mới"))
            .await
            .unwrap(),
        1
    );
    let synced = client::sync(&tb.store(), None, &|_| {}).await.unwrap();
    assert_eq!(synced.packs, 1);
    // The background task sees the pack held and swaps the lessons in.
    wait_for(async || tb.get(url).await.status() == StatusCode::OK).await;
    assert!(
        tb.get(url)
            .await
            .text()
            .await
            .unwrap()
            .contains("Lừa đảo mới")
    );

    // A newer version replaces the older one's lesson.
    assert_eq!(
        hub::publish(&hub_store, "tin-moi", new_lessons("Lừa đảo mới hơn"))
            .await
            .unwrap(),
        2
    );
    let reply = hub::reply(&hub_store, tb.store().box_id())
        .await
        .unwrap()
        .unwrap();
    // The box's own sync (5 s after it started) may have fetched it first, on a slow run.
    let imported = client::import_reply(&tb.store(), &reply)
        .await
        .unwrap()
        .packs;
    assert!(imported <= 1, "{imported} packs imported");
    assert_eq!(
        tb.store().sync_status().await.unwrap().packs,
        vec![hocso::store::PackVersion {
            name: "tin-moi".into(),
            version: 2
        }]
    );
    let tb = tb.restart().await;
    assert!(
        tb.get(url)
            .await
            .text()
            .await
            .unwrap()
            .contains("Lừa đảo mới hơn")
    );

    // A pack changed on the way is refused: the box keeps what it had.
    let mut parts: Vec<Vec<u8>> = file::read(&reply)
        .unwrap()
        .into_iter()
        .map(<[u8]>::to_vec)
        .collect();
    let last = parts.last_mut().unwrap();
    let at = last.len() - 3;
    last[at] ^= 1;
    assert!(
        client::import_reply(&tb.store(), &file::write(&parts))
            .await
            .is_err()
    );
    assert_eq!(
        tb.store().sync_status().await.unwrap().packs,
        vec![hocso::store::PackVersion {
            name: "tin-moi".into(),
            version: 2
        }]
    );
}

/// A pack that changes one fact: the scam-report number, as if it had moved.
fn new_fact(value: &str) -> BTreeMap<String, String> {
    let facts = format!(
        "[tong-dai-bao-lua-dao]\nvalue = \"{value}\"\nsource = \"Sở, công văn thử\"\nchecked = 2026-12-01\n"
    );
    BTreeMap::from([("facts.toml".to_string(), facts)])
}

async fn a_fact_the_province_changes_reaches_every_lesson_that_names_it(engine: Engine) {
    let hub = TestBox::start_hub_on(&engine).await;
    let tb = TestBox::start().await;
    enrol(&hub, &tb).await;
    let hub_store = hub.records().await;
    let lessons = [
        "/m/an-toan/cuoc-goi-lua-dao",
        "/m/an-toan/tin-nhan-link-la",
        "/m/an-toan/khi-bi-lua",
        "/m/tri-tue-nhan-tao/deepfake",
    ];
    for url in lessons {
        let whole = format!("{url}?phan=ca");
        let page = tb.get(&whole).await.text().await.unwrap();
        assert!(page.contains("156") && !page.contains("1999"), "{url}");
    }

    // A fact that would break the lessons is not published.
    let broken = BTreeMap::from([(
        "facts.toml".to_string(),
        "[tong-dai-bao-lua-dao]\nvalue = \"<b>1999</b>\"\nsource = \"s\"\nchecked = 2026-12-01\n"
            .to_string(),
    )]);
    match hub::publish(&hub_store, "so-moi", broken).await {
        Err(hub::PublishError::Problems(problems)) => {
            assert!(
                problems[0].to_string().contains("may not hold `<`"),
                "{problems:?}"
            )
        }
        other => panic!("published: {:?}", other.is_ok()),
    }

    assert_eq!(
        hub::publish(&hub_store, "so-moi", new_fact("1999"))
            .await
            .unwrap(),
        1
    );
    client::sync(&tb.store(), None, &|_| {}).await.unwrap();
    let wholes = lessons.map(|url| format!("{url}?phan=ca"));
    for url in &wholes {
        wait_for(async || tb.get(url).await.text().await.unwrap().contains("1999")).await;
    }
    let tb = tb.restart().await;
    for url in &wholes {
        let page = tb.get(url).await.text().await.unwrap();
        assert!(page.contains("1999"), "{url} after a restart");
    }
}

async fn a_copied_card_takes_a_new_identity_and_twins_are_refused(engine: Engine) {
    let hub = TestBox::start_hub_on(&engine).await;
    let tb = TestBox::start_on("board-1").await;
    enrol(&hub, &tb).await;
    let store = tb.store();
    record(&store, 5).await;
    client::sync(&store, None, &|_| {}).await.unwrap();
    let first_id = store.box_id().to_string();
    let unsent = 4;
    record(&store, unsent - 1).await;
    let tb = tb.stopped().await;

    // The card in another board: a new identity before anything is recorded.
    let copy = TestBox::start_copy(&tb.data_dir, "board-2").await;
    let copy_store = copy.store();
    assert_ne!(copy_store.box_id(), first_id);
    record(&copy_store, 2).await;
    client::sync(&copy_store, None, &|_| {}).await.unwrap();
    // Its own records under its new identity, vouched for by the old one; the old identity's
    // unsent records go up too (the old board may be dead).
    assert_eq!(hub_ids(&hub, &first_id).await.len(), 6 + unsent);
    let boxes = hub
        .records()
        .await
        .boxes(&hocso::store::Scope::All)
        .await
        .unwrap();
    let new = boxes
        .iter()
        .find(|b| b.box_id == copy_store.box_id())
        .unwrap();
    assert_eq!(
        (new.commune.as_str(), new.vouched_by.as_deref()),
        ("Xã Ea Sol", Some(first_id.as_str()))
    );
    assert_eq!(new.events, 3, "a learner joined and two lessons opened");

    // The same card copied into the same kind of board (nothing tells them apart): each
    // records something else under one identity. The second to send is refused, and says so.
    let twin = TestBox::start_copy(&tb.data_dir, "board-1").await;
    let tb = tb.restart().await;
    record(&tb.store(), 1).await;
    record(&twin.store(), 2).await;
    client::sync(&tb.store(), None, &|_| {}).await.unwrap();
    let refused = client::sync(&twin.store(), None, &|_| {})
        .await
        .unwrap_err();
    assert!(refused.plain().contains("hai hộp"), "{}", refused.plain());
    assert!(
        hub.records()
            .await
            .boxes(&hocso::store::Scope::All)
            .await
            .unwrap()
            .iter()
            .any(|b| b.box_id == first_id && b.conflict.is_some())
    );
    let mut officer = set_up(&hub).await;
    let dashboard = officer.page("/hub", StatusCode::OK).await;
    assert!(text(&dashboard, "div.note.error").contains("hai hộp"));
}

async fn the_box_syncs_at_once_with_its_hub_when_it_shows_up_on_the_lan(engine: Engine) {
    let hub = TestBox::start_hub_on(&engine).await;
    let tb = TestBox::start().await;
    enrol(&hub, &tb).await;
    let store = tb.store();
    // The address typed at enrolment no longer answers (the province moved the hub).
    store
        .set_setting("hub_url", "http://127.0.0.1:9")
        .await
        .unwrap();
    record(&store, 3).await;
    let (seen, hubs) = tokio::sync::mpsc::channel(4);
    let (closing, closed) = tokio::sync::watch::channel(false);
    let task = tokio::spawn(hocso::sync::background::run(
        store.clone(),
        std::sync::Arc::new(tokio::sync::Notify::new()),
        closed,
        hubs,
        || {},
    ));
    // Another province's hub is ignored; the pinned one is synced with at once.
    let stranger = hocso::discovery::HubSeen {
        url: hub.base.clone(),
        key: Keys::generate().public_hex(),
    };
    seen.send(stranger).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(
        hub.records()
            .await
            .event_ids(store.box_id())
            .await
            .unwrap()
            .is_empty()
    );
    let pinned = hocso::discovery::HubSeen {
        url: hub.base.clone(),
        key: hub.records().await.keys().public_hex(),
    };
    seen.send(pinned).await.unwrap();
    wait_for(async || hub_ids(&hub, store.box_id()).await == box_events(&store).await).await;
    closing.send_replace(true);
    task.await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hub_is_found_by_mdns_on_the_loopback_interface() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let bound = listener.local_addr().unwrap();
    let key = Keys::generate().public_hex();
    let Ok(_advertised) = hocso::discovery::advertise_hub(bound, Some("lo"), &key, false) else {
        return; // no mDNS here at all
    };
    let (seen, mut hubs) = tokio::sync::mpsc::channel(4);
    let _browsing = hocso::discovery::browse_hubs(bound, Some("lo"), seen).unwrap();
    let found = tokio::time::timeout(std::time::Duration::from_secs(5), hubs.recv()).await;
    let found = found.expect("found within 5 s").expect("a hub");
    assert_eq!(found.key, key);
    assert!(
        found.url.ends_with(&format!(":{}", bound.port())),
        "{}",
        found.url
    );
}

/// A batch of `box_id` with one event of `learner`, whose profile it carries.
fn sealed_with_learner(box_id: &str, keys: &Keys, seq: i64, learner: WireLearner) -> Vec<u8> {
    let batch = Batch {
        box_id: box_id.into(),
        commune: "Xã Ea Sol".into(),
        events: vec![WireEvent {
            seq,
            id: uuid::Uuid::now_v7().to_string(),
            kind: "lesson_finished".into(),
            learner: Some(learner.id.clone()),
            lesson: Some("dien-thoai/bat-dau".into()),
            payload: json!({}),
            at: String::new(),
            recorded_at: String::new(),
        }],
        learners: vec![learner],
    };
    envelope::seal(Kind::Batch, box_id, keys, &batch)
}

async fn a_box_speaks_only_for_its_own_learners_and_in_the_box_rules(engine: Engine) {
    let hub = TestBox::start_hub_on(&engine).await;
    let store = hub.records().await;
    let http = &hub.client;
    let mut boxes = Vec::new();
    for commune in ["Xã Ea Sol", "Xã Cư Prao"] {
        let code = store.new_code(commune, "").await.unwrap();
        let (box_id, keys) = (uuid::Uuid::now_v7().to_string(), Keys::generate());
        let enrolled = http
            .post(hub.url("/hub/v1/enroll"))
            .json(&Enrol {
                box_id: box_id.clone(),
                commune: commune.into(),
                public_key: keys.public_hex(),
                first_seq: 1,
                code: Some(code),
                vouch: None,
            })
            .send()
            .await
            .unwrap();
        assert_eq!(enrolled.status(), StatusCode::OK);
        boxes.push((box_id, keys));
    }
    let (a, b) = (&boxes[0], &boxes[1]);
    let learner = |village: &str| WireLearner {
        id: "0190a5c1-0000-7000-8000-000000000001".into(),
        name: None,
        village: village.into(),
        birth_year: Some(1980),
        gender: Some("nu".into()),
        ethnic_group: None,
    };
    let push = |body: Vec<u8>| http.post(hub.url("/hub/v1/push")).body(body).send();
    let code_of = async |response: reqwest::Response| -> (StatusCode, String) {
        let status = response.status();
        let body: Value = response.json().await.unwrap();
        (
            status,
            body["error"]["code"].as_str().unwrap_or("").to_string(),
        )
    };
    let taken = push(sealed_with_learner(&a.0, &a.1, 1, learner("Buôn Đôn")))
        .await
        .unwrap();
    assert_eq!(taken.status(), StatusCode::OK);
    // Box B rewriting box A's learner: refused whole, with a stable code.
    let foreign = push(sealed_with_learner(&b.0, &b.1, 1, learner("Buôn Giả")))
        .await
        .unwrap();
    assert_eq!(
        code_of(foreign).await,
        (StatusCode::FORBIDDEN, "foreign_learner".into())
    );
    assert!(store.event_ids(&b.0).await.unwrap().is_empty());
    let kept = store.learners(&hocso::store::Scope::All).await.unwrap();
    assert_eq!(kept.len(), 1);
    assert_eq!(
        (kept[0].village.as_str(), kept[0].commune.as_str()),
        ("Buôn Đôn", "Xã Ea Sol")
    );
    // A's own update is taken.
    let update = push(sealed_with_learner(&a.0, &a.1, 2, learner("Buôn Trấp")))
        .await
        .unwrap();
    assert_eq!(update.status(), StatusCode::OK);
    assert_eq!(
        store.learners(&hocso::store::Scope::All).await.unwrap()[0].village,
        "Buôn Trấp"
    );
    // Fields the box would refuse are refused here too, nothing stored.
    let fresh = |f: &dyn Fn(&mut WireLearner)| {
        let mut l = learner("Buôn Mới");
        l.id = uuid::Uuid::now_v7().to_string();
        f(&mut l);
        l
    };
    let bad: Vec<WireLearner> = vec![
        fresh(&|l| l.village = "x".repeat(61)),
        fresh(&|l| l.village = "\u{200B}\u{200B}".into()),
        fresh(&|l| l.name = Some("An\u{202E}".into())),
        fresh(&|l| l.birth_year = Some(1066)),
        fresh(&|l| l.gender = Some("robot".into())),
        fresh(&|l| l.ethnic_group = Some("Người sao Hỏa".into())),
        fresh(&|l| l.id = "not-a-uuid".into()),
    ];
    for l in bad {
        let shown = format!("{l:?}");
        let refused = push(sealed_with_learner(&b.0, &b.1, 1, l)).await.unwrap();
        assert_eq!(
            code_of(refused).await,
            (StatusCode::BAD_REQUEST, "malformed".into()),
            "{shown}"
        );
    }
    assert!(store.event_ids(&b.0).await.unwrap().is_empty());
    assert_eq!(
        store
            .learners(&hocso::store::Scope::All)
            .await
            .unwrap()
            .len(),
        1
    );
}

/// A batch of `box_id` holding `events` (numbered from 1) and the `learners` they name.
fn sealed_events(
    box_id: &str,
    keys: &Keys,
    mut events: Vec<WireEvent>,
    learners: Vec<WireLearner>,
) -> Vec<u8> {
    for (i, event) in events.iter_mut().enumerate() {
        event.seq = i as i64 + 1;
    }
    let batch = Batch {
        box_id: box_id.into(),
        commune: "Xã Ea Sol".into(),
        events,
        learners,
    };
    envelope::seal(Kind::Batch, box_id, keys, &batch)
}

async fn the_province_counts_a_scenario_won_once_a_lost_one_never_and_a_module_only_with_its_scenarios(
    engine: Engine,
) {
    let hub = TestBox::start_hub_on(&engine).await;
    let mut officer = set_up(&hub).await;
    let code = hub.records().await.new_code("Xã Ea Sol", "").await.unwrap();
    let (box_id, keys) = (uuid::Uuid::now_v7().to_string(), Keys::generate());
    let enrolled = hub
        .client
        .post(hub.url("/hub/v1/enroll"))
        .json(&Enrol {
            box_id: box_id.clone(),
            commune: "Xã Ea Sol".into(),
            public_key: keys.public_hex(),
            first_seq: 1,
            code: Some(code),
            vouch: None,
        })
        .send()
        .await
        .unwrap();
    assert_eq!(enrolled.status(), StatusCode::OK);

    // A box's records, as a box running the scenarios sends them: two learners of one
    // village read every lesson of a module with scenarios. Y Moan wins each scenario twice
    // (two runs) after losing once; H'Hen only loses.
    let catalogue = crate::support::catalogue();
    let module = catalogue
        .modules
        .iter()
        .find(|m| !m.practice.is_empty())
        .expect("a module with scenarios");
    let learner = |village: &str, gender: &str| WireLearner {
        id: uuid::Uuid::now_v7().to_string(),
        name: None,
        village: village.into(),
        birth_year: Some(1985),
        gender: Some(gender.into()),
        ethnic_group: Some("Ê Đê".into()),
    };
    let (moan, hhen) = (learner("Buôn Đôn", "nu"), learner("Buôn Đôn", "nam"));
    let event = |kind: &str, learner: &WireLearner, lesson: &str, payload: Value| WireEvent {
        seq: 0,
        id: uuid::Uuid::now_v7().to_string(),
        kind: kind.into(),
        learner: Some(learner.id.clone()),
        lesson: Some(lesson.into()),
        payload,
        at: "2026-11-25T08:00:00Z".into(),
        recorded_at: "2026-11-25T08:00:00Z".into(),
    };
    let run = |learner: &WireLearner, scenario: &hocso::content::Practice, win: bool| {
        let run = uuid::Uuid::now_v7().to_string();
        event(
            "practice_finished",
            learner,
            &scenario.lesson_id,
            json!({ "scenario": scenario.id, "run": run, "end": "ket-thuc", "win": win }),
        )
    };
    let mut events = Vec::new();
    for who in [&moan, &hhen] {
        for lesson in &module.lessons {
            events.push(event("lesson_finished", who, &lesson.id, json!({})));
        }
    }
    for scenario in &module.practice {
        events.push(run(&moan, scenario, false));
        events.push(run(&moan, scenario, true));
        events.push(run(&moan, scenario, true));
        events.push(run(&hhen, scenario, false));
    }
    let pushed = hub
        .client
        .post(hub.url("/hub/v1/push"))
        .body(sealed_events(&box_id, &keys, events, vec![moan, hhen]))
        .send()
        .await
        .unwrap();
    assert_eq!(pushed.status(), StatusCode::OK);

    let lessons = 2 * module.lessons.len();
    let practices = module.practice.len();
    let page = officer.page("/hub", StatusCode::OK).await;
    let figures = texts(&page, "ul.figures li");
    assert!(
        figures.contains(&format!("{practices} bài thực hành đã làm đúng")),
        "{figures:?}"
    );
    assert!(
        figures.contains(&"1 phần học đã hoàn thành".to_string()),
        "only the learner who won its scenarios completed the module: {figures:?}"
    );
    let headers = texts(&page, "section table.report thead th");
    assert_eq!(headers.len(), 5 * 6, "a table for every breakdown");
    for header in headers.chunks(6) {
        assert_eq!(
            header[1..],
            [
                "Người học",
                "Bài học xong",
                "Thực hành",
                "Phần học hoàn thành",
                "Lượt học nhóm"
            ],
            "{header:?}"
        );
    }
    // A breakdown's row, its cells joined by `,` as in the CSV.
    let row = |key: &str| {
        let rows = scraper::Selector::parse("section table.report tbody tr").unwrap();
        let cells = scraper::Selector::parse("td").unwrap();
        page.select(&rows)
            .map(|tr| {
                tr.select(&cells)
                    .map(|td| td.text().collect::<String>())
                    .collect::<Vec<_>>()
                    .join(",")
            })
            .find(|r| r.starts_with(&format!("{key},")))
            .unwrap_or_else(|| panic!("no row {key}"))
    };
    let half = lessons / 2;
    assert_eq!(
        row("Xã Ea Sol · Buôn Đôn"),
        format!("Xã Ea Sol · Buôn Đôn,2,{lessons},{practices},1,0")
    );
    assert_eq!(row("Nữ"), format!("Nữ,1,{half},{practices},1,0"));
    assert_eq!(row("Nam"), format!("Nam,1,{half},0,0,0"));

    // Every CSV has the column, the commune's line and the province's total alike.
    for by in ["commune", "village", "age", "gender", "ethnic"] {
        let csv = officer
            .get(&format!("/hub/csv/{by}"))
            .await
            .text()
            .await
            .unwrap();
        let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
        assert!(
            lines[0]
                .ends_with(",Người học,Bài học xong,Thực hành,Phần học hoàn thành,Lượt học nhóm"),
            "{csv}"
        );
        assert_eq!(
            lines.last().copied(),
            Some(format!("Cả tỉnh,2,{lessons},{practices},1,0").as_str()),
            "{csv}"
        );
    }
    let csv = officer.get("/hub/csv/commune").await.text().await.unwrap();
    assert!(
        csv.contains(&format!("\r\nXã Ea Sol,2,{lessons},{practices},1,0\r\n")),
        "{csv}"
    );
}

async fn sync_import_says_by_its_exit_status_when_it_refused_anything(engine: Engine) {
    let hub = TestBox::start_hub_on(&engine).await;
    let tb = TestBox::start().await;
    enrol(&hub, &tb).await;
    let store = tb.store();
    record(&store, 5).await;
    let files = tempfile::tempdir().unwrap();
    let import = |name: &str, bytes: &[u8]| {
        let path = files.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_hocso"));
        command
            .args(["sync", "import"])
            .arg(&path)
            .arg("--data-dir")
            .arg(&hub.data_dir);
        if let Some(database) = &hub.database {
            command.args(["--database", database]);
        }
        command.output().unwrap()
    };
    // A batch after a gap: said, and the exit status says it too.
    let gap = file::write(&[sealed(store.box_id(), store.keys(), 50..=51)]);
    let out = import("gap.hocso", &gap);
    let said = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(said.contains("refused"), "{said}");
    // The box's own export: taken, exit 0.
    let (bytes, _) = client::export(&store).await.unwrap();
    let out = import("export.hocso", &bytes);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        hub_ids(&hub, store.box_id()).await,
        box_events(&store).await
    );
    let help = std::process::Command::new(env!("CARGO_BIN_EXE_hocso"))
        .args(["sync", "import", "--help"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&help.stdout).contains("Exit status"));
}

// Two threads: the command blocks one while the hub serves it on the other.
async fn sync_now_exits_non_zero_only_while_records_wait(engine: Engine) {
    let sync_now = |data: &std::path::Path| {
        std::process::Command::new(env!("CARGO_BIN_EXE_hocso"))
            .args(["sync", "now", "--data-dir"])
            .arg(data)
            .output()
            .unwrap()
    };
    let hub = TestBox::start_hub_on(&engine).await;
    let tb = TestBox::start().await;
    // Not enrolled: nothing can be confirmed.
    let out = sync_now(&tb.data_dir);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    enrol(&hub, &tb).await;
    record(&tb.store(), 3).await;
    let out = sync_now(&tb.data_dir);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("Synced"));
    assert_eq!(tb.store().sync_status().await.unwrap().waiting, 0);
    // The hub gone: records wait, and the exit status says so.
    drop(hub);
    record(&tb.store(), 2).await;
    let out = sync_now(&tb.data_dir);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(tb.store().sync_status().await.unwrap().waiting, 3);
}

/// `fields` (name, file name if a file, bytes) as a browser sends a form with a file.
fn multipart(fields: &[(&str, Option<&str>, &[u8])]) -> (String, Vec<u8>) {
    let owned: Vec<(String, Option<&str>, Vec<u8>)> = fields
        .iter()
        .map(|(name, file, bytes)| (name.to_string(), *file, bytes.to_vec()))
        .collect();
    crate::authoring::multipart(&owned)
}

/// The status line a server answers a file form declaring one byte more than the upload limit
/// with, sent as its head alone: the box answers from the declared length, before any body
/// (a client still writing a large body would meet a closed connection, by chance).
async fn declared_too_large(browser: &Phone<'_>, path: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let jar: Vec<String> = browser
        .cookie
        .iter()
        .cloned()
        .chain(browser.others.iter().map(|(k, v)| format!("{k}={v}")))
        .collect();
    let host = browser.tb.base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(host).await.unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {host}\r\nCookie: {}\r\n\
         Content-Type: multipart/form-data; boundary=x\r\nContent-Length: {}\r\n\r\n",
        jar.join("; "),
        hocso::web::UPLOAD_LIMIT + 1
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut answer = vec![0u8; 4096];
    let read = stream.read(&mut answer).await.unwrap();
    let answer = String::from_utf8_lossy(&answer[..read]);
    answer.lines().next().unwrap_or_default().to_string()
}

/// Uploads `file` to `path` as a page's file form does, with the browser's CSRF token unless
/// `csrf` is false.
pub(crate) async fn upload(
    browser: &mut Phone<'_>,
    path: &str,
    file: &[u8],
    csrf: bool,
) -> reqwest::Response {
    let token = browser.others["hocso_csrf"].clone();
    let token = if csrf {
        token.as_bytes()
    } else {
        b"0000".as_slice()
    };
    let (kind, body) = multipart(&[("csrf", None, token), ("file", Some("tep.hocso"), file)]);
    let request = browser
        .tb
        .client
        .post(browser.tb.url(path))
        .header("content-type", kind)
        .body(body);
    browser.send(request).await
}

async fn the_provinces_reply_file_is_taken_on_the_sync_page(engine: Engine) {
    let hub = TestBox::start_hub_on(&engine).await;
    let tb = TestBox::start().await;
    let mut facilitator = set_up(&tb).await;
    enrol(&hub, &tb).await;
    // No link from here on: only the USB stick.
    let hub = hub.stopped().await;
    let store = tb.store();
    record(&store, 30).await;
    let waiting = async || store.sync_status().await.unwrap().waiting;
    assert_eq!(waiting().await, 31);

    // The page offers both halves; the box's file goes to the province, which answers.
    let page = facilitator.page("/f/sync", StatusCode::OK).await;
    assert_eq!(attrs(&page, "a[download]", "href"), ["/f/sync/export"]);
    assert_eq!(
        attrs(&page, "form[enctype='multipart/form-data']", "action"),
        ["/f/sync/reply"]
    );
    assert_eq!(attrs(&page, "input[type=file]", "name"), ["file"]);
    let usb = facilitator
        .get("/f/sync/export")
        .await
        .bytes()
        .await
        .unwrap();
    let none = |_: usize, _: usize| {};
    hub::import(&hub.records().await, &usb, &none)
        .await
        .unwrap();
    hub::publish(&hub.records().await, "tin-moi", new_lessons("Lừa đảo mới"))
        .await
        .unwrap();
    let reply = hub::reply(&hub.records().await, store.box_id())
        .await
        .unwrap()
        .unwrap();

    // Refused, each with its reason, and nothing moves: no file, a file cut short, the box's
    // own file, no CSRF token, too large.
    let refused = async |browser: &mut Phone<'_>, file: &[u8], expected: &str| {
        let response = upload(browser, "/f/sync/reply", file, true).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{expected}");
        let page = scraper::Html::parse_document(&response.text().await.unwrap());
        let problem = text(&page, ".note.error");
        assert!(problem.contains(expected), "{problem}");
    };
    refused(&mut facilitator, b"", "Hãy chọn tệp").await;
    refused(
        &mut facilitator,
        &reply[..reply.len() - 3],
        "Không đọc được tệp",
    )
    .await;
    refused(&mut facilitator, &usb, "không phải tệp trả lời").await;
    let forged = upload(&mut facilitator, "/f/sync/reply", &reply, false).await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        declared_too_large(&facilitator, "/f/sync/reply").await,
        "HTTP/1.1 413 Payload Too Large"
    );
    assert_eq!(waiting().await, 31);
    let url = "/m/tin-moi/lua-dao-moi";
    assert_eq!(tb.get(url).await.status(), StatusCode::NOT_FOUND);

    // Taken: nothing waits, and the province's new lesson is served at once.
    let taken = upload(&mut facilitator, "/f/sync/reply", &reply, true).await;
    assert_eq!(taken.status(), StatusCode::OK);
    let page = scraper::Html::parse_document(&taken.text().await.unwrap());
    let done = text(&page, "p.note[role=status]");
    assert!(done.contains("Đã nhận tệp trả lời"), "{done}");
    assert!(done.contains("1 gói bài học mới"), "{done}");
    assert_eq!(waiting().await, 0);
    assert!(
        tb.get(url)
            .await
            .text()
            .await
            .unwrap()
            .contains("Lừa đảo mới")
    );
    // The same file again changes nothing and says so plainly.
    let again = upload(&mut facilitator, "/f/sync/reply", &reply, true).await;
    assert_eq!(again.status(), StatusCode::OK);
    // Facilitators only.
    let mut phone = Phone::new(&tb);
    phone.get("/f/sync").await;
    let (kind, body) = multipart(&[("file", Some("x.hocso"), &reply)]);
    let request = tb
        .client
        .post(tb.url("/f/sync/reply"))
        .header("content-type", kind)
        .body(body);
    assert_ne!(phone.send(request).await.status(), StatusCode::OK);
}

async fn an_officer_takes_a_communes_usb_file_and_gives_its_reply_on_the_hub(engine: Engine) {
    let hub = TestBox::start_hub_on(&engine).await;
    let mut officer = set_up(&hub).await;
    let tb = TestBox::start().await;
    enrol(&hub, &tb).await;
    // The box is cut off: its records go by USB only.
    let tb = tb.stopped().await;
    let store = tb.store();
    record(&store, 5).await;
    let (usb, count) = client::export(&store).await.unwrap();
    assert_eq!(count, 6);

    let page = officer.page("/hub/usb", StatusCode::OK).await;
    assert_eq!(
        attrs(&page, "form[enctype='multipart/form-data']", "action"),
        ["/hub/usb"]
    );
    assert_eq!(texts(&page, ".fmenu .here"), ["Tệp USB"]);

    // Refused, each with its reason, and nothing taken.
    let stale = hub::reply(&hub.records().await, store.box_id())
        .await
        .unwrap()
        .unwrap();
    for (file, expected) in [
        (&b""[..], "Hãy chọn tệp"),
        (&usb[..usb.len() - 2], "hỏng"),
        (&b"PK\x03\x04 a zip file"[..], "không phải tệp số liệu"),
        (&stale[..], "không phải số liệu của một hộp"),
    ] {
        let response = upload(&mut officer, "/hub/usb", file, true).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{expected}");
        let page = scraper::Html::parse_document(&response.text().await.unwrap());
        let problem = text(&page, ".note.error");
        assert!(problem.contains(expected), "{problem}");
    }
    let forged = upload(&mut officer, "/hub/usb", &usb, false).await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    assert!(hub_ids(&hub, store.box_id()).await.is_empty());

    // Taken, and the reply to carry back is a download named for the commune.
    let taken = upload(&mut officer, "/hub/usb", &usb, true).await;
    assert_eq!(taken.status(), StatusCode::OK);
    let page = scraper::Html::parse_document(&taken.text().await.unwrap());
    assert!(text(&page, ".note[role=status]").contains("6 bản ghi mới"));
    let reply_url = format!("/hub/usb/reply/{}", store.box_id());
    assert_eq!(attrs(&page, "a[download]", "href"), [reply_url.as_str()]);
    assert!(text(&page, "a[download]").contains("Xã Ea Sol"));
    assert_eq!(
        hub_ids(&hub, store.box_id()).await,
        box_events(&store).await
    );
    let reply = officer.get(&reply_url).await;
    assert!(
        reply.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment; filename=\"tra-loi-")
    );
    let reply = reply.bytes().await.unwrap();
    client::import_reply(&store, &reply).await.unwrap();
    assert_eq!(store.sync_status().await.unwrap().waiting, 0);
    // The same file again: nothing new, nothing counted twice.
    let again = upload(&mut officer, "/hub/usb", &usb, true).await;
    let page = scraper::Html::parse_document(&again.text().await.unwrap());
    assert!(text(&page, ".note[role=status]").contains("0 bản ghi mới"));
    assert_eq!(
        officer.get("/hub/usb/reply/no-such-box").await.status(),
        StatusCode::NOT_FOUND
    );
    // Officers only.
    let mut stranger = Phone::new(&hub);
    assert_eq!(
        stranger.get(&reply_url).await.status(),
        StatusCode::SEE_OTHER
    );
}

on_both_engines!(
    a_link_cut_at_random_loses_and_doubles_nothing,
    the_province_counts_a_scenario_won_once_a_lost_one_never_and_a_module_only_with_its_scenarios,
    sync_now_exits_non_zero_only_while_records_wait,
    a_facilitator_enrols_the_box_and_the_province_sees_its_commune,
    the_hub_refuses_bad_input_and_stores_nothing_of_it,
    usb_files_arrive_once_in_any_order_and_damaged_ones_change_nothing,
    new_lessons_reach_the_box_signed_and_are_served_without_a_restart,
    a_fact_the_province_changes_reaches_every_lesson_that_names_it,
    a_copied_card_takes_a_new_identity_and_twins_are_refused,
    the_box_syncs_at_once_with_its_hub_when_it_shows_up_on_the_lan,
    a_box_speaks_only_for_its_own_learners_and_in_the_box_rules,
    sync_import_says_by_its_exit_status_when_it_refused_anything,
    the_provinces_reply_file_is_taken_on_the_sync_page,
    an_officer_takes_a_communes_usb_file_and_gives_its_reply_on_the_hub,
);
