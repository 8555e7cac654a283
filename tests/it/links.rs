//! The box is offline: every picture, style sheet and link on every page answers from the box,
//! and nothing a page, its CSS or its drawings refer to lies outside it.

use std::collections::BTreeSet;

use reqwest::StatusCode;
use scraper::Html;

use crate::support::{TestBox, attrs};

/// Every page a learner can reach by reading: home, modules and lessons, in both languages.
async fn every_page(b: &TestBox) -> Vec<(String, String)> {
    let mut paths = vec!["/".to_string()];
    paths.extend(b.module_urls().await);
    paths.extend(b.lesson_urls().await);
    let mut pages = Vec::new();
    for path in paths {
        for lang in ["vi", "en"] {
            let response = b
                .client
                .get(b.url(&path))
                .header("cookie", format!("lang={lang}"))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), StatusCode::OK, "{path} in {lang}");
            pages.push((format!("{path} ({lang})"), response.text().await.unwrap()));
        }
    }
    pages
}

fn is_external(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    lower.starts_with("//")
        || lower.contains("://")
        || lower.starts_with("data:")
        || lower.starts_with("javascript:")
}

#[tokio::test]
async fn every_image_style_and_link_answers_from_the_box() {
    let b = TestBox::start().await;
    let mut targets = BTreeSet::new();
    for (name, html) in every_page(&b).await {
        let page = Html::parse_document(&html);
        let mut refs = attrs(&page, "img", "src");
        refs.extend(attrs(&page, "link", "href"));
        refs.extend(attrs(&page, "script", "src"));
        refs.extend(attrs(&page, "a", "href"));
        for url in refs {
            assert!(!is_external(&url), "{name} refers outside the box: {url}");
            assert!(!url.is_empty(), "{name} has an empty link");
            if !url.starts_with('?') && !url.starts_with('#') && !url.starts_with("tel:") {
                targets.insert(url);
            }
        }
        // A lesson may show an address as text (`https://` in a code span, to teach reading
        // one); anywhere else it would be a link out of the box.
        let outside_code: String = html
            .split("<code>")
            .enumerate()
            .map(|(i, part)| match i {
                0 => part,
                _ => part.split_once("</code>").map_or(part, |(_, after)| after),
            })
            .collect();
        assert!(
            !outside_code.contains("http://") && !outside_code.contains("https://"),
            "{name} holds an absolute URL"
        );
    }
    assert!(
        targets.iter().any(|t| t.ends_with(".css")) && targets.iter().any(|t| t.ends_with(".svg"))
    );
    for url in &targets {
        let response = b.get(url).await;
        assert_eq!(response.status(), StatusCode::OK, "{url}");
    }
}

#[tokio::test]
async fn css_and_drawings_load_nothing_from_outside() {
    let b = TestBox::start().await;
    let home = Html::parse_document(&b.get("/").await.text().await.unwrap());
    let css_url = &attrs(&home, "link[rel=stylesheet]", "href")[0];
    let css = b.get(css_url).await.text().await.unwrap();
    assert!(
        !css.contains("@import") && !css.contains("url(") && !css.contains("@font-face"),
        "the style sheet loads something: {css_url}"
    );

    let mut drawings = 0;
    for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/assets")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "svg") {
            drawings += 1;
            let svg = std::fs::read_to_string(&path).unwrap();
            let without_namespaces = svg
                .replace("http://www.w3.org/2000/svg", "")
                .replace("http://www.w3.org/1999/xlink", "");
            for bad in [
                "://",
                "href=\"http",
                "@import",
                "<image",
                "<script",
                "url(http",
                "@font-face",
            ] {
                assert!(
                    !without_namespaces.contains(bad),
                    "{} holds {bad}",
                    path.display()
                );
            }
        }
    }
    assert!(drawings >= 4);
}
