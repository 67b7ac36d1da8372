//! CSRF protection: every state-changing web request must carry the session's form
//! token, as the `csrf_token` form field or the `X-CSRF-Token` header (htmx). A
//! forged request is refused with 403 before any handler runs, except a
//! multipart form: its body is a stream of files, so the handler checks that its
//! first part is the token (see [`MultipartToken`] and `upload::receive`) before
//! storing anything.

use crate::AppState;
use crate::web::pages::refused_page;
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rand::RngCore;
use sha2::{Digest, Sha256};
use tower_sessions::Session;

pub const SESSION_KEY: &str = "csrf";

/// The session's form token, created on first use.
pub async fn token(session: &Session) -> String {
    if let Ok(Some(token)) = session.get::<String>(SESSION_KEY).await {
        return token;
    }
    let token = new_token();
    if let Err(e) = session.insert(SESSION_KEY, &token).await {
        tracing::warn!(error = %e, "could not store the form token");
    }
    token
}

pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// How a multipart form proves it came from the session's own page. Handlers
/// accept multipart only with this mark, so a route outside this middleware
/// cannot take one unchecked.
#[derive(Debug, Clone)]
pub enum MultipartToken {
    /// The first part must repeat this token (checked as the body is read).
    FirstPart(String),
    /// The `X-CSRF-Token` header carried it, and it was checked here.
    CheckedHeader,
}

/// Compares digests, so the time taken says nothing about how much matched.
pub(crate) fn same(a: &str, b: &str) -> bool {
    Sha256::digest(a.as_bytes()) == Sha256::digest(b.as_bytes())
}

pub async fn verify_csrf(
    State(state): State<AppState>,
    session: Session,
    request: Request,
    next: Next,
) -> Response {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) {
        return next.run(request).await;
    }
    let expected = session.get::<String>(SESSION_KEY).await.ok().flatten();
    let (parts, body) = request.into_parts();
    let header_token = parts
        .headers
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let is_form = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if header_token.is_none() && crate::upload::is_multipart(&parts.headers) {
        return match expected {
            Some(expected) => {
                let mut request = Request::from_parts(parts, body);
                request
                    .extensions_mut()
                    .insert(MultipartToken::FirstPart(expected));
                next.run(request).await
            }
            None => refused_page(&state, &parts.headers).into_response(),
        };
    }
    let (given, body) = match header_token {
        Some(token) => (Some(token), body),
        None if is_form => {
            let Ok(bytes) = to_bytes(body, state.config.json_limit).await else {
                return refused_page(&state, &parts.headers).into_response();
            };
            let token = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes)
                .ok()
                .and_then(|fields| {
                    fields
                        .into_iter()
                        .find(|(k, _)| k == "csrf_token")
                        .map(|(_, v)| v)
                });
            (token, Body::from(bytes))
        }
        None => (None, body),
    };
    match (expected, given) {
        (Some(expected), Some(given)) if same(&expected, &given) => {
            let mut request = Request::from_parts(parts, body);
            if crate::upload::is_multipart(request.headers()) {
                request
                    .extensions_mut()
                    .insert(MultipartToken::CheckedHeader);
            }
            next.run(request).await
        }
        _ => {
            tracing::warn!(path = %parts.uri.path(), "refused a request without a valid form token");
            refused_page(&state, &parts.headers).into_response()
        }
    }
}
