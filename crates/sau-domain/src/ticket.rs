//! The ticket as its events leave it: a projection, rebuilt exactly by replaying them.

use crate::{
    Attention, CategoryId, DepartmentId, Event, EventKind, FieldValue, Priority, QueueId, State,
    TicketId, UserId,
};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ticket {
    pub id: TicketId,
    pub number: String,
    pub title: String,
    pub category: CategoryId,
    pub queue: QueueId,
    pub priority: Priority,
    pub state: State,
    pub fields: BTreeMap<String, FieldValue>,
    pub requester: UserId,
    pub department: Option<DepartmentId>,
    pub technician: Option<UserId>,
    pub attention: Option<Attention>,
    /// Whether it came back after being handed back or closed, until it is
    /// resolved again: what the people working on it must notice first.
    pub setback: Option<Setback>,
    /// The requester's answer to "¿Se resolvió?" about the latest resolution.
    pub confirmed: Option<bool>,
    /// While on hold: when to look at it again, if the technician said.
    #[serde(default)]
    pub held_until: Option<Timestamp>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub assigned_at: Option<Timestamp>,
    pub resolved_at: Option<Timestamp>,
    pub closed_at: Option<Timestamp>,
    /// Counts the events applied; a write names the version it read, and a stale one
    /// is refused.
    pub version: i64,
}

impl Ticket {
    /// The ticket a `Submitted` event creates. Any other event yields `None`.
    pub fn open(id: TicketId, number: String, event: &Event) -> Option<Ticket> {
        let EventKind::Submitted {
            title,
            category,
            queue,
            priority,
            fields,
            requester,
            department,
            ..
        } = &event.kind
        else {
            return None;
        };
        Some(Ticket {
            id,
            number,
            title: title.clone(),
            category: *category,
            queue: *queue,
            priority: *priority,
            state: State::New,
            fields: fields.clone(),
            requester: *requester,
            department: *department,
            technician: None,
            attention: None,
            setback: None,
            confirmed: None,
            held_until: None,
            created_at: event.at,
            updated_at: event.at,
            assigned_at: None,
            resolved_at: None,
            closed_at: None,
            version: 1,
        })
    }

    /// Rebuilds a ticket from its whole history.
    pub fn replay(id: TicketId, number: String, events: &[Event]) -> Option<Ticket> {
        let (first, rest) = events.split_first()?;
        let mut ticket = Ticket::open(id, number, first)?;
        for event in rest {
            ticket.apply(event);
        }
        Some(ticket)
    }

    /// Applies one event that [`crate::Policy::decide`] produced.
    pub fn apply(&mut self, event: &Event) {
        self.version += 1;
        self.updated_at = event.at;
        match &event.kind {
            // A second submission cannot happen; ignoring it keeps `apply` total.
            EventKind::Submitted { .. } => {}
            EventKind::PriorityChanged { to, .. } => self.priority = *to,
            EventKind::Retitled { to, .. } => self.title = to.clone(),
            EventKind::CategoryChanged { to, queue, .. } => {
                self.category = *to;
                self.queue = *queue;
            }
            EventKind::FieldChanged { key, to, .. } => match to {
                Some(value) => {
                    self.fields.insert(key.clone(), value.clone());
                }
                None => {
                    self.fields.remove(key);
                }
            },
            EventKind::Assigned { technician, .. } => {
                self.technician = Some(*technician);
                self.state = State::Assigned;
                self.assigned_at = Some(event.at);
            }
            EventKind::Accepted | EventKind::Resumed => self.state = State::InProgress,
            EventKind::Returned { .. } => {
                self.state = State::InProgress;
                self.resolved_at = None;
                self.setback = Some(Setback::Returned);
                self.confirmed = None;
            }
            EventKind::Commented { .. } => {}
            EventKind::Held { until, .. } => {
                self.state = State::OnHold;
                self.held_until = *until;
            }
            EventKind::Resolved { attention, .. } => {
                self.state = State::Resolved;
                self.setback = None;
                // A new resolution asks the question again.
                self.confirmed = None;
                self.attention = Some(attention.clone());
                self.resolved_at = Some(event.at);
            }
            EventKind::Closed => {
                self.state = State::Closed;
                self.setback = None;
                self.closed_at = Some(event.at);
            }
            EventKind::Cancelled { .. } => {
                self.state = State::Cancelled;
                self.setback = None;
                self.closed_at = Some(event.at);
            }
            EventKind::Reopened { to_queue, .. } => {
                if *to_queue {
                    self.technician = None;
                }
                self.state = if self.technician.is_some() {
                    State::Assigned
                } else {
                    State::New
                };
                self.resolved_at = None;
                self.closed_at = None;
                self.setback = Some(Setback::Reopened);
                self.confirmed = None;
            }
            EventKind::Confirmed { solved, .. } => self.confirmed = Some(*solved),
            EventKind::Rated { .. } => {}
        }
        // The time to look again belongs to the hold it came with.
        if self.state != State::OnHold {
            self.held_until = None;
        }
    }
}

/// How a ticket came back to be worked on again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Setback {
    /// The dispatcher handed it back to its technician: the resolution fell short.
    Returned,
    /// Reopened after it was closed or cancelled.
    Reopened,
}

impl Setback {
    pub fn as_str(self) -> &'static str {
        match self {
            Setback::Returned => "returned",
            Setback::Reopened => "reopened",
        }
    }

    /// The value [`Self::as_str`] wrote, if it is one.
    pub fn parse(s: &str) -> Option<Setback> {
        [Setback::Returned, Setback::Reopened]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}
