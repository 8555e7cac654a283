//! Live group lessons: a facilitator moves the class, phones follow over server-sent events,
//! answers are counted once each, and the end records attendance and scores as events. A
//! practice scenario run live: the room's counts, its choice shown and followed, an end
//! reached, and each learner's decisions and end as events.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use reqwest::StatusCode;

use crate::facilitators::set_up;
use crate::support::{Phone, TestBox, attrs, location, text, texts};

const LESSON: &str = "dien-thoai/bat-dau";

/// Starts a live session of `LESSON` for `group` ("" for everyone); returns its id and code.
async fn start(f: &mut Phone<'_>, group: &str) -> (String, String) {
    let started = f
        .post_f("/f/live", &[("group", group), ("lesson", LESSON)])
        .await;
    assert_eq!(started.status(), StatusCode::SEE_OTHER);
    let control = location(&started);
    let id = control.trim_start_matches("/f/live/").to_string();
    let page = f.page(&control, StatusCode::OK).await;
    let code = text(&page, ".big-code");
    assert_eq!(code.len(), 4, "{code}");
    (id, code)
}

/// The step the class is on, as the control page's forms carry it.
async fn step(f: &mut Phone<'_>, id: &str) -> usize {
    let page = f.page(&format!("/f/live/{id}"), StatusCode::OK).await;
    crate::support::attrs(&page, "input[name=from]", "value")[0]
        .parse()
        .unwrap()
}

async fn next(f: &mut Phone<'_>, id: &str, from: usize) -> reqwest::Response {
    let (from, to) = (from.to_string(), (from + 1).to_string());
    f.post_f(
        &format!("/f/live/{id}/go"),
        &[("from", &from), ("to", &to), ("back", "present")],
    )
    .await
}

/// Follows an event stream with `cookie`, keeping the highest `v` seen in `seen`.
async fn follow(client: reqwest::Client, url: String, cookie: String, seen: Arc<AtomicU64>) {
    let mut response = client
        .get(url)
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/event-stream")
    );
    let mut buffer = String::new();
    while let Ok(Some(chunk)) = response.chunk().await {
        buffer.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(end) = buffer.find("\n\n") {
            let message: String = buffer.drain(..end + 2).collect();
            for line in message.lines() {
                if let Some(data) = line.strip_prefix("data: ") {
                    let v: serde_json::Value = serde_json::from_str(data).unwrap();
                    seen.fetch_max(v["v"].as_u64().unwrap() + 1, Ordering::SeqCst);
                }
            }
        }
    }
}

/// Waits until every counter has reached `at_least` (seen versions are stored plus one).
async fn all_reach(seen: &[Arc<AtomicU64>], at_least: u64) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        let behind = seen
            .iter()
            .filter(|s| s.load(Ordering::SeqCst) < at_least)
            .count();
        if behind == 0 {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{behind} phones never saw version {}",
            at_least - 1
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test]
async fn a_hundred_phones_follow_ten_slide_changes_and_answer_once_each() {
    const PHONES: usize = 100;
    let tb = TestBox::start().await;
    let mut f = set_up(&tb).await;
    let (id, code) = start(&mut f, "").await;

    let mut phones = Vec::new();
    for i in 0..PHONES {
        let mut phone = Phone::new(&tb);
        phone.join(&format!("Người học {i}"), "Buôn Đôn").await;
        let joined = phone.post_form("/live", &[("code", &code)]).await;
        assert_eq!(location(&joined), format!("/live/{id}"));
        phones.push(phone);
    }
    let page = phones[0].page(&format!("/live/{id}"), StatusCode::OK).await;
    assert!(text(&page, "#now").contains("Trang 1/"));

    // Every phone follows the class's stream.
    let seen: Vec<Arc<AtomicU64>> = (0..PHONES).map(|_| Arc::new(AtomicU64::new(0))).collect();
    let mut streams = Vec::new();
    for (phone, seen) in phones.iter().zip(&seen) {
        streams.push(tokio::spawn(follow(
            tb.client.clone(),
            tb.url(&format!("/live/{id}/events")),
            phone.cookie.clone().unwrap(),
            seen.clone(),
        )));
    }
    all_reach(&seen, 1).await;

    // Ten changes: forward through the slides into the questions, and back where needed.
    let catalogue = crate::support::catalogue();
    let lesson = catalogue.lesson(LESSON).unwrap();
    let version = lesson.versions.get(hocso::content::Lang::Vi);
    let (slides, questions) = (version.slides.len(), version.quiz.len());
    let last = slides + questions - 1;
    let mut at = 0;
    let mut forward = true;
    for change in 1..=10u64 {
        if at == last {
            forward = false;
        }
        let (from, to) = if forward { (at, at + 1) } else { (at, at - 1) };
        let moved = f
            .post_f(
                &format!("/f/live/{id}/go"),
                &[
                    ("from", &from.to_string()),
                    ("to", &to.to_string()),
                    ("back", "present"),
                ],
            )
            .await;
        assert_eq!(location(&moved), format!("/present/{id}"));
        at = to;
        all_reach(&seen, change + 1).await;
    }
    assert_eq!(step(&mut f, &id).await, at);

    // Go to the first question; every phone answers it (some change their mind: the last
    // answer counts, once).
    while at != slides {
        let to = if at < slides { at + 1 } else { at - 1 };
        f.post_f(
            &format!("/f/live/{id}/go"),
            &[("from", &at.to_string()), ("to", &to.to_string())],
        )
        .await;
        at = to;
    }
    let page = phones[0].page(&format!("/live/{id}"), StatusCode::OK).await;
    assert_eq!(
        texts(&page, "form[data-answer] button").len(),
        version.quiz[0].choices.len()
    );
    let right = version.quiz[0].answer;
    for (i, phone) in phones.iter_mut().enumerate() {
        let choice = if i < 60 {
            right
        } else {
            (right + 1) % version.quiz[0].choices.len()
        };
        if i % 10 == 0 {
            phone
                .post_form(
                    &format!("/live/{id}/answer"),
                    &[("q", "0"), ("choice", &((choice + 1) % 3).to_string())],
                )
                .await;
        }
        let sent = phone
            .post_form(
                &format!("/live/{id}/answer"),
                &[("q", "0"), ("choice", &choice.to_string())],
            )
            .await;
        assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    }
    // An answer to a question the class is not on is not taken.
    phones[0]
        .post_form(
            &format!("/live/{id}/answer"),
            &[("q", "1"), ("choice", "0")],
        )
        .await;
    let record = tb.store().live_session(&id).await.unwrap().unwrap();
    assert_eq!(record.answers.len(), PHONES, "one answer a phone");
    let projector = f.page(&format!("/present/{id}"), StatusCode::OK).await;
    assert!(text(&projector, "#now").contains("100/100 người đã trả lời"));
    let bars = texts(&projector, ".room-choices .n");
    let mut expected = vec!["0".to_string(); version.quiz[0].choices.len()];
    expected[right] = "60".into();
    expected[(right + 1) % version.quiz[0].choices.len()] = "40".into();
    assert_eq!(bars, expected);
    assert!(
        !text(&projector, "#now").contains("Người học 1"),
        "no names on the projector"
    );

    // Reveal: phones show the right answer; a late answer changes nothing.
    f.post_f(
        &format!("/f/live/{id}/reveal"),
        &[("from", &at.to_string())],
    )
    .await;
    let page = phones[70]
        .page(&format!("/live/{id}"), StatusCode::OK)
        .await;
    assert!(text(&page, ".choices .right").starts_with("✓"));
    phones[70]
        .post_form(
            &format!("/live/{id}/answer"),
            &[("q", "0"), ("choice", &right.to_string())],
        )
        .await;

    // The end: a hundred attended, nobody answered every question so nobody has a quiz score.
    let events_before = tb.store().event_count().await.unwrap().events;
    // The first press asks; nothing ends until "Kết thúc" is pressed on that question.
    let asked = f.post_f(&format!("/f/live/{id}/end"), &[]).await;
    assert_eq!(asked.status(), StatusCode::OK);
    let asked = scraper::Html::parse_document(&asked.text().await.unwrap());
    assert_eq!(text(&asked, "h1"), "Kết thúc buổi học?");
    assert_eq!(attrs(&asked, "input[name=sure]", "value"), ["1"]);
    assert_eq!(
        tb.store().event_count().await.unwrap().events,
        events_before
    );
    let ended = f
        .post_f(&format!("/f/live/{id}/end"), &[("sure", "1")])
        .await;
    assert_eq!(ended.status(), StatusCode::SEE_OTHER);
    let events_after = tb.store().event_count().await.unwrap().events;
    assert_eq!(events_after - events_before, PHONES as i64);
    let page = phones[3].page(&format!("/live/{id}"), StatusCode::OK).await;
    assert!(text(&page, "#now").contains("Buổi học đã kết thúc"));
    let learners = tb.store().all_learners().await.unwrap();
    let third = learners
        .iter()
        .find(|l| l.display_name == "Người học 3")
        .unwrap();
    let progress = tb.store().progress_for_learner(&third.id).await.unwrap();
    assert_eq!(progress[0].lesson_id, LESSON);
    assert!(
        progress[0].finished_at.is_some(),
        "attending counts the lesson as learned"
    );
    // Ending twice records nothing more, and the ended session's code opens nothing.
    f.post_f(&format!("/f/live/{id}/end"), &[("sure", "1")])
        .await;
    assert_eq!(tb.store().event_count().await.unwrap().events, events_after);
    let late = phones[5].post_form("/live", &[("code", &code)]).await;
    assert_eq!(late.status(), StatusCode::BAD_REQUEST);

    // A box shutting down closes the phones' streams instead of waiting for them forever.
    drop((f, phones));
    assert!(
        tb.shut_down().await,
        "the box stopped with 100 streams open"
    );
    for stream in streams {
        tokio::time::timeout(Duration::from_secs(5), stream)
            .await
            .expect("the stream ended")
            .unwrap();
    }
}

#[tokio::test]
async fn only_the_group_joins_and_the_facilitator_ticks_who_has_no_phone() {
    let tb = TestBox::start().await;
    let mut f = set_up(&tb).await;
    let mut member = Phone::new(&tb);
    member.join("Nguyễn Văn An", "Buôn Đôn").await;
    let mut outsider = Phone::new(&tb);
    outsider.join("Y Sơn", "Buôn Trấp").await;
    let no_phone = f
        .post_f(
            "/f/learners/new",
            &[("display_name", "Bà Hoa"), ("village", "Buôn Đôn")],
        )
        .await;
    let hoa = location(&no_phone)
        .trim_start_matches("/f/learners/")
        .split('?')
        .next()
        .unwrap()
        .to_string();
    let learners = tb.store().all_learners().await.unwrap();
    let an = learners
        .iter()
        .find(|l| l.display_name == "Nguyễn Văn An")
        .unwrap()
        .id
        .clone();
    let group = location(&f.post_f("/f/groups", &[("name", "Lớp tối")]).await);
    f.post_f(&format!("{group}/members"), &[("add", &an), ("add", &hoa)])
        .await;
    let (id, code) = start(&mut f, group.trim_start_matches("/f/groups/")).await;

    // A wrong code, someone outside the group: said plainly, nothing stored.
    let wrong = member
        .post_form(
            "/live",
            &[("code", if code == "0000" { "0001" } else { "0000" })],
        )
        .await;
    assert_eq!(wrong.status(), StatusCode::BAD_REQUEST);
    let refused = outsider.post_form("/live", &[("code", &code)]).await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    let page = scraper::Html::parse_document(&refused.text().await.unwrap());
    assert!(text(&page, ".error").contains("Lớp tối"));
    assert_eq!(
        location(&outsider.get(&format!("/live/{id}")).await),
        "/live"
    );
    assert_eq!(
        outsider.get(&format!("/live/{id}/events")).await.status(),
        StatusCode::NOT_FOUND
    );
    // Learners cannot reach the projector or the controls.
    assert_eq!(
        location(&outsider.get(&format!("/present/{id}")).await),
        "/f/signin"
    );

    let home = member.page("/", StatusCode::OK).await;
    assert!(
        crate::support::attrs(&home, "a", "href").contains(&"/live".to_string()),
        "the home page leads to /live"
    );
    let joined = member.post_form("/live", &[("code", &code)]).await;
    assert_eq!(location(&joined), format!("/live/{id}"));
    f.post_f(
        &format!("/f/live/{id}/tick"),
        &[("learner", &hoa), ("on", "1")],
    )
    .await;
    let control = f.page(&format!("/f/live/{id}"), StatusCode::OK).await;
    assert!(
        text(&control, "h2").contains("2 có mặt"),
        "{}",
        text(&control, "h2")
    );

    // Two facilitators press "next" on the same step: the class moves once.
    let (mut one, mut two) = (f.clone_browser(), f.clone_browser());
    let (a, b) = tokio::join!(next(&mut one, &id, 0), next(&mut two, &id, 0));
    assert_eq!(
        (a.status(), b.status()),
        (StatusCode::SEE_OTHER, StatusCode::SEE_OTHER)
    );
    assert_eq!(step(&mut f, &id).await, 1);

    // The phone answers every question, right: a quiz score like one taken alone.
    let catalogue = crate::support::catalogue();
    let version = catalogue
        .lesson(LESSON)
        .unwrap()
        .versions
        .get(hocso::content::Lang::Vi)
        .clone();
    let mut at = 1;
    while at < version.slides.len() {
        next(&mut f, &id, at).await;
        at += 1;
    }
    for (q, question) in version.quiz.iter().enumerate() {
        let sent = member
            .post_form(
                &format!("/live/{id}/answer"),
                &[
                    ("q", &q.to_string()),
                    ("choice", &question.answer.to_string()),
                ],
            )
            .await;
        assert_eq!(sent.status(), StatusCode::SEE_OTHER);
        if q + 1 < version.quiz.len() {
            next(&mut f, &id, at).await;
            at += 1;
        }
    }
    let bad = member
        .post_form(
            &format!("/live/{id}/answer"),
            &[
                ("q", &(version.quiz.len() - 1).to_string()),
                ("choice", "9"),
            ],
        )
        .await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);

    // A restart keeps the session where it was, with who is present.
    drop((member, outsider, f, one, two));
    let tb = tb.restart().await;
    let mut f = f_again(&tb).await;
    assert_eq!(step(&mut f, &id).await, at);
    f.post_f(&format!("/f/live/{id}/end"), &[("sure", "1")])
        .await;
    let scores = tb.store().scores_for_learner(&an).await.unwrap();
    assert_eq!(
        (scores[0].best, scores[0].total),
        (version.quiz.len() as u32, version.quiz.len() as u32)
    );
    assert!(scores[0].passed_at.is_some());
    let progress = tb.store().progress_for_learner(&hoa).await.unwrap();
    assert_eq!(
        progress.len(),
        1,
        "the ticked learner without a phone has the lesson"
    );
    assert!(progress[0].finished_at.is_some());
}

/// Signs a facilitator in again after a restart.
async fn f_again(tb: &TestBox) -> Phone<'_> {
    let mut f = Phone::new(tb);
    let token = crate::facilitators::csrf(&mut f, "/f/signin").await;
    let signed = f
        .post_form(
            "/f/signin",
            &[
                ("csrf", &token),
                ("name", "Lê Thị Hoa"),
                ("password", crate::facilitators::PASSWORD),
            ],
        )
        .await;
    assert_eq!(location(&signed), "/f");
    f
}

#[tokio::test]
async fn a_phone_following_the_class_outlives_the_header_timeout() {
    let tb = TestBox::start_limited(hocso::web::Limits {
        header_timeout: Duration::from_secs(1),
        ..hocso::Config::default().limits()
    })
    .await;
    let mut f = set_up(&tb).await;
    let (id, code) = start(&mut f, "").await;
    let mut phone = Phone::new(&tb);
    phone.join("Người học", "Buôn Đôn").await;
    phone.post_form("/live", &[("code", &code)]).await;
    let seen = Arc::new(AtomicU64::new(0));
    let stream = tokio::spawn(follow(
        tb.client.clone(),
        tb.url(&format!("/live/{id}/events")),
        phone.cookie.clone().unwrap(),
        seen.clone(),
    ));
    all_reach(std::slice::from_ref(&seen), 1).await;
    // The stream is an answer still being sent, not a connection waiting for a request.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(
        location(&next(&mut f, &id, 0).await),
        format!("/present/{id}")
    );
    all_reach(std::slice::from_ref(&seen), 2).await;
    assert!(!stream.is_finished());
}

#[tokio::test]
async fn a_session_kept_past_its_lessons_end_shows_its_last_step() {
    let tb = TestBox::start().await;
    let mut f = set_up(&tb).await;
    let (id, _) = start(&mut f, "").await;
    // As if a content pack had shortened the lesson since the step was kept.
    tb.store().live_step(&id, 999, false).await.unwrap();
    drop(f);
    let tb = tb.restart().await;
    let mut f = Phone::new(&tb);
    let token = crate::facilitators::csrf(&mut f, "/f/signin").await;
    f.post_form(
        "/f/signin",
        &[
            ("csrf", &token),
            ("name", "Lê Thị Hoa"),
            ("password", crate::facilitators::PASSWORD),
        ],
    )
    .await;
    let present = f.page(&format!("/present/{id}"), StatusCode::OK).await;
    assert!(
        text(&present, "main").contains("Câu hỏi"),
        "the last step: a question"
    );
    let last = step(&mut f, &id).await;
    assert!(last < 999, "{last}");
}

const SCENARIO: &str = "an-toan/cong-an-gia";

/// The practice events the box holds, in order: `(kind, learner, payload)`.
async fn practice_events(tb: &TestBox) -> Vec<(String, String, serde_json::Value)> {
    let store = tb.store();
    let (events, _) = store
        .events_after(store.box_id(), 0, 10_000, false)
        .await
        .unwrap();
    events
        .into_iter()
        .filter(|e| e.kind.starts_with("practice_"))
        .map(|e| (e.kind, e.learner.unwrap_or_default(), e.payload))
        .collect()
}

/// The counts the projector shows beside each lettered choice.
async fn counts(f: &mut Phone<'_>, id: &str) -> Vec<String> {
    let page = f.page(&format!("/present/{id}"), StatusCode::OK).await;
    texts(&page, ".room-choices .count")
}

async fn follow_room(f: &mut Phone<'_>, id: &str, from: usize, choice: &str) -> reqwest::Response {
    f.post_f(
        &format!("/f/live/{id}/follow"),
        &[
            ("from", &from.to_string()),
            ("choice", choice),
            ("back", "present"),
        ],
    )
    .await
}

async fn decide(phone: &mut Phone<'_>, id: &str, turn: usize, choice: usize) {
    let sent = phone
        .post_form(
            &format!("/live/{id}/answer"),
            &[("q", &turn.to_string()), ("choice", &choice.to_string())],
        )
        .await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&sent), format!("/live/{id}"));
}

#[tokio::test]
async fn a_facilitator_runs_a_practice_scenario_live_and_the_room_follows_its_choice() {
    let tb = TestBox::start().await;
    let mut f = set_up(&tb).await;

    // The scenario is offered under its lesson.
    let form = f.page("/f/live", StatusCode::OK).await;
    let options = texts(&form, "select[name=lesson] option");
    let at = options
        .iter()
        .position(|o| o == "Thực hành: Cuộc gọi xưng công an")
        .expect("the scenario is offered");
    assert!(
        options[at - 1].contains("Cuộc gọi"),
        "{:?}",
        &options[at - 1]
    );
    let value = format!("thuc-hanh:{SCENARIO}");
    let started = f
        .post_f("/f/live", &[("group", ""), ("lesson", &value)])
        .await;
    assert_eq!(started.status(), StatusCode::SEE_OTHER);
    let id = location(&started)
        .trim_start_matches("/f/live/")
        .to_string();
    let control = f.page(&format!("/f/live/{id}"), StatusCode::OK).await;
    assert_eq!(text(&control, "h1"), "Thực hành: Cuộc gọi xưng công an");
    let code = text(&control, ".big-code");
    let unknown = f
        .post_f(
            "/f/live",
            &[("group", ""), ("lesson", "thuc-hanh:an-toan/khong-co")],
        )
        .await;
    assert_eq!(unknown.status(), StatusCode::BAD_REQUEST);

    // Two phones join, with plain forms.
    let (mut an, mut binh) = (Phone::new(&tb), Phone::new(&tb));
    for (phone, name) in [(&mut an, "Rơ Châm An"), (&mut binh, "Ksor Bình")] {
        phone.join(name, "Buôn Đôn").await;
        let joined = phone.post_form("/live", &[("code", &code)]).await;
        assert_eq!(location(&joined), format!("/live/{id}"));
    }
    let learners = tb.store().all_learners().await.unwrap();
    let id_of = |name: &str| {
        learners
            .iter()
            .find(|l| l.display_name == name)
            .unwrap()
            .id
            .clone()
    };
    let (an_id, binh_id) = (id_of("Rơ Châm An"), id_of("Ksor Bình"));

    // Step 1: the projector shows the call and the lettered choices, nobody has chosen.
    let projector = f.page(&format!("/present/{id}"), StatusCode::OK).await;
    assert!(text(&projector, ".phone").contains("Tài khoản của bà dính vào một vụ lừa đảo"));
    assert_eq!(text(&projector, ".room-ask h1"), "Bà con làm gì?");
    assert_eq!(
        texts(&projector, ".room-choices .letter"),
        vec!["A", "B", "C"]
    );
    assert_eq!(counts(&mut f, &id).await, vec!["0", "0", "0"]);
    let phone = an.page(&format!("/live/{id}"), StatusCode::OK).await;
    assert!(text(&phone, ".phone").contains("cán bộ công an"));
    assert_eq!(
        crate::support::attrs(&phone, "form[data-answer] input[name=q]", "value"),
        vec!["0"]
    );
    assert_eq!(texts(&phone, "form[data-answer] button").len(), 3);
    assert!(
        crate::support::attrs(&phone, "meta[http-equiv=refresh]", "content").is_empty(),
        "a phone with a choice to make does not reload under the finger"
    );

    // Both ask the caller's name (B); An's second tap, on C, is not taken: a decision stays.
    decide(&mut an, &id, 0, 1).await;
    assert_eq!(counts(&mut f, &id).await, vec!["0", "1", "0"]);
    decide(&mut binh, &id, 0, 1).await;
    decide(&mut an, &id, 0, 2).await;
    assert_eq!(counts(&mut f, &id).await, vec!["0", "2", "0"]);
    let phone = an.page(&format!("/live/{id}"), StatusCode::OK).await;
    assert!(text(&phone, "#now .note").contains("Bạn đã chọn B."));
    assert!(texts(&phone, "form[data-answer]").is_empty());
    let bad = an
        .post_form(
            &format!("/live/{id}/answer"),
            &[("q", "0"), ("choice", "7")],
        )
        .await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);

    // "Xem lớp chọn": shares, and the consequence of the room's choice, wrong here.
    let shown = f
        .post_f(
            &format!("/f/live/{id}/reveal"),
            &[("from", "0"), ("back", "present")],
        )
        .await;
    assert_eq!(location(&shown), format!("/present/{id}"));
    let projector = f.page(&format!("/present/{id}"), StatusCode::OK).await;
    let shares = texts(&projector, ".room-choices.shown li");
    assert!(
        shares[0].contains("✓ Đúng") && shares[0].contains("0 người · 0%"),
        "{shares:?}"
    );
    assert!(shares[1].contains("Hỏi tên và cấp bậc") && shares[1].contains("2 người · 100%"));
    assert_eq!(
        texts(&projector, ".room-choices li.chosen .letter"),
        vec!["B"]
    );
    assert!(text(&projector, ".feedback.wrong").contains("Lớp chọn B: Chưa đúng"));
    assert!(text(&projector, ".feedback.wrong").contains("Kẻ gian có sẵn tên và cấp bậc giả"));
    assert_eq!(
        texts(&projector, "button[data-key=next]"),
        vec!["Tiếp: theo B ▶"]
    );
    let phone = binh.page(&format!("/live/{id}"), StatusCode::OK).await;
    assert!(text(&phone, ".feedback.wrong").contains("Cả lớp chọn B"));
    assert!(text(&phone, "li.mine").contains("Bạn đã chọn"));

    // "Tiếp" follows the room's choice; a second press on the same turn moves nothing.
    follow_room(&mut f, &id, 0, "").await;
    follow_room(&mut f, &id, 0, "").await;
    assert_eq!(step(&mut f, &id).await, 1);

    // A restart keeps the room on its step, with who is present.
    let cookies = (an.cookie.clone(), binh.cookie.clone());
    drop((an, binh, f));
    let tb = tb.restart().await;
    let mut f = f_again(&tb).await;
    let (mut an, mut binh) = (Phone::new(&tb), Phone::new(&tb));
    (an.cookie, binh.cookie) = cookies;
    let projector = f.page(&format!("/present/{id}"), StatusCode::OK).await;
    assert_eq!(
        text(&projector, ".room-ask h1"),
        "Họ dọa và bảo giữ bí mật. Bà con làm gì?"
    );
    assert!(text(&projector, ".meta").contains("Bước 2"));

    // Step 2: a tie, one right and one wrong: the room follows the right one.
    decide(&mut an, &id, 1, 1).await;
    decide(&mut binh, &id, 1, 0).await;
    decide(&mut binh, &id, 0, 2).await; // a late answer to the step before: not taken
    assert_eq!(counts(&mut f, &id).await, vec!["1", "1"]);
    f.post_f(
        &format!("/f/live/{id}/reveal"),
        &[("from", "1"), ("back", "present")],
    )
    .await;
    let projector = f.page(&format!("/present/{id}"), StatusCode::OK).await;
    assert!(text(&projector, ".feedback.right").contains("Lớp chọn A: Đúng"));
    assert!(text(&projector, ".room-choices li.chosen").contains("1 người · 50%"));
    follow_room(&mut f, &id, 1, "").await;

    // The end: kept safe, on the projector and on the phones.
    let projector = f.page(&format!("/present/{id}"), StatusCode::OK).await;
    assert!(text(&projector, ".end.won").contains("Bà H'Hen giữ được tiền"));
    assert!(texts(&projector, "button[data-key=next]").is_empty());
    let phone = an.page(&format!("/live/{id}"), StatusCode::OK).await;
    assert!(text(&phone, ".end.won").contains("Bà con đã giữ an toàn!"));

    // The records: a decision each a phone a step, one run a learner, an end for each present.
    let events = practice_events(&tb).await;
    let steps: Vec<_> = events.iter().filter(|e| e.0 == "practice_step").collect();
    assert_eq!(steps.len(), 4, "{events:?}");
    for (learner, choices) in [(&an_id, [1, 1]), (&binh_id, [1, 0])] {
        let mine: Vec<_> = steps.iter().filter(|e| &e.1 == learner).collect();
        assert_eq!(
            mine.iter()
                .map(|e| e.2["choice"].as_u64().unwrap())
                .collect::<Vec<_>>(),
            choices.map(|c| c as u64).to_vec()
        );
        assert_eq!(mine[0].2["step"], "alo");
        assert_eq!(mine[1].2["step"], "doa");
        assert_eq!(mine[0].2["run"], mine[1].2["run"], "one run a learner");
        assert_eq!(mine[0].2["scenario"], SCENARIO);
    }
    let finished: Vec<_> = events
        .iter()
        .filter(|e| e.0 == "practice_finished")
        .collect();
    assert_eq!(finished.len(), 2);
    for e in &finished {
        assert_eq!(
            (e.2["end"].as_str(), e.2["win"].as_bool()),
            (Some("an-toan"), Some(true))
        );
    }
    for learner in [&an_id, &binh_id] {
        let record = tb.store().record_of_learner(learner).await.unwrap();
        let done = record
            .practice
            .iter()
            .find(|p| p.scenario_id == SCENARIO)
            .unwrap();
        assert_eq!((done.runs, done.first_win), (1, Some(true)));
    }

    // Ending the session records nothing twice.
    let count = tb.store().event_count().await.unwrap().events;
    f.post_f(&format!("/f/live/{id}/end"), &[("sure", "1")])
        .await;
    assert_eq!(tb.store().event_count().await.unwrap().events, count);
    let phone = binh.page(&format!("/live/{id}"), StatusCode::OK).await;
    assert!(text(&phone, "#now h2").contains("Buổi học đã kết thúc"));
}
