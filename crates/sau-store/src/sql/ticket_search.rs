// What a ticket search looks in: one document per ticket, in a full-text index of
// its own (migration `0013_ticket_search_document.sql`). Included once per backend
// (see lib.rs).
//
// A ticket's document is its title, its requester's name and login, its field
// values and its description. All of them are fixed when the ticket is created,
// except the requester's name, so a ticket is indexed once and again only when its
// requester is renamed. One document rather than an index per source keeps "every
// word must match" true across them: "García impresora" finds García's printer.

use crate::StoreError;
use sau_domain::UserId;

/// The document of each ticket `t` (joined with its requester `u`). The same SQL on
/// both backends: SQLite 3.44+ has `concat_ws` and `string_agg` too.
const DOCUMENT: &str = "concat_ws(' ', t.title, u.display_name, u.login, \
     (SELECT string_agg(v.value, ' ') FROM ticket_field_values v WHERE v.ticket_id = t.id), \
     (SELECT e.body FROM entries e WHERE e.ticket_id = t.id AND e.kind = 'description' LIMIT 1))";

/// SQLite: whether tickets exist that the index has not taken in yet. New tickets
/// enter it in batches, when the writer has a moment and before any search, not
/// inside each ticket's own transaction, which cost creates half their speed.
pub(crate) async fn tickets_pending(c: &mut Conn) -> Result<bool, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM tickets WHERE id > (SELECT last_ticket FROM search_index_progress))",
    )
    .fetch_one(&mut *c)
    .await?)
}

/// SQLite: takes every ticket the index has not seen into it, in one go. Runs on
/// the writer, so no ticket can be added in between.
pub(crate) async fn index_new_tickets(c: &mut Conn) -> Result<u64, StoreError> {
    let sql = format!(
        "INSERT INTO ticket_search (rowid, document) SELECT t.id, {DOCUMENT} \
         FROM tickets t JOIN users u ON u.id = t.requester_id \
         WHERE t.id > (SELECT last_ticket FROM search_index_progress) ORDER BY t.id"
    );
    let done = sqlx::query(&sql).execute(&mut *c).await?;
    // Nothing new, nothing to write (and the commit stays free).
    if done.rows_affected() > 0 {
        sqlx::query("UPDATE search_index_progress SET last_ticket = (SELECT MAX(id) FROM tickets)")
            .execute(&mut *c)
            .await?;
    }
    Ok(done.rows_affected())
}

/// PostgreSQL: indexes a ticket just written, in its own transaction (the GIN
/// index takes it into its pending list cheaply). SQLite's batches do it later.
pub(crate) async fn index_ticket(c: &mut Conn, id: i64) -> Result<(), StoreError> {
    if let crate::Dialect::Postgres = DIALECT {
        let sql = format!(
            "INSERT INTO ticket_search (ticket_id, document) SELECT t.id, sau_search_document({DOCUMENT}) \
             FROM tickets t JOIN users u ON u.id = t.requester_id WHERE t.id = $1"
        );
        sqlx::query(&sql).bind(id).execute(&mut *c).await?;
    }
    Ok(())
}

/// Rewrites the documents of a requester's tickets, after their name changed.
pub(crate) async fn reindex_requester(c: &mut Conn, requester: UserId) -> Result<(), StoreError> {
    match DIALECT {
        crate::Dialect::Sqlite => {
            // Tickets the batches have not reached yet get the new name from them.
            let indexed = "t.requester_id = $1 AND t.id <= (SELECT last_ticket FROM search_index_progress)";
            sqlx::query(&format!(
                "DELETE FROM ticket_search WHERE rowid IN (SELECT t.id FROM tickets t WHERE {indexed})"
            ))
            .bind(requester.0)
            .execute(&mut *c)
            .await?;
            sqlx::query(&format!(
                "INSERT INTO ticket_search (rowid, document) SELECT t.id, {DOCUMENT} \
                 FROM tickets t JOIN users u ON u.id = t.requester_id WHERE {indexed}"
            ))
            .bind(requester.0)
            .execute(&mut *c)
            .await?;
        }
        crate::Dialect::Postgres => {
            sqlx::query(&format!(
                "UPDATE ticket_search s SET document = sau_search_document({DOCUMENT}) \
                 FROM tickets t JOIN users u ON u.id = t.requester_id \
                 WHERE s.ticket_id = t.id AND t.requester_id = $1"
            ))
            .bind(requester.0)
            .execute(&mut *c)
            .await?;
        }
    }
    Ok(())
}

/// The ids of the tickets a search text finds: words from the full-text index and,
/// for digits, numbers that start with them. Each set comes from its own index,
/// joined with `UNION`: an `OR` of the two would leave the database no index to
/// use, and it would read every ticket.
pub(crate) fn push_search_ids(q: &mut sqlx::QueryBuilder<'_, Db>, text: &str) {
    let words = crate::search::words(text);
    let numbers = crate::search::number_range(text);
    if words.is_empty() && numbers.is_none() {
        // Nothing searchable was typed (only punctuation): nothing matches.
        q.push("SELECT id FROM tickets WHERE 1 = 0");
        return;
    }
    if !words.is_empty() {
        match DIALECT {
            crate::Dialect::Sqlite => {
                q.push("SELECT rowid AS id FROM ticket_search WHERE ticket_search MATCH ")
                    .push_bind(crate::search::fts5_query(&words));
            }
            crate::Dialect::Postgres => {
                q.push("SELECT ticket_id AS id FROM ticket_search WHERE document @@ sau_search_query(")
                    .push_bind(crate::search::tsquery(&words))
                    .push(")");
            }
        }
    }
    if let Some((from, to)) = numbers {
        if !words.is_empty() {
            q.push(" UNION ");
        }
        q.push("SELECT id FROM tickets WHERE number >= ").push_bind(from);
        if let Some(to) = to {
            q.push(" AND number < ").push_bind(to);
        }
    }
}
