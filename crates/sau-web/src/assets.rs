//! Static assets: our own `app.css`/`app.js` and the vendored Bootstrap and htmx
//! (see `scripts/refresh-assets.sh`), embedded from `assets/`.
//!
//! Every file is served under a URL that carries a hash of its content,
//! `/assets/{hash}/{path}`, so it can be cached forever: a changed file gets a new
//! URL. Templates ask [`Assets::url`] for that URL. A request with an outdated hash
//! (a page rendered before a deploy) is redirected to the current one.
//!
//! In debug builds rust-embed reads `assets/` from disk; [`Assets::load`] takes a
//! snapshot at start-up, so edits show after a restart. Release builds embed the
//! files in the binary.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::header::{
    CACHE_CONTROL, CONTENT_TYPE, ETAG, IF_NONE_MATCH, LOCATION, X_CONTENT_TYPE_OPTIONS,
};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use rust_embed::Embed;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

/// Hex characters of the content's SHA-256 that go into the URL.
const URL_HASH_LEN: usize = 10;

const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const NOSNIFF: &str = "nosniff";
/// The current URL of a file changes with every deploy that changes the file, so
/// a redirect to it must not be cached.
const NO_CACHE: &str = "no-cache";

#[derive(Embed)]
#[folder = "assets/"]
struct Files;

/// One file, ready to serve.
struct Asset {
    /// First [`URL_HASH_LEN`] hex characters of the content's SHA-256.
    hash: String,
    /// `/assets/{hash}/{path}`, percent-encoded.
    url: String,
    /// `url`, as a header value for redirects.
    location: HeaderValue,
    /// A weak validator: the response compression layer serves the same entity
    /// gzip-, brotli- or un-encoded under this tag, which only a weak ETag allows.
    etag: HeaderValue,
    content_type: HeaderValue,
    body: Bytes,
}

/// Every embedded file with its content hash. Built once at start-up with
/// [`Assets::load`] and shared behind an `Arc`.
pub struct Assets {
    files: HashMap<String, Asset>,
}

impl fmt::Debug for Assets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut files: Vec<_> = self
            .files
            .iter()
            .map(|(path, asset)| (path.as_str(), asset.hash.as_str()))
            .collect();
        files.sort_unstable();
        f.debug_struct("Assets").field("files", &files).finish()
    }
}

impl Assets {
    /// Reads every embedded file and hashes it.
    pub fn load() -> Assets {
        let mut files = HashMap::new();
        for path in Files::iter() {
            let Some(file) = Files::get(&path) else {
                // Only possible in debug builds, which read from disk: the file went
                // away between listing and reading.
                tracing::warn!(path = %path, "asset listed but not readable; skipped");
                continue;
            };
            let digest = hex::encode(Sha256::digest(&file.data));
            let hash = digest[..URL_HASH_LEN].to_owned();
            let url = format!("/assets/{hash}/{}", encode_path(&path));
            let Ok(location) = HeaderValue::from_str(&url) else {
                // Unreachable: `encode_path` leaves only visible ASCII.
                tracing::warn!(path = %path, "asset URL is not a valid header; skipped");
                continue;
            };
            let etag = HeaderValue::from_str(&format!("W/\"{digest}\""))
                .unwrap_or_else(|_| HeaderValue::from_static("W/\"0\""));
            let content_type = content_type(&path, file.metadata.mimetype());
            let body = match file.data {
                std::borrow::Cow::Borrowed(bytes) => Bytes::from_static(bytes),
                std::borrow::Cow::Owned(bytes) => Bytes::from(bytes),
            };
            files.insert(
                path.into_owned(),
                Asset {
                    hash,
                    url,
                    location,
                    etag,
                    content_type,
                    body,
                },
            );
        }
        tracing::debug!(count = files.len(), "static assets loaded");
        Assets { files }
    }

    /// The URL to put in a page for the file at `path` inside `assets/`, e.g.
    /// `url("vendor/htmx.min.js")` → `/assets/1a2b3c4d5e/vendor/htmx.min.js`.
    /// A leading `/` is ignored. For a file that does not exist this logs a warning
    /// and returns `/assets/missing/{path}`, which answers 404.
    pub fn url(&self, path: &str) -> String {
        let path = path.trim_start_matches('/');
        match self.files.get(path) {
            Some(asset) => asset.url.clone(),
            None => {
                tracing::warn!(path, "page refers to an asset that does not exist");
                format!("/assets/missing/{}", encode_path(path))
            }
        }
    }
}

/// Routes `GET /assets/{hash}/{*path}` to [`serve_asset`], with its own state, to
/// be merged into the application's router.
pub fn asset_routes<S: Clone + Send + Sync + 'static>(assets: Arc<Assets>) -> Router<S> {
    Router::new()
        .route("/assets/{hash}/{*path}", get(serve_asset))
        .with_state(assets)
}

/// Serves one asset: 404 if there is no such file, 308 to the current URL if
/// `hash` is not the file's current hash, 304 if `If-None-Match` names the
/// current version, otherwise the bytes with a year-long immutable cache.
pub async fn serve_asset(
    Path((hash, path)): Path<(String, String)>,
    State(assets): State<Arc<Assets>>,
    headers: HeaderMap,
) -> Response {
    let Some(asset) = assets.files.get(&path) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    if hash != asset.hash {
        return (
            StatusCode::PERMANENT_REDIRECT,
            [
                (LOCATION, asset.location.clone()),
                (CACHE_CONTROL, HeaderValue::from_static(NO_CACHE)),
            ],
        )
            .into_response();
    }
    let validators = [
        (CACHE_CONTROL, HeaderValue::from_static(IMMUTABLE)),
        (X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static(NOSNIFF)),
        (ETAG, asset.etag.clone()),
    ];
    if none_match_fails(&headers, &asset.etag) {
        return (StatusCode::NOT_MODIFIED, validators).into_response();
    }
    (
        validators,
        [(CONTENT_TYPE, asset.content_type.clone())],
        asset.body.clone(),
    )
        .into_response()
}

/// Whether `If-None-Match` names `etag` (or is `*`), so the answer is 304.
/// Uses the weak comparison RFC 9110 §13.1.2 prescribes for this header.
fn none_match_fails(headers: &HeaderMap, etag: &HeaderValue) -> bool {
    let ours = opaque_tag(etag.as_bytes());
    headers
        .get_all(IF_NONE_MATCH)
        .iter()
        .flat_map(|value| value.as_bytes().split(|&b| b == b','))
        .map(<[u8]>::trim_ascii)
        .any(|tag| tag == b"*" || opaque_tag(tag) == ours)
}

/// An entity tag without its weakness marker.
fn opaque_tag(tag: &[u8]) -> &[u8] {
    tag.strip_prefix(b"W/").unwrap_or(tag)
}

/// The `Content-Type` to send. Text gets an explicit UTF-8 charset.
fn content_type(path: &str, guessed: &str) -> HeaderValue {
    let name = path.rsplit('/').next().unwrap_or(path);
    let extension = name
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase());
    let fixed = match extension.as_deref() {
        Some("css") => Some("text/css; charset=utf-8"),
        Some("js" | "mjs") => Some("text/javascript; charset=utf-8"),
        // `bootstrap.LICENSE`, `VERSIONS`: plain text mime_guess does not know.
        Some("license" | "txt") => Some("text/plain; charset=utf-8"),
        None if name == "VERSIONS" || name.starts_with("LICENSE") => {
            Some("text/plain; charset=utf-8")
        }
        _ => None,
    };
    if let Some(fixed) = fixed {
        return HeaderValue::from_static(fixed);
    }
    let value = if guessed.starts_with("text/") && !guessed.contains("charset") {
        format!("{guessed}; charset=utf-8")
    } else {
        guessed.to_owned()
    };
    HeaderValue::from_str(&value)
        .unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream"))
}

/// Percent-encodes everything in a path but unreserved characters and `/`.
fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for &b in path.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match_uses_weak_comparison_over_a_list() {
        let etag = HeaderValue::from_static("W/\"abc\"");
        let with = |value: &'static str| {
            let mut headers = HeaderMap::new();
            headers.insert(IF_NONE_MATCH, HeaderValue::from_static(value));
            headers
        };
        assert!(none_match_fails(&with("W/\"abc\""), &etag));
        assert!(none_match_fails(&with("\"abc\""), &etag));
        assert!(none_match_fails(&with("\"x\", W/\"abc\""), &etag));
        assert!(none_match_fails(&with("*"), &etag));
        assert!(!none_match_fails(&with("\"abcd\""), &etag));
        assert!(!none_match_fails(&HeaderMap::new(), &etag));
    }

    #[test]
    fn content_types() {
        let ct = |path, guessed| content_type(path, guessed);
        assert_eq!(ct("app.css", "text/css"), "text/css; charset=utf-8");
        assert_eq!(
            ct("vendor/htmx.min.js", "text/javascript"),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(
            ct("vendor/VERSIONS", "application/octet-stream"),
            "text/plain; charset=utf-8"
        );
        assert_eq!(
            ct("vendor/htmx.LICENSE", "application/octet-stream"),
            "text/plain; charset=utf-8"
        );
        assert_eq!(ct("logo.svg", "image/svg+xml"), "image/svg+xml");
        assert_eq!(ct("a.html", "text/html"), "text/html; charset=utf-8");
    }

    #[test]
    fn paths_are_percent_encoded() {
        assert_eq!(encode_path("vendor/a b%.js"), "vendor/a%20b%25.js");
        assert_eq!(encode_path("ñ"), "%C3%B1");
    }
}
