//! What the store hands back: plain records, with the domain's types inside.

use jiff::Timestamp;
use sau_domain::{
    AttachmentId, CannedText, CategoryId, Contact, DepartmentId, EntryId, EntryKind, Event,
    FileKind, Priority, QueueId, Roles, State, Ticket, TicketId, UserId, Visibility,
};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UserRecord {
    pub id: UserId,
    pub login: String,
    pub display_name: String,
    pub email: Option<String>,
    pub department: Option<DepartmentId>,
    pub roles: Roles,
    pub locale: String,
    /// The IANA time zone the person reads dates in; `None`: the installation's.
    pub time_zone: Option<String>,
    pub active: bool,
    pub created_at: Timestamp,
    /// How to reach them while their request is open.
    pub contact: Contact,
}

#[derive(Debug, Clone)]
pub struct NewUser {
    pub login: String,
    pub display_name: String,
    pub email: Option<String>,
    pub department: Option<DepartmentId>,
    pub roles: Roles,
    pub locale: String,
    pub password_hash: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DepartmentRecord {
    pub id: DepartmentId,
    pub code: String,
    pub name: String,
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QueueRecord {
    pub id: QueueId,
    pub key: String,
    pub name: String,
    pub active: bool,
}

/// A category's field as the admin sees it: retired (inactive) fields included.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldSetting {
    pub def: sau_domain::FieldDef,
    pub active: bool,
}

/// A user as shown on a ticket.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UserRef {
    pub id: UserId,
    pub login: String,
    pub display_name: String,
}

/// A person found by name, login or department, to pick as a requester.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PersonMatch {
    pub login: String,
    pub display_name: String,
    pub department: Option<String>,
}

/// A ticket with the names people read next to it.
#[derive(Debug, Clone, PartialEq)]
pub struct TicketRecord {
    pub ticket: Ticket,
    pub category_key: String,
    pub queue_key: String,
    pub requester: UserRef,
    pub technician: Option<UserRef>,
    pub department: Option<DepartmentRecord>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StoredEvent {
    pub id: i64,
    pub seq: i64,
    pub actor: UserRef,
    pub event: Event,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EntryRecord {
    pub id: EntryId,
    pub author: UserRef,
    pub kind: EntryKind,
    pub body: String,
    pub visibility: Visibility,
    pub channel: String,
    pub created_at: Timestamp,
    pub attachments: Vec<AttachmentRecord>,
}

/// A file attached to an entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AttachmentRecord {
    pub id: AttachmentId,
    pub filename: String,
    pub kind: FileKind,
    pub size: u64,
    /// Hex sha256 of the bytes, and their key in the blob store.
    pub sha256: String,
}

/// An attachment with what decides who may read it: its ticket and whether its
/// entry is internal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachmentLocation {
    pub attachment: AttachmentRecord,
    pub ticket: TicketId,
    pub visibility: Visibility,
}

/// A technician and how many unfinished tickets they hold.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TechnicianLoad {
    pub user: UserRef,
    pub open_tickets: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TicketSort {
    /// Newest first.
    #[default]
    CreatedDesc,
    /// Oldest first: the triage order.
    CreatedAsc,
    UpdatedDesc,
    /// Most urgent first, oldest first within a priority.
    PriorityDesc,
}

/// Where the previous page ended: the sort key and the id of its last ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    pub key: i64,
    pub second: i64,
    pub id: i64,
}

impl Cursor {
    pub fn encode(&self) -> String {
        format!("{}.{}.{}", self.key, self.second, self.id)
    }

    pub fn decode(s: &str) -> Option<Cursor> {
        let mut parts = s.split('.').map(|p| p.parse::<i64>().ok());
        let cursor = Cursor {
            key: parts.next()??,
            second: parts.next()??,
            id: parts.next()??,
        };
        parts.next().is_none().then_some(cursor)
    }
}

/// A test on one of a ticket's field values, by the field's key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct FieldMatch {
    pub key: String,
    pub test: FieldTest,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldTest {
    /// Any of these values.
    Equals(Vec<String>),
    /// A `LIKE … ESCAPE '!'` pattern, case ignored.
    Like(String),
    /// `true`: no value (or an empty one); `false`: a value.
    Empty(bool),
    /// Compared as text: right for dates (`YYYY-MM-DD`) and texts.
    Greater(String),
    GreaterOrEqual(String),
    Smaller(String),
    SmallerOrEqual(String),
}

#[derive(Debug, Clone, Default)]
pub struct TicketFilter {
    pub states: Vec<State>,
    pub queue: Option<QueueId>,
    pub category: Option<sau_domain::CategoryId>,
    pub priority: Option<Priority>,
    pub technician: Option<UserId>,
    pub requester: Option<UserId>,
    pub department: Option<DepartmentId>,
    /// Words of what a ticket says (accents and case ignored, each word a
    /// prefix), or the start of a ticket number when it is all digits.
    pub text: Option<String>,
    /// Whether `text` is looked for in internal notes too (agents); otherwise
    /// only in what the requester may read.
    pub search_internal: bool,
    pub created_from: Option<Timestamp>,
    pub created_to: Option<Timestamp>,
    /// Any of these, when not empty (beside the single ones above, which
    /// must hold too).
    pub queues: Vec<QueueId>,
    pub categories: Vec<sau_domain::CategoryId>,
    pub priorities: Vec<Priority>,
    pub technicians: Vec<UserId>,
    /// Title and number patterns: `%` any run of characters, case ignored.
    pub title_like: Option<String>,
    pub number_like: Option<String>,
    pub updated_from: Option<Timestamp>,
    pub updated_to: Option<Timestamp>,
    pub closed_from: Option<Timestamp>,
    pub closed_to: Option<Timestamp>,
    /// Tests on the request's field values, all of which must hold.
    pub fields: Vec<FieldMatch>,
    /// Only tickets a running target of which was missed by then.
    pub overdue_at: Option<Timestamp>,
    /// Only tickets a running target of which is at 80% by then, none missed.
    pub nearly_due_at: Option<Timestamp>,
    pub sort: TicketSort,
    pub after: Option<Cursor>,
    pub limit: u32,
}

#[derive(Debug, Clone)]
pub struct TicketPage {
    pub tickets: Vec<TicketRecord>,
    pub next: Option<Cursor>,
}

/// A ticket's first write: its submission and where it came from.
#[derive(Debug, Clone)]
pub struct NewTicket {
    pub submitted: Event,
    pub channel: String,
    /// The local date the number is made from.
    pub day: jiff::civil::Date,
    pub system_id: u8,
}

/// The outcome of a command, to be written as one transaction.
#[derive(Debug, Clone)]
pub struct TicketChange {
    /// The ticket as read, whose `version` the write must still match.
    pub expected_version: i64,
    /// The ticket after the events were applied.
    pub ticket: Ticket,
    pub events: Vec<Event>,
    pub channel: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JobRecord {
    pub id: i64,
    pub kind: String,
    pub payload: String,
    pub attempts: i64,
}

/// A job as the admin's page shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JobView {
    pub id: i64,
    pub kind: String,
    pub payload: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub run_at: Timestamp,
    pub created_at: Timestamp,
    /// While a worker runs it (or until its lease runs out, if the worker died).
    pub locked_until: Option<Timestamp>,
    pub done_at: Option<Timestamp>,
    /// Set aside after too many failures, until someone retries it.
    pub failed_at: Option<Timestamp>,
}

/// Unfinished jobs, by where they are.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct JobCounts {
    /// Waiting for their time or for a worker.
    pub waiting: i64,
    /// Held by a worker now.
    pub running: i64,
    /// Set aside after too many failures.
    pub failed: i64,
}

pub(crate) fn micros(t: Timestamp) -> i64 {
    t.as_microsecond()
}

pub(crate) fn from_micros(us: i64) -> Result<Timestamp, crate::StoreError> {
    Timestamp::from_microsecond(us).map_err(|e| crate::StoreError::Corrupt(e.to_string()))
}

/// One of the latest public entries of a ticket: its description, its latest
/// A person's last read of a ticket: the version they saw, and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TicketRead {
    pub version: i64,
    pub at: Timestamp,
}

/// One of a requester's latest tickets, named in lists beside their others.
#[derive(Debug, Clone, PartialEq)]
pub struct RecentTicket {
    pub requester: UserId,
    pub number: String,
    pub title: String,
    pub state: State,
    pub created_at: Timestamp,
}

/// resolution, or the latest reply from its requester, cut short for a list.
#[derive(Debug, Clone, PartialEq)]
pub struct ConversationHead {
    pub ticket: TicketId,
    pub kind: EntryKind,
    /// Written by the ticket's requester (else by an agent).
    pub by_requester: bool,
    pub body: String,
    pub at: Timestamp,
}

/// A canned response as kept: for one category or (`category: None`) for all.
#[derive(Debug, Clone, PartialEq)]
pub struct CannedResponseRecord {
    pub id: i64,
    pub category: Option<CategoryId>,
    pub text: CannedText,
    pub updated_at: Timestamp,
}

/// A canned response to write, with who wrote it (`None`: the command line).
#[derive(Debug, Clone)]
pub struct CannedResponseWrite {
    pub category: Option<CategoryId>,
    pub text: CannedText,
    pub by: Option<UserId>,
    pub at: Timestamp,
}

/// A mail to queue in the outbox.
#[derive(Debug, Clone)]
pub struct NewMail {
    /// What the mail is about: a notice made twice has the same key, and is
    /// one mail.
    pub key: String,
    pub ticket: Option<TicketId>,
    pub notice: String,
    pub user: Option<UserId>,
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub message_id: String,
    pub thread_id: Option<String>,
    pub at: Timestamp,
}

/// A message that arrived, as it is recorded with what became of it.
#[derive(Debug, Clone)]
pub struct NewInboundMail {
    /// Its Message-ID, or `sha256:` and the hash of its source without one.
    pub key: String,
    pub sender: String,
    pub subject: String,
    /// `created`, `appended`, `ignored`, `refused` or `quarantined`.
    pub outcome: &'static str,
    /// Why: how it was threaded, what kind of machine sent it, what was wrong.
    pub reason: String,
    pub ticket: Option<TicketId>,
    /// The ticket's version the message made (its entry).
    pub ticket_version: Option<i64>,
    /// Where it came from: `stdin`, or the IMAP account's name.
    pub mailbox: String,
    /// Its HTML body, cleaned.
    pub html: Option<String>,
    /// The raw message, kept for quarantined mail.
    pub source: Option<Vec<u8>>,
    pub at: Timestamp,
}

/// A message that arrived, and what became of it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InboundMail {
    pub id: i64,
    pub key: String,
    pub sender: String,
    pub subject: String,
    pub outcome: String,
    pub reason: String,
    pub ticket: Option<TicketId>,
    pub ticket_number: Option<String>,
    pub ticket_version: Option<i64>,
    pub mailbox: String,
    pub has_html: bool,
    pub has_source: bool,
    pub received_at: Timestamp,
}

/// A closing mail's rating link: whose, for which ticket, until when, and
/// whether it was used.
#[derive(Debug, Clone, PartialEq)]
pub struct RatingLink {
    pub token_hash: String,
    pub ticket: TicketId,
    pub user: UserId,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    pub used_at: Option<Timestamp>,
}

/// A mail template the admin rewrote: one notice in one language, or the
/// HTML layout (`notice` `layout`, `lang` empty).
#[derive(Debug, Clone, PartialEq)]
pub struct MailTemplateOverride {
    pub notice: String,
    pub lang: String,
    pub source: String,
    pub updated_at: Timestamp,
    pub updated_by: Option<UserId>,
}

/// A mail in the outbox: `pending`, `sent` or `failed`.
#[derive(Debug, Clone, PartialEq)]
pub struct OutboxMail {
    pub id: i64,
    pub ticket: Option<TicketId>,
    pub notice: String,
    pub user: Option<UserId>,
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub message_id: String,
    pub thread_id: Option<String>,
    pub state: String,
    pub attempts: i64,
    /// The mail server's last answer: its acceptance, or why it refused.
    pub last_answer: Option<String>,
    pub created_at: Timestamp,
    pub sent_at: Option<Timestamp>,
}

/// Filters a person saved under a name, shown as a tab over their list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SavedSearch {
    pub id: i64,
    pub name: String,
    /// The list's query string (`q=impresora&state=new`).
    pub query: String,
    pub created_at: Timestamp,
}
