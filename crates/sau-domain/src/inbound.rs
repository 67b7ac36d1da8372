//! Mail that arrives: which mails are machines talking to machines (never a
//! ticket, never answered), which ticket a reply belongs to and why, and what
//! a request made by mail is called.

use crate::policy::MAX_TITLE_CHARS;

/// A sender who writes more than this in an hour is a loop (an auto-responder
/// answering SAU's answers), not a person: the rest of the hour is ignored.
pub const SENDER_MAILS_PER_HOUR: i64 = 20;

/// The headers that tell a machine's mail from a person's, as they arrived.
#[derive(Debug, Clone, Default)]
pub struct MailHeaders<'a> {
    pub auto_submitted: Option<&'a str>,
    pub precedence: Option<&'a str>,
    pub x_loop: Vec<&'a str>,
    /// `Return-Path` as written; `<>` is the null sender of bounces.
    pub return_path: Option<&'a str>,
    /// The top-level `Content-Type`, e.g. `multipart/report`.
    pub content_type: Option<&'a str>,
    /// Any of `X-Autoreply`, `X-Autorespond`, `X-Auto-Response`
    /// (Exchange's and older responders' own marks).
    pub autoreply_mark: bool,
    /// The sender's address, as given in `From`.
    pub from: &'a str,
    /// SAU's own sender address.
    pub own_address: &'a str,
}

/// Why a mail was not taken as a person's: it never becomes a ticket or an
/// entry, and is never answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Automatic {
    /// `Auto-Submitted` other than `no` (RFC 3834).
    AutoSubmitted,
    /// `Precedence: bulk`, `junk`, `list` or `auto_reply`.
    Bulk,
    /// A responder's own header (`X-Autoreply` and the like).
    AutoReply,
    /// A delivery report: the null return path or `multipart/report`.
    Bounce,
    /// SAU's own mail come back (its `X-Loop`, or sent from its address).
    Loop,
    /// More than [`SENDER_MAILS_PER_HOUR`] from one sender.
    TooMany,
}

impl Automatic {
    pub fn as_str(self) -> &'static str {
        match self {
            Automatic::AutoSubmitted => "auto_submitted",
            Automatic::Bulk => "bulk",
            Automatic::AutoReply => "auto_reply",
            Automatic::Bounce => "bounce",
            Automatic::Loop => "loop",
            Automatic::TooMany => "too_many",
        }
    }
}

fn same_address(a: &str, b: &str) -> bool {
    let clean = |s: &str| {
        s.trim()
            .trim_matches(['<', '>'])
            .trim()
            .to_ascii_lowercase()
    };
    let (a, b) = (clean(a), clean(b));
    !a.is_empty() && a == b
}

/// Whether the mail comes from a machine, and which kind: checked before
/// anything is written, so nothing automatic ever reaches a ticket.
pub fn automatic(headers: &MailHeaders<'_>) -> Option<Automatic> {
    let own = headers.own_address;
    if same_address(headers.from, own) || headers.x_loop.iter().any(|l| same_address(l, own)) {
        return Some(Automatic::Loop);
    }
    if headers
        .return_path
        .is_some_and(|p| p.trim().trim_matches(['<', '>']).trim().is_empty())
        || headers.content_type.is_some_and(|t| {
            t.trim()
                .to_ascii_lowercase()
                .starts_with("multipart/report")
        })
    {
        return Some(Automatic::Bounce);
    }
    let local = headers
        .from
        .split('@')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    if matches!(local.as_str(), "mailer-daemon" | "postmaster") {
        return Some(Automatic::Bounce);
    }
    if headers.auto_submitted.is_some_and(|v| {
        let v = v.split(';').next().unwrap_or("").trim();
        !v.is_empty() && !v.eq_ignore_ascii_case("no")
    }) {
        return Some(Automatic::AutoSubmitted);
    }
    if headers.autoreply_mark {
        return Some(Automatic::AutoReply);
    }
    if headers.precedence.is_some_and(|p| {
        matches!(
            p.trim().to_ascii_lowercase().as_str(),
            "bulk" | "junk" | "list" | "auto_reply"
        )
    }) {
        return Some(Automatic::Bulk);
    }
    None
}

/// How a mail was found to answer a ticket: shown on the ticket, so an agent
/// can tell why it landed there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThreadedBy {
    /// `[Ticket#…]` in the subject.
    SubjectNumber,
    /// `In-Reply-To` names a mail SAU sent about the ticket.
    InReplyTo,
    /// `References` names a mail SAU sent about the ticket, or its thread.
    References,
}

impl ThreadedBy {
    pub fn as_str(self) -> &'static str {
        match self {
            ThreadedBy::SubjectNumber => "subject",
            ThreadedBy::InReplyTo => "in_reply_to",
            ThreadedBy::References => "references",
        }
    }

    pub fn parse(s: &str) -> Option<ThreadedBy> {
        [
            ThreadedBy::SubjectNumber,
            ThreadedBy::InReplyTo,
            ThreadedBy::References,
        ]
        .into_iter()
        .find(|t| t.as_str() == s)
    }
}

/// What becomes of mail from an address nobody in SAU has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum UnknownSenders {
    /// A polite reply says the address is not registered; no ticket.
    #[default]
    Refuse,
    /// The sender becomes a requester (in the default department), and the
    /// mail a request.
    Create,
}

impl UnknownSenders {
    pub fn as_str(self) -> &'static str {
        match self {
            UnknownSenders::Refuse => "refuse",
            UnknownSenders::Create => "create",
        }
    }

    pub fn parse(s: &str) -> Option<UnknownSenders> {
        match s {
            "refuse" => Some(UnknownSenders::Refuse),
            "create" => Some(UnknownSenders::Create),
            _ => None,
        }
    }
}

/// The thread id SAU gives each ticket's mails (`<ticket.{number}@{host}>`):
/// the ticket's number when `id` is one of them, for this host.
pub fn thread_number<'a>(id: &'a str, host: &str) -> Option<&'a str> {
    let inner = id.trim().trim_start_matches('<').trim_end_matches('>');
    let (local, domain) = inner.split_once('@')?;
    let number = local.strip_prefix("ticket.")?;
    (domain.eq_ignore_ascii_case(host)
        && number.len() >= 14
        && number.bytes().all(|b| b.is_ascii_digit()))
    .then_some(number)
}

/// The title of a request made by mail: its subject without the reply and
/// forward marks; without a subject, the first line of its text; at most
/// [`MAX_TITLE_CHARS`]. Empty when the mail has neither.
pub fn mail_title(subject: &str, text: &str) -> String {
    let mut title = subject.trim();
    loop {
        let lower = title.to_ascii_lowercase();
        let Some(mark) = ["re:", "rv:", "fw:", "fwd:", "aw:", "wg:", "r:", "tr:"]
            .into_iter()
            .find(|m| lower.starts_with(m))
        else {
            break;
        };
        title = title[mark.len()..].trim_start();
    }
    let title = if title.is_empty() {
        text.lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .unwrap_or("")
    } else {
        title
    };
    title.chars().take(MAX_TITLE_CHARS).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person() -> MailHeaders<'static> {
        MailHeaders {
            from: "ana@ministerio.example",
            own_address: "sau@ministerio.example",
            ..MailHeaders::default()
        }
    }

    #[test]
    fn a_person_s_mail_is_not_automatic() {
        assert_eq!(automatic(&person()), None);
        let said_no = MailHeaders {
            auto_submitted: Some("no"),
            precedence: Some("normal"),
            return_path: Some("<ana@ministerio.example>"),
            ..person()
        };
        assert_eq!(automatic(&said_no), None);
    }

    #[test]
    fn responders_bounces_and_loops_are_told_apart() {
        let case = |h: MailHeaders<'static>| automatic(&h);
        assert_eq!(
            case(MailHeaders {
                auto_submitted: Some("auto-replied"),
                ..person()
            }),
            Some(Automatic::AutoSubmitted)
        );
        assert_eq!(
            case(MailHeaders {
                precedence: Some(" Bulk "),
                ..person()
            }),
            Some(Automatic::Bulk)
        );
        assert_eq!(
            case(MailHeaders {
                autoreply_mark: true,
                ..person()
            }),
            Some(Automatic::AutoReply)
        );
        assert_eq!(
            case(MailHeaders {
                return_path: Some("<>"),
                ..person()
            }),
            Some(Automatic::Bounce)
        );
        assert_eq!(
            case(MailHeaders {
                content_type: Some("multipart/report; report-type=delivery-status"),
                ..person()
            }),
            Some(Automatic::Bounce)
        );
        assert_eq!(
            case(MailHeaders {
                from: "MAILER-DAEMON@mx.example",
                ..person()
            }),
            Some(Automatic::Bounce)
        );
        assert_eq!(
            case(MailHeaders {
                x_loop: vec!["<SAU@ministerio.example>"],
                ..person()
            }),
            Some(Automatic::Loop)
        );
        assert_eq!(
            case(MailHeaders {
                from: "sau@ministerio.example",
                ..person()
            }),
            Some(Automatic::Loop)
        );
    }

    #[test]
    fn the_thread_id_names_a_ticket_only_for_this_host() {
        assert_eq!(
            thread_number("<ticket.2026120710000013@sau.example>", "sau.example"),
            Some("2026120710000013")
        );
        assert_eq!(
            thread_number("<ticket.2026120710000013@other.example>", "sau.example"),
            None
        );
        assert_eq!(
            thread_number("<ticket.12@sau.example>", "sau.example"),
            None
        );
        assert_eq!(thread_number("<abc@sau.example>", "sau.example"), None);
    }

    #[test]
    fn a_title_drops_reply_marks_and_falls_back_to_the_text() {
        assert_eq!(mail_title("RE: Fwd: La impresora", ""), "La impresora");
        assert_eq!(mail_title("  ", "\n\n  No enciende  \nmás"), "No enciende");
        assert_eq!(mail_title("", ""), "");
        assert_eq!(mail_title(&"x".repeat(300), "").chars().count(), 200);
        assert_eq!(mail_title("Re", ""), "Re");
    }

    #[test]
    fn threading_and_sender_choices_read_back() {
        for t in [
            ThreadedBy::SubjectNumber,
            ThreadedBy::InReplyTo,
            ThreadedBy::References,
        ] {
            assert_eq!(ThreadedBy::parse(t.as_str()), Some(t));
        }
        for u in [UnknownSenders::Refuse, UnknownSenders::Create] {
            assert_eq!(UnknownSenders::parse(u.as_str()), Some(u));
        }
        assert_eq!(UnknownSenders::parse("maybe"), None);
    }
}
