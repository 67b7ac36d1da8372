//! The triage queue: new requests oldest first, each with its assign form, and
//! the resolved ones waiting to be closed.

use super::*;

pub(super) struct QueueRow {
    pub(super) number: String,
    pub(super) title: String,
    pub(super) category: String,
    pub(super) priority: String,
    pub(super) department: String,
    pub(super) waited: String,
    pub(super) version: i64,
    pub(super) priorities: Vec<Choice>,
    pub(super) categories: Vec<Choice>,
}

/// A resolved ticket waiting for the dispatcher to close it (manual step 7).
pub(super) struct ResolvedRow {
    pub(super) number: String,
    pub(super) title: String,
    pub(super) technician: String,
    pub(super) resolved: String,
    pub(super) version: i64,
}

#[derive(Template, WebTemplate)]
#[template(path = "agent_queue.html")]
pub(super) struct QueuePage {
    pub(super) chrome: Chrome,
    pub(super) rows: Vec<QueueRow>,
    pub(super) technicians: Vec<Choice>,
    pub(super) resolved: Vec<ResolvedRow>,
    /// How many new tickets wait in all, when there are more than the page shows.
    pub(super) waiting: Option<String>,
}

/// Rows the triage queue shows at once.
pub(super) const QUEUE_ROWS: u32 = 50;

/// New tickets, oldest first, each with a form to assign it.
pub(crate) async fn queue(State(state): State<AppState>, user: WebUser) -> Response {
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
                priority: priority_label(lang, t.priority),
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
