//! A calendar's text as the admin writes it, checked, stored and read back
//! (see `time_rules`).

use crate::time_rules::{CalendarInput, MAX_CALENDAR_NAME_CHARS};
use crate::{Caller, ServiceError, now};
use sau_domain::{Calendar, FieldProblem, calendar_from_text};
use sau_store::{CalendarRecord, CalendarWrite};
use std::collections::BTreeMap;

/// The stored form of a calendar's text.
pub(crate) fn stored(input: &CalendarInput, holidays: &[String], by: &Caller) -> CalendarWrite {
    CalendarWrite {
        name: input.name.trim().to_owned(),
        time_zone: input.time_zone.trim().to_owned(),
        hours: serde_json::to_string(&input.hours).unwrap_or_default(),
        holidays: serde_json::to_string(holidays).unwrap_or_default(),
        updated_by: by.user().map(|u| u.id),
        updated_at: now(),
    }
}

/// A stored calendar read back; `None` if its text no longer reads.
pub(crate) fn read_calendar(record: &CalendarRecord) -> Option<Calendar> {
    let hours: [String; 7] = serde_json::from_str(&record.hours).ok()?;
    let holidays: Vec<String> = serde_json::from_str(&record.holidays).ok()?;
    calendar_from_text(&record.time_zone, &hours, &holidays).ok()
}

/// Checks a calendar's text: the calendar and its holiday lines, or every
/// wrong field.
pub(crate) fn checked(input: &CalendarInput) -> Result<(Calendar, Vec<String>), ServiceError> {
    let lines: Vec<String> = input
        .holidays
        .lines()
        .map(|l| l.trim().to_owned())
        .collect();
    let mut problems: BTreeMap<String, FieldProblem> = BTreeMap::new();
    let name = input.name.trim();
    if name.is_empty() {
        problems.insert("name".into(), FieldProblem::Required);
    } else if name.chars().count() > MAX_CALENDAR_NAME_CHARS {
        problems.insert("name".into(), FieldProblem::TooLong);
    }
    match calendar_from_text(&input.time_zone, &input.hours, &lines) {
        Ok(calendar) if problems.is_empty() => {
            let kept = lines.into_iter().filter(|l| !l.is_empty()).collect();
            Ok((calendar, kept))
        }
        Ok(_) => Err(ServiceError::Invalid(problems)),
        Err(wrong) => {
            problems.extend(wrong);
            Err(ServiceError::Invalid(problems))
        }
    }
}
