//! A live lesson the province leads (Điểm cầu): a hub and several real boxes on loopback,
//! some through the cutting proxy with added latency. Every invited hall's phones see every
//! step with the hall's own code; the province's answers are the halls' summed, once; a hall
//! cut for a while catches up; a hall's facilitator takes over and hands back; the end
//! records attendance like a local live lesson, and the records reach the hub exactly once.
//! And in Chromium, the hall's projector follows the officer's presenter by its script.

use std::time::Duration;

use hocso::sync::client;
use reqwest::StatusCode;
use serde_json::Value;

use crate::facilitators::set_up;
use crate::postgres::{Engine, on_both_engines};
use crate::proxy::{Faults, Proxy};
use crate::support::{Phone, TestBox, attrs, location, text, texts};

pub(crate) const LESSON: &str = "dien-thoai/bat-dau";

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
pub(crate) async fn at_step(tb: &TestBox, step: u64, reveal: bool) {
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
pub(crate) async fn hall(hub: &TestBox, commune: &str, via: &str) -> TestBox {
    let tb = TestBox::start().await;
    let code = hub.records().await.new_code(commune, "").await.unwrap();
    client::enroll(&tb.store(), via, &code, None)
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
            text(&page, ".join-bar").contains("1 điểm cầu mất kết nối: Xã Hòa Phú")
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
pub(crate) async fn live_id(tb: &TestBox) -> String {
    let code = live_now(tb).await["code"].as_str().unwrap().to_string();
    tb.store().open_live_session(&code).await.unwrap().unwrap()
}

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
