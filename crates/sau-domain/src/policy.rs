//! `permits` and `allowed`: who may do what to a ticket in which state; `decide`:
//! which events follow.

use crate::{
    AttentionMode, CategoryId, Command, CommandKind, DomainError, Event, EventKind, FieldProblem,
    QueueId, Role, Roles, State, Submission, Ticket, UserId, Visibility,
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
    /// A new request. Anyone with a role may submit their own; an agent may
    /// also type one for someone who called or came to the desk, saying how it
    /// reached them (the manual's requests arrive by phone too).
    pub fn submit(
        &self,
        actor: Actor,
        mut submission: Submission,
        now: Timestamp,
    ) -> Result<Event, DomainError> {
        let own = actor.id == submission.requester;
        if actor.roles.is_empty() || (!own && !actor.roles.is_agent()) {
            return Err(DomainError::NotAllowed { command: "submit" });
        }
        if own {
            // Nobody relays their own request.
            submission.intake = None;
        } else if submission.intake.is_none() {
            return Err(DomainError::Invalid {
                field: "intake",
                problem: FieldProblem::Required,
            });
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
                intake: submission.intake,
            },
        })
    }

    /// The commands `actor` may give on `ticket` at `now`, in
    /// [`CommandKind::ALL`]'s order. Pages show exactly these; each one may still
    /// be refused for what it carries (an empty reason, someone who is not a
    /// technician), never for who gives it or when.
    pub fn allowed(&self, ticket: &Ticket, actor: Actor, now: Timestamp) -> Vec<CommandKind> {
        CommandKind::ALL
            .into_iter()
            .filter(|kind| self.permits(ticket, actor, *kind, now).is_ok())
            .collect()
    }

    /// Whether `actor` may give a command of `kind` on `ticket` at `now`: their
    /// role, the ticket's state and the requester's reopen window. Role is checked
    /// before state, so a person who may never do this hears "not allowed" rather
    /// than a hint about the ticket's state.
    pub fn permits(
        &self,
        ticket: &Ticket,
        actor: Actor,
        kind: CommandKind,
        now: Timestamp,
    ) -> Result<(), DomainError> {
        let command = kind.as_str();
        if !actor.can_see(ticket) {
            return Err(DomainError::NotAllowed { command });
        }
        let state = ticket.state;
        let open = !state.is_finished();
        // Accept, hold, resume and resolve belong to the assigned technician, or
        // to a supervisor acting in their place.
        let technician = actor.is_assigned_technician(ticket) || actor.is(Role::Supervisor);
        let (may, in_state) = match kind {
            CommandKind::Assign => (
                actor.dispatches(),
                matches!(
                    state,
                    State::New | State::Assigned | State::InProgress | State::OnHold
                ),
            ),
            CommandKind::Reassign => (
                actor.dispatches(),
                matches!(state, State::Assigned | State::InProgress | State::OnHold),
            ),
            CommandKind::Accept => (technician, state == State::Assigned),
            CommandKind::Hold | CommandKind::Resolve => (technician, state == State::InProgress),
            CommandKind::Resume => (technician, state == State::OnHold),
            CommandKind::Comment => (actor.roles.is_agent() || ticket.requester == actor.id, open),
            CommandKind::Return | CommandKind::Close => {
                (actor.dispatches(), state == State::Resolved)
            }
            CommandKind::Cancel => (actor.dispatches(), open),
            CommandKind::Reopen if actor.is(Role::Supervisor) => (true, !open),
            // The requester may reopen only what was closed (not cancelled), and
            // only for a while.
            CommandKind::Reopen => (ticket.requester == actor.id, state == State::Closed),
            // "¿Se resolvió?" is the requester's own question to answer.
            CommandKind::Confirm => (ticket.requester == actor.id, state == State::Resolved),
            // Until it is closed, what a request says of itself can be put right.
            CommandKind::Correct => (actor.dispatches(), open),
        };
        if !may {
            return Err(DomainError::NotAllowed { command });
        }
        if !in_state {
            return Err(DomainError::InvalidTransition { command, state });
        }
        if kind == CommandKind::Reopen && !actor.is(Role::Supervisor) {
            let window = SignedDuration::from_hours(24 * i64::from(self.requester_reopen_days));
            let closed = ticket.closed_at.unwrap_or(ticket.updated_at);
            if now.duration_since(closed) > window {
                return Err(DomainError::ReopenWindowExpired {
                    days: self.requester_reopen_days,
                });
            }
        }
        Ok(())
    }

    /// Decides what `command` by `actor` does to `ticket` at `now`: the events to
    /// record, or why not. Who may give it, and when, is [`Self::permits`]'s;
    /// what it carries is checked here.
    pub fn decide(
        &self,
        ticket: &Ticket,
        actor: Actor,
        command: &Command,
        now: Timestamp,
    ) -> Result<Vec<Event>, DomainError> {
        // A requester's note is always public: an internal one is not theirs to write.
        if let Command::Comment {
            visibility: Visibility::Internal,
            ..
        } = command
            && !actor.roles.is_agent()
        {
            return Err(DomainError::NotAllowed {
                command: command.name(),
            });
        }
        self.permits(ticket, actor, command.kind(), now)?;
        let event = |kind| Event {
            actor: actor.id,
            at: now,
            kind,
        };
        let technician_named = |technician: &crate::Assignee| {
            if technician.active && technician.roles.has(Role::Technician) {
                Ok(())
            } else {
                Err(DomainError::NotATechnician)
            }
        };
        match command {
            Command::Assign {
                technician,
                priority,
                category,
            } => {
                technician_named(technician)?;
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
                    ticket.state == State::Assigned && ticket.technician == Some(technician.id);
                if !unchanged {
                    events.push(event(EventKind::Assigned {
                        technician: technician.id,
                        previous: ticket.technician,
                    }));
                }
                Ok(events)
            }
            Command::Reassign { technician } => {
                technician_named(technician)?;
                Ok(vec![event(EventKind::Assigned {
                    technician: technician.id,
                    previous: ticket.technician,
                })])
            }
            Command::Accept => Ok(vec![event(EventKind::Accepted)]),
            Command::Hold { reason, until } => {
                let reason = text("reason", reason, MAX_BODY_CHARS)?;
                // When to look again is ahead, or it is no reminder.
                if until.is_some_and(|u| u <= now) {
                    return Err(DomainError::Invalid {
                        field: "until",
                        problem: FieldProblem::OutOfRange,
                    });
                }
                Ok(vec![event(EventKind::Held {
                    reason,
                    until: *until,
                })])
            }
            Command::Resume => Ok(vec![event(EventKind::Resumed)]),
            Command::Resolve {
                resolution,
                attention,
                attachments,
            } => {
                // Attended in person, there is no remote tool to record.
                let remote = attention.mode == AttentionMode::Remote;
                let attention = crate::Attention {
                    mode: attention.mode,
                    remote_tool: optional_text("remote_tool", &attention.remote_tool)?
                        .filter(|_| remote),
                    remote_id: optional_text("remote_id", &attention.remote_id)?.filter(|_| remote),
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
            Command::Return { reason } => Ok(vec![event(EventKind::Returned {
                reason: text("reason", reason, MAX_BODY_CHARS)?,
            })]),
            Command::Close => Ok(vec![event(EventKind::Closed)]),
            Command::Cancel { reason } => Ok(vec![event(EventKind::Cancelled {
                reason: text("reason", reason, MAX_BODY_CHARS)?,
            })]),
            Command::Reopen { reason } => Ok(vec![event(EventKind::Reopened {
                reason: text("reason", reason, MAX_BODY_CHARS)?,
                to_queue: true,
                former_technician: ticket.technician,
            })]),
            Command::Confirm { solved, comment } => {
                let comment = match comment.trim() {
                    "" => String::new(),
                    text_given => text("comment", text_given, MAX_BODY_CHARS)?,
                };
                Ok(vec![event(EventKind::Confirmed {
                    solved: *solved,
                    comment,
                })])
            }
            Command::Correct {
                title,
                category,
                priority,
                fields,
            } => {
                let mut events = Vec::new();
                if let Some(title) = title {
                    let to = text("title", title, MAX_TITLE_CHARS)?;
                    if to != ticket.title {
                        events.push(event(EventKind::Retitled {
                            from: ticket.title.clone(),
                            to,
                        }));
                    }
                }
                if let Some((c, q)) = category.filter(|(c, _)| *c != ticket.category) {
                    events.push(event(EventKind::CategoryChanged {
                        from: ticket.category,
                        to: c,
                        queue: q,
                    }));
                }
                if let Some(p) = priority.filter(|p| *p != ticket.priority) {
                    events.push(event(EventKind::PriorityChanged {
                        from: ticket.priority,
                        to: p,
                    }));
                }
                if let Some(correction) = fields {
                    events.extend(field_changes(ticket, *category, correction)?.map(event));
                }
                if events.is_empty() {
                    // Nothing to record: say so rather than write an empty change.
                    let (field, problem) = if title.is_some() {
                        ("title", FieldProblem::Unchanged)
                    } else if category.is_some() {
                        ("category", FieldProblem::Unchanged)
                    } else if priority.is_some() {
                        ("priority", FieldProblem::Unchanged)
                    } else if fields.as_ref().is_some_and(|f| !f.values.is_empty()) {
                        ("fields", FieldProblem::Unchanged)
                    } else {
                        ("title", FieldProblem::Required)
                    };
                    return Err(DomainError::Invalid { field, problem });
                }
                Ok(events)
            }
        }
    }
}

/// The field values a correction changes on `ticket`, as events. They were
/// checked against a category: the one the ticket has once `category` (the
/// correction's own change, if any) is made, or the ticket moved on since and
/// they are refused, each as a field the ticket's category does not have.
fn field_changes<'a>(
    ticket: &'a Ticket,
    category: Option<(CategoryId, QueueId)>,
    correction: &'a crate::FieldCorrection,
) -> Result<impl Iterator<Item = EventKind> + 'a, DomainError> {
    let category_after = category.map_or(ticket.category, |(c, _)| c);
    if correction.category != category_after {
        return Err(DomainError::InvalidFields(
            correction
                .values
                .keys()
                .map(|k| (k.clone(), FieldProblem::Unknown))
                .collect(),
        ));
    }
    Ok(correction.values.iter().filter_map(|(key, to)| {
        let from = ticket.fields.get(key);
        (from != to.as_ref()).then(|| EventKind::FieldChanged {
            key: key.clone(),
            from: from.cloned(),
            to: to.clone(),
        })
    }))
}
