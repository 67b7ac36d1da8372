// The outbox: mails waiting, sent or given up on. Included once per backend
// (see lib.rs).

use crate::StoreError;
use crate::records::{NewMail, OutboxMail, from_micros, micros};
use sau_domain::{TicketId, UserId};

type Row = (
    i64,
    Option<i64>,
    String,
    Option<i64>,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    String,
    i64,
    Option<String>,
    i64,
    Option<i64>,
);

const COLUMNS: &str = "SELECT id, ticket_id, notice, user_id, to_address, subject, body_text, body_html, \
     message_id, thread_id, state, attempts, last_answer, created_at, sent_at FROM mail_outbox";

fn mail(row: Row) -> Result<OutboxMail, StoreError> {
    let (id, ticket, notice, user, to, subject, text, html, message_id, thread_id, state, attempts, answer, created, sent) = row;
    Ok(OutboxMail {
        id,
        ticket: ticket.map(TicketId),
        notice,
        user: user.map(UserId),
        to,
        subject,
        text,
        html,
        message_id,
        thread_id,
        state,
        attempts,
        last_answer: answer,
        created_at: from_micros(created)?,
        sent_at: sent.map(from_micros).transpose()?,
    })
}

/// Adds a mail unless one with its key exists: its id, or `None`.
pub(crate) async fn queue(c: &mut Conn, new: &NewMail) -> Result<Option<i64>, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO mail_outbox (mail_key, ticket_id, notice, user_id, to_address, subject, body_text, \
         body_html, message_id, thread_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
         ON CONFLICT (mail_key) DO NOTHING RETURNING id",
    )
    .bind(&new.key)
    .bind(new.ticket.map(|t| t.0))
    .bind(&new.notice)
    .bind(new.user.map(|u| u.0))
    .bind(&new.to)
    .bind(&new.subject)
    .bind(&new.text)
    .bind(&new.html)
    .bind(&new.message_id)
    .bind(&new.thread_id)
    .bind(micros(new.at))
    .fetch_optional(&mut *c)
    .await?)
}

pub(crate) async fn get(c: &mut Conn, id: i64) -> Result<Option<OutboxMail>, StoreError> {
    let row: Option<Row> = sqlx::query_as(&format!("{COLUMNS} WHERE id = $1"))
        .bind(id)
        .fetch_optional(&mut *c)
        .await?;
    row.map(mail).transpose()
}

/// The latest mails, newest first; with `state`, only those in it.
pub(crate) async fn latest(c: &mut Conn, state: Option<&str>, limit: i64) -> Result<Vec<OutboxMail>, StoreError> {
    let rows: Vec<Row> = match state {
        Some(state) => {
            sqlx::query_as(&format!("{COLUMNS} WHERE state = $1 ORDER BY id DESC LIMIT $2"))
                .bind(state)
                .bind(limit)
                .fetch_all(&mut *c)
                .await?
        }
        None => {
            sqlx::query_as(&format!("{COLUMNS} ORDER BY id DESC LIMIT $1"))
                .bind(limit)
                .fetch_all(&mut *c)
                .await?
        }
    };
    rows.into_iter().map(mail).collect()
}

/// Records a try: `sent` with the server's answer, or the error and whether
/// the mail is given up on (`failed`) or waits for the next try (`pending`).
pub(crate) async fn record_try(
    c: &mut Conn,
    id: i64,
    state: &str,
    answer: &str,
    at: jiff::Timestamp,
) -> Result<(), StoreError> {
    touched(
        sqlx::query(
            "UPDATE mail_outbox SET state = $1, last_answer = $2, attempts = attempts + 1, \
             sent_at = CASE WHEN $1 = 'sent' THEN $3 ELSE sent_at END WHERE id = $4",
        )
        .bind(state)
        .bind(answer)
        .bind(micros(at))
        .bind(id)
        .execute(&mut *c)
        .await?,
    )
}

/// Puts a mail given up on back in line (an admin's resend).
pub(crate) async fn requeue(c: &mut Conn, id: i64) -> Result<(), StoreError> {
    touched(
        sqlx::query("UPDATE mail_outbox SET state = 'pending' WHERE id = $1 AND state = 'failed'")
            .bind(id)
            .execute(&mut *c)
            .await?,
    )
}

/// How many mails are in each state.
pub(crate) async fn counts(c: &mut Conn) -> Result<Vec<(String, i64)>, StoreError> {
    Ok(sqlx::query_as("SELECT state, COUNT(*) FROM mail_outbox GROUP BY state")
        .fetch_all(&mut *c)
        .await?)
}

/// The notices a person switched off.
pub(crate) async fn opt_outs(c: &mut Conn, user: UserId) -> Result<Vec<String>, StoreError> {
    Ok(sqlx::query_scalar("SELECT notice FROM mail_opt_outs WHERE user_id = $1 ORDER BY notice")
        .bind(user.0)
        .fetch_all(&mut *c)
        .await?)
}

/// Replaces the notices a person switched off.
pub(crate) async fn set_opt_outs(c: &mut Conn, user: UserId, notices: &[String]) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM mail_opt_outs WHERE user_id = $1")
        .bind(user.0)
        .execute(&mut *c)
        .await?;
    for notice in notices {
        sqlx::query("INSERT INTO mail_opt_outs (user_id, notice) VALUES ($1, $2)")
            .bind(user.0)
            .bind(notice)
            .execute(&mut *c)
            .await?;
    }
    Ok(())
}
