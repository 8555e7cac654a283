//! A box for one test: started on a free loopback port in a temporary folder, stopped and
//! removed on drop. Plus small helpers to fetch pages and pick things out of them.

use hocso::Config;
use reqwest::{Client, Response, StatusCode, redirect};
use scraper::{Html, Selector};
use tempfile::TempDir;
use tokio::sync::oneshot;

pub struct TestBox {
    pub base: String,
    /// Decompresses as a browser does; keeps no cookies; follows no redirects.
    pub client: Client,
    /// Shows the bytes exactly as sent (for compression and weight).
    pub raw: Client,
    stop: Option<oneshot::Sender<()>>,
    _dir: TempDir,
}

impl TestBox {
    pub async fn start() -> TestBox {
        let dir = tempfile::tempdir().expect("temp dir");
        let config = Config {
            bind: "127.0.0.1:0".parse().unwrap(),
            data_dir: dir.path().join("data"),
            mdns: false,
            mdns_interface: None,
        };
        let listener = tokio::net::TcpListener::bind(config.bind)
            .await
            .expect("bind loopback");
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(async move {
            hocso::serve(config, listener, async {
                let _ = stopped.await;
            })
            .await
            .expect("box serves");
        });
        let client = Client::builder()
            .redirect(redirect::Policy::none())
            .build()
            .unwrap();
        let raw = Client::builder()
            .redirect(redirect::Policy::none())
            .no_gzip()
            .no_brotli()
            .build()
            .unwrap();
        TestBox {
            base,
            client,
            raw,
            stop: Some(stop),
            _dir: dir,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("box answers")
    }

    /// Fetches a page, checks its status, and parses it.
    pub async fn page(&self, path: &str, status: StatusCode) -> Html {
        let response = self.get(path).await;
        assert_eq!(response.status(), status, "GET {path}");
        let content_type = response.headers()["content-type"]
            .to_str()
            .unwrap()
            .to_string();
        assert_eq!(content_type, "text/html; charset=utf-8", "GET {path}");
        Html::parse_document(&response.text().await.unwrap())
    }

    /// Every lesson URL the catalogue lists, once each, in teaching order.
    pub async fn lesson_urls(&self) -> Vec<String> {
        let lessons: Vec<serde_json::Value> =
            self.get("/api/v1/lessons").await.json().await.unwrap();
        let mut urls: Vec<String> = lessons
            .iter()
            .map(|l| l["url"].as_str().unwrap().to_string())
            .collect();
        urls.dedup();
        urls
    }

    /// Every module URL, from the home page.
    pub async fn module_urls(&self) -> Vec<String> {
        let home = self.page("/", StatusCode::OK).await;
        attrs(&home, ".cards a", "href")
    }
}

impl Drop for TestBox {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// The text of every element matching `selector`, whitespace squeezed.
pub fn texts(page: &Html, selector: &str) -> Vec<String> {
    let selector = Selector::parse(selector).expect("valid selector");
    page.select(&selector)
        .map(|e| {
            e.text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

/// The first match's text; panics with the selector if none.
pub fn text(page: &Html, selector: &str) -> String {
    texts(page, selector)
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("no {selector} in page"))
}

/// The `attr` of every element matching `selector`.
pub fn attrs(page: &Html, selector: &str, attr: &str) -> Vec<String> {
    let selector = Selector::parse(selector).expect("valid selector");
    page.select(&selector)
        .filter_map(|e| e.value().attr(attr))
        .map(str::to_string)
        .collect()
}
