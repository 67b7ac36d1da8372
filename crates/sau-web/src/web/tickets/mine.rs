//! A technician's tickets.

use super::*;

/// The technician's list: what to do next and since when.
const COLUMNS: &[Column] = &[
    Column::Number,
    Column::Title,
    Column::State,
    Column::Priority,
    Column::Category,
    Column::Age,
    Column::Updated,
];

#[derive(Template, WebTemplate)]
#[template(path = "agent_mine.html")]
pub(super) struct MinePage {
    pub(super) chrome: Chrome,
    pub(super) rows: Vec<TicketRow>,
    pub(super) columns: &'static [Column],
    /// The same tickets as a list to export: this technician's open ones.
    pub(super) export_list: String,
}

/// Where a state sorts on "my tickets": what needs accepting first.
pub(super) fn work_order(state: TicketState) -> usize {
    match state {
        TicketState::Assigned => 0,
        TicketState::InProgress => 1,
        TicketState::OnHold => 2,
        TicketState::Resolved => 3,
        _ => 4,
    }
}

pub(crate) async fn mine(State(state): State<AppState>, user: WebUser) -> Response {
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
    let mut rows: Vec<TicketRow> = tickets
        .iter()
        .map(|r| TicketRow::new(&chrome, r, &categories, RowLink::Ticket, now))
        .collect();
    match state.service.with_news(&caller, &tickets).await {
        Ok(news) => TicketRow::mark_news(&mut rows, &tickets, &news),
        Err(e) => tracing::warn!(error = %e, "could not read which tickets have news"),
    }
    let export_list = match caller.user() {
        Some(u) => format!(
            "/?state=open&technician={}",
            serde_urlencoded::to_string([("", &u.login)])
                .unwrap_or_default()
                .trim_start_matches('=')
        ),
        None => "/?state=open".to_owned(),
    };
    MinePage {
        rows,
        columns: COLUMNS,
        export_list,
        chrome,
    }
    .into_response()
}
