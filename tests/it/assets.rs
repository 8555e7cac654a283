//! Assets: the right content type, content-hashed URLs cached for a year, plain URLs
//! revalidated by ETag, and compressed answers for every client that accepts them.

use reqwest::StatusCode;
use scraper::Html;

use crate::support::{TestBox, attrs};

async fn stylesheet_url(b: &TestBox) -> String {
    let home = Html::parse_document(&b.get("/").await.text().await.unwrap());
    attrs(&home, "link[rel=stylesheet]", "href").remove(0)
}

#[tokio::test]
async fn hashed_urls_are_cached_for_a_year_with_the_right_type() {
    let b = TestBox::start().await;
    let css = stylesheet_url(&b).await;
    assert!(
        css.starts_with("/assets/style.")
            && css.ends_with(".css")
            && css.len() > "/assets/style.css".len(),
        "{css}"
    );
    let response = b.get(&css).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()["content-type"],
        "text/css; charset=utf-8"
    );
    assert_eq!(
        response.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert!(response.headers().contains_key("etag"));

    let page = Html::parse_document(
        &b.get("/m/dien-thoai/bat-dau?phan=ca")
            .await
            .text()
            .await
            .unwrap(),
    );
    let svg = attrs(&page, "section.slide img", "src").remove(0);
    let response = b.get(&svg).await;
    assert_eq!(response.headers()["content-type"], "image/svg+xml");
    assert_eq!(
        response.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
}

#[tokio::test]
async fn plain_urls_revalidate_with_etags() {
    let b = TestBox::start().await;
    let response = b.get("/assets/style.css").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["cache-control"], "no-cache");
    let etag = response.headers()["etag"].clone();
    let again = b
        .client
        .get(b.url("/assets/style.css"))
        .header("if-none-match", etag.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert!(again.bytes().await.unwrap().is_empty());
    // The hashed URL has the same ETag: one file, two names.
    let hashed = b.get(&stylesheet_url(&b).await).await;
    assert_eq!(hashed.headers()["etag"], etag);
    let stale = b
        .client
        .get(b.url("/assets/style.css"))
        .header("if-none-match", "\"old\"")
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), StatusCode::OK);
}

#[tokio::test]
async fn answers_are_compressed_as_the_client_accepts() {
    let b = TestBox::start().await;
    let css = stylesheet_url(&b).await;
    for path in [
        "/",
        "/join",
        "/m/dien-thoai/bat-dau",
        "/api/v1/lessons",
        css.as_str(),
    ] {
        let plain = b.raw.get(b.url(path)).send().await.unwrap();
        assert!(plain.headers().get("content-encoding").is_none(), "{path}");
        let plain_len = plain.bytes().await.unwrap().len();
        // Assets and the lesson list come gzipped once, at their best, and most of the home
        // and lesson pages too: a phone that takes gzip gets those bytes. Other pages are
        // compressed as asked, brotli first.
        let kept = path != "/join";
        let both = if kept { "gzip" } else { "br" };
        for (accept, encoding) in [("gzip", "gzip"), ("gzip, deflate, br", both), ("br", "br")] {
            let response = b
                .raw
                .get(b.url(path))
                .header("accept-encoding", accept)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), StatusCode::OK);
            assert_eq!(
                response.headers()["content-encoding"],
                encoding,
                "{path} for {accept}"
            );
            assert!(
                response.headers()["vary"]
                    .to_str()
                    .unwrap()
                    .contains("accept-encoding")
            );
            let len = response.bytes().await.unwrap().len();
            assert!(
                len < plain_len,
                "{path}: {encoding} {len} ≥ plain {plain_len}"
            );
        }
    }
}
