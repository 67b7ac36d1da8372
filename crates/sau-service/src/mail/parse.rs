//! Reading a message that arrived: mail-parser takes it apart, ammonia cleans
//! its HTML; what SAU needs of it is copied out, so nothing borrows the raw
//! bytes afterwards.

use mail_parser::{MessageParser, MimeHeaders};
use sha2::{Digest, Sha256};

/// What SAU takes from one message.
#[derive(Debug, Clone)]
pub(crate) struct Arrived {
    /// Its Message-ID in angle brackets, or `sha256:` and the hash of the
    /// source when it has none: the same message always has the same key.
    pub key: String,
    /// The sender's address, lowercased.
    pub from: String,
    pub from_name: Option<String>,
    pub subject: String,
    /// The text version (mail-parser's, from the HTML when the mail has no
    /// text part).
    pub text: String,
    /// The HTML version, cleaned of scripts, handlers and remote content.
    pub html: Option<String>,
    /// Message-IDs, in angle brackets, the message answers.
    pub in_reply_to: Vec<String>,
    pub references: Vec<String>,
    pub machine: MachineMarks,
    /// Attachments and inline images: a name and the bytes.
    pub files: Vec<(String, Vec<u8>)>,
}

/// The headers that tell a machine's mail, as written.
#[derive(Debug, Clone, Default)]
pub(crate) struct MachineMarks {
    pub auto_submitted: Option<String>,
    pub precedence: Option<String>,
    pub x_loop: Vec<String>,
    pub return_path: Option<String>,
    pub content_type: Option<String>,
    pub autoreply_mark: bool,
}

/// Why a message could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unreadable {
    /// Not a mail message at all.
    NotAMessage,
    /// No address in `From`: nobody to answer or to file it under.
    NoSender,
}

impl Unreadable {
    pub fn as_str(self) -> &'static str {
        match self {
            Unreadable::NotAMessage => "unparseable",
            Unreadable::NoSender => "no_sender",
        }
    }
}

/// The key of a message without a Message-ID: the hash of its bytes.
pub(crate) fn source_key(raw: &[u8]) -> String {
    format!("sha256:{}", hex::encode(Sha256::digest(raw)))
}

/// An id as SAU writes Message-IDs: in angle brackets.
fn bracketed(id: &str) -> Option<String> {
    let inner = id
        .trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .trim();
    (!inner.is_empty() && !inner.contains(char::is_whitespace)).then(|| format!("<{inner}>"))
}

fn ids(value: &mail_parser::HeaderValue<'_>) -> Vec<String> {
    match value {
        mail_parser::HeaderValue::Text(id) => bracketed(id).into_iter().collect(),
        mail_parser::HeaderValue::TextList(list) => {
            list.iter().filter_map(|id| bracketed(id)).collect()
        }
        _ => Vec::new(),
    }
}

pub(crate) fn parse(raw: &[u8]) -> Result<Arrived, Unreadable> {
    let message = MessageParser::default()
        .parse(raw)
        .filter(|m| !m.headers().is_empty())
        .ok_or(Unreadable::NotAMessage)?;
    let sender = message.from().and_then(|f| f.first());
    let from = sender
        .and_then(|a| a.address())
        .map(|a| a.trim().to_lowercase())
        .filter(|a| a.contains('@'))
        .ok_or(Unreadable::NoSender)?;
    let from_name = sender
        .and_then(|a| a.name())
        .map(|n| n.trim().to_owned())
        .filter(|n| !n.is_empty());
    let raw_header = |name: &str| -> Vec<String> {
        message
            .headers_raw()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim().to_owned())
            .collect()
    };
    let first = |name: &str| raw_header(name).into_iter().next();
    let machine = MachineMarks {
        auto_submitted: first("Auto-Submitted"),
        precedence: first("Precedence"),
        x_loop: raw_header("X-Loop"),
        return_path: first("Return-Path"),
        content_type: first("Content-Type"),
        autoreply_mark: ["X-Autoreply", "X-Autorespond", "X-Auto-Response"]
            .into_iter()
            .any(|h| !raw_header(h).is_empty()),
    };
    let key = message
        .message_id()
        .and_then(bracketed)
        .unwrap_or_else(|| source_key(raw));
    let text = message
        .body_text(0)
        .map(|t| t.replace("\r\n", "\n"))
        .unwrap_or_default();
    let html = (message.html_body_count() > 0)
        .then(|| message.body_html(0))
        .flatten()
        .map(|h| ammonia::clean(&h));
    let files = message
        .attachments()
        .enumerate()
        .map(|(i, part)| {
            let name = part
                .attachment_name()
                .map(str::to_owned)
                .unwrap_or_else(|| {
                    let extension = part
                        .content_type()
                        .and_then(|t| t.subtype())
                        .unwrap_or("bin")
                        .to_ascii_lowercase();
                    format!("adjunto-{}.{extension}", i + 1)
                });
            (name, part.contents().to_vec())
        })
        .collect();
    Ok(Arrived {
        key,
        from,
        from_name,
        subject: message.subject().unwrap_or("").trim().to_owned(),
        text,
        html,
        in_reply_to: ids(message.in_reply_to()),
        references: ids(message.references()),
        machine,
        files,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mail_is_read_with_its_threading_headers_and_files() {
        let raw = "From: Ana Pérez <Ana@Ministerio.example>\r\n\
            To: sau@ministerio.example\r\n\
            Subject: Re: [Ticket#2026120710000013] La impresora\r\n\
            Message-ID: <abc@mail.example>\r\n\
            In-Reply-To: <sau.1.2@sau.example>\r\n\
            References: <ticket.2026120710000013@sau.example> <sau.1.2@sau.example>\r\n\
            MIME-Version: 1.0\r\n\
            Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n\
            --b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n\
            <p onclick=\"x()\">Sigue <b>igual</b></p><script>alert(1)</script>\r\n\
            --b\r\nContent-Type: text/plain; name=\"nota.txt\"\r\n\
            Content-Disposition: attachment; filename=\"nota.txt\"\r\n\r\nhola\r\n--b--\r\n";
        let mail = parse(raw.as_bytes()).expect("parses");
        assert_eq!(mail.key, "<abc@mail.example>");
        assert_eq!(mail.from, "ana@ministerio.example");
        assert_eq!(mail.from_name.as_deref(), Some("Ana Pérez"));
        assert_eq!(mail.in_reply_to, ["<sau.1.2@sau.example>"]);
        assert_eq!(mail.references.len(), 2);
        let html = mail.html.expect("html");
        assert!(
            !html.contains("script") && !html.contains("onclick"),
            "{html}"
        );
        assert!(html.contains("<b>igual</b>"), "{html}");
        assert!(mail.text.contains("Sigue"), "{}", mail.text);
        assert!(!mail.text.contains("alert"), "{}", mail.text);
        assert_eq!(mail.files, [("nota.txt".to_owned(), b"hola".to_vec())]);
    }

    #[test]
    fn an_inline_image_is_kept_as_a_file_even_without_a_name() {
        // What mail clients send for a pasted screenshot: multipart/related,
        // the image inline, named only by its Content-ID.
        let raw = "From: ana@ministerio.example\r\nSubject: Captura\r\n\
            Message-ID: <inline@mail.example>\r\nMIME-Version: 1.0\r\n\
            Content-Type: multipart/related; boundary=\"r\"\r\n\r\n\
            --r\r\nContent-Type: text/html; charset=utf-8\r\n\r\n\
            <p>Mire el error:</p><img src=\"cid:shot@x\">\r\n\
            --r\r\nContent-Type: image/png\r\nContent-ID: <shot@x>\r\n\
            Content-Disposition: inline\r\nContent-Transfer-Encoding: base64\r\n\r\n\
            iVBORw0KGgo=\r\n--r--\r\n";
        let mail = parse(raw.as_bytes()).expect("parses");
        assert_eq!(mail.files.len(), 1, "{:?}", mail.files);
        assert_eq!(mail.files[0].0, "adjunto-1.png");
        assert_eq!(mail.files[0].1, b"\x89PNG\r\n\x1a\n");
        assert!(mail.text.contains("Mire el error"), "{}", mail.text);
    }

    #[test]
    fn without_a_message_id_the_key_is_the_source_s_hash() {
        let raw = b"From: a@b.example\r\nSubject: x\r\n\r\nbody\r\n";
        let mail = parse(raw).expect("parses");
        assert_eq!(mail.key, source_key(raw));
        assert!(mail.key.starts_with("sha256:"));
    }

    #[test]
    fn what_is_not_a_mail_or_has_no_sender_is_unreadable() {
        assert_eq!(parse(b"").map(|_| ()), Err(Unreadable::NotAMessage));
        assert!(parse(b"\x00\x01garbage").is_err());
        assert_eq!(
            parse(b"Subject: hi\r\n\r\nbody").map(|_| ()),
            Err(Unreadable::NoSender)
        );
    }
}
