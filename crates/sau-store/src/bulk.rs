//! Whole ticket histories written at once, for the benchmarks: the ticket as
//! its events leave it, the events, the conversation's entries and the search
//! document. What the service would have written besides (field values,
//! files, notices, jobs, deadlines) is left out, so this is for seeding
//! figures, never for a real installation.

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
