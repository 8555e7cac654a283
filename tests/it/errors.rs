//! Bad input from anyone on the hotspot: a clear page (or JSON under `/api`) with the right
//! status, nothing stored, and the box goes on serving.

use reqwest::StatusCode;
use serde_json::Value;

use crate::support::{TestBox, attrs, text};

async fn still_serving(b: &TestBox) {
    let response = b.get("/api/v1/health").await;
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn unknown_modules_lessons_and_paths_get_a_vietnamese_404_page() {
    let b = TestBox::start().await;
    for path in [
        "/m/khong-co",
        "/m/dien-thoai/khong-co",
        "/m/dien-thoai/bat-dau/them",
        "/khong-co",
        "/assets/khong-co.svg",
        "/m/",
    ] {
        let page = b.page(path, StatusCode::NOT_FOUND).await;
        assert_eq!(text(&page, "h1"), "Không tìm thấy trang", "{path}");
        assert!(text(&page, ".lead").contains("Có thể địa chỉ bị gõ sai"));
        assert_eq!(attrs(&page, "a.button", "href"), vec!["/"]);
    }
    let page = b.page("/m/khong-co?lang=en", StatusCode::NOT_FOUND).await;
    assert_eq!(text(&page, "h1"), "Page not found");
}

#[tokio::test]
async fn api_errors_are_json() {
    let b = TestBox::start().await;
    let response = b.get("/api/v1/khong-co").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(response.headers()["content-type"], "application/json");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "not_found");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("không có")
    );

    let response = b.get("/api/v1/lessons?lang=xx").await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "unknown_language");

    let response = b.client.post(b.url("/api/v1/health")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "method_not_allowed");
}

#[tokio::test]
async fn malformed_queries_and_paths_get_a_400_page() {
    let b = TestBox::start().await;
    for path in [
        "/?lang=xx",
        "/?lang=vi&lang=en",
        "/m/%FF",
        "/m/dien-thoai?lang=%E0%A4",
    ] {
        let page = b.page(path, StatusCode::BAD_REQUEST).await;
        assert_eq!(text(&page, "h1"), "Yêu cầu không hợp lệ", "{path}");
    }
    // A refused language is not remembered.
    let response = b.get("/?lang=xx").await;
    assert!(response.headers().get("set-cookie").is_none());
    still_serving(&b).await;
}

#[tokio::test]
async fn a_wrong_method_gets_405_with_allow() {
    let b = TestBox::start().await;
    let response = b
        .client
        .post(b.url("/m/dien-thoai/bat-dau"))
        .body("x=1")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert!(
        response.headers()["allow"]
            .to_str()
            .unwrap()
            .contains("GET")
    );
    let page = scraper::Html::parse_document(&response.text().await.unwrap());
    assert_eq!(text(&page, "h1"), "Không làm được việc này");
}

#[tokio::test]
async fn a_huge_body_gets_413_and_the_box_keeps_serving() {
    let b = TestBox::start().await;
    let body = vec![b'x'; 200 * 1024];
    let response = b.client.post(b.url("/")).body(body).send().await;
    if let Ok(response) = response {
        assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
        let page = scraper::Html::parse_document(&response.text().await.unwrap());
        assert_eq!(text(&page, "h1"), "Dữ liệu quá lớn");
    }
    still_serving(&b).await;
}

#[tokio::test]
async fn huge_headers_get_431_and_the_box_keeps_serving() {
    let b = TestBox::start().await;
    // Large for a phone, small enough for the HTTP parser: the box answers with its own page.
    let response = b
        .client
        .get(b.url("/"))
        .header("x-filler", "a".repeat(40 * 1024))
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE
    );
    let page = scraper::Html::parse_document(&response.text().await.unwrap());
    assert_eq!(text(&page, "h1"), "Dữ liệu quá lớn");
    // Beyond the parser's own limit the connection is answered 431 and closed.
    let response = b
        .client
        .get(b.url("/"))
        .header("x-filler", "a".repeat(1024 * 1024))
        .send()
        .await;
    if let Ok(response) = response {
        assert_eq!(
            response.status(),
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE
        );
    }
    still_serving(&b).await;
}

#[tokio::test]
async fn head_answers_like_get_without_a_body() {
    let b = TestBox::start().await;
    for path in [
        "/",
        "/m/dien-thoai",
        "/m/dien-thoai/bat-dau",
        "/api/v1/lessons",
    ] {
        let response = b.client.head(b.url(path)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "HEAD {path}");
        assert!(response.headers().contains_key("content-type"));
        assert!(response.bytes().await.unwrap().is_empty());
    }
    let response = b.client.head(b.url("/m/khong-co")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}
