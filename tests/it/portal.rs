//! The captive portal as phones meet it: each platform's probe, before and after the phone
//! has come in; other sites' names sent home; the welcome page; phones counted on the
//! dashboard.

use reqwest::{Method, StatusCode};
use scraper::Html;

use crate::facilitators::{csrf, set_up};
use crate::support::{TestBox, attrs, decode_qr, location, text, texts};

/// Every probe a phone or laptop makes, the host it makes it on, and the answer that tells
/// it the network is open: `(path, host, status, body, content type)`.
const PROBES: [(&str, &str, u16, &str, &str); 9] = [
    (
        "/generate_204",
        "connectivitycheck.gstatic.com",
        204,
        "",
        "",
    ),
    ("/gen_204", "www.google.com", 204, "", ""),
    ("/generate_204", "connect.rom.miui.com", 204, "", ""),
    (
        "/hotspot-detect.html",
        "captive.apple.com",
        200,
        "<HTML><HEAD><TITLE>Success</TITLE></HEAD><BODY>Success</BODY></HTML>",
        "text/html",
    ),
    (
        "/connecttest.txt",
        "www.msftconnecttest.com",
        200,
        "Microsoft Connect Test",
        "text/plain",
    ),
    (
        "/ncsi.txt",
        "www.msftncsi.com",
        200,
        "Microsoft NCSI",
        "text/plain",
    ),
    (
        "/success.txt",
        "detectportal.firefox.com",
        200,
        "success\n",
        "text/plain",
    ),
    (
        "/canonical.html",
        "detectportal.firefox.com",
        200,
        "<meta http-equiv=\"refresh\" content=\"0;url=https://support.mozilla.org/kb/captive-portal\"/>",
        "text/html",
    ),
    (
        "/check_network_status.txt",
        "nmcheck.gnome.org",
        200,
        "NetworkManager is online\n",
        "text/plain",
    ),
];

/// `http://hocso.lan:PORT`: the short address of a test box.
fn short_home(tb: &TestBox) -> String {
    let port = tb.base.rsplit(':').next().unwrap();
    format!("http://hocso.lan:{port}")
}

async fn probe(tb: &TestBox, method: Method, path: &str, host: &str) -> reqwest::Response {
    tb.client
        .request(method, tb.url(path))
        .header("host", host)
        .send()
        .await
        .expect("box answers")
}

#[tokio::test]
async fn a_new_phone_is_sent_to_the_welcome_page_then_told_the_network_is_open() {
    let tb = TestBox::start().await;
    let welcome = format!("{}/welcome", short_home(&tb));
    for (path, host, ..) in PROBES {
        let response = probe(&tb, Method::GET, path, host).await;
        assert_eq!(response.status(), StatusCode::FOUND, "{host}{path}");
        assert_eq!(location(&response), welcome, "{host}{path}");
    }
    // The sign-in window shows the welcome page; probing again changes nothing.
    let page = tb.page("/welcome", StatusCode::OK).await;
    assert_eq!(
        text(&page, "#address"),
        short_home(&tb).trim_start_matches("http://")
    );
    let response = probe(
        &tb,
        Method::GET,
        "/generate_204",
        "connectivitycheck.gstatic.com",
    )
    .await;
    assert_eq!(response.status(), StatusCode::FOUND);

    // "Vào học" opens the home page: the phone has come in.
    assert_eq!(attrs(&page, "a.button.big", "href"), ["/"]);
    tb.page("/", StatusCode::OK).await;
    for (path, host, status, body, kind) in PROBES {
        let response = probe(&tb, Method::GET, path, host).await;
        assert_eq!(response.status().as_u16(), status, "{host}{path}");
        if !kind.is_empty() {
            let content_type = response.headers()["content-type"].to_str().unwrap();
            assert!(
                content_type.starts_with(kind),
                "{host}{path}: {content_type}"
            );
        }
        assert_eq!(response.text().await.unwrap(), body, "{host}{path}");
    }
}

#[tokio::test]
async fn odd_hosts_and_methods_get_a_sensible_answer_and_the_box_keeps_serving() {
    let tb = TestBox::start().await;
    let home = format!("{}/", short_home(&tb));
    let response = probe(&tb, Method::GET, "/some/page?q=1", "www.facebook.com").await;
    assert_eq!(response.status(), StatusCode::FOUND);
    assert_eq!(location(&response), home);
    let response = probe(&tb, Method::POST, "/login", "bank.example.vn:80").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), home);
    for method in [
        Method::POST,
        Method::PUT,
        Method::DELETE,
        Method::OPTIONS,
        Method::HEAD,
    ] {
        let response = probe(&tb, method.clone(), "/generate_204", "clients3.google.com").await;
        assert_eq!(response.status(), StatusCode::FOUND, "{method}");
    }
    for host in ["8.8.8.8", "[2001:db8::1]:80", "ex ample", "", "a:b:c"] {
        let response = tb
            .client
            .get(tb.url("/"))
            .header("host", host)
            .send()
            .await
            .unwrap();
        assert!(
            !response.status().is_server_error(),
            "{host:?}: {}",
            response.status()
        );
    }
    // The box's own names are served as they are.
    for host in [
        "hocso.lan",
        "hocso.local",
        "192.168.4.1",
        "localhost",
        "hocso",
    ] {
        let response = probe(&tb, Method::GET, "/", host).await;
        assert_eq!(response.status(), StatusCode::OK, "{host}");
    }
    assert_eq!(tb.get("/api/v1/health").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_welcome_page_carries_the_address_as_text_a_field_and_a_qr_code() {
    let tb = TestBox::start().await;
    let home = format!("{}/", short_home(&tb));
    let page: Html = tb.page("/welcome", StatusCode::OK).await;
    assert_eq!(attrs(&page, "#address-field", "value"), [home.as_str()]);
    assert_eq!(
        attrs(&page, "label[for=address-field]", "for"),
        ["address-field"]
    );
    let svg = page
        .select(&scraper::Selector::parse(".welcome-qr svg").unwrap())
        .next()
        .expect("a QR code")
        .html();
    assert_eq!(decode_qr(&svg), home);
    // The copy button needs script, so it is hidden until the script shows it.
    assert_eq!(attrs(&page, "button#copy", "hidden"), [""]);
    assert_eq!(text(&page, "h1"), "Chào mừng đến lớp Học số");
    // The QR code is for a neighbour's phone; the real browser comes before joining; the
    // lessons open with words of their own (not "Vào học", which is signing in).
    assert!(text(&page, "main").contains("Cho họ quét mã này bằng camera điện thoại của họ"));
    assert!(text(&page, "h2").starts_with("Trước khi đăng ký, hãy mở trình duyệt"));
    assert_eq!(text(&page, "a.button.big"), "Mở trang học");
    assert!(
        texts(&page, ".where").is_empty(),
        "nothing set up: no place named"
    );

    // Once set up, the page names the hall's Wi-Fi and the commune.
    let store = tb.store();
    store
        .set_setting("wifi_ssid", "NhaVanHoa-EaSol")
        .await
        .unwrap();
    store
        .set_setting("commune_name", "Xã Ea Sol")
        .await
        .unwrap();
    let page: Html = tb.page("/welcome", StatusCode::OK).await;
    assert_eq!(
        text(&page, ".where"),
        "Bạn đang dùng Wi-Fi «NhaVanHoa-EaSol» của nhà văn hóa, Xã Ea Sol."
    );
}

#[tokio::test]
async fn the_dashboard_counts_the_phones_of_the_last_minutes_and_warns_near_the_limit() {
    let tb = TestBox::start().await;
    let mut facilitator = set_up(&tb).await;
    let page = facilitator.page("/f", StatusCode::OK).await;
    assert!(
        text(&page, ".phones").starts_with("1 điện thoại đang dùng Wi-Fi"),
        "{}",
        text(&page, ".phones")
    );
    assert!(
        page.select(&scraper::Selector::parse(".phones.warn").unwrap())
            .next()
            .is_none()
    );

    // The hall's Wi-Fi takes one phone: the dashboard says it is full.
    let token = csrf(&mut facilitator, "/f/settings").await;
    let saved = facilitator
        .post_form(
            "/f/settings",
            &[
                ("csrf", &token),
                ("commune_name", "Xã Ea Sol"),
                ("wifi_phones", "1"),
                ("lang", "vi"),
            ],
        )
        .await;
    assert_eq!(saved.status(), StatusCode::OK);
    let page = facilitator.page("/f", StatusCode::OK).await;
    assert!(text(&page, ".phones.warn").contains("Wi-Fi đã đầy"));

    // A number that is not one is refused, and nothing changes.
    let token = csrf(&mut facilitator, "/f/settings").await;
    let refused = facilitator
        .post_form(
            "/f/settings",
            &[
                ("csrf", &token),
                ("commune_name", "Xã Ea Sol"),
                ("wifi_phones", "-3"),
                ("lang", "vi"),
            ],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    let page = Html::parse_document(&refused.text().await.unwrap());
    assert!(
        text(&page, ".note.error").contains("từ 1 đến 5000"),
        "{}",
        text(&page, ".note.error")
    );
    let page = facilitator.page("/f/settings", StatusCode::OK).await;
    assert_eq!(attrs(&page, "input[name=wifi_phones]", "value"), ["1"]);
}

/// Browses `_http._tcp` on the loopback interface with a real mDNS client until a service
/// named `name` resolves (10 s at most): its addresses and port.
fn resolve_on_loopback(name: &str) -> Option<(Vec<std::net::IpAddr>, u16)> {
    let daemon = mdns_sd::ServiceDaemon::new().ok()?;
    daemon.disable_interface(mdns_sd::IfKind::All).ok()?;
    daemon
        .enable_interface(mdns_sd::IfKind::Name("lo".into()))
        .ok()?;
    let events = daemon.browse("_http._tcp.local.").ok()?;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let mut found = None;
    while let Some(left) = deadline.checked_duration_since(std::time::Instant::now()) {
        match events.recv_timeout(left) {
            Ok(mdns_sd::ServiceEvent::ServiceResolved(service))
                if service.get_fullname() == format!("{name}._http._tcp.local.") =>
            {
                let addresses = service
                    .get_addresses()
                    .iter()
                    .map(|a| a.to_ip_addr())
                    .collect();
                found = Some((addresses, service.get_port()));
                break;
            }
            Ok(_) => {}
            Err(_) => break,
        }
    }
    let _ = daemon.shutdown();
    found
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn laptops_find_the_box_by_mdns_under_its_communes_name() {
    let tb = TestBox::start_advertised().await;
    let port: u16 = tb.base.rsplit(':').next().unwrap().parse().unwrap();
    // Set up names the commune: the box advertises itself again under that name.
    set_up(&tb).await;
    let (addresses, found_port) =
        tokio::task::spawn_blocking(|| resolve_on_loopback("Học số – Xã Ea Sol"))
            .await
            .unwrap()
            .expect("the box's service resolves on lo");
    assert_eq!(found_port, port);
    assert!(
        addresses.contains(&std::net::IpAddr::from([127, 0, 0, 1])),
        "{addresses:?}"
    );
    // What the laptop found answers as the box.
    let url = format!("http://127.0.0.1:{found_port}/api/v1/health");
    assert_eq!(
        tb.client.get(url).send().await.unwrap().status(),
        StatusCode::OK
    );
}
