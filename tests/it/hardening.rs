//! What a careless facilitator, a curious teenager or a broken part cannot do to the box:
//! names made of hidden characters, forms that are not UTF-8, the facilitators' door typed
//! with a slash, and the health check that really asks the writer and the database.

use reqwest::StatusCode;
use scraper::Html;
use serde_json::{Value, json};

use crate::facilitators::set_up;
use crate::support::{Phone, TestBox, text};

/// Names no one can read, or that hide or reorder what others read.
const HIDDEN: [&str; 5] = [
    "\u{200B}\u{200B}\u{200B}",
    "\u{200D}\u{FEFF}",
    "An\u{0}",
    "Y\u{202E}nóS",
    "\u{2066}Hoa\u{2069}",
];

#[tokio::test]
async fn names_of_hidden_characters_are_refused_in_every_field() {
    let tb = TestBox::start().await;
    let mut f = set_up(&tb).await;
    let before = tb.store().event_count().await.unwrap();
    for name in HIDDEN {
        // A learner joining by the form, and by the API.
        let mut phone = Phone::new(&tb);
        let page = phone
            .post_form(
                "/join",
                &[("display_name", name), ("village_new", "Buôn Đôn")],
            )
            .await;
        assert_eq!(page.status(), StatusCode::BAD_REQUEST, "{name:?}");
        let page = Html::parse_document(&page.text().await.unwrap());
        assert!(
            text(&page, "main").contains("Hãy gõ tên của bạn.")
                || text(&page, "main").contains("ký tự ẩn"),
            "{name:?}: {}",
            text(&page, "main")
        );
        let api = tb
            .client
            .post(tb.url("/api/v1/learners"))
            .json(&json!({ "display_name": "Y Sơn", "village": name }))
            .send()
            .await
            .unwrap();
        assert_eq!(api.status(), StatusCode::BAD_REQUEST, "{name:?}");
        let body: Value = api.json().await.unwrap();
        assert!(
            body["error"]["detail"]
                .as_str()
                .unwrap()
                .contains("village"),
            "{body}"
        );
        // A group, the commune in the settings.
        let group = f.post_f("/f/groups", &[("name", name)]).await;
        assert_eq!(group.status(), StatusCode::BAD_REQUEST, "{name:?}");
        let settings = f
            .post_f(
                "/f/settings",
                &[
                    ("commune_name", name),
                    ("lang", "vi"),
                    ("wifi_phones", "15"),
                ],
            )
            .await;
        assert_eq!(settings.status(), StatusCode::BAD_REQUEST, "{name:?}");
    }
    assert_eq!(
        tb.store().event_count().await.unwrap(),
        before,
        "nothing stored"
    );
    assert!(tb.store().groups().await.unwrap().is_empty());
    assert_eq!(
        tb.store().setting("commune_name").await.unwrap().as_deref(),
        Some("Xã Ea Sol")
    );
    // A name with a joiner inside an emoji is a name.
    let mut phone = Phone::new(&tb);
    phone.join("Bà 👩\u{200D}🌾 Hoa", "Buôn Đôn").await;
}

#[tokio::test]
async fn a_facilitator_named_with_hidden_characters_is_refused_at_setup() {
    let tb = TestBox::start().await;
    let mut browser = Phone::new(&tb);
    browser.get("/setup").await;
    let code = tb.store().setup_code().expect("a set-up code").to_string();
    let refused = browser
        .post_f(
            "/setup",
            &[
                ("code", &code),
                ("commune", "Xã Ea Sol"),
                ("name", "Lê\u{202E} Hoa"),
                ("password", "mật khẩu dài"),
                ("again", "mật khẩu dài"),
            ],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    let page = Html::parse_document(&refused.text().await.unwrap());
    assert!(
        text(&page, "main").contains("ký tự ẩn"),
        "{}",
        text(&page, "main")
    );
    assert!(!tb.store().is_set_up().await.unwrap());
}

#[tokio::test]
async fn a_form_that_is_not_utf8_is_refused_and_nothing_kept() {
    let tb = TestBox::start().await;
    for body in [
        "display_name=%FF%FE&village_new=Bu%C3%B4n",
        "display_name=%C3&village_new=x",
    ] {
        let response = tb
            .client
            .post(tb.url("/join"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{body}");
    }
    assert_eq!(tb.store().event_count().await.unwrap().events, 0);
    assert_eq!(tb.get("/api/v1/health").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_facilitators_door_opens_with_or_without_a_slash() {
    let tb = TestBox::start().await;
    let mut f = set_up(&tb).await;
    let slash = f.get("/f/").await;
    assert_eq!(slash.status(), StatusCode::SEE_OTHER);
    assert_eq!(slash.headers()["location"], "/f");
    f.page("/f", StatusCode::OK).await;
    let hub = TestBox::start_hub().await;
    let door = hub.get("/f/").await;
    assert_eq!(door.status(), StatusCode::SEE_OTHER);
    assert_eq!(door.headers()["location"], "/hub");
}

#[tokio::test]
async fn health_asks_the_writer_and_the_database_on_a_box_and_a_hub() {
    for (tb, role) in [
        (TestBox::start().await, "box"),
        (TestBox::start_hub().await, "hub"),
    ] {
        let health = tb.get("/api/v1/health").await;
        assert_eq!(health.status(), StatusCode::OK);
        let body: Value = health.json().await.unwrap();
        assert_eq!(
            (body["status"].as_str(), body["role"].as_str()),
            (Some("ok"), Some(role))
        );
        assert!(body.get("reason").is_none());
        tb.store()
            .probe(std::time::Duration::from_secs(5))
            .await
            .unwrap();
    }
}
