//! The caller's saved searches: named ticket-list filters, the same ones the
//! list page shows as tabs. Each person sees and changes only their own.

use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, AuthUser};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use sau_service::SavedSearch;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Filters saved under a name.
#[derive(Serialize, ToSchema)]
#[schema(as = SavedSearch)]
pub struct SavedSearchJson<'a> {
    id: i64,
    name: &'a str,
    /// The list page's query string (`q=impresora&state=new`): open `/?` and
    /// it in a browser. Its keys are the list page's: `q`, `state`,
    /// `category`, `priority`, `technician`, `requester`, `department`,
    /// `from`, `to` (dates), `due`, `sort`.
    query: &'a str,
    #[schema(value_type = String, format = DateTime)]
    created_at: jiff::Timestamp,
}

fn saved_json(s: &SavedSearch) -> SavedSearchJson<'_> {
    SavedSearchJson {
        id: s.id,
        name: &s.name,
        query: &s.query,
        created_at: s.created_at,
    }
}

#[derive(Serialize, ToSchema)]
pub struct SavedSearchList<'a> {
    saved_searches: Vec<SavedSearchJson<'a>>,
}

/// The caller's saved searches, in the order they were first saved.
#[utoipa::path(
    get, path = "/saved-searches", tag = "saved-searches",
    responses(
        (status = 200, description = "The saved searches", body = SavedSearchList),
        (status = 401, description = "No valid token", body = ErrorBody),
    )
)]
pub async fn list_saved_searches(
    State(state): State<AppState>,
    AuthUser(caller): AuthUser,
) -> Result<Response, ApiError> {
    let saved = state.service.saved_searches(&caller).await?;
    Ok(Json(SavedSearchList {
        saved_searches: saved.iter().map(saved_json).collect(),
    })
    .into_response())
}

/// What `POST /saved-searches` takes.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"name": "Impresoras sin asignar", "query": "q=impresora&state=new"}))]
pub struct SaveSearchBody {
    #[serde(default)]
    name: String,
    /// The list page's query string; a leading `/?` or `?` is dropped.
    #[serde(default)]
    query: String,
}

/// Saves filters under a name; a search of that name is replaced. At most 20
/// per person (`name`: `too_many`).
#[utoipa::path(
    post, path = "/saved-searches", tag = "saved-searches",
    request_body = SaveSearchBody,
    responses(
        (status = 201, description = "Saved", body = SavedSearchJson),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 422, description = "A name or query that does not do, or 20 saved already", body = ErrorBody),
    )
)]
pub async fn save_search(
    State(state): State<AppState>,
    AuthUser(caller): AuthUser,
    ApiJson(body): ApiJson<SaveSearchBody>,
) -> Result<Response, ApiError> {
    let saved = state
        .service
        .save_search(&caller, &body.name, &body.query)
        .await?;
    Ok((StatusCode::CREATED, Json(saved_json(&saved))).into_response())
}

/// Removes one of the caller's saved searches.
#[utoipa::path(
    delete, path = "/saved-searches/{id}", tag = "saved-searches",
    params(("id" = i64, Path, description = "The saved search's id")),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 404, description = "No saved search of the caller's with that id", body = ErrorBody),
    )
)]
pub async fn delete_saved_search(
    State(state): State<AppState>,
    AuthUser(caller): AuthUser,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let id: i64 = id
        .parse()
        .map_err(|_| ApiError::new(StatusCode::NOT_FOUND, "not_found"))?;
    state.service.delete_saved_search(&caller, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
