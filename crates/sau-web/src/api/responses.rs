//! Canned responses: `GET` for every agent (optionally only those of a
//! category, or that fit a comment or a resolution); `POST`, `PUT` and `DELETE`
//! for the people who keep them.

use crate::AppState;
use crate::error::ApiError;
use crate::extract::{ApiJson, AuthUser};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use sau_domain::ResponseUse;
use sau_service::{CannedResponse, CannedResponseInput};
use serde::Deserialize;
use serde_json::{Value, json};

fn response_json(r: &CannedResponse) -> Value {
    json!({
        "id": r.id,
        "category": r.category,
        "title": r.text.title,
        "body": r.text.body,
        "used_for": r.text.used_for,
        "updated_at": r.updated_at.to_string(),
    })
}

/// An id in the path; anything but a number names no response.
fn response_id(id: &str) -> Result<i64, ApiError> {
    id.parse()
        .map_err(|_| ApiError::new(StatusCode::NOT_FOUND, "not_found"))
}

#[derive(Debug, Deserialize)]
pub struct ListQuery {
    category: Option<String>,
    /// `comment` or `resolution`: only the responses that fit there.
    #[serde(rename = "use")]
    place: Option<String>,
}

pub async fn list_responses(
    State(state): State<AppState>,
    AuthUser(caller): AuthUser,
    Query(query): Query<ListQuery>,
) -> Result<Json<Value>, ApiError> {
    let place = match query
        .place
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        None => None,
        Some(p) => Some(ResponseUse::parse(p).ok_or_else(|| {
            ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_input")
                .field("use", "not_an_option")
        })?),
    };
    let responses = state
        .service
        .canned_responses(&caller, query.category.as_deref(), place)
        .await?;
    Ok(Json(json!({
        "canned_responses": responses.iter().map(response_json).collect::<Vec<_>>(),
    })))
}

/// The body of `POST` and `PUT`; `category` absent or empty: every category;
/// `used_for` absent: `both`.
#[derive(Debug, Deserialize)]
pub struct ResponseBody {
    #[serde(default)]
    category: Option<String>,
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    used_for: Option<String>,
}

impl ResponseBody {
    fn input(self) -> CannedResponseInput {
        CannedResponseInput {
            category: self.category,
            title: self.title,
            body: self.body,
            used_for: self.used_for.unwrap_or_else(|| "both".to_owned()),
        }
    }
}

pub async fn create_response(
    State(state): State<AppState>,
    AuthUser(caller): AuthUser,
    ApiJson(body): ApiJson<ResponseBody>,
) -> Result<Response, ApiError> {
    let created = state
        .service
        .create_canned_response(&caller, &body.input())
        .await?;
    Ok((StatusCode::CREATED, Json(response_json(&created))).into_response())
}

pub async fn update_response(
    State(state): State<AppState>,
    AuthUser(caller): AuthUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ResponseBody>,
) -> Result<Json<Value>, ApiError> {
    let id = response_id(&id)?;
    let updated = state
        .service
        .update_canned_response(&caller, id, &body.input())
        .await?;
    Ok(Json(response_json(&updated)))
}

pub async fn delete_response(
    State(state): State<AppState>,
    AuthUser(caller): AuthUser,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let id = response_id(&id)?;
    state.service.delete_canned_response(&caller, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
