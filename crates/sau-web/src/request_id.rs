//! Every request gets an id: sent back in `X-Request-Id`, named by every log
//! line written while it is answered, and shown on error pages as the
//! "código de referencia" a person can quote to whoever runs SAU.

use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use rand::Rng;
use std::time::Instant;
use tracing::Instrument;

pub static HEADER: HeaderName = HeaderName::from_static("x-request-id");

/// Letters that cannot be mistaken for one another when read aloud or copied
/// by hand (Crockford's base 32).
const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const LENGTH: usize = 10;

tokio::task_local! {
    static CURRENT: String;
}

/// The id of the request being answered, if any.
pub fn current() -> Option<String> {
    CURRENT.try_with(Clone::clone).ok()
}

fn new_id() -> String {
    let mut rng = rand::rng();
    (0..LENGTH)
        .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
        .collect()
}

/// Names the request, answers it inside a span that carries its id, and writes
/// one line when it is done: failures at `info` (server errors at `error`),
/// the rest at `debug`. Ids are always SAU's own: one sent by a client is not
/// trusted to be unique.
pub async fn tag_requests(request: Request, next: Next) -> Response {
    let id = new_id();
    let method = request.method().clone();
    // The path only: a query may hold what someone searched for, and an OTRS
    // session's id is a credential even in its path.
    let path = crate::otrs::path_for_logs(request.uri().path());
    let span = tracing::info_span!("request", id = %id, %method, %path);
    let started = Instant::now();
    let mut response = CURRENT
        .scope(id.clone(), next.run(request))
        .instrument(span.clone())
        .await;
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(HEADER.clone(), value);
    }
    let status = response.status().as_u16();
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    let _in_span = span.enter();
    match status {
        500.. => tracing::error!(status, ms, "answered"),
        400.. => tracing::info!(status, ms, "answered"),
        _ => tracing::debug!(status, ms, "answered"),
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_ten_unambiguous_characters_and_differ() {
        let a = new_id();
        let b = new_id();
        assert_eq!(a.len(), LENGTH);
        assert!(a.bytes().all(|c| ALPHABET.contains(&c)), "{a}");
        assert_ne!(a, b);
    }
}
