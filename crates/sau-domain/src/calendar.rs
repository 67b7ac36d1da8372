//! Working calendars: in which time zone a team works, its working hours on
//! each day of the week (several ranges a day, a lunch break between them),
//! and the days it does not work: holidays on a fixed date every year, on one
//! date only, or so many days from Easter, whole days or from a time of day on.
//!
//! Time targets are counted in business time on a ticket's calendar: only the
//! time inside working hours counts, so a request that arrives on Friday at
//! 16:20 and is assigned on Monday at 08:05 waited 15 minutes, not a weekend.
//! Local times are turned into instants by the calendar's time zone (jiff's
//! bundled database), so a day that loses or gains an hour to daylight saving
//! counts the hours that really passed.

use jiff::civil::{Date, Time, time};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use std::fmt;

/// The zone SAU's first calendar is in.
pub const DEFAULT_TIME_ZONE: &str = "America/Guatemala";

/// The most days a deadline is looked for ahead: a calendar with no working
/// time at all has none.
const DEADLINE_HORIZON_DAYS: i32 = 3 * 366;

/// One working range of a day, in local time: from `start` to `end`. An `end`
/// of 00:00 is midnight at the end of the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shift {
    pub start: Time,
    pub end: Time,
}

impl Shift {
    pub fn new(start: Time, end: Time) -> Shift {
        Shift { start, end }
    }

    fn ends_at_midnight(self) -> bool {
        self.end == Time::MIN
    }

    /// Whether it ends after it starts.
    fn is_valid(self) -> bool {
        self.ends_at_midnight() || self.start < self.end
    }

    /// Whether `self` ends by the time `next` starts.
    fn ends_before(self, next: Shift) -> bool {
        !self.ends_at_midnight() && self.end <= next.start
    }
}

/// When a holiday falls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HolidayDate {
    /// The same day every year.
    Yearly { month: i8, day: i8 },
    /// One date only.
    Once(Date),
    /// So many days from Easter Sunday (Holy Thursday is -3).
    Easter { offset: i16 },
}

impl HolidayDate {
    /// The date it falls on in `year`, if any.
    pub fn in_year(self, year: i16) -> Option<Date> {
        match self {
            HolidayDate::Yearly { month, day } => Date::new(year, month, day).ok(),
            HolidayDate::Once(date) => (date.year() == year).then_some(date),
            HolidayDate::Easter { offset } => easter_sunday(year)?
                .checked_add(SignedDuration::from_hours(24 * i64::from(offset)))
                .ok(),
        }
    }
}

/// A day (or the rest of a day) nobody works.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holiday {
    pub name: String,
    pub date: HolidayDate,
    /// From this time of day on (Guatemala's 24 and 31 December, from noon);
    /// `None` for the whole day.
    pub from: Option<Time>,
}

impl Holiday {
    pub fn whole_day(name: &str, date: HolidayDate) -> Holiday {
        Holiday {
            name: name.to_owned(),
            date,
            from: None,
        }
    }
}

/// Why a calendar cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CalendarError {
    /// Not a time zone of the IANA database.
    UnknownTimeZone(String),
    /// A range of that weekday (0 = Monday) ends before it starts, or
    /// overlaps the one before it.
    BadShift { weekday: usize },
    /// A yearly holiday on a date no year has.
    BadHoliday(String),
}

impl fmt::Display for CalendarError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CalendarError::UnknownTimeZone(zone) => write!(f, "unknown time zone {zone:?}"),
            CalendarError::BadShift { weekday } => {
                write!(
                    f,
                    "the working hours of weekday {weekday} overlap or end before they start"
                )
            }
            CalendarError::BadHoliday(name) => write!(f, "holiday {name:?} is on no date"),
        }
    }
}

impl std::error::Error for CalendarError {}

/// When a team works.
#[derive(Debug, Clone)]
pub struct Calendar {
    zone: TimeZone,
    /// Working ranges of each weekday, Monday first, in order.
    week: [Vec<Shift>; 7],
    holidays: Vec<Holiday>,
}

impl Calendar {
    /// A calendar, once its zone is known and its ranges make sense.
    pub fn new(
        zone: &str,
        week: [Vec<Shift>; 7],
        holidays: Vec<Holiday>,
    ) -> Result<Calendar, CalendarError> {
        let zone =
            TimeZone::get(zone).map_err(|_| CalendarError::UnknownTimeZone(zone.to_owned()))?;
        for (weekday, shifts) in week.iter().enumerate() {
            let in_order = shifts.windows(2).all(|w| w[0].ends_before(w[1]));
            if !in_order || !shifts.iter().all(|s| s.is_valid()) {
                return Err(CalendarError::BadShift { weekday });
            }
        }
        for holiday in &holidays {
            if let HolidayDate::Yearly { month, day } = holiday.date
                && Date::new(2024, month, day).is_err()
            {
                return Err(CalendarError::BadHoliday(holiday.name.clone()));
            }
        }
        Ok(Calendar {
            zone,
            week,
            holidays,
        })
    }

    /// Every hour of every day, in UTC: business time is wall-clock time.
    pub fn always() -> Calendar {
        let day = vec![Shift::new(Time::MIN, Time::MIN)];
        Calendar {
            zone: TimeZone::UTC,
            week: std::array::from_fn(|_| day.clone()),
            holidays: Vec::new(),
        }
    }

    /// Guatemala's public administration: Monday to Friday, 08:00–12:30 and
    /// 13:30–16:30, with the country's public holidays.
    pub fn guatemala() -> Calendar {
        let workday = vec![
            Shift::new(time(8, 0, 0, 0), time(12, 30, 0, 0)),
            Shift::new(time(13, 30, 0, 0), time(16, 30, 0, 0)),
        ];
        let mut week: [Vec<Shift>; 7] = Default::default();
        for day in week.iter_mut().take(5) {
            *day = workday.clone();
        }
        Calendar {
            zone: TimeZone::get(DEFAULT_TIME_ZONE).unwrap_or(TimeZone::UTC),
            week,
            holidays: guatemala_holidays(),
        }
    }

    pub fn zone(&self) -> &TimeZone {
        &self.zone
    }

    pub fn week(&self) -> &[Vec<Shift>; 7] {
        &self.week
    }

    pub fn holidays(&self) -> &[Holiday] {
        &self.holidays
    }

    /// From which time `day` is off: midnight for a whole holiday, the
    /// earliest `from` of those falling on it, or `None` on a working day.
    pub fn off_from(&self, day: Date) -> Option<Time> {
        self.holidays
            .iter()
            .filter(|h| h.date.in_year(day.year()) == Some(day))
            .map(|h| h.from.unwrap_or(Time::MIN))
            .min()
    }

    /// The working ranges of `day` as instants, holidays taken out.
    fn working_spans(&self, day: Date) -> impl Iterator<Item = (Timestamp, Timestamp)> + '_ {
        let off = self.off_from(day);
        let weekday = day.weekday().to_monday_zero_offset() as usize;
        self.week[weekday].iter().filter_map(move |shift| {
            // The day's end, unless a holiday starts earlier.
            let mut end = if shift.ends_at_midnight() {
                None
            } else {
                Some(shift.end)
            };
            if let Some(off) = off {
                if off <= shift.start {
                    return None;
                }
                if end.is_none_or(|end| off < end) {
                    end = Some(off);
                }
            }
            let start = self.instant(day, shift.start)?;
            let end = match end {
                Some(end) => self.instant(day, end)?,
                None => self.instant(day.tomorrow().ok()?, Time::MIN)?,
            };
            (start < end).then_some((start, end))
        })
    }

    fn instant(&self, day: Date, at: Time) -> Option<Timestamp> {
        self.zone
            .to_ambiguous_timestamp(day.to_datetime(at))
            .compatible()
            .ok()
    }

    fn local_date(&self, at: Timestamp) -> Date {
        self.zone.to_datetime(at).date()
    }

    /// The working time between two instants (zero when `to` is not later).
    pub fn business_time(&self, from: Timestamp, to: Timestamp) -> SignedDuration {
        if to <= from {
            return SignedDuration::ZERO;
        }
        let mut total = SignedDuration::ZERO;
        // A day's first range can start before its local midnight's instant
        // only across a zone change; starting a day early covers it.
        let mut day = self.local_date(from).yesterday().unwrap_or(Date::MIN);
        let last = self.local_date(to);
        while day <= last {
            for (start, end) in self.working_spans(day) {
                let (start, end) = (start.max(from), end.min(to));
                if start < end {
                    total += end.duration_since(start);
                }
            }
            let Ok(next) = day.tomorrow() else { break };
            day = next;
        }
        total
    }

    /// The instant at which `amount` of working time has passed since
    /// `from`: a target's deadline. `None` if the calendar has no working time
    /// in the next three years.
    pub fn add_business_time(&self, from: Timestamp, amount: SignedDuration) -> Option<Timestamp> {
        if amount <= SignedDuration::ZERO {
            return Some(from);
        }
        let mut left = amount;
        let mut day = self.local_date(from).yesterday().ok()?;
        for _ in 0..DEADLINE_HORIZON_DAYS {
            for (start, end) in self.working_spans(day) {
                let start = start.max(from);
                if start >= end {
                    continue;
                }
                let available = end.duration_since(start);
                if left <= available {
                    return start.checked_add(left).ok();
                }
                left -= available;
            }
            day = day.tomorrow().ok()?;
        }
        None
    }
}

/// Easter Sunday of `year` in the Gregorian calendar (the anonymous
/// algorithm of 1876, as Meeus gives it).
pub fn easter_sunday(year: i16) -> Option<Date> {
    let y = i32::from(year);
    let a = y % 19;
    let b = y / 100;
    let c = y % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    Date::new(year, i8::try_from(month).ok()?, i8::try_from(day).ok()?).ok()
}

/// Guatemala's public holidays (Código de Trabajo, art. 127): the list a new
/// installation starts with, for the admin to edit.
pub fn guatemala_holidays() -> Vec<Holiday> {
    let yearly =
        |name: &str, month, day| Holiday::whole_day(name, HolidayDate::Yearly { month, day });
    let easter = |name: &str, offset| Holiday::whole_day(name, HolidayDate::Easter { offset });
    let noon = Some(time(12, 0, 0, 0));
    vec![
        yearly("Año Nuevo", 1, 1),
        easter("Jueves Santo", -3),
        easter("Viernes Santo", -2),
        easter("Sábado Santo", -1),
        yearly("Día del Trabajo", 5, 1),
        yearly("Día del Ejército", 6, 30),
        yearly("Día de la Independencia", 9, 15),
        yearly("Día de la Revolución", 10, 20),
        yearly("Día de Todos los Santos", 11, 1),
        Holiday {
            name: "Nochebuena (desde mediodía)".into(),
            date: HolidayDate::Yearly { month: 12, day: 24 },
            from: noon,
        },
        yearly("Navidad", 12, 25),
        Holiday {
            name: "Fin de año (desde mediodía)".into(),
            date: HolidayDate::Yearly { month: 12, day: 31 },
            from: noon,
        },
    ]
}

#[cfg(test)]
#[path = "calendar_tests.rs"]
mod tests;
