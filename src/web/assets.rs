//! The embedded `assets/` folder over HTTP: each file under its plain name (revalidated with
//! an ETag) and under a content-hashed name that pages link to and phones cache for a year.
//! Text files (styles, scripts, drawings) are gzipped once, at their best, the first time a
//! phone asks, and sent so to every phone that takes gzip.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::Write as _;
use std::sync::OnceLock;

use flate2::Compression;
use flate2::write::GzEncoder;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::{AppState, Error};
use crate::content::Assets;

const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const REVALIDATE: &str = "no-cache";

struct Asset {
    bytes: Cow<'static, [u8]>,
    content_type: &'static str,
    etag: HeaderValue,
    /// The gzipped bytes and their ETag, made on first use; `None` for a file that is
    /// compressed already (pictures other than SVG, sound).
    gzip: OnceLock<Option<(Bytes, HeaderValue)>>,
}

impl Asset {
    fn compressible(&self) -> bool {
        self.content_type.starts_with("text/") || self.content_type == "image/svg+xml"
    }

    fn gzipped(&self) -> Option<&(Bytes, HeaderValue)> {
        self.gzip
            .get_or_init(|| {
                if !self.compressible() {
                    return None;
                }
                let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
                encoder.write_all(&self.bytes).ok()?;
                let gzipped = Bytes::from(encoder.finish().ok()?);
                let tag = self.etag.to_str().ok()?.trim_end_matches('"').to_string() + "-gz\"";
                Some((gzipped, HeaderValue::from_str(&tag).ok()?))
            })
            .as_ref()
    }
}

/// Every embedded asset, looked up by plain or hashed name.
pub struct AssetStore {
    files: Vec<Asset>,
    /// Served name → (index into `files`, whether the name carries the hash).
    by_name: HashMap<String, (usize, bool)>,
    /// Plain name → the hashed URL pages use.
    urls: HashMap<String, String>,
}

impl AssetStore {
    pub fn embedded() -> AssetStore {
        let mut store = AssetStore {
            files: Vec::new(),
            by_name: HashMap::new(),
            urls: HashMap::new(),
        };
        for name in Assets::iter() {
            let Some(file) = Assets::get(&name) else {
                continue;
            };
            let hash = hex::encode(&file.metadata.sha256_hash()[..6]);
            let hashed = match name.rsplit_once('.') {
                Some((stem, ext)) => format!("{stem}.{hash}.{ext}"),
                None => format!("{name}.{hash}"),
            };
            let index = store.files.len();
            store.files.push(Asset {
                bytes: file.data,
                content_type: content_type(&name),
                etag: HeaderValue::from_str(&format!("\"{hash}\"")).expect("hex is a valid header"),
                gzip: OnceLock::new(),
            });
            store
                .urls
                .insert(name.to_string(), format!("/assets/{hashed}"));
            store.by_name.insert(hashed, (index, true));
            store.by_name.insert(name.into_owned(), (index, false));
        }
        store
    }

    /// The URL a page links `name` under: content-hashed, so it can be cached for ever. An
    /// unknown name (which `lessons check` and the tests rule out) keeps its plain URL.
    pub fn url(&self, name: &str) -> String {
        if crate::content::is_media_name(name) {
            // a pack's or the commune's picture or recording, named by its content
            return format!("/media/{name}");
        }
        self.urls
            .get(name)
            .cloned()
            .unwrap_or_else(|| format!("/assets/{name}"))
    }

    /// The bytes and media type of the asset served at `url` (`/assets/…`, plain or hashed).
    pub fn at_url(&self, url: &str) -> Option<(&[u8], &'static str)> {
        let name = url.strip_prefix("/assets/")?;
        let &(index, _) = self.by_name.get(name)?;
        let file = &self.files[index];
        Some((&file.bytes, file.content_type))
    }

    /// An asset's text, by plain name (a style sheet or script to put inside a page).
    pub fn text(&self, name: &str) -> Option<&str> {
        let (bytes, _) = self.at_url(&format!("/assets/{name}"))?;
        std::str::from_utf8(bytes).ok()
    }
}

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/assets/{*name}", get(asset))
}

async fn asset(
    State(state): State<AppState>,
    Path(name): Path<String>,
    headers: HeaderMap,
) -> Result<Response, Error> {
    let store = &state.assets;
    let &(index, hashed) = store.by_name.get(&name).ok_or(Error::NotFound)?;
    let file = &store.files[index];
    let cache = HeaderValue::from_static(if hashed { IMMUTABLE } else { REVALIDATE });
    let gzipped = file.gzipped().filter(|_| super::gzip::accepted(&headers));
    let etag = gzipped.map_or(&file.etag, |(_, etag)| etag);
    let fresh = headers.get(header::IF_NONE_MATCH).is_some_and(|tags| {
        tags.as_bytes()
            .split(|&b| b == b',')
            .any(|t| t.trim_ascii() == etag.as_bytes())
    });
    let mut response = if fresh {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut response = match gzipped {
            Some((bytes, _)) => bytes.clone().into_response(),
            None => file.bytes.clone().into_response(),
        };
        let content_type = HeaderValue::from_static(file.content_type);
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, content_type);
        if gzipped.is_some() {
            let gzip = HeaderValue::from_static("gzip");
            response
                .headers_mut()
                .insert(header::CONTENT_ENCODING, gzip);
        }
        response
    };
    let headers = response.headers_mut();
    headers.insert(header::ETAG, etag.clone());
    headers.insert(header::CACHE_CONTROL, cache);
    if file.compressible() {
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    Ok(response)
}

fn content_type(name: &str) -> &'static str {
    let ext = name
        .rsplit_once('.')
        .map_or("", |(_, e)| e)
        .to_ascii_lowercase();
    match ext.as_str() {
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        "webp" => "image/webp",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "js" => "text/javascript; charset=utf-8",
        "mp3" => "audio/mpeg",
        "ogg" | "opus" => "audio/ogg",
        "m4a" => "audio/mp4",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_assets_are_gzipped_once_and_tagged_apart() {
        let store = AssetStore::embedded();
        let &(index, _) = store.by_name.get("style.css").unwrap();
        let css = &store.files[index];
        let (gzipped, etag) = css.gzipped().unwrap();
        assert!(gzipped.len() * 2 < css.bytes.len());
        assert_ne!(etag, css.etag);
        assert!(std::ptr::eq(css.gzipped().unwrap(), css.gzipped().unwrap()));
        let mut text = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&gzipped[..]), &mut text)
            .unwrap();
        assert_eq!(text.as_bytes(), &css.bytes[..]);
    }
}
