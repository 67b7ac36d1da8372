//! The append-only history: every change to a ticket is one of these.

use crate::{
    Attachment, Attention, CategoryId, DepartmentId, FieldValue, Priority, QueueId, UserId,
    Visibility,
};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub actor: UserId,
    pub at: Timestamp,
    pub kind: EventKind,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EventKind {
    Submitted {
        title: String,
        description: String,
        category: CategoryId,
        queue: QueueId,
        priority: Priority,
        fields: BTreeMap<String, FieldValue>,
        requester: UserId,
        department: Option<DepartmentId>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        attachments: Vec<Attachment>,
    },
    PriorityChanged {
        from: Priority,
        to: Priority,
    },
    CategoryChanged {
        from: CategoryId,
        to: CategoryId,
        queue: QueueId,
    },
    Assigned {
        technician: UserId,
        previous: Option<UserId>,
    },
    Accepted,
    Commented {
        body: String,
        visibility: Visibility,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        attachments: Vec<Attachment>,
    },
    Held {
        reason: String,
    },
    Resumed,
    Resolved {
        resolution: String,
        attention: Attention,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        attachments: Vec<Attachment>,
    },
    Returned {
        reason: String,
    },
    Closed,
    Cancelled {
        reason: String,
    },
    Reopened {
        reason: String,
    },
}

impl EventKind {
    pub fn name(&self) -> &'static str {
        match self {
            EventKind::Submitted { .. } => "submitted",
            EventKind::PriorityChanged { .. } => "priority_changed",
            EventKind::CategoryChanged { .. } => "category_changed",
            EventKind::Assigned { .. } => "assigned",
            EventKind::Accepted => "accepted",
            EventKind::Commented { .. } => "commented",
            EventKind::Held { .. } => "held",
            EventKind::Resumed => "resumed",
            EventKind::Resolved { .. } => "resolved",
            EventKind::Returned { .. } => "returned",
            EventKind::Closed => "closed",
            EventKind::Cancelled { .. } => "cancelled",
            EventKind::Reopened { .. } => "reopened",
        }
    }

    /// Whether the requester may see this event in the ticket's history. Internal
    /// notes and the dispatcher's return of work to the technician stay among agents.
    pub fn is_public(&self) -> bool {
        match self {
            EventKind::Commented { visibility, .. } => *visibility == Visibility::Public,
            EventKind::Returned { .. } => false,
            _ => true,
        }
    }
}
