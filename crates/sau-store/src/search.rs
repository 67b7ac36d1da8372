//! What a person types into a ticket search box, turned into the pieces the two
//! full-text indexes understand (see migrations `0005_ticket_search.sql`).
//!
//! Only letters and digits survive, so nothing typed can reach the index's own
//! query syntax: `"`, `*`, `&`, `:`, `(` and the like are word separators.

/// At most this many words are searched for; more add nothing but cost.
const MAX_WORDS: usize = 8;

/// The words of `text`, lower-cased, in order, without repeats.
pub(crate) fn words(text: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for word in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        let word = word.to_lowercase();
        if !words.contains(&word) {
            words.push(word);
        }
        if words.len() == MAX_WORDS {
            break;
        }
    }
    words
}

/// SQLite FTS5: every word, as a prefix ("impres" finds "impresora"), in either
/// column, or in the `public` column alone unless `internal`.
pub(crate) fn fts5_query(words: &[String], internal: bool) -> String {
    let all = words
        .iter()
        .map(|w| format!("\"{w}\"*"))
        .collect::<Vec<_>>()
        .join(" ");
    if internal {
        all
    } else {
        format!("public : ({all})")
    }
}

/// PostgreSQL `to_tsquery`: every word, as a prefix; of weight A (what the
/// requester may read) alone unless `internal`.
pub(crate) fn tsquery(words: &[String], internal: bool) -> String {
    let weight = if internal { "" } else { "A" };
    words
        .iter()
        .map(|w| format!("{w}:*{weight}"))
        .collect::<Vec<_>>()
        .join(" & ")
}

/// When `text` is all digits, the range of ticket numbers that start with them:
/// `2026` gives `["2026", "2027")`, so a day's prefix lists that day's tickets and
/// a whole number finds its ticket, through the unique index on `number`. The upper
/// bound is `None` when the prefix is all nines.
pub(crate) fn number_range(text: &str) -> Option<(String, Option<String>)> {
    let digits = text.trim();
    if digits.is_empty() || digits.len() > 30 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let next = digits
        .parse::<u128>()
        .ok()
        .and_then(|n| n.checked_add(1))
        .map(|n| format!("{n:0width$}", width = digits.len()))
        .filter(|n| n.len() == digits.len());
    Some((digits.to_owned(), next))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_drop_query_syntax_and_repeats() {
        assert_eq!(
            words(r#"Impresora "rota" OR* (2º piso) impresora & x:*"#),
            ["impresora", "rota", "or", "2º", "piso", "x"]
        );
        assert!(words(" \"*&:() ").is_empty());
    }

    #[test]
    fn queries_match_prefixes() {
        let w = words("Clave correo");
        assert_eq!(fts5_query(&w, true), r#""clave"* "correo"*"#);
        assert_eq!(tsquery(&w, true), "clave:* & correo:*");
        assert_eq!(fts5_query(&w, false), r#"public : ("clave"* "correo"*)"#);
        assert_eq!(tsquery(&w, false), "clave:*A & correo:*A");
    }

    #[test]
    fn number_ranges() {
        assert_eq!(
            number_range("2026"),
            Some(("2026".into(), Some("2027".into())))
        );
        assert_eq!(
            number_range("0019"),
            Some(("0019".into(), Some("0020".into())))
        );
        assert_eq!(number_range("999"), Some(("999".into(), None)));
        assert_eq!(number_range("20a6"), None);
        assert_eq!(number_range(""), None);
    }
}
