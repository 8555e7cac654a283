//! A picture or a recording as an answer: named by its content, so cached for a year and
//! never revalidated; a recording a phone seeks in comes in pieces (one HTTP byte range,
//! `206` and `Content-Range`; a range past the end `416`). Used wherever media is served:
//! a hub's officer listening to a proposal, a box's `/media/{name}`.

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;

use super::error::Complete;

/// The answer to a request (its `request` headers) for media file `name` with `bytes`, of
/// type `mime`. Several ranges in one request, or one that does not parse, get the whole
/// file (as RFC 9110 lets a server do).
pub fn answer(name: &str, bytes: impl Into<Bytes>, mime: &str, request: &HeaderMap) -> Response {
    let bytes: Bytes = bytes.into();
    let etag = format!("\"{name}\"");
    let matches = |h: header::HeaderName| {
        request
            .get(h)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"))
    };
    let mut builder = Response::builder()
        .header(header::ACCEPT_RANGES, "bytes")
        .header(header::ETAG, &etag)
        .header(header::CACHE_CONTROL, "public, max-age=31536000, immutable")
        .header(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    if matches(header::IF_NONE_MATCH) == Some(true) {
        return builder
            .status(StatusCode::NOT_MODIFIED)
            .body(Body::empty())
            .expect("a valid answer");
    }
    builder = builder.header(
        header::CONTENT_TYPE,
        HeaderValue::from_str(mime).unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    // A range asked "if the file is still this one" is for the whole file when it is not.
    let range = request
        .get(header::RANGE)
        .filter(|_| matches(header::IF_RANGE) != Some(false))
        .and_then(|v| v.to_str().ok())
        .map(|v| range(v, bytes.len() as u64));
    match range {
        Some(Range::Part { start, end }) => builder
            .status(StatusCode::PARTIAL_CONTENT)
            .header(
                header::CONTENT_RANGE,
                format!("bytes {start}-{end}/{}", bytes.len()),
            )
            .body(Body::from(bytes.slice(start as usize..=end as usize)))
            .expect("a valid answer"),
        Some(Range::Unsatisfiable) => {
            let mut response = builder
                .status(StatusCode::RANGE_NOT_SATISFIABLE)
                .header(header::CONTENT_RANGE, format!("bytes */{}", bytes.len()))
                .body(Body::empty())
                .expect("a valid answer");
            // The answer is whole as it is: no error page drawn over it.
            response.extensions_mut().insert(Complete);
            response
        }
        Some(Range::Whole) | None => builder
            .status(StatusCode::OK)
            .body(Body::from(bytes))
            .expect("a valid answer"),
    }
}

/// What a `Range` header asks of a file of `len` bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Range {
    /// Bytes `start..=end`, within the file.
    Part { start: u64, end: u64 },
    /// A range wholly past the end (or of nothing).
    Unsatisfiable,
    /// No range the answer keeps to: several, or one that does not parse.
    Whole,
}

/// Reads a `Range` header (`bytes=a-b`, `bytes=a-`, `bytes=-n`) against a file of `len`
/// bytes.
pub fn range(header: &str, len: u64) -> Range {
    let Some(spec) = header.trim().strip_prefix("bytes=") else {
        return Range::Whole;
    };
    if spec.contains(',') {
        return Range::Whole;
    }
    let Some((first, last)) = spec.trim().split_once('-') else {
        return Range::Whole;
    };
    let number = |s: &str| {
        let s = s.trim();
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u64>().ok())
            .flatten()
    };
    match (first.trim().is_empty(), number(first), number(last)) {
        // The last `n` bytes.
        (true, _, Some(n)) => match n.min(len) {
            0 => Range::Unsatisfiable,
            n => Range::Part {
                start: len - n,
                end: len - 1,
            },
        },
        (false, Some(start), end) if end.is_some() || last.trim().is_empty() => {
            if end.is_some_and(|end| end < start) {
                return Range::Whole;
            }
            if start >= len {
                return Range::Unsatisfiable;
            }
            Range::Part {
                start,
                end: end.map_or(len - 1, |end| end.min(len - 1)),
            }
        }
        _ => Range::Whole,
    }
}

/// `GET /media/{name}`: a picture or recording a lesson or a reading shows, as the box holds
/// it (the commune's own, or a pack's).
pub(super) fn routes() -> axum::Router<super::AppState> {
    axum::Router::new().route("/media/{name}", axum::routing::get(media))
}

async fn media(
    axum::extract::State(state): axum::extract::State<super::AppState>,
    axum::extract::Path(name): axum::extract::Path<String>,
    headers: HeaderMap,
) -> Result<Response, super::Error> {
    if !crate::content::is_media_name(&name) {
        return Err(super::Error::NotFound);
    }
    let (mime, bytes) = state
        .store
        .media(&name)
        .await?
        .ok_or(super::Error::NotFound)?;
    Ok(answer(&name, bytes, &mime, &headers))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn check(header: &str, len: u64, expected: Range) {
        assert_eq!(range(header, len), expected, "{header:?} of {len} bytes");
    }

    #[test]
    fn ranges_are_read_as_rfc_9110_writes_them() {
        let part = |start, end| Range::Part { start, end };
        check("bytes=0-99", 1000, part(0, 99));
        check("bytes=100-", 1000, part(100, 999));
        check("bytes=-100", 1000, part(900, 999));
        check("bytes=-5000", 1000, part(0, 999));
        check("bytes=500-5000", 1000, part(500, 999));
        check("bytes=999-999", 1000, part(999, 999));
        check("bytes=1000-", 1000, Range::Unsatisfiable);
        check("bytes=1000-2000", 1000, Range::Unsatisfiable);
        check("bytes=-0", 1000, Range::Unsatisfiable);
        check("bytes=0-", 0, Range::Unsatisfiable);
        check("bytes=-5", 0, Range::Unsatisfiable);
        check("bytes=5-1", 1000, Range::Whole);
        check("bytes=0-1,5-9", 1000, Range::Whole);
        check("bytes=a-b", 1000, Range::Whole);
        check("bytes=+1-2", 1000, Range::Whole);
        check("items=0-1", 1000, Range::Whole);
        check("bytes=-", 1000, Range::Whole);
        check("bytes=99999999999999999999999-", 1000, Range::Whole);
    }

    fn get(headers: &[(header::HeaderName, &str)]) -> Response {
        let mut map = HeaderMap::new();
        for (name, value) in headers {
            map.insert(name.clone(), HeaderValue::from_str(value).unwrap());
        }
        answer(
            "0123456789abcdef.ogg",
            (0u8..100).collect::<Vec<_>>(),
            "audio/ogg",
            &map,
        )
    }

    async fn body(response: Response) -> Vec<u8> {
        axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap()
            .to_vec()
    }

    #[tokio::test]
    async fn a_range_is_answered_in_part_and_the_whole_file_with_its_headers() {
        let whole = get(&[]);
        assert_eq!(whole.status(), StatusCode::OK);
        let h = whole.headers();
        assert_eq!(h[header::ACCEPT_RANGES], "bytes");
        assert_eq!(h[header::ETAG], "\"0123456789abcdef.ogg\"");
        assert_eq!(
            h[header::CACHE_CONTROL],
            "public, max-age=31536000, immutable"
        );
        assert_eq!(h[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert_eq!(h[header::CONTENT_TYPE], "audio/ogg");
        assert_eq!(body(whole).await.len(), 100);

        let part = get(&[(header::RANGE, "bytes=10-19")]);
        assert_eq!(part.status(), StatusCode::PARTIAL_CONTENT);
        assert_eq!(part.headers()[header::CONTENT_RANGE], "bytes 10-19/100");
        assert_eq!(part.headers()[header::ACCEPT_RANGES], "bytes");
        assert_eq!(body(part).await, (10u8..20).collect::<Vec<_>>());

        let past = get(&[(header::RANGE, "bytes=100-")]);
        assert_eq!(past.status(), StatusCode::RANGE_NOT_SATISFIABLE);
        assert_eq!(past.headers()[header::CONTENT_RANGE], "bytes */100");
        assert!(past.extensions().get::<Complete>().is_some());

        let cached = get(&[(header::IF_NONE_MATCH, "\"0123456789abcdef.ogg\"")]);
        assert_eq!(cached.status(), StatusCode::NOT_MODIFIED);
        let other = get(&[
            (header::RANGE, "bytes=0-0"),
            (header::IF_RANGE, "\"another.ogg\""),
        ]);
        assert_eq!(other.status(), StatusCode::OK, "If-Range of another file");
    }

    proptest! {
        /// Whatever a Range header says, the answer never panics and never holds a byte
        /// outside the file: a part lies within it, and says where.
        #[test]
        fn any_range_header_answers_within_the_file(
            header in prop_oneof![
                "bytes=[0-9]{0,4}-[0-9]{0,4}",
                "bytes=-?[0-9]{0,25}(-[0-9]{0,3})?(,[0-9]-[0-9])?",
                ".{0,40}",
            ],
            len in 0u64..300,
        ) {
            match range(&header, len) {
                Range::Part { start, end } => {
                    prop_assert!(start <= end && end < len);
                }
                Range::Unsatisfiable | Range::Whole => {}
            }
            if let Ok(value) = HeaderValue::from_str(&header) {
                let mut map = HeaderMap::new();
                map.insert(header::RANGE, value);
                let response = answer("0123456789abcdef.ogg", vec![7u8; len as usize], "audio/ogg", &map);
                if let Some(range) = response.headers().get(header::CONTENT_RANGE) {
                    let range = range.to_str().unwrap().to_string();
                    prop_assert!(range.ends_with(&format!("/{len}")), "{}", range);
                }
                let status = response.status();
                let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
                let sent = runtime.block_on(body(response));
                prop_assert!(sent.len() as u64 <= len);
                if status == StatusCode::OK {
                    prop_assert_eq!(sent.len() as u64, len);
                }
            }
        }
    }
}
