//! What facilitators keep about learners: every learner for the list, corrections to a
//! learner's details (an event, like any other change), a new PIN, groups and their members,
//! and printed sign-in cards.

use rusqlite::{Connection, OptionalExtension};

use super::events::{Change, NewEvent, insert_event};
use super::learners::{LEARNER_COLUMNS, Secret, learner_by_id, learner_from};
use super::{Error, Store, now};

/// A group of learners: a class, a village, a youth union cell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    pub id: String,
    pub name: String,
    pub members: u32,
}

/// A learner's details as a facilitator corrects them, already checked.
#[derive(Clone, Debug)]
pub struct Profile {
    pub display_name: String,
    pub village: String,
    pub birth_year: Option<i32>,
    pub gender: Option<String>,
    pub ethnic_group: Option<String>,
}

/// Why a group was not created.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GroupRefused {
    /// Another group has the same name (ignoring accents and case).
    NameTaken,
}

/// A new card token: 32 random bytes as hex, like a session token, so the same checks apply.
fn new_card_token() -> String {
    crate::token::new()
}

fn group_from(row: &rusqlite::Row<'_>) -> rusqlite::Result<Group> {
    Ok(Group {
        id: row.get(0)?,
        name: row.get(1)?,
        members: row.get(2)?,
    })
}

const GROUP_SELECT: &str = "SELECT g.id, g.name, (SELECT COUNT(*) FROM group_members m WHERE m.group_id = g.id) FROM groups g";

fn group_by_id(conn: &Connection, id: &str) -> Result<Option<Group>, Error> {
    let sql = format!("{GROUP_SELECT} WHERE g.id = ?1");
    Ok(conn.query_row(&sql, [id], group_from).optional()?)
}

impl Store {
    /// Every learner on the box not erased, by village then name.
    pub async fn all_learners(&self) -> Result<Vec<super::Learner>, Error> {
        self.read(|conn| {
            let sql = format!(
                "SELECT {LEARNER_COLUMNS} FROM learners WHERE erased_at IS NULL ORDER BY village, display_name, id"
            );
            let mut stmt = conn.prepare_cached(&sql)?;
            let rows = stmt.query_map([], learner_from)?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await
    }

    /// Corrects a learner's details and records a `learner_updated` event with them, in one
    /// transaction; with `consent` that differs from what they consented to before, a
    /// `consent` event first (a withdrawal clears the optional fields). `None` if there is no
    /// such learner, or they were erased.
    pub async fn update_learner(
        &self,
        id: &str,
        profile: Profile,
        consent: Option<super::Consent>,
    ) -> Result<Option<super::Learner>, Error> {
        let box_id = self.box_id().to_string();
        let id = id.to_string();
        self.write(move |conn| {
            let Some(before) = learner_by_id(conn, &id)?.filter(|l| l.erased_at.is_none()) else {
                return Ok(None);
            };
            if let Some(consent) = consent.filter(|c| {
                before.consent_notice != Some(c.notice) || before.consent_optional != c.optional
            }) {
                let withdrawn = before.consent_optional && !consent.optional;
                let event = super::rights::consent_event(&id, &consent, &now(), withdrawn);
                insert_event(conn, &box_id, &event)?;
            }
            conn.execute(
                "UPDATE learners SET display_name = ?2, village = ?3, birth_year = ?4, gender = ?5, ethnic_group = ?6 WHERE id = ?1",
                (&id, &profile.display_name, &profile.village, profile.birth_year, &profile.gender, &profile.ethnic_group),
            )?;
            let event = NewEvent {
                id: uuid::Uuid::now_v7(),
                learner_id: id.clone(),
                lesson_id: None,
                at: now(),
                payload: serde_json::json!({
                    "display_name": profile.display_name,
                    "village": profile.village,
                    "birth_year": profile.birth_year,
                    "gender": profile.gender,
                    "ethnic_group": profile.ethnic_group,
                }),
                change: Change::Updated,
            };
            insert_event(conn, &box_id, &event)?;
            learner_by_id(conn, &id)
        })
        .await
    }

    /// Gives a learner a new secret (or none), and signs every phone of theirs out. `false`
    /// if there is no such learner.
    pub async fn set_learner_secret(
        &self,
        id: &str,
        secret: Option<(Secret, String)>,
    ) -> Result<bool, Error> {
        let id = id.to_string();
        self.write(move |conn| {
            let (kind, hash) = secret.as_ref().map(|(k, h)| (k.code(), h.as_str())).unzip();
            let changed = conn.execute(
                "UPDATE learners SET secret_kind = ?2, secret_hash = ?3 WHERE id = ?1",
                (&id, kind, hash),
            )?;
            conn.execute("DELETE FROM sessions WHERE learner_id = ?1", [&id])?;
            Ok(changed > 0)
        })
        .await
    }

    /// Every group with how many members it has, by name.
    pub async fn groups(&self) -> Result<Vec<Group>, Error> {
        self.read(|conn| {
            let sql = format!("{GROUP_SELECT} ORDER BY g.name_key");
            let mut stmt = conn.prepare_cached(&sql)?;
            let rows = stmt.query_map([], group_from)?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await
    }

    pub async fn group(&self, id: &str) -> Result<Option<Group>, Error> {
        let id = id.to_string();
        self.read(move |conn| group_by_id(conn, &id)).await
    }

    /// Creates a group; `name_key` is the folded name, unique on the box.
    pub async fn create_group(
        &self,
        name: &str,
        name_key: &str,
    ) -> Result<Result<Group, GroupRefused>, Error> {
        let (name, name_key) = (name.to_string(), name_key.to_string());
        self.write(move |conn| {
            let id = uuid::Uuid::now_v7().to_string();
            let inserted = conn.execute(
                "INSERT INTO groups (id, name, name_key, created_at) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (name_key) DO NOTHING",
                (&id, &name, &name_key, now()),
            )?;
            if inserted == 0 {
                return Ok(Err(GroupRefused::NameTaken));
            }
            Ok(Ok(group_by_id(conn, &id)?.expect("the group just written")))
        })
        .await
    }

    /// The members of a group not erased, by village then name.
    pub async fn group_members(&self, group_id: &str) -> Result<Vec<super::Learner>, Error> {
        let group_id = group_id.to_string();
        self.read(move |conn| {
            let columns = LEARNER_COLUMNS
                .split(", ")
                .map(|c| format!("l.{c}"))
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!(
                "SELECT {columns} FROM group_members m JOIN learners l ON l.id = m.learner_id
                 WHERE m.group_id = ?1 AND l.erased_at IS NULL ORDER BY l.village, l.display_name, l.id"
            );
            let mut stmt = conn.prepare_cached(&sql)?;
            let rows = stmt.query_map([group_id], learner_from)?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await
    }

    /// Puts learners in a group and takes others out, all at once. Ids that are not learners
    /// are left out. `false` if there is no such group.
    pub async fn change_members(
        &self,
        group_id: &str,
        add: Vec<String>,
        remove: Vec<String>,
    ) -> Result<bool, Error> {
        let group_id = group_id.to_string();
        self.write(move |conn| {
            if group_by_id(conn, &group_id)?.is_none() {
                return Ok(false);
            }
            let at = now();
            for learner in &add {
                conn.execute(
                    "INSERT INTO group_members (group_id, learner_id, added_at)
                     SELECT ?1, id, ?3 FROM learners WHERE id = ?2
                     ON CONFLICT DO NOTHING",
                    (&group_id, learner, &at),
                )?;
            }
            for learner in &remove {
                conn.execute(
                    "DELETE FROM group_members WHERE group_id = ?1 AND learner_id = ?2",
                    (&group_id, learner),
                )?;
            }
            Ok(true)
        })
        .await
    }

    /// The groups a learner is in, by name.
    pub async fn learner_groups(&self, learner_id: &str) -> Result<Vec<Group>, Error> {
        let learner_id = learner_id.to_string();
        self.read(move |conn| {
            let sql = format!(
                "{GROUP_SELECT} JOIN group_members gm ON gm.group_id = g.id WHERE gm.learner_id = ?1 ORDER BY g.name_key"
            );
            let mut stmt = conn.prepare_cached(&sql)?;
            let rows = stmt.query_map([learner_id], group_from)?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await
    }

    /// The card token of each learner given, making a card for those who have none, or a
    /// new one for everyone when `renew` (which ends the old cards). Unknown ids are left out.
    pub async fn issue_cards(
        &self,
        learner_ids: Vec<String>,
        renew: bool,
    ) -> Result<Vec<(String, String)>, Error> {
        self.write(move |conn| {
            let mut cards = Vec::with_capacity(learner_ids.len());
            for learner in learner_ids {
                if learner_by_id(conn, &learner)?.is_none() {
                    continue;
                }
                let held: Option<String> = conn
                    .query_row(
                        "SELECT token FROM learner_cards WHERE learner_id = ?1",
                        [&learner],
                        |row| row.get(0),
                    )
                    .optional()?;
                let token = match held {
                    Some(token) if !renew => token,
                    _ => {
                        let token = new_card_token();
                        conn.execute(
                            "INSERT INTO learner_cards (learner_id, token, issued_at) VALUES (?1, ?2, ?3)
                             ON CONFLICT (learner_id) DO UPDATE SET token = excluded.token, issued_at = excluded.issued_at",
                            (&learner, &token, now()),
                        )?;
                        token
                    }
                };
                cards.push((learner, token));
            }
            Ok(cards)
        })
        .await
    }

    /// Ends a learner's card: its QR code signs nobody in any more.
    pub async fn revoke_card(&self, learner_id: &str) -> Result<(), Error> {
        let learner_id = learner_id.to_string();
        self.write(move |conn| {
            conn.execute(
                "DELETE FROM learner_cards WHERE learner_id = ?1",
                [learner_id],
            )?;
            Ok(())
        })
        .await
    }

    /// Whether a learner has a card that works, and since when.
    pub async fn card_issued(&self, learner_id: &str) -> Result<Option<String>, Error> {
        let learner_id = learner_id.to_string();
        self.read(move |conn| {
            Ok(conn
                .query_row(
                    "SELECT issued_at FROM learner_cards WHERE learner_id = ?1",
                    [learner_id],
                    |row| row.get(0),
                )
                .optional()?)
        })
        .await
    }

    /// The learner a card's token signs in, if the card still works.
    pub async fn learner_by_card(&self, token: &str) -> Result<Option<super::Learner>, Error> {
        let token = token.to_string();
        self.read(move |conn| {
            let id: Option<String> = conn
                .query_row(
                    "SELECT learner_id FROM learner_cards WHERE token = ?1",
                    [token],
                    |row| row.get(0),
                )
                .optional()?;
            match id {
                Some(id) => learner_by_id(conn, &id),
                None => Ok(None),
            }
        })
        .await
    }
}
