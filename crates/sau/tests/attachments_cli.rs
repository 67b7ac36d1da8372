//! `sau attachments check` and `sau attachments collect` on the files a real
//! server stored.

mod common;

use common::{Server, login, sau, start};
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

/// Runs `sau attachments <args>`: whether it succeeded, and its standard output.
fn attachments(data_dir: &Path, args: &[&str]) -> (bool, String) {
    // The expectations below read the English messages.
    let output = sau(data_dir)
        .env("LC_ALL", "en_US.UTF-8")
        .arg("attachments")
        .args(args)
        .output()
        .expect("run sau attachments");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success() || output.status.code() == Some(1),
        "sau attachments {args:?} failed unexpectedly: {stdout}{stderr}"
    );
    (output.status.success(), stdout)
}

/// The stored files (not the unfinished ones), by path.
/// The number just before `what` in `text` ("6 attachments" → 6).
fn leading_number(text: &str, what: &str) -> usize {
    let before = &text[..text
        .find(what)
        .unwrap_or_else(|| panic!("no {what} in {text}"))];
    before
        .rsplit(|c: char| !c.is_ascii_digit())
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no count before {what} in {text}"))
}

fn stored_files(blob_root: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for dir in std::fs::read_dir(blob_root).expect("blob root") {
        let dir = dir.expect("entry");
        if dir.file_name() == "tmp" || !dir.path().is_dir() {
            continue;
        }
        for file in std::fs::read_dir(dir.path()).expect("blob dir") {
            files.push(file.expect("blob").path());
        }
    }
    files.sort();
    files
}

fn blob_path(blob_root: &Path, sha256: &str) -> PathBuf {
    blob_root.join(&sha256[..2]).join(sha256)
}

const PDF: &[u8] =
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n";
const TEXT: &[u8] = b"Registro del equipo.\n";

/// Submits a new request with one file; returns the answer's status and body.
async fn submit_with_file(
    client: &reqwest::Client,
    server: &Server,
    token: &str,
    ticket: Value,
    name: &str,
    bytes: &[u8],
) -> (u16, Value) {
    let form = Form::new().text("ticket", ticket.to_string()).part(
        "files",
        Part::bytes(bytes.to_vec()).file_name(name.to_owned()),
    );
    let response = client
        .post(format!("{}/api/v1/tickets", server.url))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .expect("submit");
    let status = response.status().as_u16();
    (status, response.json().await.expect("JSON answer"))
}

/// The single attachment of a ticket: its id and sha256.
async fn attachment_of(
    client: &reqwest::Client,
    server: &Server,
    token: &str,
    ticket: &Value,
) -> (i64, String) {
    let number = ticket["number"].as_str().expect("number");
    let detail: Value = client
        .get(format!("{}/api/v1/tickets/{number}", server.url))
        .bearer_auth(token)
        .send()
        .await
        .expect("get ticket")
        .json()
        .await
        .expect("ticket JSON");
    let file = &detail["entries"][0]["attachments"][0];
    (
        file["id"].as_i64().expect("attachment id"),
        file["sha256"].as_str().expect("sha256").to_owned(),
    )
}

#[tokio::test]
async fn check_reports_missing_and_damaged_files_and_collect_removes_unused_ones() {
    let dir = tempfile::tempdir().expect("tempdir");
    let blob_root = dir.path().join("attachments");
    // The demo's own requests come with files: what follows is counted on top.
    drop(start(dir.path()));
    let (ok, demo) = attachments(dir.path(), &["check"]);
    assert!(ok, "{demo}");
    let demo_attachments = leading_number(&demo, " attachments");
    let demo_files = leading_number(&demo, " files read");
    let demo_blobs = stored_files(&blob_root);
    let counted = |attachments: usize, files: usize, missing: usize, damaged: usize| {
        format!(
            "{} attachments, {} files read: {missing} missing, {damaged} damaged",
            demo_attachments + attachments,
            demo_files + files
        )
    };
    let server = start(dir.path());
    let client = reqwest::Client::new();
    let token = login(&client, &server.url, "solicitante").await;
    let equipo = json!({
        "category": "soporte_equipo",
        "title": "Equipo",
        "description": "No enciende",
        "fields": {"numero_inventario": "INV-1", "ubicacion": "Piso 2"},
    });
    let (status, pdf_ticket) =
        submit_with_file(&client, &server, &token, equipo.clone(), "informe.pdf", PDF).await;
    assert_eq!(status, 201, "{pdf_ticket}");
    let (status, text_ticket) =
        submit_with_file(&client, &server, &token, equipo, "registro.txt", TEXT).await;
    assert_eq!(status, 201, "{text_ticket}");
    // Refused after its file was stored: the file is left unused.
    let incomplete = json!({
        "category": "no_existe",
        "title": "Categoría desconocida",
        "description": "La categoría no existe",
    });
    let (status, refused) = submit_with_file(
        &client,
        &server,
        &token,
        incomplete,
        "huerfano.txt",
        b"Nadie me nombra.\n",
    )
    .await;
    assert_eq!(status, 422, "{refused}");
    let (pdf_id, pdf_sha) = attachment_of(&client, &server, &token, &pdf_ticket).await;
    let (text_id, text_sha) = attachment_of(&client, &server, &token, &text_ticket).await;
    drop(server);

    let (ok, out) = attachments(dir.path(), &["check"]);
    assert!(ok, "{out}");
    assert!(out.contains(&counted(2, 2, 0, 0)), "{out}");

    // A crash mid-upload leaves a temporary file.
    std::fs::write(blob_root.join("tmp").join(".tmpabandonado"), b"a medias").expect("tmp file");
    assert_eq!(stored_files(&blob_root).len(), demo_blobs.len() + 3);
    let (ok, out) = attachments(dir.path(), &["collect"]);
    assert!(ok, "{out}");
    assert!(
        out.starts_with("0 unused files and 0 unfinished uploads"),
        "{out}"
    );
    assert_eq!(stored_files(&blob_root).len(), demo_blobs.len() + 3);

    let (ok, out) = attachments(dir.path(), &["collect", "--min-age-hours", "0"]);
    assert!(ok, "{out}");
    assert!(
        out.starts_with("1 unused files and 1 unfinished uploads"),
        "{out}"
    );
    assert_eq!(
        stored_files(&blob_root),
        {
            let mut kept = demo_blobs.clone();
            kept.push(blob_path(&blob_root, &pdf_sha));
            kept.push(blob_path(&blob_root, &text_sha));
            kept.sort();
            kept
        },
        "only the unused file is gone"
    );
    assert_eq!(
        std::fs::read_dir(blob_root.join("tmp"))
            .expect("tmp")
            .count(),
        0
    );

    std::fs::write(blob_path(&blob_root, &pdf_sha), b"%PDF-1.4 otro contenido").expect("damage");
    std::fs::remove_file(blob_path(&blob_root, &text_sha)).expect("lose");
    let (ok, out) = attachments(dir.path(), &["check"]);
    assert!(!ok, "damage must fail the check: {out}");
    assert!(
        out.contains(&format!("damaged\t{pdf_id}\t{pdf_sha}\tinforme.pdf")),
        "{out}"
    );
    assert!(
        out.contains(&format!("missing\t{text_id}\t{text_sha}\tregistro.txt")),
        "{out}"
    );
    assert!(out.contains(&counted(2, 2, 1, 1)), "{out}");
}
