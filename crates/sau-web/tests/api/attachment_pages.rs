//! Attachments in the web pages: forms that carry files, their listing, and downloads with the session.

use crate::browser::{answer, browser, element, form_token, sign_in};
use crate::support::{People, TestApp, each_backend, each_backend_with};
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use serde_json::json;

const PDF: &[u8] = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n";
const PNG: &[u8] =
    b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";
const TIFF: &[u8] = b"II*\0\x08\0\0\0\x01\0\0\x01\x03\0\x01\0\0\0\x01\0\0\0";
const HTML: &[u8] = b"<!doctype html><html><body><script>alert(1)</script></body></html>";

/// A file part of the form: name, MIME type as the browser guesses it, bytes.
struct Upload(&'static str, &'static str, Vec<u8>);

fn file(name: &'static str, mime: &'static str, bytes: &[u8]) -> Upload {
    Upload(name, mime, bytes.to_vec())
}

/// A multipart form as a browser sends it: the text fields in order, then the
/// files, each under `files`.
fn multipart(fields: &[(&str, &str)], files: Vec<Upload>) -> Form {
    let mut form = Form::new();
    for (name, value) in fields {
        form = form.text(name.to_string(), value.to_string());
    }
    for Upload(name, mime, bytes) in files {
        let part = Part::bytes(bytes)
            .file_name(name)
            .mime_str(mime)
            .expect("MIME type");
        form = form.part("files", part);
    }
    form
}

async fn send(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    form: Form,
) -> (StatusCode, Option<String>, String) {
    answer(
        client
            .post(app.url(path))
            .multipart(form)
            .send()
            .await
            .expect("POST"),
    )
    .await
}

async fn page(app: &TestApp, client: &reqwest::Client, path: &str) -> (StatusCode, String) {
    let response = client.get(app.url(path)).send().await.expect("GET");
    let status = response.status();
    (status, response.text().await.expect("body"))
}

/// The fields of a valid `requerimiento`, the category that requires a document.
fn requirement<'a>(token: &'a str, title: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("csrf_token", token),
        ("category", "requerimiento"),
        ("title", title),
        ("description", "Adjunto el oficio escaneado."),
        ("priority", "3"),
        ("field.referencia", "OF-2025-117"),
    ]
}

/// The download address of the file listed as `name` on a page.
fn download_link(html: &str, name: &str) -> String {
    let end = html
        .find(&format!("\" download>{name}</a>"))
        .unwrap_or_else(|| panic!("no download link for {name} in {html}"));
    let start = html[..end].rfind("href=\"").expect("href") + "href=\"".len();
    html[start..end].to_owned()
}

/// The ticket's current version as its page's forms carry it.
fn form_version(html: &str) -> String {
    let marker = "name=\"version\" value=\"";
    let start = html.find(marker).expect("a version field") + marker.len();
    html[start..].split('"').next().expect("version").to_owned()
}

/// A `soporte_equipo` request assigned to and accepted by `tecnico`.
async fn ticket_in_progress(app: &TestApp, people: &People) -> String {
    let number = app
        .submit_number(
            &people.requester,
            "soporte_equipo",
            "La impresora no imprime",
        )
        .await;
    app.ok(
        &people.dispatcher,
        &number,
        "assign",
        json!({"technician": "tecnico"}),
    )
    .await;
    app.ok(&people.technician, &number, "accept", json!({}))
        .await;
    number
}

#[tokio::test]
async fn a_request_with_documents_goes_to_its_page_listing_each_with_link_and_size() {
    each_backend(async |app| {
        let client = browser();
        let token = sign_in(app, &client, "solicitante").await;
        let (status, html) = page(app, &client, "/requests/new?category=requerimiento").await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("enctype=\"multipart/form-data\""), "{html}");
        let form = &html[html.find("id=\"request-form\"").expect("the form")..];
        let first_field = &form[form.find("<input").expect("an input")..];
        assert!(
            first_field.starts_with("<input type=\"hidden\" name=\"csrf_token\""),
            "the token is the form's first field: {first_field}"
        );
        assert!(html.contains("name=\"files\" multiple accept=\"application/pdf,.pdf,"));
        assert!(html.contains("accept=\"image/*\" capture=\"environment\""));
        assert!(
            html.contains(
                "Hasta 10 archivos de 20 MiB cada uno, 50 MiB en total. Se admiten: PDF, PNG, JPEG"
            ),
            "{html}"
        );

        let fields = requirement(&token, "Oficio con anexos");
        let files = vec![
            file("Oficio núm. 117.pdf", "application/pdf", PDF),
            file("foto.png", "image/png", PNG),
            file("escaneo.tiff", "image/tiff", TIFF),
        ];
        let (status, location, _) = send(app, &client, "/requests", multipart(&fields, files)).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let to = location.expect("location");
        assert!(to.starts_with("/requests/"), "{to}");

        let (status, html) = page(app, &client, &to).await;
        assert_eq!(status, StatusCode::OK);
        let pdf = download_link(&html, "Oficio núm. 117.pdf");
        let png = download_link(&html, "foto.png");
        let tiff = download_link(&html, "escaneo.tiff");
        for link in [&pdf, &png, &tiff] {
            assert!(link.starts_with("/attachments/"), "{link}");
        }
        assert!(html.contains(&format!("PDF · {} bytes", PDF.len())), "{html}");
        assert!(html.contains(&format!("href=\"{pdf}?inline=1\">Ver")), "{html}");
        assert!(
            html.contains(&format!(
                "<img class=\"attachment-thumb\" src=\"{png}?inline=1\" loading=\"lazy\" alt=\"Vista previa de «foto.png»\">"
            )),
            "{html}"
        );
        assert!(!html.contains(&format!("src=\"{tiff}?inline=1\"")), "no thumbnail of a TIFF");
        assert!(!html.contains(&format!("src=\"{pdf}?inline=1\"")), "no thumbnail of a PDF");

        // Downloaded through the session: the same bytes, as a download.
        let response = client.get(app.url(&pdf)).send().await.expect("GET");
        assert_eq!(response.status(), StatusCode::OK);
        let headers = response.headers().clone();
        assert_eq!(headers["content-type"], "application/pdf");
        assert_eq!(headers["x-content-type-options"], "nosniff");
        let disposition = headers["content-disposition"].to_str().expect("ascii");
        assert!(disposition.starts_with("attachment;"), "{disposition}");
        assert!(disposition.contains("filename*=UTF-8''Oficio%20n%C3%BAm.%20117.pdf"));
        assert_eq!(
            headers["content-security-policy"], "sandbox",
            "the page's own policy does not replace the file's sandbox"
        );
        assert_eq!(response.bytes().await.expect("bytes").as_ref(), PDF);
        // The browser's cached copy is still good: nothing sent again.
        let response = client
            .get(app.url(&pdf))
            .header("if-none-match", headers["etag"].clone())
            .send()
            .await
            .expect("GET");
        assert_eq!(response.status(), StatusCode::NOT_MODIFIED);
        // Shown in the browser when asked, an image too.
        let response = client
            .get(app.url(&format!("{png}?inline=1")))
            .send()
            .await
            .expect("GET");
        assert_eq!(response.status(), StatusCode::OK);
        assert!(
            response.headers()["content-disposition"]
                .to_str()
                .expect("ascii")
                .starts_with("inline;")
        );
        assert_eq!(response.bytes().await.expect("bytes").as_ref(), PNG);

        // Nobody else's: another requester and a visitor do not get it.
        app.add_user("otra", &[sau_domain::Role::Requester]).await;
        let stranger = browser();
        crate::browser::sign_in_with(app, &stranger, "otra", "otra-clave-segura").await;
        let (status, html) = page(app, &stranger, &pdf).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(html.contains("<html"), "the HTML 404 page: {html}");
        let (status, _) = page(app, &browser(), &pdf).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "a visitor is sent to sign in");
        let (status, _) = page(app, &client, "/attachments/999999").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    })
    .await;
}

#[tokio::test]
async fn a_multipart_form_without_the_token_first_is_refused_and_files_nothing() {
    each_backend(async |app| {
        let people = app.people().await;
        let before = app.ticket_count(&people.dispatcher).await;
        let client = browser();
        let token = sign_in(app, &client, "solicitante").await;
        let with_token = requirement(&token, "Sin token");
        let without: Vec<_> = with_token[1..].to_vec();
        let pdf = || vec![file("oficio.pdf", "application/pdf", PDF)];

        let (status, _, html) = send(app, &client, "/requests", multipart(&without, pdf())).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{html}");

        let mut second = without.clone();
        second.insert(1, ("csrf_token", &token));
        let (status, _, _) = send(app, &client, "/requests", multipart(&second, pdf())).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "the token must come first");

        let mut wrong = with_token.clone();
        wrong[0] = ("csrf_token", "0000");
        let (status, _, _) = send(app, &client, "/requests", multipart(&wrong, pdf())).await;
        assert_eq!(status, StatusCode::FORBIDDEN);

        // The script also sends the token as a header, which the middleware checks.
        let response = client
            .post(app.url("/requests"))
            .header("x-csrf-token", "0000")
            .multipart(multipart(&with_token, pdf()))
            .send()
            .await
            .expect("POST");
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "a wrong header");

        assert_eq!(app.ticket_count(&people.dispatcher).await, before);

        let response = client
            .post(app.url("/requests"))
            .header("x-csrf-token", &token)
            .multipart(multipart(&with_token, pdf()))
            .send()
            .await
            .expect("POST");
        assert_eq!(
            response.status(),
            StatusCode::SEE_OTHER,
            "as upload.js sends it"
        );
        assert_eq!(app.ticket_count(&people.dispatcher).await, before + 1);
    })
    .await;
}

#[tokio::test]
async fn a_requirement_without_a_document_comes_back_with_the_problem_at_the_file_input() {
    each_backend(async |app| {
        let people = app.people().await;
        let before = app.ticket_count(&people.dispatcher).await;
        let client = browser();
        let token = sign_in(app, &client, "solicitante").await;
        let fields = requirement(&token, "Oficio sin anexo");
        let (status, _, html) = send(app, &client, "/requests", multipart(&fields, vec![])).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
        assert!(
            html.contains("value=\"Oficio sin anexo\""),
            "the title is kept"
        );
        assert!(html.contains(">Adjunto el oficio escaneado.</textarea>"));
        let input = element(&html, "request-files");
        assert!(input.contains("aria-invalid=\"true\""), "{input}");
        assert!(input.contains("request-files-error"), "{input}");
        let error = element(&html, "request-files-error");
        assert!(error.contains("Adjunte al menos un documento"), "{error}");
        assert_eq!(app.ticket_count(&people.dispatcher).await, before);
    })
    .await;
}

#[tokio::test]
async fn a_page_renamed_pdf_is_refused_naming_the_accepted_kinds() {
    each_backend(async |app| {
        let people = app.people().await;
        let before = app.ticket_count(&people.dispatcher).await;
        let client = browser();
        let token = sign_in(app, &client, "solicitante").await;
        let fields = requirement(&token, "Oficio falso");
        let files = vec![file("oficio.pdf", "application/pdf", HTML)];
        let (status, _, html) = send(
            app,
            &client,
            "/requests?category=requerimiento",
            multipart(&fields, files),
        )
        .await;
        assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{html}");
        assert!(
            html.contains("Revise los datos marcados"),
            "the summary: {html}"
        );
        let error = element(&html, "request-files-error");
        assert!(
            error.contains("«oficio.pdf» no es de un tipo admitido. Se admiten: PDF, PNG, JPEG"),
            "{error}"
        );
        assert!(
            element(&html, "request-files-again").contains("elíjalos de nuevo"),
            "{html}"
        );
        // Sent without the page's script, the typed text still comes back.
        assert!(html.contains("value=\"Oficio falso\""), "the title is kept");
        assert!(html.contains(">Adjunto el oficio escaneado.</textarea>"));
        assert_eq!(app.ticket_count(&people.dispatcher).await, before);
    })
    .await;
}

#[tokio::test]
async fn a_file_over_the_limit_is_refused_naming_the_limit() {
    let limits = sau_domain::AttachmentLimits {
        max_file_bytes: 1024,
        max_request_bytes: 4096,
        ..Default::default()
    };
    each_backend_with(
        |b| b.attachment_limits(limits.clone()),
        async |app| {
            let client = browser();
            let token = sign_in(app, &client, "solicitante").await;
            let (_, html) = page(app, &client, "/requests/new?category=requerimiento").await;
            assert!(html.contains("Hasta 10 archivos de 1 KiB cada uno, 4 KiB en total."));
            let mut big = PDF.to_vec();
            big.resize(1025, b' ');
            let fields = requirement(&token, "Oficio pesado");
            let files = vec![Upload("grande.pdf", "application/pdf", big)];
            let (status, _, html) = send(
                app,
                &client,
                "/requests?category=requerimiento",
                multipart(&fields, files),
            )
            .await;
            assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{html}");
            let error = element(&html, "request-files-error");
            assert!(
                error.contains("«grande.pdf» supera el límite de 1 KiB por archivo"),
                "{error}"
            );
        },
    )
    .await;
}

#[tokio::test]
async fn the_requester_replies_with_a_photo_and_no_text() {
    each_backend(async |app| {
        let people = app.people().await;
        let number = ticket_in_progress(app, &people).await;
        let client = browser();
        sign_in(app, &client, "solicitante").await;
        let path = format!("/requests/{number}");
        let (_, html) = page(app, &client, &path).await;
        let token = form_token(&html);
        let fields = [("csrf_token", token.as_str()), ("body", "")];
        let files = vec![file("impresora.png", "image/png", PNG)];
        let (status, location, body) = send(
            app,
            &client,
            &format!("{path}/reply"),
            multipart(&fields, files),
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
        assert_eq!(location.as_deref(), Some(path.as_str()));
        let (_, html) = page(app, &client, &path).await;
        let link = download_link(&html, "impresora.png");
        assert!(html.contains(&format!("src=\"{link}?inline=1\"")), "{html}");
        assert!(
            !html.contains("<p class=\"mb-0\"></p>"),
            "an entry of files only has no empty paragraph: {html}"
        );
    })
    .await;
}

#[tokio::test]
async fn an_internal_note_with_a_file_is_neither_listed_nor_served_to_the_requester() {
    each_backend(async |app| {
        let people = app.people().await;
        let number = ticket_in_progress(app, &people).await;
        let agent = browser();
        sign_in(app, &agent, "tecnico").await;
        let ticket = format!("/tickets/{number}");
        let (_, html) = page(app, &agent, &ticket).await;
        assert!(
            html.contains(&format!(
                "action=\"/tickets/{number}/comment\" class=\"card card-body mt-3 comment-box\" enctype=\"multipart/form-data\""
            )),
            "{html}"
        );
        let token = form_token(&html);
        let version = form_version(&html);
        let fields = [
            ("csrf_token", token.as_str()),
            ("version", version.as_str()),
            ("body", "Diagnóstico del fabricante"),
            ("visibility", "internal"),
        ];
        let files = vec![file("diagnostico.pdf", "application/pdf", PDF)];
        let (status, location, body) = send(
            app,
            &agent,
            &format!("{ticket}/comment"),
            multipart(&fields, files),
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
        assert_eq!(location.as_deref(), Some(ticket.as_str()));
        let (_, html) = page(app, &agent, &ticket).await;
        let link = download_link(&html, "diagnostico.pdf");
        let (status, _) = page(app, &agent, &link).await;
        assert_eq!(status, StatusCode::OK, "the agent downloads it");

        let requester = browser();
        sign_in(app, &requester, "solicitante").await;
        let (_, html) = page(app, &requester, &format!("/requests/{number}")).await;
        assert!(!html.contains("diagnostico.pdf"), "{html}");
        assert!(!html.contains("Diagnóstico del fabricante"));
        let (status, html) = page(app, &requester, &link).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{html}");
    })
    .await;
}

#[tokio::test]
async fn the_technician_comments_and_resolves_with_files_the_requester_sees() {
    each_backend(async |app| {
        let people = app.people().await;
        let number = ticket_in_progress(app, &people).await;
        let agent = browser();
        sign_in(app, &agent, "tecnico").await;
        let ticket = format!("/tickets/{number}");

        // A public comment of files alone.
        let (_, html) = page(app, &agent, &ticket).await;
        let (token, version) = (form_token(&html), form_version(&html));
        let fields = [
            ("csrf_token", token.as_str()),
            ("version", version.as_str()),
            ("body", ""),
            ("visibility", "public"),
        ];
        let files = vec![file("cotizacion.pdf", "application/pdf", PDF)];
        let (status, _, body) = send(
            app,
            &agent,
            &format!("{ticket}/comment"),
            multipart(&fields, files),
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{body}");

        // The resolution with the signed delivery record.
        let (_, html) = page(app, &agent, &ticket).await;
        let version = form_version(&html);
        let fields = [
            ("csrf_token", token.as_str()),
            ("version", version.as_str()),
            ("resolution", "Se cambió el fusor."),
            ("attention_mode", "in_person"),
            ("remote_tool", "AnyDesk"),
            ("remote_id", ""),
        ];
        let files = vec![file("acta.png", "image/png", PNG)];
        let (status, _, body) = send(
            app,
            &agent,
            &format!("{ticket}/resolve"),
            multipart(&fields, files),
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
        let (_, html) = page(app, &agent, &ticket).await;
        assert!(html.contains("badge state-resolved"), "{html}");
        download_link(&html, "acta.png");

        let requester = browser();
        sign_in(app, &requester, "solicitante").await;
        let (_, html) = page(app, &requester, &format!("/requests/{number}")).await;
        let quote = download_link(&html, "cotizacion.pdf");
        let record = download_link(&html, "acta.png");
        assert!(html.contains(&format!("src=\"{record}?inline=1\"")));
        let (status, _) = page(app, &requester, &quote).await;
        assert_eq!(status, StatusCode::OK);

        // A refused file on the comment form comes back beside its input.
        let (_, html) = page(app, &agent, &ticket).await;
        let version = form_version(&html);
        let fields = [
            ("csrf_token", token.as_str()),
            ("version", version.as_str()),
            ("body", "Otra"),
            ("visibility", "internal"),
        ];
        let files = vec![file("pagina.pdf", "application/pdf", HTML)];
        let (status, _, html) = send(
            app,
            &agent,
            &format!("{ticket}/comment"),
            multipart(&fields, files),
        )
        .await;
        // Resolved tickets still take notes; the file is what is refused.
        assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{html}");
        assert!(element(&html, "comment-files-error").contains("«pagina.pdf»"));
        assert!(html.contains(">Otra</textarea>"), "the note is kept");
    })
    .await;
}
