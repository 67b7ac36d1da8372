//! Every notice SAU sends, received by a real SMTP server on loopback
//! (aiosmtpd, from PyPI), in Spanish and in English: one ticket walks every
//! step the manual knows (and the director's reopening and cancelling), and
//! each person it concerns gets exactly the mails the procedure promises, in
//! their language, threaded by ticket, marked as automatic, with no internal
//! note in any of them.

mod common;

use common::{assign_to, caller, printer_request};
use sau_domain::{AttentionMode, Visibility};
use sau_service::testing::mail_settings;
use sau_service::testing::{ReceivedMail, SmtpSink};
use sau_service::{Action, JobSettings, Service, ServiceSettings};
use sau_store::testing::{TestDatabase, backends};
use std::collections::HashSet;

const PEOPLE: [&str; 4] = ["solicitante", "soporte", "tecnico", "director"];

/// What each notice's subject says after `[Ticket#N] ` and before the title,
/// written out here by hand for both languages.
fn phrase(notice: &str, language: &str) -> &'static str {
    match (notice, language) {
        ("received", "es") => "Recibimos su solicitud: ",
        ("received", _) => "We received your request: ",
        ("new_request", "es") => "Nueva solicitud: ",
        ("new_request", _) => "New request: ",
        ("assigned", "es") => "Su solicitud está asignada: ",
        ("assigned", _) => "Your request is assigned: ",
        ("assigned_to_you", "es") => "Le asignaron: ",
        ("assigned_to_you", _) => "Assigned to you: ",
        ("answered", "es") => "Respuesta a su solicitud: ",
        ("answered", _) => "Reply to your request: ",
        ("requester_wrote", "es") => " escribió: ",
        ("requester_wrote", _) => " wrote: ",
        ("resolved", "es") => "Su solicitud fue resuelta: ",
        ("resolved", _) => "Your request was resolved: ",
        ("handed_back", "es") => "Resuelto, por cerrar: ",
        ("handed_back", _) => "Resolved, to close: ",
        ("returned", "es") => "Seguimos con su solicitud: ",
        ("returned", _) => "We are still on your request: ",
        ("returned_to_you", "es") => "Le devolvieron: ",
        ("returned_to_you", _) => "Returned to you: ",
        ("closed", "es") => "Su solicitud fue cerrada: ",
        ("closed", _) => "Your request was closed: ",
        ("reopened", "es") => "Su solicitud fue reabierta: ",
        ("reopened", _) => "Your request was reopened: ",
        ("reopened_for_supervisor", "es") => "Ticket reabierto: ",
        ("reopened_for_supervisor", _) => "Ticket reopened: ",
        ("cancelled", "es") => "Su solicitud fue cancelada: ",
        ("cancelled", _) => "Your request was cancelled: ",
        ("cancelled_for_supervisor", "es") => "Ticket cancelado: ",
        ("cancelled_for_supervisor", _) => "Ticket cancelled: ",
        other => panic!("no subject written for {other:?}"),
    }
}

/// Who is told what, step by step, as the procedure promises: the person and
/// the notice.
const EXPECTED: [(&str, &str); 17] = [
    // The request arrives.
    ("solicitante", "received"),
    ("soporte", "new_request"),
    // The dispatcher assigns it.
    ("solicitante", "assigned"),
    ("tecnico", "assigned_to_you"),
    // The technician answers in public (the internal note tells nobody).
    ("solicitante", "answered"),
    // The requester writes back.
    ("tecnico", "requester_wrote"),
    // The technician hands it back as resolved.
    ("solicitante", "resolved"),
    ("soporte", "handed_back"),
    // The dispatcher returns it.
    ("solicitante", "returned"),
    ("tecnico", "returned_to_you"),
    // Resolved again…
    ("solicitante", "resolved"),
    ("soporte", "handed_back"),
    // …and closed.
    ("solicitante", "closed"),
    // The requester reopens it: the director hears.
    ("director", "reopened_for_supervisor"),
    // The dispatcher cancels it.
    ("solicitante", "cancelled"),
    ("director", "cancelled_for_supervisor"),
    // The director reopens it: the requester hears.
    ("solicitante", "reopened"),
];

fn settings(port: u16) -> ServiceSettings {
    ServiceSettings {
        mail: Some(mail_settings(format!("smtp://127.0.0.1:{port}"))),
        jobs: JobSettings {
            first_retry: jiff::SignedDuration::from_millis(10),
            longest_retry: jiff::SignedDuration::from_millis(10),
            ..JobSettings::default()
        },
        ..ServiceSettings::default()
    }
}

/// Runs due jobs until none is left.
async fn drain(service: &Service) {
    for _ in 0..100 {
        if service.run_due_jobs().await.expect("jobs run").is_empty() {
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            if service.run_due_jobs().await.expect("jobs run").is_empty() {
                return;
            }
        }
    }
}

/// Walks one ticket through every step; returns its number.
async fn walk_every_step(service: &Service, title: &str) -> String {
    let requester = caller(service, "solicitante").await;
    let desk = caller(service, "soporte").await;
    let tech = caller(service, "tecnico").await;
    let director = caller(service, "director").await;
    let ticket = service
        .submit(&requester, printer_request(title), "web")
        .await
        .expect("submitted");
    let number = ticket.ticket.number.clone();
    let comment = |body: &str, visibility| Action::Comment {
        body: body.into(),
        visibility,
        attachments: Default::default(),
    };
    let resolve = || Action::Resolve {
        resolution: "Se reinició la cola de impresión".into(),
        attention_mode: AttentionMode::Remote,
        remote_tool: Some("AnyDesk".into()),
        remote_id: Some("123 456 789".into()),
        attachments: Default::default(),
    };
    let steps = [
        (&desk, assign_to("tecnico")),
        (&tech, Action::Accept),
        (
            &tech,
            comment(
                "Nota interna: el tóner está en bodega",
                Visibility::Internal,
            ),
        ),
        (
            &tech,
            comment("Voy a revisar la cola de impresión", Visibility::Public),
        ),
        (
            &requester,
            comment("Gracias, estoy en mi escritorio", Visibility::Public),
        ),
        (&tech, resolve()),
        (
            &desk,
            Action::Return {
                reason: "Falta probar desde otra computadora".into(),
            },
        ),
        (&tech, resolve()),
        (&desk, Action::Close),
        (
            &requester,
            Action::Reopen {
                reason: "Volvió a fallar".into(),
            },
        ),
        (
            &desk,
            Action::Cancel {
                reason: "Se cambiará la impresora".into(),
            },
        ),
        (
            &director,
            Action::Reopen {
                reason: "La impresora nueva no llegó".into(),
            },
        ),
    ];
    for (who, action) in steps {
        let what = format!("{action:?}");
        service
            .act(who, &number, action, None, "web")
            .await
            .unwrap_or_else(|e| panic!("{what}: {e}"));
        // Each step's mails go before the next step, as they would live.
        drain(service).await;
    }
    number
}

/// The notice a received subject names, by its phrase in `language`.
fn notice_of(subject: &str, language: &str) -> Option<&'static str> {
    EXPECTED
        .iter()
        .map(|(_, notice)| *notice)
        .find(|notice| subject.contains(phrase(notice, language)))
}

#[tokio::test]
async fn every_notice_arrives_in_each_person_s_language_threaded_and_automatic() {
    let dir = tempfile::tempdir().expect("dir");
    for backend in backends() {
        for language in ["es", "en"] {
            let maildir = dir.path().join(format!("{backend}-{language}"));
            let sink = SmtpSink::start(&maildir, None);
            let db = TestDatabase::new(backend).await;
            let service = Service::new(db.open().await, settings(sink.port), db.blobs());
            service.seed_demo().await.expect("demo data");
            for login in PEOPLE {
                let person = caller(&service, login).await;
                service
                    .set_own_locale(&person, language)
                    .await
                    .expect("language set");
            }
            let title = format!("Impresora del tercer piso ({language})");
            let number = walk_every_step(&service, &title).await;

            let mails = sink.mails();
            let mut got: Vec<(String, &str)> = mails
                .iter()
                .map(|mail| {
                    let subject = mail.subject();
                    let notice = notice_of(&subject, language)
                        .unwrap_or_else(|| panic!("{backend}/{language}: unknown {subject:?}"));
                    let login = mail.to().split('@').next().unwrap_or("").to_owned();
                    (login, notice)
                })
                .collect();
            got.sort();
            let mut expected: Vec<(String, &str)> = EXPECTED
                .iter()
                .map(|(login, notice)| ((*login).to_owned(), *notice))
                .collect();
            expected.sort();
            assert_eq!(got, expected, "{backend}/{language}");

            let mut ids = HashSet::new();
            for mail in &mails {
                check_one(mail, &number, &title, language);
                assert!(
                    ids.insert(mail.header("message-id").to_owned()),
                    "{backend}/{language}: a Message-ID used twice"
                );
            }
            let resolution = mails
                .iter()
                .find(|m| m.subject().contains(phrase("resolved", language)))
                .expect("the resolution notice");
            assert!(
                resolution
                    .text()
                    .contains("Se reinició la cola de impresión"),
                "the resolution is in the requester's mail: {}",
                resolution.text()
            );
            let cancelled = mails
                .iter()
                .find(|m| m.subject().contains(phrase("cancelled", language)))
                .expect("the cancellation notice");
            assert!(cancelled.text().contains("Se cambiará la impresora"));
            let closed = mails
                .iter()
                .find(|m| m.subject().contains(phrase("closed", language)))
                .expect("the closing notice");
            assert!(
                closed.text().contains("https://sau.example/rate/"),
                "the closing mail carries the rating link: {}",
                closed.text()
            );
        }
    }
}

/// What every notice carries, whoever gets it.
fn check_one(mail: &ReceivedMail, number: &str, title: &str, language: &str) {
    let subject = mail.subject();
    assert!(
        subject.starts_with(&format!("[Ticket#{number}] ")),
        "{subject}"
    );
    assert!(subject.ends_with(title), "{subject}");
    assert_eq!(mail.header("auto-submitted"), "auto-generated", "{subject}");
    assert_eq!(mail.header("x-loop"), "sau@sau.example", "{subject}");
    let thread = format!("<ticket.{number}@sau.example>");
    assert_eq!(mail.header("in-reply-to"), thread, "{subject}");
    assert_eq!(mail.header("references"), thread, "{subject}");
    assert!(
        mail.header("message-id").ends_with("@sau.example>"),
        "{subject}"
    );
    // The requester's link opens their request; the team's, the ticket.
    let page = if mail.to().starts_with("solicitante@") {
        "requests"
    } else {
        "tickets"
    };
    assert!(
        mail.text()
            .contains(&format!("https://sau.example/{page}/{number}")),
        "{subject}: a link to the {page} page in {}",
        mail.text()
    );
    assert!(
        mail.html().contains(&format!("lang=\"{language}\"")),
        "{subject}: the HTML part speaks {language}"
    );
    for part in [mail.text(), mail.html()] {
        assert!(
            !part.contains("bodega"),
            "{subject}: an internal note leaked"
        );
    }
}
