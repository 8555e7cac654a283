//! The learner's data rights, on the box: consent recorded as an event (`consent`), the
//! optional fields cleared when it is withdrawn, a learner erased (`learner_erased`: the
//! name, optional fields, secret, sessions and card go, the row stays nameless so their
//! learning counts on), everything held about one learner in one read, and the learners not
//! seen since a time (for retention). The events that ask for a scrub scrub the payloads of
//! the learner's earlier profile events in place, in their own transaction; a hub does the
//! same when it takes them (`store::hub`, `store::postgres`).

use rusqlite::{Connection, OptionalExtension};

use super::events::{Change, LearnerRecord, NewEvent, insert_event, practice_rows};
use super::hub::{OPTIONAL_FIELDS, PERSONAL_FIELDS, kinds, paths};
use super::learners::{Consent, Learner, learner_by_id};
use super::{Error, Store, now};

/// A `consent` event for `learner_id`: the notice's version, the basic notice (always: a
/// learner is kept only after it), the optional fields or not, and who asked; `withdrawn`
/// when the optional fields were consented to before.
pub(super) fn consent_event(
    learner_id: &str,
    consent: &Consent,
    at: &str,
    withdrawn: bool,
) -> NewEvent {
    let mut payload = serde_json::json!({
        "notice": consent.notice,
        "basic": true,
        "optional": consent.optional,
        "by": consent.by,
    });
    if withdrawn {
        payload["withdrawn"] = "optional".into();
    }
    NewEvent {
        id: uuid::Uuid::now_v7(),
        learner_id: learner_id.to_string(),
        lesson_id: None,
        at: at.to_string(),
        payload,
        change: Change::Consent {
            notice: consent.notice,
            optional: consent.optional,
        },
    }
}

/// Keeps what a `consent` event says on the learner; without the optional fields, clears
/// them on the learner and in the payloads of their profile events before `seq`.
pub(super) fn apply_consent(
    conn: &Connection,
    learner_id: &str,
    notice: i64,
    optional: bool,
    seq: i64,
    at: &str,
) -> Result<(), Error> {
    conn.execute(
        "UPDATE learners SET consent_notice = ?2, consent_optional = ?3, consent_at = ?4 WHERE id = ?1",
        (learner_id, notice, optional, at),
    )?;
    if !optional {
        conn.execute(
            "UPDATE learners SET birth_year = NULL, gender = NULL, ethnic_group = NULL WHERE id = ?1",
            [learner_id],
        )?;
        conn.execute(
            &format!(
                "UPDATE events SET payload = json_remove(payload, {})
                 WHERE learner_id = ?1 AND kind IN ({}) AND seq < ?2 AND json_valid(payload)",
                paths(&OPTIONAL_FIELDS),
                kinds()
            ),
            (learner_id, seq),
        )?;
    }
    Ok(())
}

/// Erases a learner on the box, in the transaction of their `learner_erased` event: the name
/// and optional fields, the secret, every session and the sign-in card go; the village stays
/// (so the village's counts stay), and so does what they learnt, under the nameless id.
pub(super) fn erase(conn: &Connection, learner_id: &str, at: &str) -> Result<(), Error> {
    conn.execute(
        "UPDATE learners SET display_name = '', birth_year = NULL, gender = NULL, ethnic_group = NULL,
             secret_kind = NULL, secret_hash = NULL, consent_optional = 0, erased_at = ?2
         WHERE id = ?1 AND erased_at IS NULL",
        (learner_id, at),
    )?;
    conn.execute("DELETE FROM sessions WHERE learner_id = ?1", [learner_id])?;
    conn.execute(
        "DELETE FROM learner_cards WHERE learner_id = ?1",
        [learner_id],
    )?;
    conn.execute(
        &format!(
            "UPDATE events SET payload = json_remove(payload, {})
             WHERE learner_id = ?1 AND kind IN ({}) AND json_valid(payload)",
            paths(&PERSONAL_FIELDS),
            kinds()
        ),
        [learner_id],
    )?;
    Ok(())
}

/// Everything the box holds about one learner: what "Thông tin của tôi" shows and downloads.
#[derive(Clone, Debug, PartialEq)]
pub struct LearnerData {
    pub learner: Learner,
    pub record: LearnerRecord,
    /// Every consent given or withdrawn, oldest first: when, and the event's payload.
    pub consents: Vec<(String, serde_json::Value)>,
    /// When each phone still signed in as them signed in.
    pub sessions: Vec<String>,
    /// The groups they are in, by name.
    pub groups: Vec<String>,
    /// When their sign-in card was printed, if one is valid.
    pub card: Option<String>,
    /// How many events the box holds of theirs (every lesson opened, quiz answered, …).
    pub events: i64,
    /// The last time the box heard of them (an event, a sign-in), by its clock.
    pub last_seen: String,
}

/// The last time the box heard of a learner: their last event's time on the box's clock, the
/// last sign-in of a phone still signed in as them, or when they joined.
const LAST_SEEN_SQL: &str = "MAX(l.created_at,
    COALESCE((SELECT e.recorded_at FROM events e WHERE e.learner_id = l.id ORDER BY e.seq DESC LIMIT 1), ''),
    COALESCE((SELECT MAX(s.created_at) FROM sessions s WHERE s.learner_id = l.id), ''))";

fn strings(conn: &Connection, sql: &str, id: &str) -> Result<Vec<String>, Error> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map([id], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn learner_data(conn: &Connection, id: &str) -> Result<Option<LearnerData>, Error> {
    let Some(learner) = learner_by_id(conn, id)? else {
        return Ok(None);
    };
    let mut stmt = conn.prepare_cached(
        "SELECT recorded_at, payload FROM events WHERE learner_id = ?1 AND kind = 'consent' ORDER BY seq",
    )?;
    let consents = stmt
        .query_map([id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                serde_json::from_str(&r.get::<_, String>(1)?).unwrap_or_default(),
            ))
        })?
        .collect::<Result<_, _>>()?;
    Ok(Some(LearnerData {
        record: LearnerRecord {
            progress: super::events::progress_rows(conn, id)?,
            scores: super::events::score_rows(conn, id)?,
            practice: practice_rows(conn, id)?,
        },
        consents,
        sessions: strings(
            conn,
            "SELECT created_at FROM sessions WHERE learner_id = ?1 ORDER BY created_at",
            id,
        )?,
        groups: strings(
            conn,
            "SELECT g.name FROM groups g JOIN group_members m ON m.group_id = g.id WHERE m.learner_id = ?1 ORDER BY g.name_key",
            id,
        )?,
        card: conn
            .query_row(
                "SELECT issued_at FROM learner_cards WHERE learner_id = ?1",
                [id],
                |r| r.get(0),
            )
            .optional()?,
        events: conn.query_row(
            "SELECT COUNT(*) FROM events WHERE learner_id = ?1",
            [id],
            |r| r.get(0),
        )?,
        last_seen: conn.query_row(
            &format!("SELECT {LAST_SEEN_SQL} FROM learners l WHERE l.id = ?1"),
            [id],
            |r| r.get(0),
        )?,
        learner,
    }))
}

/// The learners not erased whom the box has not heard of since `since` (RFC 3339).
fn unseen_since(conn: &Connection, since: &str) -> Result<Vec<String>, Error> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT l.id FROM learners l WHERE l.erased_at IS NULL AND {LAST_SEEN_SQL} < ?1 ORDER BY l.id"
    ))?;
    let rows = stmt.query_map([since], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A `learner_erased` event for `learner_id`, asked by `by`: `learner`, `facilitator` or
/// `retention`.
fn erased_event(learner_id: &str, by: &str) -> NewEvent {
    NewEvent {
        id: uuid::Uuid::now_v7(),
        learner_id: learner_id.to_string(),
        lesson_id: None,
        at: now(),
        payload: serde_json::json!({ "by": by }),
        change: Change::Erased,
    }
}

impl Store {
    /// Records that learner `id` consented (or not) to the optional fields under a notice,
    /// and applies it; the learner then, or `None` for none or one erased.
    pub async fn record_consent(
        &self,
        id: &str,
        consent: Consent,
    ) -> Result<Option<Learner>, Error> {
        let (box_id, id) = (self.box_id().to_string(), id.to_string());
        self.write(move |conn| {
            let Some(learner) = learner_by_id(conn, &id)?.filter(|l| l.erased_at.is_none()) else {
                return Ok(None);
            };
            let withdrawn = learner.consent_optional && !consent.optional;
            insert_event(
                conn,
                &box_id,
                &consent_event(&id, &consent, &now(), withdrawn),
            )?;
            learner_by_id(conn, &id)
        })
        .await
    }

    /// Erases learner `id` (asked by `by`) with a `learner_erased` event the hub applies too;
    /// `false` for none, or one erased already.
    pub async fn erase_learner(&self, id: &str, by: &'static str) -> Result<bool, Error> {
        let (box_id, id) = (self.box_id().to_string(), id.to_string());
        self.write(move |conn| {
            if learner_by_id(conn, &id)?.is_none_or(|l| l.erased_at.is_some()) {
                return Ok(false);
            }
            insert_event(conn, &box_id, &erased_event(&id, by))?;
            Ok(true)
        })
        .await
    }

    /// Everything the box holds about learner `id`, erased or not.
    pub async fn learner_data(&self, id: &str) -> Result<Option<LearnerData>, Error> {
        let id = id.to_string();
        self.read(move |conn| learner_data(conn, &id)).await
    }

    /// How many learners the box has not heard of since `since` (RFC 3339): those retention
    /// would erase now.
    pub async fn unseen_learners(&self, since: &str) -> Result<usize, Error> {
        let since = since.to_string();
        self.read(move |conn| Ok(unseen_since(conn, &since)?.len()))
            .await
    }

    /// Erases every learner the box has not heard of since `since`, each with the same
    /// `learner_erased` event as one who asked (`by: retention`), in one transaction;
    /// answers how many.
    pub async fn erase_unseen(&self, since: &str) -> Result<usize, Error> {
        let (box_id, since) = (self.box_id().to_string(), since.to_string());
        self.write(move |conn| {
            let ids = unseen_since(conn, &since)?;
            for id in &ids {
                insert_event(conn, &box_id, &erased_event(id, "retention"))?;
            }
            Ok(ids.len())
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::NewLearner;

    async fn joined(store: &Store, name: &str) -> Learner {
        let new = NewLearner {
            display_name: name.into(),
            village: "Buôn Đôn".into(),
            birth_year: Some(1980),
            gender: Some("nu".into()),
            ethnic_group: Some("Ê Đê".into()),
            secret: Some((super::super::Secret::Pin, "hash".into())),
            consent: Some(Consent {
                notice: 1,
                optional: true,
                by: "learner",
            }),
        };
        store.create_learner(new, Some([7; 32])).await.unwrap()
    }

    #[tokio::test]
    async fn a_withdrawal_and_an_erasure_scrub_what_they_must_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let lan = joined(&store, "Y Lan").await;
        let payloads = |store: &Store, id: &str| {
            let (store, id) = (store.clone(), id.to_string());
            async move {
                store
                    .read(move |c| {
                        let mut s = c.prepare(
                            "SELECT kind, payload FROM events WHERE learner_id = ?1 ORDER BY seq",
                        )?;
                        let rows = s.query_map([id], |r| {
                            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
                        })?;
                        Ok(rows.collect::<Result<Vec<_>, _>>()?)
                    })
                    .await
                    .unwrap()
            }
        };
        let withdrawn = Consent {
            notice: 1,
            optional: false,
            by: "learner",
        };
        let after = store
            .record_consent(&lan.id, withdrawn)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (after.birth_year, after.gender, after.ethnic_group),
            (None, None, None)
        );
        let kept = payloads(&store, &lan.id).await;
        assert_eq!(kept[0].0, "learner_joined");
        assert_eq!(
            kept[0].1,
            r#"{"display_name":"Y Lan","village":"Buôn Đôn"}"#
        );
        assert!(kept[2].1.contains(r#""withdrawn":"optional""#), "{kept:?}");

        assert!(store.erase_learner(&lan.id, "learner").await.unwrap());
        assert!(
            !store.erase_learner(&lan.id, "learner").await.unwrap(),
            "once"
        );
        let gone = store.learner_even_erased(&lan.id).await.unwrap().unwrap();
        assert!(gone.erased_at.is_some() && gone.secret.is_none());
        assert_eq!(
            (gone.display_name.as_str(), gone.village.as_str()),
            ("", "Buôn Đôn")
        );
        assert_eq!(store.session_learner([7; 32]).await.unwrap(), None);
        let kept = payloads(&store, &lan.id).await;
        assert_eq!(kept[0].1, "{}");
        assert_eq!(kept.last().unwrap().0, "learner_erased");
        // An erased learner is nobody's to correct or to consent for.
        assert!(
            store
                .record_consent(
                    &lan.id,
                    Consent {
                        notice: 1,
                        optional: true,
                        by: "learner"
                    }
                )
                .await
                .unwrap()
                .is_none()
        );
    }

    #[tokio::test]
    async fn the_learners_not_seen_are_found_by_index() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let lan = joined(&store, "Y Lan").await;
        let later = "9999-01-01T00:00:00Z";
        assert_eq!(
            store.unseen_learners("2000-01-01T00:00:00Z").await.unwrap(),
            0
        );
        assert_eq!(store.unseen_learners(later).await.unwrap(), 1);
        assert_eq!(store.erase_unseen(later).await.unwrap(), 1);
        assert_eq!(
            store.unseen_learners(later).await.unwrap(),
            0,
            "erased once"
        );
        let data = store.learner_data(&lan.id).await.unwrap().unwrap();
        assert!(data.learner.erased_at.is_some());
        let plan: Vec<String> = store
            .read(|c| {
                let sql = format!(
                    "EXPLAIN QUERY PLAN SELECT l.id FROM learners l WHERE l.erased_at IS NULL AND {LAST_SEEN_SQL} < ?1"
                );
                let mut s = c.prepare(&sql)?;
                let rows = s.query_map(["x"], |r| r.get::<_, String>(3))?;
                Ok(rows.collect::<Result<Vec<_>, _>>()?)
            })
            .await
            .unwrap();
        // One pass over the learners; each one's events and sessions by index.
        assert!(
            plan.iter()
                .all(|step| !step.starts_with("SCAN e") && !step.starts_with("SCAN s")),
            "{plan:?}"
        );
    }
}
