// Sessions of integrations (the OTRS-compatible API's SessionID). Included once
// per backend (see lib.rs).

use crate::StoreError;
use crate::records::{from_micros, micros};
use crate::rows::{USER_COLUMNS, UserRow};
use sau_domain::UserId;

pub(crate) async fn open_api_session(
    c: &mut Conn,
    session: &crate::api_sessions::NewApiSession,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO api_sessions (token_hash, user_id, as_requester, created_at, expires_at, idle_until) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&session.token_hash)
    .bind(session.user.0)
    .bind(session.as_requester)
    .bind(micros(session.created_at))
    .bind(micros(session.expires_at))
    .bind(micros(session.idle_until))
    .execute(&mut *c)
    .await?;
    Ok(())
}

/// The live session with this hash at `now` (neither expired nor idle too
/// long, its user active): the user, whether as a requester, when it began
/// and until when it may idle.
pub(crate) async fn api_session(
    c: &mut Conn,
    token_hash: &str,
    now: jiff::Timestamp,
) -> Result<Option<crate::api_sessions::ApiSession>, StoreError> {
    let sql = format!(
        "SELECT {}, k.as_requester, k.created_at, k.idle_until \
         FROM users u JOIN api_sessions k ON k.user_id = u.id \
         WHERE k.token_hash = $1 AND u.active AND k.expires_at > $2 AND k.idle_until > $2",
        USER_COLUMNS
            .split(", ")
            .map(|col| format!("u.{col}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let row: Option<ApiSessionRow> = sqlx::query_as(&sql)
        .bind(token_hash)
        .bind(micros(now))
        .fetch_optional(&mut *c)
        .await?;
    row.map(|row| {
        Ok(crate::api_sessions::ApiSession {
            user: row.user.into_record()?,
            as_requester: row.as_requester,
            created_at: from_micros(row.created_at)?,
            idle_until: from_micros(row.idle_until)?,
        })
    })
    .transpose()
}

#[derive(sqlx::FromRow)]
struct ApiSessionRow {
    #[sqlx(flatten)]
    user: UserRow,
    as_requester: bool,
    created_at: i64,
    idle_until: i64,
}

/// Moves a session's idle limit on (never past its end).
pub(crate) async fn touch_api_session(
    c: &mut Conn,
    token_hash: &str,
    idle_until: jiff::Timestamp,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE api_sessions SET idle_until = CASE WHEN $2 < expires_at THEN $2 ELSE expires_at END \
         WHERE token_hash = $1",
    )
    .bind(token_hash)
    .bind(micros(idle_until))
    .execute(&mut *c)
    .await?;
    Ok(())
}

/// Ends a session; whether there was one.
pub(crate) async fn close_api_session(c: &mut Conn, token_hash: &str) -> Result<bool, StoreError> {
    let done = sqlx::query("DELETE FROM api_sessions WHERE token_hash = $1")
        .bind(token_hash)
        .execute(&mut *c)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Whose session this is (live or not), to check who may end it.
pub(crate) async fn api_session_owner(
    c: &mut Conn,
    token_hash: &str,
) -> Result<Option<UserId>, StoreError> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT user_id FROM api_sessions WHERE token_hash = $1")
            .bind(token_hash)
            .fetch_optional(&mut *c)
            .await?;
    Ok(found.map(UserId))
}

pub(crate) async fn delete_ended_api_sessions(c: &mut Conn, now: jiff::Timestamp) -> Result<u64, StoreError> {
    let done = sqlx::query("DELETE FROM api_sessions WHERE expires_at <= $1 OR idle_until <= $1")
        .bind(micros(now))
        .execute(&mut *c)
        .await?;
    Ok(done.rows_affected())
}
