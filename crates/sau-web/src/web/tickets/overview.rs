//! The supervisor's overview.

use super::*;

/// One line of a count table; `id` is unique on the page.
pub(super) struct CountRow {
    pub(super) id: String,
    pub(super) label: String,
    pub(super) count: i64,
}

/// The oldest open tickets: how long each has waited, and who has it.
const OLDEST_COLUMNS: &[Column] = &[
    Column::Number,
    Column::Title,
    Column::State,
    Column::Category,
    Column::Technician,
    Column::Age,
];

#[derive(Template, WebTemplate)]
#[template(path = "agent_overview.html")]
pub(super) struct OverviewPage {
    pub(super) chrome: Chrome,
    pub(super) by_state: Vec<CountRow>,
    pub(super) by_category: Vec<CountRow>,
    pub(super) by_technician: Vec<CountRow>,
    pub(super) by_department: Vec<CountRow>,
    pub(super) oldest: Vec<TicketRow>,
    pub(super) columns: &'static [Column],
    pub(super) target: String,
    pub(super) due: Option<crate::web::present::DueAlert>,
}

pub(super) fn tally_rows(lang: Lang, prefix: &str, none: &str, tallies: &[Tally]) -> Vec<CountRow> {
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
pub(crate) async fn overview(State(state): State<AppState>, user: WebUser) -> Response {
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
        .map(|r| TicketRow::new(&chrome, r, &categories, RowLink::Ticket, now))
        .collect();
    OverviewPage {
        by_state,
        by_category: tally_rows(lang, "category", &none, &overview.by_category),
        by_technician: tally_rows(lang, "technician", &none, &overview.by_technician),
        by_department: tally_rows(lang, "department", &none, &overview.by_department),
        oldest,
        columns: OLDEST_COLUMNS,
        target: span(jiff::SignedDuration::from_mins(overview.target_minutes)),
        due: crate::web::present::due_alert(&state.service, &caller).await,
        chrome,
    }
    .into_response()
}
