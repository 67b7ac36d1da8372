//! How records look in the JSON API.

use crate::i18n::Lang;
use sau_domain::Category;
use sau_service::{EntryRecord, StoredEvent, TechnicianLoad, TicketRecord, UserRecord};
use serde_json::{Value, json};

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
    })
}

pub fn ticket(r: &TicketRecord, lang: Lang) -> Value {
    let t = &r.ticket;
    json!({
        "id": t.id,
        "number": t.number,
        "title": t.title,
        "state": t.state,
        "priority": t.priority,
        "priority_name": lang.pick(t.priority.name_es(), t.priority.name_en()),
        "category": r.category_key,
        "queue": r.queue_key,
        "fields": t.fields,
        "requester": r.requester,
        "department": r.department.as_ref().map(|d| json!({"id": d.id, "code": d.code, "name": d.name})),
        "technician": r.technician,
        "attention_mode": t.attention.as_ref().map(|a| a.mode),
        "remote_tool": t.attention.as_ref().and_then(|a| a.remote_tool.clone()),
        "remote_id": t.attention.as_ref().and_then(|a| a.remote_id.clone()),
        "created_at": t.created_at,
        "updated_at": t.updated_at,
        "assigned_at": t.assigned_at,
        "resolved_at": t.resolved_at,
        "closed_at": t.closed_at,
        "version": t.version,
    })
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
        "attachments": [],
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
