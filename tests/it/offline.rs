//! Weak Wi-Fi and lessons away from the box. The box's side of the offline queue: a "finished" press or a quiz sent twice (an answer lost on the
//! way, then the phone's offline queue sending it again) counts once; a phone whose clock is
//! years off does not write years-off times; a signed-in learner's pages carry the queue. A
//! module downloads as one file that needs nothing else, and prints as a handout.

use reqwest::StatusCode;
use serde_json::{Value, json};

use scraper::Html;

use crate::support::{Phone, TestBox, attrs, catalogue, text, texts};

#[tokio::test]
async fn a_finished_press_sent_again_by_the_queue_counts_once() {
    let tb = TestBox::start().await;
    let mut phone = Phone::new(&tb);
    phone.join("Hờ A Dế", "Bản Phìn").await;
    let page = phone
        .page("/m/dien-thoai/bat-dau?phan=ca", StatusCode::OK)
        .await;
    let form = "form[data-kind=lesson_finished]";
    assert_eq!(attrs(&page, form, "data-lesson"), ["dien-thoai/bat-dau"]);
    let id = attrs(&page, &format!("{form} input[name=id]"), "value").remove(0);
    assert!(uuid::Uuid::parse_str(&id).is_ok());
    // The signed-in page carries the learner and the box's time for the queue.
    assert_eq!(attrs(&page, "body", "data-learner").len(), 1);
    assert_eq!(
        attrs(&page, "#queue[hidden][role=status]", "data-waiting").len(),
        1
    );

    let before = tb.store().event_count().await.unwrap().events;
    // The form went, but its answer was lost: the script keeps it and sends it again.
    let response = phone
        .post_form("/m/dien-thoai/bat-dau/xong", &[("id", &id)])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let event = json!({ "id": id, "kind": "lesson_finished", "lesson": "dien-thoai/bat-dau",
        "at": "2099-01-01T00:00:00Z", "payload": {} });
    for _ in 0..3 {
        let answer: Value = phone
            .post_json("/api/v1/events", &json!({ "events": [event] }))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(answer["results"][0]["status"], "already_held");
    }
    // And the plain form pressed twice (a double tap) counts once too.
    phone
        .post_form("/m/dien-thoai/bat-dau/xong", &[("id", &id)])
        .await;
    assert_eq!(tb.store().event_count().await.unwrap().events, before + 1);
    // A form without an id (an old page) still records.
    phone
        .post_form("/m/dien-thoai/man-hinh-cam-ung/xong", &[])
        .await;
    phone
        .post_form(
            "/m/dien-thoai/man-hinh-cam-ung/xong",
            &[("id", "00000000-0000-0000-0000-000000000000")],
        )
        .await;
    assert_eq!(tb.store().event_count().await.unwrap().events, before + 3);
}

#[tokio::test]
async fn a_phone_clock_years_off_gets_the_boxs_time() {
    let tb = TestBox::start().await;
    let mut phone = Phone::new(&tb);
    phone.join("Lò Văn Pánh", "Bản Mòng").await;
    let now = time::OffsetDateTime::now_utc();
    // A right time: after this binary was built (a test's box was built a minute ago).
    let earlier = hocso::clock::built_at() + time::Duration::seconds(1);
    let sent = [
        ("dien-thoai/bat-dau", "1970-01-01T00:00:05Z".to_string()),
        (
            "dien-thoai/man-hinh-cam-ung",
            "2093-06-01T10:00:00+07:00".to_string(),
        ),
        (
            "dien-thoai/cai-ung-dung",
            earlier
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap(),
        ),
    ];
    let events: Vec<Value> = sent
        .iter()
        .map(|(lesson, at)| {
            json!({ "id": uuid::Uuid::now_v7().to_string(), "kind": "lesson_finished",
                "lesson": lesson, "at": at, "payload": {} })
        })
        .collect();
    let answer: Value = phone
        .post_json("/api/v1/events", &json!({ "events": events }))
        .await
        .json()
        .await
        .unwrap();
    assert!(
        answer["results"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["status"] == "stored"),
        "{answer}"
    );
    // The event keeps the time it happened (a lesson's progress keeps when it arrived).
    let db = rusqlite::Connection::open(tb.data_dir.join("hocso.db")).unwrap();
    let at = |id: &str| {
        let text: String = db
            .query_row(
                "SELECT at FROM events WHERE lesson_id = ?1 AND kind = 'lesson_finished'",
                [id],
                |row| row.get(0),
            )
            .unwrap();
        time::OffsetDateTime::parse(&text, &time::format_description::well_known::Rfc3339).unwrap()
    };
    for id in ["dien-thoai/bat-dau", "dien-thoai/man-hinh-cam-ung"] {
        let off = (at(id) - now).abs();
        assert!(off < time::Duration::minutes(5), "{id}: {}", at(id));
    }
    assert_eq!(at("dien-thoai/cai-ung-dung"), earlier);
}

#[tokio::test]
async fn large_text_and_high_contrast_are_remembered_per_phone() {
    let tb = TestBox::start().await;
    let mut phone = Phone::new(&tb);
    let page = phone.page("/", StatusCode::OK).await;
    assert_eq!(attrs(&page, "html", "class"), Vec::<String>::new());
    let links = attrs(&page, "header .aa nav a", "href");
    assert_eq!(links, ["?chu=to", "?mau=cao"]);

    phone.page("/?chu=to", StatusCode::OK).await;
    let page = phone.page("/m/dien-thoai", StatusCode::OK).await;
    assert_eq!(attrs(&page, "html", "class"), ["large"]);
    phone.page("/m/dien-thoai?mau=cao", StatusCode::OK).await;
    let page = phone.page("/", StatusCode::OK).await;
    assert_eq!(attrs(&page, "html", "class"), ["large contrast"]);
    assert_eq!(
        attrs(&page, "header .aa nav a.on", "href"),
        ["?chu=thuong", "?mau=thuong"]
    );
    // Another phone is not touched.
    let page = Phone::new(&tb).page("/", StatusCode::OK).await;
    assert_eq!(attrs(&page, "html", "class"), Vec::<String>::new());
    // A made-up value gets a plain page, changes nothing, and the box goes on.
    let page = phone.page("/?chu=khong-lo", StatusCode::BAD_REQUEST).await;
    assert_eq!(attrs(&page, "html", "class"), ["large contrast"]);
    phone.page("/?chu=thuong&mau=thuong", StatusCode::OK).await;
    let page = phone.page("/", StatusCode::OK).await;
    assert_eq!(attrs(&page, "html", "class"), Vec::<String>::new());
}

#[tokio::test]
async fn a_module_downloads_as_one_file_that_needs_nothing_else() {
    let tb = TestBox::start().await;
    let module = tb.page("/m/dien-thoai", StatusCode::OK).await;
    assert_eq!(
        attrs(&module, ".away a[download]", "href"),
        ["/m/dien-thoai/tai-ve"]
    );
    assert_eq!(
        attrs(&module, ".away a[download]", "download"),
        ["hocso-dien-thoai.html"]
    );
    let response = tb.get("/m/dien-thoai/tai-ve").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()["content-disposition"],
        "attachment; filename=\"hocso-dien-thoai.html\""
    );
    let html = response.text().await.unwrap();
    let file = Html::parse_document(&html);
    // Nothing points back at the box: styles and script inside, pictures as data: URLs.
    assert!(attrs(&file, "link", "href").is_empty());
    assert!(attrs(&file, "script[src]", "src").is_empty());
    assert!(texts(&file, "style")[0].contains(".self-check"));
    let pictures = attrs(&file, "img", "src");
    assert!(pictures.len() >= 5, "{}", pictures.len());
    assert!(
        pictures
            .iter()
            .all(|src| src.starts_with("data:image/svg+xml;base64,"))
    );
    for href in attrs(&file, "a", "href") {
        assert!(href.starts_with('#'), "{href}");
    }
    // Every lesson, and its quiz with only a hash of the right choice.
    let catalogue = catalogue();
    let lessons = &catalogue.module("dien-thoai").unwrap().lessons;
    let titles = texts(&file, "article.handout > h2");
    assert_eq!(titles.len(), lessons.len());
    for lesson in lessons {
        let title = &lesson.heading(hocso::content::Lang::Vi).title;
        assert!(titles.contains(title), "{title}");
        let quiz = &lesson.versions.get(hocso::content::Lang::Vi).quiz;
        let section = format!(".self-check[data-lesson='{}'] fieldset", lesson.id);
        let hashes = attrs(&file, &section, "data-right");
        assert_eq!(hashes.len(), quiz.len(), "{}", lesson.id);
        for (i, question) in quiz.iter().enumerate() {
            let right = hocso::web::pages::take_home::choice_hash(&lesson.id, i, question.answer);
            assert_eq!(hashes[i], right);
            let other = (question.answer + 1) % question.choices.len();
            assert_ne!(
                hashes[i],
                hocso::web::pages::take_home::choice_hash(&lesson.id, i, other)
            );
        }
    }
    // It is small enough for a cheap phone's storage and a weak link.
    assert!(html.len() < 300_000, "{} bytes", html.len());
    assert_eq!(
        tb.get("/m/khong-co/tai-ve").await.status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn lessons_and_modules_print_as_handouts_without_answers() {
    let tb = TestBox::start().await;
    let lesson = tb.page("/m/dien-thoai/bat-dau", StatusCode::OK).await;
    assert_eq!(
        attrs(&lesson, ".away a", "href"),
        ["/m/dien-thoai/bat-dau?phan=ca", "/m/dien-thoai/bat-dau/in"]
    );
    let catalogue = catalogue();
    let bat_dau = catalogue.lesson("dien-thoai/bat-dau").unwrap();
    let version = bat_dau.versions.get(hocso::content::Lang::Vi);

    let handout = tb.page("/m/dien-thoai/bat-dau/in", StatusCode::OK).await;
    assert_eq!(
        text(&handout, "h1"),
        bat_dau.heading(hocso::content::Lang::Vi).title
    );
    assert_eq!(
        texts(&handout, "article .slide").len(),
        version.slides.len()
    );
    let questions = texts(&handout, ".paper-quiz p.q");
    assert_eq!(questions.len(), version.quiz.len());
    let boxes = texts(&handout, ".paper-quiz ul.boxes li");
    assert_eq!(
        boxes.len(),
        version.quiz.iter().map(|q| q.choices.len()).sum::<usize>()
    );
    assert!(boxes.iter().all(|b| b.starts_with('☐')));
    // No right answer, no explanation (explanations give it away), no form to send.
    assert!(attrs(&handout, "[data-right]", "data-right").is_empty());
    assert!(texts(&handout, ".explain").is_empty());
    assert!(attrs(&handout, "form", "action").is_empty());

    let module = tb.page("/m/dien-thoai/in", StatusCode::OK).await;
    let lessons = &catalogue.module("dien-thoai").unwrap().lessons;
    assert_eq!(texts(&module, "article.handout > h2").len(), lessons.len());
    tb.page("/m/dien-thoai/khong-co/in", StatusCode::NOT_FOUND)
        .await;
}

#[tokio::test]
async fn a_modules_file_plays_its_scenarios_from_links_alone() {
    let tb = TestBox::start().await;
    let catalogue = catalogue();
    let module = catalogue.module("dich-vu-so").unwrap();
    assert!(module.practice.len() >= 2);
    let html = tb.get("/m/dich-vu-so/tai-ve").await.text().await.unwrap();
    let file = Html::parse_document(&html);
    // Nothing asks the box: no style sheet, script, picture or form to fetch or send.
    assert!(attrs(&file, "link", "href").is_empty());
    assert!(attrs(&file, "script[src]", "src").is_empty());
    assert!(attrs(&file, "form[action]", "action").is_empty());
    assert!(
        attrs(&file, "img", "src")
            .iter()
            .all(|src| src.starts_with("data:"))
    );
    // Every link of a scenario is to a part of the file that is there.
    let ids = attrs(&file, "[id]", "id");
    for href in attrs(&file, "article.take-practice a, nav a", "href") {
        let target = href.strip_prefix('#').unwrap_or_else(|| panic!("{href}"));
        assert!(ids.iter().any(|id| id == target), "{href} leads nowhere");
    }
    // Nothing is recorded, and the file says so.
    assert!(text(&file, "main > p.note").contains("bài thực hành không được lưu"));
    assert_eq!(
        attrs(&file, "nav a[href^='#thuc-hanh-']", "href").len(),
        module.practice.len()
    );
    let vi = hocso::content::Lang::Vi;
    for (n, practice) in module.practice.iter().enumerate() {
        let n = n + 1;
        let scenario = practice.versions.get(vi);
        let at = |part: &str| format!("#th{n}_{part}");
        assert_eq!(text(&file, &format!("#thuc-hanh-{n} > h2")), scenario.title);
        // The first step is shown when none is named: it is the one `.sc-first`, the last part.
        let first = &scenario.steps[0];
        assert_eq!(
            attrs(&file, &format!("#thuc-hanh-{n} .sc-first"), "id"),
            [at(&first.id)[1..].to_string()]
        );
        assert_eq!(
            attrs(&file, &format!("#thuc-hanh-{n} .sc-part:last-child"), "id"),
            [at(&first.id)[1..].to_string()]
        );
        for step in &scenario.steps {
            let section = at(&step.id);
            assert_eq!(text(&file, &format!("{section} .ask .q")), step.ask);
            assert_eq!(
                attrs(&file, &format!("{section} .phone"), "role"),
                ["group"]
            );
            let links = attrs(&file, &format!("{section} a.choice-link"), "href");
            let shown = texts(&file, &format!("{section} a.choice-link"));
            assert_eq!(shown.len(), step.choices.len(), "{}", step.id);
            for (i, choice) in step.choices.iter().enumerate() {
                assert_eq!(shown[i], choice.text);
                // Its feedback, marked right or not, and the way on.
                let feedback = &links[i];
                assert_eq!(*feedback, at(&format!("{}_{i}", step.id)));
                let said = text(&file, &format!("{feedback} .feedback"));
                assert!(said.contains(&choice.feedback), "{said}");
                let mark = if choice.right {
                    "✓ Đúng"
                } else {
                    "✗ Chưa đúng"
                };
                assert!(said.starts_with(mark), "{said}");
                assert_eq!(
                    attrs(&file, &format!("{feedback} a.button"), "href"),
                    [at(&choice.next)]
                );
            }
            if let Some(input) = &step.input {
                // With script, a box checked as the box checks it; without, a link on.
                let form = format!("{section} form.sc-typed[hidden]");
                assert_eq!(attrs(&file, &form, "data-expect"), [input.expect.as_str()]);
                assert_eq!(attrs(&file, &form, "data-next"), [at(&input.next)]);
                assert_eq!(
                    text(&file, &format!("{form} .field-error[hidden]")),
                    input.error
                );
                assert_eq!(
                    attrs(&file, &format!("{section} .sc-type-link a"), "href"),
                    [at(&input.next)]
                );
                assert_eq!(
                    text(&file, &format!("{section} .sc-type-link a")),
                    format!("Gõ: {}", input.expect)
                );
            }
        }
        for end in &scenario.ends {
            let section = at(&end.id);
            let said = text(&file, &format!("{section} .end"));
            assert!(said.contains(&end.text), "{said}");
            let title = if end.win {
                "✓ Bà con đã giữ an toàn!"
            } else {
                "Lần này bị lừa rồi"
            };
            assert!(said.starts_with(title), "{said}");
            assert_eq!(text(&file, &format!("{section} a.button")), "Làm lại");
            assert_eq!(
                attrs(&file, &format!("{section} a.button"), "href"),
                [at(&first.id)]
            );
        }
    }
    assert!(html.len() < 300_000, "{} bytes", html.len());
}

#[tokio::test]
async fn a_modules_handout_prints_its_scenarios_along_the_careful_path_with_a_key() {
    let tb = TestBox::start().await;
    let catalogue = catalogue();
    let module = catalogue.module("dich-vu-so").unwrap();
    let page = tb.page("/m/dich-vu-so/in", StatusCode::OK).await;
    let vi = hocso::content::Lang::Vi;
    let exercises = scraper::Selector::parse("article.exercise").unwrap();
    let exercises: Vec<Html> = page
        .select(&exercises)
        .map(|e| Html::parse_fragment(&e.html()))
        .collect();
    assert_eq!(exercises.len(), module.practice.len());
    let mut key_steps = 0;
    for (practice, exercise) in module.practice.iter().zip(&exercises) {
        let scenario = practice.versions.get(vi);
        let (path, end) = scenario.careful_path();
        assert!(end.is_some_and(|e| e.win), "{}", practice.id);
        assert_eq!(text(exercise, "h2"), scenario.title);
        assert_eq!(text(exercise, "p.lead"), scenario.intro);
        // Each step of the careful path: its screen, its question, boxes to tick or a line.
        let asks: Vec<&str> = path.iter().map(|s| s.ask.as_str()).collect();
        assert_eq!(texts(exercise, "li.exercise-step p.q"), asks);
        assert_eq!(texts(exercise, "li.exercise-step .phone").len(), path.len());
        let boxes = texts(exercise, "li.exercise-step ul.boxes li");
        let choices: Vec<String> = path
            .iter()
            .flat_map(|s| s.choices.iter().map(|c| format!("☐ {}", c.text)))
            .collect();
        assert_eq!(boxes, choices);
        let typed = path.iter().filter(|s| s.input.is_some()).count();
        assert!(typed > 0 || practice.id != "dich-vu-so/dang-ky-khai-sinh");
        assert_eq!(texts(exercise, ".write-line").len(), typed);
        // No answer among the questions, nothing to send.
        assert!(texts(exercise, ".why, .key-choice, .feedback").is_empty());
        key_steps += path.len();
    }
    // The key, on its own part after the exercises: each careful step's right choices and
    // why, or the value to type.
    assert_eq!(
        texts(&page, ".answer-key h2"),
        ["Đáp án cho người hướng dẫn"]
    );
    assert!(text(&page, ".answer-key .cut-here").starts_with('✂'));
    assert_eq!(texts(&page, ".answer-key ol.key > li").len(), key_steps);
    let key = text(&page, ".answer-key");
    for practice in &module.practice {
        let scenario = practice.versions.get(vi);
        let (path, end) = scenario.careful_path();
        for step in path {
            let right: Vec<_> = step.choices.iter().filter(|c| c.right).collect();
            for choice in &right {
                assert!(key.contains(&format!("☑ {} — {}", choice.text, choice.feedback)));
            }
            if let (true, Some(input)) = (right.is_empty(), &step.input) {
                assert!(key.contains(&format!("Gõ: {}", input.expect)));
            }
        }
        assert!(key.contains(&end.unwrap().text));
    }
    assert!(attrs(&page, "form", "action").is_empty());
    // A module without scenarios prints no key.
    let other = catalogue.modules.iter().find(|m| m.practice.is_empty());
    if let Some(other) = other {
        let page = tb
            .page(&format!("/m/{}/in", other.id), StatusCode::OK)
            .await;
        assert!(texts(&page, ".answer-key, article.exercise").is_empty());
    }
}

#[test]
fn every_scenarios_careful_path_is_the_right_way_to_a_success() {
    for practice in catalogue().practices() {
        for lang in [hocso::content::Lang::Vi, hocso::content::Lang::En] {
            let scenario = practice.versions.pick(lang).1;
            let (path, end) = scenario.careful_path();
            assert!(end.is_some_and(|e| e.win), "{}", practice.id);
            for (k, step) in path.iter().enumerate() {
                let next = path
                    .get(k + 1)
                    .map_or(end.unwrap().id.as_str(), |s| s.id.as_str());
                let careful = step
                    .choices
                    .iter()
                    .find(|c| c.right)
                    .map(|c| c.next.as_str())
                    .or(step.input.as_ref().map(|i| i.next.as_str()));
                assert_eq!(careful, Some(next), "{} {}", practice.id, step.id);
            }
        }
    }
}
