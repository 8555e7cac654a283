//! Weight: a lesson page with the CSS and scripts it loads, compressed as served, fits in 14 KB,
//! the first round trip of a connection, so a cheap phone on weak Wi-Fi shows it at once.

use reqwest::StatusCode;
use scraper::Html;

use crate::support::{TestBox, attrs};

const BUDGET: usize = 14 * 1024;

async fn served_len(b: &TestBox, path: &str, accept: &str) -> usize {
    let response = b
        .raw
        .get(b.url(path))
        .header("accept-encoding", accept)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.bytes().await.unwrap().len()
}

#[tokio::test]
async fn every_lesson_page_with_its_css_fits_the_budget() {
    let b = TestBox::start().await;
    let mut heaviest = (0, String::new());
    for path in b.lesson_urls().await {
        for lang in ["vi", "en"] {
            let page_path = format!("{path}?lang={lang}");
            let html = b.get(&page_path).await.text().await.unwrap();
            let page = Html::parse_document(&html);
            // Scripts are deferred (the page shows without them), and counted all the same.
            assert_eq!(
                attrs(&page, "script", "src").len(),
                attrs(&page, "script[defer]", "src").len(),
                "{page_path}: no script on the critical path"
            );
            let mut css = attrs(&page, "link[rel=stylesheet]", "href");
            css.extend(attrs(&page, "script", "src"));
            for accept in ["gzip", "br"] {
                let mut total = served_len(&b, &page_path, accept).await;
                for sheet in &css {
                    total += served_len(&b, sheet, accept).await;
                }
                assert!(
                    total <= BUDGET,
                    "{page_path} weighs {total} bytes with {accept}, over {BUDGET}"
                );
                if total > heaviest.0 {
                    heaviest = (total, format!("{page_path} ({accept})"));
                }
            }
        }
    }
    println!(
        "heaviest lesson page with CSS: {} bytes, {}",
        heaviest.0, heaviest.1
    );
}

#[tokio::test]
async fn pages_gzipped_in_pieces_read_as_the_plain_pages() {
    use std::io::Read;
    let b = TestBox::start().await;
    let mut phone = crate::support::Phone::new(&b);
    phone.join("Giàng Thị Dợ", "Bản Phố").await;
    let cookie = phone.cookie.clone().unwrap();
    // Every lesson page signed in, and the home page for anyone.
    let mut pages: Vec<(String, &str)> = vec![("/".into(), "")];
    pages.extend(
        b.lesson_urls()
            .await
            .into_iter()
            .map(|p| (p, cookie.as_str())),
    );
    // And every practice step, and a feedback of each, drawn in pieces too.
    let run = uuid::Uuid::now_v7();
    for practice in crate::support::catalogue().practices() {
        for step in &practice.versions.get(hocso::content::Lang::Vi).steps {
            pages.push((
                format!("/p/{}/{run}/{}", practice.id, step.id),
                cookie.as_str(),
            ));
            if !step.choices.is_empty() {
                pages.push((
                    format!("/p/{}/{run}/{}/0", practice.id, step.id),
                    cookie.as_str(),
                ));
            }
        }
    }
    for (path, cookie) in pages {
        let fetch = |accept: &'static str| {
            let request = b
                .raw
                .get(b.url(&path))
                .header("accept-encoding", accept)
                .header("cookie", cookie);
            async move { request.send().await.unwrap() }
        };
        let plain = fetch("identity").await;
        assert!(plain.headers().get("content-encoding").is_none());
        let plain = plain.text().await.unwrap();
        let gzipped = fetch("gzip").await;
        assert_eq!(gzipped.headers()["content-encoding"], "gzip", "{path}");
        let bytes = gzipped.bytes().await.unwrap();
        let mut text = String::new();
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_string(&mut text)
            .unwrap();
        // The same page but for what is new each time it is drawn: the form's id, the time.
        let steady = |page: &str| {
            let page = Html::parse_document(page);
            let mut out = attrs(&page, "section.slide", "id");
            out.extend(crate::support::texts(&page, "main"));
            out
        };
        assert_eq!(steady(&text), steady(&plain), "{path}");
        // Pieces cost a little against the page gzipped whole at level 1 (as nginx would
        // send it): a table a compressed piece, the learner's few hundred bytes not compressed.
        // At most a seventh more, or on a small page (a practice step is 1.6 KB whole) at most
        // 320 bytes more: the few hundred bytes made per request, sent as they are.
        let mut whole = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut whole, plain.as_bytes()).unwrap();
        let whole = whole.finish().unwrap();
        assert!(
            bytes.len() * 100 <= whole.len() * 115 || bytes.len() <= whole.len() + 320,
            "{path}: {} bytes in pieces, {} whole",
            bytes.len(),
            whole.len()
        );
    }
}

/// A page as served to a signed-in phone (`cookie`), with the CSS and scripts it loads, in
/// bytes, for `accept`.
async fn with_what_it_loads(b: &TestBox, path: &str, cookie: &str, accept: &str) -> usize {
    let response = b
        .raw
        .get(b.url(path))
        .header("accept-encoding", accept)
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    let mut total = response.bytes().await.unwrap().len();
    let plain = b
        .raw
        .get(b.url(path))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let page = Html::parse_document(&plain);
    let mut loads = attrs(&page, "link[rel=stylesheet]", "href");
    loads.extend(attrs(&page, "script", "src"));
    for asset in &loads {
        total += served_len(b, asset, accept).await;
    }
    total
}

#[tokio::test]
async fn every_practice_step_with_its_css_and_scripts_fits_the_budget() {
    let b = TestBox::start().await;
    let mut phone = crate::support::Phone::new(&b);
    phone.join("Giàng Thị Dợ", "Bản Phố").await;
    let cookie = phone.cookie.clone().unwrap();
    let catalogue = crate::support::catalogue();
    let run = uuid::Uuid::now_v7();
    let mut heaviest = (0, String::new());
    for practice in catalogue.practices() {
        let scenario = practice.versions.get(hocso::content::Lang::Vi);
        let base = format!("/p/{}/{run}", practice.id);
        let mut paths = vec![format!("/p/{}", practice.id)];
        for step in &scenario.steps {
            paths.push(format!("{base}/{}", step.id));
            paths.extend((0..step.choices.len()).map(|i| format!("{base}/{}/{i}", step.id)));
        }
        paths.extend(scenario.ends.iter().map(|e| format!("{base}/{}", e.id)));
        for path in paths {
            for accept in ["gzip", "br"] {
                let total = with_what_it_loads(&b, &path, &cookie, accept).await;
                assert!(
                    total <= BUDGET,
                    "{path} weighs {total} bytes with {accept}, over {BUDGET}"
                );
                if total > heaviest.0 {
                    heaviest = (total, format!("{path} ({accept})"));
                }
            }
        }
    }
    println!(
        "heaviest practice page with CSS and scripts: {} bytes, {}",
        heaviest.0, heaviest.1
    );
}
