//! A ticket as OTRS's TicketGet shows one: ids as strings, times as
//! `YYYY-MM-DD HH:MM:SS` in UTC (OTRS's default system time zone), and SAU's
//! words mapped to OTRS's (see [`super::vocabulary`]).

use super::vocabulary::{field_text, otrs_state, priority_name};
use sau_domain::Category;
use sau_service::{Caller, QueueRecord, Service, ServiceError, TicketRecord};
use serde_json::{Map, Value, json};

/// The names tickets are shown with: categories (OTRS's types) and queues.
pub struct Catalog {
    pub categories: Vec<Category>,
    pub queues: Vec<QueueRecord>,
}

impl Catalog {
    pub async fn load(service: &Service, caller: &Caller) -> Result<Catalog, ServiceError> {
        Ok(Catalog {
            categories: service.categories(caller).await?,
            queues: service.queue_names(caller).await?,
        })
    }

    pub fn category(&self, id: sau_domain::CategoryId) -> Option<&Category> {
        self.categories.iter().find(|c| c.id == id)
    }

    /// The category an OTRS type names: by id, key or name in either language.
    pub fn category_named(&self, given: &str) -> Option<&Category> {
        let given = given.trim();
        self.categories.iter().find(|c| {
            c.id.0.to_string() == given
                || c.key == given
                || c.name_es.eq_ignore_ascii_case(given)
                || c.name_en.eq_ignore_ascii_case(given)
        })
    }

    /// The one active category that files its tickets under `queue`, if it
    /// has exactly one: what a queue alone stands for.
    pub fn only_category_of(&self, queue: sau_domain::QueueId) -> Option<&Category> {
        let mut of_queue = self
            .categories
            .iter()
            .filter(|c| c.active && c.queue == queue);
        match (of_queue.next(), of_queue.next()) {
            (Some(only), None) => Some(only),
            _ => None,
        }
    }

    /// The queue an OTRS queue names: by id, key or name.
    pub fn queue_named(&self, given: &str) -> Option<&QueueRecord> {
        let given = given.trim();
        self.queues.iter().find(|q| {
            q.id.0.to_string() == given || q.key == given || q.name.eq_ignore_ascii_case(given)
        })
    }
}

/// `2026-11-03 14:05:00`, in UTC.
pub fn otrs_time(at: jiff::Timestamp) -> String {
    at.strftime("%Y-%m-%d %H:%M:%S").to_string()
}

/// The ticket's hash, without articles; its category's fields as dynamic
/// fields when `dynamic_fields`. `changed_by` made its latest change.
pub fn ticket_hash(
    record: &TicketRecord,
    catalog: &Catalog,
    dynamic_fields: bool,
    changed_by: sau_domain::UserId,
    now: jiff::Timestamp,
) -> Map<String, Value> {
    let t = &record.ticket;
    let state = otrs_state(t.state);
    let category = catalog.category(t.category);
    let type_name = category.map_or_else(|| record.category_key.clone(), |c| c.name_es.clone());
    let queue_name = catalog
        .queues
        .iter()
        .find(|q| q.id == t.queue)
        .map_or_else(|| record.queue_key.clone(), |q| q.name.clone());
    let (owner, owner_id) = match &record.technician {
        Some(tech) => (tech.login.clone(), tech.id.0.to_string()),
        None => (String::new(), "0".to_owned()),
    };
    // A finished ticket is unlocked, as OTRS unlocks on closing.
    let locked = record.technician.is_some() && !t.state.is_finished();
    let priority = t.priority.level();
    let mut hash = json!({
        "TicketID": t.id.0.to_string(),
        "TicketNumber": t.number,
        "Title": t.title,
        "State": state.name,
        "StateID": state.id.to_string(),
        "StateType": state.type_name,
        "Priority": priority_name(priority),
        "PriorityID": priority.to_string(),
        "Lock": if locked { "lock" } else { "unlock" },
        "LockID": if locked { "2" } else { "1" },
        "Queue": queue_name,
        "QueueID": t.queue.0.to_string(),
        "GroupID": "1",
        "CustomerID": record.department.as_ref().map(|d| d.code.clone()).unwrap_or_default(),
        "CustomerUserID": record.requester.login,
        "Owner": owner,
        "OwnerID": owner_id,
        "Responsible": owner,
        "ResponsibleID": owner_id,
        "Type": type_name,
        "TypeID": t.category.0.to_string(),
        "ServiceID": "",
        "SLAID": "",
        "Created": otrs_time(t.created_at),
        "CreateBy": t.requester.0.to_string(),
        "Changed": otrs_time(t.updated_at),
        "ChangeBy": changed_by.0.to_string(),
        "ArchiveFlag": "n",
        "Age": now.as_second() - t.created_at.as_second(),
        "UnlockTimeout": "0",
        // A hold's `until`: OTRS's pending time, as epoch seconds and as
        // seconds from now (negative once passed).
        "RealTillTimeNotUsed": t.held_until.map_or(0, |u| u.as_second()).to_string(),
        "UntilTime": t.held_until.map_or(0, |u| u.as_second() - now.as_second()),
        "EscalationTime": "0",
        "EscalationResponseTime": "0",
        "EscalationUpdateTime": "0",
        "EscalationSolutionTime": "0",
        "TimeUnit": 0,
    });
    let mut map = hash.as_object_mut().map(std::mem::take).unwrap_or_default();
    if dynamic_fields {
        let fields: Vec<Value> = category
            .map(|c| c.fields.iter().chain(&c.retired_fields).collect::<Vec<_>>())
            .unwrap_or_default()
            .into_iter()
            .map(|def| {
                json!({
                    "Name": def.key,
                    "Value": t.fields.get(&def.key).map(field_text),
                })
            })
            .collect();
        map.insert("DynamicField".into(), Value::Array(fields));
    }
    map
}
