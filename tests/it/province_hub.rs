//! The hub's side of a live lesson the province leads: a hall's report taken only when it
//! is signed by an enrolled box, keeps to its rules and belongs to a session that invites the
//! hall, each hall once however often it reports; one session at a time for the same halls;
//! a rehearsal run from `hocso hub live` that a real box follows, and a lesson from a pack
//! that reached the box after it started.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::Value;

use crate::postgres::{Engine, on_both_engines};
use crate::province_live::{LESSON, at_step, hall, live_now, until};
use crate::support::TestBox;

/// A simulated box enrolled with `hub` for `commune`: its id and keys.
async fn enrolled(hub: &TestBox, commune: &str) -> (String, hocso::protocol::Keys) {
    let keys = hocso::protocol::Keys::generate();
    let box_id = uuid::Uuid::now_v7().to_string();
    let code = hub.records().await.new_code(commune, "").await.unwrap();
    let enrol = hocso::protocol::wire::Enrol {
        box_id: box_id.clone(),
        commune: commune.into(),
        public_key: keys.public_hex(),
        first_seq: 1,
        code: Some(code),
        vouch: None,
    };
    let answer = hub
        .client
        .post(hub.url("/hub/v1/enroll"))
        .json(&enrol)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::OK);
    (box_id, keys)
}

async fn send_report(hub: &TestBox, path: &str, body: Vec<u8>) -> reqwest::Response {
    hub.client
        .post(hub.url(path))
        .body(body)
        .send()
        .await
        .unwrap()
}

/// The error code of a refusal from `/hub/v1`.
async fn refusal(response: reqwest::Response) -> (StatusCode, String) {
    let status = response.status();
    let body: Value = response.json().await.expect("a JSON refusal");
    (status, body["error"]["code"].as_str().unwrap().to_string())
}

async fn the_hub_takes_only_signed_reports_of_invited_halls_each_once(engine: Engine) {
    use hocso::protocol::live::{LiveNow, LiveReport};
    let hub = TestBox::start_hub_on(&engine).await;
    let (box_id, keys) = enrolled(&hub, "Xã Ea Sol").await;
    let (other_id, other_keys) = enrolled(&hub, "Xã Ea Tu").await;
    let records = hub.records().await;
    let catalogue = crate::support::catalogue();
    let session = hocso::hub::live::start(
        &records,
        &catalogue,
        LESSON,
        None,
        Some(vec!["xã ea sol".into()]),
        "test",
    )
    .await
    .unwrap()
    .expect("started");
    assert_eq!(
        session.communes,
        Some(vec!["Xã Ea Sol".to_string()]),
        "named as enrolled"
    );
    // One session at a time for the same halls.
    let again = hocso::hub::live::start(&records, &catalogue, LESSON, None, None, "test")
        .await
        .unwrap();
    assert_eq!(again, Err(hocso::hub::live::StartRefused::Running));
    let unknown = hocso::hub::live::start(&records, &catalogue, "khong/co", None, None, "test")
        .await
        .unwrap();
    assert!(matches!(
        unknown,
        Err(hocso::hub::live::StartRefused::NoLesson(_))
    ));

    let report = |box_id: &str, present: u32, answers: Vec<Vec<u32>>| LiveReport {
        box_id: box_id.to_string(),
        session: Some(session.id.clone()),
        step: 0,
        led_here: false,
        missing: false,
        present,
        answers,
    };
    // Bad input: each refused with a code, nothing kept, the hub goes on serving.
    let forged = report(&box_id, 5, vec![vec![5, 0, 0]]).seal(&other_keys);
    assert_eq!(
        refusal(send_report(&hub, "/hub/v1/live/report", forged).await).await,
        (StatusCode::FORBIDDEN, "bad_signature".into())
    );
    let stranger = hocso::protocol::Keys::generate();
    let unknown_box = report(&uuid::Uuid::now_v7().to_string(), 5, vec![]).seal(&stranger);
    assert_eq!(
        refusal(send_report(&hub, "/hub/v1/live/follow", unknown_box).await).await,
        (StatusCode::FORBIDDEN, "unknown_box".into())
    );
    let garbage = b"not a report at all".to_vec();
    assert_eq!(
        refusal(send_report(&hub, "/hub/v1/live/follow", garbage).await).await,
        (StatusCode::BAD_REQUEST, "malformed".into())
    );
    let too_many = report(&box_id, 2, vec![vec![2, 1]]).seal(&keys);
    assert_eq!(
        refusal(send_report(&hub, "/hub/v1/live/report", too_many).await).await,
        (StatusCode::BAD_REQUEST, "malformed".into())
    );
    let huge = vec![b'H'; hocso::protocol::live::MAX_REPORT + 1];
    assert_eq!(
        refusal(send_report(&hub, "/hub/v1/live/report", huge).await).await,
        (StatusCode::PAYLOAD_TOO_LARGE, "too_large".into())
    );
    // A hall not invited is answered (nothing for it) but its room is not counted.
    let uninvited = send_report(
        &hub,
        "/hub/v1/live/report",
        report(&other_id, 9, vec![vec![9, 0, 0]]).seal(&other_keys),
    )
    .await;
    assert_eq!(uninvited.status(), StatusCode::OK);
    let hub_key = records.keys().public_hex();
    let told = LiveNow::open(&uninvited.bytes().await.unwrap(), &hub_key).unwrap();
    assert_eq!(told.session, None);
    assert!(records.live_halls(&session.id).await.unwrap().is_empty());
    assert_eq!(hub.get("/api/v1/health").await.status(), StatusCode::OK);

    // The serving hub tells a session started elsewhere (here: by the store, as `hocso hub
    // live start` does) within half a second.
    until(
        "the hub tells the new session",
        Duration::from_secs(5),
        async || {
            let asking = LiveReport {
                session: None,
                ..report(&box_id, 0, vec![])
            };
            let told = send_report(&hub, "/hub/v1/live/report", asking.seal(&keys)).await;
            let told = LiveNow::open(&told.bytes().await.unwrap(), &hub_key).unwrap();
            told.session.is_some()
        },
    )
    .await;
    // The invited hall's report, sent three times (a resend, a reconnect), counts once.
    for _ in 0..3 {
        let kept = send_report(
            &hub,
            "/hub/v1/live/report",
            report(&box_id, 4, vec![vec![1, 3, 0]]).seal(&keys),
        )
        .await;
        assert_eq!(kept.status(), StatusCode::OK);
        let told = LiveNow::open(&kept.bytes().await.unwrap(), &hub_key).unwrap();
        let step = told.session.expect("the hall is told its session");
        assert_eq!(
            (step.id.as_str(), step.step, step.ended),
            (session.id.as_str(), 0, false)
        );
    }
    let halls = records.live_halls(&session.id).await.unwrap();
    assert_eq!(halls.len(), 1);
    assert_eq!(halls[0].reports, 3);
    let figures = hocso::hub::live::Figures::of(halls, &[3], records.clock().now());
    assert_eq!((figures.following, figures.people), (1, 4));
    assert_eq!(figures.answers, vec![vec![1, 3, 0]]);

    // Once ended, a hall asking about its session is told it ended, and nothing more is kept.
    hocso::hub::live::act(
        &records,
        &catalogue,
        &session.id,
        hocso::hub::live::Action::End,
    )
    .await
    .unwrap();
    until(
        "the hall is told its session ended",
        Duration::from_secs(5),
        async || {
            let late = send_report(
                &hub,
                "/hub/v1/live/report",
                report(&box_id, 6, vec![vec![6, 0, 0]]).seal(&keys),
            )
            .await;
            let told = LiveNow::open(&late.bytes().await.unwrap(), &hub_key).unwrap();
            told.session.is_some_and(|s| s.ended && s.id == session.id)
        },
    )
    .await;
    assert_eq!(records.live_halls(&session.id).await.unwrap()[0].present, 4);
}

on_both_engines!(the_hub_takes_only_signed_reports_of_invited_halls_each_once);

async fn a_rehearsal_runs_from_the_command_line_and_a_hall_follows(engine: Engine) {
    use crate::cli::hub_command;
    let hub = TestBox::start_hub_on(&engine).await;
    let tb = hall(&hub, "Xã Ea Sol", &hub.base).await;
    let said = |out: &std::process::Output| {
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    };
    let nothing = hub_command(&hub, &["live", "next"], "");
    assert!(!nothing.status.success());
    assert!(
        said(&nothing).contains("no live lesson is running"),
        "{}",
        said(&nothing)
    );
    let wrong = hub_command(
        &hub,
        &["live", "start", LESSON, "--communes", "Xã Không Có"],
        "",
    );
    assert!(!wrong.status.success());
    assert!(said(&wrong).contains("Xã Không Có"), "{}", said(&wrong));

    let started = hub_command(
        &hub,
        &["live", "start", LESSON, "--communes", "Xã Ea Sol"],
        "",
    );
    assert!(started.status.success(), "{}", said(&started));
    let id = String::from_utf8(started.stdout.clone())
        .unwrap()
        .trim()
        .to_string();
    assert!(uuid::Uuid::parse_str(&id).is_ok(), "{id}");
    at_step(&tb, 0, false).await;
    let twice = hub_command(&hub, &["live", "start", LESSON], "");
    assert!(
        !twice.status.success(),
        "one live lesson at a time for a hall"
    );

    let moved = hub_command(&hub, &["live", "next"], "");
    assert!(moved.status.success(), "{}", said(&moved));
    assert!(said(&moved).contains("step 1"), "{}", said(&moved));
    at_step(&tb, 1, false).await;
    let slides = crate::support::catalogue()
        .lesson(LESSON)
        .unwrap()
        .versions
        .get(hocso::content::Lang::Vi)
        .slides
        .len();
    // Reveal on a slide does nothing, and says so by its exit status.
    assert!(!hub_command(&hub, &["live", "reveal"], "").status.success());
    for _ in 1..slides {
        assert!(
            hub_command(&hub, &["live", "next", "--session", &id], "")
                .status
                .success()
        );
    }
    assert!(hub_command(&hub, &["live", "reveal"], "").status.success());
    at_step(&tb, slides as u64, true).await;
    let status = hub_command(&hub, &["live", "status"], "");
    assert!(
        said(&status).contains("1 halls following"),
        "{}",
        said(&status)
    );
    assert!(said(&status).contains("answer shown"), "{}", said(&status));

    let ended = hub_command(&hub, &["live", "end"], "");
    assert!(ended.status.success(), "{}", said(&ended));
    until(
        "the hall's session ended",
        Duration::from_secs(20),
        async || live_now(&tb).await == Value::Null,
    )
    .await;
}

on_both_engines!(a_rehearsal_runs_from_the_command_line_and_a_hall_follows);

/// A lesson from a content pack that reached the box after it started is followed as any:
/// the hall reads the lessons as served now, not as they were when it began to follow.
async fn a_hall_follows_a_lesson_from_a_pack_that_came_after_it_started(engine: Engine) {
    const NEW: &str = "tin-moi/lua-dao-moi";
    let hub = TestBox::start_hub_on(&engine).await;
    let tb = hall(&hub, "Xã Ea Sol", &hub.base).await;
    let records = hub.records().await;
    hocso::hub::publish(&records, "tin-moi", crate::sync::new_lessons("Lừa đảo mới"))
        .await
        .unwrap();
    hocso::sync::client::sync(&tb.store(), None, &|_| {})
        .await
        .unwrap();
    until(
        "the pack's lesson is served",
        Duration::from_secs(20),
        async || tb.get("/m/tin-moi/lua-dao-moi").await.status() == StatusCode::OK,
    )
    .await;
    let packs = hocso::hub::published(&records).await.unwrap();
    let (catalogue, _) =
        hocso::content::catalogue_with(&hocso::protocol::wire::Pack::files(&packs), &|n| {
            n.to_string()
        });
    hocso::hub::live::start(&records, &catalogue, NEW, None, None, "test")
        .await
        .unwrap()
        .expect("started");
    until(
        "the hall follows the pack's lesson",
        Duration::from_secs(20),
        async || {
            let now = live_now(&tb).await;
            now["lesson"] == NEW && now["source"] == "province"
        },
    )
    .await;
}

on_both_engines!(a_hall_follows_a_lesson_from_a_pack_that_came_after_it_started);
