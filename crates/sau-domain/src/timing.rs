//! How long each step of the procedure took, measured from a ticket's events, and
//! how the whole compares to the manual's time standard (25 minutes by default).
//!
//! Every stretch of time between two events belongs to the step the ticket was in
//! during it: `new` is waiting for assignment, `assigned` waiting for acceptance,
//! `in_progress` attention, `on_hold` time on hold (it pauses the clock),
//! `resolved` waiting for closure. While closed or cancelled the clock is stopped,
//! so a reopened ticket does not count the time it spent closed. Open tickets are
//! measured up to `now`.

use crate::{Calendar, Event, State, Ticket, TicketId};
use jiff::{SignedDuration, Timestamp};

/// The manual's time standard for the whole procedure, in minutes.
pub const DEFAULT_TARGET_MINUTES: i64 = 25;

/// The time each step took. All durations are zero or positive, and
/// `waiting_assignment + waiting_acceptance + attention + waiting_closure + on_hold
/// == total`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StepTimes {
    /// Submitted → assigned.
    pub waiting_assignment: SignedDuration,
    /// Assigned → accepted by the technician.
    pub waiting_acceptance: SignedDuration,
    /// Accepted → resolved, without the time on hold.
    pub attention: SignedDuration,
    /// Time on hold (waiting for the requester or a third party).
    pub on_hold: SignedDuration,
    /// Resolved → closed by the dispatcher.
    pub waiting_closure: SignedDuration,
    /// Submission to close (or to `now` while open), including time on hold and
    /// excluding time spent closed before a reopen.
    pub total: SignedDuration,
    /// Whether the ticket is finished (closed or cancelled): the clock has stopped.
    pub finished: bool,
}

impl StepTimes {
    /// The time the clock ran: the total without time on hold. This is what is
    /// compared with the target.
    pub fn measured(&self) -> SignedDuration {
        self.total - self.on_hold
    }

    /// Measures a ticket from its events (in order, starting with the
    /// submission) on the wall clock. Without a submission, everything is
    /// zero.
    pub fn from_events(events: &[Event], now: Timestamp) -> StepTimes {
        StepTimes::measured_by(events, now, |from, to| to.duration_since(from))
    }

    /// Measures a ticket from its events in `calendar`'s working time: what
    /// its time targets are held to.
    pub fn on_calendar(events: &[Event], now: Timestamp, calendar: &Calendar) -> StepTimes {
        StepTimes::measured_by(events, now, |from, to| calendar.business_time(from, to))
    }

    /// Measures with `span`, the time that counts between two instants.
    fn measured_by(
        events: &[Event],
        now: Timestamp,
        span: impl Fn(Timestamp, Timestamp) -> SignedDuration,
    ) -> StepTimes {
        let mut times = StepTimes::default();
        let Some((first, rest)) = events.split_first() else {
            return times;
        };
        let Some(mut ticket) = Ticket::open(TicketId(0), String::new(), first) else {
            return times;
        };
        let mut cursor = first.at;
        for event in rest {
            // Events out of order (clock skew) count as instantaneous.
            let at = event.at.max(cursor);
            times.add(ticket.state, span(cursor, at));
            cursor = at;
            ticket.apply(event);
        }
        times.finished = ticket.state.is_finished();
        if !times.finished {
            let end = now.max(cursor);
            times.add(ticket.state, span(cursor, end));
        }
        times
    }

    fn add(&mut self, state: State, span: SignedDuration) {
        let slot = match state {
            State::New => &mut self.waiting_assignment,
            State::Assigned => &mut self.waiting_acceptance,
            State::InProgress => &mut self.attention,
            State::OnHold => &mut self.on_hold,
            State::Resolved => &mut self.waiting_closure,
            State::Closed | State::Cancelled => return,
        };
        *slot += span;
        self.total += span;
    }

    /// The measured time against a target in minutes.
    pub fn against(&self, target_minutes: i64) -> TargetStatus {
        TargetStatus::of(self.measured(), target_minutes)
    }
}

/// How a measured time compares with its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetStatus {
    /// Under 80% of the target.
    Within,
    /// At least 80% of the target, but not over it.
    Near,
    /// Over the target.
    Over,
}

impl TargetStatus {
    pub fn of(measured: SignedDuration, target_minutes: i64) -> TargetStatus {
        TargetStatus::against(
            measured,
            SignedDuration::from_mins(target_minutes.clamp(0, i64::MAX / 60)),
        )
    }

    /// `spent` against `target`: over it, at 80% of it or more, or within.
    pub fn against(spent: SignedDuration, target: SignedDuration) -> TargetStatus {
        let target = target.as_secs().max(0);
        let secs = spent.as_secs();
        if secs > target {
            TargetStatus::Over
        } else if secs.saturating_mul(5) >= target.saturating_mul(4) {
            TargetStatus::Near
        } else {
            TargetStatus::Within
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            TargetStatus::Within => "within",
            TargetStatus::Near => "near",
            TargetStatus::Over => "over",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Attention, AttentionMode, CategoryId, EventKind, Priority, QueueId, UserId};
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    fn t0() -> Timestamp {
        "2025-03-03T14:00:00Z".parse().expect("timestamp")
    }

    fn at(min: i64) -> Timestamp {
        t0() + SignedDuration::from_mins(min)
    }

    fn mins(m: i64) -> SignedDuration {
        SignedDuration::from_mins(m)
    }

    fn submitted() -> EventKind {
        EventKind::Submitted {
            title: "No imprime".into(),
            description: "desde esta mañana".into(),
            category: CategoryId(1),
            queue: QueueId(1),
            priority: Priority::new(3).expect("priority"),
            fields: BTreeMap::new(),
            requester: UserId(1),
            department: None,
            attachments: Vec::new(),
            intake: None,
        }
    }

    fn kind(name: &str) -> EventKind {
        match name {
            "submit" => submitted(),
            "assign" => EventKind::Assigned {
                technician: UserId(3),
                previous: None,
            },
            "accept" => EventKind::Accepted,
            "hold" => EventKind::Held {
                reason: "esperando".into(),
                until: None,
            },
            "resume" => EventKind::Resumed,
            "comment" => EventKind::Commented {
                body: "nota".into(),
                visibility: crate::Visibility::Internal,
                attachments: Vec::new(),
            },
            "resolve" => EventKind::Resolved {
                resolution: "listo".into(),
                attention: Attention {
                    mode: AttentionMode::InPerson,
                    remote_tool: None,
                    remote_id: None,
                },
                attachments: Vec::new(),
            },
            "return" => EventKind::Returned {
                reason: "falta".into(),
            },
            "close" => EventKind::Closed,
            "cancel" => EventKind::Cancelled {
                reason: "duplicado".into(),
            },
            "reopen" => EventKind::Reopened {
                reason: "otra vez".into(),
                to_queue: true,
                former_technician: Some(UserId(3)),
            },
            // As reopens were recorded before they went through the queue.
            "reopen-to-technician" => EventKind::Reopened {
                reason: "otra vez".into(),
                to_queue: false,
                former_technician: None,
            },
            other => panic!("unknown step {other}"),
        }
    }

    fn events(steps: &[(i64, &str)]) -> Vec<Event> {
        steps
            .iter()
            .map(|(m, name)| Event {
                actor: UserId(1),
                at: at(*m),
                kind: kind(name),
            })
            .collect()
    }

    /// (steps, now in minutes, [assign, accept, attention, hold, closure], total)
    type Case = (&'static [(i64, &'static str)], i64, [i64; 5], i64);

    #[test]
    fn step_times_from_events() {
        let cases: &[Case] = &[
            (&[(0, "submit")], 7, [7, 0, 0, 0, 0], 7),
            (&[(0, "submit"), (3, "assign")], 10, [3, 7, 0, 0, 0], 10),
            (
                &[
                    (0, "submit"),
                    (4, "assign"),
                    (6, "accept"),
                    (16, "resolve"),
                    (20, "close"),
                ],
                500,
                [4, 2, 10, 0, 4],
                20,
            ),
            // Hold pauses attention; comments change nothing.
            (
                &[
                    (0, "submit"),
                    (1, "assign"),
                    (2, "accept"),
                    (5, "hold"),
                    (65, "resume"),
                    (66, "comment"),
                    (70, "resolve"),
                    (71, "close"),
                ],
                500,
                [1, 1, 8, 60, 1],
                71,
            ),
            // Returned work counts as attention again.
            (
                &[
                    (0, "submit"),
                    (1, "assign"),
                    (2, "accept"),
                    (5, "resolve"),
                    (7, "return"),
                    (10, "resolve"),
                    (12, "close"),
                ],
                500,
                [1, 1, 6, 0, 4],
                12,
            ),
            // Time spent closed before a reopen does not count; the reopened
            // ticket waits for assignment again.
            (
                &[
                    (0, "submit"),
                    (1, "assign"),
                    (2, "accept"),
                    (3, "resolve"),
                    (4, "close"),
                    (100, "reopen"),
                    (101, "assign"),
                    (102, "accept"),
                    (103, "resolve"),
                    (104, "close"),
                ],
                500,
                [2, 2, 2, 0, 2],
                8,
            ),
            // A reopen recorded before reopens went through the queue replays as
            // it happened: straight back to the technician, waiting for acceptance.
            (
                &[
                    (0, "submit"),
                    (1, "assign"),
                    (2, "accept"),
                    (3, "resolve"),
                    (4, "close"),
                    (100, "reopen-to-technician"),
                    (102, "accept"),
                    (103, "resolve"),
                    (104, "close"),
                ],
                500,
                [1, 3, 2, 0, 2],
                8,
            ),
            // Cancelled straight from the queue.
            (&[(0, "submit"), (9, "cancel")], 500, [9, 0, 0, 0, 0], 9),
            // `now` before the last event (clock skew) adds nothing.
            (&[(0, "submit"), (5, "assign")], 2, [5, 0, 0, 0, 0], 5),
        ];
        for (steps, now, [assign, accept, attention, hold, closure], total) in cases {
            let times = StepTimes::from_events(&events(steps), at(*now));
            let got = [
                times.waiting_assignment,
                times.waiting_acceptance,
                times.attention,
                times.on_hold,
                times.waiting_closure,
            ];
            assert_eq!(
                got,
                [
                    mins(*assign),
                    mins(*accept),
                    mins(*attention),
                    mins(*hold),
                    mins(*closure)
                ],
                "{steps:?}"
            );
            assert_eq!(times.total, mins(*total), "{steps:?}");
        }
    }

    #[test]
    fn no_events_measure_nothing() {
        assert_eq!(StepTimes::from_events(&[], at(5)), StepTimes::default());
        let not_a_submission = events(&[(0, "accept")]);
        assert_eq!(
            StepTimes::from_events(&not_a_submission, at(5)),
            StepTimes::default()
        );
    }

    #[test]
    fn finished_stops_the_clock() {
        let done = StepTimes::from_events(&events(&[(0, "submit"), (3, "cancel")]), at(90));
        assert!(done.finished);
        let open = StepTimes::from_events(&events(&[(0, "submit")]), at(90));
        assert!(!open.finished);
    }

    #[test]
    fn status_against_target() {
        let cases = [
            (0, 25, TargetStatus::Within),
            (19 * 60 + 59, 25, TargetStatus::Within),
            (20 * 60, 25, TargetStatus::Near),
            (25 * 60, 25, TargetStatus::Near),
            (25 * 60 + 1, 25, TargetStatus::Over),
            (8 * 60, 10, TargetStatus::Near),
            (7 * 60, 10, TargetStatus::Within),
            (3 * 3600, 60, TargetStatus::Over),
        ];
        for (secs, target, want) in cases {
            assert_eq!(
                TargetStatus::of(SignedDuration::from_secs(secs), target),
                want,
                "{secs}s against {target} min"
            );
        }
    }

    #[test]
    fn hold_time_does_not_count_against_the_target() {
        let times = StepTimes::from_events(
            &events(&[(0, "submit"), (1, "assign"), (2, "accept"), (3, "hold")]),
            at(600),
        );
        assert_eq!(times.measured(), mins(3));
        assert_eq!(times.against(DEFAULT_TARGET_MINUTES), TargetStatus::Within);
        assert_eq!(times.against(DEFAULT_TARGET_MINUTES).as_str(), "within");
    }

    const STEPS: [&str; 10] = [
        "assign", "accept", "hold", "resume", "comment", "resolve", "return", "close", "cancel",
        "reopen",
    ];

    proptest! {
        #[test]
        fn steps_never_negative_and_sum_to_total_minus_hold(
            steps in proptest::collection::vec((0usize..STEPS.len(), -30i64..600), 0..24),
            now in -100i64..100_000,
        ) {
            // Arbitrary sequences, even ones the policy would refuse and with
            // timestamps going backwards: the measure must stay sane.
            let mut list = vec![Event { actor: UserId(1), at: t0(), kind: submitted() }];
            let mut clock = 0i64;
            for (step, gap) in steps {
                clock += gap;
                list.push(Event { actor: UserId(1), at: at(clock), kind: kind(STEPS[step]) });
            }
            let times = StepTimes::from_events(&list, at(now));
            let zero = SignedDuration::ZERO;
            for d in [
                times.waiting_assignment,
                times.waiting_acceptance,
                times.attention,
                times.on_hold,
                times.waiting_closure,
                times.total,
            ] {
                prop_assert!(d >= zero, "{times:?}");
            }
            prop_assert_eq!(
                times.waiting_assignment
                    + times.waiting_acceptance
                    + times.attention
                    + times.waiting_closure,
                times.total - times.on_hold
            );
            prop_assert!(times.measured() >= zero);
        }

        #[test]
        fn on_a_calendar_the_steps_add_up_and_never_exceed_the_wall_clock(
            steps in proptest::collection::vec((0usize..STEPS.len(), 0i64..3_000), 0..16),
            now in 0i64..60_000,
        ) {
            // Gaps of up to two days from a Monday morning: nights, weekends
            // and lunch breaks fall inside them.
            let mut list = vec![Event { actor: UserId(1), at: t0(), kind: submitted() }];
            let mut clock = 0i64;
            for (step, gap) in steps {
                clock += gap;
                list.push(Event { actor: UserId(1), at: at(clock), kind: kind(STEPS[step]) });
            }
            let calendar = Calendar::guatemala();
            let business = StepTimes::on_calendar(&list, at(now), &calendar);
            let wall = StepTimes::from_events(&list, at(now));
            prop_assert_eq!(
                business.waiting_assignment
                    + business.waiting_acceptance
                    + business.attention
                    + business.on_hold
                    + business.waiting_closure,
                business.total
            );
            prop_assert!(business.total <= wall.total);
            prop_assert!(business.on_hold <= wall.on_hold);
            // Never closed: the whole is the calendar's time from the request on.
            if !list.iter().any(|e| matches!(e.kind, EventKind::Closed | EventKind::Cancelled { .. })) {
                let end = at(now.max(clock));
                prop_assert_eq!(business.total, calendar.business_time(t0(), end));
            }
        }
    }
}
