//! What a box and the hub say to each other: the bodies inside envelopes, and the JSON of
//! enrolment. Plain data with the rules each body must keep.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::envelope::{self, Kind, Refused};

/// The codes a hub's refusal carries (`{"error": {"code", …}}` from `/hub/v1`), spelt once
/// for both sides: the hub writes them, the box reads them.
pub mod code {
    /// The enrolment code is unknown or another box used it.
    pub const BAD_CODE: &str = "bad_code";
    /// The identity vouching for a new one is unknown, or its signature is wrong.
    pub const BAD_VOUCH: &str = "bad_vouch";
    /// The box id is enrolled already with another key.
    pub const KEY_TAKEN: &str = "key_taken";
    /// The box is not enrolled with this hub.
    pub const UNKNOWN_BOX: &str = "unknown_box";
    /// The batch starts after a gap; `held` says where the hub's records end.
    pub const GAP: &str = "gap";
    /// Another event is held at one of the batch's seqs: two boxes send as one.
    pub const CONFLICT: &str = "conflict";
    /// The sealed batch is bigger than `MAX_SEALED`.
    pub const TOO_LARGE: &str = "too_large";
    /// The batch cannot be read or breaks its rules.
    pub const MALFORMED: &str = "malformed";
    /// The batch's signature does not verify against the box's key.
    pub const BAD_SIGNATURE: &str = "bad_signature";
    /// The batch speaks for a learner another box sent first.
    pub const FOREIGN_LEARNER: &str = "foreign_learner";
    /// The join code is unknown, or another hub used it.
    pub const BAD_JOIN_CODE: &str = "bad_join_code";
    /// The introduction is not signed by a hub that joined, or breaks its rules.
    pub const BAD_INTRODUCTION: &str = "bad_introduction";
}

/// Most events in one batch.
pub const MAX_BATCH_EVENTS: usize = 500;
/// Most bytes a sealed batch may have on the wire; the hub refuses bigger bodies.
pub const MAX_SEALED: usize = 1024 * 1024;

/// A run of a box's events in `seq` order, with the profiles of the learners they name.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Batch {
    pub box_id: String,
    /// The commune's name as the box's settings have it.
    pub commune: String,
    pub events: Vec<WireEvent>,
    pub learners: Vec<WireLearner>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WireEvent {
    pub seq: i64,
    pub id: String,
    pub kind: String,
    pub learner: Option<String>,
    pub lesson: Option<String>,
    pub payload: serde_json::Value,
    /// When it happened, by the sender's clock.
    pub at: String,
    /// When the box stored it, by the box's clock.
    pub recorded_at: String,
}

/// A learner as the province sees them: a pseudonymous id and the figures reports break
/// down by; the name only when the commune allows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WireLearner {
    pub id: String,
    pub name: Option<String>,
    pub village: String,
    pub birth_year: Option<i64>,
    pub gender: Option<String>,
    pub ethnic_group: Option<String>,
}

impl Batch {
    /// The batch's own rules: some events, contiguous positive `seq`s, and a profile for
    /// every learner named only where the learner is. Says what is wrong.
    pub fn check(&self) -> Result<(), String> {
        let first = self.events.first().ok_or("the batch holds no events")?;
        if self.events.len() > MAX_BATCH_EVENTS {
            return Err(format!("more than {MAX_BATCH_EVENTS} events in one batch"));
        }
        if first.seq < 1 {
            return Err("seq numbers start at 1".into());
        }
        for (i, event) in self.events.iter().enumerate() {
            if event.seq != first.seq + i as i64 {
                return Err(format!(
                    "seq {} follows {}: a batch must have no gap",
                    event.seq,
                    first.seq + i as i64 - 1
                ));
            }
            if uuid::Uuid::parse_str(&event.id).is_err() || event.kind.is_empty() {
                return Err(format!("event {} has no proper id or kind", event.seq));
            }
        }
        Ok(())
    }

    pub fn first_seq(&self) -> i64 {
        self.events.first().map_or(0, |e| e.seq)
    }

    pub fn last_seq(&self) -> i64 {
        self.events.last().map_or(0, |e| e.seq)
    }
}

/// The hub's answer to a batch or a file: the highest `seq` of the box it holds with no gap
/// below it. The box moves its cursor to this, and only to this.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Ack {
    pub box_id: String,
    pub held: i64,
    /// In a reply file: the ids of the box's proposals the hub holds (the box stops
    /// carrying them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub proposals: Vec<String>,
}

/// A box asks to be enrolled: with a code from the province, or vouched for by the identity
/// it had before it found itself on another machine (a copied SD card).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Enrol {
    pub box_id: String,
    pub commune: String,
    pub public_key: String,
    /// The first `seq` this identity records; the hub expects nothing below it.
    pub first_seq: i64,
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub vouch: Option<Vouch>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Vouch {
    /// The identity the box had before.
    pub box_id: String,
    /// That identity's signature of `vouch_statement`.
    pub signature: String,
}

/// What a box's old identity signs to vouch for its new one.
pub fn vouch_statement(new_box: &str, new_key: &str, first_seq: i64) -> Vec<u8> {
    format!("hocso-vouch\0{new_box}\0{new_key}\0{first_seq}").into_bytes()
}

/// The hub's answer to an enrolment: its own key, which the box pins.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Enrolled {
    pub hub_id: String,
    pub hub_key: String,
    pub commune: String,
}

/// A province hub asks to join a national hub with a one-time join code made for its
/// province; the answer is `Enrolled` (its `commune` is the province's name), whose key the
/// province hub pins.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Join {
    pub hub_id: String,
    pub public_key: String,
    pub code: String,
}

/// A box as the province hub that took it knows it, signed by that hub for the national hub,
/// which then takes the box's own signed batches from the province hub as it would from the
/// box. The answer is the national hub's signed `Ack` of what it holds of the box.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Introduction {
    pub box_id: String,
    pub public_key: String,
    pub first_seq: i64,
    pub commune: String,
    /// The identity this one replaced (a copied card), introduced before it.
    pub vouched_by: Option<String>,
}

/// New lessons from the province: a lesson folder's files, path → text, as
/// `hocso lessons check` reads them. `version` grows with each publication of `name`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Pack {
    pub name: String,
    pub version: i64,
    pub published_at: String,
    pub files: BTreeMap<String, String>,
}

impl Pack {
    /// Opens a sealed pack against the hub's key (hex).
    pub fn open(sealed: &[u8], hub_key: &str) -> Result<Pack, Refused> {
        envelope::open::<Pack>(sealed, Kind::Pack, |_| Some(hub_key.to_string())).map(|(_, p)| p)
    }

    /// Each pack's name and files, as the lesson loader takes them.
    pub fn files(packs: &[Pack]) -> Vec<(&str, &BTreeMap<String, String>)> {
        packs.iter().map(|p| (p.name.as_str(), &p.files)).collect()
    }

    /// The packs among `sealed` that `key` signed (none without a key); one that does not
    /// verify is left out and logged.
    pub fn verified(sealed: &[Vec<u8>], key: Option<&str>) -> Vec<Pack> {
        let Some(key) = key else {
            return Vec::new();
        };
        sealed
            .iter()
            .filter_map(|s| {
                Pack::open(s, key)
                    .inspect_err(|e| tracing::error!("a stored content pack is refused: {e}"))
                    .ok()
            })
            .collect()
    }
}

/// A pack as the hub lists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PackListing {
    pub name: String,
    pub version: i64,
}

/// Whether a pack name is plain: lowercase letters, digits and dashes.
pub fn is_pack_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 60
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(seq: i64) -> WireEvent {
        WireEvent {
            seq,
            id: uuid::Uuid::now_v7().to_string(),
            kind: "lesson_opened".into(),
            learner: None,
            lesson: None,
            payload: serde_json::json!({}),
            at: String::new(),
            recorded_at: String::new(),
        }
    }

    #[test]
    fn a_batch_must_be_contiguous_and_not_empty() {
        let mut batch = Batch {
            box_id: "b".into(),
            commune: "c".into(),
            events: vec![event(4), event(5)],
            learners: vec![],
        };
        assert_eq!(batch.check(), Ok(()));
        assert_eq!((batch.first_seq(), batch.last_seq()), (4, 5));
        batch.events.push(event(7));
        assert!(batch.check().unwrap_err().contains("gap"));
        batch.events.clear();
        assert!(batch.check().is_err());
    }

    #[test]
    fn pack_names_are_plain() {
        assert!(is_pack_name("lua-dao-2026"));
        assert!(!is_pack_name("../etc"));
        assert!(!is_pack_name(""));
    }
}
