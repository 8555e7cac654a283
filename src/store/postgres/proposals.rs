//! What communes propose, on PostgreSQL (as SQLite's `hub::proposals`, with the same
//! answers): a proposal kept once by its id (`ON CONFLICT DO NOTHING`, whichever process
//! takes it), its media once by name, in one transaction; a decision taken once, from 'new'.

use tokio_postgres::Row;

use super::Postgres;
use crate::store::Error;
use crate::store::hub::{
    HubProposal, NewProposal, PROPOSAL_COLUMNS, ProposalDecision, ProposalStatus, Scope, body_of,
    kind_of, proposal_of,
};

fn from_row(row: &Row) -> Result<HubProposal, Error> {
    proposal_of(
        &row.get::<_, String>(0),
        row.get(1),
        row.get(2),
        &row.get::<_, String>(3),
        row.get(4),
        row.get(5),
        row.get(6),
    )
}

impl Postgres {
    pub async fn keep_proposal(&self, new: NewProposal) -> Result<bool, Error> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let p = &new.proposal;
        let (kind, lesson_id) = kind_of(p);
        let kept = tx
            .execute(
                "INSERT INTO hub_proposals (id, box_id, province, commune, kind, lesson_id,
                   sent_by, sent_at, body, received_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (id) DO NOTHING",
                &[
                    &p.id,
                    &p.box_id,
                    &new.province,
                    &p.commune,
                    &kind,
                    &lesson_id,
                    &p.by,
                    &p.sent_at,
                    &body_of(p),
                    &self.now(),
                ],
            )
            .await?;
        if kept == 0 {
            return Ok(false);
        }
        for media in &new.media {
            tx.execute(
                "INSERT INTO hub_media (name, mime, size, bytes) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (name) DO NOTHING",
                &[
                    &media.name,
                    &media.mime,
                    &(media.bytes.len() as i64),
                    &media.bytes,
                ],
            )
            .await?;
            tx.execute(
                "INSERT INTO hub_proposal_media (proposal_id, name) VALUES ($1, $2)
                 ON CONFLICT DO NOTHING",
                &[&p.id, &media.name],
            )
            .await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    pub async fn proposals(
        &self,
        scope: &Scope,
        status: Option<ProposalStatus>,
    ) -> Result<Vec<HubProposal>, Error> {
        let rows = self
            .client()
            .await?
            .query(
                &format!(
                    "SELECT {PROPOSAL_COLUMNS} FROM hub_proposals
                     WHERE ($1::text IS NULL OR province = $1) AND ($2::text IS NULL OR status = $2)
                     ORDER BY received_at DESC, id DESC"
                ),
                &[&scope.province(), &status.map(ProposalStatus::as_str)],
            )
            .await?;
        rows.iter().map(from_row).collect()
    }

    pub async fn proposal(&self, scope: &Scope, id: &str) -> Result<Option<HubProposal>, Error> {
        let client = self.client().await?;
        let Some(row) = client
            .query_opt(
                &format!(
                    "SELECT {PROPOSAL_COLUMNS} FROM hub_proposals
                     WHERE id = $1 AND ($2::text IS NULL OR province = $2)"
                ),
                &[&id, &scope.province()],
            )
            .await?
        else {
            return Ok(None);
        };
        let mut proposal = from_row(&row)?;
        proposal.media = client
            .query(
                "SELECT m.name, m.size FROM hub_proposal_media p JOIN hub_media m ON m.name = p.name
                 WHERE p.proposal_id = $1 ORDER BY m.name",
                &[&id],
            )
            .await?
            .iter()
            .map(|r| (r.get(0), r.get::<_, i64>(1) as usize))
            .collect();
        Ok(Some(proposal))
    }

    pub async fn proposal_media(
        &self,
        scope: &Scope,
        name: &str,
    ) -> Result<Option<(String, Vec<u8>)>, Error> {
        let row = self
            .client()
            .await?
            .query_opt(
                "SELECT m.mime, m.bytes FROM hub_media m WHERE m.name = $1 AND EXISTS (
                   SELECT 1 FROM hub_proposal_media l JOIN hub_proposals p ON p.id = l.proposal_id
                   WHERE l.name = m.name AND ($2::text IS NULL OR p.province = $2))",
                &[&name, &scope.province()],
            )
            .await?;
        Ok(row.map(|r| (r.get(0), r.get(1))))
    }

    pub async fn decide_proposal(
        &self,
        id: &str,
        decision: ProposalDecision,
        by: &str,
    ) -> Result<bool, Error> {
        let changed = self
            .client()
            .await?
            .execute(
                "UPDATE hub_proposals SET status = $2, decided_by = $3, decided_at = $4, pack = $5
                 WHERE id = $1 AND status = 'new'",
                &[
                    &id,
                    &decision.status().as_str(),
                    &by,
                    &self.now(),
                    &decision.pack(),
                ],
            )
            .await?;
        Ok(changed == 1)
    }

    pub async fn held_proposals(&self, box_id: &str) -> Result<Vec<String>, Error> {
        let rows = self
            .client()
            .await?
            .query(
                "SELECT id FROM hub_proposals WHERE box_id = $1 ORDER BY id",
                &[&box_id],
            )
            .await?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }
}
