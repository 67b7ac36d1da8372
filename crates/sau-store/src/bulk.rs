//! Whole ticket histories written at once, for the benchmarks: the ticket as
//! its events leave it, and the events. What the service would have written
//! besides (the conversation's entries, notices, jobs) is left out, so this
//! is for seeding figures, never for a real installation.

use crate::{Backend, Store, StoreError};
use sau_domain::{Event, Ticket};

/// A ticket in its final state and the events that led there, in order.
#[derive(Debug, Clone)]
pub struct BulkTicket {
    pub ticket: Ticket,
    pub events: Vec<Event>,
}

impl Store {
    /// Writes many histories in one transaction: how many.
    pub async fn write_histories(&self, tickets: Vec<BulkTicket>) -> Result<usize, StoreError> {
        write!(self, |c| bulk::write(c, &tickets))
    }
}
