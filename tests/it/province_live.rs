//! A live lesson the province leads (Điểm cầu): a hub and several real boxes on loopback,
//! some through the cutting proxy with added latency. Every invited hall's phones see every
//! step with the hall's own code; the province's answers are the halls' summed, once; a hall
//! cut for a while catches up; a hall's facilitator takes over and hands back; the end
//! records attendance like a local live lesson, and the records reach the hub exactly once.

use std::time::Duration;

use hocso::sync::client;
use reqwest::StatusCode;
use serde_json::Value;

use crate::facilitators::set_up;
use crate::postgres::{Engine, on_both_engines};
use crate::proxy::{Faults, Proxy};
use crate::support::{Phone, TestBox, attrs, location, text, texts};

const LESSON: &str = "dien-thoai/bat-dau";

/// What the box says its hall is in now (`GET /api/v1/live`).
pub(crate) async fn live_now(tb: &TestBox) -> Value {
    let response = tb.get("/api/v1/live").await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

/// Waits until `done` holds, for at most `within`.
pub(crate) async fn until(what: &str, within: Duration, mut done: impl AsyncFnMut() -> bool) {
    let deadline = tokio::time::Instant::now() + within;
    while !done().await {
        assert!(
            tokio::time::Instant::now() < deadline,
            "{what}: not within {within:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Waits until `tb`'s hall stands on `step` of the province's session.
async fn at_step(tb: &TestBox, step: u64, reveal: bool) {
    until(
        &format!("the hall at step {step}"),
        Duration::from_secs(20),
        async || {
            let now = live_now(tb).await;
            now["step"] == step && now["reveal"] == reveal && now["source"] == "province"
        },
    )
    .await;
}

/// A box enrolled with `hub` for `commune`, through `via` (the hub's own address, or a proxy's).
async fn hall(hub: &TestBox, commune: &str, via: &str) -> TestBox {
    let tb = TestBox::start().await;
    let code = hub.records().await.new_code(commune, "").await.unwrap();
    client::enroll(&tb.store(), via, &code)
        .await
        .expect("enrolled");
    tb
}

/// `n` phones of `tb` joined as learners and into the hall's session with `code`.
async fn phones<'a>(tb: &'a TestBox, n: usize, code: &str) -> Vec<Phone<'a>> {
    let mut phones = Vec::new();
    for i in 0..n {
        let mut phone = Phone::new(tb);
        phone.join(&format!("Người học {i}"), "Buôn Ea").await;
        let joined = phone.post_form("/live", &[("code", code)]).await;
        assert_eq!(joined.status(), StatusCode::SEE_OTHER, "joined with {code}");
        phones.push(phone);
    }
    phones
}

async fn officer_moves(officer: &mut Phone<'_>, id: &str, from: usize, to: usize) {
    let moved = officer
        .post_f(
            &format!("/hub/live/{id}/go"),
            &[("from", &from.to_string()), ("to", &to.to_string())],
        )
        .await;
    assert_eq!(moved.status(), StatusCode::SEE_OTHER);
}

async fn every_hall_follows_the_province_and_its_answers_come_back_once(engine: Engine) {
    let hub = TestBox::start_hub_on(&engine).await;
    let hub_addr: std::net::SocketAddr = hub.base.trim_start_matches("http://").parse().unwrap();
    // Ea Sol on the hub's own address; Ea Tu over a slow link that cuts now and then; Hòa
    // Phú over a link that will drop for a while; Cư Êbur not invited.
    let slow = Proxy::start(
        hub_addr,
        Faults {
            cut: 0.2,
            cut_within: 4_000,
            delay: Duration::from_millis(100),
            ..Faults::default()
        },
        11,
    )
    .await;
    let dropping = Proxy::start(hub_addr, Faults::default(), 12).await;
    let ea_sol = hall(&hub, "Xã Ea Sol", &hub.base).await;
    let ea_tu = hall(&hub, "Xã Ea Tu", &format!("http://{}", slow.addr)).await;
    let hoa_phu = hall(&hub, "Xã Hòa Phú", &format!("http://{}", dropping.addr)).await;
    let cu_ebur = hall(&hub, "Xã Cư Êbur", &hub.base).await;
    let halls = [&ea_sol, &ea_tu, &hoa_phu];

    // The officer starts the lesson for three communes on the hub's page.
    let mut officer = set_up(&hub).await;
    let form = officer.page("/hub/live", StatusCode::OK).await;
    assert_eq!(
        attrs(&form, "input[name=commune]", "value").len(),
        4,
        "every commune with a box is offered"
    );
    let started = officer
        .post_f(
            "/hub/live",
            &[
                ("lesson", LESSON),
                ("which", "chosen"),
                ("commune", "Xã Ea Sol"),
                ("commune", "Xã Ea Tu"),
                ("commune", "Xã Hòa Phú"),
            ],
        )
        .await;
    assert_eq!(started.status(), StatusCode::SEE_OTHER);
    let presenter = location(&started);
    let id = presenter.trim_start_matches("/hub/live/").to_string();

    // Every invited hall is in it within seconds, with a join code of its own; the one not
    // invited is not.
    let mut codes = Vec::new();
    for tb in halls {
        at_step(tb, 0, false).await;
        let now = live_now(tb).await;
        assert_eq!(now["lesson"], LESSON);
        codes.push(now["code"].as_str().unwrap().to_string());
    }
    assert_eq!(live_now(&cu_ebur).await, Value::Null);

    // Phones join each hall with its own code: 3, 2 and 2 people.
    let mut phones_sol = phones(&ea_sol, 3, &codes[0]).await;
    let mut phones_tu = phones(&ea_tu, 2, &codes[1]).await;
    let mut phones_phu = phones(&hoa_phu, 2, &codes[2]).await;

    // The officer moves through the slides; every hall's projector and phones follow.
    let catalogue = crate::support::catalogue();
    let version = catalogue
        .lesson(LESSON)
        .unwrap()
        .versions
        .get(hocso::content::Lang::Vi);
    let slides = version.slides.len();
    for to in 1..=slides {
        officer_moves(&mut officer, &id, to - 1, to).await;
        // A second press on the same step (another officer, a double click) moves nothing.
        officer_moves(&mut officer, &id, to - 1, to).await;
        for tb in halls {
            at_step(tb, to as u64, false).await;
        }
        // The phones show it: each hall's first phone, on its hall's session.
        for (phone, tb) in [
            (&mut phones_sol[0], &ea_sol),
            (&mut phones_tu[0], &ea_tu),
            (&mut phones_phu[0], &hoa_phu),
        ] {
            let page = phone
                .page(&format!("/live/{}", live_id(tb).await), StatusCode::OK)
                .await;
            if to < slides {
                assert!(text(&page, "#now").contains(&format!("Trang {}/", to + 1)));
            } else {
                assert!(
                    text(&page, "#now").contains("Câu hỏi 1"),
                    "{}",
                    text(&page, "#now")
                );
            }
        }
    }
    let page = phones_tu[0]
        .page(&format!("/live/{}", live_id(&ea_tu).await), StatusCode::OK)
        .await;
    assert_eq!(
        texts(&page, "form[data-answer] button").len(),
        version.quiz[0].choices.len(),
        "the phone shows the province's question"
    );

    // Each phone answers on its own box; the province's bars are the halls' sums.
    let right = version.quiz[0].answer;
    let wrong = (right + 1) % version.quiz[0].choices.len();
    for (phones, tb, choices) in [
        (&mut phones_sol, &ea_sol, vec![right, right, wrong]),
        (&mut phones_tu, &ea_tu, vec![right, wrong]),
        (&mut phones_phu, &hoa_phu, vec![right, right]),
    ] {
        let session = live_id(tb).await;
        for (phone, choice) in phones.iter_mut().zip(choices) {
            let sent = phone
                .post_form(
                    &format!("/live/{session}/answer"),
                    &[("q", "0"), ("choice", &choice.to_string())],
                )
                .await;
            assert_eq!(sent.status(), StatusCode::SEE_OTHER);
        }
    }
    let mut expected = vec!["0".to_string(); version.quiz[0].choices.len()];
    expected[right] = "5".into();
    expected[wrong] = "2".into();
    until(
        "the province's answers",
        Duration::from_secs(20),
        async || {
            let page = officer.page(&presenter, StatusCode::OK).await;
            texts(&page, ".room-choices .n") == expected
                && text(&page, ".join-bar").contains("3 điểm cầu đang theo · 7 người")
        },
    )
    .await;

    // The officer shows the province's answers in the halls: each projector has them.
    let shown = officer
        .post_f(&format!("/hub/live/{id}/total"), &[("on", "1")])
        .await;
    assert_eq!(shown.status(), StatusCode::SEE_OTHER);
    let mut facilitator = set_up(&ea_sol).await;
    let projector = format!("/present/{}", live_id(&ea_sol).await);
    until(
        "the province's total on a hall's projector",
        Duration::from_secs(20),
        async || {
            let page = facilitator.page(&projector, StatusCode::OK).await;
            text(&page, ".province-total").contains("3 điểm cầu, 7 người")
        },
    )
    .await;
    let page = facilitator.page(&projector, StatusCode::OK).await;
    assert!(
        text(&page, ".province-total").contains(&format!("{} 5", char::from(b'A' + right as u8)))
    );
    assert_eq!(
        texts(&page, ".room-choices .n")[right],
        "2",
        "the hall's own bars stay the hall's"
    );

    // Hòa Phú's link drops; the province moves on twice and reveals; the link returns and
    // the hall catches up within seconds.
    dropping.set_faults(Faults {
        cut: 1.0,
        cut_within: 0,
        ..Faults::default()
    });
    dropping.sever();
    let question = slides;
    officer
        .post_f(
            &format!("/hub/live/{id}/reveal"),
            &[("from", &question.to_string())],
        )
        .await;
    for tb in [&ea_sol, &ea_tu] {
        at_step(tb, question as u64, true).await;
    }
    assert_eq!(live_now(&hoa_phu).await["reveal"], false, "cut off");
    until(
        "the province sees a hall lost",
        Duration::from_secs(45),
        async || {
            let page = officer.page(&presenter, StatusCode::OK).await;
            text(&page, ".join-bar").contains("1 điểm cầu mất kết nối")
        },
    )
    .await;
    officer_moves(&mut officer, &id, question, question + 1).await;
    dropping.set_faults(Faults::default());
    at_step(&hoa_phu, question as u64 + 1, false).await;

    // Ea Sol's facilitator takes over: the province's next step does not move the hall,
    // the hall's own buttons do; handing back puts it where the province is.
    let session_sol = live_id(&ea_sol).await;
    let took = facilitator
        .post_f(&format!("/f/live/{session_sol}/lead"), &[("here", "1")])
        .await;
    assert_eq!(took.status(), StatusCode::SEE_OTHER);
    assert_eq!(live_now(&ea_sol).await["source"], "local");
    let own = facilitator
        .post_f(
            &format!("/f/live/{session_sol}/go"),
            &[
                ("from", &(question + 1).to_string()),
                ("to", &question.to_string()),
            ],
        )
        .await;
    assert_eq!(own.status(), StatusCode::SEE_OTHER);
    assert_eq!(live_now(&ea_sol).await["step"], question as u64);
    let last = slides + version.quiz.len() - 1;
    assert!(
        last > question + 1,
        "the lesson has at least three questions"
    );
    for from in question + 1..last {
        officer_moves(&mut officer, &id, from, from + 1).await;
    }
    at_step(&ea_tu, last as u64, false).await;
    assert_eq!(live_now(&ea_sol).await["step"], question as u64, "led here");
    let handed = facilitator
        .post_f(&format!("/f/live/{session_sol}/lead"), &[("here", "0")])
        .await;
    assert_eq!(handed.status(), StatusCode::SEE_OTHER);
    at_step(&ea_sol, last as u64, false).await;

    // The end: every hall ends its session and records attendance, like a local one.
    let ended = officer
        .post_f(&format!("/hub/live/{id}/end"), &[("sure", "1")])
        .await;
    assert_eq!(ended.status(), StatusCode::SEE_OTHER);
    for tb in halls {
        until(
            "the hall's session ended",
            Duration::from_secs(20),
            async || live_now(tb).await == Value::Null,
        )
        .await;
    }
    // The records go up by the usual sync, exactly once, however often the halls reported.
    slow.set_faults(Faults::default());
    for tb in halls {
        client::sync(&tb.store(), None, &|_| {})
            .await
            .expect("synced");
        client::sync(&tb.store(), None, &|_| {})
            .await
            .expect("synced again");
        let box_id = tb.store().box_id().to_string();
        assert_eq!(
            crate::sync::hub_ids(&hub, &box_id).await,
            crate::sync::box_events(&tb.store()).await
        );
    }
    let attended: i64 = hub
        .records()
        .await
        .attendance(&hocso::store::Scope::All)
        .await
        .unwrap()
        .iter()
        .map(|(_, n)| n)
        .sum();
    assert_eq!(attended, 7, "seven people attended, each once");
    let halls_page = officer
        .page(&format!("/hub/live/{id}/halls"), StatusCode::OK)
        .await;
    assert_eq!(texts(&halls_page, "table.list tbody tr").len(), 3);
    assert!(text(&halls_page, "p.note").contains("Buổi học đã kết thúc"));
}

on_both_engines!(every_hall_follows_the_province_and_its_answers_come_back_once);

/// The hall's own session id (what its phones' pages are under).
async fn live_id(tb: &TestBox) -> String {
    let code = live_now(tb).await["code"].as_str().unwrap().to_string();
    tb.store().open_live_session(&code).await.unwrap().unwrap()
}

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

/// Signs `browser` in on `tb`'s pages (a hub's officer or a box's facilitator) and waits for
/// the page signing in leads to.
async fn sign_in(browser: &crate::browser::Browser, tb: &TestBox, lands_on: &str) {
    browser.open(tb, "/f/signin").await;
    browser.type_into("input[name=name]", "Lê Thị Hoa").await;
    browser
        .type_into("input[name=password]", crate::facilitators::PASSWORD)
        .await;
    browser
        .tap("form[action='/f/signin'] button[type=submit]")
        .await;
    browser.wait_for_path(lands_on).await;
}

/// Real Chromium on two screens: the officer presses "Tiếp ▶" on the hub's presenter, and the
/// hall's projector, open in another browser, shows the next slide by its script, without a
/// reload; then the question with the province's answers. Both screenshotted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_halls_projector_follows_the_officers_presenter_in_chromium() {
    use crate::browser::Browser;
    let test = async {
        let Some(presenter) = Browser::start_projector().await else {
            return;
        };
        let Some(projector) = Browser::start_projector().await else {
            return;
        };
        let hub = TestBox::start_hub().await;
        let tb = hall(&hub, "Xã Ea Sol", &hub.base).await;
        let mut officer = set_up(&hub).await;
        set_up(&tb).await;
        let started = officer
            .post_f("/hub/live", &[("lesson", LESSON), ("which", "all")])
            .await;
        let id = location(&started)
            .trim_start_matches("/hub/live/")
            .to_string();
        at_step(&tb, 0, false).await;
        let mut phone = phones(&tb, 1, live_now(&tb).await["code"].as_str().unwrap()).await;

        sign_in(&presenter, &hub, "/hub").await;
        presenter.open(&hub, &format!("/hub/live/{id}")).await;
        assert!(
            presenter
                .text(".join-bar")
                .await
                .contains("1 điểm cầu đang theo")
        );
        sign_in(&projector, &tb, "/f").await;
        let hall_session = live_id(&tb).await;
        projector
            .open(&tb, &format!("/present/{hall_session}"))
            .await;
        assert!(projector.text(".strip").await.contains("Trang 1/"));
        assert!(projector.text(".province").await.contains("Tỉnh đang dẫn"));
        // A mark a reload would wipe: the new slide must come by the script.
        projector.eval("window.kept = 1; return 1").await;

        presenter.tap("button[data-key=next]").await;
        let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
        // Read by a script: the script swaps the part in, and an element found before is gone.
        let strip = async || {
            let text = projector
                .eval("var s = document.querySelector('.strip'); return s ? s.textContent : ''")
                .await;
            text.as_str().unwrap_or_default().to_string()
        };
        while !strip().await.contains("Trang 2/") {
            assert!(
                tokio::time::Instant::now() < deadline,
                "the hall's projector did not follow"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert_eq!(
            projector.eval("return window.kept === 1").await,
            Value::Bool(true)
        );
        presenter.screenshot("province-presenter-slide").await;
        projector.screenshot("province-hall-projector-slide").await;

        // On to the first question, the province's answers shown in the hall.
        let slides = crate::support::catalogue()
            .lesson(LESSON)
            .unwrap()
            .versions
            .get(hocso::content::Lang::Vi)
            .slides
            .len();
        for from in 1..slides {
            officer_moves(&mut officer, &id, from, from + 1).await;
        }
        officer
            .post_f(&format!("/hub/live/{id}/total"), &[("on", "1")])
            .await;
        at_step(&tb, slides as u64, false).await;
        phone[0]
            .post_form(
                &format!("/live/{hall_session}/answer"),
                &[("q", "0"), ("choice", "1")],
            )
            .await;
        let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
        loop {
            let shown = projector.eval(
                "var t = document.querySelector('.province-total'); return t ? t.textContent : ''",
            );
            if shown
                .await
                .as_str()
                .is_some_and(|t| t.contains("1 người): A 0 · B 1"))
            {
                break;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "no province total on the projector"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        // The officer's screen follows by its script too.
        presenter.open(&hub, &format!("/hub/live/{id}")).await;
        let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
        loop {
            let head = presenter
                .eval("var h = document.querySelector('.q-head'); return h ? h.textContent : ''")
                .await;
            if head
                .as_str()
                .is_some_and(|h| h.contains("1/1 người cả tỉnh đã trả lời"))
            {
                break;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "the answer did not reach the presenter: {head}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        presenter.screenshot("province-presenter-question").await;
        projector
            .screenshot("province-hall-projector-question")
            .await;
    };
    tokio::time::timeout(Duration::from_secs(300), test)
        .await
        .expect("the browser test ends within five minutes");
}
