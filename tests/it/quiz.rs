//! Quizzes on the phone: no answers in the page, graded on the box, best score kept, a
//! certificate once a module is finished.

use reqwest::StatusCode;
use scraper::Html;

use crate::support::{Phone, TestBox, attrs, catalogue, location, text, texts};

const LESSONS: [&str; 3] = [
    "dien-thoai/bat-dau",
    "dien-thoai/man-hinh-cam-ung",
    "dien-thoai/cai-dat-co-ban",
];

/// The right choice of each question of a lesson's quiz, counted from 0.
pub fn right_answers(lesson: &str) -> Vec<usize> {
    let catalogue = catalogue();
    let lesson = catalogue.lesson(lesson).expect("lesson exists");
    lesson
        .versions
        .get(hocso::content::Lang::Vi)
        .quiz
        .iter()
        .map(|q| q.answer)
        .collect()
}

/// A wrong choice for each question.
pub fn wrong_answers(lesson: &str) -> Vec<usize> {
    right_answers(lesson).iter().map(|a| (a + 1) % 2).collect()
}

/// Opens the quiz, answers it with `answers`, and returns the result page's answer.
pub async fn answer(phone: &mut Phone<'_>, lesson: &str, answers: &[usize]) -> reqwest::Response {
    let path = format!("/m/{lesson}/quiz");
    let form = phone.page(&path, StatusCode::OK).await;
    let attempt = attrs(&form, "input[name=attempt]", "value").remove(0);
    let mut fields = vec![("attempt".to_string(), attempt)];
    fields.extend(
        answers
            .iter()
            .enumerate()
            .map(|(i, a)| (format!("q{i}"), a.to_string())),
    );
    let fields: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    phone.post_form(&path, &fields).await
}

async fn me_json(phone: &mut Phone<'_>) -> serde_json::Value {
    let response = phone.get("/api/v1/me").await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

fn quiz_of<'a>(me: &'a serde_json::Value, lesson: &str) -> &'a serde_json::Value {
    let lessons = me["lessons"].as_array().unwrap();
    &lessons.iter().find(|l| l["id"] == lesson).unwrap()["quiz"]
}

#[tokio::test]
async fn the_quiz_page_holds_no_answers_and_works_without_script() {
    let tb = TestBox::start().await;
    let mut phone = Phone::new(&tb);
    phone.join("Y Nhi", "Buôn Đôn").await;
    let catalogue = catalogue();
    for id in LESSONS {
        let response = phone.get(&format!("/m/{id}/quiz")).await;
        assert_eq!(response.status(), StatusCode::OK);
        let html = response.text().await.unwrap();
        let page = Html::parse_document(&html);
        // The one script is the offline queue, deferred; the form posts without it.
        let scripts = attrs(&page, "script", "src");
        assert_eq!(scripts.len(), 1, "{id}");
        assert!(scripts[0].starts_with("/assets/offline."), "{id}");
        assert_eq!(attrs(&page, "form.quiz", "method"), ["post"]);
        let quiz = &catalogue
            .lesson(id)
            .unwrap()
            .versions
            .get(hocso::content::Lang::Vi)
            .quiz;
        assert_eq!(texts(&page, "fieldset.question").len(), quiz.len());
        for question in quiz {
            assert!(
                !html.contains(&question.explain),
                "{id}: an explanation is in the page"
            );
        }
        // Every choice looks the same: a name, a value, nothing else.
        let selector = scraper::Selector::parse("input[type=radio]").unwrap();
        for input in page.select(&selector) {
            let mut names: Vec<&str> = input.value().attrs().map(|(k, _)| k).collect();
            names.sort();
            assert_eq!(names, ["name", "required", "type", "value"], "{id}");
        }
    }
}

#[tokio::test]
async fn answers_are_graded_on_the_box_and_the_best_score_counts() {
    let tb = TestBox::start().await;
    let mut phone = Phone::new(&tb);
    phone.join("A Thắng", "Làng Kon Kơ Tu").await;
    let lesson = LESSONS[0];
    let right = right_answers(lesson);
    let mut one_right = wrong_answers(lesson);
    one_right[0] = right[0];

    let response = answer(&mut phone, lesson, &one_right).await;
    assert_eq!(response.status(), StatusCode::OK);
    let page = Html::parse_document(&response.text().await.unwrap());
    assert_eq!(text(&page, ".score"), "Đúng 1/3 câu");
    assert!(text(&page, "main").contains("Chưa đạt"));
    assert_eq!(texts(&page, ".answers li.right").len(), 1);
    assert_eq!(texts(&page, ".answers li.wrong").len(), 2);
    assert_eq!(
        texts(&page, ".answers .explain").len(),
        3,
        "each answer says why"
    );
    assert!(
        texts(&page, ".answers li.wrong")
            .iter()
            .all(|t| t.contains("Câu đúng là"))
    );

    let response = answer(&mut phone, lesson, &right).await;
    let page = Html::parse_document(&response.text().await.unwrap());
    assert_eq!(text(&page, ".score.passed"), "Đúng 3/3 câu");
    assert!(attrs(&page, ".actions a", "href").contains(&"/m/dien-thoai/man-hinh-cam-ung".into()));

    answer(&mut phone, lesson, &one_right).await;
    let me = me_json(&mut phone).await;
    let quiz = quiz_of(&me, lesson);
    assert_eq!(
        (quiz["best"].as_u64(), quiz["total"].as_u64()),
        (Some(3), Some(3))
    );
    assert_eq!(quiz["attempts"], 3);
    assert!(quiz["passed_at"].is_string());
    let page = phone.page(&format!("/m/{lesson}"), StatusCode::OK).await;
    assert!(text(&page, ".finish").contains("Điểm cao nhất: đúng 3/3 câu"));
}

#[tokio::test]
async fn a_form_sent_twice_counts_once() {
    let tb = TestBox::start().await;
    let mut phone = Phone::new(&tb);
    phone.join("Y Blim", "Buôn Đôn").await;
    let lesson = LESSONS[1];
    let path = format!("/m/{lesson}/quiz");
    let form = phone.page(&path, StatusCode::OK).await;
    let attempt = attrs(&form, "input[name=attempt]", "value").remove(0);
    let fields = [
        ("attempt", attempt.as_str()),
        ("q0", "0"),
        ("q1", "0"),
        ("q2", "0"),
    ];
    let before = tb.store().event_count().await.unwrap().events;
    for _ in 0..2 {
        assert_eq!(
            phone.post_form(&path, &fields).await.status(),
            StatusCode::OK
        );
    }
    assert_eq!(tb.store().event_count().await.unwrap().events, before + 1);
    assert_eq!(quiz_of(&me_json(&mut phone).await, lesson)["attempts"], 1);
}

#[tokio::test]
async fn unanswered_and_impossible_answers_store_nothing() {
    let tb = TestBox::start().await;
    let mut phone = Phone::new(&tb);
    phone.join("Y Ruê", "Buôn Đôn").await;
    let path = format!("/m/{}/quiz", LESSONS[0]);
    let before = tb.store().event_count().await.unwrap().events;

    // A question left out: the form comes back with what was picked, and a message.
    let response = phone.post_form(&path, &[("q0", "1"), ("q2", "0")]).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let page = Html::parse_document(&response.text().await.unwrap());
    assert!(text(&page, ".note.error").contains("chưa trả lời"));
    assert_eq!(attrs(&page, "fieldset.missing", "class").len(), 1);
    assert_eq!(attrs(&page, "input[checked]", "name"), ["q0", "q2"]);

    for fields in [
        &[("q0", "9"), ("q1", "0"), ("q2", "0")][..],
        &[("q0", "-1"), ("q1", "0"), ("q2", "0")],
        &[("q0", "a"), ("q1", "0"), ("q2", "0")],
        &[("q0", "0"), ("q1", "0"), ("q2", "0"), ("q7", "0")],
    ] {
        let response = phone.post_form(&path, fields).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{fields:?}");
        let page = Html::parse_document(&response.text().await.unwrap());
        assert_eq!(text(&page, "h1"), "Yêu cầu không hợp lệ");
    }
    assert_eq!(tb.store().event_count().await.unwrap().events, before);
    assert!(quiz_of(&me_json(&mut phone).await, LESSONS[0]).is_null());

    // Not signed in: sent to sign in, nothing graded.
    let mut stranger = Phone::new(&tb);
    let response = stranger
        .post_form(&path, &[("q0", "0"), ("q1", "0"), ("q2", "0")])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/signin");
    let response = phone.get("/m/dien-thoai/khong-co/quiz").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_certificate_appears_only_when_the_module_is_finished() {
    let tb = TestBox::start().await;
    tb.store()
        .set_setting("commune_name", "Xã Ea Sol")
        .await
        .unwrap();
    let mut phone = Phone::new(&tb);
    phone.join("H'Hen Niê", "Buôn Ea Sol").await;
    let certificate = "/me/certificate/dien-thoai";

    let catalogue = catalogue();
    let module = catalogue.module("dien-thoai").unwrap();
    for (i, lesson) in module.lessons.iter().map(|l| l.id.as_str()).enumerate() {
        let response = phone.post_form(&format!("/m/{lesson}/xong"), &[]).await;
        assert_eq!(
            location(&response),
            format!("/m/{lesson}/quiz"),
            "finishing leads to the quiz"
        );
        // Reading is not enough: the quiz must be passed.
        let me = phone.page("/me", StatusCode::OK).await;
        assert!(
            attrs(&me, "a", "href").iter().all(|h| h != certificate),
            "after lesson {i}"
        );
        assert_eq!(phone.get(certificate).await.status(), StatusCode::NOT_FOUND);
        answer(&mut phone, lesson, &wrong_answers(lesson)).await;
        assert_eq!(phone.get(certificate).await.status(), StatusCode::NOT_FOUND);
        answer(&mut phone, lesson, &right_answers(lesson)).await;
    }
    let me = phone.page("/me", StatusCode::OK).await;
    assert!(attrs(&me, "a", "href").iter().any(|h| h == certificate));
    assert!(text(&me, ".finished").starts_with("✓ Hoàn thành ngày"));
    let page = phone.page(certificate, StatusCode::OK).await;
    assert_eq!(text(&page, ".certificate .name"), "H'Hen Niê");
    assert!(text(&page, ".certificate").contains("Buôn Ea Sol"));
    assert_eq!(
        text(&page, ".certificate .module"),
        "Làm quen với điện thoại thông minh"
    );
    assert!(text(&page, ".certificate .date").starts_with("Xã Ea Sol, ngày "));
    let me = me_json(&mut phone).await;
    assert_eq!(me["finished_modules"], serde_json::json!(["dien-thoai"]));

    // Nobody else sees it: another learner's own certificate page is not found.
    let mut other = Phone::new(&tb);
    other.join("Y Wang", "Buôn Ea Sol").await;
    assert_eq!(other.get(certificate).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        Phone::new(&tb).get(certificate).await.status(),
        StatusCode::SEE_OTHER
    );
}
