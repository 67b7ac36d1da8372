//! How to reach a person while their request is open: a phone number, an
//! extension on the internal switchboard and the office where they sit.
//! A technician calls, walks over or opens AnyDesk from these.

use crate::FieldProblem;
use serde::{Deserialize, Serialize};

/// Characters a phone number may hold: `+502 2222-3333 (ext. 12)` fits.
pub const MAX_PHONE_CHARS: usize = 40;
/// An internal extension: digits only, as a switchboard dials them.
pub const MAX_EXTENSION_DIGITS: usize = 10;
/// An office: a building, floor and room in words.
pub const MAX_OFFICE_CHARS: usize = 120;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Contact {
    pub phone: Option<String>,
    pub extension: Option<String>,
    pub office: Option<String>,
}

impl Contact {
    /// Checks and tidies what a person or an admin typed. Empty means "none";
    /// each problem is named by its field.
    pub fn new(
        phone: Option<&str>,
        extension: Option<&str>,
        office: Option<&str>,
    ) -> Result<Contact, Vec<(&'static str, FieldProblem)>> {
        let mut problems = Vec::new();
        let phone = given(phone).and_then(|p| match phone_problem(p) {
            None => Some(collapse_spaces(p)),
            Some(problem) => {
                problems.push(("phone", problem));
                None
            }
        });
        let extension = given(extension).and_then(|e| {
            if e.chars().count() > MAX_EXTENSION_DIGITS {
                problems.push(("extension", FieldProblem::TooLong));
                None
            } else if !e.chars().all(|c| c.is_ascii_digit()) {
                problems.push(("extension", FieldProblem::NotANumber));
                None
            } else {
                Some(e.to_owned())
            }
        });
        let office = given(office).and_then(|o| {
            if o.chars().count() > MAX_OFFICE_CHARS {
                problems.push(("office", FieldProblem::TooLong));
                None
            } else if o.chars().any(char::is_control) {
                problems.push(("office", FieldProblem::NotAText));
                None
            } else {
                Some(collapse_spaces(o))
            }
        });
        if problems.is_empty() {
            Ok(Contact {
                phone,
                extension,
                office,
            })
        } else {
            Err(problems)
        }
    }

    pub fn is_empty(&self) -> bool {
        self.phone.is_none() && self.extension.is_none() && self.office.is_none()
    }

    /// The number a `tel:` link dials: the digits, with a leading `+` kept.
    pub fn dial(&self) -> Option<String> {
        let phone = self.phone.as_deref()?;
        let digits: String = phone
            .trim_start()
            .chars()
            .take_while(|c| !c.is_ascii_alphabetic())
            .filter(char::is_ascii_digit)
            .collect();
        if digits.is_empty() {
            return None;
        }
        Some(if phone.trim_start().starts_with('+') {
            format!("+{digits}")
        } else {
            digits
        })
    }
}

fn given(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}

fn collapse_spaces(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A phone number is digits with the punctuation people write around them, and
/// at most a short note such as "ext." after them; at least six digits.
fn phone_problem(phone: &str) -> Option<FieldProblem> {
    if phone.chars().count() > MAX_PHONE_CHARS {
        return Some(FieldProblem::TooLong);
    }
    let allowed = |c: char| {
        c.is_ascii_digit()
            || c.is_alphabetic()
            || c == ' '
            || matches!(c, '+' | '-' | '(' | ')' | '.' | '/' | '#')
    };
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    if !phone.chars().all(allowed) || digits < 6 {
        return Some(FieldProblem::NotANumber);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_values_mean_no_contact() {
        let contact = Contact::new(Some("  "), None, Some("")).expect("valid");
        assert!(contact.is_empty());
    }

    #[test]
    fn values_are_tidied() {
        let contact = Contact::new(
            Some(" +502  2222-3333 "),
            Some("1234"),
            Some(" Edificio  B, 3.er nivel "),
        )
        .expect("valid");
        assert_eq!(contact.phone.as_deref(), Some("+502 2222-3333"));
        assert_eq!(contact.extension.as_deref(), Some("1234"));
        assert_eq!(contact.office.as_deref(), Some("Edificio B, 3.er nivel"));
        assert_eq!(contact.dial().as_deref(), Some("+50222223333"));
    }

    #[test]
    fn a_note_after_the_number_is_not_dialled() {
        let contact = Contact::new(Some("2222-3333 ext. 12"), None, None).expect("valid");
        assert_eq!(contact.dial().as_deref(), Some("22223333"));
    }

    #[test]
    fn each_problem_is_named_by_its_field() {
        let problems = Contact::new(Some("llámeme"), Some("12a"), Some(&"x".repeat(121)))
            .expect_err("refused");
        assert_eq!(
            problems,
            vec![
                ("phone", FieldProblem::NotANumber),
                ("extension", FieldProblem::NotANumber),
                ("office", FieldProblem::TooLong),
            ]
        );
        assert_eq!(
            Contact::new(None, Some("12345678901"), None).expect_err("refused"),
            vec![("extension", FieldProblem::TooLong)]
        );
        assert_eq!(
            Contact::new(Some("<script>123456"), None, None).expect_err("refused"),
            vec![("phone", FieldProblem::NotANumber)]
        );
    }
}
