//! How phones and laptops find the box: the addresses to print, and the mDNS advertisement
//! of `hocso.local` with an `_http._tcp` service. And how boxes find a hub on their LAN: the
//! hub advertises `_hocso-hub._tcp` with its public key, and boxes browse for it.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use mdns_sd::{IfKind, ServiceDaemon, ServiceInfo};

/// The host name the box answers to by mDNS.
pub const HOST_NAME: &str = "hocso.local.";
const HTTP_SERVICE: &str = "_http._tcp.local.";
/// The service a hub advertises; its TXT record `key` holds the hub's public key.
pub const HUB_SERVICE: &str = "_hocso-hub._tcp.local.";
const HUB_HOST_NAME: &str = "hocso-hub.local.";

/// The IPv4 addresses a phone can reach the box on, given the address it listens on: every
/// interface's address (loopback last) when it listens on all of them, else that one.
pub fn local_ipv4(bind: SocketAddr) -> Vec<Ipv4Addr> {
    match bind.ip() {
        IpAddr::V4(ip) if !ip.is_unspecified() => vec![ip],
        IpAddr::V6(ip) if !ip.is_unspecified() => Vec::new(),
        _ => {
            let mut ips: Vec<Ipv4Addr> = if_addrs::get_if_addrs()
                .unwrap_or_default()
                .into_iter()
                .filter_map(|i| match i.ip() {
                    IpAddr::V4(ip) => Some(ip),
                    IpAddr::V6(_) => None,
                })
                .collect();
            ips.sort_by_key(|ip| (ip.is_loopback(), *ip));
            ips.dedup();
            ips
        }
    }
}

/// `http://HOST:PORT`, leaving out `:80`.
pub fn url(host: &str, port: u16) -> String {
    match port {
        80 => format!("http://{host}"),
        _ => format!("http://{host}:{port}"),
    }
}

/// The name a box advertises: "Học số – <commune>", or "Học số" before it has one, cut to the
/// 63 bytes an mDNS instance name may hold.
pub fn box_name(commune: &str) -> String {
    let mut name = match commune.trim() {
        "" => "Học số".to_string(),
        commune => format!("Học số – {commune}"),
    };
    while name.len() > 63 {
        name.pop();
    }
    name.trim_end().to_string()
}

/// A running advertisement (or browse); dropping it withdraws the service (or stops).
pub struct Advertisement {
    daemon: ServiceDaemon,
}

impl Drop for Advertisement {
    fn drop(&mut self) {
        let _ = self.daemon.shutdown();
    }
}

/// Advertises `hocso.local` and an `_http._tcp` service called `name` on port `port`, on the
/// interface named `interface`, or the one that holds the bound address, or every interface
/// when the box listens on all of them.
pub fn advertise(
    name: &str,
    bind: SocketAddr,
    interface: Option<&str>,
) -> Result<Advertisement, mdns_sd::Error> {
    let daemon = daemon_on(bind, interface)?;
    let service = ServiceInfo::new(
        HTTP_SERVICE,
        name,
        HOST_NAME,
        (),
        bind.port(),
        &[("path", "/")][..],
    )?
    .enable_addr_auto();
    daemon.register(service)?;
    Ok(Advertisement { daemon })
}

/// Advertises a hub as `_hocso-hub._tcp` with its public key (and `tls=1` when it serves
/// HTTPS), so boxes on the LAN that pinned that key sync with it at once.
pub fn advertise_hub(
    bind: SocketAddr,
    interface: Option<&str>,
    key: &str,
    tls: bool,
) -> Result<Advertisement, mdns_sd::Error> {
    let daemon = daemon_on(bind, interface)?;
    let tls = if tls { "1" } else { "0" };
    let service = ServiceInfo::new(
        HUB_SERVICE,
        &format!("hub-{}", &key[..12.min(key.len())]),
        HUB_HOST_NAME,
        (),
        bind.port(),
        &[("key", key), ("tls", tls)][..],
    )?
    .enable_addr_auto();
    daemon.register(service)?;
    Ok(Advertisement { daemon })
}

/// A hub seen on the LAN: its address (`https://` when it serves HTTPS) and the key it
/// advertises.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HubSeen {
    pub url: String,
    pub key: String,
}

/// Browses for hubs on the interface the box uses; each hub resolved is sent to `seen`
/// until the receiver is dropped or the returned advertisement-like guard is.
pub fn browse_hubs(
    bind: SocketAddr,
    interface: Option<&str>,
    seen: tokio::sync::mpsc::Sender<HubSeen>,
) -> Result<Advertisement, mdns_sd::Error> {
    let daemon = daemon_on(bind, interface)?;
    let events = daemon.browse(HUB_SERVICE)?;
    std::thread::Builder::new()
        .name("hocso-hub-browse".into())
        .spawn(move || {
            while let Ok(event) = events.recv() {
                let mdns_sd::ServiceEvent::ServiceResolved(hub) = event else {
                    continue;
                };
                let Some(key) = hub.get_property_val_str("key") else {
                    continue;
                };
                let tls = hub.get_property_val_str("tls") == Some("1");
                let mut ips: Vec<Ipv4Addr> = hub.get_addresses_v4().into_iter().collect();
                ips.sort();
                for ip in ips {
                    let plain = url(&ip.to_string(), hub.get_port());
                    let found = HubSeen {
                        url: match tls {
                            true => format!("https://{ip}:{}", hub.get_port()),
                            false => plain,
                        },
                        key: key.to_string(),
                    };
                    if seen.blocking_send(found).is_err() {
                        return;
                    }
                }
            }
        })
        .expect("start the browsing thread");
    Ok(Advertisement { daemon })
}

/// An mDNS daemon on `interface`, or the one holding `bind`'s address, or every one.
fn daemon_on(bind: SocketAddr, interface: Option<&str>) -> Result<ServiceDaemon, mdns_sd::Error> {
    let daemon = ServiceDaemon::new()?;
    let only = match (interface, bind.ip()) {
        (Some(name), _) => Some(IfKind::Name(name.to_string())),
        (None, ip) if !ip.is_unspecified() => Some(IfKind::Addr(ip)),
        _ => None,
    };
    if let Some(kind) = only {
        daemon.disable_interface(IfKind::All)?;
        daemon.enable_interface(kind)?;
    }
    Ok(daemon)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bound_address_is_the_only_one_printed() {
        assert_eq!(
            local_ipv4("192.0.2.7:8080".parse().unwrap()),
            vec![Ipv4Addr::new(192, 0, 2, 7)]
        );
    }

    #[test]
    fn a_box_is_named_after_its_commune_within_63_bytes() {
        assert_eq!(box_name(""), "Học số");
        assert_eq!(box_name(" Xã Ea Sol "), "Học số – Xã Ea Sol");
        let long = box_name(&"Xã Đắk Rơ Wa thuộc thành phố Kon Tum ".repeat(3));
        assert!(
            long.len() <= 63 && long.starts_with("Học số – Xã Đắk"),
            "{long}"
        );
    }

    #[test]
    fn port_80_is_left_out_of_urls() {
        assert_eq!(url("hocso.local", 80), "http://hocso.local");
        assert_eq!(url("10.42.0.1", 8080), "http://10.42.0.1:8080");
    }
}
