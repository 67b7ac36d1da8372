//! Clients written for OTRS against a running SAU: pyotrs (PyPI) on the
//! classic routes, and an independent urllib script on the Ready2Adopt ones
//! (both in `tests/otrs_clients/`). Each checks what it reads as it goes; this
//! side checks what it left behind through the service.

use crate::support::{TestApp, each_backend};
use sau_domain::State;
use serde_json::Value;
use std::path::PathBuf;

/// Runs one client script against `app` and reads the JSON it prints.
async fn run_client(app: &TestApp, script: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/otrs_clients")
        .join(script);
    let output = tokio::process::Command::new("python3")
        .arg(&path)
        .arg(&app.base)
        .output()
        .await
        .expect("python3 runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "{script} on {} failed:\n{stdout}\n{stderr}",
        app.backend
    );
    serde_json::from_str(stdout.trim()).unwrap_or_else(|e| panic!("{script} printed {stdout}: {e}"))
}

#[tokio::test]
async fn pyotrs_drives_the_classic_routes() {
    each_backend(async |app: &TestApp| {
        let seen = run_client(app, "pyotrs_client.py").await;
        let id = seen["ticket_id"].as_i64().expect("ticket id");
        let as_list = Value::from(vec![id.to_string()]);
        assert_eq!(seen["found_title"], as_list, "{seen}");
        assert_eq!(seen["found_open"], as_list, "{seen}");
        assert_eq!(seen["found_text"], as_list, "{seen}");
        assert_eq!(
            seen["history"],
            serde_json::json!(["NewTicket", "PriorityUpdate", "OwnerUpdate", "AddNote"]),
        );
        assert_eq!(seen["customer_articles"], 1);

        let number = seen["number"].as_str().expect("number");
        let caller = app
            .service
            .login("soporte", "soporte", None)
            .await
            .expect("signs in");
        let caller = app
            .service
            .authenticate(&caller.token)
            .await
            .expect("token");
        let detail = app
            .service
            .ticket(&caller, number)
            .await
            .expect("the ticket");
        assert_eq!(detail.record.ticket.state, State::Assigned);
        assert_eq!(detail.record.ticket.priority.level(), 4);
        assert_eq!(
            detail.record.technician.as_ref().map(|t| t.login.as_str()),
            Some("tecnico")
        );
        assert_eq!(detail.entries.len(), 2);
        assert_eq!(detail.entries[0].attachments.len(), 1);
        assert_eq!(detail.entries[0].attachments[0].filename, "modelo.txt");
        assert_eq!(
            detail.entries[1].visibility,
            sau_domain::Visibility::Internal
        );
        let events = app
            .service
            .ticket_events(&caller, number)
            .await
            .expect("events");
        assert!(
            events
                .iter()
                .all(|e| e.event.kind != sau_domain::EventKind::Closed)
        );
    })
    .await;
}

#[tokio::test]
async fn a_plain_client_drives_the_ready2adopt_routes() {
    each_backend(async |app: &TestApp| {
        let seen = run_client(app, "ready2adopt_client.py").await;
        let id = seen["ticket_id"].as_str().expect("ticket id");
        assert_eq!(seen["found"], Value::from(vec![id.to_owned()]), "{seen}");
        assert_eq!(
            seen["history"],
            serde_json::json!(["NewTicket", "OwnerUpdate", "AddNote"]),
        );
        let caller = app
            .service
            .login("soporte", "soporte", None)
            .await
            .expect("signs in");
        let caller = app
            .service
            .authenticate(&caller.token)
            .await
            .expect("token");
        let detail = app
            .service
            .ticket_by_id(&caller, sau_domain::TicketId(id.parse().expect("id")))
            .await
            .expect("the ticket");
        assert_eq!(detail.record.technician.as_ref().map(|t| t.id.0), Some(3));
        assert_eq!(detail.entries.len(), 2);
    })
    .await;
}

/// A body larger than files and fields may make together is refused as OTRS
/// refuses one over its `MaxLength`: 413, before it is read.
#[tokio::test]
async fn a_body_over_the_limit_is_refused_unread() {
    let limits = sau_domain::AttachmentLimits {
        max_file_bytes: 1024,
        max_request_bytes: 2048,
        ..Default::default()
    };
    crate::support::each_backend_with(
        |b| b.attachment_limits(limits.clone()).json_limit(4096),
        async |app: &TestApp| {
            let body = format!(
                "{{\"UserLogin\":\"soporte\",\"Password\":\"{}\"}}",
                "x".repeat(20_000)
            );
            let answer = app
                .client
                .post(app.url(
                    "/otrs/nph-genericinterface.pl/Webservice/GenericTicketConnectorREST/Session",
                ))
                .body(body)
                .send()
                .await
                .expect("POST");
            assert_eq!(answer.status(), reqwest::StatusCode::PAYLOAD_TOO_LARGE);
            assert_eq!(
                answer.text().await.expect("body"),
                "Request Entity Too Large"
            );
        },
    )
    .await;
}
