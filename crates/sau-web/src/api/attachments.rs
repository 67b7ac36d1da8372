//! An attachment's bytes, for whoever may see its entry.

use crate::AppState;
use crate::downloads::{self, DownloadQuery};
use crate::error::{ApiError, ErrorBody};
use crate::extract::AuthUser;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use sau_domain::AttachmentId;

/// An attachment's bytes, as a download (`?inline=1` to view PDFs and images
/// in the browser). Whoever may not see its entry hears 404, as for an id that
/// does not exist.
#[utoipa::path(
    get, path = "/attachments/{id}", tag = "tickets",
    params(
        ("id" = i64, Path, description = "The attachment's id"),
        ("inline" = Option<String>, Query, description = "`1` to view it in the browser"),
    ),
    responses(
        (status = 200, description = "The file", content_type = "application/octet-stream", body = Vec<u8>),
        (status = 304, description = "Unchanged since the `ETag` sent in `If-None-Match`"),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 404, description = "No such attachment, or not one the caller may see", body = ErrorBody),
    )
)]
pub async fn download_attachment(
    State(state): State<AppState>,
    AuthUser(caller): AuthUser,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(query): Query<DownloadQuery>,
) -> Result<Response, ApiError> {
    let id = id
        .parse()
        .map(AttachmentId)
        .map_err(|_| ApiError::new(StatusCode::NOT_FOUND, "not_found"))?;
    let file = state.service.attachment_file(&caller, id).await?;
    Ok(downloads::send(file, &query, &headers))
}
