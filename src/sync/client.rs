//! The box's side of talking to a hub: enrolling, pushing its events in signed batches until
//! the hub holds them all, fetching content packs, and the files a USB stick carries. The
//! cursor of each identity moves only on an answer signed by the hub the box pinned.

use serde::Deserialize;

use super::link::{self, Hub, Link, Use};
use super::packs;
use crate::protocol::address::{Fingerprint, HubAddress};
use crate::protocol::envelope::{self, Kind};
use crate::protocol::file;
use crate::protocol::wire::{
    Ack, Batch, Enrol, Enrolled, MAX_BATCH_EVENTS, MAX_SEALED, Pack, PackListing, Vouch, code,
    vouch_statement,
};
use crate::store::sync::{HUB_KEY, HUB_PIN, HUB_PLAIN_HTTP, HUB_URL, SHARE_NAMES};
use crate::store::{self, Identity, Store};

/// Why a sync stopped; `plain` says it in words for the facilitator's page.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("the box is not enrolled with a hub yet")]
    NotEnrolled,
    #[error("cannot reach the hub at {url}: {detail}")]
    Unreachable { url: String, detail: String },
    #[error("{0} is not a hub's address (http://… or https://…)")]
    NotAnAddress(String),
    #[error(
        "plain HTTP to the public address {url} is refused: the records would cross the \
         internet readable by anyone on the way. Use https://, or allow plain HTTP in the settings"
    )]
    PlainHttp { url: String },
    #[error("a certificate fingerprint is pinned only with an https:// address, not {url}")]
    PinWithoutTls { url: String },
    #[error("the hub at {url} is refused: its certificate cannot be trusted ({detail})")]
    Certificate {
        url: String,
        /// The certificate is not the pinned one (else the web's roots do not vouch for it).
        pinned: bool,
        detail: String,
    },
    #[error("the hub refused: {message} ({code})")]
    Refused { code: String, message: String },
    #[error("the hub's answer is not valid: {0}")]
    BadAnswer(String),
    #[error("{0}")]
    File(String),
    #[error(transparent)]
    Store(#[from] store::Error),
}

impl SyncError {
    /// The error in plain Vietnamese, as the dashboard shows it.
    pub fn plain(&self) -> String {
        match self {
            SyncError::NotEnrolled => "Hộp chưa đăng ký với máy chủ tỉnh. Nhập địa chỉ và mã đăng ký ở trang Đồng bộ.".into(),
            SyncError::Unreachable { url, .. } => format!("Không kết nối được máy chủ tỉnh ({url}). Hộp sẽ tự thử lại sau."),
            SyncError::NotAnAddress(typed) => format!("«{typed}» không phải địa chỉ máy chủ tỉnh. Địa chỉ bắt đầu bằng https:// hoặc http://."),
            SyncError::PlainHttp { url } => format!("Không đồng bộ: {url} là địa chỉ công cộng mà kết nối là HTTP thường, không mã hóa; thông tin người học (thôn, năm sinh, giới tính, dân tộc) sẽ đi qua internet ai cũng đọc được. Hãy dùng địa chỉ https:// của tỉnh, hoặc bật «Cho phép HTTP thường tới địa chỉ công cộng» ở trang Cài đặt."),
            SyncError::PinWithoutTls { url } => format!("Dấu vân tay chứng chỉ chỉ dùng với địa chỉ https://, không dùng với {url}."),
            SyncError::Certificate { url, pinned: true, .. } => format!("Không đồng bộ: chứng chỉ của máy chủ {url} không khớp với dấu vân tay đã ghi khi đăng ký. Có thể đó không phải máy chủ tỉnh; nếu tỉnh vừa thay chứng chỉ, hãy đăng ký lại với dấu vân tay mới."),
            SyncError::Certificate { url, pinned: false, .. } => format!("Không đồng bộ: chứng chỉ của máy chủ {url} không được tin cậy (hết hạn, sai tên, hoặc do tỉnh tự cấp). Nếu tỉnh dùng chứng chỉ riêng, hãy đăng ký lại và nhập dấu vân tay SHA-256 của chứng chỉ."),
            SyncError::Refused { code, message } => match code.as_str() {
                code::BAD_CODE => "Mã đăng ký không đúng hoặc đã được dùng. Xem lại từng chữ trên giấy (chữ hoa hay thường, dấu cách đều được); nếu vẫn không được, xin tỉnh một mã mới.".into(),
                code::CONFLICT => "Máy chủ tỉnh thấy hai hộp gửi số liệu khác nhau dưới cùng một danh tính (thẻ nhớ bị sao chép?). Hãy báo cho cán bộ tỉnh.".into(),
                code::FOREIGN_LEARNER => "Máy chủ tỉnh từ chối vì hộp gửi số liệu của một người học thuộc hộp khác (thẻ nhớ bị trộn?). Hãy báo cho cán bộ tỉnh.".into(),
                code::UNKNOWN_BOX => "Máy chủ tỉnh không biết hộp này. Hãy đăng ký lại với một mã mới.".into(),
                _ => format!("Máy chủ tỉnh từ chối: {message}"),
            },
            SyncError::BadAnswer(_) => "Máy chủ trả lời không hợp lệ: có thể đó không phải máy chủ tỉnh đã đăng ký.".into(),
            SyncError::File(message) => message.clone(),
            SyncError::Store(_) => "Lỗi cơ sở dữ liệu của hộp khi đồng bộ.".into(),
        }
    }
}

/// How far a sync has come: events the hub confirmed of those waiting at the start.
#[derive(Clone, Copy, Debug, Default)]
pub struct Progress {
    pub sent: i64,
    pub total: i64,
}

/// What a sync did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Events the hub confirmed in this sync.
    pub confirmed: i64,
    /// Content packs received and kept.
    pub packs: usize,
    /// The commune's proposals the hub holds now.
    pub proposals: usize,
}

#[derive(Deserialize)]
struct ErrorBody {
    error: ErrorDetail,
}

#[derive(Deserialize)]
struct ErrorDetail {
    code: String,
    message: String,
    #[serde(default)]
    held: Option<i64>,
}

/// A hub's answer: the body on success, else the hub's error.
async fn answer(url: &str, sent: reqwest::Result<reqwest::Response>) -> Result<Vec<u8>, Failure> {
    let unreachable = |e: reqwest::Error| Failure::Other(link::failure(url, &e));
    let response = sent.map_err(unreachable)?;
    let status = response.status();
    let body = response.bytes().await.map_err(unreachable)?;
    if status.is_success() {
        return Ok(body.to_vec());
    }
    match serde_json::from_slice::<ErrorBody>(&body) {
        Ok(ErrorBody { error }) if error.code == code::GAP => {
            Err(Failure::Gap(error.held.unwrap_or(0)))
        }
        Ok(ErrorBody { error }) => Err(Failure::Other(SyncError::Refused {
            code: error.code,
            message: error.message,
        })),
        Err(_) => Err(Failure::Other(SyncError::BadAnswer(format!(
            "HTTP {status}"
        )))),
    }
}

/// A hub's answer where a gap makes no sense (enrolment, packs).
pub(super) async fn plain_answer(
    url: &str,
    sent: reqwest::Result<reqwest::Response>,
    what: &str,
) -> Result<Vec<u8>, SyncError> {
    answer(url, sent).await.map_err(|f| match f {
        Failure::Gap(_) => SyncError::BadAnswer(format!("a gap answer to {what}")),
        Failure::Other(e) => e,
    })
}

enum Failure {
    /// The hub holds less than the box thought: start again from here.
    Gap(i64),
    Other(SyncError),
}

fn commune_of(settings: &std::collections::HashMap<String, String>) -> String {
    settings.get("commune_name").cloned().unwrap_or_default()
}

/// What every batch of this box carries besides its events: the commune's name, and whether
/// learners' names may travel.
struct Sender {
    commune: String,
    names: bool,
}

impl Sender {
    async fn of(store: &Store) -> Result<Sender, SyncError> {
        let settings = store.settings(&["commune_name", SHARE_NAMES]).await?;
        Ok(Sender {
            names: settings.get(SHARE_NAMES).map(String::as_str) == Some("1"),
            commune: commune_of(&settings),
        })
    }

    /// The next batch of `identity` after `cursor`, sealed: up to `MAX_BATCH_EVENTS`
    /// events, halved until it fits in `MAX_SEALED`. `None` when nothing is left.
    async fn next_batch(
        &self,
        store: &Store,
        identity: &Identity,
        cursor: i64,
    ) -> Result<Option<(Batch, Vec<u8>)>, SyncError> {
        let mut limit = MAX_BATCH_EVENTS;
        loop {
            let (events, learners) = store
                .events_after(&identity.box_id, cursor, limit, self.names)
                .await?;
            if events.is_empty() {
                return Ok(None);
            }
            let batch = Batch {
                box_id: identity.box_id.clone(),
                commune: self.commune.clone(),
                events,
                learners,
            };
            let sealed = envelope::seal(Kind::Batch, &identity.box_id, &identity.keys, &batch);
            if sealed.len() <= MAX_SEALED || limit == 1 {
                return Ok(Some((batch, sealed)));
            }
            limit /= 2;
        }
    }
}

/// Enrols the box with the hub at `url` using a one-time `code`, and pins the hub's key, and
/// the fingerprint of its certificate when `pin` gives one (an `https://` hub with a
/// province's own CA or a self-signed certificate): every later request checks it. Nothing is
/// kept unless the hub, reached as the box will reach it, enrolled the box.
pub async fn enroll(
    store: &Store,
    url: &str,
    code: &str,
    pin: Option<&Fingerprint>,
) -> Result<Enrolled, SyncError> {
    let link = reach(store, url, pin).await?;
    let settings = store.settings(&["commune_name"]).await?;
    let current = current_identity(store).await?;
    let enrol = Enrol {
        box_id: current.box_id.clone(),
        commune: commune_of(&settings),
        public_key: current.keys.public_hex(),
        first_seq: current.first_seq,
        code: Some(code.to_string()),
        vouch: None,
    };
    let enrolled = post_enrol(&link, &enrol).await?;
    store
        .set_enrolled(
            &current.box_id,
            link.base(),
            &enrolled.hub_id,
            &enrolled.hub_key,
            pin.map(Fingerprint::hex).as_deref(),
        )
        .await?;
    Ok(enrolled)
}

/// The link to the hub at `url`, its certificate checked against `pin` if given, as this box
/// may reach it (plain HTTP to a public address only if a facilitator allowed it). Opening it
/// sends nothing.
pub async fn reach(store: &Store, url: &str, pin: Option<&Fingerprint>) -> Result<Link, SyncError> {
    let address = HubAddress::parse(url).ok_or_else(|| SyncError::NotAnAddress(url.into()))?;
    if pin.is_some() && !address.is_https() {
        return Err(SyncError::PinWithoutTls {
            url: address.to_string(),
        });
    }
    let settings = store.settings(&[HUB_PLAIN_HTTP]).await?;
    let hub = Hub {
        url: address.to_string(),
        pin: pin.map(Fingerprint::hex),
        plain_http: settings.get(HUB_PLAIN_HTTP).map(String::as_str) == Some("1"),
    };
    Link::open(&hub, Use::Requests).await
}

async fn post_enrol(link: &Link, enrol: &Enrol) -> Result<Enrolled, SyncError> {
    let sent = link
        .client()
        .post(link.url("/hub/v1/enroll"))
        .json(enrol)
        .send()
        .await;
    let body = plain_answer(link.base(), sent, "an enrolment").await?;
    let enrolled: Enrolled =
        serde_json::from_slice(&body).map_err(|e| SyncError::BadAnswer(e.to_string()))?;
    if envelope::public_key(&enrolled.hub_key).is_none() {
        return Err(SyncError::BadAnswer("the hub's key is not a key".into()));
    }
    Ok(enrolled)
}

pub(super) async fn current_identity(store: &Store) -> Result<Identity, SyncError> {
    store
        .identities()
        .await?
        .into_iter()
        .find(|i| i.box_id == store.box_id())
        .ok_or_else(|| SyncError::File("the box has no identity".into()))
}

/// The key of the hub the box enrolled with.
async fn pinned_key(store: &Store) -> Result<String, SyncError> {
    let mut settings = store.settings(&[HUB_KEY]).await?;
    settings.remove(HUB_KEY).ok_or(SyncError::NotEnrolled)
}

/// The pinned hub: how to reach it (its address, or `url` when given, as found on the LAN;
/// its certificate's pinned fingerprint; whether plain HTTP may go to a public address) and
/// its key.
pub(super) async fn pinned(store: &Store, url: Option<&str>) -> Result<(Hub, String), SyncError> {
    let key = pinned_key(store).await?;
    let mut settings = store.settings(&[HUB_URL, HUB_PIN, HUB_PLAIN_HTTP]).await?;
    let url = match url {
        Some(url) => url.to_string(),
        None => settings
            .get(HUB_URL)
            .cloned()
            .filter(|u| !u.is_empty())
            .ok_or(SyncError::NotEnrolled)?,
    };
    let hub = Hub {
        url: url.trim_end_matches('/').to_string(),
        pin: settings.remove(HUB_PIN),
        plain_http: settings.get(HUB_PLAIN_HTTP).map(String::as_str) == Some("1"),
    };
    Ok((hub, key))
}

/// One sync with the hub: identities the hub does not know yet are vouched for by the one it
/// knows, every event it has not confirmed is pushed, and newer content packs are fetched and
/// kept. `url` overrides the stored address (a hub found on the LAN).
pub async fn sync(
    store: &Store,
    url: Option<&str>,
    progress: &(dyn Fn(Progress) + Send + Sync),
) -> Result<Outcome, SyncError> {
    let (hub, hub_key) = pinned(store, url).await?;
    let link = Link::open(&hub, Use::Requests).await?;
    let sender = Sender::of(store).await?;
    let identities = store.identities().await?;
    let total = store.sync_status().await?.waiting;
    let mut outcome = Outcome::default();
    for identity in &identities {
        if !identity.enrolled {
            vouch_for(store, &link, &sender.commune, identity, &identities).await?;
        }
        let mut cursor = identity.confirmed;
        let mut rewinds = 0;
        while let Some((batch, sealed)) = sender.next_batch(store, identity, cursor).await? {
            let held =
                match push(&link, &hub_key, &batch.box_id, sealed, cursor, &mut rewinds).await? {
                    Moved::Took(held) => {
                        outcome.confirmed += held - cursor;
                        held
                    }
                    Moved::Back(held) => held,
                };
            store.set_confirmed(&identity.box_id, held).await?;
            cursor = held;
            progress(Progress {
                sent: outcome.confirmed.min(total),
                total,
            });
        }
    }
    outcome.proposals = super::proposals::send(store, &link).await?;
    outcome.packs = fetch_packs(store, &link, &hub_key).await?;
    Ok(outcome)
}

/// Where a push moves a sender's cursor: forward to what the hub's signed answer says it now
/// holds, or back to where the hub's records end (it lost some: the sender sends again).
pub(super) enum Moved {
    Took(i64),
    Back(i64),
}

/// Pushes `box_id`'s sealed batch to the hub at the end of `link`, whose pinned key is
/// `hub_key`; the sender believes the hub holds up to `cursor`. A signed answer that takes
/// nothing, or a fourth gap in one sync (`rewinds`), is a hub not to be trusted.
pub(super) async fn push(
    link: &Link,
    hub_key: &str,
    box_id: &str,
    sealed: Vec<u8>,
    cursor: i64,
    rewinds: &mut u32,
) -> Result<Moved, SyncError> {
    let sent = link
        .client()
        .post(link.url("/hub/v1/push"))
        .header("content-type", "application/octet-stream")
        .body(sealed)
        .send()
        .await;
    match answer(link.base(), sent).await {
        Ok(body) => {
            let ack = open_ack(&body, hub_key, box_id)?;
            match ack.held > cursor {
                true => Ok(Moved::Took(ack.held)),
                false => Err(SyncError::BadAnswer(format!(
                    "the hub took nothing of box {box_id} after seq {cursor}"
                ))),
            }
        }
        Err(Failure::Gap(held)) if *rewinds < 3 && held < cursor => {
            *rewinds += 1;
            Ok(Moved::Back(held))
        }
        Err(Failure::Gap(held)) => Err(SyncError::BadAnswer(format!(
            "the hub asks for seq {} of box {box_id} again and again",
            held + 1
        ))),
        Err(Failure::Other(e)) => Err(e),
    }
}

/// Enrols an identity the box took on another machine, vouched for by the newest identity
/// the hub knows (whose key the copied card carried).
async fn vouch_for(
    store: &Store,
    link: &Link,
    commune: &str,
    identity: &Identity,
    all: &[Identity],
) -> Result<(), SyncError> {
    let voucher = all
        .iter()
        .rev()
        .find(|i| i.enrolled)
        .ok_or(SyncError::NotEnrolled)?;
    let public_key = identity.keys.public_hex();
    let statement = vouch_statement(&identity.box_id, &public_key, identity.first_seq);
    let enrol = Enrol {
        box_id: identity.box_id.clone(),
        commune: commune.to_string(),
        public_key,
        first_seq: identity.first_seq,
        code: None,
        vouch: Some(Vouch {
            box_id: voucher.box_id.clone(),
            signature: voucher.keys.sign(&statement),
        }),
    };
    post_enrol(link, &enrol).await?;
    store.set_identity_enrolled(&identity.box_id).await?;
    Ok(())
}

pub(super) fn open_ack(bytes: &[u8], hub_key: &str, box_id: &str) -> Result<Ack, SyncError> {
    let (_, ack): (String, Ack) = envelope::open(bytes, Kind::Ack, |_| Some(hub_key.to_string()))
        .map_err(|e| SyncError::BadAnswer(e.to_string()))?;
    match ack.box_id == box_id {
        true => Ok(ack),
        false => Err(SyncError::BadAnswer("an answer for another box".into())),
    }
}

/// Fetches every pack newer than the one held of its name; keeps those that verify and load
/// cleanly. Answers how many were kept.
async fn fetch_packs(store: &Store, link: &Link, hub_key: &str) -> Result<usize, SyncError> {
    let (client, url) = (link.client(), link.base());
    let sent = client.get(link.url("/hub/v1/packs")).send().await;
    let body = plain_answer(url, sent, "a pack list").await?;
    let listed: Vec<PackListing> =
        serde_json::from_slice(&body).map_err(|e| SyncError::BadAnswer(e.to_string()))?;
    let held = store.packs().await?;
    let mut kept = 0;
    for listing in listed {
        let newer = held
            .iter()
            .all(|p| p.name != listing.name || p.version < listing.version);
        if !newer || !crate::protocol::wire::is_pack_name(&listing.name) {
            continue;
        }
        let sent = client
            .get(link.url(&format!("/hub/v1/packs/{}", listing.name)))
            .send()
            .await;
        let sealed = plain_answer(url, sent, "a pack").await?;
        if keep_pack(store, sealed, hub_key).await? {
            kept += 1;
        }
    }
    Ok(kept)
}

/// Verifies a sealed pack against the pinned key and keeps it if it is newer and loads
/// cleanly beside the lessons held; a refused pack is logged and noted, never kept.
async fn keep_pack(store: &Store, sealed: Vec<u8>, hub_key: &str) -> Result<bool, SyncError> {
    let pack = Pack::open(&sealed, hub_key)
        .map_err(|e| SyncError::BadAnswer(format!("a content pack: {e}")))?;
    let held = packs::held(store).await?;
    if let Err(problems) = packs::check(&held, &pack) {
        let first = problems
            .first()
            .map(ToString::to_string)
            .unwrap_or_default();
        tracing::error!(pack = %pack.name, "a content pack is refused: {first}");
        return Err(SyncError::File(format!(
            "Gói bài học «{}» bị từ chối vì có lỗi ({} lỗi), ví dụ: {first}",
            pack.name,
            problems.len()
        )));
    }
    store.put_pack_media(packs::media_of(&pack)).await?;
    Ok(store.save_pack(&pack.name, pack.version, sealed).await?)
}

/// Every event the hub has not confirmed, as one file for a USB stick: the same signed
/// batches as over the network. Answers the file's bytes and how many events it holds.
pub async fn export(store: &Store) -> Result<(Vec<u8>, i64), SyncError> {
    let sender = Sender::of(store).await?;
    let mut envelopes = Vec::new();
    let mut count = 0;
    for identity in store.identities().await?.into_iter().filter(|i| i.enrolled) {
        let mut cursor = identity.confirmed;
        while let Some((batch, sealed)) = sender.next_batch(store, &identity, cursor).await? {
            count += batch.events.len() as i64;
            envelopes.push(sealed);
            cursor = batch.last_seq();
        }
    }
    envelopes.extend(
        super::proposals::sealed_all(store)
            .await?
            .into_iter()
            .map(|(_, sealed)| sealed),
    );
    Ok((file::write(&envelopes), count))
}

/// What a reply file did on the box.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Replied {
    /// The hub's confirmed seq of each identity the file named.
    pub confirmed: Vec<(String, i64)>,
    pub packs: usize,
}

/// Takes a reply file from the hub: every part is checked against the pinned key before
/// anything is used, then the cursors move to what the hub confirmed and new packs are kept.
pub async fn import_reply(store: &Store, bytes: &[u8]) -> Result<Replied, SyncError> {
    let foreign = || {
        SyncError::File(
            "Tệp này không phải tệp trả lời của máy chủ tỉnh đã đăng ký; không lấy gì từ tệp."
                .into(),
        )
    };
    let parts = file::read(bytes).map_err(|e| {
        SyncError::File(format!(
            "Không đọc được tệp: không phải tệp đồng bộ, hoặc hỏng khi chép ({e}). Hãy chép lại từ máy của tỉnh rồi thử lại."
        ))
    })?;
    let hub_key = pinned_key(store).await?;
    let ours: Vec<String> = store
        .identities()
        .await?
        .into_iter()
        .map(|i| i.box_id)
        .collect();
    let mut acks = Vec::new();
    let mut sealed_packs = Vec::new();
    for part in parts {
        match envelope::peek(part).map_err(|_| foreign())?.0 {
            Kind::Ack => {
                let (_, ack): (String, Ack) =
                    envelope::open(part, Kind::Ack, |_| Some(hub_key.clone()))
                        .map_err(|_| foreign())?;
                if !ours.contains(&ack.box_id) {
                    return Err(SyncError::File(
                        "Tệp trả lời này dành cho một hộp khác; không lấy gì từ tệp.".into(),
                    ));
                }
                acks.push(ack);
            }
            Kind::Pack => {
                Pack::open(part, &hub_key).map_err(|_| foreign())?;
                sealed_packs.push(part.to_vec());
            }
            Kind::Batch
            | Kind::Introduction
            | Kind::LiveNow
            | Kind::LiveReport
            | Kind::Proposal => {
                return Err(foreign());
            }
        }
    }
    let mut replied = Replied::default();
    for ack in acks {
        store.proposals_held(ack.proposals.clone()).await?;
        store.set_confirmed(&ack.box_id, ack.held).await?;
        replied.confirmed.push((ack.box_id, ack.held));
    }
    for sealed in sealed_packs {
        if keep_pack(store, sealed, &hub_key).await? {
            replied.packs += 1;
        }
    }
    Ok(replied)
}
