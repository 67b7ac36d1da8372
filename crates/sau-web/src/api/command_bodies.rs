//! The bodies of the commands, as the OpenAPI document describes them. They
//! are read by [`sau_service::CommandInput::read`], the one reader of every
//! channel (pages, mail, OTRS), so these types only describe: a form may send
//! the same fields as texts, and fields a command does not know are ignored.
#![allow(dead_code)]

use crate::api::submission::InlineFile;
use sau_domain::{AttentionMode, Visibility};
use utoipa::ToSchema;

/// A technician, by id or by login.
#[derive(ToSchema)]
#[schema(as = TechnicianChoice)]
#[serde(untagged)]
pub enum TechnicianRefBody {
    Id(i64),
    Login(String),
}

/// A command that takes nothing but, optionally, the version seen.
#[derive(ToSchema)]
pub struct VersionBody {
    /// The `version` of the ticket the caller saw; if it has moved on since,
    /// the command is refused with 409 and changes nothing.
    version: Option<i64>,
}

#[derive(ToSchema)]
#[schema(example = json!({"technician": "tecnico", "priority": 4}))]
pub struct AssignBody {
    technician: TechnicianRefBody,
    /// 1 to 5, when the dispatcher corrects it.
    priority: Option<i64>,
    /// A category's key, when the dispatcher corrects it.
    category: Option<String>,
    version: Option<i64>,
}

#[derive(ToSchema)]
#[schema(example = json!({"technician": "tecnico2"}))]
pub struct ReassignBody {
    technician: TechnicianRefBody,
    version: Option<i64>,
}

#[derive(ToSchema)]
#[schema(example = json!({"reason": "Falta el oficio firmado"}))]
pub struct ReasonBody {
    reason: Option<String>,
    version: Option<i64>,
}

#[derive(ToSchema)]
#[schema(example = json!({"reason": "Esperando el repuesto", "until": "2026-12-14T08:30:00-06:00"}))]
pub struct HoldBody {
    reason: Option<String>,
    /// When to look at it again: RFC 3339, or `YYYY-MM-DDTHH:MM` (or a date)
    /// in the service's time zone; it must be ahead.
    until: Option<String>,
    version: Option<i64>,
}

#[derive(ToSchema)]
#[schema(example = json!({"body": "Ya reinicié el equipo", "visibility": "public"}))]
pub struct CommentBody {
    /// May be empty when files come with it.
    body: Option<String>,
    /// Public by default.
    visibility: Option<Visibility>,
    /// Files inline, base64 (or send multipart instead).
    attachments: Option<Vec<InlineFile>>,
    version: Option<i64>,
}

#[derive(ToSchema)]
#[schema(example = json!({
    "resolution": "Clave reiniciada",
    "attention_mode": "remote",
    "remote_tool": "AnyDesk",
    "remote_id": "123 456 789"
}))]
pub struct ResolveBody {
    /// What was done.
    resolution: Option<String>,
    attention_mode: AttentionMode,
    /// Remote attention: the tool (`anydesk`…) and the id used.
    remote_tool: Option<String>,
    remote_id: Option<String>,
    attachments: Option<Vec<InlineFile>>,
    version: Option<i64>,
}

#[derive(ToSchema)]
#[schema(example = json!({"title": "Impresora del piso 2 sin tóner", "priority": 4, "fields": {"ubicacion": "Edificio B, piso 2"}}))]
pub struct CorrectBody {
    title: Option<String>,
    /// A category's key; the ticket moves to its queue.
    category: Option<String>,
    /// 1 to 5.
    priority: Option<i64>,
    /// New values of some of the request's fields, by key, checked against
    /// the category the ticket has after the correction; `null` or blank
    /// clears an optional one.
    #[schema(value_type = Option<Object>)]
    fields: Option<std::collections::BTreeMap<String, serde_json::Value>>,
    version: Option<i64>,
}

#[derive(ToSchema)]
#[schema(example = json!({"solved": true}))]
pub struct ConfirmBody {
    /// Whether the resolution solved it (a form may send `si`/`no`).
    solved: bool,
    comment: Option<String>,
    version: Option<i64>,
}

/// A comment as multipart: its JSON (without `attachments`) in `entry`.
#[derive(ToSchema)]
pub struct EntryUpload {
    entry: String,
    #[schema(value_type = Vec<String>, format = Binary)]
    files: Vec<Vec<u8>>,
}

/// A resolution as multipart: its JSON (without `attachments`) in `resolution`.
#[derive(ToSchema)]
pub struct ResolutionUpload {
    resolution: String,
    #[schema(value_type = Vec<String>, format = Binary)]
    files: Vec<Vec<u8>>,
}
