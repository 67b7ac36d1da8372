//! Deadlines: when each ticket's running time targets fall due, worked out
//! from its events by the `refresh_deadlines` job and kept on the ticket, so
//! that lists can show the time left and keep what is nearly due or overdue.

use crate::{Service, ServiceError, now};
use sau_domain::{TicketId, deadlines};
use std::collections::HashMap;

/// Most tickets one pass of [`Service::refresh_deadlines`] reads at a time,
/// and how many such batches one run goes through.
const DEADLINE_BATCH: i64 = 200;
const DEADLINE_BATCHES: usize = 50;

/// Where a ticket stands against its next deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadline {
    /// When a running target is (or was) missed.
    pub due: jiff::Timestamp,
    /// Working time left until then; zero once it passed.
    pub left: jiff::SignedDuration,
    /// A running target was missed ("vencido").
    pub overdue: bool,
    /// A running target is at 80% of it, none missed yet ("por vencer").
    pub nearly: bool,
}

/// Which tickets a list keeps by their deadlines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DueFilter {
    /// "Por vencer": a running target at 80% or more, none missed.
    Soon,
    /// "Vencidos": a running target missed.
    Overdue,
}

impl Service {
    /// Works out the deadlines of every ticket that changed since they were
    /// last worked out, a batch at a time: how many were kept.
    pub async fn refresh_deadlines(&self) -> Result<usize, ServiceError> {
        let rules = self.time_rules().await?;
        let mut kept = 0;
        // Bounded, so one run ends even while tickets keep changing.
        for _ in 0..DEADLINE_BATCHES {
            let stale = self.store.stale_deadlines(DEADLINE_BATCH).await?;
            if stale.is_empty() {
                break;
            }
            let mut worked_out = Vec::with_capacity(stale.len());
            for (id, _) in stale {
                let Some(record) = self.store.ticket_by_id(id).await? else {
                    continue;
                };
                let ticket = &record.ticket;
                // Worked out for the version read: if the ticket changed
                // since, the store leaves it to be worked out again.
                let due = if ticket.state.is_finished() {
                    None
                } else {
                    let events: Vec<_> = self
                        .store
                        .ticket_events(id)
                        .await?
                        .into_iter()
                        .map(|e| e.event)
                        .collect();
                    let (_, calendar) = rules.calendar(ticket.category, ticket.queue);
                    let targets = rules.targets(ticket.category, ticket.priority);
                    deadlines(&targets, &events, ticket.state, calendar).map(|d| (d.due, d.soon))
                };
                worked_out.push((id, ticket.version, due));
            }
            kept += self.store.set_deadlines(worked_out).await?;
        }
        Ok(kept)
    }

    /// How many open tickets are nearly due and how many overdue now
    /// (agents): what the pages warn of.
    pub async fn due_counts(&self, caller: &crate::Caller) -> Result<(i64, i64), ServiceError> {
        if !caller.actor()?.roles.is_agent() {
            return Err(ServiceError::Forbidden);
        }
        Ok(self.store.due_counts(now()).await?)
    }

    /// The deadlines of `tickets` that have a running target, with the
    /// working time left on each one's calendar.
    pub async fn deadlines(
        &self,
        tickets: &[sau_store::TicketRecord],
    ) -> Result<HashMap<TicketId, Deadline>, ServiceError> {
        let ids: Vec<TicketId> = tickets.iter().map(|t| t.ticket.id).collect();
        let stored = self.store.deadlines_of(&ids).await?;
        let rules = self.time_rules().await?;
        let at = now();
        Ok(stored
            .into_iter()
            .filter_map(|(id, due, soon)| {
                let record = tickets.iter().find(|t| t.ticket.id == id)?;
                let (_, calendar) = rules.calendar(record.ticket.category, record.ticket.queue);
                Some((
                    id,
                    Deadline {
                        due,
                        left: calendar.business_time(at, due),
                        overdue: due <= at,
                        nearly: soon <= at && at < due,
                    },
                ))
            })
            .collect())
    }
}
