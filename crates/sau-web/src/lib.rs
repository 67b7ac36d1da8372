//! SAU's HTTP surface: the web pages, the JSON API under `/api/v1`, `/healthz` and
//! `/metrics`. Handlers only translate between HTTP and `sau-service`.

mod api;
pub mod assets;
mod client_address;
mod downloads;
mod error;
mod extract;
pub mod i18n;
mod json;
pub mod otrs;
mod request_id;
mod router;
mod security;
mod system;
mod upload;
pub mod web;

pub use error::ApiError;
pub use router::router;

use sau_service::Service;
use std::sync::Arc;
use tokio::net::TcpListener;

#[derive(Clone)]
pub struct WebConfig {
    /// Largest JSON body accepted, in bytes.
    pub json_limit: usize,
    /// Mark the session cookie `Secure` (set when SAU is served over HTTPS).
    pub secure_cookies: bool,
    /// Reverse proxies whose `X-Forwarded-For` names the client; nobody
    /// else's is believed.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// The bearer token `/metrics` asks for; without one, `/metrics` is off.
    pub metrics_token: Option<String>,
    /// How fast a body read whole must arrive.
    pub body_pace: BodyPace,
}

/// How long a body read whole may take: after `grace`, it must keep arriving at
/// `min_bytes_per_second` on average, and a large one waits at most
/// `turn_wait` for its turn to be read.
#[derive(Debug, Clone, Copy)]
pub struct BodyPace {
    pub grace: std::time::Duration,
    pub min_bytes_per_second: u64,
    pub turn_wait: std::time::Duration,
}

impl Default for BodyPace {
    fn default() -> Self {
        BodyPace {
            grace: std::time::Duration::from_secs(10),
            // 256 kbit/s: slower than that, a large body belongs in multipart.
            min_bytes_per_second: 32 * 1024,
            turn_wait: std::time::Duration::from_secs(30),
        }
    }
}

impl BodyPace {
    /// How long the first `received` bytes may have taken.
    pub fn allowed_for(&self, received: usize) -> std::time::Duration {
        let rate = self.min_bytes_per_second.max(1) as f64;
        self.grace + std::time::Duration::from_secs_f64(received as f64 / rate)
    }
}

impl std::fmt::Debug for WebConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebConfig")
            .field("json_limit", &self.json_limit)
            .field("secure_cookies", &self.secure_cookies)
            .field("trusted_proxies", &self.trusted_proxies)
            .field("metrics_token", &self.metrics_token.as_ref().map(|_| "***"))
            .field("body_pace", &self.body_pace)
            .finish()
    }
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            json_limit: 1024 * 1024,
            secure_cookies: false,
            trusted_proxies: Vec::new(),
            metrics_token: None,
            body_pace: BodyPace::default(),
        }
    }
}

/// What every handler gets. Cheap to clone.
#[derive(Debug, Clone)]
pub struct AppState {
    pub service: Service,
    pub config: Arc<WebConfig>,
    pub assets: Arc<assets::Assets>,
    /// Ends the live-update streams when the server stops.
    pub stopping: web::live::Stopping,
    /// Bodies with files inline as base64 must be held whole to be parsed; this
    /// many are read at once, and the others wait, so memory stays bounded.
    pub inline_file_bodies: Arc<tokio::sync::Semaphore>,
    /// The style sheet of the installation's colour, made once per change.
    pub theme: Arc<web::brand::ThemeCache>,
    /// The OTRS-compatible API's web services and their routes.
    pub otrs: Arc<otrs::web_service_cache::WebServicesCache>,
}

/// How many JSON bodies with base64 files are read at once.
const INLINE_FILE_BODIES: usize = 2;

/// Serves SAU on a listener the caller bound (tests bind port 0), until `shutdown`
/// completes.
pub async fn serve(
    listener: TcpListener,
    service: Service,
    config: WebConfig,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    system::prometheus();
    let (stop_streams, stopping) = web::live::stopping();
    // Read once before the first page, so even a page answered without asking
    // the database (a refused form token) shows the installation's identity.
    service.brand().await;
    let app = router(AppState {
        service,
        config: Arc::new(config),
        assets: Arc::new(assets::Assets::load()),
        stopping,
        inline_file_bodies: Arc::new(tokio::sync::Semaphore::new(INLINE_FILE_BODIES)),
        theme: Arc::default(),
        otrs: Arc::default(),
    });
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(async move {
        shutdown.await;
        // Graceful shutdown waits for every response to finish, and a live-update
        // stream would not finish by itself.
        stop_streams.stop();
    })
    .await
}
