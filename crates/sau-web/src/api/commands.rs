//! Every command of the procedure, through one route: `POST
//! /tickets/{number}/{command}` (and `…/entries` for a comment). The body holds
//! the command's fields, read into its one input as every channel reads them;
//! it may carry the `version` the caller saw, and a ticket that has moved on
//! since answers 409.

use crate::api::submission::{self, CommandFields};
use crate::api::tickets::CHANNEL;
use crate::error::ApiError;
use crate::extract::AuthUser;
use crate::i18n::Lang;
use crate::{AppState, json};
use axum::Json;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use sau_domain::CommandKind;
use sau_service::{Action, CommandInput, StagedFiles};
use serde::Serialize;

/// `POST /tickets/{number}/{command}`: `assign`, `accept`, `resolve`, … (see
/// [`CommandKind`]); an unknown command is 404.
pub async fn command_ticket(
    State(state): State<AppState>,
    AuthUser(caller): AuthUser,
    headers: HeaderMap,
    Path((number, command)): Path<(String, String)>,
    request: Request,
) -> Result<Response, ApiError> {
    let kind: CommandKind = command
        .parse()
        .map_err(|()| ApiError::new(StatusCode::NOT_FOUND, "not_found"))?;
    let ticket = run(&state, &caller, &headers, &number, kind, request).await?;
    Ok(ticket.into_response())
}

/// `POST /tickets/{number}/entries`: a comment, with files like a new ticket's
/// (multipart: an `entry` part); with files its text may be empty.
pub async fn add_entry(
    State(state): State<AppState>,
    AuthUser(caller): AuthUser,
    headers: HeaderMap,
    Path(number): Path<String>,
    request: Request,
) -> Result<Response, ApiError> {
    let kind = CommandKind::Comment;
    let ticket = run(&state, &caller, &headers, &number, kind, request).await?;
    Ok((StatusCode::CREATED, ticket).into_response())
}

/// The ticket after a command, with what the caller may do next.
#[derive(Serialize)]
struct TicketAfter<'a> {
    #[serde(flatten)]
    ticket: json::TicketJson<'a>,
    allowed_actions: Vec<CommandKind>,
}

async fn run(
    state: &AppState,
    caller: &sau_service::Caller,
    headers: &HeaderMap,
    number: &str,
    kind: CommandKind,
    request: Request,
) -> Result<Response, ApiError> {
    let (fields, files) = if Action::takes_files(kind) {
        // Nothing is stored for a command its caller may not give.
        submission::refuse_declared_too_large(state, request.headers())?;
        state.service.may(caller, number, kind).await?;
        let part = match kind {
            CommandKind::Resolve => "resolution",
            _ => "entry",
        };
        let (body, files) = submission::receive::<CommandFields>(state, request, part).await?;
        (body.fields, files)
    } else {
        let fields = submission::receive_fields(state, request).await?;
        (fields, StagedFiles::default())
    };
    let input = CommandInput::read(kind, fields, files)?;
    let record = state
        .service
        .act(caller, number, input.action, input.version, CHANNEL)
        .await?;
    Ok(Json(TicketAfter {
        ticket: json::ticket(&record, Lang::from_headers(headers)),
        allowed_actions: state.service.allowed_commands(caller, &record),
    })
    .into_response())
}
