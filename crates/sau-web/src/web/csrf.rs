//! CSRF protection: every state-changing web request must carry the session's form
//! token, as the `csrf_token` form field, the `X-CSRF-Token` header (htmx), or, in
//! a multipart form, its first part. A forged request is refused with 403 before
//! any handler runs, whatever the handler does with its body. A multipart body is
//! a stream of files: only its first part is read here, and the body is handed
//! on whole.

use crate::AppState;
use crate::web::pages::refused_page;
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures::StreamExt;
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

/// The cookie that holds the sign-in form's token. The form is shown to people
/// who have no session, and a session is stored only once someone signs in, so
/// its token cannot live in one: the form and this cookie must agree instead.
const LOGIN_COOKIE: &str = "sau_login_csrf";

/// The sign-in form's token the browser holds, if any.
fn login_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(tower_sessions::cookie::Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == LOGIN_COOKIE)
        .map(|c| c.value().to_owned())
        .filter(|v| !v.is_empty())
}

/// The sign-in form's token, and the cookie to set when the browser has none.
pub fn login_token(headers: &HeaderMap, secure: bool) -> (String, Option<HeaderValue>) {
    if let Some(token) = login_cookie(headers) {
        return (token, None);
    }
    let token = new_token();
    let cookie = tower_sessions::cookie::Cookie::build((LOGIN_COOKIE, token.clone()))
        .path("/login")
        .http_only(true)
        .same_site(tower_sessions::cookie::SameSite::Strict)
        .secure(secure)
        .build();
    (token, HeaderValue::from_str(&cookie.to_string()).ok())
}

pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// The mark of a multipart form whose token this middleware checked. Handlers
/// accept multipart only with it, so a route outside this middleware cannot
/// take one unchecked.
#[derive(Debug, Clone, Copy)]
pub struct CheckedMultipart;

/// How much of a multipart body may come before its first part has ended.
const FIRST_PART_BYTES: usize = 16 * 1024;

/// The `csrf_token` a multipart body carries as its first part, read from its
/// first few KiB; and the body again, whole.
async fn first_part_token(headers: &axum::http::HeaderMap, body: Body) -> (Option<String>, Body) {
    let Some(boundary) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| multer::parse_boundary(v).ok())
    else {
        return (None, body);
    };
    let end_of_first = format!("\r\n--{boundary}");
    let mut stream = body.into_data_stream();
    let mut prefix: Vec<u8> = Vec::new();
    // Up to the boundary that ends the first part (the body opens with one too).
    while prefix.len() < FIRST_PART_BYTES && !contains(&prefix, end_of_first.as_bytes()) {
        match stream.next().await {
            Some(Ok(chunk)) => prefix.extend_from_slice(&chunk),
            _ => break,
        }
    }
    let prefix = axum::body::Bytes::from(prefix);
    let seen = futures::stream::once({
        let prefix = prefix.clone();
        async move { Ok::<_, std::convert::Infallible>(prefix) }
    });
    let mut first = multer::Multipart::new(seen, boundary);
    let token = match first.next_field().await {
        Ok(Some(field)) if field.name() == Some("csrf_token") && field.file_name().is_none() => {
            field.text().await.ok()
        }
        _ => None,
    };
    let whole = futures::stream::once(async move { Ok::<_, axum::Error>(prefix) }).chain(stream);
    (token, Body::from_stream(whole))
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
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
    let expected = if request.uri().path() == "/login" {
        login_cookie(request.headers())
    } else {
        session.get::<String>(SESSION_KEY).await.ok().flatten()
    };
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
    let multipart = crate::upload::is_multipart(&parts.headers);
    let (given, body) = match header_token {
        Some(token) => (Some(token), body),
        None if multipart => first_part_token(&parts.headers, body).await,
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
            if multipart {
                request.extensions_mut().insert(CheckedMultipart);
            }
            next.run(request).await
        }
        _ => {
            tracing::warn!(path = %parts.uri.path(), "refused a request without a valid form token");
            refused_page(&state, &parts.headers).into_response()
        }
    }
}
