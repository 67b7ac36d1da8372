//! Who is told what by mail when a ticket changes. Each change (event) may
//! call for a few notices, each for one audience: the requester, the ticket's
//! technician, the dispatchers or the supervisors. Nobody is told of what they
//! did themselves, and an internal note never becomes a notice to anyone
//! outside the team.

use crate::{Event, EventKind, Role, Roles, Ticket, UserId, Visibility};
use serde::{Deserialize, Serialize};

/// Who a notice is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    /// The person who asked.
    Requester,
    /// The ticket's technician (after the change).
    Technician,
    /// Everyone who triages.
    Dispatchers,
    /// The people who settle what the procedure did not foresee.
    Supervisors,
}

/// One kind of mail SAU sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Notice {
    /// The requester: the request arrived, with its number and a link.
    Received,
    /// The requester: a technician has it.
    Assigned,
    /// The requester: the team answered (a public comment).
    Answered,
    /// The requester: handed back as resolved, with the resolution.
    Resolved,
    /// The requester: closed.
    Closed,
    /// The requester: the dispatcher sent it back to the technician.
    Returned,
    /// The requester: it was opened again.
    Reopened,
    /// The requester: it was cancelled, with the reason.
    Cancelled,
    /// The technician: a ticket is theirs now.
    AssignedToYou,
    /// The technician: a ticket came back to them.
    ReturnedToYou,
    /// The technician: the requester wrote.
    RequesterWrote,
    /// The dispatchers: a new request waits.
    NewRequest,
    /// The dispatchers: a technician handed one back; it waits for closing.
    HandedBack,
    /// The supervisors: a ticket was cancelled.
    CancelledForSupervisor,
    /// The supervisors: a ticket was reopened.
    ReopenedForSupervisor,
    /// The dispatchers: a ticket reached 80% of a time target (working
    /// hours only); sent by the deadline job, not by a change.
    DueSoon,
    /// The supervisors: a ticket missed a time target (working hours only);
    /// sent by the deadline job, not by a change.
    Overdue,
}

impl Notice {
    pub const ALL: [Notice; 17] = [
        Notice::Received,
        Notice::Assigned,
        Notice::Answered,
        Notice::Resolved,
        Notice::Closed,
        Notice::Returned,
        Notice::Reopened,
        Notice::Cancelled,
        Notice::AssignedToYou,
        Notice::ReturnedToYou,
        Notice::RequesterWrote,
        Notice::NewRequest,
        Notice::HandedBack,
        Notice::CancelledForSupervisor,
        Notice::ReopenedForSupervisor,
        Notice::DueSoon,
        Notice::Overdue,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Notice::Received => "received",
            Notice::Assigned => "assigned",
            Notice::Answered => "answered",
            Notice::Resolved => "resolved",
            Notice::Closed => "closed",
            Notice::Returned => "returned",
            Notice::Reopened => "reopened",
            Notice::Cancelled => "cancelled",
            Notice::AssignedToYou => "assigned_to_you",
            Notice::ReturnedToYou => "returned_to_you",
            Notice::RequesterWrote => "requester_wrote",
            Notice::NewRequest => "new_request",
            Notice::HandedBack => "handed_back",
            Notice::CancelledForSupervisor => "cancelled_for_supervisor",
            Notice::ReopenedForSupervisor => "reopened_for_supervisor",
            Notice::DueSoon => "due_soon",
            Notice::Overdue => "overdue",
        }
    }

    pub fn parse(name: &str) -> Option<Notice> {
        Notice::ALL.into_iter().find(|n| n.as_str() == name)
    }

    pub fn audience(self) -> Audience {
        match self {
            Notice::Received
            | Notice::Assigned
            | Notice::Answered
            | Notice::Resolved
            | Notice::Closed
            | Notice::Returned
            | Notice::Reopened
            | Notice::Cancelled => Audience::Requester,
            Notice::AssignedToYou | Notice::ReturnedToYou | Notice::RequesterWrote => {
                Audience::Technician
            }
            Notice::NewRequest | Notice::HandedBack | Notice::DueSoon => Audience::Dispatchers,
            Notice::CancelledForSupervisor | Notice::ReopenedForSupervisor | Notice::Overdue => {
                Audience::Supervisors
            }
        }
    }

    /// Whether it may reach a person with `roles`: anyone may ask for help,
    /// the rest goes to the role it names.
    pub fn concerns(self, roles: Roles) -> bool {
        match self.audience() {
            Audience::Requester => true,
            Audience::Technician => roles.has(Role::Technician),
            Audience::Dispatchers => roles.has(Role::Dispatcher),
            Audience::Supervisors => roles.has(Role::Supervisor),
        }
    }

    /// Whether a person may switch it off for themselves: everything but what
    /// they must act on or keep (their request's number, the team's answers and
    /// resolution, a ticket given to them).
    pub fn optional(self) -> bool {
        !matches!(
            self,
            Notice::Received
                | Notice::Answered
                | Notice::Resolved
                | Notice::AssignedToYou
                | Notice::ReturnedToYou
        )
    }
}

/// The notices one event calls for, on the ticket as it is after the event
/// (`after`). The actor is left out later, by whoever turns an audience into
/// people: see [`leaves_out`].
pub fn notices_for(event: &Event, after: &Ticket) -> Vec<Notice> {
    let by_requester = event.actor == after.requester;
    match &event.kind {
        EventKind::Submitted { .. } => vec![Notice::Received, Notice::NewRequest],
        EventKind::Assigned { .. } => vec![Notice::Assigned, Notice::AssignedToYou],
        EventKind::Commented {
            visibility: Visibility::Public,
            ..
        } => {
            if by_requester {
                vec![Notice::RequesterWrote]
            } else {
                vec![Notice::Answered]
            }
        }
        // An internal note stays inside the team, and mails nobody.
        EventKind::Commented {
            visibility: Visibility::Internal,
            ..
        } => Vec::new(),
        EventKind::Resolved { .. } => vec![Notice::Resolved, Notice::HandedBack],
        EventKind::Returned { .. } => vec![Notice::Returned, Notice::ReturnedToYou],
        EventKind::Closed => vec![Notice::Closed],
        EventKind::Cancelled { .. } => vec![Notice::Cancelled, Notice::CancelledForSupervisor],
        EventKind::Reopened { .. } => vec![Notice::Reopened, Notice::ReopenedForSupervisor],
        // The requester's own answer to "¿Se resolvió?" joins the conversation
        // as a comment when it carries words; the technician hears of it then.
        EventKind::Confirmed { .. }
        | EventKind::Rated { .. }
        | EventKind::PriorityChanged { .. }
        | EventKind::CategoryChanged { .. }
        | EventKind::FieldChanged { .. }
        | EventKind::Retitled { .. }
        | EventKind::Accepted
        | EventKind::Held { .. }
        | EventKind::Resumed => Vec::new(),
    }
}

/// Whether `person` is left out of `notice` about `event`: nobody is told of
/// what they did themselves, but for the receipt of their own request, which
/// carries its number.
pub fn leaves_out(event: &Event, notice: Notice, person: UserId) -> bool {
    event.actor == person && notice != Notice::Received
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{CategoryId, Priority, QueueId, State, TicketId};
    use jiff::Timestamp;

    const REQUESTER: UserId = UserId(1);
    const DESK: UserId = UserId(2);
    const TECH: UserId = UserId(3);

    fn ticket() -> Ticket {
        let at = Timestamp::UNIX_EPOCH;
        Ticket {
            id: TicketId(1),
            number: "2026120710000011".into(),
            title: "Impresora".into(),
            category: CategoryId(1),
            queue: QueueId(1),
            priority: Priority::new(3).expect("3"),
            state: State::InProgress,
            fields: Default::default(),
            requester: REQUESTER,
            department: None,
            technician: Some(TECH),
            attention: None,
            setback: None,
            confirmed: None,
            held_until: None,
            created_at: at,
            updated_at: at,
            assigned_at: None,
            resolved_at: None,
            closed_at: None,
            version: 3,
        }
    }

    fn event(actor: UserId, kind: EventKind) -> Event {
        Event {
            actor,
            at: Timestamp::UNIX_EPOCH,
            kind,
        }
    }

    #[test]
    fn an_internal_note_mails_nobody_and_a_public_one_goes_the_other_way() {
        let note = |visibility| EventKind::Commented {
            body: "x".into(),
            visibility,
            attachments: Vec::new(),
        };
        assert_eq!(
            notices_for(&event(TECH, note(Visibility::Internal)), &ticket()),
            vec![]
        );
        assert_eq!(
            notices_for(&event(TECH, note(Visibility::Public)), &ticket()),
            vec![Notice::Answered]
        );
        assert_eq!(
            notices_for(&event(REQUESTER, note(Visibility::Public)), &ticket()),
            vec![Notice::RequesterWrote]
        );
    }

    #[test]
    fn each_step_tells_the_people_it_concerns() {
        let assigned = EventKind::Assigned {
            technician: TECH,
            previous: None,
        };
        assert_eq!(
            notices_for(&event(DESK, assigned), &ticket()),
            vec![Notice::Assigned, Notice::AssignedToYou]
        );
        let resolved = notices_for(
            &event(
                TECH,
                EventKind::Resolved {
                    resolution: "Listo".into(),
                    attention: crate::Attention {
                        mode: crate::AttentionMode::InPerson,
                        remote_tool: None,
                        remote_id: None,
                    },
                    attachments: Vec::new(),
                },
            ),
            &ticket(),
        );
        assert_eq!(resolved, vec![Notice::Resolved, Notice::HandedBack]);
        assert!(notices_for(&event(TECH, EventKind::Accepted), &ticket()).is_empty());
        for notice in Notice::ALL {
            assert_eq!(Notice::parse(notice.as_str()), Some(notice));
        }
    }

    #[test]
    fn nobody_hears_of_their_own_doing_and_must_knows_cannot_be_switched_off() {
        let closed = event(DESK, EventKind::Closed);
        assert!(leaves_out(&closed, Notice::Closed, DESK));
        assert!(!leaves_out(&closed, Notice::Closed, REQUESTER));
        let submitted = event(REQUESTER, EventKind::Accepted);
        assert!(
            !leaves_out(&submitted, Notice::Received, REQUESTER),
            "a receipt"
        );
        assert!(!Notice::Resolved.optional());
        assert!(!Notice::AssignedToYou.optional());
        assert!(Notice::Closed.optional());
        assert_eq!(Notice::NewRequest.audience(), Audience::Dispatchers);
        let requester = Roles::of(&[Role::Requester]);
        assert!(Notice::Closed.concerns(requester));
        assert!(!Notice::NewRequest.concerns(requester));
        assert!(Notice::NewRequest.concerns(Roles::of(&[Role::Dispatcher])));
    }
}
