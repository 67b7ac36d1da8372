// The measures of closed tickets and their sums per day, for the director's
// reports. Included once per backend (see lib.rs).

use crate::StoreError;
use crate::measures::{Dimension, MeasureDay, MeasureFilter, MeasureRecord};
use crate::records::{from_micros, micros};
use sau_domain::{CategoryId, DepartmentId, UserId};

/// Columns of `ticket_measures` after `ticket_id`, in `MeasureRecord`'s order.
const MEASURE_COLUMNS: &str = "day, closed_at, category_id, priority, technician_id, attention_mode, department_id, \
     waiting_assignment, waiting_acceptance, attention, waiting_closure, total, on_hold, \
     assign_met, accept_met, resolve_met, total_met, rating";

#[derive(sqlx::FromRow)]
struct MeasureRow {
    day: i64,
    closed_at: i64,
    category_id: i64,
    priority: i64,
    technician_id: i64,
    attention_mode: String,
    department_id: i64,
    waiting_assignment: i64,
    waiting_acceptance: i64,
    attention: i64,
    waiting_closure: i64,
    total: i64,
    on_hold: i64,
    assign_met: Option<i16>,
    accept_met: Option<i16>,
    resolve_met: Option<i16>,
    total_met: Option<i16>,
    rating: Option<i16>,
}

fn none_if_zero(id: i64) -> Option<i64> {
    (id != 0).then_some(id)
}

fn measure(r: MeasureRow) -> Result<MeasureRecord, StoreError> {
    Ok(MeasureRecord {
        day: r.day,
        closed_at: from_micros(r.closed_at)?,
        category: CategoryId(r.category_id),
        priority: r.priority,
        technician: none_if_zero(r.technician_id).map(UserId),
        mode: (!r.attention_mode.is_empty()).then_some(r.attention_mode),
        department: none_if_zero(r.department_id).map(DepartmentId),
        seconds: [r.waiting_assignment, r.waiting_acceptance, r.attention, r.waiting_closure, r.total],
        on_hold: r.on_hold,
        met: [r.assign_met, r.accept_met, r.resolve_met, r.total_met].map(|m| m.map(|m| m != 0)),
        rating: r.rating.and_then(|r| u8::try_from(r).ok()),
    })
}

/// Tickets changed since they were last measured: id and version.
pub(crate) async fn stale(c: &mut Conn, limit: i64) -> Result<Vec<(i64, i64)>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT id, version FROM tickets \
         WHERE measure_version IS NULL OR measure_version <> version ORDER BY id LIMIT $1",
    )
    .bind(limit)
    .fetch_all(&mut *c)
    .await?)
}

/// A ticket's measure, if it has one.
pub(crate) async fn of_ticket(c: &mut Conn, ticket: i64) -> Result<Option<MeasureRecord>, StoreError> {
    let sql = format!("SELECT {MEASURE_COLUMNS} FROM ticket_measures WHERE ticket_id = $1");
    let row: Option<MeasureRow> = sqlx::query_as(&sql).bind(ticket).fetch_optional(&mut *c).await?;
    row.map(measure).transpose()
}

#[derive(sqlx::FromRow)]
struct TicketMeasureRow {
    ticket_id: i64,
    #[sqlx(flatten)]
    measure: MeasureRow,
}

/// The measures of those of `ids` that have one.
pub(crate) async fn of_tickets(c: &mut Conn, ids: &[i64]) -> Result<Vec<(i64, MeasureRecord)>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = sqlx::QueryBuilder::<Db>::new(format!(
        "SELECT ticket_id, {MEASURE_COLUMNS} FROM ticket_measures WHERE ticket_id IN ("
    ));
    let mut list = q.separated(", ");
    for id in ids {
        list.push_bind(*id);
    }
    q.push(")");
    let rows: Vec<TicketMeasureRow> = q.build_query_as().fetch_all(&mut *c).await?;
    rows.into_iter().map(|r| Ok((r.ticket_id, measure(r.measure)?))).collect()
}

/// Adds a measure to the sums (`sign` 1) or takes it away (`sign` -1): a
/// row per dimension of its day, and a count per step of its minutes.
async fn add_to_sums(c: &mut Conn, m: &MeasureRecord, sign: i64) -> Result<(), StoreError> {
    let met = |i: usize| sign * i64::from(m.met[i] == Some(true));
    let measured = |i: usize| sign * i64::from(m.met[i].is_some());
    let rated = |score: u8| sign * i64::from(m.rating == Some(score));
    for dimension in Dimension::ALL {
        let mut q = sqlx::query(
            "INSERT INTO measure_days (day, dimension, value, \
               closed, waiting_assignment, waiting_acceptance, attention, waiting_closure, total, on_hold, \
               assign_met, assign_measured, accept_met, accept_measured, resolve_met, resolve_measured, \
               total_met, total_measured, rated_1, rated_2, rated_3, rated_4, rated_5) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, \
               $20, $21, $22, $23) \
             ON CONFLICT (day, dimension, value) DO UPDATE SET \
               closed = measure_days.closed + excluded.closed, \
               waiting_assignment = measure_days.waiting_assignment + excluded.waiting_assignment, \
               waiting_acceptance = measure_days.waiting_acceptance + excluded.waiting_acceptance, \
               attention = measure_days.attention + excluded.attention, \
               waiting_closure = measure_days.waiting_closure + excluded.waiting_closure, \
               total = measure_days.total + excluded.total, \
               on_hold = measure_days.on_hold + excluded.on_hold, \
               assign_met = measure_days.assign_met + excluded.assign_met, \
               assign_measured = measure_days.assign_measured + excluded.assign_measured, \
               accept_met = measure_days.accept_met + excluded.accept_met, \
               accept_measured = measure_days.accept_measured + excluded.accept_measured, \
               resolve_met = measure_days.resolve_met + excluded.resolve_met, \
               resolve_measured = measure_days.resolve_measured + excluded.resolve_measured, \
               total_met = measure_days.total_met + excluded.total_met, \
               total_measured = measure_days.total_measured + excluded.total_measured, \
               rated_1 = measure_days.rated_1 + excluded.rated_1, \
               rated_2 = measure_days.rated_2 + excluded.rated_2, \
               rated_3 = measure_days.rated_3 + excluded.rated_3, \
               rated_4 = measure_days.rated_4 + excluded.rated_4, \
               rated_5 = measure_days.rated_5 + excluded.rated_5",
        )
        .bind(m.day)
        .bind(dimension.number())
        .bind(dimension.value_of(m))
        .bind(sign);
        for seconds in m.seconds {
            q = q.bind(sign * seconds);
        }
        q = q.bind(sign * m.on_hold);
        for i in 0..4 {
            q = q.bind(met(i)).bind(measured(i));
        }
        for score in 1..=5 {
            q = q.bind(rated(score));
        }
        q.execute(&mut *c).await?;
    }
    for (step, seconds) in m.seconds.iter().enumerate() {
        sqlx::query(
            "INSERT INTO measure_minutes (day, step, minutes, tickets) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (day, step, minutes) DO UPDATE SET tickets = measure_minutes.tickets + excluded.tickets",
        )
        .bind(m.day)
        .bind(step as i16)
        .bind(seconds / 60)
        .bind(sign)
        .execute(&mut *c)
        .await?;
    }
    Ok(())
}

/// Keeps a ticket's measure (`None`: it has none), unless the ticket changed
/// since `version` was read: whether it was kept.
pub(crate) async fn set(c: &mut Conn, ticket: i64, version: i64, new: Option<&MeasureRecord>) -> Result<bool, StoreError> {
    let current = sqlx::query("UPDATE tickets SET measure_version = $1 WHERE id = $2 AND version = $1")
        .bind(version)
        .bind(ticket)
        .execute(&mut *c)
        .await?;
    if current.rows_affected() != 1 {
        return Ok(false);
    }
    let old = of_ticket(&mut *c, ticket).await?;
    if old.as_ref() == new {
        return Ok(true);
    }
    if let Some(old) = &old {
        add_to_sums(&mut *c, old, -1).await?;
        sqlx::query("DELETE FROM ticket_measures WHERE ticket_id = $1").bind(ticket).execute(&mut *c).await?;
    }
    if let Some(m) = new {
        let sql = format!(
            "INSERT INTO ticket_measures (ticket_id, {MEASURE_COLUMNS}) VALUES \
             ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)"
        );
        let mut q = sqlx::query(&sql)
            .bind(ticket)
            .bind(m.day)
            .bind(micros(m.closed_at))
            .bind(m.category.0)
            .bind(m.priority)
            .bind(m.technician.map_or(0, |t| t.0))
            .bind(m.mode.clone().unwrap_or_default())
            .bind(m.department.map_or(0, |d| d.0));
        for seconds in m.seconds {
            q = q.bind(seconds);
        }
        q = q.bind(m.on_hold);
        for met in m.met {
            q = q.bind(met.map(i16::from));
        }
        q.bind(m.rating.map(i16::from)).execute(&mut *c).await?;
        add_to_sums(&mut *c, m, 1).await?;
    }
    Ok(true)
}

/// Pushes the filter's conditions (after a `WHERE` on the day range).
fn push_filter(q: &mut sqlx::QueryBuilder<'_, Db>, f: &MeasureFilter) {
    q.push(" day >= ").push_bind(f.from_day).push(" AND day < ").push_bind(f.to_day);
    if let Some(category) = f.category {
        q.push(" AND category_id = ").push_bind(category.0);
    }
    if let Some(priority) = f.priority {
        q.push(" AND priority = ").push_bind(priority);
    }
    if let Some(technician) = f.technician {
        q.push(" AND technician_id = ").push_bind(technician.0);
    }
    if let Some(mode) = &f.mode {
        q.push(" AND attention_mode = ").push_bind(mode.clone());
    }
    if let Some(department) = f.department {
        q.push(" AND department_id = ").push_bind(department.0);
    }
}

/// The sums columns, in `DayRow`'s order after the keys.
const SUMS: &str = "closed, waiting_assignment, waiting_acceptance, attention, waiting_closure, total, on_hold, \
     assign_met, assign_measured, accept_met, accept_measured, resolve_met, resolve_measured, \
     total_met, total_measured, rated_1, rated_2, rated_3, rated_4, rated_5";

#[derive(sqlx::FromRow)]
struct Sums {
    closed: i64,
    waiting_assignment: i64,
    waiting_acceptance: i64,
    attention: i64,
    waiting_closure: i64,
    total: i64,
    on_hold: i64,
    assign_met: i64,
    assign_measured: i64,
    accept_met: i64,
    accept_measured: i64,
    resolve_met: i64,
    resolve_measured: i64,
    total_met: i64,
    total_measured: i64,
    rated_1: i64,
    rated_2: i64,
    rated_3: i64,
    rated_4: i64,
    rated_5: i64,
}

impl Sums {
    fn day(&self, day: i64, dimension: Dimension, value: i64) -> MeasureDay {
        MeasureDay {
            day,
            dimension,
            value,
            closed: self.closed,
            seconds: [self.waiting_assignment, self.waiting_acceptance, self.attention, self.waiting_closure, self.total],
            on_hold: self.on_hold,
            compliance: [
                (self.assign_met, self.assign_measured),
                (self.accept_met, self.accept_measured),
                (self.resolve_met, self.resolve_measured),
                (self.total_met, self.total_measured),
            ],
            rated: [self.rated_1, self.rated_2, self.rated_3, self.rated_4, self.rated_5],
        }
    }
}

#[derive(sqlx::FromRow)]
struct DayRow {
    day: i64,
    dimension: i16,
    value: i64,
    #[sqlx(flatten)]
    sums: Sums,
}


/// The kept sums of the filter's days (its other choices aside), per day,
/// dimension and value.
pub(crate) async fn days(c: &mut Conn, f: &MeasureFilter) -> Result<Vec<MeasureDay>, StoreError> {
    let sql = format!(
        "SELECT day, dimension, value, {SUMS} FROM measure_days WHERE closed > 0 AND day >= $1 AND day < $2"
    );
    let rows: Vec<DayRow> = sqlx::query_as(&sql).bind(f.from_day).bind(f.to_day).fetch_all(&mut *c).await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| Some(r.sums.day(r.day, Dimension::from_number(r.dimension)?, r.value)))
        .collect())
}

/// How many tickets spent each whole minute on each step in the filter's
/// days (its other choices aside): (step, minutes, tickets), by step and minutes.
pub(crate) async fn minutes(c: &mut Conn, f: &MeasureFilter) -> Result<Vec<(i16, i64, i64)>, StoreError> {
    let mut q = sqlx::QueryBuilder::<Db>::new(
        "SELECT step, minutes, CAST(SUM(tickets) AS BIGINT) FROM measure_minutes WHERE day >= ",
    );
    q.push_bind(f.from_day).push(" AND day < ").push_bind(f.to_day);
    q.push(" GROUP BY step, minutes HAVING SUM(tickets) > 0 ORDER BY step, minutes");
    Ok(q.build_query_as().fetch_all(&mut *c).await?)
}

/// The measures `filter` chooses, added up as they are read.
pub(crate) async fn sum_chosen(
    c: &mut Conn,
    f: &MeasureFilter,
) -> Result<(Vec<MeasureDay>, Vec<(usize, i64, i64)>), StoreError> {
    use futures::TryStreamExt;
    let mut q = sqlx::QueryBuilder::<Db>::new(format!("SELECT {MEASURE_COLUMNS} FROM ticket_measures WHERE"));
    push_filter(&mut q, f);
    let mut sums = crate::measures::MeasureSums::default();
    let mut rows = q.build_query_as::<MeasureRow>().fetch(&mut *c);
    while let Some(row) = rows.try_next().await? {
        sums.add(&measure(row)?);
    }
    Ok(sums.finish())
}

/// The open tickets now, counted per state, category, department,
/// technician and attention mode.
pub(crate) async fn open_now(
    c: &mut Conn,
) -> Result<Vec<(String, i64, Option<i64>, Option<i64>, Option<String>, i64)>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT state, category_id, department_id, technician_id, attention_mode, COUNT(*) FROM tickets \
         WHERE state IN ('new', 'assigned', 'in_progress', 'on_hold', 'resolved') \
         GROUP BY state, category_id, department_id, technician_id, attention_mode",
    )
    .fetch_all(&mut *c)
    .await?)
}

/// Tickets received per hour from `from` to `to` (microseconds), of the
/// filter's category, priority, technician, mode and department: (hour since
/// the epoch, tickets).
pub(crate) async fn received_by_hour(c: &mut Conn, from: i64, to: i64, f: &MeasureFilter) -> Result<Vec<(i64, i64)>, StoreError> {
    let mut q = sqlx::QueryBuilder::<Db>::new(
        "SELECT created_at / 3600000000 AS h, COUNT(*) FROM tickets WHERE created_at >= ",
    );
    q.push_bind(from).push(" AND created_at < ").push_bind(to);
    if let Some(category) = f.category {
        q.push(" AND category_id = ").push_bind(category.0);
    }
    if let Some(priority) = f.priority {
        q.push(" AND priority = ").push_bind(priority);
    }
    if let Some(technician) = f.technician {
        q.push(" AND technician_id = ").push_bind(technician.0);
    }
    if let Some(mode) = &f.mode {
        q.push(" AND attention_mode = ").push_bind(mode.clone());
    }
    if let Some(department) = f.department {
        q.push(" AND department_id = ").push_bind(department.0);
    }
    q.push(" GROUP BY h ORDER BY h");
    Ok(q.build_query_as().fetch_all(&mut *c).await?)
}

/// Sets the times of a ticket's events, in order, as if they had happened
/// then (the test suites' way to write a history).
#[cfg(feature = "testing")]
pub(crate) async fn retime(c: &mut Conn, id: i64, times: &[i64]) -> Result<(), StoreError> {
    let seqs: Vec<(i64,)> = sqlx::query_as("SELECT seq FROM events WHERE ticket_id = $1 ORDER BY seq")
        .bind(id)
        .fetch_all(&mut *c)
        .await?;
    if seqs.len() != times.len() {
        return Err(StoreError::Corrupt(format!("{} events, {} times", seqs.len(), times.len())));
    }
    for ((seq,), at) in seqs.iter().zip(times) {
        sqlx::query("UPDATE events SET created_at = $1 WHERE ticket_id = $2 AND seq = $3")
            .bind(at)
            .bind(id)
            .bind(seq)
            .execute(&mut *c)
            .await?;
    }
    sqlx::query(
        "UPDATE tickets SET created_at = $1, updated_at = $2, measure_version = NULL, due_version = NULL \
         WHERE id = $3",
    )
    .bind(times.first().copied().unwrap_or_default())
    .bind(times.last().copied().unwrap_or_default())
    .bind(id)
    .execute(&mut *c)
    .await?;
    Ok(())
}
