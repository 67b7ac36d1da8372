//! The store's statements for web sessions.

use crate::records;
use crate::{Backend, Store, StoreError};
use sau_domain::UserId;

impl Store {
    /// Stores a new session; `false` if the id is already taken.
    /// `user` is whose session it is, once someone has signed in with it.
    pub async fn create_session(
        &self,
        id: String,
        data: String,
        expires_at: jiff::Timestamp,
        user: Option<UserId>,
    ) -> Result<bool, StoreError> {
        let expires = expires_at.as_microsecond();
        write!(self, |c| sessions::create_session(
            c, &id, &data, expires, user
        ))
    }

    pub async fn save_session(
        &self,
        id: String,
        data: String,
        expires_at: jiff::Timestamp,
        user: Option<UserId>,
    ) -> Result<(), StoreError> {
        let expires = expires_at.as_microsecond();
        write!(self, |c| sessions::save_session(
            c, &id, &data, expires, user
        ))
    }

    /// A new password; every other session of the person ends with it (see
    /// `sessions::replace_password`).
    pub async fn replace_password(
        &self,
        user: UserId,
        hash: String,
        keep_session: Option<String>,
    ) -> Result<(), StoreError> {
        write!(self, |c| sessions::replace_password(
            c,
            user,
            &hash,
            keep_session.as_deref()
        ))
    }

    /// The data of a session that has not expired.
    pub async fn load_session(
        &self,
        id: &str,
        now: jiff::Timestamp,
    ) -> Result<Option<(String, jiff::Timestamp)>, StoreError> {
        let found = read!(self, |c| sessions::load_session(
            c,
            id,
            now.as_microsecond()
        ))?;
        found
            .map(|(data, expires)| Ok((data, records::from_micros(expires)?)))
            .transpose()
    }

    pub async fn delete_session(&self, id: String) -> Result<(), StoreError> {
        write!(self, |c| sessions::delete_session(c, &id))
    }

    pub async fn delete_expired_sessions(&self, now: jiff::Timestamp) -> Result<u64, StoreError> {
        let now = now.as_microsecond();
        write!(self, |c| sessions::delete_expired_sessions(c, now))
    }
}
