//! What communes propose, on the hub: a sealed proposal opened with the key of the enrolled
//! box it names and checked (its shape by `protocol::proposal`, each media file named by its
//! content), kept once in that box's province and commune as enrolled; and an officer's
//! adoption: the proposal published as a content pack of its own (`de-xuat-…`), a lesson in
//! its module's folder crediting the commune, or a reading of a lesson the hub serves. No
//! HTTP, no SQL text.

use std::collections::BTreeMap;

use sha2::{Digest, Sha256};

use super::{PublishError, publish, published};
use crate::content::{Catalogue, LessonTree, Problem};
use crate::protocol::envelope::{self, Refused};
use crate::protocol::proposal::{Held, MediaKind, Proposal, Proposed, media_kind, media_text};
use crate::protocol::wire::Pack;
use crate::store::{
    self, BoxPlace, HubProposal, HubStore, NewProposal, ProposalDecision, ProposalMedia,
    ProposalStatus, Scope,
};

/// Most bytes of one sealed proposal (a recording of 8 MB, or a lesson's pictures, in
/// base64 and compressed, well under it).
pub const MAX_SEALED_PROPOSAL: usize = 32 * 1024 * 1024;

/// Why a sealed proposal is not taken (nothing of it was stored).
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ProposalProblem {
    #[error("the proposal is larger than {MAX_SEALED_PROPOSAL} bytes")]
    TooLarge,
    #[error("{0}")]
    Malformed(String),
    #[error("box {0} is not enrolled with this hub")]
    UnknownBox(String),
    #[error("{0}")]
    BadSignature(String),
}

/// The mime type a media file is served with, by its name's extension.
pub fn mime(name: &str) -> &'static str {
    match name.rsplit_once('.').map(|(_, ext)| ext) {
        Some("jpg") => "image/jpeg",
        Some("webp") => "image/webp",
        Some("ogg" | "opus") => "audio/ogg",
        Some("webm") => "audio/webm",
        Some("m4a") => "audio/mp4",
        Some("mp3") => "audio/mpeg",
        Some("wav") => "audio/wav",
        _ => "application/octet-stream",
    }
}

/// Whether `name` is named by its content: its stem begins the SHA-256 of `bytes` in hex. A
/// file kept once by name is then the same file whichever proposal brought it.
pub fn named_by_content(name: &str, bytes: &[u8]) -> bool {
    let stem = name.split_once('.').map_or(name, |(stem, _)| stem);
    !stem.is_empty() && hex::encode(Sha256::digest(bytes)).starts_with(stem)
}

/// Checks a sealed proposal: its size, its signature against the key of the enrolled box it
/// names, its shape, and that every media file is named by its content. Answers it with the
/// box's place. Nothing is stored.
pub async fn open(
    hub: &HubStore,
    sealed: &[u8],
) -> Result<Result<(Proposal, BoxPlace), ProposalProblem>, store::Error> {
    if sealed.len() > MAX_SEALED_PROPOSAL {
        return Ok(Err(ProposalProblem::TooLarge));
    }
    let signer = match envelope::peek(sealed) {
        Ok((_, signer)) => signer,
        Err(e) => return Ok(Err(ProposalProblem::Malformed(e.to_string()))),
    };
    let Some(place) = hub.box_place(&signer).await? else {
        return Ok(Err(ProposalProblem::UnknownBox(signer)));
    };
    let key = place.key.clone();
    Ok(match Proposal::open(sealed, |_| Some(key)) {
        Err(Refused::UnknownSigner(id)) => Err(ProposalProblem::UnknownBox(id)),
        Err(e @ Refused::BadSignature(_)) => Err(ProposalProblem::BadSignature(e.to_string())),
        Err(e) => Err(ProposalProblem::Malformed(e.to_string())),
        Ok(proposal) => match proposal
            .media
            .iter()
            .find(|(name, bytes)| !named_by_content(name, bytes))
        {
            Some((name, _)) => Err(ProposalProblem::Malformed(format!(
                "{name} is not named by its content (the SHA-256 of its bytes)"
            ))),
            None => Ok((proposal, place)),
        },
    })
}

/// Keeps an opened proposal in its box's province and commune, as the hub enrolled the box
/// (not as the box names itself); `false` if it was kept already.
pub async fn keep(
    hub: &HubStore,
    mut proposal: Proposal,
    place: &BoxPlace,
) -> Result<bool, store::Error> {
    proposal.commune = place.commune.clone();
    let media = std::mem::take(&mut proposal.media)
        .into_iter()
        .map(|(name, bytes)| ProposalMedia {
            mime: mime(&name).to_string(),
            name,
            bytes,
        })
        .collect();
    hub.keep_proposal(NewProposal {
        proposal,
        province: place.province.clone(),
        media,
    })
    .await
}

/// Takes a proposal a box sent over HTTP: opened, kept once; answers the ids of every
/// proposal of that box the hub holds.
pub async fn take(
    hub: &HubStore,
    sealed: &[u8],
) -> Result<Result<Held, ProposalProblem>, store::Error> {
    let (proposal, place) = match open(hub, sealed).await? {
        Ok(opened) => opened,
        Err(problem) => return Ok(Err(problem)),
    };
    let (id, box_id) = (proposal.id.clone(), proposal.box_id.clone());
    if keep(hub, proposal, &place).await? {
        tracing::info!(%id, %box_id, commune = %place.commune, "a commune sent a proposal");
    }
    hub.heard_from(&box_id).await?;
    Ok(Ok(Held {
        held: hub.held_proposals(&box_id).await?,
    }))
}

/// The pack an adopted proposal is published in: `de-xuat-` and the first 12 hex digits of
/// its id.
pub fn pack_name(id: &str) -> String {
    let digits: String = id
        .chars()
        .filter(char::is_ascii_hexdigit)
        .map(|c| c.to_ascii_lowercase())
        .take(12)
        .collect();
    format!("de-xuat-{digits}")
}

/// A TOML string of `text`, quoted and escaped.
fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

/// A lesson file with `credit = "Xã <commune>"` in its front matter, right after the
/// opening `+++` (a file without one is left as it is: the checker says what is wrong).
pub fn with_credit(file: &str, commune: &str) -> String {
    let Some(rest) = file.strip_prefix("+++") else {
        return file.to_string();
    };
    let Some(rest) = rest
        .strip_prefix("\r\n")
        .or_else(|| rest.strip_prefix('\n'))
    else {
        return file.to_string();
    };
    format!("+++\ncredit = {}\n{rest}", toml_string(&credit(commune)))
}

/// How a commune is credited: "Xã Ea Tu" (a name that says "xã" already is kept as it is).
pub fn credit(commune: &str) -> String {
    let lower = commune.to_lowercase();
    match lower.starts_with("xã ") || lower.starts_with("phường ") || lower.starts_with("thị trấn ")
    {
        true => commune.to_string(),
        false => format!("Xã {commune}"),
    }
}

/// A lesson file's title, from its front matter.
pub fn lesson_title(file: &str) -> Option<String> {
    let front = file.strip_prefix("+++")?;
    let (front, _) = front.split_once("\n+++")?;
    let table: toml::Table = toml::from_str(front).ok()?;
    Some(table.get("title")?.as_str()?.to_string())
}

/// The number a folder or file name starts with, and the rest: `03-an-toan` → `an-toan`.
fn unnumbered(name: &str) -> Option<&str> {
    let (digits, rest) = name.split_once('-')?;
    (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())).then_some(rest)
}

/// Each module's folder, as the embedded lessons and the packs `published` name them (the
/// first folder to name a module keeps it, as `content::with_packs` does).
pub fn module_folders(published: &[Pack]) -> BTreeMap<String, String> {
    let embedded = LessonTree::embedded();
    let paths = embedded
        .files
        .keys()
        .chain(published.iter().flat_map(|p| p.files.keys()));
    let mut folders = BTreeMap::new();
    for path in paths {
        if let Some((folder, _)) = path.split_once('/')
            && let Some(module) = unnumbered(folder)
        {
            folders
                .entry(module.to_string())
                .or_insert_with(|| folder.to_string());
        }
    }
    folders
}

/// Why a proposal is not adopted.
#[derive(Debug, thiserror::Error)]
pub enum AdoptRefused {
    #[error("the proposal was decided already")]
    Decided,
    #[error("{0:?} is not a lesson's short name (lowercase letters, digits and dashes)")]
    BadSlug(String),
    #[error("the hub serves a lesson {0} already")]
    SlugTaken(String),
    #[error("the hub serves no lesson {0}")]
    UnknownLesson(String),
    #[error("media file {0} is not kept")]
    MissingMedia(String),
    #[error("the pack has {} problem(s); the first: {}", .0.len(), .0.first().map(ToString::to_string).unwrap_or_default())]
    Problems(Vec<Problem>),
    #[error(transparent)]
    Store(#[from] store::Error),
}

fn slug_ok(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= 80
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// The files of the pack that publishes `proposal` (its media's bytes in `media`), beside
/// the lessons of `catalogue` whose modules are in `folders`; a lesson goes in as `slug`.
pub fn pack_files(
    proposal: &Proposal,
    media: &BTreeMap<String, Vec<u8>>,
    catalogue: &Catalogue,
    folders: &BTreeMap<String, String>,
    slug: &str,
) -> Result<BTreeMap<String, String>, AdoptRefused> {
    let mut files = BTreeMap::new();
    let add_media = |name: &str, files: &mut BTreeMap<String, String>| {
        let bytes = media
            .get(name)
            .ok_or_else(|| AdoptRefused::MissingMedia(name.to_string()))?;
        files.insert(format!("media/{name}"), media_text(bytes));
        Ok::<_, AdoptRefused>(())
    };
    match &proposal.what {
        Proposed::Lesson {
            lesson_id,
            module_title,
            file,
        } => {
            if !slug_ok(slug) {
                return Err(AdoptRefused::BadSlug(slug.to_string()));
            }
            let module = lesson_id.split_once('/').map_or("", |(m, _)| m);
            let id = format!("{module}/{slug}");
            if catalogue.lesson(&id).is_some() {
                return Err(AdoptRefused::SlugTaken(id));
            }
            let (path, new_module) =
                lesson_path(module, module_title.as_deref(), catalogue, folders, slug);
            files.extend(new_module);
            files.insert(path, with_credit(file, &proposal.commune));
            for name in media.keys().filter(|name| file.contains(name.as_str())) {
                add_media(name, &mut files)?;
            }
        }
        Proposed::Reading {
            lesson_id,
            slide,
            lang,
            lang_name,
            audio,
            seconds,
        } => {
            if catalogue.lesson(lesson_id).is_none() {
                return Err(AdoptRefused::UnknownLesson(lesson_id.clone()));
            }
            let slide = slide.map(|n| format!("slide = {n}\n")).unwrap_or_default();
            files.insert(
                "readings.toml".into(),
                format!(
                    "[[reading]]\nlesson = {}\n{slide}lang = {}\nlang_name = {}\naudio = {}\nseconds = {seconds}\ncredit = {}\n",
                    toml_string(lesson_id),
                    toml_string(lang),
                    toml_string(lang_name),
                    toml_string(audio),
                    toml_string(&credit(&proposal.commune)),
                ),
            );
            add_media(audio, &mut files)?;
        }
    }
    Ok(files)
}

/// A proposed lesson as the learners would have it: the lessons the hub serves (`served`:
/// the embedded ones and the packs `published`) with the proposal's file added in its module's
/// folder (its media beside the lessons, with their sizes), loaded with `asset_url`.
/// Answers the catalogue, the lesson's id in it, and the problems the loader found in the
/// proposal's file. `None` for a reading.
pub fn preview(
    kept: &HubProposal,
    served: &Catalogue,
    published: &[Pack],
    asset_url: &dyn Fn(&str) -> String,
) -> Option<(Catalogue, String, Vec<Problem>)> {
    let Proposed::Lesson {
        lesson_id,
        module_title,
        file,
    } = &kept.proposal.what
    else {
        return None;
    };
    let (mut tree, _) = crate::content::with_packs(&LessonTree::embedded(), Pack::files(published));
    let module = lesson_id.split_once('/').map_or("", |(m, _)| m);
    let mut slug = proposed_slug(&kept.proposal).to_string();
    // A lesson written from one the hub serves is shown beside it, under another name.
    if served.lesson(&format!("{module}/{slug}")).is_some() {
        slug = format!("{slug}-cua-xa");
    }
    let folders = module_folders(published);
    let (path, new_module) = lesson_path(module, module_title.as_deref(), served, &folders, &slug);
    if let Some((at, text)) = new_module {
        tree.files.insert(at, text.into_bytes());
    }
    tree.files.insert(path.clone(), file.clone().into_bytes());
    for (name, size) in &kept.media {
        tree.media.insert(name.clone(), *size);
    }
    let (catalogue, problems) = crate::content::load(&tree, asset_url);
    let folder = path.split_once('/').map_or("", |(f, _)| f);
    let problems = problems
        .into_iter()
        .filter(|p| p.file.contains(&path) || p.file.contains(&format!("{folder}/module.toml")))
        .collect();
    Some((catalogue, format!("{module}/{slug}"), problems))
}

/// Where a lesson of `module` goes as `slug`: its file's path, and the module's
/// `module.toml` (path, text) when the hub has no such module yet.
fn lesson_path(
    module: &str,
    module_title: Option<&str>,
    catalogue: &Catalogue,
    folders: &BTreeMap<String, String>,
    slug: &str,
) -> (String, Option<(String, String)>) {
    let (folder, lessons, new_module) = match (folders.get(module), catalogue.module(module)) {
        (Some(folder), Some(m)) => (folder.clone(), m.lessons.len(), None),
        _ => {
            let folder = format!("90-{module}");
            let title = module_title.unwrap_or("Bài của các xã");
            let text = format!(
                "[vi]\ntitle = {}\nsummary = {}\n",
                toml_string(title),
                toml_string("Bài do các xã soạn, tỉnh đã duyệt.")
            );
            (
                folder.clone(),
                0,
                Some((format!("{folder}/module.toml"), text)),
            )
        }
    };
    let path = format!("{folder}/{:02}-{slug}.vi.md", 80 + lessons.min(19));
    (path, new_module)
}

/// The lesson's short name a proposal comes with (`slug` of its `module/slug`).
pub fn proposed_slug(proposal: &Proposal) -> &str {
    match &proposal.what {
        Proposed::Lesson { lesson_id, .. } | Proposed::Reading { lesson_id, .. } => {
            lesson_id.split_once('/').map_or("", |(_, s)| s)
        }
    }
}

/// Publishes proposal `id` (seen in `scope`) as its own pack, a lesson as `slug` (`None`:
/// the slug it came with), beside the lessons `catalogue` serves, and records that `by`
/// adopted it. Answers the pack's name. The caller serves the new lessons
/// (`reload_lessons`).
pub async fn adopt(
    hub: &HubStore,
    catalogue: &Catalogue,
    scope: &Scope,
    id: &str,
    slug: Option<&str>,
    by: &str,
) -> Result<String, AdoptRefused> {
    let Some(kept) = hub.proposal(scope, id).await? else {
        return Err(AdoptRefused::Decided);
    };
    if kept.status != ProposalStatus::New {
        return Err(AdoptRefused::Decided);
    }
    let mut media = BTreeMap::new();
    for (name, _) in &kept.media {
        let (_, bytes) = hub
            .proposal_media(scope, name)
            .await?
            .ok_or_else(|| AdoptRefused::MissingMedia(name.clone()))?;
        media.insert(name.clone(), bytes);
    }
    let folders = module_folders(&published(hub).await?);
    let slug = slug.unwrap_or_else(|| proposed_slug(&kept.proposal));
    let files = pack_files(&kept.proposal, &media, catalogue, &folders, slug)?;
    let pack = pack_name(id);
    match publish(hub, &pack, files).await {
        Ok(version) => tracing::info!(%pack, version, %id, "a commune's proposal published"),
        Err(PublishError::Problems(problems)) => return Err(AdoptRefused::Problems(problems)),
        Err(PublishError::BadName(name)) => {
            return Err(AdoptRefused::BadSlug(name));
        }
        Err(PublishError::Store(e)) => return Err(e.into()),
    }
    let decision = ProposalDecision::Adopt { pack: pack.clone() };
    if !hub.decide_proposal(id, decision, by).await? {
        tracing::warn!(%id, %pack, "a proposal was decided by another officer while it was published");
    }
    Ok(pack)
}

/// Whether `name` is a picture (for the pages: a picture shown, a recording played).
pub fn is_image(name: &str) -> bool {
    media_kind(name) == Some(MediaKind::Image)
}

#[cfg(test)]
mod tests;
