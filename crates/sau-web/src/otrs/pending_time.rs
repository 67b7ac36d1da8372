//! OTRS's `PendingTime`: when a ticket put aside ("pending reminder") should
//! be looked at again, which SAU keeps as the hold's `until`.

use serde_json::Value;

/// `PendingTime` as the moment it names (RFC 3339), `Ok(None)` when absent:
/// `{"Diff": minutes}` from now, or `{Year, Month, Day, Hour, Minute}` in UTC
/// (what OTRS's clients compute). `Err` says what is wrong with it.
pub fn read(value: Option<&Value>) -> Result<Option<String>, &'static str> {
    let Some(value) = value.filter(|v| !v.is_null()) else {
        return Ok(None);
    };
    let Some(parts) = value.as_object() else {
        return Err("not an object");
    };
    let part = |name: &str| super::input::text(parts.get(name));
    if let Some(diff) = part("Diff") {
        let minutes: i64 = diff
            .parse()
            .ok()
            .filter(|m| *m >= 0 && diff.bytes().all(|b| b.is_ascii_digit()))
            .ok_or("Diff is not a number of minutes")?;
        let at = jiff::Timestamp::now()
            .checked_add(jiff::SignedDuration::from_mins(minutes))
            .map_err(|_| "Diff is too far away")?;
        return Ok(Some(at.to_string()));
    }
    let number = |name: &str, required: bool| -> Result<i64, &'static str> {
        match part(name) {
            None if required => Err("Year, Month and Day are required"),
            None => Ok(0),
            Some(text) => text
                .parse::<i64>()
                .ok()
                .filter(|n| *n >= 0)
                .ok_or("a part is not a number"),
        }
    };
    let (year, month, day) = (
        number("Year", true)?,
        number("Month", true)?,
        number("Day", true)?,
    );
    let (hour, minute) = (number("Hour", false)?, number("Minute", false)?);
    let small = |n: i64| i8::try_from(n).map_err(|_| "not a real date");
    let civil = jiff::civil::DateTime::new(
        i16::try_from(year).map_err(|_| "not a real date")?,
        small(month)?,
        small(day)?,
        small(hour)?,
        small(minute)?,
        0,
        0,
    )
    .map_err(|_| "not a real date")?;
    let at = civil
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .map_err(|_| "not a real date")?;
    Ok(Some(at.timestamp().to_string()))
}

#[cfg(test)]
mod tests {
    use super::read;
    use serde_json::json;

    #[test]
    fn reads_both_forms_and_names_what_is_wrong() {
        assert_eq!(read(None), Ok(None));
        assert_eq!(read(Some(&json!(null))), Ok(None));
        let date = json!({"Year": "2999", "Month": 1, "Day": " 2 ", "Hour": 3, "Minute": 4});
        let expected = "2999-01-02T03:04:00Z".to_owned();
        assert_eq!(read(Some(&date)), Ok(Some(expected)));
        let in_an_hour = read(Some(&json!({"Diff": "60"})))
            .expect("reads")
            .expect("a time");
        let at: jiff::Timestamp = in_an_hour.parse().expect("RFC 3339");
        let ahead = at.duration_since(jiff::Timestamp::now()).as_secs();
        assert!((3590..=3600).contains(&ahead), "{ahead}");
        for wrong in [
            json!("mañana"),
            json!({"Diff": "-5"}),
            json!({"Diff": "1h"}),
            json!({"Year": 2999, "Month": 2, "Day": 30}),
            json!({"Year": 2999, "Day": 3}),
            json!({"Year": 2999, "Month": -1, "Day": 3}),
        ] {
            assert!(read(Some(&wrong)).is_err(), "{wrong}");
        }
    }
}
