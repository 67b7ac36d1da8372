// Exports of ticket lists, and their progress. Included once per backend
// (see lib.rs).

use crate::StoreError;
use crate::exports::ExportRecord;
use crate::records::{from_micros, micros};
use sau_domain::UserId;

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    owner_id: i64,
    format: String,
    query: String,
    state: String,
    rows_done: i64,
    rows_total: Option<i64>,
    size: Option<i64>,
    error: Option<String>,
    created_at: i64,
    finished_at: Option<i64>,
}

fn record(r: Row) -> Result<ExportRecord, StoreError> {
    Ok(ExportRecord {
        id: r.id,
        owner: UserId(r.owner_id),
        format: r.format,
        query: r.query,
        state: r.state,
        rows_done: r.rows_done,
        rows_total: r.rows_total,
        size: r.size,
        error: r.error,
        created_at: from_micros(r.created_at)?,
        finished_at: r.finished_at.map(from_micros).transpose()?,
    })
}

const COLUMNS: &str =
    "id, owner_id, format, query, state, rows_done, rows_total, size, error, created_at, finished_at";

/// Records an export and queues the job that writes it: its id.
pub(crate) async fn create(
    c: &mut Conn,
    owner: i64,
    format: &str,
    query: &str,
    at: jiff::Timestamp,
    job_kind: &str,
) -> Result<i64, StoreError> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO exports (owner_id, format, query, state, rows_done, created_at) \
         VALUES ($1, $2, $3, 'queued', 0, $4) RETURNING id",
    )
    .bind(owner)
    .bind(format)
    .bind(query)
    .bind(micros(at))
    .fetch_one(&mut *c)
    .await?;
    let payload = format!("{{\"export\":{id}}}");
    super::jobs::enqueue_job(&mut *c, job_kind, &payload, at, None).await?;
    Ok(id)
}

pub(crate) async fn get(c: &mut Conn, id: i64) -> Result<Option<ExportRecord>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM exports WHERE id = $1");
    let row: Option<Row> = sqlx::query_as(&sql).bind(id).fetch_optional(&mut *c).await?;
    row.map(record).transpose()
}

/// Sets how far an export got (and, when known, how far it goes).
pub(crate) async fn progress(c: &mut Conn, id: i64, done: i64, total: Option<i64>) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE exports SET state = 'running', rows_done = $1, rows_total = COALESCE($2, rows_total) \
         WHERE id = $3 AND state IN ('queued', 'running')",
    )
    .bind(done)
    .bind(total)
    .bind(id)
    .execute(&mut *c)
    .await?;
    Ok(())
}

/// Ends an export: written (`error` none, with its size) or failed.
pub(crate) async fn finish(
    c: &mut Conn,
    id: i64,
    size: Option<i64>,
    error: Option<&str>,
    at: jiff::Timestamp,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE exports SET state = $1, size = $2, error = $3, finished_at = $4, \
         rows_total = CASE WHEN $1 = 'done' THEN rows_done ELSE rows_total END WHERE id = $5",
    )
    .bind(if error.is_some() { "failed" } else { "done" })
    .bind(size)
    .bind(error)
    .bind(micros(at))
    .bind(id)
    .execute(&mut *c)
    .await?;
    Ok(())
}

/// Forgets exports made before `before`: their ids, whose files go too.
pub(crate) async fn prune(c: &mut Conn, before: jiff::Timestamp) -> Result<Vec<i64>, StoreError> {
    Ok(sqlx::query_scalar("DELETE FROM exports WHERE created_at < $1 RETURNING id")
        .bind(micros(before))
        .fetch_all(&mut *c)
        .await?)
}
