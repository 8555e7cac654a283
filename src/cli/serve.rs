//! `hocso serve`: run the box, serving the lessons to every phone on the network.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use hocso::{Config, Role};

use super::{DataArgs, Switch, run_server};

#[derive(Args)]
pub struct ServeArgs {
    /// Address and port to listen on. 0.0.0.0 means every network interface.
    #[arg(long, env = "HOCSO_BIND", default_value = "0.0.0.0:8080")]
    bind: SocketAddr,
    #[command(flatten)]
    data: DataArgs,
    /// Advertise the box as hocso.local on the LAN (mDNS).
    #[arg(long, env = "HOCSO_MDNS", value_enum, default_value_t = Switch::On)]
    mdns: Switch,
    /// Advertise only on this network interface, e.g. wlan0 (default: the one the box listens on, or all).
    #[arg(long, env = "HOCSO_MDNS_INTERFACE", value_name = "IF")]
    mdns_interface: Option<String>,
    /// The short name phones type, which the hotspot's DNS answers with the box (see deploy/).
    #[arg(long, env = "HOCSO_HOST_NAME", default_value = hocso::web::DEFAULT_HOST_NAME)]
    host_name: String,
    /// A second folder, e.g. a USB stick, where the box keeps its last 7 copies of its
    /// records (one a minute after start, then every 6 hours).
    #[arg(long, env = "HOCSO_BACKUP_DIR", value_name = "DIR")]
    backup_dir: Option<PathBuf>,
    /// Connections served at once; one more is told the box is busy.
    #[arg(long, env = "HOCSO_MAX_CONNECTIONS", default_value_t = Config::default().max_connections, value_name = "N")]
    max_connections: usize,
}

pub fn run(args: ServeArgs) -> anyhow::Result<ExitCode> {
    run_server(Config {
        role: Role::Box,
        bind: args.bind,
        data_dir: args.data.data_dir,
        mdns: args.mdns == Switch::On,
        mdns_interface: args.mdns_interface,
        host_name: args.host_name,
        machine: None,
        max_connections: args.max_connections,
        backup_dir: args.backup_dir,
        ..Config::default()
    })
}
