// Attachments' metadata: the bytes are in the blob store. Included once per
// backend (see lib.rs); rows are written with their entry, in `tickets`.

use crate::StoreError;
use crate::records::{AttachmentLocation, AttachmentRecord};
use sau_domain::{AttachmentId, FileKind, TicketId, Visibility};
use std::collections::HashMap;

/// id, filename, content type, size, sha256.
type AttachmentRow = (i64, String, String, i64, String);

fn record((id, filename, content_type, size, sha256): AttachmentRow) -> Result<AttachmentRecord, StoreError> {
    Ok(AttachmentRecord {
        id: AttachmentId(id),
        filename,
        kind: FileKind::from_mime_type(&content_type)
            .ok_or_else(|| StoreError::Corrupt(format!("attachment {id}: unknown type {content_type}")))?,
        size: u64::try_from(size).map_err(|_| StoreError::Corrupt(format!("attachment {id}: size {size}")))?,
        sha256,
    })
}

/// The files of a ticket's entries, by entry id, leaving out internal entries'
/// unless asked for.
pub(crate) async fn of_ticket(
    c: &mut Conn,
    ticket: TicketId,
    include_internal: bool,
) -> Result<HashMap<i64, Vec<AttachmentRecord>>, StoreError> {
    let rows: Vec<(i64, i64, String, String, i64, String)> = sqlx::query_as(
        "SELECT e.id, a.id, a.filename, a.content_type, a.size, a.sha256 \
         FROM entries e JOIN attachments a ON a.entry_id = e.id \
         WHERE e.ticket_id = $1 AND (e.visibility = 'public' OR $2) ORDER BY a.id",
    )
    .bind(ticket.0)
    .bind(include_internal)
    .fetch_all(&mut *c)
    .await?;
    let mut by_entry: HashMap<i64, Vec<AttachmentRecord>> = HashMap::new();
    for (entry, id, filename, content_type, size, sha256) in rows {
        by_entry
            .entry(entry)
            .or_default()
            .push(record((id, filename, content_type, size, sha256))?);
    }
    Ok(by_entry)
}

pub(crate) async fn locate(c: &mut Conn, id: AttachmentId) -> Result<Option<AttachmentLocation>, StoreError> {
    let row: Option<(i64, String, String, i64, String, i64, String)> = sqlx::query_as(
        "SELECT a.id, a.filename, a.content_type, a.size, a.sha256, e.ticket_id, e.visibility \
         FROM attachments a JOIN entries e ON e.id = a.entry_id WHERE a.id = $1",
    )
    .bind(id.0)
    .fetch_optional(&mut *c)
    .await?;
    row.map(|(id, filename, content_type, size, sha256, ticket, visibility)| {
        Ok(AttachmentLocation {
            attachment: record((id, filename, content_type, size, sha256))?,
            ticket: TicketId(ticket),
            visibility: Visibility::from_stored(&visibility),
        })
    })
    .transpose()
}

/// Up to `limit` attachments after `after`, by id: for checking every blob
/// without holding them all.
pub(crate) async fn page(c: &mut Conn, after: i64, limit: i64) -> Result<Vec<AttachmentRecord>, StoreError> {
    let rows: Vec<AttachmentRow> = sqlx::query_as(
        "SELECT id, filename, content_type, size, sha256 FROM attachments \
         WHERE id > $1 ORDER BY id LIMIT $2",
    )
    .bind(after)
    .bind(limit)
    .fetch_all(&mut *c)
    .await?;
    rows.into_iter().map(record).collect()
}

/// Whether any attachment holds the blob `sha256`.
pub(crate) async fn blob_in_use(c: &mut Conn, sha256: &str) -> Result<bool, StoreError> {
    let found: Option<i64> = sqlx::query_scalar("SELECT id FROM attachments WHERE sha256 = $1 LIMIT 1")
        .bind(sha256)
        .fetch_optional(&mut *c)
        .await?;
    Ok(found.is_some())
}

/// The type of the file `sha256` as it was attached, or `None` when no entry
/// holds it (anymore).
pub(crate) async fn kind_of_blob(c: &mut Conn, sha256: &str) -> Result<Option<FileKind>, StoreError> {
    let found: Option<String> = sqlx::query_scalar("SELECT content_type FROM attachments WHERE sha256 = $1 LIMIT 1")
        .bind(sha256)
        .fetch_optional(&mut *c)
        .await?;
    Ok(found.and_then(|mime| FileKind::from_mime_type(&mime)))
}

/// Whether the text of the file `sha256` was read already (or found unreadable).
pub(crate) async fn text_recorded(c: &mut Conn, sha256: &str) -> Result<bool, StoreError> {
    let found: Option<String> = sqlx::query_scalar("SELECT method FROM attachment_texts WHERE sha256 = $1")
        .bind(sha256)
        .fetch_optional(&mut *c)
        .await?;
    Ok(found.is_some())
}

/// Keeps the text read in the file `sha256` and rewrites the search document of
/// every ticket that carries it. A second reading of the same file (a job run
/// twice) changes nothing: `false`.
pub(crate) async fn record_text(c: &mut Conn, text: &crate::AttachmentText) -> Result<bool, StoreError> {
    let added = sqlx::query(
        "INSERT INTO attachment_texts (sha256, method, body, note, read_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (sha256) DO NOTHING",
    )
    .bind(&text.sha256)
    .bind(&text.method)
    .bind(&text.body)
    .bind(&text.note)
    .bind(crate::records::micros(text.read_at))
    .execute(&mut *c)
    .await?
    .rows_affected()
        > 0;
    if added && !text.body.is_empty() {
        let tickets: Vec<i64> = sqlx::query_scalar(
            "SELECT DISTINCT e.ticket_id FROM attachments a JOIN entries e ON e.id = a.entry_id \
             WHERE a.sha256 = $1 ORDER BY e.ticket_id",
        )
        .bind(&text.sha256)
        .fetch_all(&mut *c)
        .await?;
        for ticket in tickets {
            super::ticket_search::reindex_ticket(c, TicketId(ticket)).await?;
        }
    }
    Ok(added)
}
