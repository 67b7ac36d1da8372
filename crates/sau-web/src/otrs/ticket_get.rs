//! TicketGet: one ticket or several (`1,2,3`), always as a list.

use super::Call;
use super::articles::{ArticleOptions, articles};
use super::input;
use super::reply::{Failure, Reply};
use super::ticket_hash::{Catalog, otrs_time, ticket_hash};
use sau_service::{Caller, ServiceError, TicketDetail};
use serde_json::{Map, Value, json};

pub async fn get(call: Call<'_>) -> Reply {
    let caller = match call.caller(Failure::AuthFail).await {
        Ok(caller) => caller,
        Err(reply) => return reply,
    };
    let ids = match call.ticket_ids() {
        Ok(ids) => ids,
        Err(reply) => return reply,
    };
    let service = &call.state.service;
    // Every ticket must be readable, or the whole call is refused.
    let mut details = Vec::with_capacity(ids.len());
    for id in ids {
        match service.ticket_by_id(&caller, id).await {
            Ok(detail) => details.push(detail),
            Err(ServiceError::NotFound(_) | ServiceError::Forbidden) => {
                return call.error(
                    Failure::AccessDenied,
                    "Need permission to read the ticket (ro)!",
                );
            }
            Err(e) => return call.refused(e, &|f| f.to_owned()),
        }
    }
    let catalog = match Catalog::load(service, &caller).await {
        Ok(catalog) => catalog,
        Err(e) => return call.refused(e, &|f| f.to_owned()),
    };
    let mut tickets = Vec::with_capacity(details.len());
    for detail in &details {
        match shown(&call, &caller, &catalog, detail).await {
            Ok(ticket) => tickets.push(Value::Object(ticket)),
            Err(e) => return call.refused(e, &|f| f.to_owned()),
        }
    }
    Reply::Data(json!({ "Ticket": tickets }))
}

/// One ticket as asked: with its articles (`AllArticles`), their files
/// (`Attachments`, with contents unless `GetAttachmentContents` is off), its
/// fields (`DynamicFields`) and response times (`Extended`).
pub async fn shown(
    call: &Call<'_>,
    caller: &Caller,
    catalog: &Catalog,
    detail: &TicketDetail,
) -> Result<Map<String, Value>, ServiceError> {
    let service = &call.state.service;
    let record = &detail.record;
    let events = service.ticket_events(caller, &record.ticket.number).await?;
    let changed_by = events
        .last()
        .map_or(record.ticket.requester, |e| e.event.actor);
    let mut ticket = ticket_hash(
        record,
        catalog,
        call.flag("DynamicFields"),
        changed_by,
        jiff::Timestamp::now(),
    );
    if call.flag("Extended") {
        extend(&mut ticket, detail);
    }
    if call.flag("AllArticles") {
        let contents = call
            .get("GetAttachmentContents")
            .is_none_or(|v| input::truthy(Some(v)));
        let options = ArticleOptions {
            sender_types: input::list(call.get("ArticleSenderType"), false),
            newest_first: call.text("ArticleOrder").as_deref() == Some("DESC"),
            limit: call
                .text("ArticleLimit")
                .and_then(|n| n.parse().ok())
                .unwrap_or(0),
            attachments: call.flag("Attachments"),
            contents,
        };
        let list = articles(service, caller, record, &detail.entries, &options).await?;
        if !list.is_empty() {
            ticket.insert("Article".into(), Value::Array(list));
        }
    }
    Ok(ticket)
}

/// OTRS's `Extended` keys: when the ticket was first assigned (its first
/// lock), first answered (the first public entry of someone on the team) and
/// how long it took to close.
fn extend(ticket: &mut Map<String, Value>, detail: &TicketDetail) {
    let t = &detail.record.ticket;
    let minutes = |to: jiff::Timestamp| (to.as_second() - t.created_at.as_second()) / 60;
    let first_answer = detail.entries.iter().find(|e| {
        e.kind != sau_domain::EntryKind::Description
            && e.author.id != t.requester
            && e.visibility == sau_domain::Visibility::Public
    });
    let text = |at: Option<jiff::Timestamp>| at.map(otrs_time).unwrap_or_default();
    ticket.insert("FirstLock".into(), text(t.assigned_at).into());
    ticket.insert(
        "FirstResponse".into(),
        text(first_answer.map(|e| e.created_at)).into(),
    );
    if let Some(answer) = first_answer {
        ticket.insert(
            "FirstResponseInMin".into(),
            minutes(answer.created_at).into(),
        );
    }
    if let Some(closed) = t.closed_at {
        ticket.insert("SolutionInMin".into(), minutes(closed).into());
    }
}

/// Which articles go with the ticket TicketCreate and TicketUpdate answer
/// with when their operation asks (`IncludeTicketData`).
pub enum WithArticles<'a> {
    /// TicketCreate: every article, as a list.
    All,
    /// TicketUpdate: the ones it added; one as an object (`Article`),
    /// several as a list (`Articles`).
    New(&'a [String]),
}

/// The ticket as OTRS adds it to TicketCreate's and TicketUpdate's answers:
/// one object, its fields as dynamic fields, with its articles.
pub async fn ticket_data(
    call: &Call<'_>,
    caller: &Caller,
    number: &str,
    with: WithArticles<'_>,
) -> Result<Value, ServiceError> {
    let service = &call.state.service;
    let detail = service.ticket(caller, number).await?;
    let catalog = Catalog::load(service, caller).await?;
    let events = service.ticket_events(caller, number).await?;
    let changed_by = events
        .last()
        .map_or(detail.record.ticket.requester, |e| e.event.actor);
    let mut ticket = ticket_hash(
        &detail.record,
        &catalog,
        true,
        changed_by,
        jiff::Timestamp::now(),
    );
    let options = ArticleOptions {
        sender_types: Vec::new(),
        newest_first: false,
        limit: 0,
        attachments: true,
        contents: true,
    };
    let all = articles(service, caller, &detail.record, &detail.entries, &options).await?;
    match with {
        WithArticles::All => {
            ticket.insert("Article".into(), Value::Array(all));
        }
        WithArticles::New(ids) => {
            let mut new: Vec<Value> = all
                .into_iter()
                .filter(|a| {
                    a["ArticleID"]
                        .as_str()
                        .is_some_and(|id| ids.iter().any(|i| i == id))
                })
                .collect();
            if new.len() == 1 {
                ticket.insert("Article".into(), new.remove(0));
            } else if !new.is_empty() {
                ticket.insert("Articles".into(), Value::Array(new));
            }
        }
    }
    Ok(Value::Object(ticket))
}
