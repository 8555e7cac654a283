//! The JSON API: health, and a catalogue of every lesson that never carries quiz answers.

use hocso::content::{self, Lang, LessonTree};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::TestBox;

#[tokio::test]
async fn health_says_ok_with_version_and_role() {
    let b = TestBox::start().await;
    let response = b.get("/api/v1/health").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/json");
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        body,
        json!({ "status": "ok", "version": env!("CARGO_PKG_VERSION"), "role": "box" })
    );
}

#[tokio::test]
async fn lessons_lists_every_lesson_in_every_language_without_answers() {
    let b = TestBox::start().await;
    let response = b.get("/api/v1/lessons").await;
    assert_eq!(response.status(), StatusCode::OK);
    let text = response.text().await.unwrap();
    // Gzipped once and kept (this client takes gzip): the same JSON as sent plain.
    let plain = b.raw.get(b.url("/api/v1/lessons")).send().await.unwrap();
    assert!(plain.headers().get("content-encoding").is_none());
    assert_eq!(plain.text().await.unwrap(), text);
    let lessons: Vec<Value> = serde_json::from_str(&text).unwrap();

    let (catalogue, _) = content::load(&LessonTree::embedded(), &|n| n.to_string());
    let expected: usize = catalogue.lessons().map(|l| l.headings.iter().count()).sum();
    assert_eq!(lessons.len(), expected);
    let first = &lessons[0];
    let keys: Vec<&str> = first
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "audio",
            "id",
            "lang",
            "minutes",
            "module",
            "objective",
            "quiz_count",
            "slides",
            "source",
            "text_lang",
            "title",
            "url"
        ],
        "never the quiz's questions, choices or answers"
    );
    assert_eq!(first["id"], "dien-thoai/bat-dau");
    assert_eq!(first["url"], "/m/dien-thoai/bat-dau");
    assert_eq!(first["module"], "dien-thoai");
    assert_eq!(first["title"], "Bắt đầu: bật, tắt, sạc pin và các nút bấm");
    assert_eq!(first["lang"], "vi");
    assert_eq!(first["text_lang"], "vi");
    assert_eq!(first["source"], "embedded");
    assert_eq!(first["audio"], serde_json::json!([]));
    for lesson in &lessons {
        let known = catalogue.lesson(lesson["id"].as_str().unwrap()).unwrap();
        let lang = Lang::from_code(lesson["lang"].as_str().unwrap()).unwrap();
        let (text_lang, version) = known.versions.pick(lang);
        assert_eq!(lesson["title"], known.heading(lang).title.as_str());
        assert_eq!(lesson["objective"], known.heading(lang).objective.as_str());
        assert_eq!(lesson["text_lang"], text_lang.code());
        assert_eq!(lesson["minutes"], version.minutes);
        assert_eq!(lesson["slides"], version.slides.len());
        assert_eq!(lesson["quiz_count"], version.quiz.len());
        assert!(lesson["quiz_count"].as_u64().unwrap() >= 3, "{lesson}");
        let page = b.get(lesson["url"].as_str().unwrap()).await;
        assert_eq!(page.status(), StatusCode::OK);
    }
}

#[tokio::test]
async fn lessons_can_be_narrowed_to_one_language() {
    let b = TestBox::start().await;
    let english: Vec<Value> = b.get("/api/v1/lessons?lang=en").await.json().await.unwrap();
    assert!(!english.is_empty());
    assert!(english.iter().all(|l| l["lang"] == "en"));
    assert_eq!(
        english[0]["title"],
        "Getting started: power, charging and buttons"
    );
}

#[tokio::test]
async fn each_lesson_entry_leads_to_its_own_language() {
    let b = TestBox::start().await;
    let lessons: Vec<Value> = b.get("/api/v1/lessons").await.json().await.unwrap();
    let english = lessons
        .iter()
        .find(|l| l["lang"] == "en")
        .expect("an English entry");
    let url = english["url"].as_str().unwrap();
    let page = scraper::Html::parse_document(&b.get(url).await.text().await.unwrap());
    let lang = page
        .select(&scraper::Selector::parse("html").unwrap())
        .next()
        .and_then(|html| html.value().attr("lang"));
    assert_eq!(lang, Some("en"), "{url}");
    assert_eq!(
        page.select(&scraper::Selector::parse("h1").unwrap())
            .next()
            .map(|h| h.text().collect::<String>()),
        Some(english["title"].as_str().unwrap().to_string())
    );
}
