//! An article and attachments as OTRS's TicketCreate and TicketUpdate take
//! them, read into what SAU keeps: an entry's text, who may see it, and files.

use super::Call;
use super::input::{self, Data};
use super::reply::{Failure, Reply};
use base64::Engine;
use sau_domain::Visibility;
use sau_service::{StagedFiles, UploadError};
use std::convert::Infallible;

/// An article as received.
pub struct ArticleIn {
    pub subject: String,
    /// Its text: an HTML body is kept as its text.
    pub body: String,
    pub visibility: Visibility,
    /// `Phone`, `Email` or `Internal`.
    pub channel: String,
    pub files: Vec<FileIn>,
}

impl ArticleIn {
    /// The entry's text: the body, after the subject when the subject says
    /// something the ticket's title does not (SAU's entries have no subject
    /// of their own, and nothing sent is dropped).
    pub fn text(&self, title: &str) -> String {
        let subject = self.subject.trim();
        let said = !subject.is_empty()
            && subject != title
            && subject
                .strip_prefix("Re: ")
                .is_none_or(|rest| rest != title);
        if said {
            format!("{subject}\n\n{}", self.body)
        } else {
            self.body.clone()
        }
    }
}

pub struct FileIn {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Perl's "has a value": absent, empty and `"0"` do not.
fn perl_text(article: &Data, key: &str) -> Option<String> {
    input::truthy(article.get(key))
        .then(|| input::text(article.get(key)))
        .flatten()
}

/// OTRS 5's article types, for the clients written against them.
fn legacy_visibility(article_type: &str) -> Option<Visibility> {
    Some(match article_type {
        "email-external"
        | "email-notification-ext"
        | "phone"
        | "fax"
        | "sms"
        | "webrequest"
        | "note-external"
        | "chat-external" => Visibility::Public,
        "email-internal"
        | "email-notification-int"
        | "note-internal"
        | "note-report"
        | "chat-internal" => Visibility::Internal,
        _ => return None,
    })
}

pub fn read_article(call: &Call<'_>, article: &Data) -> Result<ArticleIn, Reply> {
    let missing = |what: &str| {
        call.error(
            Failure::MissingParameter,
            format!("Article->{what} parameter is missing!"),
        )
    };
    let invalid = |what: &str| {
        call.error(
            Failure::InvalidParameter,
            format!("Article->{what} parameter is invalid!"),
        )
    };
    let subject = perl_text(article, "Subject").ok_or_else(|| missing("Subject"))?;
    let body = perl_text(article, "Body").ok_or_else(|| missing("Body"))?;
    let content_type = input::text(article.get("ContentType"));
    let mime = input::text(article.get("MimeType"));
    let charset = input::text(article.get("Charset"));
    let mime = match (content_type, mime, charset) {
        (Some(ct), _, _) => ct
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase(),
        (None, Some(mime), Some(_)) => mime.to_ascii_lowercase(),
        (None, Some(_), None) => return Err(missing("Charset")),
        (None, None, Some(_)) => return Err(missing("MimeType")),
        (None, None, None) => return Err(missing("ContentType or Article->MimeType")),
    };
    if mime.split('/').count() != 2 {
        return Err(invalid("MimeType"));
    }
    let body = if mime == "text/html" {
        mail_parser::decoders::html::html_to_text(&body)
    } else {
        body
    };
    let channel =
        input::text(article.get("CommunicationChannel")).unwrap_or_else(|| "Internal".to_owned());
    if !matches!(channel.as_str(), "Email" | "Internal" | "Phone") {
        return Err(invalid("CommunicationChannel"));
    }
    let visibility = match article.get("IsVisibleForCustomer") {
        Some(v) if !v.is_null() => {
            if input::truthy(Some(v)) {
                Visibility::Public
            } else {
                Visibility::Internal
            }
        }
        _ => match input::text(article.get("ArticleType")) {
            Some(t) => legacy_visibility(&t).ok_or_else(|| invalid("ArticleType"))?,
            None => Visibility::Public,
        },
    };
    let files = match input::objects(article.get("Attachment")) {
        Some(items) => read_files(call, &items)?,
        None => return Err(missing("Attachment")),
    };
    Ok(ArticleIn {
        subject,
        body,
        visibility,
        channel,
        files,
    })
}

/// Attachments: each a base64 `Content`, a `ContentType` and a `Filename`.
pub fn read_files(call: &Call<'_>, items: &[&Data]) -> Result<Vec<FileIn>, Reply> {
    items
        .iter()
        .map(|item| {
            let field = |key: &str| {
                input::text(item.get(key)).ok_or_else(|| {
                    call.error(
                        Failure::MissingParameter,
                        format!("Attachment->{key} parameter is missing!"),
                    )
                })
            };
            let content = field("Content")?;
            field("ContentType")?;
            let name = field("Filename")?;
            let cleaned: String = content.chars().filter(|c| !c.is_whitespace()).collect();
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(cleaned)
                .map_err(|_| {
                    call.error(
                        Failure::InvalidParameter,
                        "Attachment->Content parameter is invalid!",
                    )
                })?;
            Ok(FileIn { name, bytes })
        })
        .collect()
}

/// Stores the files, checked against the attachment limits like every
/// channel's.
pub async fn stage(call: &Call<'_>, files: Vec<FileIn>) -> Result<StagedFiles, Reply> {
    let mut upload = call.state.service.upload();
    for file in files {
        let one_chunk = futures::stream::iter([Ok::<_, Infallible>(file.bytes)]);
        upload
            .add(&file.name, one_chunk)
            .await
            .map_err(|e| match e {
                UploadError::Refused(refusal) => call.error(
                    Failure::InvalidParameter,
                    format!("Attachment parameter is invalid! ({refusal})"),
                ),
                UploadError::Storage(e) => {
                    tracing::error!(error = %e, "storing an OTRS attachment failed");
                    Reply::Fault("Attachment could not be stored".into())
                }
                UploadError::Body(never) => match never {},
            })?;
    }
    Ok(upload.finish())
}
