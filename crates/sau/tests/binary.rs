//! The real `sau` binary: start-up, the CLI, and what survives `kill -9`.

mod common;

use common::{login, sau, start, start_logging, submit_password_reset};
use std::process::Stdio;
use std::time::Duration;

#[tokio::test]
async fn acknowledged_tickets_survive_kill_9() {
    let dir = tempfile::tempdir().expect("tempdir");
    let server = start(dir.path());
    let client = reqwest::Client::new();
    let token = login(&client, &server.url, "solicitante").await;

    // 8 clients create tickets as fast as they can; the server is killed while they
    // are still at it.
    let (ack_tx, mut ack_rx) = tokio::sync::mpsc::unbounded_channel::<String>();
    for worker in 0..8 {
        let client = client.clone();
        let url = server.url.clone();
        let token = token.clone();
        let ack_tx = ack_tx.clone();
        tokio::spawn(async move {
            for i in 0.. {
                let sent =
                    submit_password_reset(&client, &url, &token, format!("clave {worker}-{i}"))
                        .await;
                let Ok(response) = sent else { break };
                if response.status() != reqwest::StatusCode::CREATED {
                    break;
                }
                let Ok(body) = response.json::<serde_json::Value>().await else {
                    break;
                };
                if let Some(n) = body["number"].as_str() {
                    let _ = ack_tx.send(n.to_owned());
                }
            }
        });
    }
    drop(ack_tx);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let mut server = server;
    // SIGKILL: no shutdown, no flush.
    server.child.kill().expect("kill -9");
    server.child.wait().expect("wait");
    let mut acknowledged = Vec::new();
    while let Some(n) = ack_rx.recv().await {
        acknowledged.push(n);
    }
    assert!(
        acknowledged.len() > 50,
        "too few tickets acknowledged before the kill: {}",
        acknowledged.len()
    );

    let server = start(dir.path());
    let token = login(&client, &server.url, "soporte").await;
    let mut missing = Vec::new();
    for number in &acknowledged {
        let status = client
            .get(format!("{}/api/v1/tickets/{number}", server.url))
            .bearer_auth(&token)
            .send()
            .await
            .expect("get")
            .status();
        if status != reqwest::StatusCode::OK {
            missing.push(number.clone());
        }
    }
    assert!(
        missing.is_empty(),
        "{} of {} acknowledged tickets lost: {:?}",
        missing.len(),
        acknowledged.len(),
        &missing[..missing.len().min(10)]
    );
}

#[test]
fn invalid_configuration_stops_start_up_with_a_clear_message() {
    let dir = tempfile::tempdir().expect("tempdir");
    let output = sau(dir.path())
        .args(["serve", "--addr", "127.0.0.1:0"])
        .env("SAU_TIME_ZONE", "Mars/Olympus")
        .output()
        .expect("run sau");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("Mars/Olympus"), "{stderr}");
}

#[test]
fn users_and_departments_are_managed_from_the_command_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let run = |args: &[&str], stdin: Option<&str>| {
        let mut cmd = sau(dir.path());
        cmd.args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("run sau");
        if let Some(input) = stdin {
            use std::io::Write;
            child
                .stdin
                .take()
                .expect("stdin")
                .write_all(input.as_bytes())
                .expect("write stdin");
        } else {
            drop(child.stdin.take());
        }
        let out = child.wait_with_output().expect("wait");
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (ok, out, err) = run(&["migrate"], None);
    assert!(ok, "{out}{err}");
    let (ok, _, err) = run(
        &["department", "add", "--code", "DTI", "--name", "Tecnología"],
        None,
    );
    assert!(ok, "{err}");
    let (ok, out, _) = run(&["department", "list"], None);
    assert!(ok && out.contains("DTI\tTecnología"), "{out}");
    let (ok, _, err) = run(
        &[
            "user",
            "add",
            "--login",
            "maria",
            "--name",
            "María López",
            "--department",
            "DTI",
            "--roles",
            "technician,dispatcher",
            "--password-stdin",
        ],
        Some("una-clave-larga\n"),
    );
    assert!(ok, "{err}");
    let (ok, _, err) = run(&["user", "add", "--login", "maria", "--name", "Otra"], None);
    assert!(!ok && err.contains("already exists"), "{err}");
    let (ok, _, err) = run(
        &[
            "user", "add", "--login", "x", "--name", "X", "--roles", "jefe",
        ],
        None,
    );
    assert!(!ok && err.contains("jefe"), "{err}");
    let (ok, _, err) = run(&["user", "set-roles", "maria", "supervisor"], None);
    assert!(ok, "{err}");
    let (ok, out, _) = run(&["user", "list"], None);
    assert!(
        ok && out.contains("maria\tMaría López\tsupervisor\tactive"),
        "{out}"
    );
    let (ok, out, err) = run(&["token", "create", "--user", "maria"], None);
    assert!(ok && out.trim().starts_with("sau_"), "{out}{err}");
    let (ok, _, err) = run(&["user", "set-password", "maria"], Some("corta\n"));
    assert!(!ok, "a short password must be refused: {err}");
    let (ok, _, err) = run(&["user", "deactivate", "maria"], None);
    assert!(ok, "{err}");
    let (ok, out, _) = run(&["user", "list"], None);
    assert!(
        out.contains("maria\tMaría López\tsupervisor\tinactive") && ok,
        "{out}"
    );
}

#[tokio::test]
async fn a_failed_request_is_logged_with_its_request_id_and_no_colour_codes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let server = start_logging(dir.path(), "info");
    let response = reqwest::get(format!("{}/api/v1/tickets/2099010110000019", server.url))
        .await
        .expect("GET");
    assert_eq!(response.status(), reqwest::StatusCode::UNAUTHORIZED);
    let id = response.headers()["x-request-id"]
        .to_str()
        .expect("id")
        .to_owned();
    let mut logged = None;
    for _ in 0..50 {
        let output = server.output.lock().expect("output").clone();
        logged = output.iter().find(|l| l.contains(&id)).cloned();
        if logged.is_some() {
            assert!(
                output.iter().all(|l| !l.contains('\u{1b}')),
                "colour codes in a log that is not a terminal: {output:?}"
            );
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let line = logged.unwrap_or_else(|| panic!("no log line names {id}"));
    assert!(line.contains("status=401"), "{line}");
}

#[tokio::test]
async fn demo_mode_makes_a_living_help_desk_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let client = reqwest::Client::new();
    let mut counts = Vec::new();
    for _ in 0..2 {
        let server = start(dir.path());
        let token = login(&client, &server.url, "director").await;
        let body: serde_json::Value = client
            .get(format!(
                "{}/api/v1/tickets?limit=500&state=new,assigned,in_progress,on_hold,resolved,closed,cancelled",
                server.url
            ))
            .bearer_auth(&token)
            .send()
            .await
            .expect("list")
            .json()
            .await
            .expect("JSON");
        let tickets = body["tickets"].as_array().expect("tickets").clone();
        let distinct = |key: &str| {
            tickets
                .iter()
                .map(|t| t[key].to_string())
                .collect::<std::collections::BTreeSet<_>>()
                .len()
        };
        assert_eq!(distinct("state"), 7, "every state");
        assert_eq!(distinct("category"), 5, "every category");
        counts.push(tickets.len());
        drop(server);
    }
    assert_eq!(counts, [40, 40], "a second start adds nothing");
}

#[test]
fn the_command_line_speaks_the_consoles_language_spanish_by_default() {
    let dir = tempfile::tempdir().expect("tempdir");
    let said = |lang: &str| {
        let out = sau(dir.path())
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env("LANG", lang)
            .arg("migrate")
            .output()
            .expect("run sau");
        assert!(out.status.success(), "{out:?}");
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    };
    assert_eq!(said("es_GT.UTF-8"), "Migraciones aplicadas (sqlite).");
    assert_eq!(said("C.UTF-8"), "Migraciones aplicadas (sqlite).");
    assert_eq!(said("en_US.UTF-8"), "Migrations applied (sqlite).");

    // A refusal reads in the catalog's words, with its detail after them.
    let add = || {
        sau(dir.path())
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env("LANG", "es_GT.UTF-8")
            .args(["department", "add", "--code", "DTI", "--name", "Tecnología"])
            .output()
            .expect("run sau")
    };
    assert!(add().status.success());
    let again = add();
    assert!(!again.status.success());
    assert_eq!(
        String::from_utf8_lossy(&again.stderr).trim(),
        "sau: Ya existe un registro con ese identificador. (department already exists)"
    );
}
