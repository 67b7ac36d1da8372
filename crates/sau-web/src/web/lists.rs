//! The ticket list (`/`): requesters see their own requests, agents every ticket,
//! open ones first, with search and filters. The filters live in the address, so a
//! filtered list can be bookmarked, shared and reloaded.

use crate::AppState;
use crate::web::chrome::Chrome;
use crate::web::pages::{WebUser, service_error_page};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use sau_domain::{Priority, State as TicketState};
use sau_service::{Caller, OpenCount, ServiceError, TicketQuery, TicketRecord, TicketSort};
use serde::Deserialize;

/// Rows per page.
const PAGE_ROWS: u32 = 50;

/// The list's filters, as the form sends them; empty means "any".
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct ListParams {
    /// Title words or the start of a ticket number.
    q: String,
    /// `open` (agents' default), `all`, or one state.
    state: String,
    category: String,
    priority: String,
    technician: String,
    department: String,
    /// `aaaa-mm-dd`, in the viewer's time zone; both ends included.
    from: String,
    to: String,
    /// `updated` (default: last change first), `oldest`, `newest`, `priority`.
    sort: String,
    /// Where the previous page ended.
    after: String,
}

/// The orders the list offers, by their value in the address.
const SORTS: [(&str, TicketSort, &str); 4] = [
    ("updated", TicketSort::UpdatedDesc, "list-sort-updated"),
    ("oldest", TicketSort::CreatedAsc, "list-sort-oldest"),
    ("newest", TicketSort::CreatedDesc, "list-sort-newest"),
    ("priority", TicketSort::PriorityDesc, "list-sort-priority"),
];

/// Which states the `state` filter means.
enum StateFilter {
    Open,
    All,
    One(TicketState),
}

impl StateFilter {
    fn parse(value: &str, agent: bool) -> Option<StateFilter> {
        match value {
            "" if agent => Some(StateFilter::Open),
            "" | "all" => Some(StateFilter::All),
            "open" => Some(StateFilter::Open),
            other => other.parse().ok().map(StateFilter::One),
        }
    }

    fn states(&self) -> Vec<TicketState> {
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

struct TicketRow {
    /// Requesters open their request's page; agents the full ticket page.
    href: String,
    number: String,
    title: String,
    state: &'static str,
    state_key: String,
    priority: String,
    category: String,
    department: String,
    technician: Option<String>,
    updated: String,
}

/// One tab of the state filter, with its count where one is cheap to know.
struct StateTab {
    href: String,
    label: String,
    count: Option<String>,
    current: bool,
}

/// One `<option>`.
struct Choice {
    value: String,
    label: String,
    selected: bool,
}

/// A problem with one filter, shown next to it.
struct FilterProblem {
    field: &'static str,
    message: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "ticket_list.html")]
struct ListPage {
    chrome: Chrome,
    heading: String,
    agent: bool,
    params: ListParams,
    tabs: Vec<StateTab>,
    categories: Vec<Choice>,
    priorities: Vec<Choice>,
    sorts: Vec<Choice>,
    technicians: Vec<Choice>,
    departments: Vec<Choice>,
    problems: Vec<FilterProblem>,
    rows: Vec<TicketRow>,
    /// The address of the next page, when there is one.
    next: Option<String>,
    /// Whether any filter narrows the list (to offer "clear filters").
    filtered: bool,
    /// Whether the filters beyond the search box start unfolded: when one is set
    /// or has a problem.
    advanced_open: bool,
}

impl ListPage {
    fn problem(&self, field: &str) -> Option<&str> {
        self.problems
            .iter()
            .find(|p| p.field == field)
            .map(|p| p.message.as_str())
    }
}

fn choice(value: impl Into<String>, label: impl Into<String>, current: &str) -> Choice {
    let value = value.into();
    Choice {
        selected: value == current,
        label: label.into(),
        value,
    }
}

/// A day typed in a date field, as the first instant of that day in the viewer's
/// time zone, plus `days`.
fn day_start(chrome: &Chrome, value: &str, days: i64) -> Option<jiff::Timestamp> {
    let date: jiff::civil::Date = value.trim().parse().ok()?;
    let date = date.checked_add(jiff::Span::new().days(days)).ok()?;
    date.to_zoned_datetime(chrome.tz.clone())
        .ok()
        .map(|z| z.timestamp())
}

/// The query the filters ask for, or the problems with them.
fn ticket_query(
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
    match StateFilter::parse(params.state.trim(), agent) {
        Some(states) => query.states = states.states(),
        None => problem("state", "list-problem-option"),
    }
    if agent {
        query.category = text(&params.category);
        query.technician = text(&params.technician);
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
fn service_problems(chrome: &Chrome, e: &ServiceError) -> Option<Vec<FilterProblem>> {
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

fn row(record: &TicketRecord, chrome: &Chrome, agent: bool, categories: &[Choice]) -> TicketRow {
    let t = &record.ticket;
    TicketRow {
        href: if agent {
            format!("/tickets/{}", t.number)
        } else {
            format!("/requests/{}", t.number)
        },
        number: t.number.clone(),
        title: t.title.clone(),
        state: t.state.as_str(),
        state_key: format!("state-{}", t.state.as_str()),
        priority: crate::i18n::priority_name(chrome.lang, t.priority),
        category: categories
            .iter()
            .find(|c| c.value == record.category_key)
            .map_or_else(|| record.category_key.clone(), |c| c.label.clone()),
        department: record
            .department
            .as_ref()
            .map(|d| d.name.clone())
            .unwrap_or_default(),
        technician: record.technician.as_ref().map(|u| u.display_name.clone()),
        updated: chrome.time(&t.updated_at),
    }
}

/// The state tabs: open (the agents' default), each state, all. Counts only for
/// open states, which an index answers at once even with millions of tickets.
async fn state_tabs(
    state: &AppState,
    caller: &Caller,
    chrome: &Chrome,
    params: &ListParams,
    agent: bool,
) -> Result<Vec<StateTab>, ServiceError> {
    let counts = if agent {
        state.service.open_ticket_counts(caller).await?
    } else {
        Vec::new()
    };
    let open: i64 = counts.iter().map(|c| c.count).sum();
    let count = |s: TicketState| {
        counts
            .iter()
            .find(|c| c.state == s)
            .map_or_else(|| "0".to_owned(), |c| shown_count(c.count, c.more))
    };
    // Each tab keeps the other filters and starts from the first page.
    let href = |value: &str| {
        let mut p = params.clone();
        p.state = value.to_owned();
        p.after.clear();
        list_address(&p)
    };
    let current = match params.state.trim() {
        "" if agent => "open",
        "" => "all",
        other => other,
    };
    let mut tabs = Vec::new();
    if agent {
        tabs.push(StateTab {
            href: href("open"),
            label: chrome.t("list-open"),
            count: Some(shown_count(
                open.min(OpenCount::CAP),
                open > OpenCount::CAP || counts.iter().any(|c| c.more),
            )),
            current: current == "open",
        });
    }
    for s in TicketState::ALL {
        tabs.push(StateTab {
            href: href(s.as_str()),
            label: chrome.t(&format!("state-{}", s.as_str())),
            count: if agent && !s.is_finished() {
                Some(count(s))
            } else {
                None
            },
            current: current == s.as_str(),
        });
    }
    tabs.push(StateTab {
        href: href("all"),
        label: chrome.t("list-all"),
        count: None,
        current: current == "all",
    });
    Ok(tabs)
}

/// A count that stopped at the cap: "1000+" past it.
pub(crate) fn shown_count(count: i64, more: bool) -> String {
    if more {
        format!("{count}+")
    } else {
        count.to_string()
    }
}

/// The address of the page after this one: the same filters, from `cursor`.
fn next_page(params: &ListParams, cursor: &str) -> String {
    let mut next = params.clone();
    next.after = cursor.to_owned();
    list_address(&next)
}

/// The list's address with these filters.
fn list_address(next: &ListParams) -> String {
    let pairs = [
        ("q", &next.q),
        ("state", &next.state),
        ("category", &next.category),
        ("priority", &next.priority),
        ("technician", &next.technician),
        ("department", &next.department),
        ("from", &next.from),
        ("to", &next.to),
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

pub async fn ticket_list(
    State(state): State<AppState>,
    user: WebUser,
    Query(params): Query<ListParams>,
) -> Response {
    let WebUser { caller, chrome } = user;
    let agent = caller.roles().is_agent();
    let dispatches = caller.roles().dispatches();
    let categories = match state.service.categories(&caller).await {
        Ok(cats) => cats
            .iter()
            .map(|c| {
                choice(
                    &c.key,
                    chrome.lang.pick(&c.name_es, &c.name_en),
                    &params.category,
                )
            })
            .collect::<Vec<_>>(),
        Err(e) => return service_error_page(chrome, &e),
    };
    let departments = if agent {
        match state.service.list_departments(&caller).await {
            Ok(ds) => ds
                .iter()
                .map(|d| choice(&d.code, &d.name, &params.department))
                .collect(),
            Err(e) => return service_error_page(chrome, &e),
        }
    } else {
        Vec::new()
    };
    // Only dispatchers may list technicians; the others filter by text alone.
    let technicians = if dispatches {
        match state.service.technicians(&caller).await {
            Ok(ts) => ts
                .iter()
                .map(|t| choice(&t.user.login, &t.user.display_name, &params.technician))
                .collect(),
            Err(e) => return service_error_page(chrome, &e),
        }
    } else {
        Vec::new()
    };
    let priorities = (1..=5)
        .rev()
        .filter_map(Priority::new)
        .map(|p| {
            choice(
                i64::from(p).to_string(),
                crate::i18n::priority_name(chrome.lang, p),
                params.priority.trim(),
            )
        })
        .collect();
    let sorts = SORTS
        .iter()
        .map(|(value, _, key)| {
            let current = match params.sort.trim() {
                "" => "updated",
                other => other,
            };
            choice(*value, chrome.t(key), current)
        })
        .collect();
    let tabs = match state_tabs(&state, &caller, &chrome, &params, agent).await {
        Ok(tabs) => tabs,
        Err(e) => return service_error_page(chrome, &e),
    };

    let (status, problems, records, next) = match ticket_query(&chrome, &params, agent) {
        Err(problems) => (StatusCode::UNPROCESSABLE_ENTITY, problems, Vec::new(), None),
        Ok(query) => match state.service.list_tickets(&caller, query).await {
            Ok(page) => (
                StatusCode::OK,
                Vec::new(),
                page.tickets,
                page.next.map(|c| next_page(&params, &c.encode())),
            ),
            Err(e) => match service_problems(&chrome, &e) {
                Some(problems) => (StatusCode::UNPROCESSABLE_ENTITY, problems, Vec::new(), None),
                None => return service_error_page(chrome, &e),
            },
        },
    };
    let heading = chrome.t(if agent { "tickets" } else { "my-requests" });
    let filtered = [
        &params.q,
        &params.category,
        &params.priority,
        &params.technician,
        &params.department,
        &params.from,
        &params.to,
    ]
    .iter()
    .any(|v| !v.trim().is_empty());
    let advanced_open = [
        &params.category,
        &params.priority,
        &params.technician,
        &params.department,
        &params.from,
        &params.to,
        &params.sort,
    ]
    .iter()
    .any(|v| !v.trim().is_empty())
        || problems
            .iter()
            .any(|p| p.field != "q" && p.field != "state");
    let rows = records
        .iter()
        .map(|r| row(r, &chrome, agent, &categories))
        .collect();
    let page = ListPage {
        heading,
        agent,
        params,
        tabs,
        categories,
        priorities,
        sorts,
        technicians,
        departments,
        problems,
        rows,
        next,
        filtered,
        advanced_open,
        chrome,
    };
    (status, page).into_response()
}
