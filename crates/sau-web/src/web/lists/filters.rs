//! What the list's address asks for: the filters as the form sends them, read
//! into the service's query, and the addresses of other pages of the same list.

use super::*;
use serde::Deserialize;

/// The list's filters, as the form sends them; empty means "any".
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct ListParams {
    /// Title words or the start of a ticket number.
    pub(super) q: String,
    /// `open` (agents' default), `all`, or one state.
    pub(super) state: String,
    pub(super) category: String,
    pub(super) priority: String,
    pub(super) technician: String,
    /// A requester's login: their tickets only (the queue links to it).
    pub(super) requester: String,
    pub(super) department: String,
    /// `aaaa-mm-dd`, in the viewer's time zone; both ends included.
    pub(super) from: String,
    pub(super) to: String,
    /// `soon` ("por vencer") or `overdue` ("vencidos").
    pub(super) due: String,
    /// `updated` (default: last change first), `oldest`, `newest`, `priority`.
    pub(super) sort: String,
    /// Where the previous page ended.
    pub(super) after: String,
}

/// The orders the list offers, by their value in the address.
pub(super) const SORTS: [(&str, TicketSort, &str); 4] = [
    ("updated", TicketSort::UpdatedDesc, "list-sort-updated"),
    ("oldest", TicketSort::CreatedAsc, "list-sort-oldest"),
    ("newest", TicketSort::CreatedDesc, "list-sort-newest"),
    ("priority", TicketSort::PriorityDesc, "list-sort-priority"),
];

/// Which states the `state` filter means.
pub(super) enum StateFilter {
    Open,
    All,
    One(TicketState),
}

impl StateFilter {
    /// The states `value` names. With no state chosen, agents see open
    /// tickets, and anyone's search looks in every state.
    pub(super) fn parse(value: &str, agent: bool, searching: bool) -> Option<StateFilter> {
        match value {
            "" if agent && !searching => Some(StateFilter::Open),
            "" | "all" => Some(StateFilter::All),
            "open" => Some(StateFilter::Open),
            other => other.parse().ok().map(StateFilter::One),
        }
    }

    pub(super) fn states(&self) -> Vec<TicketState> {
        match self {
            StateFilter::Open => TicketState::ALL
                .into_iter()
                .filter(|s| !s.is_finished())
                .collect(),
            StateFilter::All => Vec::new(),
            StateFilter::One(s) => vec![*s],
        }
    }
}

/// A problem with one filter, shown next to it.
pub(super) struct FilterProblem {
    pub(super) field: &'static str,
    pub(super) message: String,
}

/// A day typed in a date field, as the first instant of that day in the viewer's
/// time zone, plus `days`.
pub(super) fn day_start(chrome: &Chrome, value: &str, days: i64) -> Option<jiff::Timestamp> {
    let date: jiff::civil::Date = value.trim().parse().ok()?;
    let date = date.checked_add(jiff::Span::new().days(days)).ok()?;
    date.to_zoned_datetime(chrome.tz.clone())
        .ok()
        .map(|z| z.timestamp())
}

/// The query the filters ask for, or the problems with them.
pub(super) fn ticket_query(
    chrome: &Chrome,
    params: &ListParams,
    agent: bool,
) -> Result<TicketQuery, Vec<FilterProblem>> {
    let mut problems = Vec::new();
    let mut problem = |field: &'static str, key: &str| {
        problems.push(FilterProblem {
            field,
            message: chrome.t(key),
        });
    };
    let text = |v: &str| Some(v.trim().to_owned()).filter(|v| !v.is_empty());
    let sort = match params.sort.trim() {
        "" => Some(TicketSort::UpdatedDesc),
        value => SORTS
            .iter()
            .find(|(v, _, _)| *v == value)
            .map(|(_, s, _)| *s),
    };
    let mut query = TicketQuery {
        text: text(&params.q),
        sort: sort.unwrap_or_default(),
        limit: Some(PAGE_ROWS),
        cursor: text(&params.after),
        ..TicketQuery::default()
    };
    if sort.is_none() {
        problem("sort", "list-problem-option");
    }
    match StateFilter::parse(params.state.trim(), agent, !params.q.trim().is_empty()) {
        Some(states) => query.states = states.states(),
        None => problem("state", "list-problem-option"),
    }
    if agent {
        query.category = text(&params.category);
        query.technician = text(&params.technician);
        query.requester = text(&params.requester);
        query.department = text(&params.department);
        if let Some(p) = text(&params.priority) {
            match p
                .parse::<i64>()
                .ok()
                .filter(|p| Priority::new(*p).is_some())
            {
                Some(p) => query.priority = Some(p),
                None => problem("priority", "list-problem-option"),
            }
        }
        match params.due.trim() {
            "" => {}
            "soon" => query.due = Some(sau_service::DueFilter::Soon),
            "overdue" => query.due = Some(sau_service::DueFilter::Overdue),
            _ => problem("due", "list-problem-option"),
        }
        if let Some(from) = text(&params.from) {
            match day_start(chrome, &from, 0) {
                Some(t) => query.created_from = Some(t),
                None => problem("from", "list-problem-date"),
            }
        }
        if let Some(to) = text(&params.to) {
            match day_start(chrome, &to, 1) {
                Some(t) => query.created_to = Some(t),
                None => problem("to", "list-problem-date"),
            }
        }
    }
    if problems.is_empty() {
        Ok(query)
    } else {
        Err(problems)
    }
}

/// The service's refusal of a filter, as a problem next to that filter.
pub(super) fn service_problems(chrome: &Chrome, e: &ServiceError) -> Option<Vec<FilterProblem>> {
    let ServiceError::Invalid(fields) = e else {
        return None;
    };
    Some(
        fields
            .iter()
            .map(|(field, problem)| FilterProblem {
                field: match field.as_str() {
                    "q" => "q",
                    "category" => "category",
                    "department" => "department",
                    "priority" => "priority",
                    "cursor" => "after",
                    _ => "state",
                },
                message: chrome.t(match problem.as_str() {
                    "too_long" => "list-problem-too-long",
                    "unknown" => "list-problem-unknown",
                    _ => "list-problem-option",
                }),
            })
            .collect(),
    )
}

/// The address of the page after this one: the same filters, from `cursor`.
pub(super) fn next_page(params: &ListParams, cursor: &str) -> String {
    let mut next = params.clone();
    next.after = cursor.to_owned();
    list_address(&next)
}

/// The list's address with these filters.
pub(super) fn list_address(next: &ListParams) -> String {
    let pairs = [
        ("q", &next.q),
        ("state", &next.state),
        ("category", &next.category),
        ("priority", &next.priority),
        ("technician", &next.technician),
        ("requester", &next.requester),
        ("department", &next.department),
        ("from", &next.from),
        ("to", &next.to),
        ("due", &next.due),
        ("sort", &next.sort),
        ("after", &next.after),
    ];
    let pairs: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(k, v)| (*k, v.trim()))
        .filter(|(_, v)| !v.is_empty())
        .collect();
    format!(
        "/?{}",
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    )
}
