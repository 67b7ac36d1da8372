//! Search reads inside attached files: a PDF's text, a photographed page and a
//! scanned PDF through Tesseract, after the background job has read them;
//! internal files' words for agents only; a file attached again is read once.

use crate::support::{TestApp, each_backend, inline_file};
use serde_json::json;

fn fixture(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../sau-extract/tests/fixtures")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Runs background jobs until none is due: the readings among them.
async fn run_jobs(app: &TestApp) {
    for _ in 0..20 {
        if app.service.run_due_jobs().await.expect("jobs").is_empty() {
            return;
        }
    }
    panic!("jobs kept coming");
}

#[tokio::test]
async fn words_inside_attached_files_find_their_ticket_once_read() {
    each_backend(async |app: &TestApp| {
        let p = app.people().await;
        let b = app.backend;
        let mut body = crate::support::request_body("soporte_equipo", "Falla de impresión");
        body["attachments"] = json!([inline_file("informe.pdf", &fixture("informe.pdf"))]);
        let n = crate::support::number(
            &app.post_json(&p.requester, "/api/v1/tickets", body)
                .await
                .expect(201),
        );
        let found = async |token: &str, q: &str| app.list_numbers(token, &[("q", q)]).await;
        // Not read yet: the request did not wait for it.
        assert!(found(&p.dispatcher, "atasco").await.is_empty(), "{b}");
        run_jobs(app).await;
        for q in [
            "atasco de papel",
            "mantenimiento URGENTE",
            "\"informe tecnico\"",
        ] {
            assert_eq!(found(&p.dispatcher, q).await, vec![n.clone()], "{b}: {q}");
            assert_eq!(found(&p.requester, q).await, vec![n.clone()], "{b}: {q}");
        }

        // A photo in a public comment and a scanned PDF in an internal note.
        app.ok(
            &p.dispatcher,
            &n,
            "assign",
            json!({"technician": "tecnico"}),
        )
        .await;
        app.ok(&p.technician, &n, "accept", json!({})).await;
        app.ok(
            &p.technician,
            &n,
            "entries",
            json!({"body": "Foto del aviso.", "visibility": "public",
                   "attachments": [inline_file("foto.png", &fixture("escaneo.png"))]}),
        )
        .await;
        app.ok(
            &p.technician,
            &n,
            "entries",
            json!({"body": "Acta firmada.", "visibility": "internal",
                   "attachments": [inline_file("acta.pdf", &fixture("acta.pdf"))]}),
        )
        .await;
        run_jobs(app).await;
        for q in ["proyector epson", "direccion finanzas"] {
            assert_eq!(found(&p.dispatcher, q).await, vec![n.clone()], "{b}: {q}");
            assert_eq!(found(&p.technician, q).await, vec![n.clone()], "{b}: {q}");
            assert!(found(&p.requester, q).await.is_empty(), "{b}: {q}");
        }

        // Each result says where its words are, with them marked.
        let listed = app.list(&p.dispatcher, &[("q", "proyector epson")]).await;
        let hit = &listed[0]["found"];
        assert_eq!(hit["in"], "file_text", "{b}: {hit}");
        assert_eq!(hit["file_name"], "acta.pdf", "{b}: {hit}");
        let marked: Vec<&str> = hit["fragments"]
            .as_array()
            .expect("fragments")
            .iter()
            .filter(|f| f["marked"] == true)
            .filter_map(|f| f["text"].as_str())
            .collect();
        assert_eq!(marked, ["Proyector Epson"], "{b}: {hit}");
        let listed = app.list(&p.requester, &[("q", "aviso foto")]).await;
        assert_eq!(listed[0]["found"]["in"], "entry", "{b}");
        assert_eq!(listed[0]["found"]["entry_kind"], "comment", "{b}");
        let client = crate::browser::browser();
        crate::browser::sign_in(app, &client, "soporte").await;
        let html = crate::browser::page(app, &client, "/?q=finanzas").await;
        assert!(
            html.contains("Dentro de acta.pdf:</span>") && html.contains("<mark>Finanzas</mark>"),
            "{b}: {html}"
        );

        // The same PDF on another ticket: already read, found at once.
        let mut body = crate::support::request_body("soporte_equipo", "Otra impresora");
        body["attachments"] = json!([inline_file("copia.pdf", &fixture("informe.pdf"))]);
        let other = crate::support::number(
            &app.post_json(&p.requester, "/api/v1/tickets", body)
                .await
                .expect(201),
        );
        assert_eq!(
            app.service.run_due_jobs().await.expect("jobs").len(),
            0,
            "{b}: nothing to read again"
        );
        let mut both = found(&p.dispatcher, "atasco papel").await;
        both.sort();
        let mut expected = vec![n.clone(), other.clone()];
        expected.sort();
        assert_eq!(both, expected, "{b}");
    })
    .await;
}
