//! The hub minds its officers, on both engines: no officer sees learners' names until an
//! administrator allows it; every CSV export and every look at learners is logged (who,
//! when, what) in the same transaction, and only an administrator reads the log; grants and
//! revocations are logged too; a hub made before roles keeps every officer without names.

use hocso::protocol::wire::{Batch, WireEvent, WireLearner};
use hocso::protocol::{Keys, envelope, envelope::Kind};
use hocso::store::{AuditAction, AuditEntry, AuditQuery, HubStore, NewFacilitator, Scope};
use reqwest::StatusCode;
use serde_json::json;

use crate::facilitators::{PASSWORD, csrf, set_up};
use crate::postgres::{Engine, on_both_engines};
use crate::support::{Phone, TestBox, attrs, texts};

/// A name a commune chose to send, with markup that must stay text.
const NAME: &str = "H'Hen Niê <i>Mai</i>";

/// Sends one more batch of `box_id` at `seq`: a learner of `name` (`None`: the commune did
/// not send it) who finished a lesson. Answers the learner's id.
async fn learner(hub: &TestBox, box_id: &str, keys: &Keys, seq: i64, name: Option<&str>) -> String {
    let id = uuid::Uuid::now_v7().to_string();
    let batch = Batch {
        box_id: box_id.into(),
        commune: "Xã Ea Sol".into(),
        events: vec![WireEvent {
            seq,
            id: uuid::Uuid::now_v7().to_string(),
            kind: "lesson_finished".into(),
            learner: Some(id.clone()),
            lesson: Some("dien-thoai/bat-dau".into()),
            payload: json!({}),
            at: "2026-12-02T08:00:00Z".into(),
            recorded_at: "2026-12-02T08:00:00Z".into(),
        }],
        learners: vec![WireLearner {
            id: id.clone(),
            name: name.map(str::to_string),
            village: "Buôn Đôn".into(),
            birth_year: Some(1984),
            gender: Some("nu".into()),
            ethnic_group: Some("Ê Đê".into()),
        }],
    };
    let pushed = hub
        .client
        .post(hub.url("/hub/v1/push"))
        .body(envelope::seal(Kind::Batch, box_id, keys, &batch))
        .send()
        .await
        .unwrap();
    assert_eq!(pushed.status(), StatusCode::OK);
    id
}

/// Adds officer `name` (of `province`, if any) and signs them in.
async fn officer<'a>(hub: &'a TestBox, name: &str, province: Option<&str>) -> (Phone<'a>, String) {
    let added = hub
        .records()
        .await
        .accounts()
        .add_facilitator(NewFacilitator {
            province: province.map(str::to_string),
            ..hocso::facilitate::new_facilitator(name, PASSWORD, PASSWORD).unwrap()
        })
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        added.roles,
        hocso::store::Roles::default(),
        "no role at first"
    );
    let mut phone = Phone::new(hub);
    let token = csrf(&mut phone, "/f/signin").await;
    let signed_in = phone
        .post_form(
            "/f/signin",
            &[("csrf", &token), ("name", name), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);
    (phone, added.id)
}

/// The log's lines of officer `id`, newest first.
async fn lines_of(records: &HubStore, id: &str) -> Vec<AuditEntry> {
    records
        .audit_log(&AuditQuery {
            scope: Scope::All,
            officer: Some(id.into()),
            before: None,
            limit: 1000,
        })
        .await
        .unwrap()
}

async fn text_of(phone: &mut Phone<'_>, path: &str) -> (StatusCode, String) {
    let answer = phone.get(path).await;
    (answer.status(), answer.text().await.unwrap())
}

/// Checks the newest line of `lines`: `action` on `subject`, names shown or not, just now.
fn newest(lines: &[AuditEntry], action: AuditAction, subject: &str, names: bool) {
    let line = &lines[0];
    assert_eq!(
        (line.action, line.subject.as_str(), line.names),
        (action, subject, names),
        "{lines:#?}"
    );
    assert!(
        line.at.starts_with("20") && line.at.contains('T'),
        "{}",
        line.at
    );
}

async fn names_are_an_administrators_to_give_and_every_look_is_logged(engine: Engine) {
    let hub = TestBox::start_hub_on(&engine).await;
    // The officer who set the hub up with the server's code administers it.
    let mut admin = set_up(&hub).await;
    let (box_id, keys) = crate::provinces::commune(&hub, "", "Xã Ea Sol").await;
    let named = learner(&hub, &box_id, &keys, 2, Some(NAME)).await;
    let unnamed = learner(&hub, &box_id, &keys, 3, None).await;
    let records = hub.records().await;
    let (mut plain, plain_id) = officer(&hub, "Y Blang", None).await;
    let pseudonym = hocso::hub::officers::pseudonym(&named);

    // Without the role: a pseudonym everywhere, never the name, and each look logged.
    let page = plain.page("/hub/nguoi-hoc", StatusCode::OK).await;
    let cells = texts(&page, "table.report td");
    assert!(cells.contains(&pseudonym), "{cells:?}");
    assert!(!page.html().contains("Niê"), "no name on the list");
    newest(
        &lines_of(&records, &plain_id).await,
        AuditAction::Learners,
        "/hub/nguoi-hoc",
        false,
    );
    let page = plain
        .page(&format!("/hub/nguoi-hoc/{named}"), StatusCode::OK)
        .await;
    assert_eq!(texts(&page, "h1"), std::slice::from_ref(&pseudonym));
    assert!(!page.html().contains("Niê"), "no name on the record");
    newest(
        &lines_of(&records, &plain_id).await,
        AuditAction::Learner,
        &named,
        false,
    );
    let (status, csv) = text_of(&mut plain, "/hub/csv/learners").await;
    assert_eq!(status, StatusCode::OK);
    assert!(csv.contains(&pseudonym) && !csv.contains("Niê"), "{csv}");
    newest(
        &lines_of(&records, &plain_id).await,
        AuditAction::Export,
        "hocso-hub-learners.csv",
        false,
    );
    // Every other CSV file is logged as well, with its filter.
    for (path, file) in [
        ("/hub/csv/boxes", "hocso-hub-boxes.csv"),
        ("/hub/csv/commune", "hocso-hub-commune.csv"),
        ("/hub/csv/gender", "hocso-hub-gender.csv"),
    ] {
        let before = lines_of(&records, &plain_id).await.len();
        assert_eq!(text_of(&mut plain, path).await.0, StatusCode::OK);
        let lines = lines_of(&records, &plain_id).await;
        assert_eq!(lines.len(), before + 1, "{path}");
        newest(&lines, AuditAction::Export, file, false);
        assert_eq!(lines[0].officer, "Y Blang");
    }
    let (_, csv) = text_of(&mut plain, "/hub/csv/learners?xa=X%C3%A3+Ea+Sol").await;
    assert_eq!(csv.lines().count(), 1 + 3, "{csv}");
    assert_eq!(
        lines_of(&records, &plain_id).await[0].detail,
        "commune=Xã Ea Sol"
    );
    // A learner not there is not found, and nothing is logged of it.
    let before = lines_of(&records, &plain_id).await.len();
    let (status, _) = text_of(&mut plain, "/hub/nguoi-hoc/nobody").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(lines_of(&records, &plain_id).await.len(), before);

    // Nobody signed in reaches any of it.
    for path in [
        "/hub/nguoi-hoc",
        "/hub/csv/learners",
        "/hub/nhat-ky",
        "/hub/can-bo",
    ] {
        let answer = hub.get(path).await;
        assert_eq!(answer.status(), StatusCode::SEE_OTHER, "{path}");
    }
    // The log and the roles are the administrator's: 403 and a page that says so.
    for path in ["/hub/nhat-ky", "/hub/can-bo"] {
        let (status, body) = text_of(&mut plain, path).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
        assert!(body.contains("Chỉ dành cho quản trị viên"), "{body}");
    }
    let token = csrf(&mut plain, "/hub").await;
    let refused = plain
        .post_form(
            &format!("/hub/can-bo/{plain_id}/xem-ten"),
            &[("csrf", &token), ("on", "1")],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let page = plain.page("/hub", StatusCode::OK).await;
    let menu = texts(&page, ".fbar nav a");
    assert!(!menu.contains(&"Nhật ký".to_string()), "{menu:?}");

    // The administrator reads every line, newest first, and one officer's alone.
    let page = admin.page("/hub/nhat-ky", StatusCode::OK).await;
    let menu = texts(&page, ".fbar nav a");
    assert!(menu.contains(&"Nhật ký".to_string()), "{menu:?}");
    let rows = texts(&page, "table.report tbody tr");
    assert_eq!(rows.len(), lines_of(&records, &plain_id).await.len());
    assert!(rows[0].contains("Tải CSV") && rows[0].contains("hocso-hub-learners.csv"));
    assert!(rows.iter().any(|r| r.contains(&pseudonym)), "{rows:?}");
    let page = admin
        .page(&format!("/hub/nhat-ky?can-bo={plain_id}"), StatusCode::OK)
        .await;
    assert!(
        texts(&page, "table.report tbody tr")
            .iter()
            .all(|r| r.contains("Y Blang"))
    );

    // Names given: logged, and the officer sees the name the commune sent (escaped).
    let page = admin.page("/hub/can-bo", StatusCode::OK).await;
    let token = attrs(&page, "input[name=csrf]", "value").remove(0);
    let given = admin
        .post_form(
            &format!("/hub/can-bo/{plain_id}/xem-ten"),
            &[("csrf", &token), ("on", "1")],
        )
        .await;
    assert_eq!(given.status(), StatusCode::SEE_OTHER);
    let admin_id = records.accounts().officers(&Scope::All).await.unwrap();
    let admin_id = &admin_id.iter().find(|o| o.name == "Lê Thị Hoa").unwrap().id;
    let grants = lines_of(&records, admin_id).await;
    newest(&grants, AuditAction::Grant, "Y Blang", false);
    assert_eq!(grants[0].detail, "names");
    let page = plain.page("/hub/nguoi-hoc", StatusCode::OK).await;
    let cells = texts(&page, "table.report td");
    assert!(cells.contains(&NAME.to_string()), "{cells:?}");
    assert!(page.html().contains("&lt;i&gt;Mai"), "the name is text");
    // One whose commune sent no name shows by pseudonym still.
    assert!(cells.contains(&hocso::hub::officers::pseudonym(&unnamed)));
    newest(
        &lines_of(&records, &plain_id).await,
        AuditAction::Learners,
        "/hub/nguoi-hoc",
        true,
    );
    let page = plain
        .page(&format!("/hub/nguoi-hoc/{named}"), StatusCode::OK)
        .await;
    assert_eq!(texts(&page, "h1"), [NAME]);
    let (_, csv) = text_of(&mut plain, "/hub/csv/learners").await;
    assert!(csv.contains("Niê"), "{csv}");
    newest(
        &lines_of(&records, &plain_id).await,
        AuditAction::Export,
        "hocso-hub-learners.csv",
        true,
    );

    // And taken back: logged, and the name is gone again.
    let given = admin
        .post_form(
            &format!("/hub/can-bo/{plain_id}/xem-ten"),
            &[("csrf", &token), ("on", "0")],
        )
        .await;
    assert_eq!(given.status(), StatusCode::SEE_OTHER);
    newest(
        &lines_of(&records, admin_id).await,
        AuditAction::Revoke,
        "Y Blang",
        false,
    );
    let (_, csv) = text_of(&mut plain, "/hub/csv/learners").await;
    assert!(!csv.contains("Niê"), "{csv}");

    // The log goes a page at a time: fifty lines, then the older ones.
    for _ in 0..45 {
        plain.get("/hub/nguoi-hoc?trang=2").await;
    }
    let all = records
        .audit_log(&AuditQuery {
            scope: Scope::All,
            officer: None,
            before: None,
            limit: 1000,
        })
        .await
        .unwrap();
    assert!(all.len() > 50, "{}", all.len());
    assert!(all.windows(2).all(|w| w[0].id > w[1].id), "newest first");
    let page = admin.page("/hub/nhat-ky", StatusCode::OK).await;
    assert_eq!(texts(&page, "table.report tbody tr").len(), 50);
    let next = attrs(&page, "p.actions a", "href");
    assert_eq!(next, [format!("/hub/nhat-ky?truoc={}", all[49].id)]);
    let page = admin.page(&next[0], StatusCode::OK).await;
    assert_eq!(texts(&page, "table.report tbody tr").len(), all.len() - 50);
}

on_both_engines!(names_are_an_administrators_to_give_and_every_look_is_logged);

async fn a_province_administrator_minds_only_their_province(engine: Engine) {
    let hub = TestBox::start_hub_on(&engine).await;
    let _national = set_up(&hub).await;
    crate::provinces::commune(&hub, "Đắk Lắk", "Xã Ea Sol").await;
    crate::provinces::commune(&hub, "Tuyên Quang", "Xã Nà Hang").await;
    let records = hub.records().await;
    let (mut theirs, theirs_id) = officer(&hub, "Hà Văn Tú", Some("Tuyên Quang")).await;
    let (mut ours, ours_id) = officer(&hub, "Y Blang", Some("Đắk Lắk")).await;
    let (mut admin, admin_id) = officer(&hub, "Nguyễn Văn An", Some("Đắk Lắk")).await;
    // The first administrator of a hub made before roles is given on the server.
    let granting = hocso::store::Granting {
        by: None,
        role: hocso::store::OfficerRole::Administrator,
        on: true,
    };
    records
        .accounts()
        .set_role(&Scope::All, &admin_id, granting)
        .await
        .unwrap()
        .unwrap();
    let line = &records
        .audit_log(&AuditQuery {
            scope: Scope::All,
            officer: None,
            before: None,
            limit: 1,
        })
        .await
        .unwrap()[0];
    assert_eq!(
        (
            line.action,
            line.officer_id.as_deref(),
            line.officer.as_str()
        ),
        (AuditAction::Grant, None, "hocso hub")
    );
    assert_eq!(
        text_of(&mut theirs, "/hub/csv/learners").await.0,
        StatusCode::OK
    );
    assert_eq!(
        text_of(&mut ours, "/hub/csv/learners").await.0,
        StatusCode::OK
    );
    // Each sees only their province's learners.
    let (_, csv) = text_of(&mut ours, "/hub/csv/learners").await;
    assert!(
        csv.contains("Xã Ea Sol") && !csv.contains("Nà Hang"),
        "{csv}"
    );

    let page = admin.page("/hub/nhat-ky", StatusCode::OK).await;
    let rows = texts(&page, "table.report tbody tr");
    assert!(rows.iter().any(|r| r.contains("Y Blang")), "{rows:?}");
    assert!(!rows.iter().any(|r| r.contains("Hà Văn Tú")), "{rows:?}");
    // Nor can they give another province's officer a role.
    let page = admin.page("/hub/can-bo", StatusCode::OK).await;
    let listed = texts(&page, "table.report tbody td");
    assert!(
        !listed.iter().any(|c| c.contains("Hà Văn Tú")),
        "{listed:?}"
    );
    let token = attrs(&page, "input[name=csrf]", "value").remove(0);
    let refused = admin
        .post_form(
            &format!("/hub/can-bo/{theirs_id}/xem-ten"),
            &[("csrf", &token), ("on", "1")],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::NOT_FOUND);
    let given = admin
        .post_form(
            &format!("/hub/can-bo/{ours_id}/xem-ten"),
            &[("csrf", &token), ("on", "1")],
        )
        .await;
    assert_eq!(given.status(), StatusCode::SEE_OTHER);
    let officers = records.accounts().officers(&Scope::All).await.unwrap();
    let roles = |name: &str| officers.iter().find(|o| o.name == name).unwrap().roles;
    assert!(roles("Y Blang").see_names && !roles("Hà Văn Tú").see_names);
    // A bad form changes nothing and says so.
    let bad = admin
        .post_form(
            &format!("/hub/can-bo/{ours_id}/xem-ten"),
            &[("csrf", &token), ("on", "yes")],
        )
        .await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
}

on_both_engines!(a_province_administrator_minds_only_their_province);

/// Runs `sql` on the hub's own database, beside the running hub.
async fn on_the_database(hub: &TestBox, engine: &Engine, sqlite: &str, postgres: &str) {
    match engine {
        Engine::Postgres(db) => db.client().await.batch_execute(postgres).await.unwrap(),
        Engine::Sqlite => {
            let db = rusqlite::Connection::open(hub.data_dir.join(hocso::store::DB_FILE)).unwrap();
            db.busy_timeout(std::time::Duration::from_secs(10)).unwrap();
            db.execute_batch(sqlite).unwrap();
        }
    }
}

async fn a_look_that_cannot_be_logged_is_refused(engine: Engine) {
    let hub = TestBox::start_hub_on(&engine).await;
    let mut admin = set_up(&hub).await;
    let (box_id, keys) = crate::provinces::commune(&hub, "", "Xã Ea Sol").await;
    let named = learner(&hub, &box_id, &keys, 2, Some(NAME)).await;
    assert_eq!(
        text_of(&mut admin, "/hub/csv/boxes").await.0,
        StatusCode::OK
    );
    // The log stops taking lines (a full table, a broken disk): nothing goes out unlogged.
    on_the_database(
        &hub,
        &engine,
        "CREATE TRIGGER no_more BEFORE INSERT ON hub_audit BEGIN SELECT RAISE(ABORT, 'no'); END;",
        "CREATE FUNCTION no_more() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'no'; END; $$;
         CREATE TRIGGER no_more BEFORE INSERT ON hub_audit FOR EACH ROW EXECUTE FUNCTION no_more();",
    )
    .await;
    for path in [
        "/hub/csv/boxes".to_string(),
        "/hub/csv/commune".to_string(),
        "/hub/csv/learners".to_string(),
        "/hub/nguoi-hoc".to_string(),
        format!("/hub/nguoi-hoc/{named}"),
    ] {
        let answer = admin.get(&path).await;
        assert_eq!(answer.status(), StatusCode::INTERNAL_SERVER_ERROR, "{path}");
        let kind = answer.headers()[reqwest::header::CONTENT_TYPE].clone();
        assert!(
            kind.to_str().unwrap().starts_with("text/html"),
            "{path}: {kind:?}"
        );
        let body = answer.text().await.unwrap();
        assert!(
            !body.contains("Xã Ea Sol") && !body.contains(&box_id),
            "{path}"
        );
    }
    // The log itself is never changed nor emptied, and the hub goes on serving.
    let refused = match &engine {
        Engine::Postgres(db) => db
            .client()
            .await
            .batch_execute("UPDATE hub_audit SET officer = 'x'")
            .await
            .is_err(),
        Engine::Sqlite => {
            let db = rusqlite::Connection::open(hub.data_dir.join(hocso::store::DB_FILE)).unwrap();
            db.execute_batch("DELETE FROM hub_audit").is_err()
        }
    };
    assert!(refused);
    assert_eq!(text_of(&mut admin, "/hub").await.0, StatusCode::OK);
    assert_eq!(
        hub.records()
            .await
            .audit_log(&AuditQuery {
                scope: Scope::All,
                officer: None,
                before: None,
                limit: 10,
            })
            .await
            .unwrap()
            .len(),
        1
    );
}

on_both_engines!(a_look_that_cannot_be_logged_is_refused);

/// A PostgreSQL hub made before roles (every migration before `0007_officers.sql`), with
/// officers, opens with every officer holding no role and an empty log.
#[tokio::test]
async fn a_postgresql_hub_made_before_roles_gives_its_officers_none() {
    let Some(db) = crate::postgres::Database::new().await else {
        return;
    };
    let client = db.client().await;
    for sql in [
        include_str!("../../src/store/postgres/migrations/0001_hub.sql"),
        include_str!("../../src/store/postgres/migrations/0002_provinces_and_counts.sql"),
        include_str!("../../src/store/postgres/migrations/0003_relays.sql"),
        include_str!("../../src/store/postgres/migrations/0004_hub_sums.sql"),
        include_str!("../../src/store/postgres/migrations/0005_live.sql"),
        include_str!("../../src/store/postgres/migrations/0006_proposals.sql"),
    ] {
        client.batch_execute(sql).await.unwrap();
    }
    client
        .batch_execute(
            "CREATE TABLE schema_migrations (version bigint PRIMARY KEY, applied_at text NOT NULL);
             INSERT INTO schema_migrations SELECT v, '2026-01-01T00:00:00Z' FROM generate_series(1, 6) v;
             INSERT INTO officers (id, name, name_key, password_hash, created_at, province) VALUES
                 ('o1', 'Lê Thị Hoa', 'le thi hoa', 'x', '2026-01-01T00:00:00Z', NULL),
                 ('o2', 'Y Blang', 'y blang', 'x', '2026-01-01T00:00:00Z', 'Đắk Lắk');",
        )
        .await
        .unwrap();
    let hub = HubStore::Postgres(hocso::store::Postgres::open(&db.conninfo).await.unwrap());
    let officers = hub.accounts().officers(&Scope::All).await.unwrap();
    assert_eq!(officers.len(), 2);
    assert!(
        officers
            .iter()
            .all(|o| o.roles == hocso::store::Roles::default()),
        "{officers:?}"
    );
    let log = AuditQuery {
        scope: Scope::All,
        officer: None,
        before: None,
        limit: 10,
    };
    assert!(hub.audit_log(&log).await.unwrap().is_empty());
}

/// The roles on the server's command line: an administrator made, names given and taken,
/// each logged as the command line's; an unknown officer is said, not made.
async fn roles_are_given_on_the_command_line(engine: Engine) {
    use crate::cli::hub_command;
    let hub = TestBox::start_hub_on(&engine).await;
    let password = format!("{PASSWORD}\n{PASSWORD}\n");
    let said = |out: &std::process::Output| {
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    };
    let made = hub_command(
        &hub,
        &["officer", "Nguyễn Văn An", "--administrator"],
        &password,
    );
    assert!(made.status.success(), "{}", said(&made));
    let given = hub_command(&hub, &["grant", "nguyen van an", "names"], "");
    assert!(given.status.success(), "{}", said(&given));
    let taken = hub_command(&hub, &["revoke", "Nguyễn Văn An", "names"], "");
    assert!(taken.status.success(), "{}", said(&taken));
    assert!(said(&taken).contains("no longer has the role names"));
    let unknown = hub_command(&hub, &["grant", "Ai Đó", "administrator"], "");
    assert!(!unknown.status.success());
    assert!(said(&unknown).contains("no officer is named"));
    let bad = hub_command(&hub, &["grant", "Nguyễn Văn An", "everything"], "");
    assert!(!bad.status.success());

    let records = hub.records().await;
    let officer = &records.accounts().officers(&Scope::All).await.unwrap()[0];
    assert!(officer.roles.administrator && !officer.roles.see_names);
    let log = records
        .audit_log(&AuditQuery {
            scope: Scope::All,
            officer: None,
            before: None,
            limit: 10,
        })
        .await
        .unwrap();
    let lines: Vec<(AuditAction, &str, Option<&str>)> = log
        .iter()
        .map(|l| (l.action, l.detail.as_str(), l.officer_id.as_deref()))
        .collect();
    assert_eq!(
        lines,
        [
            (AuditAction::Revoke, "names", None),
            (AuditAction::Grant, "names", None),
            (AuditAction::Grant, "administrator", None),
        ]
    );
}

on_both_engines!(roles_are_given_on_the_command_line);

/// In Chromium at 360 px: the administrator reads the learners (by pseudonym), gives an
/// officer the names role with the page's own button, and reads the log that says so; each
/// page fits the phone and passes axe-core. `hub-officers.png`, `hub-log.png`.
async fn the_log_reads_on_a_phone() {
    use crate::browser::{Browser, axe_source, axe_violations};
    let Some(phone) = Browser::start(true).await else {
        return;
    };
    let hub = TestBox::start_hub().await;
    drop(set_up(&hub).await);
    let (box_id, keys) = crate::provinces::commune(&hub, "Đắk Lắk", "Xã Ea Sol").await;
    learner(&hub, &box_id, &keys, 2, Some(NAME)).await;
    let (mut plain, _) = officer(&hub, "Y Blang", None).await;
    plain.get("/hub/csv/commune").await;
    plain.get("/hub/nguoi-hoc").await;
    phone.open(&hub, "/f/signin").await;
    phone.type_into("input[name=name]", "Lê Thị Hoa").await;
    phone.type_into("input[name=password]", PASSWORD).await;
    phone
        .tap("form[action='/f/signin'] button[type=submit]")
        .await;
    phone.wait_for_path("/hub").await;
    let axe = axe_source();
    let check = async |name: Option<&str>| {
        phone.find("main h1").await;
        phone.check_fits_phone().await;
        if let Some(name) = name {
            phone.screenshot(name).await;
        }
        if let Some(axe) = &axe {
            let violations = axe_violations(&phone, axe).await;
            assert!(violations.is_empty(), "{violations:#?}");
        }
    };
    phone.open(&hub, "/hub/nguoi-hoc").await;
    check(None).await;
    phone.tap("table.report td a").await;
    check(None).await;
    assert!(phone.text("h1").await.starts_with("NH-"));
    phone.open(&hub, "/hub/can-bo").await;
    check(Some("hub-officers")).await;
    phone
        .tap("form[action$='/xem-ten'] button[type=submit]")
        .await;
    phone.wait_for_path("/hub/can-bo").await;
    phone.find("p.note[role=status]").await;
    phone.open(&hub, "/hub/nhat-ky").await;
    check(Some("hub-log")).await;
    let first = phone.text("table.report tbody tr").await;
    assert!(first.contains("Cấp quyền"), "{first}");
}

#[tokio::test]
async fn the_log_reads_on_a_phone_and_passes_axe() {
    crate::browser::within_minutes(the_log_reads_on_a_phone()).await;
}
