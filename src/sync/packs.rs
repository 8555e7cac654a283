//! Content packs as the box receives them: opened against the hub's key it pinned, and the
//! packs it holds, each checked again before it is served.

use crate::content::{self, Problem};
use crate::protocol::wire::Pack;
use crate::store::{self, Store, sync::HUB_KEY};

/// Whether `new` may join `held` (see `content::check_pack`).
pub fn check(held: &[Pack], new: &Pack) -> Result<(), Vec<Problem>> {
    content::check_pack(&Pack::files(held), (new.name.as_str(), &new.files))
}

/// The packs the box holds, each checked against the hub's key it pinned. A pack that no
/// longer verifies is left out and logged.
pub async fn held(store: &Store) -> Result<Vec<Pack>, store::Error> {
    let key = store.settings(&[HUB_KEY]).await?.remove(HUB_KEY);
    let sealed: Vec<Vec<u8>> = store.packs().await?.into_iter().map(|p| p.sealed).collect();
    Ok(Pack::verified(&sealed, key.as_deref()))
}

/// The pictures and recordings `pack` carries (`media/<name>` → base64), to keep on the box
/// where `/media/<name>` serves them. One that is not base64 is left out (the pack's check
/// counted it by its length; a lesson showing it finds nothing).
pub fn media_of(pack: &Pack) -> Vec<store::NewMedia> {
    pack.files
        .iter()
        .filter_map(|(path, text)| {
            let name = path.strip_prefix("media/")?;
            if !content::is_media_name(name) {
                return None;
            }
            let bytes = crate::protocol::proposal::media_bytes(text.trim())?;
            Some(store::NewMedia {
                mime: mime_of(name).to_string(),
                name: name.to_string(),
                bytes,
                seconds: None,
            })
        })
        .collect()
}

/// The media type of a media file, by its extension (its content was checked where it was
/// made: on the box that uploaded it, and at the hub).
pub fn mime_of(name: &str) -> &'static str {
    match name.rsplit_once('.').map_or("", |(_, e)| e) {
        "jpg" => "image/jpeg",
        "webp" => "image/webp",
        "ogg" | "opus" => "audio/ogg",
        "webm" => "audio/webm",
        "m4a" => "audio/mp4",
        "mp3" => "audio/mpeg",
        "wav" => "audio/wav",
        _ => "application/octet-stream",
    }
}
