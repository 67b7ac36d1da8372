//! What a person types into a ticket search box, turned into the pieces the two
//! full-text indexes understand (see migrations `0005_ticket_search.sql`).
//!
//! Only letters and digits survive, so nothing typed can reach the index's own
//! query syntax: `*`, `&`, `:`, `(` and the like are word separators; `"`
//! marks a phrase, which is rebuilt from its words.

/// At most this many words are searched for; more add nothing but cost.
const MAX_WORDS: usize = 8;

/// One thing a search asks for: a word, or words "in quotes" that must come
/// one after the other.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Term {
    Word(String),
    Phrase(Vec<String>),
}

/// The words and quoted phrases of `text`, lower-cased, in order, without
/// repeated words; a quote left open runs to the end.
pub(crate) fn terms(text: &str) -> Vec<Term> {
    let mut terms: Vec<Term> = Vec::new();
    let mut count = 0;
    for (i, part) in text.split('"').enumerate() {
        let quoted = i % 2 == 1;
        let words: Vec<String> = part
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .take(MAX_WORDS - count)
            .collect();
        count += words.len();
        if quoted && words.len() > 1 {
            terms.push(Term::Phrase(words));
        } else {
            for word in words {
                let term = Term::Word(word);
                if !terms.contains(&term) {
                    terms.push(term);
                }
            }
        }
        if count == MAX_WORDS {
            break;
        }
    }
    terms
}

/// SQLite FTS5: every word as a prefix ("impres" finds "impresora"), each
/// phrase as prefixes one after the other, in either column, or in the
/// `public` column alone unless `internal`.
pub(crate) fn fts5_query(terms: &[Term], internal: bool) -> String {
    let all = terms
        .iter()
        .map(|term| match term {
            Term::Word(w) => format!("\"{w}\"*"),
            Term::Phrase(words) => words
                .iter()
                .map(|w| format!("\"{w}\"*"))
                .collect::<Vec<_>>()
                .join(" + "),
        })
        .collect::<Vec<_>>()
        .join(" ");
    if internal {
        all
    } else {
        format!("public : ({all})")
    }
}

/// PostgreSQL `to_tsquery`: the same, with `<->` for "followed by"; of
/// weight A (what the requester may read) alone unless `internal`.
pub(crate) fn tsquery(terms: &[Term], internal: bool) -> String {
    let weight = if internal { "" } else { "A" };
    terms
        .iter()
        .map(|term| match term {
            Term::Word(w) => format!("{w}:*{weight}"),
            Term::Phrase(words) => format!(
                "({})",
                words
                    .iter()
                    .map(|w| format!("{w}:*{weight}"))
                    .collect::<Vec<_>>()
                    .join(" <-> ")
            ),
        })
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

    fn words(list: &[&str]) -> Vec<Term> {
        list.iter().map(|w| Term::Word((*w).to_owned())).collect()
    }

    #[test]
    fn words_drop_query_syntax_and_repeats() {
        assert_eq!(
            terms(r#"Impresora rota OR* (2º piso) impresora & x:*"#),
            words(&["impresora", "rota", "or", "2º", "piso", "x"])
        );
        assert!(terms(" *&:() ").is_empty());
        assert!(terms(r#" "" "*" "#).is_empty());
    }

    #[test]
    fn quotes_make_phrases_and_an_open_quote_runs_to_the_end() {
        assert_eq!(
            terms(r#"García "fuente de alimentación" "monitor" "sin tono"#),
            vec![
                Term::Word("garcía".into()),
                Term::Phrase(vec!["fuente".into(), "de".into(), "alimentación".into()]),
                Term::Word("monitor".into()),
                Term::Phrase(vec!["sin".into(), "tono".into()]),
            ]
        );
        // No more than MAX_WORDS words in all.
        let many = terms(r#"a "b c d e f g h i j" k"#);
        let counted: usize = many
            .iter()
            .map(|t| match t {
                Term::Word(_) => 1,
                Term::Phrase(w) => w.len(),
            })
            .sum();
        assert_eq!(counted, MAX_WORDS);
    }

    #[test]
    fn queries_match_prefixes() {
        let w = terms("Clave correo");
        assert_eq!(fts5_query(&w, true), r#""clave"* "correo"*"#);
        assert_eq!(tsquery(&w, true), "clave:* & correo:*");
        assert_eq!(fts5_query(&w, false), r#"public : ("clave"* "correo"*)"#);
        assert_eq!(tsquery(&w, false), "clave:*A & correo:*A");
        let p = terms(r#"ana "sin tono""#);
        assert_eq!(fts5_query(&p, true), r#""ana"* "sin"* + "tono"*"#);
        assert_eq!(tsquery(&p, false), "ana:*A & (sin:*A <-> tono:*A)");
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
