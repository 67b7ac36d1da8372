//! The store's statements for integrations' sessions.

use crate::records::UserRecord;
use crate::{Backend, Store, StoreError};
use sau_domain::UserId;

/// A session to open: only the hash of its id is kept.
#[derive(Debug, Clone)]
pub struct NewApiSession {
    pub token_hash: String,
    pub user: UserId,
    pub as_requester: bool,
    pub created_at: jiff::Timestamp,
    pub expires_at: jiff::Timestamp,
    pub idle_until: jiff::Timestamp,
}

/// A live session: whose, opened as what, since when, and until when it may
/// stay unused.
#[derive(Debug, Clone)]
pub struct ApiSession {
    pub user: UserRecord,
    pub as_requester: bool,
    pub created_at: jiff::Timestamp,
    pub idle_until: jiff::Timestamp,
}

impl Store {
    pub async fn open_api_session(&self, session: NewApiSession) -> Result<(), StoreError> {
        write!(self, |c| api_sessions::open_api_session(c, &session))
    }

    /// The session with this hash if it is live at `now`.
    pub async fn api_session(
        &self,
        token_hash: &str,
        now: jiff::Timestamp,
    ) -> Result<Option<ApiSession>, StoreError> {
        read!(self, |c| api_sessions::api_session(c, token_hash, now))
    }

    /// Lets the session stay unused until `idle_until` (never past its end).
    pub async fn touch_api_session(
        &self,
        token_hash: String,
        idle_until: jiff::Timestamp,
    ) -> Result<(), StoreError> {
        write!(self, |c| api_sessions::touch_api_session(
            c,
            &token_hash,
            idle_until
        ))
    }

    pub async fn close_api_session(&self, token_hash: String) -> Result<bool, StoreError> {
        write!(self, |c| api_sessions::close_api_session(c, &token_hash))
    }

    pub async fn api_session_owner(&self, token_hash: &str) -> Result<Option<UserId>, StoreError> {
        read!(self, |c| api_sessions::api_session_owner(c, token_hash))
    }

    pub async fn delete_ended_api_sessions(&self, now: jiff::Timestamp) -> Result<u64, StoreError> {
        write!(self, |c| api_sessions::delete_ended_api_sessions(c, now))
    }
}
