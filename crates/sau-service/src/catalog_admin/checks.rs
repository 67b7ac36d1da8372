//! The checks on what an admin types into the catalog's forms: keys, names,
//! priorities, choice options and field kinds. Every problem of a form is
//! collected, so the admin sees all of them at once.

use super::*;

/// The longest key of a category or field.
pub(super) const MAX_KEY_CHARS: usize = 40;
/// The longest name, label or choice option.
pub(super) const MAX_NAME_CHARS: usize = 200;
/// The longest category description.
pub(super) const MAX_DESCRIPTION_CHARS: usize = 1_000;

/// Collects every problem of a form, so all of them are reported at once.
#[derive(Debug, Default)]
pub(super) struct Problems(BTreeMap<String, FieldProblem>);

impl Problems {
    pub(super) fn add(&mut self, field: &str, problem: FieldProblem) {
        self.0.entry(field.to_owned()).or_insert(problem);
    }

    /// A trimmed text of at most `max` characters; empty only when not `required`.
    pub(super) fn text(&mut self, field: &str, value: &str, max: usize, required: bool) -> String {
        let value = value.trim();
        if required && value.is_empty() {
            self.add(field, FieldProblem::Required);
        } else if value.chars().count() > max {
            self.add(field, FieldProblem::TooLong);
        }
        value.to_owned()
    }

    /// A key: a lowercase letter, then lowercase letters, digits or `_`. Keys are
    /// what the API, the OTRS connector and stored field values use, so they stay
    /// plain ASCII.
    pub(super) fn key(&mut self, field: &str, value: &str) -> String {
        let value = value.trim();
        let mut chars = value.chars();
        let well_formed = chars.next().is_some_and(|c| c.is_ascii_lowercase())
            && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if value.is_empty() {
            self.add(field, FieldProblem::Required);
        } else if value.chars().count() > MAX_KEY_CHARS {
            self.add(field, FieldProblem::TooLong);
        } else if !well_formed {
            self.add(field, FieldProblem::NotAText);
        }
        value.to_owned()
    }

    pub(super) fn priority(&mut self, level: i64) -> Priority {
        Priority::new(level).unwrap_or_else(|| {
            self.add("default_priority", FieldProblem::OutOfRange);
            Priority::NORMAL
        })
    }

    /// A choice field from the admin's lines, one option each, "Español |
    /// English" (see [`sau_domain::options_from_lines`]); `current`, the field
    /// as it was, so its options keep their keys.
    pub(super) fn choice(&mut self, lines: &[String], current: Option<&FieldKind>) -> FieldKind {
        let (keys, labels) = match current {
            Some(FieldKind::Choice { options, labels }) => (options.as_slice(), labels.as_slice()),
            _ => (&[][..], &[][..]),
        };
        match sau_domain::options_from_lines(lines, keys, labels) {
            Ok((options, labels)) => FieldKind::Choice { options, labels },
            Err(problem) => {
                self.add("options", problem);
                FieldKind::Choice {
                    options: Vec::new(),
                    labels: Vec::new(),
                }
            }
        }
    }

    pub(super) fn kind(&mut self, kind: &str, options: &[String]) -> FieldKind {
        match kind.trim() {
            "text" => FieldKind::Text,
            "number" => FieldKind::Number,
            "date" => FieldKind::Date,
            "choice" => self.choice(options, None),
            "" => {
                self.add("kind", FieldProblem::Required);
                FieldKind::Text
            }
            _ => {
                self.add("kind", FieldProblem::NotAnOption);
                FieldKind::Text
            }
        }
    }

    pub(super) fn done(self) -> Result<(), ServiceError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(ServiceError::Invalid(self.0))
        }
    }
}

/// The parts of a category an admin edits, checked.
pub(super) struct CategoryText {
    pub(super) name_es: String,
    pub(super) name_en: String,
    pub(super) description_es: String,
    pub(super) description_en: String,
    pub(super) default_priority: Priority,
}

pub(super) fn category_text(problems: &mut Problems, input: &CategoryInput) -> CategoryText {
    CategoryText {
        name_es: problems.text("name_es", &input.name_es, MAX_NAME_CHARS, true),
        name_en: problems.text("name_en", &input.name_en, MAX_NAME_CHARS, true),
        description_es: problems.text(
            "description_es",
            &input.description_es,
            MAX_DESCRIPTION_CHARS,
            false,
        ),
        description_en: problems.text(
            "description_en",
            &input.description_en,
            MAX_DESCRIPTION_CHARS,
            false,
        ),
        default_priority: problems.priority(input.default_priority),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_lowercase_ascii_words_starting_with_a_letter() {
        for good in ["sistema", "numero_inventario", "a1", "x"] {
            let mut p = Problems::default();
            assert_eq!(p.key("key", &format!(" {good} ")), good);
            assert!(p.0.is_empty(), "{good}: {:?}", p.0);
        }
        for (bad, problem) in [
            ("", FieldProblem::Required),
            ("Sistema", FieldProblem::NotAText),
            ("1abc", FieldProblem::NotAText),
            ("con espacio", FieldProblem::NotAText),
            ("extensión", FieldProblem::NotAText),
            ("_x", FieldProblem::NotAText),
            (&"a".repeat(41), FieldProblem::TooLong),
        ] {
            let mut p = Problems::default();
            p.key("key", bad);
            assert_eq!(p.0.get("key"), Some(&problem), "{bad}");
        }
    }

    #[test]
    fn choice_options_drop_blanks_and_repeats_and_need_one() {
        let mut p = Problems::default();
        let kind = p.choice(&[" a ".into(), "".into(), "b | B".into(), "a".into()], None);
        assert!(p.0.is_empty());
        let FieldKind::Choice { options, labels } = kind else {
            panic!("a choice");
        };
        assert_eq!(options, ["a", "b"]);
        assert_eq!(labels[1].en, "B");
        let mut p = Problems::default();
        p.choice(&["  ".into()], None);
        assert_eq!(p.0.get("options"), Some(&FieldProblem::Required));
        let mut p = Problems::default();
        let many: Vec<String> = (0..=sau_domain::MAX_OPTIONS)
            .map(|i| format!("o{i}"))
            .collect();
        p.choice(&many, None);
        assert_eq!(p.0.get("options"), Some(&FieldProblem::TooLong));
    }

    #[test]
    fn unknown_kinds_are_refused() {
        let mut p = Problems::default();
        p.kind("picture", &[]);
        assert_eq!(p.0.get("kind"), Some(&FieldProblem::NotAnOption));
        let mut p = Problems::default();
        assert_eq!(p.kind("date", &[]), FieldKind::Date);
        assert!(p.0.is_empty());
    }
}
