// Mail that arrived: what became of each message. Included once per backend
// (see lib.rs).

use crate::StoreError;
use crate::records::{InboundMail, NewInboundMail, from_micros, micros};
use sau_domain::TicketId;

type Row = (
    i64,
    String,
    String,
    String,
    String,
    String,
    Option<i64>,
    Option<String>,
    Option<i64>,
    String,
    bool,
    bool,
    i64,
);

const COLUMNS: &str = "SELECT m.id, m.message_key, m.sender, m.subject, m.outcome, m.reason, m.ticket_id, \
     t.number, m.ticket_version, m.mailbox, m.body_html IS NOT NULL, m.source IS NOT NULL, m.received_at \
     FROM mail_inbound m LEFT JOIN tickets t ON t.id = m.ticket_id";

fn inbound(row: Row) -> Result<InboundMail, StoreError> {
    let (id, key, sender, subject, outcome, reason, ticket, number, version, mailbox, html, source, at) = row;
    Ok(InboundMail {
        id,
        key,
        sender,
        subject,
        outcome,
        reason,
        ticket: ticket.map(TicketId),
        ticket_number: number,
        ticket_version: version,
        mailbox,
        has_html: html,
        has_source: source,
        received_at: from_micros(at)?,
    })
}

/// Records a message unless one with its key is there: its id, or `None`
/// (the message was seen before).
pub(crate) async fn record(c: &mut Conn, new: &NewInboundMail) -> Result<Option<i64>, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO mail_inbound (message_key, sender, subject, outcome, reason, ticket_id, ticket_version, \
         mailbox, body_html, source, received_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
         ON CONFLICT (message_key) DO NOTHING RETURNING id",
    )
    .bind(&new.key)
    .bind(&new.sender)
    .bind(&new.subject)
    .bind(new.outcome)
    .bind(&new.reason)
    .bind(new.ticket.map(|t| t.0))
    .bind(new.ticket_version)
    .bind(&new.mailbox)
    .bind(&new.html)
    .bind(&new.source)
    .bind(micros(new.at))
    .fetch_optional(&mut *c)
    .await?)
}

pub(crate) async fn by_key(c: &mut Conn, key: &str) -> Result<Option<InboundMail>, StoreError> {
    let row: Option<Row> = sqlx::query_as(&format!("{COLUMNS} WHERE m.message_key = $1"))
        .bind(key)
        .fetch_optional(&mut *c)
        .await?;
    row.map(inbound).transpose()
}

pub(crate) async fn get(c: &mut Conn, id: i64) -> Result<Option<InboundMail>, StoreError> {
    let row: Option<Row> = sqlx::query_as(&format!("{COLUMNS} WHERE m.id = $1"))
        .bind(id)
        .fetch_optional(&mut *c)
        .await?;
    row.map(inbound).transpose()
}

/// How many messages from `sender` arrived since `since` (with `outcome`,
/// only those).
pub(crate) async fn sender_count(
    c: &mut Conn,
    sender: &str,
    outcome: Option<&str>,
    since: jiff::Timestamp,
) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM mail_inbound WHERE sender = $1 AND received_at >= $2 \
         AND ($3 IS NULL OR outcome = $3)",
    )
    .bind(sender)
    .bind(micros(since))
    .bind(outcome)
    .fetch_one(&mut *c)
    .await?)
}

/// The latest messages, newest first; with `outcome`, only those.
pub(crate) async fn latest(c: &mut Conn, outcome: Option<&str>, limit: i64) -> Result<Vec<InboundMail>, StoreError> {
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "{COLUMNS} WHERE ($1 IS NULL OR m.outcome = $1) ORDER BY m.id DESC LIMIT $2"
    ))
    .bind(outcome)
    .bind(limit)
    .fetch_all(&mut *c)
    .await?;
    rows.into_iter().map(inbound).collect()
}

/// The messages that became a ticket or entries on it, oldest first.
pub(crate) async fn for_ticket(c: &mut Conn, ticket: TicketId) -> Result<Vec<InboundMail>, StoreError> {
    let rows: Vec<Row> = sqlx::query_as(&format!("{COLUMNS} WHERE m.ticket_id = $1 ORDER BY m.id"))
        .bind(ticket.0)
        .fetch_all(&mut *c)
        .await?;
    rows.into_iter().map(inbound).collect()
}

/// A message's raw source (quarantined mail) and its cleaned HTML.
pub(crate) async fn content(c: &mut Conn, id: i64) -> Result<Option<(Option<Vec<u8>>, Option<String>)>, StoreError> {
    Ok(sqlx::query_as("SELECT source, body_html FROM mail_inbound WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *c)
        .await?)
}

/// The ticket a mail SAU sent was about, by its Message-ID.
pub(crate) async fn ticket_of_sent(c: &mut Conn, message_id: &str) -> Result<Option<TicketId>, StoreError> {
    let ticket: Option<Option<i64>> = sqlx::query_scalar("SELECT ticket_id FROM mail_outbox WHERE message_id = $1")
        .bind(message_id)
        .fetch_optional(&mut *c)
        .await?;
    Ok(ticket.flatten().map(TicketId))
}
