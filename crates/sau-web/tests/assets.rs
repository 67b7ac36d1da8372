//! The static-asset routes over real TCP, and the vendored files on disk.

use reqwest::header::{
    CACHE_CONTROL, CONTENT_TYPE, ETAG, IF_NONE_MATCH, LOCATION, X_CONTENT_TYPE_OPTIONS,
};
use reqwest::{Client, StatusCode, redirect};
use sau_web::assets::{Assets, asset_routes};
use sha2::{Digest, Sha256};
use std::path::PathBuf;
use std::sync::Arc;
use tokio::net::TcpListener;

const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const HTMX: &str = "vendor/htmx.min.js";

/// The vendored files `scripts/refresh-assets.sh` copies, besides `VERSIONS`.
const VENDORED: [(&str, &str); 7] = [
    ("bootstrap", "bootstrap.min.css"),
    ("bootstrap", "bootstrap.bundle.min.js"),
    ("bootstrap", "bootstrap.LICENSE"),
    ("htmx.org", "htmx.min.js"),
    ("htmx.org", "htmx.LICENSE"),
    ("inter", "inter-latin-wght-normal.woff2"),
    ("inter", "inter.LICENSE"),
];

/// The asset router alone on a loopback port.
struct Server {
    base: String,
    assets: Arc<Assets>,
    /// Does not follow redirects, so they can be inspected.
    client: Client,
}

impl Server {
    async fn spawn() -> Server {
        let assets = Arc::new(Assets::load());
        let app: axum::Router = asset_routes(assets.clone());
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a loopback port");
        let addr = listener.local_addr().expect("listener has an address");
        tokio::spawn(async move { axum::serve(listener, app).await.expect("serve assets") });
        let client = Client::builder()
            .redirect(redirect::Policy::none())
            .build()
            .expect("build the HTTP client");
        Server {
            base: format!("http://{addr}"),
            assets,
            client,
        }
    }

    async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .expect("request succeeds")
    }
}

fn header(response: &reqwest::Response, name: reqwest::header::HeaderName) -> &str {
    response
        .headers()
        .get(&name)
        .unwrap_or_else(|| panic!("response has no {name} header"))
        .to_str()
        .expect("header is ASCII")
}

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn vendor_file(name: &str) -> Vec<u8> {
    let path = crate_dir().join("assets/vendor").join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// `NAME="value"` from the top of `scripts/refresh-assets.sh`.
fn pinned_version(name: &str) -> String {
    let script = crate_dir().join("../../scripts/refresh-assets.sh");
    let text = std::fs::read_to_string(&script).expect("read scripts/refresh-assets.sh");
    let prefix = format!("{name}=\"");
    text.lines()
        .find_map(|line| line.strip_prefix(&prefix)?.strip_suffix('"'))
        .unwrap_or_else(|| panic!("refresh-assets.sh pins no {name}"))
        .to_owned()
}

#[tokio::test]
async fn hashed_url_serves_the_file_with_immutable_caching() {
    let server = Server::spawn().await;
    let url = server.assets.url(HTMX);
    let (hash, path) = url
        .strip_prefix("/assets/")
        .and_then(|rest| rest.split_once('/'))
        .expect("URL is /assets/{hash}/{path}");
    assert_eq!(path, HTMX);
    assert_eq!(hash.len(), 10, "{url}");
    assert!(hash.bytes().all(|b| b.is_ascii_hexdigit()), "{url}");

    let response = server.get(&url).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        header(&response, CONTENT_TYPE),
        "text/javascript; charset=utf-8"
    );
    assert_eq!(header(&response, CACHE_CONTROL), IMMUTABLE);
    assert_eq!(header(&response, X_CONTENT_TYPE_OPTIONS), "nosniff");
    assert!(!header(&response, ETAG).is_empty());
    let body = response.bytes().await.expect("read the body");
    assert_eq!(body.as_ref(), vendor_file("htmx.min.js"));
    let sha = hex::encode(Sha256::digest(&body));
    assert_eq!(&sha[..10], hash, "the URL hash is the content's");
}

#[tokio::test]
async fn css_and_js_get_utf8_content_types() {
    let server = Server::spawn().await;
    for (path, expected) in [
        ("app.css", "text/css; charset=utf-8"),
        ("vendor/bootstrap.min.css", "text/css; charset=utf-8"),
        ("app.js", "text/javascript; charset=utf-8"),
        (
            "vendor/bootstrap.bundle.min.js",
            "text/javascript; charset=utf-8",
        ),
        ("vendor/VERSIONS", "text/plain; charset=utf-8"),
    ] {
        let response = server.get(&server.assets.url(path)).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_eq!(header(&response, CONTENT_TYPE), expected, "{path}");
    }
}

#[tokio::test]
async fn head_answers_without_a_body() {
    let server = Server::spawn().await;
    let url = server.assets.url(HTMX);
    let response = server
        .client
        .head(format!("{}{url}", server.base))
        .send()
        .await
        .expect("request succeeds");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, CACHE_CONTROL), IMMUTABLE);
    assert!(response.bytes().await.expect("read the body").is_empty());
}

#[tokio::test]
async fn stale_hash_redirects_permanently_to_the_current_url() {
    let server = Server::spawn().await;
    let current = server.assets.url(HTMX);
    for stale in ["0000000000", "missing", "not-a-hash"] {
        let response = server.get(&format!("/assets/{stale}/{HTMX}")).await;
        assert_eq!(response.status(), StatusCode::PERMANENT_REDIRECT, "{stale}");
        assert_eq!(header(&response, LOCATION), current);
        assert_ne!(
            header(&response, CACHE_CONTROL),
            IMMUTABLE,
            "a redirect to a deploy's URL must not be cached forever"
        );
    }

    // A browser following it lands on the file.
    let response = Client::new()
        .get(format!("{}/assets/0000000000/{HTMX}", server.base))
        .send()
        .await
        .expect("request succeeds");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.url().path(), current);
}

#[tokio::test]
async fn unknown_files_are_not_found() {
    let server = Server::spawn().await;
    let hash = server
        .assets
        .url(HTMX)
        .split('/')
        .nth(2)
        .expect("URL has a hash")
        .to_owned();
    let missing = server.assets.url("vendor/nope.js");
    assert_eq!(missing, "/assets/missing/vendor/nope.js");
    for path in [
        missing,
        format!("/assets/{hash}/vendor/nope.js"),
        format!("/assets/{hash}/vendor"),
        format!("/assets/{hash}/"),
        // No way out of the embedded folder.
        format!("/assets/{hash}/%2E%2E%2FCargo.toml"),
        format!("/assets/{hash}/..%2F..%2FCargo.toml"),
    ] {
        let response = server.get(&path).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
    }
}

#[tokio::test]
async fn if_none_match_with_the_etag_is_not_modified() {
    let server = Server::spawn().await;
    let url = server.assets.url(HTMX);
    let etag = header(&server.get(&url).await, ETAG).to_owned();

    for sent in [etag.clone(), format!("\"other\", {etag}"), "*".to_owned()] {
        let response = server
            .client
            .get(format!("{}{url}", server.base))
            .header(IF_NONE_MATCH, &sent)
            .send()
            .await
            .expect("request succeeds");
        assert_eq!(response.status(), StatusCode::NOT_MODIFIED, "{sent}");
        assert_eq!(header(&response, ETAG), etag);
        assert_eq!(header(&response, CACHE_CONTROL), IMMUTABLE);
        assert!(response.bytes().await.expect("read the body").is_empty());
    }

    let response = server
        .client
        .get(format!("{}{url}", server.base))
        .header(IF_NONE_MATCH, "\"some-other-version\"")
        .send()
        .await
        .expect("request succeeds");
    assert_eq!(response.status(), StatusCode::OK);

    // Another file has another tag.
    let css = server.get(&server.assets.url("app.css")).await;
    assert_ne!(header(&css, ETAG), etag);
}

#[test]
fn vendored_files_are_present_and_point_at_no_source_maps() {
    for (_, name) in VENDORED {
        let bytes = vendor_file(name);
        assert!(!bytes.is_empty(), "{name} is empty");
        if name.ends_with(".woff2") {
            // A font: binary, and a woff2 file starts with its signature.
            assert!(bytes.starts_with(b"wOF2"), "{name} is no woff2 font");
            continue;
        }
        let text = String::from_utf8(bytes).unwrap_or_else(|_| panic!("{name} is not UTF-8"));
        assert!(
            !text.contains("sourceMappingURL"),
            "{name} still refers to a source map"
        );
    }
    let versions = crate_dir().join("assets/vendor");
    let mut on_disk: Vec<String> = std::fs::read_dir(&versions)
        .expect("list assets/vendor")
        .map(|entry| {
            entry
                .expect("read a directory entry")
                .file_name()
                .into_string()
                .expect("file name is UTF-8")
        })
        .collect();
    on_disk.sort();
    let mut expected: Vec<String> = VENDORED.iter().map(|(_, n)| n.to_string()).collect();
    expected.push("VERSIONS".to_owned());
    expected.sort();
    assert_eq!(on_disk, expected, "assets/vendor holds exactly these files");
}

#[test]
fn versions_file_lists_the_pinned_versions_and_hashes() {
    let bootstrap = pinned_version("BOOTSTRAP_VERSION");
    let htmx = pinned_version("HTMX_VERSION");
    let inter = pinned_version("INTER_VERSION");
    let text = String::from_utf8(vendor_file("VERSIONS")).expect("VERSIONS is UTF-8");
    let mut rows: Vec<Vec<&str>> = text
        .lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .map(|line| line.split_whitespace().collect())
        .collect();
    rows.sort();

    let mut expected: Vec<Vec<String>> = VENDORED
        .iter()
        .map(|&(package, name)| {
            let version = match package {
                "bootstrap" => &bootstrap,
                "inter" => &inter,
                _ => &htmx,
            };
            let sha = hex::encode(Sha256::digest(vendor_file(name)));
            vec![package.to_owned(), version.clone(), sha, name.to_owned()]
        })
        .collect();
    expected.sort();
    assert_eq!(
        rows, expected,
        "VERSIONS must match the pins and the files; rerun scripts/refresh-assets.sh"
    );
}
