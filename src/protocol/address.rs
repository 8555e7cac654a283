//! A hub's address as a person types it and as the link uses it (`HubAddress`: `http://` or
//! `https://`, parsed by the same URL crate reqwest connects with, so the rule below judges
//! the host the link reaches), which hosts plain HTTP may go to without a setting (private
//! addresses: a laptop in the hall, the LAN, this machine), and the SHA-256 `Fingerprint` of
//! a hub's certificate a box may pin. Pure: no lookup, no I/O.

use std::fmt;
use std::net::IpAddr;

use sha2::{Digest, Sha256};

/// Longest address kept, as typed and tidied.
const MAX_LEN: usize = 200;

/// A hub's address, tidied: `http://` or `https://`, a host (a name, an IPv4 address or an
/// IPv6 one in brackets), an optional port and path, no `/` at the end, nothing else.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HubAddress {
    url: url::Url,
    text: String,
}

/// Who a hub's address names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Host {
    Ip(IpAddr),
    /// A name, lower case, as it is looked up.
    Name(String),
}

impl HubAddress {
    /// The address as a person types it: spaces around it and a last `/` dropped, `http://`
    /// put in front when no scheme is typed (`192.168.1.10:8090`). `None` for anything else
    /// (another scheme, spaces inside, a user or password, a query, a port out of range).
    pub fn parse(typed: &str) -> Option<HubAddress> {
        let typed = typed.trim();
        let scheme = typed.split_once("://").map(|(s, _)| s.to_ascii_lowercase());
        let typed = typed.trim_end_matches('/');
        if typed.is_empty()
            || typed.len() > MAX_LEN
            || typed.ends_with(':')
            || typed.chars().any(char::is_whitespace)
        {
            return None;
        }
        let whole = match scheme.as_deref() {
            Some("http" | "https") => typed.to_string(),
            Some(_) => return None,
            None => format!("http://{typed}"),
        };
        let url = url::Url::parse(&whole).ok()?;
        let plain_host = match url.host()? {
            url::Host::Domain(name) => name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-'),
            url::Host::Ipv4(_) | url::Host::Ipv6(_) => true,
        };
        let whole_enough = matches!(url.scheme(), "http" | "https")
            && url.username().is_empty()
            && url.password().is_none()
            && url.query().is_none()
            && url.fragment().is_none()
            && plain_host;
        let text = url.as_str().trim_end_matches('/').to_string();
        (whole_enough && text.len() <= MAX_LEN).then_some(HubAddress { url, text })
    }

    /// The address as stored and joined to a path (`{address}/hub/v1/push`).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn is_https(&self) -> bool {
        self.url.scheme() == "https"
    }

    pub fn host(&self) -> Host {
        match self.url.host() {
            Some(url::Host::Ipv4(ip)) => Host::Ip(ip.into()),
            Some(url::Host::Ipv6(ip)) => Host::Ip(ip.into()),
            Some(url::Host::Domain(name)) => Host::Name(name.to_ascii_lowercase()),
            None => Host::Name(String::new()),
        }
    }

    /// The port the link connects to (the scheme's own when none is typed).
    pub fn port(&self) -> u16 {
        self.url.port_or_known_default().unwrap_or(80)
    }

    /// Whether plain HTTP may go to this host without a setting: `Some(true)` for a private
    /// address or name (`is_private`, `is_private_name`), `Some(false)` for a public address,
    /// `None` for a name that must be looked up first (`all_private` of what it resolves to).
    pub fn private(&self) -> Option<bool> {
        match self.host() {
            Host::Ip(ip) => Some(is_private(ip)),
            Host::Name(name) if is_private_name(&name) => Some(true),
            Host::Name(_) => None,
        }
    }
}

impl fmt::Display for HubAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// An address that never leaves the premises, or the province's own network: RFC 1918
/// (10/8, 172.16/12, 192.168/16), loopback, link-local (169.254/16), CGNAT's shared 100.64/10,
/// and for IPv6 loopback, unique local (fc00::/7), link-local (fe80::/10) and IPv4 addresses
/// mapped into IPv6 by the same rule.
pub fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || (a == 100 && b & 0xc0 == 64)
        }
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => is_private(IpAddr::V4(v4)),
            None => {
                let first = v6.segments()[0];
                v6.is_loopback() || first & 0xfe00 == 0xfc00 || first & 0xffc0 == 0xfe80
            }
        },
    }
}

/// A name that never leaves the LAN: `localhost` (and `….localhost`), or an mDNS `….local`.
pub fn is_private_name(name: &str) -> bool {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    name == "localhost" || name.ends_with(".localhost") || name.ends_with(".local")
}

/// Whether a name that resolved to `addresses` is private: only if it resolved, and only to
/// private addresses.
pub fn all_private(addresses: &[IpAddr]) -> bool {
    !addresses.is_empty() && addresses.iter().all(|ip| is_private(*ip))
}

/// The SHA-256 of a certificate (the DER bytes of a hub's own, not its issuer's), as an
/// officer reads it off `openssl x509 -noout -fingerprint -sha256` and a box pins it.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fingerprint([u8; 32]);

impl Fingerprint {
    pub fn of(certificate: &[u8]) -> Fingerprint {
        Fingerprint(Sha256::digest(certificate).into())
    }

    /// 64 hex digits, upper or lower case, with or without `:` (or spaces) between them;
    /// what openssl prints before them (`sha256 Fingerprint=`) may stay.
    pub fn parse(typed: &str) -> Option<Fingerprint> {
        let typed = typed.trim();
        let digits = match typed.rsplit_once('=') {
            Some((before, after)) if before.trim().to_ascii_lowercase().starts_with("sha256") => {
                after
            }
            Some(_) => return None,
            None => typed,
        };
        let digits = match digits.get(..7) {
            Some(p) if p.eq_ignore_ascii_case("sha256:") => &digits[7..],
            _ => digits,
        };
        let hex: String = digits
            .chars()
            .filter(|c| *c != ':' && !c.is_whitespace())
            .collect();
        let mut bytes = [0u8; 32];
        hex::decode_to_slice(&hex, &mut bytes).ok()?;
        Some(Fingerprint(bytes))
    }

    /// As stored: 64 lower-case hex digits.
    pub fn hex(&self) -> String {
        hex::encode(self.0)
    }
}

/// As openssl prints it: upper-case pairs between colons.
impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, byte) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(":")?;
            }
            write!(f, "{byte:02X}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Fingerprint({})", self.hex())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_private(cases: &[(&str, bool)]) {
        for (ip, private) in cases {
            let parsed: IpAddr = ip.parse().unwrap();
            assert_eq!(is_private(parsed), *private, "{ip}");
        }
    }

    #[test]
    fn private_addresses_are_the_lan_the_hall_and_this_machine() {
        check_private(&[
            ("10.0.0.1", true),
            ("10.255.255.255", true),
            ("172.16.0.1", true),
            ("172.31.255.254", true),
            ("172.15.255.255", false),
            ("172.32.0.1", false),
            ("192.168.1.10", true),
            ("192.169.0.1", false),
            ("127.0.0.1", true),
            ("127.8.9.10", true),
            ("169.254.10.20", true),
            ("100.64.0.1", true),
            ("100.127.255.255", true),
            ("100.63.255.255", false),
            ("100.128.0.0", false),
            ("8.8.8.8", false),
            ("203.0.113.5", false),
            ("0.0.0.0", false),
            ("255.255.255.255", false),
            ("::1", true),
            ("fd00::1", true),
            ("fc12:3456::1", true),
            ("fe80::1", true),
            ("febf::1", true),
            ("fec0::1", false),
            ("::ffff:192.168.1.10", true),
            ("::ffff:8.8.8.8", false),
            ("2001:db8::1", false),
            ("2404:6800::1", false),
            ("::", false),
        ]);
    }

    #[test]
    fn private_names_are_local_and_localhost_only() {
        for (name, private) in [
            ("localhost", true),
            ("LOCALHOST.", true),
            ("hub.localhost", true),
            ("hocso-hub.local", true),
            ("hocso-hub.local.", true),
            ("local", false),
            ("hub.daklak.gov.vn", false),
            ("localhost.example.com", false),
            ("notlocal", false),
        ] {
            assert_eq!(is_private_name(name), private, "{name}");
        }
        let ips =
            |list: &[&str]| -> Vec<IpAddr> { list.iter().map(|a| a.parse().unwrap()).collect() };
        assert!(all_private(&ips(&["192.168.1.10", "fd00::1"])));
        assert!(!all_private(&ips(&["192.168.1.10", "203.0.113.5"])));
        assert!(
            !all_private(&[]),
            "a name that resolves to nothing is not private"
        );
    }

    #[test]
    fn an_address_is_taken_as_people_type_it() {
        for (typed, whole) in [
            ("192.168.1.10:8090", Some("http://192.168.1.10:8090")),
            (
                " http://192.168.1.10:8090/ ",
                Some("http://192.168.1.10:8090"),
            ),
            ("hub.daklak.example", Some("http://hub.daklak.example")),
            (
                "HTTPS://Hub.DakLak.example:443/",
                Some("https://hub.daklak.example"),
            ),
            (
                "https://hub.daklak.example/hocso/",
                Some("https://hub.daklak.example/hocso"),
            ),
            ("http://[fd00::5]:8090", Some("http://[fd00::5]:8090")),
            ("https://10.0.0.5:8443", Some("https://10.0.0.5:8443")),
            ("192.168.1.10 : 8090", None),
            ("ftp://x", None),
            ("http://a b", None),
            ("http://10.0.0.5:99999", None),
            ("https://officer:secret@hub.example", None),
            ("https://hub.example/?x=1", None),
            ("https://hub.example/#top", None),
            ("http://hub_1.example", None),
            ("http://", None),
            ("https:///", None),
            ("http:", None),
            ("", None),
        ] {
            assert_eq!(
                HubAddress::parse(typed).as_ref().map(HubAddress::as_str),
                whole,
                "{typed:?}"
            );
        }
        let long = format!("https://{}.example", "a".repeat(MAX_LEN));
        assert_eq!(HubAddress::parse(&long), None);
    }

    #[test]
    fn an_address_says_whether_it_is_private() {
        for (typed, private) in [
            ("http://192.168.1.10:8090", Some(true)),
            ("http://127.0.0.1:8090", Some(true)),
            ("http://[::1]:8090", Some(true)),
            ("http://hocso-hub.local:8090", Some(true)),
            ("http://localhost:8090", Some(true)),
            ("http://203.0.113.5:8090", Some(false)),
            ("http://[2001:db8::1]:8090", Some(false)),
            ("http://hub.daklak.gov.vn", None),
            // Written as the WHATWG URL standard reads it, as reqwest does: 127.0.0.1.
            ("http://0x7f.1:8090", Some(true)),
        ] {
            assert_eq!(
                HubAddress::parse(typed).unwrap().private(),
                private,
                "{typed}"
            );
        }
        let a = HubAddress::parse("https://hub.daklak.gov.vn").unwrap();
        assert!(a.is_https());
        assert_eq!(
            (a.host(), a.port()),
            (Host::Name("hub.daklak.gov.vn".into()), 443)
        );
    }

    #[test]
    fn a_fingerprint_is_read_as_openssl_prints_it_or_plain() {
        let fp = Fingerprint::of(b"a certificate");
        let colons = fp.to_string();
        assert_eq!(colons.len(), 95);
        for typed in [
            colons.clone(),
            colons.to_lowercase(),
            fp.hex(),
            fp.hex().to_uppercase(),
            format!("  sha256 Fingerprint={colons}\n"),
            format!("SHA256 Fingerprint={colons}"),
            format!("sha256:{}", fp.hex()),
            colons.replace(':', " "),
        ] {
            assert_eq!(Fingerprint::parse(&typed), Some(fp), "{typed:?}");
        }
        for bad in [
            "",
            "abc",
            &fp.hex()[..62],
            &format!("{}00", fp.hex()),
            &fp.hex().replace('a', "g"),
            &format!("md5 Fingerprint={colons}"),
        ] {
            assert_eq!(Fingerprint::parse(bad), None, "{bad:?}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

        /// Anything typed is taken whole or refused, never a panic; what is taken reads back
        /// as itself, and the link reaches the host it names.
        #[test]
        fn any_typed_address_is_refused_or_reads_back(typed in "\\PC{0,80}") {
            if let Some(address) = HubAddress::parse(&typed) {
                proptest::prop_assert_eq!(HubAddress::parse(address.as_str()), Some(address.clone()));
                let reparsed = url::Url::parse(&format!("{address}/hub/v1/push")).unwrap();
                proptest::prop_assert_eq!(
                    reparsed.host_str().map(str::to_string),
                    address.url.host_str().map(str::to_string)
                );
            }
        }

        /// Addresses shaped as people type them (a scheme or none, a name or an address, a
        /// port, a path, spaces around) are taken, name the host typed, and read back.
        #[test]
        fn typed_addresses_are_taken_and_read_back(
            scheme in proptest::option::of(proptest::sample::select(vec!["http://", "https://", "HTTPS://"])),
            name in "([a-z][a-z0-9-]{0,10}\\.){0,3}[a-z][a-z0-9]{0,9}",
            v4 in proptest::array::uniform4(proptest::prelude::any::<u8>()),
            v6 in proptest::prelude::any::<u16>(),
            which in 0..3u8,
            port in proptest::option::of(1u16..),
            path in "(/[a-z0-9]{1,8}){0,2}/?",
        ) {
            let (host, expected) = match which {
                0 => (name.clone(), Host::Name(name.clone())),
                1 => {
                    let ip = std::net::Ipv4Addr::from(v4);
                    (ip.to_string(), Host::Ip(ip.into()))
                }
                _ => {
                    let ip = std::net::Ipv6Addr::new(0xfd00, 0, 0, 0, 0, 0, 0, v6);
                    (format!("[{ip}]"), Host::Ip(ip.into()))
                }
            };
            let port_text = port.map(|p| format!(":{p}")).unwrap_or_default();
            let typed = format!(" {}{host}{port_text}{path} ", scheme.unwrap_or(""));
            let address = HubAddress::parse(&typed);
            proptest::prop_assert!(address.is_some(), "refused {:?}", typed);
            let address = address.unwrap();
            proptest::prop_assert_eq!(address.host(), expected);
            proptest::prop_assert!(!address.as_str().ends_with('/'));
            proptest::prop_assert_eq!(HubAddress::parse(address.as_str()), Some(address.clone()));
            proptest::prop_assert_eq!(address.is_https(), scheme.is_some_and(|s| s.eq_ignore_ascii_case("https://")));
        }

        /// Any bytes as a fingerprint: refused or taken, never a panic; a fingerprint reads
        /// back from every way it is written.
        #[test]
        fn any_typed_fingerprint_is_refused_or_reads_back(
            typed in "\\PC{0,120}",
            bytes in proptest::array::uniform32(proptest::prelude::any::<u8>()),
        ) {
            if let Some(fp) = Fingerprint::parse(&typed) {
                proptest::prop_assert_eq!(Fingerprint::parse(&fp.to_string()), Some(fp));
            }
            let fp = Fingerprint(bytes);
            proptest::prop_assert_eq!(Fingerprint::parse(&fp.to_string()), Some(fp));
            proptest::prop_assert_eq!(Fingerprint::parse(&fp.hex()), Some(fp));
            proptest::prop_assert_eq!(Fingerprint::parse(&format!("sha256 Fingerprint={fp}")), Some(fp));
        }
    }
}
