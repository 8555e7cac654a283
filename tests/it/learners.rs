//! Villagers join, sign in (by village, name and secret), switch learner on a shared phone,
//! and find their records again after the box restarts.

use reqwest::StatusCode;

use crate::support::{Phone, TestBox, attrs, catalogue, location, text, texts};

#[tokio::test]
async fn a_villager_joins_and_the_phone_stays_signed_in() {
    let tb = TestBox::start().await;
    let mut phone = Phone::new(&tb);
    let home = phone.page("/", StatusCode::OK).await;
    assert_eq!(text(&home, ".who"), "Vào học");

    let response = phone
        .post_form(
            "/join",
            &[
                ("display_name", "  Y   Lan Niê "),
                ("village_new", "Buôn Đôn"),
                ("birth_year", "1990"),
                ("gender", "nu"),
                ("ethnic_group", "Ê Đê"),
                ("optional_consent", "1"),
                ("secret_kind", "none"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/");
    let set_cookie = response.headers()["set-cookie"].to_str().unwrap();
    for part in ["HttpOnly", "SameSite=Lax", "Max-Age=31536000", "Path=/"] {
        assert!(set_cookie.contains(part), "{set_cookie} lacks {part}");
    }

    let home = phone.page("/", StatusCode::OK).await;
    assert_eq!(text(&home, ".who"), "Y Lan Niê", "the name is tidied");
    assert!(text(&home, ".lead").contains("Y Lan Niê"));
    let continue_to = attrs(&home, "main a.button", "href");
    assert_eq!(
        continue_to[0], "/m/dien-thoai/bat-dau",
        "Học tiếp points at the first lesson"
    );
    // "Học tiếp", and the lesson's title on a line of its own (titles have colons).
    assert_eq!(text(&home, "a.next-up > span:first-child"), "Học tiếp");
    let first = crate::support::catalogue();
    let first = first.lessons().next().unwrap();
    assert_eq!(
        text(&home, "a.next-up .next-title"),
        first.heading(hocso::content::Lang::Vi).title
    );
    let me = phone.page("/me", StatusCode::OK).await;
    assert_eq!(text(&me, "h1"), "Y Lan Niê");
    assert_eq!(text(&me, "main .meta"), "Buôn Đôn");

    // The cookie holds a token; the box keeps only its hash.
    let token = phone.cookie.clone().unwrap();
    let token = token.strip_prefix("hocso_session=").unwrap();
    assert_eq!(token.len(), 64);
    let db = std::fs::read(tb.data_dir.join("hocso.db")).unwrap();
    let wal = std::fs::read(tb.data_dir.join("hocso.db-wal")).unwrap_or_default();
    for bytes in [&db, &wal] {
        assert!(
            !bytes.windows(64).any(|w| w == token.as_bytes()),
            "token stored in clear"
        );
    }
}

#[tokio::test]
async fn a_typed_village_is_offered_to_the_next_person_and_spellings_converge() {
    let tb = TestBox::start().await;
    Phone::new(&tb).join("A Sáu", "Buôn Đôn").await;
    let mut second = Phone::new(&tb);
    let form = second.page("/join", StatusCode::OK).await;
    assert_eq!(attrs(&form, "input[name=village]", "value"), ["Buôn Đôn"]);
    // Typed without accents, it is the same village.
    second.join("H Bia", "buon don").await;
    let signin = second.page("/signin", StatusCode::OK).await;
    assert_eq!(texts(&signin, ".cards .card-title"), ["Buôn Đôn"]);
    assert_eq!(text(&signin, ".cards .meta"), "2 người học");
}

#[tokio::test]
async fn sign_out_then_sign_in_by_village_and_name() {
    let tb = TestBox::start().await;
    let mut phone = Phone::new(&tb);
    phone.join("Đinh Văn Hùng", "Thôn 3").await;
    Phone::new(&tb).join("Nguyễn Thị Mai", "Thôn 3").await;

    let response = phone.post_form("/signout", &[]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/signin");
    assert!(phone.cookie.is_none(), "the cookie is cleared");
    let response = phone.get("/me").await;
    assert_eq!(
        location(&response),
        "/signin",
        "signed out, /me asks to sign in"
    );

    let villages = phone.page("/signin", StatusCode::OK).await;
    let village_link = attrs(&villages, ".cards a", "href").remove(0);
    let names = phone.page(&village_link, StatusCode::OK).await;
    assert_eq!(
        texts(&names, ".names .card-title"),
        ["Đinh Văn Hùng", "Nguyễn Thị Mai"]
    );
    // First letters, with or without accents, of any word of the name.
    for q in ["hu", "Hùng", "dinh", "Đi"] {
        let found = phone
            .page(&format!("{village_link}&q={q}"), StatusCode::OK)
            .await;
        assert_eq!(
            texts(&found, ".names .card-title"),
            ["Đinh Văn Hùng"],
            "q={q}"
        );
    }
    let found = phone
        .page(&format!("{village_link}&q=xyz"), StatusCode::OK)
        .await;
    assert!(texts(&found, ".names .card-title").is_empty());
    assert!(text(&found, ".note:not(.why)").contains("Không thấy"));

    let me_link = attrs(&names, ".names a", "href").remove(0);
    let confirm = phone.page(&me_link, StatusCode::OK).await;
    assert_eq!(text(&confirm, "h1"), "Đinh Văn Hùng");
    let response = phone.post_form(&me_link, &[]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let home = phone.page("/", StatusCode::OK).await;
    assert_eq!(text(&home, ".who"), "Đinh Văn Hùng");
}

#[tokio::test]
async fn switching_learner_on_a_shared_phone_keeps_each_ones_records_apart() {
    let tb = TestBox::start().await;
    let mut phone = Phone::new(&tb);
    phone.join("Ksor Y Thu", "Buôn Ja").await;
    phone.post_form("/m/dien-thoai/bat-dau/xong", &[]).await;
    let first_cookie = phone.cookie.clone();

    // "Đổi người học", then a second person joins on the same phone.
    phone.post_form("/signout", &[]).await;
    phone.join("Rơ Châm H'Lan", "Buôn Ja").await;
    let me = phone.page("/me", StatusCode::OK).await;
    assert_eq!(text(&me, "h1"), "Rơ Châm H'Lan");
    assert!(
        texts(&me, ".states li.done").is_empty(),
        "{:?}",
        texts(&me, ".states li")
    );
    assert!(
        texts(&me, ".states .meta").iter().all(|t| t == "Chưa học"),
        "the second learner sees none of the first one's lessons"
    );

    // The old cookie no longer signs anyone in.
    let mut old = Phone::new(&tb);
    old.cookie = first_cookie;
    assert_eq!(location(&old.get("/me").await), "/signin");
}

#[tokio::test]
async fn two_people_with_the_same_name_in_one_village_both_work() {
    let tb = TestBox::start().await;
    let mut elder = Phone::new(&tb);
    let response = elder
        .post_form(
            "/join",
            &[
                ("display_name", "Nguyễn Văn A"),
                ("village_new", "Thôn 1"),
                ("birth_year", "1960"),
                ("optional_consent", "1"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let mut younger = Phone::new(&tb);
    let response = younger
        .post_form(
            "/join",
            &[
                ("display_name", "Nguyễn Văn A"),
                ("village", "Thôn 1"),
                ("birth_year", "2001"),
                ("optional_consent", "1"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    elder.post_form("/m/dien-thoai/bat-dau/xong", &[]).await;

    let mut phone = Phone::new(&tb);
    let names = phone
        .page("/signin?village=Th%C3%B4n+1", StatusCode::OK)
        .await;
    assert_eq!(
        texts(&names, ".names .card-title"),
        ["Nguyễn Văn A", "Nguyễn Văn A"]
    );
    let years = texts(&names, ".names .meta");
    assert!(years.contains(&"Sinh năm 1960".to_string()), "{years:?}");
    assert!(years.contains(&"Sinh năm 2001".to_string()), "{years:?}");
    let links = attrs(&names, ".names a", "href");
    assert_ne!(links[0], links[1]);
    for link in &links {
        let mut phone = Phone::new(&tb);
        phone.post_form(link, &[]).await;
        let me = phone.page("/me", StatusCode::OK).await;
        assert_eq!(text(&me, "h1"), "Nguyễn Văn A");
    }
}

#[tokio::test]
async fn a_pin_guards_the_name_and_wrong_tries_slow_down() {
    let tb = TestBox::start().await;
    let mut owner = Phone::new(&tb);
    let response = owner
        .post_form(
            "/join",
            &[
                ("display_name", "Y Mai"),
                ("village_new", "Buôn Trấp"),
                ("secret_kind", "pin"),
                ("pin", "0427"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let mut phone = Phone::new(&tb);
    let names = phone
        .page("/signin?village=Bu%C3%B4n+Tr%E1%BA%A5p", StatusCode::OK)
        .await;
    let link = attrs(&names, ".names a", "href").remove(0);
    let form = phone.page(&link, StatusCode::OK).await;
    assert_eq!(attrs(&form, "input[name=pin]", "inputmode"), ["numeric"]);

    for _ in 0..3 {
        let response = phone.post_form(&link, &[("pin", "1111")]).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        assert!(phone.cookie.is_none());
        let page = scraper::Html::parse_document(&response.text().await.unwrap());
        assert_eq!(text(&page, ".note.error"), "Mã chưa đúng. Hãy thử lại.");
    }
    // After three wrong tries, even the right PIN must wait.
    let response = phone.post_form(&link, &[("pin", "0427")]).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let page = scraper::Html::parse_document(&response.text().await.unwrap());
    assert!(
        text(&page, ".note.error").contains("Hãy chờ"),
        "{}",
        text(&page, ".note.error")
    );
    assert!(phone.cookie.is_none());
}

#[tokio::test]
async fn a_picture_code_signs_in_only_in_the_right_order() {
    let tb = TestBox::start().await;
    let mut owner = Phone::new(&tb);
    let join = owner.page("/join", StatusCode::OK).await;
    assert_eq!(attrs(&join, "button[name=tap]", "value").len(), 9);
    let pictures = attrs(&join, "button[name=tap] img", "src");
    assert_eq!(pictures.len(), 9);
    for src in &pictures {
        assert_eq!(tb.get(src).await.status(), StatusCode::OK, "{src}");
    }
    let response = owner
        .post_form(
            "/join",
            &[
                ("display_name", "Bà Hòa"),
                ("village_new", "Thôn 2"),
                ("secret_kind", "picture"),
                ("p1", "6"),
                ("p2", "0"),
                ("p3", "8"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);

    let mut phone = Phone::new(&tb);
    let names = phone
        .page("/signin?village=Th%C3%B4n+2", StatusCode::OK)
        .await;
    let link = attrs(&names, ".names a", "href").remove(0);
    let form = phone.page(&link, StatusCode::OK).await;
    assert_eq!(
        attrs(&form, "button[name=tap]", "value").len(),
        9,
        "one grid"
    );
    let response = phone
        .post_form(&link, &[("p1", "0"), ("p2", "6"), ("p3", "8")])
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST, "wrong order");
    let response = phone
        .post_form(&link, &[("p1", "6"), ("p2", "0"), ("p3", "8")])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let me = phone.page("/me", StatusCode::OK).await;
    assert_eq!(text(&me, "h1"), "Bà Hòa");
}

#[tokio::test]
async fn progress_survives_a_restart_of_the_box() {
    let tb = TestBox::start().await;
    let mut phone = Phone::new(&tb);
    phone.join("Y Khuê", "Buôn Đôn").await;
    phone.get("/m/dien-thoai/bat-dau").await;
    phone.post_form("/m/dien-thoai/bat-dau/xong", &[]).await;
    let right = crate::quiz::right_answers("dien-thoai/bat-dau");
    let response = crate::quiz::answer(&mut phone, "dien-thoai/bat-dau", &right).await;
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = phone.cookie.clone();

    let tb = tb.restart().await;
    let mut phone = Phone::new(&tb);
    phone.cookie = cookie;
    let me = phone.page("/me", StatusCode::OK).await;
    assert_eq!(
        text(&me, "h1"),
        "Y Khuê",
        "still signed in after the restart"
    );
    let states = texts(&me, ".states li");
    assert!(states[0].contains("✓ Đã xong"), "{states:?}");
    assert!(states[0].contains("đúng 3/3"), "{states:?}");
    let home = phone.page("/", StatusCode::OK).await;
    assert_eq!(
        attrs(&home, "main a.button", "href")[0],
        "/m/dien-thoai/man-hinh-cam-ung"
    );
    let lessons = catalogue().module("dien-thoai").unwrap().lessons.len();
    assert_eq!(
        text(&home, ".cards .progress .meta"),
        format!("Xong 1/{lessons} bài")
    );
}

#[tokio::test]
async fn my_page_starts_with_what_to_do_next_and_handing_the_phone_on() {
    let tb = TestBox::start().await;
    let mut phone = Phone::new(&tb);
    phone.join("H'Hen Niê", "Buôn Ea Sol").await;
    let me = phone.page("/me", StatusCode::OK).await;
    // First the next lesson, and "Đổi người học" before any module.
    let html = me.html();
    let next = html.find("next-up").expect("what to do next");
    let switch = html.find("Đổi người học").expect("handing the phone on");
    let first_module = html.find("module-progress").expect("the modules");
    assert!(next < first_module && switch < first_module);
    assert_eq!(attrs(&me, "a.next-up", "href"), ["/m/dien-thoai/bat-dau"]);
    // Nothing begun: every module's list is folded.
    assert!(attrs(&me, "details.module-details[open]", "open").is_empty());
    // A module begun and not finished is open.
    phone.get("/m/internet/wifi-va-4g").await;
    let me = phone.page("/me", StatusCode::OK).await;
    let open = attrs(&me, "details.module-details[open]", "open");
    assert_eq!(open.len(), 1);
    assert!(text(&me, "details.module-details[open] ul.states").contains("Wi-Fi"));
    // A page not found still knows who is signed in.
    let missing = phone.page("/m/khong-co", StatusCode::NOT_FOUND).await;
    assert_eq!(text(&missing, ".who"), "H'Hen Niê");
    let missing = Phone::new(&tb)
        .page("/m/khong-co", StatusCode::NOT_FOUND)
        .await;
    assert_eq!(text(&missing, ".who"), "Vào học");
}

/// The stored learners, counted.
async fn learners(tb: &TestBox) -> usize {
    tb.store().all_learners().await.unwrap().len()
}

#[tokio::test]
async fn a_picture_code_is_tapped_on_one_grid_without_script_and_shown_after_joining() {
    let tb = TestBox::start().await;
    let mut phone = Phone::new(&tb);
    let join = phone.page("/join", StatusCode::OK).await;
    // A secret is chosen by default: the picture code; no secret is the last choice.
    assert_eq!(
        attrs(&join, "input[name=secret_kind][checked]", "value"),
        ["picture"]
    );
    assert_eq!(
        attrs(&join, "input[name=secret_kind]", "value"),
        ["picture", "pin", "none"]
    );
    assert_eq!(
        attrs(&join, "#birth_year[placeholder]", "placeholder").len(),
        0
    );
    assert_eq!(text(&join, "label[for=display_name]"), "Tên của bạn");
    assert_eq!(texts(&join, ".grid button").len(), 9);
    assert_eq!(texts(&join, "ol.code li.filled").len(), 0);

    // Each tap is a plain form post that comes back with the code one picture longer, the
    // typed name kept, and nothing stored.
    let fields = [
        ("display_name", "Bà Hòa".to_string()),
        ("village_new", "Thôn 2".to_string()),
        ("secret_kind", "picture".to_string()),
    ];
    let mut code: Vec<String> = Vec::new();
    for (tap, shown) in [
        ("1", "Con gà"),
        ("5", "Cà phê"),
        ("0", "Mặt trời"),
        ("6", "Con trâu"),
    ] {
        let mut form: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let places: Vec<String> = (0..3)
            .map(|i| code.get(i).cloned().unwrap_or_default())
            .collect();
        form.extend([
            ("p1", places[0].as_str()),
            ("p2", places[1].as_str()),
            ("p3", places[2].as_str()),
            ("tap", tap),
        ]);
        let response = phone.post_form("/join", &form).await;
        assert_eq!(response.status(), StatusCode::OK);
        let page = scraper::Html::parse_document(&response.text().await.unwrap());
        assert_eq!(attrs(&page, "#display_name", "value"), ["Bà Hòa"]);
        code = (1..=3)
            .map(|n| attrs(&page, &format!("input[name=p{n}]"), "value").remove(0))
            .filter(|v| !v.is_empty())
            .collect();
        let alts = attrs(&page, "ol.code li.filled img", "alt");
        if code.len() < 3 || tap != "6" {
            assert_eq!(alts.last().map(String::as_str), Some(shown), "{alts:?}");
        } else {
            // A fourth tap changes nothing: the code is full, the grid is off.
            assert_eq!(alts, ["Con gà", "Cà phê", "Mặt trời"]);
            assert_eq!(attrs(&page, ".grid button[disabled]", "value").len(), 9);
        }
        assert_eq!(learners(&tb).await, 0, "a tap stores nothing");
        assert!(phone.cookie.is_none());
    }
    assert_eq!(code, ["1", "5", "0"]);

    // Undo takes back the last picture; a bad tap changes nothing.
    let response = phone
        .post_form(
            "/join",
            &[
                ("display_name", "Bà Hòa"),
                ("p1", "1"),
                ("p2", "5"),
                ("p3", "0"),
                ("undo", "1"),
            ],
        )
        .await;
    let page = scraper::Html::parse_document(&response.text().await.unwrap());
    assert_eq!(
        attrs(&page, "ol.code li.filled img", "alt"),
        ["Con gà", "Cà phê"]
    );
    assert_eq!(attrs(&page, "input[name=p3]", "value"), [""]);
    for bad in ["9", "-1", "x", "99999999999999999999"] {
        let response = phone
            .post_form(
                "/join",
                &[("display_name", "Bà Hòa"), ("p1", "1"), ("tap", bad)],
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK, "{bad}");
        let page = scraper::Html::parse_document(&response.text().await.unwrap());
        assert_eq!(
            attrs(&page, "ol.code li.filled img", "alt"),
            ["Con gà"],
            "{bad}"
        );
    }
    // Joining with two pictures only is refused, nothing stored.
    let response = phone
        .post_form(
            "/join",
            &[
                ("display_name", "Bà Hòa"),
                ("village_new", "Thôn 2"),
                ("secret_kind", "picture"),
                ("p1", "1"),
                ("p2", "5"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let page = scraper::Html::parse_document(&response.text().await.unwrap());
    assert!(text(&page, ".error-text").contains("3 hình"));
    assert_eq!(learners(&tb).await, 0);

    // Joined: the next page shows the three pictures, in order, to remember.
    let response = phone
        .post_form(
            "/join",
            &[
                ("display_name", "Bà Hòa"),
                ("village_new", "Thôn 2"),
                ("secret_kind", "picture"),
                ("p1", "1"),
                ("p2", "5"),
                ("p3", "6"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/joined");
    let done = phone.page("/joined", StatusCode::OK).await;
    assert_eq!(text(&done, ".reminder .lead"), "Mã của bạn:");
    assert_eq!(
        texts(&done, ".reminder ol.code li"),
        ["Con gà", "Cà phê", "Con trâu"]
    );
    assert!(text(&done, ".reminder").contains("Hãy nhớ"));
    assert_eq!(attrs(&done, "main a.button", "href"), ["/"]);
    assert_eq!(learners(&tb).await, 1);

    // Signed out, /joined shows nothing; the code cookie is gone too.
    let response = phone.post_form("/signout", &[]).await;
    let cleared: Vec<_> = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect();
    assert!(
        cleared.iter().any(|c| c.starts_with("hocso_code=;")),
        "{cleared:?}"
    );

    // Signing in taps the same grid, by plain forms too.
    let names = phone
        .page("/signin?village=Th%C3%B4n+2", StatusCode::OK)
        .await;
    let link = attrs(&names, ".names a", "href").remove(0);
    let response = phone.post_form(&link, &[("tap", "1")]).await;
    assert_eq!(response.status(), StatusCode::OK);
    let page = scraper::Html::parse_document(&response.text().await.unwrap());
    assert_eq!(attrs(&page, "ol.code li.filled img", "alt"), ["Con gà"]);
    assert!(phone.cookie.is_none());
    // A wrong code says what to do when it is forgotten.
    let response = phone
        .post_form(&link, &[("p1", "1"), ("p2", "6"), ("p3", "5")])
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let page = scraper::Html::parse_document(&response.text().await.unwrap());
    assert_eq!(text(&page, ".note.error"), "Mã chưa đúng. Hãy thử lại.");
    assert_eq!(text(&page, ".forgot"), "Quên mã? Hỏi người hướng dẫn.");
    assert!(phone.cookie.is_none());
    let response = phone
        .post_form(&link, &[("p1", "1"), ("p2", "5"), ("p3", "6")])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let me = phone.page("/me", StatusCode::OK).await;
    assert_eq!(text(&me, "h1"), "Bà Hòa");
}

#[tokio::test]
async fn joining_with_a_pin_shows_it_and_without_a_secret_goes_home() {
    let tb = TestBox::start().await;
    let mut phone = Phone::new(&tb);
    let response = phone
        .post_form(
            "/join",
            &[
                ("display_name", "Y Mai"),
                ("village_new", "Buôn Trấp"),
                ("secret_kind", "pin"),
                ("pin", "0427"),
            ],
        )
        .await;
    assert_eq!(location(&response), "/joined");
    let done = phone.page("/joined", StatusCode::OK).await;
    assert_eq!(text(&done, ".pin-code"), "0427");
    // A plain post with no secret still joins (the form itself offers it last), and goes home.
    let mut other = Phone::new(&tb);
    let response = other
        .post_form(
            "/join",
            &[("display_name", "A Sáu"), ("village_new", "Buôn Trấp")],
        )
        .await;
    assert_eq!(location(&response), "/");
    assert_eq!(location(&other.get("/joined").await), "/");
}

#[tokio::test]
async fn enter_in_a_text_field_joins_rather_than_taking_a_picture_back() {
    let tb = TestBox::start().await;
    let page = Phone::new(&tb).page("/join", StatusCode::OK).await;
    // A form's first submit button is the one Enter presses: the join, with no name.
    let first = attrs(&page, "form[action='/join'] button[type=submit]", "class");
    assert_eq!(first[0], "default-submit");
    let names = attrs(&page, "form[action='/join'] button.default-submit", "name");
    assert!(names.is_empty(), "it joins: no picture, no undo");
}

#[tokio::test]
async fn a_page_opened_signed_out_is_where_sign_in_leads_once() {
    let tb = TestBox::start().await;
    let mut phone = Phone::new(&tb);
    phone.join("Y Sơn", "Buôn Ea Sol").await;
    phone.post_form("/signout", &[]).await;

    // Opening the group lesson signed out: sign in first, told why, on every step.
    let response = phone.get("/live").await;
    assert_eq!(location(&response), "/signin");
    let villages = phone.page("/signin", StatusCode::OK).await;
    assert!(text(&villages, ".why").contains("học nhóm"), "says why");
    let village_link = attrs(&villages, ".cards a", "href").remove(0);
    let names = phone.page(&village_link, StatusCode::OK).await;
    assert!(text(&names, ".why").contains("học nhóm"));
    let me_link = attrs(&names, ".names a", "href").remove(0);
    let response = phone.post_form(&me_link, &[]).await;
    assert_eq!(location(&response), "/live", "back where they were going");
    phone.page("/live", StatusCode::OK).await;
    // Once: the next sign-in goes home, and the sign-in page no longer explains.
    phone.post_form("/signout", &[]).await;
    let again = phone.page("/signin", StatusCode::OK).await;
    assert!(texts(&again, ".why").is_empty());
    let response = phone.post_form(&me_link, &[]).await;
    assert_eq!(location(&response), "/");

    // Any learner's page, with its query; the line says it in general words.
    phone.post_form("/signout", &[]).await;
    phone.get("/me?lang=vi").await;
    let villages = phone.page("/signin", StatusCode::OK).await;
    assert!(text(&villages, ".why").contains("về đúng trang"));
    let response = phone.post_form(&me_link, &[]).await;
    assert_eq!(location(&response), "/me?lang=vi");

    // A facilitator's page is not a learner's way on.
    phone.post_form("/signout", &[]).await;
    assert_eq!(location(&phone.get("/f/live").await), "/f/signin");
    let response = phone.post_form(&me_link, &[]).await;
    assert_eq!(location(&response), "/");

    // Another site is never followed, whatever the cookie says.
    phone.post_form("/signout", &[]).await;
    phone
        .others
        .insert("hocso_return".into(), "l:%2F%2Fevil.example%2F".into());
    let response = phone.post_form(&me_link, &[]).await;
    assert_eq!(location(&response), "/");
}

#[tokio::test]
async fn a_newcomer_sent_to_sign_in_joins_and_goes_on_to_the_group_lesson() {
    let tb = TestBox::start().await;
    let mut phone = Phone::new(&tb);
    assert_eq!(location(&phone.get("/live").await), "/signin");
    let response = phone
        .post_form(
            "/join",
            &[
                ("display_name", "H'Mai"),
                ("village_new", "Buôn Ea Sol"),
                ("secret_kind", "pin"),
                ("pin", "2468"),
            ],
        )
        .await;
    assert_eq!(location(&response), "/joined", "the code is shown first");
    let joined = phone.page("/joined", StatusCode::OK).await;
    assert_eq!(attrs(&joined, "a.button", "href"), ["/live"]);
    assert!(text(&joined, "a.button").contains("học nhóm"));
    // Without a secret, straight on.
    let mut other = Phone::new(&tb);
    other.get("/live").await;
    let response = other
        .post_form(
            "/join",
            &[("display_name", "A Sáu"), ("village_new", "Buôn Trấp")],
        )
        .await;
    assert_eq!(location(&response), "/live");
}
