//! Bodies that may carry files (a new ticket, an entry), in either form the API
//! takes, chosen by `Content-Type`:
//!
//! - `application/json`, with the files inline as base64 under `attachments`;
//! - `multipart/form-data`, with the same JSON (without `attachments`) in one part
//!   and each file in a `files` part, streamed to the blob store as it arrives.
//!
//! Either way the files are stored and checked before the command runs, and a
//! refused body leaves no ticket or entry behind.

use crate::error::ApiError;
use crate::extract::{declares_json, parse_body, parse_json};
use crate::upload;
use crate::{AppState, BodyPace};
use axum::body::Body;
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::{HeaderMap, StatusCode, header};
use base64::Engine;
use futures::StreamExt;
use sau_domain::AttachmentRefusal;
use sau_service::{StagedFiles, UploadError};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use std::convert::Infallible;

/// A JSON body that may come with files.
pub trait WithFiles: DeserializeOwned {
    /// Takes out the files sent inline (JSON bodies only).
    fn take_inline_files(&mut self) -> Vec<InlineFile>;
}

/// A command's named fields, with any files sent inline taken apart: read into
/// the command's input by [`sau_service::CommandInput::read`].
#[derive(Debug, Deserialize)]
pub struct CommandFields {
    #[serde(default)]
    attachments: Vec<InlineFile>,
    #[serde(flatten)]
    pub fields: serde_json::Map<String, serde_json::Value>,
}

impl WithFiles for CommandFields {
    fn take_inline_files(&mut self) -> Vec<InlineFile> {
        std::mem::take(&mut self.attachments)
    }
}

/// A command's fields without files, read up to the JSON limit whatever the
/// route's own limit (a command that takes files shares its route).
pub async fn receive_fields(
    state: &AppState,
    request: Request,
) -> Result<serde_json::Map<String, serde_json::Value>, ApiError> {
    let declared_json = declares_json(request.headers());
    let bytes = read_at_most(
        request.into_body(),
        state.config.json_limit,
        state.config.body_pace,
    )
    .await?
    .ok_or_else(|| ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"))?;
    let body: CommandFields = parse_body(&bytes, declared_json)?;
    if !body.attachments.is_empty() {
        return Err(
            ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_input")
                .field("attachments", "unknown"),
        );
    }
    Ok(body.fields)
}

/// A file inside a JSON body. A `content_type` may be sent too; it is ignored,
/// like every unknown key: the kind is decided from the bytes.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct InlineFile {
    #[serde(default)]
    filename: Option<String>,
    /// The bytes, base64 (standard alphabet).
    content_base64: String,
}

/// The largest multipart body these routes read: the files within the limits,
/// plus room for the JSON part and the framing.
pub fn multipart_limit(state: &AppState) -> usize {
    to_usize(state.service.attachment_limits().max_body_bytes())
}

/// The largest JSON body these routes read: every file within the request limit
/// once base64 has grown it by a third, plus an ordinary JSON body's worth. The
/// JSON around the files is still held to `json_limit`, as on every route.
pub fn inline_json_limit(state: &AppState) -> usize {
    let files = state
        .service
        .attachment_limits()
        .max_request_bytes
        .saturating_mul(4)
        .div_ceil(3);
    to_usize(files).saturating_add(state.config.json_limit)
}

fn to_usize(bytes: u64) -> usize {
    usize::try_from(bytes).unwrap_or(usize::MAX)
}

/// Refuses a body whose declared length is over what the route could take, from
/// its headers alone (before anything else is asked of it).
pub fn refuse_declared_too_large(state: &AppState, headers: &HeaderMap) -> Result<(), ApiError> {
    let limits = state.service.attachment_limits();
    if upload::is_multipart(headers) {
        return Ok(upload::refuse_early(headers, limits)?);
    }
    if declared_length(headers).is_some_and(|length| length > inline_json_limit(state) as u64) {
        return Err(ApiError::refused(AttachmentRefusal::RequestTooLarge {
            limit: limits.max_request_bytes,
        }));
    }
    Ok(())
}

/// Reads `request` as JSON with inline files or as multipart (the JSON in the
/// part named `part`), storing its files.
pub async fn receive<T: WithFiles>(
    state: &AppState,
    request: Request,
    part: &str,
) -> Result<(T, StagedFiles), ApiError> {
    if upload::is_multipart(request.headers()) {
        from_multipart(state, request, part).await
    } else {
        from_json(state, request).await
    }
}

async fn from_multipart<T: WithFiles>(
    state: &AppState,
    request: Request,
    part: &str,
) -> Result<(T, StagedFiles), ApiError> {
    upload::refuse_early(request.headers(), state.service.attachment_limits())?;
    let multipart = Multipart::from_request(request, state)
        .await
        .map_err(|_| ApiError::new(StatusCode::BAD_REQUEST, "bad_request"))?;
    let received = upload::receive(&state.service, multipart, state.config.json_limit).await?;
    let json = received.part(part).ok_or_else(|| {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").field(part, "required")
    })?;
    let mut body: T = parse_json(json.as_bytes())?;
    // Files travel as parts here; base64 ones as well would be a second,
    // unchecked way in.
    if !body.take_inline_files().is_empty() {
        return Err(
            ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_input")
                .field("attachments", "invalid"),
        );
    }
    Ok((body, received.files))
}

async fn from_json<T: WithFiles>(
    state: &AppState,
    request: Request,
) -> Result<(T, StagedFiles), ApiError> {
    let limit = inline_json_limit(state);
    let too_large = || {
        ApiError::refused(AttachmentRefusal::RequestTooLarge {
            limit: state.service.attachment_limits().max_request_bytes,
        })
    };
    if declared_length(request.headers()).is_some_and(|length| length > limit as u64) {
        return Err(too_large());
    }
    let declared_json = declares_json(request.headers());
    // A body that may be larger than any plain JSON one waits its turn, for a
    // while; a turn is then held only as long as the body keeps coming.
    let _turn = match declared_length(request.headers()) {
        Some(length) if length <= state.config.json_limit as u64 => None,
        _ => {
            let wait = state.config.body_pace.turn_wait;
            let turn = tokio::time::timeout(wait, state.inline_file_bodies.clone().acquire_owned())
                .await
                .map_err(|_| busy())?
                .map_err(|_| busy())?;
            Some(turn)
        }
    };
    let bytes = read_at_most(request.into_body(), limit, state.config.body_pace)
        .await?
        .ok_or_else(too_large)?;
    let mut body: T = parse_body(&bytes, declared_json)?;
    let body_len = bytes.len();
    // The parsed body holds the files; the raw bytes need not wait beside them.
    drop(bytes);
    let inline = body.take_inline_files();
    // Only the files may make the body larger than any other JSON body.
    let encoded: usize = inline.iter().map(|f| f.content_base64.len()).sum();
    if body_len.saturating_sub(encoded) > state.config.json_limit {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
        ));
    }
    let files = decode(inline)?;
    let mut upload = state.service.upload();
    for (name, bytes) in files {
        let one_chunk = futures::stream::iter([Ok::<_, Infallible>(bytes)]);
        upload.add(&name, one_chunk).await.map_err(|e| match e {
            UploadError::Refused(refusal) => ApiError::refused(refusal),
            UploadError::Storage(e) => {
                tracing::error!(error = %e, "storing an upload failed");
                ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal")
            }
            UploadError::Body(never) => match never {},
        })?;
    }
    Ok((body, upload.finish()))
}

fn declared_length(headers: &HeaderMap) -> Option<u64> {
    headers
        .get(header::CONTENT_LENGTH)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()
}

/// Every large body's turn is taken: try again shortly (503, `Retry-After`).
fn busy() -> ApiError {
    let mut err = ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "busy");
    err.details
        .insert("retry_after".into(), serde_json::json!(BUSY_RETRY_SECONDS));
    err
}

const BUSY_RETRY_SECONDS: u64 = 5;

/// The whole body, or `None` as soon as it grows past `limit` (a chunked body
/// declares no length to refuse it by). A body that falls behind `pace` is
/// cut off with 408, so a trickle cannot hold what it holds for long.
pub(crate) async fn read_at_most(
    body: Body,
    limit: usize,
    pace: BodyPace,
) -> Result<Option<Vec<u8>>, ApiError> {
    let started = tokio::time::Instant::now();
    let mut stream = body.into_data_stream();
    let mut bytes = Vec::new();
    loop {
        let deadline = started + pace.allowed_for(bytes.len());
        let next = tokio::time::timeout_at(deadline, stream.next())
            .await
            .map_err(|_| ApiError::new(StatusCode::REQUEST_TIMEOUT, "body_too_slow"))?;
        let Some(chunk) = next else { break };
        let chunk = chunk.map_err(|_| ApiError::new(StatusCode::BAD_REQUEST, "bad_request"))?;
        if bytes.len() + chunk.len() > limit {
            return Ok(None);
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(Some(bytes))
}

/// Every inline file's name and bytes; all are decoded before any is stored, so
/// bad base64 anywhere refuses the body at once.
fn decode(files: Vec<InlineFile>) -> Result<Vec<(String, Vec<u8>)>, ApiError> {
    files
        .into_iter()
        .enumerate()
        .map(|(i, file)| {
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(file.content_base64.trim())
                .map_err(|_| {
                    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_input")
                        .field(&format!("attachments[{i}].content_base64"), "invalid")
                })?;
            Ok((file.filename.unwrap_or_default(), bytes))
        })
        .collect()
}
