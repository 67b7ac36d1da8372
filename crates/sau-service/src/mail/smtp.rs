//! Handing a mail to the SMTP server, through lettre.

use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// How SAU reaches its SMTP server: a URL as lettre reads it —
/// `smtp://host:25` (plain), `smtp://user:pass@host:587?tls=required`
/// (STARTTLS), `smtps://user:pass@host:465` (TLS).
#[derive(Debug, Clone)]
pub struct SmtpSettings {
    pub url: String,
}

/// The server's answer to one mail: accepted (with what it said) or refused.
pub(crate) type Answer = Result<String, String>;

/// One mail as it goes on the wire.
pub(crate) struct Outgoing<'a> {
    pub from: &'a str,
    pub to: &'a str,
    pub subject: &'a str,
    pub text: &'a str,
    pub html: &'a str,
    pub message_id: &'a str,
    /// The ticket's thread: In-Reply-To and References name it, so mail
    /// clients keep a ticket's mails together.
    pub thread_id: Option<&'a str>,
}

/// A header lettre has no type for.
fn raw_header(name: &'static str, value: &str) -> HeaderValue {
    HeaderValue::new(HeaderName::new_from_ascii_str(name), value.to_owned())
}

/// Builds the message: text and HTML alternatives, SAU's own Message-ID, the
/// thread's headers and `Auto-Submitted`, so that auto-responders stay quiet.
pub(crate) fn message(mail: &Outgoing<'_>) -> Result<Message, String> {
    let from: Mailbox = mail
        .from
        .parse()
        .map_err(|e| format!("sender {:?}: {e}", mail.from))?;
    let to: Mailbox = mail
        .to
        .parse()
        .map_err(|e| format!("recipient {:?}: {e}", mail.to))?;
    let mut builder = Message::builder()
        .from(from)
        .to(to)
        .subject(mail.subject)
        .message_id(Some(mail.message_id.to_owned()));
    if let Some(thread) = mail.thread_id {
        builder = builder
            .in_reply_to(thread.to_owned())
            .references(thread.to_owned());
    }
    let mut message = builder
        .multipart(
            MultiPart::alternative()
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_PLAIN)
                        .body(mail.text.to_owned()),
                )
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_HTML)
                        .body(mail.html.to_owned()),
                ),
        )
        .map_err(|e| e.to_string())?;
    message
        .headers_mut()
        .insert_raw(raw_header("Auto-Submitted", "auto-generated"));
    // SAU's own mark: a mail that comes back with it is a loop, never a request.
    let own = mail
        .from
        .rsplit_once('<')
        .map_or(mail.from, |(_, rest)| rest);
    message
        .headers_mut()
        .insert_raw(raw_header("X-Loop", own.trim_end_matches('>').trim()));
    Ok(message)
}

/// Sends one mail; the server's answer either way.
pub(crate) async fn send(settings: &SmtpSettings, message: Message) -> Answer {
    let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&settings.url)
        .map_err(|e| format!("SMTP address {:?}: {e}", settings.url))?
        .build();
    match transport.send(message).await {
        Ok(response) => Ok(format!(
            "{} {}",
            response.code(),
            response.message().collect::<Vec<_>>().join(" ")
        )),
        Err(e) => Err(e.to_string()),
    }
}
