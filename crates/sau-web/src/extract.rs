//! Extractors: the signed-in caller, and JSON bodies whose failures speak the API's
//! error vocabulary.

use crate::AppState;
use crate::error::ApiError;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use sau_service::Caller;
use serde::de::DeserializeOwned;

/// The caller behind `Authorization: Bearer <token>`; 401 without a valid one.
#[derive(Debug, Clone)]
pub struct AuthUser(pub Caller);

/// The raw bearer token, for sign-out.
pub fn bearer(parts: &Parts) -> Option<&str> {
    parts
        .headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
        .filter(|t| !t.is_empty())
}

impl FromRequestParts<AppState> for AuthUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = bearer(parts)
            .ok_or_else(|| ApiError::new(StatusCode::UNAUTHORIZED, "unauthenticated"))?;
        Ok(AuthUser(state.service.authenticate(token).await?))
    }
}

/// A JSON body. An empty body reads as `{}`, so commands without arguments need
/// none. Malformed JSON is 400, a body over the limit 413, a wrong type 415, and
/// well-formed JSON of the wrong shape 422.
#[derive(Debug, Clone)]
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let declared_json = declares_json(req.headers());
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large")
            } else {
                ApiError::new(StatusCode::BAD_REQUEST, "bad_request")
            }
        })?;
        parse_body(&bytes, declared_json).map(ApiJson)
    }
}

/// Whether the request says its body is JSON (`application/json` or `…+json`).
pub fn declares_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            let mime = v
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            mime == "application/json" || mime.ends_with("+json")
        })
}

/// A request body read whole: empty reads as `{}`; anything else must be
/// declared JSON (415) and is then parsed as [`parse_json`] does.
pub fn parse_body<T: DeserializeOwned>(bytes: &[u8], declared_json: bool) -> Result<T, ApiError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        parse_json(b"{}")
    } else if !declared_json {
        Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
        ))
    } else {
        parse_json(bytes)
    }
}

/// Parses JSON text: malformed JSON is 400, well-formed JSON of the wrong shape
/// 422 naming the field.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    match serde_path_to_error::deserialize(&mut de) {
        Ok(value) => {
            de.end()
                .map_err(|_| ApiError::new(StatusCode::BAD_REQUEST, "malformed_json"))?;
            Ok(value)
        }
        Err(err) => {
            let path = err.path().to_string();
            let inner = err.into_inner();
            // A shape error can surface before the parser reaches a syntax error
            // further on (`{"a":1} {`): the body is only "of the wrong shape" if
            // it is JSON at all.
            let well_formed = serde_json::from_slice::<serde::de::IgnoredAny>(bytes).is_ok();
            if inner.is_data() && well_formed {
                let field = if path == "." {
                    "body".to_owned()
                } else {
                    path.clone()
                };
                let problem = if inner.to_string().starts_with("missing field") {
                    "required"
                } else {
                    "invalid"
                };
                // A missing field is reported where it is missing: `title`, or
                // `attachments[0].content_base64` inside a list.
                let field = match inner.to_string().strip_prefix("missing field `") {
                    Some(rest) => {
                        let name = rest.split('`').next().unwrap_or("body");
                        if path == "." {
                            name.to_owned()
                        } else {
                            format!("{path}.{name}")
                        }
                    }
                    None => field,
                };
                Err(
                    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_input")
                        .field(&field, problem),
                )
            } else {
                Err(ApiError::new(StatusCode::BAD_REQUEST, "malformed_json"))
            }
        }
    }
}
