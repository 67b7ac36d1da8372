//! The outbox of mail, and the people a notice goes to.

use crate::records::*;
use crate::{Backend, Store, StoreError};
use sau_domain::{Roles, TicketId, UserId};

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

    /// A message recorded under `key` (its Message-ID), if it arrived before.
    pub async fn inbound_mail_by_key(
        &self,
        key: String,
    ) -> Result<Option<InboundMail>, StoreError> {
        read!(self, |c| mail_inbound::by_key(c, &key))
    }

    pub async fn inbound_mail(&self, id: i64) -> Result<Option<InboundMail>, StoreError> {
        read!(self, |c| mail_inbound::get(c, id))
    }

    /// How many messages `sender` sent since `since`; with `outcome`, only
    /// those that ended so.
    pub async fn inbound_mail_count(
        &self,
        sender: String,
        outcome: Option<&'static str>,
        since: jiff::Timestamp,
    ) -> Result<i64, StoreError> {
        read!(self, |c| mail_inbound::sender_count(
            c, &sender, outcome, since
        ))
    }

    /// The latest messages, newest first; with `outcome`, only those.
    pub async fn inbound_mails(
        &self,
        outcome: Option<String>,
        limit: i64,
    ) -> Result<Vec<InboundMail>, StoreError> {
        read!(self, |c| mail_inbound::latest(c, outcome.as_deref(), limit))
    }

    /// The messages that made a ticket or entries on it, oldest first.
    pub async fn ticket_inbound_mails(
        &self,
        ticket: TicketId,
    ) -> Result<Vec<InboundMail>, StoreError> {
        read!(self, |c| mail_inbound::for_ticket(c, ticket))
    }

    /// A message's raw source (kept for quarantined mail) and cleaned HTML.
    pub async fn inbound_mail_content(
        &self,
        id: i64,
    ) -> Result<Option<(Option<Vec<u8>>, Option<String>)>, StoreError> {
        read!(self, |c| mail_inbound::content(c, id))
    }

    /// Records a message that made no ticket (ignored, refused, quarantined):
    /// `false` if it was recorded before.
    pub async fn record_inbound_mail(&self, mail: NewInboundMail) -> Result<bool, StoreError> {
        write!(self, |c| mail_inbound::record(c, &mail)).map(|id| id.is_some())
    }

    /// The ticket a mail SAU sent was about, by its Message-ID.
    pub async fn ticket_of_sent_mail(
        &self,
        message_id: String,
    ) -> Result<Option<TicketId>, StoreError> {
        read!(self, |c| mail_inbound::ticket_of_sent(c, &message_id))
    }

    /// The active person with this address (the earliest, if several share it).
    pub async fn find_user_by_email(
        &self,
        email: String,
    ) -> Result<Option<UserRecord>, StoreError> {
        read!(self, |c| directory::find_user_by_email(c, &email))
    }

    /// A closing mail's rating link, by its token's hash.
    pub async fn rating_link(&self, token_hash: String) -> Result<Option<RatingLink>, StoreError> {
        read!(self, |c| rating_links::get(c, &token_hash))
    }

    /// Every mail template the admin rewrote.
    pub async fn mail_template_overrides(&self) -> Result<Vec<MailTemplateOverride>, StoreError> {
        read!(self, |c| mail_templates::all(c))
    }

    /// Keeps the admin's wording of one template.
    pub async fn put_mail_template(
        &self,
        template: MailTemplateOverride,
    ) -> Result<(), StoreError> {
        write!(self, |c| mail_templates::put(c, &template))
    }

    /// Goes back to the shipped wording of one template.
    pub async fn delete_mail_template(
        &self,
        notice: String,
        lang: String,
    ) -> Result<(), StoreError> {
        write!(self, |c| mail_templates::delete(c, &notice, &lang))
    }
}
