//! What changed since a person last read a ticket: a mark on its row in every
//! list, the entries since then on its page, and the menu's counts (new
//! requests waiting, a technician's tickets with news).

use crate::{Caller, Service, ServiceError, now};
use sau_domain::{Role, TicketId};
use sau_store::{TicketRead, TicketRecord};
use std::collections::HashSet;

/// Counted at most, for the menu: past this, "99+".
pub const MENU_COUNT_CAP: i64 = 100;

/// The menu's counts for a person; `None` where the menu has no such item.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MenuCounts {
    /// New requests waiting in the queue (dispatchers and supervisors).
    pub waiting: Option<i64>,
    /// The tickets on the technician's own list with news (technicians).
    pub mine_news: Option<i64>,
}

impl Service {
    /// Records that the caller read `record` as it is now; returns their read
    /// before this one, to show what is new to them.
    pub async fn read_ticket(
        &self,
        caller: &Caller,
        record: &TicketRecord,
    ) -> Result<Option<TicketRead>, ServiceError> {
        let Some(user) = caller.user() else {
            return Ok(None);
        };
        let ticket = &record.ticket;
        let before = self.store.read_of(user.id, ticket.id).await?;
        if before.as_ref().is_none_or(|b| b.version < ticket.version) {
            // The page does not wait for this write: a read mark is a courtesy,
            // and on SQLite every write queues behind the others for its fsync.
            let (store, user, id, version) =
                (self.store.clone(), user.id, ticket.id, ticket.version);
            tokio::spawn(async move {
                if let Err(e) = store.mark_read(user, id, version, now()).await {
                    tracing::warn!(error = %e, "could not record a read");
                }
            });
        }
        Ok(before)
    }

    /// Which of `tickets` have news for the caller: changed since they last
    /// read it, or theirs to act on (assigned to them, their own request) and
    /// never opened.
    pub async fn with_news(
        &self,
        caller: &Caller,
        tickets: &[TicketRecord],
    ) -> Result<HashSet<TicketId>, ServiceError> {
        let Some(user) = caller.user() else {
            return Ok(HashSet::new());
        };
        let ids: Vec<TicketId> = tickets.iter().map(|r| r.ticket.id).collect();
        let reads = self.store.reads_of(user.id, &ids).await?;
        Ok(tickets
            .iter()
            .filter(|r| {
                let t = &r.ticket;
                match reads.get(&t.id) {
                    Some(version) => *version < t.version,
                    None => t.technician == Some(user.id) || t.requester == user.id,
                }
            })
            .map(|r| r.ticket.id)
            .collect())
    }

    /// The menu's counts for the caller, each up to [`MENU_COUNT_CAP`].
    pub async fn menu_counts(&self, caller: &Caller) -> Result<MenuCounts, ServiceError> {
        let Some(user) = caller.user() else {
            return Ok(MenuCounts::default());
        };
        let waiting = if user.roles.dispatches() {
            Some(self.store.waiting_count(MENU_COUNT_CAP).await?)
        } else {
            None
        };
        let mine_news = if user.roles.has(Role::Technician) {
            Some(
                self.store
                    .news_for_technician(user.id, MENU_COUNT_CAP)
                    .await?,
            )
        } else {
            None
        };
        Ok(MenuCounts { waiting, mine_news })
    }
}
