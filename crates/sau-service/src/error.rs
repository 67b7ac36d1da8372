//! What a use-case can answer instead of a result. Every channel renders these.

use sau_domain::{AttachmentRefusal, DomainError, FieldProblem};
use sau_store::StoreError;
use std::collections::BTreeMap;

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// No valid credentials or token.
    #[error("authentication required")]
    Unauthenticated,
    /// Wrong login or password (kept vague on purpose).
    #[error("wrong login or password")]
    BadCredentials,
    /// Too many failed sign-ins for this account or address; try again after
    /// `retry_after`.
    #[error("too many failed sign-ins; retry in {} s", .retry_after.as_secs())]
    Throttled { retry_after: std::time::Duration },
    /// The caller may not do this at all.
    #[error("not allowed")]
    Forbidden,
    /// The thing does not exist, or the caller may not know it does.
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The procedure's rules refused the command.
    #[error(transparent)]
    Domain(#[from] DomainError),
    /// The ticket changed since the caller read it.
    #[error("the ticket changed: it is now at version {current}")]
    StaleVersion { current: i64 },
    /// Input refused before reaching the rules: field name → problem.
    #[error("invalid input: {}", describe(.0))]
    Invalid(BTreeMap<String, FieldProblem>),
    /// Files over a limit, of a kind not allowed, or empty.
    #[error(transparent)]
    Attachment(#[from] AttachmentRefusal),
    /// A login, code or key that must be unique is taken.
    #[error("{0} already exists")]
    Duplicate(&'static str),
    #[error("internal error: {0}")]
    Internal(#[source] StoreError),
}

fn describe(fields: &BTreeMap<String, FieldProblem>) -> String {
    fields
        .iter()
        .map(|(field, problem)| format!("{field} is {}", problem.as_str().replace('_', " ")))
        .collect::<Vec<_>>()
        .join(", ")
}

impl ServiceError {
    pub fn invalid(field: &str, problem: FieldProblem) -> ServiceError {
        ServiceError::Invalid(BTreeMap::from([(field.to_owned(), problem)]))
    }

    /// A stable code for clients and translations.
    pub fn code(&self) -> &'static str {
        match self {
            ServiceError::Unauthenticated => "unauthenticated",
            ServiceError::BadCredentials => "bad_credentials",
            ServiceError::Throttled { .. } => "too_many_attempts",
            ServiceError::Forbidden => "forbidden",
            ServiceError::NotFound(_) => "not_found",
            ServiceError::Domain(e) => e.code(),
            ServiceError::StaleVersion { .. } => "stale_version",
            ServiceError::Invalid(_) => "invalid_input",
            ServiceError::Attachment(refusal) => refusal.code(),
            ServiceError::Duplicate(_) => "duplicate",
            ServiceError::Internal(_) => "internal",
        }
    }
}

impl From<StoreError> for ServiceError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => ServiceError::NotFound("record"),
            StoreError::Duplicate(_) => ServiceError::Duplicate("record"),
            other => ServiceError::Internal(other),
        }
    }
}
