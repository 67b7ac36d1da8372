use super::*;
use crate::test_history::{a_ticket_over_the_weekend as over_the_weekend, event, local};
use jiff::civil::date;

fn targets(assign: Option<i64>, total: i64) -> Targets {
    let mut targets = Targets::default();
    targets.set(TargetKind::Assign, assign.map(SignedDuration::from_mins));
    targets.set(TargetKind::Total, Some(SignedDuration::from_mins(total)));
    targets
}

#[test]
fn a_closed_ticket_is_measured_per_step_in_business_time() {
    let gt = Calendar::guatemala();
    let events = over_the_weekend(&gt);
    let measure = Measure::of_closed(&events, &gt, &targets(Some(20), 25)).expect("closed");
    // Friday 16:20–16:30 and Monday 08:00–08:05 waiting to be assigned.
    assert_eq!(measure.spent(Step::WaitingAssignment), 15 * 60);
    assert_eq!(measure.spent(Step::WaitingAcceptance), 5 * 60);
    // 08:10–08:20 and 10:20–10:30: the two hours on hold do not count.
    assert_eq!(measure.spent(Step::Attention), 20 * 60);
    assert_eq!(measure.on_hold, 120 * 60);
    assert_eq!(measure.spent(Step::WaitingClosure), 2 * 60);
    assert_eq!(measure.spent(Step::Total), 42 * 60);
    assert_eq!(measure.met(TargetKind::Assign), Some(true));
    assert_eq!(measure.met(TargetKind::Accept), None);
    assert_eq!(measure.met(TargetKind::Total), Some(false), "42 > 25");
    assert_eq!(measure.closed_at, events[6].at);
    assert_eq!(measure.rating, None);
    // The parts add up to the whole.
    let parts: i64 = Step::ALL[..4].iter().map(|s| measure.spent(*s)).sum();
    assert_eq!(parts, measure.spent(Step::Total));
}

#[test]
fn a_rating_after_the_close_is_kept_and_a_reopen_unmeasures() {
    let gt = Calendar::guatemala();
    let mut events = over_the_weekend(&gt);
    let later = local(&gt, date(2026, 12, 8), 9, 0);
    events.push(event(
        later,
        EventKind::Rated {
            score: 4,
            comment: String::new(),
        },
    ));
    let measure = Measure::of_closed(&events, &gt, &targets(None, 60)).expect("still closed");
    assert_eq!(measure.rating, Some(4));
    assert_eq!(measure.met(TargetKind::Total), Some(true), "42 ≤ 60");
    assert_eq!(measure.met(TargetKind::Assign), None);

    events.push(event(
        later,
        EventKind::Reopened {
            reason: "Volvió a fallar".into(),
            to_queue: true,
            former_technician: None,
        },
    ));
    assert_eq!(Measure::of_closed(&events, &gt, &targets(None, 60)), None);
}

#[test]
fn a_cancelled_or_open_ticket_is_not_measured() {
    let gt = Calendar::guatemala();
    let mut events = over_the_weekend(&gt);
    events.truncate(3);
    assert_eq!(Measure::of_closed(&events, &gt, &targets(None, 25)), None);
    events.push(event(
        local(&gt, date(2026, 12, 7), 9, 0),
        EventKind::Cancelled {
            reason: "Duplicado".into(),
        },
    ));
    assert_eq!(Measure::of_closed(&events, &gt, &targets(None, 25)), None);
}

#[test]
fn the_quantile_is_the_nearest_rank() {
    // Ten values: 1×1, 2×1, …, 10×1.
    let counts: Vec<(i64, i64)> = (1..=10).map(|v| (v, 1)).collect();
    assert_eq!(quantile(&counts, 0.9), Some(9));
    assert_eq!(quantile(&counts, 0.5), Some(5));
    assert_eq!(quantile(&counts, 1.0), Some(10));
    assert_eq!(quantile(&[(7, 3)], 0.9), Some(7));
    assert_eq!(quantile(&[(1, 9), (100, 1)], 0.9), Some(1));
    assert_eq!(quantile(&[(1, 8), (100, 2)], 0.9), Some(100));
    assert_eq!(quantile(&[], 0.9), None);
}

#[test]
fn compliance_is_a_share_of_what_was_measured() {
    let mut c = Compliance {
        met: 3,
        measured: 4,
    };
    assert_eq!(c.percent(), Some(75.0));
    c.add(Compliance {
        met: 0,
        measured: 4,
    });
    assert_eq!(c.percent(), Some(37.5));
    assert_eq!(Compliance::default().percent(), None);
}

#[test]
fn trends_group_days_by_week_from_monday_and_by_month() {
    let sunday = date(2026, 12, 6);
    assert_eq!(Granularity::Week.start(sunday), date(2026, 11, 30));
    assert_eq!(
        Granularity::Week.start(date(2026, 11, 30)),
        date(2026, 11, 30)
    );
    assert_eq!(Granularity::Month.start(sunday), date(2026, 12, 1));
    assert_eq!(Granularity::Day.start(sunday), sunday);
    assert_eq!(Granularity::for_days(31), Granularity::Day);
    assert_eq!(Granularity::for_days(92), Granularity::Week);
    assert_eq!(Granularity::for_days(365), Granularity::Month);
    assert_eq!(day_number(date(1970, 1, 2)), 1);
    for d in [date(2024, 2, 29), date(2026, 12, 31), date(1999, 1, 1)] {
        assert_eq!(day_from_number(day_number(d)), d);
    }
}
