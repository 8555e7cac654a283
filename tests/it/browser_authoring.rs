//! Made in the commune, in real Chromium on a 360×640 phone: a facilitator copies a lesson,
//! adds a photo chosen from the phone, publishes it and sees it as learners do; records a
//! reading in Ê Đê and hears it on the lesson page. Each page fits the phone and passes
//! axe-core. Screenshots: `f-lesson-editor.png`, `f-lesson-published.png`,
//! `f-lesson-phone-preview.png`, `f-reading-added.png`, `lesson-reading-ede.png`.

use std::path::PathBuf;

use crate::browser::{Browser, axe_source, axe_violations, sign_in_facilitator, within_minutes};
use crate::support::TestBox;

fn fixture(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/media")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

async fn no_violations(phone: &Browser, axe: Option<&str>) {
    if let Some(axe) = axe {
        let violations = axe_violations(phone, axe).await;
        assert!(violations.is_empty(), "{violations:#?}");
    }
}

#[tokio::test]
async fn a_facilitator_makes_a_lesson_and_a_reading_on_a_phone() {
    within_minutes(make_on_a_phone()).await;
}

async fn make_on_a_phone() {
    let Some(phone) = Browser::start(true).await else {
        return;
    };
    let axe = axe_source();
    let tb = TestBox::start().await;
    crate::facilitators::set_up(&tb).await;
    sign_in_facilitator(&phone, &tb, "Lê Thị Hoa", crate::facilitators::PASSWORD).await;

    phone
        .open(&tb, "/f/bai-hoc/moi?tu=an-toan/mat-khau-otp")
        .await;
    phone.check_fits_phone().await;
    no_violations(&phone, axe.as_deref()).await;
    phone.screenshot("f-lesson-editor").await;
    phone.type_into("input[name=slug]", "mat-khau-cua-xa").await;
    phone
        .find("input[type=file][name=anh_0]")
        .await
        .send_keys(&fixture("photo-orientation-6.jpg"))
        .await
        .expect("the photo is chosen");
    phone
        .type_into("input[name=anh_mo_ta_0]", "Màn hình nhập mật khẩu")
        .await;
    phone.tap("button[value=xuat-ban]").await;
    phone
        .wait_for_path("/f/bai-hoc/an-toan/mat-khau-cua-xa")
        .await;
    let said = phone.text("p.note[role=status]").await;
    assert!(said.contains("Đã lưu và xuất bản"), "{said}");
    let thumb = phone.find("img.thumb").await;
    assert!(
        thumb
            .attr("src")
            .await
            .unwrap()
            .unwrap()
            .starts_with("/media/")
    );
    phone.check_fits_phone().await;
    no_violations(&phone, axe.as_deref()).await;
    phone.screenshot("f-lesson-published").await;

    phone
        .open(&tb, "/f/bai-hoc/an-toan/mat-khau-cua-xa/dien-thoai")
        .await;
    phone
        .find(".lesson-text img[alt='Màn hình nhập mật khẩu']")
        .await;
    let width = phone
        .eval("const i = document.querySelector(\".lesson-text img[alt='Màn hình nhập mật khẩu']\"); return new Promise(r => i.complete ? r(i.naturalWidth) : (i.onload = () => r(i.naturalWidth)));")
        .await;
    assert_eq!(width, 600, "the photo is upright and shrunk");
    phone.screenshot("f-lesson-phone-preview").await;

    phone.open(&tb, "/f/bai-doc/an-toan/mat-khau-otp").await;
    phone.check_fits_phone().await;
    no_violations(&phone, axe.as_deref()).await;
    phone
        .find("input[type=file][name=file]")
        .await
        .send_keys(&fixture("voice.ogg"))
        .await
        .expect("the recording is chosen");
    phone
        .eval("document.querySelector('select[name=lang]').value = 'ede'; return true;")
        .await;
    phone
        .tap("form[enctype='multipart/form-data'] button[type=submit]")
        .await;
    let said = phone.text("p.note[role=status]").await;
    assert!(said.contains("Đã lưu bài đọc"), "{said}");
    phone.find("section.reading audio").await;
    phone.screenshot("f-reading-added").await;

    phone.open(&tb, "/m/an-toan/mat-khau-otp").await;
    assert_eq!(
        phone.text(".readings p span").await,
        "Nghe bằng tiếng Ê Đê · cả bài"
    );
    let duration = phone
        .eval("const a = document.querySelector('.readings audio'); a.preload = 'metadata'; a.load(); return new Promise(r => { a.onloadedmetadata = () => r(a.duration); a.onerror = () => r(-1); setTimeout(() => r(-2), 5000); });")
        .await;
    let seconds = duration.as_f64().unwrap_or(-3.0);
    assert!(
        (2.0..4.5).contains(&seconds),
        "Chromium reads the recording: {duration}"
    );
    phone.check_fits_phone().await;
    no_violations(&phone, axe.as_deref()).await;
    phone.screenshot("lesson-reading-ede").await;
}
