//! When each person last read each ticket: the marks of what changed since,
//! and the menu's counts.

use crate::records::*;
use crate::{Backend, Store, StoreError};
use sau_domain::{TicketId, UserId};
use std::collections::HashMap;

impl Store {
    pub async fn read_of(
        &self,
        user: UserId,
        ticket: TicketId,
    ) -> Result<Option<TicketRead>, StoreError> {
        read!(self, |c| ticket_reads::read_of(c, user, ticket))
    }

    /// Records a read of `version`; nothing is written for a version read before.
    pub async fn mark_read(
        &self,
        user: UserId,
        ticket: TicketId,
        version: i64,
        at: jiff::Timestamp,
    ) -> Result<(), StoreError> {
        write!(self, |c| ticket_reads::mark_read(
            c, user, ticket, version, at
        ))
    }

    /// The version last read of each of `tickets` the person has read.
    pub async fn reads_of(
        &self,
        user: UserId,
        tickets: &[TicketId],
    ) -> Result<HashMap<TicketId, i64>, StoreError> {
        read!(self, |c| ticket_reads::reads_of(c, user, tickets))
    }

    /// New tickets waiting for a technician, counted up to `cap`.
    pub async fn waiting_count(&self, cap: i64) -> Result<i64, StoreError> {
        read!(self, |c| ticket_reads::waiting_count(c, cap))
    }

    /// A technician's open tickets with news for them, counted up to `cap`.
    pub async fn news_for_technician(&self, user: UserId, cap: i64) -> Result<i64, StoreError> {
        read!(self, |c| ticket_reads::news_for_technician(c, user, cap))
    }
}
