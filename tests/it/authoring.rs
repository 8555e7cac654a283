//! Made in the commune, on a real box: a facilitator writes a lesson from a copy of a
//! built-in one, with a photo from the phone and a quiz, sees what the checker finds beside
//! each field, publishes it to the learners at once, and records readings in Ê Đê; bad input
//! (a text as a photo, HTML in a slide, a name taken, a file that is not a recording, an AMR
//! recording, an upload past the budget) is refused plainly and keeps nothing.

use reqwest::StatusCode;
use serde_json::Value;

use crate::facilitators::set_up;
use crate::support::{Phone, TestBox, attrs, location, text, texts};

pub(crate) const PHOTO: &[u8] = include_bytes!("../media/photo-orientation-6.jpg");
pub(crate) const VOICE: &[u8] = include_bytes!("../media/voice.ogg");
const VOICE_M4A: &[u8] = include_bytes!("../media/voice.m4a");
const AMR: &[u8] = include_bytes!("../media/voice.amr");
const NOT_AUDIO: &[u8] = include_bytes!("../media/not-audio.ogg");

/// `fields` (name, file name if a file, bytes) as a browser sends a form with files.
pub(crate) fn multipart(fields: &[(String, Option<&str>, Vec<u8>)]) -> (String, Vec<u8>) {
    let boundary = "----hocso-authoring-4b2e";
    let mut body = Vec::new();
    for (name, file, bytes) in fields {
        body.extend(format!("--{boundary}\r\n").bytes());
        match file {
            Some(file) => body.extend(
                format!(
                    "Content-Disposition: form-data; name=\"{name}\"; filename=\"{file}\"\r\n\
                     Content-Type: application/octet-stream\r\n\r\n"
                )
                .bytes(),
            ),
            None => body
                .extend(format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").bytes()),
        }
        body.extend(bytes);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{boundary}--\r\n").bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// Posts `fields` (text) and `files` (field, file name, bytes) as the page's form does, with
/// the browser's CSRF token.
pub(crate) async fn post_multipart(
    browser: &mut Phone<'_>,
    path: &str,
    fields: &[(String, String)],
    files: &[(String, &str, Vec<u8>)],
) -> reqwest::Response {
    let token = browser.others["hocso_csrf"].clone();
    let mut all: Vec<(String, Option<&str>, Vec<u8>)> =
        vec![("csrf".into(), None, token.into_bytes())];
    all.extend(
        fields
            .iter()
            .map(|(k, v)| (k.clone(), None, v.clone().into_bytes())),
    );
    all.extend(
        files
            .iter()
            .map(|(k, f, b)| (k.clone(), Some(*f), b.clone())),
    );
    let (kind, body) = multipart(&all);
    let request = browser
        .tb
        .client
        .post(browser.tb.url(path))
        .header("content-type", kind)
        .body(body);
    browser.send(request).await
}

/// The form fields of a copy of the built-in lesson `file` (a path under `lessons/`),
/// titled `title`: what a facilitator posts after "Chép để sửa".
pub(crate) fn lesson_fields(
    file: &str,
    title: &str,
    module: &str,
    slug: &str,
    action: &str,
) -> Vec<(String, String)> {
    let tree = hocso::content::LessonTree::embedded();
    let text = String::from_utf8(tree.files[file].clone()).unwrap();
    let parts = hocso::content::parse_lesson(&text).unwrap();
    let mut fields = vec![
        ("title".to_string(), title.to_string()),
        ("objective".into(), parts.objective.clone()),
        ("minutes".into(), parts.minutes.unwrap().to_string()),
        ("module".into(), module.into()),
        ("slug".into(), slug.into()),
        ("action".into(), action.into()),
    ];
    for slide in &parts.slides {
        fields.push(("slide".into(), slide.clone()));
    }
    for (q, question) in parts.quiz.iter().enumerate() {
        fields.push((format!("q{q}_question"), question.question.clone()));
        for (c, choice) in question.choices.iter().enumerate() {
            fields.push((format!("q{q}_c{}", c + 1), choice.clone()));
        }
        fields.push((format!("q{q}_answer"), question.answer.to_string()));
        fields.push((format!("q{q}_explain"), question.explain.clone()));
    }
    fields
}

#[tokio::test]
async fn a_facilitator_writes_pictures_checks_and_publishes_a_lesson_learners_see_at_once() {
    let tb = TestBox::start().await;
    let mut f = set_up(&tb).await;
    let page = f.page("/f/bai-hoc", StatusCode::OK).await;
    assert_eq!(text(&page, "h1"), "Bài của xã");
    let copy = f
        .page("/f/bai-hoc/moi?tu=an-toan/mat-khau-otp", StatusCode::OK)
        .await;
    assert!(attrs(&copy, "input[name=title]", "value")[0].ends_with("(bản của xã)"));
    assert!(texts(&copy, "textarea[name=slide]").len() >= 3);

    // A first try: no title, HTML in a slide, and a text file as the photo.
    let mut fields = lesson_fields(
        "03-an-toan/01-mat-khau-otp.vi.md",
        "",
        "an-toan",
        "mat-khau-cua-xa",
        "xuat-ban",
    );
    fields.push(("slide".into(), "<script>alert(1)</script> Chữ".into()));
    let refused = post_multipart(
        &mut f,
        "/f/bai-hoc/moi",
        &fields,
        &[("anh_0".into(), "anh.jpg", b"khong phai anh".to_vec())],
    )
    .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = scraper::Html::parse_document(&refused.text().await.unwrap());
    let said = texts(&page, ".field-error").join(" ");
    assert!(said.contains("không phải là ảnh"), "{said}");
    assert!(
        tb.store().local_lessons().await.unwrap().is_empty(),
        "nothing half-saved"
    );

    // Without the bad photo it is kept as a draft: the checker says what is missing, by field.
    fields.retain(|(k, v)| !(k == "slide" && v.contains("<script>")));
    let mut broken = fields.clone();
    broken.push(("slide".into(), "<b>đậm</b> bằng HTML".into()));
    let kept = post_multipart(&mut f, "/f/bai-hoc/moi", &broken, &[]).await;
    assert_eq!(kept.status(), StatusCode::SEE_OTHER);
    assert!(
        location(&kept).ends_with("?luu=con-loi"),
        "{}",
        location(&kept)
    );
    let page = f.page(&location(&kept), StatusCode::OK).await;
    let said = texts(&page, ".field-error").join(" | ");
    assert!(said.contains("Bài chưa có tên."), "{said}");
    assert!(said.contains("HTML"), "{said}");
    assert_eq!(
        tb.get("/m/an-toan/mat-khau-cua-xa").await.status(),
        StatusCode::NOT_FOUND,
        "a draft is not served"
    );

    // Fixed, with the photo from the phone's camera: published, and learners see it.
    let url = "/f/bai-hoc/an-toan/mat-khau-cua-xa";
    let mut good = fields.clone();
    good.retain(|(k, _)| k != "module" && k != "slug");
    for (k, v) in good.iter_mut() {
        if k == "title" {
            *v = "Mật khẩu và mã OTP: bản của xã Ea Tu".into();
        }
    }
    let saved = post_multipart(
        &mut f,
        url,
        &good,
        &[(
            "anh_1".into(),
            "IMG_2041.jpg",
            crate::authoring::PHOTO.to_vec(),
        )],
    )
    .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    assert!(
        location(&saved).ends_with("?luu=xuat-ban"),
        "{}",
        location(&saved)
    );
    let lesson = tb
        .page("/m/an-toan/mat-khau-cua-xa?phan=ca", StatusCode::OK)
        .await;
    assert_eq!(text(&lesson, "h1"), "Mật khẩu và mã OTP: bản của xã Ea Tu");
    assert_eq!(text(&lesson, ".own .badge"), "Bài của xã");
    let photo = attrs(&lesson, ".lesson-text img", "src")
        .into_iter()
        .find(|src| src.starts_with("/media/"))
        .expect("the photo is in the lesson");
    let served = tb.get(&photo).await;
    assert_eq!(served.status(), StatusCode::OK);
    assert_eq!(served.headers()["content-type"], "image/jpeg");
    let bytes = served.bytes().await.unwrap();
    assert!(bytes.len() < 60 * 1024, "{} bytes", bytes.len());
    let api: Vec<Value> = tb.get("/api/v1/lessons").await.json().await.unwrap();
    let entry = api
        .iter()
        .find(|l| l["id"] == "an-toan/mat-khau-cua-xa")
        .unwrap();
    assert_eq!(entry["source"], "local");

    // A lesson in use is not changed into one with a problem.
    let mut worse = good.clone();
    worse.retain(|(k, _)| !k.starts_with("q"));
    let refused = post_multipart(&mut f, url, &worse, &[]).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        tb.get("/m/an-toan/mat-khau-cua-xa")
            .await
            .status()
            .is_success()
    );

    // A name that a built-in lesson has is refused.
    let clash = lesson_fields(
        "03-an-toan/01-mat-khau-otp.vi.md",
        "Trùng",
        "an-toan",
        "mat-khau-otp",
        "luu",
    );
    let refused = post_multipart(&mut f, "/f/bai-hoc/moi", &clash, &[]).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = scraper::Html::parse_document(&refused.text().await.unwrap());
    assert!(text(&page, ".field-error").contains("Đã có bài"));

    // The dashboard counts the commune's lessons in use.
    let dashboard = f.page("/f", StatusCode::OK).await;
    assert!(
        texts(&dashboard, "ul.figures li")
            .iter()
            .any(|l| l.starts_with("1 bài của xã"))
    );

    // Taken back to a draft: learners no longer see it; the facilitator keeps it.
    let mut back = good.clone();
    back.retain(|(k, _)| k != "action");
    back.push(("action".into(), "nhap".into()));
    let drafted = post_multipart(&mut f, url, &back, &[]).await;
    assert!(
        location(&drafted).ends_with("?luu=luu"),
        "{}",
        location(&drafted)
    );
    assert_eq!(
        tb.get("/m/an-toan/mat-khau-cua-xa").await.status(),
        StatusCode::NOT_FOUND
    );
    let page = f.page(url, StatusCode::OK).await;
    assert_eq!(
        attrs(&page, "button[name=action]", "value"),
        ["luu", "xuat-ban"]
    );
}

#[tokio::test]
async fn readings_in_any_language_are_recorded_checked_and_heard_with_seeking() {
    let tb = TestBox::start().await;
    let mut f = set_up(&tb).await;
    let path = "/f/bai-doc/an-toan/mat-khau-otp";
    let form = |lang: &str, code: &str, name: &str, slide: &str| {
        vec![
            ("lang".to_string(), lang.to_string()),
            ("lang_code".into(), code.into()),
            ("lang_name".into(), name.into()),
            ("slide".into(), slide.into()),
        ]
    };
    for (bytes, said) in [
        (NOT_AUDIO, "không phải là bản ghi âm"),
        (AMR, "M4A"),
        (&VOICE[..VOICE.len() / 2], "cắt ngang"),
    ] {
        let refused = post_multipart(
            &mut f,
            path,
            &form("ede", "", "", ""),
            &[("file".into(), "ghi-am", bytes.to_vec())],
        )
        .await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = scraper::Html::parse_document(&refused.text().await.unwrap());
        assert!(
            text(&page, ".note.error").contains(said),
            "{}",
            text(&page, ".note.error")
        );
    }
    let refused = post_multipart(
        &mut f,
        path,
        &form("khac", "E De", "", ""),
        &[("file".into(), "a.ogg", VOICE.to_vec())],
    )
    .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        tb.store().local_readings().await.unwrap().is_empty(),
        "nothing kept"
    );

    let kept = post_multipart(
        &mut f,
        path,
        &form("ede", "", "", ""),
        &[("file".into(), "Ghi âm 01.ogg", VOICE.to_vec())],
    )
    .await;
    assert_eq!(
        kept.status(),
        StatusCode::SEE_OTHER,
        "{}",
        kept.text().await.unwrap()
    );
    let kept = post_multipart(
        &mut f,
        path,
        &form("khac", "brv", "Bru - Vân Kiều", "2"),
        &[("file".into(), "b.m4a", VOICE_M4A.to_vec())],
    )
    .await;
    assert_eq!(kept.status(), StatusCode::SEE_OTHER);

    // On the lesson's first part: only the whole-lesson reading's language is offered.
    let first = tb.page("/m/an-toan/mat-khau-otp", StatusCode::OK).await;
    assert_eq!(
        texts(&first, ".readings p span"),
        ["Nghe bằng tiếng Ê Đê · cả bài"]
    );
    let second = tb
        .page("/m/an-toan/mat-khau-otp?phan=2", StatusCode::OK)
        .await;
    let offered = texts(&second, ".readings .langs li");
    assert_eq!(
        offered,
        [
            "🔊 Nghe bằng tiếng Bru - Vân Kiều",
            "🔊 Nghe bằng tiếng Ê Đê"
        ]
    );
    let chosen = tb
        .page("/m/an-toan/mat-khau-otp?phan=2&nghe=brv", StatusCode::OK)
        .await;
    let src = attrs(&chosen, ".readings audio", "src");
    assert_eq!(src.len(), 1);
    let whole = tb.get(&src[0]).await;
    assert_eq!(whole.headers()["content-type"], "audio/mp4");
    assert_eq!(whole.headers()["accept-ranges"], "bytes");
    let piece = tb
        .client
        .get(tb.url(&src[0]))
        .header("range", "bytes=100-199")
        .send()
        .await
        .unwrap();
    assert_eq!(piece.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(piece.bytes().await.unwrap(), &VOICE_M4A[100..200]);
    let api: Vec<Value> = tb.get("/api/v1/lessons").await.json().await.unwrap();
    let entry = api
        .iter()
        .find(|l| l["id"] == "an-toan/mat-khau-otp")
        .unwrap();
    assert_eq!(entry["audio"], serde_json::json!(["brv", "ede"]));
    assert_eq!(entry["source"], "embedded");

    // Past the budget: refused plainly, nothing kept.
    tb.store().set_media_budget(20 * 1024).await.unwrap();
    let refused = post_multipart(
        &mut f,
        path,
        &form("jra", "", "", "3"),
        &[(
            "file".into(),
            "c.mp3",
            include_bytes!("../media/voice.mp3").to_vec(),
        )],
    )
    .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = scraper::Html::parse_document(&refused.text().await.unwrap());
    assert!(
        text(&page, ".note.error").contains("Hết chỗ"),
        "{}",
        text(&page, ".note.error")
    );
    assert_eq!(tb.store().local_readings().await.unwrap().len(), 2);

    // Deleted: gone from the lesson page, and its recording with it.
    let reading = tb
        .store()
        .local_readings()
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.lang == "brv")
        .unwrap();
    let gone = f
        .post_f(&format!("/f/bai-doc/ban/{}/xoa", reading.id), &[])
        .await;
    assert_eq!(gone.status(), StatusCode::SEE_OTHER);
    assert_eq!(tb.get(&src[0]).await.status(), StatusCode::NOT_FOUND);

    // The box started again (a power cut) serves the commune's reading still.
    let tb = tb.restart().await;
    let first = tb.page("/m/an-toan/mat-khau-otp", StatusCode::OK).await;
    assert_eq!(
        texts(&first, ".readings p span"),
        ["Nghe bằng tiếng Ê Đê · cả bài"]
    );
}

#[tokio::test]
async fn uploads_too_big_or_cut_short_are_refused_plainly_and_the_box_serves_on() {
    let tb = TestBox::start().await;
    let mut f = set_up(&tb).await;
    let fields = lesson_fields(
        "03-an-toan/01-mat-khau-otp.vi.md",
        "Ảnh to",
        "an-toan",
        "anh-to",
        "luu",
    );
    // A photo over 15 MB (a phone's camera stays under it): said in Vietnamese, nothing kept.
    let huge = vec![0xFFu8; 16 * 1024 * 1024];
    let refused = post_multipart(
        &mut f,
        "/f/bai-hoc/moi",
        &fields,
        &[("anh_0".into(), "to.jpg", huge)],
    )
    .await;
    let status = refused.status();
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.text().await.unwrap()
    );
    let page = scraper::Html::parse_document(&refused.text().await.unwrap());
    assert!(
        text(&page, ".field-error").contains("Ảnh nặng"),
        "{}",
        text(&page, ".field-error")
    );
    // A photo cut short in transit.
    let cut = crate::authoring::PHOTO[..PHOTO.len() / 2].to_vec();
    let refused = post_multipart(
        &mut f,
        "/f/bai-hoc/moi",
        &fields,
        &[("anh_0".into(), "cut.jpg", cut)],
    )
    .await;
    let status = refused.status();
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.text().await.unwrap()
    );
    // A body past the upload limit is refused from its declared length.
    let token = f.others["hocso_csrf"].clone();
    let over = tb
        .client
        .post(tb.url("/f/bai-doc/an-toan/mat-khau-otp"))
        .header("content-type", "multipart/form-data; boundary=x")
        .body(vec![0u8; hocso::web::UPLOAD_LIMIT + 1]);
    let over = f.send(over).await;
    assert_eq!(over.status(), StatusCode::PAYLOAD_TOO_LARGE);
    // A form cut in the middle of its parts.
    let (kind, body) = multipart(&[
        ("csrf".into(), None, token.into_bytes()),
        ("file".into(), Some("a.ogg"), VOICE.to_vec()),
    ]);
    let cut = body[..body.len() - 40].to_vec();
    let request = tb
        .client
        .post(tb.url("/f/bai-doc/an-toan/mat-khau-otp"))
        .header("content-type", kind)
        .body(cut);
    let broken = f.send(request).await;
    assert_eq!(broken.status(), StatusCode::BAD_REQUEST);
    assert!(tb.store().local_lessons().await.unwrap().is_empty());
    assert!(tb.store().local_readings().await.unwrap().is_empty());
    assert_eq!(tb.store().media_room().await.unwrap().used, 0);
    assert_eq!(tb.get("/").await.status(), StatusCode::OK);
}
