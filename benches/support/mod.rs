//! What the benchmarks share: a box on loopback with a fresh data folder, and learners
//! joined through the API.

// Each bench includes this module and uses only part of it.
#![allow(dead_code)]

use std::path::PathBuf;
use std::time::Duration;

use reqwest::Client;
use serde_json::json;

/// A running box; its folder is removed when this is dropped.
pub struct Bench {
    pub base: String,
    pub data_dir: PathBuf,
    pub client: Client,
    _dir: tempfile::TempDir,
}

/// Starts a box on `127.0.0.1:0` (mDNS off) and waits until it answers. `connections` is how
/// many idle connections the client keeps; redirects are not followed.
pub async fn start(connections: usize) -> Bench {
    start_as(hocso::Role::Box, connections).await
}

/// `start`, as a box or as a hub.
pub async fn start_as(role: hocso::Role, connections: usize) -> Bench {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = hocso::Config {
        role,
        bind: "127.0.0.1:0".parse().unwrap(),
        data_dir: dir.path().join("data"),
        mdns: false,
        mdns_interface: None,
        ..hocso::Config::default()
    };
    let data_dir = config.data_dir.clone();
    let listener = tokio::net::TcpListener::bind(config.bind).await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(hocso::serve(config, listener, std::future::pending()));
    let client = client(connections);
    while client
        .get(format!("{base}/api/v1/health")) // a hub answers 404: it serves
        .send()
        .await
        .is_err()
    {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    Bench {
        base,
        data_dir,
        client,
        _dir: dir,
    }
}

/// A client builder: reqwest here carries rustls without a crypto provider of its own (the
/// binary hands each link its own), so the benches install the same one, `ring`.
pub fn http() -> reqwest::ClientBuilder {
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    INSTALLED.call_once(|| {
        let _ = rustls::crypto::CryptoProvider::install_default(
            (*hocso::sync::link::provider()).clone(),
        );
    });
    Client::builder()
}

/// An HTTP client keeping `connections` idle connections a host, following no redirect.
pub fn client(connections: usize) -> Client {
    http()
        .pool_max_idle_per_host(connections)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

impl Bench {
    /// Joins `count` learners through the API; each one's session cookie (`name=value`).
    pub async fn join(&self, count: usize) -> Vec<String> {
        let mut cookies = Vec::with_capacity(count);
        for n in 0..count {
            let joined = self
                .client
                .post(format!("{}/api/v1/learners", self.base))
                .json(&json!({ "display_name": format!("Bench {n}"), "village": "Bench" }))
                .send()
                .await
                .unwrap();
            let cookie = joined.headers()["set-cookie"].to_str().unwrap();
            cookies.push(cookie.split(';').next().unwrap().to_string());
        }
        cookies
    }
}
