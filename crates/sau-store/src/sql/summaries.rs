// What a list shows of each ticket beyond its row: the start of its public
// conversation, how many open tickets each requester has, their latest tickets
// and how to reach them. Included once per
// backend (see lib.rs).

use crate::StoreError;
use crate::records::{ConversationHead, RecentTicket, from_micros};
use sau_domain::{Contact, EntryKind, State, TicketId, UserId};
use std::collections::HashMap;

/// Of each ticket in `ids`, the latest public entry of each kind from the
/// requester and from the agents: its description, its latest resolution, the
/// requester's latest reply, each cut to `max_chars` characters.
pub(crate) async fn conversation_heads(
    c: &mut Conn,
    ids: &[TicketId],
    max_chars: i64,
) -> Result<Vec<ConversationHead>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = sqlx::QueryBuilder::<Db>::new(
        "SELECT ticket_id, kind, by_requester, body, created_at FROM ( \
         SELECT e.ticket_id, e.kind, e.author_id = t.requester_id AS by_requester, \
         substr(e.body, 1, ",
    );
    // An `int4` for PostgreSQL's `substr(text, int, int)`.
    q.push_bind(i32::try_from(max_chars).unwrap_or(i32::MAX));
    q.push(
        ") AS body, e.created_at, ROW_NUMBER() OVER ( \
         PARTITION BY e.ticket_id, e.kind, e.author_id = t.requester_id ORDER BY e.id DESC) AS latest \
         FROM entries e JOIN tickets t ON t.id = e.ticket_id \
         WHERE e.visibility = 'public' AND e.ticket_id IN (",
    );
    let mut list = q.separated(", ");
    for id in ids {
        list.push_bind(id.0);
    }
    q.push(")) AS heads WHERE latest = 1");
    let rows: Vec<(i64, String, bool, String, i64)> = q.build_query_as().fetch_all(&mut *c).await?;
    rows.into_iter()
        .map(|(ticket, kind, by_requester, body, at)| {
            Ok(ConversationHead {
                ticket: TicketId(ticket),
                kind: EntryKind::parse(&kind)
                    .ok_or_else(|| StoreError::Corrupt(format!("entry kind {kind:?}")))?,
                by_requester,
                body,
                at: from_micros(at)?,
            })
        })
        .collect()
}

/// How many tickets each of `requesters` has open (any state but closed or
/// cancelled), each counted up to `cap`: past a few, "many" is all a list says,
/// and a requester with thousands of open tickets (a shared account, a load
/// test) would otherwise cost a count of every one on each view.
pub(crate) async fn open_tickets_of(
    c: &mut Conn,
    requesters: &[UserId],
    cap: i64,
) -> Result<HashMap<UserId, i64>, StoreError> {
    if requesters.is_empty() {
        return Ok(HashMap::new());
    }
    let mut q = sqlx::QueryBuilder::<Db>::new("");
    for (i, id) in requesters.iter().enumerate() {
        if i > 0 {
            q.push(" UNION ALL ");
        }
        q.push("SELECT ").push_bind(id.0);
        q.push(", COUNT(*) FROM (SELECT 1 FROM tickets WHERE requester_id = ").push_bind(id.0);
        q.push(" AND state NOT IN ('closed', 'cancelled') LIMIT ").push_bind(cap);
        q.push(format!(") AS r{i}"));
    }
    let rows: Vec<(i64, i64)> = q.build_query_as().fetch_all(&mut *c).await?;
    Ok(rows.into_iter().map(|(id, n)| (UserId(id), n)).collect())
}

/// Each of `requesters`' latest `per_requester` tickets, newest first. Each
/// requester's are read from the end of their own index range, so a requester
/// with thousands of tickets costs no more than one with three.
pub(crate) async fn recent_tickets_of(
    c: &mut Conn,
    requesters: &[UserId],
    per_requester: i64,
) -> Result<Vec<RecentTicket>, StoreError> {
    if requesters.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = sqlx::QueryBuilder::<Db>::new("");
    for (i, id) in requesters.iter().enumerate() {
        if i > 0 {
            q.push(" UNION ALL ");
        }
        q.push("SELECT * FROM (SELECT requester_id, number, title, state, created_at FROM tickets WHERE requester_id = ")
            .push_bind(id.0);
        q.push(" ORDER BY created_at DESC, id DESC LIMIT ").push_bind(per_requester);
        q.push(format!(") AS r{i}"));
    }
    let rows: Vec<(i64, String, String, String, i64)> = q.build_query_as().fetch_all(&mut *c).await?;
    let mut recent = rows
        .into_iter()
        .map(|(requester, number, title, state, at)| {
            Ok(RecentTicket {
                requester: UserId(requester),
                number,
                title,
                state: state.parse::<State>().map_err(StoreError::Corrupt)?,
                created_at: from_micros(at)?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    recent.sort_by_key(|r| std::cmp::Reverse(r.created_at));
    Ok(recent)
}

/// How to reach each of `users` (those with no contact on file included, empty).
pub(crate) async fn contacts_of(c: &mut Conn, users: &[UserId]) -> Result<HashMap<UserId, Contact>, StoreError> {
    if users.is_empty() {
        return Ok(HashMap::new());
    }
    let mut q = sqlx::QueryBuilder::<Db>::new("SELECT id, phone, extension, office FROM users WHERE id IN (");
    let mut list = q.separated(", ");
    for id in users {
        list.push_bind(id.0);
    }
    q.push(")");
    type ContactRow = (i64, Option<String>, Option<String>, Option<String>);
    let rows: Vec<ContactRow> = q.build_query_as().fetch_all(&mut *c).await?;
    Ok(rows
        .into_iter()
        .map(|(id, phone, extension, office)| {
            (
                UserId(id),
                Contact {
                    phone,
                    extension,
                    office,
                },
            )
        })
        .collect())
}
