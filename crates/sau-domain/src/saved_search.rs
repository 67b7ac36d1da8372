//! A person's saved searches: a name and a ticket list's filters, shown as
//! tabs over the list. Saving under a name already used replaces that one.

use crate::FieldProblem;

/// Most saved searches one person keeps: tabs beyond these would not fit.
pub const MAX_SAVED_SEARCHES: usize = 20;

/// The longest name, in characters: a tab's label.
pub const MAX_SAVED_SEARCH_NAME: usize = 60;

/// The longest filters, in characters (a list's address after `?`).
pub const MAX_SAVED_SEARCH_QUERY: usize = 2_000;

/// A saved search's name, trimmed: required, one line, at most
/// [`MAX_SAVED_SEARCH_NAME`] characters.
pub fn saved_search_name(name: &str) -> Result<String, FieldProblem> {
    let name = name.trim();
    if name.is_empty() {
        return Err(FieldProblem::Required);
    }
    if name.chars().any(char::is_control) {
        return Err(FieldProblem::NotAText);
    }
    if name.chars().count() > MAX_SAVED_SEARCH_NAME {
        return Err(FieldProblem::TooLong);
    }
    Ok(name.to_owned())
}

/// A saved search's filters as a list's query string (`q=impresora&state=new`),
/// without the `/?` a list's address starts with: at least one filter, at
/// most [`MAX_SAVED_SEARCH_QUERY`] characters, no spaces or control characters
/// (a query string has them escaped).
pub fn saved_search_query(query: &str) -> Result<String, FieldProblem> {
    let query = query.trim();
    let query = query
        .strip_prefix("/?")
        .or_else(|| query.strip_prefix('?'))
        .unwrap_or(query);
    if query.is_empty() {
        return Err(FieldProblem::Required);
    }
    if query.chars().count() > MAX_SAVED_SEARCH_QUERY {
        return Err(FieldProblem::TooLong);
    }
    if query
        .chars()
        .any(|c| c.is_control() || c.is_whitespace() || c == '#')
        || !query.contains('=')
    {
        return Err(FieldProblem::NotAText);
    }
    Ok(query.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_one_line_and_short() {
        assert_eq!(saved_search_name("  Impresoras  "), Ok("Impresoras".into()));
        assert_eq!(saved_search_name(" "), Err(FieldProblem::Required));
        assert_eq!(saved_search_name("a\nb"), Err(FieldProblem::NotAText));
        assert_eq!(
            saved_search_name(&"ñ".repeat(60)).map(|n| n.chars().count()),
            Ok(60)
        );
        assert_eq!(
            saved_search_name(&"ñ".repeat(61)),
            Err(FieldProblem::TooLong)
        );
    }

    #[test]
    fn queries_are_a_list_address_filters() {
        assert_eq!(
            saved_search_query("/?q=impresora&state=new"),
            Ok("q=impresora&state=new".into())
        );
        assert_eq!(saved_search_query("?q=a"), Ok("q=a".into()));
        assert_eq!(saved_search_query("q=a%20b"), Ok("q=a%20b".into()));
        assert_eq!(saved_search_query("/?"), Err(FieldProblem::Required));
        assert_eq!(saved_search_query("q=a b"), Err(FieldProblem::NotAText));
        assert_eq!(saved_search_query("impresora"), Err(FieldProblem::NotAText));
        assert_eq!(
            saved_search_query(&format!("q={}", "a".repeat(2_000))),
            Err(FieldProblem::TooLong)
        );
    }
}
