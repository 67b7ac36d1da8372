//! Tickets: create, list, read, history.

use crate::api::submission::{self, InlineFile, WithFiles};
use crate::error::ApiError;
use crate::extract::AuthUser;
use crate::i18n::Lang;
use crate::{AppState, json};
use axum::Json;
use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sau_domain::{CommandKind, State as TicketState};
use sau_service::TicketSort;
use sau_service::{NewRequest, OnBehalf, TicketQuery};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::collections::HashMap;

pub(crate) const CHANNEL: &str = "api";

#[derive(Debug, Deserialize)]
pub struct CreateTicketBody {
    category: String,
    title: String,
    description: String,
    priority: Option<i64>,
    #[serde(default)]
    fields: serde_json::Map<String, Value>,
    #[serde(default)]
    attachments: Vec<InlineFile>,
    /// For an agent typing a request for someone else: their login, and
    /// `intake` (`phone`, `in_person`, `message`).
    requester: Option<String>,
    intake: Option<String>,
}

impl WithFiles for CreateTicketBody {
    fn take_inline_files(&mut self) -> Vec<InlineFile> {
        std::mem::take(&mut self.attachments)
    }
}

/// `POST /tickets`: JSON (files inline as base64) or multipart (a `ticket` JSON
/// part and `files` parts).
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

fn query_from(state: &AppState, params: &HashMap<String, String>) -> Result<TicketQuery, ApiError> {
    let text = |k: &str| {
        params
            .get(k)
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    let mut query = TicketQuery::default();
    if let Some(states) = text("state") {
        for s in states.split(',') {
            query.states.push(
                s.trim()
                    .parse::<TicketState>()
                    .map_err(|_| bad("state", "not_an_option"))?,
            );
        }
    }
    query.queue = text("queue");
    query.category = text("category");
    query.technician = text("technician");
    query.requester = text("requester");
    query.department = text("department");
    query.text = text("q");
    if let Some(p) = text("priority") {
        query.priority = Some(p.parse().map_err(|_| bad("priority", "not_a_number"))?);
    }
    if let Some(v) = text("created_from") {
        query.created_from = Some(time_param(state, "created_from", &v)?);
    }
    if let Some(v) = text("created_to") {
        query.created_to = Some(time_param(state, "created_to", &v)?);
    }
    if let Some(due) = text("due") {
        query.due = Some(match due.as_str() {
            "soon" => sau_service::DueFilter::Soon,
            "overdue" => sau_service::DueFilter::Overdue,
            _ => return Err(bad("due", "not_an_option")),
        });
    }
    if let Some(sort) = text("sort") {
        query.sort = match sort.as_str() {
            "created_desc" | "-created" => TicketSort::CreatedDesc,
            "created_asc" | "created" => TicketSort::CreatedAsc,
            "updated_desc" | "-updated" => TicketSort::UpdatedDesc,
            "priority_desc" | "-priority" => TicketSort::PriorityDesc,
            _ => return Err(bad("sort", "not_an_option")),
        };
    }
    query.cursor = text("cursor");
    if let Some(limit) = text("limit") {
        query.limit = Some(limit.parse().map_err(|_| bad("limit", "not_a_number"))?);
    }
    Ok(query)
}

pub async fn list_tickets(
    State(state): State<AppState>,
    AuthUser(caller): AuthUser,
    headers: HeaderMap,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let lang = Lang::from_headers(&headers);
    let query = query_from(&state, &params)?;
    let page = state.service.list_tickets(&caller, query).await?;
    Ok(Json(TicketPageJson {
        tickets: page.tickets.iter().map(|t| json::ticket(t, lang)).collect(),
        next_cursor: page.next.map(|c| c.encode()),
    })
    .into_response())
}

#[derive(Serialize)]
struct TicketPageJson<'a> {
    tickets: Vec<json::TicketJson<'a>>,
    next_cursor: Option<String>,
}

#[derive(Serialize)]
struct TicketDetailJson<'a> {
    #[serde(flatten)]
    ticket: json::TicketJson<'a>,
    /// The commands the caller may give on it now.
    allowed_actions: Vec<CommandKind>,
    entries: Vec<Value>,
    /// How to reach the requester (phone, extension, office): agents only.
    #[serde(skip_serializing_if = "Option::is_none")]
    requester_contact: Option<sau_domain::Contact>,
}

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

pub async fn list_ticket_events(
    State(state): State<AppState>,
    AuthUser(caller): AuthUser,
    Path(number): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let events = state.service.ticket_events(&caller, &number).await?;
    Ok(Json(json!({
        "events": events.iter().map(json::event).collect::<Vec<_>>(),
    })))
}
