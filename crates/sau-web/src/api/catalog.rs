//! Categories and technicians.

use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::extract::AuthUser;
use crate::i18n::Lang;
use crate::json::{self, CategoryJson, TechnicianJson};
use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct CategoryList<'a> {
    categories: Vec<CategoryJson<'a>>,
}

/// The kinds of request, with the fields each asks for; names in the language
/// of `Accept-Language`.
#[utoipa::path(
    get, path = "/categories", tag = "catalog",
    responses(
        (status = 200, description = "Every category the caller may use", body = CategoryList),
        (status = 401, description = "No valid token", body = ErrorBody),
    )
)]
pub async fn list_categories(
    State(state): State<AppState>,
    AuthUser(caller): AuthUser,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let lang = Lang::from_headers(&headers);
    let categories = state.service.categories(&caller).await?;
    Ok(Json(CategoryList {
        categories: categories.iter().map(|c| json::category(c, lang)).collect(),
    })
    .into_response())
}

#[derive(Serialize, ToSchema)]
pub struct TechnicianList<'a> {
    technicians: Vec<TechnicianJson<'a>>,
}

/// The technicians, with their open tickets (agents only).
#[utoipa::path(
    get, path = "/technicians", tag = "catalog",
    responses(
        (status = 200, description = "Every active technician", body = TechnicianList),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Not an agent", body = ErrorBody),
    )
)]
pub async fn list_technicians(
    State(state): State<AppState>,
    AuthUser(caller): AuthUser,
) -> Result<Response, ApiError> {
    let technicians = state.service.technicians(&caller).await?;
    Ok(Json(TechnicianList {
        technicians: technicians.iter().map(json::technician).collect(),
    })
    .into_response())
}
