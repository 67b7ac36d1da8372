//! The request's own page: the public conversation, the resolution, a reply
//! box, and reopen while the rules allow it.

use super::*;

pub(super) struct EntryView {
    pub(super) author: String,
    /// Written by someone other than the requester (support staff).
    pub(super) staff: bool,
    /// The technician's resolution, rather than a comment.
    pub(super) resolution: bool,
    pub(super) at: String,
    pub(super) lines: Vec<String>,
    pub(super) files: Vec<AttachmentView>,
}

pub(super) struct FieldValueView {
    pub(super) label: String,
    pub(super) value: String,
}

pub(super) struct ResolutionView {
    pub(super) lines: Vec<String>,
    pub(super) mode: String,
    pub(super) remote_tool: Option<String>,
    pub(super) remote_id: Option<String>,
    pub(super) at: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "request_page.html")]
pub(super) struct RequestPage {
    pub(super) chrome: Chrome,
    pub(super) number: String,
    pub(super) title: String,
    pub(super) state: &'static str,
    pub(super) state_key: String,
    pub(super) category: String,
    pub(super) priority: String,
    pub(super) technician: Option<String>,
    pub(super) created: String,
    pub(super) updated: String,
    pub(super) fields: Vec<FieldValueView>,
    pub(super) description: Vec<String>,
    pub(super) description_files: Vec<AttachmentView>,
    pub(super) entries: Vec<EntryView>,
    pub(super) resolution: Option<ResolutionView>,
    pub(super) can_reply: bool,
    pub(super) can_reopen: bool,
    pub(super) reply: String,
    pub(super) reply_error: Option<String>,
    pub(super) reason: String,
    pub(super) reason_error: Option<String>,
    pub(super) can_confirm: bool,
    /// The requester's answer so far, as the page says it.
    pub(super) confirmed: Option<String>,
    pub(super) comment: String,
    pub(super) comment_error: Option<String>,
    pub(super) alert: Option<String>,
    /// Just sent: the number, and what happens next.
    pub(super) sent: Option<SentNotice>,
    /// Where the request stands: received → assigned → attended → resolved → closed.
    pub(super) progress: Vec<ProgressStep>,
    /// The reply's files.
    pub(super) upload: UploadView,
}

pub(super) struct SentNotice {
    pub(super) title: String,
    pub(super) next: String,
}

pub(super) struct ProgressStep {
    pub(super) label: String,
    /// `done`, `current` or `todo`.
    pub(super) status: &'static str,
}

/// The steps of a request as its requester follows them; a cancelled one is a
/// single step.
fn progress(lang: Lang, state: TicketState) -> Vec<ProgressStep> {
    if state == TicketState::Cancelled {
        return vec![ProgressStep {
            label: translate(lang, "req-step-cancelled"),
            status: "current",
        }];
    }
    let attended = if state == TicketState::OnHold {
        "req-step-on_hold"
    } else {
        "req-step-in_progress"
    };
    let steps = [
        (vec![TicketState::New], "req-step-new"),
        (vec![TicketState::Assigned], "req-step-assigned"),
        (vec![TicketState::InProgress, TicketState::OnHold], attended),
        (vec![TicketState::Resolved], "req-step-resolved"),
        (vec![TicketState::Closed], "req-step-closed"),
    ];
    let current = steps
        .iter()
        .position(|(states, _)| states.contains(&state))
        .unwrap_or(0);
    steps
        .iter()
        .enumerate()
        .map(|(i, (_, key))| ProgressStep {
            label: translate(lang, key),
            status: match i.cmp(&current) {
                std::cmp::Ordering::Less => "done",
                std::cmp::Ordering::Equal => "current",
                std::cmp::Ordering::Greater => "todo",
            },
        })
        .collect()
}

pub(super) fn lines(text: &str) -> Vec<String> {
    text.lines().map(str::to_owned).collect()
}

/// What the page shows for a user's reply or reopen that went wrong.
#[derive(Default)]
pub(super) struct Attempt {
    pub(super) reply: String,
    pub(super) reply_error: Option<String>,
    pub(super) reason: String,
    pub(super) reason_error: Option<String>,
    /// The "¿Se resolvió?" form's comment.
    pub(super) comment: String,
    pub(super) comment_error: Option<String>,
    pub(super) alert: Option<String>,
    /// Why the reply's files were refused.
    pub(super) files_error: Option<String>,
    /// The reply's files were sent and not kept.
    pub(super) files_lost: bool,
    /// The request was just sent (`?sent=1`).
    pub(super) sent: bool,
}

pub(super) async fn render_request(
    state: &AppState,
    user: WebUser,
    detail: TicketDetail,
    attempt: Attempt,
) -> RequestPage {
    let chrome = user.chrome;
    let lang = chrome.lang;
    let record = detail.record;
    let ticket = &record.ticket;
    // The category's names and labels; an inactive one falls back to its key.
    let category = state
        .service
        .categories(&user.caller)
        .await
        .ok()
        .and_then(|all| all.into_iter().find(|c| c.key == record.category_key));
    let def = |key: &str| category.as_ref().and_then(|c| c.field_for_display(key));
    let mut fields: Vec<FieldValueView> = Vec::new();
    // In the category's order first (retired fields last), then any it never had.
    if let Some(c) = &category {
        for d in c.fields.iter().chain(&c.retired_fields) {
            if let Some(v) = ticket.fields.get(&d.key) {
                fields.push(FieldValueView {
                    label: lang.pick(&d.label_es, &d.label_en).to_owned(),
                    value: field_value(&chrome, Some(d), v),
                });
            }
        }
    }
    for (key, v) in &ticket.fields {
        if def(key).is_none() {
            fields.push(FieldValueView {
                label: key.clone(),
                value: field_value(&chrome, None, v),
            });
        }
    }
    // Only public content, whoever looks.
    let public: Vec<_> = detail
        .entries
        .iter()
        .filter(|e| e.visibility == Visibility::Public)
        .collect();
    let description_entry = public.iter().find(|e| e.kind == EntryKind::Description);
    let description = description_entry
        .map(|e| lines(&e.body))
        .unwrap_or_default();
    let description_files = description_entry
        .map(|e| attachment_views(lang, &e.attachments))
        .unwrap_or_default();
    let entries = public
        .iter()
        .filter(|e| e.kind != EntryKind::Description)
        .map(|e| EntryView {
            author: e.author.display_name.clone(),
            staff: e.author.id != record.requester.id,
            resolution: e.kind == EntryKind::Resolution,
            at: chrome.time(&e.created_at),
            lines: lines(&e.body),
            files: attachment_views(lang, &e.attachments),
        })
        .collect();
    let resolved = matches!(ticket.state, TicketState::Resolved | TicketState::Closed);
    let resolution = match (&ticket.attention, resolved) {
        (Some(attention), true) => Some(ResolutionView {
            lines: public
                .iter()
                .rev()
                .find(|e| e.kind == EntryKind::Resolution)
                .map(|e| lines(&e.body))
                .unwrap_or_default(),
            mode: chrome.t(match attention.mode {
                AttentionMode::InPerson => "req-mode-in_person",
                AttentionMode::Remote => "req-mode-remote",
            }),
            remote_tool: attention.remote_tool.clone(),
            remote_id: attention.remote_id.clone(),
            at: ticket.resolved_at.as_ref().map(|t| chrome.time(t)),
        }),
        _ => None,
    };
    let allowed = state.service.allowed_commands(&user.caller, &record);
    let sent = if attempt.sent && ticket.state == TicketState::New {
        let minutes = state
            .service
            .target_minutes()
            .await
            .unwrap_or(sau_domain::DEFAULT_TARGET_MINUTES);
        Some(SentNotice {
            title: translate_with(lang, "req-sent-title", &[("number", ticket.number.clone())]),
            next: translate_with(lang, "req-sent-next", &[("minutes", minutes.to_string())]),
        })
    } else {
        None
    };
    RequestPage {
        sent,
        progress: progress(lang, ticket.state),
        number: ticket.number.clone(),
        title: ticket.title.clone(),
        state: ticket.state.as_str(),
        state_key: format!("state-{}", ticket.state.as_str()),
        category: category
            .as_ref()
            .map(|c| lang.pick(&c.name_es, &c.name_en).to_owned())
            .unwrap_or_else(|| record.category_key.clone()),
        priority: priority_label(lang, ticket.priority),
        technician: record.technician.as_ref().map(|u| u.display_name.clone()),
        created: chrome.time(&ticket.created_at),
        updated: chrome.time(&ticket.updated_at),
        fields,
        description,
        description_files,
        entries,
        resolution,
        can_reply: allowed.contains(&CommandKind::Comment),
        can_reopen: allowed.contains(&CommandKind::Reopen),
        can_confirm: allowed.contains(&CommandKind::Confirm),
        confirmed: ticket.confirmed.map(|solved| {
            translate(
                lang,
                if solved {
                    "req-confirmed-yes"
                } else {
                    "req-confirmed-no"
                },
            )
        }),
        comment: attempt.comment,
        comment_error: attempt.comment_error,
        reply: attempt.reply,
        reply_error: attempt.reply_error,
        reason: attempt.reason,
        reason_error: attempt.reason_error,
        alert: attempt.alert,
        upload: UploadView::new(&chrome, state.service.attachment_limits(), "reply-files")
            .refused(attempt.files_error, attempt.files_lost),
        chrome,
    }
}

/// `?sent=1`, which the new-request form's answer adds.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub(crate) struct RequestParams {
    sent: Option<String>,
}

pub(crate) async fn request_page(
    State(state): State<AppState>,
    user: WebUser,
    Path(number): Path<String>,
    Query(params): Query<RequestParams>,
) -> Response {
    let attempt = Attempt {
        sent: params.sent.is_some(),
        ..Attempt::default()
    };
    match state.service.ticket(&user.caller, &number).await {
        Ok(detail) => {
            // Read now: the mark of news on the requester's list goes away.
            if let Err(e) = state
                .service
                .read_ticket(&user.caller, &detail.record)
                .await
            {
                tracing::warn!(error = %e, "could not record a read");
            }
            render_request(&state, user, detail, attempt)
                .await
                .into_response()
        }
        Err(e) => service_error_page(user.chrome, &e),
    }
}

/// Carries out the requester's command read from their form, and goes back to
/// the request's page; when refused, shows the page again with why, next to the
/// text when the problem is that text.
pub(super) async fn act(
    state: AppState,
    user: WebUser,
    number: String,
    kind: CommandKind,
    form: Received,
) -> Response {
    let files_lost = !form.files.is_empty();
    let text = form.draft(kind);
    let mut fields = form.fields();
    // What is written on the request's page is public, whatever the form says.
    fields.insert("visibility".into(), "public".into());
    let done = match CommandInput::read(kind, fields, form.files) {
        Ok(input) => {
            state
                .service
                .act(&user.caller, &number, input.action, None, CHANNEL)
                .await
        }
        Err(e) => Err(e),
    };
    match done {
        Ok(record) => Redirect::to(&format!("/requests/{}", record.ticket.number)).into_response(),
        Err(e) => show_refusal(&state, user, &number, kind, text, files_lost, e).await,
    }
}

/// The request's page again after a refused command, with why: next to the
/// text when the problem is that text, else above the page.
pub(super) async fn show_refusal(
    state: &AppState,
    user: WebUser,
    number: &str,
    kind: CommandKind,
    text: String,
    files_lost: bool,
    error: ServiceError,
) -> Response {
    if let ServiceError::NotFound(_) = error {
        return missing_page(user.chrome);
    }
    let lang = user.chrome.lang;
    let mut attempt = Attempt {
        files_lost,
        ..Attempt::default()
    };
    if let Some((status, message)) = service_refusal(lang, &error) {
        attempt.reply = text;
        attempt.files_error = Some(message);
        return show_attempt(state, user, number, status, attempt).await;
    }
    let Some((status, message)) = refusal(lang, &error) else {
        return service_error_page(user.chrome, &error);
    };
    let text_problem = match &error {
        ServiceError::Domain(DomainError::Invalid { problem, .. }) => {
            Some(problem_message(problem.as_str(), lang).to_owned())
        }
        _ => None,
    };
    if text_problem.is_none() {
        attempt.alert = Some(message);
    }
    if kind == CommandKind::Comment {
        attempt.reply = text;
        attempt.reply_error = text_problem;
    } else if kind == CommandKind::Confirm {
        attempt.comment = text;
        attempt.comment_error = text_problem;
    } else {
        attempt.reason = text;
        attempt.reason_error = text_problem;
    }
    show_attempt(state, user, number, status, attempt).await
}

/// The request's page again with `status` and what went wrong.
pub(super) async fn show_attempt(
    state: &AppState,
    user: WebUser,
    number: &str,
    status: StatusCode,
    attempt: Attempt,
) -> Response {
    match state.service.ticket(&user.caller, number).await {
        Ok(detail) => (status, render_request(state, user, detail, attempt).await).into_response(),
        Err(e) => service_error_page(user.chrome, &e),
    }
}

/// `POST /requests/{number}/reply`: urlencoded, or multipart with files (which
/// may come without a message).
pub(crate) async fn reply(
    State(state): State<AppState>,
    user: WebUser,
    headers: HeaderMap,
    Path(number): Path<String>,
    request: Request,
) -> Response {
    // Nothing of the files is stored for a reply that would be refused anyway.
    match state
        .service
        .may(&user.caller, &number, CommandKind::Comment)
        .await
    {
        Ok(()) => {}
        Err(e) => {
            let kind = CommandKind::Comment;
            return show_refusal(&state, user, &number, kind, String::new(), false, e).await;
        }
    }
    let submitted = match read_form(&state, request).await {
        Ok(submitted) => submitted,
        Err(e) => match unread(user.chrome.lang, e) {
            Unread::Forged => return refused_page(&state, &headers),
            Unread::Refused {
                status,
                message,
                parts,
            } => {
                let attempt = Attempt {
                    reply: crate::upload::part(&parts, "body")
                        .unwrap_or_default()
                        .to_owned(),
                    files_error: Some(message),
                    files_lost: true,
                    ..Attempt::default()
                };
                return show_attempt(&state, user, &number, status, attempt).await;
            }
        },
    };
    act(state, user, number, CommandKind::Comment, submitted).await
}

/// `POST /requests/{number}/confirm`: "¿Se resolvió?", yes or no, with an
/// optional comment.
pub(crate) async fn confirm(
    State(state): State<AppState>,
    user: WebUser,
    Path(number): Path<String>,
    Form(parts): Form<Vec<(String, String)>>,
) -> Response {
    act(
        state,
        user,
        number,
        CommandKind::Confirm,
        without_files(parts),
    )
    .await
}

/// `POST /requests/{number}/reopen`: with a reason, within the reopen window.
pub(crate) async fn reopen(
    State(state): State<AppState>,
    user: WebUser,
    Path(number): Path<String>,
    Form(parts): Form<Vec<(String, String)>>,
) -> Response {
    act(
        state,
        user,
        number,
        CommandKind::Reopen,
        without_files(parts),
    )
    .await
}

/// A form that carries no files, as the command input reads it.
fn without_files(parts: Vec<(String, String)>) -> Received {
    Received {
        parts,
        files: StagedFiles::default(),
    }
}
