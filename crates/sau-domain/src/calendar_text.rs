//! A calendar as people write it, in a form, the API or the stored record:
//! each weekday's working hours as ranges (`08:00-12:30, 13:30-16:30`; empty
//! for a day off; `24:00` for midnight), and one holiday per line:
//!
//! - `01-01 Año Nuevo`: every year;
//! - `2026-03-09 Cierre anual`: that date only;
//! - `Pascua-3 Jueves Santo` (or `Easter-3`): so many days from Easter Sunday;
//! - `12-24 12:00 Nochebuena`: from that time of day on.

use crate::{Calendar, CalendarError, FieldProblem, Holiday, HolidayDate, Shift};
use jiff::civil::{Date, Time};

/// The longest holiday name kept.
pub const MAX_HOLIDAY_NAME_CHARS: usize = 80;

/// The most holidays one calendar keeps.
pub const MAX_HOLIDAYS: usize = 200;

fn parse_time(text: &str) -> Option<Time> {
    let (h, m) = text.trim().split_once(':')?;
    let (h, m): (i8, i8) = (h.parse().ok()?, m.parse().ok()?);
    if h == 24 && m == 0 {
        return Some(Time::MIN);
    }
    Time::new(h, m, 0, 0).ok()
}

fn format_time(time: Time) -> String {
    format!("{:02}:{:02}", time.hour(), time.minute())
}

/// One weekday's ranges: `08:00-12:30, 13:30-16:30`, or nothing for a day
/// off. In order, without overlaps, each ending after it starts.
pub fn parse_hours(text: &str) -> Result<Vec<Shift>, FieldProblem> {
    let text = text.trim();
    if text.is_empty() || text == "-" {
        return Ok(Vec::new());
    }
    let mut shifts = Vec::new();
    for range in text.split([',', ';']) {
        let (start, end) = range.split_once(['-', '–']).ok_or(FieldProblem::NotHours)?;
        let start = parse_time(start).ok_or(FieldProblem::NotHours)?;
        let end = parse_time(end).ok_or(FieldProblem::NotHours)?;
        shifts.push(Shift::new(start, end));
    }
    let mut week: [Vec<Shift>; 7] = Default::default();
    week[0] = shifts.clone();
    match Calendar::new(crate::DEFAULT_TIME_ZONE, week, Vec::new()) {
        Ok(_) => Ok(shifts),
        Err(_) => Err(FieldProblem::NotHours),
    }
}

/// The ranges as [`parse_hours`] reads them.
pub fn format_hours(shifts: &[Shift]) -> String {
    shifts
        .iter()
        .map(|s| {
            let end = if s.end == Time::MIN {
                "24:00".to_owned()
            } else {
                format_time(s.end)
            };
            format!("{}-{end}", format_time(s.start))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn parse_date(word: &str) -> Option<HolidayDate> {
    let lower = word.to_lowercase();
    for easter in ["pascua", "easter"] {
        if let Some(rest) = lower.strip_prefix(easter) {
            let offset = if rest.is_empty() {
                0
            } else {
                rest.strip_prefix('+').unwrap_or(rest).parse().ok()?
            };
            return (-100..=100)
                .contains(&offset)
                .then_some(HolidayDate::Easter { offset });
        }
    }
    let parts: Vec<&str> = word.split('-').collect();
    match parts.as_slice() {
        [month, day] => {
            let (month, day): (i8, i8) = (month.parse().ok()?, day.parse().ok()?);
            // A leap year has every month-day there is.
            Date::new(2024, month, day).ok()?;
            Some(HolidayDate::Yearly { month, day })
        }
        [_, _, _] => word.parse::<Date>().ok().map(HolidayDate::Once),
        _ => None,
    }
}

/// One holiday line: a date, an optional time from which it is off, a name.
pub fn parse_holiday(line: &str) -> Result<Holiday, FieldProblem> {
    let mut words = line.split_whitespace();
    let date = words
        .next()
        .and_then(parse_date)
        .ok_or(FieldProblem::NotAHoliday)?;
    let rest: Vec<&str> = words.collect();
    let (from, name) = match rest.split_first() {
        Some((first, name)) if first.contains(':') => (
            Some(parse_time(first).ok_or(FieldProblem::NotAHoliday)?),
            name,
        ),
        _ => (None, rest.as_slice()),
    };
    let name = name.join(" ");
    if name.is_empty() {
        return Err(FieldProblem::NotAHoliday);
    }
    if name.chars().count() > MAX_HOLIDAY_NAME_CHARS {
        return Err(FieldProblem::TooLong);
    }
    Ok(Holiday { name, date, from })
}

/// The line [`parse_holiday`] reads back.
pub fn format_holiday(holiday: &Holiday) -> String {
    let date = match holiday.date {
        HolidayDate::Yearly { month, day } => format!("{month:02}-{day:02}"),
        HolidayDate::Once(date) => date.to_string(),
        HolidayDate::Easter { offset: 0 } => "Pascua".to_owned(),
        HolidayDate::Easter { offset } => format!("Pascua{offset:+}"),
    };
    match holiday.from {
        Some(from) => format!("{date} {} {}", format_time(from), holiday.name),
        None => format!("{date} {}", holiday.name),
    }
}

/// A calendar from its text: the zone, each weekday's hours (Monday first)
/// and the holiday lines (blank ones skipped). Every wrong part is named:
/// `time_zone`, `hours.N` (0 = Monday), `holidays.N` (the line, from 1).
pub fn calendar_from_text(
    time_zone: &str,
    hours: &[String; 7],
    holidays: &[String],
) -> Result<Calendar, Vec<(String, FieldProblem)>> {
    let mut problems = Vec::new();
    let mut week: [Vec<Shift>; 7] = Default::default();
    for (day, text) in hours.iter().enumerate() {
        match parse_hours(text) {
            Ok(shifts) => week[day] = shifts,
            Err(problem) => problems.push((format!("hours.{day}"), problem)),
        }
    }
    let mut list = Vec::new();
    for (i, line) in holidays.iter().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match parse_holiday(line) {
            Ok(holiday) => list.push(holiday),
            Err(problem) => problems.push((format!("holidays.{}", i + 1), problem)),
        }
    }
    if list.len() > MAX_HOLIDAYS {
        problems.push(("holidays".to_owned(), FieldProblem::TooMany));
    }
    match Calendar::new(time_zone.trim(), week, list) {
        Ok(calendar) if problems.is_empty() => Ok(calendar),
        Ok(_) => Err(problems),
        Err(CalendarError::UnknownTimeZone(_)) => {
            problems.push(("time_zone".to_owned(), FieldProblem::Unknown));
            Err(problems)
        }
        Err(CalendarError::BadShift { weekday }) => {
            problems.push((format!("hours.{weekday}"), FieldProblem::NotHours));
            Err(problems)
        }
        Err(CalendarError::BadHoliday(_)) => {
            problems.push(("holidays".to_owned(), FieldProblem::NotAHoliday));
            Err(problems)
        }
    }
}

/// The text of `calendar`: each weekday's hours and the holiday lines.
pub fn calendar_to_text(calendar: &Calendar) -> ([String; 7], Vec<String>) {
    (
        std::array::from_fn(|day| format_hours(&calendar.week()[day])),
        calendar.holidays().iter().map(format_holiday).collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::{date, time};

    #[test]
    fn hours_read_as_written_and_back() {
        let shifts = parse_hours("08:00-12:30, 13:30 – 16:30").expect("hours");
        assert_eq!(
            shifts,
            [
                Shift::new(time(8, 0, 0, 0), time(12, 30, 0, 0)),
                Shift::new(time(13, 30, 0, 0), time(16, 30, 0, 0))
            ]
        );
        assert_eq!(format_hours(&shifts), "08:00-12:30, 13:30-16:30");
        assert_eq!(parse_hours("").expect("a day off"), []);
        assert_eq!(
            format_hours(&parse_hours("22:00-24:00").expect("to midnight")),
            "22:00-24:00"
        );
        for wrong in [
            "8-12",
            "08:00",
            "12:00-08:00",
            "08:00-13:00, 12:00-16:00",
            "25:00-26:00",
        ] {
            assert_eq!(parse_hours(wrong), Err(FieldProblem::NotHours), "{wrong}");
        }
    }

    #[test]
    fn holiday_lines_read_as_written_and_back() {
        for line in [
            "01-01 Año Nuevo",
            "2026-03-09 Cierre anual",
            "Pascua-3 Jueves Santo",
            "Pascua Domingo de Resurrección",
            "Pascua+1 Lunes de Pascua",
            "12-24 12:00 Nochebuena",
        ] {
            let holiday = parse_holiday(line).expect(line);
            assert_eq!(format_holiday(&holiday), line);
        }
        assert_eq!(
            parse_holiday("easter-2 Good Friday").map(|h| h.date),
            Ok(HolidayDate::Easter { offset: -2 })
        );
        assert_eq!(
            parse_holiday("2026-03-09 Cierre").map(|h| h.date),
            Ok(HolidayDate::Once(date(2026, 3, 9)))
        );
        for wrong in [
            "02-30 Nunca",
            "12-24",
            "mañana Feriado",
            "12-24 25:00 Tarde",
            "Pascua+400 Lejos",
        ] {
            assert!(parse_holiday(wrong).is_err(), "{wrong}");
        }
    }

    #[test]
    fn the_shipped_calendar_reads_back_from_its_text() {
        let gt = Calendar::guatemala();
        let (hours, holidays) = calendar_to_text(&gt);
        assert_eq!(hours[0], "08:00-12:30, 13:30-16:30");
        assert_eq!(hours[6], "");
        let again = calendar_from_text(crate::DEFAULT_TIME_ZONE, &hours, &holidays).expect("reads");
        assert_eq!(again.week(), gt.week());
        assert_eq!(again.holidays(), gt.holidays());
    }

    #[test]
    fn every_wrong_part_is_named() {
        let mut hours: [String; 7] = Default::default();
        hours[1] = "9-5".into();
        hours[4] = "08:00-12:00".into();
        let problems = calendar_from_text(
            "Luna/Tranquilidad",
            &hours,
            &[
                "01-01 Año Nuevo".into(),
                "".into(),
                "31-12 Mal escrito".into(),
            ],
        )
        .map(|_| ())
        .expect_err("refused");
        assert_eq!(
            problems,
            [
                ("hours.1".to_owned(), FieldProblem::NotHours),
                ("holidays.3".to_owned(), FieldProblem::NotAHoliday),
                ("time_zone".to_owned(), FieldProblem::Unknown),
            ]
        );
    }
}
