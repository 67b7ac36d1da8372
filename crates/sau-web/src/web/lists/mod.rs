//! The ticket list (`/`): requesters see their own requests, agents every ticket,
//! open ones first, with search and filters. The filters live in the address, so a
//! filtered list can be bookmarked, shared and reloaded.

pub(crate) mod exports;
mod filters;
pub(crate) mod saved;

use crate::AppState;
use crate::web::chrome::Chrome;
use crate::web::pages::{WebUser, service_error_page};
use crate::web::present::{Column, RowLink, TicketRow, priority_label};
use crate::web::tickets::bulk::{BulkOutcome, OUTCOME_KEYS, notice};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use filters::{
    FilterProblem, ListParams, SORTS, list_address, next_page, service_problems, ticket_query,
};
use sau_domain::{Priority, State as TicketState};
use sau_service::{Caller, OpenCount, ServiceError, TicketQuery, TicketSort};

/// Rows per page.
const PAGE_ROWS: u32 = 50;

const AGENT_COLUMNS: &[Column] = &[
    Column::Number,
    Column::Title,
    Column::State,
    Column::Priority,
    Column::Category,
    Column::Department,
    Column::Technician,
    Column::Updated,
];

/// Dispatchers tick tickets on the list to assign or close them at once.
const DISPATCHER_COLUMNS: &[Column] = &[
    Column::Pick,
    Column::Number,
    Column::Title,
    Column::State,
    Column::Priority,
    Column::Category,
    Column::Department,
    Column::Technician,
    Column::Updated,
];

const REQUESTER_COLUMNS: &[Column] = &[
    Column::Number,
    Column::Title,
    Column::State,
    Column::Priority,
    Column::Technician,
    Column::Updated,
];

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

#[derive(Template, WebTemplate)]
#[template(path = "ticket_list.html")]
struct ListPage {
    chrome: Chrome,
    heading: String,
    agent: bool,
    params: ListParams,
    tabs: Vec<StateTab>,
    /// The person's saved searches.
    saved: Vec<saved::SavedTab>,
    /// The filters the "save this search" form saves; `None`: nothing filtered.
    savable: Option<String>,
    categories: Vec<Choice>,
    priorities: Vec<Choice>,
    sorts: Vec<Choice>,
    technicians: Vec<Choice>,
    departments: Vec<Choice>,
    /// "Por vencer" and "vencidos", for agents.
    dues: Vec<Choice>,
    problems: Vec<FilterProblem>,
    rows: Vec<TicketRow>,
    columns: &'static [Column],
    /// Where a bulk action comes back to: this list, as filtered.
    return_to: String,
    /// After a bulk action: how many went through, which did not.
    bulk_notice: Option<(String, bool)>,
    /// The address of the next page, when there is one.
    next: Option<String>,
    /// Whether any filter narrows the list (to offer "clear filters").
    filtered: bool,
    /// Whether the filters beyond the search box start unfolded: when one is set
    /// or has a problem.
    advanced_open: bool,
}

impl ListPage {
    /// Whether the rows carry boxes to tick for a bulk action.
    fn picks(&self) -> bool {
        self.columns.first().is_some_and(|c| c.is_pick())
    }

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
        "" if agent && params.q.trim().is_empty() => "open",
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

pub(crate) async fn ticket_list(
    State(state): State<AppState>,
    user: WebUser,
    Query(params): Query<ListParams>,
    Query(outcome): Query<BulkOutcome>,
    uri: axum::http::Uri,
) -> Response {
    let WebUser { caller, chrome } = user;
    let agent = caller.roles().is_agent();
    let dispatches = caller.roles().dispatches();
    let all_categories = match state.service.categories(&caller).await {
        Ok(cats) => cats,
        Err(e) => return service_error_page(chrome, &e),
    };
    let categories = all_categories
        .iter()
        .map(|c| {
            choice(
                &c.key,
                chrome.lang.pick(&c.name_es, &c.name_en),
                &params.category,
            )
        })
        .collect::<Vec<_>>();
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
                priority_label(chrome.lang, p),
                params.priority.trim(),
            )
        })
        .collect();
    let dues = [("soon", "list-due-soon"), ("overdue", "list-due-overdue")]
        .iter()
        .map(|(value, key)| choice(*value, chrome.t(key), params.due.trim()))
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
    let saved = match saved::saved_tabs(&state, &caller, &params).await {
        Ok(saved) => saved,
        Err(e) => return service_error_page(chrome, &e),
    };
    let savable = saved::saved_query(&params);

    let mut hits = std::collections::HashMap::new();
    let (status, problems, records, next) = match ticket_query(&chrome, &params, agent) {
        Err(problems) => (StatusCode::UNPROCESSABLE_ENTITY, problems, Vec::new(), None),
        Ok(query) => match state.service.list_tickets(&caller, query).await {
            Ok(page) => {
                if let Some(text) = Some(params.q.trim()).filter(|q| !q.is_empty()) {
                    match state.service.search_hits(&caller, text, &page).await {
                        Ok(found) => hits = found,
                        Err(e) => {
                            tracing::warn!(error = %e, "could not read where the search matched")
                        }
                    }
                }
                (
                    StatusCode::OK,
                    Vec::new(),
                    page.tickets,
                    page.next.map(|c| next_page(&params, &c.encode())),
                )
            }
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
        &params.due,
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
        &params.due,
        &params.sort,
    ]
    .iter()
    .any(|v| !v.trim().is_empty())
        || problems
            .iter()
            .any(|p| p.field != "q" && p.field != "state");
    let link = if agent {
        RowLink::Ticket
    } else {
        RowLink::Request
    };
    // A whole ticket number opens that ticket: whoever types one wants it.
    let wanted = params.q.trim();
    if params.after.trim().is_empty()
        && let Some(found) = records.iter().find(|r| r.ticket.number == wanted)
    {
        return Redirect::to(&TicketRow::href(link, &found.ticket.number)).into_response();
    }
    let now = jiff::Timestamp::now();
    let mut rows: Vec<TicketRow> = records
        .iter()
        .map(|r| TicketRow::new(&chrome, r, &all_categories, link, now))
        .collect();
    TicketRow::mark_hits(&chrome, &mut rows, &records, hits);
    match state.service.with_news(&caller, &records).await {
        Ok(news) => TicketRow::mark_news(&mut rows, &records, &news),
        Err(e) => tracing::warn!(error = %e, "could not read which tickets have news"),
    }
    if agent {
        match state.service.deadlines(&records).await {
            Ok(deadlines) => TicketRow::mark_deadlines(&chrome, &mut rows, &records, &deadlines),
            Err(e) => tracing::warn!(error = %e, "could not read the tickets' deadlines"),
        }
    }
    let columns = if dispatches {
        DISPATCHER_COLUMNS
    } else if agent {
        AGENT_COLUMNS
    } else {
        REQUESTER_COLUMNS
    };
    let bulk_notice = notice(chrome.lang, &outcome);
    let page = ListPage {
        heading,
        agent,
        params,
        tabs,
        saved,
        savable,
        categories,
        priorities,
        sorts,
        technicians,
        departments,
        dues,
        problems,
        rows,
        columns,
        return_to: return_to(&uri),
        bulk_notice,
        next,
        filtered,
        advanced_open,
        chrome,
    };
    (status, page).into_response()
}

/// This list's address without a bulk action's outcome: where the next bulk
/// action comes back to.
fn return_to(uri: &axum::http::Uri) -> String {
    let kept: Vec<&str> = uri
        .query()
        .unwrap_or("")
        .split('&')
        .filter(|pair| {
            let key = pair.split('=').next().unwrap_or("");
            !pair.is_empty() && !OUTCOME_KEYS.contains(&key)
        })
        .collect();
    if kept.is_empty() {
        "/".to_owned()
    } else {
        format!("/?{}", kept.join("&"))
    }
}
