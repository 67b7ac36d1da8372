//! The OTRS-compatible API against its golden files: each file of
//! `tests/otrs/` is a conversation (requests and the exact answers OTRS's
//! wire format calls for), replayed on a fresh server of each backend. Values
//! that change from run to run (session ids, times, ages, ticket numbers) are
//! replaced by placeholders on both sides; a value an answer gives can be
//! named (`"keep": {"name": "/json/pointer"}`) and used in later requests as
//! `${name}`.
//!
//! `SAU_GOLDEN_UPDATE=1` writes what the server answered into the files
//! instead of comparing: for a new conversation, to be read line by line
//! before it is committed.

use crate::support::{TestApp, each_backend};
use reqwest::Method;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;
use std::path::PathBuf;

fn golden_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/otrs")
}

async fn replay(name: &str) {
    let path = golden_dir().join(format!("{name}.json"));
    let text = std::fs::read_to_string(&path).expect("golden file");
    let exchanges: Vec<Value> = serde_json::from_str(&text).expect("golden JSON");
    let update = std::env::var_os("SAU_GOLDEN_UPDATE").is_some();
    let first_answers: std::sync::Mutex<Option<Vec<Value>>> = std::sync::Mutex::new(None);
    each_backend(async |app: &TestApp| {
        let mut vars = BTreeMap::new();
        let mut answers = Vec::new();
        for exchange in &exchanges {
            let answer = exchange_once(app, exchange, &mut vars).await;
            if !update {
                let title = exchange["title"].as_str().unwrap_or("?");
                assert_eq!(
                    answer, exchange["response"],
                    "{name}: «{title}» on {}",
                    app.backend
                );
            }
            answers.push(answer);
        }
        let mut first = first_answers.lock().expect("lock");
        match first.as_ref() {
            // Both backends answer alike, to the byte once normalised.
            Some(first) => assert_eq!(first, &answers, "{name}: backends differ"),
            None => *first = Some(answers),
        }
    })
    .await;
    if update && let Some(answers) = first_answers.into_inner().expect("lock") {
        let written: Vec<Value> = exchanges
            .into_iter()
            .zip(answers)
            .map(|(mut exchange, answer)| {
                exchange["response"] = answer;
                exchange
            })
            .collect();
        let text = serde_json::to_string_pretty(&written).expect("JSON") + "\n";
        std::fs::write(&path, text).expect("write golden file");
    }
}

/// Sends one request and returns its answer, normalised.
async fn exchange_once(
    app: &TestApp,
    exchange: &Value,
    vars: &mut BTreeMap<String, String>,
) -> Value {
    let request = substitute(&exchange["request"], vars);
    let method: Method = request["method"]
        .as_str()
        .unwrap_or("GET")
        .parse()
        .expect("method");
    let mut url = format!("{}{}", app.base, request["path"].as_str().expect("path"));
    if let Some(query) = request["query"].as_str() {
        url = format!("{url}?{query}");
    }
    let mut builder = app.client.request(method, &url);
    if let Some(headers) = request["headers"].as_object() {
        for (key, value) in headers {
            builder = builder.header(key, value.as_str().unwrap_or(""));
        }
    }
    match &request["body"] {
        Value::Null => {}
        Value::String(raw) => builder = builder.body(raw.clone()),
        body => builder = builder.body(body.to_string()),
    }
    let response = builder.send().await.expect("request");
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let text = response.text().await.expect("body");
    let body = if content_type.starts_with("application/json") {
        let value: Value = serde_json::from_str(&text).expect("a JSON answer");
        if let Some(keep) = exchange["keep"].as_object() {
            for (name, pointer) in keep {
                let pointer = pointer.as_str().expect("pointer");
                let kept = value
                    .pointer(pointer)
                    .unwrap_or_else(|| panic!("{pointer} in {text}"));
                let kept = kept
                    .as_str()
                    .map_or_else(|| kept.to_string(), str::to_owned);
                vars.insert(name.clone(), kept);
            }
        }
        normalise(value)
    } else {
        Value::String(text)
    };
    json!({"status": status, "content_type": content_type, "body": body})
}

/// `${name}` in every text of the request, replaced by the kept value.
fn substitute(value: &Value, vars: &BTreeMap<String, String>) -> Value {
    match value {
        Value::String(s) => {
            let mut out = s.clone();
            for (name, kept) in vars {
                out = out.replace(&format!("${{{name}}}"), kept);
            }
            Value::String(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(|v| substitute(v, vars)).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), substitute(v, vars)))
                .collect::<Map<_, _>>(),
        ),
        other => other.clone(),
    }
}

/// Placeholders for what changes from run to run.
fn normalise(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(key, value)| {
                    let value = match key.as_str() {
                        "SessionID" => json!("<session>"),
                        "Age" => json!("<age>"),
                        // Seconds until a pending time, counted from now.
                        "UntilTime" if value != json!(0) => json!("<until>"),
                        "IncomingTime" | "UserSessionStart" | "UserLastRequest" => {
                            json!("<epoch>")
                        }
                        _ => normalise(value),
                    };
                    (key, value)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(normalise).collect()),
        // Seconds since 1970 (a session's start, its last use).
        Value::String(s) if s.len() == 10 && s.bytes().all(|b| b.is_ascii_digit()) => {
            json!("<epoch>")
        }
        Value::String(s) => Value::String(placeholders(&s)),
        other => other,
    }
}

/// Times (`2026-12-07 16:47:57`) and ticket numbers (16 digits) inside a text.
fn placeholders(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let is_time = |at: usize| -> bool {
        let pattern = "dddd-dd-dd dd:dd:dd";
        at + pattern.len() <= chars.len()
            && pattern.chars().zip(&chars[at..]).all(|(p, c)| match p {
                'd' => c.is_ascii_digit(),
                other => other == *c,
            })
    };
    while i < chars.len() {
        if is_time(i) {
            out.push_str("<time>");
            i += 19;
            continue;
        }
        let digits = chars[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        let starts_word = i == 0 || !chars[i - 1].is_ascii_digit();
        if starts_word && digits == 16 {
            out.push_str("<number>");
            i += 16;
            continue;
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

#[tokio::test]
async fn sessions() {
    replay("sessions").await;
}

#[tokio::test]
async fn transport() {
    replay("transport").await;
}

#[tokio::test]
async fn ticket_create() {
    replay("ticket_create").await;
}

#[tokio::test]
async fn ticket_get() {
    replay("ticket_get").await;
}

#[tokio::test]
async fn ticket_search() {
    replay("ticket_search").await;
}

#[tokio::test]
async fn ticket_update() {
    replay("ticket_update").await;
}

#[tokio::test]
async fn ticket_history() {
    replay("ticket_history").await;
}
