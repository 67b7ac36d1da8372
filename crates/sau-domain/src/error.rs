//! Why the rules refuse a command or an input.

use crate::{FieldProblem, State};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DomainError {
    /// The actor's roles (or relation to the ticket) do not allow this command.
    #[error("`{command}` is not allowed for this user on this ticket")]
    NotAllowed { command: &'static str },
    /// The command makes no sense in the ticket's current state.
    #[error("`{command}` is not possible while the ticket is {}", state.as_str())]
    InvalidTransition { command: &'static str, state: State },
    /// The requester's window for reopening has passed.
    #[error("the ticket was closed more than {days} days ago and can no longer be reopened")]
    ReopenWindowExpired { days: u32 },
    /// The person named as technician does not hold the technician role or is inactive.
    #[error("the user is not an active technician")]
    NotATechnician,
    /// A required text (reason, resolution, title…) is empty or too long.
    #[error("field `{field}` is invalid: {problem:?}")]
    Invalid {
        field: &'static str,
        problem: FieldProblem,
    },
    /// One or more category fields are missing or malformed.
    #[error("the request's fields are invalid")]
    InvalidFields(BTreeMap<String, FieldProblem>),
}

impl DomainError {
    /// A stable, machine-readable code for API clients and translations.
    pub fn code(&self) -> &'static str {
        match self {
            DomainError::NotAllowed { .. } => "not_allowed",
            DomainError::InvalidTransition { .. } => "invalid_transition",
            DomainError::ReopenWindowExpired { .. } => "reopen_window_expired",
            DomainError::NotATechnician => "not_a_technician",
            DomainError::Invalid { .. } | DomainError::InvalidFields(_) => "invalid_input",
        }
    }
}
