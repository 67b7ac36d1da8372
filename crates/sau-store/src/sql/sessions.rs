// Web sessions. Included once per backend (see lib.rs).

use crate::StoreError;

/// Stores a new session; `false` if the id is taken (the caller picks another).
pub(crate) async fn create_session(
    c: &mut Conn,
    id: &str,
    data: &str,
    expires_at: i64,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "INSERT INTO web_sessions (id, data, expires_at) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING",
    )
    .bind(id)
    .bind(data)
    .bind(expires_at)
    .execute(&mut *c)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub(crate) async fn save_session(
    c: &mut Conn,
    id: &str,
    data: &str,
    expires_at: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO web_sessions (id, data, expires_at) VALUES ($1, $2, $3) \
         ON CONFLICT (id) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at",
    )
    .bind(id)
    .bind(data)
    .bind(expires_at)
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
