//! A hub above hubs: a province hub on SQLite that started alone joins a national hub (on
//! either engine) with a join code, introduces its boxes and passes on their own signed
//! batches, each event once, through a cut link, by `hocso hub join`/`forward` and by itself
//! while it serves; the national hub counts the boxes in the province the code named, and
//! takes nothing the province hub could have made up.

use hocso::hub;
use hocso::protocol::envelope::{self, Kind};
use hocso::protocol::wire::{Batch, Introduction, Join};
use hocso::store::{HubStore, Scope};
use hocso::sync::{client, relay};
use reqwest::StatusCode;
use serde_json::json;

use crate::cli::hub_command;
use crate::facilitators::set_up;
use crate::postgres::{Engine, on_both_engines};
use crate::proxy::{Faults, Proxy};
use crate::support::{TestBox, text};
use crate::sync::{box_events, enrol, hub_ids, record};

const PROVINCE: &str = "Đắk Lắk";

/// A join code for `PROVINCE` made on `national` with `hocso hub join-code`.
fn join_code(national: &TestBox) -> String {
    let made = hub_command(national, &["join-code", PROVINCE], "");
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    String::from_utf8(made.stdout).unwrap().trim().to_string()
}

fn stdout(output: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// What `hub` holds of `box_id`: each event's seq and id, in order.
async fn held(hub: &TestBox, box_id: &str) -> Vec<(i64, String)> {
    let held = hub.records().await.event_ids(box_id).await.unwrap();
    held.into_iter().map(|e| (e.seq, e.id)).collect()
}

async fn province_of(national: &HubStore, box_id: &str) -> (String, String) {
    let boxes = national.boxes(&Scope::All).await.unwrap();
    let found = boxes.iter().find(|b| b.box_id == box_id).expect("known");
    (found.province.clone(), found.commune.clone())
}

async fn a_province_hub_joins_later_and_passes_every_event_on_once(engine: Engine) {
    let national = TestBox::start_hub_on(&engine).await;
    let province = TestBox::start_hub().await;

    // The province works alone first: a box syncs over the network, a copy of its card in
    // another board takes a new identity, and a second box comes by USB stick.
    let tb = TestBox::start_on("board-1").await;
    enrol(&province, &tb).await;
    record(&tb.store(), 1_200).await;
    client::sync(&tb.store(), None, &|_| {}).await.unwrap();
    let first = tb.store().box_id().to_string();
    let tb = tb.stopped().await;
    let copy = TestBox::start_copy(&tb.data_dir, "board-2").await;
    record(&copy.store(), 3).await;
    client::sync(&copy.store(), None, &|_| {}).await.unwrap();
    let by_usb = TestBox::start().await;
    enrol(&province, &by_usb).await;
    record(&by_usb.store(), 7).await;
    let (file, _) = client::export(&by_usb.store()).await.unwrap();
    let imported = hub::import(&province.records().await, &file, &|_, _| {})
        .await
        .unwrap();
    assert!(imported.refused.is_empty());
    let boxes = [
        first.clone(),
        copy.store().box_id().to_string(),
        by_usb.store().box_id().to_string(),
    ];
    assert_eq!(
        held(&province, &boxes[2]).await.len(),
        8,
        "a learner and 7 lessons"
    );

    // The national hub makes a join code; the province hub joins with it and passes on.
    let code = join_code(&national);
    let joined = hub_command(&province, &["join", &national.base, &code], "");
    assert!(joined.status.success(), "{}", stdout(&joined));
    // (The serving hub may pass some on at the same time: the national records count.)
    assert!(
        stdout(&joined).contains("Joined the national hub")
            && stdout(&joined).contains("introduced"),
        "{}",
        stdout(&joined)
    );
    let records = national.records().await;
    for box_id in &boxes {
        assert_eq!(
            held(&national, box_id).await,
            held(&province, box_id).await,
            "box {box_id}"
        );
        assert_eq!(
            province_of(&records, box_id).await,
            (PROVINCE.to_string(), "Xã Ea Sol".to_string())
        );
    }
    // The copy's identity is in its line at the national hub too: it speaks for the
    // learners its first identity sent.
    let line = records.boxes(&Scope::All).await.unwrap();
    let copied = line.iter().find(|b| b.box_id == boxes[1]).unwrap();
    assert_eq!(copied.vouched_by.as_deref(), Some(first.as_str()));
    let learners = records
        .learners(&Scope::Province(PROVINCE.into()))
        .await
        .unwrap();
    assert_eq!(learners.len(), 3, "a learner each box recorded for");

    // Again: nothing new goes up, nothing is doubled.
    let again = hub_command(&province, &["forward"], "");
    assert!(again.status.success(), "{}", stdout(&again));
    assert!(stdout(&again).contains("0 box(es) introduced, 0 batch(es), 0 event(s)"));
    assert_eq!(
        hub_ids(&national, &first).await,
        box_events(&tb.store()).await
    );

    // The join code works once: another hub is refused it; the same hub asking again is
    // told it joined.
    let other = crate::support::http()
        .build()
        .unwrap()
        .post(national.url("/hub/v1/join"))
        .json(&Join {
            hub_id: uuid::Uuid::now_v7().to_string(),
            public_key: hocso::protocol::Keys::generate().public_hex(),
            code: code.to_lowercase(),
        })
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), StatusCode::FORBIDDEN);
    let body: serde_json::Value = other.json().await.unwrap();
    assert_eq!(body["error"]["code"], "bad_join_code");
    relay::join(
        &province.records().await,
        &national.base,
        &code,
        (None, false),
    )
    .await
    .expect("the same hub joins again");

    // The national hub's status names the province hub that joined; the province's says
    // where it passes its boxes on.
    let status = stdout(&hub_command(&national, &["status"], ""));
    assert!(status.contains(&format!("({PROVINCE}): hub ")), "{status}");
    let status = stdout(&hub_command(&province, &["status"], ""));
    assert!(status.contains(&national.base), "{status}");

    // Each hub's officer sees the link on the dashboard.
    let mut officer = set_up(&national).await;
    let page = officer.page("/hub", StatusCode::OK).await;
    let joined_hubs = text(&page, "main");
    assert!(
        joined_hubs.contains("Máy chủ các tỉnh đã nối") && joined_hubs.contains(PROVINCE),
        "{joined_hubs}"
    );
    let mut officer = set_up(&province).await;
    let page = officer.page("/hub", StatusCode::OK).await;
    assert!(
        text(&page, "main").contains("✓ Đã gửi hết 1213 bản ghi"),
        "{}",
        text(&page, "main")
    );

    // While it serves, the province hub passes on by itself what arrives later.
    record(&copy.store(), 600).await;
    client::sync(&copy.store(), None, &|_| {}).await.unwrap();
    let province = province.restart().await;
    let expected = held(&province, &boxes[1]).await;
    assert_eq!(expected.len(), 4 + 601);
    for _ in 0..300 {
        if held(&national, &boxes[1]).await == expected {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(held(&national, &boxes[1]).await, expected);
}

async fn a_cut_link_to_the_national_hub_loses_and_doubles_nothing(engine: Engine) {
    let national = TestBox::start_hub_on(&engine).await;
    let province = TestBox::start_hub().await;
    let tb = TestBox::start().await;
    enrol(&province, &tb).await;
    record(&tb.store(), 2_600).await;
    client::sync(&tb.store(), None, &|_| {}).await.unwrap();

    let target = national.base.trim_start_matches("http://").parse().unwrap();
    let faults = Faults {
        cut: 0.5,
        cut_within: 20_000,
        drop_reply: 0.3,
        ..Faults::default()
    };
    let proxy = Proxy::start(target, faults, 7).await;
    let through = format!("http://{}", proxy.addr);
    let code = national
        .records()
        .await
        .new_join_code(PROVINCE)
        .await
        .unwrap();
    let records = province.records().await;
    let mut tries = 0;
    while relay::join(&records, &through, &code, (None, false))
        .await
        .is_err()
    {
        tries += 1;
        assert!(tries < 100, "joined within 100 tries");
    }
    let mut done = None;
    while done.is_none() && tries < 300 {
        tries += 1;
        done = relay::forward(&records).await.ok();
    }
    let done = done.expect("passed on within 300 tries");
    assert!(done.held_back.is_empty(), "{:?}", done.held_back);
    assert!(proxy.cuts() + proxy.dropped() > 0, "the link did fail");
    assert_eq!(
        hub_ids(&national, tb.store().box_id()).await,
        box_events(&tb.store()).await
    );
}

async fn the_national_hub_takes_only_what_boxes_signed_from_hubs_that_joined(engine: Engine) {
    let national = TestBox::start_hub_on(&engine).await;
    let province = TestBox::start_hub().await;
    let tb = TestBox::start().await;
    enrol(&province, &tb).await;
    record(&tb.store(), 3).await;
    client::sync(&tb.store(), None, &|_| {}).await.unwrap();
    let box_id = tb.store().box_id().to_string();
    let records = province.records().await;
    // Stopped, the province hub passes nothing on by itself: only what is called here.
    let _province = province.stopped().await;
    let intro = Introduction {
        box_id: box_id.clone(),
        public_key: records.box_key(&box_id).await.unwrap().unwrap(),
        first_seq: 1,
        commune: "Xã Ea Sol".into(),
        vouched_by: None,
    };
    let http = crate::support::http().build().unwrap();
    let post = async |path: &str, body: Vec<u8>| {
        let response = http
            .post(national.url(path))
            .body(body)
            .send()
            .await
            .unwrap();
        let status = response.status();
        let body = response.bytes().await.unwrap();
        let code = serde_json::from_slice::<serde_json::Value>(&body)
            .map(|v| v["error"]["code"].as_str().unwrap_or_default().to_string())
            .unwrap_or_default();
        (status, code)
    };

    // A hub that has not joined introduces nobody.
    let sealed = envelope::seal(Kind::Introduction, records.hub_id(), records.keys(), &intro);
    assert_eq!(
        post("/hub/v1/introduce", sealed.clone()).await,
        (StatusCode::FORBIDDEN, "bad_introduction".into())
    );
    let code = national
        .records()
        .await
        .new_join_code(PROVINCE)
        .await
        .unwrap();
    relay::join(&records, &national.base, &code, (None, false))
        .await
        .unwrap();
    // Signed by another key than the joined hub's, or naming a box by a bad commune: refused.
    let stranger = hocso::protocol::Keys::generate();
    let forged = envelope::seal(Kind::Introduction, records.hub_id(), &stranger, &intro);
    assert_eq!(
        post("/hub/v1/introduce", forged).await.0,
        StatusCode::FORBIDDEN
    );
    let mut nameless = intro.clone();
    nameless.commune = "\u{202e}Xã".into();
    let sealed_bad = envelope::seal(
        Kind::Introduction,
        records.hub_id(),
        records.keys(),
        &nameless,
    );
    assert_eq!(
        post("/hub/v1/introduce", sealed_bad).await,
        (StatusCode::FORBIDDEN, "bad_introduction".into())
    );
    assert!(
        national
            .records()
            .await
            .boxes(&Scope::All)
            .await
            .unwrap()
            .is_empty()
    );

    // Introduced, the box's own batches are taken; events the province hub signs in the
    // box's name are not (it cannot make records up), and nothing of them is stored.
    let answer = http
        .post(national.url("/hub/v1/introduce"))
        .body(sealed)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::OK);
    let made_up = Batch {
        box_id: box_id.clone(),
        commune: "Xã Ea Sol".into(),
        events: vec![hocso::protocol::wire::WireEvent {
            seq: 1,
            id: uuid::Uuid::now_v7().to_string(),
            kind: "lesson_finished".into(),
            learner: None,
            lesson: Some("dien-thoai/bai-1".into()),
            payload: json!({}),
            at: "2026-11-25T08:00:00Z".into(),
            recorded_at: "2026-11-25T08:00:00Z".into(),
        }],
        learners: vec![],
    };
    let forged = envelope::seal(Kind::Batch, &box_id, records.keys(), &made_up);
    assert_eq!(
        post("/hub/v1/push", forged).await,
        (StatusCode::FORBIDDEN, "bad_signature".into())
    );
    assert!(hub_ids(&national, &box_id).await.is_empty());
    // Another key for a box id the national hub knows is refused.
    let mut taken = intro.clone();
    taken.public_key = stranger.public_hex();
    let sealed = envelope::seal(Kind::Introduction, records.hub_id(), records.keys(), &taken);
    assert_eq!(
        post("/hub/v1/introduce", sealed).await,
        (StatusCode::CONFLICT, "key_taken".into())
    );
    let done = relay::forward(&records).await.unwrap();
    assert_eq!(
        (done.introduced, done.events),
        (1, 4),
        "a learner joined and 3 lessons"
    );
    assert_eq!(
        hub_ids(&national, &box_id).await,
        box_events(&tb.store()).await
    );
}

async fn what_a_province_hub_took_before_it_kept_signed_batches_goes_signed_by_it(engine: Engine) {
    let national = TestBox::start_hub_on(&engine).await;
    let province = TestBox::start_hub().await;
    let records = province.records().await;
    let tb = TestBox::start().await;
    enrol(&province, &tb).await;
    record(&tb.store(), 1_199).await;
    // Taken as a hub before this version took them: the events, not the signed batches.
    let (file, _) = client::export(&tb.store()).await.unwrap();
    for part in hocso::protocol::file::read(&file).unwrap() {
        let batch = hub::open_batch(&records, part).await.unwrap().unwrap();
        records.accept(batch, None).await.unwrap().unwrap();
    }
    // The box, never answered, sends again: the hub's answer to its first batch moves it on
    // to what it has not sent, and only that batch, which brings something new, is kept.
    record(&tb.store(), 5).await;
    client::sync(&tb.store(), None, &|_| {}).await.unwrap();
    let box_id = tb.store().box_id().to_string();
    assert_eq!(held(&province, &box_id).await.len(), 1_206);
    // Stopped, the province hub passes nothing on by itself: only what is called here.
    let _province = province.stopped().await;

    let code = national
        .records()
        .await
        .new_join_code(PROVINCE)
        .await
        .unwrap();
    relay::join(&records, &national.base, &code, (None, false))
        .await
        .unwrap();
    let done = relay::forward(&records).await.unwrap();
    assert_eq!((done.events, done.signed_here), (1_206, 1_200));
    assert_eq!(
        hub_ids(&national, &box_id).await,
        box_events(&tb.store()).await
    );

    // Another province hub that joined cannot sign for a box it did not introduce.
    let other = TestBox::start_hub().await;
    let other_records = other.records().await;
    let code = national
        .records()
        .await
        .new_join_code("Lâm Đồng")
        .await
        .unwrap();
    relay::join(&other_records, &national.base, &code, (None, false))
        .await
        .unwrap();
    let HubStore::Sqlite(sqlite) = &records else {
        unreachable!("a province hub on SQLite")
    };
    let batch = sqlite.unsealed_after(&box_id, 0, 3).await.unwrap().unwrap();
    let sealed = envelope::seal(
        Kind::Batch,
        other_records.hub_id(),
        other_records.keys(),
        &batch,
    );
    let refused = crate::support::http()
        .build()
        .unwrap()
        .post(national.url("/hub/v1/push"))
        .body(sealed)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
}

on_both_engines!(
    a_province_hub_joins_later_and_passes_every_event_on_once,
    a_cut_link_to_the_national_hub_loses_and_doubles_nothing,
    the_national_hub_takes_only_what_boxes_signed_from_hubs_that_joined,
    what_a_province_hub_took_before_it_kept_signed_batches_goes_signed_by_it,
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_national_hub_restored_from_an_older_backup_is_given_everything_again() {
    let national = TestBox::start_hub().await;
    let province = TestBox::start_hub().await;
    let records = province.records().await;
    let tb = TestBox::start().await;
    enrol(&province, &tb).await;
    record(&tb.store(), 700).await;
    client::sync(&tb.store(), None, &|_| {}).await.unwrap();
    let code = national
        .records()
        .await
        .new_join_code(PROVINCE)
        .await
        .unwrap();
    relay::join(&records, &national.base, &code, (None, false))
        .await
        .unwrap();
    // The national hub's backup: joined, the box not introduced yet.
    let national = national.stopped().await;
    let backup = TestBox::start_hub_copy(&national.data_dir)
        .await
        .stopped()
        .await;
    let national = national.restart().await;
    relay::join(&records, &national.base, &code, (None, false))
        .await
        .unwrap();
    relay::forward(&records).await.unwrap();
    assert_eq!(held(&national, tb.store().box_id()).await.len(), 701);

    // Restored from it, the national hub has never heard of the box; the province hub
    // introduces it again and passes everything on, with what came since.
    drop(national.stopped().await);
    let national = TestBox::start_hub_copy(&backup.data_dir).await;
    assert!(
        national
            .records()
            .await
            .boxes(&Scope::All)
            .await
            .unwrap()
            .is_empty()
    );
    record(&tb.store(), 5).await;
    client::sync(&tb.store(), None, &|_| {}).await.unwrap();
    relay::join(&records, &national.base, &code, (None, false))
        .await
        .unwrap();
    // (The serving province hub may do it first, by itself: the national records count.)
    let done = relay::forward(&records).await.unwrap();
    assert!(done.held_back.is_empty(), "{:?}", done.held_back);
    assert_eq!(
        hub_ids(&national, tb.store().box_id()).await,
        box_events(&tb.store()).await
    );
}
