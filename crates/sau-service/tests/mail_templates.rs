//! The admin's own mail wording, on every backend: a template rewritten is
//! what the next notice says; one that does not compile or render is refused
//! with its line; the preview renders unsaved text; the layout can be
//! rewritten too; going back restores the shipped wording; only admins edit.

mod common;

use common::{caller, printer_request};
use sau_service::testing::mail_settings;
use sau_service::{Caller, MAIL_LAYOUT, Service, ServiceSettings};
use sau_store::testing::{TestDatabase, backends};

async fn service_on(backend: &'static str) -> (Service, TestDatabase) {
    let db = TestDatabase::new(backend).await;
    let settings = ServiceSettings {
        mail: Some(mail_settings("smtp://127.0.0.1:9")),
        ..ServiceSettings::default()
    };
    let service = Service::new(db.open().await, settings, db.blobs());
    service.seed_demo().await.expect("demo data");
    (service, db)
}

/// The subject of the receipt the requester gets for a new request.
async fn receipt_subject(service: &Service, title: &str) -> String {
    let requester = caller(service, "solicitante").await;
    service
        .submit(&requester, printer_request(title), "web")
        .await
        .expect("submitted");
    service.run_due_jobs().await.expect("notify");
    service
        .outbox(&Caller::System, None)
        .await
        .expect("outbox")
        .into_iter()
        .find(|m| m.notice == "received" && m.subject.ends_with(title))
        .map(|m| m.subject)
        .expect("the receipt")
}

const EDITED: &str = "{% block subject %}Ya tenemos su pedido: {{ title }}{% endblock %}\n\
    {% block text %}Hola {{ recipient }}, registramos «{{ title }}» con el número {{ number }}.{% endblock %}\n";

#[tokio::test]
async fn an_edited_template_is_what_the_next_mail_says() {
    for backend in backends() {
        let (service, _db) = service_on(backend).await;
        let admin = caller(&service, "admin").await;
        let before = receipt_subject(&service, "Uno").await;
        assert!(before.contains("Recibimos su solicitud: Uno"), "{before}");

        let preview = service
            .preview_mail_template(&admin, "received", "es", EDITED)
            .await
            .expect("allowed")
            .expect("renders");
        assert!(
            preview
                .subject
                .starts_with("[Ticket#2026120710000011] Ya tenemos su pedido"),
            "{}",
            preview.subject
        );
        assert!(preview.text.contains("Ana Pérez"), "{}", preview.text);
        assert!(preview.html.contains("Ya tenemos") || preview.html.contains("registramos"));
        // A preview saves nothing.
        assert!(
            !service
                .mail_template(&admin, "received", "es")
                .await
                .expect("template")
                .entry
                .edited
        );

        service
            .save_mail_template(&admin, "received", "es", EDITED)
            .await
            .expect("allowed")
            .expect("saved");
        let after = receipt_subject(&service, "Dos").await;
        assert!(
            after.contains("Ya tenemos su pedido: Dos"),
            "{backend}: {after}"
        );

        service
            .reset_mail_template(&admin, "received", "es")
            .await
            .expect("reset");
        let back = receipt_subject(&service, "Tres").await;
        assert!(back.contains("Recibimos su solicitud: Tres"), "{back}");
    }
}

#[tokio::test]
async fn a_broken_template_is_refused_with_its_line() {
    let (service, _db) = service_on("sqlite").await;
    let admin = caller(&service, "admin").await;
    let broken =
        "{% block subject %}Hola{% endblock %}\n{% block text %}{{ title }\n{% endblock %}";
    let why = service
        .save_mail_template(&admin, "closed", "en", broken)
        .await
        .expect("allowed")
        .expect_err("refused");
    assert!(why.contains("en/closed.txt, line 2"), "{why}");
    let no_subject = "{% block text %}Only a body{% endblock %}";
    let why = service
        .preview_mail_template(&admin, "closed", "en", no_subject)
        .await
        .expect("allowed")
        .expect_err("a mail needs a subject");
    assert!(why.contains("en/closed.txt"), "{why}");
    assert!(
        !service
            .mail_template(&admin, "closed", "en")
            .await
            .expect("template")
            .entry
            .edited,
        "nothing was kept"
    );
    let desk = caller(&service, "soporte").await;
    assert!(service.mail_template_list(&desk).await.is_err());
    assert!(
        service
            .save_mail_template(&desk, "closed", "en", EDITED)
            .await
            .is_err()
    );
    assert!(
        service
            .mail_template(&admin, "nothing", "es")
            .await
            .is_err()
    );
    assert!(service.mail_template(&admin, "closed", "fr").await.is_err());
}

#[tokio::test]
async fn the_layout_is_edited_and_previewed_around_a_notice() {
    let (service, _db) = service_on("sqlite").await;
    let admin = caller(&service, "admin").await;
    let layout = service
        .mail_template(&admin, MAIL_LAYOUT, "")
        .await
        .expect("layout");
    let edited = layout.source.replace("<body", "<body data-edited=\"si\"");
    let preview = service
        .preview_mail_template(&admin, MAIL_LAYOUT, "", &edited)
        .await
        .expect("allowed")
        .expect("renders");
    assert!(preview.html.contains("data-edited=\"si\""));
    service
        .save_mail_template(&admin, MAIL_LAYOUT, "", &edited)
        .await
        .expect("allowed")
        .expect("saved");
    let list = service.mail_template_list(&admin).await.expect("list");
    // Seventeen notices, two languages, a text and an HTML body each; the layout.
    assert_eq!(list.len(), 17 * 2 * 2 + 1);
    assert!(list.iter().any(|t| t.name == MAIL_LAYOUT && t.edited));
}

#[tokio::test]
async fn a_notice_gets_an_html_body_of_its_own_escaped_and_its_text_is_left_alone() {
    for backend in backends() {
        let (service, _db) = service_on(backend).await;
        let admin = caller(&service, "admin").await;
        let list = service.mail_template_list(&admin).await.expect("list");
        assert!(
            list.iter()
                .any(|t| t.name == "received.html" && t.lang == "en" && !t.edited),
            "each notice's HTML body is listed: {list:?}"
        );
        // It ships as the text's paragraphs.
        let shipped = service
            .mail_template(&admin, "received.html", "es")
            .await
            .expect("template");
        assert!(shipped.source.contains("paragraphs"), "{}", shipped.source);

        let own = "<h2 style=\"color:#0b5394\">Pedido {{ number }}</h2>\
                   <p>{{ title }}</p><p><a href=\"{{ link }}\">Ver</a></p>";
        service
            .save_mail_template(&admin, "received.html", "es", own)
            .await
            .expect("allowed")
            .expect("renders");
        let title = "Pantalla <script>alert(1)</script>";
        let requester = caller(&service, "solicitante").await;
        service
            .submit(&requester, printer_request(title), "web")
            .await
            .expect("submitted");
        service.run_due_jobs().await.expect("notify");
        let outbox = service.outbox(&Caller::System, None).await.expect("outbox");
        let receipt = outbox
            .iter()
            .find(|m| m.notice == "received")
            .expect("the receipt");
        assert!(
            receipt.html.contains("<h2 style=\"color:#0b5394\">Pedido "),
            "{backend}: {}",
            receipt.html
        );
        assert!(
            receipt
                .html
                .contains("Pantalla &lt;script&gt;alert(1)&lt;&#x2f;script&gt;"),
            "{backend}: the title is escaped: {}",
            receipt.html
        );
        assert!(!receipt.html.contains("<script>"), "{}", receipt.html);
        // The text part keeps its own wording, and the other notices their
        // paragraphs.
        assert!(
            receipt.text.contains("Recibimos su solicitud"),
            "{}",
            receipt.text
        );
        let new_request = outbox
            .iter()
            .find(|m| m.notice == "new_request")
            .expect("the dispatchers' notice");
        assert!(
            new_request.html.contains("<p style=\"margin:0 0 12px;\">"),
            "{}",
            new_request.html
        );

        service
            .reset_mail_template(&admin, "received.html", "es")
            .await
            .expect("reset");
        let preview = service
            .preview_mail_template(&admin, "received", "es", &shipped_text(&service).await)
            .await
            .expect("allowed")
            .expect("renders");
        assert!(!preview.html.contains("#0b5394"), "{}", preview.html);
    }
}

async fn shipped_text(service: &Service) -> String {
    let admin = caller(service, "admin").await;
    service
        .mail_template(&admin, "received", "es")
        .await
        .expect("template")
        .shipped
}
