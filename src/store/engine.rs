//! `HubStore`: the one interface to a hub's records, whichever database holds them: the
//! embedded SQLite (`SqliteHub`, the default) or PostgreSQL (`Postgres`, for a province's
//! IT centre or the nation, and for several hub processes on one database). Pages, sync and
//! the command line call it and never learn which engine answers; both give the same
//! answers (one test suite runs on both). `Accounts` is the same for who signs in to the
//! facilitator pages: a box's facilitators, or a hub's officers.

use std::time::Duration;

use super::hub::{AuditEntry, AuditQuery, HubLearnerLine, HubLearnerRecord, LearnerPage, NewAudit};
use super::hub::{
    BoxPlace, Dimension, HubHall, HubLive, HubProposal, LiveMove, NewHubLive, NewProposal,
    ProposalDecision, ProposalStatus, Scope, SqliteHub, Tally,
};
use super::postgres::Postgres;
use super::{
    BatchRefused, EnrolCode, EnrolRefused, Error, Facilitator, Finished, Granting, HeldEvent,
    HubBox, HubLearner, NewFacilitator, PassingOn, Practised, PublishedPack, Relay, SetupRefused,
    Store,
};
use crate::protocol::Keys;
use crate::protocol::live::LiveReport;
use crate::protocol::wire::{Batch, Enrol, Introduction, Join};

/// A hub's records, on either engine.
#[derive(Clone)]
pub enum HubStore {
    Sqlite(SqliteHub),
    Postgres(Postgres),
}

/// Who signs in to the facilitator pages, on either engine.
#[derive(Clone)]
pub enum Accounts {
    Sqlite(Store),
    Postgres(Postgres),
}

/// The same call on whichever engine `$on` holds.
macro_rules! on_either {
    ($on:expr, $ty:ident, $engine:ident => $call:expr) => {
        match $on {
            $ty::Sqlite($engine) => $call,
            $ty::Postgres($engine) => $call,
        }
    };
}

impl Store {
    /// This database's facilitators (a box's, or a SQLite hub's officers).
    pub fn accounts(&self) -> Accounts {
        Accounts::Sqlite(self.clone())
    }
}

impl HubStore {
    /// Opens the hub's records: on PostgreSQL when `database` names one, else on the SQLite
    /// database in `data_dir`.
    pub async fn open(
        database: Option<&str>,
        data_dir: &std::path::Path,
    ) -> Result<HubStore, Error> {
        match database {
            Some(address) => Ok(HubStore::Postgres(Postgres::open(address).await?)),
            None => Ok(Store::open_on(data_dir, None)?.hub()),
        }
    }

    /// Which engine holds the records, as the status and logs say it.
    pub fn engine(&self) -> &'static str {
        match self {
            HubStore::Sqlite(_) => "SQLite",
            HubStore::Postgres(_) => "PostgreSQL",
        }
    }

    pub fn accounts(&self) -> Accounts {
        match self {
            HubStore::Sqlite(hub) => Accounts::Sqlite(hub.store().clone()),
            HubStore::Postgres(pg) => Accounts::Postgres(pg.clone()),
        }
    }

    /// The hub's signing key: it signs acks and packs, and boxes pin it.
    pub fn keys(&self) -> &Keys {
        match self {
            HubStore::Sqlite(hub) => hub.store().keys(),
            HubStore::Postgres(pg) => pg.keys(),
        }
    }

    /// The hub's id, named in what it signs.
    pub fn hub_id(&self) -> &str {
        match self {
            HubStore::Sqlite(hub) => hub.store().box_id(),
            HubStore::Postgres(pg) => pg.hub_id(),
        }
    }

    pub fn clock(&self) -> &crate::clock::Clock {
        match self {
            HubStore::Sqlite(hub) => hub.store().clock(),
            HubStore::Postgres(pg) => pg.clock(),
        }
    }

    /// The hub's clock as RFC 3339 text.
    pub fn now(&self) -> String {
        match self {
            HubStore::Sqlite(hub) => hub.store().now(),
            HubStore::Postgres(pg) => pg.now(),
        }
    }

    /// The one-time set-up code, when the hub had no officer as it opened.
    pub fn setup_code(&self) -> Option<&str> {
        match self {
            HubStore::Sqlite(hub) => hub.store().setup_code(),
            HubStore::Postgres(pg) => pg.setup_code(),
        }
    }

    /// Whether the database can do its work now, within `wait`.
    pub async fn probe(&self, wait: Duration) -> Result<(), Error> {
        match self {
            HubStore::Sqlite(hub) => hub.store().probe(wait).await,
            HubStore::Postgres(pg) => pg.probe(wait).await,
        }
    }

    /// A new enrolment code for `commune` of `province` (`""`: none named).
    pub async fn new_code(&self, commune: &str, province: &str) -> Result<String, Error> {
        on_either!(self, HubStore, e => e.new_code(commune, province).await)
    }

    /// Every code made in `scope`, newest first.
    pub async fn codes(&self, scope: &Scope) -> Result<Vec<EnrolCode>, Error> {
        on_either!(self, HubStore, e => e.codes(scope).await)
    }

    /// Enrols a box with a one-time code, or vouched for by an identity the hub knows. The
    /// same box asking again with the same key (its answer was lost) is enrolled still; a
    /// code used by another box is refused. Answers the commune it is enrolled for; the box
    /// belongs to the code's province (a vouched box to its voucher's).
    pub async fn enrol(&self, enrol: Enrol) -> Result<Result<String, EnrolRefused>, Error> {
        on_either!(self, HubStore, e => e.enrol(enrol).await)
    }

    /// The public key of an enrolled box.
    pub async fn box_key(&self, box_id: &str) -> Result<Option<String>, Error> {
        on_either!(self, HubStore, e => e.box_key(box_id).await)
    }

    /// What the hub holds of `box_id` with no gap; `None` for a box it does not know.
    pub async fn held(&self, box_id: &str) -> Result<Option<i64>, Error> {
        on_either!(self, HubStore, e => e.held(box_id).await)
    }

    /// Takes a batch whose signature was checked: stores each event not held yet, and the
    /// learners' profiles; answers the highest seq now held with no gap. A batch starting
    /// after a gap is refused whole. An event at a held seq with another id means two boxes
    /// send as one: the batch is refused and the box marked, for both dashboards to say so.
    /// The dashboard's counts (`daily`, `finished`, `practised`, `attendance`) grow in the
    /// same transaction.
    /// `sealed` is the box's signed batch as it came, which a SQLite hub keeps to pass on
    /// to a national hub (`None`: nothing to keep).
    pub async fn accept(
        &self,
        batch: Batch,
        sealed: Option<&[u8]>,
    ) -> Result<Result<i64, BatchRefused>, Error> {
        on_either!(self, HubStore, e => e.accept(batch, sealed).await)
    }

    /// A new one-time code for the hub of `province` to join this one.
    pub async fn new_join_code(&self, province: &str) -> Result<String, Error> {
        on_either!(self, HubStore, e => e.new_join_code(province).await)
    }

    /// A province hub joins with a join code: answers the code's province, or `None` for a
    /// code unknown or used by another hub (the same hub asking again with the same key has
    /// joined still; a hub joins once).
    pub async fn join(&self, join: Join) -> Result<Option<String>, Error> {
        on_either!(self, HubStore, e => e.join(join).await)
    }

    /// Every join code made, and the hub that used it.
    pub async fn relays(&self) -> Result<Vec<Relay>, Error> {
        on_either!(self, HubStore, e => e.relays().await)
    }

    /// The national hub this one joined and how far it holds this hub's boxes; `None` when
    /// it joined none (a hub on PostgreSQL passes nothing on).
    pub async fn passing_on(&self) -> Result<Option<PassingOn>, Error> {
        match self {
            HubStore::Sqlite(hub) => hub.passing_on().await,
            HubStore::Postgres(_) => Ok(None),
        }
    }

    /// The province hub that introduced `box_id`, if one did.
    pub async fn introduced_by(&self, box_id: &str) -> Result<Option<String>, Error> {
        on_either!(self, HubStore, e => e.introduced_by(box_id).await)
    }

    /// The public key of a province hub that joined.
    pub async fn relay_key(&self, hub_id: &str) -> Result<Option<String>, Error> {
        on_either!(self, HubStore, e => e.relay_key(hub_id).await)
    }

    /// Enrols a box a joined province hub introduces (whose signature was checked), in that
    /// hub's province: answers what this hub holds of it. A box known already with the same
    /// key is answered as it stands; with another key it is refused; an identity vouched for
    /// must name one the same hub introduced.
    pub async fn introduce(
        &self,
        relay: &str,
        intro: Introduction,
    ) -> Result<Result<i64, EnrolRefused>, Error> {
        on_either!(self, HubStore, e => e.introduce(relay, intro).await)
    }

    /// Notes that a box was heard from (a sync with nothing new still counts).
    pub async fn heard_from(&self, box_id: &str) -> Result<(), Error> {
        on_either!(self, HubStore, e => e.heard_from(box_id).await)
    }

    /// Every enrolled box in `scope`, by province and commune.
    pub async fn boxes(&self, scope: &Scope) -> Result<Vec<HubBox>, Error> {
        on_either!(self, HubStore, e => e.boxes(scope).await)
    }

    /// Every learner the hub holds in `scope`.
    pub async fn learners(&self, scope: &Scope) -> Result<Vec<HubLearner>, Error> {
        on_either!(self, HubStore, e => e.learners(scope).await)
    }

    /// Every (learner, lesson) finished in `scope`, by reading or by a live lesson, once each
    /// (from the counts, not the events).
    pub async fn finished(&self, scope: &Scope) -> Result<Vec<Finished>, Error> {
        on_either!(self, HubStore, e => e.finished(scope).await)
    }

    /// Every (learner, scenario) done in `scope`, once each: some `practice_finished` event
    /// whose payload says `"win": true` (JSON true, nothing else) for its `"scenario"`.
    pub async fn practised(&self, scope: &Scope) -> Result<Vec<Practised>, Error> {
        on_either!(self, HubStore, e => e.practised(scope).await)
    }

    /// Each learner in `scope` who attended live lessons, and how many times.
    pub async fn attendance(&self, scope: &Scope) -> Result<Vec<(String, i64)>, Error> {
        on_either!(self, HubStore, e => e.attendance(scope).await)
    }

    /// Learners in `scope` and their tallies (lessons finished, scenarios won, modules
    /// completed, attendances) summed by `dimension`, per province too when `per_province`:
    /// rows that grow with learners, never with events.
    pub async fn tallies(
        &self,
        scope: &Scope,
        dimension: Dimension,
        per_province: bool,
    ) -> Result<Vec<Tally>, Error> {
        on_either!(self, HubStore, e => e.tallies(scope, dimension, per_province).await)
    }

    /// What completes a module, as `(module, "lesson" | "scenario", id)`: the lessons the hub
    /// serves. When it changed, every learner's modules are counted again. Answers whether
    /// it changed.
    pub async fn set_modules(&self, items: Vec<(String, String, String)>) -> Result<bool, Error> {
        on_either!(self, HubStore, e => e.set_modules(items).await)
    }

    /// Events received in `scope` a day (the box's day), from `since` (`YYYY-MM-DD`) on.
    pub async fn daily(&self, scope: &Scope, since: &str) -> Result<Vec<(String, i64)>, Error> {
        on_either!(self, HubStore, e => e.daily(scope, since).await)
    }

    /// The events the hub holds of `box_id`, in seq order (for checks and tests).
    pub async fn event_ids(&self, box_id: &str) -> Result<Vec<HeldEvent>, Error> {
        on_either!(self, HubStore, e => e.event_ids(box_id).await)
    }

    /// The version the next publication of pack `name` gets.
    pub async fn next_pack_version(&self, name: &str) -> Result<i64, Error> {
        on_either!(self, HubStore, e => e.next_pack_version(name).await)
    }

    /// Keeps a published pack, sealed by the hub.
    pub async fn publish(&self, name: &str, version: i64, sealed: Vec<u8>) -> Result<(), Error> {
        on_either!(self, HubStore, e => e.publish(name, version, sealed).await)
    }

    /// The newest version of every pack, in name order.
    pub async fn packs(&self) -> Result<Vec<PublishedPack>, Error> {
        on_either!(self, HubStore, e => e.packs().await)
    }

    /// Starts a session of the province's live lesson; `None` if an open one covers the same
    /// halls.
    pub async fn live_start(&self, new: NewHubLive) -> Result<Option<HubLive>, Error> {
        on_either!(self, HubStore, e => e.live_start(new).await)
    }

    /// The open sessions and the last few that ended, oldest first: what halls are told.
    pub async fn live_current(&self) -> Result<Vec<HubLive>, Error> {
        on_either!(self, HubStore, e => e.live_current().await)
    }

    pub async fn live_session(&self, id: &str) -> Result<Option<HubLive>, Error> {
        on_either!(self, HubStore, e => e.live_session(id).await)
    }

    /// The latest sessions of `scope`, newest first.
    pub async fn live_sessions(&self, scope: &Scope, limit: usize) -> Result<Vec<HubLive>, Error> {
        on_either!(self, HubStore, e => e.live_sessions(scope, limit).await)
    }

    /// Moves an open session still at `version`; the session then, or `None` if not moved.
    pub async fn live_move(
        &self,
        id: &str,
        version: i64,
        to: LiveMove,
    ) -> Result<Option<HubLive>, Error> {
        on_either!(self, HubStore, e => e.live_move(id, version, to).await)
    }

    /// Keeps a hall's report, replacing its last; `false` if its session is not open.
    pub async fn live_report(&self, place: &BoxPlace, report: &LiveReport) -> Result<bool, Error> {
        on_either!(self, HubStore, e => e.live_report(place, report).await)
    }

    pub async fn live_halls(&self, id: &str) -> Result<Vec<HubHall>, Error> {
        on_either!(self, HubStore, e => e.live_halls(id).await)
    }

    /// Where an enrolled box is, and its key.
    pub async fn box_place(&self, box_id: &str) -> Result<Option<BoxPlace>, Error> {
        on_either!(self, HubStore, e => e.box_place(box_id).await)
    }

    /// Keeps a proposal a box sent (checked by `hub::proposals`), in the province given, its
    /// media each once by name; `false` (nothing changed) if its id is kept already.
    pub async fn keep_proposal(&self, new: NewProposal) -> Result<bool, Error> {
        on_either!(self, HubStore, e => e.keep_proposal(new).await)
    }

    /// The proposals in `scope` (of `status` only, when given), newest first.
    pub async fn proposals(
        &self,
        scope: &Scope,
        status: Option<ProposalStatus>,
    ) -> Result<Vec<HubProposal>, Error> {
        on_either!(self, HubStore, e => e.proposals(scope, status).await)
    }

    /// Proposal `id` if it is in `scope`, with its media's names and sizes.
    pub async fn proposal(&self, scope: &Scope, id: &str) -> Result<Option<HubProposal>, Error> {
        on_either!(self, HubStore, e => e.proposal(scope, id).await)
    }

    /// Media file `name` (mime type, bytes) if a proposal in `scope` carries it.
    pub async fn proposal_media(
        &self,
        scope: &Scope,
        name: &str,
    ) -> Result<Option<(String, Vec<u8>)>, Error> {
        on_either!(self, HubStore, e => e.proposal_media(scope, name).await)
    }

    /// Records an officer's decision (`by`, now) on a proposal still 'new'; `false` if it
    /// was decided already or is not kept.
    pub async fn decide_proposal(
        &self,
        id: &str,
        decision: ProposalDecision,
        by: &str,
    ) -> Result<bool, Error> {
        on_either!(self, HubStore, e => e.decide_proposal(id, decision, by).await)
    }

    /// Adds a line to the officers' audit log. A CSV file goes out only after this
    /// answered: a line that cannot be written refuses the export.
    pub async fn audit(&self, line: NewAudit) -> Result<(), Error> {
        on_either!(self, HubStore, e => e.audit(line).await)
    }

    /// Lines of the audit log, newest first.
    pub async fn audit_log(&self, query: &AuditQuery) -> Result<Vec<AuditEntry>, Error> {
        on_either!(self, HubStore, e => e.audit_log(query).await)
    }

    /// Learners of `scope` as `page` says, with their tallies, logged as `line` says in the
    /// same transaction; their names only when `line.names` (the officer may see them).
    pub async fn learner_lines(
        &self,
        scope: &Scope,
        page: &LearnerPage,
        line: NewAudit,
    ) -> Result<Vec<HubLearnerLine>, Error> {
        on_either!(self, HubStore, e => e.learner_lines(scope, page, line).await)
    }

    /// Learner `id`'s record if they are in `scope`, logged as `line` says in the same
    /// transaction (a learner not there is not logged); the name only when `line.names`.
    pub async fn learner_record(
        &self,
        scope: &Scope,
        id: &str,
        line: NewAudit,
    ) -> Result<Option<HubLearnerRecord>, Error> {
        on_either!(self, HubStore, e => e.learner_record(scope, id, line).await)
    }

    /// The ids of the proposals of `box_id` the hub holds.
    pub async fn held_proposals(&self, box_id: &str) -> Result<Vec<String>, Error> {
        on_either!(self, HubStore, e => e.held_proposals(box_id).await)
    }
}

impl Accounts {
    /// The first account, the commune's (or province's) name and a signed-in session, in
    /// one transaction, only if `code` is the set-up code and nobody has set up yet.
    pub async fn set_up(
        &self,
        code: &str,
        new: NewFacilitator,
        commune: &str,
        session: [u8; 32],
    ) -> Result<Result<Facilitator, SetupRefused>, Error> {
        on_either!(self, Accounts, e => e.set_up(code, new, commune, session).await)
    }

    /// Whether anyone can sign in yet.
    pub async fn is_set_up(&self) -> Result<bool, Error> {
        on_either!(self, Accounts, e => e.is_set_up().await)
    }

    /// Adds an account; `None` if the name is taken. The first also ends the set-up code.
    pub async fn add_facilitator(&self, new: NewFacilitator) -> Result<Option<Facilitator>, Error> {
        on_either!(self, Accounts, e => e.add_facilitator(new).await)
    }

    /// Sets a new password and ends every session of that account; `false` if no account
    /// has the name.
    pub async fn reset_facilitator_password(
        &self,
        name_key: &str,
        password_hash: &str,
    ) -> Result<bool, Error> {
        on_either!(self, Accounts, e => e.reset_facilitator_password(name_key, password_hash).await)
    }

    /// The account with this folded name and its password hash, for signing in.
    pub async fn facilitator_login(
        &self,
        name_key: &str,
    ) -> Result<Option<(Facilitator, String)>, Error> {
        on_either!(self, Accounts, e => e.facilitator_login(name_key).await)
    }

    pub async fn start_facilitator_session(
        &self,
        token_hash: [u8; 32],
        facilitator_id: &str,
    ) -> Result<(), Error> {
        on_either!(self, Accounts, e => e.start_facilitator_session(token_hash, facilitator_id).await)
    }

    /// The account a session token's hash belongs to.
    pub async fn session_facilitator(
        &self,
        token_hash: [u8; 32],
    ) -> Result<Option<Facilitator>, Error> {
        on_either!(self, Accounts, e => e.session_facilitator(token_hash).await)
    }

    pub async fn end_facilitator_session(&self, token_hash: [u8; 32]) -> Result<(), Error> {
        on_either!(self, Accounts, e => e.end_facilitator_session(token_hash).await)
    }

    /// A hub's officers in `scope`, by name.
    pub async fn officers(&self, scope: &Scope) -> Result<Vec<Facilitator>, Error> {
        on_either!(self, Accounts, e => e.officers(scope).await)
    }

    /// Gives or takes a role of officer `id` in `scope`, logged in the same transaction
    /// when it changed; the officer then, or `None` if no officer of `scope` has the id.
    pub async fn set_role(
        &self,
        scope: &Scope,
        id: &str,
        granting: Granting<'_>,
    ) -> Result<Option<Facilitator>, Error> {
        on_either!(self, Accounts, e => e.set_role(scope, id, granting).await)
    }
}
