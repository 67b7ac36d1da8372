//! The director's dashboard (`/reports`, supervisors): figures for a period
//! with filters in the address, each table with its chart, exports of every
//! table as CSV and of the whole report as XLSX, and the monthly report
//! (`/reports/monthly`) laid out for printing.

mod charts;
mod downloads;
pub(crate) mod export;
pub(crate) mod tables;

pub(crate) use downloads::{export_csv, export_xlsx};

use crate::AppState;
use crate::web::chrome::Chrome;
use crate::web::pages::{WebUser, forbidden_page, service_error_page};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use sau_domain::{AttentionMode, Granularity, Role};
use sau_service::{Caller, Dashboard, ReportQuery, ServiceError};
use serde::{Deserialize, Serialize};
use tables::{Table, report_tables};

/// The report's filters, as the form sends them; empty means "any".
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
#[serde(default)]
pub(crate) struct ReportParams {
    /// `aaaa-mm-dd`, both included.
    from: String,
    to: String,
    category: String,
    priority: String,
    technician: String,
    mode: String,
    department: String,
    /// `day`, `week` or `month`; empty: what suits the period.
    by: String,
    /// `aaaa-mm`: the monthly report's month.
    month: String,
    /// The table a CSV export is of.
    table: String,
}

/// A filter the report could not read, named.
struct Problem {
    field: String,
    message: String,
}

/// One `<option>`.
struct Choice {
    value: String,
    label: String,
    selected: bool,
}

/// One table on the page, with its chart and its CSV link.
struct Section {
    table: Table,
    svg: Option<String>,
    csv_href: String,
    /// Each cell as shown, and whether it is a number.
    rows: Vec<Vec<(String, bool)>>,
}

#[derive(Template, WebTemplate)]
#[template(path = "reports.html")]
struct ReportsPage {
    chrome: Chrome,
    params: ReportParams,
    problems: Vec<Problem>,
    /// The period in words, and the filters that narrow it.
    period: String,
    categories: Vec<Choice>,
    priorities: Vec<Choice>,
    technicians: Vec<Choice>,
    modes: Vec<Choice>,
    departments: Vec<Choice>,
    granularities: Vec<Choice>,
    sections: Vec<Section>,
    xlsx_href: String,
    monthly_href: String,
    /// The monthly report: laid out for print, without the form.
    printable: bool,
    /// Whose report it is (the brand's name), for the printed heading.
    organisation: String,
    /// Tickets nearly due and overdue now, if any.
    due: Option<crate::web::present::DueAlert>,
}

impl ReportsPage {
    fn problem(&self, field: &str) -> Option<&str> {
        self.problems
            .iter()
            .find(|p| p.field == field)
            .map(|p| p.message.as_str())
    }
}

fn text(value: &str) -> Option<String> {
    Some(value.trim().to_owned()).filter(|v| !v.is_empty())
}

fn date(value: &str) -> Result<Option<jiff::civil::Date>, ()> {
    text(value).map(|v| v.parse().map_err(|_| ())).transpose()
}

/// The first and last day of `aaaa-mm`.
fn month_days(value: &str) -> Option<(jiff::civil::Date, jiff::civil::Date)> {
    let (year, month) = value.trim().split_once('-')?;
    let first = jiff::civil::Date::new(year.parse().ok()?, month.parse().ok()?, 1).ok()?;
    Some((first, first.last_of_month()))
}

/// The service's query from the address, or the problems with it.
fn report_query(chrome: &Chrome, params: &ReportParams) -> Result<ReportQuery, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut problem = |field: &str, key: &str| {
        problems.push(Problem {
            field: field.to_owned(),
            message: chrome.t(key),
        })
    };
    let mut query = ReportQuery {
        category: text(&params.category),
        technician: text(&params.technician),
        mode: text(&params.mode),
        department: text(&params.department),
        ..ReportQuery::default()
    };
    match date(&params.from) {
        Ok(d) => query.from = d,
        Err(()) => problem("from", "list-problem-date"),
    }
    match date(&params.to) {
        Ok(d) => query.to = d,
        Err(()) => problem("to", "list-problem-date"),
    }
    if let Some(month) = text(&params.month) {
        match month_days(&month) {
            Some((first, last)) => {
                query.from = Some(first);
                query.to = Some(last);
            }
            None => problem("month", "list-problem-date"),
        }
    }
    if let Some(p) = text(&params.priority) {
        match p.parse::<i64>() {
            Ok(p) => query.priority = Some(p),
            Err(_) => problem("priority", "list-problem-option"),
        }
    }
    if let Some(by) = text(&params.by) {
        match Granularity::parse(&by) {
            Some(g) => query.by = Some(g),
            None => problem("by", "list-problem-option"),
        }
    }
    if problems.is_empty() {
        Ok(query)
    } else {
        Err(problems)
    }
}

/// The service's refusal of a filter, next to that filter.
fn service_problems(chrome: &Chrome, e: &ServiceError) -> Option<Vec<Problem>> {
    let ServiceError::Invalid(fields) = e else {
        return None;
    };
    Some(
        fields
            .iter()
            .map(|(field, problem)| Problem {
                field: field.clone(),
                message: chrome.t(match problem.as_str() {
                    "unknown" => "list-problem-unknown",
                    "out_of_range" if field == "from" => "reports-problem-too-long",
                    "out_of_range" if field == "to" => "reports-problem-order",
                    _ => "list-problem-option",
                }),
            })
            .collect(),
    )
}

/// The address of this report with other parameters.
fn address(path: &str, params: &ReportParams) -> String {
    let query = serde_urlencoded::to_string(params).unwrap_or_default();
    // Empty parameters say nothing; leave them out.
    let kept: Vec<&str> = query.split('&').filter(|p| !p.ends_with('=')).collect();
    if kept.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", kept.join("&"))
    }
}

fn choice(value: &str, label: String, current: &str) -> Choice {
    Choice {
        value: value.to_owned(),
        label,
        selected: value == current.trim(),
    }
}

/// Loads the dashboard for the address, or the page's problems.
async fn load(
    state: &AppState,
    caller: &Caller,
    chrome: &Chrome,
    params: &ReportParams,
) -> Result<Result<Dashboard, Vec<Problem>>, ServiceError> {
    let query = match report_query(chrome, params) {
        Ok(q) => q,
        Err(problems) => return Ok(Err(problems)),
    };
    match state.service.dashboard(caller, &query).await {
        Ok(d) => Ok(Ok(d)),
        Err(e) => match service_problems(chrome, &e) {
            Some(problems) => Ok(Err(problems)),
            None => Err(e),
        },
    }
}

fn period_words(chrome: &Chrome, d: &Dashboard) -> String {
    format!(
        "{} {} {} {}",
        chrome.t("reports-from"),
        d.from,
        chrome.t("reports-to"),
        d.to
    )
}

/// The dashboard page.
pub(crate) async fn reports_page(
    State(state): State<AppState>,
    user: WebUser,
    Query(params): Query<ReportParams>,
) -> Response {
    page(state, user, params, false).await
}

/// The monthly report, for printing: `?month=aaaa-mm` (default: last month).
pub(crate) async fn monthly_page(
    State(state): State<AppState>,
    user: WebUser,
    Query(mut params): Query<ReportParams>,
) -> Response {
    if params.month.trim().is_empty() {
        let today = user.chrome.tz.to_datetime(jiff::Timestamp::now()).date();
        let last = today.first_of_month().yesterday().unwrap_or(today);
        params.month = format!("{:04}-{:02}", last.year(), last.month());
    }
    params.from.clear();
    params.to.clear();
    page(state, user, params, true).await
}

async fn page(state: AppState, user: WebUser, params: ReportParams, printable: bool) -> Response {
    let WebUser { caller, chrome } = user;
    if !caller.has(Role::Supervisor) {
        return forbidden_page(chrome);
    }
    let loaded = match load(&state, &caller, &chrome, &params).await {
        Ok(x) => x,
        Err(e) => return service_error_page(chrome, &e),
    };
    let (status, dashboard, problems) = match loaded {
        Ok(d) => (StatusCode::OK, Some(d), Vec::new()),
        Err(problems) => (StatusCode::BAD_REQUEST, None, problems),
    };
    let categories = state.service.categories(&caller).await.unwrap_or_default();
    let departments = state
        .service
        .list_departments(&caller)
        .await
        .unwrap_or_default();
    let lang = chrome.lang;
    let mut technicians: Vec<Choice> = Vec::new();
    let mut sections = Vec::new();
    let mut period = String::new();
    if let Some(d) = &dashboard {
        period = period_words(&chrome, d);
        for t in d
            .by_technician
            .iter()
            .map(|g| &g.group)
            .chain(&d.open.by_technician)
        {
            if !t.key.is_empty() && !technicians.iter().any(|c| c.value == t.key) {
                technicians.push(choice(&t.key, t.name_es.clone(), &params.technician));
            }
        }
        for table in report_tables(&chrome, d) {
            let csv = ReportParams {
                table: table.id.to_owned(),
                ..params.clone()
            };
            sections.push(Section {
                svg: charts::chart_svg(&table),
                csv_href: address("/reports/export.csv", &csv),
                rows: table
                    .rows
                    .iter()
                    .map(|row| row.iter().map(|c| (c.shown(lang), c.numeric())).collect())
                    .collect(),
                table,
            });
        }
    }
    if !params.technician.trim().is_empty()
        && !technicians
            .iter()
            .any(|c| c.value == params.technician.trim())
    {
        let login = params.technician.trim();
        technicians.push(choice(login, login.to_owned(), login));
    }
    let no_table = ReportParams {
        table: String::new(),
        ..params.clone()
    };
    let month = dashboard
        .as_ref()
        .map(|d| format!("{:04}-{:02}", d.from.year(), d.from.month()))
        .unwrap_or_default();
    let page = ReportsPage {
        problems,
        period,
        categories: categories
            .iter()
            .map(|c| {
                choice(
                    &c.key,
                    lang.pick(&c.name_es, &c.name_en).to_owned(),
                    &params.category,
                )
            })
            .collect(),
        priorities: (1..=5)
            .filter_map(sau_domain::Priority::new)
            .map(|p| {
                choice(
                    &p.level().to_string(),
                    crate::web::present::priority_label(lang, p),
                    &params.priority,
                )
            })
            .collect(),
        technicians,
        modes: [AttentionMode::InPerson, AttentionMode::Remote]
            .into_iter()
            .map(|m| {
                choice(
                    m.as_str(),
                    chrome.t(&format!("reports-mode-{}", m.as_str())),
                    &params.mode,
                )
            })
            .collect(),
        departments: departments
            .iter()
            .map(|d| choice(&d.code, d.name.clone(), &params.department))
            .collect(),
        granularities: [Granularity::Day, Granularity::Week, Granularity::Month]
            .into_iter()
            .map(|g| {
                choice(
                    g.as_str(),
                    chrome.t(&format!("reports-by-{}", g.as_str())),
                    &params.by,
                )
            })
            .collect(),
        sections,
        xlsx_href: address("/reports/export.xlsx", &no_table),
        monthly_href: address(
            "/reports/monthly",
            &ReportParams {
                month,
                from: String::new(),
                to: String::new(),
                by: String::new(),
                ..no_table.clone()
            },
        ),
        printable,
        organisation: chrome.app_name(),
        due: if printable {
            None
        } else {
            crate::web::present::due_alert(&state.service, &caller).await
        },
        params,
        chrome,
    };
    (status, page).into_response()
}
