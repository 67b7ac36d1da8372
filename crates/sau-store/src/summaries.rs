//! What lists show beside each ticket: the start of its conversation, and of
//! its requester how many tickets are open, which are the latest and how to
//! reach them.

use crate::records::*;
use crate::{Backend, Store, StoreError};
use sau_domain::{Contact, TicketId, UserId};
use std::collections::HashMap;

impl Store {
    /// The start of each ticket's public conversation (see
    /// [`ConversationHead`]), for lists that show more than a row.
    pub async fn conversation_heads(
        &self,
        ids: &[TicketId],
        max_chars: i64,
    ) -> Result<Vec<ConversationHead>, StoreError> {
        read!(self, |c| summaries::conversation_heads(c, ids, max_chars))
    }

    /// How many tickets each requester has open, each counted up to `cap`.
    pub async fn open_tickets_of(
        &self,
        requesters: &[UserId],
        cap: i64,
    ) -> Result<HashMap<UserId, i64>, StoreError> {
        read!(self, |c| summaries::open_tickets_of(c, requesters, cap))
    }

    /// How to reach each of `users`.
    pub async fn contacts_of(
        &self,
        users: &[UserId],
    ) -> Result<HashMap<UserId, Contact>, StoreError> {
        read!(self, |c| summaries::contacts_of(c, users))
    }

    /// Each requester's latest `per_requester` tickets, in any state, newest first.
    pub async fn recent_tickets_of(
        &self,
        requesters: &[UserId],
        per_requester: i64,
    ) -> Result<Vec<RecentTicket>, StoreError> {
        read!(self, |c| summaries::recent_tickets_of(
            c,
            requesters,
            per_requester
        ))
    }
}
