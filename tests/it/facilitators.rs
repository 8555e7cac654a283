//! Facilitators: the one-time set-up with the code the box prints, signing in (and being
//! slowed after wrong tries), CSRF refusals, and the settings page.

use reqwest::StatusCode;
use scraper::Html;

use crate::support::{Phone, TestBox, attrs, location, text, texts};

pub const PASSWORD: &str = "cà phê buôn Ea Sol";

/// The CSRF token of the form on `path`, as a browser would find it.
pub async fn csrf(browser: &mut Phone<'_>, path: &str) -> String {
    let page = browser.page(path, StatusCode::OK).await;
    attrs(&page, "input[name=csrf]", "value").remove(0)
}

fn setup_code(tb: &TestBox) -> String {
    tb.store()
        .setup_code()
        .expect("a new box has a set-up code")
        .to_string()
}

/// Sets the box (or hub) up through `/setup` and leaves `browser` signed in as "Lê Thị Hoa".
pub async fn set_up<'a>(tb: &'a TestBox) -> Phone<'a> {
    let mut browser = Phone::new(tb);
    let token = csrf(&mut browser, "/setup").await;
    let code = match tb.database {
        Some(_) => tb
            .records()
            .await
            .setup_code()
            .expect("a new hub's code")
            .to_string(),
        None => setup_code(tb),
    };
    let response = browser
        .post_form(
            "/setup",
            &[
                ("csrf", &token),
                ("code", &code.replace('-', " ")),
                ("commune", " Xã  Ea Sol "),
                ("name", "Lê Thị Hoa"),
                ("password", PASSWORD),
                ("again", PASSWORD),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(["/f", "/hub"].contains(&location(&response).as_str()));
    browser
}

#[tokio::test]
async fn setup_needs_the_code_and_happens_once() {
    let tb = TestBox::start().await;
    let code = setup_code(&tb);
    assert_eq!(code.len(), 9, "{code}");
    let mut stranger = Phone::new(&tb);
    let token = csrf(&mut stranger, "/setup").await;

    // A wrong code, a short password, an empty commune: each said, nothing stored.
    let wrong = stranger
        .post_form(
            "/setup",
            &[
                ("csrf", &token),
                ("code", "0000-0000"),
                ("commune", "Xã Ea Sol"),
                ("name", "Kẻ lạ"),
                ("password", PASSWORD),
                ("again", PASSWORD),
            ],
        )
        .await;
    assert_eq!(wrong.status(), StatusCode::BAD_REQUEST);
    let page = Html::parse_document(&wrong.text().await.unwrap());
    assert!(text(&page, ".error").contains("Mã cài đặt không đúng"));
    let short = stranger
        .post_form(
            "/setup",
            &[
                ("csrf", &token),
                ("code", &code),
                ("commune", ""),
                ("name", "Hoa"),
                ("password", "ngắn"),
                ("again", "ngắn"),
            ],
        )
        .await;
    assert_eq!(short.status(), StatusCode::BAD_REQUEST);
    let page = Html::parse_document(&short.text().await.unwrap());
    let messages = texts(&page, ".error p");
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(!tb.store().is_set_up().await.unwrap());

    // Without the browser's CSRF token nothing happens, even with the right code.
    let mut other = Phone::new(&tb);
    let forged = other
        .post_form(
            "/setup",
            &[("code", &code), ("commune", "X"), ("name", "Y")],
        )
        .await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    assert!(!tb.store().is_set_up().await.unwrap());

    let mut hoa = set_up(&tb).await;
    let store = tb.store();
    assert!(store.is_set_up().await.unwrap());
    assert_eq!(
        store.setting("commune_name").await.unwrap().as_deref(),
        Some("Xã Ea Sol")
    );
    assert_eq!(store.setting("setup_code").await.unwrap(), None);
    let dashboard = hoa.page("/f", StatusCode::OK).await;
    assert_eq!(text(&dashboard, "h1"), "Xã Ea Sol");

    // A second set-up is refused, code or not, and the page says the box is set up.
    let again = stranger.page("/setup", StatusCode::OK).await;
    assert_eq!(text(&again, "h1"), "Hộp đã được cài đặt");
    let second = stranger
        .post_form(
            "/setup",
            &[
                ("csrf", &token),
                ("code", &code),
                ("commune", "Xã Khác"),
                ("name", "Người khác"),
                ("password", PASSWORD),
                ("again", PASSWORD),
            ],
        )
        .await;
    assert_eq!(second.status(), StatusCode::CONFLICT);
    assert_eq!(
        store.setting("commune_name").await.unwrap().as_deref(),
        Some("Xã Ea Sol")
    );

    // After a restart there is no code to print any more.
    let tb = tb.restart().await;
    assert_eq!(tb.store().setup_code(), None);
}

#[tokio::test]
async fn facilitator_pages_need_a_facilitator_and_sign_in_is_slowed_after_wrong_tries() {
    let tb = TestBox::start().await;
    let mut hoa = set_up(&tb).await;
    hoa.page("/f/settings", StatusCode::OK).await;

    // A villager signed in as a learner is not a facilitator.
    let mut phone = Phone::new(&tb);
    phone.join("Y Sơn", "Buôn Ea Sol").await;
    for path in ["/f", "/f/settings"] {
        let response = phone.get(path).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{path}");
        assert_eq!(location(&response), "/f/signin");
    }

    let mut laptop = Phone::new(&tb);
    let token = csrf(&mut laptop, "/f/signin").await;
    for _ in 0..3 {
        let wrong = laptop
            .post_form(
                "/f/signin",
                &[
                    ("csrf", &token),
                    ("name", "le thi hoa"),
                    ("password", "sai rồi nhé"),
                ],
            )
            .await;
        assert_eq!(wrong.status(), StatusCode::BAD_REQUEST);
    }
    let slowed = laptop
        .post_form(
            "/f/signin",
            &[
                ("csrf", &token),
                ("name", "Lê Thị Hoa"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(slowed.status(), StatusCode::TOO_MANY_REQUESTS);
    let page = Html::parse_document(&slowed.text().await.unwrap());
    assert!(text(&page, ".error").contains("Hãy chờ"));

    // Another name is not slowed by those tries; an unknown one is simply wrong.
    let unknown = laptop
        .post_form(
            "/f/signin",
            &[("csrf", &token), ("name", "Ai Đó"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(unknown.status(), StatusCode::BAD_REQUEST);

    // Signing out ends the session on the box, not only the cookie.
    let session = hoa.others["hocso_f"].clone();
    let token = csrf(&mut hoa, "/f").await;
    let out = hoa.post_form("/f/signout", &[("csrf", &token)]).await;
    assert_eq!(location(&out), "/f/signin");
    let replayed = tb
        .client
        .get(tb.url("/f"))
        .header("cookie", format!("hocso_f={session}"))
        .send()
        .await
        .unwrap();
    assert_eq!(location(&replayed), "/f/signin");
}

#[tokio::test]
async fn settings_are_checked_saved_and_used() {
    let tb = TestBox::start().await;
    let mut hoa = set_up(&tb).await;
    let token = csrf(&mut hoa, "/f/settings").await;
    let form = |commune: &'static str, password: &'static str, hub: &'static str| {
        vec![
            ("commune_name", commune),
            ("wifi_ssid", "NhaVanHoa-EaSol"),
            ("wifi_password", password),
            ("hub_url", hub),
            ("lang", "en"),
        ]
    };

    let mut bad = form("", "123", "ftp://tinh");
    bad.push(("csrf", &token));
    let response = hoa.post_form("/f/settings", &bad).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let page = Html::parse_document(&response.text().await.unwrap());
    assert_eq!(texts(&page, ".error p").len(), 3);
    assert_eq!(
        attrs(&page, "input[name=wifi_ssid]", "value"),
        vec!["NhaVanHoa-EaSol"],
        "what was typed is kept"
    );
    let store = tb.store();
    assert_eq!(store.setting("wifi_ssid").await.unwrap(), None);

    // The right form without the CSRF token changes nothing.
    let forged = hoa
        .post_form("/f/settings", &form("Xã Giả", "caphe2025", ""))
        .await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        store.setting("commune_name").await.unwrap().as_deref(),
        Some("Xã Ea Sol")
    );

    let mut good = form(
        "Xã Ea Sol, Đắk Lắk",
        "caphe2025",
        "http://192.168.1.10:8080/",
    );
    good.push(("csrf", &token));
    let response = hoa.post_form("/f/settings", &good).await;
    assert_eq!(response.status(), StatusCode::OK);
    let page = Html::parse_document(&response.text().await.unwrap());
    assert!(text(&page, "[role=status]").contains("Đã lưu"));
    assert_eq!(
        store.setting("hub_url").await.unwrap().as_deref(),
        Some("http://192.168.1.10:8080")
    );
    assert_eq!(
        store.setting("wifi_password").await.unwrap().as_deref(),
        Some("caphe2025")
    );

    // The default language now greets a phone that chose none, and survives a restart.
    let home = tb.page("/", StatusCode::OK).await;
    assert_eq!(text(&home, "h1"), "Learn digital skills");
    let tb = tb.restart().await;
    let home = tb.page("/", StatusCode::OK).await;
    assert_eq!(text(&home, "h1"), "Learn digital skills");
    let home = tb.page("/?lang=vi", StatusCode::OK).await;
    assert_eq!(text(&home, "h1"), "Học kỹ năng số");
}

#[test]
fn the_command_line_adds_a_facilitator_who_can_sign_in() {
    use std::io::Write;
    use std::process::{Command, Stdio};

    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let run = |args: &[&str], input: &str| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_hocso"))
            .args(args)
            .arg("--data-dir")
            .arg(&data)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    };
    let added = run(
        &["facilitator", "add", "Y Bình"],
        "mat khau 123\nmat khau 123\n",
    );
    assert!(added.status.success(), "{added:?}");
    let twice = run(
        &["facilitator", "add", "y binh"],
        "mat khau 123\nmat khau 123\n",
    );
    assert!(!twice.status.success());
    assert!(String::from_utf8_lossy(&twice.stderr).contains("already exists"));
    let short = run(&["facilitator", "reset-password", "Y Bình"], "ngan\nngan\n");
    assert!(!short.status.success());
    assert!(String::from_utf8_lossy(&short.stderr).contains("shorter than 8"));
    let reset = run(
        &["facilitator", "reset-password", "Y Bình"],
        "mat khau moi\nmat khau moi\n",
    );
    assert!(reset.status.success(), "{reset:?}");

    let store = hocso::store::Store::open(&data).unwrap();
    assert_eq!(store.setup_code(), None, "adding the first one ends set-up");
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (_, hash) = runtime
        .block_on(store.facilitator_login("y binh"))
        .unwrap()
        .unwrap();
    assert!(hocso::facilitate::verify_password(&hash, "mat khau moi"));
}

#[tokio::test]
async fn a_wrong_clock_is_shown_and_set_from_the_browser() {
    let tb = TestBox::start().await;
    let mut f = set_up(&tb).await;
    let page = f.page("/f", StatusCode::OK).await;
    assert!(
        attrs(&page, "details#clock", "hidden").len() == 1,
        "a right clock is not shouted about"
    );

    // A kept correction that would put the clock in 1970: left out at start-up, and the
    // dashboard says so without any script.
    tb.store()
        .set_setting(hocso::store::CLOCK_OFFSET, "-1700000000")
        .await
        .unwrap();
    drop(f);
    let tb = tb.restart().await;
    assert!(tb.store().clock().ignored());
    assert!(!tb.store().clock().before_build());
    assert_eq!(tb.store().clock().offset(), 0);
    let mut f = Phone::new(&tb);
    let token = csrf(&mut f, "/f/signin").await;
    f.post_form(
        "/f/signin",
        &[
            ("csrf", &token),
            ("name", "Lê Thị Hoa"),
            ("password", PASSWORD),
        ],
    )
    .await;
    let page = f.page("/f", StatusCode::OK).await;
    assert!(attrs(&page, "details#clock", "hidden").is_empty());
    assert!(text(&page, "#clock summary").contains("Đồng hồ của hộp có thể sai"));
    assert!(text(&page, "#clock").contains("hộp bỏ qua nó"));

    // A time before the build, or at the end of the calendar, is refused and nothing kept;
    // the box goes on serving. The browser's time is taken and kept.
    for ms in ["0", "253402300799000", "-62135596800000"] {
        let refused = f.post_f("/f/clock", &[("browser_ms", ms)]).await;
        assert_eq!(refused.status(), StatusCode::BAD_REQUEST, "{ms}");
        let said = Html::parse_document(&refused.text().await.unwrap());
        assert!(text(&said, "main").contains("không quá 10 năm"), "{ms}");
    }
    let ten_years_on = (time::OffsetDateTime::now_utc() + time::Duration::days(366 * 12))
        .date()
        .to_string();
    let refused = f
        .post_f("/f/clock", &[("date", &ten_years_on), ("time", "07:30")])
        .await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    assert_eq!(tb.store().clock().offset(), 0);
    f.page("/f", StatusCode::OK).await;
    Phone::new(&tb).page("/", StatusCode::OK).await;
    let typed = f
        .post_f("/f/clock", &[("date", "hôm nay"), ("time", "")])
        .await;
    assert_eq!(typed.status(), StatusCode::BAD_REQUEST);
    let right = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis()
        + 3_600_000;
    let set = f
        .post_f("/f/clock", &[("browser_ms", &right.to_string())])
        .await;
    assert_eq!(set.status(), StatusCode::SEE_OTHER);
    assert!(!tb.store().clock().before_build());
    let offset = tb.store().clock().offset();
    assert!((3595..=3605).contains(&offset), "{offset}");
    assert_eq!(
        tb.store()
            .setting(hocso::store::CLOCK_OFFSET)
            .await
            .unwrap(),
        Some(offset.to_string())
    );
    // Typed in Vietnam's time works too.
    let set = f
        .post_f("/f/clock", &[("date", "2030-01-02"), ("time", "07:30")])
        .await;
    assert_eq!(set.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        tb.store()
            .clock()
            .now()
            .to_offset(time::macros::offset!(+7))
            .date()
            .to_string(),
        "2030-01-02"
    );
}

#[tokio::test]
async fn a_facilitator_sent_to_sign_in_from_the_projector_goes_back_to_it() {
    let tb = TestBox::start().await;
    set_up(&tb).await;
    let mut laptop = Phone::new(&tb);
    let sign_in = async |laptop: &mut Phone<'_>, token: &str, password: &str| {
        let form = [
            ("csrf", token),
            ("name", "Lê Thị Hoa"),
            ("password", password),
        ];
        laptop.post_form("/f/signin", &form).await
    };
    let present = "/present/0193a3c4-0000-7000-8000-000000000000";
    assert_eq!(location(&laptop.get(present).await), "/f/signin");
    let page = laptop.page("/f/signin", StatusCode::OK).await;
    assert!(text(&page, ".why").contains("Màn chiếu"), "says why");
    let token = attrs(&page, "input[name=csrf]", "value").remove(0);
    // A wrong password keeps the why and the way back.
    let wrong = sign_in(&mut laptop, &token, "sai").await;
    assert_eq!(wrong.status(), StatusCode::BAD_REQUEST);
    let wrong = Html::parse_document(&wrong.text().await.unwrap());
    assert!(text(&wrong, ".why").contains("Màn chiếu"));
    let right = sign_in(&mut laptop, &token, PASSWORD).await;
    assert_eq!(location(&right), present);
    // Once only; a learner's page kept by a phone is never a facilitator's way on.
    laptop.post_form("/f/signout", &[("csrf", &token)]).await;
    laptop.get("/me").await;
    let token = csrf(&mut laptop, "/f/signin").await;
    let right = sign_in(&mut laptop, &token, PASSWORD).await;
    assert_eq!(location(&right), "/f");
}
