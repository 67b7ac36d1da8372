//! TicketHistoryGet: each event of a ticket as an OTRS history line, with the
//! ticket's queue, owner, priority, state and type as the event left them.
//! For agents only, as in OTRS.

use super::Call;
use super::reply::{Failure, Reply};
use super::ticket_hash::otrs_time;
use super::vocabulary::otrs_state;
use sau_domain::{EventKind, Ticket, TicketId};
use sau_service::{ServiceError, StoredEvent};
use serde_json::{Value, json};

/// OTRS's history type (and its id in OTRS's data) of an event, and the
/// values its `Name` carries after `%%`.
fn history_type(
    kind: &EventKind,
    before: Option<&Ticket>,
    after: &Ticket,
) -> (&'static str, i64, Vec<String>) {
    let state = |t: &Ticket| otrs_state(t.state).name.to_owned();
    let from_state = before.map(state).unwrap_or_default();
    let state_change = || ("StateUpdate", 27, vec![from_state.clone(), state(after)]);
    match kind {
        EventKind::Submitted { .. } => (
            "NewTicket",
            1,
            vec![
                after.number.clone(),
                after.queue.0.to_string(),
                after.priority.level().to_string(),
                state(after),
                after.id.0.to_string(),
            ],
        ),
        EventKind::PriorityChanged { from, to } => (
            "PriorityUpdate",
            22,
            vec![from.level().to_string(), to.level().to_string()],
        ),
        EventKind::Retitled { from, to } => ("TitleUpdate", 50, vec![from.clone(), to.clone()]),
        EventKind::CategoryChanged { from, to, .. } => {
            ("TypeUpdate", 37, vec![to.0.to_string(), from.0.to_string()])
        }
        // OTRS writes `%%FieldName%%<name>%%Value%%<new>%%OldValue%%<old>`.
        EventKind::FieldChanged { key, from, to } => {
            let text = |v: &Option<sau_domain::FieldValue>| {
                v.as_ref()
                    .map(super::vocabulary::field_text)
                    .unwrap_or_default()
            };
            let parts = [
                "FieldName",
                key,
                "Value",
                &text(to),
                "OldValue",
                &text(from),
            ];
            (
                "TicketDynamicFieldUpdate",
                28,
                parts.map(str::to_owned).to_vec(),
            )
        }
        EventKind::Assigned { technician, .. } => {
            ("OwnerUpdate", 23, vec![technician.0.to_string()])
        }
        EventKind::Commented { .. } => ("AddNote", 15, vec!["Added note".to_owned()]),
        EventKind::Confirmed { .. } => ("FollowUp", 2, vec![]),
        EventKind::Rated { .. } => ("Misc", 25, vec!["Rated".to_owned()]),
        _ => state_change(),
    }
}

pub async fn get(call: Call<'_>) -> Reply {
    let caller = match call.caller(Failure::AuthFail).await {
        Ok(caller) => caller,
        Err(reply) => return reply,
    };
    if !caller.roles().is_agent() {
        return call.error(
            Failure::AuthFail,
            "Only agents may read a ticket's history!",
        );
    }
    let ids = match call.ticket_ids() {
        Ok(ids) => ids,
        Err(reply) => return reply,
    };
    let service = &call.state.service;
    let mut histories = Vec::with_capacity(ids.len());
    for id in ids {
        let found = match service.ticket_by_id(&caller, id).await {
            Ok(detail) => {
                let number = detail.record.ticket.number;
                service
                    .ticket_events(&caller, &number)
                    .await
                    .map(|e| (number, e))
            }
            Err(e) => Err(e),
        };
        let (number, events) = match found {
            Ok(found) => found,
            Err(ServiceError::NotFound(_) | ServiceError::Forbidden) => {
                return call.error(
                    Failure::AccessDenied,
                    "Need permission to read the ticket (ro)!",
                );
            }
            Err(e) => return call.refused(e, &|f| f.to_owned()),
        };
        histories.push(json!({
            "TicketID": id.0.to_string(),
            "History": lines(id, &number, &events),
        }));
    }
    if histories.is_empty() {
        return call.error(Failure::NotTicketData, "Could not get Ticket history data!");
    }
    Reply::Data(json!({ "TicketHistory": histories }))
}

fn lines(id: TicketId, number: &str, events: &[StoredEvent]) -> Vec<Value> {
    let mut ticket: Option<Ticket> = None;
    let mut out = Vec::with_capacity(events.len());
    for stored in events {
        let before = ticket.clone();
        match &mut ticket {
            None => ticket = Ticket::open(id, number.to_owned(), &stored.event),
            Some(t) => t.apply(&stored.event),
        }
        let Some(after) = &ticket else { continue };
        let (name, type_id, values) = history_type(&stored.event.kind, before.as_ref(), after);
        let state = otrs_state(after.state);
        let text = values.iter().map(|v| format!("%%{v}")).collect::<String>();
        out.push(json!({
            "TicketID": id.0.to_string(),
            "ArticleID": "0",
            "Name": text,
            "CreateBy": stored.actor.id.0.to_string(),
            "CreateTime": otrs_time(stored.event.at),
            "HistoryType": name,
            "HistoryTypeID": type_id.to_string(),
            "QueueID": after.queue.0.to_string(),
            "OwnerID": after.technician.map_or(0, |t| t.0).to_string(),
            "PriorityID": after.priority.level().to_string(),
            "StateID": state.id.to_string(),
            "TypeID": after.category.0.to_string(),
        }));
    }
    out
}
