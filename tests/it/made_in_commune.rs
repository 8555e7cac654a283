//! Made in one commune, shared with every commune, through a real hub: a box's facilitator
//! writes a lesson with a photo and records a reading in Ê Đê; nothing leaves the box until
//! "Gửi lên tỉnh"; then a sync carries both to the hub, where an officer reads, previews and
//! listens, and publishes each to every box as a signed pack crediting the commune. Another
//! box's next sync brings the lesson (with its photo) and the reading; the first box's own
//! copy yields to the province's. On both engines.

use reqwest::StatusCode;
use serde_json::Value;

use crate::authoring::{PHOTO, VOICE, lesson_fields, post_multipart};
use crate::facilitators::set_up;
use crate::postgres::{Engine, on_both_engines};
use crate::support::{Phone, TestBox, attrs, location, text, texts};
use hocso::sync::client;

async fn enrol_as(hub: &TestBox, tb: &TestBox, commune: &str) {
    let code = hub.records().await.new_code(commune, "").await.unwrap();
    client::enroll(&tb.store(), &hub.base, &code, None)
        .await
        .expect("enrolled");
}

async fn sync(tb: &TestBox) -> client::Outcome {
    client::sync(&tb.store(), None, &|_| {})
        .await
        .expect("a sync")
}

/// The proposals an officer lists: each row's link.
async fn listed(officer: &mut Phone<'_>) -> Vec<String> {
    let page = officer.page("/hub/de-xuat", StatusCode::OK).await;
    attrs(&page, "main a[href^='/hub/de-xuat/']", "href")
        .into_iter()
        .filter(|h| h.matches('/').count() == 3)
        .collect()
}

async fn a_communes_lesson_and_reading_reach_every_box_through_the_province(engine: Engine) {
    let hub = TestBox::start_hub_on(&engine).await;
    let ea_tu = TestBox::start().await;
    let other = TestBox::start().await;
    let mut officer = set_up(&hub).await;
    let mut f = set_up(&ea_tu).await;
    enrol_as(&hub, &ea_tu, "Xã Ea Tu").await;
    enrol_as(&hub, &other, "Xã Ea Sol").await;

    // A lesson of the commune's own module, with a photo, and a reading in Ê Đê.
    let mut fields = lesson_fields(
        "01-dien-thoai/01-bat-dau.vi.md",
        "Chợ phiên và điện thoại",
        "bai-cua-xa",
        "cho-phien",
        "xuat-ban",
    );
    fields.retain(|(k, _)| k != "title");
    fields.push(("title".into(), "Chợ phiên và điện thoại".into()));
    let made = post_multipart(
        &mut f,
        "/f/bai-hoc/moi",
        &fields,
        &[("anh_0".into(), "chup.jpg", PHOTO.to_vec())],
    )
    .await;
    assert!(
        location(&made).ends_with("?luu=xuat-ban"),
        "{}",
        location(&made)
    );
    let read = post_multipart(
        &mut f,
        "/f/bai-doc/an-toan/mat-khau-otp",
        &[("lang".into(), "ede".into()), ("slide".into(), "2".into())],
        &[("file".into(), "doc.ogg", VOICE.to_vec())],
    )
    .await;
    assert_eq!(read.status(), StatusCode::SEE_OTHER);

    // Nothing leaves before "Gửi lên tỉnh".
    sync(&ea_tu).await;
    assert!(listed(&mut officer).await.is_empty());
    let sent = f.post_f("/f/bai-hoc/bai-cua-xa/cho-phien/gui", &[]).await;
    assert!(location(&sent).ends_with("?luu=gui"));
    let reading = ea_tu.store().local_readings().await.unwrap().remove(0);
    let sent = f
        .post_f(&format!("/f/bai-doc/ban/{}/gui", reading.id), &[])
        .await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    assert_eq!(ea_tu.store().proposals_out().await.unwrap().waiting, 2);
    // "Gửi lên tỉnh" wakes the box's own sync, which may send one or both before this one:
    // after it, none waits, and the hub holds both (listed below).
    let outcome = sync(&ea_tu).await;
    assert!(outcome.proposals <= 2, "{}", outcome.proposals);
    assert_eq!(ea_tu.store().proposals_out().await.unwrap().waiting, 0);

    // The officer reads, previews and listens, then publishes both.
    let links = listed(&mut officer).await;
    assert_eq!(links.len(), 2, "{links:?}");
    for link in &links {
        let page = officer.page(link, StatusCode::OK).await;
        let id = link.rsplit('/').next().unwrap();
        if let Some(src) = attrs(&page, "audio", "src").first() {
            let heard = officer.get(src).await;
            assert_eq!(heard.status(), StatusCode::OK);
            assert_eq!(heard.bytes().await.unwrap(), VOICE);
        } else {
            assert!(
                attrs(&page, "iframe", "src")
                    .iter()
                    .any(|s| s.ends_with("/xem"))
            );
            let preview = officer.page(&format!("{link}/xem"), StatusCode::OK).await;
            assert_eq!(text(&preview, "h1"), "Chợ phiên và điện thoại");
        }
        let adopted = officer
            .post_f(&format!("/hub/de-xuat/{id}/xuat-ban"), &[])
            .await;
        assert_eq!(
            adopted.status(),
            StatusCode::SEE_OTHER,
            "{}",
            adopted.text().await.unwrap()
        );
    }

    // Every box's next sync brings them, credited to the commune.
    let outcome = sync(&other).await;
    assert_eq!(outcome.packs, 2);
    // (The box's background sync reads its lessons again after new packs; a restart does here.)
    let other = other.restart().await;
    let lesson = other
        .page("/m/bai-cua-xa/cho-phien?phan=ca", StatusCode::OK)
        .await;
    assert_eq!(text(&lesson, "h1"), "Chợ phiên và điện thoại");
    assert!(
        text(&lesson, ".own").contains("Ea Tu"),
        "{}",
        text(&lesson, ".own")
    );
    let photo = attrs(&lesson, ".lesson-text img", "src")
        .into_iter()
        .find(|s| s.starts_with("/media/"))
        .expect("the photo came with the pack");
    assert_eq!(
        other.get(&photo).await.headers()["content-type"],
        "image/jpeg"
    );
    let api: Vec<Value> = other.get("/api/v1/lessons").await.json().await.unwrap();
    let entry = api
        .iter()
        .find(|l| l["id"] == "bai-cua-xa/cho-phien")
        .unwrap();
    assert_eq!(entry["source"], "pack");
    let heard = other
        .page("/m/an-toan/mat-khau-otp?phan=2", StatusCode::OK)
        .await;
    assert_eq!(
        texts(&heard, ".readings p span"),
        ["Nghe bằng tiếng Ê Đê · trang 2"]
    );
    let src = &attrs(&heard, ".readings audio", "src")[0];
    assert_eq!(other.get(src).await.bytes().await.unwrap(), VOICE);

    // The commune's own copy yields to the province's: one lesson, credited, no double.
    sync(&ea_tu).await;
    let ea_tu = ea_tu.restart().await;
    let lesson = ea_tu.page("/m/bai-cua-xa/cho-phien", StatusCode::OK).await;
    assert!(
        texts(&lesson, ".own .badge").is_empty(),
        "the province's copy is served"
    );
    let api: Vec<Value> = ea_tu
        .get("/api/v1/lessons?lang=vi")
        .await
        .json()
        .await
        .unwrap();
    let same: Vec<&Value> = api
        .iter()
        .filter(|l| l["id"] == "bai-cua-xa/cho-phien")
        .collect();
    assert_eq!(same.len(), 1);
    assert_eq!(same[0]["source"], "pack");
}

on_both_engines!(a_communes_lesson_and_reading_reach_every_box_through_the_province);
