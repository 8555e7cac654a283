//! Hocso: one binary that turns a small box in a commune hall into a digital-skills school.
//!
//! The modules, in layer order (a module imports only those after it; ARCHITECTURE.md holds
//! the order a test checks): `web` (HTTP), `sync` (the box's side of the province link) and
//! `hub` (the province's side), `facilitate` and `learn` (the rules), `store` (SQLite),
//! `content`, `protocol`, `discovery` and `media` (uploads checked), then the leaves
//! `config`, `clock`, `lang`, `text`, `token`.
//!
//! `Server::open` prepares a box or a hub from a `Config`; `serve` runs it from a bound
//! listener until a shutdown future resolves: `main` binds the real address, tests bind
//! `127.0.0.1:0`. This root knows every module and is known by none.

#![forbid(unsafe_code)]

pub mod clock;
pub mod config;
pub mod content;
pub mod discovery;
pub mod facilitate;
pub mod hub;
pub mod lang;
pub mod learn;
pub mod media;
pub mod protocol;
pub mod store;
pub mod sync;
pub mod text;
pub mod token;
pub mod web;

use std::future::Future;
use std::net::SocketAddr;

pub use config::{Config, Role};
use tokio::net::TcpListener;

/// What can stop a box from starting, each with what to do about it.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(
        "cannot create the data folder {path}: {source}. Choose another with --data-dir or HOCSO_DATA_DIR"
    )]
    DataDir {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot open the database: {0}")]
    Store(#[from] store::Error),
    #[error("cannot serve: {0}")]
    Serve(std::io::Error),
    #[error(
        "cannot serve HTTPS: {0}. Give the certificate chain (PEM, the hub's own first) with --tls-cert and its private key (PEM) with --tls-key"
    )]
    Tls(#[from] web::TlsError),
}

/// A box ready to serve: its data folder exists and its lessons are loaded (and a hub's
/// certificate, when it serves HTTPS).
pub struct Server {
    config: Config,
    state: web::AppState,
    tls: Option<std::sync::Arc<rustls::ServerConfig>>,
}

impl Server {
    /// Prepares the box: creates the data folder, opens its database (migrating it, and giving
    /// the box its id on first start) and loads the embedded lessons. A hub told of a
    /// PostgreSQL database opens (and migrates) that for its records.
    pub async fn open(config: Config) -> Result<Server, StartupError> {
        // Read first: a certificate that cannot serve stops the start before anything is made.
        let tls = config.tls.as_ref().map(web::tls).transpose()?;
        std::fs::create_dir_all(&config.data_dir).map_err(|source| StartupError::DataDir {
            path: config.data_dir.display().to_string(),
            source,
        })?;
        // A hub keeps its identity wherever its folder is copied (a visiting laptop carries
        // the province's key); a box on another machine takes a new one.
        let machine = match (&config.machine, config.role) {
            (_, Role::Hub) => None,
            (Some(machine), Role::Box) => Some(machine.clone()),
            (None, Role::Box) => protocol::machine::fingerprint(),
        };
        let store = store::Store::open_on(&config.data_dir, machine.as_deref())?;
        let state = match (&config.database, config.role) {
            (Some(address), Role::Hub) => {
                let hub = store::HubStore::Postgres(store::Postgres::open(address).await?);
                web::AppState::hub_on(store, hub, &config.host_name)
            }
            _ => web::AppState::new(store, config.role, &config.host_name),
        };
        Ok(Server { state, config, tls })
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The one-time set-up code, while the box has no facilitator.
    pub fn setup_code(&self) -> Option<&str> {
        match self.state.role {
            Role::Box => self.state.store.setup_code(),
            Role::Hub => self.state.hub().setup_code(),
        }
    }

    /// Serves on `listener` until `shutdown` resolves, then finishes the requests in flight.
    pub async fn serve(
        self,
        listener: TcpListener,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<(), StartupError> {
        let bound = listener.local_addr().map_err(StartupError::Serve)?;
        let state = self.state;
        let interface = self.config.mdns_interface.as_deref();
        // The embedded lessons are loaded already; content packs, if any, join them.
        // Pictures uploaded a day ago or more for a lesson never saved are forgotten.
        if state.role == Role::Box {
            let day_ago = state.store.clock().now() - time::Duration::days(1);
            let before = day_ago
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default();
            if let Err(e) = state.store.sweep_media(before).await {
                tracing::error!("cannot sweep unused media: {e}");
            }
        }
        // (On a box, the commune's own lessons and readings too.)
        let packs = match state.role {
            Role::Box => match state.store.pack_versions().await {
                Ok(held) if held.is_empty() => state.store.serves_own().await,
                held => held.map(|_| true),
            },
            Role::Hub => state.hub().packs().await.map(|p| !p.is_empty()),
        };
        // (A hub then counts its learners' modules by the lessons it serves.)
        let with_packs = packs.unwrap_or(true);
        let reloaded = match with_packs {
            true => state.reload_lessons().await,
            false => Ok(0),
        };
        if let Err(e) = &reloaded {
            tracing::error!("cannot read the content packs: {e}");
        }
        if state.role == Role::Hub
            && (!with_packs || reloaded.is_err())
            && let Err(e) = state.count_modules(&state.catalogue).await
        {
            tracing::error!("cannot count the learners' modules: {e}");
        }
        // Advertisements live as long as the server; a LAN without multicast still serves.
        let mut _advertisements = Vec::new();
        let (seen, hubs) = tokio::sync::mpsc::channel(4);
        if self.config.mdns {
            match state.role {
                Role::Box => {
                    tokio::spawn(advertise_box(
                        state.clone(),
                        bound,
                        self.config.mdns_interface.clone(),
                    ));
                }
                Role::Hub => match discovery::advertise_hub(
                    bound,
                    interface,
                    &state.hub().keys().public_hex(),
                    self.tls.is_some(),
                ) {
                    Ok(a) => _advertisements.push(a),
                    Err(e) => tracing::warn!(
                        "mDNS advertisement failed, the LAN will not find this server by name: {e}"
                    ),
                },
            }
            if state.role == Role::Box {
                match discovery::browse_hubs(bound, interface, seen) {
                    Ok(a) => _advertisements.push(a),
                    Err(e) => tracing::warn!("cannot look for a hub on the LAN: {e}"),
                }
            }
        }
        if state.role == Role::Box
            && let Some(dir) = self.config.backup_dir.clone()
        {
            tokio::spawn(store::keep_backing_up(
                state.store.clone(),
                dir,
                state.closing.subscribe(),
            ));
        }
        if state.role == Role::Box {
            // Names of learners not seen for longer than the box keeps them: now, then often.
            tokio::spawn(learn::rights::keep_erasing_unseen(
                state.store.clone(),
                state.closing.subscribe(),
            ));
            let lessons = state.clone();
            tokio::spawn(sync::background::run(
                state.store.clone(),
                state.sync_now.clone(),
                state.closing.subscribe(),
                hubs,
                move || {
                    let state = lessons.clone();
                    tokio::spawn(async move {
                        match state.reload_lessons().await {
                            Ok(count) => tracing::info!(count, "new lessons are served"),
                            Err(e) => tracing::error!("cannot load the new lessons: {e}"),
                        }
                    });
                },
            ));
        }
        if state.role == Role::Box {
            // The province's live lesson: the link to the hub, and the hall that follows.
            tokio::spawn(sync::live::follow(
                state.store.clone(),
                state.following.clone(),
                state.closing.subscribe(),
            ));
            tokio::spawn(web::keep_following_province(state.clone()));
        }
        if state.role == Role::Hub {
            // A province hub that joined a national one passes its boxes on.
            tokio::spawn(sync::relay::run(
                state.hub().clone(),
                state.closing.subscribe(),
            ));
            // The province's live lesson, told to the halls that follow this process.
            tokio::spawn(web::keep_province_live_told(state.clone()));
        }
        web::run(state, listener, self.config.limits(), self.tls, shutdown)
            .await
            .map_err(StartupError::Serve)
    }
}

/// Advertises the box as "Học số – <commune>" (`hocso.local`, `_http._tcp`) until it shuts
/// down, and again under its new name whenever a facilitator renames the commune.
async fn advertise_box(state: web::AppState, bound: SocketAddr, interface: Option<String>) {
    let mut closing = state.closing.subscribe();
    let mut advertised: Option<(String, discovery::Advertisement)> = None;
    loop {
        let commune = state
            .store
            .setting("commune_name")
            .await
            .ok()
            .flatten()
            .unwrap_or_default();
        let name = discovery::box_name(&commune);
        if advertised.as_ref().is_none_or(|(old, _)| *old != name) {
            // The old name is withdrawn before the new one is announced.
            advertised = None;
            match discovery::advertise(&name, bound, interface.as_deref()) {
                Ok(a) => advertised = Some((name, a)),
                Err(e) => tracing::warn!(
                    "mDNS advertisement failed, the LAN will not find this box by name: {e}"
                ),
            }
        }
        tokio::select! {
            () = state.renamed.notified() => {}
            _ = closing.wait_for(|closing| *closing) => return,
        }
    }
}

/// Opens and serves a box in one step (what tests and `hocso serve` do).
pub async fn serve(
    config: Config,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), StartupError> {
    Server::open(config).await?.serve(listener, shutdown).await
}
