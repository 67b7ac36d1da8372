//! One action on several tickets at once (close the resolved ones, assign the
//! new ones): each ticket is its own command, with the version its sender saw,
//! so one that changed meanwhile is refused alone and the others go through.

use crate::{Action, Caller, Service, ServiceError};
use sau_store::TicketRecord;

/// The most tickets one bulk action takes: a screenful of the queue.
pub const BULK_MAX: usize = 200;

impl Service {
    /// `action` on each of `targets` (number and the version its sender saw),
    /// in order; each outcome beside its number.
    pub async fn act_on_each(
        &self,
        caller: &Caller,
        targets: &[(String, i64)],
        action: &Action,
        channel: &str,
    ) -> Result<Vec<(String, Result<TicketRecord, ServiceError>)>, ServiceError> {
        if targets.len() > BULK_MAX {
            return Err(ServiceError::invalid(
                "tickets",
                sau_domain::FieldProblem::TooLong,
            ));
        }
        let mut outcomes = Vec::with_capacity(targets.len());
        for (number, version) in targets {
            let outcome = self
                .act(caller, number, action.clone(), Some(*version), channel)
                .await;
            outcomes.push((number.clone(), outcome));
        }
        Ok(outcomes)
    }
}
