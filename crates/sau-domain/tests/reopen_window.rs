//! The requester may reopen a closed ticket for `requester_reopen_days` after it was
//! closed; a supervisor may reopen closed or cancelled tickets at any time.

mod common;

use common::*;
use jiff::{SignedDuration, Timestamp};
use sau_domain::{DomainError, Policy, State};

const DAY: SignedDuration = SignedDuration::from_hours(24);

fn closed_with(policy: Policy) -> History {
    History::submitted_with(policy)
        .run(dispatcher(), &assign(TECHNICIAN))
        .run(technician(), &sau_domain::Command::Accept)
        .run(technician(), &resolve())
        .run(dispatcher(), &sau_domain::Command::Close)
}

fn closed_at(h: &History) -> Timestamp {
    h.ticket.closed_at.expect("a closed ticket has closed_at")
}

fn days(n: i64) -> SignedDuration {
    DAY.checked_mul(i32::try_from(n).expect("few days"))
        .expect("no overflow")
}

#[test]
fn requester_may_reopen_exactly_seven_days_after_closing() {
    let mut h = History::closed();
    let at = after(closed_at(&h), days(7));
    h.try_run_at(requester(), &reopen(), at)
        .expect("day 7 is inside the window");
    assert_eq!(h.ticket.state, State::New);
}

#[test]
fn requester_may_not_reopen_seven_days_and_one_second_after_closing() {
    let h = History::closed();
    let at = after(closed_at(&h), days(7) + SignedDuration::from_secs(1));
    assert_eq!(
        h.policy.decide(&h.ticket, requester(), &reopen(), at),
        Err(DomainError::ReopenWindowExpired { days: 7 })
    );
}

#[test]
fn requester_may_reopen_right_after_closing() {
    let mut h = History::closed();
    let at = closed_at(&h);
    h.try_run_at(requester(), &reopen(), at)
        .expect("the window starts at closing");
}

#[test]
fn the_window_follows_the_policy_setting() {
    let policy = Policy {
        requester_reopen_days: 3,
    };
    let h = closed_with(policy);
    let closed = closed_at(&h);
    let edge = after(closed, days(3));
    let late = after(edge, SignedDuration::from_secs(1));
    assert!(
        h.policy
            .decide(&h.ticket, requester(), &reopen(), edge)
            .is_ok()
    );
    assert_eq!(
        h.policy.decide(&h.ticket, requester(), &reopen(), late),
        Err(DomainError::ReopenWindowExpired { days: 3 })
    );
}

#[test]
fn a_zero_day_window_allows_only_the_moment_of_closing() {
    let h = closed_with(Policy {
        requester_reopen_days: 0,
    });
    let closed = closed_at(&h);
    assert!(
        h.policy
            .decide(&h.ticket, requester(), &reopen(), closed)
            .is_ok()
    );
    assert_eq!(
        h.policy.decide(
            &h.ticket,
            requester(),
            &reopen(),
            after(closed, SignedDuration::from_secs(1))
        ),
        Err(DomainError::ReopenWindowExpired { days: 0 })
    );
}

#[test]
fn the_window_counts_from_closing_not_from_submission() {
    // Submitted, then left a month before being worked and closed.
    let mut h = History::submitted();
    let month_later = after(h.now, days(30));
    h.try_run_at(dispatcher(), &assign(TECHNICIAN), month_later)
        .expect("assign");
    let h = h
        .run(technician(), &sau_domain::Command::Accept)
        .run(technician(), &resolve())
        .run(dispatcher(), &sau_domain::Command::Close);
    let at = after(closed_at(&h), days(6));
    assert!(
        h.policy
            .decide(&h.ticket, requester(), &reopen(), at)
            .is_ok()
    );
}

#[test]
fn the_window_counts_from_the_latest_closing() {
    let first = History::closed();
    let first_close = closed_at(&first);
    let mut h = first;
    h.try_run_at(requester(), &reopen(), after(first_close, days(6)))
        .expect("reopen within the window");
    let h = h
        .run(dispatcher(), &assign(TECHNICIAN))
        .run(technician(), &sau_domain::Command::Accept)
        .run(technician(), &resolve())
        .run(dispatcher(), &sau_domain::Command::Close);
    // Ten days after the first closing, three after the second.
    let at = after(first_close, days(10));
    assert!(
        h.policy
            .decide(&h.ticket, requester(), &reopen(), at)
            .is_ok()
    );
}

#[test]
fn supervisor_may_reopen_a_closed_ticket_a_year_later() {
    let mut h = History::closed();
    let at = after(closed_at(&h), days(365));
    h.try_run_at(supervisor(), &reopen(), at)
        .expect("no window for the supervisor");
    assert_eq!(h.ticket.state, State::New);
}

#[test]
fn supervisor_may_reopen_a_cancelled_ticket_a_year_later() {
    let mut h = History::cancelled_after_assignment();
    let at = after(h.now, days(365));
    h.try_run_at(supervisor(), &reopen(), at)
        .expect("no window for the supervisor");
    assert_eq!(h.ticket.state, State::New);
}

#[test]
fn requester_may_not_reopen_a_cancelled_ticket_even_at_once() {
    let h = History::cancelled_after_assignment();
    assert_eq!(
        h.policy.decide(&h.ticket, requester(), &reopen(), h.now),
        Err(DomainError::InvalidTransition {
            command: "reopen",
            state: State::Cancelled,
        })
    );
}

#[test]
fn another_requester_may_not_reopen_even_within_the_window() {
    let h = History::closed();
    let other = actor(OTHER_REQUESTER, &[sau_domain::Role::Requester]);
    assert_eq!(
        h.policy.decide(&h.ticket, other, &reopen(), h.now),
        Err(DomainError::NotAllowed { command: "reopen" })
    );
}

#[test]
fn the_default_window_is_seven_days() {
    assert_eq!(Policy::default().requester_reopen_days, 7);
}

#[test]
fn reopen_leaves_the_requesters_choices_when_the_window_closes() {
    let h = History::closed();
    let inside = after(closed_at(&h), days(7));
    let outside = inside + SignedDuration::from_secs(1);
    let offered = |at| h.policy.allowed(&h.ticket, requester(), at);
    assert!(offered(inside).contains(&sau_domain::CommandKind::Reopen));
    assert!(!offered(outside).contains(&sau_domain::CommandKind::Reopen));
}
