//! The command bodies of `hocso`, one file a command (`serve`, `lessons`, `facilitator`,
//! `hub`, `sync`, `backup` and `restore`), and what they share: the data folder's flag, running a server until a
//! signal, opening a store, writing a file whole, a progress bar. `anyhow` lives here and in
//! `main`, not in the library.

pub mod backup;
pub mod facilitator;
pub mod hub;
pub mod lessons;
pub mod serve;
pub mod sync;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, ValueEnum};
use hocso::store::{HubStore, Store};
use hocso::{Config, Role, discovery};

/// The data folder; every command that touches the box's records takes it.
#[derive(Args)]
pub struct DataArgs {
    /// Folder for the box's database and keys; created on first start.
    #[arg(
        long,
        env = "HOCSO_DATA_DIR",
        default_value = "hocso-data",
        value_name = "DIR"
    )]
    pub data_dir: PathBuf,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Switch {
    On,
    Off,
}

/// Runs a box or a hub until Ctrl-C or SIGTERM.
pub fn run_server(config: Config) -> anyhow::Result<ExitCode> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "hocso=info,tower_http=warn".into()),
        )
        .init();
    let role = config.role;
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    runtime.block_on(async move {
        let server = hocso::Server::open(config).await?;
        let config = server.config();
        let backlog = match role {
            Role::Hub => HUB_BACKLOG,
            Role::Box => BOX_BACKLOG,
        };
        let listener = listen(config.bind, backlog).with_context(|| {
            format!(
                "cannot listen on {}; is another program using it? Choose another with --bind",
                config.bind
            )
        })?;
        let bound = listener.local_addr()?;
        match role {
            Role::Box => println!("Học số is serving. Open on a phone / Mở trên điện thoại:"),
            Role::Hub => println!("Học số hub is serving. Officers open / Cán bộ tỉnh mở:"),
        }
        for ip in discovery::local_ipv4(bound) {
            match config.tls {
                Some(_) => println!("  https://{ip}:{}", bound.port()),
                None => println!("  {}", discovery::url(&ip.to_string(), bound.port())),
            }
        }
        if role == Role::Box {
            if config.mdns {
                println!(
                    "  {}",
                    discovery::url(discovery::HOST_NAME.trim_end_matches('.'), bound.port())
                );
            }
            println!(
                "  {} (on the hall's hotspot / trên Wi-Fi của nhà văn hóa)",
                discovery::url(&config.host_name, bound.port())
            );
        }
        println!(
            "Data folder: {}. Stop with Ctrl-C.",
            config.data_dir.display()
        );
        if let Some(code) = server.setup_code() {
            println!(
                "Set-up code / Mã cài đặt: {code}. Open /setup on this address to create the first account."
            );
        }
        server.serve(listener, shutdown_signal()).await?;
        println!("Stopped.");
        Ok(ExitCode::SUCCESS)
    })
}

/// Most connections waiting to be accepted at a hub. The system's usual 128 is too few for a
/// hub whose thousands of boxes reconnect at once (after a restart, a province live lesson's
/// streams): beyond it their connections are dropped and retried a second later. A box keeps
/// the usual 128: a hall's phones never come in thousands, and a flood waits in the kernel.
const HUB_BACKLOG: u32 = 4096;
const BOX_BACKLOG: u32 = 128;

/// Listens on `addr` with a queue of `backlog` waiting connections.
fn listen(addr: std::net::SocketAddr, backlog: u32) -> std::io::Result<tokio::net::TcpListener> {
    let socket = match addr {
        std::net::SocketAddr::V4(_) => tokio::net::TcpSocket::new_v4()?,
        std::net::SocketAddr::V6(_) => tokio::net::TcpSocket::new_v6()?,
    };
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(backlog)
}

/// Resolves on Ctrl-C or SIGTERM (what systemd sends).
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}

/// A hub's records: on PostgreSQL when `database` names one, else in the SQLite of `dir`.
pub async fn open_hub(dir: &Path, database: Option<&str>) -> anyhow::Result<HubStore> {
    if database.is_none() {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    HubStore::open(database, dir)
        .await
        .map_err(|e| match database {
            Some(_) => anyhow::anyhow!("cannot open the hub's PostgreSQL database: {e}"),
            None => e.into(),
        })
}

pub fn open_box(dir: &Path) -> anyhow::Result<Store> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    Ok(Store::open(dir)?)
}

/// Writes `bytes` to `path` whole: to a temporary name first, synced, then renamed, so a
/// stick pulled out too early leaves no half file under the real name.
pub fn write_file(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    use std::io::Write;
    let partial = path.with_extension("partial");
    let mut file = std::fs::File::create(&partial)
        .with_context(|| format!("cannot write {}", partial.display()))?;
    file.write_all(bytes)?;
    file.sync_all()?;
    std::fs::rename(&partial, path)?;
    Ok(())
}

pub fn bar(total: u64, what: &str) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(total);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} ({eta})")
            .expect("a valid template")
            .progress_chars("=> "),
    );
    bar.set_message(what.to_string());
    bar
}
