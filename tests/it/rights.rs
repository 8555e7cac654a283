//! The learner's data rights: told and asked at joining (the page, the API, a facilitator's
//! registration), consent kept as an event; a learner who refuses the optional fields
//! learns as well; "Thông tin của tôi" shown, downloaded and corrected; consent withdrawn and
//! a learner erased on the box, then at the hub (both engines) and through a province hub at
//! the national hub, every count unchanged; and names of learners not seen erased once the
//! box's clock moves on.

use hocso::protocol::envelope::{self, Kind};
use hocso::protocol::wire::{Batch, WireLearner};
use hocso::store::{Dimension, HubStore, Scope};
use hocso::sync::{client, relay};
use reqwest::StatusCode;
use scraper::Html;
use serde_json::{Value, json};

use crate::facilitators::set_up;
use crate::postgres::{Engine, on_both_engines};
use crate::provinces::sums_and_remade;
use crate::support::{Phone, TestBox, attrs, catalogue, location, text};
use crate::sync::enrol;

/// A villager joins on their phone with a new village, giving the optional fields when
/// `optional` (and agreeing to keep them).
async fn join(phone: &mut Phone<'_>, name: &str, village: &str, optional: bool) {
    let mut form = vec![("display_name", name), ("village_new", village)];
    if optional {
        form.extend([
            ("birth_year", "1990"),
            ("gender", "nu"),
            ("ethnic_group", "Ê Đê"),
            ("optional_consent", "1"),
        ]);
    }
    let response = phone.post_form("/join", &form).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "join {name}");
}

/// The id of the learner (not erased) named `name` on `tb`.
async fn id_of(tb: &TestBox, name: &str) -> String {
    let all = tb.store().all_learners().await.unwrap();
    all.into_iter()
        .find(|l| l.display_name == name)
        .unwrap_or_else(|| panic!("{name} is on the box"))
        .id
}

/// The payloads of `learner`'s profile events in the SQLite database of `data_dir` (`table`:
/// a box's `events`, a hub's `hub_events`), or in a hub's PostgreSQL.
async fn profile_payloads(tb: &TestBox, table: &str, learner: &str) -> Vec<Value> {
    let sql = format!(
        "SELECT payload FROM {table} WHERE learner_id = $1 AND kind IN ('learner_joined', 'learner_updated') ORDER BY seq"
    );
    let texts: Vec<String> = match &tb.database {
        Some(database) if table == "hub_events" => {
            let pg = crate::postgres::connect_to(database).await;
            let rows = pg.query(&sql, &[&learner]).await.unwrap();
            rows.iter().map(|r| r.get(0)).collect()
        }
        _ => {
            let db = rusqlite::Connection::open(tb.data_dir.join(hocso::store::DB_FILE)).unwrap();
            db.busy_timeout(std::time::Duration::from_secs(10)).unwrap();
            let mut stmt = db.prepare(&sql.replace("$1", "?1")).unwrap();
            stmt.query_map([learner], |r| r.get(0))
                .unwrap()
                .map(Result::unwrap)
                .collect()
        }
    };
    texts
        .iter()
        .map(|t| serde_json::from_str(t).unwrap())
        .collect()
}

/// Whether any of `payloads` holds any of `keys`.
fn holds_any(payloads: &[Value], keys: &[&str]) -> bool {
    payloads
        .iter()
        .any(|p| keys.iter().any(|k| p.get(k).is_some()))
}

async fn hub_learner(records: &HubStore, id: &str) -> hocso::store::HubLearner {
    records
        .learners(&Scope::All)
        .await
        .unwrap()
        .into_iter()
        .find(|l| l.id == id)
        .expect("the hub holds the learner")
}

/// What an officer's dashboard counts: every breakdown's lines, the (learner, lesson)
/// pairs finished, and events a day.
async fn hub_counts(records: &HubStore) -> Vec<String> {
    let mut out = Vec::new();
    for dimension in [Dimension::Province, Dimension::Commune, Dimension::Village] {
        for t in records.tallies(&Scope::All, dimension, true).await.unwrap() {
            out.push(format!(
                "{dimension:?} {} {:?} {} {} {} {} {}",
                t.province, t.key, t.learners, t.lessons, t.practices, t.modules, t.attended
            ));
        }
    }
    let mut finished: Vec<String> = records
        .finished(&Scope::All)
        .await
        .unwrap()
        .into_iter()
        .map(|f| format!("{} {}", f.learner_id, f.lesson_id))
        .collect();
    finished.sort();
    out.extend(finished);
    out
}

/// The figures of the box's reports page.
async fn report_figures(f: &mut Phone<'_>) -> String {
    let page = f.page("/f/reports", StatusCode::OK).await;
    text(&page, "ul.figures")
}

fn consents(data: &hocso::store::LearnerData) -> Vec<Value> {
    data.consents.iter().map(|(_, p)| p.clone()).collect()
}

#[tokio::test]
async fn consent_is_recorded_at_joining_on_the_page_through_the_api_and_by_a_facilitator() {
    let tb = TestBox::start().await;
    let mut f = set_up(&tb).await;

    // The join page says in three sentences what the box keeps, what the province gets (no
    // name: the commune has not chosen to send names) and why; the optional fields say what
    // they are for, with their own consent.
    let mut phone = Phone::new(&tb);
    let page = phone.page("/join", StatusCode::OK).await;
    assert_eq!(
        crate::support::texts(&page, "section.notice p").len(),
        3,
        "three short sentences"
    );
    let notice = text(&page, "section.notice");
    assert!(notice.contains("giữ tên, thôn"), "{notice}");
    assert!(notice.contains("không kèm tên bạn"), "{notice}");
    assert!(notice.contains("Thông tin của tôi"), "{notice}");
    assert!(text(&page, "form").contains("Tỉnh dùng các mục này để đếm"));
    assert_eq!(attrs(&page, "input#optional_consent", "type"), ["checkbox"]);

    // The optional fields without the consent: refused, said plainly, nothing stored.
    let refused = phone
        .post_form(
            "/join",
            &[
                ("display_name", "Y Lan"),
                ("village_new", "Buôn Đôn"),
                ("ethnic_group", "Ê Đê"),
            ],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    let said = Html::parse_document(&refused.text().await.unwrap());
    assert!(text(&said, "form").contains("hãy đánh dấu đồng ý"));
    assert!(phone.cookie.is_none());
    assert_eq!(tb.store().event_count().await.unwrap().events, 0);

    // With it: a `consent` event beside the `learner_joined` one, naming the notice's version,
    // the basic notice, the optional fields, and who asked.
    join(&mut phone, "Y Lan", "Buôn Đôn", true).await;
    let lan = id_of(&tb, "Y Lan").await;
    let data = tb.store().learner_data(&lan).await.unwrap().unwrap();
    assert_eq!(
        consents(&data),
        [json!({"notice": 1, "basic": true, "optional": true, "by": "learner"})]
    );
    assert_eq!(
        (data.learner.consent_notice, data.learner.consent_optional),
        (Some(1), true)
    );
    assert_eq!(data.learner.ethnic_group.as_deref(), Some("Ê Đê"));

    // Refusing them: the basic notice only.
    let mut other = Phone::new(&tb);
    join(&mut other, "Y Sơn", "Buôn Đôn", false).await;
    let son = tb
        .store()
        .learner_data(&id_of(&tb, "Y Sơn").await)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        consents(&son),
        [json!({"notice": 1, "basic": true, "optional": false, "by": "learner"})]
    );

    // Through the API: the notice to show, then joining consents to it; the optional
    // fields need `consent_optional`.
    let notice: Value = tb
        .client
        .get(tb.url("/api/v1/notice"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(notice["version"], 1);
    assert_eq!(notice["notice"].as_array().unwrap().len(), 3);
    assert_eq!(notice["names_to_province"], false);
    assert_eq!(
        notice["optional"]["fields"],
        json!(["birth_year", "gender", "ethnic_group"])
    );
    let mut tool = Phone::new(&tb);
    let events = tb.store().event_count().await.unwrap().events;
    let refused = tool
        .post_json(
            "/api/v1/learners",
            &json!({"display_name": "Đinh Thị Hoa", "village": "Làng Kon Rbàng", "gender": "nu"}),
        )
        .await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    let error: Value = refused.json().await.unwrap();
    assert_eq!(error["error"]["code"], "invalid_learner");
    assert!(
        error["error"]["detail"]
            .as_str()
            .unwrap()
            .contains("consent_optional")
    );
    assert_eq!(tb.store().event_count().await.unwrap().events, events);
    let joined = tool
        .post_json(
            "/api/v1/learners",
            &json!({"display_name": "Đinh Thị Hoa", "village": "Làng Kon Rbàng", "gender": "nu", "consent_optional": true}),
        )
        .await;
    assert_eq!(joined.status(), StatusCode::CREATED);
    let joined: Value = joined.json().await.unwrap();
    assert_eq!(joined["learner"]["consent"]["notice"], 1, "{joined}");
    assert_eq!(joined["learner"]["consent"]["optional"], true);
    let hoa = joined["learner"]["id"].as_str().unwrap();
    let hoa = tb.store().learner_data(hoa).await.unwrap().unwrap();
    assert_eq!(
        consents(&hoa),
        [json!({"notice": 1, "basic": true, "optional": true, "by": "learner"})]
    );

    // A facilitator registering someone without a phone reads the notice to them, and the
    // consent says a facilitator asked.
    let page = f.page("/f/learners/new", StatusCode::OK).await;
    assert!(text(&page, "main").contains("Đọc cho người học nghe"));
    assert!(text(&page, "section.notice").contains("không kèm tên bạn"));
    let refused = f
        .post_f(
            "/f/learners/new",
            &[
                ("display_name", "Y Moan"),
                ("village", "Buôn Đôn"),
                ("birth_year", "1961"),
            ],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    let made = f
        .post_f(
            "/f/learners/new",
            &[
                ("display_name", "Y Moan"),
                ("village", "Buôn Đôn"),
                ("birth_year", "1961"),
                ("optional_consent", "1"),
            ],
        )
        .await;
    assert_eq!(made.status(), StatusCode::SEE_OTHER);
    let moan = tb
        .store()
        .learner_data(&id_of(&tb, "Y Moan").await)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        consents(&moan),
        [json!({"notice": 1, "basic": true, "optional": true, "by": "facilitator"})]
    );

    // Once the commune sends names, every notice says so.
    f.post_f("/f/sync/names", &[("share", "1")]).await;
    let page = Phone::new(&tb).page("/join", StatusCode::OK).await;
    assert!(text(&page, "section.notice").contains("Xã đã chọn gửi tên"));
    let page = f.page("/f/learners/new", StatusCode::OK).await;
    assert!(text(&page, "section.notice").contains("Xã đã chọn gửi tên"));
    let notice: Value = tb
        .client
        .get(tb.url("/api/v1/notice"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(notice["names_to_province"], true);
}

#[tokio::test]
async fn a_learner_who_refuses_the_optional_fields_learns_as_well_and_gets_the_certificate() {
    let tb = TestBox::start().await;
    let mut phone = Phone::new(&tb);
    join(&mut phone, "H'Hen Niê", "Buôn Ea Sol", false).await;
    let catalogue = catalogue();
    let module = catalogue.module("dien-thoai").unwrap();
    for lesson in &module.lessons {
        phone
            .post_form(&format!("/m/{}/xong", lesson.id), &[])
            .await;
        let right = crate::quiz::right_answers(&lesson.id);
        crate::quiz::answer(&mut phone, &lesson.id, &right).await;
    }
    for practice in &module.practice {
        crate::practice::win(&mut phone, &practice.id).await;
    }
    let me = phone.page("/me", StatusCode::OK).await;
    assert!(text(&me, ".finished").starts_with("✓ Hoàn thành ngày"));
    let certificate = phone
        .page("/me/certificate/dien-thoai", StatusCode::OK)
        .await;
    assert_eq!(text(&certificate, ".certificate .name"), "H'Hen Niê");
    let data = tb
        .store()
        .learner_data(&id_of(&tb, "H'Hen Niê").await)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(data.learner.birth_year, None);
    assert!(!data.learner.consent_optional);
    assert_eq!(
        data.record.progress.len(),
        module.lessons.len(),
        "every lesson kept"
    );
}

#[tokio::test]
async fn my_information_is_shown_downloaded_corrected_withdrawn_and_erased() {
    let tb = TestBox::start().await;
    let mut f = set_up(&tb).await;
    let mut phone = Phone::new(&tb);
    join(&mut phone, "Y Lan", "Buôn Đôn", true).await;
    let lan = id_of(&tb, "Y Lan").await;
    let first = &catalogue().modules[0].lessons[0].id;
    phone.post_form(&format!("/m/{first}/xong"), &[]).await;
    crate::quiz::answer(&mut phone, first, &crate::quiz::right_answers(first)).await;
    let mut someone = Phone::new(&tb);
    join(&mut someone, "Y Sơn", "Buôn Đôn", false).await;

    // "Bài của tôi" leads to it; it shows everything the box holds.
    let me = phone.page("/me", StatusCode::OK).await;
    assert!(attrs(&me, "a", "href").contains(&"/me/thong-tin".to_string()));
    let page = phone.page("/me/thong-tin", StatusCode::OK).await;
    let profile = text(&page, "#profile");
    for shown in ["Y Lan", "Buôn Đôn", "1990", "Nữ", "Ê Đê", "không có"] {
        assert!(profile.contains(shown), "{shown}: {profile}");
    }
    assert!(text(&page, "#consent").contains("thông báo bản 1; năm sinh, giới tính, dân tộc: có"));
    assert!(text(&page, "#learning").contains("Bài đã học xong: 1"));
    assert!(text(&page, "#learning").contains("Bài kiểm tra đã làm: 1, đạt: 1"));
    assert!(text(&page, "#devices").contains("Điện thoại đang đăng nhập: 1"));
    assert!(text(&page, "#province").contains("Không gửi tên của bạn"));
    assert!(text(&page, "#province").contains("Năm sinh, giới tính, dân tộc"));
    assert!(text(&page, "#keep").contains("24 tháng"));

    // As a download: JSON and CSV, attachments, this learner's only.
    let json_file = phone.get("/me/thong-tin.json").await;
    assert_eq!(json_file.status(), StatusCode::OK);
    assert!(
        json_file.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    let held: Value = json_file.json().await.unwrap();
    assert_eq!(held["learner"]["id"], lan.as_str());
    assert_eq!(held["learner"]["display_name"], "Y Lan");
    assert_eq!(held["learner"]["ethnic_group"], "Ê Đê");
    assert_eq!(held["consent"]["history"][0]["given"]["optional"], true);
    assert_eq!(held["learning"]["lessons"][0]["lesson"], first.as_str());
    assert!(held["learning"]["lessons"][0]["finished_at"].is_string());
    assert_eq!(held["learning"]["lessons"][0]["quiz"]["best"], 3);
    assert_eq!(held["sessions"].as_array().unwrap().len(), 1);
    assert_eq!(held["sent_to_province"]["name"], false);
    assert_eq!(held["kept_months_unseen"], 24);
    assert!(!held.to_string().contains("Y Sơn"), "nobody else's");
    let csv = phone.get("/me/thong-tin.csv").await;
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    let csv = csv.text().await.unwrap();
    assert!(csv.starts_with('\u{feff}') && csv.contains("Y Lan") && csv.contains("Ê Đê"));
    // Without a session, none of it.
    for path in [
        "/me/thong-tin",
        "/me/thong-tin.json",
        "/me/thong-tin.csv",
        "/me/xoa",
    ] {
        let anon = Phone::new(&tb).get(path).await;
        assert_eq!(anon.status(), StatusCode::SEE_OTHER, "{path}");
        assert!(location(&anon).starts_with("/signin"), "{path}");
    }

    // Corrected: bad input is said and stores nothing; good input is kept, with an event.
    let events = tb.store().event_count().await.unwrap().events;
    for (fields, said) in [
        (
            vec![("display_name", " "), ("village", "Buôn Đôn")],
            "Hãy gõ tên của bạn.",
        ),
        (
            vec![("display_name", "Y\u{202e}Lan"), ("village", "Buôn Đôn")],
            "ký tự ẩn",
        ),
        (
            vec![
                ("display_name", "Y Lan"),
                ("village", "Buôn Đôn"),
                ("ethnic_group", "Ê Đê"),
            ],
            "hãy đánh dấu đồng ý",
        ),
        (
            vec![
                ("display_name", "Y Lan"),
                ("village", "Buôn Đôn"),
                ("gender", "<script>"),
                ("optional_consent", "1"),
            ],
            "Hãy chọn trong danh sách.",
        ),
    ] {
        let bad = phone.post_form("/me/thong-tin", &fields).await;
        assert_eq!(bad.status(), StatusCode::BAD_REQUEST, "{fields:?}");
        let page = Html::parse_document(&bad.text().await.unwrap());
        assert!(text(&page, "#correct").contains(said), "{fields:?}");
    }
    assert_eq!(tb.store().event_count().await.unwrap().events, events);
    let good = phone
        .post_form(
            "/me/thong-tin",
            &[
                ("display_name", "Y Lan Niê"),
                ("village_new", "Buôn Trấp"),
                ("birth_year", "1991"),
                ("gender", "nu"),
                ("ethnic_group", "Ê Đê"),
                ("optional_consent", "1"),
            ],
        )
        .await;
    assert_eq!(good.status(), StatusCode::SEE_OTHER);
    let corrected = tb.store().learner_data(&lan).await.unwrap().unwrap();
    assert_eq!(
        (
            corrected.learner.display_name.as_str(),
            corrected.learner.village.as_str(),
            corrected.learner.birth_year
        ),
        ("Y Lan Niê", "Buôn Trấp", Some(1991))
    );
    assert_eq!(corrected.consents.len(), 1, "consent unchanged: no new one");
    assert_eq!(
        tb.store().event_count().await.unwrap().events,
        events + 1,
        "a learner_updated event"
    );

    // Withdrawn: the optional fields go from the learner and from every earlier profile event.
    let withdrawn = phone.post_form("/me/thong-tin/rut-dong-y", &[]).await;
    assert_eq!(location(&withdrawn), "/me/thong-tin?saved=withdrawn");
    let after = tb.store().learner_data(&lan).await.unwrap().unwrap();
    assert_eq!(
        (
            after.learner.birth_year,
            after.learner.gender.clone(),
            after.learner.ethnic_group.clone()
        ),
        (None, None, None)
    );
    assert_eq!(
        consents(&after).last().unwrap(),
        &json!({"notice": 1, "basic": true, "optional": false, "by": "learner", "withdrawn": "optional"})
    );
    let payloads = profile_payloads(&tb, "events", &lan).await;
    assert_eq!(payloads.len(), 2);
    assert!(!holds_any(
        &payloads,
        &["birth_year", "gender", "ethnic_group"]
    ));
    assert!(payloads.iter().all(|p| p.get("display_name").is_some()));
    let page = phone.page("/me/thong-tin", StatusCode::OK).await;
    assert!(text(&page, "#consent").contains("(đã rút lại)"));
    assert!(text(&page, "#profile").contains("không ghi"));

    // Erased: the page says it is final first; without the confirmation nothing goes.
    let figures = report_figures(&mut f).await;
    let confirm = phone.page("/me/xoa", StatusCode::OK).await;
    assert!(text(&confirm, "main").contains("không lấy lại được"));
    assert_eq!(
        attrs(
            &confirm,
            "form[action='/me/xoa'] input[name=confirm]",
            "value"
        ),
        ["yes"]
    );
    for confirm in ["", "no", "Yes", "yes ", "<b>yes</b>"] {
        let refused = phone.post_form("/me/xoa", &[("confirm", confirm)]).await;
        assert_eq!(refused.status(), StatusCode::BAD_REQUEST, "{confirm:?}");
    }
    assert!(tb.store().learner(&lan).await.unwrap().is_some());
    let erased = phone.post_form("/me/xoa", &[("confirm", "yes")]).await;
    assert_eq!(erased.status(), StatusCode::OK);
    assert!(phone.cookie.is_none(), "the phone is signed out");
    let said = Html::parse_document(&erased.text().await.unwrap());
    assert!(text(&said, "main").contains("Máy đã xoá thông tin của bạn"));
    assert_eq!(location(&phone.get("/me").await), "/signin");
    let gone = tb.store().learner_even_erased(&lan).await.unwrap().unwrap();
    assert!(gone.erased_at.is_some());
    assert_eq!(
        (
            gone.display_name.as_str(),
            gone.secret.is_none(),
            gone.village.as_str()
        ),
        ("", true, "Buôn Trấp")
    );
    let payloads = profile_payloads(&tb, "events", &lan).await;
    assert!(!holds_any(&payloads, &["display_name", "village"]));
    // Nowhere to sign in as them; every report's count the same, the name gone.
    let list = Phone::new(&tb)
        .page("/signin?village=Bu%C3%B4n%20Tr%E1%BA%A5p", StatusCode::OK)
        .await;
    assert!(!text(&list, "main").contains("Y Lan"));
    assert_eq!(report_figures(&mut f).await, figures);
    let each = f.page("/f/reports/learners", StatusCode::OK).await;
    assert!(text(&each, "main").contains("(đã xoá tên)"));
    assert!(!text(&each, "main").contains("Y Lan"));
    let page = f.page(&format!("/f/learners/{lan}"), StatusCode::OK).await;
    assert!(text(&page, "main").contains("đã được xoá"));
    // Erasing again, or erasing by the facilitator's form, finds nobody.
    let again = f
        .post_f(&format!("/f/learners/{lan}/xoa"), &[("confirm", "yes")])
        .await;
    assert_eq!(again.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_facilitator_sees_downloads_withdraws_and_erases_for_a_learner_without_a_phone() {
    let tb = TestBox::start().await;
    let mut f = set_up(&tb).await;
    let made = f
        .post_f(
            "/f/learners/new",
            &[
                ("display_name", "Y Moan"),
                ("village_new", "Buôn Đôn"),
                ("ethnic_group", "Ê Đê"),
                ("optional_consent", "1"),
            ],
        )
        .await;
    let page = location(&made);
    let moan = page
        .trim_start_matches("/f/learners/")
        .split('?')
        .next()
        .unwrap()
        .to_string();
    let shown = f.page(&format!("/f/learners/{moan}"), StatusCode::OK).await;
    assert!(text(&shown, "main").contains("Thông tin và quyền của người học"));
    let data = f
        .page(&format!("/f/learners/{moan}/thong-tin"), StatusCode::OK)
        .await;
    assert!(text(&data, "#profile").contains("Ê Đê"));
    assert!(text(&data, "#consent").contains("có"));
    let held: Value = f
        .get(&format!("/f/learners/{moan}/thong-tin.json"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(held["learner"]["display_name"], "Y Moan");
    assert_eq!(held["consent"]["history"][0]["given"]["by"], "facilitator");
    let csv = f
        .get(&format!("/f/learners/{moan}/thong-tin.csv"))
        .await
        .text()
        .await
        .unwrap();
    assert!(csv.contains("Y Moan"));

    // Corrected by the facilitator, consent taken back with it: a withdrawal is recorded.
    let saved = f
        .post_f(
            &format!("/f/learners/{moan}"),
            &[("display_name", "Y Moan Niê"), ("village", "Buôn Đôn")],
        )
        .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let after = tb.store().learner_data(&moan).await.unwrap().unwrap();
    assert_eq!(after.learner.display_name, "Y Moan Niê");
    assert_eq!(after.learner.ethnic_group, None);
    assert_eq!(
        consents(&after).last().unwrap()["withdrawn"],
        "optional",
        "{:?}",
        after.consents
    );
    let withdraw = f
        .post_f(&format!("/f/learners/{moan}/rut-dong-y"), &[])
        .await;
    assert_eq!(withdraw.status(), StatusCode::SEE_OTHER);

    // Erasure: a confirmation first (no script needed), then final.
    let confirm = f
        .page(&format!("/f/learners/{moan}/xoa"), StatusCode::OK)
        .await;
    assert!(text(&confirm, "main").contains("không lấy lại được"));
    let refused = f.post_f(&format!("/f/learners/{moan}/xoa"), &[]).await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    assert!(tb.store().learner(&moan).await.unwrap().is_some());
    let erased = f
        .post_f(&format!("/f/learners/{moan}/xoa"), &[("confirm", "yes")])
        .await;
    assert_eq!(location(&erased), format!("/f/learners/{moan}"));
    assert!(tb.store().learner(&moan).await.unwrap().is_none());
    let list = f.page("/f/learners", StatusCode::OK).await;
    assert!(!text(&list, "main").contains("Y Moan"));
    for path in ["thong-tin", "thong-tin.json", "thong-tin.csv", "xoa"] {
        let gone = f.get(&format!("/f/learners/{moan}/{path}")).await;
        assert_eq!(gone.status(), StatusCode::NOT_FOUND, "{path}");
    }
}

async fn corrections_withdrawals_and_erasures_reach_the_hub(engine: Engine) {
    let hub = TestBox::start_hub_on(&engine).await;
    let tb = TestBox::start().await;
    let mut f = set_up(&tb).await;
    f.post_f("/f/sync/names", &[("share", "1")]).await;
    enrol(&hub, &tb).await;
    let first = &catalogue().modules[0].lessons[0].id;
    let mut lan = Phone::new(&tb);
    join(&mut lan, "Y Lan", "Buôn Đôn", true).await;
    lan.post_form(&format!("/m/{first}/xong"), &[]).await;
    let mut hen = Phone::new(&tb);
    join(&mut hen, "H'Hen Niê", "Buôn Ea Sol", true).await;
    hen.post_form(&format!("/m/{first}/xong"), &[]).await;
    let (lan_id, hen_id) = (id_of(&tb, "Y Lan").await, id_of(&tb, "H'Hen Niê").await);
    let sync = async || client::sync(&tb.store(), None, &|_| {}).await.unwrap();
    sync().await;
    let records = hub.records().await;
    let held = hub_learner(&records, &lan_id).await;
    assert_eq!(
        (held.name.as_deref(), held.ethnic_group.as_deref()),
        (Some("Y Lan"), Some("Ê Đê"))
    );

    // A correction reaches the hub as the original did.
    lan.post_form(
        "/me/thong-tin",
        &[
            ("display_name", "Y Lan Niê"),
            ("village", "Buôn Đôn"),
            ("birth_year", "1990"),
            ("gender", "nu"),
            ("ethnic_group", "M'nông"),
            ("optional_consent", "1"),
        ],
    )
    .await;
    sync().await;
    let held = hub_learner(&records, &lan_id).await;
    assert_eq!(
        (held.name.as_deref(), held.ethnic_group.as_deref()),
        (Some("Y Lan Niê"), Some("M'nông"))
    );

    // A withdrawal: cleared on the box, and at the hub after the sync, in the profile and in
    // every profile event it holds.
    lan.post_form("/me/thong-tin/rut-dong-y", &[]).await;
    assert!(holds_any(
        &profile_payloads(&hub, "hub_events", &lan_id).await,
        &["ethnic_group"]
    ));
    sync().await;
    let held = hub_learner(&records, &lan_id).await;
    assert_eq!(
        (
            held.birth_year,
            held.gender.as_deref(),
            held.ethnic_group.as_deref()
        ),
        (None, None, None)
    );
    assert_eq!(held.name.as_deref(), Some("Y Lan Niê"));
    let payloads = profile_payloads(&hub, "hub_events", &lan_id).await;
    assert_eq!(payloads.len(), 2);
    assert!(!holds_any(
        &payloads,
        &["birth_year", "gender", "ethnic_group"]
    ));
    assert!(holds_any(&payloads, &["village"]));

    // An erasure (by the facilitator, H'Hen has asked): nameless on the box and at the hub
    // after the sync, every count the same, and the dashboard's sums still the learners'.
    let before = hub_counts(&records).await;
    let figures = report_figures(&mut f).await;
    let erased = f
        .post_f(&format!("/f/learners/{hen_id}/xoa"), &[("confirm", "yes")])
        .await;
    assert_eq!(erased.status(), StatusCode::SEE_OTHER);
    sync().await;
    let held = hub_learner(&records, &hen_id).await;
    assert_eq!(
        (
            held.name.as_deref(),
            held.birth_year,
            held.ethnic_group.as_deref(),
            held.village.as_str()
        ),
        (None, None, None, "Buôn Ea Sol")
    );
    let payloads = profile_payloads(&hub, "hub_events", &hen_id).await;
    assert!(!holds_any(
        &payloads,
        &[
            "display_name",
            "village",
            "birth_year",
            "gender",
            "ethnic_group"
        ]
    ));
    assert_eq!(hub_counts(&records).await, before);
    assert_eq!(report_figures(&mut f).await, figures);
    let (kept, remade) = sums_and_remade(&hub).await;
    assert_eq!(kept, remade);
    assert!(!kept.iter().any(|line| line.contains("|ethnic|Ê Đê|2|")));

    // A batch sent again with the learner's old profile (a box restored, a resent file)
    // brings nothing back.
    let store = tb.store();
    let (events, _) = store
        .events_after(store.box_id(), 0, 1, true)
        .await
        .unwrap();
    let batch = Batch {
        box_id: store.box_id().to_string(),
        commune: "Xã Ea Sol".into(),
        events,
        learners: vec![WireLearner {
            id: hen_id.clone(),
            name: Some("H'Hen Niê".into()),
            village: "Buôn Ea Sol".into(),
            birth_year: Some(1990),
            gender: Some("nu".into()),
            ethnic_group: Some("Ê Đê".into()),
        }],
    };
    let sealed = envelope::seal(Kind::Batch, store.box_id(), store.keys(), &batch);
    let pushed = hub
        .client
        .post(hub.url("/hub/v1/push"))
        .body(sealed)
        .send()
        .await
        .unwrap();
    assert_eq!(pushed.status(), StatusCode::OK);
    let held = hub_learner(&records, &hen_id).await;
    assert_eq!(
        (held.name.as_deref(), held.ethnic_group.as_deref()),
        (None, None)
    );
    assert_eq!(hub_counts(&records).await, before);
}

const PROVINCE: &str = "Đắk Lắk";

async fn an_erasure_passes_through_a_province_hub_to_the_national_hub(engine: Engine) {
    let national = TestBox::start_hub_on(&engine).await;
    let province = TestBox::start_hub().await;
    let tb = TestBox::start().await;
    let mut f = set_up(&tb).await;
    f.post_f("/f/sync/names", &[("share", "1")]).await;
    enrol(&province, &tb).await;
    let mut lan = Phone::new(&tb);
    join(&mut lan, "Y Lan", "Buôn Đôn", true).await;
    let first = &catalogue().modules[0].lessons[0].id;
    lan.post_form(&format!("/m/{first}/xong"), &[]).await;
    let lan_id = id_of(&tb, "Y Lan").await;
    client::sync(&tb.store(), None, &|_| {}).await.unwrap();
    let records = province.records().await;
    let code = national
        .records()
        .await
        .new_join_code(PROVINCE)
        .await
        .unwrap();
    relay::join(&records, &national.base, &code, (None, false))
        .await
        .unwrap();
    relay::forward(&records).await.unwrap();
    let nation = national.records().await;
    assert_eq!(
        hub_learner(&nation, &lan_id).await.name.as_deref(),
        Some("Y Lan")
    );
    let before = hub_counts(&nation).await;

    // Erased on the box: the province hub takes it, passes it on, and the national hub
    // applies it the same way.
    lan.post_form("/me/xoa", &[("confirm", "yes")]).await;
    client::sync(&tb.store(), None, &|_| {}).await.unwrap();
    assert_eq!(hub_learner(&records, &lan_id).await.name, None);
    relay::forward(&records).await.unwrap();
    let held = hub_learner(&nation, &lan_id).await;
    assert_eq!(
        (
            held.name.as_deref(),
            held.ethnic_group.as_deref(),
            held.village.as_str()
        ),
        (None, None, "Buôn Đôn")
    );
    assert!(!holds_any(
        &profile_payloads(&national, "hub_events", &lan_id).await,
        &["display_name", "ethnic_group"]
    ));
    assert_eq!(hub_counts(&nation).await, before);

    // The province hub no longer keeps the box's signed batches that carried the name (the
    // national hub holds them); passed on again from the start, nothing comes back.
    let db = rusqlite::Connection::open(province.data_dir.join(hocso::store::DB_FILE)).unwrap();
    let kept: i64 = db
        .query_row("SELECT COUNT(*) FROM hub_batches", [], |r| r.get(0))
        .unwrap();
    assert_eq!(kept, 0);
    let HubStore::Sqlite(sqlite) = &records else {
        panic!("the province hub runs on SQLite")
    };
    sqlite.set_forwarded(tb.store().box_id(), 0).await.unwrap();
    let done = relay::forward(&records).await.unwrap();
    assert!(done.held_back.is_empty(), "{:?}", done.held_back);
    let held = hub_learner(&nation, &lan_id).await;
    assert_eq!((held.name, held.ethnic_group), (None, None));
    assert_eq!(hub_counts(&nation).await, before);
}

on_both_engines!(
    corrections_withdrawals_and_erasures_reach_the_hub,
    an_erasure_passes_through_a_province_hub_to_the_national_hub,
);

#[tokio::test]
async fn names_of_learners_not_seen_are_erased_once_the_clock_moves_on() {
    let hub = TestBox::start_hub().await;
    let tb = TestBox::start().await;
    let mut f = set_up(&tb).await;
    enrol(&hub, &tb).await;
    let mut lan = Phone::new(&tb);
    join(&mut lan, "Y Lan", "Buôn Đôn", true).await;
    let first = &catalogue().modules[0].lessons[0].id;
    lan.post_form(&format!("/m/{first}/xong"), &[]).await;
    let lan_id = id_of(&tb, "Y Lan").await;
    client::sync(&tb.store(), None, &|_| {}).await.unwrap();
    let records = hub.records().await;
    let before = hub_counts(&records).await;

    // Kept 24 months by default; nobody is due now.
    let dash = f.page("/f", StatusCode::OK).await;
    assert!(text(&dash, "#retention").contains("24 tháng"));
    assert!(text(&dash, "#retention .due").contains(": 0 người học"));

    // The clock moved three years on by a facilitator: retention waits and says what it
    // would do; the box restarted (the look at start) erases nobody while it waits.
    let three_years_on = (time::OffsetDateTime::now_utc() + time::Duration::days(3 * 365))
        .date()
        .to_string();
    let set = f
        .post_f("/f/clock", &[("date", &three_years_on), ("time", "08:00")])
        .await;
    assert_eq!(set.status(), StatusCode::SEE_OTHER);
    let dash = f.page("/f", StatusCode::OK).await;
    let said = text(&dash, "#retention");
    assert!(
        said.contains("Tạm dừng") && said.contains("1 người học"),
        "{said}"
    );
    let tb = tb.restart().await;
    let mut f = set_up_again(&tb).await;
    assert!(tb.store().learner(&lan_id).await.unwrap().is_some());

    // Going on erases at once, with the event the hub applies as an asked erasure.
    let resumed = f.post_f("/f/giu-ten", &[("resume", "1")]).await;
    assert_eq!(location(&resumed), "/f#retention");
    let gone = tb
        .store()
        .learner_even_erased(&lan_id)
        .await
        .unwrap()
        .unwrap();
    assert!(gone.erased_at.is_some() && gone.display_name.is_empty());
    let payloads = profile_payloads(&tb, "events", &lan_id).await;
    assert!(!holds_any(&payloads, &["display_name", "ethnic_group"]));
    let dash = f.page("/f", StatusCode::OK).await;
    assert!(text(&dash, "#retention .due").contains(": 0 người học"));
    client::sync(&tb.store(), None, &|_| {}).await.unwrap();
    let held = hub_learner(&records, &lan_id).await;
    assert_eq!((held.name, held.ethnic_group), (None, None));
    assert_eq!(hub_counts(&records).await, before);

    // Fewer months, confirmed first since they would erase someone now; bad months refused.
    let mut son = Phone::new(&tb);
    join(&mut son, "Y Sơn", "Buôn Đôn", false).await;
    let son_id = id_of(&tb, "Y Sơn").await;
    for bad in ["", "-1", "121", "hai", "1.5", "<script>", "٣"] {
        let refused = f.post_f("/f/giu-ten", &[("months", bad)]).await;
        assert_eq!(refused.status(), StatusCode::BAD_REQUEST, "{bad:?}");
    }
    assert_eq!(
        tb.store()
            .setting(hocso::learn::rights::RETENTION_MONTHS)
            .await
            .unwrap(),
        None
    );
    let saved = f.post_f("/f/giu-ten", &[("months", "1")]).await;
    assert_eq!(location(&saved), "/f#retention");

    // The box's clock moved on by two months (kept in its settings, as a correction is) and
    // the box restarted: the look at start erases Y Sơn.
    let offset: i64 = tb
        .store()
        .setting(hocso::store::CLOCK_OFFSET)
        .await
        .unwrap()
        .unwrap()
        .parse()
        .unwrap();
    tb.store()
        .set_setting(
            hocso::store::CLOCK_OFFSET,
            &(offset + 62 * 86_400).to_string(),
        )
        .await
        .unwrap();
    let tb = tb.restart().await;
    let mut erased = false;
    for _ in 0..200 {
        if tb.store().learner(&son_id).await.unwrap().is_none() {
            erased = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(erased, "erased as the box started");
    let data = tb.store().learner_data(&son_id).await.unwrap().unwrap();
    assert!(data.learner.erased_at.is_some());

    // Set to keep for ever: nothing is due, and the page says so.
    let mut f = set_up_again(&tb).await;
    let mut kept = Phone::new(&tb);
    join(&mut kept, "H'Hen", "Buôn Đôn", false).await;
    f.post_f("/f/giu-ten", &[("months", "0")]).await;
    let dash = f.page("/f", StatusCode::OK).await;
    assert!(text(&dash, "#retention").contains("đến khi họ xin xoá"));
}

/// The facilitator signed in again on a restarted box.
async fn set_up_again(tb: &TestBox) -> Phone<'_> {
    let mut f = Phone::new(tb);
    let token = crate::facilitators::csrf(&mut f, "/f/signin").await;
    let signed = f
        .post_form(
            "/f/signin",
            &[
                ("csrf", &token),
                ("name", "Lê Thị Hoa"),
                ("password", crate::facilitators::PASSWORD),
            ],
        )
        .await;
    assert_eq!(signed.status(), StatusCode::SEE_OTHER);
    f
}

/// "Thông tin của tôi" and the erasure's confirmation in Chromium at 360×640, with and
/// without script: whole on the screen, passing axe-core, and the erasure done by a tap.
async fn my_information_on_a_phone(js: bool) {
    use crate::browser::{Browser, axe_source, axe_violations};
    let Some(browser) = Browser::start(js).await else {
        return;
    };
    // axe-core is a script: it runs on the pages drawn with scripts on.
    let axe = match js {
        true => match axe_source() {
            Some(axe) => Some(axe),
            None => return,
        },
        false => None,
    };
    let tb = TestBox::start().await;
    let mut f = set_up(&tb).await;
    f.post_f("/f/sync/names", &[("share", "1")]).await;
    browser
        .join(&tb, "Nguyễn Thị Phương Thảo Nguyên", "Thôn Hòa Bình Đông")
        .await;
    let name = if js { "with-js" } else { "without-js" };
    let mut violations = Vec::new();

    browser.open(&tb, "/me").await;
    browser.tap("p.my-data a").await;
    browser.wait_for_path("/me/thong-tin").await;
    assert!(browser.text("#province").await.contains("Tên của bạn"));
    browser.check_fits_phone().await;
    browser.screenshot(&format!("me-thong-tin-{name}")).await;
    if let Some(axe) = &axe {
        violations.extend(axe_violations(&browser, axe).await);
    }

    // The optional fields given with the consent ticked, on the phone.
    browser.tap("#optional_consent").await;
    browser.type_into("#birth_year", "1992").await;
    browser.tap("#correct button.button[type=submit]").await;
    browser.find("main p.note[role=status]").await;
    assert!(browser.text("#profile").await.contains("1992"));

    browser.tap("#erase a.button").await;
    browser.wait_for_path("/me/xoa").await;
    assert!(browser.text("main").await.contains("không lấy lại được"));
    browser.check_fits_phone().await;
    browser.screenshot(&format!("me-xoa-{name}")).await;
    if let Some(axe) = &axe {
        violations.extend(axe_violations(&browser, axe).await);
    }
    browser.tap("form[action='/me/xoa'] button").await;
    browser.find("main a.button[href='/']").await;
    let said = browser.text("main h1").await;
    assert!(said.contains("Đã xoá"), "{said}");
    if let Some(axe) = &axe {
        violations.extend(axe_violations(&browser, axe).await);
    }
    assert!(tb.store().all_learners().await.unwrap().is_empty());

    assert!(
        violations.is_empty(),
        "{} accessibility violations:\n{}",
        violations.len(),
        violations.join("\n")
    );
}

#[tokio::test]
async fn my_information_and_its_erasure_read_on_a_phone() {
    crate::browser::within_minutes(my_information_on_a_phone(true)).await;
}

#[tokio::test]
async fn my_information_and_its_erasure_read_on_a_phone_without_javascript() {
    crate::browser::within_minutes(my_information_on_a_phone(false)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_erased_learner_stays_erased_when_a_sqlite_hub_moves_into_postgresql() {
    let Some(engine) = Engine::postgres().await else {
        return;
    };
    let hub = TestBox::start_hub().await;
    let tb = TestBox::start().await;
    let mut f = set_up(&tb).await;
    f.post_f("/f/sync/names", &[("share", "1")]).await;
    enrol(&hub, &tb).await;
    let mut lan = Phone::new(&tb);
    join(&mut lan, "Y Lan", "Buôn Đôn", true).await;
    let lan_id = id_of(&tb, "Y Lan").await;
    client::sync(&tb.store(), None, &|_| {}).await.unwrap();
    lan.post_form("/me/xoa", &[("confirm", "yes")]).await;
    client::sync(&tb.store(), None, &|_| {}).await.unwrap();

    let hub = hub.stopped().await;
    let from = hocso::store::Store::open_on(&hub.data_dir, None).unwrap();
    let to = hocso::store::Postgres::open(&engine.database().unwrap())
        .await
        .unwrap();
    hocso::store::migrate_to_postgres(&from, &to, &|_, _| {})
        .await
        .unwrap();
    let records = HubStore::Postgres(to);
    assert_eq!(hub_learner(&records, &lan_id).await.name, None);
    // The box's first batch sent again, carrying the old named profile: nothing comes back.
    let store = tb.store();
    let (events, _) = store
        .events_after(store.box_id(), 0, 1, true)
        .await
        .unwrap();
    let batch = Batch {
        box_id: store.box_id().to_string(),
        commune: "Xã Ea Sol".into(),
        events,
        learners: vec![WireLearner {
            id: lan_id.clone(),
            name: Some("Y Lan".into()),
            village: "Buôn Đôn".into(),
            birth_year: Some(1990),
            gender: Some("nu".into()),
            ethnic_group: Some("Ê Đê".into()),
        }],
    };
    records.accept(batch, None).await.unwrap().unwrap();
    let held = hub_learner(&records, &lan_id).await;
    assert_eq!((held.name, held.ethnic_group), (None, None));
}
