// Working calendars, which category and queue uses which, and the time
// targets. Included once per backend (see lib.rs).

use crate::StoreError;
use crate::calendars::{CalendarRecord, CalendarUse, CalendarWrite, TargetRecord};
use crate::records::{from_micros, micros};
use sau_domain::{CategoryId, QueueId, UserId};

type Row = (i64, String, String, String, String, i64);

fn record((id, name, time_zone, hours, holidays, at): Row) -> Result<CalendarRecord, StoreError> {
    Ok(CalendarRecord { id, name, time_zone, hours, holidays, updated_at: from_micros(at)? })
}

/// Every calendar, the first one first (it is the default).
pub(crate) async fn all(c: &mut Conn) -> Result<Vec<CalendarRecord>, StoreError> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT id, name, time_zone, hours, holidays, updated_at FROM calendars ORDER BY id",
    )
    .fetch_all(&mut *c)
    .await?;
    rows.into_iter().map(record).collect()
}

/// Adds a calendar; its id, or `None` when the name is taken.
pub(crate) async fn create(c: &mut Conn, calendar: &CalendarWrite) -> Result<Option<i64>, StoreError> {
    let id: Option<(i64,)> = sqlx::query_as(
        "INSERT INTO calendars (name, time_zone, hours, holidays, updated_by, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (name) DO NOTHING RETURNING id",
    )
    .bind(&calendar.name)
    .bind(&calendar.time_zone)
    .bind(&calendar.hours)
    .bind(&calendar.holidays)
    .bind(calendar.updated_by.map(|u| u.0))
    .bind(micros(calendar.updated_at))
    .fetch_optional(&mut *c)
    .await?;
    Ok(id.map(|(id,)| id))
}

/// Rewrites a calendar: whether it exists and its new name was free.
pub(crate) async fn update(c: &mut Conn, id: i64, calendar: &CalendarWrite) -> Result<bool, StoreError> {
    let taken: Option<(i64,)> = sqlx::query_as("SELECT id FROM calendars WHERE name = $1 AND id <> $2")
        .bind(&calendar.name)
        .bind(id)
        .fetch_optional(&mut *c)
        .await?;
    if taken.is_some() {
        return Ok(false);
    }
    let done = sqlx::query(
        "UPDATE calendars SET name = $1, time_zone = $2, hours = $3, holidays = $4, updated_by = $5, \
         updated_at = $6 WHERE id = $7",
    )
    .bind(&calendar.name)
    .bind(&calendar.time_zone)
    .bind(&calendar.hours)
    .bind(&calendar.holidays)
    .bind(calendar.updated_by.map(|u| u.0))
    .bind(micros(calendar.updated_at))
    .bind(id)
    .execute(&mut *c)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Removes a calendar nobody uses: whether it went.
pub(crate) async fn delete(c: &mut Conn, id: i64) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "DELETE FROM calendars WHERE id = $1 \
         AND NOT EXISTS (SELECT 1 FROM categories WHERE calendar_id = $1) \
         AND NOT EXISTS (SELECT 1 FROM queues WHERE calendar_id = $1)",
    )
    .bind(id)
    .execute(&mut *c)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Which categories and queues have a calendar of their own.
pub(crate) async fn uses(c: &mut Conn) -> Result<Vec<CalendarUse>, StoreError> {
    let categories: Vec<(i64, i64)> =
        sqlx::query_as("SELECT id, calendar_id FROM categories WHERE calendar_id IS NOT NULL ORDER BY id")
            .fetch_all(&mut *c)
            .await?;
    let queues: Vec<(i64, i64)> =
        sqlx::query_as("SELECT id, calendar_id FROM queues WHERE calendar_id IS NOT NULL ORDER BY id")
            .fetch_all(&mut *c)
            .await?;
    Ok(categories
        .into_iter()
        .map(|(id, calendar)| CalendarUse::Category(CategoryId(id), calendar))
        .chain(queues.into_iter().map(|(id, calendar)| CalendarUse::Queue(QueueId(id), calendar)))
        .collect())
}

/// Gives a category its own calendar, or (`None`) its queue's again.
pub(crate) async fn set_for_category(c: &mut Conn, category: CategoryId, calendar: Option<i64>) -> Result<bool, StoreError> {
    let done = sqlx::query("UPDATE categories SET calendar_id = $1 WHERE id = $2")
        .bind(calendar)
        .bind(category.0)
        .execute(&mut *c)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Gives a queue its own calendar, or (`None`) the default one again.
pub(crate) async fn set_for_queue(c: &mut Conn, queue: QueueId, calendar: Option<i64>) -> Result<bool, StoreError> {
    let done = sqlx::query("UPDATE queues SET calendar_id = $1 WHERE id = $2")
        .bind(calendar)
        .bind(queue.0)
        .execute(&mut *c)
        .await?;
    Ok(done.rows_affected() == 1)
}

type TargetRow = (i64, i64, Option<i64>, Option<i64>, Option<i64>, Option<i64>, i64);

/// Every category's targets, by category and priority.
pub(crate) async fn targets(c: &mut Conn) -> Result<Vec<TargetRecord>, StoreError> {
    let rows: Vec<TargetRow> = sqlx::query_as(
        "SELECT category_id, priority, assign_minutes, accept_minutes, resolve_minutes, total_minutes, \
         updated_at FROM time_targets ORDER BY category_id, priority",
    )
    .fetch_all(&mut *c)
    .await?;
    rows.into_iter()
        .map(|(category, priority, assign, accept, resolve, total, at)| {
            Ok(TargetRecord {
                category: CategoryId(category),
                priority,
                minutes: [assign, accept, resolve, total],
                updated_at: from_micros(at)?,
            })
        })
        .collect()
}

pub(crate) async fn put_target(c: &mut Conn, target: &TargetRecord, by: Option<UserId>) -> Result<(), StoreError> {
    let [assign, accept, resolve, total] = target.minutes;
    sqlx::query(
        "INSERT INTO time_targets (category_id, priority, assign_minutes, accept_minutes, resolve_minutes, \
         total_minutes, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         ON CONFLICT (category_id, priority) DO UPDATE SET assign_minutes = excluded.assign_minutes, \
         accept_minutes = excluded.accept_minutes, resolve_minutes = excluded.resolve_minutes, \
         total_minutes = excluded.total_minutes, updated_by = excluded.updated_by, \
         updated_at = excluded.updated_at",
    )
    .bind(target.category.0)
    .bind(target.priority)
    .bind(assign)
    .bind(accept)
    .bind(resolve)
    .bind(total)
    .bind(by.map(|u| u.0))
    .bind(micros(target.updated_at))
    .execute(&mut *c)
    .await?;
    Ok(())
}

pub(crate) async fn delete_target(c: &mut Conn, category: CategoryId, priority: i64) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM time_targets WHERE category_id = $1 AND priority = $2")
        .bind(category.0)
        .bind(priority)
        .execute(&mut *c)
        .await?;
    Ok(())
}

/// Tickets whose deadlines are not worked out for their current version:
/// open ones, and finished ones that still carry one. Their ids and
/// versions, oldest first.
pub(crate) async fn stale_deadlines(c: &mut Conn, limit: i64) -> Result<Vec<(i64, i64)>, StoreError> {
    // Two halves, each on an index (the open states; the finished tickets
    // that still carry a deadline), so that a quiet minute reads the open
    // tickets only, not every ticket ever.
    Ok(sqlx::query_as(
        "SELECT id, version FROM ( \
           SELECT id, version FROM tickets \
           WHERE state IN ('new', 'assigned', 'in_progress', 'on_hold', 'resolved') \
           AND (due_version IS NULL OR due_version <> version) \
           UNION ALL \
           SELECT id, version FROM tickets \
           WHERE due_at IS NOT NULL AND state IN ('closed', 'cancelled') \
           AND (due_version IS NULL OR due_version <> version) \
         ) AS stale ORDER BY id LIMIT $1",
    )
    .bind(limit)
    .fetch_all(&mut *c)
    .await?)
}

/// Keeps a ticket's deadlines, unless it changed since `version` was read.
pub(crate) async fn set_deadlines(
    c: &mut Conn,
    id: i64,
    version: i64,
    due: Option<i64>,
    soon: Option<i64>,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE tickets SET due_at = $1, due_soon_at = $2, due_version = $3 WHERE id = $4 AND version = $3",
    )
    .bind(due)
    .bind(soon)
    .bind(version)
    .bind(id)
    .execute(&mut *c)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Keeps many tickets' deadlines in one transaction: how many were kept
/// (a ticket that changed since its version was read is left for later).
pub(crate) async fn set_many_deadlines(
    c: &mut Conn,
    rows: &[(i64, i64, Option<i64>, Option<i64>)],
) -> Result<usize, StoreError> {
    let mut kept = 0;
    for &(id, version, due, soon) in rows {
        kept += usize::from(set_deadlines(&mut *c, id, version, due, soon).await?);
    }
    Ok(kept)
}

/// Marks every open ticket's deadlines to be worked out again.
pub(crate) async fn forget_deadlines(c: &mut Conn) -> Result<u64, StoreError> {
    let done = sqlx::query(
        "UPDATE tickets SET due_version = NULL \
         WHERE state IN ('new', 'assigned', 'in_progress', 'on_hold', 'resolved') AND due_version IS NOT NULL",
    )
    .execute(&mut *c)
    .await?;
    Ok(done.rows_affected())
}

/// The deadlines of some tickets: id, due, nearly due.
pub(crate) async fn deadlines_of(c: &mut Conn, ids: &[i64]) -> Result<Vec<(i64, i64, i64)>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = sqlx::QueryBuilder::<Db>::new(
        "SELECT id, due_at, due_soon_at FROM tickets WHERE due_at IS NOT NULL AND due_soon_at IS NOT NULL \
         AND state NOT IN ('closed', 'cancelled') AND id IN (",
    );
    let mut list = q.separated(", ");
    for id in ids {
        list.push_bind(*id);
    }
    q.push(")");
    Ok(q.build_query_as().fetch_all(&mut *c).await?)
}

/// Moves a ticket's history `micros` into the past, as if it had been
/// written then (the test suites' way to let time pass).
#[cfg(feature = "testing")]
pub(crate) async fn backdate(c: &mut Conn, id: i64, micros: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE events SET created_at = created_at - $1 WHERE ticket_id = $2")
        .bind(micros)
        .bind(id)
        .execute(&mut *c)
        .await?;
    sqlx::query(
        "UPDATE tickets SET created_at = created_at - $1, updated_at = updated_at - $1, \
         due_version = NULL WHERE id = $2",
    )
    .bind(micros)
    .bind(id)
    .execute(&mut *c)
    .await?;
    Ok(())
}

/// Deadlines to warn of at `now`: (ticket, `overdue` or `due_soon`, the
/// deadline), for open tickets whose deadlines are current and that were not
/// warned of that deadline yet.
pub(crate) async fn deadlines_to_warn(c: &mut Conn, now: i64, limit: i64) -> Result<Vec<(i64, String, i64)>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT id, kind, due_at FROM ( \
           SELECT t.id, 'overdue' AS kind, t.due_at FROM tickets t \
           WHERE t.due_at IS NOT NULL AND t.due_at <= $1 AND t.due_version = t.version \
           AND t.state IN ('new', 'assigned', 'in_progress', 'on_hold', 'resolved') \
           AND NOT EXISTS (SELECT 1 FROM deadline_warnings w \
             WHERE w.ticket_id = t.id AND w.kind = 'overdue' AND w.due_at = t.due_at) \
           UNION ALL \
           SELECT t.id, 'due_soon' AS kind, t.due_at FROM tickets t \
           WHERE t.due_soon_at IS NOT NULL AND t.due_soon_at <= $1 AND t.due_at > $1 \
           AND t.due_version = t.version \
           AND t.state IN ('new', 'assigned', 'in_progress', 'on_hold', 'resolved') \
           AND NOT EXISTS (SELECT 1 FROM deadline_warnings w \
             WHERE w.ticket_id = t.id AND w.kind = 'due_soon' AND w.due_at = t.due_at) \
         ) AS due ORDER BY due_at LIMIT $2",
    )
    .bind(now)
    .bind(limit)
    .fetch_all(&mut *c)
    .await?)
}

/// Records a warning: `false` if that deadline was warned of already.
pub(crate) async fn record_warning(c: &mut Conn, ticket: i64, kind: &str, due_at: i64, at: i64) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "INSERT INTO deadline_warnings (ticket_id, kind, due_at, warned_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT DO NOTHING",
    )
    .bind(ticket)
    .bind(kind)
    .bind(due_at)
    .bind(at)
    .execute(&mut *c)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Open tickets nearly due and overdue at `now`.
pub(crate) async fn due_counts(c: &mut Conn, now: i64) -> Result<(i64, i64), StoreError> {
    let (soon, overdue): (Option<i64>, Option<i64>) = sqlx::query_as(
        "SELECT CAST(SUM(CASE WHEN due_at > $1 THEN 1 ELSE 0 END) AS BIGINT), \
                CAST(SUM(CASE WHEN due_at <= $1 THEN 1 ELSE 0 END) AS BIGINT) \
         FROM tickets WHERE due_soon_at IS NOT NULL AND due_soon_at <= $1 AND due_at IS NOT NULL \
         AND state IN ('new', 'assigned', 'in_progress', 'on_hold', 'resolved')",
    )
    .bind(now)
    .fetch_one(&mut *c)
    .await?;
    Ok((soon.unwrap_or(0), overdue.unwrap_or(0)))
}
