//! Hocso: one binary that turns a small box in a commune hall into a digital-skills school.
//!
//! Code map, in the direction dependencies point:
//! - `web`: axum router, pages (maud), JSON API, embedded assets, error pages. Only `web`
//!   knows HTTP.
//! - `learn`: learners, secrets, sessions, grading, progress. No HTTP, no SQL text.
//! - `facilitate`: facilitators' accounts, the box's settings, live lessons' rules, QR codes,
//!   reports' arithmetic. No HTTP, no SQL text.
//! - `store`: SQLite: migrations, the one writer (group commit), readers, queries per noun.
//! - `discovery`: the addresses a phone can type, and the mDNS advertisement.
//! - `content`: the lesson tree, front matter, Markdown → HTML, `Catalogue`, `check`. Uses
//!   nothing else in the crate.
//! - `config`: the plain `Config` struct.
//! - `clock`: the box's time (the system's plus a facilitator's correction) and its build time.
//!
//! `serve` runs a box from a bound listener until a shutdown future resolves; `main` binds the
//! real address, tests bind `127.0.0.1:0`.

#![forbid(unsafe_code)]

pub mod clock;
pub mod config;
pub mod content;
pub mod discovery;
pub mod facilitate;
pub mod learn;
pub mod store;
pub mod web;

use std::future::Future;

pub use config::Config;
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
}

/// A box ready to serve: its data folder exists and its lessons are loaded.
pub struct Server {
    config: Config,
    state: web::AppState,
}

impl Server {
    /// Prepares the box: creates the data folder, opens its database (migrating it, and giving
    /// the box its id on first start) and loads the embedded lessons.
    pub fn open(config: Config) -> Result<Server, StartupError> {
        std::fs::create_dir_all(&config.data_dir).map_err(|source| StartupError::DataDir {
            path: config.data_dir.display().to_string(),
            source,
        })?;
        let store = store::Store::open(&config.data_dir)?;
        Ok(Server {
            config,
            state: web::AppState::new(store),
        })
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The one-time set-up code, while the box has no facilitator.
    pub fn setup_code(&self) -> Option<&str> {
        self.state.store.setup_code()
    }

    /// Serves on `listener` until `shutdown` resolves, then finishes the requests in flight.
    pub async fn serve(
        self,
        listener: TcpListener,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<(), StartupError> {
        let bound = listener.local_addr().map_err(StartupError::Serve)?;
        // The advertisement lives as long as the server; a LAN without multicast still serves.
        let _advertisement = match self.config.mdns {
            true => discovery::advertise("Học số", bound, self.config.mdns_interface.as_deref())
                .inspect_err(|e| {
                    tracing::warn!("mDNS advertisement failed, hocso.local will not resolve: {e}")
                })
                .ok(),
            false => None,
        };
        web::run(self.state, listener, shutdown)
            .await
            .map_err(StartupError::Serve)
    }
}

/// Opens and serves a box in one step (what tests and `hocso serve` do).
pub async fn serve(
    config: Config,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), StartupError> {
    Server::open(config)?.serve(listener, shutdown).await
}
