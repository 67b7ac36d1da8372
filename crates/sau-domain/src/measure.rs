//! What the director's reports add up: a closed ticket's business time per
//! step of the procedure and whether it met each of its targets, and the
//! figures drawn from many of them (compliance, averages, percentiles,
//! trends by day, week or month).
//!
//! A ticket is measured once it is closed, on its calendar and against the
//! targets of its category and priority at that moment; a cancelled ticket
//! was not attended and is not measured. Reopened and closed again, it is
//! measured again and counts once, on the day of its last close.

use crate::{
    Calendar, Event, EventKind, State, StepTimes, TargetKind, Targets, Ticket, TicketId,
    check_targets,
};
use jiff::civil::{Date, Weekday};
use jiff::{SignedDuration, Timestamp};

/// The steps of the procedure a report averages, and the whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Step {
    /// Submitted → assigned.
    WaitingAssignment,
    /// Assigned → accepted.
    WaitingAcceptance,
    /// Accepted → resolved, hold excluded.
    Attention,
    /// Resolved → closed.
    WaitingClosure,
    /// Submission to close, hold excluded: what the total target holds.
    Total,
}

impl Step {
    pub const ALL: [Step; 5] = [
        Step::WaitingAssignment,
        Step::WaitingAcceptance,
        Step::Attention,
        Step::WaitingClosure,
        Step::Total,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Step::WaitingAssignment => "waiting_assignment",
            Step::WaitingAcceptance => "waiting_acceptance",
            Step::Attention => "attention",
            Step::WaitingClosure => "waiting_closure",
            Step::Total => "total",
        }
    }

    /// Its place in [`Step::ALL`], as stored.
    pub fn index(self) -> usize {
        self as usize
    }

    pub fn from_index(i: usize) -> Option<Step> {
        Step::ALL.get(i).copied()
    }

    fn spent(self, times: &StepTimes) -> SignedDuration {
        match self {
            Step::WaitingAssignment => times.waiting_assignment,
            Step::WaitingAcceptance => times.waiting_acceptance,
            Step::Attention => times.attention,
            Step::WaitingClosure => times.waiting_closure,
            Step::Total => times.measured(),
        }
    }
}

/// A closed ticket, measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Measure {
    /// When it was closed (its last close).
    pub closed_at: Timestamp,
    /// Business seconds per step, in [`Step::ALL`]'s order.
    pub seconds: [i64; 5],
    /// Business seconds on hold.
    pub on_hold: i64,
    /// Per target in [`TargetKind::ALL`]'s order: met or missed, `None`
    /// where the ticket had no such target.
    pub met: [Option<bool>; 4],
    /// The requester's rating, the last one given.
    pub rating: Option<u8>,
}

impl Measure {
    /// Measures a ticket from its events (in order) on `calendar` against
    /// `targets`: `None` unless its last event leaves it closed.
    pub fn of_closed(events: &[Event], calendar: &Calendar, targets: &Targets) -> Option<Measure> {
        let closed_at = events
            .iter()
            .rev()
            .find(|e| matches!(e.kind, EventKind::Closed))?
            .at;
        let (first, rest) = events.split_first()?;
        let mut ticket = Ticket::open(TicketId(0), String::new(), first)?;
        for event in rest {
            ticket.apply(event);
        }
        if ticket.state != State::Closed {
            return None;
        }
        let times = StepTimes::on_calendar(events, closed_at, calendar);
        let checks = check_targets(targets, &times, State::Closed, calendar, closed_at);
        let mut met = [None; 4];
        for check in checks {
            let i = TargetKind::ALL
                .iter()
                .position(|k| *k == check.kind)
                .unwrap_or(0);
            met[i] = Some(check.spent <= check.target);
        }
        let rating = events.iter().rev().find_map(|e| match e.kind {
            EventKind::Rated { score, .. } => Some(score),
            _ => None,
        });
        Some(Measure {
            closed_at,
            seconds: Step::ALL.map(|s| s.spent(&times).as_secs().max(0)),
            on_hold: times.on_hold.as_secs().max(0),
            met,
            rating,
        })
    }

    pub fn spent(&self, step: Step) -> i64 {
        self.seconds[step.index()]
    }

    pub fn met(&self, kind: TargetKind) -> Option<bool> {
        let i = TargetKind::ALL.iter().position(|k| *k == kind)?;
        self.met[i]
    }
}

/// How many measured tickets met a target, of how many had it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Compliance {
    pub met: i64,
    pub measured: i64,
}

impl Compliance {
    /// The share met, in percent; `None` when nothing was measured.
    pub fn percent(&self) -> Option<f64> {
        (self.measured > 0).then(|| 100.0 * self.met as f64 / self.measured as f64)
    }

    pub fn add(&mut self, other: Compliance) {
        self.met += other.met;
        self.measured += other.measured;
    }
}

/// The `q` quantile (0 < q ≤ 1) of values given as (value, how many),
/// sorted by value, by nearest rank: the smallest value at or below which at
/// least `q` of them lie. `None` when there are none.
pub fn quantile(counts: &[(i64, i64)], q: f64) -> Option<i64> {
    let total: i64 = counts.iter().map(|(_, n)| n.max(&0)).sum();
    if total == 0 {
        return None;
    }
    let rank = ((q.clamp(0.0, 1.0) * total as f64).ceil() as i64).max(1);
    let mut seen = 0;
    for (value, n) in counts {
        seen += n.max(&0);
        if seen >= rank {
            return Some(*value);
        }
    }
    counts.last().map(|(v, _)| *v)
}

/// How a trend groups its days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Granularity {
    Day,
    /// Weeks from Monday.
    Week,
    Month,
}

impl Granularity {
    pub fn as_str(self) -> &'static str {
        match self {
            Granularity::Day => "day",
            Granularity::Week => "week",
            Granularity::Month => "month",
        }
    }

    pub fn parse(s: &str) -> Option<Granularity> {
        [Granularity::Day, Granularity::Week, Granularity::Month]
            .into_iter()
            .find(|g| g.as_str() == s)
    }

    /// What suits a period of `days`: days up to two months, weeks up to
    /// half a year, months beyond.
    pub fn for_days(days: i64) -> Granularity {
        match days {
            ..=62 => Granularity::Day,
            63..=186 => Granularity::Week,
            _ => Granularity::Month,
        }
    }

    /// The first day of the group `day` falls in.
    pub fn start(self, day: Date) -> Date {
        match self {
            Granularity::Day => day,
            Granularity::Week => {
                let back = i64::from(day.weekday().since(Weekday::Monday));
                day.checked_sub(jiff::Span::new().days(back)).unwrap_or(day)
            }
            Granularity::Month => day.first_of_month(),
        }
    }
}

/// Days since 1970-01-01, as days are stored.
pub fn day_number(day: Date) -> i64 {
    let epoch = Date::constant(1970, 1, 1);
    i64::from((day - epoch).get_days())
}

/// The date of a stored day number.
pub fn day_from_number(n: i64) -> Date {
    let epoch = Date::constant(1970, 1, 1);
    epoch
        .checked_add(jiff::Span::new().days(n.clamp(-100_000, 100_000)))
        .unwrap_or(epoch)
}

#[cfg(test)]
#[path = "measure_tests.rs"]
mod tests;
