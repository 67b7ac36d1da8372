//! A choice field's options: the key a ticket keeps, and the label people
//! read in each language. Admins write one option per line, "Español |
//! English"; the key is made from the Spanish label ("Nueva extensión" →
//! `nueva_extension`) and stays as long as that label does.

use crate::FieldProblem;
use serde::{Deserialize, Serialize};

/// The most characters of an option's label.
pub const MAX_OPTION_LABEL_CHARS: usize = 200;
/// The most options a choice field may offer.
pub const MAX_OPTIONS: usize = 50;

/// An option's label in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct OptionLabel {
    pub key: String,
    pub es: String,
    pub en: String,
}

/// Text lower-cased with its accents taken off (`Técnica` → `tecnica`), for
/// keys and for searches that should not care how a name was typed.
pub fn folded(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    use unicode_normalization::char::is_combining_mark;
    text.nfd()
        .filter(|c| !is_combining_mark(*c))
        .collect::<String>()
        .to_lowercase()
}

/// The key an option's Spanish label makes: [`folded`], anything but letters
/// and digits a single `_` ("Nueva extensión" → `nueva_extension`).
pub fn option_key(label: &str) -> String {
    let mut key = String::new();
    for c in folded(label).chars() {
        if c.is_alphanumeric() {
            key.push(c);
        } else if !key.is_empty() && !key.ends_with('_') {
            key.push('_');
        }
    }
    key.trim_end_matches('_').to_owned()
}

/// Options read from an admin's lines: each "Español | English" (the English
/// label may be left out: the Spanish one is used). A line whose Spanish label
/// is an existing option's label or key keeps that option's key, so tickets
/// that carry it keep reading right. Blank lines and repeats are dropped.
/// Returns the keys in order and every label known, the ones of options taken
/// away included: old tickets still show them.
pub fn options_from_lines(
    lines: &[String],
    current: &[String],
    known: &[OptionLabel],
) -> Result<(Vec<String>, Vec<OptionLabel>), FieldProblem> {
    let mut keys: Vec<String> = Vec::new();
    let mut labels: Vec<OptionLabel> = known.to_vec();
    for line in lines.iter().map(|l| l.trim()).filter(|l| !l.is_empty()) {
        let (es, en) = match line.split_once('|') {
            Some((es, en)) => (es.trim(), Some(en.trim()).filter(|en| !en.is_empty())),
            None => (line, None),
        };
        if es.chars().count() > MAX_OPTION_LABEL_CHARS
            || en.is_some_and(|en| en.chars().count() > MAX_OPTION_LABEL_CHARS)
        {
            return Err(FieldProblem::TooLong);
        }
        // The option this line names: one labelled so, or a key written as it is.
        let old = known.iter().find(|l| l.es == es || l.key == es);
        let names_a_key = current.iter().any(|k| k == es);
        let key = match old {
            Some(old) => old.key.clone(),
            None if names_a_key => es.to_owned(),
            None => option_key(es),
        };
        if key.is_empty() {
            return Err(FieldProblem::NotAText);
        }
        if keys.contains(&key) {
            continue;
        }
        // A key written as it is, with no English, keeps whatever label it had.
        if !(names_a_key && en.is_none()) {
            let en = en
                .map(str::to_owned)
                .or_else(|| old.filter(|o| o.es == es).map(|o| o.en.clone()))
                .unwrap_or_else(|| es.to_owned());
            labels.retain(|l| l.key != key);
            labels.push(OptionLabel {
                key: key.clone(),
                es: es.to_owned(),
                en,
            });
        }
        keys.push(key);
    }
    if keys.is_empty() {
        return Err(FieldProblem::Required);
    }
    if keys.len() > MAX_OPTIONS {
        return Err(FieldProblem::TooLong);
    }
    Ok((keys, labels))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<String> {
        text.lines().map(str::to_owned).collect()
    }

    #[test]
    fn keys_come_from_the_spanish_label() {
        assert_eq!(option_key("Nueva extensión"), "nueva_extension");
        assert_eq!(
            option_key("  Desvío de llamadas (temporal) "),
            "desvio_de_llamadas_temporal"
        );
        assert_eq!(option_key("Año 2025"), "ano_2025");
        assert_eq!(folded("TÉCNICA Ñandú"), "tecnica nandu");
    }

    #[test]
    fn lines_give_keys_and_labels_in_both_languages() {
        let (keys, labels) = options_from_lines(
            &lines("Nueva extensión | New extension\n\nOtra\nOtra | Other"),
            &[],
            &[],
        )
        .expect("valid");
        assert_eq!(keys, ["nueva_extension", "otra"]);
        assert_eq!(
            labels,
            [
                OptionLabel {
                    key: "nueva_extension".into(),
                    es: "Nueva extensión".into(),
                    en: "New extension".into()
                },
                OptionLabel {
                    key: "otra".into(),
                    es: "Otra".into(),
                    en: "Otra".into()
                },
            ]
        );
    }

    #[test]
    fn an_option_keeps_its_key_while_its_label_stays_and_old_labels_are_kept() {
        let known = [OptionLabel {
            key: "cel".into(),
            es: "Celular".into(),
            en: "Mobile".into(),
        }];
        let current = ["cel".to_owned(), "Correo institucional".to_owned()];
        let (keys, labels) = options_from_lines(
            &lines("Celular | Cell phone\nCorreo institucional | Work mail\nFijo | Landline"),
            &current,
            &known,
        )
        .expect("valid");
        assert_eq!(keys, ["cel", "Correo institucional", "fijo"]);
        assert_eq!(
            labels
                .iter()
                .find(|l| l.key == "cel")
                .map(|l| l.en.as_str()),
            Some("Cell phone")
        );

        // Taken away, an option's label stays for the tickets that carry it.
        let (keys, labels) = options_from_lines(&lines("Fijo"), &keys, &labels).expect("valid");
        assert_eq!(keys, ["fijo"]);
        assert!(labels.iter().any(|l| l.key == "cel"));
    }

    #[test]
    fn nothing_usable_is_refused() {
        assert_eq!(
            options_from_lines(&lines(" \n "), &[], &[]),
            Err(FieldProblem::Required)
        );
        assert_eq!(
            options_from_lines(&lines("¿?"), &[], &[]),
            Err(FieldProblem::NotAText)
        );
        let long = "x".repeat(MAX_OPTION_LABEL_CHARS + 1);
        assert_eq!(
            options_from_lines(&[long], &[], &[]),
            Err(FieldProblem::TooLong)
        );
    }
}
