//! What communes propose, on a hub's SQLite (PostgreSQL's is `postgres::proposals`, with the
//! same answers): each proposal kept once by its id, in the province of the box that sent
//! it; its pictures and recordings kept once by their content's name (`hub_media`), linked
//! to each proposal that carries them; an officer's decision, taken once, from 'new' only.
//! Whether a proposal may be opened, adopted or published is `hub::proposals`' rule.

use rusqlite::{Connection, OptionalExtension, Row};

use super::{Scope, SqliteHub};
use crate::protocol::proposal::{Proposal, Proposed};
use crate::store::{Error, now};

/// Where a proposal stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProposalStatus {
    New,
    Adopted,
    Declined,
}

impl ProposalStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ProposalStatus::New => "new",
            ProposalStatus::Adopted => "adopted",
            ProposalStatus::Declined => "declined",
        }
    }

    pub fn parse(text: &str) -> Option<ProposalStatus> {
        [
            ProposalStatus::New,
            ProposalStatus::Adopted,
            ProposalStatus::Declined,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }
}

/// A media file to keep with a proposal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProposalMedia {
    pub name: String,
    pub mime: String,
    pub bytes: Vec<u8>,
}

/// A proposal to keep: the proposal (its `media` left empty), the province of the box that
/// sent it, and its media files.
#[derive(Clone, Debug, PartialEq)]
pub struct NewProposal {
    pub proposal: Proposal,
    pub province: String,
    pub media: Vec<ProposalMedia>,
}

/// A proposal as the hub keeps it.
#[derive(Clone, Debug, PartialEq)]
pub struct HubProposal {
    /// As the box sent it, without its media's bytes (`media` is empty).
    pub proposal: Proposal,
    /// `''` for a box enrolled without a province.
    pub province: String,
    pub received_at: String,
    pub status: ProposalStatus,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
    /// The pack it was published in, once adopted.
    pub pack: Option<String>,
    /// Its media files' names and sizes; filled by `proposal`, empty in lists.
    pub media: Vec<(String, usize)>,
}

/// What an officer decides of a proposal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProposalDecision {
    /// Published in pack `pack`.
    Adopt {
        pack: String,
    },
    Decline,
}

impl ProposalDecision {
    pub(in crate::store) fn status(&self) -> ProposalStatus {
        match self {
            ProposalDecision::Adopt { .. } => ProposalStatus::Adopted,
            ProposalDecision::Decline => ProposalStatus::Declined,
        }
    }

    pub(in crate::store) fn pack(&self) -> Option<&str> {
        match self {
            ProposalDecision::Adopt { pack } => Some(pack),
            ProposalDecision::Decline => None,
        }
    }
}

/// The columns a `HubProposal` is read from, in `proposal_of`'s order.
pub(in crate::store) const PROPOSAL_COLUMNS: &str =
    "body, province, received_at, status, decided_by, decided_at, pack";

/// `(kind, lesson_id)` of a proposal, as the table keeps them.
pub(in crate::store) fn kind_of(proposal: &Proposal) -> (&'static str, &str) {
    match &proposal.what {
        Proposed::Lesson { lesson_id, .. } => ("lesson", lesson_id),
        Proposed::Reading { lesson_id, .. } => ("reading", lesson_id),
    }
}

/// The body a proposal is kept as: itself without its media's bytes.
pub(in crate::store) fn body_of(proposal: &Proposal) -> String {
    let mut bare = proposal.clone();
    bare.media.clear();
    serde_json::to_string(&bare).expect("a proposal serializes")
}

/// A kept proposal from its columns; an unreadable body is an error of the store.
pub(in crate::store) fn proposal_of(
    body: &str,
    province: String,
    received_at: String,
    status: &str,
    decided_by: Option<String>,
    decided_at: Option<String>,
    pack: Option<String>,
) -> Result<HubProposal, Error> {
    let proposal = serde_json::from_str(body)
        .map_err(|e| Error::Invalid(format!("a kept proposal does not read: {e}")))?;
    let status = ProposalStatus::parse(status)
        .ok_or_else(|| Error::Invalid(format!("a proposal's status {status:?}")))?;
    Ok(HubProposal {
        proposal,
        province,
        received_at,
        status,
        decided_by,
        decided_at,
        pack,
        media: Vec::new(),
    })
}

type Columns = (
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
);

fn columns(row: &Row) -> rusqlite::Result<Columns> {
    Ok((
        row.get(0)?,
        row.get(1)?,
        row.get(2)?,
        row.get(3)?,
        row.get(4)?,
        row.get(5)?,
        row.get(6)?,
    ))
}

fn from_columns(c: Columns) -> Result<HubProposal, Error> {
    proposal_of(&c.0, c.1, c.2, &c.3, c.4, c.5, c.6)
}

fn by_id(
    conn: &Connection,
    id: &str,
    province: Option<&str>,
) -> Result<Option<HubProposal>, Error> {
    let found = conn
        .query_row(
            &format!(
                "SELECT {PROPOSAL_COLUMNS} FROM hub_proposals
                 WHERE id = ?1 AND (?2 IS NULL OR province = ?2)"
            ),
            (id, province),
            columns,
        )
        .optional()?;
    let Some(found) = found else {
        return Ok(None);
    };
    let mut proposal = from_columns(found)?;
    proposal.media = conn
        .prepare_cached(
            "SELECT m.name, m.size FROM hub_proposal_media p JOIN hub_media m ON m.name = p.name
             WHERE p.proposal_id = ?1 ORDER BY m.name",
        )?
        .query_map([id], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as usize)))?
        .collect::<Result<_, _>>()?;
    Ok(Some(proposal))
}

impl SqliteHub {
    /// Keeps a proposal and its media; `false` (nothing changed) if its id is kept already.
    pub async fn keep_proposal(&self, new: NewProposal) -> Result<bool, Error> {
        self.store
            .write(move |conn| {
                let p = &new.proposal;
                let (kind, lesson_id) = kind_of(p);
                let kept = conn.execute(
                    "INSERT INTO hub_proposals (id, box_id, province, commune, kind, lesson_id,
                       sent_by, sent_at, body, received_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT (id) DO NOTHING",
                    (
                        &p.id,
                        &p.box_id,
                        &new.province,
                        &p.commune,
                        kind,
                        lesson_id,
                        &p.by,
                        &p.sent_at,
                        body_of(p),
                        now(),
                    ),
                )?;
                if kept == 0 {
                    return Ok(false);
                }
                for media in &new.media {
                    conn.execute(
                        "INSERT INTO hub_media (name, mime, size, bytes) VALUES (?1, ?2, ?3, ?4)
                         ON CONFLICT (name) DO NOTHING",
                        (
                            &media.name,
                            &media.mime,
                            media.bytes.len() as i64,
                            &media.bytes,
                        ),
                    )?;
                    conn.execute(
                        "INSERT INTO hub_proposal_media (proposal_id, name) VALUES (?1, ?2)
                         ON CONFLICT DO NOTHING",
                        (&p.id, &media.name),
                    )?;
                }
                Ok(true)
            })
            .await
    }

    /// The proposals in `scope` (of `status` only, when given), newest first.
    pub async fn proposals(
        &self,
        scope: &Scope,
        status: Option<ProposalStatus>,
    ) -> Result<Vec<HubProposal>, Error> {
        let province = scope.province().map(str::to_string);
        self.store
            .read(move |conn| {
                let rows: Vec<Columns> = conn
                    .prepare_cached(&format!(
                        "SELECT {PROPOSAL_COLUMNS} FROM hub_proposals
                         WHERE (?1 IS NULL OR province = ?1) AND (?2 IS NULL OR status = ?2)
                         ORDER BY received_at DESC, id DESC"
                    ))?
                    .query_map((&province, status.map(ProposalStatus::as_str)), columns)?
                    .collect::<Result<_, _>>()?;
                rows.into_iter().map(from_columns).collect()
            })
            .await
    }

    /// Proposal `id` if it is in `scope`, with its media's names and sizes.
    pub async fn proposal(&self, scope: &Scope, id: &str) -> Result<Option<HubProposal>, Error> {
        let (id, province) = (id.to_string(), scope.province().map(str::to_string));
        self.store
            .read(move |conn| by_id(conn, &id, province.as_deref()))
            .await
    }

    /// Media file `name` (its mime type and bytes) if a proposal in `scope` carries it.
    pub async fn proposal_media(
        &self,
        scope: &Scope,
        name: &str,
    ) -> Result<Option<(String, Vec<u8>)>, Error> {
        let (name, province) = (name.to_string(), scope.province().map(str::to_string));
        self.store
            .read(move |conn| {
                Ok(conn
                    .query_row(
                        "SELECT m.mime, m.bytes FROM hub_media m WHERE m.name = ?1 AND EXISTS (
                           SELECT 1 FROM hub_proposal_media l JOIN hub_proposals p ON p.id = l.proposal_id
                           WHERE l.name = m.name AND (?2 IS NULL OR p.province = ?2))",
                        (&name, &province),
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )
                    .optional()?)
            })
            .await
    }

    /// Records an officer's decision on a proposal still 'new'; `false` if it was not (or
    /// there is no such proposal).
    pub async fn decide_proposal(
        &self,
        id: &str,
        decision: ProposalDecision,
        by: &str,
    ) -> Result<bool, Error> {
        let (id, by) = (id.to_string(), by.to_string());
        self.store
            .write(move |conn| {
                let changed = conn.execute(
                    "UPDATE hub_proposals SET status = ?2, decided_by = ?3, decided_at = ?4, pack = ?5
                     WHERE id = ?1 AND status = 'new'",
                    (&id, decision.status().as_str(), &by, now(), decision.pack()),
                )?;
                Ok(changed == 1)
            })
            .await
    }

    /// The ids of the proposals of `box_id` the hub holds, in id order.
    pub async fn held_proposals(&self, box_id: &str) -> Result<Vec<String>, Error> {
        let box_id = box_id.to_string();
        self.store
            .read(move |conn| {
                Ok(conn
                    .prepare_cached("SELECT id FROM hub_proposals WHERE box_id = ?1 ORDER BY id")?
                    .query_map([&box_id], |r| r.get(0))?
                    .collect::<Result<_, _>>()?)
            })
            .await
    }
}
