//! A ticket's entries as OTRS articles, with their attachments.

use super::ticket_hash::otrs_time;
use base64::Engine;
use sau_domain::{EntryKind, Visibility};
use sau_service::{Caller, EntryRecord, Service, ServiceError, TicketRecord};
use serde_json::{Map, Value, json};
use tokio::io::AsyncReadExt;

/// What TicketGet asked of the articles.
pub struct ArticleOptions {
    pub sender_types: Vec<String>,
    pub newest_first: bool,
    /// 0: all.
    pub limit: usize,
    pub attachments: bool,
    pub contents: bool,
}

/// OTRS's sender type of an entry: the requester's are the customer's.
fn sender_type(record: &TicketRecord, entry: &EntryRecord) -> (&'static str, &'static str) {
    if entry.author.id == record.ticket.requester {
        ("customer", "3")
    } else {
        ("agent", "1")
    }
}

/// OTRS's communication channel of an entry: mail's are Email, the rest
/// Internal.
fn channel(entry: &EntryRecord) -> (&'static str, &'static str) {
    if entry.channel == "mail" {
        ("Email", "1")
    } else {
        ("Internal", "3")
    }
}

/// The subject an article shows: SAU's entries have none, so the ticket's
/// title, marked as OTRS marks follow-ups after the first.
fn subject(record: &TicketRecord, entry: &EntryRecord) -> String {
    match entry.kind {
        EntryKind::Description => record.ticket.title.clone(),
        _ => format!("Re: {}", record.ticket.title),
    }
}

pub async fn articles(
    service: &Service,
    caller: &Caller,
    record: &TicketRecord,
    entries: &[EntryRecord],
    options: &ArticleOptions,
) -> Result<Vec<Value>, ServiceError> {
    let numbered: Vec<(usize, &EntryRecord)> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| (i + 1, e))
        .collect();
    let mut chosen: Vec<(usize, &EntryRecord)> = numbered
        .into_iter()
        .filter(|(_, e)| {
            options.sender_types.is_empty()
                || options
                    .sender_types
                    .iter()
                    .any(|s| s == sender_type(record, e).0)
        })
        .collect();
    if options.newest_first {
        chosen.reverse();
    }
    if options.limit > 0 {
        chosen.truncate(options.limit);
    }
    let mut out = Vec::with_capacity(chosen.len());
    for (number, entry) in chosen {
        let mut article = article(record, entry, number);
        if options.attachments && !entry.attachments.is_empty() {
            let mut files = Vec::with_capacity(entry.attachments.len());
            for (index, file) in entry.attachments.iter().enumerate() {
                let content = if options.contents {
                    let mut found = service.attachment_file(caller, file.id).await?;
                    let mut bytes = Vec::with_capacity(usize::try_from(file.size).unwrap_or(0));
                    found
                        .file
                        .read_to_end(&mut bytes)
                        .await
                        .map_err(|e| ServiceError::Internal(e.into()))?;
                    base64::engine::general_purpose::STANDARD.encode(bytes)
                } else {
                    String::new()
                };
                files.push(json!({
                    "Content": content,
                    "ContentAlternative": "",
                    "ContentID": "",
                    "ContentType": file.kind.mime_type(),
                    "Disposition": "attachment",
                    "Filename": file.filename,
                    "FilesizeRaw": file.size.to_string(),
                    "FileID": (index + 1).to_string(),
                }));
            }
            article.insert("Attachment".into(), Value::Array(files));
        }
        out.push(Value::Object(article));
    }
    Ok(out)
}

fn article(record: &TicketRecord, entry: &EntryRecord, number: usize) -> Map<String, Value> {
    let (sender, sender_id) = sender_type(record, entry);
    let (channel, channel_id) = channel(entry);
    let visible = entry.visibility == Visibility::Public;
    let at = otrs_time(entry.created_at);
    let author = entry.author.id.0.to_string();
    let value = json!({
        "ArticleID": entry.id.0.to_string(),
        "TicketID": record.ticket.id.0.to_string(),
        "ArticleNumber": number.to_string(),
        "CommunicationChannel": channel,
        "CommunicationChannelID": channel_id,
        "SenderType": sender,
        "SenderTypeID": sender_id,
        "IsVisibleForCustomer": if visible { "1" } else { "0" },
        "CreateBy": author,
        "CreateTime": at,
        "ChangeBy": author,
        "ChangeTime": at,
        "From": entry.author.display_name,
        "ReplyTo": "",
        "To": "",
        "Cc": "",
        "Bcc": "",
        "Subject": subject(record, entry),
        "MessageID": "",
        "InReplyTo": "",
        "References": "",
        "ContentType": "text/plain; charset=utf-8",
        "Body": entry.body,
        "IncomingTime": entry.created_at.as_second().to_string(),
        "Charset": "utf-8",
        "ContentCharset": "utf-8",
        "MimeType": "text/plain",
        "TimeUnit": 0,
    });
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}
