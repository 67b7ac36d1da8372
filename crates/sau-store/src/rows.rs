//! Rows as both backends return them, and their conversion into records.

use crate::StoreError;
use crate::records::{DepartmentRecord, TicketRecord, UserRecord, UserRef, from_micros};
use sau_domain::{
    Attention, AttentionMode, CategoryId, Contact, DepartmentId, FieldValue, Priority, QueueId,
    Roles, Setback, State, Ticket, TicketId, UserId,
};
use std::collections::BTreeMap;

#[derive(sqlx::FromRow)]
pub(crate) struct UserRow {
    pub id: i64,
    pub login: String,
    pub display_name: String,
    pub email: Option<String>,
    pub department_id: Option<i64>,
    pub roles: i64,
    pub locale: String,
    pub time_zone: Option<String>,
    pub active: bool,
    pub created_at: i64,
    pub phone: Option<String>,
    pub extension: Option<String>,
    pub office: Option<String>,
}

pub(crate) const USER_COLUMNS: &str = "id, login, display_name, email, department_id, roles, \
     locale, time_zone, active, created_at, phone, extension, office";

impl UserRow {
    pub fn into_record(self) -> Result<UserRecord, StoreError> {
        Ok(UserRecord {
            id: UserId(self.id),
            login: self.login,
            display_name: self.display_name,
            email: self.email,
            department: self.department_id.map(DepartmentId),
            roles: Roles::from_bits(self.roles),
            locale: self.locale,
            time_zone: self.time_zone,
            active: self.active,
            created_at: from_micros(self.created_at)?,
            contact: Contact {
                phone: self.phone,
                extension: self.extension,
                office: self.office,
            },
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct TicketRow {
    pub id: i64,
    pub number: String,
    pub title: String,
    pub category_id: i64,
    pub queue_id: i64,
    pub priority: i64,
    pub state: String,
    pub requester_id: i64,
    pub department_id: Option<i64>,
    pub technician_id: Option<i64>,
    pub attention_mode: Option<String>,
    pub remote_tool: Option<String>,
    pub remote_id: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    pub assigned_at: Option<i64>,
    pub resolved_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub setback: Option<String>,
    pub confirmed: Option<bool>,
    pub held_until: Option<i64>,
    pub version: i64,
    pub category_key: String,
    pub queue_key: String,
    pub requester_login: String,
    pub requester_name: String,
    pub technician_login: Option<String>,
    pub technician_name: Option<String>,
    pub department_code: Option<String>,
    pub department_name: Option<String>,
    pub department_active: Option<bool>,
    /// The field values as one JSON object; NULL or `{}` when there are none.
    pub fields: Option<String>,
}

/// The SELECT every ticket read starts from: the ticket, the names beside it, and
/// its field values gathered into one JSON object (`$fields`, per dialect), so a
/// page of tickets is one query.
macro_rules! ticket_select {
    ($fields:literal) => {
        concat!(
            "SELECT t.id, t.number, t.title, t.category_id, t.queue_id, \
             t.priority, t.state, t.requester_id, t.department_id, t.technician_id, t.attention_mode, \
             t.remote_tool, t.remote_id, t.created_at, t.updated_at, t.assigned_at, t.resolved_at, \
             t.closed_at, t.setback, t.confirmed, t.held_until, t.version, c.key AS category_key, q.key AS queue_key, \
             r.login AS requester_login, r.display_name AS requester_name, \
             tu.login AS technician_login, tu.display_name AS technician_name, \
             d.code AS department_code, d.name AS department_name, d.active AS department_active, ",
            $fields,
            " AS fields FROM tickets t \
             JOIN categories c ON c.id = t.category_id \
             JOIN queues q ON q.id = t.queue_id \
             JOIN users r ON r.id = t.requester_id \
             LEFT JOIN users tu ON tu.id = t.technician_id \
             LEFT JOIN departments d ON d.id = t.department_id"
        )
    };
}

pub(crate) const TICKET_SELECT_SQLITE: &str = ticket_select!(
    "(SELECT json_group_object(f.field_key, json(f.value)) FROM ticket_field_values f WHERE f.ticket_id = t.id)"
);
pub(crate) const TICKET_SELECT_POSTGRES: &str = ticket_select!(
    "(SELECT json_object_agg(f.field_key, f.value::json)::text FROM ticket_field_values f WHERE f.ticket_id = t.id)"
);

fn opt_time(v: Option<i64>) -> Result<Option<jiff::Timestamp>, StoreError> {
    v.map(from_micros).transpose()
}

impl TicketRow {
    pub fn into_record(self) -> Result<TicketRecord, StoreError> {
        let fields: BTreeMap<String, FieldValue> = match self.fields.as_deref() {
            None | Some("") => BTreeMap::new(),
            Some(json) => serde_json::from_str(json)?,
        };
        let state: State = self.state.parse().map_err(StoreError::Corrupt)?;
        let priority = Priority::new(self.priority)
            .ok_or_else(|| StoreError::Corrupt(format!("priority {}", self.priority)))?;
        let attention = match self.attention_mode.as_deref() {
            None => None,
            Some(mode) => Some(Attention {
                mode: match mode {
                    "in_person" => AttentionMode::InPerson,
                    "remote" => AttentionMode::Remote,
                    other => return Err(StoreError::Corrupt(format!("attention mode {other}"))),
                },
                remote_tool: self.remote_tool,
                remote_id: self.remote_id,
            }),
        };
        let technician = match (
            self.technician_id,
            self.technician_login,
            self.technician_name,
        ) {
            (Some(id), Some(login), Some(display_name)) => Some(UserRef {
                id: UserId(id),
                login,
                display_name,
            }),
            _ => None,
        };
        let department = match (
            self.department_id,
            self.department_code,
            self.department_name,
        ) {
            (Some(id), Some(code), Some(name)) => Some(DepartmentRecord {
                id: DepartmentId(id),
                code,
                name,
                active: self.department_active.unwrap_or(true),
            }),
            _ => None,
        };
        Ok(TicketRecord {
            ticket: Ticket {
                id: TicketId(self.id),
                number: self.number,
                title: self.title,
                category: CategoryId(self.category_id),
                queue: QueueId(self.queue_id),
                priority,
                state,
                fields,
                requester: UserId(self.requester_id),
                department: self.department_id.map(DepartmentId),
                technician: self.technician_id.map(UserId),
                attention,
                setback: match self.setback.as_deref() {
                    None => None,
                    Some(s) => Some(
                        Setback::parse(s)
                            .ok_or_else(|| StoreError::Corrupt(format!("setback {s}")))?,
                    ),
                },
                confirmed: self.confirmed,
                held_until: opt_time(self.held_until)?,
                created_at: from_micros(self.created_at)?,
                updated_at: from_micros(self.updated_at)?,
                assigned_at: opt_time(self.assigned_at)?,
                resolved_at: opt_time(self.resolved_at)?,
                closed_at: opt_time(self.closed_at)?,
                version: self.version,
            },
            category_key: self.category_key,
            queue_key: self.queue_key,
            requester: UserRef {
                id: UserId(self.requester_id),
                login: self.requester_login,
                display_name: self.requester_name,
            },
            technician,
            department,
        })
    }
}
