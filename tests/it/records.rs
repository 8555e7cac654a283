//! The learner API (`/api/v1/learners`, `/events`, `/me`) and every bad input from the
//! hotspot: a clear answer, nothing stored, the box still serving.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::{Phone, TestBox, catalogue, location, text, texts};

async fn api_join<'a>(tb: &'a TestBox, name: &str) -> Phone<'a> {
    let mut phone = Phone::new(tb);
    let response = phone
        .post_json(
            "/api/v1/learners",
            &json!({ "display_name": name, "village": "Buôn Đôn" }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    phone
}

fn event(kind: &str, lesson: &str, payload: Value) -> Value {
    json!({
        "id": uuid::Uuid::now_v7().to_string(),
        "kind": kind,
        "lesson": lesson,
        "at": "2026-11-25T08:30:00+07:00",
        "payload": payload,
    })
}

async fn send(phone: &mut Phone<'_>, events: &[Value]) -> Vec<Value> {
    let response = phone
        .post_json("/api/v1/events", &json!({ "events": events }))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    body["results"].as_array().unwrap().clone()
}

fn statuses(results: &[Value]) -> Vec<&str> {
    results
        .iter()
        .map(|r| r["status"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn joining_through_the_api_signs_the_client_in() {
    let tb = TestBox::start().await;
    let mut phone = Phone::new(&tb);
    let body = json!({
        "display_name": "Đinh Thị Hoa", "village": "Làng Kon Rbàng", "birth_year": 1985,
        "gender": "nu", "ethnic_group": "Ba Na", "pin": "2580", "consent_optional": true,
    });
    let response = phone.post_json("/api/v1/learners", &body).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let set_cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Lax"));
    let created: Value = response.json().await.unwrap();
    let learner = &created["learner"];
    assert_eq!(learner["display_name"], "Đinh Thị Hoa");
    assert_eq!(learner["has_secret"], true);
    assert!(
        !created.to_string().contains("argon2"),
        "the secret's hash stays in the box"
    );
    let id = uuid::Uuid::parse_str(learner["id"].as_str().unwrap()).unwrap();
    assert_eq!(
        id.get_version_num(),
        7,
        "ids carry 74 random bits: not guessable"
    );

    let me: Value = phone.get("/api/v1/me").await.json().await.unwrap();
    assert_eq!(me["learner"]["id"], learner["id"]);
    assert_eq!(
        me["lessons"].as_array().unwrap().len(),
        catalogue().lessons().count()
    );
    assert_eq!(me["next_lesson"], "dien-thoai/bat-dau");
    assert_eq!(me["finished_modules"], json!([]));
}

#[tokio::test]
async fn events_are_stored_once_and_each_gets_its_own_answer() {
    let tb = TestBox::start().await;
    let mut phone = api_join(&tb, "Y Mơ").await;
    let lesson = "dien-thoai/bat-dau";
    let right = crate::quiz::right_answers(lesson);
    let opened = event("lesson_opened", lesson, json!({}));
    let finished = event("lesson_finished", lesson, json!({}));
    let quiz = event("quiz_submitted", lesson, json!({ "answers": right }));
    let mut no_time = event("lesson_opened", "dien-thoai/man-hinh-cam-ung", json!({}));
    no_time.as_object_mut().unwrap().remove("at");
    let batch = vec![
        opened.clone(),
        finished.clone(),
        quiz.clone(),
        opened.clone(),
        no_time,
        event("lesson_liked", lesson, json!({})),
        event("lesson_opened", "dien-thoai/khong-co", json!({})),
        json!({ "id": "not-a-uuid", "kind": "lesson_opened", "lesson": lesson }),
        event("quiz_submitted", lesson, json!({ "answers": [0, 9, 0] })),
        event("quiz_submitted", lesson, json!({ "answers": [0] })),
        event("quiz_submitted", lesson, json!({ "chosen": [0, 0, 0] })),
        event("lesson_opened", lesson, json!({}))
            .as_object()
            .map(|o| {
                let mut o = o.clone();
                o.insert("at".into(), "last tuesday".into());
                Value::Object(o)
            })
            .unwrap(),
        json!("not an object"),
        event(
            "quiz_submitted",
            lesson,
            json!({ "questions": [0, 0, 1], "answers": [0, 0, 0] }),
        ),
        event(
            "quiz_submitted",
            lesson,
            json!({ "questions": [0, 1, 9], "answers": [0, 0, 0] }),
        ),
        event(
            "quiz_submitted",
            lesson,
            json!({ "questions": [0, 1], "answers": [0, 0, 0] }),
        ),
        // Three of the four questions, as an attempt asks them: graded on those three.
        event(
            "quiz_submitted",
            lesson,
            json!({ "questions": [3, 0, 2], "answers": [right[3], right[0], (right[2] + 1) % 2] }),
        ),
    ];
    let before = tb.store().event_count().await.unwrap().events;
    let results = send(&mut phone, &batch).await;
    assert_eq!(
        statuses(&results),
        [
            "stored",
            "stored",
            "stored",
            "already_held",
            "stored",
            "refused",
            "refused",
            "refused",
            "refused",
            "refused",
            "refused",
            "refused",
            "refused",
            "refused",
            "refused",
            "refused",
            "stored"
        ]
    );
    assert_eq!(results[0]["id"], opened["id"]);
    assert_eq!(
        (results[2]["score"].as_u64(), results[2]["total"].as_u64()),
        (Some(4), Some(4))
    );
    assert_eq!(
        (results[16]["score"].as_u64(), results[16]["total"].as_u64()),
        (Some(2), Some(3))
    );
    for (i, needle) in [
        (5, "kind"),
        (6, "lesson"),
        (7, "id"),
        (8, "answer 2"),
        (9, "not 1"),
        (10, "payload"),
        (11, "at"),
        (13, "twice"),
        (14, "does not exist"),
        (15, "not 2"),
    ] {
        let reason = results[i]["reason"].as_str().unwrap();
        assert!(reason.contains(needle), "{i}: {reason}");
    }
    assert_eq!(tb.store().event_count().await.unwrap().events, before + 5);

    // Sent again after a dropped Wi-Fi: held already, nothing changes.
    let results = send(&mut phone, &[opened, finished, quiz.clone()]).await;
    assert_eq!(statuses(&results), ["already_held"; 3]);
    assert_eq!(tb.store().event_count().await.unwrap().events, before + 5);
    let me: Value = phone.get("/api/v1/me").await.json().await.unwrap();
    let first = &me["lessons"][0];
    assert_eq!(first["complete"], true);
    assert_eq!(first["quiz"]["attempts"], 2);
    assert_eq!(
        (
            first["quiz"]["best"].as_u64(),
            first["quiz"]["total"].as_u64()
        ),
        (Some(4), Some(4))
    );
    assert_eq!(me["lessons"][1]["opened"], true);

    // Another learner cannot claim an id that is held.
    let mut other = api_join(&tb, "A Nhung").await;
    let results = send(&mut other, &[quiz]).await;
    assert_eq!(statuses(&results), ["refused"]);
    let me: Value = other.get("/api/v1/me").await.json().await.unwrap();
    assert!(
        me["lessons"][0]["quiz"].is_null(),
        "nobody sees another's records"
    );
}

#[tokio::test]
async fn bad_api_input_gets_a_json_error_and_stores_nothing() {
    let tb = TestBox::start().await;
    let store = tb.store();
    let mut signed_in = api_join(&tb, "Y Đăm").await;
    let before = store.event_count().await.unwrap();

    let long = "a".repeat(500);
    for (body, code) in [
        (
            json!({ "display_name": "", "village": "Buôn Đôn" }),
            "invalid_learner",
        ),
        (
            json!({ "display_name": "   ", "village": "Buôn Đôn" }),
            "invalid_learner",
        ),
        (
            json!({ "display_name": long, "village": "Buôn Đôn" }),
            "invalid_learner",
        ),
        (
            json!({ "display_name": "Y Đăm", "village": "" }),
            "invalid_learner",
        ),
        (
            json!({ "display_name": "Y Đăm", "village": "Buôn Đôn", "pin": "abcd" }),
            "invalid_learner",
        ),
        (
            json!({ "display_name": "Y Đăm", "village": "Buôn Đôn", "pin": "12345" }),
            "invalid_learner",
        ),
        (
            json!({ "display_name": "Y Đăm", "village": "Buôn Đôn", "birth_year": 1800 }),
            "invalid_learner",
        ),
        (
            json!({ "display_name": "Y Đăm", "village": "Buôn Đôn", "gender": "x" }),
            "invalid_learner",
        ),
        (
            json!({ "display_name": "Y Đăm", "village": "Buôn Đôn", "birth_year": "năm" }),
            "bad_json",
        ),
        (json!({ "village": "Buôn Đôn" }), "bad_json"),
        (json!([1, 2]), "bad_json"),
    ] {
        let response = Phone::new(&tb).post_json("/api/v1/learners", &body).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{body}");
        assert!(response.headers().get("set-cookie").is_none());
        let error: Value = response.json().await.unwrap();
        assert_eq!(error["error"]["code"], code, "{body}");
        assert!(error["error"]["message"].as_str().unwrap().len() > 5);
    }
    let response = tb
        .client
        .post(tb.url("/api/v1/learners"))
        .header("content-type", "application/json")
        .body("{\"display_name\": \"Y")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);

    // Events without a session, with a forged or stale one, or in a malformed batch.
    let one = json!({ "events": [event("lesson_opened", "dien-thoai/bat-dau", json!({}))] });
    let forged = format!("hocso_session={}", "ab".repeat(32));
    for cookie in [
        None,
        Some(forged.as_str()),
        Some("hocso_session=nonsense"),
        Some("hocso_session="),
    ] {
        let mut stranger = Phone::new(&tb);
        stranger.cookie = cookie.map(str::to_string);
        let response = stranger.post_json("/api/v1/events", &one).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{cookie:?}");
        let error: Value = response.json().await.unwrap();
        assert_eq!(error["error"]["code"], "not_signed_in");
        assert_eq!(
            stranger.get("/api/v1/me").await.status(),
            StatusCode::UNAUTHORIZED
        );
    }
    let many: Vec<Value> = (0..101)
        .map(|_| event("lesson_opened", "dien-thoai/bat-dau", json!({})))
        .collect();
    let response = signed_in
        .post_json("/api/v1/events", &json!({ "events": many }))
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let error: Value = response.json().await.unwrap();
    assert_eq!(error["error"]["code"], "too_many_events");
    let huge: Vec<Value> = (0..10_000)
        .map(|_| event("lesson_opened", "dien-thoai/bat-dau", json!({})))
        .collect();
    let response = signed_in
        .post_json("/api/v1/events", &json!({ "events": huge }))
        .await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let error: Value = response.json().await.unwrap();
    assert_eq!(error["error"]["code"], "too_large");
    for body in ["{\"events\": [", "{\"events\": 5}", "null", "{}"] {
        let request = tb
            .client
            .post(tb.url("/api/v1/events"))
            .header("content-type", "application/json")
            .body(body);
        let response = signed_in.send(request).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{body}");
        let error: Value = response.json().await.unwrap();
        assert_eq!(error["error"]["code"], "bad_json", "{body}");
    }

    assert_eq!(store.event_count().await.unwrap(), before, "nothing stored");
    assert_eq!(store.villages().await.unwrap().len(), 1);
    assert_eq!(tb.get("/api/v1/health").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn bad_join_forms_get_vietnamese_messages_and_store_nothing() {
    let tb = TestBox::start().await;
    let store = tb.store();
    let long = "Nguyễn ".repeat(80);
    for (fields, message) in [
        (
            vec![("display_name", ""), ("village_new", "Buôn Đôn")],
            "Hãy gõ tên của bạn.",
        ),
        (
            vec![("display_name", long.as_str()), ("village_new", "Buôn Đôn")],
            "Tên quá dài",
        ),
        (
            vec![("display_name", "Y Lan"), ("village_new", "  ")],
            "Hãy chọn hoặc gõ tên thôn/buôn.",
        ),
        (
            vec![
                ("display_name", "Y Lan"),
                ("village_new", "Buôn Đôn"),
                ("secret_kind", "pin"),
                ("pin", "abcd"),
            ],
            "Mã số phải có đúng 4 chữ số.",
        ),
        (
            vec![
                ("display_name", "Y Lan"),
                ("village_new", "Buôn Đôn"),
                ("secret_kind", "picture"),
                ("p1", "1"),
            ],
            "Hãy chạm đủ 3 hình",
        ),
        (
            vec![
                ("display_name", "Y Lan"),
                ("village_new", "Buôn Đôn"),
                ("birth_year", "abc"),
                ("optional_consent", "1"),
            ],
            "Năm sinh phải là 4 chữ số",
        ),
        (
            vec![
                ("display_name", "Y Lan"),
                ("village_new", "Buôn Đôn"),
                ("ethnic_group", "<b>x</b>"),
                ("optional_consent", "1"),
            ],
            "Hãy chọn trong danh sách.",
        ),
    ] {
        let mut phone = Phone::new(&tb);
        let response = phone.post_form("/join", &fields).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{fields:?}");
        assert!(phone.cookie.is_none());
        let page = scraper::Html::parse_document(&response.text().await.unwrap());
        assert!(text(&page, ".note.error").contains("Có chỗ chưa đúng"));
        let errors = texts(&page, ".error-text");
        assert!(
            errors.iter().any(|e| e.contains(message)),
            "{fields:?}: {errors:?}"
        );
        // What was typed comes back, escaped, to be corrected.
        let typed = crate::support::attrs(&page, "#display_name", "value");
        assert_eq!(typed, [fields[0].1]);
    }
    // A name with markup is kept as text, never as markup.
    let mut phone = Phone::new(&tb);
    phone
        .join("<script>alert(1)</script>", "Buôn <i>Đôn</i>")
        .await;
    let html = phone.get("/me").await.text().await.unwrap();
    assert!(!html.contains("<script>alert"), "user text is escaped");
    assert!(html.contains("&lt;script&gt;"));
    assert_eq!(
        store.villages().await.unwrap().len(),
        1,
        "only the last join stored"
    );

    // A forged cookie is just a stranger.
    let mut forged = Phone::new(&tb);
    forged.cookie = Some(format!("hocso_session={}", "0".repeat(64)));
    let home = forged.page("/", StatusCode::OK).await;
    assert_eq!(text(&home, ".who"), "Vào học");
    assert_eq!(location(&forged.get("/me").await), "/signin");
    let response = forged.post_form("/m/dien-thoai/bat-dau/xong", &[]).await;
    assert_eq!(location(&response), "/signin");
    let response = Phone::new(&tb).get("/signin/not-a-learner").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let response = Phone::new(&tb)
        .get(&format!("/signin/{}", uuid::Uuid::now_v7()))
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}
