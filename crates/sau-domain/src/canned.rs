//! Canned responses: the answers a team writes again and again ("Se reinició
//! el servicio de impresión…"), kept once by the dispatchers and dropped into a
//! comment or a resolution with one pick. A response may belong to one category
//! (shown only on its tickets) or to all.

use crate::{FieldProblem, Role, Roles};
use serde::{Deserialize, Serialize};

/// A title is what the picker lists: a few words.
pub const MAX_RESPONSE_TITLE_CHARS: usize = 80;
/// A response is a paragraph or a short list of steps, not a document.
pub const MAX_RESPONSE_BODY_CHARS: usize = 5_000;
/// How many responses an installation keeps: enough for every category's
/// usual answers, few enough for one picker and one page.
pub const MAX_RESPONSES: usize = 300;

/// Where a response may be dropped in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ResponseUse {
    /// A comment to the requester (or an internal note).
    Comment,
    /// The resolution a technician hands back.
    Resolution,
    /// Either.
    Both,
}

impl ResponseUse {
    pub const ALL: [ResponseUse; 3] = [
        ResponseUse::Both,
        ResponseUse::Comment,
        ResponseUse::Resolution,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ResponseUse::Comment => "comment",
            ResponseUse::Resolution => "resolution",
            ResponseUse::Both => "both",
        }
    }

    pub fn parse(value: &str) -> Option<ResponseUse> {
        ResponseUse::ALL
            .into_iter()
            .find(|u| u.as_str() == value.trim())
    }

    /// Whether a response kept for `self` is offered where `place` is written.
    pub fn fits(self, place: ResponseUse) -> bool {
        self == ResponseUse::Both || place == ResponseUse::Both || self == place
    }
}

/// The checked words of a response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CannedText {
    pub title: String,
    pub body: String,
    pub used_for: ResponseUse,
}

impl CannedText {
    /// Checks what a dispatcher typed: a one-line title, a body, and where the
    /// response is used. Every problem is named by its field at once.
    pub fn new(
        title: &str,
        body: &str,
        used_for: &str,
    ) -> Result<CannedText, Vec<(&'static str, FieldProblem)>> {
        let mut problems = Vec::new();
        let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
        if title.is_empty() {
            problems.push(("title", FieldProblem::Required));
        } else if title.chars().count() > MAX_RESPONSE_TITLE_CHARS {
            problems.push(("title", FieldProblem::TooLong));
        }
        // The body keeps its lines; only the blank edges go.
        let body = body.trim().replace("\r\n", "\n");
        if body.is_empty() {
            problems.push(("body", FieldProblem::Required));
        } else if body.chars().count() > MAX_RESPONSE_BODY_CHARS {
            problems.push(("body", FieldProblem::TooLong));
        } else if body
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t')
        {
            problems.push(("body", FieldProblem::NotAText));
        }
        let used_for = ResponseUse::parse(used_for);
        if used_for.is_none() {
            problems.push(("used_for", FieldProblem::NotAnOption));
        }
        match used_for {
            Some(used_for) if problems.is_empty() => Ok(CannedText {
                title,
                body,
                used_for,
            }),
            _ => Err(problems),
        }
    }
}

/// Who keeps the responses: the people who triage (dispatchers and
/// supervisors) and admins. Every agent may use them.
pub fn may_keep_responses(roles: Roles) -> bool {
    roles.dispatches() || roles.has(Role::Admin)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_response_keeps_its_lines_and_tidies_its_title() {
        let text = CannedText::new(
            "  Reinicio   de cola ",
            "\r\nPasos:\r\n1. Reiniciar\r\n2. Probar\n\n",
            "resolution",
        )
        .expect("a valid response");
        assert_eq!(text.title, "Reinicio de cola");
        assert_eq!(text.body, "Pasos:\n1. Reiniciar\n2. Probar");
        assert_eq!(text.used_for, ResponseUse::Resolution);
    }

    #[test]
    fn every_problem_is_named_at_once() {
        let problems = CannedText::new(" ", "", "everywhere").expect_err("refused");
        assert_eq!(
            problems,
            vec![
                ("title", FieldProblem::Required),
                ("body", FieldProblem::Required),
                ("used_for", FieldProblem::NotAnOption),
            ]
        );
        let long_title = "a".repeat(MAX_RESPONSE_TITLE_CHARS + 1);
        let long_body = "b".repeat(MAX_RESPONSE_BODY_CHARS + 1);
        assert_eq!(
            CannedText::new(&long_title, &long_body, "both").expect_err("refused"),
            vec![
                ("title", FieldProblem::TooLong),
                ("body", FieldProblem::TooLong)
            ]
        );
        assert_eq!(
            CannedText::new("t", "a\u{7}b", "both").expect_err("refused"),
            vec![("body", FieldProblem::NotAText)]
        );
    }

    #[test]
    fn a_response_is_offered_where_it_fits() {
        assert!(ResponseUse::Both.fits(ResponseUse::Comment));
        assert!(ResponseUse::Comment.fits(ResponseUse::Comment));
        assert!(!ResponseUse::Comment.fits(ResponseUse::Resolution));
        assert!(!ResponseUse::Resolution.fits(ResponseUse::Comment));
        assert!(ResponseUse::Resolution.fits(ResponseUse::Both));
    }

    #[test]
    fn dispatchers_supervisors_and_admins_keep_them() {
        assert!(may_keep_responses(Roles::of(&[Role::Dispatcher])));
        assert!(may_keep_responses(Roles::of(&[Role::Supervisor])));
        assert!(may_keep_responses(Roles::of(&[Role::Admin])));
        assert!(!may_keep_responses(Roles::of(&[Role::Technician])));
        assert!(!may_keep_responses(Roles::of(&[Role::Requester])));
    }
}
