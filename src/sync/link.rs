//! The one place an HTTP client for a hub is built (`Link::open`), for every request a box or a
//! province hub makes of a hub: enrolment, sync, packs, proposals, the live lesson's stream and
//! reports, and the relay to a national hub. `https://` is checked against the web's root
//! certificates built into the binary (a box may have no CA store), or, where the hub's
//! certificate was pinned, against its SHA-256 fingerprint alone (a province's own CA, a
//! self-signed hub). Plain `http://` goes only to a private address or name
//! (`protocol::address`), to a name that resolves only to such addresses (the link then
//! connects to exactly those), or anywhere a setting allows it. The ed25519 signatures stay on
//! top of whatever the link is. TLS is rustls on `ring`, which cross-compiles for the board.

use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, SignatureScheme};

use super::client::SyncError;
use crate::protocol::address::{self, Fingerprint, Host, HubAddress};

const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

/// What is kept of a hub to reach it: its address, the fingerprint of its certificate when
/// one was pinned (hex), and whether plain HTTP may go to it on a public address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hub {
    pub url: String,
    pub pin: Option<String>,
    pub plain_http: bool,
}

impl Hub {
    /// Whether the address alone says plain HTTP is refused: `http://` to a public IP address
    /// without the setting. (A name is judged by what it resolves to, when a link is opened.)
    pub fn plainly_refused(&self) -> bool {
        !self.plain_http
            && HubAddress::parse(&self.url)
                .is_some_and(|a| !a.is_https() && a.private() == Some(false))
    }
}

/// What the link carries: requests, each answered within `REQUEST_TIMEOUT`, or a long-lived
/// stream (the live lesson's), with no time limit but its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Use {
    Requests,
    Stream,
}

/// A client for one hub, and the address its paths join.
#[derive(Clone, Debug)]
pub struct Link {
    base: String,
    client: reqwest::Client,
}

impl Link {
    /// The link to `hub`, or why there is none: an address that is not one, a pin that is not
    /// a fingerprint, plain HTTP to a public address the settings do not allow, or a name
    /// that cannot be looked up (to judge whether it is private).
    pub async fn open(hub: &Hub, purpose: Use) -> Result<Link, SyncError> {
        let address =
            HubAddress::parse(&hub.url).ok_or_else(|| SyncError::NotAnAddress(hub.url.clone()))?;
        let pin = match &hub.pin {
            Some(pin) => {
                Some(Fingerprint::parse(pin).ok_or_else(|| SyncError::NotAnAddress(pin.clone()))?)
            }
            None => None,
        };
        let mut builder = reqwest::Client::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            // A hub's API never redirects: one that does must not lead the box elsewhere.
            .redirect(reqwest::redirect::Policy::none())
            .tls_backend_preconfigured(tls(pin));
        if purpose == Use::Requests {
            builder = builder.timeout(REQUEST_TIMEOUT);
        }
        if !address.is_https() && !hub.plain_http {
            let refused = || SyncError::PlainHttp {
                url: address.to_string(),
            };
            match (address.private(), address.host()) {
                (Some(true), _) => {}
                (Some(false), _) => return Err(refused()),
                (None, Host::Name(name)) => {
                    let found = look_up(&address, &name).await?;
                    let ips: Vec<IpAddr> = found.iter().map(SocketAddr::ip).collect();
                    if !address::all_private(&ips) {
                        return Err(refused());
                    }
                    // The connection goes to the addresses judged, not to a second answer.
                    builder = builder.resolve_to_addrs(&name, &found);
                }
                (None, Host::Ip(_)) => unreachable!("an address is judged without a look-up"),
            }
        }
        let client = builder.build().map_err(|e| SyncError::Unreachable {
            url: address.to_string(),
            detail: format!("cannot build the HTTP client: {e}"),
        })?;
        Ok(Link {
            base: address.as_str().to_string(),
            client,
        })
    }

    /// The hub's address, as its paths join it.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// `path` (`/hub/v1/push`) at the hub.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn client(&self) -> &reqwest::Client {
        &self.client
    }
}

/// Every address `name` resolves to, at the address's port.
async fn look_up(address: &HubAddress, name: &str) -> Result<Vec<SocketAddr>, SyncError> {
    let unreachable = |detail: String| SyncError::Unreachable {
        url: address.to_string(),
        detail,
    };
    let found = tokio::time::timeout(
        CONNECT_TIMEOUT,
        tokio::net::lookup_host((name, address.port())),
    )
    .await
    .map_err(|_| unreachable(format!("looking up {name} took too long")))?
    .map_err(|e| unreachable(format!("cannot look up {name}: {e}")))?;
    Ok(found.collect())
}

/// Why a request to the hub at `url` failed, in the words `SyncError` has: a certificate
/// refused (not the pinned one, or not one the web's roots vouch for), or a link that fails.
pub(super) fn failure(url: &str, e: &reqwest::Error) -> SyncError {
    match certificate_refused(e) {
        Some(rustls::Error::InvalidCertificate(
            CertificateError::ApplicationVerificationFailure,
        )) => SyncError::Certificate {
            url: url.to_string(),
            pinned: true,
            detail: "the certificate is not the one whose fingerprint was pinned".into(),
        },
        Some(refused) => SyncError::Certificate {
            url: url.to_string(),
            pinned: false,
            detail: refused.to_string(),
        },
        None => SyncError::Unreachable {
            url: url.to_string(),
            detail: chain(e),
        },
    }
}

/// The TLS error behind a failed request, if a certificate was refused. (An `io::Error`'s
/// `source` skips the error it carries, so that one is looked at too.)
fn certificate_refused(e: &reqwest::Error) -> Option<rustls::Error> {
    let mut next: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(error) = next {
        if let Some(tls) = error.downcast_ref::<rustls::Error>() {
            return matches!(tls, rustls::Error::InvalidCertificate(_)).then(|| tls.clone());
        }
        next = match error
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
        {
            Some(inner) => Some(inner as &(dyn std::error::Error + 'static)),
            None => error.source(),
        };
    }
    None
}

/// An error and its causes on one line (reqwest's own says only "error sending request").
fn chain(e: &reqwest::Error) -> String {
    let mut text = e.to_string();
    let mut next = std::error::Error::source(e);
    while let Some(cause) = next {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        next = cause.source();
    }
    text
}

/// The cryptography of every TLS connection of the binary, as client and as a hub serving
/// HTTPS: `ring`. (rustls marks ring's provider deprecated for want of post-quantum key
/// exchange; ring is the provider that cross-compiles for the board with the Debian
/// cross-compiler, and a hub's records stay sealed by ed25519 signatures on top.)
pub fn provider() -> Arc<CryptoProvider> {
    static PROVIDER: OnceLock<Arc<CryptoProvider>> = OnceLock::new();
    #[allow(deprecated)]
    let ring = rustls::crypto::ring::default_provider;
    PROVIDER.get_or_init(|| Arc::new(ring())).clone()
}

/// The web's root certificates, built into the binary.
fn roots() -> Arc<rustls::RootCertStore> {
    static ROOTS: OnceLock<Arc<rustls::RootCertStore>> = OnceLock::new();
    ROOTS
        .get_or_init(|| {
            Arc::new(rustls::RootCertStore {
                roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
            })
        })
        .clone()
}

/// The TLS a link speaks: HTTP/1.1 over TLS 1.2 or 1.3, the certificate checked against the
/// built-in roots and the host's name, or against `pin` alone.
fn tls(pin: Option<Fingerprint>) -> rustls::ClientConfig {
    let builder = rustls::ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .expect("ring speaks TLS 1.2 and 1.3");
    let mut config = match pin {
        Some(pin) => builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(Pinned {
                pin,
                provider: provider(),
            }))
            .with_no_client_auth(),
        None => builder
            .with_root_certificates(roots())
            .with_no_client_auth(),
    };
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    config
}

/// A hub's certificate checked against the fingerprint pinned at enrolment, as SSH checks a
/// host key: its issuer, names and dates are the hub's own affair (a self-signed certificate,
/// a province's CA); the handshake's signatures are still checked, so only the holder of the
/// certificate's key passes.
#[derive(Debug)]
struct Pinned {
    pin: Fingerprint,
    provider: Arc<CryptoProvider>,
}

impl ServerCertVerifier for Pinned {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        match Fingerprint::of(end_entity) == self.pin {
            true => Ok(ServerCertVerified::assertion()),
            false => Err(rustls::Error::InvalidCertificate(
                CertificateError::ApplicationVerificationFailure,
            )),
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hub(url: &str, plain_http: bool) -> Hub {
        Hub {
            url: url.into(),
            pin: None,
            plain_http,
        }
    }

    /// A name that is not private by itself is looked up, and judged by what it resolves
    /// to: a name `/etc/hosts` gives only a loopback address (looked up there, not by DNS).
    #[tokio::test]
    async fn a_name_that_resolves_only_to_private_addresses_is_private() {
        let hosts = std::fs::read_to_string("/etc/hosts").unwrap_or_default();
        let entries: Vec<(IpAddr, &str)> = hosts
            .lines()
            .map(|l| l.split('#').next().unwrap_or(""))
            .filter_map(|l| {
                let mut words = l.split_whitespace();
                let ip = words.next()?.parse().ok()?;
                Some(words.map(move |name| (ip, name)))
            })
            .flatten()
            .collect();
        let local = entries.iter().map(|(_, n)| *n).find(|name| {
            HubAddress::parse(&format!("http://{name}")).is_some_and(|a| a.private().is_none())
                && entries
                    .iter()
                    .filter(|(_, n)| n == name)
                    .all(|(ip, _)| ip.is_loopback())
        });
        let Some(name) = local else {
            eprintln!("/etc/hosts names no host of loopback addresses only: nothing to look up");
            return;
        };
        let url = format!("http://{name}:8090");
        let link = Link::open(&hub(&url, false), Use::Requests).await;
        assert_eq!(link.map(|l| l.base).ok(), Some(url));
    }

    /// Building a link sends nothing: these addresses are judged, never reached.
    #[tokio::test]
    async fn plain_http_goes_only_to_private_addresses_unless_allowed() {
        for url in [
            "http://127.0.0.1:8090",
            "http://192.168.1.10:8090",
            "http://10.1.2.3",
            "http://100.72.0.9:8090",
            "http://[fd00::5]:8090",
            "http://[fe80::1]:8090",
            "http://hocso-hub.local:8090",
            "http://localhost:8090",
        ] {
            assert!(
                Link::open(&hub(url, false), Use::Requests).await.is_ok(),
                "{url}"
            );
        }
        for url in [
            "http://203.0.113.5:8090",
            "http://[2001:db8::1]:8090",
            "http://8.8.8.8",
        ] {
            assert!(
                matches!(
                    Link::open(&hub(url, false), Use::Requests).await,
                    Err(SyncError::PlainHttp { .. })
                ),
                "{url}"
            );
            let allowed = Link::open(&hub(url, true), Use::Stream).await;
            assert_eq!(allowed.map(|l| l.base).ok().as_deref(), Some(url));
        }
        // HTTPS goes anywhere: the certificate is what is checked.
        assert!(
            Link::open(&hub("https://203.0.113.5:8443", false), Use::Requests)
                .await
                .is_ok()
        );
        let pinned = Hub {
            pin: Some(Fingerprint::of(b"x").to_string()),
            ..hub("https://203.0.113.5", false)
        };
        assert!(Link::open(&pinned, Use::Requests).await.is_ok());
        let bad_pin = Hub {
            pin: Some("not hex".into()),
            ..hub("https://203.0.113.5", false)
        };
        assert!(matches!(
            Link::open(&bad_pin, Use::Requests).await,
            Err(SyncError::NotAnAddress(_))
        ));
        assert!(matches!(
            Link::open(&hub("ftp://hub", false), Use::Requests).await,
            Err(SyncError::NotAnAddress(_))
        ));
    }
}
