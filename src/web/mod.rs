//! The box (and the hub) over HTTP, and the only module that imports axum or maud:
//! `router()`, `AppState` (the request's catalogue and one `Arc` of what every request
//! shares), the `frame` every answer passes through (language from `?lang=` or its cookie,
//! display, the captive portal, error pages), the accept loop, its limits and a hub's HTTPS (`listen`),
//! errors (`error`), sessions and the facilitator guard (`session`), the CSRF guard and
//! extractor (`csrf`), cookies, gzip in pieces (`gzip`), the assets, the JSON API (`api`), the
//! pages (`pages`) and what only a hub serves (`hub`). Handlers extract, call the domain and
//! render; they hold no rule of their own and no SQL. Slow work (argon2, scans) runs off the
//! async threads: at most two hashes at once (`AppState::hashing`), reads on the store's pool.

mod api;
mod assets;
mod cookie;
mod csrf;
pub mod display;
mod error;
mod extract;
mod gzip;
mod hub;
pub use hub::live::keep_told as keep_province_live_told;
pub use pages::live::province::keep_following as keep_following_province;
pub mod i18n;
mod listen;
mod media;
pub mod pages;
mod portal;
mod return_to;
mod session;

use std::future::Future;
use std::sync::{Arc, PoisonError};
use std::time::Duration;

use axum::Router;
use axum::extract::{FromRequestParts, Query, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use serde::Deserialize;
use tokio::net::TcpListener;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::{CompressionLayer, Predicate};
use tower_http::trace::TraceLayer;

pub use crate::config::Role;
pub use crate::config::{DEFAULT_HOST_NAME, Limits};
pub use assets::AssetStore;
pub use error::{Complete, Error, complete};
pub use listen::{BUSY, TlsError, tls};
pub use portal::Portal;

use display::{Display, DisplayQuery};

use crate::content::{Catalogue, Lang, LessonTree};
use crate::learn::Throttle;
use crate::protocol::wire::Pack;
use crate::store::{Accounts, HubStore, Store};

/// Largest request body the box reads; nothing a phone sends comes near it.
const BODY_LIMIT: usize = 64 * 1024;
/// Largest file a facilitator or officer may upload (a USB file: a box's records, or the
/// province's reply, which carries its lesson packs), or a box may send (a commune's
/// proposal, with its pictures or recording), at the addresses that take one.
pub const UPLOAD_LIMIT: usize = 32 * 1024 * 1024;
const UPLOAD_PATHS: [&str; 3] = ["/f/sync/reply", "/hub/usb", "/hub/v1/proposals"];
/// Where a facilitator uploads pictures and recordings (the lesson editor, readings).
const UPLOAD_PREFIXES: [&str; 2] = ["/f/bai-hoc/", "/f/bai-doc/"];
/// A request that takes longer than this is answered with 408 and its work dropped.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// The same where uploads come: megabytes come slowly over a commune's link.
const UPLOAD_TIMEOUT: Duration = Duration::from_secs(10 * 60);
const LANG_COOKIE: &str = "lang";
/// Most header bytes a request may carry; a phone sends a few hundred.
const HEADER_LIMIT: usize = 16 * 1024;

/// What every handler can reach: the lessons, rendered once, and through `Shared` the
/// assets, the database, and the throttle on wrong secrets.
pub struct AppState {
    /// The lessons as they were when this request began (see `Clone`): a handler sees one
    /// catalogue from start to end even if a content pack arrives meanwhile.
    pub catalogue: Arc<Catalogue>,
    /// The rest, the same for every request: one count to take, not one per part.
    shared: Arc<Shared>,
}

/// What `AppState` shares between requests, reached through it (`state.store`).
pub struct Shared {
    /// The lessons served from now on; swapped whole when a content pack arrives.
    lessons: Arc<std::sync::RwLock<Arc<Catalogue>>>,
    pub role: Role,
    /// Wakes the box's sync task at once (the dashboard's "sync now").
    pub sync_now: Arc<tokio::sync::Notify>,
    /// Told when the commune's name may have changed: the mDNS advertisement carries it.
    pub renamed: Arc<tokio::sync::Notify>,
    pub assets: Arc<AssetStore>,
    /// The box's database. A hub on SQLite keeps its records in it too; a hub on PostgreSQL
    /// keeps none here (the folder's database stays empty) and every record in `hub`.
    pub store: Store,
    /// A hub's records and officers (`None` on a box): the one door to them, on SQLite or
    /// PostgreSQL alike.
    hub: Option<HubStore>,
    pub throttle: Arc<Throttle>,
    /// Argon2 takes 19 MiB and tens of milliseconds a hash: at most this many at once, so
    /// a hall of phones joining together cannot exhaust a small board's memory.
    pub hashing: Arc<tokio::sync::Semaphore>,
    /// The language a phone that has chosen none sees: the facilitator's setting.
    pub default_lang: Arc<std::sync::RwLock<Lang>>,
    /// Live group lessons in progress.
    pub live: Arc<pages::live::running::LiveHub>,
    /// On a hub: what this process tells the halls of the province's live lesson.
    pub province_live: Arc<hub::live::Broadcast>,
    /// On a box: the province's live lesson as the link brings it, and the hall's room.
    pub following: Arc<crate::sync::live::Following>,
    /// Turns `true` when the box begins to shut down: endless answers (event streams) end
    /// then, so the shutdown does not wait for them.
    pub closing: Arc<tokio::sync::watch::Sender<bool>>,
    /// The captive portal: the box's short address and the phones seen lately.
    pub portal: Arc<Portal>,
    /// `GET /api/v1/lessons` as sent, per `?lang=`.
    lesson_lists: Arc<std::sync::Mutex<PerCatalogue<Option<Lang>, api::KeptList>>>,
    /// The pieces of pages the same for many learners, gzipped once (`gzip::Kept`).
    kept_pieces: Arc<std::sync::Mutex<gzip::Kept>>,
}

/// What is made once from the lessons served (the lesson list's JSON and its gzip)
/// and kept while they are served: a content pack's new catalogue starts it afresh. The
/// catalogue is held, so no other can take its address while its things are kept.
pub struct PerCatalogue<K, V> {
    catalogue: Option<Arc<Catalogue>>,
    kept: std::collections::HashMap<K, V>,
}

impl<K, V> Default for PerCatalogue<K, V> {
    fn default() -> Self {
        PerCatalogue {
            catalogue: None,
            kept: std::collections::HashMap::new(),
        }
    }
}

impl<K: Eq + std::hash::Hash, V: Clone> PerCatalogue<K, V> {
    /// The thing kept under `key` for `catalogue`, made by `make` the first time.
    pub fn get(&mut self, catalogue: &Arc<Catalogue>, key: K, make: impl FnOnce() -> V) -> V {
        if !self
            .catalogue
            .as_ref()
            .is_some_and(|c| Arc::ptr_eq(c, catalogue))
        {
            self.catalogue = Some(catalogue.clone());
            self.kept.clear();
        }
        self.kept.entry(key).or_insert_with(make).clone()
    }
}

/// Secrets hashed or checked at the same time.
const HASHING_AT_ONCE: usize = 2;

/// axum gives each request a clone of the state: the clone takes the lessons served now.
impl Clone for AppState {
    fn clone(&self) -> AppState {
        AppState {
            catalogue: self
                .lessons
                .read()
                .unwrap_or_else(PoisonError::into_inner)
                .clone(),
            shared: self.shared.clone(),
        }
    }
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.shared
    }
}

impl AppState {
    /// Loads the embedded lessons and assets beside `store`. Problems in the lessons (which
    /// `lessons check` and CI catch before a build ships) are logged, and what could be read
    /// is served. Content packs are added by `reload_lessons`.
    pub fn new(store: Store, role: Role, host_name: &str) -> AppState {
        let hub = (role == Role::Hub).then(|| store.hub());
        AppState::with_hub(store, hub, role, host_name)
    }

    /// A hub whose records `hub` holds (on PostgreSQL, or the SQLite of `store`).
    pub fn hub_on(store: Store, hub: HubStore, host_name: &str) -> AppState {
        AppState::with_hub(store, Some(hub), Role::Hub, host_name)
    }

    fn with_hub(store: Store, hub: Option<HubStore>, role: Role, host_name: &str) -> AppState {
        let default_lang = store
            .setting_at_open("lang")
            .as_deref()
            .and_then(Lang::from_code)
            .unwrap_or(Lang::Vi);
        let assets = AssetStore::embedded();
        let (catalogue, problems) =
            crate::content::load(&LessonTree::embedded(), &|name| assets.url(name));
        for problem in &problems {
            tracing::warn!(%problem, "lesson problem");
        }
        let catalogue = Arc::new(catalogue);
        let shared = Shared {
            lessons: Arc::new(std::sync::RwLock::new(catalogue.clone())),
            role,
            sync_now: Arc::new(tokio::sync::Notify::new()),
            renamed: Arc::new(tokio::sync::Notify::new()),
            assets: Arc::new(assets),
            store,
            hub,
            throttle: Arc::new(Throttle::default()),
            hashing: Arc::new(tokio::sync::Semaphore::new(HASHING_AT_ONCE)),
            default_lang: Arc::new(std::sync::RwLock::new(default_lang)),
            live: Arc::new(pages::live::running::LiveHub::default()),
            province_live: Arc::default(),
            following: Arc::default(),
            closing: Arc::new(tokio::sync::watch::Sender::new(false)),
            portal: Arc::new(Portal::new(host_name)),
            lesson_lists: Arc::default(),
            kept_pieces: Arc::default(),
        };
        AppState {
            catalogue,
            shared: Arc::new(shared),
        }
    }
}

impl AppState {
    /// A hub's records. Only a hub's routes ask, and a hub's state always holds them.
    pub fn hub(&self) -> &HubStore {
        self.shared
            .hub
            .as_ref()
            .expect("a hub's state holds its records")
    }

    /// Who signs in to the facilitator pages: the box's facilitators, or the hub's officers
    /// wherever its records are.
    pub fn accounts(&self) -> Accounts {
        match &self.shared.hub {
            Some(hub) => hub.accounts(),
            None => self.store.accounts(),
        }
    }

    /// Serves the embedded lessons with every content pack the store holds (and on a box the
    /// commune's own lessons, scenarios and readings), from the next request on, without a restart.
    /// Answers how many lessons there are now.
    pub async fn reload_lessons(&self) -> Result<usize, crate::store::Error> {
        let (packs, local, media) = match self.role {
            Role::Box => {
                let local = crate::facilitate::authoring::local_files(
                    &self.store.local_lessons().await?,
                    &self.store.local_readings().await?,
                    &self.store.local_scenarios().await?,
                );
                (
                    crate::sync::packs::held(&self.store).await?,
                    local,
                    self.store.media_sizes().await?,
                )
            }
            Role::Hub => (
                crate::hub::published(self.hub()).await?,
                Default::default(),
                Default::default(),
            ),
        };
        let mut files = Pack::files(&packs);
        if !local.is_empty() {
            files.push((crate::content::LOCAL, &local));
        }
        let assets = self.assets.clone();
        let (catalogue, problems) =
            crate::content::catalogue_from(&files, &media, &|n| assets.url(n));
        for problem in &problems {
            tracing::warn!(%problem, "lesson problem");
        }
        let count = catalogue.lessons().count();
        let catalogue = Arc::new(catalogue);
        *self.lessons.write().unwrap_or_else(PoisonError::into_inner) = catalogue.clone();
        if self.role == Role::Hub {
            self.count_modules(&catalogue).await?;
        }
        Ok(count)
    }

    /// Tells a hub's records what completes each module of the lessons it serves; when that
    /// changed, every learner's modules are counted again (logged: on a national hub it
    /// takes a while).
    pub async fn count_modules(&self, catalogue: &Catalogue) -> Result<(), crate::store::Error> {
        let started = std::time::Instant::now();
        let items = crate::hub::reach::module_items(catalogue);
        if self.hub().set_modules(items).await? {
            tracing::info!(
                seconds = started.elapsed().as_secs_f32(),
                "the modules changed: every learner's completed modules were counted again"
            );
        }
        Ok(())
    }

    /// Runs slow argon2 work (hashing or checking a secret or password) on the blocking pool,
    /// at most `HASHING_AT_ONCE` at a time. The permit goes with the work, not with the
    /// request: a phone that hangs up mid-hash does not free a slot while its hash still runs.
    pub async fn hash<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, Error> {
        let permit = self
            .hashing
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| Error::Internal)?;
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            work()
        })
        .await
        .map_err(|_| Error::Internal)
    }
}

/// Every route of the box (or of the hub, by the state's role), with its layers.
pub fn router(state: AppState) -> Router {
    let (routes, body_limit) = match state.role {
        Role::Box => (
            pages::routes(&state)
                .merge(api::routes())
                .merge(media::routes()),
            BODY_LIMIT,
        ),
        // A sealed batch is bigger than anything a phone sends.
        Role::Hub => (
            hub::routes(&state).merge(api::health_routes()),
            crate::protocol::wire::MAX_SEALED + BODY_LIMIT,
        ),
    };
    routes
        .merge(assets::routes())
        .fallback(|| async { Error::NotFound })
        // A handler that panics answers as `Error::Internal` does, drawn by `frame`, which
        // logs the route; the task and the box go on.
        .layer(CatchPanicLayer::custom(panicked))
        .layer(middleware::from_fn_with_state(
            body_limit,
            listen::limit_body,
        ))
        .layer(middleware::from_fn(listen::time_limit))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            portal::portal,
        ))
        .layer(middleware::from_fn_with_state(state.clone(), frame))
        // The fastest level: a page is a few KB, and at level 1 gzip makes it nearly as small
        // as at 6 for a fraction of the work (nginx's default too). Assets come compressed.
        // Recordings are compressed already, and come in byte ranges a phone seeks in.
        .layer(
            CompressionLayer::new()
                .quality(tower_http::CompressionLevel::Fastest)
                .compress_when(
                    tower_http::compression::predicate::DefaultPredicate::new().and(
                        tower_http::compression::predicate::NotForContentType::const_new("audio/"),
                    ),
                ),
        )
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Serves `router(state)` on `listener`, within `limits` (over TLS when `tls` is given), until
/// `shutdown` resolves.
pub async fn run(
    state: AppState,
    listener: TcpListener,
    limits: Limits,
    tls: Option<Arc<rustls::ServerConfig>>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let closing = state.closing.clone();
    if let Ok(bound) = listener.local_addr() {
        state.portal.set_port(bound.port());
    }
    listen::serve(listener, router(state), limits, tls, async move {
        shutdown.await;
        closing.send_replace(true);
    })
    .await
}

/// A handler's panic, carried on the answer `panicked` makes for it.
#[derive(Clone, Debug)]
struct Panicked(String);

/// The answer for a request whose handler panicked: a 500 (`internal`), drawn by `frame` as
/// a page or JSON like any error.
fn panicked(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let message = crate::store::panic_message(panic.as_ref());
    let mut response = axum::response::IntoResponse::into_response(Error::Internal);
    response.extensions_mut().insert(Panicked(message));
    response
}

#[derive(Deserialize)]
struct LangQuery {
    lang: Option<String>,
}

/// Around every request: settle the language (`?lang=` remembered in a cookie), and give
/// every failed answer its page or JSON body.
async fn frame(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let api = path.starts_with("/api/") || path.starts_with("/hub/v1/");
    let header_bytes: usize = request
        .headers()
        .iter()
        .map(|(k, v)| k.as_str().len() + v.len() + 4)
        .sum();
    if header_bytes > HEADER_LIMIT {
        return Error::HeadersTooLarge.render(api, Lang::Vi, &state, None);
    }
    let chosen = match Query::<LangQuery>::try_from_uri(request.uri()) {
        Ok(Query(LangQuery { lang: Some(code) })) => match Lang::from_code(&code) {
            Some(lang) => Some(lang),
            None => {
                let lang = cookie_lang(request.headers(), &state);
                return Error::BadLang.render(api, lang, &state, None);
            }
        },
        Ok(_) => None,
        Err(_) => {
            let lang = cookie_lang(request.headers(), &state);
            return Error::BadRequest.render(api, lang, &state, None);
        }
    };
    let lang = chosen.unwrap_or_else(|| cookie_lang(request.headers(), &state));
    request.extensions_mut().insert(lang);
    let remembered = Display::from_headers(request.headers());
    let display_query = Query::<DisplayQuery>::try_from_uri(request.uri())
        .map(|Query(q)| q)
        .unwrap_or_default();
    let Ok(display_chosen) = remembered.changed_by(&display_query) else {
        return remembered
            .scope(async { Error::BadRequest.render(api, lang, &state, None) })
            .await;
    };
    let display = display_chosen.unwrap_or(remembered);

    // Kept (two reference counts, no copy) to name the route if its handler panics, and to
    // come back to a page opened signed out.
    let (method, uri) = (request.method().clone(), request.uri().clone());
    // The session, to name a signed-in learner on an error page as on any other.
    let session = session::session_hash(request.headers());
    let mut response = i18n::scope(lang, display.scope(next.run(request))).await;
    if let Some(Panicked(message)) = response.extensions().get::<Panicked>() {
        tracing::error!(%method, path = uri.path(), "a request panicked: {message}");
    }
    let status = response.status();
    let drawn = response.extensions().get::<Complete>().is_some();
    if (status.is_client_error() || status.is_server_error()) && !drawn {
        let error = response
            .extensions()
            .get::<Error>()
            .cloned()
            .unwrap_or_else(|| Error::from_status(status));
        let allow = response.headers().get(header::ALLOW).cloned();
        let learner = match (api, session) {
            (false, Some(hash)) => state.store.session_learner(hash).await.ok().flatten(),
            _ => None,
        };
        response = display
            .scope(async { error.render(api, lang, &state, learner.as_ref()) })
            .await;
        // A page opened signed out is where to come back to after signing in.
        let who = match error {
            Error::NotSignedIn => Some(return_to::Who::Learner),
            Error::FacilitatorOnly => Some(return_to::Who::Facilitator),
            _ => None,
        };
        if let (Some(who), false, true) = (who, api, method == axum::http::Method::GET)
            && let Some(cookie) = return_to::remember(who, &uri)
        {
            response.headers_mut().append(header::SET_COOKIE, cookie);
        }
        if let Some(allow) = allow {
            response.headers_mut().insert(header::ALLOW, allow);
        }
    }
    // Pages and API answers may name a learner: a shared phone's next user must not get
    // them from a cache. Assets set their own caching.
    if !response.headers().contains_key(header::CACHE_CONTROL) {
        response.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        );
    }
    if let (Some(display), false) = (display_chosen, api) {
        response
            .headers_mut()
            .append(header::SET_COOKIE, display.cookie());
    }
    if let (Some(lang), false) = (chosen, api) {
        let cookie = format!("{LANG_COOKIE}={lang}; Path=/; Max-Age=31536000; SameSite=Lax");
        response.headers_mut().append(
            header::SET_COOKIE,
            HeaderValue::from_str(&cookie).expect("ascii cookie"),
        );
    }
    response
}

/// The language remembered in the cookie, else Vietnamese.
/// The language this phone chose before, or else the box's default.
fn cookie_lang(headers: &axum::http::HeaderMap, state: &AppState) -> Lang {
    session::cookie(headers, LANG_COOKIE)
        .and_then(Lang::from_code)
        .unwrap_or_else(|| {
            *state
                .default_lang
                .read()
                .unwrap_or_else(PoisonError::into_inner)
        })
}

/// The language of this request, as `frame` settled it.
impl<S: Send + Sync> FromRequestParts<S> for Lang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Lang, Self::Rejection> {
        Ok(parts.extensions.get::<Lang>().copied().unwrap_or(Lang::Vi))
    }
}

#[cfg(test)]
mod tests {
    use axum::body::Body;
    use axum::http::StatusCode;
    use axum::routing::get;
    use tower::ServiceExt;

    use super::*;

    async fn boom() -> &'static str {
        panic!("a bug in a handler")
    }

    /// A router with the box's own panic guard and `frame` around two routes that panic.
    async fn panicking() -> (Router, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_on(dir.path(), Some("a-machine")).unwrap();
        let state = AppState::new(store, Role::Box, "hocso.lan");
        let router = Router::new()
            .route("/boom", get(boom))
            .route("/api/v1/boom", get(boom))
            .route(
                "/full",
                get(|| async { Error::from(crate::store::Error::DiskFull) }),
            )
            .route(
                "/api/v1/full",
                get(|| async { Error::from(crate::store::Error::DiskFull) }),
            )
            .layer(CatchPanicLayer::custom(panicked))
            .layer(middleware::from_fn_with_state(state.clone(), frame))
            .with_state(state);
        (router, dir)
    }

    #[tokio::test]
    async fn a_panic_answers_the_usual_error_and_the_router_goes_on() {
        let (router, _dir) = panicking().await;
        for _ in 0..2 {
            let page = router
                .clone()
                .oneshot(Request::get("/boom").body(Body::empty()).unwrap())
                .await
                .unwrap();
            assert_eq!(page.status(), StatusCode::INTERNAL_SERVER_ERROR);
            let body = axum::body::to_bytes(page.into_body(), 1 << 20)
                .await
                .unwrap();
            let body = String::from_utf8_lossy(&body);
            assert!(body.contains("Máy gặp lỗi"), "{body}");
            assert!(!body.contains("a bug"), "no detail is sent");
            let api = router
                .clone()
                .oneshot(Request::get("/api/v1/boom").body(Body::empty()).unwrap())
                .await
                .unwrap();
            assert_eq!(api.status(), StatusCode::INTERNAL_SERVER_ERROR);
            let body = axum::body::to_bytes(api.into_body(), 1 << 20)
                .await
                .unwrap();
            let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
            assert_eq!(json["error"]["code"], "internal");
        }
    }

    #[tokio::test]
    async fn a_full_disk_is_said_plainly_as_507_disk_full() {
        let (router, _dir) = panicking().await;
        let page = router
            .clone()
            .oneshot(Request::get("/full").body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(page.status(), StatusCode::INSUFFICIENT_STORAGE);
        let body = axum::body::to_bytes(page.into_body(), 1 << 20)
            .await
            .unwrap();
        assert!(String::from_utf8_lossy(&body).contains("Bộ nhớ của hộp đã đầy"));
        let api = router
            .oneshot(Request::get("/api/v1/full").body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(api.status(), StatusCode::INSUFFICIENT_STORAGE);
        let body = axum::body::to_bytes(api.into_body(), 1 << 20)
            .await
            .unwrap();
        let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(json["error"]["code"], "disk_full");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_hash_keeps_its_permit_until_it_is_done_even_when_its_request_is_gone() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_on(dir.path(), Some("a-machine")).unwrap();
        let state = AppState::new(store, Role::Box, "hocso.lan");
        let all = state.hashing.available_permits();
        let (go, wait) = std::sync::mpsc::channel::<()>();
        let hashing = state.clone();
        let request = tokio::spawn(async move {
            hashing
                .hash(move || {
                    let _ = wait.recv();
                })
                .await
        });
        let settled = async |want: usize| {
            for _ in 0..500 {
                if state.hashing.available_permits() == want {
                    return true;
                }
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
            false
        };
        assert!(settled(all - 1).await, "the hash took a permit");
        // The phone hangs up: its request is dropped while the hash still runs.
        request.abort();
        let _ = request.await;
        assert_eq!(state.hashing.available_permits(), all - 1, "still held");
        go.send(()).unwrap();
        assert!(settled(all).await, "given back when the hash is done");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn health_is_503_with_the_reason_while_the_writer_cannot_work() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_on(dir.path(), Some("a-machine")).unwrap();
        let state = AppState::new(store.clone(), Role::Box, "hocso.lan");
        let (started, running) = tokio::sync::oneshot::channel::<()>();
        let (release, blocked) = std::sync::mpsc::channel::<()>();
        let busy = store.clone();
        let job = tokio::spawn(async move {
            busy.write_for_test(move || {
                let _ = started.send(());
                let _ = blocked.recv();
            })
            .await
        });
        running.await.unwrap();
        let health = |state: AppState| async move {
            let response = router(state)
                .oneshot(Request::get("/api/v1/health").body(Body::empty()).unwrap())
                .await
                .unwrap();
            let status = response.status();
            let body = axum::body::to_bytes(response.into_body(), 1 << 20)
                .await
                .unwrap();
            (
                status,
                serde_json::from_slice::<serde_json::Value>(&body).unwrap(),
            )
        };
        let (status, body) = health(state.clone()).await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(body["status"], "unavailable");
        assert!(
            body["reason"].as_str().unwrap().contains("writer"),
            "{body}"
        );
        release.send(()).unwrap();
        job.await.unwrap().unwrap();
        let (status, body) = health(state).await;
        assert_eq!(
            (status, body["status"].as_str()),
            (StatusCode::OK, Some("ok"))
        );
    }
}
