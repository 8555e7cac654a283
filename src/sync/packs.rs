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
