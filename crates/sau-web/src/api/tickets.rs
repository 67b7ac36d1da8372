//! Tickets: create, list, read, history.

use crate::AppState;
use crate::api::submission::{self, InlineFile, WithFiles};
use crate::error::{ApiError, ErrorBody};
use crate::extract::AuthUser;
use crate::i18n::Lang;
use crate::json::{self, EntryJson, EventJson, TicketJson};
use axum::Json;
use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sau_domain::{CommandKind, State as TicketState};
use sau_service::TicketSort;
use sau_service::{NewRequest, OnBehalf, TicketQuery};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

pub(crate) const CHANNEL: &str = "api";

/// A new request.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({
    "category": "reinicio_clave",
    "title": "No puedo entrar al correo",
    "description": "Olvidé mi clave",
    "fields": {"sistema": "Correo", "usuario": "aperez"}
}))]
pub struct CreateTicketBody {
    /// A category's key (`GET /categories`).
    category: String,
    title: String,
    description: String,
    /// 1 (very low) to 5 (very high); absent: the category's, as the
    /// dispatcher will review it.
    priority: Option<i64>,
    /// The category's fields by key: numbers, or texts (choices by key,
    /// dates as `YYYY-MM-DD`).
    #[serde(default)]
    #[schema(value_type = Object)]
    fields: serde_json::Map<String, Value>,
    /// Files inline, base64 (or send the body as multipart instead).
    #[serde(default)]
    attachments: Vec<InlineFile>,
    /// For an agent typing a request for someone else: their login, and
    /// `intake` (`phone`, `in_person`, `message`).
    requester: Option<String>,
    intake: Option<String>,
}

/// The multipart form of a body that carries files: the JSON body (without
/// `attachments`) in one part, each file in a `files` part.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct TicketUpload {
    /// The JSON of a new ticket, as `CreateTicketBody` without `attachments`.
    ticket: String,
    #[schema(value_type = Vec<String>, format = Binary)]
    files: Vec<Vec<u8>>,
}

impl WithFiles for CreateTicketBody {
    fn take_inline_files(&mut self) -> Vec<InlineFile> {
        std::mem::take(&mut self.attachments)
    }
}

/// Opens a request: JSON (files inline as base64) or multipart (a `ticket`
/// JSON part and `files` parts). An agent may open one for someone else.
#[utoipa::path(
    post, path = "/tickets", tag = "tickets",
    request_body(content(
        (CreateTicketBody = "application/json"),
        (TicketUpload = "multipart/form-data"),
    )),
    responses(
        (status = 201, description = "Opened; `Location` names it", body = TicketJson),
        (status = 400, description = "A body that does not read", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Not allowed to open it (e.g. for someone else)", body = ErrorBody),
        (status = 413, description = "Files over a limit", body = ErrorBody),
        (status = 415, description = "A kind of file not accepted, or a body neither JSON nor multipart", body = ErrorBody),
        (status = 422, description = "A field is wrong", body = ErrorBody),
    )
)]
pub async fn create_ticket(
    State(state): State<AppState>,
    AuthUser(caller): AuthUser,
    headers: HeaderMap,
    request: Request,
) -> Result<Response, ApiError> {
    let (body, attachments) =
        submission::receive::<CreateTicketBody>(&state, request, "ticket").await?;
    let request = NewRequest {
        category: body.category,
        title: body.title,
        description: body.description,
        priority: body.priority,
        fields: body.fields,
        attachments,
    };
    let record = match body.requester {
        Some(requester) => {
            let on_behalf = OnBehalf {
                requester,
                intake: body.intake.unwrap_or_default(),
            };
            state
                .service
                .submit_for(&caller, &on_behalf, request, CHANNEL)
                .await?
        }
        None => state.service.submit(&caller, request, CHANNEL).await?,
    };
    let mut response = (
        StatusCode::CREATED,
        Json(json::ticket(&record, Lang::from_headers(&headers))),
    )
        .into_response();
    if let Ok(location) =
        HeaderValue::from_str(&format!("/api/v1/tickets/{}", record.ticket.number))
    {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

fn bad(field: &str, problem: &str) -> ApiError {
    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").field(field, problem)
}

/// A time filter: RFC 3339, or a date (`YYYY-MM-DD`, midnight in the service's
/// time zone).
fn time_param(state: &AppState, field: &str, value: &str) -> Result<jiff::Timestamp, ApiError> {
    if let Ok(t) = value.parse::<jiff::Timestamp>() {
        return Ok(t);
    }
    value
        .parse::<jiff::civil::Date>()
        .ok()
        .and_then(|d| {
            d.to_zoned_datetime(state.service.settings().time_zone.clone())
                .ok()
        })
        .map(|z| z.timestamp())
        .ok_or_else(|| bad(field, "not_a_date"))
}

/// A ticket list's filters, sort and page; every one may be left out.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// States, comma-separated (`assigned,in_progress`).
    state: Option<String>,
    /// A queue's key.
    queue: Option<String>,
    /// A category's key.
    category: Option<String>,
    /// A technician's login.
    technician: Option<String>,
    /// A requester's login.
    requester: Option<String>,
    /// A department's code.
    department: Option<String>,
    /// Words of what the ticket says (title, entries, field values, the
    /// requester, attached files' names and the text inside them; internal
    /// notes for agents only), each a prefix, accents and case aside, "quoted
    /// words" one after the other; or the first digits of a number. Each
    /// ticket found tells where (`found`).
    q: Option<String>,
    /// 1 to 5.
    priority: Option<String>,
    /// RFC 3339, or a date (`YYYY-MM-DD`, midnight in the service's time zone).
    created_from: Option<String>,
    created_to: Option<String>,
    /// `soon` or `overdue`.
    due: Option<String>,
    /// `created_desc` (default), `created_asc`, `updated_desc`, `priority_desc`.
    sort: Option<String>,
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
    /// How many per page: 1 to 500, 50 unless given.
    limit: Option<String>,
}

fn query_from(state: &AppState, params: ListParams) -> Result<TicketQuery, ApiError> {
    let text = |v: Option<String>| v.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
    let mut query = TicketQuery::default();
    if let Some(states) = text(params.state) {
        for s in states.split(',') {
            query.states.push(
                s.trim()
                    .parse::<TicketState>()
                    .map_err(|_| bad("state", "not_an_option"))?,
            );
        }
    }
    query.queue = text(params.queue);
    query.category = text(params.category);
    query.technician = text(params.technician);
    query.requester = text(params.requester);
    query.department = text(params.department);
    query.text = text(params.q);
    if let Some(p) = text(params.priority) {
        query.priority = Some(p.parse().map_err(|_| bad("priority", "not_a_number"))?);
    }
    if let Some(v) = text(params.created_from) {
        query.created_from = Some(time_param(state, "created_from", &v)?);
    }
    if let Some(v) = text(params.created_to) {
        query.created_to = Some(time_param(state, "created_to", &v)?);
    }
    if let Some(due) = text(params.due) {
        query.due = Some(match due.as_str() {
            "soon" => sau_service::DueFilter::Soon,
            "overdue" => sau_service::DueFilter::Overdue,
            _ => return Err(bad("due", "not_an_option")),
        });
    }
    if let Some(sort) = text(params.sort) {
        query.sort = match sort.as_str() {
            "created_desc" | "-created" => TicketSort::CreatedDesc,
            "created_asc" | "created" => TicketSort::CreatedAsc,
            "updated_desc" | "-updated" => TicketSort::UpdatedDesc,
            "priority_desc" | "-priority" => TicketSort::PriorityDesc,
            _ => return Err(bad("sort", "not_an_option")),
        };
    }
    query.cursor = text(params.cursor);
    if let Some(limit) = text(params.limit) {
        query.limit = Some(limit.parse().map_err(|_| bad("limit", "not_a_number"))?);
    }
    Ok(query)
}

/// The tickets the caller may see (a requester: their own), newest first,
/// a page at a time.
#[utoipa::path(
    get, path = "/tickets", tag = "tickets",
    params(ListParams),
    responses(
        (status = 200, description = "A page of tickets", body = TicketPageJson),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 422, description = "A filter does not read", body = ErrorBody),
    )
)]
pub async fn list_tickets(
    State(state): State<AppState>,
    AuthUser(caller): AuthUser,
    headers: HeaderMap,
    Query(params): Query<ListParams>,
) -> Result<Response, ApiError> {
    let lang = Lang::from_headers(&headers);
    let query = query_from(&state, params)?;
    let text = query.text.clone();
    let page = state.service.list_tickets(&caller, query).await?;
    let mut hits = match &text {
        Some(text) => state.service.search_hits(&caller, text, &page).await?,
        None => Default::default(),
    };
    Ok(Json(TicketPageJson {
        tickets: page
            .tickets
            .iter()
            .map(|t| ListedTicketJson {
                ticket: json::ticket(t, lang),
                found: hits.remove(&t.ticket.id).map(FoundJson::from),
            })
            .collect(),
        next_cursor: page.next.map(|c| c.encode()),
    })
    .into_response())
}

#[derive(Serialize, ToSchema)]
#[schema(as = TicketPage)]
pub struct TicketPageJson<'a> {
    tickets: Vec<ListedTicketJson<'a>>,
    /// Pass it as `cursor` for the next page; null on the last.
    next_cursor: Option<String>,
}

#[derive(Serialize, ToSchema)]
#[schema(as = ListedTicket)]
pub struct ListedTicketJson<'a> {
    #[serde(flatten)]
    ticket: TicketJson<'a>,
    /// With `q`: where its words were found, when not in the title, a field
    /// value or the requester's name (which the ticket shows already).
    #[serde(skip_serializing_if = "Option::is_none")]
    found: Option<FoundJson>,
}

/// Where a search's words were found in a ticket, and the stretch around
/// them with the words marked.
#[derive(Serialize, ToSchema)]
#[schema(as = SearchHit)]
pub struct FoundJson {
    /// `entry` (its text), `file_name` or `file_text` (the text read inside
    /// an attached file: its own text, or what OCR read in a scan).
    #[serde(rename = "in")]
    place: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    entry_id: Option<i64>,
    /// `description`, `comment` or `resolution`.
    #[serde(skip_serializing_if = "Option::is_none")]
    entry_kind: Option<&'static str>,
    /// `public` or `internal` (agents only).
    #[serde(skip_serializing_if = "Option::is_none")]
    visibility: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    attachment_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    file_name: Option<String>,
    /// The stretch in pieces, in order: `marked` ones are the words found.
    fragments: Vec<FragmentJson>,
}

#[derive(Serialize, ToSchema)]
#[schema(as = SearchHitFragment)]
pub struct FragmentJson {
    text: String,
    marked: bool,
}

impl From<sau_service::SearchHit> for FoundJson {
    fn from(hit: sau_service::SearchHit) -> FoundJson {
        let mut found = FoundJson {
            place: "entry",
            entry_id: None,
            entry_kind: None,
            visibility: None,
            attachment_id: None,
            file_name: None,
            fragments: hit
                .fragments
                .into_iter()
                .map(|f| FragmentJson {
                    text: f.text,
                    marked: f.marked,
                })
                .collect(),
        };
        match hit.place {
            sau_service::HitPlace::Entry {
                entry,
                kind,
                visibility,
                ..
            } => {
                found.entry_id = Some(entry);
                found.entry_kind = Some(kind.as_str());
                found.visibility = Some(visibility.as_str());
            }
            sau_service::HitPlace::FileName { attachment, name } => {
                found.place = "file_name";
                found.attachment_id = Some(attachment.0);
                found.file_name = Some(name);
            }
            sau_service::HitPlace::FileText { attachment, name } => {
                found.place = "file_text";
                found.attachment_id = Some(attachment.0);
                found.file_name = Some(name);
            }
        }
        found
    }
}

#[derive(Serialize, ToSchema)]
#[schema(as = TicketDetail)]
pub struct TicketDetailJson<'a> {
    #[serde(flatten)]
    ticket: TicketJson<'a>,
    /// The commands the caller may give on it now.
    allowed_actions: Vec<CommandKind>,
    /// What was written on it that the caller may read, oldest first.
    entries: Vec<EntryJson<'a>>,
    /// How to reach the requester (phone, extension, office): agents only.
    #[serde(skip_serializing_if = "Option::is_none")]
    requester_contact: Option<sau_domain::Contact>,
}

/// One ticket, with its entries and what the caller may do next.
#[utoipa::path(
    get, path = "/tickets/{number}", tag = "tickets",
    params(("number" = String, Path, description = "The ticket's number")),
    responses(
        (status = 200, description = "The ticket", body = TicketDetailJson),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 404, description = "No such ticket, or not one the caller may see", body = ErrorBody),
    )
)]
pub async fn get_ticket(
    State(state): State<AppState>,
    AuthUser(caller): AuthUser,
    headers: HeaderMap,
    Path(number): Path<String>,
) -> Result<Response, ApiError> {
    let detail = state.service.ticket(&caller, &number).await?;
    let requester_contact = if caller.roles().is_agent() {
        Some(
            state
                .service
                .requester_contact(&caller, &detail.record)
                .await?,
        )
    } else {
        None
    };
    Ok(Json(TicketDetailJson {
        ticket: json::ticket(&detail.record, Lang::from_headers(&headers)),
        allowed_actions: state.service.allowed_commands(&caller, &detail.record),
        entries: detail.entries.iter().map(json::entry).collect(),
        requester_contact,
    })
    .into_response())
}

#[derive(Serialize, ToSchema)]
pub struct EventList<'a> {
    events: Vec<EventJson<'a>>,
}

/// A ticket's history, oldest first (a requester sees the public steps).
#[utoipa::path(
    get, path = "/tickets/{number}/events", tag = "tickets",
    params(("number" = String, Path, description = "The ticket's number")),
    responses(
        (status = 200, description = "Its events", body = EventList),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 404, description = "No such ticket, or not one the caller may see", body = ErrorBody),
    )
)]
pub async fn list_ticket_events(
    State(state): State<AppState>,
    AuthUser(caller): AuthUser,
    Path(number): Path<String>,
) -> Result<Response, ApiError> {
    let events = state.service.ticket_events(&caller, &number).await?;
    Ok(Json(EventList {
        events: events.iter().map(json::event).collect(),
    })
    .into_response())
}
