//! `Config`: everything a box is told at start. `Default` is the box that needs no config.
//! A leaf: it uses no other module of the crate.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// Which server this is: a commune's box (`hocso serve`), or the province's hub (`hocso hub`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Box,
    Hub,
}

/// The short name phones type when the hotspot's DNS answers every name with the box.
pub const DEFAULT_HOST_NAME: &str = "hocso.lan";

/// How much of the box the phones may hold (`Config`'s figures).
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Connections served at once.
    pub connections: usize,
    /// The time a connection has to send a request's head, idle or not.
    pub header_timeout: Duration,
}

#[derive(Clone, Debug)]
pub struct Config {
    pub role: Role,
    /// Where the box listens: every interface on port 8080 unless told otherwise.
    pub bind: SocketAddr,
    /// Where the box keeps its database and keys; created on first start.
    pub data_dir: PathBuf,
    /// Advertise the box on the LAN by mDNS as `hocso.local`.
    pub mdns: bool,
    /// Advertise only on this network interface (e.g. `wlan0`, or `lo` in tests).
    pub mdns_interface: Option<String>,
    /// The short name phones type (`hocso.lan`): the hotspot's DNS answers it, and every
    /// other name, with the box. The welcome page shows it and other hosts are sent to it.
    pub host_name: String,
    /// The machine's fingerprint, when not read from the system (`protocol::machine`); tests use
    /// it to play a copied SD card in another board.
    pub machine: Option<String>,
    /// Connections served at once (a phone's browser opens a few); one more is told the box
    /// is busy. Cut to what the system's open-files limit allows.
    pub max_connections: usize,
    /// The time a connection has to send a request's head, whether it is slow (a slowloris
    /// client) or idle between requests; it is closed then.
    pub header_timeout: Duration,
    /// A second folder (a USB stick) where a box keeps rotating copies of its records.
    pub backup_dir: Option<PathBuf>,
    /// A hub's PostgreSQL (`postgres://…`); `None` keeps its records in SQLite in `data_dir`.
    pub database: Option<String>,
    /// A hub's certificate and key, to serve HTTPS itself; `None` serves plain HTTP (on a
    /// LAN, or behind a proxy that speaks TLS).
    pub tls: Option<TlsFiles>,
}

/// A certificate chain (the server's own first) and its private key, each a PEM file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TlsFiles {
    pub cert: PathBuf,
    pub key: PathBuf,
}

impl Config {
    /// What the phones may hold of the box.
    pub fn limits(&self) -> Limits {
        Limits {
            connections: self.max_connections,
            header_timeout: self.header_timeout,
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            role: Role::Box,
            bind: SocketAddr::from(([0, 0, 0, 0], 8080)),
            data_dir: PathBuf::from("hocso-data"),
            mdns: true,
            mdns_interface: None,
            host_name: DEFAULT_HOST_NAME.to_string(),
            machine: None,
            max_connections: 4096,
            header_timeout: Duration::from_secs(15),
            backup_dir: None,
            database: None,
            tls: None,
        }
    }
}
