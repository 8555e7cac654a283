//! Quizzes on the phone: no answers in the page, graded on the box, best score kept, a
//! certificate once a module is finished; each attempt asks its own questions in its own
//! order, the same on every reload.

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

/// How many questions one attempt at a lesson's quiz asks.
pub fn asked_per_attempt(lesson: &str) -> usize {
    let catalogue = catalogue();
    let lesson = catalogue.lesson(lesson).expect("lesson exists");
    lesson.versions.get(hocso::content::Lang::Vi).ask
}

/// A wrong choice for each question.
pub fn wrong_answers(lesson: &str) -> Vec<usize> {
    right_answers(lesson).iter().map(|a| (a + 1) % 2).collect()
}

/// A quiz attempt as its page shows it.
pub struct Shown {
    /// The page's address, with the attempt's id.
    pub path: String,
    pub page: Html,
    pub attempt: String,
    /// The questions asked (places in the quiz), in order.
    pub asked: Vec<usize>,
    /// Each question's choices (as the file numbers them), in the order shown.
    pub orders: Vec<Vec<usize>>,
}

impl Shown {
    /// The form's fields with `answer(question)` chosen for each question asked.
    pub fn fields(&self, answer: impl Fn(usize) -> usize) -> Vec<(String, String)> {
        let mut fields = vec![("attempt".to_string(), self.attempt.clone())];
        fields.extend(
            self.asked
                .iter()
                .map(|&q| (format!("q{q}"), answer(q).to_string())),
        );
        fields
    }
}

/// Opens `path` (a quiz's address, or one with an attempt), following the box to the
/// attempt's own address.
pub async fn open_quiz(phone: &mut Phone<'_>, path: &str) -> Shown {
    let mut path = path.to_string();
    let response = phone.get(&path).await;
    if response.status() == StatusCode::SEE_OTHER {
        path = location(&response);
        assert!(path.contains("/quiz?a="), "{path}");
    }
    let page = phone.page(&path, StatusCode::OK).await;
    let attempt = attrs(&page, "input[name=attempt]", "value").remove(0);
    let asked: Vec<usize> = attrs(&page, "fieldset[data-q]", "data-q")
        .iter()
        .map(|q| q.parse().unwrap())
        .collect();
    let orders = asked
        .iter()
        .map(|q| {
            attrs(&page, &format!("input[name=q{q}]"), "value")
                .iter()
                .map(|v| v.parse().unwrap())
                .collect()
        })
        .collect();
    Shown {
        path,
        page,
        attempt,
        asked,
        orders,
    }
}

async fn post(
    phone: &mut Phone<'_>,
    shown: &Shown,
    fields: &[(String, String)],
) -> reqwest::Response {
    let fields: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let response = phone.post_form(&shown.path, &fields).await;
    // A graded attempt is answered with a redirect to its result page (a GET).
    if response.status() == StatusCode::SEE_OTHER {
        let to = location(&response);
        let lesson = shown.path.split("/quiz").next().unwrap();
        assert_eq!(to, format!("{lesson}/ket-qua/{}", shown.attempt));
        return phone.get(&to).await;
    }
    response
}

/// Opens the quiz, answers each question asked with `answers[question]`, and returns the
/// result page's answer.
pub async fn answer(phone: &mut Phone<'_>, lesson: &str, answers: &[usize]) -> reqwest::Response {
    let shown = open_quiz(phone, &format!("/m/{lesson}/quiz")).await;
    let fields = shown.fields(|q| answers[q]);
    post(phone, &shown, &fields).await
}

/// Opens the quiz and answers its first asked question right, the others wrong.
async fn answer_one_right(phone: &mut Phone<'_>, lesson: &str) -> reqwest::Response {
    let shown = open_quiz(phone, &format!("/m/{lesson}/quiz")).await;
    let (right, wrong) = (right_answers(lesson), wrong_answers(lesson));
    let first = shown.asked[0];
    let fields = shown.fields(|q| if q == first { right[q] } else { wrong[q] });
    post(phone, &shown, &fields).await
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
        let shown = open_quiz(&mut phone, &format!("/m/{id}/quiz")).await;
        let response = phone.get(&shown.path).await;
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
        let version = catalogue
            .lesson(id)
            .unwrap()
            .versions
            .get(hocso::content::Lang::Vi);
        assert_eq!(texts(&page, "fieldset.question").len(), version.ask);
        assert!(
            version.ask < quiz.len(),
            "{id}: the lesson asks fewer than it has"
        );
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

    let response = answer_one_right(&mut phone, lesson).await;
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

    answer_one_right(&mut phone, lesson).await;
    let me = me_json(&mut phone).await;
    let quiz = quiz_of(&me, lesson);
    assert_eq!(
        (quiz["best"].as_u64(), quiz["total"].as_u64()),
        (Some(3), Some(3))
    );
    assert_eq!(quiz["attempts"], 3);
    assert!(quiz["passed_at"].is_string());
    let page = phone
        .page(&format!("/m/{lesson}?phan=ca"), StatusCode::OK)
        .await;
    assert!(text(&page, ".finish").contains("Điểm cao nhất: đúng 3/3 câu"));
}

#[tokio::test]
async fn a_form_sent_twice_counts_once() {
    let tb = TestBox::start().await;
    let mut phone = Phone::new(&tb);
    phone.join("Y Blim", "Buôn Đôn").await;
    let lesson = LESSONS[1];
    let shown = open_quiz(&mut phone, &format!("/m/{lesson}/quiz")).await;
    let fields = shown.fields(|_| 0);
    let before = tb.store().event_count().await.unwrap().events;
    for _ in 0..2 {
        assert_eq!(
            post(&mut phone, &shown, &fields).await.status(),
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

    // A question left out: the same attempt comes back, in the same order, with what was
    // picked, and a message.
    let shown = open_quiz(&mut phone, &path).await;
    let (a, b, c) = (shown.asked[0], shown.asked[1], shown.asked[2]);
    let mut fields = shown.fields(|_| 1);
    fields.retain(|(name, _)| *name != format!("q{b}"));
    let response = post(&mut phone, &shown, &fields).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let page = Html::parse_document(&response.text().await.unwrap());
    assert!(text(&page, ".note.error").contains("chưa trả lời"));
    assert_eq!(attrs(&page, "fieldset.missing", "data-q"), [b.to_string()]);
    assert_eq!(
        attrs(&page, "input[checked]", "name"),
        [format!("q{a}"), format!("q{c}")]
    );
    assert_eq!(
        attrs(&page, "input[type=radio]", "value"),
        attrs(&shown.page, "input[type=radio]", "value"),
        "the same order"
    );

    for fields in [
        &[("q0", "9"), ("q1", "0"), ("q2", "0")][..],
        &[("q0", "-1"), ("q1", "0"), ("q2", "0")],
        &[("q0", "a"), ("q1", "0"), ("q2", "0")],
        &[
            ("q0", "0"),
            ("q1", "0"),
            ("q2", "0"),
            ("q3", "0"),
            ("q7", "0"),
        ],
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
            format!("/m/{lesson}/xong"),
            "finishing leads to its confirmation, then the quiz"
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
    // Every lesson complete, its practice not yet done: no certificate, and the home page
    // sends the learner to the practice.
    assert!(!module.practice.is_empty());
    assert_eq!(phone.get(certificate).await.status(), StatusCode::NOT_FOUND);
    let me = me_json(&mut phone).await;
    assert_eq!(me["modules"][0]["practised"], 0);
    assert_eq!(me["next_practice"], module.practice[0].id.as_str());
    for practice in &module.practice {
        crate::practice::win(&mut phone, &practice.id).await;
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

#[tokio::test]
async fn an_attempt_keeps_its_order_on_reload_and_grading_follows_the_choice_not_its_place() {
    let tb = TestBox::start().await;
    let mut phone = Phone::new(&tb);
    phone.join("H'Ly Êban", "Buôn Đôn").await;
    let lesson = LESSONS[2];
    let right = right_answers(lesson);
    let quiz = format!("/m/{lesson}/quiz");

    let shown = open_quiz(&mut phone, &quiz).await;
    let again = open_quiz(&mut phone, &shown.path).await;
    assert_eq!(
        (&again.asked, &again.orders),
        (&shown.asked, &shown.orders),
        "a reload"
    );

    // New attempts ask other questions and show choices in other orders: where the right
    // choice sits changes, and grading does not care.
    let mut attempts = vec![shown];
    for _ in 0..11 {
        attempts.push(open_quiz(&mut phone, &quiz).await);
    }
    let places: std::collections::BTreeSet<usize> = attempts
        .iter()
        .flat_map(|a| {
            a.asked
                .iter()
                .zip(&a.orders)
                .map(|(&q, order)| order.iter().position(|&c| c == right[q]).unwrap())
        })
        .collect();
    assert!(
        places.len() >= 3,
        "the right choice sits in {places:?} only"
    );
    let asked: std::collections::BTreeSet<&Vec<usize>> =
        attempts.iter().map(|a| &a.asked).collect();
    assert!(asked.len() > 1, "every attempt asked {asked:?}");
    for shown in &attempts[..3] {
        let response = post(&mut phone, shown, &shown.fields(|q| right[q])).await;
        let page = Html::parse_document(&response.text().await.unwrap());
        assert_eq!(text(&page, ".score.passed"), "Đúng 3/3 câu");
    }
    assert_eq!(quiz_of(&me_json(&mut phone).await, lesson)["attempts"], 3);
}

#[tokio::test]
async fn trying_again_asks_the_question_left_out_in_a_new_order() {
    let tb = TestBox::start().await;
    let mut phone = Phone::new(&tb);
    phone.join("Y Sơn Niê", "Buôn Đôn").await;
    let lesson = LESSONS[0];
    let wrong = wrong_answers(lesson);
    let mut shown = open_quiz(&mut phone, &format!("/m/{lesson}/quiz")).await;
    for round in 0..4 {
        let response = post(&mut phone, &shown, &shown.fields(|q| wrong[q])).await;
        let page = Html::parse_document(&response.text().await.unwrap());
        let again = attrs(&page, ".actions a", "href")
            .into_iter()
            .find(|h| h.contains("/quiz?after="))
            .expect("a Làm lại link");
        assert_eq!(again, format!("/m/{lesson}/quiz?after={}", shown.attempt));
        let next = open_quiz(&mut phone, &again).await;
        assert_ne!(next.attempt, shown.attempt);
        let left_out = (0..4).find(|q| !shown.asked.contains(q)).unwrap();
        assert!(
            next.asked.contains(&left_out),
            "round {round}: {:?} then {:?}",
            shown.asked,
            next.asked
        );
        for (q, order) in next.asked.iter().zip(&next.orders) {
            if let Some(i) = shown.asked.iter().position(|x| x == q) {
                assert_ne!(
                    order, &shown.orders[i],
                    "round {round}: question {q} in the same order"
                );
            }
        }
        // The new attempt's address keeps it: a reload shows the same.
        let reload = open_quiz(&mut phone, &next.path).await;
        assert_eq!(
            (reload.asked.clone(), reload.orders.clone()),
            (next.asked.clone(), next.orders.clone())
        );
        shown = next;
    }
    assert_eq!(quiz_of(&me_json(&mut phone).await, lesson)["attempts"], 4);
}

/// A sent quiz is answered with a redirect to its result page, which a reload shows again
/// without sending anything; the page is the learner's own: another learner, or no one,
/// gets nothing of it.
#[tokio::test]
async fn the_result_page_survives_a_reload_and_is_the_learners_own() {
    let tb = TestBox::start().await;
    let mut phone = Phone::new(&tb);
    phone.join("Y Nguyên", "Buôn Đôn").await;
    let lesson = LESSONS[0];
    let shown = open_quiz(&mut phone, &format!("/m/{lesson}/quiz")).await;
    let right = right_answers(lesson);
    let fields = shown.fields(|q| right[q]);
    let fields: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let response = phone.post_form(&shown.path, &fields).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let result = location(&response);
    assert_eq!(result, format!("/m/{lesson}/ket-qua/{}", shown.attempt));
    let before = tb.store().event_count().await.unwrap().events;
    for _ in 0..2 {
        let page = phone.page(&result, StatusCode::OK).await;
        assert_eq!(text(&page, "h1"), "Kết quả");
        assert_eq!(text(&page, ".score.passed"), "Đúng 3/3 câu");
        assert_eq!(texts(&page, ".answers li.right").len(), 3);
    }
    assert_eq!(tb.store().event_count().await.unwrap().events, before);

    // Another learner, or a stranger, sees nothing of it.
    let mut other = Phone::new(&tb);
    other.join("Y Khoa", "Buôn Đôn").await;
    let response = other.get(&result).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let body = response.text().await.unwrap();
    let page = scraper::Html::parse_document(&body);
    assert!(
        !body.contains("Đúng 3/3")
            && text(&page, "h1") != "Kết quả"
            && texts(&page, ".score").is_empty(),
        "{body}"
    );
    let response = Phone::new(&tb).get(&result).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/signin");
    // An attempt at another lesson, or no attempt, is not found either.
    let elsewhere = format!("/m/{}/ket-qua/{}", LESSONS[1], shown.attempt);
    assert_eq!(phone.get(&elsewhere).await.status(), StatusCode::NOT_FOUND);
    let made_up = format!("/m/{lesson}/ket-qua/{}", uuid::Uuid::now_v7());
    assert_eq!(phone.get(&made_up).await.status(), StatusCode::NOT_FOUND);
    let nonsense = format!("/m/{lesson}/ket-qua/abc");
    assert_eq!(phone.get(&nonsense).await.status(), StatusCode::NOT_FOUND);
}
