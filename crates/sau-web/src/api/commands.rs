//! Every command of the procedure: `POST /tickets/{number}/{command}` (and
//! `…/entries` for a comment). The body holds the command's fields, read into
//! its one input as every channel reads them; it may carry the `version` the
//! caller saw, and a ticket that has moved on since answers 409. The bodies'
//! shapes for the OpenAPI document are in [`crate::api::command_bodies`].

use crate::AppState;
use crate::api::command_bodies::{
    AssignBody, CommentBody, ConfirmBody, CorrectBody, EntryUpload, HoldBody, ReasonBody,
    ReassignBody, ResolutionUpload, ResolveBody, VersionBody,
};
use crate::api::submission::{self, CommandFields};
use crate::api::tickets::CHANNEL;
use crate::error::{ApiError, ErrorBody};
use crate::extract::AuthUser;
use crate::i18n::Lang;
use crate::json::{self, TicketAfter};
use axum::Json;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use sau_domain::CommandKind;
use sau_service::{Action, CommandInput, StagedFiles};

/// One handler per command, each described in the OpenAPI document with its
/// own body; all of them run [`run`].
macro_rules! command {
    ($(#[doc = $doc:tt])* $handler:ident, $kind:ident, $path:tt, json: $body:ident) => {
        $(#[doc = $doc])*
        #[utoipa::path(
            post, path = $path, tag = "commands",
            params(("number" = String, Path, description = "The ticket's number")),
            request_body = $body,
            responses(
                (status = 200, description = "Done: the ticket as it is now", body = TicketAfter),
                (status = 400, description = "A body that does not read", body = ErrorBody),
                (status = 401, description = "No valid token", body = ErrorBody),
                (status = 403, description = "Not the caller's to give", body = ErrorBody),
                (status = 404, description = "No such ticket, or not one the caller may see", body = ErrorBody),
                (status = 409, description = "Not from the ticket's state (`state`), or `version` is stale (`current_version`)", body = ErrorBody),
                (status = 422, description = "A field is wrong", body = ErrorBody),
            )
        )]
        pub async fn $handler(
            State(state): State<AppState>,
            AuthUser(caller): AuthUser,
            headers: HeaderMap,
            Path(number): Path<String>,
            request: Request,
        ) -> Result<Response, ApiError> {
            let kind = CommandKind::$kind;
            run(&state, &caller, &headers, &number, kind, request).await
        }
    };
    ($(#[doc = $doc:tt])* $handler:ident, $kind:ident, $path:tt, files: $body:ident, $upload:ident, $status:tt $code:ident) => {
        $(#[doc = $doc])*
        #[utoipa::path(
            post, path = $path, tag = "commands",
            params(("number" = String, Path, description = "The ticket's number")),
            request_body(content(
                ($body = "application/json"),
                ($upload = "multipart/form-data"),
            )),
            responses(
                (status = $status, description = "Done: the ticket as it is now", body = TicketAfter),
                (status = 400, description = "A body that does not read", body = ErrorBody),
                (status = 401, description = "No valid token", body = ErrorBody),
                (status = 403, description = "Not the caller's to give", body = ErrorBody),
                (status = 404, description = "No such ticket, or not one the caller may see", body = ErrorBody),
                (status = 409, description = "Not from the ticket's state (`state`), or `version` is stale (`current_version`)", body = ErrorBody),
                (status = 413, description = "Files over a limit", body = ErrorBody),
                (status = 415, description = "A kind of file not accepted, or a body neither JSON nor multipart", body = ErrorBody),
                (status = 422, description = "A field is wrong", body = ErrorBody),
            )
        )]
        pub async fn $handler(
            State(state): State<AppState>,
            AuthUser(caller): AuthUser,
            headers: HeaderMap,
            Path(number): Path<String>,
            request: Request,
        ) -> Result<Response, ApiError> {
            let kind = CommandKind::$kind;
            let ticket = run(&state, &caller, &headers, &number, kind, request).await?;
            Ok((StatusCode::$code, ticket).into_response())
        }
    };
}

command!(
    /// The dispatcher assigns a new ticket to a technician, and may correct its
    /// priority and category on the way.
    assign, Assign, "/tickets/{number}/assign", json: AssignBody
);
command!(
    /// The dispatcher hands an assigned ticket to another technician.
    reassign, Reassign, "/tickets/{number}/reassign", json: ReassignBody
);
command!(
    /// The technician takes the ticket in hand.
    accept, Accept, "/tickets/{number}/accept", json: VersionBody
);
command!(
    /// A comment (public unless `visibility` says `internal`; a requester's
    /// always is). The same as `POST …/entries`, answered 200.
    comment, Comment, "/tickets/{number}/comment", files: CommentBody, EntryUpload, 200 OK
);
command!(
    /// A comment, answered 201: see `comment`.
    add_entry, Comment, "/tickets/{number}/entries", files: CommentBody, EntryUpload, 201 CREATED
);
command!(
    /// The technician puts the ticket on hold, saying why, and if they know
    /// it, when to look at it again.
    hold, Hold, "/tickets/{number}/hold", json: HoldBody
);
command!(
    /// Back to work on a ticket on hold.
    resume, Resume, "/tickets/{number}/resume", json: VersionBody
);
command!(
    /// The technician hands the ticket back with what was done, and how it
    /// was attended (in person, or remotely with the tool and its id).
    resolve, Resolve, "/tickets/{number}/resolve", files: ResolveBody, ResolutionUpload, 200 OK
);
command!(
    /// The dispatcher sends a resolution back to the technician, saying why.
    return_ticket, Return, "/tickets/{number}/return", json: ReasonBody
);
command!(
    /// The dispatcher closes a resolved ticket.
    close, Close, "/tickets/{number}/close", json: VersionBody
);
command!(
    /// The ticket is withdrawn, saying why.
    cancel, Cancel, "/tickets/{number}/cancel", json: ReasonBody
);
command!(
    /// The requester or the dispatcher opens a closed ticket again, within the
    /// days allowed, saying why.
    reopen, Reopen, "/tickets/{number}/reopen", json: ReasonBody
);
command!(
    /// The requester answers "¿Se resolvió?" about the latest resolution.
    confirm, Confirm, "/tickets/{number}/confirm", json: ConfirmBody
);
command!(
    /// The dispatcher puts right the title, category or priority of a ticket
    /// not yet closed; what is not given stays, and a correction that changes
    /// nothing is refused (`unchanged`).
    correct, Correct, "/tickets/{number}/correct", json: CorrectBody
);

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
