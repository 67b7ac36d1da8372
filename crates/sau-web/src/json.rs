//! How records look in the JSON API. Each shape is a type that serializes the
//! answer and describes it in the OpenAPI document (`/api/v1/openapi.json`),
//! so the two cannot differ.

use crate::i18n::Lang;
use jiff::Timestamp;
use sau_domain::{
    AttentionMode, Category, CommandKind, Contact, EntryKind, EventKind, FieldKind, FieldValue,
    OptionLabel, Role, Setback, State, Visibility,
};
use sau_service::{
    AttachmentRecord, EntryRecord, StoredEvent, TechnicianLoad, TicketRecord, UserRecord, UserRef,
};
use serde::Serialize;
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// A person with an account.
#[derive(Serialize, ToSchema)]
#[schema(as = User)]
pub struct UserJson<'a> {
    id: i64,
    login: &'a str,
    display_name: &'a str,
    email: Option<&'a str>,
    /// The id of their department.
    department: Option<i64>,
    roles: Vec<Role>,
    /// `es` or `en`.
    locale: &'a str,
    active: bool,
    contact: &'a Contact,
}

pub fn user(u: &UserRecord) -> UserJson<'_> {
    UserJson {
        id: u.id.0,
        login: &u.login,
        display_name: &u.display_name,
        email: u.email.as_deref(),
        department: u.department.map(|d| d.0),
        roles: u.roles.iter().collect(),
        locale: &u.locale,
        active: u.active,
        contact: &u.contact,
    }
}

/// A person as a ticket, entry or event names them.
#[derive(Serialize, ToSchema)]
#[schema(as = Person)]
pub struct PersonJson<'a> {
    id: i64,
    login: &'a str,
    display_name: &'a str,
}

pub fn person(u: &UserRef) -> PersonJson<'_> {
    PersonJson {
        id: u.id.0,
        login: &u.login,
        display_name: &u.display_name,
    }
}

/// A ticket as the API shows it. Typed rather than built as a `Value`: lists
/// serialize fifty of these per page.
#[derive(Serialize, ToSchema)]
#[schema(as = Ticket)]
pub struct TicketJson<'a> {
    id: i64,
    /// The number people quote (`SAU-2026-000123`); the API's paths use it.
    number: &'a str,
    title: &'a str,
    state: State,
    /// 1 (very low) to 5 (very high).
    #[schema(minimum = 1, maximum = 5)]
    priority: i64,
    /// The priority's name in the caller's language.
    priority_name: String,
    /// The category's key.
    category: &'a str,
    /// The queue's key.
    queue: &'a str,
    /// The category's fields: a number, or text (choices and dates as their key).
    fields: &'a BTreeMap<String, FieldValue>,
    requester: PersonJson<'a>,
    department: Option<DepartmentJson<'a>>,
    technician: Option<PersonJson<'a>>,
    attention_mode: Option<AttentionMode>,
    remote_tool: Option<&'a str>,
    remote_id: Option<&'a str>,
    /// `returned` or `reopened` while a ticket that came back is being worked
    /// on again; null otherwise.
    setback: Option<Setback>,
    /// The requester's answer to "¿Se resolvió?" about the latest resolution:
    /// true, false, or null while unanswered.
    confirmed: Option<bool>,
    /// On hold: when to look at it again, if the technician said.
    #[schema(value_type = Option<String>, format = DateTime)]
    held_until: Option<Timestamp>,
    #[schema(value_type = String, format = DateTime)]
    created_at: Timestamp,
    #[schema(value_type = String, format = DateTime)]
    updated_at: Timestamp,
    #[schema(value_type = Option<String>, format = DateTime)]
    assigned_at: Option<Timestamp>,
    #[schema(value_type = Option<String>, format = DateTime)]
    resolved_at: Option<Timestamp>,
    #[schema(value_type = Option<String>, format = DateTime)]
    closed_at: Option<Timestamp>,
    /// Send it back as `version` with a command: a ticket that has moved on
    /// since answers 409.
    version: i64,
}

#[derive(Serialize, ToSchema)]
#[schema(as = Department)]
pub struct DepartmentJson<'a> {
    id: i64,
    code: &'a str,
    name: &'a str,
}

pub fn ticket(r: &TicketRecord, lang: Lang) -> TicketJson<'_> {
    let t = &r.ticket;
    let attention = t.attention.as_ref();
    TicketJson {
        id: t.id.0,
        number: &t.number,
        title: &t.title,
        state: t.state,
        priority: i64::from(t.priority.level()),
        priority_name: crate::i18n::priority_name(lang, t.priority),
        category: &r.category_key,
        queue: &r.queue_key,
        fields: &t.fields,
        requester: person(&r.requester),
        department: r.department.as_ref().map(|d| DepartmentJson {
            id: d.id.0,
            code: &d.code,
            name: &d.name,
        }),
        technician: r.technician.as_ref().map(person),
        attention_mode: attention.map(|a| a.mode),
        remote_tool: attention.and_then(|a| a.remote_tool.as_deref()),
        remote_id: attention.and_then(|a| a.remote_id.as_deref()),
        setback: t.setback,
        confirmed: t.confirmed,
        held_until: t.held_until,
        created_at: t.created_at,
        updated_at: t.updated_at,
        assigned_at: t.assigned_at,
        resolved_at: t.resolved_at,
        closed_at: t.closed_at,
        version: t.version,
    }
}

/// Something written on a ticket: its description, a comment, a resolution.
#[derive(Serialize, ToSchema)]
#[schema(as = Entry)]
pub struct EntryJson<'a> {
    id: i64,
    author: PersonJson<'a>,
    kind: EntryKind,
    body: &'a str,
    visibility: Visibility,
    /// Where it came from: `web`, `api`, `mail`, `otrs`, `cli`…
    channel: &'a str,
    #[schema(value_type = String, format = DateTime)]
    created_at: Timestamp,
    attachments: Vec<AttachmentJson<'a>>,
}

pub fn entry(e: &EntryRecord) -> EntryJson<'_> {
    EntryJson {
        id: e.id.0,
        author: person(&e.author),
        kind: e.kind,
        body: &e.body,
        visibility: e.visibility,
        channel: &e.channel,
        created_at: e.created_at,
        attachments: e.attachments.iter().map(attachment).collect(),
    }
}

/// A file of an entry, with where to download it.
#[derive(Serialize, ToSchema)]
#[schema(as = Attachment)]
pub struct AttachmentJson<'a> {
    id: i64,
    filename: &'a str,
    /// The kind decided from the bytes: `pdf`, `png`, `docx`…
    kind: &'static str,
    content_type: &'static str,
    size: u64,
    /// Hex SHA-256 of the bytes.
    sha256: &'a str,
    /// `GET` it to download the file.
    url: String,
}

pub fn attachment(a: &AttachmentRecord) -> AttachmentJson<'_> {
    AttachmentJson {
        id: a.id.0,
        filename: &a.filename,
        kind: a.kind.key(),
        content_type: a.kind.mime_type(),
        size: a.size,
        sha256: &a.sha256,
        url: format!("/api/v1/attachments/{}", a.id),
    }
}

/// One step of a ticket's history.
#[derive(Serialize, ToSchema)]
#[schema(as = Event)]
pub struct EventJson<'a> {
    id: i64,
    /// Its place in the ticket's history, from 1.
    seq: i64,
    /// What happened: `created`, `assigned`, `accepted`, `commented`…
    #[serde(rename = "type")]
    kind: &'static str,
    actor: PersonJson<'a>,
    #[schema(value_type = String, format = DateTime)]
    at: Timestamp,
    /// The event's facts, named by `type`, under the same `type`.
    #[schema(value_type = Object)]
    data: &'a EventKind,
}

pub fn event(e: &StoredEvent) -> EventJson<'_> {
    EventJson {
        id: e.id,
        seq: e.seq,
        kind: e.event.kind.name(),
        actor: person(&e.actor),
        at: e.event.at,
        data: &e.event.kind,
    }
}

/// A kind of request and the fields it asks for.
#[derive(Serialize, ToSchema)]
#[schema(as = Category)]
pub struct CategoryJson<'a> {
    key: &'a str,
    /// In the caller's language.
    name: &'a str,
    name_es: &'a str,
    name_en: &'a str,
    description: &'a str,
    #[schema(minimum = 1, maximum = 5)]
    default_priority: i64,
    attachment_required: bool,
    active: bool,
    fields: Vec<FieldJson<'a>>,
}

/// A field a category asks for.
#[derive(Serialize, ToSchema)]
#[schema(as = CategoryField)]
pub struct FieldJson<'a> {
    key: &'a str,
    /// In the caller's language.
    label: &'a str,
    required: bool,
    /// `text`, `number`, `choice` or `date` (`YYYY-MM-DD`).
    #[schema(pattern = "^(text|number|choice|date)$")]
    kind: &'static str,
    /// A choice's keys, in the order they are offered.
    #[serde(skip_serializing_if = "Option::is_none")]
    options: Option<&'a [String]>,
    /// A choice's labels in both languages.
    #[serde(skip_serializing_if = "Option::is_none")]
    labels: Option<&'a [OptionLabel]>,
}

pub fn category(c: &Category, lang: Lang) -> CategoryJson<'_> {
    CategoryJson {
        key: &c.key,
        name: lang.pick(&c.name_es, &c.name_en),
        name_es: &c.name_es,
        name_en: &c.name_en,
        description: lang.pick(&c.description_es, &c.description_en),
        default_priority: i64::from(c.default_priority.level()),
        attachment_required: c.attachment_required,
        active: c.active,
        fields: c
            .fields
            .iter()
            .map(|f| {
                let (kind, options, labels) = match &f.kind {
                    FieldKind::Text => ("text", None, None),
                    FieldKind::Number => ("number", None, None),
                    FieldKind::Date => ("date", None, None),
                    FieldKind::Choice { options, labels } => (
                        "choice",
                        Some(options.as_slice()),
                        Some(labels.as_slice()).filter(|l| !l.is_empty()),
                    ),
                };
                FieldJson {
                    key: &f.key,
                    label: lang.pick(&f.label_es, &f.label_en),
                    required: f.required,
                    kind,
                    options,
                    labels,
                }
            })
            .collect(),
    }
}

/// A technician, with how many open tickets they hold now.
#[derive(Serialize, ToSchema)]
#[schema(as = Technician)]
pub struct TechnicianJson<'a> {
    id: i64,
    login: &'a str,
    display_name: &'a str,
    open_tickets: i64,
}

pub fn technician(t: &TechnicianLoad) -> TechnicianJson<'_> {
    TechnicianJson {
        id: t.user.id.0,
        login: &t.user.login,
        display_name: &t.user.display_name,
        open_tickets: t.open_tickets,
    }
}

/// A ticket with what the caller may do next, as a command answers it.
#[derive(Serialize, ToSchema)]
#[schema(as = TicketAfterCommand)]
pub struct TicketAfter<'a> {
    #[serde(flatten)]
    pub ticket: TicketJson<'a>,
    /// The commands the caller may give on it now.
    pub allowed_actions: Vec<CommandKind>,
}
