//! What a hub's officers do that the law asks to keep, on SQLite (PostgreSQL's is
//! `store::postgres::audit`): the audit log (`hub_audit`: every CSV export, every look at
//! learner-level records, every grant and revocation of a role), and the learner-level
//! reads themselves, which write their line in the same transaction as they read, so no
//! learner's record leaves the database unlogged and a line that cannot be written refuses
//! the read. A learner's name is read only for an officer who may see it.

use rusqlite::{Connection, OptionalExtension};

use super::{HubLearner, Scope, SqliteHub};
use crate::store::{Error, Facilitator, now};

/// What the log says an officer did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuditAction {
    /// A CSV file downloaded.
    Export,
    /// A page of the learners' list read.
    Learners,
    /// One learner's record read.
    Learner,
    Grant,
    Revoke,
}

impl AuditAction {
    pub const ALL: [AuditAction; 5] = [
        AuditAction::Export,
        AuditAction::Learners,
        AuditAction::Learner,
        AuditAction::Grant,
        AuditAction::Revoke,
    ];

    /// As the log keeps it.
    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::Export => "export",
            AuditAction::Learners => "learners",
            AuditAction::Learner => "learner",
            AuditAction::Grant => "grant",
            AuditAction::Revoke => "revoke",
        }
    }

    pub fn parse(text: &str) -> Option<AuditAction> {
        AuditAction::ALL.into_iter().find(|a| a.as_str() == text)
    }
}

/// A line to add to the log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewAudit {
    /// `None`: the hub's command line.
    pub officer_id: Option<String>,
    /// Their name then.
    pub officer: String,
    /// Whose records (`None`: every province).
    pub province: Option<String>,
    pub action: AuditAction,
    /// The file, the learner's id, the officer granted a role.
    pub subject: String,
    /// The filter and page, or the role.
    pub detail: String,
    /// Learners' names were shown.
    pub names: bool,
}

impl NewAudit {
    /// What `officer` does in their own scope, learners' names shown as their roles allow.
    pub fn by(
        officer: &Facilitator,
        action: AuditAction,
        subject: impl Into<String>,
        detail: impl Into<String>,
    ) -> NewAudit {
        NewAudit {
            officer_id: Some(officer.id.clone()),
            officer: officer.name.clone(),
            province: officer.province.clone(),
            action,
            subject: subject.into(),
            detail: detail.into(),
            names: officer.roles.see_names,
        }
    }
}

/// A line of the log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditEntry {
    pub id: i64,
    pub at: String,
    pub officer_id: Option<String>,
    pub officer: String,
    pub province: Option<String>,
    pub action: AuditAction,
    pub subject: String,
    pub detail: String,
    pub names: bool,
}

/// Which lines of the log to read, newest first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditQuery {
    /// A province's administrator reads that province's lines; a national one, every line.
    pub scope: Scope,
    /// One officer's lines only.
    pub officer: Option<String>,
    /// Lines written before this one (the next page).
    pub before: Option<i64>,
    pub limit: i64,
}

/// A learner as an officer's list shows them, with their tallies. `learner.name` is `None`
/// unless the officer may see names and the commune sent one.
#[derive(Clone, Debug, PartialEq)]
pub struct HubLearnerLine {
    pub learner: HubLearner,
    pub lessons: i64,
    pub practices: i64,
    pub modules: i64,
    pub attended: i64,
}

/// One learner's record at the hub: their line, and the lessons and practice scenarios they
/// finished, by id.
#[derive(Clone, Debug, PartialEq)]
pub struct HubLearnerRecord {
    pub line: HubLearnerLine,
    pub lessons: Vec<String>,
    pub scenarios: Vec<String>,
}

/// Which learners a list or CSV file holds, in order of province, commune, village.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LearnerPage {
    /// One commune's only.
    pub commune: Option<String>,
    pub offset: i64,
    /// `None`: every one from `offset` on.
    pub limit: Option<i64>,
}

/// The learner columns of `line_of`, the name only where `?names` (`$n` on PostgreSQL) is
/// true: shared by both engines, which name the parameter their own way.
pub(in crate::store) fn line_columns(names: &str) -> String {
    format!(
        "id, province, commune, CASE WHEN {names} THEN name END, village, birth_year, gender, \
         ethnic_group, lessons, practices, modules, attended"
    )
}

fn line_of(r: &rusqlite::Row) -> rusqlite::Result<HubLearnerLine> {
    Ok(HubLearnerLine {
        learner: HubLearner {
            id: r.get(0)?,
            province: r.get(1)?,
            commune: r.get(2)?,
            name: r.get(3)?,
            village: r.get(4)?,
            birth_year: r.get(5)?,
            gender: r.get(6)?,
            ethnic_group: r.get(7)?,
        },
        lessons: r.get(8)?,
        practices: r.get(9)?,
        modules: r.get(10)?,
        attended: r.get(11)?,
    })
}

/// Adds `line` to the log, in the caller's transaction.
pub(in crate::store) fn insert_audit(conn: &Connection, line: &NewAudit) -> Result<(), Error> {
    conn.execute(
        "INSERT INTO hub_audit (at, officer_id, officer, province, action, subject, detail, names)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        (
            now(),
            &line.officer_id,
            &line.officer,
            &line.province,
            line.action.as_str(),
            &line.subject,
            &line.detail,
            line.names,
        ),
    )?;
    Ok(())
}

impl SqliteHub {
    /// Adds a line to the log; the export it stands for goes out only after this answered.
    pub async fn audit(&self, line: NewAudit) -> Result<(), Error> {
        self.store
            .write(move |conn| insert_audit(conn, &line))
            .await
    }

    pub async fn audit_log(&self, query: &AuditQuery) -> Result<Vec<AuditEntry>, Error> {
        let query = query.clone();
        self.store
            .read(move |conn| {
                let mut stmt = conn.prepare_cached(
                    "SELECT id, at, officer_id, officer, province, action, subject, detail, names
                     FROM hub_audit
                     WHERE (?1 IS NULL OR province = ?1) AND (?2 IS NULL OR officer_id = ?2)
                       AND (?3 IS NULL OR id < ?3)
                     ORDER BY id DESC LIMIT ?4",
                )?;
                let rows = stmt.query_map(
                    (
                        query.scope.province(),
                        &query.officer,
                        query.before,
                        query.limit,
                    ),
                    |r| {
                        let action: String = r.get(5)?;
                        Ok(AuditEntry {
                            id: r.get(0)?,
                            at: r.get(1)?,
                            officer_id: r.get(2)?,
                            officer: r.get(3)?,
                            province: r.get(4)?,
                            action: AuditAction::parse(&action).unwrap_or(AuditAction::Export),
                            subject: r.get(6)?,
                            detail: r.get(7)?,
                            names: r.get(8)?,
                        })
                    },
                )?;
                Ok(rows.collect::<Result<_, _>>()?)
            })
            .await
    }

    /// Learners of `scope` as `page` says, logged as `line` says in the same transaction
    /// (names read only when `line.names`).
    pub async fn learner_lines(
        &self,
        scope: &Scope,
        page: &LearnerPage,
        line: NewAudit,
    ) -> Result<Vec<HubLearnerLine>, Error> {
        let (province, page) = (scope.province().map(str::to_string), page.clone());
        self.store
            .write(move |conn| {
                insert_audit(conn, &line)?;
                let mut stmt = conn.prepare_cached(&format!(
                    "SELECT {} FROM hub_learners
                     WHERE (?1 IS NULL OR province = ?1) AND (?3 IS NULL OR commune = ?3)
                     ORDER BY province, commune, village, id LIMIT ?4 OFFSET ?5",
                    line_columns("?2")
                ))?;
                let rows = stmt.query_map(
                    (
                        province,
                        line.names,
                        page.commune,
                        page.limit.unwrap_or(-1),
                        page.offset.max(0),
                    ),
                    line_of,
                )?;
                Ok(rows.collect::<Result<_, _>>()?)
            })
            .await
    }

    /// Learner `id` if they are in `scope`, logged as `line` says in the same transaction;
    /// nothing is logged for a learner not there.
    pub async fn learner_record(
        &self,
        scope: &Scope,
        id: &str,
        line: NewAudit,
    ) -> Result<Option<HubLearnerRecord>, Error> {
        let (province, id) = (scope.province().map(str::to_string), id.to_string());
        self.store
            .write(move |conn| {
                let found = conn
                    .query_row(
                        &format!(
                            "SELECT {} FROM hub_learners WHERE id = ?1 AND (?2 IS NULL OR province = ?2)",
                            line_columns("?3")
                        ),
                        (&id, &province, line.names),
                        line_of,
                    )
                    .optional()?;
                let Some(found) = found else { return Ok(None) };
                insert_audit(conn, &line)?;
                let ids = |sql: &str| -> Result<Vec<String>, Error> {
                    let mut stmt = conn.prepare_cached(sql)?;
                    let rows = stmt.query_map([&id], |r| r.get(0))?;
                    Ok(rows.collect::<Result<_, _>>()?)
                };
                Ok(Some(HubLearnerRecord {
                    line: found,
                    lessons: ids(
                        "SELECT lesson_id FROM hub_finished WHERE learner_id = ?1 ORDER BY lesson_id",
                    )?,
                    scenarios: ids(
                        "SELECT scenario_id FROM hub_practised WHERE learner_id = ?1 ORDER BY scenario_id",
                    )?,
                }))
            })
            .await
    }
}
