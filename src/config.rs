//! `Config`: everything a box is told at start. `Default` is the box that needs no config.

use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Clone, Debug)]
pub struct Config {
    /// Where the box listens: every interface on port 8080 unless told otherwise.
    pub bind: SocketAddr,
    /// Where the box keeps its database and keys; created on first start.
    pub data_dir: PathBuf,
    /// Advertise the box on the LAN by mDNS as `hocso.local`.
    pub mdns: bool,
    /// Advertise only on this network interface (e.g. `wlan0`, or `lo` in tests).
    pub mdns_interface: Option<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            bind: SocketAddr::from(([0, 0, 0, 0], 8080)),
            data_dir: PathBuf::from("hocso-data"),
            mdns: true,
            mdns_interface: None,
        }
    }
}
