//! Readers that take a value the way a form or a JSON body sends it: numbers as
//! text, an empty text as "not given", yes and no as a form's buttons say them.

use serde::{Deserialize, Deserializer};

/// A whole number, given as a number or as text; empty text or null is none.
pub(crate) fn number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum NumberOrText {
        Number(i64),
        Text(String),
    }
    match Option::<NumberOrText>::deserialize(d)? {
        None => Ok(None),
        Some(NumberOrText::Number(n)) => Ok(Some(n)),
        Some(NumberOrText::Text(t)) if t.trim().is_empty() => Ok(None),
        Some(NumberOrText::Text(t)) => t
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| serde::de::Error::custom("priority: not a whole number")),
    }
}

/// Yes or no: a JSON boolean, or the text a form's buttons send.
pub(crate) fn yes_no<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum BoolOrText {
        Bool(bool),
        Text(String),
    }
    match BoolOrText::deserialize(d)? {
        BoolOrText::Bool(b) => Ok(b),
        BoolOrText::Text(t) => match t.trim().to_lowercase().as_str() {
            "true" | "yes" | "si" | "sí" => Ok(true),
            "false" | "no" => Ok(false),
            _ => Err(serde::de::Error::custom("solved: neither yes nor no")),
        },
    }
}

/// A text; empty (or only spaces) or null is none.
pub(crate) fn text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(Option::<String>::deserialize(d)?
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty()))
}
