//! A learner's rights as a hub applies them, on both engines: what a batch's new events ask
//! (`Rights::of`: a `consent` without the optional fields, a `learner_erased`), and how
//! SQLite applies it (`apply`; PostgreSQL's is in `postgres`). As on the box, the payloads of
//! the learner's earlier profile events are scrubbed in place; an erased learner keeps their
//! id, commune, village and tallies (every count stays), loses the name and optional fields,
//! and is marked so that no profile sent again (a batch resent, a relayed batch) brings them
//! back. A province hub also drops the boxes' signed batches the national hub holds already
//! once a learner of the box was erased, since they carry the profile as it was sent.

use rusqlite::Connection;

use crate::protocol::wire::WireEvent;
use crate::store::Error;

/// The profile events' kinds, and the paths scrubbed from them: the same on both engines.
pub(in crate::store) const PROFILE_KINDS: [&str; 2] = ["learner_joined", "learner_updated"];
pub(in crate::store) const OPTIONAL_FIELDS: [&str; 3] = ["birth_year", "gender", "ethnic_group"];
pub(in crate::store) const PERSONAL_FIELDS: [&str; 5] = [
    "display_name",
    "village",
    "birth_year",
    "gender",
    "ethnic_group",
];

/// What a batch's new events ask of the hub, in order.
#[derive(Debug, Default, PartialEq, Eq)]
pub(in crate::store) struct Rights<'a> {
    /// Learners who withdrew (or never gave) consent to the optional fields, at the seq of
    /// that `consent` event: their profile events before it are scrubbed of them.
    pub withdrawn: Vec<(&'a str, i64)>,
    /// Learners erased.
    pub erased: Vec<&'a str>,
}

impl<'a> Rights<'a> {
    pub(in crate::store) fn of(events: impl IntoIterator<Item = &'a WireEvent>) -> Rights<'a> {
        let mut rights = Rights::default();
        for e in events {
            let Some(learner) = e.learner.as_deref() else {
                continue;
            };
            match e.kind.as_str() {
                "consent" if e.payload.get("optional") != Some(&true.into()) => {
                    rights.withdrawn.push((learner, e.seq));
                }
                "learner_erased" => rights.erased.push(learner),
                _ => {}
            }
        }
        rights
    }

    pub(in crate::store) fn is_empty(&self) -> bool {
        self.withdrawn.is_empty() && self.erased.is_empty()
    }
}

/// `json_remove`'s paths for `fields` (SQLite's, on a hub and on a box).
pub(in crate::store) fn paths(fields: &[&str]) -> String {
    fields
        .iter()
        .map(|f| format!("'$.{f}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `PROFILE_KINDS` as a SQL list.
pub(in crate::store) fn kinds() -> String {
    PROFILE_KINDS
        .iter()
        .map(|k| format!("'{k}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Applies `rights`, asked in a batch of `box_id`, on a SQLite hub, in the batch's transaction
/// (after its profiles were kept).
pub(super) fn apply(
    conn: &Connection,
    box_id: &str,
    rights: &Rights<'_>,
    at: &str,
) -> Result<(), Error> {
    let kinds = kinds();
    for (learner, seq) in &rights.withdrawn {
        // Of this box, only the events before the withdrawal: a later one may give them again.
        conn.prepare_cached(&format!(
            "UPDATE hub_events SET payload = json_remove(payload, {})
             WHERE learner_id = ?1 AND kind IN ({kinds}) AND NOT (box_id = ?2 AND seq > ?3) AND json_valid(payload)",
            paths(&OPTIONAL_FIELDS)
        ))?
        .execute((learner, box_id, seq))?;
    }
    for learner in &rights.erased {
        conn.prepare_cached(
            "UPDATE hub_learners SET name = NULL, birth_year = NULL, gender = NULL, ethnic_group = NULL,
                 erased_at = COALESCE(erased_at, ?2) WHERE id = ?1",
        )?
        .execute((learner, at))?;
        conn.prepare_cached(&format!(
            "UPDATE hub_events SET payload = json_remove(payload, {})
             WHERE learner_id = ?1 AND kind IN ({kinds}) AND json_valid(payload)",
            paths(&PERSONAL_FIELDS)
        ))?
        .execute([learner])?;
        // The signed batches the national hub holds already, of the sending box and of the
        // box that first sent the learner.
        conn.prepare_cached(
            "DELETE FROM hub_batches WHERE box_id IN (?1, (SELECT box_id FROM hub_learners WHERE id = ?2))
                 AND last_seq <= COALESCE((SELECT forwarded FROM hub_boxes b WHERE b.box_id = hub_batches.box_id), 0)",
        )?
        .execute((box_id, learner))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(seq: i64, kind: &str, learner: Option<&str>, payload: serde_json::Value) -> WireEvent {
        WireEvent {
            seq,
            id: uuid::Uuid::now_v7().to_string(),
            kind: kind.into(),
            learner: learner.map(str::to_string),
            lesson: None,
            payload,
            at: String::new(),
            recorded_at: String::new(),
        }
    }

    #[test]
    fn a_refusal_a_withdrawal_and_an_erasure_are_read_and_nothing_else() {
        let events = [
            event(
                1,
                "consent",
                Some("a"),
                serde_json::json!({"optional": true}),
            ),
            event(
                2,
                "consent",
                Some("b"),
                serde_json::json!({"optional": false}),
            ),
            // Anything but JSON true is no consent.
            event(
                3,
                "consent",
                Some("c"),
                serde_json::json!({"optional": "yes"}),
            ),
            event(4, "learner_erased", Some("d"), serde_json::json!({})),
            event(5, "learner_erased", None, serde_json::json!({})),
            event(6, "lesson_finished", Some("e"), serde_json::json!({})),
        ];
        let rights = Rights::of(&events);
        assert_eq!(rights.withdrawn, [("b", 2), ("c", 3)]);
        assert_eq!(rights.erased, ["d"]);
        assert!(Rights::of(&events[..1]).is_empty());
    }

    /// Any JSON a payload may hold, a few levels deep.
    fn json() -> impl proptest::strategy::Strategy<Value = serde_json::Value> {
        use proptest::prelude::*;
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::from),
            any::<i64>().prop_map(serde_json::Value::from),
            "\\PC{0,12}".prop_map(serde_json::Value::from),
        ];
        leaf.prop_recursive(3, 16, 4, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
                proptest::collection::btree_map("optional|[a-z]{1,8}", inner, 0..4)
                    .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest::proptest! {
        /// Whatever a batch's payloads hold (a box's bytes, checked only for their signature),
        /// a `consent` keeps the optional fields only when it says `"optional": true`, an
        /// erasure is read whatever it carries, and nothing else asks anything.
        #[test]
        fn any_payload_is_read_as_consent_only_when_it_says_true(
            payload in json(),
            kind in proptest::sample::select(vec!["consent", "learner_erased", "lesson_opened", ""]),
            learner in proptest::option::of("[a-z]{1,4}"),
        ) {
            let events = [event(7, kind, learner.as_deref(), payload.clone())];
            let rights = Rights::of(&events);
            let consented = payload.get("optional") == Some(&serde_json::Value::Bool(true));
            match (kind, learner.as_deref()) {
                ("consent", Some(l)) if !consented => {
                    proptest::prop_assert_eq!(rights.withdrawn, vec![(l, 7)]);
                }
                ("learner_erased", Some(l)) => proptest::prop_assert_eq!(rights.erased, vec![l]),
                _ => proptest::prop_assert!(rights.is_empty()),
            }
        }
    }
}
