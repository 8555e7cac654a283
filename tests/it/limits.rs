//! What one phone may hold of the box: a slow or idle connection is closed after the header
//! timeout, a connection beyond the limit is told the box is busy, and the others are
//! served meanwhile.

use std::time::{Duration, Instant};

use hocso::web::{BUSY, Limits};
use reqwest::StatusCode;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::support::TestBox;

async fn connect(tb: &TestBox) -> TcpStream {
    let address = tb.base.trim_start_matches("http://");
    TcpStream::connect(address).await.expect("connects")
}

/// Reads until the box closes the connection (or `within` passes); whether it closed it.
async fn closed_within(stream: &mut TcpStream, within: Duration) -> bool {
    let mut buffer = [0u8; 4096];
    let reading = async {
        loop {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        }
    };
    tokio::time::timeout(within, reading).await.is_ok()
}

/// Sends one request on `stream` and reads its answer's head and body (`Content-Length`).
async fn ask(stream: &mut TcpStream, path: &str) -> Option<(u16, String)> {
    let request = format!("GET {path} HTTP/1.1\r\nHost: hocso.lan\r\n\r\n");
    stream.write_all(request.as_bytes()).await.ok()?;
    let mut answer = Vec::new();
    let mut buffer = [0u8; 4096];
    loop {
        let n = stream.read(&mut buffer).await.ok()?;
        if n == 0 {
            break;
        }
        answer.extend_from_slice(&buffer[..n]);
        let text = String::from_utf8_lossy(&answer);
        if let Some(end) = text.find("\r\n\r\n") {
            let length: usize = text[..end]
                .lines()
                .find_map(|l| {
                    let (name, value) = l.split_once(':')?;
                    name.eq_ignore_ascii_case("content-length")
                        .then(|| value.trim().parse().ok())?
                })
                .unwrap_or(0);
            if answer.len() >= end + 4 + length {
                break;
            }
        }
    }
    let text = String::from_utf8_lossy(&answer).into_owned();
    let status = text.split(' ').nth(1)?.parse().ok()?;
    let body = text.split_once("\r\n\r\n")?.1.to_string();
    Some((status, body))
}

#[tokio::test]
async fn slow_and_idle_connections_are_closed_and_other_phones_are_served() {
    let timeout = Duration::from_secs(1);
    let tb = TestBox::start_limited(Limits {
        header_timeout: timeout,
        ..hocso::Config::default().limits()
    })
    .await;
    let started = Instant::now();
    // A slowloris client: half a request's head, then a byte now and then.
    let mut slow = connect(&tb).await;
    slow.write_all(b"GET / HTTP/1.1\r\nHost: hocso.lan\r\nX-A: ")
        .await
        .unwrap();
    // A connection that never says anything, and one left idle after its answer.
    let mut silent = connect(&tb).await;
    let mut idle = connect(&tb).await;
    assert_eq!(ask(&mut idle, "/api/v1/health").await.unwrap().0, 200);

    // Meanwhile other phones are served.
    for _ in 0..3 {
        let home = tb.get("/").await;
        assert_eq!(home.status(), StatusCode::OK);
        let _ = slow.write_all(b"a").await;
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    for (name, stream) in [
        ("slow", &mut slow),
        ("silent", &mut silent),
        ("idle", &mut idle),
    ] {
        assert!(
            closed_within(stream, Duration::from_secs(5)).await,
            "the {name} connection is closed"
        );
    }
    assert!(
        started.elapsed() >= timeout,
        "not closed before the timeout"
    );
    assert_eq!(tb.get("/").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_connection_beyond_the_limit_is_told_the_box_is_busy() {
    let limit = 4;
    let tb = TestBox::start_limited(Limits {
        connections: limit,
        header_timeout: Duration::from_secs(60),
    })
    .await;
    // Ten phones each keep a connection open after one request.
    let mut streams = Vec::new();
    let (mut served, mut busy) = (0, 0);
    for _ in 0..10 {
        let mut stream = connect(&tb).await;
        match ask(&mut stream, "/api/v1/health").await {
            Some((200, _)) => served += 1,
            Some((503, body)) => {
                assert_eq!(body, BUSY);
                assert!(body.starts_with("Máy đang bận"));
                busy += 1;
            }
            other => panic!("unexpected answer {other:?}"),
        }
        streams.push(stream);
    }
    // The test's own client may hold one connection from waiting for the box to start.
    assert!(
        (limit - 1..=limit).contains(&served),
        "{served} served at once"
    );
    assert_eq!(served + busy, 10);

    // Once the phones let go, the box serves again.
    drop(streams);
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let mut stream = connect(&tb).await;
        match ask(&mut stream, "/api/v1/health").await {
            Some((200, _)) => break,
            _ if Instant::now() < deadline => tokio::time::sleep(Duration::from_millis(50)).await,
            other => panic!("still refused after the connections closed: {other:?}"),
        }
    }
}
