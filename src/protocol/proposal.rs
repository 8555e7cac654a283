//! What a commune offers its province: a lesson its facilitators wrote on the box, or a
//! reading of a lesson they recorded, sealed by the box (`Kind::Proposal`). Nothing is sent
//! before a facilitator pressed "Gửi lên tỉnh". The hub keeps a proposal for an officer to
//! review; one the officer adopts reaches every box in a content pack the hub signs.
//!
//! Over HTTP: `POST /hub/v1/proposals` with one sealed proposal answers `Held` (JSON), the
//! ids the hub now holds of that box. In a USB file, proposals travel beside the batches, and
//! the reply file's `Ack` names the ones the hub holds.

use std::collections::BTreeMap;

use base64::Engine;
use serde::{Deserialize, Serialize};

use super::envelope::{self, Keys, Kind, Refused};

/// Most bytes one picture may have (the box shrinks every picture well under this).
pub const MAX_IMAGE: usize = 200 * 1024;
/// Most bytes one recording may have.
pub const MAX_AUDIO: usize = 8 * 1024 * 1024;
/// Most pictures one lesson may carry.
pub const MAX_IMAGES: usize = 40;
/// Most bytes of a lesson file.
pub const MAX_LESSON: usize = 64 * 1024;

/// One thing a commune offers, with the media it needs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Proposal {
    /// A UUID the box drew when the facilitator sent it: sent twice, kept once.
    pub id: String,
    pub box_id: String,
    /// The commune's name, as the box is set up.
    pub commune: String,
    /// The facilitator who sent it (display name).
    pub by: String,
    /// The box's time when it was sent, RFC 3339.
    pub sent_at: String,
    pub what: Proposed,
    /// Media file name (`<hash>.jpg`, `<hash>.ogg`, …) → its bytes.
    #[serde(with = "media_base64")]
    pub media: BTreeMap<String, Vec<u8>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Proposed {
    /// A lesson: its id on the box and its file in the lesson format (Vietnamese).
    Lesson {
        lesson_id: String,
        /// The module's title when the lesson is in a module the province does not have
        /// ("Bài của xã").
        module_title: Option<String>,
        file: String,
    },
    /// A recorded reading of a lesson, of one slide (`slide`, from 1) or the whole lesson.
    Reading {
        lesson_id: String,
        slide: Option<u32>,
        /// ISO 639-3: `vie`, `ede`, `jra`, …
        lang: String,
        /// The language's name as the facilitator wrote it ("Ê Đê").
        lang_name: String,
        /// The recording: a name in `media`.
        audio: String,
        seconds: u32,
    },
}

/// The hub's answer to proposals sent over HTTP.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Held {
    pub held: Vec<String>,
}

impl Proposal {
    pub fn seal(&self, keys: &Keys) -> Vec<u8> {
        envelope::seal(Kind::Proposal, &self.box_id, keys, self)
    }

    /// Opens a sealed proposal with `key_of(box_id)` and checks its shape: the box it says
    /// is the box that signed it, sizes within bounds, every media name well formed and
    /// every name a reading points at present.
    pub fn open(
        sealed: &[u8],
        key_of: impl FnOnce(&str) -> Option<String>,
    ) -> Result<Proposal, Refused> {
        let (signer, proposal): (String, Proposal) =
            envelope::open(sealed, Kind::Proposal, key_of)?;
        if signer != proposal.box_id {
            return Err(Refused::BadBody("a proposal for another box".into()));
        }
        proposal.check().map_err(Refused::BadBody)?;
        Ok(proposal)
    }

    /// Whether the proposal keeps to the bounds; what is wrong when it does not.
    pub fn check(&self) -> Result<(), String> {
        if uuid::Uuid::parse_str(&self.id).is_err() {
            return Err("the proposal's id is not a UUID".into());
        }
        if self.commune.len() > 200 || self.by.len() > 200 || self.sent_at.len() > 64 {
            return Err("a name is too long".into());
        }
        for (name, bytes) in &self.media {
            let Some(kind) = media_kind(name) else {
                return Err(format!("{name:?} is not a media file name"));
            };
            let most = match kind {
                MediaKind::Image => MAX_IMAGE,
                MediaKind::Audio => MAX_AUDIO,
            };
            if bytes.is_empty() || bytes.len() > most {
                return Err(format!("{name} has {} bytes", bytes.len()));
            }
        }
        match &self.what {
            Proposed::Lesson {
                lesson_id,
                module_title,
                file,
            } => {
                lesson_id_ok(lesson_id)?;
                if file.len() > MAX_LESSON || module_title.as_ref().is_some_and(|t| t.len() > 200) {
                    return Err("the lesson is too long".into());
                }
                let images = self
                    .media
                    .keys()
                    .filter(|n| media_kind(n) == Some(MediaKind::Image));
                if images.count() > MAX_IMAGES || self.media.len() > MAX_IMAGES {
                    return Err("too many pictures".into());
                }
            }
            Proposed::Reading {
                lesson_id,
                slide,
                lang,
                lang_name,
                audio,
                ..
            } => {
                lesson_id_ok(lesson_id)?;
                if !is_lang_code(lang) || lang_name.trim().is_empty() || lang_name.len() > 60 {
                    return Err(format!("{lang:?} is not an ISO 639-3 code with a name"));
                }
                if slide.is_some_and(|s| s == 0 || s > 500) {
                    return Err("no such slide".into());
                }
                if media_kind(audio) != Some(MediaKind::Audio)
                    || !self.media.contains_key(audio)
                    || self.media.len() != 1
                {
                    return Err("a reading carries its one recording".into());
                }
            }
        }
        Ok(())
    }
}

fn lesson_id_ok(id: &str) -> Result<(), String> {
    let ok = id
        .split_once('/')
        .is_some_and(|(m, s)| slug_ok(m) && slug_ok(s));
    ok.then_some(())
        .ok_or_else(|| format!("{id:?} is not a lesson id"))
}

fn slug_ok(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 80
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Whether `code` looks like an ISO 639-3 code: three lowercase ASCII letters.
pub fn is_lang_code(code: &str) -> bool {
    code.len() == 3 && code.bytes().all(|b| b.is_ascii_lowercase())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MediaKind {
    Image,
    Audio,
}

/// What a media file name names: 16 to 64 lowercase hex digits, a dot and a known extension.
pub fn media_kind(name: &str) -> Option<MediaKind> {
    let (stem, ext) = name.split_once('.')?;
    let hex = (16..=64).contains(&stem.len())
        && stem
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    if !hex {
        return None;
    }
    match ext {
        "jpg" | "webp" => Some(MediaKind::Image),
        "ogg" | "opus" | "webm" | "m4a" | "mp3" | "wav" => Some(MediaKind::Audio),
        _ => None,
    }
}

mod media_base64 {
    use std::collections::BTreeMap;

    use base64::Engine;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(
        media: &BTreeMap<String, Vec<u8>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        s.collect_map(
            media
                .iter()
                .map(|(k, v)| (k, base64::engine::general_purpose::STANDARD.encode(v))),
        )
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<BTreeMap<String, Vec<u8>>, D::Error> {
        let text: BTreeMap<String, String> = BTreeMap::deserialize(d)?;
        text.into_iter()
            .map(|(k, v)| {
                base64::engine::general_purpose::STANDARD
                    .decode(v)
                    .map(|bytes| (k, bytes))
                    .map_err(serde::de::Error::custom)
            })
            .collect()
    }
}

/// A media file's bytes as a pack carries them (`media/<name>` → base64 text).
pub fn media_text(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// The bytes of a pack's `media/<name>` text; `None` when it is not base64.
pub fn media_bytes(text: &str) -> Option<Vec<u8>> {
    base64::engine::general_purpose::STANDARD.decode(text).ok()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn reading(box_id: &str) -> Proposal {
        Proposal {
            id: uuid::Uuid::now_v7().to_string(),
            box_id: box_id.into(),
            commune: "Ea Tu".into(),
            by: "Chị H'Lan".into(),
            sent_at: "2026-12-04T10:00:00+07:00".into(),
            what: Proposed::Reading {
                lesson_id: "an-toan/mat-khau-otp".into(),
                slide: None,
                lang: "ede".into(),
                lang_name: "Ê Đê".into(),
                audio: "0123456789abcdef.ogg".into(),
                seconds: 90,
            },
            media: BTreeMap::from([("0123456789abcdef.ogg".into(), vec![1, 2, 3])]),
        }
    }

    #[test]
    fn a_proposal_opens_only_as_the_box_that_signed_it() {
        let keys = Keys::generate();
        let sealed = reading("box-1").seal(&keys);
        let key = keys.public_hex();
        let opened = Proposal::open(&sealed, |_| Some(key.clone())).unwrap();
        assert_eq!(opened.media["0123456789abcdef.ogg"], vec![1, 2, 3]);
        let mut other = reading("box-2");
        other.box_id = "box-2".into();
        let forged = envelope::seal(Kind::Proposal, "box-1", &keys, &other);
        assert!(Proposal::open(&forged, |_| Some(key.clone())).is_err());
    }

    #[test]
    fn a_reading_must_carry_its_recording_and_a_language_code() {
        let mut p = reading("box-1");
        p.media.clear();
        assert!(p.check().is_err());
        let mut p = reading("box-1");
        if let Proposed::Reading { lang, .. } = &mut p.what {
            *lang = "Ê Đê".into();
        }
        assert!(p.check().is_err());
        let mut p = reading("box-1");
        p.media.insert("../../etc/passwd".into(), vec![1]);
        assert!(p.check().is_err());
    }

    #[test]
    fn media_names_are_hashes_with_a_known_extension() {
        assert_eq!(media_kind("0123456789abcdef.jpg"), Some(MediaKind::Image));
        assert_eq!(media_kind("0123456789abcdef.m4a"), Some(MediaKind::Audio));
        assert_eq!(media_kind("0123456789abcdef.svg"), None);
        assert_eq!(media_kind("mat-khau.jpg"), None);
        assert_eq!(media_kind("0123456789ABCDEF.jpg"), None);
        assert_eq!(media_kind("0123456789abcdef.jpg.exe"), None);
    }

    proptest! {
        #[test]
        fn any_bytes_open_or_are_refused_without_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
            let key = Keys::generate().public_hex();
            let _ = Proposal::open(&bytes, |_| Some(key.clone()));
        }

        #[test]
        fn media_kind_never_accepts_a_path(name in ".{0,80}") {
            if media_kind(&name).is_some() {
                prop_assert!(!name.contains('/') && !name.contains('\\'));
            }
        }
    }
}
