//! Learners, the villages they come from, and the sessions that keep a phone signed in.

use std::sync::LazyLock;

use rusqlite::{Connection, OptionalExtension, Row};

use super::events::{Change, NewEvent, insert_event};
use super::{Error, Store, now};

/// How a learner proves who they are, if they chose to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Secret {
    /// Four digits.
    Pin,
    /// Three of nine pictures, in order.
    Picture,
}

impl Secret {
    /// How the kind is written in records and forms.
    pub fn code(self) -> &'static str {
        match self {
            Secret::Pin => "pin",
            Secret::Picture => "picture",
        }
    }

    fn from_code(code: &str) -> Option<Secret> {
        match code {
            "pin" => Some(Secret::Pin),
            "picture" => Some(Secret::Picture),
            _ => None,
        }
    }
}

/// A learner as the box keeps them. Names are not unique: the id is the key.
#[derive(Clone, Debug, PartialEq)]
pub struct Learner {
    pub id: String,
    pub display_name: String,
    pub village: String,
    pub birth_year: Option<i32>,
    pub gender: Option<String>,
    pub ethnic_group: Option<String>,
    /// The kind of secret and its argon2 hash.
    pub secret: Option<(Secret, String)>,
    pub created_at: String,
    /// The version of the notice the learner consented to (`None`: joined before notices).
    pub consent_notice: Option<i64>,
    /// Whether they consented to the optional fields (birth year, gender, ethnic group).
    pub consent_optional: bool,
    /// When they last consented or withdrew, by the box's clock.
    pub consent_at: Option<String>,
    /// When the learner was erased: the row stays nameless, their records count on anonymously.
    pub erased_at: Option<String>,
}

/// What a learner consented to, under which version of the notice, and who asked them:
/// `learner` on their own phone or through the API, `facilitator` reading it to them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Consent {
    pub notice: i64,
    pub optional: bool,
    pub by: &'static str,
}

/// A learner to create, already checked and with the secret already hashed.
#[derive(Clone, Debug)]
pub struct NewLearner {
    pub display_name: String,
    pub village: String,
    pub birth_year: Option<i32>,
    pub gender: Option<String>,
    pub ethnic_group: Option<String>,
    pub secret: Option<(Secret, String)>,
    /// What they consented to as they joined, recorded as a `consent` event beside the
    /// `learner_joined` one (`None`: nothing asked, as a tool's import).
    pub consent: Option<Consent>,
}

/// One line of the sign-in list: enough to tell two people of the same name apart.
#[derive(Clone, Debug, PartialEq)]
pub struct LearnerListing {
    pub id: String,
    pub display_name: String,
    pub birth_year: Option<i32>,
    pub created_at: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Village {
    pub name: String,
    pub learners: u32,
}

pub(super) const LEARNER_COLUMNS: &str = "id, display_name, village, birth_year, gender, ethnic_group, secret_kind, secret_hash, created_at, consent_notice, consent_optional, consent_at, erased_at";

pub(super) fn learner_from(row: &Row<'_>) -> rusqlite::Result<Learner> {
    let kind: Option<String> = row.get(6)?;
    let hash: Option<String> = row.get(7)?;
    Ok(Learner {
        id: row.get(0)?,
        display_name: row.get(1)?,
        village: row.get(2)?,
        birth_year: row.get(3)?,
        gender: row.get(4)?,
        ethnic_group: row.get(5)?,
        secret: kind.as_deref().and_then(Secret::from_code).zip(hash),
        created_at: row.get(8)?,
        consent_notice: row.get(9)?,
        consent_optional: row.get(10)?,
        consent_at: row.get(11)?,
        erased_at: row.get(12)?,
    })
}

pub(super) fn learner_by_id(conn: &Connection, id: &str) -> Result<Option<Learner>, Error> {
    let sql = format!("SELECT {LEARNER_COLUMNS} FROM learners WHERE id = ?1");
    Ok(conn.query_row(&sql, [id], learner_from).optional()?)
}

/// The learner a session token's hash belongs to.
pub(super) static SESSION_SQL: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT {} FROM sessions s JOIN learners l ON l.id = s.learner_id WHERE s.token_hash = ?1",
        LEARNER_COLUMNS
            .split(", ")
            .map(|c| format!("l.{c}"))
            .collect::<Vec<_>>()
            .join(", ")
    )
});

impl Store {
    /// Creates a learner, records a `learner_joined` event, and, given a session token's
    /// hash, signs that phone in: all in one transaction.
    pub async fn create_learner(
        &self,
        new: NewLearner,
        session: Option<[u8; 32]>,
    ) -> Result<Learner, Error> {
        let box_id = self.box_id().to_string();
        self.write(move |conn| {
            let id = uuid::Uuid::now_v7();
            let at = now();
            let (kind, hash) = new.secret.as_ref().map(|(k, h)| (k.code(), h.as_str())).unzip();
            conn.execute(
                "INSERT INTO learners (id, display_name, village, birth_year, gender, ethnic_group, secret_kind, secret_hash, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                (id.to_string(), &new.display_name, &new.village, new.birth_year, &new.gender, &new.ethnic_group, kind, hash, &at),
            )?;
            let payload = serde_json::json!({
                "display_name": new.display_name,
                "village": new.village,
                "birth_year": new.birth_year,
                "gender": new.gender,
                "ethnic_group": new.ethnic_group,
            });
            let event = NewEvent {
                id: uuid::Uuid::now_v7(),
                learner_id: id.to_string(),
                lesson_id: None,
                at: at.clone(),
                payload,
                change: Change::Joined,
            };
            insert_event(conn, &box_id, &event)?;
            if let Some(consent) = &new.consent {
                insert_event(conn, &box_id, &super::rights::consent_event(&id.to_string(), consent, &at, false))?;
            }
            if let Some(token_hash) = session {
                start_session(conn, &token_hash, &id.to_string())?;
            }
            learner_by_id(conn, &id.to_string())?.ok_or_else(|| Error::Invalid("learner vanished".into()))
        })
        .await
    }

    /// Learner `id`, unless erased: an erased learner signs in nowhere and joins nothing.
    pub async fn learner(&self, id: &str) -> Result<Option<Learner>, Error> {
        let id = id.to_string();
        self.read(move |conn| Ok(learner_by_id(conn, &id)?.filter(|l| l.erased_at.is_none())))
            .await
    }

    /// Learner `id`, erased or not (the facilitator's page says when they were erased).
    pub async fn learner_even_erased(&self, id: &str) -> Result<Option<Learner>, Error> {
        let id = id.to_string();
        self.read(move |conn| learner_by_id(conn, &id)).await
    }

    /// Every village learners have given, with how many learners each has.
    pub async fn villages(&self) -> Result<Vec<Village>, Error> {
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT village, COUNT(*) FROM learners WHERE erased_at IS NULL GROUP BY village",
            )?;
            let rows = stmt.query_map([], |row| {
                Ok(Village {
                    name: row.get(0)?,
                    learners: row.get(1)?,
                })
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await
    }

    /// The learners of one village, for the sign-in list.
    pub async fn learners_in_village(&self, village: &str) -> Result<Vec<LearnerListing>, Error> {
        let village = village.to_string();
        self.read(move |conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT id, display_name, birth_year, created_at FROM learners WHERE village = ?1 AND erased_at IS NULL ORDER BY display_name, id",
            )?;
            let rows = stmt.query_map([village], |row| {
                Ok(LearnerListing {
                    id: row.get(0)?,
                    display_name: row.get(1)?,
                    birth_year: row.get(2)?,
                    created_at: row.get(3)?,
                })
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await
    }

    /// Signs a phone in as `learner_id`: the cookie holds the token, the box its hash.
    pub async fn start_session(&self, token_hash: [u8; 32], learner_id: &str) -> Result<(), Error> {
        let learner_id = learner_id.to_string();
        self.write(move |conn| start_session(conn, &token_hash, &learner_id))
            .await
    }

    /// The learner a session token's hash belongs to, if it is still valid.
    pub async fn session_learner(&self, token_hash: [u8; 32]) -> Result<Option<Learner>, Error> {
        self.lookup(|conn| {
            let mut stmt = conn.prepare_cached(&SESSION_SQL)?;
            Ok(stmt.query_row([&token_hash[..]], learner_from).optional()?)
        })
    }

    pub async fn end_session(&self, token_hash: [u8; 32]) -> Result<(), Error> {
        self.write(move |conn| {
            conn.execute(
                "DELETE FROM sessions WHERE token_hash = ?1",
                [&token_hash[..]],
            )?;
            Ok(())
        })
        .await
    }

    /// A setting such as the commune's name, if set.
    pub async fn setting(&self, key: &str) -> Result<Option<String>, Error> {
        let key = key.to_string();
        self.read(move |conn| get_setting(conn, &key)).await
    }

    /// Every setting whose key is in `keys`.
    pub async fn settings(
        &self,
        keys: &'static [&'static str],
    ) -> Result<std::collections::HashMap<String, String>, Error> {
        self.read(move |conn| {
            let mut stmt = conn.prepare_cached("SELECT key, value FROM settings")?;
            let rows = stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
            let all: Vec<(String, String)> = rows.collect::<Result<_, _>>()?;
            Ok(all
                .into_iter()
                .filter(|(k, _)| keys.contains(&k.as_str()))
                .collect())
        })
        .await
    }

    /// Stores several settings at once: all or none.
    pub async fn set_settings(&self, pairs: Vec<(String, String)>) -> Result<(), Error> {
        self.write(move |conn| {
            for (key, value) in &pairs {
                put_setting(conn, key, value)?;
            }
            Ok(())
        })
        .await
    }

    pub async fn set_setting(&self, key: &str, value: &str) -> Result<(), Error> {
        let (key, value) = (key.to_string(), value.to_string());
        self.write(move |conn| put_setting(conn, &key, &value))
            .await
    }
}

/// One setting, if set.
pub(super) fn get_setting(conn: &Connection, key: &str) -> Result<Option<String>, Error> {
    Ok(conn
        .query_row("SELECT value FROM settings WHERE key = ?1", [key], |row| {
            row.get(0)
        })
        .optional()?)
}

/// Sets one setting, inside the caller's write.
pub(super) fn put_setting(conn: &Connection, key: &str, value: &str) -> Result<(), Error> {
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, value),
    )?;
    Ok(())
}

fn start_session(conn: &Connection, token_hash: &[u8; 32], learner_id: &str) -> Result<(), Error> {
    conn.execute(
        "INSERT INTO sessions (token_hash, learner_id, created_at) VALUES (?1, ?2, ?3)",
        (&token_hash[..], learner_id, now()),
    )?;
    Ok(())
}
