//! The requester's rating of how their request was attended: a score from 1
//! to 5 and, if they wish, a comment, given once from the link in the mail
//! that tells them their ticket was closed.

use crate::{Actor, DomainError, Event, EventKind, FieldProblem, Policy, State, Ticket};
use jiff::Timestamp;

/// How long the link in the closing mail works.
pub const RATING_LINK_DAYS: i64 = 14;

/// The longest comment a rating carries, in characters.
pub const MAX_RATING_COMMENT_CHARS: usize = 2_000;

/// The scores a rating may give, worst to best.
pub const RATING_SCORES: std::ops::RangeInclusive<u8> = 1..=5;

impl Policy {
    /// The requester's rating of a closed ticket.
    pub fn rate(
        &self,
        ticket: &Ticket,
        actor: Actor,
        score: u8,
        comment: &str,
        now: Timestamp,
    ) -> Result<Event, DomainError> {
        if ticket.requester != actor.id {
            return Err(DomainError::NotAllowed { command: "rate" });
        }
        if ticket.state != State::Closed {
            return Err(DomainError::InvalidTransition {
                command: "rate",
                state: ticket.state,
            });
        }
        if !RATING_SCORES.contains(&score) {
            return Err(DomainError::Invalid {
                field: "score",
                problem: FieldProblem::OutOfRange,
            });
        }
        let comment = comment.trim();
        if comment.chars().count() > MAX_RATING_COMMENT_CHARS {
            return Err(DomainError::Invalid {
                field: "comment",
                problem: FieldProblem::TooLong,
            });
        }
        Ok(Event {
            actor: actor.id,
            at: now,
            kind: EventKind::Rated {
                score,
                comment: comment.to_owned(),
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{CategoryId, Priority, QueueId, Roles, TicketId, UserId};

    fn closed() -> Ticket {
        let at = Timestamp::UNIX_EPOCH;
        Ticket {
            id: TicketId(1),
            number: "2026120710000011".into(),
            title: "Impresora".into(),
            category: CategoryId(1),
            queue: QueueId(1),
            priority: Priority::new(3).expect("3"),
            state: State::Closed,
            fields: Default::default(),
            requester: UserId(1),
            department: None,
            technician: Some(UserId(3)),
            attention: None,
            setback: None,
            confirmed: None,
            held_until: None,
            created_at: at,
            updated_at: at,
            assigned_at: None,
            resolved_at: None,
            closed_at: Some(at),
            version: 6,
        }
    }

    fn person(id: i64) -> Actor {
        Actor {
            id: UserId(id),
            roles: Roles::of(&[crate::Role::Requester]),
        }
    }

    #[test]
    fn the_requester_rates_a_closed_ticket_from_one_to_five() {
        let policy = Policy::default();
        let at = Timestamp::UNIX_EPOCH;
        let event = policy
            .rate(&closed(), person(1), 4, "  Rápido y amable ", at)
            .expect("rated");
        assert_eq!(
            event.kind,
            EventKind::Rated {
                score: 4,
                comment: "Rápido y amable".into()
            }
        );
        assert!(event.kind.is_public());
        assert_eq!(
            policy.rate(&closed(), person(2), 4, "", at),
            Err(DomainError::NotAllowed { command: "rate" })
        );
        for score in [0, 6] {
            assert!(policy.rate(&closed(), person(1), score, "", at).is_err());
        }
        let long = "x".repeat(MAX_RATING_COMMENT_CHARS + 1);
        assert!(policy.rate(&closed(), person(1), 5, &long, at).is_err());
        let mut open = closed();
        open.state = State::Resolved;
        assert_eq!(
            policy.rate(&open, person(1), 5, "", at),
            Err(DomainError::InvalidTransition {
                command: "rate",
                state: State::Resolved
            })
        );
    }
}
