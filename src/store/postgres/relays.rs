//! A hub above hubs on PostgreSQL, the national side (as SQLite's `hub::relays`): join codes
//! made for a province, the province hubs that joined with them, and the boxes they
//! introduce. A province hub that passes its boxes on runs on SQLite.

use super::Postgres;
use crate::protocol::wire::{Introduction, Join};
use crate::store::Error;
use crate::store::hub::{EnrolRefused, Relay, new_code, tidy_code};

impl Postgres {
    pub async fn new_join_code(&self, province: &str) -> Result<String, Error> {
        let code = new_code();
        self.client()
            .await?
            .execute(
                "INSERT INTO hub_relays (code, province, created_at) VALUES ($1, $2, $3)",
                &[&code, &province, &self.now()],
            )
            .await?;
        Ok(code)
    }

    pub async fn join(&self, join: Join) -> Result<Option<String>, Error> {
        let code = tidy_code(&join.code);
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        // One join of a hub id at a time, across processes.
        tx.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended($1, 1))",
            &[&join.hub_id],
        )
        .await?;
        let row = tx
            .query_opt(
                "UPDATE hub_relays SET hub_id = $2, public_key = $3, joined_at = COALESCE(joined_at, $4)
                 WHERE code = $1 AND (hub_id IS NULL OR (hub_id = $2 AND public_key = $3))
                 AND NOT EXISTS (SELECT 1 FROM hub_relays o WHERE o.hub_id = $2 AND o.code <> $1)
                 RETURNING province",
                &[&code, &join.hub_id, &join.public_key, &self.now()],
            )
            .await?;
        tx.commit().await?;
        Ok(row.map(|r| r.get(0)))
    }

    pub async fn relays(&self) -> Result<Vec<Relay>, Error> {
        let rows = self
            .client()
            .await?
            .query(
                "SELECT code, province, created_at, hub_id, joined_at FROM hub_relays
                 ORDER BY province, created_at",
                &[],
            )
            .await?;
        Ok(rows
            .iter()
            .map(|r| Relay {
                code: r.get(0),
                province: r.get(1),
                made_at: r.get(2),
                hub_id: r.get(3),
                joined_at: r.get(4),
            })
            .collect())
    }

    pub async fn introduced_by(&self, box_id: &str) -> Result<Option<String>, Error> {
        let row = self
            .client()
            .await?
            .query_opt(
                "SELECT relayed_by FROM hub_boxes WHERE box_id = $1",
                &[&box_id],
            )
            .await?;
        Ok(row.and_then(|r| r.get(0)))
    }

    pub async fn relay_key(&self, hub_id: &str) -> Result<Option<String>, Error> {
        let row = self
            .client()
            .await?
            .query_opt(
                "SELECT public_key FROM hub_relays WHERE hub_id = $1",
                &[&hub_id],
            )
            .await?;
        Ok(row.and_then(|r| r.get(0)))
    }

    pub async fn introduce(
        &self,
        relay: &str,
        intro: Introduction,
    ) -> Result<Result<i64, EnrolRefused>, Error> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        // One enrolment of a box id at a time, across processes (as `enrol`).
        tx.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))",
            &[&intro.box_id],
        )
        .await?;
        let Some(province) = tx
            .query_opt(
                "SELECT province FROM hub_relays WHERE hub_id = $1",
                &[&relay],
            )
            .await?
            .map(|r| r.get::<_, String>(0))
        else {
            return Ok(Err(EnrolRefused::BadVouch));
        };
        let known = tx
            .query_opt(
                "SELECT public_key, held FROM hub_boxes WHERE box_id = $1",
                &[&intro.box_id],
            )
            .await?;
        if let Some(row) = known {
            let (key, held): (String, i64) = (row.get(0), row.get(1));
            return Ok(match key == intro.public_key {
                true => Ok(held),
                false => Err(EnrolRefused::KeyTaken),
            });
        }
        if let Some(voucher) = &intro.vouched_by {
            let ours = tx
                .query_opt(
                    "SELECT 1 FROM hub_boxes WHERE box_id = $1 AND relayed_by = $2",
                    &[voucher, &relay],
                )
                .await?;
            if ours.is_none() {
                return Ok(Err(EnrolRefused::BadVouch));
            }
        }
        let first_seq = intro.first_seq.max(1);
        tx.execute(
            "INSERT INTO hub_boxes (box_id, province, commune, public_key, first_seq, held, enrolled_at, vouched_by, relayed_by)
             VALUES ($1, $2, $3, $4, $5::bigint, $5::bigint - 1, $6, $7, $8)",
            &[
                &intro.box_id,
                &province,
                &intro.commune,
                &intro.public_key,
                &first_seq,
                &self.now(),
                &intro.vouched_by,
                &relay,
            ],
        )
        .await?;
        tx.commit().await?;
        Ok(Ok(first_seq - 1))
    }
}
