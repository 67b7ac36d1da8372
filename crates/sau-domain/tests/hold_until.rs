//! A hold may say when to look at the ticket again (OTRS's pending time): the
//! ticket keeps it while on hold, and forgets it when it leaves hold.

mod common;

use common::*;
use sau_domain::{Command, DomainError, EventKind, FieldProblem, State, Visibility};

fn kinds(events: &[sau_domain::Event]) -> Vec<EventKind> {
    events.iter().map(|e| e.kind.clone()).collect()
}

#[test]
fn a_hold_keeps_when_to_look_again_until_the_ticket_leaves_hold() {
    let until: jiff::Timestamp = "2999-01-04T14:30:00Z".parse().expect("a time");
    for leaving in [Command::Resume, resolve()] {
        let mut h = History::in_progress();
        let hold = Command::Hold {
            reason: "Esperando el repuesto".into(),
            until: Some(until),
        };
        let events = h.try_run(technician(), &hold).expect("technician holds");
        assert_eq!(
            kinds(&events),
            vec![EventKind::Held {
                reason: "Esperando el repuesto".into(),
                until: Some(until),
            }]
        );
        assert_eq!(h.ticket.held_until, Some(until));
        // A comment while on hold leaves it.
        h.try_run(technician(), &comment(Visibility::Internal))
            .expect("technician comments");
        assert_eq!(h.ticket.held_until, Some(until));
        if !matches!(leaving, Command::Resume) {
            h.try_run(technician(), &Command::Resume).expect("resumes");
        }
        h.try_run(technician(), &leaving).expect("leaves hold");
        assert_eq!(h.ticket.held_until, None, "{leaving:?}");
    }
}

#[test]
fn a_hold_until_a_moment_already_past_is_refused() {
    let mut h = History::in_progress();
    let hold = Command::Hold {
        reason: "Esperando el repuesto".into(),
        until: Some("2001-01-01T00:00:00Z".parse().expect("a time")),
    };
    match h.try_run(technician(), &hold) {
        Err(DomainError::Invalid { field, problem }) => {
            assert_eq!((field, problem), ("until", FieldProblem::OutOfRange));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(h.ticket.state, State::InProgress);
}
