//! Handing a mail to the SMTP server, through lettre.

use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::path::PathBuf;

/// How SAU reaches its SMTP server: a URL as lettre reads it —
/// `smtp://host:25` (plain), `smtp://user:pass@host:587?tls=required`
/// (STARTTLS), `smtps://user:pass@host:465` (TLS) — and, for a server whose
/// certificate a ministry's own authority signed, that authority's PEM file.
#[derive(Debug, Clone, Default)]
pub struct SmtpSettings {
    pub url: String,
    pub ca_file: Option<PathBuf>,
}

type Transport = AsyncSmtpTransport<Tokio1Executor>;

/// The transport of the server in use, kept between mails: lettre pools its
/// connections, so a burst of notices does not open one connection each.
#[derive(Debug, Default)]
pub(crate) struct Transports(tokio::sync::Mutex<Option<(String, Transport)>>);

/// The host part of a server's URL: the name its certificate must carry.
fn url_host(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split(['/', '?']).next().unwrap_or(rest);
    let address = authority.rsplit_once('@').map_or(authority, |(_, a)| a);
    match address.rsplit_once(':') {
        Some((host, port)) if port.bytes().all(|b| b.is_ascii_digit()) => host,
        _ => address,
    }
}

fn transport(settings: &SmtpSettings) -> Result<Transport, String> {
    let url = &settings.url;
    let mut builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
        .map_err(|e| format!("SMTP address {:?}: {e}", super::redacted(url)))?;
    if let Some(file) = &settings.ca_file {
        let pem = std::fs::read(file).map_err(|e| format!("{}: {e}", file.display()))?;
        let certificate =
            Certificate::from_pem(&pem).map_err(|e| format!("{}: {e}", file.display()))?;
        let parameters = TlsParameters::builder(url_host(url).to_owned())
            .add_root_certificate(certificate)
            .build_rustls()
            .map_err(|e| e.to_string())?;
        builder = if url.starts_with("smtps://") {
            builder.tls(Tls::Wrapper(parameters))
        } else if url.contains("tls=required") {
            builder.tls(Tls::Required(parameters))
        } else if url.contains("tls=opportunistic") {
            builder.tls(Tls::Opportunistic(parameters))
        } else {
            builder
        };
    }
    Ok(builder.build())
}

impl Transports {
    /// The transport for `settings`, made anew when the server changed.
    async fn for_settings(&self, settings: &SmtpSettings) -> Result<Transport, String> {
        let key = format!("{}|{:?}", settings.url, settings.ca_file);
        let mut kept = self.0.lock().await;
        if let Some((k, transport)) = kept.as_ref()
            && *k == key
        {
            return Ok(transport.clone());
        }
        let made = transport(settings)?;
        *kept = Some((key, made.clone()));
        Ok(made)
    }
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
pub(crate) async fn send(
    transports: &Transports,
    settings: &SmtpSettings,
    message: Message,
) -> Answer {
    let transport = transports.for_settings(settings).await?;
    match tokio::time::timeout(SEND_TIMEOUT, transport.send(message)).await {
        Ok(Ok(response)) => Ok(format!(
            "{} {}",
            response.code(),
            response.message().collect::<Vec<_>>().join(" ")
        )),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err(format!(
            "the SMTP server gave no answer in {} s",
            SEND_TIMEOUT.as_secs()
        )),
    }
}

/// Longest wait for one mail's whole exchange. lettre bounds the connection
/// but not each answer, and a server that stops answering mid-session would
/// otherwise hold the job until the server itself gives up (five minutes
/// for some).
const SEND_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

#[cfg(test)]
mod tests {
    #[test]
    fn the_certificate_s_name_is_the_url_s_host() {
        assert_eq!(
            super::url_host("smtps://u:p@mail.example:465"),
            "mail.example"
        );
        assert_eq!(
            super::url_host("smtp://mail.example?tls=required"),
            "mail.example"
        );
        assert_eq!(super::url_host("smtp://localhost:2525/"), "localhost");
    }
}
