//! The ticket page's forms: one route for every command.

use super::*;
use crate::web::tickets::page::Failure;
use crate::web::tickets::page::render_ticket;

pub(super) fn field_label(lang: Lang, field: &str) -> String {
    let key = match field {
        "resolution" => "agent-resolution",
        "reason" => "agent-reason",
        "body" => "agent-comment-body",
        "remote_tool" => "agent-remote-tool",
        "remote_id" => "agent-remote-id",
        "technician" => "agent-technician",
        "priority" => "col-priority",
        "category" => "agent-category",
        other => return other.to_owned(),
    };
    translate(lang, key)
}

/// Why a command was refused, in the viewer's language.
pub(super) fn refusal(lang: Lang, e: &ServiceError) -> String {
    match e {
        ServiceError::Domain(DomainError::Invalid { field, problem }) => format!(
            "{}: {}",
            field_label(lang, field),
            problem_message(problem.as_str(), lang)
        ),
        ServiceError::Invalid(problems) => problems
            .iter()
            .map(|(field, problem)| {
                format!(
                    "{}: {}",
                    field_label(lang, field),
                    problem_message(problem.as_str(), lang)
                )
            })
            .collect::<Vec<_>>()
            .join(" "),
        other => error_message(other.code(), lang).to_owned(),
    }
}

/// `POST /tickets/{number}/{action}`: urlencoded, or multipart for the forms
/// that carry files (comment and resolve).
pub(crate) async fn ticket_action(
    State(state): State<AppState>,
    user: WebUser,
    headers: HeaderMap,
    Path((number, name)): Path<(String, String)>,
    request: Request,
) -> Response {
    if !user.caller.roles().is_agent() {
        return forbidden_page(user.chrome);
    }
    let Ok(kind) = name.parse::<CommandKind>() else {
        return missing_page(user.chrome);
    };
    // Nothing of a form's files is stored for a command its sender may not give.
    if Action::takes_files(kind) {
        match state.service.may(&user.caller, &number, kind).await {
            Ok(()) => {}
            Err(e @ ServiceError::Domain(_)) => {
                let failure = Failure {
                    message: refusal(user.chrome.lang, &e),
                    action: name,
                    draft: String::new(),
                    about_files: false,
                    files_lost: false,
                };
                let status = ApiError::classify(&e).status;
                return render_ticket(&state, user, &number, status, None, Some(failure)).await;
            }
            Err(e) => return service_error_page(user.chrome, &e),
        }
    }
    let lang = user.chrome.lang;
    let submitted = match read_form(&state, request).await {
        Ok(submitted) => submitted,
        Err(e) => match unread(lang, e) {
            Unread::Forged => return refused_page(&state, &headers),
            Unread::Refused {
                status,
                message,
                parts,
            } => {
                // What was typed comes back in the form it was typed in.
                let typed = match kind {
                    CommandKind::Resolve => "resolution",
                    _ => "body",
                };
                let draft = crate::upload::part(&parts, typed);
                // Only the comment and the resolution have a file input to
                // show it at; any other form shows it as its own refusal.
                let failure = Failure {
                    about_files: Action::takes_files(kind),
                    draft: draft.unwrap_or_default().to_owned(),
                    action: name,
                    message,
                    files_lost: true,
                };
                return render_ticket(&state, user, &number, status, None, Some(failure)).await;
            }
        },
    };
    let back_to_queue = submitted.part("back") == Some("queue");
    let files_lost = !submitted.files.is_empty();
    let typed = submitted.draft(kind);
    let done = match CommandInput::read(kind, submitted.fields(), submitted.files) {
        Ok(input) => {
            state
                .service
                .act(&user.caller, &number, input.action, input.version, CHANNEL)
                .await
        }
        Err(e) => Err(e),
    };
    match done {
        Ok(record) => {
            if back_to_queue {
                Redirect::to("/queue").into_response()
            } else {
                Redirect::to(&format!("/tickets/{}", record.ticket.number)).into_response()
            }
        }
        Err(ServiceError::StaleVersion { .. }) => {
            let notice = translate(lang, "agent-conflict");
            render_ticket(
                &state,
                user,
                &number,
                StatusCode::CONFLICT,
                Some(notice),
                None,
            )
            .await
        }
        Err(e @ ServiceError::Attachment(_)) => {
            let (status, message) = service_refusal(lang, &e).unwrap_or_default();
            let failure = Failure {
                action: name,
                message,
                draft: typed,
                about_files: true,
                files_lost,
            };
            render_ticket(&state, user, &number, status, None, Some(failure)).await
        }
        Err(e @ (ServiceError::Domain(_) | ServiceError::Invalid(_))) => {
            let failure = Failure {
                action: name,
                message: refusal(lang, &e),
                draft: typed,
                about_files: false,
                files_lost,
            };
            let status = ApiError::classify(&e).status;
            render_ticket(&state, user, &number, status, None, Some(failure)).await
        }
        Err(e) => service_error_page(user.chrome, &e),
    }
}
