//! A request's data as OTRS's REST transport builds it: the query string (a
//! key given twice becomes a list, `+` a space), the route's values over it,
//! `X-OTRS-Header-*` headers over those, and, unless the method is GET, the
//! JSON body beneath them all. Flags are read as Perl reads them.

use axum::http::HeaderMap;
use serde_json::{Map, Value};

/// The request's data, as one JSON object.
pub type Data = Map<String, Value>;

/// The headers that may carry credentials (newer Znuny), by the key they set.
const HEADER_KEYS: [&str; 4] = ["UserLogin", "CustomerUserLogin", "SessionID", "Password"];

/// Splits a query string as OTRS does: pairs on `&` or `;`, a pair on its
/// first `=` (what follows a second `=` is dropped), `+` as a space, then
/// percent-decoding. A key given twice becomes a list.
pub fn parse_query(query: &str) -> Data {
    let mut data = Data::new();
    for pair in query.split(['&', ';']).filter(|p| !p.is_empty()) {
        let mut parts = pair.split('=');
        let key = decode(parts.next().unwrap_or(""));
        let value = decode(parts.next().unwrap_or(""));
        if key.is_empty() {
            continue;
        }
        match data.get_mut(&key) {
            None => {
                data.insert(key, Value::String(value));
            }
            Some(Value::Array(list)) => list.push(Value::String(value)),
            Some(first) => {
                let first = first.take();
                data.insert(key, Value::Array(vec![first, Value::String(value)]));
            }
        }
    }
    data
}

fn decode(text: &str) -> String {
    super::web_services::unescape(&text.replace('+', " "))
}

/// Lays the route's values, then the credential headers, over `data`.
pub fn overlay(data: &mut Data, route: Vec<(String, String)>, headers: &HeaderMap) {
    for (key, value) in route {
        data.insert(key, Value::String(value));
    }
    for key in HEADER_KEYS {
        let name = format!("X-OTRS-Header-{key}");
        if let Some(value) = headers.get(name.as_str()).and_then(|v| v.to_str().ok()) {
            data.insert(key.to_owned(), Value::String(value.to_owned()));
        }
    }
}

/// A body as the transport reads it: a JSON object (or a list of them), a
/// UTF-8 byte-order mark ignored, JSON booleans as 1 and 0. `None` when it is
/// not JSON or a bare value.
pub fn parse_body(bytes: &[u8]) -> Option<Value> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let value: Value = serde_json::from_slice(bytes).ok()?;
    match value {
        Value::Object(_) | Value::Array(_) => Some(booleans_as_numbers(value)),
        _ => None,
    }
}

fn booleans_as_numbers(value: Value) -> Value {
    match value {
        Value::Bool(b) => Value::from(u8::from(b)),
        Value::Array(list) => Value::Array(list.into_iter().map(booleans_as_numbers).collect()),
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (k, booleans_as_numbers(v)))
                .collect(),
        ),
        other => other,
    }
}

/// Perl's truth: absent, `null`, `""`, `"0"` and `0` are false, everything
/// else true. One departure, written in the README: the texts `false` and
/// `False` are false too, because pyotrs sends Python's `False` so.
pub fn truthy(value: Option<&Value>) -> bool {
    match value {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_f64() != Some(0.0),
        Some(Value::String(s)) => !matches!(s.as_str(), "" | "0" | "false" | "False"),
        Some(_) => true,
    }
}

/// A scalar as text, trimmed (numbers as written); `None` when absent, empty
/// or not a scalar.
pub fn text(value: Option<&Value>) -> Option<String> {
    let text = match value? {
        Value::String(s) => s.trim().to_owned(),
        Value::Number(n) => n.to_string(),
        _ => return None,
    };
    (!text.is_empty()).then_some(text)
}

/// A value that may be one text or a list of them (or `1,2,3`), as texts.
pub fn list(value: Option<&Value>, split_commas: bool) -> Vec<String> {
    let items: Vec<String> = match value {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items.iter().filter_map(|v| text(Some(v))).collect(),
        Some(other) => text(Some(other)).into_iter().collect(),
    };
    if !split_commas {
        return items;
    }
    items
        .iter()
        .flat_map(|item| item.split(','))
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

/// An object, or each object of a list: OTRS takes one article, dynamic field
/// or attachment, or several. `None` when present but neither.
pub fn objects(value: Option<&Value>) -> Option<Vec<&Data>> {
    match value {
        None | Some(Value::Null) => Some(Vec::new()),
        Some(Value::Object(one)) => Some(vec![one]),
        Some(Value::Array(items)) => items.iter().map(Value::as_object).collect(),
        Some(Value::String(s)) if s.is_empty() => Some(Vec::new()),
        Some(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_query_string_reads_as_otrs_reads_it() {
        let data = parse_query("States=new&States=open;Title=Sin+red%21&Key=a=b&Empty=&=x");
        assert_eq!(
            Value::Object(data),
            json!({"States": ["new", "open"], "Title": "Sin red!", "Key": "a", "Empty": ""})
        );
    }

    #[test]
    fn flags_follow_perl_with_pythons_false_as_false() {
        for falsy in [json!(null), json!(""), json!("0"), json!(0), json!("False")] {
            assert!(!truthy(Some(&falsy)), "{falsy}");
        }
        for truthy_value in [json!("1"), json!(1), json!("yes"), json!("0.0"), json!([])] {
            assert!(truthy(Some(&truthy_value)), "{truthy_value}");
        }
        assert!(!truthy(None));
    }

    #[test]
    fn a_body_keeps_objects_and_turns_booleans_into_numbers() {
        assert_eq!(
            parse_body(b"\xEF\xBB\xBF{\"a\": true, \"b\": [false]}"),
            Some(json!({"a": 1, "b": [0]}))
        );
        assert_eq!(parse_body(b"\"text\""), None);
        assert_eq!(parse_body(b"{"), None);
    }

    #[test]
    fn lists_take_one_value_many_or_commas() {
        assert_eq!(list(Some(&json!("1,2, 3")), true), ["1", "2", "3"]);
        assert_eq!(list(Some(&json!(["a", 2])), false), ["a", "2"]);
        assert!(list(None, true).is_empty());
    }
}
