//! What an agent needs beside each row of a list to decide without opening the
//! ticket: the start of its conversation, the requester's other open and latest
//! tickets, and how to reach them.

use crate::{Caller, Service, ServiceError};
use sau_domain::{Contact, EntryKind, TicketId, UserId};
use sau_store::{ConversationHead, RecentTicket, TicketRecord};
use std::collections::HashMap;

/// Characters of each entry a list carries: a few lines to read at a glance,
/// and the rest of a short description when the row is opened.
const HEAD_CHARS: i64 = 1_000;

/// Open tickets of one requester counted at most: "99 more open" says enough.
pub const OPEN_BY_REQUESTER_CAP: i64 = 100;

/// A requester's tickets named beside one of theirs: enough to see a pattern
/// (the same printer every week) without a second page.
pub const RECENT_BY_REQUESTER: usize = 3;

/// Facts about a page of tickets, looked up together.
#[derive(Debug, Clone, Default)]
pub struct TicketFacts {
    heads: Vec<ConversationHead>,
    open_by_requester: HashMap<UserId, i64>,
    contacts: HashMap<UserId, Contact>,
    /// Each requester's latest tickets, newest first.
    recent: Vec<RecentTicket>,
}

impl TicketFacts {
    fn latest(
        &self,
        ticket: TicketId,
        kind: EntryKind,
        by_requester: bool,
    ) -> Option<&ConversationHead> {
        self.heads
            .iter()
            .filter(|h| h.ticket == ticket && h.kind == kind && h.by_requester == by_requester)
            .max_by_key(|h| h.at)
    }

    /// What the requester wrote when asking.
    pub fn description(&self, ticket: TicketId) -> Option<&ConversationHead> {
        self.latest(ticket, EntryKind::Description, true)
            .or_else(|| self.latest(ticket, EntryKind::Description, false))
    }

    /// The latest resolution handed back.
    pub fn resolution(&self, ticket: TicketId) -> Option<&ConversationHead> {
        self.latest(ticket, EntryKind::Resolution, false)
    }

    /// The requester's latest reply, if it came after the latest resolution: what
    /// they said about it.
    pub fn reply_after_resolution(&self, ticket: TicketId) -> Option<&ConversationHead> {
        let reply = self.latest(ticket, EntryKind::Comment, true)?;
        match self.resolution(ticket) {
            Some(resolution) if resolution.at > reply.at => None,
            _ => Some(reply),
        }
    }

    /// The requester's other open tickets besides `record` (at most
    /// [`OPEN_BY_REQUESTER_CAP`], which a list shows as "99+").
    pub fn others_open(&self, record: &TicketRecord) -> i64 {
        let all = self
            .open_by_requester
            .get(&record.ticket.requester)
            .copied()
            .unwrap_or(0);
        let this = i64::from(!record.ticket.state.is_finished());
        (all - this).max(0)
    }

    /// How to reach the ticket's requester; `None` when nothing is on file.
    pub fn contact(&self, record: &TicketRecord) -> Option<&Contact> {
        self.contacts
            .get(&record.ticket.requester)
            .filter(|c| !c.is_empty())
    }

    /// The requester's latest tickets besides `record`, newest first.
    pub fn recent_besides(&self, record: &TicketRecord) -> Vec<&RecentTicket> {
        self.recent
            .iter()
            .filter(|r| r.requester == record.ticket.requester && r.number != record.ticket.number)
            .take(RECENT_BY_REQUESTER)
            .collect()
    }
}

impl Service {
    /// How to reach the ticket's requester (agents only).
    pub async fn requester_contact(
        &self,
        caller: &Caller,
        record: &TicketRecord,
    ) -> Result<Contact, ServiceError> {
        Self::require_agent(caller)?;
        let requester = record.ticket.requester;
        Ok(self
            .store
            .contacts_of(&[requester])
            .await?
            .remove(&requester)
            .unwrap_or_default())
    }

    /// The facts beside each of `tickets` (agents only: they cover every ticket).
    pub async fn ticket_facts(
        &self,
        caller: &Caller,
        tickets: &[TicketRecord],
    ) -> Result<TicketFacts, ServiceError> {
        Self::require_agent(caller)?;
        let ids: Vec<TicketId> = tickets.iter().map(|r| r.ticket.id).collect();
        Ok(TicketFacts {
            heads: self.store.conversation_heads(&ids, HEAD_CHARS).await?,
            ..self.requester_facts(caller, tickets).await?
        })
    }

    /// [`Self::ticket_facts`] without the conversations: the requesters' other
    /// open and latest tickets and how to reach them, for a page that shows
    /// the conversation itself.
    pub async fn requester_facts(
        &self,
        caller: &Caller,
        tickets: &[TicketRecord],
    ) -> Result<TicketFacts, ServiceError> {
        Self::require_agent(caller)?;
        let mut requesters: Vec<UserId> = tickets.iter().map(|r| r.ticket.requester).collect();
        requesters.sort_by_key(|u| u.0);
        requesters.dedup();
        Ok(TicketFacts {
            heads: Vec::new(),
            open_by_requester: self
                .store
                .open_tickets_of(&requesters, OPEN_BY_REQUESTER_CAP)
                .await?,
            contacts: self.store.contacts_of(&requesters).await?,
            // One more than shown: the ticket itself is among its requester's latest.
            recent: self
                .store
                .recent_tickets_of(&requesters, RECENT_BY_REQUESTER as i64 + 1)
                .await?,
        })
    }
}
