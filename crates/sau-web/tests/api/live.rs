//! `GET /live`, the agents' server-sent events, over real HTTP: who hears what,
//! how soon, and that an open stream does not hold the server up when it stops.

use crate::browser::{browser, sign_in};
use crate::support::{TestApp, each_backend};
use reqwest::StatusCode;
use sau_store::testing::backends;
use serde_json::json;
use std::time::{Duration, Instant};

/// The promise: a change shows on the pages within two seconds.
const PROMPTLY: Duration = Duration::from_secs(2);
/// How long to listen for an event that must not come.
const QUIET: Duration = Duration::from_millis(500);

/// An open `/live` response, read event by event.
struct Events {
    response: reqwest::Response,
    buffer: String,
}

impl Events {
    async fn open(app: &TestApp, client: &reqwest::Client) -> Events {
        let response = client
            .get(app.url("/live"))
            .send()
            .await
            .expect("GET /live");
        assert_eq!(response.status(), StatusCode::OK, "{}", app.backend);
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        assert_eq!(content_type, "text/event-stream", "{}", app.backend);
        Events {
            response,
            buffer: String::new(),
        }
    }

    /// The name of the next named event to arrive within `wait`, if any.
    async fn next_within(&mut self, wait: Duration) -> Option<String> {
        tokio::time::timeout(wait, async {
            loop {
                while let Some(block) = self.take_block() {
                    // The `retry:` block and keep-alive comments have no name.
                    if let Some(name) = block.lines().find_map(|l| l.strip_prefix("event: ")) {
                        return Some(name.to_owned());
                    }
                }
                if !self.read_more().await {
                    return None;
                }
            }
        })
        .await
        .ok()
        .flatten()
    }

    /// Whether the server ends the stream within `wait`.
    async fn ends_within(&mut self, wait: Duration) -> bool {
        tokio::time::timeout(wait, async { while self.read_more().await {} })
            .await
            .is_ok()
    }

    /// One event block (up to its blank line) from what was read so far.
    fn take_block(&mut self) -> Option<String> {
        let end = self.buffer.find("\n\n")?;
        let block = self.buffer[..end].to_owned();
        self.buffer.drain(..end + 2);
        Some(block)
    }

    /// Reads the next chunk; `false` at the end of the stream.
    async fn read_more(&mut self) -> bool {
        match self.response.chunk().await {
            Ok(Some(bytes)) => {
                self.buffer.push_str(&String::from_utf8_lossy(&bytes));
                true
            }
            Ok(None) | Err(_) => false,
        }
    }
}

/// Signs `login` in through the form and opens their stream.
async fn stream_of(app: &TestApp, login: &str) -> Events {
    let client = browser();
    sign_in(app, &client, login).await;
    Events::open(app, &client).await
}

#[tokio::test]
async fn a_dispatcher_hears_of_a_new_request_within_two_seconds() {
    each_backend(async |app| {
        let requester = app.login("solicitante").await;
        let mut queue = stream_of(app, "soporte").await;
        let submitted = Instant::now();
        app.submit(&requester, "telefonia", "El teléfono no da tono")
            .await;
        let event = queue.next_within(PROMPTLY).await;
        assert_eq!(event.as_deref(), Some("queue"), "{}", app.backend);
        eprintln!(
            "{}: queue event {:?} after the submission",
            app.backend,
            submitted.elapsed()
        );
    })
    .await;
}

#[tokio::test]
async fn a_technician_hears_of_assignments_to_them_and_not_to_others() {
    each_backend(async |app| {
        let people = app.people().await;
        let mut mine = stream_of(app, "tecnico").await;
        let theirs = app
            .submit_number(&people.requester, "soporte_equipo", "Para otro")
            .await;
        let ours = app
            .submit_number(&people.requester, "soporte_equipo", "Para mí")
            .await;
        assert_eq!(
            mine.next_within(QUIET).await,
            None,
            "{}: new tickets are not a technician's",
            app.backend
        );

        app.ok(
            &people.dispatcher,
            &theirs,
            "assign",
            json!({"technician": "tecnico2"}),
        )
        .await;
        assert_eq!(
            mine.next_within(QUIET).await,
            None,
            "{}: an assignment to someone else",
            app.backend
        );

        app.ok(
            &people.dispatcher,
            &ours,
            "assign",
            json!({"technician": "tecnico"}),
        )
        .await;
        assert_eq!(
            mine.next_within(PROMPTLY).await.as_deref(),
            Some("mine"),
            "{}: an assignment to them",
            app.backend
        );
    })
    .await;
}

#[tokio::test]
async fn requesters_and_visitors_get_no_live_updates() {
    each_backend(async |app| {
        let visitor = browser();
        let response = visitor.get(app.url("/live")).send().await.expect("GET");
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{}", app.backend);
        assert_eq!(
            response
                .headers()
                .get("location")
                .and_then(|v| v.to_str().ok()),
            Some("/login"),
            "{}",
            app.backend
        );

        let requester = browser();
        sign_in(app, &requester, "solicitante").await;
        let response = requester.get(app.url("/live")).send().await.expect("GET");
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{}", app.backend);
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        assert!(content_type.starts_with("text/html"), "{content_type}");
    })
    .await;
}

#[tokio::test]
async fn stopping_the_server_ends_the_open_streams() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let mut queue = stream_of(&app, "soporte").await;
        let mut mine = stream_of(&app, "tecnico").await;
        app.stop().await;
        // Were the streams left open, graceful shutdown would wait on them forever.
        assert!(queue.ends_within(PROMPTLY).await, "{backend}: queue stream");
        assert!(mine.ends_within(PROMPTLY).await, "{backend}: mine stream");
    }
}
