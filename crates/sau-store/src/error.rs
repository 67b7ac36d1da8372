//! Storage errors, with database errors mapped in one place.

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A unique constraint refused the write (a login or code already taken).
    #[error("already exists: {0}")]
    Duplicate(String),
    /// The row changed since it was read; nothing was written.
    #[error("the ticket changed since it was read")]
    StaleVersion,
    /// A referenced row (user, department, category…) does not exist.
    #[error("a referenced record does not exist: {0}")]
    MissingReference(String),
    #[error("unsupported database URL: use sqlite://… or postgres://…")]
    UnsupportedUrl,
    #[error("the database writer has stopped")]
    WriterClosed,
    #[error("database error: {0}")]
    Database(#[source] sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    #[error("blob store: {0}")]
    Io(#[from] std::io::Error),
    /// The work of a [`Store::transaction`](crate::Store::transaction) failed with
    /// its caller's own error; it is handed back as that error.
    #[error("the transaction's work was refused")]
    Refused(crate::unit::Refusal),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::RowNotFound => StoreError::NotFound,
            sqlx::Error::Database(db) if db.is_unique_violation() => {
                StoreError::Duplicate(db.message().to_owned())
            }
            sqlx::Error::Database(db) if db.is_foreign_key_violation() => {
                StoreError::MissingReference(db.message().to_owned())
            }
            _ => StoreError::Database(e),
        }
    }
}

impl From<serde_json::Error> for StoreError {
    fn from(e: serde_json::Error) -> Self {
        StoreError::Corrupt(e.to_string())
    }
}

/// Errors reach every caller of a group commit, so they must be cloneable; sqlx's
/// are not, and keep only their text when shared.
impl StoreError {
    pub(crate) fn share(&self) -> StoreError {
        match self {
            StoreError::NotFound => StoreError::NotFound,
            StoreError::Duplicate(m) => StoreError::Duplicate(m.clone()),
            StoreError::StaleVersion => StoreError::StaleVersion,
            StoreError::MissingReference(m) => StoreError::MissingReference(m.clone()),
            StoreError::WriterClosed => StoreError::WriterClosed,
            other => StoreError::Database(sqlx::Error::Protocol(other.to_string())),
        }
    }
}
