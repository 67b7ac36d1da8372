// Web sessions. Included once per backend (see lib.rs).

use crate::StoreError;
use sau_domain::UserId;

/// Stores a new session; `false` if the id is taken (the caller picks another).
pub(crate) async fn create_session(
    c: &mut Conn,
    id: &str,
    data: &str,
    expires_at: i64,
    user: Option<UserId>,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "INSERT INTO web_sessions (id, data, expires_at, user_id) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (id) DO NOTHING",
    )
    .bind(id)
    .bind(data)
    .bind(expires_at)
    .bind(user.map(|u| u.0))
    .execute(&mut *c)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub(crate) async fn save_session(
    c: &mut Conn,
    id: &str,
    data: &str,
    expires_at: i64,
    user: Option<UserId>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO web_sessions (id, data, expires_at, user_id) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (id) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at, \
         user_id = excluded.user_id",
    )
    .bind(id)
    .bind(data)
    .bind(expires_at)
    .bind(user.map(|u| u.0))
    .execute(&mut *c)
    .await?;
    Ok(())
}

/// The session's data if it exists and has not expired at `now`.
pub(crate) async fn load_session(
    c: &mut Conn,
    id: &str,
    now: i64,
) -> Result<Option<(String, i64)>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT data, expires_at FROM web_sessions WHERE id = $1 AND expires_at > $2",
    )
    .bind(id)
    .bind(now)
    .fetch_optional(&mut *c)
    .await?)
}

pub(crate) async fn delete_session(c: &mut Conn, id: &str) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM web_sessions WHERE id = $1")
        .bind(id)
        .execute(&mut *c)
        .await?;
    Ok(())
}

pub(crate) async fn delete_expired_sessions(c: &mut Conn, now: i64) -> Result<u64, StoreError> {
    let done = sqlx::query("DELETE FROM web_sessions WHERE expires_at <= $1")
        .bind(now)
        .execute(&mut *c)
        .await?;
    Ok(done.rows_affected())
}

/// Sets a new password hash and, in the same transaction, signs the person out
/// everywhere but `keep_session`: their other web sessions end and the tokens that
/// signing in gave them are revoked. Tokens an admin issued for an integration
/// (without expiry) stay: no password can obtain them.
pub(crate) async fn replace_password(
    c: &mut Conn,
    user: UserId,
    hash: &str,
    keep_session: Option<&str>,
) -> Result<(), StoreError> {
    let done = sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(hash)
        .bind(user.0)
        .execute(&mut *c)
        .await?;
    touched(done)?;
    sqlx::query("DELETE FROM web_sessions WHERE user_id = $1 AND id <> $2")
        .bind(user.0)
        .bind(keep_session.unwrap_or(""))
        .execute(&mut *c)
        .await?;
    sqlx::query("DELETE FROM api_sessions WHERE user_id = $1")
        .bind(user.0)
        .execute(&mut *c)
        .await?;
    sqlx::query(
        "UPDATE api_tokens SET revoked = TRUE WHERE user_id = $1 AND expires_at IS NOT NULL",
    )
    .bind(user.0)
    .execute(&mut *c)
    .await?;
    Ok(())
}
