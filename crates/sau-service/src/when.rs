//! A moment a person names (when to look at a ticket on hold again), in the
//! forms the channels send it: RFC 3339 from programs, a date and time or a
//! date alone from a form, read in the service's time zone. That it lies
//! ahead is the rules' to say (sau-domain).

use crate::ServiceError;
use jiff::Timestamp;
use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use sau_domain::FieldProblem;

/// `text` as a moment; what does not read as one is named by its field, `until`.
pub(crate) fn moment(text: &str, zone: &TimeZone) -> Result<Timestamp, ServiceError> {
    let text = text.trim();
    text.parse::<Timestamp>()
        .ok()
        .or_else(|| {
            // `2026-12-14T08:30` from a form, or with a space between.
            let civil = text.parse::<DateTime>().ok().or_else(|| {
                text.parse::<Date>()
                    .ok()
                    .map(|d| d.to_datetime(jiff::civil::Time::midnight()))
            })?;
            civil
                .to_zoned_datetime(zone.clone())
                .ok()
                .map(|z| z.timestamp())
        })
        .ok_or_else(|| ServiceError::invalid("until", FieldProblem::NotADate))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guatemala() -> TimeZone {
        TimeZone::get("America/Guatemala").expect("zone")
    }

    #[test]
    fn reads_each_form_a_channel_sends() {
        let zone = guatemala();
        let at = |text: &str| {
            moment(text, &zone)
                .map(|t| t.to_string())
                .unwrap_or_else(|e| panic!("{text}: {e:?}"))
        };
        assert_eq!(at("2999-01-02T03:04:05Z"), "2999-01-02T03:04:05Z");
        // A form's date and time is the service's wall clock (UTC−6).
        assert_eq!(at("2999-01-02T08:30"), "2999-01-02T14:30:00Z");
        assert_eq!(at("2999-01-02 08:30"), "2999-01-02T14:30:00Z");
        assert_eq!(at("2999-01-02"), "2999-01-02T06:00:00Z");
    }

    #[test]
    fn refuses_what_is_no_moment() {
        let zone = guatemala();
        for (text, problem) in [
            ("mañana", FieldProblem::NotADate),
            ("2999-02-30", FieldProblem::NotADate),
        ] {
            match moment(text, &zone) {
                Err(ServiceError::Invalid(fields)) => {
                    assert_eq!(fields.get("until"), Some(&problem), "{text}");
                }
                other => panic!("{text}: {other:?}"),
            }
        }
    }
}
