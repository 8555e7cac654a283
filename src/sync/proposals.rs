//! What the commune offers its province: a lesson its facilitators wrote, or a reading they
//! recorded, made a `Proposal` when a facilitator presses "Gửi lên tỉnh" (never before), kept
//! until the hub says it holds it, sealed by the box's newest enrolled identity as it goes:
//! over the link after the events (`send`), or in the USB file beside them (`sealed_all`).

use std::collections::BTreeMap;

use crate::content;
use crate::protocol::proposal::{Held, Proposal, Proposed};
use crate::store::{self, LocalLesson, LocalReading, Proposing, Store};

use super::client::{SyncError, plain_answer};
use super::link::Link;

/// Why a proposal was not made.
#[derive(Debug, thiserror::Error)]
pub enum NotProposed {
    #[error("a picture or recording it needs is no longer on the box: {0}")]
    MissingMedia(String),
    #[error(transparent)]
    Store(#[from] store::Error),
}

impl NotProposed {
    pub fn plain(&self) -> String {
        match self {
            NotProposed::MissingMedia(_) => {
                "Một ảnh hay bản ghi của bài không còn trên hộp: hãy tải lại rồi gửi.".into()
            }
            NotProposed::Store(_) => "Lỗi cơ sở dữ liệu của hộp.".into(),
        }
    }
}

async fn media(store: &Store, names: Vec<&str>) -> Result<BTreeMap<String, Vec<u8>>, NotProposed> {
    let mut out = BTreeMap::new();
    for name in names {
        let Some((_, bytes)) = store.media(name).await? else {
            return Err(NotProposed::MissingMedia(name.to_string()));
        };
        out.insert(name.to_string(), bytes);
    }
    Ok(out)
}

fn proposal(
    store: &Store,
    commune: String,
    by: &str,
    what: Proposed,
    media: BTreeMap<String, Vec<u8>>,
) -> Proposal {
    Proposal {
        id: uuid::Uuid::now_v7().to_string(),
        box_id: String::new(), // the identity that seals it, when it goes
        commune,
        by: by.to_string(),
        sent_at: store.now(),
        what,
        media,
    }
}

async fn commune(store: &Store) -> Result<String, store::Error> {
    Ok(store.setting("commune_name").await?.unwrap_or_default())
}

/// Offers `lesson` to the province as `by` sent it: its file and every picture it shows.
pub async fn propose_lesson(
    store: &Store,
    lesson: &LocalLesson,
    by: &str,
) -> Result<String, NotProposed> {
    let names: Vec<&str> = lesson
        .file
        .split("](")
        .skip(1)
        .filter_map(|rest| rest.split(')').next())
        .filter(|dest| content::is_media_name(dest))
        .collect();
    let media = media(store, names).await?;
    let what = Proposed::Lesson {
        lesson_id: lesson.id.clone(),
        module_title: lesson.module_title.clone(),
        file: lesson.file.clone(),
    };
    let proposal = proposal(store, commune(store).await?, by, what, media);
    let body = serde_json::to_vec(&proposal).expect("a proposal serializes");
    store
        .propose(Proposing::Lesson, &lesson.id, &proposal.id, body)
        .await?;
    Ok(proposal.id)
}

/// Offers `reading` to the province as `by` sent it, with its recording.
pub async fn propose_reading(
    store: &Store,
    reading: &LocalReading,
    by: &str,
) -> Result<String, NotProposed> {
    let media = media(store, vec![reading.audio.as_str()]).await?;
    let what = Proposed::Reading {
        lesson_id: reading.lesson_id.clone(),
        slide: reading.slide,
        lang: reading.lang.clone(),
        lang_name: reading.lang_name.clone(),
        audio: reading.audio.clone(),
        seconds: reading.seconds,
    };
    let proposal = proposal(store, commune(store).await?, by, what, media);
    let body = serde_json::to_vec(&proposal).expect("a proposal serializes");
    store
        .propose(Proposing::Reading, &reading.id, &proposal.id, body)
        .await?;
    Ok(proposal.id)
}

/// Every proposal the hub does not hold yet, sealed by the newest enrolled identity (none
/// when the box is not enrolled). A body the box cannot read is left out and logged.
pub async fn sealed_all(store: &Store) -> Result<Vec<(String, Vec<u8>)>, store::Error> {
    let Some(identity) = store
        .identities()
        .await?
        .into_iter()
        .rev()
        .find(|i| i.enrolled)
    else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for (id, body) in store.proposals_waiting().await? {
        match serde_json::from_slice::<Proposal>(&body) {
            Ok(mut proposal) => {
                proposal.box_id = identity.box_id.clone();
                out.push((id, proposal.seal(&identity.keys)));
            }
            Err(e) => tracing::error!(%id, "a proposal the box cannot read: {e}"),
        }
    }
    Ok(out)
}

/// Sends every proposal waiting to the hub at the end of `link`; the hub's answer names those
/// it holds. One the hub refuses is logged and tried again at the next sync. Answers how
/// many it holds now that it did not before.
pub(super) async fn send(store: &Store, link: &Link) -> Result<usize, SyncError> {
    let mut held_now = 0;
    for (id, sealed) in sealed_all(store).await? {
        let sent = link
            .client()
            .post(link.url("/hub/v1/proposals"))
            .header("content-type", "application/octet-stream")
            .body(sealed)
            .send()
            .await;
        let body = match plain_answer(link.base(), sent, "a proposal").await {
            Ok(body) => body,
            // The hub turns this one away: the others still go, and it is tried again later.
            Err(SyncError::Refused { code, message }) => {
                tracing::warn!(%id, %code, "the hub refused a proposal: {message}");
                continue;
            }
            Err(e) => return Err(e),
        };
        let held: Held =
            serde_json::from_slice(&body).map_err(|e| SyncError::BadAnswer(e.to_string()))?;
        if held.held.contains(&id) {
            held_now += 1;
        }
        store.proposals_held(held.held).await?;
    }
    Ok(held_now)
}
