// The closing mails' one-use rating links. Included once per backend (see
// lib.rs).

use crate::StoreError;
use crate::records::{RatingLink, from_micros, micros};
use sau_domain::{TicketId, UserId};

/// Adds a link (its token's hash).
pub(crate) async fn add(c: &mut Conn, link: &RatingLink) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO rating_links (token_hash, ticket_id, user_id, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&link.token_hash)
    .bind(link.ticket.0)
    .bind(link.user.0)
    .bind(micros(link.created_at))
    .bind(micros(link.expires_at))
    .execute(&mut *c)
    .await?;
    Ok(())
}

pub(crate) async fn get(c: &mut Conn, token_hash: &str) -> Result<Option<RatingLink>, StoreError> {
    let row: Option<(String, i64, i64, i64, i64, Option<i64>)> = sqlx::query_as(
        "SELECT token_hash, ticket_id, user_id, created_at, expires_at, used_at FROM rating_links \
         WHERE token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(&mut *c)
    .await?;
    row.map(|(token_hash, ticket, user, created, expires, used)| {
        Ok(RatingLink {
            token_hash,
            ticket: TicketId(ticket),
            user: UserId(user),
            created_at: from_micros(created)?,
            expires_at: from_micros(expires)?,
            used_at: used.map(from_micros).transpose()?,
        })
    })
    .transpose()
}

/// Marks the link used, if it was not: whether this call did.
pub(crate) async fn use_once(c: &mut Conn, token_hash: &str, at: jiff::Timestamp) -> Result<bool, StoreError> {
    let done = sqlx::query("UPDATE rating_links SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL")
        .bind(micros(at))
        .bind(token_hash)
        .execute(&mut *c)
        .await?;
    Ok(done.rows_affected() == 1)
}
