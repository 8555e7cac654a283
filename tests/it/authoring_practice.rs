//! A practice scenario reworded in the commune, on a real box: a facilitator copies the fake
//! police call, puts the caller's words and a feedback in the village's words and publishes
//! it; a learner plays it at its own address with the new words and the same choices, and
//! finds it under its lesson. A text left empty is refused by the checker in Vietnamese and
//! never published; a second copy gets a name of its own.

use reqwest::StatusCode;

use crate::facilitators::set_up;
use crate::support::{Phone, TestBox, attrs, location, text, texts};
use hocso::content::Lang;

const SAYS: &str = "Alo, tôi là công an huyện Krông Bông. Ông Y Thuật phải chuyển 20 triệu vào tài khoản tạm giữ ngay hôm nay.";
const FEEDBACK: &str =
    "Đúng rồi. Công an xã mình không bao giờ gọi điện đòi tiền, bà con cứ cúp máy.";

#[tokio::test]
async fn a_facilitator_rewords_a_scenario_and_learners_play_it_with_the_same_choices() {
    let tb = TestBox::start().await;
    let mut f = set_up(&tb).await;
    let list = f.page("/f/bai-hoc", StatusCode::OK).await;
    assert!(texts(&list, "h2").contains(&"Thực hành của xã".to_string()));
    assert!(
        attrs(&list, "select[name=tu] option", "value")
            .contains(&"an-toan/cong-an-gia".to_string())
    );

    let copy = f
        .page("/f/thuc-hanh/moi?tu=an-toan/cong-an-gia", StatusCode::OK)
        .await;
    let labels = texts(&copy, "form.stack label").join("\n");
    assert!(labels.contains("Bước 1 · Lời người gọi"), "{labels}");
    assert!(
        labels.contains("Bước 1 · Lựa chọn 1 · Phản hồi"),
        "{labels}"
    );
    assert_eq!(texts(&copy, "textarea[name='step.0.says']").len(), 1);
    assert!(
        attrs(&copy, "input", "name")
            .iter()
            .all(|n| !n.ends_with("next") && !n.ends_with(".id"))
    );

    let made = f
        .post_f(
            "/f/thuc-hanh/moi",
            &[
                ("tu", "an-toan/cong-an-gia"),
                ("step.0.says", SAYS),
                ("step.0.choice.0.feedback", FEEDBACK),
                ("step.0.choice.0.next", "mat-tien"),
                ("action", "xuat-ban"),
            ],
        )
        .await;
    assert_eq!(made.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        location(&made),
        "/f/thuc-hanh/an-toan/cong-an-gia-cua-xa?luu=xuat-ban"
    );
    let edit = f
        .page("/f/thuc-hanh/an-toan/cong-an-gia-cua-xa", StatusCode::OK)
        .await;
    assert_eq!(text(&edit, "textarea[name='step.0.says']"), SAYS);
    assert!(texts(&edit, ".note.error").is_empty());

    // A learner plays it: the new words, the original's choices, leading the same way.
    let original = hocso::content::LessonTree::embedded();
    let (catalogue, _) = hocso::content::load(&original, &|n| n.to_string());
    let scenario = catalogue
        .practice("an-toan/cong-an-gia")
        .unwrap()
        .versions
        .get(Lang::Vi)
        .clone();
    let mut learner = Phone::new(&tb);
    learner.join("H'Hen Niê", "Buôn Ea Sol").await;
    let start = learner
        .page("/p/an-toan/cong-an-gia-cua-xa", StatusCode::OK)
        .await;
    assert_eq!(text(&start, "h1"), scenario.title);
    let begin = attrs(&start, ".actions a.button", "href")[0].clone();
    let step = learner.page(&begin, StatusCode::OK).await;
    let screen = texts(&step, "article [data-read]").join(" ");
    assert!(screen.contains("Krông Bông"), "{screen}");
    assert!(!screen.contains("Tài khoản của bà dính vào"), "{screen}");
    let shown = texts(&step, "button[name=choice]");
    assert_eq!(shown.len(), scenario.steps[0].choices.len());
    for (s, c) in shown.iter().zip(&scenario.steps[0].choices) {
        assert!(s.contains(&c.text), "{s} / {}", c.text);
    }
    let id = attrs(&step, "input[name=id][form]", "value")[0].clone();
    let chose = learner
        .post_form(&begin, &[("id", &id), ("choice", "0")])
        .await;
    let feedback = learner.page(&location(&chose), StatusCode::OK).await;
    assert!(text(&feedback, ".feedback.right").contains(FEEDBACK));
    assert_eq!(
        attrs(&feedback, "a.button", "href"),
        [format!("../{}", scenario.steps[0].choices[0].next)],
        "it leads where the original did"
    );
    // Listed with its lesson.
    let lesson = learner
        .page("/m/an-toan/cuoc-goi-lua-dao?phan=ca", StatusCode::OK)
        .await;
    assert!(
        attrs(&lesson, "a", "href")
            .iter()
            .any(|h| h.starts_with("/p/an-toan/cong-an-gia-cua-xa")),
        "the lesson links to the commune's scenario"
    );

    // A second copy gets a name of its own; a text left empty keeps it a draft.
    let again = f
        .post_f(
            "/f/thuc-hanh/moi",
            &[("tu", "an-toan/cong-an-gia"), ("action", "nhap")],
        )
        .await;
    assert_eq!(
        location(&again),
        "/f/thuc-hanh/an-toan/cong-an-gia-cua-xa-2?luu=luu"
    );
    let emptied = f
        .post_f(
            "/f/thuc-hanh/an-toan/cong-an-gia-cua-xa-2",
            &[("step.1.choice.0.feedback", ""), ("action", "xuat-ban")],
        )
        .await;
    assert_eq!(
        location(&emptied),
        "/f/thuc-hanh/an-toan/cong-an-gia-cua-xa-2?luu=con-loi"
    );
    let page = f
        .page("/f/thuc-hanh/an-toan/cong-an-gia-cua-xa-2", StatusCode::OK)
        .await;
    let said = texts(&page, ".field-error").join(" ");
    assert!(said.contains("Chỗ này còn để trống"), "{said}");
    assert!(text(&page, ".note.error").contains("Bước 2 · Lựa chọn 1 · Phản hồi"));
    let gone = learner.get("/p/an-toan/cong-an-gia-cua-xa-2").await;
    assert_eq!(
        gone.status(),
        StatusCode::NOT_FOUND,
        "a draft is not played"
    );

    // The published one is not changed into one with a problem.
    let refused = f
        .post_f(
            "/f/thuc-hanh/an-toan/cong-an-gia-cua-xa",
            &[("step.0.says", " "), ("action", "xuat-ban")],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let start = learner
        .page("/p/an-toan/cong-an-gia-cua-xa", StatusCode::OK)
        .await;
    assert_eq!(text(&start, "h1"), scenario.title);
    let step = learner.page(&begin, StatusCode::OK).await;
    assert!(
        texts(&step, "article [data-read]")
            .join(" ")
            .contains("Krông Bông")
    );

    // Deleted, it is no longer played.
    let deleted = f
        .post_f("/f/thuc-hanh/an-toan/cong-an-gia-cua-xa/xoa", &[])
        .await;
    assert_eq!(location(&deleted), "/f/bai-hoc");
    let gone = learner.get("/p/an-toan/cong-an-gia-cua-xa").await;
    assert_eq!(gone.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_rewording_form_fits_a_phone_and_publishes_without_javascript_trouble() {
    crate::browser::within_minutes(reword_on_a_phone()).await;
}

/// In real Chromium at 360×640: the list's section, the form and the saved page fit the
/// phone and pass axe-core. Screenshot: `f-scenario-editor.png`.
async fn reword_on_a_phone() {
    let Some(phone) = crate::browser::Browser::start(true).await else {
        return;
    };
    let axe = crate::browser::axe_source();
    let tb = TestBox::start().await;
    set_up(&tb).await;
    crate::browser::sign_in_facilitator(&phone, &tb, "Lê Thị Hoa", crate::facilitators::PASSWORD)
        .await;
    for path in ["/f/bai-hoc", "/f/thuc-hanh/moi?tu=an-toan/cong-an-gia"] {
        phone.open(&tb, path).await;
        phone.check_fits_phone().await;
        if let Some(axe) = axe.as_deref() {
            let violations = crate::browser::axe_violations(&phone, axe).await;
            assert!(violations.is_empty(), "{path}: {violations:#?}");
        }
    }
    phone.screenshot("f-scenario-editor").await;
    phone.tap("button[value=xuat-ban]").await;
    phone
        .wait_for_path("/f/thuc-hanh/an-toan/cong-an-gia-cua-xa")
        .await;
    phone.check_fits_phone().await;
}
