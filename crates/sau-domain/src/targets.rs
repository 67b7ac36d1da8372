//! Time targets: how long each part of the procedure may take, per category
//! and priority, held against the ticket's business time on its calendar.
//!
//! Four targets, each optional but the total: time to assign (waiting in
//! `new`), time to accept (waiting in `assigned`), time to resolve (from the
//! request to its resolution, hold excluded) and the total to close (the
//! manual's 25 minutes). Everything is measured from the events, so time on
//! hold pauses every clock, and a target changed later is held against the
//! time already spent: nothing is counted again or lost.

use crate::timing::{StepTimes, TargetStatus};
use crate::{Calendar, State};
use jiff::{SignedDuration, Timestamp};

/// One of the four targets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TargetKind {
    Assign,
    Accept,
    Resolve,
    Total,
}

impl TargetKind {
    pub const ALL: [TargetKind; 4] = [
        TargetKind::Assign,
        TargetKind::Accept,
        TargetKind::Resolve,
        TargetKind::Total,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TargetKind::Assign => "assign",
            TargetKind::Accept => "accept",
            TargetKind::Resolve => "resolve",
            TargetKind::Total => "total",
        }
    }

    pub fn parse(s: &str) -> Option<TargetKind> {
        TargetKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The time of `times` this target is held to.
    pub fn spent(self, times: &StepTimes) -> SignedDuration {
        match self {
            TargetKind::Assign => times.waiting_assignment,
            TargetKind::Accept => times.waiting_acceptance,
            TargetKind::Resolve => {
                times.waiting_assignment + times.waiting_acceptance + times.attention
            }
            TargetKind::Total => times.measured(),
        }
    }

    /// Whether its clock runs while the ticket is in `state`.
    pub fn runs_in(self, state: State) -> bool {
        match self {
            TargetKind::Assign => state == State::New,
            TargetKind::Accept => state == State::Assigned,
            TargetKind::Resolve => {
                matches!(state, State::New | State::Assigned | State::InProgress)
            }
            TargetKind::Total => !state.is_finished() && state != State::OnHold,
        }
    }
}

/// The targets of one category and priority; `None` where there is none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Targets {
    pub assign: Option<SignedDuration>,
    pub accept: Option<SignedDuration>,
    pub resolve: Option<SignedDuration>,
    pub total: Option<SignedDuration>,
}

impl Default for Targets {
    /// The manual's standard: 25 minutes for the whole procedure.
    fn default() -> Targets {
        Targets {
            assign: None,
            accept: None,
            resolve: None,
            total: Some(SignedDuration::from_mins(crate::DEFAULT_TARGET_MINUTES)),
        }
    }
}

impl Targets {
    pub fn get(&self, kind: TargetKind) -> Option<SignedDuration> {
        match kind {
            TargetKind::Assign => self.assign,
            TargetKind::Accept => self.accept,
            TargetKind::Resolve => self.resolve,
            TargetKind::Total => self.total,
        }
    }

    pub fn set(&mut self, kind: TargetKind, target: Option<SignedDuration>) {
        let slot = match kind {
            TargetKind::Assign => &mut self.assign,
            TargetKind::Accept => &mut self.accept,
            TargetKind::Resolve => &mut self.resolve,
            TargetKind::Total => &mut self.total,
        };
        *slot = target;
    }
}

/// Where a ticket stands against one target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TargetCheck {
    pub kind: TargetKind,
    pub target: SignedDuration,
    /// Business time spent on it so far.
    pub spent: SignedDuration,
    /// Whether its clock is running now.
    pub running: bool,
    pub status: TargetStatus,
    /// When it will be missed, while it runs and is not missed yet.
    pub due: Option<Timestamp>,
}

impl TargetCheck {
    /// Business time left (negative: overdue by that much).
    pub fn left(&self) -> SignedDuration {
        self.target - self.spent
    }
}

/// Each target a ticket has, against its business time `times` (measured on
/// `calendar` up to `now`) in its current `state`.
pub fn check_targets(
    targets: &Targets,
    times: &StepTimes,
    state: State,
    calendar: &Calendar,
    now: Timestamp,
) -> Vec<TargetCheck> {
    TargetKind::ALL
        .into_iter()
        .filter_map(|kind| {
            let target = targets.get(kind)?;
            let spent = kind.spent(times);
            let running = kind.runs_in(state);
            let due = if running && spent < target {
                calendar.add_business_time(now, target - spent)
            } else {
                None
            };
            Some(TargetCheck {
                kind,
                target,
                spent,
                running,
                status: TargetStatus::against(spent, target),
                due,
            })
        })
        .collect()
}

/// When a ticket's running targets fall due, worked out from its events
/// alone: `due` is the earliest instant one of them is (or was) missed,
/// `soon` the earliest at which one reaches 80% of its target. They hold
/// until the next event changes what runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadlines {
    pub due: Timestamp,
    pub soon: Timestamp,
}

/// The deadlines of a ticket in `state` with `events`, on `calendar`; `None`
/// while no target's clock runs (on hold, resolved, finished) or the
/// calendar has no working time ahead.
pub fn deadlines(
    targets: &Targets,
    events: &[crate::Event],
    state: State,
    calendar: &Calendar,
) -> Option<Deadlines> {
    // Measured up to the last event: from there on the running clocks only
    // add working time, so each crossing is that instant plus what is left.
    let last = events.iter().map(|e| e.at).max()?;
    let times = StepTimes::on_calendar(events, last, calendar);
    let mut due: Option<Timestamp> = None;
    let mut soon: Option<Timestamp> = None;
    for kind in TargetKind::ALL {
        let Some(target) = targets.get(kind) else {
            continue;
        };
        if !kind.runs_in(state) {
            continue;
        }
        let spent = kind.spent(&times);
        let crossing = |at: SignedDuration| {
            // Already past it: it was crossed by the last event.
            calendar.add_business_time(last, (at - spent).max(SignedDuration::ZERO))
        };
        let near = SignedDuration::from_secs(target.as_secs() * 4 / 5);
        if let Some(at) = crossing(target) {
            due = Some(due.map_or(at, |d| d.min(at)));
        }
        if let Some(at) = crossing(near) {
            soon = Some(soon.map_or(at, |s| s.min(at)));
        }
    }
    Some(Deadlines {
        due: due?,
        soon: soon?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_history::{a_ticket_over_the_weekend, local};
    use jiff::civil::date;

    fn mins(m: i64) -> SignedDuration {
        SignedDuration::from_mins(m)
    }

    #[test]
    fn each_target_is_held_to_its_part_of_the_business_time() {
        let gt = Calendar::guatemala();
        let events = a_ticket_over_the_weekend(&gt);
        let now = local(&gt, date(2026, 12, 7), 12, 0);
        let times = StepTimes::on_calendar(&events, now, &gt);
        assert_eq!(
            times.waiting_assignment,
            mins(15),
            "the weekend is not counted"
        );
        assert_eq!(times.waiting_acceptance, mins(5));
        assert_eq!(times.on_hold, mins(120));
        assert_eq!(times.attention, mins(20));
        assert_eq!(times.waiting_closure, mins(2));
        let targets = Targets {
            assign: Some(mins(10)),
            accept: Some(mins(10)),
            resolve: Some(mins(60)),
            total: Some(mins(25)),
        };
        let checks = check_targets(&targets, &times, State::Closed, &gt, now);
        let spent: Vec<(TargetKind, i64, TargetStatus)> = checks
            .iter()
            .map(|c| (c.kind, c.spent.as_mins(), c.status))
            .collect();
        assert_eq!(
            spent,
            [
                (TargetKind::Assign, 15, TargetStatus::Over),
                (TargetKind::Accept, 5, TargetStatus::Within),
                (TargetKind::Resolve, 40, TargetStatus::Within),
                (TargetKind::Total, 42, TargetStatus::Over),
            ]
        );
        assert!(checks.iter().all(|c| !c.running && c.due.is_none()));
    }

    #[test]
    fn a_target_changed_later_keeps_the_time_already_spent_and_paused() {
        let gt = Calendar::guatemala();
        let mut events = a_ticket_over_the_weekend(&gt);
        events.truncate(4); // on hold since Monday 08:20
        let now = local(&gt, date(2026, 12, 7), 9, 0);
        let times = StepTimes::on_calendar(&events, now, &gt);
        let before = check_targets(&Targets::default(), &times, State::OnHold, &gt, now);
        let longer = Targets {
            total: Some(mins(40)),
            ..Targets::default()
        };
        let after = check_targets(&longer, &times, State::OnHold, &gt, now);
        assert_eq!(before[0].spent, mins(30));
        assert_eq!(after[0].spent, before[0].spent, "nothing counted again");
        assert!(!after[0].running, "on hold: the clock is paused");
        assert_eq!(after[0].due, None);
        assert_eq!(after[0].left(), mins(10));
    }

    #[test]
    fn a_running_target_is_due_in_business_time() {
        let gt = Calendar::guatemala();
        let events = &a_ticket_over_the_weekend(&gt)[..1];
        // Friday 16:25: five minutes spent, twenty left: five more on Friday,
        // fifteen on Monday, due at 08:15.
        let now = local(&gt, date(2026, 12, 4), 16, 25);
        let times = StepTimes::on_calendar(events, now, &gt);
        let checks = check_targets(&Targets::default(), &times, State::New, &gt, now);
        assert_eq!(checks.len(), 1);
        assert!(checks[0].running);
        assert_eq!(checks[0].status, TargetStatus::Within);
        assert_eq!(checks[0].due, Some(local(&gt, date(2026, 12, 7), 8, 15)));
    }

    #[test]
    fn deadlines_follow_the_running_clocks_and_stop_on_hold() {
        let gt = Calendar::guatemala();
        let events = a_ticket_over_the_weekend(&gt);
        // Only submitted (Friday 16:20): the 25-minute total falls due on
        // Monday at 08:15, and 80% of it (20 min) at 08:10.
        let targets = Targets::default();
        let new = deadlines(&targets, &events[..1], State::New, &gt).expect("running");
        assert_eq!(new.due, local(&gt, date(2026, 12, 7), 8, 15));
        assert_eq!(new.soon, local(&gt, date(2026, 12, 7), 8, 10));
        // With a 10-minute target to assign too, that one comes first (the
        // ten minutes left on Friday), and it stops mattering once assigned.
        let with_assign = Targets {
            assign: Some(mins(10)),
            ..Targets::default()
        };
        let new = deadlines(&with_assign, &events[..1], State::New, &gt).expect("running");
        assert_eq!(new.due, local(&gt, date(2026, 12, 4), 16, 30));
        let assigned =
            deadlines(&with_assign, &events[..2], State::Assigned, &gt).expect("running");
        // Assigned Monday 08:05 after 15 working minutes: the total has 10 left.
        assert_eq!(assigned.due, local(&gt, date(2026, 12, 7), 8, 15));
        // On hold nothing runs.
        assert_eq!(deadlines(&targets, &events[..4], State::OnHold, &gt), None);
        // Resolved at 10:30 after 40 working minutes: the total (which runs
        // until the closing) was missed by then, so it is overdue from then.
        let late = deadlines(&targets, &events[..6], State::Resolved, &gt).expect("running");
        assert_eq!(late.due, local(&gt, date(2026, 12, 7), 10, 30));
        assert_eq!(deadlines(&targets, &events, State::Closed, &gt), None);
    }

    #[test]
    fn every_kind_reads_back_from_its_name() {
        for kind in TargetKind::ALL {
            assert_eq!(TargetKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(TargetKind::parse("sla"), None);
    }
}
