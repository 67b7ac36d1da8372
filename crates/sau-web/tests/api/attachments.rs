//! Attachments through the JSON API: uploads (multipart and base64), listing, downloads, limits and bad input.

use crate::support::{
    PDF, TestApp, each_backend, each_backend_with, inline_file, number, request_body,
};
use base64::Engine;
use reqwest::Method;
use reqwest::multipart::{Form, Part};
use sau_domain::{AttachmentLimits, FileKind};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A 1×1 PNG.
const PNG_BASE64: &str = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

fn png() -> Vec<u8> {
    base64::engine::general_purpose::STANDARD
        .decode(PNG_BASE64)
        .expect("PNG constant")
}

const CSV: &[u8] = b"inventario;ubicacion\nINV-0042;Edificio A\n";
const TEXT: &[u8] = b"Registro del equipo: se reinicio dos veces.\n";

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn file_part(name: &str, bytes: &[u8]) -> Part {
    Part::bytes(bytes.to_vec()).file_name(name.to_owned())
}

/// A multipart new request: the JSON part `ticket`, then each file.
fn ticket_form(category: &str, title: &str, files: &[(&str, &[u8])]) -> Form {
    let mut ticket = request_body(category, title);
    if let Some(obj) = ticket.as_object_mut() {
        // Multipart bodies carry their files as parts.
        obj.remove("attachments");
    }
    with_files(Form::new().text("ticket", ticket.to_string()), files)
}

/// A multipart entry: the JSON part `entry`, then each file.
fn entry_form(entry: Value, files: &[(&str, &[u8])]) -> Form {
    with_files(Form::new().text("entry", entry.to_string()), files)
}

fn with_files(mut form: Form, files: &[(&str, &[u8])]) -> Form {
    for (name, bytes) in files {
        form = form.part("files", file_part(name, bytes));
    }
    form
}

async fn post_form(app: &TestApp, token: &str, path: &str, form: Form) -> crate::support::Resp {
    app.call(Method::POST, path)
        .token(token)
        .multipart(form)
        .send()
        .await
}

/// Every attachment listed on a ticket, entry by entry, as `token` sees it.
async fn listed(app: &TestApp, token: &str, number: &str) -> Vec<Value> {
    let detail = app.ticket(token, number).await;
    detail["entries"]
        .as_array()
        .unwrap_or_else(|| panic!("ticket without entries: {detail}"))
        .iter()
        .flat_map(|e| e["attachments"].as_array().cloned().unwrap_or_default())
        .collect()
}

async fn entry_count(app: &TestApp, token: &str, number: &str) -> usize {
    app.ticket(token, number).await["entries"]
        .as_array()
        .map_or(0, Vec::len)
}

fn names(attachments: &[Value]) -> Vec<&str> {
    attachments
        .iter()
        .map(|a| a["filename"].as_str().unwrap_or("?"))
        .collect()
}

/// Files left in the blob store's staging directory.
fn unfinished_uploads(app: &TestApp) -> usize {
    std::fs::read_dir(app.service.blob_root().join("tmp"))
        .map(|dir| dir.count())
        .unwrap_or(0)
}

fn all_kinds() -> Vec<&'static str> {
    FileKind::ALL.iter().map(|k| k.key()).collect()
}

#[tokio::test]
async fn multipart_creates_a_ticket_with_two_files_and_adds_an_entry_with_one() {
    each_backend(async |app| {
        let p = app.people().await;
        let b = app.backend;
        let png = png();
        let created = post_form(
            app,
            &p.requester,
            "/api/v1/tickets",
            ticket_form(
                "requerimiento",
                "Oficio escaneado",
                &[("oficio.pdf", PDF), ("sello.png", &png)],
            ),
        )
        .await
        .expect(201);
        let n = number(&created);
        assert_eq!(created["category"], "requerimiento", "{b}");

        let files = listed(app, &p.requester, &n).await;
        assert_eq!(names(&files), ["oficio.pdf", "sello.png"], "{b}");
        let pdf = &files[0];
        let id = pdf["id"].as_i64().expect("numeric id");
        assert_eq!(pdf["kind"], "pdf", "{b}");
        assert_eq!(pdf["content_type"], "application/pdf", "{b}");
        assert_eq!(pdf["size"], PDF.len(), "{b}");
        assert_eq!(pdf["sha256"], sha256_hex(PDF), "{b}");
        assert_eq!(pdf["url"], format!("/api/v1/attachments/{id}"), "{b}");
        assert_eq!(files[1]["content_type"], "image/png", "{b}");
        assert_eq!(files[1]["sha256"], sha256_hex(&png), "{b}");

        // An entry of files alone: the text may be empty.
        post_form(
            app,
            &p.requester,
            &format!("/api/v1/tickets/{n}/entries"),
            entry_form(json!({"body": ""}), &[("inventario.csv", CSV)]),
        )
        .await
        .expect(201);
        let detail = app.ticket(&p.requester, &n).await;
        let last = detail["entries"]
            .as_array()
            .and_then(|e| e.last())
            .cloned()
            .expect("an entry");
        assert_eq!(last["body"], "", "{b}");
        assert_eq!(
            names(last["attachments"].as_array().expect("attachments")),
            ["inventario.csv"]
        );
        assert_eq!(
            last["attachments"][0]["content_type"],
            "text/csv; charset=utf-8"
        );

        // The parts may come in any order: files first, then the JSON.
        let form = Form::new()
            .part("files", file_part("antes.pdf", PDF))
            .text("entry", json!({"body": "Archivo primero"}).to_string());
        post_form(
            app,
            &p.requester,
            &format!("/api/v1/tickets/{n}/entries"),
            form,
        )
        .await
        .expect(201);
        let files = listed(app, &p.requester, &n).await;
        assert_eq!(
            names(&files),
            ["oficio.pdf", "sello.png", "inventario.csv", "antes.pdf"],
            "{b}"
        );
    })
    .await;
}

#[tokio::test]
async fn json_with_base64_files_creates_a_ticket_and_adds_an_entry() {
    each_backend(async |app| {
        let p = app.people().await;
        let b = app.backend;
        let mut body = request_body("soporte_equipo", "Foto del equipo");
        let mut photo = inline_file("equipo.png", &png());
        // The declared type is not believed: the bytes decide.
        photo["content_type"] = json!("text/html");
        body["attachments"] =
            json!([photo, {"content_base64": inline_file("", PDF)["content_base64"]}]);
        let created = app
            .post_json(&p.requester, "/api/v1/tickets", body)
            .await
            .expect(201);
        let n = number(&created);
        let files = listed(app, &p.requester, &n).await;
        assert_eq!(names(&files), ["equipo.png", "adjunto.pdf"], "{b}");
        assert_eq!(files[0]["content_type"], "image/png", "{b}");

        app.post_json(
            &p.requester,
            &format!("/api/v1/tickets/{n}/entries"),
            json!({"body": "Otra copia", "attachments": [inline_file("copia.pdf", PDF)]}),
        )
        .await
        .expect(201);
        let files = listed(app, &p.requester, &n).await;
        assert_eq!(
            names(&files),
            ["equipo.png", "adjunto.pdf", "copia.pdf"],
            "{b}"
        );
        // The same bytes, sent twice, are the same content.
        assert_eq!(files[1]["sha256"], files[2]["sha256"], "{b}");
        assert_eq!(files[2]["sha256"], sha256_hex(PDF), "{b}");
        assert_ne!(files[1]["id"], files[2]["id"], "{b}");
    })
    .await;
}

#[tokio::test]
async fn bad_bodies_with_files_are_refused_and_store_nothing() {
    each_backend(async |app| {
        let p = app.people().await;
        let b = app.backend;
        let mut body = request_body("soporte_equipo", "Base64 roto");
        body["attachments"] = json!([inline_file("a.pdf", PDF), {"filename": "b.pdf", "content_base64": "%%% no es base64"}]);
        let error = app
            .post_json(&p.requester, "/api/v1/tickets", body)
            .await
            .expect_error(422, "invalid_input");
        assert_eq!(
            error["fields"]["attachments[1].content_base64"]["code"], "invalid",
            "{b}: {error}"
        );

        let mut body = request_body("soporte_equipo", "Sin contenido");
        body["attachments"] = json!([{"filename": "a.pdf"}]);
        let error = app
            .post_json(&p.requester, "/api/v1/tickets", body)
            .await
            .expect_error(422, "invalid_input");
        assert_eq!(
            error["fields"]["attachments[0].content_base64"]["code"], "required",
            "{b}: {error}"
        );

        // Multipart without its JSON part, or with malformed JSON in it.
        let form = Form::new().part("files", file_part("a.pdf", PDF));
        let error = post_form(app, &p.requester, "/api/v1/tickets", form)
            .await
            .expect_error(422, "invalid_input");
        assert_eq!(error["fields"]["ticket"]["code"], "required", "{b}: {error}");
        let n = app
            .submit_number(&p.requester, "soporte_equipo", "Con entradas")
            .await;
        let entries = entry_count(app, &p.requester, &n).await;
        let form = Form::new().part("files", file_part("a.pdf", PDF));
        let error = post_form(app, &p.requester, &format!("/api/v1/tickets/{n}/entries"), form)
            .await
            .expect_error(422, "invalid_input");
        assert_eq!(error["fields"]["entry"]["code"], "required", "{b}: {error}");
        assert_eq!(entry_count(app, &p.requester, &n).await, entries, "{b}");
        let form = Form::new().text("ticket", "{\"title\": ");
        post_form(app, &p.requester, "/api/v1/tickets", form)
            .await
            .expect_error(400, "malformed_json");
        let form = Form::new().text("ticket", r#"{"title": 5}"#);
        let error = post_form(app, &p.requester, "/api/v1/tickets", form)
            .await
            .expect_error(422, "invalid_input");
        assert_eq!(error["fields"]["title"]["code"], "invalid", "{b}: {error}");

        assert_eq!(app.ticket_count(&p.dispatcher).await, 1, "{b}");
    })
    .await;
}

#[tokio::test]
async fn a_request_without_its_required_document_is_422_on_attachments() {
    each_backend(async |app| {
        let p = app.people().await;
        let b = app.backend;
        let mut body = request_body("requerimiento", "Sin oficio");
        body["attachments"] = json!([]);
        let error = app
            .post_json(&p.requester, "/api/v1/tickets", body)
            .await
            .expect_error(422, "invalid_input");
        assert_eq!(
            error["fields"]["attachments"]["code"], "required",
            "{b}: {error}"
        );

        let error = post_form(
            app,
            &p.requester,
            "/api/v1/tickets",
            ticket_form("requerimiento", "Sin oficio", &[]),
        )
        .await
        .expect_error(422, "invalid_input");
        assert_eq!(
            error["fields"]["attachments"]["code"], "required",
            "{b}: {error}"
        );
        assert_eq!(app.ticket_count(&p.dispatcher).await, 0, "{b}");
    })
    .await;
}

/// A ticket with a PDF, a PNG, a text file, a CSV and a PDF under a non-ASCII
/// name; returns its number and the attachments by name.
async fn ticket_with_every_kind(app: &TestApp, token: &str) -> (String, Vec<Value>) {
    let png = png();
    let created = post_form(
        app,
        token,
        "/api/v1/tickets",
        ticket_form(
            "soporte_equipo",
            "Varios archivos",
            &[
                ("informe.pdf", PDF),
                ("foto.png", &png),
                ("registro.txt", TEXT),
                ("inventario.csv", CSV),
                ("Oficio núm. 117.pdf", PDF),
            ],
        ),
    )
    .await
    .expect(201);
    let n = number(&created);
    let files = listed(app, token, &n).await;
    (n, files)
}

fn url(attachment: &Value) -> String {
    attachment["url"]
        .as_str()
        .unwrap_or_else(|| panic!("attachment without url: {attachment}"))
        .to_owned()
}

fn header<'a>(resp: &'a crate::support::Resp, name: &str) -> &'a str {
    resp.headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

#[tokio::test]
async fn downloads_give_the_exact_bytes_as_a_sandboxed_attachment() {
    each_backend(async |app| {
        let p = app.people().await;
        let b = app.backend;
        let (_, files) = ticket_with_every_kind(app, &p.requester).await;
        let expected: [&[u8]; 5] = [PDF, &png(), TEXT, CSV, PDF];
        for (file, bytes) in files.iter().zip(expected) {
            let resp = app
                .call(Method::GET, &url(file))
                .token(&p.requester)
                // Asked for, but files are sent as they are, with their length.
                .header("accept-encoding", "gzip, br")
                .send()
                .await;
            assert_eq!(resp.status, 200, "{b}: {file}");
            assert_eq!(resp.bytes, bytes, "{b}: {file}");
            assert_eq!(header(&resp, "content-type"), file["content_type"], "{b}");
            assert_eq!(header(&resp, "content-length"), bytes.len().to_string(), "{b}");
            assert_eq!(header(&resp, "content-encoding"), "", "{b}: {file}");
            assert_eq!(header(&resp, "x-content-type-options"), "nosniff", "{b}");
            assert_eq!(header(&resp, "content-security-policy"), "sandbox", "{b}");
            assert!(
                header(&resp, "content-disposition").starts_with("attachment;"),
                "{b}: {:?}",
                resp.headers
            );
        }
        let resp = app.get(&p.requester, &url(&files[4])).await;
        assert_eq!(
            header(&resp, "content-disposition"),
            "attachment; filename=\"Oficio n_m. 117.pdf\"; filename*=UTF-8''Oficio%20n%C3%BAm.%20117.pdf",
            "{b}"
        );
    })
    .await;
}

#[tokio::test]
async fn only_pdf_and_images_are_shown_inline() {
    each_backend(async |app| {
        let p = app.people().await;
        let b = app.backend;
        let (_, files) = ticket_with_every_kind(app, &p.requester).await;
        for (file, shown) in files.iter().zip([true, true, false, false, true]) {
            let resp = app
                .call(Method::GET, &url(file))
                .token(&p.requester)
                .query(&[("inline", "1")])
                .send()
                .await;
            assert_eq!(resp.status, 200, "{b}");
            let disposition = header(&resp, "content-disposition");
            let expected = if shown { "inline;" } else { "attachment;" };
            assert!(
                disposition.starts_with(expected),
                "{b}: {file}: {disposition}"
            );
            assert_eq!(header(&resp, "content-security-policy"), "sandbox", "{b}");
        }
    })
    .await;
}

#[tokio::test]
async fn an_unchanged_file_is_304_by_its_etag() {
    each_backend(async |app| {
        let p = app.people().await;
        let b = app.backend;
        let (_, files) = ticket_with_every_kind(app, &p.requester).await;
        let first = app.get(&p.requester, &url(&files[0])).await;
        let etag = header(&first, "etag").to_owned();
        assert_eq!(etag, format!("\"{}\"", sha256_hex(PDF)), "{b}");
        let again = app
            .call(Method::GET, &url(&files[0]))
            .token(&p.requester)
            .header("if-none-match", &etag)
            .send()
            .await;
        assert_eq!(again.status, 304, "{b}");
        assert!(again.bytes.is_empty(), "{b}");
        let other = app
            .call(Method::GET, &url(&files[0]))
            .token(&p.requester)
            .header("if-none-match", "\"otro\"")
            .send()
            .await;
        assert_eq!(other.status, 200, "{b}");
        assert_eq!(other.bytes, PDF, "{b}");
    })
    .await;
}

#[tokio::test]
async fn files_only_reach_those_who_may_see_their_entry() {
    each_backend(async |app| {
        let p = app.people().await;
        let b = app.backend;
        let n = app
            .submit_number(&p.requester, "soporte_equipo", "Con nota interna")
            .await;
        app.post_json(
            &p.requester,
            &format!("/api/v1/tickets/{n}/entries"),
            json!({"body": "Foto", "attachments": [inline_file("foto.png", &png())]}),
        )
        .await
        .expect(201);
        app.post_json(
            &p.dispatcher,
            &format!("/api/v1/tickets/{n}/entries"),
            json!({
                "body": "Solo para el equipo",
                "visibility": "internal",
                "attachments": [inline_file("interno.txt", TEXT)],
            }),
        )
        .await
        .expect(201);

        let agents_see = listed(app, &p.dispatcher, &n).await;
        assert_eq!(names(&agents_see), ["foto.png", "interno.txt"], "{b}");
        let internal = url(&agents_see[1]);
        let public = url(&agents_see[0]);
        assert_eq!(app.get(&p.technician, &internal).await.bytes, TEXT, "{b}");

        // The requester is not told of the internal file, nor can fetch it.
        assert_eq!(
            names(&listed(app, &p.requester, &n).await),
            ["foto.png"],
            "{b}"
        );
        app.get(&p.requester, &internal)
            .await
            .expect_error(404, "not_found");
        assert_eq!(app.get(&p.requester, &public).await.bytes, png(), "{b}");

        let other = app.add_user("ajena", &[sau_domain::Role::Requester]).await;
        app.get(&other, &public)
            .await
            .expect_error(404, "not_found");
        app.call(Method::GET, &public)
            .send()
            .await
            .expect_error(401, "unauthenticated");
        app.get(&p.dispatcher, "/api/v1/attachments/abc")
            .await
            .expect_error(404, "not_found");
        app.get(&p.dispatcher, "/api/v1/attachments/987654")
            .await
            .expect_error(404, "not_found");
    })
    .await;
}

fn small_limits() -> AttachmentLimits {
    AttachmentLimits {
        max_file_bytes: 1000,
        // 2 KiB: a limit people read as written.
        max_request_bytes: 2048,
        max_files: 3,
        ..AttachmentLimits::default()
    }
}

fn text_of(size: usize) -> Vec<u8> {
    vec![b'a'; size]
}

#[tokio::test]
async fn files_at_the_limits_are_taken_and_one_byte_over_is_413_naming_the_limit() {
    each_backend_with(
        |builder| builder.attachment_limits(small_limits()),
        async |app| {
            let p = app.people().await;
            let b = app.backend;
            let at_file_limit = text_of(1000);
            let created = post_form(
                app,
                &p.requester,
                "/api/v1/tickets",
                ticket_form("soporte_equipo", "Al límite", &[("a.txt", &at_file_limit)]),
            )
            .await
            .expect(201);
            let n = number(&created);
            let entries = entry_count(app, &p.requester, &n).await;
            let entries_path = format!("/api/v1/tickets/{n}/entries");

            let refusals = [
                (vec![text_of(1001)], "file_too_large", "1000 bytes"),
                (
                    vec![text_of(1000), text_of(1000), text_of(49)],
                    "request_too_large",
                    "2 KiB",
                ),
                (vec![text_of(10); 4], "too_many_files", "3"),
            ];
            for (files, code, limit) in &refusals {
                let named: Vec<(&str, &[u8])> =
                    files.iter().map(|f| ("f.txt", f.as_slice())).collect();
                let error = post_form(
                    app,
                    &p.requester,
                    "/api/v1/tickets",
                    ticket_form("soporte_equipo", "Demasiado", &named),
                )
                .await
                .expect_error(413, code);
                let message = error["message"].as_str().unwrap_or("");
                assert!(message.contains(limit), "{b}: {code}: {message}");

                post_form(
                    app,
                    &p.requester,
                    &entries_path,
                    entry_form(json!({"body": "x"}), &named),
                )
                .await
                .expect_error(413, code);

                let inline: Vec<Value> = files.iter().map(|f| inline_file("f.txt", f)).collect();
                app.post_json(
                    &p.requester,
                    &entries_path,
                    json!({"body": "x", "attachments": inline}),
                )
                .await
                .expect_error(413, code);
            }
            let error = app
                .post_json(
                    &p.requester,
                    &entries_path,
                    json!({"body": "x", "attachments": [inline_file("f.txt", &text_of(1001))]}),
                )
                .await
                .expect_error(413, "file_too_large");
            assert_eq!(error["limit_bytes"], 1000, "{b}: {error}");
            assert_eq!(app.ticket_count(&p.dispatcher).await, 1, "{b}");
            assert_eq!(entry_count(app, &p.requester, &n).await, entries, "{b}");

            // Exactly at the request limit, and at the number of files.
            post_form(
                app,
                &p.requester,
                &entries_path,
                entry_form(
                    json!({"body": "x"}),
                    &[
                        ("a.txt", &text_of(1000)),
                        ("b.txt", &text_of(1000)),
                        ("c.txt", &text_of(48)),
                    ],
                ),
            )
            .await
            .expect(201);
            let three = [
                inline_file("1.txt", TEXT),
                inline_file("2.txt", TEXT),
                inline_file("3.txt", TEXT),
            ];
            app.post_json(
                &p.requester,
                &entries_path,
                json!({"body": "x", "attachments": three}),
            )
            .await
            .expect(201);
            assert_eq!(entry_count(app, &p.requester, &n).await, entries + 2, "{b}");
            assert_eq!(unfinished_uploads(app), 0, "{b}");
        },
    )
    .await;
}

#[tokio::test]
async fn files_of_kinds_not_accepted_are_415_with_the_accepted_list() {
    each_backend(async |app| {
        let p = app.people().await;
        let b = app.backend;
        let html: &[u8] = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>";
        let svg: &[u8] =
            b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>";
        let mut exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xFF\xFF".to_vec();
        exe.resize(512, 0);
        for (name, bytes) in [
            ("informe.pdf", html),
            ("logo.svg", svg),
            ("factura.pdf", &exe),
        ] {
            let error = post_form(
                app,
                &p.requester,
                "/api/v1/tickets",
                ticket_form("soporte_equipo", "Tipo no admitido", &[(name, bytes)]),
            )
            .await
            .expect_error(415, "unsupported_file_type");
            assert_eq!(error["allowed"], json!(all_kinds()), "{b}: {name}");
            assert_eq!(error["file"], name, "{b}");

            let mut body = request_body("soporte_equipo", "Tipo no admitido");
            body["attachments"] = json!([inline_file(name, bytes)]);
            let error = app
                .post_json(&p.requester, "/api/v1/tickets", body)
                .await
                .expect_error(415, "unsupported_file_type");
            assert_eq!(error["allowed"], json!(all_kinds()), "{b}: {name}");
        }
        assert_eq!(app.ticket_count(&p.dispatcher).await, 0, "{b}");
    })
    .await;
}

#[tokio::test]
async fn file_names_are_kept_to_their_last_part_without_hidden_reordering() {
    each_backend(async |app| {
        let p = app.people().await;
        let b = app.backend;
        let created = post_form(
            app,
            &p.requester,
            "/api/v1/tickets",
            ticket_form(
                "soporte_equipo",
                "Nombres raros",
                &[("../../etc/passwd", TEXT), ("factura\u{202E}fdp.txt", TEXT)],
            ),
        )
        .await
        .expect(201);
        let files = listed(app, &p.requester, &number(&created)).await;
        assert_eq!(names(&files), ["passwd", "facturafdp.txt"], "{b}");
        let resp = app.get(&p.requester, &url(&files[0])).await;
        assert!(
            header(&resp, "content-disposition").contains("filename*=UTF-8''passwd"),
            "{b}: {:?}",
            resp.headers
        );
    })
    .await;
}

#[tokio::test]
async fn an_empty_file_is_422_empty_file() {
    each_backend(async |app| {
        let p = app.people().await;
        let b = app.backend;
        let error = post_form(
            app,
            &p.requester,
            "/api/v1/tickets",
            ticket_form("soporte_equipo", "Vacío", &[("vacio.pdf", b"")]),
        )
        .await
        .expect_error(422, "empty_file");
        assert_eq!(error["file"], "vacio.pdf", "{b}");
        let mut body = request_body("soporte_equipo", "Vacío");
        body["attachments"] = json!([inline_file("vacio.pdf", b"")]);
        app.post_json(&p.requester, "/api/v1/tickets", body)
            .await
            .expect_error(422, "empty_file");
        assert_eq!(app.ticket_count(&p.dispatcher).await, 0, "{b}");
    })
    .await;
}

/// Sends `head` then `body` over a fresh connection, optionally closing the
/// sending side after, and reads the answer: status and JSON body.
async fn raw_exchange(app: &TestApp, head: &str, body: &[u8], close_sending: bool) -> (u16, Value) {
    let addr = app.base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(addr)
        .await
        .expect("connect to the server");
    stream.write_all(head.as_bytes()).await.expect("send head");
    stream.write_all(body).await.expect("send body");
    if close_sending {
        stream.shutdown().await.expect("close the sending side");
    }
    // Only a guard against a hung test, not a measure: the answer is expected
    // without any more of the body being sent.
    tokio::time::timeout(Duration::from_secs(30), read_answer(&mut stream))
        .await
        .expect("an answer")
}

async fn read_answer(stream: &mut tokio::net::TcpStream) -> (u16, Value) {
    let mut received = Vec::new();
    let mut chunk = [0_u8; 4096];
    loop {
        if let Some(end) = received.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&received[..end]).to_lowercase();
            let status: u16 = head
                .split_whitespace()
                .nth(1)
                .and_then(|s| s.parse().ok())
                .unwrap_or_else(|| panic!("no status line: {head}"));
            let length: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or_else(|| panic!("no content-length: {head}"));
            let body_start = end + 4;
            if received.len() >= body_start + length {
                let body = &received[body_start..body_start + length];
                let json = serde_json::from_slice(body).unwrap_or_else(|e| {
                    panic!("answer not JSON ({e}): {}", String::from_utf8_lossy(body))
                });
                return (status, json);
            }
        }
        let read = stream.read(&mut chunk).await.expect("read the answer");
        assert!(
            read > 0,
            "connection closed before a full answer: {}",
            String::from_utf8_lossy(&received)
        );
        received.extend_from_slice(&chunk[..read]);
    }
}

fn post_head(app: &TestApp, token: &str, path: &str, content_type: &str, length: u64) -> String {
    let host = app.base.trim_start_matches("http://");
    format!(
        "POST {path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: {content_type}\r\nContent-Length: {length}\r\n\r\n"
    )
}

const BOUNDARY: &str = "sau-prueba-limite";

#[tokio::test]
async fn a_body_declared_too_large_is_413_before_it_is_sent() {
    each_backend(async |app| {
        let p = app.people().await;
        let b = app.backend;
        let huge = 200 * 1024 * 1024;
        let multipart = format!("multipart/form-data; boundary={BOUNDARY}");
        for content_type in [multipart.as_str(), "application/json"] {
            for path in [
                "/api/v1/tickets".to_owned(),
                "/api/v1/tickets/X/entries".to_owned(),
            ] {
                let head = post_head(app, &p.requester, &path, content_type, huge);
                let (status, body) = raw_exchange(app, &head, b"", false).await;
                assert_eq!(status, 413, "{b}: {content_type} {path}: {body}");
                assert_eq!(body["error"]["code"], "request_too_large", "{b}: {body}");
                let limit = AttachmentLimits::default().max_request_bytes;
                assert_eq!(body["error"]["limit_bytes"], limit, "{b}: {body}");
            }
        }
        assert_eq!(app.ticket_count(&p.dispatcher).await, 0, "{b}");
    })
    .await;
}

/// A multipart new request whose file part never ends.
fn truncated_multipart() -> Vec<u8> {
    let mut ticket = request_body("soporte_equipo", "Cortado");
    if let Some(obj) = ticket.as_object_mut() {
        obj.remove("attachments");
    }
    format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"ticket\"\r\n\r\n{ticket}\r\n\
         --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"parte.txt\"\r\n\
         Content-Type: text/plain\r\n\r\nLa primera mitad del archivo y nada"
    )
    .into_bytes()
}

#[tokio::test]
async fn an_interrupted_upload_is_400_and_leaves_nothing() {
    each_backend(async |app| {
        let p = app.people().await;
        let b = app.backend;
        let body = truncated_multipart();
        let content_type = format!("multipart/form-data; boundary={BOUNDARY}");
        // The whole body arrives but stops before the closing boundary…
        let head = post_head(
            app,
            &p.requester,
            "/api/v1/tickets",
            &content_type,
            body.len() as u64,
        );
        let (status, answer) = raw_exchange(app, &head, &body, false).await;
        assert_eq!(status, 400, "{b}: {answer}");
        assert_eq!(
            answer["error"]["code"], "upload_interrupted",
            "{b}: {answer}"
        );
        // …or the sender goes away before sending all it announced.
        let head = post_head(
            app,
            &p.requester,
            "/api/v1/tickets",
            &content_type,
            body.len() as u64 + 10_000,
        );
        let (status, answer) = raw_exchange(app, &head, &body, true).await;
        assert_eq!(status, 400, "{b}: {answer}");
        assert_eq!(
            answer["error"]["code"], "upload_interrupted",
            "{b}: {answer}"
        );

        assert_eq!(app.ticket_count(&p.dispatcher).await, 0, "{b}");
        assert_eq!(unfinished_uploads(app), 0, "{b}");
    })
    .await;
}

#[tokio::test]
async fn files_may_make_a_body_larger_than_the_json_limit() {
    each_backend_with(
        |builder| builder.json_limit(4096),
        async |app| {
            let p = app.people().await;
            let b = app.backend;
            let large = text_of(20_000);
            let created = post_form(
                app,
                &p.requester,
                "/api/v1/tickets",
                ticket_form(
                    "soporte_equipo",
                    "Archivo grande",
                    &[("grande.txt", &large)],
                ),
            )
            .await
            .expect(201);
            let n = number(&created);
            app.post_json(
                &p.requester,
                &format!("/api/v1/tickets/{n}/entries"),
                json!({"body": "Otra vez", "attachments": [inline_file("grande.txt", &large)]}),
            )
            .await
            .expect(201);
            let files = listed(app, &p.requester, &n).await;
            assert_eq!(names(&files), ["grande.txt", "grande.txt"], "{b}");
            assert!(files.iter().all(|f| f["size"] == 20_000), "{b}: {files:?}");

            // The text around the files is held to the JSON limit all the same.
            let mut body = request_body("soporte_equipo", "Texto enorme");
            body["description"] = json!("x".repeat(5000));
            body["attachments"] = json!([inline_file("grande.txt", &large)]);
            app.post_json(&p.requester, "/api/v1/tickets", body)
                .await
                .expect_error(413, "payload_too_large");
            assert_eq!(app.ticket_count(&p.dispatcher).await, 1, "{b}");
        },
    )
    .await;
}

#[tokio::test]
async fn the_technician_hands_back_with_files_as_base64_or_multipart() {
    each_backend(async |app| {
        let p = app.people().await;
        let b = app.backend;
        let mut numbers = Vec::new();
        for title in ["Entrega con acta", "Entrega con foto"] {
            numbers.push(app.in_progress_ticket(&p, "soporte_equipo", title).await);
        }

        app.post_json(
            &p.technician,
            &format!("/api/v1/tickets/{}/resolve", numbers[0]),
            json!({
                "resolution": "Equipo entregado; adjunto el acta firmada.",
                "attention_mode": "in_person",
                "attachments": [inline_file("acta.pdf", PDF)],
            }),
        )
        .await
        .expect(200);

        let resolution = json!({"resolution": "Pantalla cambiada.", "attention_mode": "in_person"});
        let form = Form::new()
            .text("resolution", resolution.to_string())
            .part("files", file_part("pantalla.png", &png()));
        post_form(
            app,
            &p.technician,
            &format!("/api/v1/tickets/{}/resolve", numbers[1]),
            form,
        )
        .await
        .expect(200);

        for (n, name) in numbers.iter().zip(["acta.pdf", "pantalla.png"]) {
            let detail = app.ticket(&p.requester, n).await;
            assert_eq!(detail["state"], "resolved", "{b}");
            let entries = detail["entries"].as_array().expect("entries");
            let resolution = entries
                .iter()
                .find(|e| e["kind"] == "resolution")
                .expect("the resolution entry");
            let files = resolution["attachments"].as_array().expect("attachments");
            assert_eq!(names(files), [name], "{b}: the requester sees the file");
        }

        // A refused file refuses the hand-back: the ticket stays in progress.
        let n = app
            .in_progress_ticket(&p, "soporte_equipo", "Entrega rechazada")
            .await;
        let form = Form::new().text("resolution", resolution.to_string()).part(
            "files",
            file_part("acta.pdf", b"<html><script>x</script></html>"),
        );
        post_form(
            app,
            &p.technician,
            &format!("/api/v1/tickets/{n}/resolve"),
            form,
        )
        .await
        .expect_error(415, "unsupported_file_type");
        assert_eq!(
            app.ticket(&p.requester, &n).await["state"],
            "in_progress",
            "{b}"
        );
    })
    .await;
}

/// Every file under the blob store, finished or still being written.
fn stored_files(app: &TestApp) -> usize {
    fn count(dir: &std::path::Path) -> usize {
        std::fs::read_dir(dir).map_or(0, |entries| {
            entries
                .flatten()
                .map(|e| {
                    let path = e.path();
                    if path.is_dir() { count(&path) } else { 1 }
                })
                .sum()
        })
    }
    count(app.service.blob_root())
}

#[tokio::test]
async fn files_for_a_command_its_sender_may_not_give_are_never_stored() {
    each_backend(async |app| {
        let p = app.people().await;
        let b = app.backend;
        let n = app.in_progress_ticket(&p, "soporte_equipo", "Ajeno").await;
        let before = stored_files(app);
        let entry = json!({"body": "Adjunto"});
        let resolution = json!({"resolution": "Hecho", "attention_mode": "in_person"});
        let attempts = [
            // A ticket that does not exist.
            (
                &p.requester,
                "/api/v1/tickets/2000010110000011/entries".to_owned(),
                "entry",
                entry.clone(),
                404,
            ),
            // Someone else's work: only the assigned technician resolves.
            (
                &p.technician2,
                format!("/api/v1/tickets/{n}/resolve"),
                "resolution",
                resolution.clone(),
                403,
            ),
        ];
        for (token, path, part, json, status) in attempts {
            let form = Form::new()
                .text(part, json.to_string())
                .part("files", file_part("oficio.pdf", PDF));
            let answer = post_form(app, token, &path, form).await;
            assert_eq!(
                answer.status.as_u16(),
                status,
                "{b}: {path}: {}",
                answer.text
            );
            let mut inline = json.clone();
            inline["attachments"] = json!([inline_file("oficio.pdf", PDF)]);
            let answer = app.post_json(token, &path, inline).await;
            assert_eq!(
                answer.status.as_u16(),
                status,
                "{b}: {path}: {}",
                answer.text
            );
        }
        assert_eq!(
            stored_files(app),
            before,
            "{b}: a refused command left files"
        );
    })
    .await;
}

/// Sends a chunked JSON body one byte at a time, a byte every 200 ms, until the
/// server answers; returns the answer's status.
async fn trickle(app: &TestApp, token: &str) -> u16 {
    let addr = app.base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let head = format!(
        "POST /api/v1/tickets HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).await.expect("head");
    let (mut reading, mut writing) = stream.into_split();
    let sender = tokio::spawn(async move {
        while writing.write_all(b"1\r\n \r\n").await.is_ok() {
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    });
    let mut answer = [0_u8; 64];
    // A guard against a hung test, not a measure.
    let read = tokio::time::timeout(Duration::from_secs(60), reading.read(&mut answer))
        .await
        .expect("the server cuts a trickle off")
        .expect("read");
    sender.abort();
    String::from_utf8_lossy(&answer[..read])
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("a status line")
}

#[tokio::test]
async fn trickling_bodies_are_cut_off_and_do_not_block_other_uploads() {
    let pace = sau_web::BodyPace {
        grace: Duration::from_secs(1),
        min_bytes_per_second: 1024,
        turn_wait: Duration::from_secs(30),
    };
    crate::support::each_backend_with(
        // Small enough that the upload below needs a turn as a large body.
        |b| b.body_pace(pace).json_limit(2048),
        async |app| {
            let p = app.people().await;
            let b = app.backend;
            let mut body = request_body("requerimiento", "A tiempo");
            body["attachments"] = json!([inline_file("acta.txt", &text_of(8 * 1024))]);
            // Two trickles take both turns for large JSON bodies...
            let first = trickle(app, &p.requester);
            let second = trickle(app, &p.requester);
            // ...and a real upload arriving meanwhile still gets its turn.
            let upload = async {
                tokio::time::sleep(Duration::from_millis(300)).await;
                app.post_json(
                    &p.requester,
                    "/api/v1/tickets",
                    request_body("requerimiento", "A tiempo"),
                )
                .await
            };
            let (first, second, upload) = tokio::join!(first, second, upload);
            assert_eq!((first, second), (408, 408), "{b}");
            assert_eq!(upload.status.as_u16(), 201, "{b}: {}", upload.text);
        },
    )
    .await;
}

#[tokio::test]
async fn a_page_whose_markup_starts_late_is_refused_and_text_loses_active_extensions() {
    each_backend(async |app| {
        let p = app.people().await;
        let b = app.backend;
        let mut page = "Estimados señores: adjunto el oficio solicitado.\n".repeat(60);
        assert!(page.len() > 1024);
        page.push_str("<img src=x onerror=alert(document.cookie)>");
        let n = app
            .submit_number(&p.requester, "soporte_equipo", "Oficio")
            .await;
        let form = entry_form(
            json!({"body": "El oficio"}),
            &[("oficio.html", page.as_bytes())],
        );
        let path = format!("/api/v1/tickets/{n}/entries");
        let error = post_form(app, &p.requester, &path, form)
            .await
            .expect_error(415, "unsupported_file_type");
        assert_eq!(error["file"], "oficio.html", "{b}: {error}");
        // Plain text sent under an active name is kept as text.
        let text = "Extensión 2145 sin tono desde el lunes.\n";
        let form = entry_form(json!({"body": "Nota"}), &[("nota.html", text.as_bytes())]);
        post_form(app, &p.requester, &path, form).await.expect(201);
        let files = listed(app, &p.requester, &n).await;
        assert_eq!(names(&files), ["nota.html.txt"], "{b}: {files:?}");
    })
    .await;
}
