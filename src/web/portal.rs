//! The hall's Wi-Fi as phones see it: a captive portal. Phones probe a plain-HTTP address of
//! their maker's on joining a network; the hotspot's DNS sends every name to the box, so the
//! probe lands here. A phone that has not come in yet is redirected to `/welcome`, which its
//! sign-in window shows; once it has opened a page (keyed by its address, forgotten after
//! `INACTIVE` without a request, as phones are shared), its probes get the exact answer its
//! platform expects, so it closes the window and stays on the Wi-Fi. Any other host name is
//! sent to the box's home page. The same record of addresses counts the phones active now.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Mutex, OnceLock, PoisonError};
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

use super::{AppState, Role};

/// A phone that makes no request for this long must come in again (and is no longer counted).
pub const INACTIVE: Duration = Duration::from_secs(30 * 60);
/// "Active now" on the dashboard: a request within this long.
pub const ACTIVE: Duration = Duration::from_secs(5 * 60);
/// Addresses remembered before the stale ones are swept out; a hall holds a few hundred.
const SWEEP_AT: usize = 4096;
/// Addresses remembered at most, whatever happens.
const MAX_PHONES: usize = 65_536;

/// What a probe answers once the phone has come in: the exact body each platform checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Probe {
    /// Android and ChromeOS: an empty 204.
    NoContent,
    /// A 200 with this exact body and type.
    Text(&'static str, &'static str),
}

const APPLE_SUCCESS: &str = "<HTML><HEAD><TITLE>Success</TITLE></HEAD><BODY>Success</BODY></HTML>";
const FIREFOX_CANONICAL: &str = "<meta http-equiv=\"refresh\" content=\"0;url=https://support.mozilla.org/kb/captive-portal\"/>";
const HTML: &str = "text/html";
const TEXT: &str = "text/plain";

/// The probe at `path`, whatever the host (phone makers use hosts of their own).
fn probe(path: &str) -> Option<Probe> {
    Some(match path {
        "/generate_204" | "/gen_204" => Probe::NoContent,
        "/hotspot-detect.html" | "/library/test/success.html" => Probe::Text(APPLE_SUCCESS, HTML),
        "/connecttest.txt" => Probe::Text("Microsoft Connect Test", TEXT),
        "/ncsi.txt" => Probe::Text("Microsoft NCSI", TEXT),
        "/success.txt" => Probe::Text("success\n", TEXT),
        "/canonical.html" => Probe::Text(FIREFOX_CANONICAL, HTML),
        "/check_network_status.txt" => Probe::Text("NetworkManager is online\n", TEXT),
        _ => return None,
    })
}

/// The portal's memory: where phones are sent, and when each address last asked for something.
pub struct Portal {
    host_name: String,
    /// `http://hocso.lan[:port]`, settled when the box knows its port.
    home: OnceLock<String>,
    phones: Mutex<HashMap<IpAddr, Seen>>,
}

#[derive(Clone, Copy)]
struct Seen {
    last: Instant,
    came_in: bool,
}

impl Portal {
    pub fn new(host_name: &str) -> Portal {
        Portal {
            host_name: host_name.to_ascii_lowercase(),
            home: OnceLock::new(),
            phones: Mutex::new(HashMap::new()),
        }
    }

    /// Settles the box's port: its short address becomes `http://NAME[:port]`.
    pub fn set_port(&self, port: u16) {
        let _ = self.home.set(crate::discovery::url(&self.host_name, port));
    }

    /// The address phones type: `http://hocso.lan`, with the port unless it is 80.
    pub fn home(&self) -> &str {
        self.home.get().map_or("http://hocso.lan", String::as_str)
    }

    /// The short address without `http://`, for large type.
    pub fn short(&self) -> &str {
        self.home().trim_start_matches("http://")
    }

    /// Notes a request from `ip`; `page` when it asked for a page (the phone has come in).
    /// Answers whether the phone had come in before this request.
    fn saw(&self, ip: IpAddr, page: bool, now: Instant) -> bool {
        let mut phones = self.phones.lock().unwrap_or_else(PoisonError::into_inner);
        if phones.len() >= SWEEP_AT && !phones.contains_key(&ip) {
            phones.retain(|_, seen| now.duration_since(seen.last) < INACTIVE);
        }
        let before = phones
            .get(&ip)
            .is_some_and(|seen| seen.came_in && now.duration_since(seen.last) < INACTIVE);
        if phones.len() < MAX_PHONES || phones.contains_key(&ip) {
            phones.insert(
                ip,
                Seen {
                    last: now,
                    came_in: before || page,
                },
            );
        }
        before
    }

    /// How many addresses made a request within `ACTIVE`.
    pub fn active(&self) -> usize {
        let now = Instant::now();
        let phones = self.phones.lock().unwrap_or_else(PoisonError::into_inner);
        phones
            .values()
            .filter(|seen| now.duration_since(seen.last) < ACTIVE)
            .count()
    }

    /// Whether `host` (a `Host` header, with or without a port) names this box: its short
    /// name, an mDNS name, `localhost`, a name of one label, or an address of a private,
    /// loopback or link-local network. Anything else is a site the hotspot's DNS sent here.
    fn is_ours(&self, host: &str) -> bool {
        let name = match host.strip_prefix('[') {
            Some(v6) => v6.split(']').next().unwrap_or(""),
            None => host.rsplit_once(':').map_or(host, |(name, port)| {
                if port.bytes().all(|b| b.is_ascii_digit()) {
                    name
                } else {
                    host
                }
            }),
        };
        let name = name.trim_end_matches('.').to_ascii_lowercase();
        if let Ok(ip) = name.parse::<IpAddr>() {
            return match ip {
                IpAddr::V4(ip) => {
                    ip.is_private() || ip.is_loopback() || ip.is_link_local() || ip.is_unspecified()
                }
                IpAddr::V6(ip) => {
                    ip.is_loopback()
                        || ip.is_unspecified()
                        || ip.is_unique_local()
                        || ip.is_unicast_link_local()
                }
            };
        }
        name == self.host_name
            || name == "localhost"
            || name.ends_with(".local")
            || !name.contains('.')
    }
}

/// Whether a request for `path` is a phone coming in: a page, not a probe, the welcome page,
/// an asset or the API a page's script calls.
fn is_page(path: &str) -> bool {
    !(path == "/welcome"
        || path == "/favicon.ico"
        || path.starts_with("/assets/")
        || path.starts_with("/api/")
        || probe(path).is_some())
}

/// Around every request to a box: answers probes, sends other sites' names home, and notes
/// the phone. A hub is not a hotspot and passes everything on.
pub(super) async fn portal(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    if state.role == Role::Hub {
        return next.run(request).await;
    }
    let portal = &state.portal;
    let path = request.uri().path();
    let ours = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .is_none_or(|host| portal.is_ours(host));
    let ip = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip());
    // A page on another site's name is sent home: that is not coming in yet.
    let page = ours && is_page(path);
    let came_in = ip.is_some_and(|ip| portal.saw(ip, page, Instant::now()));
    if let Some(probe) = probe(path) {
        return match (came_in, probe) {
            (false, _) => found(&format!("{}/welcome", portal.home())),
            (true, Probe::NoContent) => StatusCode::NO_CONTENT.into_response(),
            (true, Probe::Text(body, kind)) => (
                [(header::CONTENT_TYPE, HeaderValue::from_static(kind))],
                body,
            )
                .into_response(),
        };
    }
    if ours {
        return next.run(request).await;
    }
    let home = format!("{}/", portal.home());
    match *request.method() {
        Method::GET | Method::HEAD => found(&home),
        _ => Redirect::to(&home).into_response(),
    }
}

/// A 302 to `to`, which every probe client follows into its sign-in window.
fn found(to: &str) -> Response {
    match HeaderValue::from_str(to) {
        Ok(location) => (StatusCode::FOUND, [(header::LOCATION, location)]).into_response(),
        Err(_) => StatusCode::NO_CONTENT.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_phone_comes_in_by_opening_a_page_and_is_forgotten_when_idle() {
        let portal = Portal::new("hocso.lan");
        let phone: IpAddr = "192.168.4.20".parse().unwrap();
        let t = Instant::now();
        assert!(!portal.saw(phone, false, t), "a probe does not come in");
        assert!(!portal.saw(phone, false, t), "nor does a second probe");
        assert!(
            !portal.saw(phone, true, t),
            "the page itself is served before"
        );
        assert!(portal.saw(phone, false, t + Duration::from_secs(60)));
        let later = t + Duration::from_secs(60) + INACTIVE;
        assert!(!portal.saw(phone, false, later), "idle too long: in again");
        let other: IpAddr = "192.168.4.21".parse().unwrap();
        assert!(!portal.saw(other, false, later));
    }

    #[test]
    fn the_box_knows_its_own_names_and_sends_the_rest_home() {
        let portal = Portal::new("Hocso.lan");
        for ours in [
            "hocso.lan",
            "HOCSO.LAN:8080",
            "hocso.local",
            "hocso.lan.",
            "localhost:3000",
            "hocso",
            "192.168.4.1",
            "10.0.0.2:80",
            "127.0.0.1:9",
            "[::1]:8080",
            "169.254.1.1",
        ] {
            assert!(portal.is_ours(ours), "{ours}");
        }
        for foreign in [
            "connectivitycheck.gstatic.com",
            "www.google.com:80",
            "8.8.8.8",
            "[2001:db8::1]",
            "example.com:abc",
        ] {
            assert!(!portal.is_ours(foreign), "{foreign}");
        }
    }

    #[test]
    fn the_short_address_leaves_out_port_80() {
        let portal = Portal::new("hocso.lan");
        portal.set_port(80);
        assert_eq!(portal.home(), "http://hocso.lan");
        let portal = Portal::new("hocso.lan");
        portal.set_port(8080);
        assert_eq!(portal.short(), "hocso.lan:8080");
    }

    #[test]
    fn only_pages_bring_a_phone_in() {
        for page in ["/", "/join", "/m/a/b", "/generate_2040"] {
            assert!(is_page(page), "{page}");
        }
        for not in [
            "/welcome",
            "/generate_204",
            "/assets/style.css",
            "/api/v1/health",
        ] {
            assert!(!is_page(not), "{not}");
        }
    }
}
