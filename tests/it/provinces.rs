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
    // The nation's boxes are in their CSV file; the page lists those quiet for a week.
    let said = texts(&page, "main p");
    assert!(
        said.iter()
            .any(|p| p.starts_with("2 hộp đã đăng ký; 0 hộp chưa đồng bộ")),
        "{said:?}"
    );
    let boxes = csv(&mut national, "/hub/csv/boxes").await;
    assert!(
        boxes.iter().any(|l| l.contains("Xã Ea Sol"))
            && boxes.iter().any(|l| l.contains("Xã Nà Hang")),
        "{boxes:?}"
    );
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

/// Every line of the dashboard's sums in `hub`'s database, and the same made again from the
/// learners (`resum`'s text, run in a transaction undone after), on its engine.
pub(crate) async fn sums_and_remade(hub: &TestBox) -> (Vec<String>, Vec<String>) {
    const READ: &str = "SELECT province || '|' || dimension || '|' || key || '|' || learners || '|' || lessons
        || '|' || practices || '|' || modules || '|' || attended FROM hub_sums WHERE learners > 0 ORDER BY 1";
    const REMAKE: &str = "DELETE FROM hub_sums;
        INSERT INTO hub_sums SELECT province, 'province', province, COUNT(*), SUM(lessons), SUM(practices), SUM(modules), SUM(attended) FROM hub_learners GROUP BY 1, 3;
        INSERT INTO hub_sums SELECT province, 'commune', commune, COUNT(*), SUM(lessons), SUM(practices), SUM(modules), SUM(attended) FROM hub_learners GROUP BY 1, 3;
        INSERT INTO hub_sums SELECT province, 'village', commune || ' · ' || village, COUNT(*), SUM(lessons), SUM(practices), SUM(modules), SUM(attended) FROM hub_learners GROUP BY 1, 3;
        INSERT INTO hub_sums SELECT province, 'birth_year', COALESCE(CAST(birth_year AS TEXT), ''), COUNT(*), SUM(lessons), SUM(practices), SUM(modules), SUM(attended) FROM hub_learners GROUP BY 1, 3;
        INSERT INTO hub_sums SELECT province, 'gender', COALESCE(gender, ''), COUNT(*), SUM(lessons), SUM(practices), SUM(modules), SUM(attended) FROM hub_learners GROUP BY 1, 3;
        INSERT INTO hub_sums SELECT province, 'ethnic', COALESCE(ethnic_group, ''), COUNT(*), SUM(lessons), SUM(practices), SUM(modules), SUM(attended) FROM hub_learners GROUP BY 1, 3;";
    match &hub.database {
        Some(database) => {
            let mut pg = crate::postgres::connect_to(database).await;
            let tx = pg.transaction().await.unwrap();
            let read = async |tx: &tokio_postgres::Transaction<'_>| -> Vec<String> {
                let rows = tx.query(READ, &[]).await.unwrap();
                rows.iter().map(|r| r.get(0)).collect()
            };
            let kept = read(&tx).await;
            tx.batch_execute(REMAKE).await.unwrap();
            let remade = read(&tx).await;
            tx.rollback().await.unwrap();
            (kept, remade)
        }
        None => {
            let mut db =
                rusqlite::Connection::open(hub.data_dir.join(hocso::store::DB_FILE)).unwrap();
            db.busy_timeout(std::time::Duration::from_secs(10)).unwrap();
            let tx = db.transaction().unwrap();
            let read = |tx: &rusqlite::Transaction<'_>| -> Vec<String> {
                let mut stmt = tx.prepare(READ).unwrap();
                stmt.query_map([], |r| r.get(0))
                    .unwrap()
                    .map(Result::unwrap)
                    .collect()
            };
            let kept = read(&tx);
            tx.execute_batch(REMAKE).unwrap();
            let remade = read(&tx);
            tx.rollback().unwrap();
            (kept, remade)
        }
    }
}

fn profile(id: &str, village: &str, birth_year: Option<i64>, gender: Option<&str>) -> WireLearner {
    WireLearner {
        id: id.into(),
        name: None,
        village: village.into(),
        birth_year,
        gender: gender.map(Into::into),
        ethnic_group: Some("Ê Đê".into()),
    }
}

fn finished(
    seq: i64,
    learner: &str,
    kind: &str,
    lesson: Option<&str>,
    payload: serde_json::Value,
) -> WireEvent {
    WireEvent {
        seq,
        id: uuid::Uuid::now_v7().to_string(),
        kind: kind.into(),
        learner: Some(learner.into()),
        lesson: lesson.map(Into::into),
        payload,
        at: "2026-12-01T08:00:00Z".into(),
        recorded_at: "2026-12-01T08:00:00Z".into(),
    }
}

/// The sums a dashboard reads are what summing every learner gives, after learners join,
/// finish lessons, win a scenario, attend, move village and give their birth year, batch
/// after batch, in two provinces.
async fn the_dashboards_sums_are_the_learners_summed(engine: Engine) {
    let hub = TestBox::start_hub_on(&engine).await;
    let records = hub.records().await;
    let (first, _) = commune(&hub, "Đắk Lắk", "Xã Ea Sol").await;
    commune(&hub, "Lâm Đồng", "Xã Đạ Tẻh").await;
    let (a, b) = (
        uuid::Uuid::now_v7().to_string(),
        uuid::Uuid::now_v7().to_string(),
    );
    let batch = |seq: i64, learners: Vec<WireLearner>, events: Vec<WireEvent>| Batch {
        box_id: first.clone(),
        commune: "Xã Ea Sol".into(),
        events: events
            .into_iter()
            .enumerate()
            .map(|(i, mut e)| {
                e.seq = seq + i as i64;
                e
            })
            .collect(),
        learners,
    };
    let won = json!({"scenario": "an-toan/tin-nhan-la", "win": true});
    for (i, b) in [
        batch(
            2,
            vec![
                profile(&a, "Buôn A", None, None),
                profile(&b, "Buôn A", Some(1990), Some("nu")),
            ],
            vec![
                finished(
                    0,
                    &a,
                    "lesson_finished",
                    Some("dien-thoai/bat-dau"),
                    json!({}),
                ),
                finished(
                    0,
                    &b,
                    "live_attended",
                    Some("dien-thoai/bat-dau"),
                    json!({}),
                ),
            ],
        ),
        batch(
            4,
            vec![profile(&a, "Buôn Trấp", Some(1960), Some("nam"))],
            vec![
                finished(0, &a, "practice_finished", None, won.clone()),
                finished(
                    0,
                    &a,
                    "lesson_finished",
                    Some("dien-thoai/bat-dau"),
                    json!({}),
                ),
                finished(0, &b, "lesson_finished", Some("internet/la-gi"), json!({})),
            ],
        ),
    ]
    .into_iter()
    .enumerate()
    {
        records.accept(b, None).await.unwrap().unwrap();
        let (kept, remade) = sums_and_remade(&hub).await;
        assert_eq!(kept, remade, "after batch {i}");
    }
    let (kept, _) = sums_and_remade(&hub).await;
    assert!(
        kept.iter()
            .any(|l| l == "Đắk Lắk|village|Xã Ea Sol · Buôn Trấp|1|1|1|0|0"),
        "{kept:#?}"
    );
    // Buôn A keeps the commune's first learner and b: a moved away.
    assert!(
        kept.iter()
            .any(|l| l.starts_with("Đắk Lắk|village|Xã Ea Sol · Buôn A|2|")),
        "{kept:#?}"
    );
    let tallies = records
        .tallies(&Scope::All, hocso::store::Dimension::Gender, true)
        .await
        .unwrap();
    let women = tallies
        .iter()
        .find(|t| t.province == "Đắk Lắk" && t.key.as_deref() == Some("nu"))
        .unwrap();
    assert_eq!(
        (women.learners, women.lessons, women.attended),
        (2, 3, 1),
        "b and the first learner"
    );
}

on_both_engines!(the_dashboards_sums_are_the_learners_summed);
