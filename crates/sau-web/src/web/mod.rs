//! The web pages: server-rendered HTML (askama) with server-side sessions and a
//! form token on every state-changing request.

pub mod admin;
pub mod attachments;
pub mod chrome;
pub mod csrf;
pub mod lists;
pub mod live;
pub mod pages;
pub mod profile;
pub mod requests;
pub mod session_store;
pub mod tickets;

use crate::AppState;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

/// How long a web session lasts without activity.
const IDLE_TIMEOUT: time::Duration = time::Duration::hours(8);

pub fn routes(state: &AppState) -> Router<AppState> {
    let sessions = SessionManagerLayer::new(session_store::DatabaseSessionStore::new(
        state.service.clone(),
    ))
    .with_name("sau_session")
    .with_http_only(true)
    .with_same_site(SameSite::Lax)
    .with_secure(state.config.secure_cookies)
    .with_expiry(Expiry::OnInactivity(IDLE_TIMEOUT))
    // Each request starts the idle time over, in the cookie and in the
    // database (the store writes an unchanged session only every few minutes).
    .with_always_save(true);
    // The forms that carry files take bodies as large as the attachment limits
    // allow; `upload::receive` holds each file and the whole to those limits.
    let uploads = DefaultBodyLimit::max(
        usize::try_from(state.service.attachment_limits().max_body_bytes()).unwrap_or(usize::MAX),
    );
    Router::new()
        .route("/", get(lists::ticket_list))
        .route("/login", get(pages::login_page).post(pages::submit_login))
        .route("/logout", post(pages::logout))
        .merge(profile::routes())
        .merge(requests::routes().layer(uploads))
        .merge(tickets::routes().layer(uploads))
        .merge(attachments::routes())
        .merge(admin::routes())
        .merge(live::routes())
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            csrf::verify_csrf,
        ))
        // Any other path: the 404 page (JSON under `/api/`), with the session so it
        // speaks the signed-in user's language, and no form-token check.
        .fallback(pages::not_found_page)
        .layer(sessions)
}
