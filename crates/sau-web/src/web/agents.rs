//! The agents' pages: the triage queue, a technician's tickets, the ticket page.
//!
//! Which actions the ticket page offers is asked of the rules
//! ([`sau_domain::Policy::allowed`]), never decided here.

use crate::AppState;
use crate::error::ApiError;
use crate::i18n::{Lang, error_message, problem_message};
use crate::web::attachments::{
    AttachmentView, Unread, UploadView, attachment_views, read_form, service_refusal, unread,
};
use crate::web::chrome::{Chrome, translate};
use crate::web::pages::{WebUser, forbidden_page, missing_page, refused_page, service_error_page};
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use sau_domain::{
    AttentionMode, Category, CategoryId, CommandKind, DomainError, EventKind, FieldValue, Priority,
    Role, State as TicketState, UserId, Visibility,
};
use sau_domain::{StepTimes, TargetStatus};
use sau_service::{
    Action, Caller, CommandInput, EntryRecord, ServiceError, StoredEvent, Tally, TechnicianLoad,
    TicketQuery, TicketRecord, TicketSort, TicketTimes,
};
use std::collections::HashMap;

/// The channel the web pages record on events and entries.
const CHANNEL: &str = "web";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/queue", get(queue))
        .route("/mine", get(mine))
        .route("/overview", get(overview))
        .route("/tickets/{number}", get(ticket_page))
        .route("/tickets/{number}/{action}", post(ticket_action))
}

// ---------------------------------------------------------------------------
// Shared bits

fn dispatches(caller: &Caller) -> bool {
    caller.roles().dispatches()
}

/// One `<option>` of a select.
struct Choice {
    value: String,
    label: String,
    selected: bool,
}

/// "12 min", "3 h 5 min", "2 d 4 h": how long since `since`.
fn elapsed(since: jiff::Timestamp, now: jiff::Timestamp) -> String {
    span(now.duration_since(since))
}

/// A duration as plain figures: "4 min", "1 h 12 min", "2 d 4 h" (whole minutes,
/// rounded down; never negative).
fn span(d: jiff::SignedDuration) -> String {
    let minutes = d.as_secs().max(0) / 60;
    if minutes < 60 {
        format!("{minutes} min")
    } else if minutes < 24 * 60 {
        format!("{} h {} min", minutes / 60, minutes % 60)
    } else {
        format!("{} d {} h", minutes / (24 * 60), (minutes % (24 * 60)) / 60)
    }
}

fn priority_name(lang: Lang, p: Priority) -> String {
    lang.pick(p.name_es(), p.name_en()).to_owned()
}

fn category_name(lang: Lang, categories: &[Category], id: CategoryId, fallback: &str) -> String {
    categories.iter().find(|c| c.id == id).map_or_else(
        || fallback.to_owned(),
        |c| lang.pick(&c.name_es, &c.name_en).to_owned(),
    )
}

/// Technicians with their open load ("Teresa Técnica (2)"); the least loaded is
/// pre-selected as the suggestion.
fn technician_choices(loads: &[TechnicianLoad]) -> Vec<Choice> {
    let least = loads
        .iter()
        .enumerate()
        .min_by_key(|(i, l)| (l.open_tickets, *i))
        .map(|(i, _)| i);
    loads
        .iter()
        .enumerate()
        .map(|(i, l)| Choice {
            value: l.user.login.clone(),
            label: format!("{} ({})", l.user.display_name, l.open_tickets),
            selected: Some(i) == least,
        })
        .collect()
}

/// The five priorities; the current one is sent as "" (no change).
fn priority_choices(lang: Lang, current: Priority) -> Vec<Choice> {
    (1..=5)
        .filter_map(Priority::new)
        .map(|p| Choice {
            value: if p == current {
                String::new()
            } else {
                i64::from(p).to_string()
            },
            label: format!("{} – {}", p.level(), priority_name(lang, p)),
            selected: p == current,
        })
        .collect()
}

/// The categories open for requests; the current one is sent as "" (no change),
/// so a ticket of a retired category keeps it unless someone picks another.
fn category_choices(lang: Lang, categories: &[Category], record: &TicketRecord) -> Vec<Choice> {
    let current = record.ticket.category;
    let mut choices = vec![Choice {
        value: String::new(),
        label: category_name(lang, categories, current, &record.category_key),
        selected: true,
    }];
    choices.extend(
        categories
            .iter()
            .filter(|c| c.id != current && c.active)
            .map(|c| Choice {
                value: c.key.clone(),
                label: lang.pick(&c.name_es, &c.name_en).to_owned(),
                selected: false,
            }),
    );
    choices
}

// ---------------------------------------------------------------------------
// The triage queue

struct QueueRow {
    number: String,
    title: String,
    category: String,
    priority: String,
    department: String,
    waited: String,
    version: i64,
    priorities: Vec<Choice>,
    categories: Vec<Choice>,
}

/// A resolved ticket waiting for the dispatcher to close it (manual step 7).
struct ResolvedRow {
    number: String,
    title: String,
    technician: String,
    resolved: String,
    version: i64,
}

#[derive(Template, WebTemplate)]
#[template(path = "agent_queue.html")]
struct QueuePage {
    chrome: Chrome,
    rows: Vec<QueueRow>,
    technicians: Vec<Choice>,
    resolved: Vec<ResolvedRow>,
    /// How many new tickets wait in all, when there are more than the page shows.
    waiting: Option<String>,
}

/// Rows the triage queue shows at once.
const QUEUE_ROWS: u32 = 50;

/// New tickets, oldest first, each with a form to assign it.
async fn queue(State(state): State<AppState>, user: WebUser) -> Response {
    let WebUser { caller, chrome } = user;
    if !dispatches(&caller) {
        return forbidden_page(chrome);
    }
    // The oldest first, and only as many as a person triages at a sitting: the
    // page stays light however long the queue grows.
    let query = TicketQuery {
        states: vec![TicketState::New],
        sort: TicketSort::CreatedAsc,
        limit: Some(QUEUE_ROWS),
        ..TicketQuery::default()
    };
    let awaiting_closure = TicketQuery {
        states: vec![TicketState::Resolved],
        sort: TicketSort::CreatedAsc,
        limit: Some(200),
        ..TicketQuery::default()
    };
    let loaded = async {
        let page = state.service.list_tickets(&caller, query).await?;
        let resolved = state
            .service
            .list_tickets(&caller, awaiting_closure)
            .await?;
        let loads = state.service.technicians(&caller).await?;
        let categories = state.service.categories(&caller).await?;
        // Counted only when the page is full: otherwise the rows are all of them.
        let waiting = if page.next.is_some() {
            state
                .service
                .open_ticket_counts(&caller)
                .await?
                .into_iter()
                .find(|c| c.state == TicketState::New)
                .map(|c| crate::web::lists::shown_count(c.count, c.more))
        } else {
            None
        };
        Ok::<_, ServiceError>((page, resolved, loads, categories, waiting))
    };
    let (page, resolved, loads, categories, waiting) = match loaded.await {
        Ok(x) => x,
        Err(e) => return service_error_page(chrome, &e),
    };
    let lang = chrome.lang;
    let now = jiff::Timestamp::now();
    let rows = page
        .tickets
        .iter()
        .map(|r| {
            let t = &r.ticket;
            QueueRow {
                number: t.number.clone(),
                title: t.title.clone(),
                category: category_name(lang, &categories, t.category, &r.category_key),
                priority: priority_name(lang, t.priority),
                department: r
                    .department
                    .as_ref()
                    .map(|d| d.name.clone())
                    .unwrap_or_default(),
                waited: elapsed(t.created_at, now),
                version: t.version,
                priorities: priority_choices(lang, t.priority),
                categories: category_choices(lang, &categories, r),
            }
        })
        .collect();
    let resolved = resolved
        .tickets
        .iter()
        .map(|r| ResolvedRow {
            number: r.ticket.number.clone(),
            title: r.ticket.title.clone(),
            technician: r
                .technician
                .as_ref()
                .map(|u| u.display_name.clone())
                .unwrap_or_default(),
            resolved: r
                .ticket
                .resolved_at
                .map(|at| chrome.time(&at))
                .unwrap_or_default(),
            version: r.ticket.version,
        })
        .collect();
    QueuePage {
        rows,
        technicians: technician_choices(&loads),
        resolved,
        waiting,
        chrome,
    }
    .into_response()
}

// ---------------------------------------------------------------------------
// A technician's tickets

struct MineRow {
    number: String,
    title: String,
    state: &'static str,
    state_key: String,
    priority: String,
    category: String,
    age: String,
    updated: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "agent_mine.html")]
struct MinePage {
    chrome: Chrome,
    rows: Vec<MineRow>,
}

/// Where a state sorts on "my tickets": what needs accepting first.
fn work_order(state: TicketState) -> usize {
    match state {
        TicketState::Assigned => 0,
        TicketState::InProgress => 1,
        TicketState::OnHold => 2,
        TicketState::Resolved => 3,
        _ => 4,
    }
}

async fn mine(State(state): State<AppState>, user: WebUser) -> Response {
    let WebUser { caller, chrome } = user;
    let Some(login) = caller
        .user()
        .filter(|u| u.roles.has(Role::Technician))
        .map(|u| u.login.clone())
    else {
        return forbidden_page(chrome);
    };
    let query = TicketQuery {
        states: vec![
            TicketState::Assigned,
            TicketState::InProgress,
            TicketState::OnHold,
            TicketState::Resolved,
        ],
        technician: Some(login),
        sort: TicketSort::CreatedAsc,
        limit: Some(500),
        ..TicketQuery::default()
    };
    let loaded = async {
        let page = state.service.list_tickets(&caller, query).await?;
        let categories = state.service.categories(&caller).await?;
        Ok::<_, ServiceError>((page, categories))
    };
    let (page, categories) = match loaded.await {
        Ok(x) => x,
        Err(e) => return service_error_page(chrome, &e),
    };
    let mut tickets = page.tickets;
    // Stable: oldest first within each state.
    tickets.sort_by_key(|r| work_order(r.ticket.state));
    let now = jiff::Timestamp::now();
    let rows = tickets
        .iter()
        .map(|r| {
            let t = &r.ticket;
            MineRow {
                number: t.number.clone(),
                title: t.title.clone(),
                state: t.state.as_str(),
                state_key: format!("state-{}", t.state.as_str()),
                priority: priority_name(chrome.lang, t.priority),
                category: category_name(chrome.lang, &categories, t.category, &r.category_key),
                age: elapsed(t.created_at, now),
                updated: chrome.time(&t.updated_at),
            }
        })
        .collect();
    MinePage { rows, chrome }.into_response()
}

// ---------------------------------------------------------------------------
// The ticket page

struct TicketView {
    number: String,
    title: String,
    state: &'static str,
    state_key: String,
    priority: String,
    category: String,
    requester: String,
    department: Option<String>,
    technician: Option<String>,
    attention: Option<String>,
    remote_tool: Option<String>,
    remote_id: Option<String>,
    /// `anydesk:{id}` when the attention was remote with AnyDesk.
    anydesk: Option<String>,
    created: String,
    age: String,
    version: i64,
}

struct FieldRow {
    label: String,
    value: String,
}

struct EntryView {
    author: String,
    time: String,
    kind: String,
    internal: bool,
    lines: Vec<String>,
    files: Vec<AttachmentView>,
}

struct EventView {
    actor: String,
    time: String,
    label: String,
    detail: Option<String>,
}

/// The commands the rules allow the viewer now ([`sau_domain::Policy::allowed`]),
/// as the page offers them: one technician form, "reassign" where that applies,
/// else "assign".
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct Actions(Vec<CommandKind>);

impl Actions {
    fn new(mut allowed: Vec<CommandKind>) -> Actions {
        if allowed.contains(&CommandKind::Reassign) {
            allowed.retain(|k| *k != CommandKind::Assign);
        }
        Actions(allowed)
    }

    fn any(&self) -> bool {
        !self.0.is_empty()
    }

    /// Whether the page offers the command named `name` (templates name them).
    fn offers(&self, name: &str) -> bool {
        self.0.iter().any(|k| k.as_str() == name)
    }

    fn has(&self, kind: CommandKind) -> bool {
        self.0.contains(&kind)
    }
}

/// A form with nothing to fill in: a button.
struct PlainForm {
    action: &'static str,
    label: String,
    style: &'static str,
}

fn plain_forms(lang: Lang, actions: &Actions) -> Vec<PlainForm> {
    [
        (CommandKind::Accept, "agent-accept", "btn-primary"),
        (CommandKind::Resume, "agent-resume", "btn-primary"),
        (CommandKind::Close, "agent-close", "btn-success"),
    ]
    .into_iter()
    .filter(|(kind, ..)| actions.has(*kind))
    .map(|(kind, key, style)| PlainForm {
        action: kind.as_str(),
        label: translate(lang, key),
        style,
    })
    .collect()
}

/// A form whose only field is a reason.
struct ReasonForm {
    action: &'static str,
    label: String,
    style: &'static str,
    error: Option<String>,
    draft: String,
}

fn reason_forms(lang: Lang, actions: &Actions, failed: Option<&Failure>) -> Vec<ReasonForm> {
    [
        (CommandKind::Hold, "agent-hold", "btn-outline-dark"),
        (CommandKind::Return, "agent-return", "btn-outline-secondary"),
        (CommandKind::Cancel, "agent-cancel", "btn-outline-danger"),
        (CommandKind::Reopen, "agent-reopen", "btn-outline-primary"),
    ]
    .into_iter()
    .filter(|(kind, ..)| actions.has(*kind))
    .map(|(kind, key, style)| {
        let action = kind.as_str();
        let failure = failed.filter(|f| f.action == action);
        ReasonForm {
            action,
            label: translate(lang, key),
            style,
            error: failure.map(|f| f.message.clone()),
            draft: failure.map(|f| f.draft.clone()).unwrap_or_default(),
        }
    })
    .collect()
}

/// A refused form: which, why, and what was typed.
struct Failure {
    action: String,
    message: String,
    draft: String,
    /// The message is about the form's files: shown next to its file input.
    about_files: bool,
    /// Files were sent and not kept: they must be chosen again.
    files_lost: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "agent_ticket.html")]
struct TicketPage {
    chrome: Chrome,
    t: TicketView,
    times: TimesView,
    fields: Vec<FieldRow>,
    entries: Vec<EntryView>,
    events: Vec<EventView>,
    actions: Actions,
    /// Accept, resume and close: a button each.
    plain_forms: Vec<PlainForm>,
    /// Hold, return, cancel and reopen: one reason each.
    reason_forms: Vec<ReasonForm>,
    technicians: Vec<Choice>,
    /// Shown above everything (the ticket changed under the viewer).
    notice: Option<String>,
    failed: Option<Failure>,
    /// The comment's and the resolution's files.
    comment_upload: UploadView,
    resolve_upload: UploadView,
}

impl TicketPage {
    fn error_for(&self, action: &str) -> Option<&str> {
        self.failed
            .as_ref()
            .filter(|f| f.action == action && !f.about_files)
            .map(|f| f.message.as_str())
    }

    fn draft_for(&self, action: &str) -> &str {
        self.failed
            .as_ref()
            .filter(|f| f.action == action)
            .map_or("", |f| f.draft.as_str())
    }
}

fn attention_label(lang: Lang, mode: AttentionMode) -> String {
    translate(
        lang,
        match mode {
            AttentionMode::InPerson => "agent-attention-in_person",
            AttentionMode::Remote => "agent-attention-remote",
        },
    )
}

fn field_value(value: &FieldValue) -> String {
    match value {
        FieldValue::Text(s) => s.clone(),
        FieldValue::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
        FieldValue::Number(n) => n.to_string(),
    }
}

/// An AnyDesk id fit for a link: digits, letters and the alias marks only.
fn anydesk_link(tool: Option<&str>, id: Option<&str>) -> Option<String> {
    let tool = tool?.trim();
    let id: String = id?.chars().filter(|c| !c.is_whitespace()).collect();
    let fits = !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '@' | '.' | '-' | '_'));
    (tool.eq_ignore_ascii_case("anydesk") && fits).then(|| format!("anydesk:{id}"))
}

fn ticket_view(chrome: &Chrome, record: &TicketRecord, categories: &[Category]) -> TicketView {
    let t = &record.ticket;
    let lang = chrome.lang;
    let attention = t.attention.as_ref();
    let remote_tool = attention.and_then(|a| a.remote_tool.clone());
    let remote_id = attention.and_then(|a| a.remote_id.clone());
    TicketView {
        number: t.number.clone(),
        title: t.title.clone(),
        state: t.state.as_str(),
        state_key: format!("state-{}", t.state.as_str()),
        priority: priority_name(lang, t.priority),
        category: category_name(lang, categories, t.category, &record.category_key),
        requester: record.requester.display_name.clone(),
        department: record.department.as_ref().map(|d| d.name.clone()),
        technician: record.technician.as_ref().map(|u| u.display_name.clone()),
        attention: attention.map(|a| attention_label(lang, a.mode)),
        anydesk: anydesk_link(remote_tool.as_deref(), remote_id.as_deref()),
        remote_tool,
        remote_id,
        created: chrome.time(&t.created_at),
        age: elapsed(t.created_at, jiff::Timestamp::now()),
        version: t.version,
    }
}

fn entry_view(chrome: &Chrome, e: &EntryRecord) -> EntryView {
    let kind = match e.kind.as_str() {
        "description" => "agent-entry-description",
        "resolution" => "agent-entry-resolution",
        _ => "agent-entry-comment",
    };
    EntryView {
        author: e.author.display_name.clone(),
        time: chrome.time(&e.created_at),
        kind: translate(chrome.lang, kind),
        internal: e.visibility == Visibility::Internal,
        lines: e.body.lines().map(str::to_owned).collect(),
        files: attachment_views(chrome.lang, &e.attachments),
    }
}

fn event_view(
    chrome: &Chrome,
    e: &StoredEvent,
    names: &HashMap<UserId, String>,
    categories: &[Category],
) -> EventView {
    let lang = chrome.lang;
    let name = |id: &UserId| {
        names
            .get(id)
            .cloned()
            .unwrap_or_else(|| format!("#{}", id.0))
    };
    let detail = match &e.event.kind {
        EventKind::Submitted { .. } | EventKind::Accepted | EventKind::Resumed => None,
        EventKind::Closed => None,
        EventKind::PriorityChanged { from, to } => Some(format!(
            "{} → {}",
            priority_name(lang, *from),
            priority_name(lang, *to)
        )),
        EventKind::CategoryChanged { from, to, .. } => Some(format!(
            "{} → {}",
            category_name(lang, categories, *from, "?"),
            category_name(lang, categories, *to, "?")
        )),
        EventKind::Assigned {
            technician,
            previous,
        } => Some(match previous {
            Some(p) => format!("{} → {}", name(p), name(technician)),
            None => name(technician),
        }),
        EventKind::Commented { visibility, .. } => Some(translate(
            lang,
            match visibility {
                Visibility::Internal => "agent-internal-note",
                Visibility::Public => "agent-public",
            },
        )),
        EventKind::Held { reason }
        | EventKind::Returned { reason }
        | EventKind::Cancelled { reason }
        | EventKind::Reopened { reason } => Some(reason.clone()),
        EventKind::Resolved {
            resolution,
            attention,
            ..
        } => Some(format!(
            "{} ({})",
            resolution,
            attention_label(lang, attention.mode)
        )),
    };
    EventView {
        actor: e.actor.display_name.clone(),
        time: chrome.time(&e.event.at),
        label: translate(lang, &format!("agent-event-{}", e.event.kind.name())),
        detail,
    }
}

/// Renders the ticket page as it is now, with `status` and an optional notice or
/// refused form.
async fn render_ticket(
    state: &AppState,
    user: WebUser,
    number: &str,
    status: StatusCode,
    notice: Option<String>,
    failed: Option<Failure>,
) -> Response {
    let WebUser { caller, chrome } = user;
    let loaded = async {
        let detail = state.service.ticket(&caller, number).await?;
        let events = state.service.ticket_events(&caller, number).await?;
        let categories = state.service.categories(&caller).await?;
        let times = state.service.ticket_times(&caller, number).await?;
        Ok::<_, ServiceError>((detail, events, categories, times))
    };
    let (detail, events, categories, times) = match loaded.await {
        Ok(x) => x,
        Err(e) => return service_error_page(chrome, &e),
    };
    let record = &detail.record;
    let actions = Actions::new(state.service.allowed_commands(&caller, record));
    // A refusal for a form the page no longer offers (a stale tab) is shown on top.
    let notice = notice.or_else(|| {
        failed
            .as_ref()
            .filter(|f| !actions.offers(&f.action))
            .map(|f| f.message.clone())
    });
    let loads = if actions.has(CommandKind::Assign) || actions.has(CommandKind::Reassign) {
        match state.service.technicians(&caller).await {
            Ok(loads) => loads,
            Err(e) => return service_error_page(chrome, &e),
        }
    } else {
        Vec::new()
    };
    let mut names: HashMap<UserId, String> = HashMap::new();
    for l in &loads {
        names.insert(l.user.id, l.user.display_name.clone());
    }
    for u in std::iter::once(&record.requester)
        .chain(record.technician.as_ref())
        .chain(events.iter().map(|e| &e.actor))
    {
        names.insert(u.id, u.display_name.clone());
    }
    let lang = chrome.lang;
    let fields = match categories.iter().find(|c| c.id == record.ticket.category) {
        // Retired fields too: older tickets keep their values under the label.
        Some(category) => category
            .fields
            .iter()
            .chain(&category.retired_fields)
            .filter_map(|def| {
                record.ticket.fields.get(&def.key).map(|v| FieldRow {
                    label: lang.pick(&def.label_es, &def.label_en).to_owned(),
                    value: field_value(v),
                })
            })
            .collect(),
        None => record
            .ticket
            .fields
            .iter()
            .map(|(k, v)| FieldRow {
                label: k.clone(),
                value: field_value(v),
            })
            .collect(),
    };
    let limits = state.service.attachment_limits();
    let upload_for = |action: &str, id: &'static str| {
        let failure = failed.as_ref().filter(|f| f.action == action);
        UploadView::new(&chrome, limits, id).refused(
            failure.filter(|f| f.about_files).map(|f| f.message.clone()),
            failure.is_some_and(|f| f.files_lost),
        )
    };
    let comment_upload = upload_for("comment", "comment-files");
    let resolve_upload = upload_for("resolve", "resolve-files");
    let page = TicketPage {
        comment_upload,
        resolve_upload,
        t: ticket_view(&chrome, record, &categories),
        times: times_view(&chrome, &times),
        fields,
        entries: detail
            .entries
            .iter()
            .map(|e| entry_view(&chrome, e))
            .collect(),
        events: events
            .iter()
            .map(|e| event_view(&chrome, e, &names, &categories))
            .collect(),
        plain_forms: plain_forms(lang, &actions),
        reason_forms: reason_forms(lang, &actions, failed.as_ref()),
        actions,
        technicians: technician_choices(&loads),
        notice,
        failed,
        chrome,
    };
    (status, page).into_response()
}

async fn ticket_page(
    State(state): State<AppState>,
    user: WebUser,
    Path(number): Path<String>,
) -> Response {
    if !user.caller.roles().is_agent() {
        return forbidden_page(user.chrome);
    }
    render_ticket(&state, user, &number, StatusCode::OK, None, None).await
}

fn field_label(lang: Lang, field: &str) -> String {
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
fn refusal(lang: Lang, e: &ServiceError) -> String {
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
async fn ticket_action(
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

// ---------------------------------------------------------------------------
// Times against the target, and the supervisor's overview

/// One step's time on the ticket page.
struct StepRow {
    label: String,
    figure: String,
}

/// The "times" panel: each step, time on hold, and the clock against the target.
struct TimesView {
    steps: Vec<StepRow>,
    on_hold: String,
    total: String,
    target: String,
    /// `target-ok`, `target-warn` or `target-late` (see app.css).
    class: &'static str,
    /// The words that say the same as the colour.
    status: String,
    /// Still running (the ticket is open): measured up to now.
    running: bool,
}

fn target_class(status: TargetStatus) -> &'static str {
    match status {
        TargetStatus::Within => "target-ok",
        TargetStatus::Near => "target-warn",
        TargetStatus::Over => "target-late",
    }
}

fn times_view(chrome: &Chrome, times: &TicketTimes) -> TimesView {
    let t: &StepTimes = &times.times;
    let step = |key: &str, d: jiff::SignedDuration| StepRow {
        label: chrome.t(key),
        figure: span(d),
    };
    TimesView {
        steps: vec![
            step("agent-times-assignment", t.waiting_assignment),
            step("agent-times-acceptance", t.waiting_acceptance),
            step("agent-times-attention", t.attention),
            step("agent-times-closure", t.waiting_closure),
        ],
        on_hold: span(t.on_hold),
        total: span(t.measured()),
        target: span(jiff::SignedDuration::from_mins(times.target_minutes)),
        class: target_class(times.status),
        status: chrome.t(&format!("agent-target-{}", times.status.as_str())),
        running: !t.finished,
    }
}

/// One line of a count table; `id` is unique on the page.
struct CountRow {
    id: String,
    label: String,
    count: i64,
}

struct OldestRow {
    number: String,
    title: String,
    state: String,
    state_key: String,
    category: String,
    technician: Option<String>,
    age: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "agent_overview.html")]
struct OverviewPage {
    chrome: Chrome,
    by_state: Vec<CountRow>,
    by_category: Vec<CountRow>,
    by_technician: Vec<CountRow>,
    by_department: Vec<CountRow>,
    oldest: Vec<OldestRow>,
    target: String,
}

fn tally_rows(lang: Lang, prefix: &str, none: &str, tallies: &[Tally]) -> Vec<CountRow> {
    tallies
        .iter()
        .map(|t| {
            let name = lang.pick(&t.name_es, &t.name_en);
            CountRow {
                id: format!("count-{prefix}-{}", t.key),
                label: if name.is_empty() {
                    none.to_owned()
                } else {
                    name.to_owned()
                },
                count: t.count,
            }
        })
        .collect()
}

/// Counts by state, category, technician and department, and the oldest open
/// tickets (supervisors only).
async fn overview(State(state): State<AppState>, user: WebUser) -> Response {
    let WebUser { caller, chrome } = user;
    if !caller.has(Role::Supervisor) {
        return forbidden_page(chrome);
    }
    let loaded = async {
        let overview = state.service.overview(&caller).await?;
        let categories = state.service.categories(&caller).await?;
        Ok::<_, ServiceError>((overview, categories))
    };
    let (overview, categories) = match loaded.await {
        Ok(x) => x,
        Err(e) => return service_error_page(chrome, &e),
    };
    let lang = chrome.lang;
    let now = jiff::Timestamp::now();
    let by_state = overview
        .by_state
        .iter()
        .map(|(s, n)| CountRow {
            id: format!("count-state-{}", s.as_str()),
            label: chrome.t(&format!("state-{}", s.as_str())),
            count: *n,
        })
        .collect();
    let none = chrome.t("agent-overview-none");
    let oldest = overview
        .oldest_open
        .iter()
        .map(|r| {
            let t = &r.ticket;
            OldestRow {
                number: t.number.clone(),
                title: t.title.clone(),
                state: t.state.as_str().to_owned(),
                state_key: format!("state-{}", t.state.as_str()),
                category: category_name(lang, &categories, t.category, &r.category_key),
                technician: r.technician.as_ref().map(|u| u.display_name.clone()),
                age: elapsed(t.created_at, now),
            }
        })
        .collect();
    OverviewPage {
        by_state,
        by_category: tally_rows(lang, "category", &none, &overview.by_category),
        by_technician: tally_rows(lang, "technician", &none, &overview.by_technician),
        by_department: tally_rows(lang, "department", &none, &overview.by_department),
        oldest,
        target: span(jiff::SignedDuration::from_mins(overview.target_minutes)),
        chrome,
    }
    .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Keys looked up with a computed name, which the catalog test cannot see.
    #[test]
    fn computed_keys_are_translated_in_both_languages() {
        let events = [
            "submitted",
            "priority_changed",
            "category_changed",
            "assigned",
            "accepted",
            "commented",
            "held",
            "resumed",
            "resolved",
            "returned",
            "closed",
            "cancelled",
            "reopened",
        ];
        let mut keys: Vec<String> = events.iter().map(|e| format!("agent-event-{e}")).collect();
        for key in [
            "agent-conflict",
            "agent-attention-in_person",
            "agent-attention-remote",
            "agent-entry-description",
            "agent-entry-comment",
            "agent-entry-resolution",
            "agent-internal-note",
            "agent-public",
            "agent-resolution",
            "agent-reason",
            "agent-comment-body",
            "agent-remote-tool",
            "agent-remote-id",
            "agent-technician",
            "agent-category",
            "agent-hold",
            "agent-return",
            "agent-cancel",
            "agent-reopen",
            "not-found-title",
            "not-found-body",
            "agent-target-within",
            "agent-target-near",
            "agent-target-over",
            "nav-overview",
        ] {
            keys.push(key.to_owned());
        }
        for lang in [Lang::Es, Lang::En] {
            for key in &keys {
                assert_ne!(&translate(lang, key), key, "{key} in {lang:?}");
            }
        }
    }

    #[test]
    fn waiting_time_reads_in_minutes_hours_and_days() {
        let t0: jiff::Timestamp = "2025-03-01T12:00:00Z".parse().expect("time");
        let later = |s: i64| t0 + jiff::SignedDuration::from_secs(s);
        assert_eq!(elapsed(t0, later(12 * 60 + 30)), "12 min");
        assert_eq!(elapsed(t0, later(3 * 3600 + 5 * 60)), "3 h 5 min");
        assert_eq!(elapsed(t0, later(2 * 86400 + 4 * 3600)), "2 d 4 h");
        assert_eq!(elapsed(later(60), t0), "0 min");
    }

    #[test]
    fn step_times_read_as_plain_figures() {
        let m = jiff::SignedDuration::from_mins;
        assert_eq!(span(m(4)), "4 min");
        assert_eq!(span(m(72)), "1 h 12 min");
        assert_eq!(span(m(60)), "1 h 0 min");
        assert_eq!(span(jiff::SignedDuration::from_secs(59)), "0 min");
        assert_eq!(span(m(-3)), "0 min");
        assert_eq!(target_class(TargetStatus::Within), "target-ok");
        assert_eq!(target_class(TargetStatus::Near), "target-warn");
        assert_eq!(target_class(TargetStatus::Over), "target-late");
    }

    #[test]
    fn only_anydesk_ids_fit_for_a_link_become_links() {
        assert_eq!(
            anydesk_link(Some("AnyDesk"), Some("123 456 789")).as_deref(),
            Some("anydesk:123456789")
        );
        assert_eq!(anydesk_link(Some("TeamViewer"), Some("123")), None);
        assert_eq!(anydesk_link(Some("AnyDesk"), Some("1\"><x")), None);
        assert_eq!(anydesk_link(Some("AnyDesk"), None), None);
    }
}
