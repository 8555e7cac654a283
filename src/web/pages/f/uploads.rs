//! A facilitator's picture or recording taken from the phone: checked and prepared off the
//! async threads (`crate::media`), kept in the box's media within their budget, answered as
//! the media file's name or a plain reason: the budget's in the page's language, the media
//! checker's (`media::Refused::message`) in Vietnamese.

use crate::media;
use crate::store::{MediaRefused, NewMedia};
use crate::web::i18n::{t_args, v};
use crate::web::{AppState, Error};

/// Why an upload was not kept: what the facilitator reads, or a failure of the box.
pub(super) enum Unkept {
    Said(String),
    Failed(Error),
}

impl From<crate::store::Error> for Unkept {
    fn from(e: crate::store::Error) -> Unkept {
        Unkept::Failed(e.into())
    }
}

/// The budget's refusal in words.
pub(super) fn over_budget(needed: u64, budget: u64) -> String {
    let args = [
        ("needed", v(needed.div_ceil(1024 * 1024))),
        ("budget", v(budget / (1024 * 1024))),
    ];
    t_args("own-over-budget", args)
}

/// Shrinks `bytes` to a phone-sized JPEG and keeps it; its media name.
pub(super) async fn keep_picture(
    state: &AppState,
    bytes: axum::body::Bytes,
) -> Result<String, Unkept> {
    let shrunk = tokio::task::spawn_blocking(move || media::shrink_picture(&bytes))
        .await
        .map_err(|_| Unkept::Failed(Error::Internal))?
        .map_err(|refused| Unkept::Said(refused.message()))?;
    let name = media::name_for(&shrunk.bytes, shrunk.ext);
    let kept = state
        .store
        .put_media(NewMedia {
            name: name.clone(),
            mime: shrunk.mime.to_string(),
            bytes: shrunk.bytes,
            seconds: None,
        })
        .await;
    match kept {
        Ok(()) => Ok(name),
        Err(MediaRefused::OverBudget { needed, budget }) => {
            Err(Unkept::Said(over_budget(needed, budget)))
        }
        Err(MediaRefused::Store(e)) => Err(e.into()),
    }
}

/// Checks a recording's type and length: the media file to keep, unless it is refused.
pub(super) fn recording(bytes: &[u8]) -> Result<NewMedia, String> {
    let probed = media::probe_recording(bytes).map_err(|r| r.message())?;
    Ok(NewMedia {
        name: media::name_for(bytes, probed.ext),
        mime: probed.mime.to_string(),
        bytes: bytes.to_vec(),
        seconds: Some(probed.seconds),
    })
}
