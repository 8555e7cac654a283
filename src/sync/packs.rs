//! Content packs on either side: reading a lesson folder into a pack, checking that a new
//! pack loads cleanly beside the lessons already served, and the packs a store holds.

use std::collections::BTreeMap;
use std::path::Path;

use super::envelope::{self, Kind, Refused};
use super::wire::Pack;
use crate::content::{self, LessonTree, Problem};
use crate::store::{self, Store, sync::HUB_KEY};

/// The lessons folder `dir` as a pack's files (path → text). Every file must be UTF-8 text.
pub fn files_of(dir: &Path) -> anyhow::Result<BTreeMap<String, String>> {
    let tree = LessonTree::from_dir(dir, &dir.join("..").join("assets"))?;
    tree.files
        .into_iter()
        .map(|(path, bytes)| {
            String::from_utf8(bytes)
                .map(|text| (path.clone(), text))
                .map_err(|_| {
                    anyhow::anyhow!("{path} is not UTF-8 text; a pack carries lesson text only")
                })
        })
        .collect()
}

/// The embedded lessons with `packs` added (in name order), loaded as a catalogue.
pub fn catalogue(
    packs: &[Pack],
    asset_url: &dyn Fn(&str) -> String,
) -> (content::Catalogue, Vec<Problem>) {
    let mut sorted: Vec<&Pack> = packs.iter().collect();
    sorted.sort_by(|a, b| a.name.cmp(&b.name));
    let (tree, mut problems) = content::with_packs(
        &LessonTree::embedded(),
        sorted.iter().map(|p| (p.name.as_str(), &p.files)),
    );
    let (catalogue, more) = content::load(&tree, asset_url);
    problems.extend(more);
    (catalogue, problems)
}

/// Whether `new` may join `held` (replacing the held pack of its name): it must bring no
/// problem the lessons did not have before. The problems it brings, if any.
pub fn check(held: &[Pack], new: &Pack) -> Result<(), Vec<Problem>> {
    let url = |name: &str| format!("/assets/{name}");
    let before = catalogue(held, &url).1;
    let mut with: Vec<Pack> = held
        .iter()
        .filter(|p| p.name != new.name)
        .cloned()
        .collect();
    with.push(new.clone());
    let after = catalogue(&with, &url).1;
    let brought: Vec<Problem> = after.into_iter().filter(|p| !before.contains(p)).collect();
    match brought.is_empty() {
        true => Ok(()),
        false => Err(brought),
    }
}

/// Opens a sealed pack against the hub's key (hex).
pub fn open(sealed: &[u8], hub_key: &str) -> Result<Pack, Refused> {
    envelope::open::<Pack>(sealed, Kind::Pack, |_| Some(hub_key.to_string())).map(|(_, p)| p)
}

/// The packs a store holds, each checked against the key that signed it: on a hub its own,
/// on a box the hub's it pinned. A pack that no longer verifies is left out and logged.
pub async fn held(store: &Store, hub: bool) -> Result<Vec<Pack>, store::Error> {
    let (sealed, key): (Vec<Vec<u8>>, Option<String>) = if hub {
        let packs = store.hub_packs().await?;
        (
            packs.into_iter().map(|p| p.2).collect(),
            Some(store.keys().public_hex()),
        )
    } else {
        let key = store.settings(&[HUB_KEY]).await?.remove(HUB_KEY);
        (store.packs().await?.into_iter().map(|p| p.2).collect(), key)
    };
    let Some(key) = key else {
        return Ok(Vec::new());
    };
    Ok(sealed
        .iter()
        .filter_map(|s| {
            open(s, &key)
                .inspect_err(|e| tracing::error!("a stored content pack is refused: {e}"))
                .ok()
        })
        .collect())
}
