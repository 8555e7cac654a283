//! Made in the commune, the hub's side, on both engines: a box sends a lesson and a
//! recorded reading it sealed; the province's officer finds them, reads the lesson as a
//! phone would show it, listens (in byte ranges), declines one and publishes the other as a
//! pack; an officer of another province sees none of it; forged proposals are refused and
//! store nothing; a proposal sent twice is kept once; a USB file carries one and the reply
//! file's `Ack` names it.

use std::collections::BTreeMap;

use hocso::protocol::envelope::{self, Kind};
use hocso::protocol::proposal::{Held, Proposal, Proposed};
use hocso::protocol::wire::Ack;
use hocso::protocol::{Keys, file};
use hocso::store::{NewFacilitator, ProposalStatus, Scope};
use reqwest::StatusCode;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::facilitators::{PASSWORD, csrf, set_up};
use crate::postgres::{Engine, on_both_engines};
use crate::provinces::commune;
use crate::support::{Phone, TestBox, attrs, location, text, texts};

/// A media file's name as a box gives it: the first 32 hex digits of its SHA-256.
fn named(bytes: &[u8], ext: &str) -> String {
    format!("{}.{ext}", &hex::encode(Sha256::digest(bytes))[..32])
}

fn picture() -> Vec<u8> {
    b"\xff\xd8\xff\xe0 a small picture of hands".to_vec()
}

fn recording() -> Vec<u8> {
    (0..4000u32).map(|i| (i * 7 % 251) as u8).collect()
}

/// A lesson a facilitator of `box_id` wrote, with one picture.
fn lesson(box_id: &str, slug: &str) -> Proposal {
    let image = named(&picture(), "jpg");
    // A built-in lesson the commune wrote again: another title, a slide with its photo.
    let built_in =
        hocso::content::LessonTree::embedded().files["03-an-toan/01-mat-khau-otp.vi.md"].clone();
    let built_in = String::from_utf8(built_in).unwrap();
    let (_, rest) = built_in.split_once('\n').unwrap();
    let (_, rest) = rest.split_once('\n').unwrap();
    let file = format!(
        "+++\ntitle = \"Rửa tay <b>đúng</b> cách\"\n{rest}\n---\n\n## Ở xã mình\n\nTay sạch giữ cả nhà khỏe. ![Đôi tay]({image})\n"
    );
    Proposal {
        id: uuid::Uuid::now_v7().to_string(),
        box_id: box_id.into(),
        commune: "Xã Ea Sol".into(),
        by: "Chị H'Lan <script>".into(),
        sent_at: "2026-12-04T10:00:00+07:00".into(),
        what: Proposed::Lesson {
            lesson_id: format!("an-toan/{slug}"),
            module_title: None,
            file,
        },
        media: BTreeMap::from([(image, picture())]),
    }
}

/// A reading in Ê Đê of `lesson_id`, the whole lesson.
fn reading(box_id: &str, lesson_id: &str) -> Proposal {
    let audio = named(&recording(), "ogg");
    Proposal {
        id: uuid::Uuid::now_v7().to_string(),
        box_id: box_id.into(),
        commune: "Xã Ea Sol".into(),
        by: "Anh Y Nuê".into(),
        sent_at: "2026-12-04T11:00:00+07:00".into(),
        what: Proposed::Reading {
            lesson_id: lesson_id.into(),
            slide: None,
            lang: "ede".into(),
            lang_name: "Ê Đê".into(),
            audio: audio.clone(),
            seconds: 95,
        },
        media: BTreeMap::from([(audio, recording())]),
    }
}

async fn send(hub: &TestBox, sealed: Vec<u8>) -> reqwest::Response {
    hub.client
        .post(hub.url("/hub/v1/proposals"))
        .body(sealed)
        .send()
        .await
        .unwrap()
}

async fn sent(hub: &TestBox, proposal: &Proposal, keys: &Keys) -> Held {
    let answer = send(hub, proposal.seal(keys)).await;
    assert_eq!(answer.status(), StatusCode::OK);
    answer.json().await.unwrap()
}

/// Signs `name` of `province` in as an officer.
async fn officer<'a>(hub: &'a TestBox, name: &str, province: &str) -> Phone<'a> {
    hub.records()
        .await
        .accounts()
        .add_facilitator(NewFacilitator {
            province: Some(province.into()),
            ..hocso::facilitate::new_facilitator(name, PASSWORD, PASSWORD).unwrap()
        })
        .await
        .unwrap()
        .unwrap();
    let mut officer = Phone::new(hub);
    let token = csrf(&mut officer, "/f/signin").await;
    let signed_in = officer
        .post_form(
            "/f/signin",
            &[("csrf", &token), ("name", name), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);
    officer
}

async fn a_commune_proposes_and_the_province_decides(engine: Engine) {
    let hub = TestBox::start_hub_on(&engine).await;
    let _national = set_up(&hub).await;
    let (box_id, keys) = commune(&hub, "Đắk Lắk", "Xã Ea Sol").await;
    let mut officer = officer(&hub, "Y Blang", "Đắk Lắk").await;
    let mut stranger = officer_of_another_province(&hub).await;

    let lesson = lesson(&box_id, "rua-tay");
    let read = reading(&box_id, "an-toan/mat-khau-otp");
    assert_eq!(sent(&hub, &lesson, &keys).await.held, [lesson.id.as_str()]);
    // Sent twice (the answer was lost): kept once.
    assert_eq!(sent(&hub, &lesson, &keys).await.held, [lesson.id.as_str()]);
    let mut both = vec![lesson.id.clone(), read.id.clone()];
    both.sort();
    assert_eq!(sent(&hub, &read, &keys).await.held, both);

    // The list, newest first: the commune, the kind, the lesson, who sent it, its status.
    let page = officer.page("/hub/de-xuat", StatusCode::OK).await;
    assert!(texts(&page, "nav a").contains(&"Đề xuất của xã".to_string()));
    let rows = texts(&page, "tbody tr");
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(
        rows[0].contains("Bài đọc ghi âm (Ê Đê)") && rows[0].contains("Mật khẩu mạnh"),
        "{rows:?}"
    );
    assert!(
        rows[1].contains("Xã Ea Sol") && rows[1].contains("Bài học"),
        "{rows:?}"
    );
    assert!(
        rows[1].contains("Rửa tay <b>đúng</b> cách"),
        "escaped: {rows:?}"
    );
    assert!(
        rows[1].contains("Chị H'Lan <script>") && rows[1].contains("Mới"),
        "{rows:?}"
    );
    let new = officer
        .page("/hub/de-xuat?trang-thai=khong-nhan", StatusCode::OK)
        .await;
    assert!(texts(&new, "tbody tr").is_empty());

    // The lesson: its text as learners would read it, and the phone-size preview.
    let at = format!("/hub/de-xuat/{}", lesson.id);
    let page = officer.page(&at, StatusCode::OK).await;
    assert_eq!(texts(&page, "h1"), ["Bài học: Rửa tay <b>đúng</b> cách"]);
    assert!(texts(&page, "div.note.error").is_empty(), "no problem");
    let slides = texts(&page, "article section.slide");
    let count = slides.len();
    assert!(count > 3, "{slides:?}");
    assert!(
        slides[count - 1].contains("Tay sạch giữ cả nhà khỏe"),
        "{slides:?}"
    );
    let image = lesson.media.keys().next().unwrap().clone();
    assert_eq!(
        attrs(&page, "article section.slide img", "src").last(),
        Some(&format!("/hub/de-xuat/media/{image}"))
    );
    assert_eq!(attrs(&page, "iframe", "src"), [format!("{at}/xem")]);
    assert_eq!(attrs(&page, "iframe", "width"), ["360"]);
    assert!(
        texts(&page, "article li")
            .iter()
            .any(|q| q.contains("Cúp máy, tự gọi số in trên thẻ của mình ✓"))
    );
    let preview = officer.page(&format!("{at}/xem"), StatusCode::OK).await;
    assert_eq!(texts(&preview, "h1"), ["Rửa tay <b>đúng</b> cách"]);
    assert_eq!(texts(&preview, "section.slide").len(), count);
    assert!(
        texts(&preview, "li")
            .iter()
            .any(|c| c == "Cúp máy, tự gọi số in trên thẻ của mình"),
        "the question, no answer marked"
    );
    let sheets = attrs(&preview, "link[rel=stylesheet]", "href");
    assert!(
        sheets.len() == 1 && sheets[0].contains("style"),
        "{sheets:?}"
    );
    let picture_served = officer.get(&format!("/hub/de-xuat/media/{image}")).await;
    assert_eq!(picture_served.status(), StatusCode::OK);
    assert_eq!(picture_served.headers()["content-type"], "image/jpeg");
    assert_eq!(picture_served.bytes().await.unwrap().to_vec(), picture());

    // The reading: its recording, in pieces as a phone seeks.
    let read_at = format!("/hub/de-xuat/{}", read.id);
    let page = officer.page(&read_at, StatusCode::OK).await;
    let audio = named(&recording(), "ogg");
    assert_eq!(
        attrs(&page, "audio[controls]", "src"),
        [format!("/hub/de-xuat/media/{audio}")]
    );
    let facts = texts(&page, "dd");
    assert!(
        facts.contains(&"Ê Đê".to_string()) && facts.contains(&"1 phút 35 giây".to_string()),
        "{facts:?}"
    );
    let request = officer
        .tb
        .client
        .get(hub.url(&format!("/hub/de-xuat/media/{audio}")))
        .header("range", "bytes=100-199");
    let part = officer.send(request).await;
    assert_eq!(part.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(part.headers()["content-range"], "bytes 100-199/4000");
    assert_eq!(part.headers()["accept-ranges"], "bytes");
    assert_eq!(part.bytes().await.unwrap().to_vec(), recording()[100..200]);
    let request = officer
        .tb
        .client
        .get(hub.url(&format!("/hub/de-xuat/media/{audio}")))
        .header("range", "bytes=4000-");
    assert_eq!(
        officer.send(request).await.status(),
        StatusCode::RANGE_NOT_SATISFIABLE
    );

    // Another province's officer sees none of it.
    let theirs = stranger.page("/hub/de-xuat", StatusCode::OK).await;
    assert!(texts(&theirs, "tbody tr").is_empty());
    for path in [
        at.clone(),
        format!("{at}/xem"),
        format!("/hub/de-xuat/media/{audio}"),
    ] {
        assert_eq!(
            stranger.get(&path).await.status(),
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let refused = stranger.post_f(&format!("{read_at}/khong-nhan"), &[]).await;
    assert_eq!(refused.status(), StatusCode::NOT_FOUND);

    // Declined, by whom and when; not twice.
    let declined = officer.post_f(&format!("{read_at}/khong-nhan"), &[]).await;
    assert_eq!(declined.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&declined), read_at);
    let page = officer.page(&read_at, StatusCode::OK).await;
    let meta = texts(&page, "p.meta").join(" ");
    assert!(
        meta.contains("Không nhận") && meta.contains("Quyết định bởi Y Blang"),
        "{meta}"
    );
    assert!(
        attrs(&page, "form", "action")
            .iter()
            .all(|a| !a.contains("xuat-ban"))
    );
    let again = officer.post_f(&format!("{read_at}/khong-nhan"), &[]).await;
    assert_eq!(again.status(), StatusCode::CONFLICT);

    // A lesson's short name the hub serves already is refused, plainly.
    let taken = officer
        .post_f(&format!("{at}/xuat-ban"), &[("slug", "mat-khau-otp")])
        .await;
    assert_eq!(taken.status(), StatusCode::BAD_REQUEST);
    let page = scraper::Html::parse_document(&taken.text().await.unwrap());
    assert!(
        text(&page, "div.note.error").contains("Máy chủ đã có bài an-toan/mat-khau-otp"),
        "{:?}",
        texts(&page, "div.note.error")
    );

    // A reading of a lesson the hub does not serve cannot be published.
    let stray = reading(&box_id, "an-toan/khong-co-bai-nay");
    sent(&hub, &stray, &keys).await;
    let refused = officer
        .post_f(&format!("/hub/de-xuat/{}/xuat-ban", stray.id), &[])
        .await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    let page = scraper::Html::parse_document(&refused.text().await.unwrap());
    assert!(
        text(&page, "div.note.error")
            .contains("Máy chủ không phục vụ bài an-toan/khong-co-bai-nay")
    );

    // Published as a pack of its own, crediting the commune, served at once; a reading of
    // the new lesson can then be published too.
    let published = officer
        .post_f(&format!("{at}/xuat-ban"), &[("slug", "rua-tay-dung-cach")])
        .await;
    assert_eq!(published.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&published), at);
    let pack = format!("de-xuat-{}", &lesson.id.replace('-', "")[..12]);
    assert!(listed(&hub).await.contains(&pack));
    let records = hub.records().await;
    let kept = records
        .proposal(&Scope::All, &lesson.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(kept.status, ProposalStatus::Adopted);
    assert_eq!(kept.pack.as_deref(), Some(pack.as_str()));
    assert_eq!(kept.decided_by.as_deref(), Some("Y Blang"));
    let files = &hocso::hub::published(&records)
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.name == pack)
        .unwrap()
        .files;
    let image_file = format!("media/{image}");
    let names: Vec<&String> = files.keys().collect();
    assert_eq!(names.len(), 2, "{names:?}");
    let lesson_file = names.iter().find(|n| n.starts_with("03-an-toan/")).unwrap();
    assert!(
        lesson_file.ends_with("-rua-tay-dung-cach.vi.md"),
        "{lesson_file}"
    );
    assert!(files[*lesson_file].starts_with("+++\ncredit = \"Xã Ea Sol\"\n"));
    assert!(files.contains_key(&image_file));
    // The hub's lessons show the adopted lesson's picture where a box would.
    let picture_served = officer.get(&format!("/media/{image}")).await;
    assert_eq!(picture_served.status(), StatusCode::OK);
    assert_eq!(picture_served.bytes().await.unwrap().to_vec(), picture());
    let page = officer.page(&at, StatusCode::OK).await;
    assert!(
        text(&page, "p.meta").contains(&pack),
        "{:?}",
        texts(&page, "p.meta")
    );
    assert!(
        attrs(&page, "form", "action")
            .iter()
            .all(|a| !a.contains("xuat-ban"))
    );
    let again = officer
        .post_f(&format!("{at}/xuat-ban"), &[("slug", "rua-tay-lan-hai")])
        .await;
    assert_eq!(again.status(), StatusCode::CONFLICT);

    let of_new = reading(&box_id, "an-toan/rua-tay-dung-cach");
    sent(&hub, &of_new, &keys).await;
    let published = officer
        .post_f(&format!("/hub/de-xuat/{}/xuat-ban", of_new.id), &[])
        .await;
    assert_eq!(published.status(), StatusCode::SEE_OTHER);
    let reading_pack = format!("de-xuat-{}", &of_new.id.replace('-', "")[..12]);
    assert!(listed(&hub).await.contains(&reading_pack));
    let files = &hocso::hub::published(&records)
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.name == reading_pack)
        .unwrap()
        .files;
    assert!(files["readings.toml"].contains("lesson = \"an-toan/rua-tay-dung-cach\""));
    assert!(files.contains_key(&format!("media/{audio}")));
}

/// The packs the hub lists for boxes.
async fn listed(hub: &TestBox) -> Vec<String> {
    let packs: Value = hub
        .client
        .get(hub.url("/hub/v1/packs"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    packs
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_string())
        .collect()
}

async fn officer_of_another_province(hub: &TestBox) -> Phone<'_> {
    commune(hub, "Tuyên Quang", "Xã Nà Hang").await;
    officer(hub, "Ma Văn Tâm", "Tuyên Quang").await
}

/// The refusal's status and code, as every `/hub/v1` route answers one.
async fn refusal(response: reqwest::Response) -> (StatusCode, String) {
    let status = response.status();
    let body: Value = response.json().await.expect("a JSON refusal");
    (status, body["error"]["code"].as_str().unwrap().to_string())
}

async fn forged_proposals_are_refused_and_store_nothing(engine: Engine) {
    let hub = TestBox::start_hub_on(&engine).await;
    let (box_id, keys) = commune(&hub, "Đắk Lắk", "Xã Ea Sol").await;
    let (other_id, _) = commune(&hub, "Đắk Lắk", "Xã Ea Tu").await;
    let cases: Vec<(&str, Vec<u8>, StatusCode, &str)> = vec![
        (
            "signed with another key",
            lesson(&box_id, "a").seal(&Keys::generate()),
            StatusCode::FORBIDDEN,
            "bad_signature",
        ),
        (
            "another box's id, signed by this one",
            envelope::seal(Kind::Proposal, &box_id, &keys, &lesson(&other_id, "b")),
            StatusCode::BAD_REQUEST,
            "malformed",
        ),
        (
            "as another box, with this box's key",
            envelope::seal(Kind::Proposal, &other_id, &keys, &lesson(&other_id, "c")),
            StatusCode::FORBIDDEN,
            "bad_signature",
        ),
        (
            "a box not enrolled",
            lesson(&uuid::Uuid::now_v7().to_string(), "d").seal(&keys),
            StatusCode::FORBIDDEN,
            "unknown_box",
        ),
        (
            "not a proposal",
            b"HSO1 not really".to_vec(),
            StatusCode::BAD_REQUEST,
            "malformed",
        ),
        (
            "a batch sent as a proposal",
            envelope::seal(Kind::Batch, &box_id, &keys, &serde_json::json!({})),
            StatusCode::BAD_REQUEST,
            "malformed",
        ),
    ];
    for (what, sealed, status, code) in cases {
        assert_eq!(
            refusal(send(&hub, sealed).await).await,
            (status, code.to_string()),
            "{what}"
        );
    }
    let mut big = reading(&box_id, "an-toan/mat-khau-otp");
    let noise: Vec<u8> = (0..8 * 1024 * 1024 + 1)
        .map(|i: u32| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect();
    let name = named(&noise, "ogg");
    big.media = BTreeMap::from([(name.clone(), noise)]);
    if let Proposed::Reading { audio, .. } = &mut big.what {
        *audio = name;
    }
    let mut path = reading(&box_id, "an-toan/mat-khau-otp");
    let bytes = path.media.values().next().unwrap().clone();
    path.media = BTreeMap::from([("../../hocso.db".to_string(), bytes.clone())]);
    if let Proposed::Reading { audio, .. } = &mut path.what {
        *audio = "../../hocso.db".into();
    }
    let mut unnamed = reading(&box_id, "an-toan/mat-khau-otp");
    let wrong = "0123456789abcdef0123456789abcdef.ogg".to_string();
    unnamed.media = BTreeMap::from([(wrong.clone(), bytes)]);
    if let Proposed::Reading { audio, .. } = &mut unnamed.what {
        *audio = wrong;
    }
    for (what, proposal) in [
        ("a recording over 8 MB", big),
        ("a path for a media name", path),
        ("media not named by its content", unnamed),
    ] {
        let (status, code) = refusal(send(&hub, proposal.seal(&keys)).await).await;
        assert_eq!(
            (status, code.as_str()),
            (StatusCode::BAD_REQUEST, "malformed"),
            "{what}"
        );
    }
    let records = hub.records().await;
    assert!(
        records
            .proposals(&Scope::All, None)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(records.held_proposals(&box_id).await.unwrap().is_empty());
}

async fn a_usb_file_carries_a_proposal_and_the_reply_names_it(engine: Engine) {
    let hub = TestBox::start_hub_on(&engine).await;
    let mut officer = set_up(&hub).await;
    let (box_id, keys) = commune(&hub, "Đắk Lắk", "Xã Ea Sol").await;
    let proposal = reading(&box_id, "an-toan/mat-khau-otp");
    let usb = file::write(&[proposal.seal(&keys)]);
    officer.get("/hub/usb").await;
    let taken = crate::sync::upload(&mut officer, "/hub/usb", &usb, true).await;
    assert_eq!(taken.status(), StatusCode::OK);
    let page = scraper::Html::parse_document(&taken.text().await.unwrap());
    assert!(
        text(&page, "div.note").contains("1 đề xuất mới"),
        "{:?}",
        texts(&page, "div.note")
    );
    // Again: kept once.
    officer.get("/hub/usb").await;
    crate::sync::upload(&mut officer, "/hub/usb", &usb, true).await;
    let records = hub.records().await;
    let kept = records.proposals(&Scope::All, None).await.unwrap();
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].province, "Đắk Lắk");
    assert_eq!(kept[0].proposal.id, proposal.id);

    let reply = officer.get(&format!("/hub/usb/reply/{box_id}")).await;
    assert_eq!(reply.status(), StatusCode::OK);
    let bytes = reply.bytes().await.unwrap();
    let parts = file::read(&bytes).unwrap();
    let hub_key = records.keys().public_hex();
    let (_, ack): (String, Ack) = envelope::open(parts[0], Kind::Ack, |_| Some(hub_key)).unwrap();
    assert_eq!(ack.proposals, [proposal.id.as_str()]);

    // A file with a forged proposal is refused whole.
    let forged = file::write(&[reading(&box_id, "an-toan/mat-khau-otp").seal(&Keys::generate())]);
    officer.get("/hub/usb").await;
    let refused = crate::sync::upload(&mut officer, "/hub/usb", &forged, true).await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    assert_eq!(records.proposals(&Scope::All, None).await.unwrap().len(), 1);
}

/// The store's rules, on each engine: kept once, decided once from 'new', in its province.
async fn the_store_keeps_a_proposal_once_and_decides_it_once(engine: Engine) {
    use hocso::store::{NewProposal, ProposalDecision, ProposalMedia};
    let hub = TestBox::start_hub_on(&engine).await;
    let records = hub.records().await;
    let proposal = reading("box-a", "an-toan/mat-khau-otp");
    let (name, bytes) = proposal
        .media
        .iter()
        .next()
        .map(|(n, b)| (n.clone(), b.clone()))
        .unwrap();
    let mut bare = proposal.clone();
    bare.media.clear();
    let new = NewProposal {
        proposal: bare.clone(),
        province: "Đắk Lắk".into(),
        media: vec![ProposalMedia {
            name: name.clone(),
            mime: "audio/ogg".into(),
            bytes: bytes.clone(),
        }],
    };
    assert!(records.keep_proposal(new.clone()).await.unwrap());
    assert!(
        !records.keep_proposal(new.clone()).await.unwrap(),
        "kept once"
    );
    // Another proposal with the same recording: the file is kept once, seen through both.
    let mut second = new.clone();
    second.proposal.id = uuid::Uuid::now_v7().to_string();
    assert!(records.keep_proposal(second.clone()).await.unwrap());
    let dak_lak = Scope::Province("Đắk Lắk".into());
    let other = Scope::Province("Tuyên Quang".into());
    let list = records.proposals(&dak_lak, None).await.unwrap();
    assert_eq!(
        list.iter()
            .map(|p| p.proposal.id.clone())
            .collect::<Vec<_>>(),
        [second.proposal.id.clone(), proposal.id.clone()],
        "newest first"
    );
    assert!(records.proposals(&other, None).await.unwrap().is_empty());
    let one = records
        .proposal(&dak_lak, &proposal.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(one.proposal, bare);
    assert_eq!(one.media, [(name.clone(), bytes.len())]);
    assert!(
        records
            .proposal(&other, &proposal.id)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        records.proposal_media(&dak_lak, &name).await.unwrap(),
        Some(("audio/ogg".to_string(), bytes))
    );
    assert_eq!(records.proposal_media(&other, &name).await.unwrap(), None);

    let adopt = ProposalDecision::Adopt {
        pack: "de-xuat-x".into(),
    };
    assert!(
        records
            .decide_proposal(&proposal.id, adopt.clone(), "Y Blang")
            .await
            .unwrap()
    );
    assert!(
        !records
            .decide_proposal(&proposal.id, ProposalDecision::Decline, "Y Blang")
            .await
            .unwrap()
    );
    assert!(
        !records
            .decide_proposal("no-such", ProposalDecision::Decline, "Y Blang")
            .await
            .unwrap()
    );
    let adopted = records
        .proposals(&Scope::All, Some(ProposalStatus::Adopted))
        .await
        .unwrap();
    assert_eq!(adopted.len(), 1);
    assert_eq!(adopted[0].pack.as_deref(), Some("de-xuat-x"));
    assert_eq!(adopted[0].decided_by.as_deref(), Some("Y Blang"));
    assert!(adopted[0].decided_at.is_some());
    assert_eq!(
        records
            .proposals(&Scope::All, Some(ProposalStatus::New))
            .await
            .unwrap()
            .len(),
        1
    );
    let mut held = vec![proposal.id.clone(), second.proposal.id.clone()];
    held.sort();
    assert_eq!(records.held_proposals("box-a").await.unwrap(), held);
    assert!(records.held_proposals("box-b").await.unwrap().is_empty());
}

/// A reading of `box_id` kept on `records` as the hub keeps one it took: its id.
pub(crate) async fn kept_reading(records: &hocso::store::HubStore, box_id: &str) -> String {
    let mut proposal = reading(box_id, "an-toan/mat-khau-otp");
    let media = std::mem::take(&mut proposal.media)
        .into_iter()
        .map(|(name, bytes)| hocso::store::ProposalMedia {
            name,
            mime: "audio/ogg".into(),
            bytes,
        })
        .collect();
    let id = proposal.id.clone();
    let new = hocso::store::NewProposal {
        proposal,
        province: String::new(),
        media,
    };
    assert!(records.keep_proposal(new).await.unwrap());
    id
}

/// A real box: a facilitator's reading in Ê Đê, sent on "Gửi lên tỉnh" with the next sync,
/// kept by the hub in the box's commune and marked held on the box; another one carried in
/// the USB file, imported, and marked held by the reply file.
async fn a_real_box_sends_its_readings_by_the_link_and_by_usb(engine: Engine) {
    use hocso::store::{LocalReading, NewMedia};
    use hocso::sync::{client, proposals};
    let hub = TestBox::start_hub_on(&engine).await;
    let tb = TestBox::start().await;
    crate::sync::enrol(&hub, &tb).await;
    let store = tb.store();
    let read = async |bytes: Vec<u8>| {
        let audio = hocso::media::name_for(&bytes, "ogg");
        let reading = LocalReading {
            id: uuid::Uuid::now_v7().to_string(),
            lesson_id: "an-toan/mat-khau-otp".into(),
            slide: Some(2),
            lang: "ede".into(),
            lang_name: "Ê Đê".into(),
            audio: audio.clone(),
            seconds: 40,
            created_by: "f".into(),
            created_at: "2026-12-04T10:00:00Z".into(),
            proposed_at: None,
        };
        let media = NewMedia {
            name: audio,
            mime: "audio/ogg".into(),
            bytes,
            seconds: Some(40),
        };
        store.add_reading(reading.clone(), media).await.unwrap();
        proposals::propose_reading(&store, &reading, "Anh Y Nuê")
            .await
            .unwrap()
    };
    let by_link = read(recording()).await;
    let outcome = client::sync(&store, None, &|_| {}).await.unwrap();
    assert_eq!(outcome.proposals, 1);
    let records = hub.records().await;
    let kept = records
        .proposal(&Scope::All, &by_link)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(kept.proposal.commune, "Xã Ea Sol");
    assert_eq!(kept.proposal.by, "Anh Y Nuê");
    assert_eq!(kept.media.len(), 1);
    assert_eq!(store.proposals_out().await.unwrap().waiting, 0);

    let by_usb = read(recording().into_iter().rev().collect()).await;
    let (file, _) = client::export(&store).await.unwrap();
    let imported = hocso::hub::import(&records, &file, &|_, _| {})
        .await
        .unwrap();
    assert_eq!(imported.new_proposals, 1);
    assert!(
        records
            .proposal(&Scope::All, &by_usb)
            .await
            .unwrap()
            .is_some()
    );
    let reply = hocso::hub::reply(&records, store.box_id())
        .await
        .unwrap()
        .unwrap();
    client::import_reply(&store, &reply).await.unwrap();
    let out = store.proposals_out().await.unwrap();
    assert_eq!((out.waiting, out.held), (0, 2));
}

on_both_engines!(
    a_commune_proposes_and_the_province_decides,
    forged_proposals_are_refused_and_store_nothing,
    a_usb_file_carries_a_proposal_and_the_reply_names_it,
    the_store_keeps_a_proposal_once_and_decides_it_once,
    a_real_box_sends_its_readings_by_the_link_and_by_usb,
);
