//! An attachment's bytes, for whoever may see its entry.

use crate::AppState;
use crate::downloads::{self, DownloadQuery};
use crate::error::ApiError;
use crate::extract::AuthUser;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use sau_domain::AttachmentId;

/// `GET /attachments/{id}`: a download (`?inline=1` to view PDFs and images in
/// the browser). Whoever may not see the entry hears 404, as for an id that
/// does not exist.
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
