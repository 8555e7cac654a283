//! The box's own accept loop: what a phone may hold of it. Every connection must send a
//! request's head within `header_timeout` (a slowloris client sending a byte now and then,
//! and a connection left idle between requests, are closed then), at most `connections` are
//! served at once, and one more is told in a line of Vietnamese that the box is busy, not
//! left waiting. Requests themselves are bounded by the router's layers: their body's size
//! (`limit_body`) and their time (`time_limit`), both larger where uploads come. A hub may
//! serve HTTPS in the same loop (`tls`: its certificate and key from PEM files, rustls on
//! `ring`), each handshake bounded by `header_timeout` too.

use crate::config::{Limits, TlsFiles};
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, watch};
use tower::ServiceExt;

/// Files the box keeps open besides its connections: the database and its journal, the
/// four readers, mDNS sockets, logs, with room to spare.
const OTHER_FILES: u64 = 128;

/// What a connection beyond the limit reads before it is closed.
pub const BUSY: &str = "Máy đang bận: quá nhiều kết nối. Hãy thử lại sau ít giây.\n\
    The box is busy: too many connections. Try again in a few seconds.\n";

/// Busy answers being sent at once; beyond them a connection is simply closed.
const BUSY_AT_ONCE: usize = 64;

impl Limits {
    /// The limits as the process can keep them: the open-files limit is raised as far as the
    /// system allows, and the connections are cut to fit under it.
    pub fn fitted(self) -> Limits {
        // At least one connection: a box that takes none would only ever say it is busy.
        let limits = Limits {
            connections: self.connections.max(1),
            ..self
        };
        let wanted = limits.connections as u64 + OTHER_FILES;
        let files = match rlimit::increase_nofile_limit(wanted) {
            Ok(files) => files,
            Err(e) => {
                tracing::warn!("cannot read the open-files limit: {e}");
                return limits;
            }
        };
        let connections = files.saturating_sub(OTHER_FILES).max(1) as usize;
        if connections < limits.connections {
            tracing::warn!(
                files,
                connections,
                "the system lets this process open only {files} files: \
                 at most {connections} connections at once"
            );
            return Limits {
                connections,
                ..limits
            };
        }
        limits
    }
}

/// Why a hub cannot serve HTTPS with the files it was given.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("cannot read the certificate {path}: {detail}")]
    Certificate { path: String, detail: String },
    #[error("cannot read the private key {path}: {detail}")]
    Key { path: String, detail: String },
    #[error("the certificate and the key do not go together: {0}")]
    Mismatch(String),
}

/// The TLS a hub serves: the certificate chain (the hub's own first, then its issuers) and
/// its private key, each a PEM file; HTTP/1.1 over TLS 1.2 or 1.3.
pub fn tls(files: &TlsFiles) -> Result<Arc<rustls::ServerConfig>, TlsError> {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let certificate = |detail: String| TlsError::Certificate {
        path: files.cert.display().to_string(),
        detail,
    };
    let chain = CertificateDer::pem_file_iter(&files.cert)
        .map_err(|e| certificate(e.to_string()))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| certificate(e.to_string()))?;
    if chain.is_empty() {
        return Err(certificate("it holds no PEM certificate".into()));
    }
    let key = PrivateKeyDer::from_pem_file(&files.key).map_err(|e| TlsError::Key {
        path: files.key.display().to_string(),
        detail: e.to_string(),
    })?;
    let mut config = rustls::ServerConfig::builder_with_provider(crate::sync::link::provider())
        .with_safe_default_protocol_versions()
        .expect("ring speaks TLS 1.2 and 1.3")
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .map_err(|e| TlsError::Mismatch(e.to_string()))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

/// Serves `app` on `listener` (over TLS when `tls` is given) until `shutdown` resolves, then
/// lets every connection finish the request it is in and returns when all have closed.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    tls: Option<Arc<rustls::ServerConfig>>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let tls = tls.map(tokio_rustls::TlsAcceptor::from);
    let limits = limits.fitted();
    let open = Arc::new(Semaphore::new(limits.connections));
    let busy = Arc::new(Semaphore::new(BUSY_AT_ONCE));
    let (stop, stopping) = watch::channel(false);
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout);
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of files or memory for a moment, or a connection gone before it
                    // was taken: the box waits a little and goes on.
                    tracing::warn!("cannot accept a connection: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Ok(permit) = open.clone().try_acquire_owned() else {
            // Over TLS a busy answer would need a handshake: the connection is simply closed.
            if tls.is_none()
                && let Ok(permit) = busy.clone().try_acquire_owned()
            {
                tokio::spawn(async move {
                    turn_away(stream).await;
                    drop(permit);
                });
            }
            continue;
        };
        let _ = stream.set_nodelay(true);
        let http = http.clone();
        let app = app.clone();
        let mut stopping = stopping.clone();
        let tls = tls.clone();
        let handshake_timeout = limits.header_timeout;
        tokio::spawn(async move {
            match tls {
                None => connection(stream, http, app, remote, stopping).await,
                Some(tls) => {
                    let shaken = tokio::select! {
                        shaken = tokio::time::timeout(handshake_timeout, tls.accept(stream)) => shaken,
                        _ = stopping.wait_for(|stop| *stop) => return,
                    };
                    match shaken {
                        Ok(Ok(stream)) => connection(stream, http, app, remote, stopping).await,
                        Ok(Err(e)) => tracing::debug!(%remote, "a TLS handshake failed: {e}"),
                        Err(_) => tracing::debug!(%remote, "a TLS handshake took too long"),
                    }
                }
            }
            drop(permit);
        });
    }
    drop(listener);
    let _ = stop.send(true);
    // Every connection holds a permit until it closes.
    let _ = open.acquire_many(limits.connections as u32).await;
    Ok(())
}

/// Serves one connection's requests (plain or over TLS) until it closes, or until the server
/// stops, when the request in progress is finished first.
async fn connection<I>(
    stream: I,
    http: hyper::server::conn::http1::Builder,
    app: Router,
    remote: SocketAddr,
    mut stopping: watch::Receiver<bool>,
) where
    I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
        request.extensions_mut().insert(ConnectInfo(remote));
        app.clone().oneshot(request)
    });
    let connection = http.serve_connection(TokioIo::new(stream), service);
    let mut connection = std::pin::pin!(connection);
    tokio::select! {
        _ = connection.as_mut() => {}
        _ = async { stopping.wait_for(|stop| *stop).await.map(|_| ()) } => {
            connection.as_mut().graceful_shutdown();
            let _ = connection.await;
        }
    }
}

/// Tells a connection beyond the limit that the box is busy, and closes it. Its request is
/// read first (a little, briefly), so the phone sees the answer rather than a reset.
async fn turn_away(mut stream: TcpStream) {
    let mut request = [0u8; 2048];
    let _ = tokio::time::timeout(Duration::from_millis(200), stream.read(&mut request)).await;
    let answer = async {
        let answer = format!(
            "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n\
             Retry-After: 5\r\nConnection: close\r\nContent-Length: {}\r\n\r\n{BUSY}",
            BUSY.len()
        );
        stream.write_all(answer.as_bytes()).await?;
        stream.shutdown().await?;
        // Whatever else the phone sends is read and dropped until it closes too.
        while stream.read(&mut request).await? > 0 {}
        Ok::<_, std::io::Error>(())
    };
    let _ = tokio::time::timeout(Duration::from_secs(2), answer).await;
}

/// Whether `path` takes an upload: a file (`UPLOAD_PATHS`), or a picture or recording a
/// facilitator sends (`UPLOAD_PREFIXES`).
fn upload(path: &str) -> bool {
    super::UPLOAD_PATHS.contains(&path)
        || super::UPLOAD_PREFIXES.iter().any(|p| path.starts_with(p))
}

/// Answers 408 (its work dropped) to a request not answered within `REQUEST_TIMEOUT`
/// (`UPLOAD_TIMEOUT` where an upload comes).
pub(super) async fn time_limit(request: Request, next: Next) -> Response {
    let limit = match upload(request.uri().path()) {
        true => super::UPLOAD_TIMEOUT,
        false => super::REQUEST_TIMEOUT,
    };
    tokio::time::timeout(limit, next.run(request))
        .await
        .unwrap_or_else(|_| {
            axum::response::IntoResponse::into_response(StatusCode::REQUEST_TIMEOUT)
        })
}

/// Refuses a request body over `limit` bytes (over `UPLOAD_LIMIT` where an upload comes): at once
/// when its length says so, else when it grows past it, as `TooLarge`.
pub(super) async fn limit_body(
    State(limit): State<usize>,
    request: Request,
    next: Next,
) -> Response {
    let limit = match upload(request.uri().path()) {
        true => super::UPLOAD_LIMIT,
        false => limit,
    };
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return axum::response::IntoResponse::into_response(super::Error::TooLarge);
    }
    next.run(request.map(|body| axum::body::Body::new(http_body_util::Limited::new(body, limit))))
        .await
}
