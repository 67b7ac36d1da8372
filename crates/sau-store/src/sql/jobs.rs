// Background jobs, written in the same transaction as the change that causes them.
// Included once per backend (see lib.rs).

use crate::StoreError;
use crate::records::{JobRecord, micros};

pub(crate) async fn enqueue_job(
    c: &mut Conn,
    kind: &str,
    payload: &str,
    run_at: jiff::Timestamp,
) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO jobs (kind, payload, run_at, attempts, created_at) VALUES ($1, $2, $3, 0, $3) RETURNING id",
    )
    .bind(kind)
    .bind(payload)
    .bind(micros(run_at))
    .fetch_one(&mut *c)
    .await?)
}

/// Claims up to `limit` due jobs for `lease` from `now`: a claimed job is invisible to
/// other workers until it is completed or its lease runs out. On PostgreSQL several
/// instances claim at once without taking each other's jobs (`SKIP LOCKED`); on
/// SQLite the single writer makes the claim exclusive.
pub(crate) async fn claim_jobs(
    c: &mut Conn,
    now: jiff::Timestamp,
    lease: jiff::SignedDuration,
    limit: i64,
) -> Result<Vec<JobRecord>, StoreError> {
    let lock = match DIALECT {
        crate::Dialect::Postgres => " FOR UPDATE SKIP LOCKED",
        crate::Dialect::Sqlite => "",
    };
    let sql = format!(
        "UPDATE jobs SET locked_until = $1, attempts = attempts + 1 WHERE id IN (\
         SELECT id FROM jobs WHERE done_at IS NULL AND run_at <= $2 \
         AND (locked_until IS NULL OR locked_until <= $2) ORDER BY run_at, id LIMIT $3{lock}) \
         RETURNING id, kind, payload, attempts"
    );
    let until = now
        .checked_add(lease)
        .map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let rows: Vec<(i64, String, String, i64)> = sqlx::query_as(&sql)
        .bind(micros(until))
        .bind(micros(now))
        .bind(limit)
        .fetch_all(&mut *c)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, kind, payload, attempts)| JobRecord {
            id,
            kind,
            payload,
            attempts,
        })
        .collect())
}

pub(crate) async fn complete_job(c: &mut Conn, id: i64, now: jiff::Timestamp) -> Result<(), StoreError> {
    sqlx::query("UPDATE jobs SET done_at = $1, locked_until = NULL WHERE id = $2")
        .bind(micros(now))
        .bind(id)
        .execute(&mut *c)
        .await?;
    Ok(())
}

/// Records a failure and schedules the next try at `retry_at`.
pub(crate) async fn fail_job(
    c: &mut Conn,
    id: i64,
    error: &str,
    retry_at: jiff::Timestamp,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE jobs SET last_error = $1, run_at = $2, locked_until = NULL WHERE id = $3")
        .bind(error)
        .bind(micros(retry_at))
        .bind(id)
        .execute(&mut *c)
        .await?;
    Ok(())
}
