//! A villager opens the box on a phone: the home page, a module, every lesson, in Vietnamese
//! and in English, with the next and previous lesson one tap away.

use hocso::content::Lang;
use reqwest::StatusCode;

use crate::support::{Phone, TestBox, attrs, catalogue, location, text, texts};

#[tokio::test]
async fn home_lists_every_module_with_lessons_and_minutes() {
    let b = TestBox::start().await;
    let home = b.page("/", StatusCode::OK).await;
    assert_eq!(text(&home, "h1"), "Học kỹ năng số");
    let catalogue = catalogue();
    let titles = texts(&home, ".cards .card-title");
    let metas = texts(&home, ".cards .meta");
    assert_eq!(titles.len(), catalogue.modules.len());
    assert_eq!(titles[0], "Làm quen với điện thoại thông minh");
    for ((title, meta), module) in titles.iter().zip(&metas).zip(&catalogue.modules) {
        assert_eq!(title, &module.text.get(Lang::Vi).title);
        assert_eq!(
            meta,
            &format!(
                "{} bài · {} phút",
                module.lessons.len(),
                module.minutes(Lang::Vi)
            )
        );
    }
}

#[tokio::test]
async fn every_module_page_lists_its_lessons() {
    let b = TestBox::start().await;
    for module in &catalogue().modules {
        let page = b.page(&format!("/m/{}", module.id), StatusCode::OK).await;
        assert_eq!(text(&page, "h1"), module.text.get(Lang::Vi).title);
        let titles = texts(&page, ".lessons .card-title");
        let expected: Vec<&str> = module
            .lessons
            .iter()
            .map(|l| l.heading(Lang::Vi).title.as_str())
            .collect();
        assert_eq!(titles, expected);
        let start = attrs(&page, "main > p > a.button", "href");
        assert_eq!(start, vec![format!("/m/{}", module.lessons[0].id)]);
    }
}

#[tokio::test]
async fn every_lesson_page_shows_title_objective_body_and_neighbours() {
    let b = TestBox::start().await;
    let catalogue = catalogue();
    let lessons: Vec<_> = catalogue.lessons().collect();
    assert!(lessons.len() >= 3);
    for (i, lesson) in lessons.iter().enumerate() {
        let version = lesson.versions.get(Lang::Vi);
        let heading = lesson.heading(Lang::Vi);
        let page = b.page(&format!("/m/{}", lesson.id), StatusCode::OK).await;
        assert_eq!(text(&page, "article h1"), heading.title);
        assert_eq!(text(&page, "title"), format!("{} · Học số", heading.title));
        assert_eq!(text(&page, ".objective p"), heading.objective);
        let parts = version.slides.len();
        assert_eq!(
            text(&page, "article .meta"),
            format!("{} phút · Phần 1/{parts}", version.minutes)
        );
        // The whole lesson on one page.
        let whole = b
            .page(&format!("/m/{}?phan=ca", lesson.id), StatusCode::OK)
            .await;
        assert_eq!(
            text(&whole, "article .meta"),
            format!("{} phút · {} phần", version.minutes, parts)
        );
        assert_eq!(texts(&whole, "section.slide").len(), parts);
        assert!(!texts(&whole, "section.slide h2").is_empty());
        let alts = attrs(&whole, "section.slide img", "alt");
        assert!(
            !alts.is_empty() && alts.iter().all(|a| !a.trim().is_empty()),
            "{}: a picture with alt text",
            lesson.id
        );
        // The last part leads to the neighbouring lessons.
        let page = b
            .page(&format!("/m/{}?phan={parts}", lesson.id), StatusCode::OK)
            .await;
        assert_eq!(texts(&page, "section.slide").len(), 1);

        let previous = attrs(&page, "a[rel=prev]", "href");
        let next = attrs(&page, "a[rel=next]", "href");
        let expected_previous: Vec<String> = i
            .checked_sub(1)
            .map(|p| format!("/m/{}", lessons[p].id))
            .into_iter()
            .collect();
        let expected_next: Vec<String> = lessons
            .get(i + 1)
            .map(|n| format!("/m/{}", n.id))
            .into_iter()
            .collect();
        assert_eq!(previous, expected_previous, "{}", lesson.id);
        assert_eq!(next, expected_next, "{}", lesson.id);
    }
}

#[tokio::test]
async fn lang_query_switches_to_english_and_a_cookie_remembers_it() {
    let b = TestBox::start().await;
    let response = b.get("/m/dien-thoai/bat-dau?lang=en").await;
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        cookie.starts_with("lang=en;") && cookie.contains("Max-Age=") && cookie.contains("Path=/"),
        "{cookie}"
    );
    let page = scraper::Html::parse_document(&response.text().await.unwrap());
    assert_eq!(
        text(&page, "article h1"),
        "Getting started: power, charging and buttons"
    );
    assert_eq!(text(&page, ".objective h2"), "What you will learn");
    assert_eq!(attrs(&page, "html", "lang"), vec!["en"]);

    // The next page, with only the cookie, stays in English; `?lang=vi` switches back.
    let home = b
        .client
        .get(b.url("/"))
        .header("cookie", "lang=en")
        .send()
        .await
        .unwrap();
    let home = scraper::Html::parse_document(&home.text().await.unwrap());
    assert_eq!(text(&home, "h1"), "Learn digital skills");
    assert!(texts(&home, ".cards .meta")[0].ends_with("min"));
    let back = b
        .client
        .get(b.url("/?lang=vi"))
        .header("cookie", "lang=en")
        .send()
        .await
        .unwrap();
    assert!(
        back.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .starts_with("lang=vi;")
    );
    let back = scraper::Html::parse_document(&back.text().await.unwrap());
    assert_eq!(text(&back, "h1"), "Học kỹ năng số");
}

#[tokio::test]
async fn the_language_switch_links_every_language() {
    let b = TestBox::start().await;
    let page = b.page("/m/dien-thoai", StatusCode::OK).await;
    assert_eq!(attrs(&page, "footer a[hreflang]", "href"), vec!["?lang=en"]);
    assert_eq!(text(&page, "footer .current"), "Tiếng Việt");
}

#[tokio::test]
async fn a_lesson_translated_in_its_heading_only_shows_the_vietnamese_text_under_it() {
    let b = TestBox::start().await;
    let catalogue = catalogue();
    let lesson = catalogue
        .lessons()
        .find(|l| {
            l.heading(Lang::En).title != l.heading(Lang::Vi).title
                && l.versions.pick(Lang::En).0 == Lang::Vi
        })
        .expect("a lesson with an English heading and Vietnamese text");
    let page = b
        .page(&format!("/m/{}?lang=en&phan=ca", lesson.id), StatusCode::OK)
        .await;
    let heading = lesson.heading(Lang::En);
    assert_eq!(text(&page, "article h1"), heading.title);
    assert_eq!(text(&page, ".objective p"), heading.objective);
    assert!(
        text(&page, "article .note").contains("not translated"),
        "{}",
        lesson.id
    );
    assert_eq!(attrs(&page, "article div[lang]", "lang"), vec!["vi"]);
    assert_eq!(
        texts(&page, "section.slide").len(),
        lesson.versions.get(Lang::Vi).slides.len()
    );

    // The module list and the catalogue give the English title too.
    let module = b
        .page(&format!("/m/{}?lang=en", lesson.module_id), StatusCode::OK)
        .await;
    assert!(texts(&module, ".lessons .card-title").contains(&heading.title));
}

#[tokio::test]
async fn english_readers_get_english_drawings_and_words() {
    let b = TestBox::start().await;
    let catalogue = catalogue();
    let module = catalogue.module("dien-thoai").unwrap();
    for lesson in &module.lessons {
        let url = format!("/m/{}?lang=en&phan=ca", lesson.id);
        let page = scraper::Html::parse_document(&b.get(&url).await.text().await.unwrap());
        let pictures = attrs(&page, "article img", "src");
        assert!(!pictures.is_empty(), "{url}");
        for src in pictures {
            assert!(
                src.contains(".en."),
                "{url}: {src} is the Vietnamese drawing"
            );
            let svg = b.get(&src).await.text().await.unwrap();
            let title = svg
                .split("<title>")
                .nth(1)
                .and_then(|t| t.split("</title>").next());
            let title = title.unwrap_or_else(|| panic!("{src} has no title"));
            assert!(
                title.is_ascii(),
                "{src}: the drawing's title is not English: {title}"
            );
        }
    }
    let join = scraper::Html::parse_document(&b.get("/join?lang=en").await.text().await.unwrap());
    assert_eq!(
        texts(&join, "select#ethnic_group option[value='Khác']"),
        ["Other"]
    );
    let join = scraper::Html::parse_document(&b.get("/join?lang=vi").await.text().await.unwrap());
    assert_eq!(
        texts(&join, "select#ethnic_group option[value='Khác']"),
        ["Khác"]
    );
}

/// A lesson is shown one part at a time: "Phần k/n", "◀ Trước" and "Tiếp ▶" as plain links
/// from the first part to the last, the finish and the practice only on the last, the whole
/// lesson a link away; opening parts records "lesson_opened" once.
#[tokio::test]
async fn a_lesson_is_read_part_by_part_through_links() {
    let tb = TestBox::start().await;
    let mut phone = Phone::new(&tb);
    phone.join("Hờ A Sáng", "Bản Mới").await;
    let catalogue = catalogue();
    let lesson = catalogue
        .lessons()
        .find(|l| l.versions.get(Lang::Vi).slides.len() >= 3)
        .expect("a lesson with three parts");
    let version = lesson.versions.get(Lang::Vi);
    let parts = version.slides.len();
    let base = format!("/m/{}", lesson.id);

    let mut url = base.clone();
    for k in 1..=parts {
        let page = phone.page(&url, StatusCode::OK).await;
        assert_eq!(text(&page, "nav.parts .where"), format!("Phần {k}/{parts}"));
        assert_eq!(texts(&page, "section.slide").len(), 1, "{url}");
        assert_eq!(attrs(&page, "section.slide", "id"), vec![format!("s{k}")]);
        assert_eq!(texts(&page, ".objective").len(), usize::from(k == 1));
        let previous = attrs(&page, "nav.parts a.prev", "href");
        let next = attrs(&page, "nav.parts a.next", "href");
        if k == 1 {
            assert!(previous.is_empty());
        } else {
            assert_eq!(previous, vec![format!("{base}?phan={}", k - 1)]);
            assert_eq!(text(&page, "nav.parts a.prev"), "◀ Trước");
        }
        assert_eq!(
            attrs(&page, "p.away a", "href")[0],
            format!("{base}?phan=ca")
        );
        assert_eq!(text(&page, "p.away a"), "Xem cả bài");
        let finish = attrs(&page, "form[action$='/xong']", "action");
        if k < parts {
            assert_eq!(next, vec![format!("{base}?phan={}", k + 1)]);
            assert_eq!(text(&page, "nav.parts a.next"), "Tiếp ▶");
            assert!(finish.is_empty(), "no finish before the last part");
            assert!(texts(&page, "a[rel=next]").is_empty());
            url = next[0].clone();
        } else {
            assert!(next.is_empty());
            assert_eq!(finish, vec![format!("{base}/xong")]);
            assert_eq!(text(&page, "section.finish button"), "Tôi đã học xong");
        }
    }
    let db = rusqlite::Connection::open(tb.data_dir.join("hocso.db")).unwrap();
    let opened: i64 = db
        .query_row(
            "SELECT COUNT(*) FROM events WHERE kind = 'lesson_opened' AND lesson_id = ?1",
            [&lesson.id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(opened, 1, "opened once, whatever parts were seen");

    // A part past the last is not there; a part that is not a number is the first.
    let response = phone.get(&format!("{base}?phan={}", parts + 1)).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let page = phone.page(&format!("{base}?phan=x"), StatusCode::OK).await;
    assert_eq!(text(&page, "nav.parts .where"), format!("Phần 1/{parts}"));

    // The whole lesson carries every part, the finish, and a way back to one part at a time.
    let whole = phone.page(&format!("{base}?phan=ca"), StatusCode::OK).await;
    assert_eq!(texts(&whole, "section.slide").len(), parts);
    assert!(texts(&whole, "nav.parts").is_empty());
    assert_eq!(attrs(&whole, "form[action$='/xong']", "action").len(), 1);
    assert_eq!(text(&whole, "p.away a"), "Xem từng phần");
}

/// "Tôi đã học xong" is confirmed ("Đã ghi nhận") before the quiz, on a page that can be
/// reloaded; before a finish that page sends the learner to the lesson's last part.
#[tokio::test]
async fn a_finish_is_confirmed_before_the_quiz() {
    let tb = TestBox::start().await;
    let mut phone = Phone::new(&tb);
    phone.join("Lò Thị Mai", "Bản Mới").await;
    let catalogue = catalogue();
    let lesson = catalogue
        .lessons()
        .find(|l| !l.versions.get(Lang::Vi).quiz.is_empty())
        .unwrap();
    let parts = lesson.versions.get(Lang::Vi).slides.len();
    let base = format!("/m/{}", lesson.id);

    let response = phone.get(&format!("{base}/xong")).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), format!("{base}?phan={parts}"));

    let last = phone
        .page(&format!("{base}?phan={parts}"), StatusCode::OK)
        .await;
    let id = attrs(&last, "form[action$='/xong'] input[name=id]", "value").remove(0);
    let response = phone
        .post_form(&format!("{base}/xong"), &[("id", &id)])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), format!("{base}/xong"));
    for _ in 0..2 {
        let done = phone.page(&format!("{base}/xong"), StatusCode::OK).await;
        assert_eq!(text(&done, "h1"), "✓ Đã ghi nhận");
        assert_eq!(
            attrs(&done, "main a.button:not(.quiet)", "href"),
            vec![format!("{base}/quiz")]
        );
        assert_eq!(text(&done, "main a.button:not(.quiet)"), "Làm bài kiểm tra");
    }
    // Signed out, the confirmation asks to sign in.
    let response = Phone::new(&tb).get(&format!("{base}/xong")).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/signin");
}
