//! How records look in the JSON API.

use crate::i18n::Lang;
use jiff::Timestamp;
use sau_domain::{
    AttentionMode, Category, DepartmentId, FieldValue, Priority, Setback, State, TicketId,
};
use sau_service::{
    AttachmentRecord, EntryRecord, StoredEvent, TechnicianLoad, TicketRecord, UserRecord, UserRef,
};
use serde::Serialize;
use serde_json::{Value, json};
use std::collections::BTreeMap;

pub fn user(u: &UserRecord) -> Value {
    json!({
        "id": u.id,
        "login": u.login,
        "display_name": u.display_name,
        "email": u.email,
        "department": u.department,
        "roles": u.roles,
        "locale": u.locale,
        "active": u.active,
        "contact": u.contact,
    })
}

/// A ticket as the API shows it. Typed rather than built as a `Value`: lists
/// serialize fifty of these per page.
#[derive(Serialize)]
pub struct TicketJson<'a> {
    id: TicketId,
    number: &'a str,
    title: &'a str,
    state: State,
    priority: Priority,
    priority_name: String,
    category: &'a str,
    queue: &'a str,
    fields: &'a BTreeMap<String, FieldValue>,
    requester: &'a UserRef,
    department: Option<DepartmentJson<'a>>,
    technician: Option<&'a UserRef>,
    attention_mode: Option<AttentionMode>,
    remote_tool: Option<&'a str>,
    remote_id: Option<&'a str>,
    /// `returned` or `reopened` while a ticket that came back is being worked
    /// on again; null otherwise.
    setback: Option<Setback>,
    /// The requester's answer to "¿Se resolvió?" about the latest resolution:
    /// true, false, or null while unanswered.
    confirmed: Option<bool>,
    created_at: Timestamp,
    updated_at: Timestamp,
    assigned_at: Option<Timestamp>,
    resolved_at: Option<Timestamp>,
    closed_at: Option<Timestamp>,
    version: i64,
}

#[derive(Serialize)]
struct DepartmentJson<'a> {
    id: DepartmentId,
    code: &'a str,
    name: &'a str,
}

pub fn ticket(r: &TicketRecord, lang: Lang) -> TicketJson<'_> {
    let t = &r.ticket;
    let attention = t.attention.as_ref();
    TicketJson {
        id: t.id,
        number: &t.number,
        title: &t.title,
        state: t.state,
        priority: t.priority,
        priority_name: crate::i18n::priority_name(lang, t.priority),
        category: &r.category_key,
        queue: &r.queue_key,
        fields: &t.fields,
        requester: &r.requester,
        department: r.department.as_ref().map(|d| DepartmentJson {
            id: d.id,
            code: &d.code,
            name: &d.name,
        }),
        technician: r.technician.as_ref(),
        attention_mode: attention.map(|a| a.mode),
        remote_tool: attention.and_then(|a| a.remote_tool.as_deref()),
        remote_id: attention.and_then(|a| a.remote_id.as_deref()),
        setback: t.setback,
        confirmed: t.confirmed,
        created_at: t.created_at,
        updated_at: t.updated_at,
        assigned_at: t.assigned_at,
        resolved_at: t.resolved_at,
        closed_at: t.closed_at,
        version: t.version,
    }
}

pub fn entry(e: &EntryRecord) -> Value {
    json!({
        "id": e.id,
        "author": e.author,
        "kind": e.kind,
        "body": e.body,
        "visibility": e.visibility,
        "channel": e.channel,
        "created_at": e.created_at,
        "attachments": e.attachments.iter().map(attachment).collect::<Vec<_>>(),
    })
}

/// A file of an entry, with where to download it.
pub fn attachment(a: &AttachmentRecord) -> Value {
    json!({
        "id": a.id,
        "filename": a.filename,
        "kind": a.kind.key(),
        "content_type": a.kind.mime_type(),
        "size": a.size,
        "sha256": a.sha256,
        "url": format!("/api/v1/attachments/{}", a.id),
    })
}

pub fn event(e: &StoredEvent) -> Value {
    json!({
        "id": e.id,
        "seq": e.seq,
        "type": e.event.kind.name(),
        "actor": e.actor,
        "at": e.event.at,
        "data": e.event.kind,
    })
}

pub fn category(c: &Category, lang: Lang) -> Value {
    json!({
        "key": c.key,
        "name": lang.pick(&c.name_es, &c.name_en),
        "name_es": c.name_es,
        "name_en": c.name_en,
        "description": lang.pick(&c.description_es, &c.description_en),
        "default_priority": c.default_priority,
        "attachment_required": c.attachment_required,
        "active": c.active,
        "fields": c.fields.iter().map(|f| {
            let mut v = json!({
                "key": f.key,
                "label": lang.pick(&f.label_es, &f.label_en),
                "required": f.required,
            });
            if let (Some(obj), Ok(Value::Object(kind))) = (v.as_object_mut(), serde_json::to_value(&f.kind)) {
                obj.extend(kind);
            }
            v
        }).collect::<Vec<_>>(),
    })
}

pub fn technician(t: &TechnicianLoad) -> Value {
    json!({
        "id": t.user.id,
        "login": t.user.login,
        "display_name": t.user.display_name,
        "open_tickets": t.open_tickets,
    })
}
