//! Everything that runs only at the province (`hocso hub`), without HTTP or SQL text:
//! opening a box's sealed batch and taking it, importing a USB file of them (checked whole
//! before any of it is stored), writing a reply file for a box, publishing a content pack,
//! the arithmetic of the dashboard (`reach`), the rules of a live lesson the province
//! leads to every commune hall (`live`), what communes propose, taken and adopted into
//! packs (`proposals`), and what an officer may see of a learner (`officers`). What
//! travels is `protocol`'s; the box's side is `sync`; the rows are `store`'s.

pub mod live;
pub mod officers;
pub mod proposals;
pub mod reach;

use std::collections::BTreeMap;

use crate::content::{self, Problem};
use crate::learn::{ETHNIC_GROUPS, GENDERS, MAX_NAME, birth_year_allowed};
use crate::protocol::envelope::{self, Kind, Refused};
use crate::protocol::file;
use crate::protocol::wire::{
    Ack, Batch, Introduction, MAX_SEALED, Pack, WireLearner, is_pack_name,
};
use crate::store::{self, BatchRefused, HubStore};
use crate::text;

/// Why a sealed batch is not taken.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum BatchProblem {
    #[error("the batch is larger than {MAX_SEALED} bytes")]
    TooLarge,
    #[error("{0}")]
    Malformed(String),
    #[error("box {0} is not enrolled with this hub")]
    UnknownBox(String),
    #[error("{0}")]
    BadSignature(String),
}

/// Checks a sealed batch from an enrolled box: its size, its signature against the box's
/// key (or, for a box a province hub introduced, that hub's), then the batch's own rules.
/// Nothing is stored.
pub async fn open_batch(
    hub: &HubStore,
    sealed: &[u8],
) -> Result<Result<Batch, BatchProblem>, store::Error> {
    if sealed.len() > MAX_SEALED {
        return Ok(Err(BatchProblem::TooLarge));
    }
    let signer = match envelope::peek(sealed) {
        Ok((_, signer)) => signer,
        Err(e) => return Ok(Err(BatchProblem::Malformed(e.to_string()))),
    };
    // A box signs its own batches; a province hub that joined signs those of its boxes it
    // took before it kept their signed batches.
    let (key, relay) = match hub.box_key(&signer).await? {
        Some(key) => (Some(key), false),
        None => (hub.relay_key(&signer).await?, true),
    };
    let opened = envelope::open::<Batch>(sealed, Kind::Batch, |_| key);
    let speaks_for = async |batch: &Batch, signer: &str| match relay {
        false => Ok::<_, store::Error>(batch.box_id == signer),
        true => Ok(hub.introduced_by(&batch.box_id).await?.as_deref() == Some(signer)),
    };
    Ok(match opened {
        Err(Refused::UnknownSigner(id)) => Err(BatchProblem::UnknownBox(id)),
        Err(e @ Refused::BadSignature(_)) => Err(BatchProblem::BadSignature(e.to_string())),
        Err(e) => Err(BatchProblem::Malformed(e.to_string())),
        Ok((signer, batch)) if !speaks_for(&batch, &signer).await? => Err(BatchProblem::Malformed(
            "the batch names another box than its signer".into(),
        )),
        Ok((_, batch)) => batch
            .check()
            .and_then(|()| check_learners(&batch.learners))
            .map(|()| batch)
            .map_err(BatchProblem::Malformed),
    })
}

/// Every learner's profile in a batch kept to the rules the box keeps when they join: a
/// visible name and village of at most 60 characters without hidden characters, a birth
/// year from 1900 to the hub's year, a gender and an ethnic group from the box's lists.
/// Says the first that breaks one.
pub fn check_learners(learners: &[WireLearner]) -> Result<(), String> {
    let this_year = time::OffsetDateTime::now_utc().year();
    for l in learners {
        let wrong = |what: &str| Err(format!("learner {}: {what}", l.id));
        if uuid::Uuid::parse_str(&l.id).is_err() {
            return wrong("the id is not a UUID");
        }
        if l.name
            .as_deref()
            .is_some_and(|n| text::name(n, MAX_NAME).as_deref() != Ok(n))
        {
            return wrong("the name breaks the rules for names");
        }
        if text::name(&l.village, MAX_NAME).as_deref() != Ok(l.village.as_str()) {
            return wrong("the village breaks the rules for names");
        }
        if l.birth_year
            .is_some_and(|y| !birth_year_allowed(y, this_year))
        {
            return wrong("the birth year is out of range");
        }
        if l.gender.as_deref().is_some_and(|g| !GENDERS.contains(&g)) {
            return wrong("the gender is not one of the box's");
        }
        if l.ethnic_group
            .as_deref()
            .is_some_and(|g| !ETHNIC_GROUPS.contains(&g))
        {
            return wrong("the ethnic group is not one of the box's list");
        }
    }
    Ok(())
}

/// Checks a province hub's introduction of one of its boxes: signed by a hub that joined
/// this one, naming a box as a box enrols (a UUID, a key, a first seq, a commune's name).
/// Answers the introducing hub and the introduction, or what is wrong. Nothing is stored.
pub async fn open_introduction(
    hub: &HubStore,
    sealed: &[u8],
) -> Result<Result<(String, Introduction), String>, store::Error> {
    if sealed.len() > MAX_SEALED {
        return Ok(Err("the introduction is too large".into()));
    }
    let signer = match envelope::peek(sealed) {
        Ok((_, signer)) => signer,
        Err(e) => return Ok(Err(e.to_string())),
    };
    let key = hub.relay_key(&signer).await?;
    let (relay, mut intro) =
        match envelope::open::<Introduction>(sealed, Kind::Introduction, |_| key) {
            Ok(opened) => opened,
            Err(Refused::UnknownSigner(id)) => {
                return Ok(Err(format!("hub {id} has not joined this hub")));
            }
            Err(e) => return Ok(Err(e.to_string())),
        };
    let uuid = |id: &str| uuid::Uuid::parse_str(id).is_ok();
    Ok(
        if !uuid(&intro.box_id) || intro.vouched_by.as_deref().is_some_and(|v| !uuid(v)) {
            Err("a box id is not a UUID".into())
        } else if envelope::public_key(&intro.public_key).is_none() {
            Err("the box's key is not a key".into())
        } else if intro.first_seq < 1 {
            Err("the first seq is below 1".into())
        } else {
            match text::commune_name(&intro.commune) {
                Ok(commune) => {
                    intro.commune = commune;
                    Ok((relay, intro))
                }
                Err(_) => Err("the commune's name breaks the rules for names".into()),
            }
        },
    )
}

/// The hub's signed statement of what it holds of a box.
pub fn sealed_ack(hub: &HubStore, box_id: &str, held: i64) -> Vec<u8> {
    let ack = Ack {
        box_id: box_id.to_string(),
        held,
        proposals: Vec::new(),
    };
    envelope::seal(Kind::Ack, hub.hub_id(), hub.keys(), &ack)
}

/// What importing a file did: for each box, what the hub holds now, and what went wrong.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Imported {
    /// Box → highest seq held with no gap, after the import.
    pub held: BTreeMap<String, i64>,
    /// Events stored now (not held before).
    pub new_events: i64,
    /// Proposals kept now (not held before).
    pub new_proposals: usize,
    /// Batches turned away (a gap, or another box's events under this id), in words.
    pub refused: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{0}")]
    File(#[from] file::FileRefused),
    #[error(
        "the file holds something that is not a box's batch for this hub: {0}; nothing was taken from it"
    )]
    Foreign(String),
    #[error(transparent)]
    Store(#[from] store::Error),
}

/// Imports a box's export file: its batches and the commune's proposals beside them. Every
/// part is checked (signature, enrolment, rules) before any is stored, so a damaged or
/// foreign file changes nothing; then proposals are kept (each once) and batches taken in
/// order, each event once, so the same file or an older one can be imported again.
pub async fn import(
    hub: &HubStore,
    bytes: &[u8],
    progress: &(dyn Fn(usize, usize) + Send + Sync),
) -> Result<Imported, ImportError> {
    let parts = file::read(bytes)?;
    let mut batches = Vec::with_capacity(parts.len());
    let mut proposals = Vec::new();
    for part in &parts {
        // A commune's proposals travel beside its batches.
        if matches!(envelope::peek(part), Ok((Kind::Proposal, _))) {
            match proposals::open(hub, part).await? {
                Ok(opened) => proposals.push(opened),
                Err(problem) => return Err(ImportError::Foreign(problem.to_string())),
            }
            continue;
        }
        match open_batch(hub, part).await? {
            Ok(batch) => batches.push((batch, *part)),
            Err(problem) => return Err(ImportError::Foreign(problem.to_string())),
        }
    }
    let mut imported = Imported::default();
    for (proposal, place) in proposals {
        let box_id = proposal.box_id.clone();
        if proposals::keep(hub, proposal, &place).await? {
            imported.new_proposals += 1;
        }
        // Its box gets a reply file even when the file holds no batch of it.
        let held = hub.held(&box_id).await?.unwrap_or(0);
        imported.held.entry(box_id).or_insert(held);
    }
    let total = batches.len();
    for (done, (batch, part)) in batches.into_iter().enumerate() {
        let box_id = batch.box_id.clone();
        let before = hub.held(&box_id).await?.unwrap_or(0);
        match hub.accept(batch, Some(part)).await? {
            Ok(held) => {
                imported.new_events += (held - before).max(0);
                imported.held.insert(box_id, held);
            }
            Err(BatchRefused::Gap { held }) => {
                imported.refused.push(format!("box {box_id}: the hub holds up to seq {held}, and this batch starts later; export again from the box"));
                imported.held.insert(box_id, held);
            }
            Err(BatchRefused::ForeignLearner { learner }) => imported.refused.push(format!(
                "box {box_id}: learner {learner} belongs to another box; nothing of this batch was taken"
            )),
            Err(BatchRefused::Conflict { seq }) => imported.refused.push(format!(
                "box {box_id}: another event is held at seq {seq}: two boxes send as this one"
            )),
            Err(BatchRefused::UnknownBox) => {
                return Err(ImportError::Foreign(format!(
                    "box {box_id} is not enrolled"
                )));
            }
        }
        progress(done + 1, total);
    }
    Ok(imported)
}

/// The boxes whose batches a USB file holds (its envelopes' signers), before anything is
/// checked; nothing for a file that cannot be read (`import` says why).
pub fn senders(bytes: &[u8]) -> std::collections::BTreeSet<String> {
    file::read(bytes)
        .map(|parts| {
            parts
                .iter()
                .filter_map(|part| envelope::peek(part).ok())
                .map(|(_, signer)| signer)
                .collect()
        })
        .unwrap_or_default()
}

/// A reply file for `box_id`: the hub's signed statement of what it holds of that box (the
/// box moves its cursor to it, and stops carrying the proposals it names) and the newest
/// version of every content pack. `None` for a
/// box the hub does not know.
pub async fn reply(hub: &HubStore, box_id: &str) -> Result<Option<Vec<u8>>, store::Error> {
    let Some(held) = hub.held(box_id).await? else {
        return Ok(None);
    };
    let ack = Ack {
        box_id: box_id.to_string(),
        held,
        proposals: hub.held_proposals(box_id).await?,
    };
    let mut envelopes = vec![envelope::seal(Kind::Ack, hub.hub_id(), hub.keys(), &ack)];
    envelopes.extend(hub.packs().await?.into_iter().map(|p| p.sealed));
    Ok(Some(file::write(&envelopes)))
}

#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    #[error("a pack name is lowercase letters, digits and dashes: {0:?} is not")]
    BadName(String),
    #[error("the pack has {} problem(s); the first: {}", .0.len(), .0.first().map(ToString::to_string).unwrap_or_default())]
    Problems(Vec<Problem>),
    #[error(transparent)]
    Store(#[from] store::Error),
}

/// Publishes the lesson files `files` as pack `name`: checked beside the embedded lessons and
/// the other packs (no problem may appear), signed with the hub's key, numbered one above the
/// last version of `name`. Answers the new version.
pub async fn publish(
    hub: &HubStore,
    name: &str,
    files: BTreeMap<String, String>,
) -> Result<i64, PublishError> {
    if !is_pack_name(name) {
        return Err(PublishError::BadName(name.to_string()));
    }
    let version = hub.next_pack_version(name).await?;
    let pack = Pack {
        name: name.to_string(),
        version,
        published_at: hub.now(),
        files,
    };
    let held = published(hub).await?;
    content::check_pack(&Pack::files(&held), (pack.name.as_str(), &pack.files))
        .map_err(PublishError::Problems)?;
    let sealed = envelope::seal(Kind::Pack, hub.hub_id(), hub.keys(), &pack);
    hub.publish(name, version, sealed).await?;
    Ok(version)
}

/// The packs this hub has published, each checked against its own key; one that no longer
/// verifies is left out and logged.
pub async fn published(hub: &HubStore) -> Result<Vec<Pack>, store::Error> {
    let sealed: Vec<Vec<u8>> = hub.packs().await?.into_iter().map(|p| p.sealed).collect();
    Ok(Pack::verified(&sealed, Some(&hub.keys().public_hex())))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::protocol::Keys;
    use crate::protocol::wire::Join;

    /// A SQLite hub that a province hub (`keys`, as `id`) joined.
    fn joined_hub(id: &str, keys: &Keys) -> (HubStore, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let hub = crate::store::Store::open_on(dir.path(), None)
            .unwrap()
            .hub();
        let runtime = tokio::runtime::Runtime::new().unwrap();
        runtime.block_on(async {
            let code = hub.new_join_code("Đắk Lắk").await.unwrap();
            let join = Join {
                hub_id: id.to_string(),
                public_key: keys.public_hex(),
                code,
            };
            assert!(hub.join(join).await.unwrap().is_some());
        });
        (hub, dir)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        /// Whatever a joined hub's introduction says, it is opened only when every field keeps
        /// a box's rules (the commune's name tidied), and any bytes never open or panic.
        #[test]
        fn an_introduction_opens_only_when_it_keeps_the_rules(
            box_id in prop_oneof![Just(uuid::Uuid::now_v7().to_string()), ".{0,40}"],
            commune in prop_oneof![Just("Xã  Ea Sol".to_string()), ".{0,120}"],
            first_seq in -3i64..1_000,
            real_key in any::<bool>(),
            bytes in proptest::collection::vec(any::<u8>(), 0..300),
        ) {
            let keys = Keys::generate();
            let id = uuid::Uuid::now_v7().to_string();
            let (hub, _dir) = joined_hub(&id, &keys);
            let intro = Introduction {
                box_id: box_id.clone(),
                public_key: if real_key { Keys::generate().public_hex() } else { "00".repeat(31) },
                first_seq,
                commune: commune.clone(),
                vouched_by: None,
            };
            let sealed = envelope::seal(Kind::Introduction, &id, &keys, &intro);
            let runtime = tokio::runtime::Runtime::new().unwrap();
            let opened = runtime.block_on(open_introduction(&hub, &sealed)).unwrap();
            let rules = uuid::Uuid::parse_str(&box_id).is_ok()
                && real_key
                && first_seq >= 1
                && text::commune_name(&commune).is_ok();
            prop_assert_eq!(opened.is_ok(), rules);
            if let Ok((by, intro)) = opened {
                prop_assert_eq!(by, id);
                prop_assert_eq!(Ok(intro.commune.clone()), text::commune_name(&commune));
            }
            prop_assert!(runtime.block_on(open_introduction(&hub, &bytes)).unwrap().is_err());
        }
    }
}
