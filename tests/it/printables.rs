//! What facilitators print: sign-in cards whose QR code signs the learner in (and stops when
//! the card is locked or renewed), the hall's poster, and certificates.

use reqwest::StatusCode;
use scraper::{Html, Selector};

use crate::facilitators::set_up;
use crate::support::{Phone, TestBox, decode_qr, location, text, texts};

/// Every QR code on a page, decoded.
fn qr_codes(page: &Html) -> Vec<String> {
    let selector = Selector::parse("svg.qr").unwrap();
    page.select(&selector)
        .map(|svg| decode_qr(&svg.html()))
        .collect()
}

#[tokio::test]
async fn a_card_signs_its_learner_in_until_it_is_locked() {
    let tb = TestBox::start().await;
    let mut f = set_up(&tb).await;
    for (name, village) in [("Nguyễn Văn An", "Buôn Đôn"), ("H'Hen Niê", "Buôn Trấp")] {
        Phone::new(&tb).join(name, village).await;
    }
    let group = location(&f.post_f("/f/groups", &[("name", "Lớp sáng")]).await);
    let ids: Vec<String> = tb
        .store()
        .all_learners()
        .await
        .unwrap()
        .into_iter()
        .map(|l| l.id)
        .collect();
    f.post_f(
        &format!("{group}/members"),
        &[("add", &ids[0]), ("add", &ids[1])],
    )
    .await;
    let group_id = group.trim_start_matches("/f/groups/");

    let page = f
        .page(&format!("/f/print/cards?group={group_id}"), StatusCode::OK)
        .await;
    let names = texts(&page, ".signin-card .name");
    assert_eq!(names.len(), 2);
    let codes = qr_codes(&page);
    assert_eq!(codes.len(), 2);
    let base = tb.url("/");
    assert!(
        codes.iter().all(|c| c.starts_with(&format!("{base}c/"))),
        "{codes:?} {base}"
    );
    // Printing again gives the same cards.
    let again = f
        .page(&format!("/f/print/cards?group={group_id}"), StatusCode::OK)
        .await;
    assert_eq!(qr_codes(&again), codes);

    // A phone scans the first card: "is this you?", then signed in as that learner.
    let path = codes[0]
        .strip_prefix(base.trim_end_matches('/'))
        .unwrap()
        .to_string();
    let mut phone = Phone::new(&tb);
    let ask = phone.page(&path, StatusCode::OK).await;
    assert_eq!(text(&ask, "h1"), format!("Bạn là {}?", names[0]));
    let signed = phone.post_form(&path, &[]).await;
    assert_eq!(signed.status(), StatusCode::SEE_OTHER);
    let me = phone.page("/me", StatusCode::OK).await;
    assert!(text(&me, "h1").contains(&names[0]));

    // Locked: the card no longer works, and says so plainly.
    let learner = tb
        .store()
        .learner_by_card(path.trim_start_matches("/c/"))
        .await
        .unwrap()
        .unwrap();
    let locked = f
        .post_f(
            &format!("/f/learners/{}/card", learner.id),
            &[("action", "revoke")],
        )
        .await;
    assert_eq!(locked.status(), StatusCode::SEE_OTHER);
    let gone = Phone::new(&tb).page(&path, StatusCode::NOT_FOUND).await;
    assert!(text(&gone, "h1").contains("không dùng được nữa"));
    let refused = Phone::new(&tb).post_form(&path, &[]).await;
    assert_eq!(refused.status(), StatusCode::NOT_FOUND);
    Phone::new(&tb)
        .page("/c/not-a-token", StatusCode::NOT_FOUND)
        .await;

    // A new card for the other learner ends their old one.
    let other = &codes[1];
    let other_path = other.strip_prefix(base.trim_end_matches('/')).unwrap();
    let holder = tb
        .store()
        .learner_by_card(other_path.trim_start_matches("/c/"))
        .await
        .unwrap()
        .unwrap();
    f.post_f(
        &format!("/f/learners/{}/card", holder.id),
        &[("action", "renew")],
    )
    .await;
    Phone::new(&tb)
        .page(other_path, StatusCode::NOT_FOUND)
        .await;
    let renewed = f
        .page(
            &format!("/f/print/cards?learner={}", holder.id),
            StatusCode::OK,
        )
        .await;
    let new_code = qr_codes(&renewed).remove(0);
    assert_ne!(&new_code, other);
}

#[tokio::test]
async fn the_poster_joins_the_wifi_and_opens_the_box() {
    let tb = TestBox::start().await;
    let mut f = set_up(&tb).await;
    let page = f.page("/f/print/poster", StatusCode::OK).await;
    assert_eq!(
        qr_codes(&page),
        [tb.url("/")],
        "without a Wi-Fi name, only the address"
    );
    let saved = f
        .post_f(
            "/f/settings",
            &[
                ("commune_name", "Xã Ea Sol"),
                ("wifi_ssid", "Nha van hoa; Ea Sol"),
                ("wifi_password", "hocso:2026"),
                ("hub_url", ""),
                ("lang", "vi"),
            ],
        )
        .await;
    assert_eq!(saved.status(), StatusCode::OK);
    let page = f.page("/f/print/poster", StatusCode::OK).await;
    assert_eq!(
        qr_codes(&page),
        [
            "WIFI:T:WPA;S:Nha van hoa\\; Ea Sol;P:hocso\\:2026;;".to_string(),
            tb.url("/")
        ]
    );
    assert!(text(&page, ".poster h1").contains("Xã Ea Sol"));
    assert!(text(&page, ".poster").contains("hocso:2026"));
}

#[tokio::test]
async fn certificates_are_printed_only_for_finished_modules() {
    let tb = TestBox::start().await;
    let mut f = set_up(&tb).await;
    let mut phone = Phone::new(&tb);
    phone.join("Nguyễn Văn An", "Buôn Đôn").await;
    let an = tb.store().all_learners().await.unwrap().remove(0).id;
    let page = f
        .page(
            &format!("/f/print/certificates?learner={an}"),
            StatusCode::OK,
        )
        .await;
    assert!(texts(&page, "article.certificate").is_empty());

    // Finish module 1: every lesson read, every quiz passed.
    let catalogue = crate::support::catalogue();
    for lesson in &catalogue.module("dien-thoai").unwrap().lessons {
        phone
            .post_form(&format!("/m/{}/xong", lesson.id), &[])
            .await;
        let right = crate::quiz::right_answers(&lesson.id);
        crate::quiz::answer(&mut phone, &lesson.id, &right).await;
    }
    // Its practice scenarios are still to do: no certificate yet.
    let page = f
        .page(
            &format!("/f/print/certificates?learner={an}"),
            StatusCode::OK,
        )
        .await;
    assert!(texts(&page, "article.certificate").is_empty());
    for practice in &catalogue.module("dien-thoai").unwrap().practice {
        crate::practice::win(&mut phone, &practice.id).await;
    }
    let page = f
        .page(
            &format!("/f/print/certificates?learner={an}"),
            StatusCode::OK,
        )
        .await;
    let certificates = texts(&page, "article.certificate .name");
    assert_eq!(certificates, ["Nguyễn Văn An"]);
    assert!(text(&page, "article.certificate .date").contains("Xã Ea Sol"));
    // Headed as Vietnamese certificates are: the commune's committee, the country and motto.
    assert_eq!(text(&page, ".certificate .committee"), "UBND Xã Ea Sol");
    assert!(text(&page, ".certificate .nation").contains("Độc lập - Tự do - Hạnh phúc"));
    assert_eq!(
        text(&page, ".certificate .issuer"),
        "Phong trào Bình dân học vụ số"
    );
    let store = tb.store();
    store
        .set_setting("commune_name", "Phường Tân An")
        .await
        .unwrap();
    let certificates = format!("/f/print/certificates?learner={an}");
    let page = f.page(&certificates, StatusCode::OK).await;
    assert_eq!(text(&page, ".certificate .committee"), "UBND Phường Tân An");
    // With no commune's name, the movement heads it and the place is a line to write on.
    store.set_setting("commune_name", "").await.unwrap();
    let page = f.page(&certificates, StatusCode::OK).await;
    assert_eq!(
        text(&page, ".certificate .committee"),
        "Phong trào Bình dân học vụ số"
    );
    assert!(texts(&page, ".certificate .issuer").is_empty());
    assert!(text(&page, ".certificate .date").starts_with("……"));
    assert!(text(&page, ".note").contains("Chưa có tên xã"));
    let own = phone
        .page("/me/certificate/dien-thoai", StatusCode::OK)
        .await;
    assert_eq!(
        text(&own, ".certificate .committee"),
        "Phong trào Bình dân học vụ số"
    );
    f.page("/f/print/certificates?group=nope", StatusCode::NOT_FOUND)
        .await;
}
