//! Where a search's words were found in a ticket, to show beside it: the place
//! (an entry, a file's name, the text read inside a file) and a short stretch
//! of it with the words marked.
//!
//! The index says which tickets match, not where; the places of the tickets
//! on one page are read and the words looked for again here, with the index's
//! own rules: accents and case aside, every word a prefix, quoted words one
//! after the other. PostgreSQL also matches Spanish word forms ("impresoras"
//! finds "impresora"); a plural's singular is tried here too. When nothing
//! but the title, a field or the requester's name matched, there is no hit:
//! the list shows those already.

use crate::search::Term;
use crate::{Backend, Store, StoreError};
use sau_domain::{AttachmentId, EntryKind, TicketId, Visibility, folded};
use serde::Serialize;
use std::collections::HashMap;

/// Characters of context shown before the first word found.
const BEFORE: usize = 60;
/// The longest stretch shown, in characters.
const STRETCH: usize = 220;

/// Where a ticket matched a search, and what it says there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SearchHit {
    pub place: HitPlace,
    /// The stretch, in pieces: the words found are `marked`.
    pub fragments: Vec<HitFragment>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "in", rename_all = "snake_case")]
pub enum HitPlace {
    /// An entry: the description, a comment, a resolution…
    Entry {
        entry: i64,
        kind: EntryKind,
        visibility: Visibility,
        at: jiff::Timestamp,
    },
    /// An attached file's name.
    FileName {
        attachment: AttachmentId,
        name: String,
    },
    /// The text read inside an attached file.
    FileText {
        attachment: AttachmentId,
        name: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HitFragment {
    pub text: String,
    pub marked: bool,
}

/// One place of a ticket to look in, with its text.
#[derive(Debug, Clone)]
pub(crate) struct Source {
    pub ticket: TicketId,
    pub place: HitPlace,
    pub text: String,
}

impl Store {
    /// Where the search `text` matched each of `tickets` (the ones of a page of
    /// results): internal notes and their files are looked in only when
    /// `internal`. A ticket matched by its title, fields or requester alone
    /// has no hit.
    pub async fn search_hits(
        &self,
        tickets: &[TicketId],
        text: &str,
        internal: bool,
    ) -> Result<HashMap<TicketId, SearchHit>, StoreError> {
        let terms = crate::search::terms(text);
        if tickets.is_empty() || terms.is_empty() {
            return Ok(HashMap::new());
        }
        let ids: Vec<i64> = tickets.iter().map(|t| t.0).collect();
        let sources = read!(self, |c| ticket_search::hit_sources(c, &ids, internal))?;
        let mut by_ticket: HashMap<TicketId, Vec<Source>> = HashMap::new();
        for source in sources {
            by_ticket.entry(source.ticket).or_default().push(source);
        }
        Ok(by_ticket
            .into_iter()
            .filter_map(|(ticket, sources)| Some((ticket, best_hit(&terms, &sources)?)))
            .collect())
    }
}

/// The best place in `sources` (one ticket's, in the order they are shown):
/// the one where most of the search's terms are found, the first of equals.
pub(crate) fn best_hit(terms: &[Term], sources: &[Source]) -> Option<SearchHit> {
    let terms: Vec<Vec<String>> = terms
        .iter()
        .map(|term| match term {
            Term::Word(w) => vec![folded(w)],
            Term::Phrase(words) => words.iter().map(|w| folded(w)).collect(),
        })
        .collect();
    let mut best: Option<(usize, &Source, Vec<Token>)> = None;
    for source in sources {
        let mut tokens = tokens(&source.text);
        let found = mark(&terms, &mut tokens);
        if found > 0 && best.as_ref().is_none_or(|(most, ..)| found > *most) {
            best = Some((found, source, tokens));
        }
    }
    best.map(|(_, source, tokens)| SearchHit {
        place: source.place.clone(),
        fragments: stretch(&source.text, &tokens),
    })
}

/// A word of a text: where it is, its folded form, whether it was found.
#[derive(Debug)]
struct Token {
    start: usize,
    end: usize,
    folded: String,
    marked: bool,
}

fn tokens(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices().chain([(text.len(), ' ')]) {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                tokens.push(Token {
                    start: s,
                    end: i,
                    folded: folded(&text[s..i]),
                    marked: false,
                });
                start = None;
            }
            _ => {}
        }
    }
    tokens
}

/// Whether a word of the text is what a searched word finds: a prefix, or
/// the searched word's singular a prefix.
fn finds(searched: &str, word: &str) -> bool {
    if word.starts_with(searched) {
        return true;
    }
    let singular = searched
        .strip_suffix("es")
        .filter(|s| s.chars().count() >= 3)
        .or_else(|| {
            searched
                .strip_suffix('s')
                .filter(|s| s.chars().count() >= 3)
        });
    singular.is_some_and(|s| word.starts_with(s))
}

/// Marks every occurrence of every term; how many terms were found.
fn mark(terms: &[Vec<String>], tokens: &mut [Token]) -> usize {
    let mut found = 0;
    for words in terms {
        let mut any = false;
        for i in 0..tokens.len() {
            let run = tokens.get(i..i + words.len());
            if run.is_some_and(|run| run.iter().zip(words).all(|(t, w)| finds(w, &t.folded))) {
                for token in &mut tokens[i..i + words.len()] {
                    token.marked = true;
                }
                any = true;
            }
        }
        found += usize::from(any);
    }
    found
}

/// The stretch around the first marked word, whitespace made single spaces,
/// "…" where it was cut.
fn stretch(text: &str, tokens: &[Token]) -> Vec<HitFragment> {
    let Some(first) = tokens.iter().position(|t| t.marked) else {
        return Vec::new();
    };
    let chars_between = |a: usize, b: usize| text[a..b].chars().count();
    let mut from = first;
    while from > 0 && chars_between(tokens[from - 1].start, tokens[first].start) <= BEFORE {
        from -= 1;
    }
    let mut to = first;
    while to + 1 < tokens.len() && chars_between(tokens[from].start, tokens[to + 1].end) <= STRETCH
    {
        to += 1;
    }
    let mut fragments: Vec<HitFragment> = Vec::new();
    let mut push = |piece: &str, marked: bool| {
        let piece = spaced(piece);
        match fragments.last_mut() {
            Some(last) if last.marked == marked => last.text.push_str(&piece),
            _ if piece.is_empty() => {}
            _ => fragments.push(HitFragment {
                text: piece,
                marked,
            }),
        }
    };
    if from > 0 {
        push("… ", false);
    }
    let mut at = tokens[from].start;
    for token in &tokens[from..=to] {
        push(&text[at..token.start], false);
        push(&text[token.start..token.end], token.marked);
        at = token.end;
    }
    if to + 1 < tokens.len() {
        push(" …", false);
    } else {
        push(text[at..].trim_end(), false);
    }
    joined(fragments)
}

/// Marked words with only a space between them made one marked piece
/// ("[placa base]", not "[placa] [base]").
fn joined(fragments: Vec<HitFragment>) -> Vec<HitFragment> {
    let mut out: Vec<HitFragment> = Vec::with_capacity(fragments.len());
    let mut pieces = fragments.into_iter().peekable();
    while let Some(piece) = pieces.next() {
        let between_marks = !piece.marked
            && piece.text == " "
            && out.last().is_some_and(|last| last.marked)
            && pieces.peek().is_some_and(|next| next.marked);
        if between_marks {
            if let (Some(last), Some(next)) = (out.last_mut(), pieces.next()) {
                last.text.push(' ');
                last.text.push_str(&next.text);
            }
        } else {
            out.push(piece);
        }
    }
    out
}

/// Whitespace runs made one space.
fn spaced(piece: &str) -> String {
    let mut out = String::with_capacity(piece.len());
    let mut space = false;
    for c in piece.chars() {
        if c.is_whitespace() {
            space = true;
        } else {
            if space {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    if space {
        out.push(' ');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::terms;

    fn source(text: &str) -> Source {
        Source {
            ticket: TicketId(1),
            place: HitPlace::FileName {
                attachment: AttachmentId(1),
                name: "x".into(),
            },
            text: text.into(),
        }
    }

    /// The stretch written with the marked words in [brackets].
    fn shown(query: &str, texts: &[&str]) -> Option<String> {
        let sources: Vec<Source> = texts.iter().map(|t| source(t)).collect();
        best_hit(&terms(query), &sources).map(|hit| {
            hit.fragments
                .iter()
                .map(|f| {
                    if f.marked {
                        format!("[{}]", f.text)
                    } else {
                        f.text.clone()
                    }
                })
                .collect()
        })
    }

    #[test]
    fn words_are_found_without_accents_or_case_as_prefixes() {
        assert_eq!(
            shown(
                "impresion TECNI",
                &["La Impresión falla.\nLlamar al técnico."]
            )
            .as_deref(),
            Some("La [Impresión] falla. Llamar al [técnico].")
        );
        assert_eq!(
            shown("impresoras", &["una impresora"]).as_deref(),
            Some("una [impresora]"),
            "a plural finds its singular, as PostgreSQL's Spanish stems do"
        );
        assert_eq!(shown("pantalla", &["La impresora"]), None);
    }

    #[test]
    fn the_place_with_most_words_wins_and_phrases_keep_their_order() {
        assert_eq!(
            shown("fuente placa", &["cambio de fuente", "fuente y placa base"]).as_deref(),
            Some("[fuente] y [placa] base")
        );
        assert_eq!(
            shown("\"placa base\"", &["base de la placa", "la placa base"]).as_deref(),
            Some("la [placa base]")
        );
    }

    #[test]
    fn a_long_text_is_cut_around_the_first_word_found() {
        let text = format!(
            "{} condensador hinchado {}",
            "antes ".repeat(40),
            "después ".repeat(60)
        );
        let shown = shown("condensador", &[&text]).expect("found");
        assert!(shown.starts_with("… antes"), "{shown}");
        assert!(shown.contains("[condensador] hinchado"), "{shown}");
        assert!(shown.ends_with(" …"), "{shown}");
        assert!(
            shown.chars().count() < STRETCH + 20,
            "{}",
            shown.chars().count()
        );
    }
}
