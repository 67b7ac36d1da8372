//! The requester's pages: a new request and the request's own page.

use crate::AppState;
use crate::error::ApiError;
use crate::i18n::{Lang, error_message, problem_message};
use crate::upload::Received;
use crate::web::attachments::{
    AttachmentView, Unread, UploadView, attachment_views, read_form, service_refusal, unread,
};
use crate::web::chrome::Chrome;
use crate::web::pages::{WebUser, missing_page, refused_page, service_error_page};
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Form, Path, Query, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use sau_domain::{
    AttachmentLimits, AttentionMode, Category, CommandKind, DomainError, FieldDef, FieldKind,
    FieldProblem, FieldValue, Priority, State as TicketState, Visibility,
};
use sau_service::{Action, CommandInput, NewRequest, ServiceError, StagedFiles, TicketDetail};
use std::collections::BTreeMap;

/// The channel recorded on what these pages do.
const CHANNEL: &str = "web";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/requests", post(submit))
        .route("/requests/new", get(new_page))
        .route("/requests/new/fields", get(fields_fragment))
        .route("/requests/{number}", get(request_page))
        .route("/requests/{number}/reply", post(reply))
        .route("/requests/{number}/reopen", post(reopen))
}

// ---------------------------------------------------------------------------
// Shared bits

/// `muy alta` → `Muy alta`.
fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn priority_name(lang: Lang, priority: Priority) -> String {
    capitalized(lang.pick(priority.name_es(), priority.name_en()))
}

/// A choice option's label: from the catalog when it has one, else the option
/// itself made readable.
fn option_label(chrome: &Chrome, option: &str) -> String {
    let key = format!("req-option-{option}");
    let label = chrome.t(&key);
    if label == key {
        capitalized(&option.replace('_', " "))
    } else {
        label
    }
}

/// The message for a command the rules or the service refused, with its status.
/// A refusal the page shows above the form, with the status and message of
/// the one table ([`ApiError::classify`]); `None` for what needs a page of its
/// own (gone, broken).
fn refusal(lang: Lang, error: &ServiceError) -> Option<(StatusCode, String)> {
    match error {
        ServiceError::Forbidden
        | ServiceError::Domain(_)
        | ServiceError::StaleVersion { .. }
        | ServiceError::Invalid(_) => {
            let table = ApiError::classify(error);
            Some((table.status, table.message(lang)))
        }
        _ => None,
    }
}

// ---------------------------------------------------------------------------
// The new-request form

struct CategoryChoice {
    key: String,
    name: String,
    description: String,
    checked: bool,
}

struct OptionView {
    value: String,
    label: String,
    selected: bool,
}

struct FieldView {
    key: String,
    label: String,
    /// `text`, `number`, `date` or `choice`.
    kind: &'static str,
    required: bool,
    value: String,
    options: Vec<OptionView>,
    error: Option<String>,
}

struct ChosenCategory {
    key: String,
    name: String,
    description: String,
    fields: Vec<FieldView>,
}

/// The part of the form that depends on the category: swapped in by htmx.
struct FormView {
    category: Option<ChosenCategory>,
    title: String,
    description: String,
    priorities: Vec<OptionView>,
    title_error: Option<String>,
    description_error: Option<String>,
    priority_error: Option<String>,
    /// Problems that belong to no single field.
    alert: Option<String>,
    /// Whether any field has a problem (shows the summary).
    invalid: bool,
    /// The files: the input, its limits, and why they were refused.
    upload: UploadView,
}

#[derive(Template, WebTemplate)]
#[template(path = "request_new.html")]
struct NewRequestPage {
    chrome: Chrome,
    categories: Vec<CategoryChoice>,
    category_error: Option<String>,
    form: FormView,
}

#[derive(Template, WebTemplate)]
#[template(path = "request_fields.html")]
struct FieldsFragment {
    chrome: Chrome,
    form: FormView,
}

/// What the requester typed, kept when the form comes back.
#[derive(Default)]
struct Input {
    category: String,
    title: String,
    description: String,
    priority: String,
    /// `field.<key>` values, by key.
    fields: BTreeMap<String, String>,
}

impl Input {
    fn from_pairs(pairs: Vec<(String, String)>) -> Input {
        let mut input = Input::default();
        for (name, value) in pairs {
            match name.as_str() {
                "category" => input.category = value,
                "title" => input.title = value,
                "description" => input.description = value,
                "priority" => input.priority = value,
                other => {
                    if let Some(key) = other.strip_prefix("field.") {
                        input.fields.insert(key.to_owned(), value);
                    }
                }
            }
        }
        input
    }
}

fn field_view(chrome: &Chrome, def: &FieldDef, value: String, error: Option<String>) -> FieldView {
    let (kind, options) = match &def.kind {
        FieldKind::Text => ("text", Vec::new()),
        FieldKind::Number => ("number", Vec::new()),
        FieldKind::Date => ("date", Vec::new()),
        FieldKind::Choice { options } => (
            "choice",
            options
                .iter()
                .map(|o| OptionView {
                    value: o.clone(),
                    label: option_label(chrome, o),
                    selected: *o == value,
                })
                .collect(),
        ),
    };
    FieldView {
        key: def.key.clone(),
        label: chrome.lang.pick(&def.label_es, &def.label_en).to_owned(),
        kind,
        required: def.required,
        value,
        options,
        error,
    }
}

/// The form for `category` (if any) with `input` and `problems` (by form field
/// name: `title`, `fields.<key>`, `attachments`…) filled in.
fn form_view(
    chrome: &Chrome,
    limits: &AttachmentLimits,
    category: Option<&Category>,
    input: &Input,
    problems: &BTreeMap<String, String>,
    alert: Option<String>,
) -> FormView {
    let chosen = category.map(|c| ChosenCategory {
        key: c.key.clone(),
        name: chrome.lang.pick(&c.name_es, &c.name_en).to_owned(),
        description: chrome
            .lang
            .pick(&c.description_es, &c.description_en)
            .to_owned(),
        fields: c
            .fields
            .iter()
            .map(|def| {
                field_view(
                    chrome,
                    def,
                    input.fields.get(&def.key).cloned().unwrap_or_default(),
                    problems.get(&format!("fields.{}", def.key)).cloned(),
                )
            })
            .collect(),
    });
    let selected = input
        .priority
        .trim()
        .parse::<i64>()
        .ok()
        .and_then(Priority::new)
        .or(category.map(|c| c.default_priority))
        .unwrap_or(Priority::NORMAL);
    FormView {
        category: chosen,
        title: input.title.clone(),
        description: input.description.clone(),
        priorities: (1..=5)
            .filter_map(Priority::new)
            .map(|p| OptionView {
                value: p.level().to_string(),
                label: format!("{} — {}", p.level(), priority_name(chrome.lang, p)),
                selected: p == selected,
            })
            .collect(),
        title_error: problems.get("title").cloned(),
        description_error: problems.get("description").cloned(),
        priority_error: problems.get("priority").cloned(),
        invalid: !problems.is_empty(),
        alert,
        upload: UploadView::new(chrome, limits, "request-files")
            .required(category.is_some_and(|c| c.attachment_required))
            .refused(problems.get(Category::ATTACHMENTS).cloned(), false),
    }
}

fn category_choices(chrome: &Chrome, categories: &[Category], chosen: &str) -> Vec<CategoryChoice> {
    categories
        .iter()
        .map(|c| CategoryChoice {
            key: c.key.clone(),
            name: chrome.lang.pick(&c.name_es, &c.name_en).to_owned(),
            description: chrome
                .lang
                .pick(&c.description_es, &c.description_en)
                .to_owned(),
            checked: c.key == chosen,
        })
        .collect()
}

/// Categories open for new requests (admins are shown inactive ones by the service;
/// they cannot be chosen here).
async fn open_categories(state: &AppState, user: &WebUser) -> Result<Vec<Category>, ServiceError> {
    Ok(state
        .service
        .categories(&user.caller)
        .await?
        .into_iter()
        .filter(|c| c.active)
        .collect())
}

/// `?category=KEY` (the first one, should it come twice).
fn category_param(params: &[(String, String)]) -> String {
    params
        .iter()
        .find(|(k, _)| k == "category")
        .map(|(_, v)| v.trim().to_owned())
        .unwrap_or_default()
}

async fn new_page(
    State(state): State<AppState>,
    user: WebUser,
    Query(params): Query<Vec<(String, String)>>,
) -> Response {
    let categories = match open_categories(&state, &user).await {
        Ok(c) => c,
        Err(e) => return service_error_page(user.chrome, &e),
    };
    let key = category_param(&params);
    let chosen = categories.iter().find(|c| c.key == key);
    let input = Input {
        category: key.clone(),
        ..Input::default()
    };
    let form = form_view(
        &user.chrome,
        state.service.attachment_limits(),
        chosen,
        &input,
        &BTreeMap::new(),
        None,
    );
    NewRequestPage {
        categories: category_choices(&user.chrome, &categories, &key),
        category_error: None,
        form,
        chrome: user.chrome,
    }
    .into_response()
}

async fn fields_fragment(
    State(state): State<AppState>,
    user: WebUser,
    Query(params): Query<Vec<(String, String)>>,
) -> Response {
    let categories = match open_categories(&state, &user).await {
        Ok(c) => c,
        Err(e) => return service_error_page(user.chrome, &e),
    };
    let key = category_param(&params);
    let chosen = categories.iter().find(|c| c.key == key);
    let form = form_view(
        &user.chrome,
        state.service.attachment_limits(),
        chosen,
        &Input::default(),
        &BTreeMap::new(),
        None,
    );
    FieldsFragment {
        form,
        chrome: user.chrome,
    }
    .into_response()
}

/// What went wrong with a new request, field by field, and how to answer.
struct Rejected {
    status: StatusCode,
    /// By form field name; a missing document under `attachments`.
    problems: BTreeMap<String, String>,
    alert: Option<String>,
    /// Why the files were refused (over a limit, of a kind not accepted).
    files: Option<String>,
    /// Files were sent and not kept.
    files_lost: bool,
}

/// `POST /requests`: urlencoded, or multipart with the files. The category is in
/// the form's address too, so a refused upload, whose fields are not read,
/// still comes back on its category's form.
async fn submit(
    State(state): State<AppState>,
    user: WebUser,
    headers: HeaderMap,
    Query(params): Query<Vec<(String, String)>>,
    request: Request,
) -> Response {
    let lang = user.chrome.lang;
    let submitted = match read_form(&state, request).await {
        Ok(submitted) => Ok(submitted),
        Err(e) => match unread(lang, e) {
            Unread::Forged => return refused_page(&state, &headers),
            Unread::Refused {
                status,
                message,
                parts,
            } => Err((
                Input::from_pairs(parts),
                Rejected {
                    status,
                    problems: BTreeMap::new(),
                    alert: None,
                    files: Some(message),
                    files_lost: true,
                },
            )),
        },
    };
    let categories = match open_categories(&state, &user).await {
        Ok(c) => c,
        Err(e) => return service_error_page(user.chrome, &e),
    };
    let (mut input, rejected) = match submitted {
        Ok(submitted) => {
            let input = Input::from_pairs(submitted.parts);
            let category = categories.iter().find(|c| c.key == input.category.trim());
            match file_request(&state, &user, &input, category, submitted.files).await {
                Ok(number) => return Redirect::to(&format!("/requests/{number}")).into_response(),
                Err(rejected) => (input, rejected),
            }
        }
        Err(typed_and_rejected) => typed_and_rejected,
    };
    if input.category.trim().is_empty() {
        input.category = category_param(&params);
    }
    let category = categories.iter().find(|c| c.key == input.category.trim());
    let category_error = rejected.problems.get("category").cloned();
    let mut form = form_view(
        &user.chrome,
        state.service.attachment_limits(),
        category,
        &input,
        &rejected.problems,
        rejected.alert,
    );
    if let Some(message) = rejected.files {
        // The summary above the form points to the message at the file input.
        form.invalid = true;
        form.upload = form.upload.refused(Some(message), rejected.files_lost);
    } else if rejected.files_lost {
        form.upload.choose_again = true;
    }
    let page = NewRequestPage {
        categories: category_choices(&user.chrome, &categories, input.category.trim()),
        category_error,
        form,
        chrome: user.chrome,
    };
    (rejected.status, page).into_response()
}

/// Files the request; its number, or what the form must show.
async fn file_request(
    state: &AppState,
    user: &WebUser,
    input: &Input,
    category: Option<&Category>,
    files: StagedFiles,
) -> Result<String, Rejected> {
    let lang = user.chrome.lang;
    let mut rejected = Rejected {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        problems: BTreeMap::new(),
        alert: None,
        files: None,
        files_lost: !files.is_empty(),
    };
    let priority = match input.priority.trim() {
        "" => None,
        p => match p.parse::<i64>() {
            Ok(p) => Some(p),
            Err(_) => {
                rejected.problems.insert(
                    "priority".to_owned(),
                    problem_message(FieldProblem::NotANumber.as_str(), lang).to_owned(),
                );
                return Err(rejected);
            }
        },
    };
    // Only the chosen category's fields: a stale one from another category
    // would be refused as unknown with nowhere to show why.
    let fields = input
        .fields
        .iter()
        .filter(|(k, _)| category.is_none_or(|c| c.fields.iter().any(|f| &f.key == *k)))
        .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
        .collect();
    let request = NewRequest {
        category: input.category.clone(),
        title: input.title.clone(),
        description: input.description.clone(),
        priority,
        fields,
        attachments: files,
    };
    let error = match state.service.submit(&user.caller, request, CHANNEL).await {
        Ok(record) => return Ok(record.ticket.number),
        Err(error) => error,
    };
    let message = |p: &FieldProblem| problem_message(p.as_str(), lang).to_owned();
    let problems = &mut rejected.problems;
    match &error {
        ServiceError::Invalid(map) => {
            for (field, problem) in map {
                // No category at all is a missing one, not an unknown one.
                let problem = if field == "category" && input.category.trim().is_empty() {
                    &FieldProblem::Required
                } else {
                    problem
                };
                problems.insert(field.clone(), message(problem));
            }
        }
        ServiceError::Domain(DomainError::InvalidFields(map)) => {
            for (field, problem) in map {
                if field == Category::ATTACHMENTS {
                    problems.insert(field.clone(), user.chrome.t("files-required"));
                } else {
                    problems.insert(format!("fields.{field}"), message(problem));
                }
            }
        }
        ServiceError::Domain(DomainError::Invalid { field, problem }) => {
            problems.insert((*field).to_owned(), message(problem));
        }
        other => {
            if let Some((status, text)) = service_refusal(lang, other) {
                rejected.status = status;
                rejected.files = Some(text);
            } else if let Some((status, text)) = refusal(lang, other) {
                rejected.status = status;
                rejected.alert = Some(text);
            } else {
                tracing::error!(error = %other, "filing a request failed");
                rejected.status = StatusCode::INTERNAL_SERVER_ERROR;
                rejected.alert = Some(error_message("internal", lang).to_owned());
            }
        }
    }
    Err(rejected)
}

// ---------------------------------------------------------------------------
// The request's page

struct EntryView {
    author: String,
    /// Written by someone other than the requester (support staff).
    staff: bool,
    /// `comment` or `resolution`.
    kind: String,
    at: String,
    lines: Vec<String>,
    files: Vec<AttachmentView>,
}

struct FieldValueView {
    label: String,
    value: String,
}

struct ResolutionView {
    lines: Vec<String>,
    mode: String,
    remote_tool: Option<String>,
    remote_id: Option<String>,
    at: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "request_page.html")]
struct RequestPage {
    chrome: Chrome,
    number: String,
    title: String,
    state: &'static str,
    state_key: String,
    category: String,
    priority: String,
    technician: Option<String>,
    created: String,
    updated: String,
    fields: Vec<FieldValueView>,
    description: Vec<String>,
    description_files: Vec<AttachmentView>,
    entries: Vec<EntryView>,
    resolution: Option<ResolutionView>,
    can_reply: bool,
    can_reopen: bool,
    reply: String,
    reply_error: Option<String>,
    reason: String,
    reason_error: Option<String>,
    alert: Option<String>,
    /// The reply's files.
    upload: UploadView,
}

fn lines(text: &str) -> Vec<String> {
    text.lines().map(str::to_owned).collect()
}

fn shown_value(chrome: &Chrome, def: Option<&FieldDef>, value: &FieldValue) -> String {
    match value {
        FieldValue::Number(n) => {
            if n.fract() == 0.0 && n.abs() < 1e15 {
                format!("{n:.0}")
            } else {
                n.to_string()
            }
        }
        FieldValue::Text(text) => match def.map(|d| &d.kind) {
            Some(FieldKind::Choice { .. }) => option_label(chrome, text),
            Some(FieldKind::Date) => text
                .parse::<jiff::civil::Date>()
                .map(|d| d.strftime("%d/%m/%Y").to_string())
                .unwrap_or_else(|_| text.clone()),
            _ => text.clone(),
        },
    }
}

/// What the page shows for a user's reply or reopen that went wrong.
#[derive(Default)]
struct Attempt {
    reply: String,
    reply_error: Option<String>,
    reason: String,
    reason_error: Option<String>,
    alert: Option<String>,
    /// Why the reply's files were refused.
    files_error: Option<String>,
    /// The reply's files were sent and not kept.
    files_lost: bool,
}

async fn render_request(
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
                    value: shown_value(&chrome, Some(d), v),
                });
            }
        }
    }
    for (key, v) in &ticket.fields {
        if def(key).is_none() {
            fields.push(FieldValueView {
                label: key.clone(),
                value: shown_value(&chrome, None, v),
            });
        }
    }
    // Only public content, whoever looks.
    let public: Vec<_> = detail
        .entries
        .iter()
        .filter(|e| e.visibility == Visibility::Public)
        .collect();
    let description_entry = public.iter().find(|e| e.kind == "description");
    let description = description_entry
        .map(|e| lines(&e.body))
        .unwrap_or_default();
    let description_files = description_entry
        .map(|e| attachment_views(lang, &e.attachments))
        .unwrap_or_default();
    let entries = public
        .iter()
        .filter(|e| e.kind != "description")
        .map(|e| EntryView {
            author: e.author.display_name.clone(),
            staff: e.author.id != record.requester.id,
            kind: e.kind.clone(),
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
                .find(|e| e.kind == "resolution")
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
    RequestPage {
        number: ticket.number.clone(),
        title: ticket.title.clone(),
        state: ticket.state.as_str(),
        state_key: format!("state-{}", ticket.state.as_str()),
        category: category
            .as_ref()
            .map(|c| lang.pick(&c.name_es, &c.name_en).to_owned())
            .unwrap_or_else(|| record.category_key.clone()),
        priority: priority_name(lang, ticket.priority),
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

async fn request_page(
    State(state): State<AppState>,
    user: WebUser,
    Path(number): Path<String>,
) -> Response {
    match state.service.ticket(&user.caller, &number).await {
        Ok(detail) => render_request(&state, user, detail, Attempt::default())
            .await
            .into_response(),
        Err(e) => service_error_page(user.chrome, &e),
    }
}

/// Carries out the requester's command read from their form, and goes back to
/// the request's page; when refused, shows the page again with why, next to the
/// text when the problem is that text.
async fn act(
    state: AppState,
    user: WebUser,
    number: String,
    kind: CommandKind,
    form: Received,
) -> Response {
    let files_lost = !form.files.is_empty();
    let text = form.draft(kind);
    let done = match CommandInput::read(kind, form.fields(), form.files) {
        // A requester's note is public, whatever the form says.
        Ok(CommandInput {
            action: Action::Comment { visibility, .. },
            ..
        }) if visibility != Visibility::Public => Err(ServiceError::Forbidden),
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
async fn show_refusal(
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
    } else {
        attempt.reason = text;
        attempt.reason_error = text_problem;
    }
    show_attempt(state, user, number, status, attempt).await
}

/// The request's page again with `status` and what went wrong.
async fn show_attempt(
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
async fn reply(
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

/// `POST /requests/{number}/reopen`: with a reason, within the reopen window.
async fn reopen(
    State(state): State<AppState>,
    user: WebUser,
    Path(number): Path<String>,
    Form(parts): Form<Vec<(String, String)>>,
) -> Response {
    let form = Received {
        parts,
        files: StagedFiles::default(),
    };
    act(state, user, number, CommandKind::Reopen, form).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::web::chrome::translate;

    /// Keys built at run time, which the catalog test cannot see in the sources.
    #[test]
    fn computed_keys_are_translated_in_both_languages() {
        let mut keys: Vec<String> = ["in_person", "remote"]
            .iter()
            .map(|m| format!("req-mode-{m}"))
            .collect();
        for category in sau_domain::default_categories(sau_domain::QueueId(0)) {
            for field in category.fields {
                if let FieldKind::Choice { options } = field.kind {
                    keys.extend(options.iter().map(|o| format!("req-option-{o}")));
                }
            }
        }
        for key in keys {
            for lang in [Lang::Es, Lang::En] {
                assert_ne!(translate(lang, &key), key, "{key} in {lang:?}");
            }
        }
    }

    #[test]
    fn numbers_and_dates_read_as_people_write_them() {
        let date = FieldDef {
            key: "d".into(),
            label_es: "D".into(),
            label_en: "D".into(),
            kind: FieldKind::Date,
            required: false,
        };
        let chrome = Chrome {
            lang: Lang::Es,
            user: None,
            csrf: String::new(),
            assets: std::sync::Arc::new(crate::assets::Assets::load()),
            tz: jiff::tz::TimeZone::UTC,
        };
        let text = |s: &str| FieldValue::Text(s.to_owned());
        assert_eq!(
            shown_value(&chrome, Some(&date), &text("2025-03-01")),
            "01/03/2025"
        );
        assert_eq!(
            shown_value(&chrome, None, &FieldValue::Number(2301.0)),
            "2301"
        );
        assert_eq!(shown_value(&chrome, None, &FieldValue::Number(1.5)), "1.5");
        assert_eq!(option_label(&chrome, "nueva_extension"), "Nueva extensión");
        assert_eq!(option_label(&chrome, "algo_nuevo"), "Algo nuevo");
        assert_eq!(capitalized("muy alta"), "Muy alta");
    }
}
