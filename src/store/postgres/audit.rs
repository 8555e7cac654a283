//! The officers' audit log and the learner-level reads that write it, on PostgreSQL: the
//! same answers as SQLite's (`store::hub::audit`), each read and its line in one
//! transaction, so a line that cannot be written refuses the read.

use super::Postgres;
use crate::store::hub::line_columns;
use crate::store::{
    AuditAction, AuditEntry, AuditQuery, Error, HubLearner, HubLearnerLine, HubLearnerRecord,
    LearnerPage, NewAudit, Scope,
};

/// Adds `line` to the log at `at`, in the caller's transaction.
pub(super) async fn insert_audit(
    tx: &deadpool_postgres::Transaction<'_>,
    at: &str,
    line: &NewAudit,
) -> Result<(), Error> {
    tx.execute(
        "INSERT INTO hub_audit (at, officer_id, officer, province, action, subject, detail, names)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        &[
            &at,
            &line.officer_id,
            &line.officer,
            &line.province,
            &line.action.as_str(),
            &line.subject,
            &line.detail,
            &line.names,
        ],
    )
    .await?;
    Ok(())
}

fn line_of(r: &tokio_postgres::Row) -> HubLearnerLine {
    HubLearnerLine {
        learner: HubLearner {
            id: r.get(0),
            province: r.get(1),
            commune: r.get(2),
            name: r.get(3),
            village: r.get(4),
            birth_year: r.get(5),
            gender: r.get(6),
            ethnic_group: r.get(7),
        },
        lessons: r.get(8),
        practices: r.get(9),
        modules: r.get(10),
        attended: r.get(11),
    }
}

impl Postgres {
    pub async fn audit(&self, line: NewAudit) -> Result<(), Error> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        insert_audit(&tx, &self.now(), &line).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn audit_log(&self, query: &AuditQuery) -> Result<Vec<AuditEntry>, Error> {
        let rows = self
            .client()
            .await?
            .query(
                "SELECT id, at, officer_id, officer, province, action, subject, detail, names
                 FROM hub_audit
                 WHERE ($1::text IS NULL OR province = $1) AND ($2::text IS NULL OR officer_id = $2)
                   AND ($3::bigint IS NULL OR id < $3)
                 ORDER BY id DESC LIMIT $4",
                &[
                    &query.scope.province(),
                    &query.officer,
                    &query.before,
                    &query.limit,
                ],
            )
            .await?;
        Ok(rows
            .iter()
            .map(|r| AuditEntry {
                id: r.get(0),
                at: r.get(1),
                officer_id: r.get(2),
                officer: r.get(3),
                province: r.get(4),
                action: AuditAction::parse(r.get(5)).unwrap_or(AuditAction::Export),
                subject: r.get(6),
                detail: r.get(7),
                names: r.get(8),
            })
            .collect())
    }

    pub async fn learner_lines(
        &self,
        scope: &Scope,
        page: &LearnerPage,
        line: NewAudit,
    ) -> Result<Vec<HubLearnerLine>, Error> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        insert_audit(&tx, &self.now(), &line).await?;
        let rows = tx
            .query(
                &format!(
                    "SELECT {} FROM hub_learners
                     WHERE ($1::text IS NULL OR province = $1) AND ($3::text IS NULL OR commune = $3)
                     ORDER BY province, commune, village, id LIMIT $4 OFFSET $5",
                    line_columns("$2::boolean")
                ),
                &[
                    &scope.province(),
                    &line.names,
                    &page.commune,
                    &page.limit,
                    &page.offset.max(0),
                ],
            )
            .await?;
        tx.commit().await?;
        Ok(rows.iter().map(line_of).collect())
    }

    pub async fn learner_record(
        &self,
        scope: &Scope,
        id: &str,
        line: NewAudit,
    ) -> Result<Option<HubLearnerRecord>, Error> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let found = tx
            .query_opt(
                &format!(
                    "SELECT {} FROM hub_learners WHERE id = $1 AND ($2::text IS NULL OR province = $2)",
                    line_columns("$3::boolean")
                ),
                &[&id, &scope.province(), &line.names],
            )
            .await?;
        let Some(found) = found.as_ref().map(line_of) else {
            return Ok(None);
        };
        insert_audit(&tx, &self.now(), &line).await?;
        let lessons = tx
            .query(
                "SELECT lesson_id FROM hub_finished WHERE learner_id = $1 ORDER BY lesson_id",
                &[&id],
            )
            .await?;
        let scenarios = tx
            .query(
                "SELECT scenario_id FROM hub_practised WHERE learner_id = $1 ORDER BY scenario_id",
                &[&id],
            )
            .await?;
        tx.commit().await?;
        Ok(Some(HubLearnerRecord {
            line: found,
            lessons: lessons.iter().map(|r| r.get(0)).collect(),
            scenarios: scenarios.iter().map(|r| r.get(0)).collect(),
        }))
    }
}
