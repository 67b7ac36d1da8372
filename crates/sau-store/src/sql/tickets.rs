// Tickets, their events and entries. Included once per backend (see lib.rs).

use crate::StoreError;
use crate::records::{
    Cursor, EntryRecord, NewTicket, StoredEvent, TicketChange, TicketFilter, TicketPage,
    TicketRecord, TicketSort, UserRef, from_micros, micros,
};
use crate::rows::{TICKET_SELECT_POSTGRES, TICKET_SELECT_SQLITE, TicketRow};
use super::ticket_filters::{push_page_ids, sort_order};

const TICKET_SELECT: &str = match DIALECT {
    crate::Dialect::Sqlite => TICKET_SELECT_SQLITE,
    crate::Dialect::Postgres => TICKET_SELECT_POSTGRES,
};
use sau_domain::{
    EntryId, EntryKind, Event, EventKind, Ticket, TicketId, UserId, Visibility,
    date_checksum_number,
};

/// The day's next counter value (see `Store::reserve_ticket_number` for when it
/// is taken in a transaction of its own).
pub(crate) async fn next_counter(c: &mut Conn, day: &str) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO ticket_counters (day, counter) VALUES ($1, 1) \
         ON CONFLICT (day) DO UPDATE SET counter = ticket_counters.counter + 1 RETURNING counter",
    )
    .bind(day)
    .fetch_one(&mut *c)
    .await?)
}

pub(crate) fn counter_day(day: jiff::civil::Date) -> String {
    day.strftime("%Y%m%d").to_string()
}

/// Writes a new ticket: takes the day's next number (skipping any already taken, as
/// imported OTRS numbers may be), the ticket row, its field values, the submission
/// event and the description entry. `reserved` is a counter value taken beforehand
/// with [`next_counter`], if any.
pub(crate) async fn create_ticket(
    c: &mut Conn,
    new: NewTicket,
    mut reserved: Option<i64>,
) -> Result<Ticket, StoreError> {
    let day = counter_day(new.day);
    let (id, number) = loop {
        let counter = match reserved.take() {
            Some(counter) => counter,
            None => next_counter(c, &day).await?,
        };
        let number = date_checksum_number(new.day, new.system_id, counter as u64);
        let probe = Ticket::open(TicketId(0), number.clone(), &new.submitted)
            .ok_or_else(|| StoreError::Corrupt("a new ticket needs a submission".into()))?;
        let id: Option<i64> = sqlx::query_scalar(
            "INSERT INTO tickets (number, title, category_id, queue_id, priority, state, requester_id, \
             department_id, technician_id, attention_mode, remote_tool, remote_id, created_at, updated_at, \
             assigned_at, resolved_at, closed_at, version) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, NULL, NULL, NULL, $9, $9, NULL, NULL, NULL, $10) \
             ON CONFLICT (number) DO NOTHING RETURNING id",
        )
        .bind(&probe.number)
        .bind(&probe.title)
        .bind(probe.category.0)
        .bind(probe.queue.0)
        .bind(i64::from(probe.priority))
        .bind(probe.state.as_str())
        .bind(probe.requester.0)
        .bind(probe.department.map(|d| d.0))
        .bind(micros(probe.created_at))
        .bind(probe.version)
        .fetch_optional(&mut *c)
        .await?;
        if let Some(id) = id {
            break (id, number);
        }
    };
    let ticket = Ticket::open(TicketId(id), number, &new.submitted)
        .ok_or_else(|| StoreError::Corrupt("a new ticket needs a submission".into()))?;
    if !ticket.fields.is_empty() {
        let mut insert = sqlx::QueryBuilder::<Db>::new(
            "INSERT INTO ticket_field_values (ticket_id, field_key, value) ",
        );
        insert.push_values(&ticket.fields, |mut row, (key, value)| {
            row.push_bind(id)
                .push_bind(key.clone())
                .push_bind(serde_json::to_string(value).unwrap_or_default());
        });
        insert.build().execute(&mut *c).await?;
    }
    insert_event(c, TicketId(id), ticket.version, &new.submitted, &new.channel).await?;
    super::ticket_search::index_ticket(c, id).await?;
    Ok(ticket)
}

async fn insert_event(
    c: &mut Conn,
    ticket: TicketId,
    seq: i64,
    event: &Event,
    channel: &str,
) -> Result<i64, StoreError> {
    let event_id: i64 = sqlx::query_scalar(
        "INSERT INTO events (ticket_id, seq, actor_id, kind, data, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(ticket.0)
    .bind(seq)
    .bind(event.actor.0)
    .bind(event.kind.name())
    .bind(serde_json::to_string(&event.kind)?)
    .bind(micros(event.at))
    .fetch_one(&mut *c)
    .await?;
    if let Some(entry) = event.kind.entry() {
        let entry_id: i64 = sqlx::query_scalar(
            "INSERT INTO entries (ticket_id, event_id, author_id, kind, body, visibility, channel, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(ticket.0)
        .bind(event_id)
        .bind(event.actor.0)
        .bind(entry.kind.as_str())
        .bind(entry.body)
        .bind(entry.visibility.as_str())
        .bind(channel)
        .bind(micros(event.at))
        .fetch_one(&mut *c)
        .await?;
        if !entry.attachments.is_empty() {
            let mut insert = sqlx::QueryBuilder::<Db>::new(
                "INSERT INTO attachments (entry_id, filename, content_type, size, sha256, blob_key, created_at) ",
            );
            insert.push_values(entry.attachments, |mut row, a| {
                row.push_bind(entry_id)
                    .push_bind(a.filename.clone())
                    .push_bind(a.kind.mime_type())
                    .push_bind(i64::try_from(a.size).unwrap_or(i64::MAX))
                    .push_bind(a.sha256.clone())
                    // Content-addressed: the key is the hash, never the name.
                    .push_bind(a.sha256.clone())
                    .push_bind(micros(event.at));
            });
            insert.build().execute(&mut *c).await?;
        }
    }
    Ok(event_id)
}

/// Appends a command's events and rewrites the ticket row, only if the row is still
/// at the version the command was decided on.
pub(crate) async fn record_change(c: &mut Conn, change: TicketChange) -> Result<Ticket, StoreError> {
    let t = &change.ticket;
    let updated = sqlx::query(
        "UPDATE tickets SET title = $1, category_id = $2, queue_id = $3, priority = $4, state = $5, \
         technician_id = $6, attention_mode = $7, remote_tool = $8, remote_id = $9, updated_at = $10, \
         assigned_at = $11, resolved_at = $12, closed_at = $13, version = $14, setback = $15, \
         confirmed = $16, held_until = $17 WHERE id = $18 AND version = $19",
    )
    .bind(&t.title)
    .bind(t.category.0)
    .bind(t.queue.0)
    .bind(i64::from(t.priority))
    .bind(t.state.as_str())
    .bind(t.technician.map(|u| u.0))
    .bind(t.attention.as_ref().map(|a| a.mode.as_str()))
    .bind(t.attention.as_ref().and_then(|a| a.remote_tool.clone()))
    .bind(t.attention.as_ref().and_then(|a| a.remote_id.clone()))
    .bind(micros(t.updated_at))
    .bind(t.assigned_at.map(micros))
    .bind(t.resolved_at.map(micros))
    .bind(t.closed_at.map(micros))
    .bind(t.version)
    .bind(t.setback.map(|s| s.as_str()))
    .bind(t.confirmed)
    .bind(t.held_until.map(micros))
    .bind(t.id.0)
    .bind(change.expected_version)
    .execute(&mut *c)
    .await?;
    if updated.rows_affected() == 0 {
        return Err(StoreError::StaleVersion);
    }
    let first_seq = change.expected_version + 1;
    for (i, event) in change.events.iter().enumerate() {
        insert_event(c, t.id, first_seq + i as i64, event, &change.channel).await?;
        if let EventKind::FieldChanged { key, to, .. } = &event.kind {
            set_field_value(c, t.id, key, to.as_ref()).await?;
        }
    }
    // What the ticket says changed: its search document follows, in this transaction.
    if change.events.iter().any(|e| changes_text(&e.kind)) {
        super::ticket_search::reindex_ticket(c, t.id).await?;
    }
    Ok(change.ticket)
}

/// Whether an event changes what a ticket's search document holds.
fn changes_text(kind: &EventKind) -> bool {
    kind.entry().is_some()
        || matches!(kind, EventKind::Retitled { .. } | EventKind::FieldChanged { .. })
}

/// Keeps a ticket's field value row as a correction left it (none: no row).
async fn set_field_value(
    c: &mut Conn,
    ticket: TicketId,
    key: &str,
    value: Option<&sau_domain::FieldValue>,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM ticket_field_values WHERE ticket_id = $1 AND field_key = $2")
        .bind(ticket.0)
        .bind(key)
        .execute(&mut *c)
        .await?;
    if let Some(value) = value {
        sqlx::query("INSERT INTO ticket_field_values (ticket_id, field_key, value) VALUES ($1, $2, $3)")
            .bind(ticket.0)
            .bind(key)
            .bind(serde_json::to_string(value)?)
            .execute(&mut *c)
            .await?;
    }
    Ok(())
}

/// Reads a ticket inside a write transaction, locking its row on PostgreSQL (on
/// SQLite the single writer already excludes every other write).
pub(crate) async fn ticket_for_update(c: &mut Conn, id: TicketId) -> Result<Option<Ticket>, StoreError> {
    let lock = match DIALECT {
        crate::Dialect::Postgres => " FOR UPDATE OF t",
        crate::Dialect::Sqlite => "",
    };
    let sql = format!("{TICKET_SELECT} WHERE t.id = $1{lock}");
    let row: Option<TicketRow> = sqlx::query_as(&sql).bind(id.0).fetch_optional(&mut *c).await?;
    Ok(records(row.into_iter().collect())?.pop().map(|r| r.ticket))
}

fn records(rows: Vec<TicketRow>) -> Result<Vec<TicketRecord>, StoreError> {
    rows.into_iter().map(TicketRow::into_record).collect()
}

pub(crate) async fn ticket_by_number(
    c: &mut Conn,
    number: &str,
) -> Result<Option<TicketRecord>, StoreError> {
    let sql = format!("{TICKET_SELECT} WHERE t.number = $1");
    let row: Option<TicketRow> = sqlx::query_as(&sql).bind(number).fetch_optional(&mut *c).await?;
    Ok(records(row.into_iter().collect())?.pop())
}

pub(crate) async fn ticket_by_id(c: &mut Conn, id: TicketId) -> Result<Option<TicketRecord>, StoreError> {
    let sql = format!("{TICKET_SELECT} WHERE t.id = $1");
    let row: Option<TicketRow> = sqlx::query_as(&sql).bind(id.0).fetch_optional(&mut *c).await?;
    Ok(records(row.into_iter().collect())?.pop())
}

pub(crate) async fn list_tickets(c: &mut Conn, filter: &TicketFilter) -> Result<TicketPage, StoreError> {
    let limit = filter.limit.clamp(1, 500);
    // One extra row tells whether another page follows.
    let rows = i64::from(limit) + 1;
    // The page's ids first, from `tickets` alone, then the names and field values
    // for those few rows only: the database sorts and limits narrow rows, never
    // gathering field values for tickets that do not make the page.
    let mut q = sqlx::QueryBuilder::<Db>::new(TICKET_SELECT);
    q.push(" WHERE t.id IN (");
    if filter.states.len() > 1 && filter.text.is_none() {
        // Several states (the open ones, say) and no search: each state's first
        // rows come from its own `(state, sort key)` index and the few are merged. Left to itself
        // the database would gather every ticket in those states and sort them all,
        // which with many open tickets is most of the table.
        q.push("SELECT id FROM (");
        for (i, state) in filter.states.iter().enumerate() {
            if i > 0 {
                q.push(" UNION ALL ");
            }
            q.push("SELECT * FROM (");
            push_page_ids(&mut q, filter, std::slice::from_ref(state), rows);
            q.push(format!(") AS s{i}"));
        }
        q.push(") AS page");
        q.push(sort_order(filter.sort, ""));
        q.push(" LIMIT ").push_bind(rows);
    } else {
        q.push("SELECT id FROM (");
        push_page_ids(&mut q, filter, &filter.states, rows);
        q.push(") AS page");
    }
    q.push(")").push(sort_order(filter.sort, "t."));
    let mut rows: Vec<TicketRow> = q.build_query_as().fetch_all(&mut *c).await?;
    let more = rows.len() > limit as usize;
    rows.truncate(limit as usize);
    let next = more
        .then(|| rows.last())
        .flatten()
        .map(|last| match filter.sort {
            TicketSort::CreatedDesc | TicketSort::CreatedAsc => Cursor {
                key: last.created_at,
                second: 0,
                id: last.id,
            },
            TicketSort::UpdatedDesc => Cursor {
                key: last.updated_at,
                second: 0,
                id: last.id,
            },
            TicketSort::PriorityDesc => Cursor {
                key: last.priority,
                second: last.created_at,
                id: last.id,
            },
        });
    Ok(TicketPage {
        tickets: records(rows)?,
        next,
    })
}

pub(crate) async fn ticket_events(c: &mut Conn, id: TicketId) -> Result<Vec<StoredEvent>, StoreError> {
    let rows: Vec<(i64, i64, i64, String, String, String, i64)> = sqlx::query_as(
        "SELECT e.id, e.seq, e.actor_id, u.login, u.display_name, e.data, e.created_at \
         FROM events e JOIN users u ON u.id = e.actor_id WHERE e.ticket_id = $1 ORDER BY e.seq",
    )
    .bind(id.0)
    .fetch_all(&mut *c)
    .await?;
    rows.into_iter()
        .map(|(id, seq, actor, login, display_name, data, at)| {
            Ok(StoredEvent {
                id,
                seq,
                actor: UserRef {
                    id: UserId(actor),
                    login,
                    display_name,
                },
                event: Event {
                    actor: UserId(actor),
                    at: from_micros(at)?,
                    kind: serde_json::from_str(&data)?,
                },
            })
        })
        .collect()
}

/// id, author id, login, name, kind, body, visibility, channel, created at.
type EntryRow = (i64, i64, String, String, String, String, String, String, i64);

pub(crate) async fn ticket_entries(
    c: &mut Conn,
    id: TicketId,
    include_internal: bool,
) -> Result<Vec<EntryRecord>, StoreError> {
    let rows: Vec<EntryRow> = sqlx::query_as(
        "SELECT e.id, e.author_id, u.login, u.display_name, e.kind, e.body, e.visibility, e.channel, e.created_at \
         FROM entries e JOIN users u ON u.id = e.author_id \
         WHERE e.ticket_id = $1 AND (e.visibility = 'public' OR $2) ORDER BY e.id",
    )
    .bind(id.0)
    .bind(include_internal)
    .fetch_all(&mut *c)
    .await?;
    let mut files = super::attachments::of_ticket(c, id, include_internal).await?;
    rows.into_iter()
        .map(|(id, author, login, display_name, kind, body, visibility, channel, at)| {
            Ok(EntryRecord {
                attachments: files.remove(&id).unwrap_or_default(),
                id: EntryId(id),
                author: UserRef {
                    id: UserId(author),
                    login,
                    display_name,
                },
                kind: EntryKind::parse(&kind).ok_or_else(|| {
                    StoreError::Corrupt(format!("entry {id} has unknown kind {kind:?}"))
                })?,
                body,
                visibility: Visibility::from_stored(&visibility),
                channel,
                created_at: from_micros(at)?,
            })
        })
        .collect()
}
