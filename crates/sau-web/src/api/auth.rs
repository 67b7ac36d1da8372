//! Sign-in, sign-out and the current user.

use crate::AppState;
use crate::client_address::ClientAddress;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, AuthUser, bearer};
use crate::json::{self, UserJson};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"login": "solicitante", "password": "solicitante"}))]
pub struct LoginBody {
    login: String,
    password: String,
}

/// A session for the API: send the token as `Authorization: Bearer <token>`.
#[derive(Serialize, ToSchema)]
pub struct LoginAnswer<'a> {
    token: &'a str,
    user: UserJson<'a>,
}

/// Signs in. Limited like signing in on the pages: after a few failures for
/// the account or from the address, 429 with `Retry-After`.
#[utoipa::path(
    post, path = "/auth/login", tag = "auth", security(()),
    request_body = LoginBody,
    responses(
        (status = 200, description = "Signed in", body = LoginAnswer),
        (status = 401, description = "Wrong login or password", body = ErrorBody),
        (status = 422, description = "A field missing or of the wrong type", body = ErrorBody),
        (status = 429, description = "Too many failures: wait `Retry-After` seconds", body = ErrorBody),
    )
)]
pub async fn login(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    ApiJson(body): ApiJson<LoginBody>,
) -> Result<Response, ApiError> {
    let outcome = state
        .service
        .login(&body.login, &body.password, address)
        .await?;
    Ok(Json(LoginAnswer {
        token: &outcome.token,
        user: json::user(&outcome.user),
    })
    .into_response())
}

/// Signs out: the token stops working.
#[utoipa::path(
    post, path = "/auth/logout", tag = "auth",
    responses(
        (status = 204, description = "Signed out"),
        (status = 401, description = "No valid token", body = ErrorBody),
    )
)]
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

/// Who the token belongs to.
#[utoipa::path(
    get, path = "/me", tag = "auth",
    responses(
        (status = 200, description = "The signed-in person", body = UserJson),
        (status = 401, description = "No valid token", body = ErrorBody),
    )
)]
pub async fn me(AuthUser(caller): AuthUser) -> Result<Response, ApiError> {
    let user = caller
        .user()
        .ok_or_else(|| ApiError::new(StatusCode::UNAUTHORIZED, "unauthenticated"))?;
    Ok(Json(json::user(user)).into_response())
}
