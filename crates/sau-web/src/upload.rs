//! Request bodies that carry files, for the API and the web forms alike:
//! `multipart/form-data` read part by part, each file streamed to the service's
//! [`Upload`] as it arrives, never held whole in memory.

use crate::error::ApiError;
use axum::extract::Multipart;
use axum::http::{HeaderMap, StatusCode, header};
use sau_domain::{AttachmentLimits, AttachmentRefusal};
use sau_service::{Service, StagedFiles, UploadError};

/// The name of the parts that carry files (`files[]` is accepted too).
pub const FILES_PART: &str = "files";

/// What a multipart body held: its text parts in order, and its files, stored.
#[derive(Debug, Default)]
pub struct Received {
    pub parts: Vec<(String, String)>,
    pub files: StagedFiles,
}

impl Received {
    /// The first text part called `name`.
    pub fn part(&self, name: &str) -> Option<&str> {
        part(&self.parts, name)
    }

    /// The text parts as named fields, each the first part of its name: what
    /// [`sau_service::CommandInput::read`] reads a command from.
    pub fn fields(&self) -> serde_json::Map<String, serde_json::Value> {
        let mut fields = serde_json::Map::new();
        for (name, value) in &self.parts {
            if !fields.contains_key(name) {
                fields.insert(name.clone(), value.clone().into());
            }
        }
        fields
    }

    /// What the person typed into a command's form, kept for them if it is
    /// refused.
    pub fn draft(&self, kind: sau_domain::CommandKind) -> String {
        let field = match kind {
            sau_domain::CommandKind::Comment => "body",
            sau_domain::CommandKind::Resolve => "resolution",
            _ => "reason",
        };
        self.part(field).unwrap_or_default().to_owned()
    }
}

/// The first of `parts` called `name`.
pub fn part<'a>(parts: &'a [(String, String)], name: &str) -> Option<&'a str> {
    parts
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

#[derive(Debug)]
pub enum ReceiveError {
    /// Over a limit, of a kind not accepted, or empty.
    Refused(AttachmentRefusal),
    /// The body is not well-formed multipart, or it ended early.
    Malformed,
    /// A web form whose first part is not the session's form token.
    Forged,
    /// A text part longer than allowed.
    TextTooLong,
    Storage(std::io::Error),
}

impl From<ReceiveError> for ApiError {
    fn from(e: ReceiveError) -> Self {
        match e {
            ReceiveError::Refused(refusal) => ApiError::refused(refusal),
            ReceiveError::Malformed => ApiError::new(StatusCode::BAD_REQUEST, "upload_interrupted"),
            ReceiveError::Forged => ApiError::new(StatusCode::FORBIDDEN, "forbidden"),
            ReceiveError::TextTooLong => {
                ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large")
            }
            ReceiveError::Storage(e) => {
                tracing::error!(error = %e, "storing an upload failed");
                ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal")
            }
        }
    }
}

/// Whether the body is `multipart/form-data`.
pub fn is_multipart(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.trim_start()
                .to_ascii_lowercase()
                .starts_with("multipart/form-data")
        })
}

/// Refuses, before reading a byte of it, a body that declares itself larger than
/// any request within the limits could be.
pub fn refuse_early(headers: &HeaderMap, limits: &AttachmentLimits) -> Result<(), ReceiveError> {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    match declared {
        Some(length) if length > limits.max_body_bytes() => {
            Err(ReceiveError::Refused(AttachmentRefusal::RequestTooLarge {
                limit: limits.max_request_bytes,
            }))
        }
        _ => Ok(()),
    }
}

/// Reads a multipart body. Text parts are kept (each at most `text_limit`
/// bytes); file parts go to the blob store through the service's limits and
/// content checks.
pub async fn receive(
    service: &Service,
    multipart: Multipart,
    text_limit: usize,
) -> Result<Received, ReceiveError> {
    receive_keeping_text(service, multipart, text_limit)
        .await
        .map_err(|unreceived| unreceived.error)
}

/// Why a body was not taken, with the text parts read before it stopped: a
/// form refused for its files can still show what the person typed.
#[derive(Debug)]
pub struct Unreceived {
    pub error: ReceiveError,
    pub parts: Vec<(String, String)>,
}

impl From<ReceiveError> for Unreceived {
    fn from(error: ReceiveError) -> Self {
        Unreceived {
            error,
            parts: Vec::new(),
        }
    }
}

/// [`receive`], keeping the text parts read before a refusal.
pub async fn receive_keeping_text(
    service: &Service,
    multipart: Multipart,
    text_limit: usize,
) -> Result<Received, Unreceived> {
    let mut received = Received::default();
    match read_parts(service, multipart, text_limit, &mut received).await {
        Ok(()) => Ok(received),
        Err(error) => Err(Unreceived {
            error,
            parts: received.parts,
        }),
    }
}

async fn read_parts(
    service: &Service,
    mut multipart: Multipart,
    text_limit: usize,
    received: &mut Received,
) -> Result<(), ReceiveError> {
    let limits = service.attachment_limits().clone();
    let over_limit = |e: &axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ReceiveError::Refused(AttachmentRefusal::RequestTooLarge {
                limit: limits.max_request_bytes,
            })
        } else {
            ReceiveError::Malformed
        }
    };
    let mut upload = service.upload();
    while let Some(mut field) = multipart.next_field().await.map_err(|e| over_limit(&e))? {
        let name = field.name().unwrap_or("").to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let is_file_part = name == FILES_PART || name == "files[]";
        if is_file_part || file_name.is_some() {
            if !is_file_part {
                // A file under another name: not something this request takes.
                drain(&mut field).await.map_err(|e| over_limit(&e))?;
                continue;
            }
            match file_name.as_deref() {
                // What a browser sends for a file input left empty.
                Some("") => drain(&mut field).await.map_err(|e| over_limit(&e))?,
                name => upload
                    .add(name.unwrap_or(""), &mut field)
                    .await
                    .map_err(|e| match e {
                        UploadError::Refused(refusal) => ReceiveError::Refused(refusal),
                        UploadError::Body(e) => over_limit(&e),
                        UploadError::Storage(e) => ReceiveError::Storage(e),
                    })?,
            }
            continue;
        }
        let value = read_text(&mut field, text_limit)
            .await
            .map_err(|e| match e {
                TextError::TooLong => ReceiveError::TextTooLong,
                TextError::Body(e) => over_limit(&e),
            })?;
        received.parts.push((name, value));
    }
    received.files = upload.finish();
    Ok(())
}

enum TextError {
    TooLong,
    Body(axum::extract::multipart::MultipartError),
}

async fn read_text(
    field: &mut axum::extract::multipart::Field<'_>,
    limit: usize,
) -> Result<String, TextError> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field.chunk().await.map_err(TextError::Body)? {
        if bytes.len() + chunk.len() > limit {
            return Err(TextError::TooLong);
        }
        bytes.extend_from_slice(&chunk);
    }
    // Browsers send form text as UTF-8; anything else is replaced, not refused.
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

async fn drain(
    field: &mut axum::extract::multipart::Field<'_>,
) -> Result<(), axum::extract::multipart::MultipartError> {
    while field.chunk().await?.is_some() {}
    Ok(())
}
