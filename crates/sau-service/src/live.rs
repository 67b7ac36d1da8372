//! Live updates: which of the caller's working lists a committed change touches,
//! so their pages can refresh without a reload. Only the lists the caller may see
//! are ever named.

use crate::{Caller, Service, ServiceError};
use sau_domain::{Role, State, UserId};
use sau_store::{Change, ChangeFeed, TicketChanged};

/// Which of the caller's lists changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LiveUpdate {
    /// The triage queue: new tickets, resolved ones awaiting closure, and the
    /// technicians' loads offered for assignment (dispatchers and supervisors).
    pub queue: bool,
    /// The tickets assigned to the caller (technicians).
    pub mine: bool,
}

impl LiveUpdate {
    fn any(self) -> bool {
        self.queue || self.mine
    }
}

/// The updates for one caller, from the moment it was opened.
#[derive(Debug)]
pub struct LiveFeed {
    viewer: Viewer,
    changes: ChangeFeed,
}

/// What decides which changes a caller hears of.
#[derive(Debug, Clone, Copy)]
struct Viewer {
    id: UserId,
    dispatches: bool,
    attends: bool,
}

impl Viewer {
    fn update_for(self, change: &Change) -> LiveUpdate {
        match change {
            // Something may have gone by unseen: refresh every list the caller has.
            Change::Missed => LiveUpdate {
                queue: self.dispatches,
                mine: self.attends,
            },
            Change::Ticket(t) => LiveUpdate {
                queue: self.dispatches && touches_queue(t),
                mine: self.attends
                    && (t.technician == Some(self.id) || t.technician_before == Some(self.id)),
            },
        }
    }
}

/// Whether the triage queue page could show something different after `t`: the
/// ticket entered or left (or changed within) the new or resolved lists, or a
/// technician's open load changed.
fn touches_queue(t: &TicketChanged) -> bool {
    let listed = |s: State| matches!(s, State::New | State::Resolved);
    let loads = |s: State| s.needs_technician();
    let before = t.state_before;
    listed(t.state)
        || before.is_some_and(listed)
        || t.technician != t.technician_before
        || before.is_some_and(|b| loads(b) != loads(t.state))
}

impl LiveFeed {
    /// The next update that concerns the caller; `None` once the service is gone.
    pub async fn next(&mut self) -> Option<LiveUpdate> {
        loop {
            let update = self.viewer.update_for(&self.changes.next().await?);
            if update.any() {
                return Some(update);
            }
        }
    }
}

impl Service {
    /// Live updates of the lists the caller works from: the triage queue for
    /// dispatchers and supervisors, their own tickets for technicians. Anyone else
    /// has no such list and is refused.
    pub fn live_updates(&self, caller: &Caller) -> Result<LiveFeed, ServiceError> {
        let user = caller.user().ok_or(ServiceError::Forbidden)?;
        let viewer = Viewer {
            id: user.id,
            dispatches: user.roles.dispatches(),
            attends: user.roles.has(Role::Technician),
        };
        if !viewer.dispatches && !viewer.attends {
            return Err(ServiceError::Forbidden);
        }
        Ok(LiveFeed {
            viewer,
            changes: self.store.ticket_changes(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sau_domain::TicketId;

    const ME: UserId = UserId(7);
    const OTHER: UserId = UserId(8);

    fn change(before: Option<(State, Option<UserId>)>, after: (State, Option<UserId>)) -> Change {
        Change::Ticket(TicketChanged {
            ticket: TicketId(1),
            number: "2026112610000019".into(),
            version: 2,
            state_before: before.map(|b| b.0),
            state: after.0,
            technician_before: before.and_then(|b| b.1),
            technician: after.1,
            requester: UserId(3),
        })
    }

    fn dispatcher() -> Viewer {
        Viewer {
            id: UserId(1),
            dispatches: true,
            attends: false,
        }
    }

    fn technician() -> Viewer {
        Viewer {
            id: ME,
            dispatches: false,
            attends: true,
        }
    }

    #[test]
    fn the_queue_hears_of_new_assigned_resolved_and_closed_tickets() {
        let queue = |c: &Change| dispatcher().update_for(c).queue;
        assert!(queue(&change(None, (State::New, None))));
        assert!(queue(&change(
            Some((State::New, None)),
            (State::Assigned, Some(ME))
        )));
        assert!(queue(&change(
            Some((State::InProgress, Some(ME))),
            (State::Resolved, Some(ME))
        )));
        assert!(queue(&change(
            Some((State::Resolved, Some(ME))),
            (State::Closed, Some(ME))
        )));
        // A technician's load moves: reassigned, or cancelled while in progress.
        assert!(queue(&change(
            Some((State::Assigned, Some(ME))),
            (State::Assigned, Some(OTHER))
        )));
        assert!(queue(&change(
            Some((State::InProgress, Some(ME))),
            (State::Cancelled, Some(ME))
        )));
    }

    #[test]
    fn the_queue_ignores_work_that_changes_neither_its_lists_nor_the_loads() {
        let queue = |c: &Change| dispatcher().update_for(c).queue;
        assert!(!queue(&change(
            Some((State::Assigned, Some(ME))),
            (State::InProgress, Some(ME))
        )));
        assert!(!queue(&change(
            Some((State::InProgress, Some(ME))),
            (State::OnHold, Some(ME))
        )));
        assert!(
            !dispatcher()
                .update_for(&change(None, (State::New, None)))
                .mine
        );
    }

    #[test]
    fn a_technician_hears_of_tickets_given_to_or_taken_from_them_only() {
        let mine = |c: &Change| technician().update_for(c).mine;
        assert!(mine(&change(
            Some((State::New, None)),
            (State::Assigned, Some(ME))
        )));
        assert!(mine(&change(
            Some((State::Assigned, Some(ME))),
            (State::Assigned, Some(OTHER))
        )));
        assert!(mine(&change(
            Some((State::InProgress, Some(ME))),
            (State::InProgress, Some(ME))
        )));
        assert!(!mine(&change(
            Some((State::New, None)),
            (State::Assigned, Some(OTHER))
        )));
        assert!(!mine(&change(None, (State::New, None))));
        assert!(
            !technician()
                .update_for(&change(None, (State::New, None)))
                .queue
        );
    }

    #[test]
    fn missed_changes_refresh_every_list_the_caller_has() {
        assert_eq!(
            technician().update_for(&Change::Missed),
            LiveUpdate {
                queue: false,
                mine: true
            }
        );
        assert_eq!(
            dispatcher().update_for(&Change::Missed),
            LiveUpdate {
                queue: true,
                mine: false
            }
        );
    }
}
