//! One route per command of the procedure. Each body may carry the `version` the
//! caller saw; a ticket that has moved on since answers 409.

use crate::api::submission::{self, InlineFile, WithFiles};
use crate::api::tickets::CHANNEL;
use crate::error::ApiError;
use crate::extract::{ApiJson, AuthUser};
use crate::i18n::Lang;
use crate::{AppState, json};
use axum::Json;
use axum::extract::{Path, Request, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use sau_domain::{AttentionMode, UserId};
use sau_service::{Action, TechnicianRef};
use serde::Deserialize;

async fn run(
    state: &AppState,
    caller: &sau_service::Caller,
    headers: &HeaderMap,
    number: &str,
    action: Action,
    version: Option<i64>,
) -> Result<Response, ApiError> {
    let record = state
        .service
        .act(caller, number, action, version, CHANNEL)
        .await?;
    Ok(Json(json::ticket(&record, Lang::from_headers(headers))).into_response())
}

/// A technician named by id (number) or login (string).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum TechnicianParam {
    Id(i64),
    Login(String),
}

impl From<TechnicianParam> for TechnicianRef {
    fn from(t: TechnicianParam) -> Self {
        match t {
            TechnicianParam::Id(id) => TechnicianRef::Id(UserId(id)),
            TechnicianParam::Login(login) => TechnicianRef::Login(login),
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct AssignBody {
    technician: TechnicianParam,
    priority: Option<i64>,
    category: Option<String>,
    version: Option<i64>,
}

pub async fn assign_ticket(
    State(state): State<AppState>,
    AuthUser(caller): AuthUser,
    headers: HeaderMap,
    Path(number): Path<String>,
    ApiJson(body): ApiJson<AssignBody>,
) -> Result<Response, ApiError> {
    let action = Action::Assign {
        technician: body.technician.into(),
        priority: body.priority,
        category: body.category,
    };
    run(&state, &caller, &headers, &number, action, body.version).await
}

#[derive(Debug, Deserialize)]
pub struct ReassignBody {
    technician: TechnicianParam,
    version: Option<i64>,
}

pub async fn reassign_ticket(
    State(state): State<AppState>,
    AuthUser(caller): AuthUser,
    headers: HeaderMap,
    Path(number): Path<String>,
    ApiJson(body): ApiJson<ReassignBody>,
) -> Result<Response, ApiError> {
    let action = Action::Reassign {
        technician: body.technician.into(),
    };
    run(&state, &caller, &headers, &number, action, body.version).await
}

#[derive(Debug, Default, Deserialize)]
pub struct VersionBody {
    version: Option<i64>,
}

#[derive(Debug, Deserialize)]
pub struct ReasonBody {
    reason: String,
    version: Option<i64>,
}

macro_rules! plain_command {
    ($name:ident, $action:expr) => {
        pub async fn $name(
            State(state): State<AppState>,
            AuthUser(caller): AuthUser,
            headers: HeaderMap,
            Path(number): Path<String>,
            ApiJson(body): ApiJson<VersionBody>,
        ) -> Result<Response, ApiError> {
            run(&state, &caller, &headers, &number, $action, body.version).await
        }
    };
}

macro_rules! reason_command {
    ($name:ident, $variant:ident) => {
        pub async fn $name(
            State(state): State<AppState>,
            AuthUser(caller): AuthUser,
            headers: HeaderMap,
            Path(number): Path<String>,
            ApiJson(body): ApiJson<ReasonBody>,
        ) -> Result<Response, ApiError> {
            let action = Action::$variant {
                reason: body.reason,
            };
            run(&state, &caller, &headers, &number, action, body.version).await
        }
    };
}

plain_command!(accept_ticket, Action::Accept);
plain_command!(resume_ticket, Action::Resume);
plain_command!(close_ticket, Action::Close);
reason_command!(hold_ticket, Hold);
reason_command!(return_ticket, Return);
reason_command!(cancel_ticket, Cancel);
reason_command!(reopen_ticket, Reopen);

#[derive(Debug, Deserialize)]
pub struct ResolveBody {
    resolution: String,
    attention_mode: AttentionMode,
    remote_tool: Option<String>,
    remote_id: Option<String>,
    version: Option<i64>,
    #[serde(default)]
    attachments: Vec<InlineFile>,
}

impl WithFiles for ResolveBody {
    const PART: &'static str = "resolution";

    fn take_inline_files(&mut self) -> Vec<InlineFile> {
        std::mem::take(&mut self.attachments)
    }
}

/// `POST /tickets/{number}/resolve`: the hand-back, with files (a signed delivery
/// record, a photo of the repaired equipment) like an entry's; multipart sends the
/// JSON in a `resolution` part.
pub async fn resolve_ticket(
    State(state): State<AppState>,
    AuthUser(caller): AuthUser,
    headers: HeaderMap,
    Path(number): Path<String>,
    request: Request,
) -> Result<Response, ApiError> {
    let (body, attachments) = submission::receive::<ResolveBody>(&state, request).await?;
    let action = Action::Resolve {
        resolution: body.resolution,
        attention_mode: body.attention_mode,
        remote_tool: body.remote_tool,
        remote_id: body.remote_id,
        attachments,
    };
    run(&state, &caller, &headers, &number, action, body.version).await
}
