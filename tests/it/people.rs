//! Learners and groups for facilitators: registering a villager without a phone, finding,
//! correcting, a new PIN, and groups with their members.

use reqwest::StatusCode;

use crate::facilitators::set_up;
use crate::support::{Phone, TestBox, location, text, texts};

/// The learner id a `/f/learners/{id}…` redirect names.
fn learner_id(location: &str) -> String {
    let rest = location.strip_prefix("/f/learners/").expect(location);
    rest.split('?').next().unwrap().to_string()
}

#[tokio::test]
async fn a_facilitator_registers_finds_and_corrects_learners() {
    let tb = TestBox::start().await;
    let mut f = set_up(&tb).await;
    let mut phone = Phone::new(&tb);
    phone.join("Nguyễn Văn An", "Buôn Đôn").await;

    // A mistake is said, and nothing is stored.
    let before = tb.store().event_count().await.unwrap().events;
    let bad = f
        .post_f(
            "/f/learners/new",
            &[("display_name", " "), ("village", "Buôn Đôn")],
        )
        .await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    let page = scraper::Html::parse_document(&bad.text().await.unwrap());
    assert!(text(&page, ".error-text").contains("⚠"));
    assert_eq!(tb.store().event_count().await.unwrap().events, before);

    // A villager with no phone: registered from the facilitator's browser, which stays the
    // facilitator's (no learner session).
    let made = f
        .post_f(
            "/f/learners/new",
            &[
                ("display_name", "Y Moan"),
                ("village", "Buôn Đôn"),
                ("birth_year", "1961"),
                ("gender", "nam"),
                ("ethnic_group", "Ê Đê"),
                ("optional_consent", "1"),
                ("secret_kind", "pin"),
                ("pin", "1234"),
            ],
        )
        .await;
    assert_eq!(made.status(), StatusCode::SEE_OTHER);
    assert!(
        f.cookie.is_none(),
        "the facilitator's browser signs nobody in"
    );
    let moan = learner_id(&location(&made));
    let page = f.page(&location(&made), StatusCode::OK).await;
    assert_eq!(text(&page, "h1"), "Y Moan");
    assert!(text(&page, "[role=status]").contains("Đã ghi danh"));

    // Search without accents, by village.
    let page = f.page("/f/learners?q=an", StatusCode::OK).await;
    assert_eq!(
        texts(&page, "table.list tbody td:first-child"),
        ["Nguyễn Văn An"]
    );
    let page = f
        .page(
            "/f/learners?q=&village=Bu%C3%B4n%20%C4%90%C3%B4n",
            StatusCode::OK,
        )
        .await;
    assert_eq!(texts(&page, "table.list tbody tr").len(), 2);

    // Correcting: a bad year is said; a good correction is kept, with an event.
    let path = format!("/f/learners/{moan}");
    let bad = f
        .post_f(
            &path,
            &[
                ("display_name", "Y Moan Niê"),
                ("village", "Buôn Đôn"),
                ("birth_year", "61"),
                ("optional_consent", "1"),
            ],
        )
        .await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        tb.store()
            .learner(&moan)
            .await
            .unwrap()
            .unwrap()
            .display_name,
        "Y Moan"
    );
    let events = tb.store().event_count().await.unwrap().events;
    let ok = f
        .post_f(
            &path,
            &[
                ("display_name", "Y Moan Niê"),
                ("village_new", "buon don"),
                ("birth_year", "1962"),
                ("ethnic_group", "Ê Đê"),
                ("optional_consent", "1"),
            ],
        )
        .await;
    assert_eq!(ok.status(), StatusCode::SEE_OTHER);
    let learner = tb.store().learner(&moan).await.unwrap().unwrap();
    assert_eq!(learner.display_name, "Y Moan Niê");
    assert_eq!(
        learner.village, "Buôn Đôn",
        "the typed village meets the known one"
    );
    assert_eq!(learner.birth_year, Some(1962));
    assert_eq!(learner.gender, None);
    assert_eq!(tb.store().event_count().await.unwrap().events, events + 1);

    // An unknown learner is a 404 page.
    f.page("/f/learners/0197-nobody", StatusCode::NOT_FOUND)
        .await;
}

#[tokio::test]
async fn a_new_pin_signs_the_learner_out_and_then_works() {
    let tb = TestBox::start().await;
    let mut f = set_up(&tb).await;
    let mut phone = Phone::new(&tb);
    phone.join("Nguyễn Văn An", "Buôn Đôn").await;
    let an = tb.store().all_learners().await.unwrap().remove(0).id;

    let bad = f
        .post_f(
            &format!("/f/learners/{an}/pin"),
            &[("action", "pin"), ("pin", "12a4")],
        )
        .await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    let ok = f
        .post_f(
            &format!("/f/learners/{an}/pin"),
            &[("action", "pin"), ("pin", "4321")],
        )
        .await;
    assert_eq!(ok.status(), StatusCode::SEE_OTHER);

    let me = phone.get("/me").await;
    assert_eq!(
        me.status(),
        StatusCode::SEE_OTHER,
        "the old session has ended"
    );
    let wrong = phone
        .post_form(&format!("/signin/{an}"), &[("pin", "1234")])
        .await;
    assert_eq!(wrong.status(), StatusCode::BAD_REQUEST);
    let right = phone
        .post_form(&format!("/signin/{an}"), &[("pin", "4321")])
        .await;
    assert_eq!(right.status(), StatusCode::SEE_OTHER);
    phone.page("/me", StatusCode::OK).await;
}

#[tokio::test]
async fn groups_are_made_once_and_hold_the_learners_put_in_them() {
    let tb = TestBox::start().await;
    let mut f = set_up(&tb).await;
    for (name, village) in [
        ("Nguyễn Văn An", "Buôn Đôn"),
        ("H'Hen Niê", "Buôn Trấp"),
        ("Y Sơn", "Buôn Đôn"),
    ] {
        Phone::new(&tb).join(name, village).await;
    }
    let ids: Vec<String> = tb
        .store()
        .all_learners()
        .await
        .unwrap()
        .into_iter()
        .map(|l| l.id)
        .collect();

    let made = f
        .post_f("/f/groups", &[("name", " Lớp tối  thứ Ba ")])
        .await;
    assert_eq!(made.status(), StatusCode::SEE_OTHER);
    let group = location(&made);
    let again = f.post_f("/f/groups", &[("name", "lop toi thu ba")]).await;
    assert_eq!(again.status(), StatusCode::BAD_REQUEST);
    let page = scraper::Html::parse_document(&again.text().await.unwrap());
    assert!(text(&page, ".error").contains("Đã có nhóm tên này"));
    let empty = f.post_f("/f/groups", &[("name", "  ")]).await;
    assert_eq!(empty.status(), StatusCode::BAD_REQUEST);

    let members = format!("{group}/members");
    let added = f
        .post_f(
            &members,
            &[
                ("add", &ids[0]),
                ("add", &ids[1]),
                ("add", &ids[2]),
                ("add", "not-a-learner"),
            ],
        )
        .await;
    assert_eq!(added.status(), StatusCode::SEE_OTHER);
    let page = f.page(&group, StatusCode::OK).await;
    assert_eq!(text(&page, "h1"), "Lớp tối thứ Ba");
    assert_eq!(texts(&page, "input[name=remove]").len(), 3);
    f.post_f(&members, &[("remove", &ids[1])]).await;
    let page = f.page(&group, StatusCode::OK).await;
    assert_eq!(texts(&page, "input[name=remove]").len(), 2);
    let list = f.page("/f/groups", StatusCode::OK).await;
    assert!(text(&list, ".cards").contains("2 người"));

    // A learner's phone is not a facilitator, and a form without the token changes nothing.
    let mut phone = Phone::new(&tb);
    phone.join("Kẻ tò mò", "Buôn Đôn").await;
    let response = phone.get(&group).await;
    assert_eq!(location(&response), "/f/signin");
    let forged = f.post_form(&members, &[("add", &ids[1])]).await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        tb.store()
            .group_members(group.trim_start_matches("/f/groups/"))
            .await
            .unwrap()
            .len(),
        2
    );
}

#[tokio::test]
async fn a_facilitator_registers_someone_with_no_secret_or_a_picture_code() {
    let tb = TestBox::start().await;
    let mut f = set_up(&tb).await;
    let form = f.page("/f/learners/new", StatusCode::OK).await;
    // It speaks of the learner, and no secret is the facilitator's first choice.
    assert_eq!(text(&form, "label[for=display_name]"), "Tên người học");
    assert_eq!(
        crate::support::attrs(&form, "input[name=secret_kind][checked]", "value"),
        ["none"]
    );
    // A tap on the pictures draws the form again and registers nobody.
    let tapped = f
        .post_f(
            "/f/learners/new",
            &[
                ("display_name", "H Bia"),
                ("village_new", "Buôn Đôn"),
                ("tap", "4"),
            ],
        )
        .await;
    assert_eq!(tapped.status(), StatusCode::OK);
    let page = scraper::Html::parse_document(&tapped.text().await.unwrap());
    assert_eq!(
        crate::support::attrs(&page, "ol.code li.filled img", "alt"),
        ["Bông lúa"]
    );
    assert!(tb.store().all_learners().await.unwrap().is_empty());
    let made = f
        .post_f(
            "/f/learners/new",
            &[
                ("display_name", "H Bia"),
                ("village_new", "Buôn Đôn"),
                ("secret_kind", "none"),
            ],
        )
        .await;
    assert_eq!(made.status(), StatusCode::SEE_OTHER);
    assert_eq!(tb.store().all_learners().await.unwrap().len(), 1);
}
