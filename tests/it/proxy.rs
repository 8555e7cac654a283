//! A fault-injecting TCP proxy for tests: it sits between a client and a server on loopback and
//! cuts connections or drops replies by chance, so a client can be tested on a flaky link.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// What can go wrong on a connection through the proxy. The default is a perfect link.
#[derive(Clone, Copy, Debug, Default)]
pub struct Faults {
    /// Chance (0.0..=1.0) that a connection is cut: after a random number of bytes
    /// (0..=cut_within) sent upstream or downstream, both sides are closed.
    pub cut: f64,
    /// The most bytes a cut connection carries, both ways together, before it is cut.
    pub cut_within: usize,
    /// Chance that the reply (server→client bytes) of a connection is dropped entirely: the
    /// request reaches the server but the client gets its connection closed without any reply
    /// byte.
    pub drop_reply: f64,
    /// Added to every piece carried, each way: a slow link's latency.
    pub delay: Duration,
}

/// A running proxy; dropping it stops the listener (open connections run to their end).
pub struct Proxy {
    /// Where clients connect.
    pub addr: SocketAddr,
    shared: Arc<Shared>,
    listener: JoinHandle<()>,
}

struct Shared {
    /// The faults in force and the RNG state, drawn from in accept order.
    dice: Mutex<(Faults, u64)>,
    cuts: AtomicUsize,
    dropped: AtomicUsize,
    /// Turns `true` to close every connection open now (`sever`).
    severed: tokio::sync::watch::Sender<u64>,
}

/// What happens to one connection.
#[derive(Clone, Copy)]
enum Fate {
    Pass,
    /// Cut after this many bytes, both ways together.
    Cut(usize),
    DropReply,
}

/// How one direction of a connection ended.
enum Ended {
    Eof,
    Cut,
    Dropped,
    Failed,
}

impl Proxy {
    /// Listens on 127.0.0.1:0 and forwards every connection to `target`, injecting `faults`
    /// with a deterministic RNG seeded by `seed`.
    pub async fn start(target: SocketAddr, faults: Faults, seed: u64) -> Proxy {
        Proxy::start_among(vec![target], faults, seed).await
    }

    /// A load balancer with faults: connection `i` goes to `targets[i % n]`, so a client's
    /// requests land on each server in turn.
    pub async fn start_among(targets: Vec<SocketAddr>, faults: Faults, seed: u64) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind proxy");
        let addr = listener.local_addr().expect("proxy address");
        let shared = Arc::new(Shared {
            dice: Mutex::new((faults, seed)),
            cuts: AtomicUsize::new(0),
            dropped: AtomicUsize::new(0),
            severed: tokio::sync::watch::Sender::new(0),
        });
        let state = shared.clone();
        let listener = tokio::spawn(async move {
            let mut next = 0;
            while let Ok((client, _)) = listener.accept().await {
                let fate = state.roll();
                let target = targets[next % targets.len()];
                next += 1;
                tokio::spawn(forward(client, target, fate, state.clone()));
            }
        });
        Proxy {
            addr,
            shared,
            listener,
        }
    }

    /// How many connections were cut so far.
    pub fn cuts(&self) -> usize {
        self.shared.cuts.load(Ordering::SeqCst)
    }

    /// How many replies were dropped so far.
    pub fn dropped(&self) -> usize {
        self.shared.dropped.load(Ordering::SeqCst)
    }

    /// Closes every connection open now (a link that drops: long-lived streams too).
    pub fn sever(&self) {
        self.shared.severed.send_modify(|n| *n += 1);
    }

    /// Changes the faults from now on (e.g. to let the last tries through).
    pub fn set_faults(&self, faults: Faults) {
        self.shared.dice.lock().unwrap_or_else(|e| e.into_inner()).0 = faults;
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.listener.abort();
    }
}

impl Shared {
    /// Decides the fate of the next connection.
    fn roll(&self) -> (Fate, Duration) {
        let mut dice = self.dice.lock().unwrap_or_else(|e| e.into_inner());
        let (faults, rng) = &mut *dice;
        let delay = faults.delay;
        let (cut, offset, drop) = (splitmix64(rng), splitmix64(rng), splitmix64(rng));
        let fate = if unit(cut) < faults.cut {
            Fate::Cut((offset % (faults.cut_within as u64 + 1)) as usize)
        } else if unit(drop) < faults.drop_reply {
            Fate::DropReply
        } else {
            Fate::Pass
        };
        (fate, delay)
    }
}

/// The next number from a splitmix64 generator.
fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A random number in 0.0..1.0.
fn unit(x: u64) -> f64 {
    (x >> 11) as f64 / (1u64 << 53) as f64
}

/// Carries one connection to `target` and back, as its fate says.
async fn forward(
    client: TcpStream,
    target: SocketAddr,
    (fate, delay): (Fate, Duration),
    shared: Arc<Shared>,
) {
    let mut severed = shared.severed.subscribe();
    severed.borrow_and_update();
    let Ok(server) = TcpStream::connect(target).await else {
        return;
    };
    let (mut cr, mut cw) = client.into_split();
    let (mut sr, mut sw) = server.into_split();
    let left = AtomicUsize::new(match fate {
        Fate::Cut(n) => n,
        _ => usize::MAX,
    });
    let drop_reply = matches!(fate, Fate::DropReply);
    let end = {
        let up = pipe(&mut cr, &mut sw, &left, false, delay);
        let down = pipe(&mut sr, &mut cw, &left, drop_reply, delay);
        tokio::pin!(up, down);
        let (mut up_open, mut down_open) = (true, true);
        loop {
            let ended = tokio::select! {
                e = &mut up, if up_open => { up_open = false; e }
                e = &mut down, if down_open => { down_open = false; e }
                _ = severed.changed() => break Ended::Cut,
            };
            match ended {
                Ended::Eof if up_open || down_open => continue,
                other => break other,
            }
        }
    };
    match end {
        Ended::Eof => return,
        Ended::Cut => shared.cuts.fetch_add(1, Ordering::SeqCst),
        Ended::Dropped => shared.dropped.fetch_add(1, Ordering::SeqCst),
        Ended::Failed => 0,
    };
    let _ = cw.shutdown().await;
    let _ = sw.shutdown().await;
}

/// Copies `from` to `to`, spending the byte budget `left` shared by both directions; with
/// `drop_all`, the first bytes read end the connection unsent.
async fn pipe(
    from: &mut OwnedReadHalf,
    to: &mut OwnedWriteHalf,
    left: &AtomicUsize,
    drop_all: bool,
    delay: Duration,
) -> Ended {
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        let n = match from.read(&mut buf).await {
            Ok(0) => {
                let _ = to.shutdown().await;
                return Ended::Eof;
            }
            Ok(n) => n,
            Err(_) => return Ended::Failed,
        };
        if drop_all {
            return Ended::Dropped;
        }
        if !delay.is_zero() {
            tokio::time::sleep(delay).await;
        }
        let (Ok(before) | Err(before)) =
            left.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |l| {
                Some(l.saturating_sub(n))
            });
        if to.write_all(&buf[..n.min(before)]).await.is_err() {
            return Ended::Failed;
        }
        if before <= n {
            return Ended::Cut;
        }
    }
}

/// A server on loopback that echoes every connection back until the client stops writing.
async fn echo_server() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind echo");
    let addr = listener.local_addr().expect("echo address");
    tokio::spawn(async move {
        while let Ok((mut conn, _)) = listener.accept().await {
            tokio::spawn(async move {
                let (mut r, mut w) = conn.split();
                let _ = tokio::io::copy(&mut r, &mut w).await;
            });
        }
    });
    addr
}

/// Sends `data` through `addr` while reading what comes back until EOF or an error.
async fn round_trip(addr: SocketAddr, data: Vec<u8>) -> Vec<u8> {
    let (mut r, mut w) = TcpStream::connect(addr)
        .await
        .expect("connect")
        .into_split();
    let writer = tokio::spawn(async move {
        let _ = w.write_all(&data).await;
        let _ = w.shutdown().await;
    });
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    while let Ok(n @ 1..) = r.read(&mut buf).await {
        got.extend_from_slice(&buf[..n]);
    }
    let _ = writer.await;
    got
}

fn pattern(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 7 % 251) as u8).collect()
}

const LIMIT: Duration = Duration::from_secs(2);

#[tokio::test]
async fn without_faults_bytes_pass_unchanged_both_ways() {
    let proxy = Proxy::start(echo_server().await, Faults::default(), 1).await;
    let data = pattern(200_000);
    let got = tokio::time::timeout(LIMIT, round_trip(proxy.addr, data.clone()))
        .await
        .expect("in time");
    assert!(got == data, "echoed {} bytes of {}", got.len(), data.len());
    assert_eq!((proxy.cuts(), proxy.dropped()), (0, 0));
}

#[tokio::test]
async fn a_cut_connection_carries_at_most_cut_within_bytes() {
    let faults = Faults {
        cut: 1.0,
        cut_within: 1000,
        drop_reply: 0.0,
        ..Faults::default()
    };
    let proxy = Proxy::start(echo_server().await, faults, 2).await;
    let data = pattern(20_000);
    let got = tokio::time::timeout(LIMIT, round_trip(proxy.addr, data.clone()))
        .await
        .expect("in time");
    assert!(
        got.len() <= 1000,
        "echoed {} bytes through a cut link",
        got.len()
    );
    assert!(
        data.starts_with(&got),
        "what arrives before the cut is intact"
    );
    assert_eq!(proxy.cuts(), 1);
}

#[tokio::test]
async fn a_dropped_reply_reaches_the_server_but_not_the_client() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind server");
    let target = listener.local_addr().expect("server address");
    let (heard, mut requests) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Ok((mut conn, _)) = listener.accept().await {
            let mut buf = [0u8; 4];
            if conn.read_exact(&mut buf).await.is_ok() {
                let _ = heard.send(buf);
                let _ = conn.write_all(b"pong").await;
            }
        }
    });
    let faults = Faults {
        cut: 0.0,
        cut_within: 0,
        drop_reply: 1.0,
        ..Faults::default()
    };
    let proxy = Proxy::start(target, faults, 3).await;
    tokio::time::timeout(LIMIT, async {
        assert_eq!(round_trip(proxy.addr, b"ping".to_vec()).await, b"");
        assert_eq!(requests.recv().await, Some(*b"ping"));
        assert_eq!(proxy.dropped(), 1);
        proxy.set_faults(Faults::default());
        assert_eq!(round_trip(proxy.addr, b"ping".to_vec()).await, b"pong");
        assert_eq!(proxy.dropped(), 1);
    })
    .await
    .expect("in time");
}
