// The filters of a ticket list as SQL: which tickets pass, in which order.
// Included once per backend (see lib.rs).

use crate::records::{TicketFilter, TicketSort, micros};
use sau_domain::State;

/// `ORDER BY` for a sort, on the ticket columns (`t.`) or on an id list's own.
pub(crate) fn sort_order(sort: TicketSort, prefix: &str) -> String {
    let p = prefix;
    match sort {
        TicketSort::CreatedDesc => format!(" ORDER BY {p}created_at DESC, {p}id DESC"),
        TicketSort::CreatedAsc => format!(" ORDER BY {p}created_at ASC, {p}id ASC"),
        TicketSort::UpdatedDesc => format!(" ORDER BY {p}updated_at DESC, {p}id DESC"),
        TicketSort::PriorityDesc => {
            format!(" ORDER BY {p}priority DESC, {p}created_at ASC, {p}id ASC")
        }
    }
}

/// `AND` the ticket passes `field`'s test. Values are kept as JSON (a text
/// in quotes, a number bare): a value given is looked for in both forms, and
/// compared and matched in its quoted form (in which dates still sort).
fn push_field_match(q: &mut sqlx::QueryBuilder<'_, Db>, field: &crate::records::FieldMatch) {
    use crate::records::FieldTest;
    let quoted = |v: &str| serde_json::to_string(v).unwrap_or_default();
    q.push(match field.test {
        FieldTest::Empty(true) => " AND t.id NOT IN (",
        _ => " AND t.id IN (",
    });
    q.push("SELECT v.ticket_id FROM ticket_field_values v WHERE v.field_key = ")
        .push_bind(field.key.clone());
    match &field.test {
        FieldTest::Empty(_) => {
            q.push(" AND v.value NOT IN ('', '\"\"')");
        }
        FieldTest::Equals(values) => {
            q.push(" AND v.value IN (");
            let mut list = q.separated(", ");
            for v in values {
                list.push_bind(quoted(v));
                list.push_bind(v.clone());
            }
            q.push(")");
        }
        FieldTest::Like(pattern) => {
            q.push(" AND (lower(v.value) LIKE lower(")
                .push_bind(quoted(pattern))
                .push(") ESCAPE '!' OR lower(v.value) LIKE lower(")
                .push_bind(pattern.clone())
                .push(") ESCAPE '!')");
        }
        FieldTest::Greater(v) => {
            q.push(" AND v.value > ").push_bind(quoted(v));
        }
        FieldTest::GreaterOrEqual(v) => {
            q.push(" AND v.value >= ").push_bind(quoted(v));
        }
        FieldTest::Smaller(v) => {
            q.push(" AND v.value < ").push_bind(quoted(v));
        }
        FieldTest::SmallerOrEqual(v) => {
            q.push(" AND v.value <= ").push_bind(quoted(v));
        }
    }
    q.push(")");
}

/// One page's ids (with their sort keys) among the tickets in `states` (any state
/// when empty) that pass every other filter.
pub(crate) fn push_page_ids(q: &mut sqlx::QueryBuilder<'_, Db>, filter: &TicketFilter, states: &[State], rows: i64) {
    q.push("SELECT t.id, t.created_at, t.updated_at, t.priority FROM ");
    match filter.text.as_deref() {
        // A search starts from what it found, usually a few tickets, and filters
        // those. `CROSS JOIN` keeps that order on SQLite, which could otherwise walk
        // a whole state's index checking each ticket against the matches;
        // PostgreSQL plans it as the inner join it is.
        Some(text) => {
            q.push("(");
            super::ticket_search::push_search_ids(q, text, filter.search_internal);
            q.push(") AS hit CROSS JOIN tickets t WHERE t.id = hit.id");
        }
        None => {
            q.push("tickets t WHERE 1 = 1");
        }
    }
    if !states.is_empty() {
        q.push(" AND t.state IN (");
        let mut list = q.separated(", ");
        for s in states {
            list.push_bind(s.as_str());
        }
        q.push(")");
    }
    let eq = |q: &mut sqlx::QueryBuilder<'_, Db>, col: &str, v: Option<i64>| {
        if let Some(v) = v {
            q.push(format!(" AND t.{col} = ")).push_bind(v);
        }
    };
    eq(q, "queue_id", filter.queue.map(|v| v.0));
    eq(q, "category_id", filter.category.map(|v| v.0));
    eq(q, "priority", filter.priority.map(i64::from));
    eq(q, "technician_id", filter.technician.map(|v| v.0));
    eq(q, "requester_id", filter.requester.map(|v| v.0));
    eq(q, "department_id", filter.department.map(|v| v.0));
    let any = |q: &mut sqlx::QueryBuilder<'_, Db>, col: &str, values: Vec<i64>| {
        if !values.is_empty() {
            q.push(format!(" AND t.{col} IN ("));
            let mut list = q.separated(", ");
            for v in values {
                list.push_bind(v);
            }
            q.push(")");
        }
    };
    any(q, "queue_id", filter.queues.iter().map(|v| v.0).collect());
    any(q, "category_id", filter.categories.iter().map(|v| v.0).collect());
    any(q, "priority", filter.priorities.iter().map(|p| i64::from(*p)).collect());
    any(q, "technician_id", filter.technicians.iter().map(|v| v.0).collect());
    match &filter.number_like {
        // A whole number: its unique index finds it at once.
        Some(number) if !number.contains(['%', '!']) => {
            q.push(" AND t.number = ").push_bind(number.clone());
        }
        _ => {}
    }
    let number_pattern = filter.number_like.as_ref().filter(|n| n.contains(['%', '!']));
    for (col, pattern) in [("title", filter.title_like.as_ref()), ("number", number_pattern)] {
        if let Some(pattern) = pattern {
            q.push(format!(" AND lower(t.{col}) LIKE lower("))
                .push_bind(pattern.clone())
                .push(") ESCAPE '!'");
        }
    }
    for field in &filter.fields {
        push_field_match(q, field);
    }
    for (col, from, to) in [
        ("created_at", filter.created_from, filter.created_to),
        ("updated_at", filter.updated_from, filter.updated_to),
        ("closed_at", filter.closed_from, filter.closed_to),
    ] {
        if let Some(from) = from {
            q.push(format!(" AND t.{col} >= ")).push_bind(micros(from));
        }
        if let Some(to) = to {
            q.push(format!(" AND t.{col} < ")).push_bind(micros(to));
        }
    }
    if let Some(at) = filter.overdue_at {
        q.push(" AND t.due_at <= ").push_bind(micros(at));
    }
    if let Some(at) = filter.nearly_due_at {
        q.push(" AND t.due_soon_at <= ").push_bind(micros(at));
        q.push(" AND t.due_at > ").push_bind(micros(at));
    }
    if let Some(after) = filter.after {
        match filter.sort {
            TicketSort::CreatedDesc => {
                q.push(" AND (t.created_at, t.id) < (").push_bind(after.key);
                q.push(", ").push_bind(after.id).push(")");
            }
            TicketSort::CreatedAsc => {
                q.push(" AND (t.created_at, t.id) > (").push_bind(after.key);
                q.push(", ").push_bind(after.id).push(")");
            }
            TicketSort::UpdatedDesc => {
                q.push(" AND (t.updated_at, t.id) < (").push_bind(after.key);
                q.push(", ").push_bind(after.id).push(")");
            }
            TicketSort::PriorityDesc => {
                q.push(" AND (t.priority < ").push_bind(after.key);
                q.push(" OR (t.priority = ").push_bind(after.key);
                q.push(" AND (t.created_at, t.id) > (").push_bind(after.second);
                q.push(", ").push_bind(after.id).push(")))");
            }
        }
    }
    q.push(sort_order(filter.sort, "t."));
    q.push(" LIMIT ").push_bind(rows);
}
