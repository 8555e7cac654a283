//! The embedded `assets/` folder over HTTP: each file under its plain name (revalidated with
//! an ETag) and under a content-hashed name that pages link to and phones cache for a year.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt::Write as _;

use axum::Router;
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
            let mut hash = String::new();
            for byte in &file.metadata.sha256_hash()[..6] {
                let _ = write!(hash, "{byte:02x}");
            }
            let hashed = match name.rsplit_once('.') {
                Some((stem, ext)) => format!("{stem}.{hash}.{ext}"),
                None => format!("{name}.{hash}"),
            };
            let index = store.files.len();
            store.files.push(Asset {
                bytes: file.data,
                content_type: content_type(&name),
                etag: HeaderValue::from_str(&format!("\"{hash}\"")).expect("hex is a valid header"),
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
    let fresh = headers.get(header::IF_NONE_MATCH).is_some_and(|tags| {
        tags.as_bytes()
            .split(|&b| b == b',')
            .any(|t| t.trim_ascii() == file.etag.as_bytes())
    });
    let common = [
        (header::ETAG, file.etag.clone()),
        (header::CACHE_CONTROL, cache),
    ];
    if fresh {
        return Ok((StatusCode::NOT_MODIFIED, common).into_response());
    }
    let content_type = HeaderValue::from_static(file.content_type);
    Ok((
        common,
        [(header::CONTENT_TYPE, content_type)],
        file.bytes.clone(),
    )
        .into_response())
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
