//! HTTPS to the hub: a hub serving TLS with a certificate a province's own authority signed
//! (made here with rcgen), a box that enrols only with the certificate's pinned fingerprint
//! and then syncs every record once, also through a link that cuts; a province hub passing
//! its boxes on to a national hub over TLS; the province's live lesson over TLS; plain HTTP
//! to a public address refused (no traffic leaves loopback: it is refused before a
//! connection); and `hocso hub --tls-cert/--tls-key` and `hocso sync enroll --fingerprint`
//! through the real binary.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use hocso::store::sync::{HUB_PIN, HUB_URL};
use hocso::sync::client::{self, SyncError};
use hocso::sync::{link, relay};
use reqwest::StatusCode;

use crate::facilitators::set_up;
use crate::province_live::{LESSON, at_step, live_now, until};
use crate::proxy::{Faults, Proxy};
use crate::support::{Phone, TestBox, TestCert, attrs, http, location, texts};
use crate::sync::{box_events, hub_ids, record};

/// A public address (TEST-NET-3): never reached, as plain HTTP to it is refused first.
const PUBLIC: &str = "http://203.0.113.5:8090";

/// Posts the sync page's enrolment form; the answer's status and text.
async fn enrol_on_page(
    facilitator: &mut Phone<'_>,
    url: &str,
    code: &str,
    fingerprint: &str,
) -> (StatusCode, String) {
    let answer = facilitator
        .post_f(
            "/f/sync/enroll",
            &[
                ("hub_url", url),
                ("code", code),
                ("fingerprint", fingerprint),
            ],
        )
        .await;
    (answer.status(), answer.text().await.unwrap())
}

/// Nothing of a hub is kept on the box: no address, no key, no pinned certificate.
async fn not_enrolled(tb: &TestBox) {
    let store = tb.store();
    let status = store.sync_status().await.unwrap();
    assert_eq!(
        (status.hub_id, status.hub_pin, status.hub_url),
        (None, None, String::new())
    );
    assert!(
        store
            .settings(&[HUB_PIN, HUB_URL])
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn a_box_enrols_over_https_only_with_the_pinned_certificate_and_syncs() {
    let cert = TestCert::new();
    let hub = TestBox::start_hub_tls(&cert).await;
    assert!(hub.base.starts_with("https://127.0.0.1:"), "{}", hub.base);
    // The hub speaks only TLS on its port.
    let plain = http()
        .build()
        .unwrap()
        .get(format!(
            "{}/hub/v1/packs",
            hub.base.replacen("https", "http", 1)
        ))
        .send()
        .await;
    assert!(plain.is_err(), "{plain:?}");

    let tb = TestBox::start().await;
    let mut facilitator = set_up(&tb).await;
    let code = hub.records().await.new_code("Xã Ea Sol", "").await.unwrap();

    // Without a fingerprint: the web's roots do not vouch for a province's own authority.
    let (status, page) = enrol_on_page(&mut facilitator, &hub.base, &code, "").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(page.contains("không được tin cậy"), "{page}");
    // Another certificate's fingerprint: refused before a byte of the enrolment is sent.
    let other = TestCert::new().fingerprint().to_string();
    let (status, page) = enrol_on_page(&mut facilitator, &hub.base, &code, &other).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(page.contains("không khớp với dấu vân tay"), "{page}");
    // A fingerprint that is not one, and one with a plain address.
    let (status, page) = enrol_on_page(&mut facilitator, &hub.base, &code, "AB:CD:EF").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(page.contains("Dấu vân tay chứng chỉ chưa đúng"), "{page}");
    let fingerprint = cert.fingerprint().to_string();
    let plain_url = hub.base.replacen("https", "http", 1);
    let (status, page) = enrol_on_page(&mut facilitator, &plain_url, &code, &fingerprint).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(page.contains("chỉ dùng với địa chỉ https://"), "{page}");
    not_enrolled(&tb).await;

    // The right one, pasted as openssl prints it: enrolled with the code nothing used up.
    let pasted = format!("sha256 Fingerprint={fingerprint}");
    let (status, page) = enrol_on_page(&mut facilitator, &hub.base, &code, &pasted).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("Đã đăng ký"), "{page}");
    let store = tb.store();
    let kept = store.sync_status().await.unwrap();
    assert_eq!(kept.hub_url, hub.base);
    assert_eq!(kept.hub_pin, Some(cert.fingerprint().hex()));
    let page = facilitator.page("/f/sync", StatusCode::OK).await;
    assert_eq!(texts(&page, "code.fingerprint"), [fingerprint]);
    assert!(
        texts(&page, "p.meta")
            .iter()
            .any(|t| t.starts_with("Kết nối được mã hóa")),
        "{:?}",
        texts(&page, "p.meta")
    );

    // Records go up over TLS, each once; sync, packs and proposals all pass the pin.
    record(&store, 40).await;
    let now = facilitator.post_f("/f/sync/now", &[]).await;
    assert_eq!(now.status(), StatusCode::SEE_OTHER);
    let all = box_events(&store).await;
    until(
        "every record at the hub",
        Duration::from_secs(20),
        async || hub_ids(&hub, store.box_id()).await == all,
    )
    .await;
    until("the sync noted", Duration::from_secs(20), async || {
        let status = store.sync_status().await.unwrap();
        status.waiting == 0 && status.last_ok.is_some()
    })
    .await;
    assert_eq!(store.sync_status().await.unwrap().last_error, None);
}

#[tokio::test]
async fn a_link_cut_at_random_over_tls_loses_and_doubles_nothing() {
    let cert = TestCert::new();
    let hub = TestBox::start_hub_tls(&cert).await;
    let tb = TestBox::start().await;
    let store = tb.store();
    let code = hub.records().await.new_code("Xã Ea Sol", "").await.unwrap();
    client::enroll(&store, &hub.base, &code, Some(&cert.fingerprint()))
        .await
        .expect("enrolled");
    record(&store, 1_400).await;
    let target = hub.base.trim_start_matches("https://").parse().unwrap();
    let faults = Faults {
        cut: 0.5,
        cut_within: 60_000,
        drop_reply: 0.3,
        ..Faults::default()
    };
    let proxy = Proxy::start(target, faults, 7).await;
    // The proxy's address is not the certificate's name: the pin is what is checked.
    let through = format!("https://{}", proxy.addr);
    let mut tries = 0;
    let mut confirmed_all = false;
    while tries < 200 && !confirmed_all {
        tries += 1;
        confirmed_all = client::sync(&store, Some(&through), &|_| {}).await.is_ok();
    }
    assert!(confirmed_all, "synced within 200 tries");
    assert!(proxy.cuts() + proxy.dropped() > 0, "the link did fail");
    assert_eq!(
        hub_ids(&hub, store.box_id()).await,
        box_events(&store).await
    );
    assert_eq!(store.sync_status().await.unwrap().waiting, 0);

    // Another hub, with another certificate, where the box looks for its own: refused, and
    // said so.
    drop(proxy);
    let hub = hub.stopped().await;
    let impostor = TestBox::start_hub_tls(&TestCert::new()).await;
    let refused = client::sync(&store, Some(&impostor.base), &|_| {}).await;
    assert!(
        matches!(refused, Err(SyncError::Certificate { pinned: true, .. })),
        "{refused:?}"
    );
    let said = refused.unwrap_err().plain();
    assert!(said.contains("không khớp với dấu vân tay"), "{said}");
    drop(hub);
}

#[tokio::test]
async fn plain_http_goes_to_private_addresses_and_to_a_public_one_only_when_allowed() {
    let tb = TestBox::start().await;
    let mut facilitator = set_up(&tb).await;
    // A public address over plain HTTP: refused on the page, in Vietnamese, nothing kept.
    let (status, page) = enrol_on_page(&mut facilitator, PUBLIC, "ABCD-EFGH", "").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(page.contains("là địa chỉ công cộng"), "{page}");
    assert!(page.contains("Cho phép HTTP thường tới địa chỉ công cộng"));
    not_enrolled(&tb).await;
    // And by `hocso sync enroll`, with a clear error.
    let cli = Command::new(env!("CARGO_BIN_EXE_hocso"))
        .args(["sync", "enroll", PUBLIC, "ABCD-EFGH", "--data-dir"])
        .arg(&tb.data_dir)
        .output()
        .unwrap();
    assert!(!cli.status.success());
    let said = String::from_utf8_lossy(&cli.stderr);
    assert!(
        said.contains("plain HTTP to the public address http://203.0.113.5:8090 is refused"),
        "{said}"
    );
    not_enrolled(&tb).await;
    let store = tb.store();
    assert!(matches!(
        client::reach(&store, PUBLIC, None).await,
        Err(SyncError::PlainHttp { .. })
    ));

    // The facilitator allows it in the settings: the link may be opened (it is not, here).
    let settings = facilitator.page("/f/settings", StatusCode::OK).await;
    assert_eq!(
        attrs(
            &settings,
            "input[name=hub_plain_http]:not([checked])",
            "value"
        ),
        ["1"]
    );
    let saved = facilitator
        .post_f(
            "/f/settings",
            &[
                ("commune_name", "Xã Ea Sol"),
                ("hub_url", ""),
                ("lang", "vi"),
                ("hub_plain_http", "1"),
            ],
        )
        .await;
    assert_eq!(saved.status(), StatusCode::OK);
    let settings = facilitator.page("/f/settings", StatusCode::OK).await;
    assert_eq!(
        attrs(&settings, "input[name=hub_plain_http][checked]", "value"),
        ["1"]
    );
    let allowed = client::reach(&store, PUBLIC, None).await.expect("allowed");
    assert_eq!(allowed.base(), PUBLIC);
}

#[tokio::test]
async fn a_box_says_why_it_does_not_sync_with_a_public_plain_address() {
    // A laptop in the hall on plain HTTP: private, so allowed without a setting.
    let hub = TestBox::start_hub().await;
    let tb = TestBox::start().await;
    let mut facilitator = set_up(&tb).await;
    let code = hub.records().await.new_code("Xã Ea Sol", "").await.unwrap();
    let (status, page) = enrol_on_page(&mut facilitator, &hub.base, &code, "").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let page = facilitator.page("/f/sync", StatusCode::OK).await;
    assert!(
        texts(&page, "p.meta")
            .iter()
            .any(|t| t.starts_with("Kết nối là HTTP thường"))
    );

    // The hub's address is changed to a public one over plain HTTP: both the dashboard and
    // the sync page say why nothing goes, and the box refuses before connecting.
    let saved = facilitator
        .post_f(
            "/f/settings",
            &[
                ("commune_name", "Xã Ea Sol"),
                ("hub_url", PUBLIC),
                ("lang", "vi"),
            ],
        )
        .await;
    assert_eq!(saved.status(), StatusCode::OK);
    for path in ["/f", "/f/sync"] {
        let page = facilitator.page(path, StatusCode::OK).await;
        let alerts = texts(&page, "[role=alert]");
        assert!(
            alerts.iter().any(
                |a| a.contains("Không đồng bộ được: địa chỉ máy chủ tỉnh là địa chỉ công cộng")
            ),
            "{path}: {alerts:?}"
        );
    }
    let store = tb.store();
    until("the refusal noted", Duration::from_secs(20), async || {
        store
            .sync_status()
            .await
            .unwrap()
            .last_error
            .is_some_and(|e| e.contains("địa chỉ công cộng"))
    })
    .await;
}

#[tokio::test]
async fn a_province_hub_passes_its_boxes_on_to_a_national_hub_over_tls() {
    let cert = TestCert::new();
    let national = TestBox::start_hub_tls(&cert).await;
    let province = TestBox::start_hub().await;
    let tb = TestBox::start().await;
    crate::sync::enrol(&province, &tb).await;
    record(&tb.store(), 30).await;
    client::sync(&tb.store(), None, &|_| {}).await.unwrap();

    let records = province.records().await;
    let code = national
        .records()
        .await
        .new_join_code("Đắk Lắk")
        .await
        .unwrap();
    let wrong = TestCert::new().fingerprint();
    let refused = relay::join(&records, &national.base, &code, (Some(&wrong), false)).await;
    assert!(
        matches!(refused, Err(SyncError::Certificate { pinned: true, .. })),
        "{refused:?}"
    );
    assert!(
        records.passing_on().await.unwrap().is_none(),
        "nothing kept"
    );

    let pin = cert.fingerprint();
    relay::join(&records, &national.base, &code, (Some(&pin), false))
        .await
        .expect("joined over TLS");
    let on = records.passing_on().await.unwrap().expect("joined");
    assert_eq!(on.national.pin, Some(pin.hex()));
    let done = relay::forward(&records).await.expect("passed on");
    assert_eq!(done.introduced, 1);
    let box_id = tb.store().box_id().to_string();
    assert_eq!(
        hub_ids(&national, &box_id).await,
        hub_ids(&province, &box_id).await
    );
    assert_eq!(hub_ids(&national, &box_id).await.len(), 31);
}

#[tokio::test]
async fn a_hall_follows_the_provinces_live_lesson_over_tls() {
    let cert = TestCert::new();
    let hub = TestBox::start_hub_tls(&cert).await;
    let tb = TestBox::start().await;
    let code = hub.records().await.new_code("Xã Ea Sol", "").await.unwrap();
    client::enroll(&tb.store(), &hub.base, &code, Some(&cert.fingerprint()))
        .await
        .expect("enrolled");

    let mut officer = set_up(&hub).await;
    let started = officer
        .post_f(
            "/hub/live",
            &[
                ("lesson", LESSON),
                ("which", "chosen"),
                ("commune", "Xã Ea Sol"),
            ],
        )
        .await;
    assert_eq!(started.status(), StatusCode::SEE_OTHER);
    let id = location(&started)
        .trim_start_matches("/hub/live/")
        .to_string();
    at_step(&tb, 0, false).await;
    assert_eq!(live_now(&tb).await["lesson"], LESSON);
    let moved = officer
        .post_f(&format!("/hub/live/{id}/go"), &[("from", "0"), ("to", "1")])
        .await;
    assert_eq!(moved.status(), StatusCode::SEE_OTHER);
    at_step(&tb, 1, false).await;
}

/// Reads lines of `child`'s output until one names the address it serves on.
fn served_at(lines: &mut impl Iterator<Item = std::io::Result<String>>, scheme: &str) -> String {
    for line in lines {
        let line = line.unwrap();
        if let Some(port) = line.trim().strip_prefix(&format!("{scheme}://127.0.0.1:")) {
            return format!("{scheme}://127.0.0.1:{port}");
        }
    }
    panic!("the server printed no {scheme} address");
}

#[test]
fn the_real_binary_serves_https_and_enrols_a_box_with_a_fingerprint() {
    let cert = TestCert::new();
    let dir = tempfile::tempdir().unwrap();
    let hub_dir = dir.path().join("hub");
    let box_dir = dir.path().join("box");
    let hocso = || Command::new(env!("CARGO_BIN_EXE_hocso"));

    // A key that is not a key: a clear error, and nothing served.
    let garbage = dir.path().join("garbage.key");
    std::fs::write(&garbage, "not a key").unwrap();
    let bad = hocso()
        .args([
            "hub",
            "--bind",
            "127.0.0.1:0",
            "--mdns",
            "off",
            "--data-dir",
        ])
        .arg(&hub_dir)
        .arg("--tls-cert")
        .arg(&cert.files.cert)
        .arg("--tls-key")
        .arg(&garbage)
        .output()
        .unwrap();
    assert!(!bad.status.success());
    let said = String::from_utf8_lossy(&bad.stderr);
    assert!(said.contains("cannot serve HTTPS"), "{said}");
    assert!(said.contains("--tls-key"), "{said}");
    let alone = hocso()
        .args(["hub", "--tls-cert"])
        .arg(&cert.files.cert)
        .output()
        .unwrap();
    assert!(!alone.status.success(), "a certificate needs its key");

    let mut child = hocso()
        .args([
            "hub",
            "--bind",
            "127.0.0.1:0",
            "--mdns",
            "off",
            "--data-dir",
        ])
        .arg(&hub_dir)
        .arg("--tls-cert")
        .arg(&cert.files.cert)
        .arg("--tls-key")
        .arg(&cert.files.key)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let base = served_at(&mut lines, "https");

    // The hub's own `hocso hub code` beside it, then `hocso sync enroll` from a box's folder:
    // a wrong fingerprint first (refused, nothing kept), then the right one.
    let code = hocso()
        .args(["hub", "code", "Xã Ea Sol", "--data-dir"])
        .arg(&hub_dir)
        .output()
        .unwrap();
    assert!(code.status.success());
    let code = String::from_utf8(code.stdout).unwrap().trim().to_string();
    let enroll = |fingerprint: &str| {
        hocso()
            .args(["sync", "enroll", &base, &code, "--fingerprint", fingerprint])
            .arg("--data-dir")
            .arg(&box_dir)
            .output()
            .unwrap()
    };
    let wrong = enroll(&TestCert::new().fingerprint().hex());
    assert!(!wrong.status.success());
    let said = String::from_utf8_lossy(&wrong.stderr);
    assert!(
        said.contains("not the one whose fingerprint was pinned"),
        "{said}"
    );
    let not_hex = enroll("12:34");
    assert!(!not_hex.status.success());
    assert!(String::from_utf8_lossy(&not_hex.stderr).contains("64 hex digits"));
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let store = hocso::store::Store::open(&box_dir).unwrap();
    let status = runtime.block_on(store.sync_status()).unwrap();
    assert_eq!((status.hub_id, status.hub_pin), (None, None));

    let right = enroll(&cert.fingerprint().to_string());
    assert!(
        right.status.success(),
        "{}",
        String::from_utf8_lossy(&right.stderr)
    );
    runtime.block_on(record(&store, 5));
    let now = hocso()
        .args(["sync", "now", "--data-dir"])
        .arg(&box_dir)
        .output()
        .unwrap();
    assert!(
        now.status.success(),
        "{}",
        String::from_utf8_lossy(&now.stderr)
    );
    assert!(String::from_utf8_lossy(&now.stdout).contains("the hub confirmed"));

    // The same code path the box uses reaches the binary's HTTPS with the pin.
    let answered = runtime.block_on(async {
        let hub = link::Hub {
            url: base.clone(),
            pin: Some(cert.fingerprint().hex()),
            plain_http: false,
        };
        let link = link::Link::open(&hub, link::Use::Requests).await.unwrap();
        link.client()
            .get(link.url("/hub/v1/packs"))
            .send()
            .await
            .unwrap()
            .status()
    });
    assert_eq!(answered, StatusCode::OK);

    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    assert!(child.wait().unwrap().success());
}
