//! The outbox of mail, and the people a notice goes to.

use crate::records::*;
use crate::{Backend, Store, StoreError};
use sau_domain::{Roles, UserId};

impl Store {
    pub async fn outbox_mail(&self, id: i64) -> Result<Option<OutboxMail>, StoreError> {
        read!(self, |c| mail_outbox::get(c, id))
    }

    /// The latest `limit` mails, newest first; with `state`, only those in it.
    pub async fn outbox(
        &self,
        state: Option<String>,
        limit: i64,
    ) -> Result<Vec<OutboxMail>, StoreError> {
        read!(self, |c| mail_outbox::latest(c, state.as_deref(), limit))
    }

    /// How many mails are pending, sent and failed.
    pub async fn outbox_counts(&self) -> Result<Vec<(String, i64)>, StoreError> {
        read!(self, |c| mail_outbox::counts(c))
    }

    /// Records one try at sending: `state` is `sent`, `pending` (to be tried
    /// again) or `failed` (given up), with the server's answer.
    pub async fn record_mail_try(
        &self,
        id: i64,
        state: &'static str,
        answer: String,
        at: jiff::Timestamp,
    ) -> Result<(), StoreError> {
        write!(self, |c| mail_outbox::record_try(c, id, state, &answer, at))
    }

    /// Puts a failed mail back in line.
    pub async fn requeue_mail(&self, id: i64) -> Result<(), StoreError> {
        write!(self, |c| mail_outbox::requeue(c, id))
    }

    /// The active people who hold any of `roles`, by login.
    pub async fn active_users_with(&self, roles: Roles) -> Result<Vec<UserRecord>, StoreError> {
        read!(self, |c| directory::active_users_with(c, roles.bits()))
    }

    /// The notices a person switched off, by name.
    pub async fn mail_opt_outs(&self, user: UserId) -> Result<Vec<String>, StoreError> {
        read!(self, |c| mail_outbox::opt_outs(c, user))
    }

    /// Replaces the notices a person switched off.
    pub async fn set_mail_opt_outs(
        &self,
        user: UserId,
        notices: Vec<String>,
    ) -> Result<(), StoreError> {
        write!(self, |c| mail_outbox::set_opt_outs(c, user, &notices))
    }
}
