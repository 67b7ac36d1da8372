//! `decide`: who may do what to a ticket in which state, and which events follow.

use crate::{
    Command, DomainError, Event, EventKind, FieldProblem, Role, Roles, State, Submission, Ticket,
    UserId, Visibility,
};
use jiff::{SignedDuration, Timestamp};

/// Longest reason, comment or resolution accepted, in characters.
pub const MAX_BODY_CHARS: usize = 100_000;
/// Longest title, in characters.
pub const MAX_TITLE_CHARS: usize = 200;
/// Longest remote tool name or remote id, in characters.
const MAX_REMOTE_CHARS: usize = 100;

/// The person acting, with the roles they hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    pub id: UserId,
    pub roles: Roles,
}

impl Actor {
    fn is(&self, role: Role) -> bool {
        self.roles.has(role)
    }

    fn dispatches(&self) -> bool {
        self.roles.dispatches()
    }

    fn is_assigned_technician(&self, ticket: &Ticket) -> bool {
        self.is(Role::Technician) && ticket.technician == Some(self.id)
    }

    /// Whether this person may see the ticket at all: agents see every ticket,
    /// requesters only their own.
    pub fn can_see(&self, ticket: &Ticket) -> bool {
        self.roles.is_agent() || ticket.requester == self.id
    }

    /// Whether this person sees internal notes and internal history.
    pub fn sees_internal(&self) -> bool {
        self.roles.is_agent()
    }
}

/// The settings the rules depend on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// Days after closing during which the requester may reopen their ticket.
    pub requester_reopen_days: u32,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            requester_reopen_days: 7,
        }
    }
}

fn text(field: &'static str, value: &str, max: usize) -> Result<String, DomainError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(DomainError::Invalid {
            field,
            problem: FieldProblem::Required,
        });
    }
    if value.chars().count() > max {
        return Err(DomainError::Invalid {
            field,
            problem: FieldProblem::TooLong,
        });
    }
    Ok(value.to_owned())
}

fn optional_text(
    field: &'static str,
    value: &Option<String>,
) -> Result<Option<String>, DomainError> {
    match value.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => text(field, v, MAX_REMOTE_CHARS).map(Some),
    }
}

impl Policy {
    /// A new request. Anyone with a role may submit; the request is always the
    /// submitter's own.
    pub fn submit(
        &self,
        actor: Actor,
        submission: Submission,
        now: Timestamp,
    ) -> Result<Event, DomainError> {
        if actor.roles.is_empty() || actor.id != submission.requester {
            return Err(DomainError::NotAllowed { command: "submit" });
        }
        Ok(Event {
            actor: actor.id,
            at: now,
            kind: EventKind::Submitted {
                title: text("title", &submission.title, MAX_TITLE_CHARS)?,
                description: text("description", &submission.description, MAX_BODY_CHARS)?,
                category: submission.category,
                queue: submission.queue,
                priority: submission.priority,
                fields: submission.fields,
                requester: submission.requester,
                department: submission.department,
                attachments: submission.attachments,
            },
        })
    }

    /// Decides what `command` by `actor` does to `ticket` at `now`: the events to
    /// record, or why not. Role is checked before state, so a person who may never
    /// do this hears "not allowed" rather than a hint about the ticket's state.
    pub fn decide(
        &self,
        ticket: &Ticket,
        actor: Actor,
        command: &Command,
        now: Timestamp,
    ) -> Result<Vec<Event>, DomainError> {
        let name = command.name();
        let not_allowed = || DomainError::NotAllowed { command: name };
        let wrong_state = || DomainError::InvalidTransition {
            command: name,
            state: ticket.state,
        };
        if !actor.can_see(ticket) {
            return Err(not_allowed());
        }
        let event = |kind| Event {
            actor: actor.id,
            at: now,
            kind,
        };
        let state = ticket.state;
        match command {
            Command::Assign {
                technician,
                priority,
                category,
            } => {
                if !actor.dispatches() {
                    return Err(not_allowed());
                }
                if !matches!(
                    state,
                    State::New | State::Assigned | State::InProgress | State::OnHold
                ) {
                    return Err(wrong_state());
                }
                if !technician.active || !technician.roles.has(Role::Technician) {
                    return Err(DomainError::NotATechnician);
                }
                let mut events = Vec::new();
                if let Some(p) = priority.filter(|p| *p != ticket.priority) {
                    events.push(event(EventKind::PriorityChanged {
                        from: ticket.priority,
                        to: p,
                    }));
                }
                if let Some((c, q)) = category.filter(|(c, _)| *c != ticket.category) {
                    events.push(event(EventKind::CategoryChanged {
                        from: ticket.category,
                        to: c,
                        queue: q,
                    }));
                }
                let unchanged =
                    state == State::Assigned && ticket.technician == Some(technician.id);
                if !unchanged {
                    events.push(event(EventKind::Assigned {
                        technician: technician.id,
                        previous: ticket.technician,
                    }));
                }
                Ok(events)
            }
            Command::Reassign { technician } => {
                if !actor.dispatches() {
                    return Err(not_allowed());
                }
                if !matches!(state, State::Assigned | State::InProgress | State::OnHold) {
                    return Err(wrong_state());
                }
                if !technician.active || !technician.roles.has(Role::Technician) {
                    return Err(DomainError::NotATechnician);
                }
                Ok(vec![event(EventKind::Assigned {
                    technician: technician.id,
                    previous: ticket.technician,
                })])
            }
            Command::Accept => {
                self.technician_step(ticket, actor, State::Assigned, name)?;
                Ok(vec![event(EventKind::Accepted)])
            }
            Command::Hold { reason } => {
                self.technician_step(ticket, actor, State::InProgress, name)?;
                Ok(vec![event(EventKind::Held {
                    reason: text("reason", reason, MAX_BODY_CHARS)?,
                })])
            }
            Command::Resume => {
                self.technician_step(ticket, actor, State::OnHold, name)?;
                Ok(vec![event(EventKind::Resumed)])
            }
            Command::Resolve {
                resolution,
                attention,
                attachments,
            } => {
                self.technician_step(ticket, actor, State::InProgress, name)?;
                let attention = crate::Attention {
                    mode: attention.mode,
                    remote_tool: optional_text("remote_tool", &attention.remote_tool)?,
                    remote_id: optional_text("remote_id", &attention.remote_id)?,
                };
                Ok(vec![event(EventKind::Resolved {
                    resolution: text("resolution", resolution, MAX_BODY_CHARS)?,
                    attention,
                    attachments: attachments.clone(),
                })])
            }
            Command::Comment {
                body,
                visibility,
                attachments,
            } => {
                let agent = actor.roles.is_agent();
                let own_public = ticket.requester == actor.id && *visibility == Visibility::Public;
                if !(agent || own_public) {
                    return Err(not_allowed());
                }
                if state.is_finished() {
                    return Err(wrong_state());
                }
                // Files may speak for themselves: a scan sent without a word.
                let body = if attachments.is_empty() || !body.trim().is_empty() {
                    text("body", body, MAX_BODY_CHARS)?
                } else {
                    String::new()
                };
                Ok(vec![event(EventKind::Commented {
                    body,
                    visibility: *visibility,
                    attachments: attachments.clone(),
                })])
            }
            Command::Return { reason } => {
                if !actor.dispatches() {
                    return Err(not_allowed());
                }
                if state != State::Resolved {
                    return Err(wrong_state());
                }
                Ok(vec![event(EventKind::Returned {
                    reason: text("reason", reason, MAX_BODY_CHARS)?,
                })])
            }
            Command::Close => {
                if !actor.dispatches() {
                    return Err(not_allowed());
                }
                if state != State::Resolved {
                    return Err(wrong_state());
                }
                Ok(vec![event(EventKind::Closed)])
            }
            Command::Cancel { reason } => {
                if !actor.dispatches() {
                    return Err(not_allowed());
                }
                if state.is_finished() {
                    return Err(wrong_state());
                }
                Ok(vec![event(EventKind::Cancelled {
                    reason: text("reason", reason, MAX_BODY_CHARS)?,
                })])
            }
            Command::Reopen { reason } => {
                let supervisor = actor.is(Role::Supervisor);
                let requester = ticket.requester == actor.id;
                if !supervisor && !requester {
                    return Err(not_allowed());
                }
                if supervisor {
                    if !state.is_finished() {
                        return Err(wrong_state());
                    }
                } else {
                    // The requester may reopen only what was closed (not cancelled),
                    // and only for a while.
                    if state != State::Closed {
                        return Err(wrong_state());
                    }
                    let window =
                        SignedDuration::from_hours(24 * i64::from(self.requester_reopen_days));
                    let closed = ticket.closed_at.unwrap_or(ticket.updated_at);
                    if now.duration_since(closed) > window {
                        return Err(DomainError::ReopenWindowExpired {
                            days: self.requester_reopen_days,
                        });
                    }
                }
                Ok(vec![event(EventKind::Reopened {
                    reason: text("reason", reason, MAX_BODY_CHARS)?,
                })])
            }
        }
    }

    /// Accept, hold, resume and resolve belong to the assigned technician, or to a
    /// supervisor acting in their place.
    fn technician_step(
        &self,
        ticket: &Ticket,
        actor: Actor,
        from: State,
        name: &'static str,
    ) -> Result<(), DomainError> {
        if !(actor.is_assigned_technician(ticket) || actor.is(Role::Supervisor)) {
            return Err(DomainError::NotAllowed { command: name });
        }
        if ticket.state != from {
            return Err(DomainError::InvalidTransition {
                command: name,
                state: ticket.state,
            });
        }
        Ok(())
    }
}
