// Whole histories written at once, for the benchmarks' seeding: a ticket
// in its final state with every event and the conversation's entries, in one
// statement each, and on PostgreSQL its search document. Included once
// per backend (see lib.rs).

#[cfg(feature = "testing")]
use crate::StoreError;
#[cfg(feature = "testing")]
use crate::bulk::BulkTicket;
#[cfg(feature = "testing")]
use crate::records::micros;

/// Writes `tickets`, each with its events: how many were written.
#[cfg(feature = "testing")]
pub(crate) async fn write(c: &mut Conn, tickets: &[BulkTicket]) -> Result<usize, StoreError> {
    for t in tickets {
        let at = |i: usize| t.events.get(i).map(|e| micros(e.at));
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO tickets (number, title, category_id, queue_id, priority, state, requester_id, \
             department_id, technician_id, attention_mode, remote_tool, remote_id, created_at, updated_at, \
             assigned_at, resolved_at, closed_at, version) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, NULL, NULL, $11, $12, $13, $14, $15, $16) RETURNING id",
        )
        .bind(&t.ticket.number)
        .bind(&t.ticket.title)
        .bind(t.ticket.category.0)
        .bind(t.ticket.queue.0)
        .bind(i64::from(t.ticket.priority.level()))
        .bind(t.ticket.state.as_str())
        .bind(t.ticket.requester.0)
        .bind(t.ticket.department.map(|d| d.0))
        .bind(t.ticket.technician.map(|u| u.0))
        .bind(t.ticket.attention.as_ref().map(|a| a.mode.as_str()))
        .bind(micros(t.ticket.created_at))
        .bind(at(t.events.len().saturating_sub(1)).unwrap_or(micros(t.ticket.created_at)))
        .bind(t.ticket.assigned_at.map(micros))
        .bind(t.ticket.resolved_at.map(micros))
        .bind(t.ticket.closed_at.map(micros))
        .bind(t.events.len() as i64)
        .fetch_one(&mut *c)
        .await?;
        for (seq, event) in t.events.iter().enumerate() {
            let event_id: i64 = sqlx::query_scalar(
                "INSERT INTO events (ticket_id, seq, actor_id, kind, data, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(id)
            .bind(seq as i64 + 1)
            .bind(event.actor.0)
            .bind(event.kind.name())
            .bind(serde_json::to_string(&event.kind)?)
            .bind(micros(event.at))
            .fetch_one(&mut *c)
            .await?;
            // The conversation, as the service writes it (files left out).
            if let Some(entry) = event.kind.entry() {
                sqlx::query(
                    "INSERT INTO entries (ticket_id, event_id, author_id, kind, body, visibility, channel, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, 'web', $7)",
                )
                .bind(id)
                .bind(event_id)
                .bind(event.actor.0)
                .bind(entry.kind.as_str())
                .bind(entry.body)
                .bind(entry.visibility.as_str())
                .bind(micros(event.at))
                .execute(&mut *c)
                .await?;
            }
        }
        // PostgreSQL indexes each ticket as it is written; SQLite's batches
        // take the new tickets in before the next search.
        super::ticket_search::index_ticket(c, id).await?;
    }
    Ok(tickets.len())
}
