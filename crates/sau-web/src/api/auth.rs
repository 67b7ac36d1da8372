//! Sign-in, sign-out and the current user.

use crate::client_address::ClientAddress;
use crate::error::ApiError;
use crate::extract::{ApiJson, AuthUser, bearer};
use crate::{AppState, json};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::request::Parts;
use serde::Deserialize;
use serde_json::Value;

#[derive(Debug, Deserialize)]
pub struct LoginBody {
    login: String,
    password: String,
}

/// `POST /auth/login`: limited like signing in on the pages (429 with
/// `Retry-After` after a few failures for the account or from the address).
pub async fn login(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    ApiJson(body): ApiJson<LoginBody>,
) -> Result<Json<Value>, ApiError> {
    let outcome = state
        .service
        .login(&body.login, &body.password, address)
        .await?;
    Ok(Json(serde_json::json!({
        "token": outcome.token,
        "user": json::user(&outcome.user),
    })))
}

pub async fn logout(
    State(state): State<AppState>,
    AuthUser(_): AuthUser,
    parts: Parts,
) -> Result<StatusCode, ApiError> {
    if let Some(token) = bearer(&parts) {
        state.service.logout(token).await?;
    }
    Ok(StatusCode::NO_CONTENT)
}

pub async fn me(AuthUser(caller): AuthUser) -> Result<Json<Value>, ApiError> {
    let user = caller
        .user()
        .ok_or_else(|| ApiError::new(StatusCode::UNAUTHORIZED, "unauthenticated"))?;
    Ok(Json(json::user(user)))
}
