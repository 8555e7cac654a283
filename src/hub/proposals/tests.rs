//! Adoption's files, checked one by one: the credit line, the pack's name, where a lesson
//! goes, what a reading's `readings.toml` says.

use std::collections::BTreeMap;

use super::*;

const FILE: &str = "+++\ntitle = \"Rửa tay \\\"đúng\\\" <script>\"\nminutes = 5\nobjective = \"Biết rửa tay.\"\n+++\n\nRửa tay bằng xà phòng. ![Tay](0123456789abcdef0123456789abcdef.jpg)\n";

fn lesson(lesson_id: &str, module_title: Option<&str>) -> Proposal {
    Proposal {
        id: "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b".into(),
        box_id: "box".into(),
        commune: "Ea Tu".into(),
        by: "Chị H'Lan".into(),
        sent_at: "2026-12-04T10:00:00+07:00".into(),
        what: Proposed::Lesson {
            lesson_id: lesson_id.into(),
            module_title: module_title.map(str::to_string),
            file: FILE.into(),
        },
        media: BTreeMap::new(),
    }
}

fn catalogue() -> Catalogue {
    crate::content::catalogue_with(&[], &|n| n.to_string()).0
}

fn media() -> BTreeMap<String, Vec<u8>> {
    BTreeMap::from([
        (
            "0123456789abcdef0123456789abcdef.jpg".to_string(),
            vec![1, 2],
        ),
        ("fedcba9876543210fedcba9876543210.jpg".to_string(), vec![3]),
    ])
}

#[test]
fn the_credit_goes_right_after_the_opening_line() {
    let credited = with_credit(FILE, "Ea Tu");
    assert!(
        credited.starts_with("+++\ncredit = \"Xã Ea Tu\"\ntitle = "),
        "{credited}"
    );
    assert_eq!(credited.replace("credit = \"Xã Ea Tu\"\n", ""), FILE);
    let quoted = with_credit(FILE, "Xã \"Ea\" Tu");
    assert!(
        quoted.contains("credit = 'Xã \"Ea\" Tu'")
            || quoted.contains("credit = \"Xã \\\"Ea\\\" Tu\""),
        "{quoted}"
    );
    assert_eq!(with_credit("no front matter", "Ea Tu"), "no front matter");
    assert_eq!(credit("Xã Ea Sol"), "Xã Ea Sol");
}

#[test]
fn a_pack_is_named_by_the_proposal() {
    assert_eq!(
        pack_name("0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"),
        "de-xuat-0193a1b2c3d4"
    );
    assert!(crate::protocol::wire::is_pack_name(&pack_name(
        "0193A1B2-C3D4-7E5F-8A9B-0C1D2E3F4A5B"
    )));
}

#[test]
fn a_title_is_read_from_the_front_matter() {
    assert_eq!(
        lesson_title(FILE).as_deref(),
        Some("Rửa tay \"đúng\" <script>")
    );
    assert_eq!(lesson_title("Rửa tay"), None);
}

#[test]
fn a_lesson_of_a_module_the_hub_has_goes_in_its_folder_after_its_lessons() {
    let catalogue = catalogue();
    let folders = module_folders(&[]);
    assert_eq!(folders["an-toan"], "03-an-toan");
    let have = catalogue.module("an-toan").unwrap().lessons.len();
    let files = pack_files(
        &lesson("an-toan/rua-tay", None),
        &media(),
        &catalogue,
        &folders,
        "rua-tay",
    )
    .unwrap();
    let path = format!("03-an-toan/{}-rua-tay.vi.md", 80 + have);
    assert_eq!(
        files.keys().collect::<Vec<_>>(),
        [
            &path,
            &"media/0123456789abcdef0123456789abcdef.jpg".to_string()
        ],
        "only the media the lesson names"
    );
    assert!(files[&path].contains("credit = \"Xã Ea Tu\""));
    assert_eq!(files["media/0123456789abcdef0123456789abcdef.jpg"], "AQI=");
}

#[test]
fn a_lesson_of_a_new_module_brings_the_module() {
    let files = pack_files(
        &lesson("suc-khoe/rua-tay", Some("Sức khỏe \"xã\"")),
        &media(),
        &catalogue(),
        &module_folders(&[]),
        "rua-tay",
    )
    .unwrap();
    let toml: toml::Table = toml::from_str(&files["90-suc-khoe/module.toml"]).unwrap();
    assert_eq!(toml["vi"]["title"].as_str(), Some("Sức khỏe \"xã\""));
    assert_eq!(
        toml["vi"]["summary"].as_str(),
        Some("Bài do các xã soạn, tỉnh đã duyệt.")
    );
    assert!(files.contains_key("90-suc-khoe/80-rua-tay.vi.md"));
    let untitled = pack_files(
        &lesson("suc-khoe/rua-tay", None),
        &media(),
        &catalogue(),
        &module_folders(&[]),
        "rua-tay",
    )
    .unwrap();
    assert!(untitled["90-suc-khoe/module.toml"].contains("title = \"Bài của các xã\""));
}

#[test]
fn a_slug_the_hub_serves_or_a_bad_one_is_refused() {
    let (catalogue, folders) = (catalogue(), module_folders(&[]));
    let p = lesson("an-toan/mat-khau-otp", None);
    assert!(matches!(
        pack_files(&p, &media(), &catalogue, &folders, "mat-khau-otp"),
        Err(AdoptRefused::SlugTaken(id)) if id == "an-toan/mat-khau-otp"
    ));
    assert!(matches!(
        pack_files(&p, &media(), &catalogue, &folders, "Mật khẩu"),
        Err(AdoptRefused::BadSlug(_))
    ));
    assert!(pack_files(&p, &media(), &catalogue, &folders, "mat-khau-cua-xa").is_ok());
}

#[test]
fn a_reading_names_its_lesson_and_credits_the_commune() {
    let audio = "0123456789abcdef0123456789abcdef.ogg".to_string();
    let mut p = lesson("an-toan/mat-khau-otp", None);
    p.what = Proposed::Reading {
        lesson_id: "an-toan/mat-khau-otp".into(),
        slide: Some(2),
        lang: "ede".into(),
        lang_name: "Ê Đê".into(),
        audio: audio.clone(),
        seconds: 90,
    };
    let media = BTreeMap::from([(audio.clone(), vec![7u8; 10])]);
    let files = pack_files(&p, &media, &catalogue(), &module_folders(&[]), "x").unwrap();
    assert_eq!(
        files["readings.toml"],
        format!(
            "[[reading]]\nlesson = \"an-toan/mat-khau-otp\"\nslide = 2\nlang = \"ede\"\nlang_name = \"Ê Đê\"\naudio = \"{audio}\"\nseconds = 90\ncredit = \"Xã Ea Tu\"\n"
        )
    );
    assert!(files.contains_key(&format!("media/{audio}")));
    if let Proposed::Reading {
        lesson_id, slide, ..
    } = &mut p.what
    {
        *lesson_id = "an-toan/khong-co".into();
        *slide = None;
    }
    assert!(matches!(
        pack_files(&p, &media, &catalogue(), &module_folders(&[]), "x"),
        Err(AdoptRefused::UnknownLesson(_))
    ));
}

#[test]
fn media_is_named_by_its_content() {
    let bytes = b"hello";
    let hash = hex::encode(Sha256::digest(bytes));
    assert!(named_by_content(&format!("{}.jpg", &hash[..32]), bytes));
    assert!(!named_by_content(&format!("{}.jpg", &hash[..32]), b"other"));
    assert!(!named_by_content(".jpg", bytes));
    assert_eq!(mime("0123456789abcdef.m4a"), "audio/mp4");
}
