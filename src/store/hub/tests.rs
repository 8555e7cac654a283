//! The hub's store tests, on SQLite (the same answers on PostgreSQL are the integration
//! tests' `NAME::postgres`): a scenario counted by a win only, a code read however typed, a
//! hub from before provinces keeping and counting its records, learners' modules following
//! what completes a module, a proposal and its media kept once.

use rusqlite::Connection;

use crate::store::{DB_FILE, MIGRATIONS, Store, now};

#[tokio::test]
async fn a_scenario_is_practised_once_by_a_win_and_never_by_a_loss() {
    use crate::protocol::wire::{Batch, Enrol, WireEvent, WireLearner};
    let dir = tempfile::tempdir().unwrap();
    let hub = Store::open(dir.path()).unwrap().hub();
    let code = hub.new_code("Xã Ea Sol", "").await.unwrap();
    let box_id = uuid::Uuid::now_v7().to_string();
    hub.enrol(Enrol {
        box_id: box_id.clone(),
        commune: "Xã Ea Sol".into(),
        public_key: "00".into(),
        first_seq: 1,
        code: Some(code),
        vouch: None,
    })
    .await
    .unwrap()
    .unwrap();
    let (a, b) = (
        uuid::Uuid::now_v7().to_string(),
        uuid::Uuid::now_v7().to_string(),
    );
    let event = |kind: &str, learner: &str, payload: serde_json::Value| WireEvent {
        seq: 0,
        id: uuid::Uuid::now_v7().to_string(),
        kind: kind.into(),
        learner: Some(learner.into()),
        lesson: Some("an-toan/cuoc-goi-lua-dao".into()),
        payload,
        at: now(),
        recorded_at: now(),
    };
    let end = |scenario: &str, win: serde_json::Value| serde_json::json!({ "scenario": scenario, "run": uuid::Uuid::now_v7().to_string(), "end": "ket-thuc", "win": win });
    let mut events = vec![
        // a wins the call twice (two runs) and loses the link: the call once.
        event(
            "practice_finished",
            &a,
            end("an-toan/cong-an-gia", true.into()),
        ),
        event(
            "practice_finished",
            &a,
            end("an-toan/cong-an-gia", true.into()),
        ),
        event(
            "practice_finished",
            &a,
            end("internet/doc-ten-mien", false.into()),
        ),
        // b loses, then wins after: done. A win written as a string or a number is not one.
        event(
            "practice_finished",
            &b,
            end("internet/doc-ten-mien", false.into()),
        ),
        event(
            "practice_finished",
            &b,
            end("internet/doc-ten-mien", true.into()),
        ),
        event(
            "practice_finished",
            &b,
            end("an-toan/cong-an-gia", "true".into()),
        ),
        event(
            "practice_finished",
            &b,
            end("dien-thoai/cai-dat-bao-mat", 1.into()),
        ),
        // A step that was right is no end.
        event(
            "practice_step",
            &b,
            serde_json::json!({ "scenario": "dien-thoai/cai-dat-bao-mat", "run": "r", "step": "s", "right": true, "next": "n", "win": true }),
        ),
    ];
    for (i, e) in events.iter_mut().enumerate() {
        e.seq = i as i64 + 1;
    }
    let learner = |id: &str| WireLearner {
        id: id.into(),
        name: None,
        village: "Buôn Đôn".into(),
        birth_year: None,
        gender: None,
        ethnic_group: None,
    };
    hub.accept(
        Batch {
            box_id,
            commune: "Xã Ea Sol".into(),
            events,
            learners: vec![learner(&a), learner(&b)],
        },
        None,
    )
    .await
    .unwrap()
    .unwrap();
    let mut practised: Vec<(String, String)> = hub
        .practised(&crate::store::Scope::All)
        .await
        .unwrap()
        .into_iter()
        .map(|p| (p.learner_id, p.scenario_id))
        .collect();
    practised.sort();
    let mut expected = vec![
        (a.clone(), "an-toan/cong-an-gia".to_string()),
        (b.clone(), "internet/doc-ten-mien".to_string()),
    ];
    expected.sort();
    assert_eq!(practised, expected);
    assert!(
        hub.finished(&crate::store::Scope::All)
            .await
            .unwrap()
            .is_empty(),
        "practice finishes no lesson"
    );
}

#[test]
fn an_enrolment_code_is_read_in_any_case_with_spaces_or_dashes() {
    for typed in [
        "9P4D-E73X",
        "9p4d e73x",
        "9p4de73x",
        " 9P4D - E73X ",
        "9p4d–e73x",
    ] {
        assert_eq!(super::tidy_code(typed), "9P4D-E73X", "{typed:?}");
    }
    assert_eq!(super::tidy_code("ABC"), "ABC");
}

#[tokio::test]
async fn a_hub_from_before_provinces_keeps_its_records_and_counts_them() {
    // A hub's database at version 6 (before provinces and counts), with a box, its learner
    // and events: opened, its counts are made from the events it held, in no province.
    let dir = tempfile::tempdir().unwrap();
    {
        let conn = Connection::open(dir.path().join(DB_FILE)).unwrap();
        for sql in &MIGRATIONS[..6] {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", 6).unwrap();
        conn.execute_batch(
            "INSERT INTO hub_boxes (box_id, commune, public_key, first_seq, held, enrolled_at)
                 VALUES ('b', 'Xã Ea Sol', 'k', 1, 4, '2026-01-01T00:00:00Z');
             INSERT INTO hub_learners (id, box_id, commune, village) VALUES ('l', 'b', 'Xã Ea Sol', 'Buôn Đôn');
             INSERT INTO hub_events (box_id, seq, id, kind, learner_id, lesson_id, payload, at, recorded_at, received_at) VALUES
                 ('b', 1, 'e1', 'lesson_finished', 'l', 'dien-thoai/bat-dau', '{}', '', '2026-01-01T08:00:00Z', ''),
                 ('b', 2, 'e2', 'lesson_finished', 'l', 'dien-thoai/bat-dau', '{}', '', '2026-01-02T08:00:00Z', ''),
                 ('b', 3, 'e3', 'live_attended', 'l', 'internet/la-gi', '{}', '', '2026-01-02T09:00:00Z', ''),
                 ('b', 4, 'e4', 'practice_finished', 'l', NULL, '{\"scenario\":\"an-toan/x\",\"win\":true}', '', '2026-01-02T09:00:00Z', '');",
        )
        .unwrap();
    }
    let hub = Store::open_on(dir.path(), None).unwrap().hub();
    let all = crate::store::Scope::All;
    let mut finished: Vec<String> = hub
        .finished(&all)
        .await
        .unwrap()
        .into_iter()
        .map(|f| f.lesson_id)
        .collect();
    finished.sort();
    assert_eq!(finished, ["dien-thoai/bat-dau", "internet/la-gi"]);
    assert_eq!(
        hub.practised(&all).await.unwrap()[0].scenario_id,
        "an-toan/x"
    );
    assert_eq!(hub.attendance(&all).await.unwrap(), [("l".to_string(), 1)]);
    assert_eq!(
        hub.daily(&all, "2026-01-01").await.unwrap(),
        [("2026-01-01".to_string(), 1), ("2026-01-02".to_string(), 3)]
    );
    let boxes = hub.boxes(&all).await.unwrap();
    assert_eq!((boxes[0].province.as_str(), boxes[0].events), ("", 4));
    let province = crate::store::Scope::Province("Đắk Lắk".into());
    assert!(hub.learners(&province).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_learners_modules_follow_what_completes_a_module() {
    use crate::protocol::wire::{Batch, Enrol, WireEvent, WireLearner};
    use crate::store::{Dimension, Scope};
    let dir = tempfile::tempdir().unwrap();
    let hub = Store::open(dir.path()).unwrap().hub();
    let item = |m: &str, kind: &str, id: &str| (m.to_string(), kind.to_string(), id.to_string());
    assert!(
        hub.set_modules(vec![
            item("m", "lesson", "m/a"),
            item("m", "scenario", "m/s")
        ])
        .await
        .unwrap()
    );
    let code = hub.new_code("Xã Ea Sol", "Đắk Lắk").await.unwrap();
    let box_id = uuid::Uuid::now_v7().to_string();
    let enrol = Enrol {
        box_id: box_id.clone(),
        commune: "Xã Ea Sol".into(),
        public_key: "00".into(),
        first_seq: 1,
        code: Some(code),
        vouch: None,
    };
    hub.enrol(enrol).await.unwrap().unwrap();
    let learner = uuid::Uuid::now_v7().to_string();
    let event = |seq: i64, kind: &str, lesson: Option<&str>, payload| WireEvent {
        seq,
        id: uuid::Uuid::now_v7().to_string(),
        kind: kind.into(),
        learner: Some(learner.clone()),
        lesson: lesson.map(Into::into),
        payload,
        at: now(),
        recorded_at: now(),
    };
    let profile = WireLearner {
        id: learner.clone(),
        name: None,
        village: "Buôn Đôn".into(),
        birth_year: Some(1990),
        gender: Some("nu".into()),
        ethnic_group: None,
    };
    let batch = |events| Batch {
        box_id: box_id.clone(),
        commune: "Xã Ea Sol".into(),
        events,
        learners: vec![profile.clone()],
    };
    let tally = async || {
        let all = hub
            .tallies(&Scope::All, Dimension::Province, false)
            .await
            .unwrap();
        let t = &all[0];
        (t.learners, t.lessons, t.practices, t.modules, t.attended)
    };
    // The lesson, finished twice: one lesson, no module yet.
    let json = serde_json::json!({});
    hub.accept(
        batch(vec![
            event(1, "lesson_finished", Some("m/a"), json.clone()),
            event(2, "lesson_finished", Some("m/a"), json.clone()),
        ]),
        None,
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(tally().await, (1, 1, 0, 0, 0));
    // The scenario won, and a live lesson attended: the module is complete.
    let won = serde_json::json!({ "scenario": "m/s", "win": true });
    hub.accept(
        batch(vec![
            event(3, "practice_finished", None, won),
            event(4, "live_attended", Some("m/b"), json.clone()),
        ]),
        None,
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(tally().await, (1, 2, 1, 1, 1));
    // The same items again change nothing; a module that now asks one more lesson is
    // counted again for every learner, and this one has not finished it... until now.
    assert!(
        !hub.set_modules(vec![
            item("m", "scenario", "m/s"),
            item("m", "lesson", "m/a")
        ])
        .await
        .unwrap()
    );
    hub.set_modules(vec![
        item("m", "lesson", "m/a"),
        item("m", "lesson", "m/c"),
        item("m", "scenario", "m/s"),
    ])
    .await
    .unwrap();
    assert_eq!(tally().await.3, 0);
    hub.accept(
        batch(vec![event(5, "lesson_finished", Some("m/c"), json)]),
        None,
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(tally().await, (1, 3, 1, 1, 1));
    let province = hub
        .tallies(
            &Scope::Province("Tuyên Quang".into()),
            Dimension::Commune,
            true,
        )
        .await
        .unwrap();
    assert!(province.is_empty());
}

#[tokio::test]
async fn a_proposal_is_kept_once_and_its_media_once_whoever_carries_it() {
    use std::collections::BTreeMap;

    use crate::protocol::proposal::{Proposal, Proposed};
    use crate::store::{NewProposal, ProposalMedia, Scope};
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let hub = store.hub();
    let proposal = |id: String| NewProposal {
        proposal: Proposal {
            id,
            box_id: "box".into(),
            commune: "Xã Ea Sol".into(),
            by: "Chị H'Lan".into(),
            sent_at: "2026-12-04T10:00:00+07:00".into(),
            what: Proposed::Reading {
                lesson_id: "an-toan/mat-khau-otp".into(),
                slide: Some(2),
                lang: "ede".into(),
                lang_name: "Ê Đê".into(),
                audio: "0123456789abcdef.ogg".into(),
                seconds: 9,
            },
            media: BTreeMap::new(),
        },
        province: "Đắk Lắk".into(),
        media: vec![ProposalMedia {
            name: "0123456789abcdef.ogg".into(),
            mime: "audio/ogg".into(),
            bytes: vec![1, 2, 3],
        }],
    };
    let (a, b) = (
        uuid::Uuid::now_v7().to_string(),
        uuid::Uuid::now_v7().to_string(),
    );
    assert!(hub.keep_proposal(proposal(a.clone())).await.unwrap());
    assert!(!hub.keep_proposal(proposal(a.clone())).await.unwrap());
    assert!(hub.keep_proposal(proposal(b.clone())).await.unwrap());
    let count = |table: &'static str| {
        let store = store.clone();
        async move {
            store
                .read(move |c| {
                    Ok(
                        c.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| {
                            r.get::<_, i64>(0)
                        })?,
                    )
                })
                .await
                .unwrap()
        }
    };
    assert_eq!(count("hub_proposals").await, 2);
    assert_eq!(count("hub_media").await, 1, "one recording, kept once");
    assert_eq!(count("hub_proposal_media").await, 2);
    let kept = hub.proposal(&Scope::All, &a).await.unwrap().unwrap();
    assert_eq!(kept.proposal, proposal(a).proposal, "the body reads back");
    assert_eq!(kept.media, [("0123456789abcdef.ogg".to_string(), 3)]);
}
