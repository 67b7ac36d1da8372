//! SAU's HTTP surface: the web pages, the JSON API under `/api/v1`, `/healthz` and
//! `/metrics`. Handlers only translate between HTTP and `sau-service`.

mod api;
pub mod assets;
mod downloads;
mod error;
mod extract;
pub mod i18n;
mod json;
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

#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Largest JSON body accepted, in bytes.
    pub json_limit: usize,
    /// Mark the session cookie `Secure` (set when SAU is served over HTTPS).
    pub secure_cookies: bool,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            json_limit: 1024 * 1024,
            secure_cookies: false,
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
    let app = router(AppState {
        service,
        config: Arc::new(config),
        assets: Arc::new(assets::Assets::load()),
        stopping,
        inline_file_bodies: Arc::new(tokio::sync::Semaphore::new(INLINE_FILE_BODIES)),
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
