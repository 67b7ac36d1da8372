//! Sending an attachment's bytes, for the API and the web session alike: as a
//! download by default, shown in the browser only for PDF and raster images,
//! and always in a sandbox the file cannot script its way out of.

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sau_service::AttachmentFile;

/// The query of a download: `?inline=1` asks to view it in the browser.
#[derive(Debug, Default, serde::Deserialize)]
pub struct DownloadQuery {
    #[serde(default)]
    pub inline: Option<String>,
}

impl DownloadQuery {
    pub fn wants_inline(&self) -> bool {
        matches!(self.inline.as_deref(), Some("1" | "true"))
    }
}

/// The response for `file`. An unchanged copy in the browser's cache (same
/// `ETag`: the content's hash) gets 304 without a byte sent; who may read it is
/// checked before this, on every request.
pub fn send(file: AttachmentFile, query: &DownloadQuery, request_headers: &HeaderMap) -> Response {
    let attachment = &file.attachment;
    let etag = format!("\"{}\"", attachment.sha256);
    let inline = query.wants_inline() && attachment.kind.viewable_inline();
    let mut headers = HeaderMap::new();
    let mut set = |name, value: &str| {
        if let Ok(value) = HeaderValue::from_str(value) {
            headers.insert(name, value);
        }
    };
    set(header::ETAG, &etag);
    set(header::CACHE_CONTROL, "private, no-cache");
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(header::CONTENT_SECURITY_POLICY, "sandbox");
    let unchanged = request_headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|tag| tag.trim() == etag));
    if unchanged {
        return (StatusCode::NOT_MODIFIED, headers).into_response();
    }
    set(header::CONTENT_TYPE, attachment.kind.mime_type());
    set(header::CONTENT_LENGTH, &attachment.size.to_string());
    set(
        header::CONTENT_DISPOSITION,
        &content_disposition(&attachment.filename, inline),
    );
    let body = Body::from_stream(tokio_util::io::ReaderStream::with_capacity(
        file.file,
        64 * 1024,
    ));
    (headers, body).into_response()
}

/// `attachment` (or `inline`) with the name twice, as RFC 6266 advises: an ASCII
/// `filename` for old clients, and the exact name as UTF-8 in `filename*`
/// (RFC 8187).
pub fn content_disposition(name: &str, inline: bool) -> String {
    let fallback: String = name
        .chars()
        .map(|c| {
            if (c.is_ascii_graphic() && c != '"' && c != '\\') || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut encoded = String::new();
    for byte in name.bytes() {
        // RFC 8187 attr-char: what may stand for itself.
        if byte.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&byte) {
            encoded.push(byte as char);
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    let kind = if inline { "inline" } else { "attachment" };
    format!("{kind}; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::content_disposition;

    #[test]
    fn names_travel_in_ascii_and_exactly_in_utf8() {
        assert_eq!(
            content_disposition("Oficio núm. 117.pdf", false),
            "attachment; filename=\"Oficio n_m. 117.pdf\"; filename*=UTF-8''Oficio%20n%C3%BAm.%20117.pdf"
        );
        assert_eq!(
            content_disposition("a\"b\\c.png", true),
            "inline; filename=\"a_b_c.png\"; filename*=UTF-8''a%22b%5Cc.png"
        );
    }
}
