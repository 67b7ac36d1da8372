// Background jobs, written in the same transaction as the change that causes them.
// Included once per backend (see lib.rs).

use crate::StoreError;
use crate::records::{JobCounts, JobRecord, JobView, from_micros, micros};

/// Adds a job due at `run_at`. With a `unique_key` already taken (a scheduled
/// job for a period that already has one) nothing is added: `None`.
pub(crate) async fn enqueue_job(
    c: &mut Conn,
    kind: &str,
    payload: &str,
    run_at: jiff::Timestamp,
    unique_key: Option<&str>,
) -> Result<Option<i64>, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO jobs (kind, payload, run_at, attempts, created_at, unique_key) \
         VALUES ($1, $2, $3, 0, $3, $4) ON CONFLICT DO NOTHING RETURNING id",
    )
    .bind(kind)
    .bind(payload)
    .bind(micros(run_at))
    .bind(unique_key)
    .fetch_optional(&mut *c)
    .await?)
}

/// Claims up to `limit` due jobs for `lease` from `now`: a claimed job is invisible to
/// other workers until it is finished or its lease runs out (its worker died). On
/// PostgreSQL several instances claim at once without taking each other's jobs
/// (`SKIP LOCKED`); on SQLite the single writer makes the claim exclusive.
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
         SELECT id FROM jobs WHERE done_at IS NULL AND failed_at IS NULL AND run_at <= $2 \
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

/// Marks a claimed job done. `false` if it was already done (its lease ran out and
/// another worker finished it first): the caller's run was a repeat.
pub(crate) async fn complete_job(c: &mut Conn, id: i64, now: jiff::Timestamp) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE jobs SET done_at = $1, locked_until = NULL WHERE id = $2 AND done_at IS NULL",
    )
    .bind(micros(now))
    .bind(id)
    .execute(&mut *c)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Records a failure: the next try is at `retry_at`, or, with `None`, the job is
/// set aside as failed (at `now`) until someone retries it.
pub(crate) async fn fail_job(
    c: &mut Conn,
    id: i64,
    error: &str,
    now: jiff::Timestamp,
    retry_at: Option<jiff::Timestamp>,
) -> Result<(), StoreError> {
    let (run_at, failed_at) = match retry_at {
        Some(at) => (Some(micros(at)), None),
        None => (None, Some(micros(now))),
    };
    sqlx::query(
        "UPDATE jobs SET last_error = $1, run_at = COALESCE($2, run_at), failed_at = $3, \
         locked_until = NULL WHERE id = $4 AND done_at IS NULL",
    )
    .bind(error)
    .bind(run_at)
    .bind(failed_at)
    .bind(id)
    .execute(&mut *c)
    .await?;
    Ok(())
}

/// Puts a failed job back in line, due now, with its tries counted afresh.
pub(crate) async fn retry_failed_job(c: &mut Conn, id: i64, now: jiff::Timestamp) -> Result<(), StoreError> {
    touched(
        sqlx::query(
            "UPDATE jobs SET failed_at = NULL, attempts = 0, run_at = $1, locked_until = NULL \
             WHERE id = $2 AND failed_at IS NOT NULL",
        )
        .bind(micros(now))
        .bind(id)
        .execute(&mut *c)
        .await?,
    )
}

const JOB_COLUMNS: &str = "id, kind, payload, attempts, last_error, run_at, created_at, \
     locked_until, done_at, failed_at";

type JobRow = (
    i64,
    String,
    String,
    i64,
    Option<String>,
    i64,
    i64,
    Option<i64>,
    Option<i64>,
    Option<i64>,
);

fn job_view(row: JobRow) -> Result<JobView, StoreError> {
    let (id, kind, payload, attempts, last_error, run_at, created_at, locked, done, failed) = row;
    Ok(JobView {
        id,
        kind,
        payload,
        attempts,
        last_error,
        run_at: from_micros(run_at)?,
        created_at: from_micros(created_at)?,
        locked_until: locked.map(from_micros).transpose()?,
        done_at: done.map(from_micros).transpose()?,
        failed_at: failed.map(from_micros).transpose()?,
    })
}

/// Jobs not yet done, the set-aside ones first (newest failure first), then the
/// waiting ones by when they are due; at most `limit`.
pub(crate) async fn unfinished_jobs(c: &mut Conn, limit: i64) -> Result<Vec<JobView>, StoreError> {
    let failed: Vec<JobRow> = sqlx::query_as(&format!(
        "SELECT {JOB_COLUMNS} FROM jobs WHERE failed_at IS NOT NULL ORDER BY failed_at DESC, id DESC LIMIT $1"
    ))
    .bind(limit)
    .fetch_all(&mut *c)
    .await?;
    let waiting: Vec<JobRow> = sqlx::query_as(&format!(
        "SELECT {JOB_COLUMNS} FROM jobs WHERE done_at IS NULL AND failed_at IS NULL ORDER BY run_at, id LIMIT $1"
    ))
    .bind(limit)
    .fetch_all(&mut *c)
    .await?;
    failed
        .into_iter()
        .chain(waiting)
        .take(usize::try_from(limit).unwrap_or(0))
        .map(job_view)
        .collect()
}

pub(crate) async fn job(c: &mut Conn, id: i64) -> Result<Option<JobView>, StoreError> {
    let row: Option<JobRow> =
        sqlx::query_as(&format!("SELECT {JOB_COLUMNS} FROM jobs WHERE id = $1"))
            .bind(id)
            .fetch_optional(&mut *c)
            .await?;
    row.map(job_view).transpose()
}

/// How many jobs wait (due or not yet), run now under a lease, or are set aside.
pub(crate) async fn job_counts(c: &mut Conn, now: jiff::Timestamp) -> Result<JobCounts, StoreError> {
    let (waiting, running): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*) FILTER (WHERE locked_until IS NULL OR locked_until <= $1), \
         COUNT(*) FILTER (WHERE locked_until > $1) \
         FROM jobs WHERE done_at IS NULL AND failed_at IS NULL",
    )
    .bind(micros(now))
    .fetch_one(&mut *c)
    .await?;
    let failed: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE failed_at IS NOT NULL")
        .fetch_one(&mut *c)
        .await?;
    Ok(JobCounts {
        waiting,
        running,
        failed,
    })
}

/// Forgets jobs done before `before`; returns how many.
pub(crate) async fn prune_done_jobs(c: &mut Conn, before: jiff::Timestamp) -> Result<u64, StoreError> {
    Ok(sqlx::query("DELETE FROM jobs WHERE done_at IS NOT NULL AND done_at < $1")
        .bind(micros(before))
        .execute(&mut *c)
        .await?
        .rows_affected())
}
