//! What a commune makes on its box: pictures and recordings (`media`, kept in the database
//! so a backup holds them and a write is whole or nothing), the lessons its facilitators
//! write (drafts and published), its own wording of practice scenarios, readings of any
//! lesson in any language, and the proposals it sends its province until the hub says it
//! holds them.

use std::collections::BTreeMap;

use rusqlite::{Connection, OptionalExtension, params};

use super::{Error, Store, now};

/// Bytes the commune's own pictures and recordings may take unless a setting says otherwise.
pub const MEDIA_BUDGET: u64 = 512 * 1024 * 1024;
/// The setting that changes it (bytes).
const BUDGET_SETTING: &str = "media_budget";

/// A media file as it is kept: its name is its content's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewMedia {
    pub name: String,
    pub mime: String,
    pub bytes: Vec<u8>,
    pub seconds: Option<u32>,
}

/// A lesson written on the box.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LocalLesson {
    /// `module/slug`.
    pub id: String,
    /// The module's title when the module is the commune's own.
    pub module_title: Option<String>,
    /// The lesson file: front matter and slides.
    pub file: String,
    pub published: bool,
    pub created_by: String,
    pub created_at: String,
    pub updated_at: String,
    pub proposed_at: Option<String>,
}

/// A practice scenario the commune reworded on the box.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LocalScenario {
    /// `module/slug`.
    pub id: String,
    /// The scenario file (TOML).
    pub file: String,
    pub published: bool,
    pub created_by: String,
    pub created_at: String,
    pub updated_at: String,
}

/// A reading recorded on the box.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LocalReading {
    pub id: String,
    pub lesson_id: String,
    pub slide: Option<u32>,
    pub lang: String,
    pub lang_name: String,
    pub audio: String,
    pub seconds: u32,
    pub created_by: String,
    pub created_at: String,
    pub proposed_at: Option<String>,
}

/// How much room the commune's media take and may take.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MediaRoom {
    pub used: u64,
    pub budget: u64,
}

/// What went up to the province, and what still waits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ProposalsOut {
    pub waiting: u32,
    pub held: u32,
}

const LESSON_COLUMNS: &str =
    "id, module_title, file, published, created_by, created_at, updated_at, proposed_at";

fn lesson_from(row: &rusqlite::Row<'_>) -> rusqlite::Result<LocalLesson> {
    Ok(LocalLesson {
        id: row.get(0)?,
        module_title: row.get(1)?,
        file: row.get(2)?,
        published: row.get(3)?,
        created_by: row.get(4)?,
        created_at: row.get(5)?,
        updated_at: row.get(6)?,
        proposed_at: row.get(7)?,
    })
}

const SCENARIO_COLUMNS: &str = "id, file, published, created_by, created_at, updated_at";

fn scenario_from(row: &rusqlite::Row<'_>) -> rusqlite::Result<LocalScenario> {
    Ok(LocalScenario {
        id: row.get(0)?,
        file: row.get(1)?,
        published: row.get(2)?,
        created_by: row.get(3)?,
        created_at: row.get(4)?,
        updated_at: row.get(5)?,
    })
}

const READING_COLUMNS: &str =
    "id, lesson_id, slide, lang, lang_name, audio, seconds, created_by, created_at, proposed_at";

fn reading_from(row: &rusqlite::Row<'_>) -> rusqlite::Result<LocalReading> {
    Ok(LocalReading {
        id: row.get(0)?,
        lesson_id: row.get(1)?,
        slide: row.get(2)?,
        lang: row.get(3)?,
        lang_name: row.get(4)?,
        audio: row.get(5)?,
        seconds: row.get(6)?,
        created_by: row.get(7)?,
        created_at: row.get(8)?,
        proposed_at: row.get(9)?,
    })
}

fn insert_media(conn: &Connection, media: &NewMedia, origin: &str) -> Result<(), Error> {
    conn.prepare_cached(
        "INSERT OR IGNORE INTO media (name, mime, bytes, size, seconds, origin, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        media.name,
        media.mime,
        media.bytes,
        media.bytes.len() as i64,
        media.seconds,
        origin,
        now()
    ])?;
    Ok(())
}

fn local_media_used(conn: &Connection) -> Result<u64, Error> {
    Ok(conn.query_row(
        "SELECT COALESCE(SUM(size), 0) FROM media WHERE origin = 'local'",
        [],
        |r| r.get::<_, i64>(0),
    )? as u64)
}

fn budget(conn: &Connection) -> Result<u64, Error> {
    let set: Option<String> = conn
        .query_row(
            "SELECT value FROM settings WHERE key = ?1",
            [BUDGET_SETTING],
            |r| r.get(0),
        )
        .optional()?;
    Ok(set.and_then(|s| s.parse().ok()).unwrap_or(MEDIA_BUDGET))
}

/// Why media were not kept.
#[derive(Debug, thiserror::Error)]
pub enum MediaRefused {
    #[error("the commune's media would take {needed} bytes of {budget}")]
    OverBudget { needed: u64, budget: u64 },
    #[error(transparent)]
    Store(#[from] Error),
}

/// Deletes the commune's media that nothing names (no local lesson's file, no reading) and
/// that are older than `grace` (an upload whose lesson is still being written is kept).
fn sweep_media(conn: &Connection, before: &str) -> Result<usize, Error> {
    Ok(conn.execute(
        "DELETE FROM media WHERE origin = 'local' AND created_at < ?1
           AND name NOT IN (SELECT audio FROM readings)
           AND NOT EXISTS (SELECT 1 FROM local_lessons l WHERE instr(l.file, media.name) > 0)",
        [before],
    )?)
}

impl Store {
    /// Keeps a picture or recording the commune uploaded, unless it would take the media past
    /// their budget. Kept once whatever how often it is sent (its name is its content's).
    pub async fn put_media(&self, media: NewMedia) -> Result<(), MediaRefused> {
        self.write(move |conn| {
            let exists: bool = conn
                .query_row("SELECT 1 FROM media WHERE name = ?1", [&media.name], |_| {
                    Ok(true)
                })
                .optional()?
                .unwrap_or(false);
            if exists {
                return Ok(Ok(()));
            }
            let (used, budget) = (local_media_used(conn)?, budget(conn)?);
            let needed = used + media.bytes.len() as u64;
            if needed > budget {
                return Ok(Err(MediaRefused::OverBudget { needed, budget }));
            }
            insert_media(conn, &media, "local")?;
            Ok(Ok(()))
        })
        .await?
    }

    /// Keeps the media a content pack carries (outside the commune's budget: the province
    /// sent them).
    pub async fn put_pack_media(&self, media: Vec<NewMedia>) -> Result<(), Error> {
        self.write(move |conn| {
            for m in &media {
                insert_media(conn, m, "pack")?;
            }
            Ok(())
        })
        .await
    }

    /// A media file's type and bytes.
    pub async fn media(&self, name: &str) -> Result<Option<(String, Vec<u8>)>, Error> {
        let name = name.to_string();
        self.read(move |conn| {
            Ok(conn
                .prepare_cached("SELECT mime, bytes FROM media WHERE name = ?1")?
                .query_row([name], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?)
        })
        .await
    }

    /// Every media file held: name → size (what lessons may show).
    pub async fn media_sizes(&self) -> Result<BTreeMap<String, usize>, Error> {
        self.read(|conn| {
            let mut stmt = conn.prepare_cached("SELECT name, size FROM media")?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as usize)))?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await
    }

    /// How much room the commune's own media take, and their budget.
    pub async fn media_room(&self) -> Result<MediaRoom, Error> {
        self.read(|conn| {
            Ok(MediaRoom {
                used: local_media_used(conn)?,
                budget: budget(conn)?,
            })
        })
        .await
    }

    /// Sets the commune's media budget, in bytes.
    pub async fn set_media_budget(&self, bytes: u64) -> Result<(), Error> {
        self.set_setting(BUDGET_SETTING, &bytes.to_string()).await
    }

    /// Whether the commune has anything of its own to serve: a published lesson or
    /// scenario, or a reading (a box with none starts on the embedded catalogue as it is).
    pub async fn serves_own(&self) -> Result<bool, Error> {
        self.read(|conn| {
            Ok(conn.query_row(
                "SELECT EXISTS (SELECT 1 FROM local_lessons WHERE published = 1)
                     OR EXISTS (SELECT 1 FROM local_scenarios WHERE published = 1)
                     OR EXISTS (SELECT 1 FROM readings)",
                [],
                |row| row.get(0),
            )?)
        })
        .await
    }

    /// Every lesson written on the box, newest change first.
    pub async fn local_lessons(&self) -> Result<Vec<LocalLesson>, Error> {
        self.read(|conn| {
            let sql =
                format!("SELECT {LESSON_COLUMNS} FROM local_lessons ORDER BY updated_at DESC, id");
            let mut stmt = conn.prepare_cached(&sql)?;
            let rows = stmt.query_map([], lesson_from)?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await
    }

    pub async fn local_lesson(&self, id: &str) -> Result<Option<LocalLesson>, Error> {
        let id = id.to_string();
        self.read(move |conn| {
            let sql = format!("SELECT {LESSON_COLUMNS} FROM local_lessons WHERE id = ?1");
            Ok(conn.query_row(&sql, [id], lesson_from).optional()?)
        })
        .await
    }

    /// Creates the lesson `id` (`created_by` making it), or saves a new text of it: its file,
    /// its module's title and whether it is published. A lesson sent to the province is
    /// sent as it was; saving it again keeps that mark until it is sent again.
    pub async fn save_local_lesson(
        &self,
        id: &str,
        module_title: Option<String>,
        file: String,
        published: bool,
        created_by: &str,
    ) -> Result<(), Error> {
        let (id, by) = (id.to_string(), created_by.to_string());
        self.write(move |conn| {
            let at = now();
            conn.execute(
                "INSERT INTO local_lessons (id, module_title, file, published, created_by, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)
                 ON CONFLICT (id) DO UPDATE SET module_title = ?2, file = ?3, published = ?4, updated_at = ?6",
                params![id, module_title, file, published, by, at],
            )?;
            Ok(())
        })
        .await
    }

    /// Deletes a lesson written on the box, and the pictures only it showed. Whether it was.
    pub async fn delete_local_lesson(&self, id: &str) -> Result<bool, Error> {
        let id = id.to_string();
        self.write(move |conn| {
            let gone = conn.execute("DELETE FROM local_lessons WHERE id = ?1", [id])? > 0;
            sweep_media(conn, &now())?;
            Ok(gone)
        })
        .await
    }

    /// Every scenario the commune reworded, newest change first.
    pub async fn local_scenarios(&self) -> Result<Vec<LocalScenario>, Error> {
        self.read(|conn| {
            let sql = format!(
                "SELECT {SCENARIO_COLUMNS} FROM local_scenarios ORDER BY updated_at DESC, id"
            );
            let mut stmt = conn.prepare_cached(&sql)?;
            let rows = stmt.query_map([], scenario_from)?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await
    }

    pub async fn local_scenario(&self, id: &str) -> Result<Option<LocalScenario>, Error> {
        let id = id.to_string();
        self.read(move |conn| {
            let sql = format!("SELECT {SCENARIO_COLUMNS} FROM local_scenarios WHERE id = ?1");
            Ok(conn.query_row(&sql, [id], scenario_from).optional()?)
        })
        .await
    }

    /// Creates the scenario `id` (`created_by` making it), or saves a new text of it and
    /// whether it is published.
    pub async fn save_local_scenario(
        &self,
        id: &str,
        file: String,
        published: bool,
        created_by: &str,
    ) -> Result<(), Error> {
        let (id, by) = (id.to_string(), created_by.to_string());
        self.write(move |conn| {
            conn.execute(
                "INSERT INTO local_scenarios (id, file, published, created_by, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?5)
                 ON CONFLICT (id) DO UPDATE SET file = ?2, published = ?3, updated_at = ?5",
                params![id, file, published, by, now()],
            )?;
            Ok(())
        })
        .await
    }

    /// Deletes a scenario the commune reworded. Whether it was.
    pub async fn delete_local_scenario(&self, id: &str) -> Result<bool, Error> {
        let id = id.to_string();
        self.write(move |conn| {
            Ok(conn.execute("DELETE FROM local_scenarios WHERE id = ?1", [id])? > 0)
        })
        .await
    }

    /// Keeps a reading and its recording in one transaction, unless the recording would take
    /// the media past their budget.
    pub async fn add_reading(
        &self,
        reading: LocalReading,
        audio: NewMedia,
    ) -> Result<(), MediaRefused> {
        self.write(move |conn| {
            let held: bool = conn
                .query_row("SELECT 1 FROM media WHERE name = ?1", [&audio.name], |_| {
                    Ok(true)
                })
                .optional()?
                .unwrap_or(false);
            if !held {
                let (used, budget) = (local_media_used(conn)?, budget(conn)?);
                let needed = used + audio.bytes.len() as u64;
                if needed > budget {
                    return Ok(Err(MediaRefused::OverBudget { needed, budget }));
                }
                insert_media(conn, &audio, "local")?;
            }
            let sql = format!(
                "INSERT INTO readings ({READING_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, NULL)"
            );
            conn.execute(
                &sql,
                params![
                    reading.id,
                    reading.lesson_id,
                    reading.slide,
                    reading.lang,
                    reading.lang_name,
                    reading.audio,
                    reading.seconds,
                    reading.created_by,
                    reading.created_at
                ],
            )?;
            Ok(Ok(()))
        })
        .await?
    }

    /// Every reading recorded on the box, by lesson, slide and language.
    pub async fn local_readings(&self) -> Result<Vec<LocalReading>, Error> {
        self.read(|conn| {
            let sql = format!(
                "SELECT {READING_COLUMNS} FROM readings ORDER BY lesson_id, slide, lang, created_at"
            );
            let mut stmt = conn.prepare_cached(&sql)?;
            let rows = stmt.query_map([], reading_from)?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await
    }

    pub async fn local_reading(&self, id: &str) -> Result<Option<LocalReading>, Error> {
        let id = id.to_string();
        self.read(move |conn| {
            let sql = format!("SELECT {READING_COLUMNS} FROM readings WHERE id = ?1");
            Ok(conn.query_row(&sql, [id], reading_from).optional()?)
        })
        .await
    }

    /// Deletes a reading and its recording (unless another reading uses it). Whether it was.
    pub async fn delete_reading(&self, id: &str) -> Result<bool, Error> {
        let id = id.to_string();
        self.write(move |conn| {
            let gone = conn.execute("DELETE FROM readings WHERE id = ?1", [id])? > 0;
            sweep_media(conn, &now())?;
            Ok(gone)
        })
        .await
    }

    /// Forgets uploads nothing uses that are older than `before` (RFC 3339).
    pub async fn sweep_media(&self, before: String) -> Result<usize, Error> {
        self.write(move |conn| sweep_media(conn, &before)).await
    }

    /// Marks the local lesson or reading `id` as sent to the province as `proposal_id`, and
    /// keeps the proposal (`body`, to seal when it goes) until the hub holds it: one
    /// transaction.
    pub async fn propose(
        &self,
        what: Proposing,
        id: &str,
        proposal_id: &str,
        body: Vec<u8>,
    ) -> Result<bool, Error> {
        let (id, proposal_id) = (id.to_string(), proposal_id.to_string());
        self.write(move |conn| {
            let at = now();
            let table = match what {
                Proposing::Lesson => "local_lessons",
                Proposing::Reading => "readings",
            };
            let marked = conn.execute(
                &format!("UPDATE {table} SET proposed_at = ?1, proposal_id = ?2 WHERE id = ?3"),
                params![at, proposal_id, id],
            )?;
            if marked == 0 {
                return Ok(false);
            }
            conn.execute(
                "INSERT INTO proposals_out (id, body, made_at) VALUES (?1, ?2, ?3)",
                params![proposal_id, body, at],
            )?;
            Ok(true)
        })
        .await
    }

    /// The proposals the hub does not hold yet (id, body), oldest first.
    pub async fn proposals_waiting(&self) -> Result<Vec<(String, Vec<u8>)>, Error> {
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT id, body FROM proposals_out WHERE held_at IS NULL ORDER BY made_at, id",
            )?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await
    }

    /// Notes that the hub holds the proposals `ids`.
    pub async fn proposals_held(&self, ids: Vec<String>) -> Result<(), Error> {
        self.write(move |conn| {
            let at = now();
            let mut stmt = conn.prepare_cached(
                "UPDATE proposals_out SET held_at = ?1 WHERE id = ?2 AND held_at IS NULL",
            )?;
            for id in &ids {
                stmt.execute(params![at, id])?;
            }
            Ok(())
        })
        .await
    }

    /// How many proposals wait to go up, and how many the hub holds.
    pub async fn proposals_out(&self) -> Result<ProposalsOut, Error> {
        self.read(|conn| {
            Ok(conn.query_row(
                "SELECT COUNT(*) FILTER (WHERE held_at IS NULL), COUNT(*) FILTER (WHERE held_at IS NOT NULL) FROM proposals_out",
                [],
                |r| {
                    Ok(ProposalsOut {
                        waiting: r.get(0)?,
                        held: r.get(1)?,
                    })
                },
            )?)
        })
        .await
    }
}

/// What a proposal offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Proposing {
    Lesson,
    Reading,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn media(name: &str, size: usize) -> NewMedia {
        NewMedia {
            name: name.into(),
            mime: "audio/ogg".into(),
            bytes: vec![7; size],
            seconds: Some(3),
        }
    }

    fn reading(id: &str, audio: &str) -> LocalReading {
        LocalReading {
            id: id.into(),
            lesson_id: "an-toan/mat-khau-otp".into(),
            slide: None,
            lang: "ede".into(),
            lang_name: "Ê Đê".into(),
            audio: audio.into(),
            seconds: 3,
            created_by: "f".into(),
            created_at: "2026-12-04T10:00:00Z".into(),
            proposed_at: None,
        }
    }

    #[tokio::test]
    async fn media_are_kept_once_within_their_budget_and_a_refused_reading_keeps_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_on(dir.path(), None).unwrap();
        store.set_media_budget(1000).await.unwrap();
        store.put_media(media("a.ogg", 600)).await.unwrap();
        store.put_media(media("a.ogg", 600)).await.unwrap();
        assert_eq!(store.media_room().await.unwrap().used, 600, "kept once");
        let refused = store
            .add_reading(reading("r1", "b.ogg"), media("b.ogg", 600))
            .await;
        assert!(matches!(
            refused,
            Err(MediaRefused::OverBudget {
                needed: 1200,
                budget: 1000
            })
        ));
        assert!(store.local_readings().await.unwrap().is_empty());
        assert!(store.media("b.ogg").await.unwrap().is_none());
        // A pack's media are the province's, outside the commune's budget.
        store
            .put_pack_media(vec![media("c.ogg", 5000)])
            .await
            .unwrap();
        assert_eq!(store.media_room().await.unwrap().used, 600);

        store
            .add_reading(reading("r2", "a.ogg"), media("a.ogg", 600))
            .await
            .unwrap();
        assert_eq!(store.local_readings().await.unwrap().len(), 1);
        // An upload nothing uses goes when swept; a reading's recording stays, until it goes.
        store.put_media(media("d.ogg", 10)).await.unwrap();
        store.sweep_media("9999".into()).await.unwrap();
        assert!(store.media("d.ogg").await.unwrap().is_none());
        assert!(store.media("a.ogg").await.unwrap().is_some());
        assert!(store.delete_reading("r2").await.unwrap());
        assert!(store.media("a.ogg").await.unwrap().is_none());
        assert!(
            store.media("c.ogg").await.unwrap().is_some(),
            "a pack's stay"
        );
    }

    #[tokio::test]
    async fn the_commune_serves_its_own_once_a_lesson_is_published_or_a_reading_kept() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_on(dir.path(), None).unwrap();
        assert!(!store.serves_own().await.unwrap());
        store
            .save_local_lesson("bai-cua-xa/cho", None, "x".into(), false, "f")
            .await
            .unwrap();
        assert!(!store.serves_own().await.unwrap(), "a draft is not served");
        store
            .save_local_lesson("bai-cua-xa/cho", None, "x".into(), true, "f")
            .await
            .unwrap();
        assert!(store.serves_own().await.unwrap());
        assert!(store.delete_local_lesson("bai-cua-xa/cho").await.unwrap());
        store
            .add_reading(reading("r1", "a.ogg"), media("a.ogg", 10))
            .await
            .unwrap();
        assert!(store.serves_own().await.unwrap(), "a reading is served");
    }

    #[tokio::test]
    async fn a_proposal_waits_until_the_hub_holds_it() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_on(dir.path(), None).unwrap();
        store
            .save_local_lesson("bai-cua-xa/cho", None, "x".into(), true, "f")
            .await
            .unwrap();
        assert!(
            !store
                .propose(Proposing::Lesson, "khong-co", "p0", vec![1])
                .await
                .unwrap()
        );
        assert!(
            store
                .propose(Proposing::Lesson, "bai-cua-xa/cho", "p1", vec![1])
                .await
                .unwrap()
        );
        let lesson = store.local_lesson("bai-cua-xa/cho").await.unwrap().unwrap();
        assert!(lesson.proposed_at.is_some());
        assert_eq!(
            store.proposals_waiting().await.unwrap(),
            [("p1".to_string(), vec![1])]
        );
        store
            .proposals_held(vec!["p1".into(), "other".into()])
            .await
            .unwrap();
        assert!(store.proposals_waiting().await.unwrap().is_empty());
        assert_eq!(
            store.proposals_out().await.unwrap(),
            ProposalsOut {
                waiting: 0,
                held: 1
            }
        );
    }

    #[tokio::test]
    async fn a_reworded_scenario_is_saved_again_in_place_and_deleted() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_on(dir.path(), None).unwrap();
        assert!(store.local_scenarios().await.unwrap().is_empty());
        store
            .save_local_scenario("an-toan/cong-an-gia-cua-xa", "a = 1".into(), false, "f")
            .await
            .unwrap();
        let first = store
            .local_scenario("an-toan/cong-an-gia-cua-xa")
            .await
            .unwrap()
            .unwrap();
        assert!(!first.published);
        store
            .save_local_scenario("an-toan/cong-an-gia-cua-xa", "a = 2".into(), true, "g")
            .await
            .unwrap();
        let all = store.local_scenarios().await.unwrap();
        assert_eq!(all.len(), 1);
        assert_eq!(
            (
                all[0].file.as_str(),
                all[0].published,
                all[0].created_by.as_str()
            ),
            ("a = 2", true, "f"),
            "the same row, its maker kept"
        );
        assert_eq!(all[0].created_at, first.created_at);
        assert!(
            store
                .delete_local_scenario("an-toan/cong-an-gia-cua-xa")
                .await
                .unwrap()
        );
        assert!(
            !store
                .delete_local_scenario("an-toan/cong-an-gia-cua-xa")
                .await
                .unwrap()
        );
        assert!(
            store
                .local_scenario("an-toan/cong-an-gia-cua-xa")
                .await
                .unwrap()
                .is_none()
        );
    }
}
