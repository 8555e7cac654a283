//! A box for one test: started on a free loopback port in a temporary folder, stopped and
//! removed on drop. Plus small helpers to fetch pages and pick things out of them.

use std::path::PathBuf;
use std::sync::Arc;

use hocso::{Config, Role};
use reqwest::{Client, RequestBuilder, Response, StatusCode, redirect};
use scraper::{Html, Selector};
use serde_json::Value;
use tempfile::TempDir;
use tokio::sync::oneshot;

pub struct TestBox {
    pub base: String,
    /// Decompresses as a browser does; keeps no cookies; follows no redirects.
    pub client: Client,
    /// Shows the bytes exactly as sent (for compression and weight).
    pub raw: Client,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
    pub data_dir: PathBuf,
    dir: Option<TempDir>,
    /// The machine this box believes it runs on (`None`: the real one).
    machine: Option<String>,
    role: Role,
    /// Advertised by mDNS on the loopback interface.
    mdns: bool,
    /// What the phones may hold of it.
    limits: hocso::web::Limits,
    /// A hub's PostgreSQL (`hocso hub --database`), when its records are there.
    pub database: Option<String>,
    /// A hub's certificate, when it serves HTTPS itself (its clients trust its authority).
    pub tls: Option<Arc<TestCert>>,
}

impl TestBox {
    pub async fn start() -> TestBox {
        TestBox::start_in(tempfile::tempdir().expect("temp dir"), Role::Box, None).await
    }

    /// A box that advertises itself by mDNS on the loopback interface only.
    pub async fn start_advertised() -> TestBox {
        let dir = tempfile::tempdir().expect("temp dir");
        TestBox::start_with(dir, Role::Box, None, true, default_limits(), (None, None)).await
    }

    /// A box that lets phones hold only `limits` of it.
    pub async fn start_limited(limits: hocso::web::Limits) -> TestBox {
        let dir = tempfile::tempdir().expect("temp dir");
        TestBox::start_with(dir, Role::Box, None, false, limits, (None, None)).await
    }

    /// A province hub on SQLite, started as a box is.
    pub async fn start_hub() -> TestBox {
        TestBox::start_in(tempfile::tempdir().expect("temp dir"), Role::Hub, None).await
    }

    /// A province hub with its records on `engine`.
    pub async fn start_hub_on(engine: &crate::postgres::Engine) -> TestBox {
        TestBox::start_with(
            tempfile::tempdir().expect("temp dir"),
            Role::Hub,
            None,
            false,
            default_limits(),
            (engine.database(), None),
        )
        .await
    }

    /// A province hub on SQLite that serves HTTPS itself with `cert` (`--tls-cert/--tls-key`).
    pub async fn start_hub_tls(cert: &Arc<TestCert>) -> TestBox {
        TestBox::start_with(
            tempfile::tempdir().expect("temp dir"),
            Role::Hub,
            None,
            false,
            default_limits(),
            (None, Some(cert.clone())),
        )
        .await
    }

    /// The hub's records, opened beside the running hub as a tool would, on its engine.
    pub async fn records(&self) -> hocso::store::HubStore {
        hocso::store::HubStore::open(self.database.as_deref(), &self.data_dir)
            .await
            .expect("the hub's records open")
    }

    /// A box on the machine `machine`, with a copy of `data` as its data folder (a copied
    /// SD card in another board, or in the same one when `machine` is the same).
    pub async fn start_copy(data: &std::path::Path, machine: &str) -> TestBox {
        let dir = tempfile::tempdir().expect("temp dir");
        copy_dir(data, &dir.path().join("data"));
        TestBox::start_in(dir, Role::Box, Some(machine.to_string())).await
    }

    /// A hub on a copy of the hub folder `data` (a backup restored).
    pub async fn start_hub_copy(data: &std::path::Path) -> TestBox {
        let dir = tempfile::tempdir().expect("temp dir");
        copy_dir(data, &dir.path().join("data"));
        TestBox::start_in(dir, Role::Hub, None).await
    }

    /// A new box on the machine `machine`.
    pub async fn start_on(machine: &str) -> TestBox {
        TestBox::start_in(
            tempfile::tempdir().expect("temp dir"),
            Role::Box,
            Some(machine.to_string()),
        )
        .await
    }

    /// Stops this box and starts a new one on the same data folder (a new port).
    pub async fn restart(mut self) -> TestBox {
        let dir = self.dir.take().expect("a running box has its folder");
        let (role, machine, mdns, limits) =
            (self.role, self.machine.take(), self.mdns, self.limits);
        let database = self.database.take();
        let tls = self.tls.take();
        drop(self);
        TestBox::start_with(dir, role, machine, mdns, limits, (database, tls)).await
    }

    /// Asks the box to shut down and waits (at most 5 s); whether it finished.
    pub async fn shut_down(mut self) -> bool {
        let _ = self.stop.take().expect("running").send(());
        let task = self.task.take().expect("running");
        tokio::time::timeout(std::time::Duration::from_secs(5), task)
            .await
            .is_ok()
    }

    /// Stops the server and keeps its folder, to copy it as a card copier would; `restart`
    /// starts it again.
    pub async fn stopped(mut self) -> TestBox {
        let _ = self.stop.take().expect("running").send(());
        let task = self.task.take().expect("running");
        let _ = tokio::time::timeout(std::time::Duration::from_secs(5), task).await;
        self
    }

    /// The box's database, opened beside the running server as a tool would.
    pub fn store(&self) -> hocso::store::Store {
        let machine = match self.role {
            Role::Hub => None,
            Role::Box => self
                .machine
                .clone()
                .or_else(hocso::protocol::machine::fingerprint),
        };
        hocso::store::Store::open_on(&self.data_dir, machine.as_deref())
            .expect("the database opens")
    }

    async fn start_in(dir: TempDir, role: Role, machine: Option<String>) -> TestBox {
        TestBox::start_with(dir, role, machine, false, default_limits(), (None, None)).await
    }

    async fn start_with(
        dir: TempDir,
        role: Role,
        machine: Option<String>,
        mdns: bool,
        limits: hocso::web::Limits,
        (database, tls): (Option<String>, Option<Arc<TestCert>>),
    ) -> TestBox {
        let data_dir = dir.path().join("data");
        let config = Config {
            role,
            machine: machine.clone(),
            bind: "127.0.0.1:0".parse().unwrap(),
            data_dir: data_dir.clone(),
            mdns,
            mdns_interface: mdns.then(|| "lo".to_string()),
            max_connections: limits.connections,
            header_timeout: limits.header_timeout,
            database: database.clone(),
            tls: tls.as_ref().map(|cert| cert.files.clone()),
            ..Config::default()
        };
        let listener = tokio::net::TcpListener::bind(config.bind)
            .await
            .expect("bind loopback");
        let scheme = if tls.is_some() { "https" } else { "http" };
        let base = format!("{scheme}://{}", listener.local_addr().unwrap());
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            hocso::serve(config, listener, async {
                let _ = stopped.await;
            })
            .await
            .expect("box serves");
        });
        let trusting = |builder: reqwest::ClientBuilder| match &tls {
            Some(cert) => cert.trusted(builder),
            None => builder,
        };
        let client = trusting(http())
            .redirect(redirect::Policy::none())
            .build()
            .unwrap();
        let raw = trusting(http())
            .redirect(redirect::Policy::none())
            .no_gzip()
            .no_brotli()
            .build()
            .unwrap();
        // Answer only once the box serves (its folder and database exist by then).
        wait_until_serving(&client, &base).await;
        TestBox {
            base,
            client,
            raw,
            stop: Some(stop),
            task: Some(task),
            data_dir,
            dir: Some(dir),
            machine,
            role,
            mdns,
            limits,
            database,
            tls,
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
        // Each lesson once: the entries in other languages lead to the same page with `?lang=`.
        let mut urls: Vec<String> = lessons
            .iter()
            .map(|l| l["url"].as_str().unwrap())
            .map(|url| url.split('?').next().unwrap_or(url).to_string())
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

/// A province's own certificate authority and the hub's certificate it signed (for
/// `127.0.0.1` and `localhost`), as the PEM files `hocso hub --tls-cert/--tls-key` take.
pub struct TestCert {
    /// The authority's certificate (DER): test clients trust it, the box's web roots do not.
    pub authority: Vec<u8>,
    /// The hub's own certificate (DER), whose fingerprint a box pins.
    pub der: Vec<u8>,
    pub files: hocso::config::TlsFiles,
    _dir: TempDir,
}

impl TestCert {
    pub fn new() -> Arc<TestCert> {
        let ca_key = rcgen::KeyPair::generate().unwrap();
        let mut ca = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        ca.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        ca.distinguished_name
            .push(rcgen::DnType::CommonName, "Sở TT&TT Đắk Lắk (test)");
        let ca_cert = ca.self_signed(&ca_key).unwrap();
        let key = rcgen::KeyPair::generate().unwrap();
        let hub = rcgen::CertificateParams::new(vec!["127.0.0.1".into(), "localhost".into()])
            .unwrap()
            .signed_by(&key, &rcgen::Issuer::new(ca, ca_key))
            .unwrap();
        let dir = tempfile::tempdir().expect("temp dir");
        let files = hocso::config::TlsFiles {
            cert: dir.path().join("hub.pem"),
            key: dir.path().join("hub.key"),
        };
        std::fs::write(&files.cert, format!("{}{}", hub.pem(), ca_cert.pem())).unwrap();
        std::fs::write(&files.key, key.serialize_pem()).unwrap();
        Arc::new(TestCert {
            authority: ca_cert.der().to_vec(),
            der: hub.der().to_vec(),
            files,
            _dir: dir,
        })
    }

    /// The SHA-256 fingerprint of the hub's certificate.
    pub fn fingerprint(&self) -> hocso::protocol::address::Fingerprint {
        hocso::protocol::address::Fingerprint::of(&self.der)
    }

    /// `builder` trusting only the authority that signed the hub's certificate.
    pub fn trusted(&self, builder: reqwest::ClientBuilder) -> reqwest::ClientBuilder {
        builder.tls_certs_only([reqwest::Certificate::from_der(&self.authority).unwrap()])
    }
}

/// A client builder as every test's: reqwest here carries rustls without a crypto provider of
/// its own (the binary hands each link its own, `sync::link`), so the tests install the
/// same one, `ring`, for the process.
pub fn http() -> reqwest::ClientBuilder {
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    INSTALLED.call_once(|| {
        let _ = rustls::crypto::CryptoProvider::install_default(
            (*hocso::sync::link::provider()).clone(),
        );
    });
    Client::builder()
}

/// Copies a data folder as a card copier would (while nothing writes to it).
fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).expect("make the copy's folder");
    for entry in std::fs::read_dir(from).expect("read the data folder") {
        let entry = entry.expect("an entry");
        std::fs::copy(entry.path(), to.join(entry.file_name())).expect("copy a file");
    }
}

fn default_limits() -> hocso::web::Limits {
    Config::default().limits()
}

/// Waits until the box at `base` answers its health check (10 s at most).
pub async fn wait_until_serving(client: &Client, base: &str) {
    for _ in 0..1000 {
        // A hub has no health route: any answer means it serves.
        if client
            .get(format!("{base}/api/v1/health"))
            .send()
            .await
            .is_ok()
        {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    panic!("the box did not start");
}

/// One phone on the hall's Wi-Fi: its own session cookie, kept as a browser keeps it.
pub struct Phone<'a> {
    pub tb: &'a TestBox,
    /// `hocso_session=…` as the box last set it.
    pub cookie: Option<String>,
    /// Every other cookie the box set (facilitator session, CSRF token, language), by name.
    pub others: std::collections::BTreeMap<String, String>,
}

impl<'a> Phone<'a> {
    pub fn new(tb: &'a TestBox) -> Phone<'a> {
        Phone {
            tb,
            cookie: None,
            others: Default::default(),
        }
    }

    /// A second tab of the same browser: the same cookies.
    pub fn clone_browser(&self) -> Phone<'a> {
        Phone {
            tb: self.tb,
            cookie: self.cookie.clone(),
            others: self.others.clone(),
        }
    }

    pub async fn send(&mut self, request: RequestBuilder) -> Response {
        let jar: Vec<String> = self
            .cookie
            .iter()
            .cloned()
            .chain(self.others.iter().map(|(k, v)| format!("{k}={v}")))
            .collect();
        let request = match jar.is_empty() {
            false => request.header("cookie", jar.join("; ")),
            true => request,
        };
        let response = request.send().await.expect("box answers");
        for set in response.headers().get_all("set-cookie") {
            let set = set.to_str().unwrap();
            let (name, rest) = set.split_once('=').unwrap();
            let value = rest.split(';').next().unwrap();
            if name == "hocso_session" {
                self.cookie = (!value.is_empty()).then(|| format!("hocso_session={value}"));
            } else if value.is_empty() {
                self.others.remove(name);
            } else {
                self.others.insert(name.to_string(), value.to_string());
            }
        }
        response
    }

    pub async fn get(&mut self, path: &str) -> Response {
        let request = self.tb.client.get(self.tb.url(path));
        self.send(request).await
    }

    pub async fn post_form(&mut self, path: &str, form: &[(&str, &str)]) -> Response {
        let request = self.tb.client.post(self.tb.url(path)).form(form);
        self.send(request).await
    }

    /// Posts a facilitator's form with the browser's CSRF token (the cookie's value, as the
    /// page's hidden field carries it).
    pub async fn post_f(&mut self, path: &str, form: &[(&str, &str)]) -> Response {
        let token = self
            .others
            .get("hocso_csrf")
            .expect("a CSRF cookie")
            .clone();
        let mut form = form.to_vec();
        form.push(("csrf", &token));
        let request = self.tb.client.post(self.tb.url(path)).form(&form);
        self.send(request).await
    }

    pub async fn post_json(&mut self, path: &str, body: &Value) -> Response {
        let request = self.tb.client.post(self.tb.url(path)).json(body);
        self.send(request).await
    }

    /// Fetches a page with this phone's cookie, checks its status, and parses it.
    pub async fn page(&mut self, path: &str, status: StatusCode) -> Html {
        let response = self.get(path).await;
        assert_eq!(response.status(), status, "GET {path}");
        Html::parse_document(&response.text().await.unwrap())
    }

    /// Joins through the page form with a name and a new village; no secret.
    pub async fn join(&mut self, name: &str, village: &str) {
        let response = self
            .post_form("/join", &[("display_name", name), ("village_new", village)])
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "join {name}");
        assert!(self.cookie.is_some(), "joining signs the phone in");
    }
}

/// Where a redirect points.
pub fn location(response: &Response) -> String {
    response.headers()["location"].to_str().unwrap().to_string()
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

/// The lessons built into the binary, as the box loads them; they must load without a problem.
pub fn catalogue() -> hocso::content::Catalogue {
    let (catalogue, problems) =
        hocso::content::load(&hocso::content::LessonTree::embedded(), &|n| n.to_string());
    assert!(problems.is_empty(), "{problems:?}");
    catalogue
}

/// What the QR code drawn as `svg` (the box's `<svg class="qr">`) says, read back with a real
/// QR decoder, as a phone's camera would.
pub fn decode_qr(svg: &str) -> String {
    let view_box = svg.split("viewBox=\"").nth(1).expect("a viewBox");
    let dims: Vec<usize> = view_box
        .split('"')
        .next()
        .unwrap()
        .split(' ')
        .map(|n| n.parse().unwrap())
        .collect();
    let (w, h) = (dims[2], dims[3]);
    let mut dark = vec![vec![false; w]; h];
    let path = svg
        .split(" d=\"")
        .nth(1)
        .expect("a path")
        .split('"')
        .next()
        .unwrap();
    for rect in path.split('M').filter(|r| !r.is_empty()) {
        // `{left} {top}h{width}v{height}H{left}V{top}`
        let (left, rest) = rect.split_once(' ').unwrap();
        let (top, rest) = rest.split_once('h').unwrap();
        let (width, rest) = rest.split_once('v').unwrap();
        let height = rest.split('H').next().unwrap();
        let [left, top, width, height]: [usize; 4] =
            [left, top, width, height].map(|n| n.parse().unwrap());
        for row in dark.iter_mut().skip(top).take(height) {
            for cell in row.iter_mut().skip(left).take(width) {
                *cell = true;
            }
        }
    }
    const SCALE: usize = 4;
    let mut image = rqrr::PreparedImage::prepare_from_bitmap(w * SCALE, h * SCALE, |x, y| {
        dark[y / SCALE][x / SCALE]
    });
    let grids = image.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code in {svg}");
    grids[0].decode().expect("the QR code decodes").1
}
