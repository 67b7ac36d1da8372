//! Ticket numbers in OTRS's default "DateChecksum" form, so numbers people already
//! quote, and `[Ticket#…]` mail subjects, stay valid.

use jiff::civil::Date;

/// A human-facing ticket number, e.g. `2024011510000013`.
pub type TicketNumber = String;

/// The check digit of a base number: digits weighted 1, 2, 1, 2… from the left,
/// products summed as they are (not Luhn), `10 - sum % 10`, and 10 becomes 1.
pub fn check_digit(base: &str) -> u32 {
    let sum: u32 = base
        .chars()
        .filter_map(|c| c.to_digit(10))
        .enumerate()
        .map(|(i, d)| if i % 2 == 0 { d } else { d * 2 })
        .sum();
    match 10 - sum % 10 {
        10 => 1,
        d => d,
    }
}

/// `YYYYMMDD` + two-digit system id + daily counter (at least five digits) + check
/// digit.
pub fn date_checksum_number(date: Date, system_id: u8, counter: u64) -> TicketNumber {
    let base = format!(
        "{:04}{:02}{:02}{:02}{:05}",
        date.year(),
        date.month(),
        date.day(),
        system_id % 100,
        counter
    );
    let check = check_digit(&base);
    format!("{base}{check}")
}

/// Finds a ticket number in a mail subject: `Ticket#` followed directly by the
/// number, or `Ticket#:` and up to two spaces.
pub fn parse_subject_number(subject: &str) -> Option<&str> {
    let start = subject.find("Ticket#")? + "Ticket#".len();
    let mut rest = &subject[start..];
    if let Some(after_colon) = rest.strip_prefix(':') {
        let trimmed = after_colon.trim_start_matches(' ');
        if after_colon.len() - trimmed.len() > 2 {
            return None;
        }
        rest = trimmed;
    }
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    (digits >= 14).then(|| &rest[..digits])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_digit_matches_the_otrs_worked_examples() {
        assert_eq!(check_digit("200206231010001"), 1);
        assert_eq!(check_digit("202401151000001"), 3);
        assert_eq!(check_digit("202401151000002"), 2);
    }

    #[test]
    fn number_is_date_system_counter_and_check_digit() {
        let date = Date::new(2002, 6, 23).expect("valid date");
        assert_eq!(date_checksum_number(date, 10, 10001), "2002062310100011");
        let date = Date::new(2024, 1, 15).expect("valid date");
        assert_eq!(date_checksum_number(date, 10, 1), "2024011510000013");
        assert_eq!(date_checksum_number(date, 10, 2), "2024011510000022");
    }

    #[test]
    fn counter_grows_past_five_digits() {
        let date = Date::new(2024, 1, 15).expect("valid date");
        let n = date_checksum_number(date, 10, 123_456);
        assert_eq!(&n[..16], "2024011510123456");
        assert_eq!(n.len(), 17);
    }

    #[test]
    fn subject_numbers_are_found_after_the_hook() {
        assert_eq!(
            parse_subject_number("RE: [Ticket#2024011510000013] Impresora"),
            Some("2024011510000013")
        );
        assert_eq!(
            parse_subject_number("RV: Ticket#:  2024011510000013 x"),
            Some("2024011510000013")
        );
        assert_eq!(parse_subject_number("Ticket#:   2024011510000013"), None);
        assert_eq!(parse_subject_number("sin número"), None);
    }
}
