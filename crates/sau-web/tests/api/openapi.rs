//! The OpenAPI document of `/api/v1`: kept by a snapshot, shown by a viewer
//! served from the binary, and held to by the server: schemathesis (PyPI)
//! fuzzes every operation as each role, on both backends, and must find no
//! server error and no answer that breaks the document.

use crate::support::{PDF, People, TestApp, each_backend, inline_file};
use reqwest::Method;
use serde_json::json;
use std::fmt::Write as _;

async fn served_document(app: &TestApp) -> serde_json::Value {
    app.call(Method::GET, "/api/v1/openapi.json")
        .send()
        .await
        .expect(200)
}

#[tokio::test]
async fn the_document_is_the_snapshot() {
    let app = TestApp::spawn("sqlite").await;
    let document = served_document(&app).await;
    app.stop().await;
    assert_eq!(document["openapi"], "3.1.0");
    let text = serde_json::to_string_pretty(&document).expect("serializes");
    insta::assert_snapshot!("openapi", text);
}

#[tokio::test]
async fn every_operation_of_the_document_is_answered_by_its_handler() {
    let app = TestApp::spawn("sqlite").await;
    let document = served_document(&app).await;
    let people = app.people().await;
    let f = fixtures(&app, &people).await;
    // Real tickets and ids, so that no handler answers 404: a 404 here is the
    // fallback's, for a documented operation nothing routes (405: a method
    // not routed).
    let paths = document["paths"].as_object().expect("paths");
    let mut operations = 0;
    for (path, item) in paths {
        for method in item.as_object().expect("path item").keys() {
            let concrete = path
                .replace("{number}", &f.in_progress)
                .replace("{id}", &f.attachment.to_string());
            let concrete = if path.starts_with("/api/v1/canned-responses/") {
                path.replace("{id}", &f.canned_response.to_string())
            } else if path.starts_with("/api/v1/saved-searches/") {
                path.replace("{id}", &f.saved_search.to_string())
            } else {
                concrete
            };
            // Signing out would end the token the other calls use.
            let token = if path.ends_with("/logout") {
                app.login("soporte").await
            } else {
                people.dispatcher.clone()
            };
            let method: Method = method.to_uppercase().parse().expect("method");
            let answer = app
                .call(method.clone(), &concrete)
                .token(&token)
                .json(&json!({}))
                .send()
                .await;
            let status = answer.status.as_u16();
            assert!(
                status != 404 && status != 405,
                "{method} {path}: {status} {}",
                answer.text
            );
            operations += 1;
        }
    }
    assert_eq!(operations, 32, "operations documented");
    app.stop().await;
}

#[tokio::test]
async fn the_viewer_is_served_from_the_binary() {
    let app = TestApp::spawn("sqlite").await;
    let page = app.call(Method::GET, "/api/v1/docs/").send().await;
    assert_eq!(page.status.as_u16(), 200, "{}", page.text);
    assert!(page.text.contains("swagger-ui-bundle.js"), "{}", page.text);
    let policy = page
        .headers
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(policy.contains("script-src 'self';"), "{policy}");
    // Every script and style it loads is served here, and nothing names
    // another host.
    for file in [
        "swagger-ui-bundle.js",
        "swagger-ui-standalone-preset.js",
        "swagger-initializer.js",
        "swagger-ui.css",
    ] {
        let answer = app
            .call(Method::GET, &format!("/api/v1/docs/{file}"))
            .send()
            .await;
        assert_eq!(answer.status.as_u16(), 200, "{file}");
        if file == "swagger-initializer.js" {
            assert!(
                answer.text.contains("/api/v1/openapi.json"),
                "{}",
                answer.text
            );
        }
    }
    assert!(!page.text.contains("http://") && !page.text.contains("https://"));
    app.stop().await;
}

/// Tickets in each state, so that every command has one it may succeed on.
struct Fixtures {
    new: String,
    assigned: String,
    in_progress: String,
    resolved: String,
    closed: String,
    attachment: i64,
    canned_response: i64,
    saved_search: i64,
}

async fn fixtures(app: &TestApp, people: &People) -> Fixtures {
    let new = app
        .submit_number(&people.requester, "reinicio_clave", "Nueva")
        .await;
    let assigned = app
        .submit_number(&people.requester, "telefonia", "Asignada")
        .await;
    app.ok(
        &people.dispatcher,
        &assigned,
        "assign",
        json!({"technician": "tecnico"}),
    )
    .await;
    let in_progress = app
        .in_progress_ticket(people, "soporte_equipo", "En curso")
        .await;
    let body = json!({
        "body": "Adjunto el oficio",
        "attachments": [inline_file("oficio.pdf", PDF)],
    });
    app.ok(&people.requester, &in_progress, "entries", body)
        .await;
    let detail = app.ticket(&people.dispatcher, &in_progress).await;
    let attachment = detail["entries"]
        .as_array()
        .and_then(|entries| {
            entries
                .iter()
                .flat_map(|e| e["attachments"].as_array().cloned().unwrap_or_default())
                .next()
        })
        .and_then(|a| a["id"].as_i64())
        .expect("an attachment");
    let resolved = app.resolved_ticket(people, "creacion_usuario").await;
    let closed = app.closed_ticket(people, "requerimiento").await;
    let canned = app
        .post_json(
            &people.dispatcher,
            "/api/v1/canned-responses",
            json!({"title": "Reinicio", "body": "Se reinició el equipo.", "used_for": "both"}),
        )
        .await
        .expect(201);
    let saved = app
        .post_json(
            &people.dispatcher,
            "/api/v1/saved-searches",
            json!({"name": "Impresoras", "query": "q=impresora"}),
        )
        .await
        .expect(201);
    Fixtures {
        new,
        assigned,
        in_progress,
        resolved,
        closed,
        attachment,
        canned_response: canned["id"].as_i64().expect("id"),
        saved_search: saved["id"].as_i64().expect("id"),
    }
}

/// The versions of the fixtures' tickets, as the director reads them.
async fn versions(app: &TestApp, people: &People, f: &Fixtures) -> Vec<i64> {
    let mut versions = Vec::new();
    for number in [&f.new, &f.assigned, &f.in_progress, &f.resolved, &f.closed] {
        let ticket = app.ticket(&people.supervisor, number).await;
        versions.push(ticket["version"].as_i64().expect("version"));
    }
    versions
}

/// schemathesis's configuration: which ticket each operation works on.
fn configuration(f: &Fixtures) -> String {
    let mut toml = String::new();
    let mut operation = |path: &str, name: &str, value: &str| {
        let _ = writeln!(
            toml,
            "[[operations]]\ninclude-path = \"/api/v1{path}\"\nparameters = {{ \"path.{name}\" = \"{value}\" }}\n"
        );
    };
    let number = |command: &str| format!("/tickets/{{number}}/{command}");
    for (command, ticket) in [
        ("assign", &f.new),
        ("cancel", &f.new),
        ("reassign", &f.assigned),
        ("accept", &f.assigned),
        ("comment", &f.in_progress),
        ("entries", &f.in_progress),
        ("hold", &f.in_progress),
        ("resume", &f.in_progress),
        ("resolve", &f.in_progress),
        ("events", &f.in_progress),
        ("return", &f.resolved),
        ("close", &f.resolved),
        ("confirm", &f.resolved),
        ("reopen", &f.closed),
        ("correct", &f.in_progress),
    ] {
        operation(&number(command), "number", ticket);
    }
    operation("/tickets/{number}", "number", &f.in_progress);
    operation("/attachments/{id}", "id", &f.attachment.to_string());
    operation(
        "/canned-responses/{id}",
        "id",
        &f.canned_response.to_string(),
    );
    operation("/saved-searches/{id}", "id", &f.saved_search.to_string());
    toml
}

/// Runs schemathesis against `app` as whoever holds `token`; returns its
/// report's last lines.
async fn schemathesis(app: &TestApp, role: &str, token: &str, config: &str) -> String {
    let dir = tempfile::tempdir().expect("a directory");
    let config_path = dir.path().join("schemathesis.toml");
    std::fs::write(&config_path, config).expect("writes the configuration");
    let output = tokio::process::Command::new("schemathesis")
        .arg("--config-file")
        .arg(&config_path)
        .arg("run")
        .arg(app.url("/api/v1/openapi.json"))
        .args(["--header", &format!("Authorization: Bearer {token}")])
        .args(["--checks", "not_a_server_error,response_schema_conformance"])
        // Signing out would end the token the rest of the run uses.
        .args(["--exclude-path", "/api/v1/auth/logout"])
        .args(["--max-examples", "15", "--seed", "20261207"])
        .args(["--generation-database", "none", "--no-color"])
        .current_dir(dir.path())
        .output()
        .await
        .expect("schemathesis runs (scripts/test.sh installs it from PyPI)");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "schemathesis as {role} on {} found problems:\n{stdout}\n{stderr}",
        app.backend
    );
    // "1511 generated, 1511 passed" (and any skipped), for the log.
    let counts = stdout
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with(|c: char| c.is_ascii_digit()) && l.contains("generated"));
    counts.unwrap_or("no counts printed").to_owned()
}

#[tokio::test]
async fn schemathesis_finds_no_server_error_and_no_answer_off_the_document() {
    each_backend(async |app: &TestApp| {
        let people = app.people().await;
        let admin = app.login("admin").await;
        // Every token first: the run also tries wrong passwords, and the
        // sign-in throttle would then keep these out.
        let mut roles = vec![
            ("requester", people.requester.clone()),
            ("dispatcher", people.dispatcher.clone()),
            ("technician", people.technician.clone()),
            ("director", people.supervisor.clone()),
            ("admin", admin),
        ];
        let mut seen = Vec::new();
        for (role, token) in roles.drain(..) {
            let fixtures = fixtures(app, &people).await;
            let before = versions(app, &people, &fixtures).await;
            let config = configuration(&fixtures);
            let summary = schemathesis(app, role, &token, &config).await;
            // The run reached the commands' successes too (whose answers the
            // schema check read), not only their refusals.
            let after = versions(app, &people, &fixtures).await;
            let moved = before.iter().zip(&after).filter(|(b, a)| b != a).count();
            if matches!(role, "requester" | "dispatcher" | "technician") {
                assert!(moved > 0, "no ticket changed as {role}: {summary}");
            }
            seen.push(format!("{role}: {summary}, {moved} tickets changed"));
        }
        eprintln!("schemathesis on {}: {}", app.backend, seen.join("; "));
    })
    .await;
}
