//! The append-only history: every change to a ticket is one of these.

use crate::{
    Attachment, Attention, CategoryId, DepartmentId, FieldValue, Intake, Priority, QueueId, UserId,
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
        /// How the request reached the agent who typed it (the event's actor)
        /// for the requester; `None` when the requester typed it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        intake: Option<Intake>,
    },
    PriorityChanged {
        from: Priority,
        to: Priority,
    },
    /// The dispatcher corrected the title.
    Retitled {
        from: String,
        to: String,
    },
    CategoryChanged {
        from: CategoryId,
        to: CategoryId,
        queue: QueueId,
    },
    /// The dispatcher corrected one of the request's field values (`None`: it
    /// had none, or it was cleared).
    FieldChanged {
        key: String,
        from: Option<FieldValue>,
        to: Option<FieldValue>,
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
        /// When to look at it again, if the technician said.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        until: Option<Timestamp>,
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
        /// The ticket goes back through the dispatcher's queue (manual steps 2–3),
        /// unassigned. Reopens recorded before this existed (absent: `false`) sent
        /// it straight back to its technician, and replay keeps them that way.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        to_queue: bool,
        /// The technician who had it, whom the dispatcher is offered first.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        former_technician: Option<UserId>,
    },
    /// The requester's answer to "¿Se resolvió?"; a comment with it joins the
    /// conversation.
    Confirmed {
        solved: bool,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        comment: String,
    },
    /// The requester's rating of how the closed request was attended, from
    /// the link in the closing mail.
    Rated {
        score: u8,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        comment: String,
    },
}

impl EventKind {
    pub fn name(&self) -> &'static str {
        match self {
            EventKind::Submitted { .. } => "submitted",
            EventKind::PriorityChanged { .. } => "priority_changed",
            EventKind::Retitled { .. } => "retitled",
            EventKind::CategoryChanged { .. } => "category_changed",
            EventKind::FieldChanged { .. } => "field_changed",
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
            EventKind::Confirmed { .. } => "confirmed",
            EventKind::Rated { .. } => "rated",
        }
    }

    /// The conversation entry this event adds, if any: the request's description,
    /// a comment or note, or the technician's resolution.
    pub fn entry(&self) -> Option<EventEntry<'_>> {
        let (kind, body, visibility, attachments) = match self {
            EventKind::Submitted {
                description,
                attachments,
                ..
            } => (
                EntryKind::Description,
                description,
                Visibility::Public,
                attachments,
            ),
            EventKind::Commented {
                body,
                visibility,
                attachments,
            } => (EntryKind::Comment, body, *visibility, attachments),
            EventKind::Resolved {
                resolution,
                attachments,
                ..
            } => (
                EntryKind::Resolution,
                resolution,
                Visibility::Public,
                attachments,
            ),
            EventKind::Confirmed { comment, .. } if !comment.is_empty() => {
                (EntryKind::Comment, comment, Visibility::Public, &NO_FILES)
            }
            _ => return None,
        };
        Some(EventEntry {
            kind,
            body,
            visibility,
            attachments,
        })
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

/// The files of an entry that carries none.
static NO_FILES: Vec<Attachment> = Vec::new();

/// What kind of conversation entry a ticket holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    /// The requester's description, written when the request was submitted.
    Description,
    /// A comment, public or an internal note.
    Comment,
    /// The technician's account of what was done, written on handing back.
    Resolution,
}

impl EntryKind {
    pub const ALL: &[EntryKind] = &[
        EntryKind::Description,
        EntryKind::Comment,
        EntryKind::Resolution,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::Description => "description",
            EntryKind::Comment => "comment",
            EntryKind::Resolution => "resolution",
        }
    }

    pub fn parse(s: &str) -> Option<EntryKind> {
        EntryKind::ALL.iter().copied().find(|k| k.as_str() == s)
    }
}

/// The entry an event adds to the conversation (see [`EventKind::entry`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventEntry<'a> {
    pub kind: EntryKind,
    pub body: &'a str,
    pub visibility: Visibility,
    pub attachments: &'a [Attachment],
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entry_kind_reads_back_from_its_name() {
        for kind in EntryKind::ALL {
            assert_eq!(EntryKind::parse(kind.as_str()), Some(*kind));
        }
        assert_eq!(EntryKind::parse("Comment"), None);
    }

    #[test]
    fn an_internal_note_is_an_internal_comment_entry_and_a_return_adds_none() {
        let note = EventKind::Commented {
            body: "revisar cable".into(),
            visibility: Visibility::Internal,
            attachments: vec![],
        };
        let entry = note.entry().expect("a note is an entry");
        assert_eq!(entry.kind, EntryKind::Comment);
        assert_eq!(entry.visibility, Visibility::Internal);
        assert_eq!(entry.body, "revisar cable");
        let returned = EventKind::Returned {
            reason: "falta la firma".into(),
        };
        assert_eq!(returned.entry(), None);
    }
}
