//! The triage queue: new requests oldest first, each with its assign form, and
//! the resolved ones waiting to be closed.

use super::*;
use crate::web::tickets::requester::{RequesterView, requester_view};

pub(super) struct QueueRow {
    pub(super) number: String,
    pub(super) title: String,
    /// Who asked, how to reach them, their other tickets.
    pub(super) requester: RequesterView,
    /// The description's first lines, and the rest when the row is opened.
    pub(super) description: Option<Preview>,
    /// The request's own data (location, inventory number…), label and value.
    pub(super) fields: Vec<(String, String)>,
    pub(super) category: String,
    pub(super) priority: String,
    pub(super) waited: String,
    pub(super) version: i64,
    /// "Reabierto", when it came back after being closed.
    pub(super) setback: Option<String>,
    /// Per row: a reopened ticket is offered to its former technician first.
    pub(super) technicians: Vec<Choice>,
    pub(super) priorities: Vec<Choice>,
    pub(super) categories: Vec<Choice>,
}

/// A text shown short, with the whole of it a click away.
pub(super) struct Preview {
    pub(super) short: String,
    /// `None` when `short` is already all of it.
    pub(super) rest: Option<String>,
}

/// Characters of a text a row shows before "more".
const PREVIEW_CHARS: usize = 140;

impl Preview {
    fn of(text: &str) -> Preview {
        let text = text.trim();
        match text.char_indices().nth(PREVIEW_CHARS) {
            None => Preview {
                short: text.to_owned(),
                rest: None,
            },
            Some((cut, _)) => {
                // Cut at a space, so no word is split.
                let cut = text[..cut]
                    .rfind(char::is_whitespace)
                    .filter(|&i| i > 0)
                    .unwrap_or(cut);
                Preview {
                    short: format!("{}…", text[..cut].trim_end()),
                    rest: Some(text.to_owned()),
                }
            }
        }
    }
}

/// A resolved ticket waiting for the dispatcher to close it (manual step 7).
pub(super) struct ResolvedRow {
    pub(super) number: String,
    pub(super) title: String,
    pub(super) requester: String,
    /// What the technician handed back, read before closing.
    pub(super) resolution: Option<Preview>,
    /// What the requester answered since, if anything.
    pub(super) reply: Option<Preview>,
    /// Their answer to "¿Se resolvió?": yes, no, or none yet.
    pub(super) confirmed: Option<(bool, String)>,
    pub(super) technician: String,
    pub(super) resolved: String,
    pub(super) version: i64,
}

#[derive(Template, WebTemplate)]
#[template(path = "agent_queue.html")]
pub(super) struct QueuePage {
    pub(super) chrome: Chrome,
    pub(super) rows: Vec<QueueRow>,
    pub(super) resolved: Vec<ResolvedRow>,
    /// How many new tickets wait in all, when there are more than the page shows.
    pub(super) waiting: Option<String>,
    /// After a bulk action: what went through, and whether all of it did.
    pub(super) bulk_notice: Option<(String, bool)>,
    /// The technicians for the bulk assignment, the least loaded first chosen.
    pub(super) bulk_technicians: Vec<Choice>,
    /// Tickets nearly due and overdue, if any.
    pub(super) due: Option<crate::web::present::DueAlert>,
    /// The same tickets as a list to export: new ones, oldest first.
    pub(super) export_list: &'static str,
}

/// Rows the triage queue shows at once.
pub(super) const QUEUE_ROWS: u32 = 50;

/// New tickets, oldest first, each with a form to assign it.
pub(crate) async fn queue(
    State(state): State<AppState>,
    user: WebUser,
    axum::extract::Query(outcome): crate::web::tickets::bulk::QueueQuery,
) -> Response {
    let WebUser { caller, chrome } = user;
    let bulk_notice = crate::web::tickets::bulk::notice(chrome.lang, &outcome);
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
        let shown: Vec<TicketRecord> = page
            .tickets
            .iter()
            .chain(&resolved.tickets)
            .cloned()
            .collect();
        let facts = state.service.ticket_facts(&caller, &shown).await?;
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
        Ok::<_, ServiceError>((page, resolved, loads, categories, waiting, facts))
    };
    let (page, resolved, loads, categories, waiting, facts) = match loaded.await {
        Ok(x) => x,
        Err(e) => return service_error_page(chrome, &e),
    };
    let lang = chrome.lang;
    let now = jiff::Timestamp::now();
    // Reopened tickets are few; each one's history names its former technician.
    let mut former = HashMap::new();
    for r in page.tickets.iter().filter(|r| r.ticket.setback.is_some()) {
        match state.service.ticket_events(&caller, &r.ticket.number).await {
            Ok(events) => {
                former.insert(r.ticket.id, header::former_technician(r, &events));
            }
            Err(e) => return service_error_page(chrome, &e),
        }
    }
    let rows = page
        .tickets
        .iter()
        .map(|r| {
            let t = &r.ticket;
            QueueRow {
                requester: requester_view(&chrome, &facts, r),
                description: facts.description(t.id).map(|h| Preview::of(&h.body)),
                fields: request_fields(&chrome, &categories, r),
                setback: t.setback.map(|s| translate(lang, setback_key(s))),
                technicians: technician_choices(lang, &loads, former.get(&t.id).copied().flatten()),
                number: t.number.clone(),
                title: t.title.clone(),
                category: category_name(lang, &categories, t.category, &r.category_key),
                priority: priority_label(lang, t.priority),
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
            requester: r.requester.display_name.clone(),
            resolution: facts.resolution(r.ticket.id).map(|h| Preview::of(&h.body)),
            reply: facts
                .reply_after_resolution(r.ticket.id)
                .map(|h| Preview::of(&h.body)),
            confirmed: r.ticket.confirmed.map(|solved| {
                (
                    solved,
                    translate(
                        lang,
                        if solved {
                            "confirmed-yes"
                        } else {
                            "confirmed-no"
                        },
                    ),
                )
            }),
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
        resolved,
        waiting,
        bulk_notice,
        bulk_technicians: technician_choices(lang, &loads, None),
        due: crate::web::present::due_alert(&state.service, &caller).await,
        export_list: "/?state=new&sort=oldest",
        chrome,
    }
    .into_response()
}

/// A request's field values, labelled, in its category's order.
fn request_fields(
    chrome: &Chrome,
    categories: &[Category],
    r: &TicketRecord,
) -> Vec<(String, String)> {
    let Some(category) = categories.iter().find(|c| c.id == r.ticket.category) else {
        return Vec::new();
    };
    category
        .fields
        .iter()
        .chain(&category.retired_fields)
        .filter_map(|def| {
            let value = r.ticket.fields.get(&def.key)?;
            Some((
                chrome.lang.pick(&def.label_es, &def.label_en).to_owned(),
                field_value(chrome, Some(def), value),
            ))
        })
        .collect()
}
