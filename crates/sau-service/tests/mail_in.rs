//! Mail in, on every backend: a known person's mail becomes a request, and
//! replies thread onto it by the subject's number, `In-Reply-To` or
//! `References`; machines are never answered; unknown senders are refused
//! politely or made requesters; what cannot be taken is quarantined whole; a
//! message seen twice makes nothing twice.

mod common;

use common::caller;
use sau_domain::{Automatic, ThreadedBy, Visibility};
use sau_service::testing::html_mail_with_image;
use sau_service::testing::mail_settings;
use sau_service::{
    Action, Caller, Ingested, MailIntake, NewUserInput, Service, ServiceSettings, TicketQuery,
};
use sau_store::testing::{TestDatabase, backends};

/// A service on `backend` with the demo people, whose mail would go out as
/// `sau@sau.example` (nothing is sent: no job runs).
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

fn intake() -> MailIntake {
    MailIntake {
        mailbox: "stdin".into(),
        category: Some("soporte_equipo".into()),
    }
}

/// A plain text mail; `extra` are more header lines.
fn mail(from: &str, id: &str, subject: &str, extra: &str, body: &str) -> Vec<u8> {
    format!(
        "From: {from}\r\nTo: Mesa de Ayuda <sau@sau.example>\r\nSubject: {subject}\r\n\
         Message-ID: <{id}>\r\nDate: Mon, 7 Dec 2026 08:00:00 -0600\r\n{extra}\
         MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
    )
    .into_bytes()
}

async fn ingest(service: &Service, raw: &[u8]) -> Ingested {
    service.ingest_mail(raw, &intake()).await.expect("taken")
}

async fn ticket_count(service: &Service) -> usize {
    let desk = caller(service, "soporte").await;
    service
        .list_tickets(
            &desk,
            TicketQuery {
                limit: Some(500),
                ..TicketQuery::default()
            },
        )
        .await
        .expect("list")
        .tickets
        .len()
}

fn created(outcome: Ingested) -> String {
    match outcome {
        Ingested::Created { number } => number,
        other => panic!("expected a new request, got {other:?}"),
    }
}

#[tokio::test]
async fn a_known_person_s_mail_is_a_request_and_replies_thread_onto_it() {
    for backend in backends() {
        let (service, _db) = service_on(backend).await;
        let number = created(
            ingest(
                &service,
                &mail(
                    "Ana Solicitante <Solicitante@sau.example>",
                    "first@mail.example",
                    "La impresora no imprime",
                    "",
                    "Desde esta mañana no sale nada.",
                ),
            )
            .await,
        );
        let requester = caller(&service, "solicitante").await;
        let detail = service.ticket(&requester, &number).await.expect("theirs");
        assert_eq!(detail.record.requester.login, "solicitante", "{backend}");
        assert_eq!(detail.record.ticket.title, "La impresora no imprime");
        assert_eq!(detail.record.category_key, "soporte_equipo");
        assert!(
            detail.record.ticket.fields.is_empty(),
            "required fields are left missing, not invented"
        );
        assert_eq!(detail.entries[0].body, "Desde esta mañana no sale nada.");
        assert_eq!(detail.entries[0].channel, "mail");

        // Replies: by the subject's number, by a mail SAU sent, by the thread.
        let by_subject = mail(
            "solicitante@sau.example",
            "second@mail.example",
            &format!("RE: [Ticket#{number}] La impresora no imprime"),
            "",
            "Sigue igual.",
        );
        assert_eq!(
            ingest(&service, &by_subject).await,
            Ingested::Appended {
                number: number.clone(),
                by: ThreadedBy::SubjectNumber
            }
        );
        let admin = caller(&service, "admin").await;
        service.run_due_jobs().await.expect("notify runs");
        let sent = service
            .outbox(&admin, None)
            .await
            .expect("outbox")
            .into_iter()
            .find(|m| m.to == "solicitante@sau.example")
            .expect("the receipt went to the requester");
        let by_reply = mail(
            "solicitante@sau.example",
            "third@mail.example",
            "Otra cosa",
            &format!("In-Reply-To: {}\r\n", sent.message_id),
            "Ya probé apagarla.",
        );
        assert_eq!(
            ingest(&service, &by_reply).await,
            Ingested::Appended {
                number: number.clone(),
                by: ThreadedBy::InReplyTo
            }
        );
        let by_thread = mail(
            "solicitante@sau.example",
            "fourth@mail.example",
            "Sin número",
            &format!("References: <unknown@x.example> <ticket.{number}@sau.example>\r\n"),
            "¿Alguna novedad?",
        );
        assert_eq!(
            ingest(&service, &by_thread).await,
            Ingested::Appended {
                number: number.clone(),
                by: ThreadedBy::References
            }
        );

        // The same message again (another address, a retry): nothing twice.
        assert_eq!(ingest(&service, &by_subject).await, Ingested::Seen);
        let detail = service.ticket(&requester, &number).await.expect("theirs");
        let bodies: Vec<&str> = detail.entries.iter().map(|e| e.body.as_str()).collect();
        assert_eq!(
            bodies,
            [
                "Desde esta mañana no sale nada.",
                "Sigue igual.",
                "Ya probé apagarla.",
                "¿Alguna novedad?"
            ],
            "{backend}"
        );
        assert!(
            detail
                .entries
                .iter()
                .all(|e| e.visibility == Visibility::Public && e.author.login == "solicitante")
        );
        let desk = caller(&service, "soporte").await;
        let reasons: Vec<String> = service
            .ticket_mails(&desk, detail.record.ticket.id)
            .await
            .expect("the ticket's mails")
            .into_iter()
            .map(|m| format!("{}:{}", m.outcome, m.reason))
            .collect();
        assert_eq!(
            reasons,
            [
                "created:new",
                "appended:subject",
                "appended:in_reply_to",
                "appended:references"
            ]
        );
        assert_eq!(ticket_count(&service).await, 1, "{backend}");
    }
}

#[tokio::test]
async fn a_reply_to_a_ticket_the_sender_may_not_write_on_is_a_new_request() {
    for backend in backends() {
        let (service, _db) = service_on(backend).await;
        let number = created(
            ingest(
                &service,
                &mail(
                    "solicitante@sau.example",
                    "a@mail.example",
                    "Sin red",
                    "",
                    "No hay red.",
                ),
            )
            .await,
        );
        service
            .create_user(
                &Caller::System,
                NewUserInput {
                    login: "otra".into(),
                    display_name: "Otra Persona".into(),
                    email: Some("otra@sau.example".into()),
                    department: None,
                    roles: sau_domain::Roles::of(&[sau_domain::Role::Requester]),
                    locale: "es".into(),
                    password: None,
                },
            )
            .await
            .expect("another requester");
        // Someone else quoting the number does not write on it.
        let other = created(
            ingest(
                &service,
                &mail(
                    "otra@sau.example",
                    "b@mail.example",
                    &format!("Re: [Ticket#{number}] Sin red"),
                    "",
                    "A mí tampoco.",
                ),
            )
            .await,
        );
        assert_ne!(other, number, "{backend}");
        // A cancelled ticket takes no more entries: the reply is a new request.
        let desk = caller(&service, "soporte").await;
        service
            .act(
                &desk,
                &number,
                Action::Cancel {
                    reason: "Duplicada".into(),
                },
                None,
                "web",
            )
            .await
            .expect("cancelled");
        let again = created(
            ingest(
                &service,
                &mail(
                    "solicitante@sau.example",
                    "c@mail.example",
                    &format!("Re: [Ticket#{number}] Sin red"),
                    "",
                    "Sigue sin red.",
                ),
            )
            .await,
        );
        assert_ne!(again, number);
        let admin = caller(&service, "admin").await;
        let log = service
            .inbound_mails(&admin, Some("created"))
            .await
            .expect("log");
        assert_eq!(log[0].reason, "not_appended:subject", "{backend}");
    }
}

#[tokio::test]
async fn html_is_kept_clean_and_attachments_are_kept_like_uploads() {
    for backend in backends() {
        let (service, _db) = service_on(backend).await;
        let number = created(ingest(&service, &html_mail_with_image("html@mail.example")).await);
        let requester = caller(&service, "solicitante").await;
        let detail = service.ticket(&requester, &number).await.expect("theirs");
        let entry = &detail.entries[0];
        assert!(entry.body.contains("parpadea"), "{}", entry.body);
        assert!(!entry.body.contains("document.cookie"), "{}", entry.body);
        assert_eq!(entry.attachments.len(), 1, "{backend}");
        assert_eq!(entry.attachments[0].filename, "foto.png");
        let admin = caller(&service, "admin").await;
        let log = service.inbound_mails(&admin, None).await.expect("log");
        let kept = service
            .inbound_mail_content(&admin, log[0].id)
            .await
            .expect("content");
        let html = kept.html.expect("the HTML is kept");
        assert!(html.contains("<b>parpadea</b>"), "{html}");
        for gone in ["<script", "document.cookie", "onerror"] {
            assert!(!html.contains(gone), "{gone} survived: {html}");
        }
        assert!(kept.source.is_none(), "taken mail keeps no source");
    }
}

#[tokio::test]
async fn machines_get_no_ticket_and_no_answer() {
    for backend in backends() {
        let (service, _db) = service_on(backend).await;
        let admin = caller(&service, "admin").await;
        let person = "solicitante@sau.example";
        let cases: [(Vec<u8>, Automatic); 5] = [
            (
                mail(
                    person,
                    "auto@x",
                    "Fuera de la oficina",
                    "Auto-Submitted: auto-replied\r\n",
                    "Vuelvo el lunes.",
                ),
                Automatic::AutoSubmitted,
            ),
            (
                mail(
                    "MAILER-DAEMON@mx.example",
                    "bounce@x",
                    "Undelivered Mail",
                    "Return-Path: <>\r\n",
                    "550 no such user",
                ),
                Automatic::Bounce,
            ),
            (
                mail(
                    person,
                    "report@x",
                    "Delivery Status",
                    "Return-Path: <>\r\n",
                    "report",
                ),
                Automatic::Bounce,
            ),
            (
                mail(
                    person,
                    "loop@x",
                    "Re: [Ticket#2026010110000011] algo",
                    "X-Loop: sau@sau.example\r\n",
                    "eco",
                ),
                Automatic::Loop,
            ),
            (
                mail(
                    person,
                    "list@x",
                    "Boletín",
                    "Precedence: bulk\r\n",
                    "noticias",
                ),
                Automatic::Bulk,
            ),
        ];
        for (raw, kind) in cases {
            assert_eq!(
                ingest(&service, &raw).await,
                Ingested::Ignored(kind),
                "{backend}"
            );
        }
        assert_eq!(ticket_count(&service).await, 0);
        // A responder with no marks at all: the sender's hourly limit stops it.
        let mut outcomes = Vec::new();
        for i in 0..=sau_domain::SENDER_MAILS_PER_HOUR {
            let raw = mail(
                person,
                &format!("storm{i}@x"),
                "Respuesta automática",
                "",
                "Recibido.",
            );
            outcomes.push(ingest(&service, &raw).await);
        }
        let ignored = outcomes
            .iter()
            .filter(|o| matches!(o, Ingested::Ignored(Automatic::TooMany)))
            .count();
        // The five above count towards the hour too.
        assert_eq!(
            ticket_count(&service).await as i64,
            sau_domain::SENDER_MAILS_PER_HOUR - 4,
            "{backend}"
        );
        assert_eq!(ignored as i64, 1 + 4, "{backend}");
        service.run_due_jobs().await.expect("jobs");
        assert!(
            service
                .outbox(&admin, None)
                .await
                .expect("outbox")
                .iter()
                .all(|m| m.notice != "refused"),
            "nothing answers a machine"
        );
    }
}

#[tokio::test]
async fn unknown_senders_are_refused_politely_or_made_requesters() {
    for backend in backends() {
        let (service, _db) = service_on(backend).await;
        let admin = caller(&service, "admin").await;
        let stranger = |id: &str| {
            mail(
                "Pedro Nuevo <pedro@otra.example>",
                id,
                "Necesito acceso",
                "",
                "Hola, necesito acceso al sistema.",
            )
        };
        assert_eq!(
            ingest(&service, &stranger("p1@x")).await,
            Ingested::Refused { replied: true },
            "{backend}"
        );
        // Once a day at most: no conversation of refusals.
        assert_eq!(
            ingest(&service, &stranger("p2@x")).await,
            Ingested::Refused { replied: false }
        );
        let refusals: Vec<_> = service
            .outbox(&admin, None)
            .await
            .expect("outbox")
            .into_iter()
            .filter(|m| m.notice == "refused")
            .collect();
        assert_eq!(refusals.len(), 1);
        assert_eq!(refusals[0].to, "pedro@otra.example");
        assert_eq!(refusals[0].subject, "Re: Necesito acceso");
        assert_eq!(refusals[0].thread_id.as_deref(), Some("<p1@x>"));
        assert_eq!(ticket_count(&service).await, 0);

        let departments = service.list_departments(&admin).await.expect("departments");
        let department = departments[0].code.clone();
        service
            .set_unknown_senders(&admin, "create", Some(&department))
            .await
            .expect("set");
        assert!(
            service
                .set_unknown_senders(&admin, "create", Some("no-such"))
                .await
                .is_err(),
            "an unknown department is refused"
        );
        let number = created(ingest(&service, &stranger("p3@x")).await);
        let desk = caller(&service, "soporte").await;
        let detail = service.ticket(&desk, &number).await.expect("ticket");
        assert_eq!(detail.record.requester.display_name, "Pedro Nuevo");
        assert_eq!(
            detail.record.department.map(|d| d.code),
            Some(department),
            "{backend}"
        );
    }
}

#[tokio::test]
async fn what_cannot_be_taken_is_quarantined_with_its_source() {
    for backend in backends() {
        let (service, _db) = service_on(backend).await;
        let admin = caller(&service, "admin").await;
        let garbage = b"\x00\x01\x02 not a mail at all".to_vec();
        assert!(matches!(
            ingest(&service, &garbage).await,
            Ingested::Quarantined { .. }
        ));
        let program: Vec<u8> = b"From: solicitante@sau.example\r\nSubject: Instale esto\r\nMessage-ID: <exe@x>\r\n\
             MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"s\"\r\n\r\n\
             --s\r\nContent-Type: text/plain\r\n\r\nAdjunto el instalador.\r\n\
             --s\r\nContent-Type: application/octet-stream; name=\"setup.exe\"\r\n\
             Content-Disposition: attachment; filename=\"setup.exe\"\r\n\
             Content-Transfer-Encoding: base64\r\n\r\nTVqQAAMAAAAEAAAA//8AALgAAAAAAAAAQAAAAAAAAAA=\r\n--s--\r\n"
            .to_vec();
        match ingest(&service, &program).await {
            Ingested::Quarantined { reason } => {
                assert!(reason.starts_with("attachment:"), "{reason}")
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(ticket_count(&service).await, 0, "{backend}");
        let kept = service
            .inbound_mails(&admin, Some("quarantined"))
            .await
            .expect("quarantine");
        assert_eq!(kept.len(), 2);
        for (mail, raw) in kept.iter().zip([&program, &garbage]) {
            let content = service
                .inbound_mail_content(&admin, mail.id)
                .await
                .expect("content");
            assert_eq!(content.source.as_ref(), Some(raw), "kept byte for byte");
        }
        // Seen again: still one record.
        assert_eq!(ingest(&service, &garbage).await, Ingested::Seen);
        let requester = caller(&service, "solicitante").await;
        assert!(
            service.inbound_mails(&requester, None).await.is_err(),
            "only admins read the mail log"
        );
    }
}
