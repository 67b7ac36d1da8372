// What a ticket search looks in: one document per ticket, in a full-text index of
// its own (migrations `0013_ticket_search_document.sql`, `0033_ticket_search_entries.sql`).
// Included once per backend (see lib.rs).
//
// A ticket's document is everything it says: its title, its requester's name and
// login, its field values, every entry, every attachment's name and the text read
// inside the attachment (see `attachments::record_text`). It has two
// parts, what the requester may read and the internal notes only agents read, so
// a requester's search can ask the first part alone (SQLite: two columns;
// PostgreSQL: weights A and B of one tsvector). One document rather than an index
// per source keeps "every word must match" true across them: "García impresora"
// finds García's printer. A ticket is indexed when created and again when an entry
// is added, its title or fields change, or its requester is renamed.

use crate::StoreError;
use crate::snippet::{HitPlace, Source};
use sau_domain::{AttachmentId, EntryKind, TicketId, UserId, Visibility};

/// What the requester of ticket `t` (joined with its requester `u`) may read of it.
/// The same SQL on both backends: SQLite 3.44+ has `concat_ws` and `string_agg` too.
/// Files count with their names and the text read inside them (`attachment_texts`,
/// each at most 64 Ki characters), all of a part's files together cut at 256 Ki
/// characters: PostgreSQL refuses a text-search document over 1 MB, and a ticket
/// with a hundred long PDFs must still take a new comment.
const PUBLIC_TEXT: &str = "concat_ws(' ', t.title, u.display_name, u.login, \
     (SELECT string_agg(v.value, ' ') FROM ticket_field_values v WHERE v.ticket_id = t.id), \
     (SELECT string_agg(e.body, ' ') FROM entries e WHERE e.ticket_id = t.id AND e.visibility = 'public'), \
     substr((SELECT string_agg(concat_ws(' ', a.filename, x.body), ' ') \
      FROM entries e JOIN attachments a ON a.entry_id = e.id LEFT JOIN attachment_texts x ON x.sha256 = a.sha256 \
      WHERE e.ticket_id = t.id AND e.visibility = 'public'), 1, 262144))";

/// The internal notes of ticket `t` and their files' names, for agents alone.
const INTERNAL_TEXT: &str = "concat_ws(' ', \
     (SELECT string_agg(e.body, ' ') FROM entries e WHERE e.ticket_id = t.id AND e.visibility = 'internal'), \
     substr((SELECT string_agg(concat_ws(' ', a.filename, x.body), ' ') \
      FROM entries e JOIN attachments a ON a.entry_id = e.id LEFT JOIN attachment_texts x ON x.sha256 = a.sha256 \
      WHERE e.ticket_id = t.id AND e.visibility = 'internal'), 1, 262144))";

/// The index's columns and, in the same order, the values for ticket `t`.
fn document() -> (&'static str, String) {
    match DIALECT {
        crate::Dialect::Sqlite => ("public, internal", format!("{PUBLIC_TEXT}, {INTERNAL_TEXT}")),
        crate::Dialect::Postgres => (
            "document",
            format!(
                "setweight(sau_search_document({PUBLIC_TEXT}), 'A') \
                 || setweight(sau_search_document({INTERNAL_TEXT}), 'B')"
            ),
        ),
    }
}

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
    let (columns, values) = document();
    let sql = format!(
        "INSERT INTO ticket_search (rowid, {columns}) SELECT t.id, {values} \
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
        let (columns, values) = document();
        let sql = format!(
            "INSERT INTO ticket_search (ticket_id, {columns}) SELECT t.id, {values} \
             FROM tickets t JOIN users u ON u.id = t.requester_id WHERE t.id = $1"
        );
        sqlx::query(&sql).bind(id).execute(&mut *c).await?;
    }
    Ok(())
}

/// Rewrites a ticket's document after what it says changed (an entry added, its
/// title or fields corrected), in the transaction that changed it.
pub(crate) async fn reindex_ticket(c: &mut Conn, id: sau_domain::TicketId) -> Result<(), StoreError> {
    rewrite(c, "t.id = $1", id.0).await
}

/// Rewrites the documents of a requester's tickets, after their name changed.
pub(crate) async fn reindex_requester(c: &mut Conn, requester: UserId) -> Result<(), StoreError> {
    rewrite(c, "t.requester_id = $1", requester.0).await
}

/// Rewrites the documents of the tickets `t` that `which` (binding `$1`) selects.
async fn rewrite(c: &mut Conn, which: &str, value: i64) -> Result<(), StoreError> {
    let (columns, values) = document();
    match DIALECT {
        crate::Dialect::Sqlite => {
            // Tickets the batches have not reached yet get the new text from them.
            let indexed = format!("{which} AND t.id <= (SELECT last_ticket FROM search_index_progress)");
            sqlx::query(&format!(
                "DELETE FROM ticket_search WHERE rowid IN (SELECT t.id FROM tickets t WHERE {indexed})"
            ))
            .bind(value)
            .execute(&mut *c)
            .await?;
            sqlx::query(&format!(
                "INSERT INTO ticket_search (rowid, {columns}) SELECT t.id, {values} \
                 FROM tickets t JOIN users u ON u.id = t.requester_id WHERE {indexed}"
            ))
            .bind(value)
            .execute(&mut *c)
            .await?;
        }
        crate::Dialect::Postgres => {
            sqlx::query(&format!(
                "UPDATE ticket_search s SET {columns} = {values} \
                 FROM tickets t JOIN users u ON u.id = t.requester_id \
                 WHERE s.ticket_id = t.id AND {which}"
            ))
            .bind(value)
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
///
/// `internal` says whether internal notes are searched too (agents); otherwise only
/// what the requester may read is.
pub(crate) fn push_search_ids(q: &mut sqlx::QueryBuilder<'_, Db>, text: &str, internal: bool) {
    let terms = crate::search::terms(text);
    let numbers = crate::search::number_range(text);
    if terms.is_empty() && numbers.is_none() {
        // Nothing searchable was typed (only punctuation): nothing matches.
        q.push("SELECT id FROM tickets WHERE 1 = 0");
        return;
    }
    if !terms.is_empty() {
        match DIALECT {
            crate::Dialect::Sqlite => {
                q.push("SELECT rowid AS id FROM ticket_search WHERE ticket_search MATCH ")
                    .push_bind(crate::search::fts5_query(&terms, internal));
            }
            crate::Dialect::Postgres => {
                q.push("SELECT ticket_id AS id FROM ticket_search WHERE document @@ sau_search_query(")
                    .push_bind(crate::search::tsquery(&terms, internal))
                    .push(")");
            }
        }
    }
    if let Some((from, to)) = numbers {
        if !terms.is_empty() {
            q.push(" UNION ");
        }
        q.push("SELECT id FROM tickets WHERE number >= ").push_bind(from);
        if let Some(to) = to {
            q.push(" AND number < ").push_bind(to);
        }
    }
}

/// The places of `tickets` a search hit is looked for in, in the order a
/// ticket's page shows them: its entries, then its files' names and the text
/// read inside them; internal ones only when `internal`.
pub(crate) async fn hit_sources(c: &mut Conn, tickets: &[i64], internal: bool) -> Result<Vec<Source>, StoreError> {
    let mut q = sqlx::QueryBuilder::<Db>::new(
        "SELECT e.ticket_id, e.id, e.kind, e.visibility, e.created_at, e.body FROM entries e WHERE e.ticket_id IN (",
    );
    let mut list = q.separated(", ");
    for id in tickets {
        list.push_bind(*id);
    }
    q.push(") AND (e.visibility = 'public' OR ").push_bind(internal).push(") ORDER BY e.ticket_id, e.id");
    let entries: Vec<(i64, i64, String, String, i64, String)> = q.build_query_as().fetch_all(&mut *c).await?;
    let mut sources = Vec::with_capacity(entries.len());
    for (ticket, entry, kind, visibility, at, body) in entries {
        sources.push(Source {
            ticket: TicketId(ticket),
            place: HitPlace::Entry {
                entry,
                kind: EntryKind::parse(&kind)
                    .ok_or_else(|| StoreError::Corrupt(format!("entry {entry}: kind {kind}")))?,
                visibility: Visibility::from_stored(&visibility),
                at: crate::records::from_micros(at)?,
            },
            text: body,
        });
    }
    let mut q = sqlx::QueryBuilder::<Db>::new(
        "SELECT e.ticket_id, a.id, a.filename, x.body FROM entries e JOIN attachments a ON a.entry_id = e.id \
         LEFT JOIN attachment_texts x ON x.sha256 = a.sha256 WHERE e.ticket_id IN (",
    );
    let mut list = q.separated(", ");
    for id in tickets {
        list.push_bind(*id);
    }
    q.push(") AND (e.visibility = 'public' OR ").push_bind(internal).push(") ORDER BY e.ticket_id, a.id");
    let files: Vec<(i64, i64, String, Option<String>)> = q.build_query_as().fetch_all(&mut *c).await?;
    let mut texts = Vec::new();
    for (ticket, attachment, name, text) in files {
        let ticket = TicketId(ticket);
        let attachment = AttachmentId(attachment);
        sources.push(Source {
            ticket,
            place: HitPlace::FileName {
                attachment,
                name: name.clone(),
            },
            text: name.clone(),
        });
        if let Some(text) = text.filter(|t| !t.is_empty()) {
            texts.push(Source {
                ticket,
                place: HitPlace::FileText { attachment, name },
                text,
            });
        }
    }
    // A file's name before what is inside any file: the shorter, surer hit.
    sources.extend(texts);
    Ok(sources)
}
