//! The web pages: server-rendered HTML (askama) with server-side sessions and a
//! form token on every state-changing request.

pub mod admin;
pub mod attachments;
pub mod brand;
pub mod chrome;
pub mod csrf;
pub mod lists;
pub mod live;
pub mod pages;
pub mod present;
pub mod profile;
pub mod rating;
pub mod reports;
pub mod requests;
pub mod responses;
pub mod session_store;
pub mod tickets;

use crate::AppState;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

/// How long a web session lasts without activity.
const IDLE_TIMEOUT: time::Duration = time::Duration::hours(8);

/// The server-side web session: an HTTP-only cookie, ended after
/// [`IDLE_TIMEOUT`] without a request.
pub(crate) fn session_layer(
    state: &AppState,
) -> SessionManagerLayer<session_store::DatabaseSessionStore> {
    SessionManagerLayer::new(session_store::DatabaseSessionStore::new(
        state.service.clone(),
    ))
    .with_name("sau_session")
    .with_http_only(true)
    .with_same_site(SameSite::Lax)
    .with_secure(state.config.secure_cookies)
    .with_expiry(Expiry::OnInactivity(IDLE_TIMEOUT))
    // Each request starts the idle time over, in the cookie and in the
    // database (the store writes an unchanged session only every few minutes).
    .with_always_save(true)
}
