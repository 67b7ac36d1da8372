//! Canned responses: `GET` for every agent (optionally only those of a
//! category, or that fit a comment or a resolution); `POST`, `PUT` and `DELETE`
//! for the people who keep them.

use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, AuthUser};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use sau_domain::ResponseUse;
use sau_service::{CannedResponse, CannedResponseInput};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A text an agent can put in a comment or a resolution with one click.
#[derive(Serialize, ToSchema)]
#[schema(as = CannedResponse)]
pub struct ResponseJson<'a> {
    id: i64,
    /// Its category's key; null: offered on every ticket.
    category: Option<&'a str>,
    title: &'a str,
    body: &'a str,
    used_for: ResponseUse,
    #[schema(value_type = String, format = DateTime)]
    updated_at: jiff::Timestamp,
}

fn response_json(r: &CannedResponse) -> ResponseJson<'_> {
    ResponseJson {
        id: r.id,
        category: r.category.as_deref(),
        title: &r.text.title,
        body: &r.text.body,
        used_for: r.text.used_for,
        updated_at: r.updated_at,
    }
}

#[derive(Serialize, ToSchema)]
pub struct ResponseList<'a> {
    canned_responses: Vec<ResponseJson<'a>>,
}

/// An id in the path; anything but a number names no response.
fn response_id(id: &str) -> Result<i64, ApiError> {
    id.parse()
        .map_err(|_| ApiError::new(StatusCode::NOT_FOUND, "not_found"))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// A category's key: only the responses offered on its tickets.
    category: Option<String>,
    /// `comment` or `resolution`: only the responses that fit there.
    #[serde(rename = "use")]
    place: Option<String>,
}

/// The canned responses (agents).
#[utoipa::path(
    get, path = "/canned-responses", tag = "canned-responses",
    params(ListQuery),
    responses(
        (status = 200, description = "The responses", body = ResponseList),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Not an agent", body = ErrorBody),
        (status = 422, description = "`use` is not `comment` or `resolution`", body = ErrorBody),
    )
)]
pub async fn list_responses(
    State(state): State<AppState>,
    AuthUser(caller): AuthUser,
    Query(query): Query<ListQuery>,
) -> Result<Response, ApiError> {
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
    Ok(Json(ResponseList {
        canned_responses: responses.iter().map(response_json).collect(),
    })
    .into_response())
}

/// The body of `POST` and `PUT`; `category` absent or empty: every category;
/// `used_for` absent: `both`.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({
    "title": "Reinicio de clave",
    "body": "Se reinició su clave; la nueva llegó a su correo.",
    "used_for": "resolution"
}))]
pub struct ResponseBody {
    #[serde(default)]
    category: Option<String>,
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    /// `comment`, `resolution` or `both`.
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

/// Adds a canned response (dispatchers and administrators).
#[utoipa::path(
    post, path = "/canned-responses", tag = "canned-responses",
    request_body = ResponseBody,
    responses(
        (status = 201, description = "Added", body = ResponseJson),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Not a dispatcher or administrator", body = ErrorBody),
        (status = 422, description = "A field is wrong", body = ErrorBody),
    )
)]
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

/// Changes a canned response.
#[utoipa::path(
    put, path = "/canned-responses/{id}", tag = "canned-responses",
    params(("id" = i64, Path, description = "The response's id")),
    request_body = ResponseBody,
    responses(
        (status = 200, description = "Changed", body = ResponseJson),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Not a dispatcher or administrator", body = ErrorBody),
        (status = 404, description = "No such response", body = ErrorBody),
        (status = 422, description = "A field is wrong", body = ErrorBody),
    )
)]
pub async fn update_response(
    State(state): State<AppState>,
    AuthUser(caller): AuthUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ResponseBody>,
) -> Result<Response, ApiError> {
    let id = response_id(&id)?;
    let updated = state
        .service
        .update_canned_response(&caller, id, &body.input())
        .await?;
    Ok(Json(response_json(&updated)).into_response())
}

/// Removes a canned response.
#[utoipa::path(
    delete, path = "/canned-responses/{id}", tag = "canned-responses",
    params(("id" = i64, Path, description = "The response's id")),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Not a dispatcher or administrator", body = ErrorBody),
        (status = 404, description = "No such response", body = ErrorBody),
    )
)]
pub async fn delete_response(
    State(state): State<AppState>,
    AuthUser(caller): AuthUser,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let id = response_id(&id)?;
    state.service.delete_canned_response(&caller, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
