//! Provinces above communes, on both engines: codes made for a commune of a province, boxes
//! and learners belonging to it; a national officer sees every province with a breakdown by
//! province and a province column in every CSV, a province's officer only their own.

use hocso::protocol::wire::{Batch, WireEvent, WireLearner};
use hocso::protocol::{Keys, envelope, envelope::Kind};
use hocso::store::{NewFacilitator, Scope};
use reqwest::StatusCode;
use serde_json::json;

use crate::facilitators::{PASSWORD, csrf, set_up};
use crate::postgres::{Engine, on_both_engines};
use crate::support::{Phone, TestBox, texts};

/// Enrols a new box with a code for `commune` of `province`, and sends a day of it: one
/// learner who finished a lesson. Answers the box's id and keys.
pub(crate) async fn commune(hub: &TestBox, province: &str, commune: &str) -> (String, Keys) {
    let records = hub.records().await;
    let code = records.new_code(commune, province).await.unwrap();
    let (box_id, keys) = (uuid::Uuid::now_v7().to_string(), Keys::generate());
    let enrolled = hub
        .client
        .post(hub.url("/hub/v1/enroll"))
        .json(&json!({
            "box_id": box_id, "commune": commune, "public_key": keys.public_hex(),
            "first_seq": 1, "code": code,
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(enrolled.status(), StatusCode::OK);
    let learner = uuid::Uuid::now_v7().to_string();
    let batch = Batch {
        box_id: box_id.clone(),
        commune: commune.into(),
        events: vec![WireEvent {
            seq: 1,
            id: uuid::Uuid::now_v7().to_string(),
            kind: "lesson_finished".into(),
            learner: Some(learner.clone()),
            lesson: Some("dien-thoai/bat-dau".into()),
            payload: json!({}),
            at: "2026-12-01T08:00:00Z".into(),
            recorded_at: "2026-12-01T08:00:00Z".into(),
        }],
        learners: vec![WireLearner {
            id: learner,
            name: None,
            village: "Buôn A".into(),
            birth_year: Some(1990),
            gender: Some("nu".into()),
            ethnic_group: None,
        }],
    };
    let pushed = hub
        .client
        .post(hub.url("/hub/v1/push"))
        .body(envelope::seal(Kind::Batch, &box_id, &keys, &batch))
        .send()
        .await
        .unwrap();
    assert_eq!(pushed.status(), StatusCode::OK);
    (box_id, keys)
}

async fn csv(officer: &mut Phone<'_>, path: &str) -> Vec<String> {
    let text = officer.get(path).await.text().await.unwrap();
    text.trim_start_matches('\u{feff}')
        .lines()
        .map(str::to_string)
        .collect()
}

async fn provinces_and_their_officers(engine: Engine) {
    let hub = TestBox::start_hub_on(&engine).await;
    let mut national = set_up(&hub).await;
    let (dak_lak, _) = commune(&hub, "Đắk Lắk", "Xã Ea Sol").await;
    let (tuyen_quang, their_keys) = commune(&hub, "Tuyên Quang", "Xã Nà Hang").await;

    // The first officer sees the nation: a breakdown by province, both communes.
    let page = national.page("/hub", StatusCode::OK).await;
    let h1 = texts(&page, "h1");
    assert_eq!(h1, ["Học số · Tổng quan cả nước"]);
    let headings = texts(&page, "h2");
    assert!(headings.contains(&"Theo tỉnh".to_string()), "{headings:?}");
    let cells = texts(&page, "table.report td");
    assert!(cells.contains(&"Xã Ea Sol".to_string()) && cells.contains(&"Xã Nà Hang".to_string()));
    let lines = csv(&mut national, "/hub/csv/commune").await;
    assert!(lines[0].starts_with("Tỉnh,Theo xã,"), "{lines:?}");
    assert!(
        lines.contains(&"Đắk Lắk,Xã Ea Sol,1,1,0,0,0".to_string()),
        "{lines:?}"
    );
    assert!(
        lines.contains(&"Tuyên Quang,Xã Nà Hang,1,1,0,0,0".to_string()),
        "{lines:?}"
    );
    assert_eq!(lines.last().unwrap(), ",Cả nước,2,2,0,0,0");
    let lines = csv(&mut national, "/hub/csv/province").await;
    assert_eq!(
        lines[1..],
        [
            "Đắk Lắk,1,1,0,0,0",
            "Tuyên Quang,1,1,0,0,0",
            "Cả nước,2,2,0,0,0"
        ]
    );
    for by in ["village", "age", "gender", "ethnic", "boxes"] {
        let lines = csv(&mut national, &format!("/hub/csv/{by}")).await;
        assert!(lines[0].starts_with("Tỉnh,"), "{by}: {lines:?}");
    }

    // A province's officer: only Đắk Lắk, in pages, CSV files, codes and reply files.
    let records = hub.records().await;
    records
        .accounts()
        .add_facilitator(NewFacilitator {
            province: Some("Đắk Lắk".into()),
            ..hocso::facilitate::new_facilitator("Y Blang", PASSWORD, PASSWORD).unwrap()
        })
        .await
        .unwrap()
        .unwrap();
    let mut officer = Phone::new(&hub);
    let token = csrf(&mut officer, "/f/signin").await;
    let signed_in = officer
        .post_form(
            "/f/signin",
            &[
                ("csrf", &token),
                ("name", "Y Blang"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);
    let page = officer.page("/hub", StatusCode::OK).await;
    assert_eq!(texts(&page, "h1"), ["Học số · Tổng quan tỉnh Đắk Lắk"]);
    assert!(!texts(&page, "h2").contains(&"Theo tỉnh".to_string()));
    let cells = texts(&page, "table.report td");
    assert!(cells.contains(&"Xã Ea Sol".to_string()));
    assert!(!cells.iter().any(|c| c.contains("Nà Hang")), "{cells:?}");
    let lines = csv(&mut officer, "/hub/csv/commune").await;
    assert_eq!(
        lines[1..],
        ["Đắk Lắk,Xã Ea Sol,1,1,0,0,0", ",Cả tỉnh Đắk Lắk,1,1,0,0,0"]
    );
    let boxes = csv(&mut officer, "/hub/csv/boxes").await.join("\n");
    assert!(boxes.contains(&dak_lak) && !boxes.contains(&tuyen_quang));
    let reply = officer.get(&format!("/hub/usb/reply/{tuyen_quang}")).await;
    assert_eq!(reply.status(), StatusCode::NOT_FOUND);
    let reply = officer.get(&format!("/hub/usb/reply/{dak_lak}")).await;
    assert_eq!(reply.status(), StatusCode::OK);
    // Nor takes another province's USB file: nothing of it is stored.
    let usb =
        hocso::protocol::file::write(&[crate::sync::sealed(&tuyen_quang, &their_keys, 2..=3)]);
    officer.get("/hub/usb").await;
    let refused = crate::sync::upload(&mut officer, "/hub/usb", &usb, true).await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("không thuộc tỉnh của bạn")
    );
    assert_eq!(records.held(&tuyen_quang).await.unwrap(), Some(1));
    let taken = crate::sync::upload(&mut national, "/hub/usb", &usb, true).await;
    assert_eq!(taken.status(), StatusCode::OK);
    assert_eq!(records.held(&tuyen_quang).await.unwrap(), Some(3));

    // The officer's codes are of their province, whatever the form says.
    let page = officer.page("/hub/codes", StatusCode::OK).await;
    assert!(crate::support::attrs(&page, "input[name=province]", "name").is_empty());
    let token = crate::support::attrs(&page, "input[name=csrf]", "value").remove(0);
    let made = officer
        .post_form(
            "/hub/codes",
            &[
                ("csrf", &token),
                ("commune", "Xã Cư Prao"),
                ("province", "Tuyên Quang"),
            ],
        )
        .await;
    assert_eq!(made.status(), StatusCode::OK);
    let codes = records
        .codes(&Scope::Province("Đắk Lắk".into()))
        .await
        .unwrap();
    assert_eq!(
        (codes[0].commune.as_str(), codes[0].province.as_str()),
        ("Xã Cư Prao", "Đắk Lắk")
    );
    let theirs = records
        .codes(&Scope::Province("Tuyên Quang".into()))
        .await
        .unwrap();
    assert_eq!(
        theirs.len(),
        1,
        "only the code made by the national officer"
    );
}

on_both_engines!(provinces_and_their_officers);
