// When each person last read each ticket, for the marks of what changed since
// and the menu's counts. Included once per backend (see lib.rs).

use crate::StoreError;
use crate::records::{TicketRead, from_micros, micros};
use sau_domain::{TicketId, UserId};
use std::collections::HashMap;

/// The person's last read of a ticket: its version and when.
pub(crate) async fn read_of(c: &mut Conn, user: UserId, ticket: TicketId) -> Result<Option<TicketRead>, StoreError> {
    let row: Option<(i64, i64)> =
        sqlx::query_as("SELECT version, read_at FROM ticket_reads WHERE user_id = $1 AND ticket_id = $2")
            .bind(user.0)
            .bind(ticket.0)
            .fetch_optional(&mut *c)
            .await?;
    row.map(|(version, at)| {
        Ok(TicketRead {
            version,
            at: from_micros(at)?,
        })
    })
    .transpose()
}

/// Records that the person read the ticket at `version`. Nothing is written
/// when they had read that version already: opening a page twice costs no write.
pub(crate) async fn mark_read(
    c: &mut Conn,
    user: UserId,
    ticket: TicketId,
    version: i64,
    at: jiff::Timestamp,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO ticket_reads (user_id, ticket_id, version, read_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (user_id, ticket_id) DO UPDATE SET version = excluded.version, read_at = excluded.read_at \
         WHERE ticket_reads.version < excluded.version",
    )
    .bind(user.0)
    .bind(ticket.0)
    .bind(version)
    .bind(micros(at))
    .execute(&mut *c)
    .await?;
    Ok(())
}

/// The versions the person last read of each of `tickets` they have read.
pub(crate) async fn reads_of(c: &mut Conn, user: UserId, tickets: &[TicketId]) -> Result<HashMap<TicketId, i64>, StoreError> {
    if tickets.is_empty() {
        return Ok(HashMap::new());
    }
    let mut q = sqlx::QueryBuilder::<Db>::new("SELECT ticket_id, version FROM ticket_reads WHERE user_id = ");
    q.push_bind(user.0).push(" AND ticket_id IN (");
    let mut list = q.separated(", ");
    for id in tickets {
        list.push_bind(id.0);
    }
    q.push(")");
    let rows: Vec<(i64, i64)> = q.build_query_as().fetch_all(&mut *c).await?;
    Ok(rows.into_iter().map(|(id, v)| (TicketId(id), v)).collect())
}

/// New tickets waiting for a technician, counted up to `cap`.
pub(crate) async fn waiting_count(c: &mut Conn, cap: i64) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM (SELECT 1 FROM tickets WHERE state = 'new' LIMIT $1) AS waiting")
        .bind(cap)
        .fetch_one(&mut *c)
        .await?)
}

/// The tickets on the technician's own list (assigned, in progress, on hold,
/// resolved) that changed since they last read them, or that they never
/// opened, counted up to `cap`.
pub(crate) async fn news_for_technician(c: &mut Conn, user: UserId, cap: i64) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM (SELECT 1 FROM tickets t \
         LEFT JOIN ticket_reads r ON r.ticket_id = t.id AND r.user_id = $1 \
         WHERE t.technician_id = $1 AND t.state IN ('assigned', 'in_progress', 'on_hold', 'resolved') \
         AND (r.version IS NULL OR r.version < t.version) LIMIT $2) AS news",
    )
    .bind(user.0)
    .bind(cap)
    .fetch_one(&mut *c)
    .await?)
}
