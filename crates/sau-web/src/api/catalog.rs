//! Categories and technicians.

use crate::error::ApiError;
use crate::extract::AuthUser;
use crate::i18n::Lang;
use crate::{AppState, json};
use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use serde_json::{Value, json};

pub async fn list_categories(
    State(state): State<AppState>,
    AuthUser(caller): AuthUser,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    let lang = Lang::from_headers(&headers);
    let categories = state.service.categories(&caller).await?;
    Ok(Json(json!({
        "categories": categories.iter().map(|c| json::category(c, lang)).collect::<Vec<_>>(),
    })))
}

pub async fn list_technicians(
    State(state): State<AppState>,
    AuthUser(caller): AuthUser,
) -> Result<Json<Value>, ApiError> {
    let technicians = state.service.technicians(&caller).await?;
    Ok(Json(json!({
        "technicians": technicians.iter().map(json::technician).collect::<Vec<_>>(),
    })))
}
