use super::*;
use jiff::civil::date;
use proptest::prelude::*;

fn local(calendar: &Calendar, day: Date, h: i8, m: i8) -> Timestamp {
    calendar
        .zone()
        .to_ambiguous_timestamp(day.at(h, m, 0, 0))
        .compatible()
        .expect("a local time")
}

fn mins(m: i64) -> SignedDuration {
    SignedDuration::from_mins(m)
}

#[test]
fn easter_falls_where_the_church_s_tables_put_it() {
    for (year, month, day) in [
        (2024, 3, 31),
        (2025, 4, 20),
        (2026, 4, 5),
        (2027, 3, 28),
        (2038, 4, 25),
        (2285, 3, 22),
    ] {
        assert_eq!(easter_sunday(year), Some(date(year, month, day)), "{year}");
    }
}

#[test]
fn guatemala_s_holy_week_moves_with_easter() {
    let gt = Calendar::guatemala();
    // 2026: Easter on 5 April, so 2, 3 and 4 April are off.
    for day in [2, 3, 4] {
        assert_eq!(gt.off_from(date(2026, 4, day)), Some(Time::MIN), "{day}");
    }
    assert_eq!(gt.off_from(date(2026, 4, 1)), None);
    // 2027: Easter on 28 March.
    assert_eq!(gt.off_from(date(2027, 3, 25)), Some(Time::MIN));
    assert_eq!(gt.off_from(date(2027, 4, 2)), None);
    assert_eq!(
        gt.off_from(date(2026, 12, 24)),
        Some(time(12, 0, 0, 0)),
        "Nochebuena from noon"
    );
}

#[test]
fn a_friday_afternoon_request_waits_over_the_weekend_in_business_time() {
    let gt = Calendar::guatemala();
    // Friday 4 December 2026, 16:20, to Monday 7 December, 08:05.
    let from = local(&gt, date(2026, 12, 4), 16, 20);
    let to = local(&gt, date(2026, 12, 7), 8, 5);
    assert_eq!(gt.business_time(from, to), mins(15));
    // The lunch break does not count.
    let before_lunch = local(&gt, date(2026, 12, 7), 12, 0);
    let after_lunch = local(&gt, date(2026, 12, 7), 14, 0);
    assert_eq!(gt.business_time(before_lunch, after_lunch), mins(60));
    // A 25-minute target set at 16:20 on Friday is due at 08:15 on Monday.
    assert_eq!(
        gt.add_business_time(from, mins(25)),
        Some(local(&gt, date(2026, 12, 7), 8, 15))
    );
}

#[test]
fn christmas_eve_afternoon_and_new_year_are_off() {
    let gt = Calendar::guatemala();
    // Thursday 24 December 2026, 11:50, is due after ten minutes of the
    // morning and the rest on Monday 28 (25 is a holiday, 26–27 a weekend).
    let from = local(&gt, date(2026, 12, 24), 11, 50);
    assert_eq!(
        gt.add_business_time(from, mins(25)),
        Some(local(&gt, date(2026, 12, 28), 8, 15))
    );
    let whole_week = gt.business_time(
        local(&gt, date(2026, 12, 28), 0, 0),
        local(&gt, date(2027, 1, 4), 0, 0),
    );
    // Monday to Wednesday whole (7.5 h each), Thursday 31 until noon (4 h),
    // Friday 1 January off.
    assert_eq!(whole_week, mins(3 * 450 + 240));
}

#[test]
fn a_zone_with_daylight_saving_counts_the_hours_that_passed() {
    // New York springs forward at 02:00 on 8 March 2026 and falls back on
    // 1 November 2026; a team working around the clock on Sundays.
    let mut week: [Vec<Shift>; 7] = Default::default();
    week[6] = vec![Shift::new(Time::MIN, Time::MIN)];
    let ny = Calendar::new("America/New_York", week, Vec::new()).expect("calendar");
    let day = |d: Date| {
        ny.business_time(
            local(&ny, d, 0, 0),
            local(&ny, d.tomorrow().expect("tomorrow"), 0, 0),
        )
    };
    assert_eq!(day(date(2026, 3, 8)), SignedDuration::from_hours(23));
    assert_eq!(day(date(2026, 11, 1)), SignedDuration::from_hours(25));
    assert_eq!(day(date(2026, 11, 8)), SignedDuration::from_hours(24));
}

#[test]
fn a_calendar_that_makes_no_sense_is_refused() {
    let overlapping = vec![
        Shift::new(time(8, 0, 0, 0), time(13, 0, 0, 0)),
        Shift::new(time(12, 0, 0, 0), time(16, 0, 0, 0)),
    ];
    let mut week: [Vec<Shift>; 7] = Default::default();
    week[2] = overlapping;
    assert_eq!(
        Calendar::new(DEFAULT_TIME_ZONE, week, Vec::new()).map(|_| ()),
        Err(CalendarError::BadShift { weekday: 2 })
    );
    let mut week: [Vec<Shift>; 7] = Default::default();
    week[0] = vec![Shift::new(time(17, 0, 0, 0), time(8, 0, 0, 0))];
    assert!(Calendar::new(DEFAULT_TIME_ZONE, week, Vec::new()).is_err());
    assert_eq!(
        Calendar::new("Mars/Olympus", Default::default(), Vec::new()).map(|_| ()),
        Err(CalendarError::UnknownTimeZone("Mars/Olympus".into()))
    );
    let never = Holiday::whole_day("Nunca", HolidayDate::Yearly { month: 2, day: 30 });
    assert!(Calendar::new(DEFAULT_TIME_ZONE, Default::default(), vec![never]).is_err());
}

#[test]
fn a_calendar_with_no_working_time_has_no_deadline() {
    let idle = Calendar::new(DEFAULT_TIME_ZONE, Default::default(), Vec::new()).expect("calendar");
    let now: Timestamp = "2026-12-07T15:00:00Z".parse().expect("instant");
    assert_eq!(idle.add_business_time(now, mins(25)), None);
    assert_eq!(
        idle.business_time(now, now + SignedDuration::from_hours(1000)),
        SignedDuration::ZERO
    );
}

#[test]
fn always_is_the_wall_clock() {
    let always = Calendar::always();
    let from: Timestamp = "2026-12-05T22:17:00Z".parse().expect("instant");
    let to: Timestamp = "2026-12-09T03:01:30Z".parse().expect("instant");
    assert_eq!(always.business_time(from, to), to.duration_since(from));
    assert_eq!(
        always.add_business_time(from, mins(90)),
        Some(from + mins(90))
    );
}

/// The calendars the properties run on: Guatemala's (no daylight saving,
/// lunch break, holidays), one in a zone with daylight saving and holidays
/// of every kind, and the wall clock.
fn calendars() -> Vec<Calendar> {
    let mut week: [Vec<Shift>; 7] = Default::default();
    for day in week.iter_mut() {
        *day = vec![
            Shift::new(time(1, 30, 0, 0), time(2, 45, 0, 0)),
            Shift::new(time(9, 0, 0, 0), time(17, 0, 0, 0)),
            Shift::new(time(22, 0, 0, 0), Time::MIN),
        ];
    }
    let holidays = vec![
        Holiday::whole_day("Año Nuevo", HolidayDate::Yearly { month: 1, day: 1 }),
        Holiday::whole_day("Viernes Santo", HolidayDate::Easter { offset: -2 }),
        Holiday::whole_day("Cierre", HolidayDate::Once(date(2026, 3, 9))),
        Holiday {
            name: "Tarde libre".into(),
            date: HolidayDate::Yearly { month: 11, day: 2 },
            from: Some(time(12, 0, 0, 0)),
        },
    ];
    let madrid = Calendar::new("Europe/Madrid", week, holidays).expect("calendar");
    vec![Calendar::guatemala(), madrid, Calendar::always()]
}

fn instant() -> impl Strategy<Value = Timestamp> {
    // 2025-12-01 to 2027-01-31: two daylight-saving changes in Madrid, Holy
    // Week, Christmas and New Year.
    let start = 1_764_547_200_i64;
    (0_i64..(427 * 86_400)).prop_map(move |s| Timestamp::from_second(start + s).expect("instant"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Cut a stretch anywhere: the two parts add up to the whole, and no
    /// part is longer than the wall clock.
    #[test]
    fn the_parts_add_up_to_the_whole(a in instant(), b in instant(), c in instant()) {
        let mut points = [a, b, c];
        points.sort();
        let [a, b, c] = points;
        for calendar in calendars() {
            let whole = calendar.business_time(a, c);
            let parts = calendar.business_time(a, b) + calendar.business_time(b, c);
            prop_assert_eq!(whole, parts);
            prop_assert!(whole <= c.duration_since(a));
            prop_assert!(whole >= SignedDuration::ZERO);
        }
    }

    /// A deadline is exactly its amount of business time away, and lands in
    /// working time (nothing of it is left for later).
    #[test]
    fn a_deadline_is_its_amount_of_working_time_away(from in instant(), minutes in 1_i64..6_000) {
        for calendar in calendars() {
            let amount = mins(minutes);
            let due = calendar.add_business_time(from, amount).expect("a deadline");
            prop_assert_eq!(calendar.business_time(from, due), amount);
            // One second less of business time would have been reached earlier.
            let just_before = due - SignedDuration::from_secs(1);
            prop_assert!(calendar.business_time(from, just_before) < amount);
        }
    }
}
