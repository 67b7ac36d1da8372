//! Notices by mail, against a real SMTP server on loopback (aiosmtpd, from
//! PyPI, delivering into a Maildir): each step of the procedure tells the
//! people it concerns, in their language, threaded by ticket; an internal note
//! mails nobody; a job run twice sends nothing twice; a server that is down
//! leaves the mail waiting with its answer, and it goes once the server is back.

mod common;

use common::{assign_to, caller, printer_request};
use sau_domain::{AttentionMode, Visibility};
use sau_service::testing::mail_settings;
use sau_service::testing::{ReceivedMail as Mail, SmtpSink};
use sau_service::{Action, JobSettings, Service, ServiceSettings};
use sau_store::testing::{TestDatabase, backends};
use std::time::Duration;

/// A fresh service with the demo people on `backend`, sending through `port`.
async fn service_on(backend: &'static str, port: u16) -> (Service, TestDatabase) {
    let db = TestDatabase::new(backend).await;
    let service = Service::new(db.open().await, settings(port), db.blobs());
    service.seed_demo().await.expect("demo data");
    (service, db)
}

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

/// Runs due jobs until none is left (retries included, which wait 10 ms).
async fn drain(service: &Service) {
    for _ in 0..50 {
        let ran = service.run_due_jobs().await.expect("jobs run");
        if ran.is_empty() {
            tokio::time::sleep(Duration::from_millis(20)).await;
            if service.run_due_jobs().await.expect("jobs run").is_empty() {
                return;
            }
        }
    }
}

fn for_whom(mails: &[Mail]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = mails
        .iter()
        .map(|m| (m.to().to_owned(), m.subject()))
        .collect();
    out.sort();
    out
}

#[tokio::test]
async fn each_step_mails_the_people_it_concerns_once_threaded_by_ticket() {
    let dir = tempfile::tempdir().expect("dir");
    for backend in backends() {
        let maildir = dir.path().join(backend);
        let sink = SmtpSink::start(&maildir, None);
        let (service, _db) = service_on(backend, sink.port).await;
        {
            let requester = caller(&service, "solicitante").await;
            let desk = caller(&service, "soporte").await;
            let tech = caller(&service, "tecnico").await;
            let ticket = service
                .submit(
                    &requester,
                    printer_request("La impresora no imprime"),
                    "web",
                )
                .await
                .expect("submitted");
            let number = ticket.ticket.number.clone();
            drain(&service).await;
            let mails = sink.mails();
            assert_eq!(
                for_whom(&mails),
                vec![
                    (
                        "solicitante@sau.example".to_owned(),
                        format!(
                            "[Ticket#{number}] Recibimos su solicitud: La impresora no imprime"
                        )
                    ),
                    (
                        "soporte@sau.example".to_owned(),
                        format!("[Ticket#{number}] Nueva solicitud: La impresora no imprime")
                    ),
                ],
                "{backend}"
            );
            for mail in &mails {
                assert_eq!(mail.header("auto-submitted"), "auto-generated");
                assert_eq!(
                    mail.header("in-reply-to"),
                    format!("<ticket.{number}@sau.example>")
                );
                assert_eq!(
                    mail.header("references"),
                    format!("<ticket.{number}@sau.example>")
                );
                assert!(
                    mail.header("message-id").ends_with("@sau.example>"),
                    "{mail:?}"
                );
                assert!(mail.header("from").contains("sau@sau.example"));
                assert!(
                    mail.raw.contains("https://sau.example/"),
                    "a link: {}",
                    mail.raw
                );
            }

            service
                .act(&desk, &number, assign_to("tecnico"), None, "web")
                .await
                .expect("assigned");
            service
                .act(&tech, &number, Action::Accept, None, "web")
                .await
                .expect("accepted");
            service
                .act(
                    &tech,
                    &number,
                    Action::Comment {
                        body: "Nota interna: el tóner está en bodega".into(),
                        visibility: Visibility::Internal,
                        attachments: Default::default(),
                    },
                    None,
                    "web",
                )
                .await
                .expect("noted");
            service
                .act(
                    &tech,
                    &number,
                    Action::Resolve {
                        resolution: "Se reinició la cola de impresión".into(),
                        attention_mode: AttentionMode::InPerson,
                        remote_tool: None,
                        remote_id: None,
                        attachments: Default::default(),
                    },
                    None,
                    "web",
                )
                .await
                .expect("resolved");
            drain(&service).await;
            // Run every job again, as a worker that died before marking them
            // done would: nothing new goes out.
            drain(&service).await;
            let mails = sink.mails();
            let subjects: Vec<(String, String)> = for_whom(&mails);
            assert_eq!(mails.len(), 6, "{backend}: {subjects:#?}");
            assert!(
                subjects.contains(&(
                    "solicitante@sau.example".to_owned(),
                    format!(
                        "[Ticket#{number}] Su solicitud está asignada: La impresora no imprime"
                    )
                )),
                "{subjects:#?}"
            );
            assert!(subjects.contains(&(
                "tecnico@sau.example".to_owned(),
                format!("[Ticket#{number}] Le asignaron: La impresora no imprime")
            )));
            assert!(subjects.contains(&(
                "solicitante@sau.example".to_owned(),
                format!("[Ticket#{number}] Su solicitud fue resuelta: La impresora no imprime")
            )));
            assert!(subjects.contains(&(
                "soporte@sau.example".to_owned(),
                format!("[Ticket#{number}] Resuelto, por cerrar: La impresora no imprime")
            )));
            for mail in &mails {
                assert!(
                    !mail.raw.contains("bodega"),
                    "an internal note went out: {mail:?}"
                );
            }
        }
        drop(sink);
    }
}

#[tokio::test]
async fn a_server_that_is_down_leaves_the_mail_waiting_and_it_goes_once_back() {
    let dir = tempfile::tempdir().expect("dir");
    for backend in backends() {
        let maildir = dir.path().join(backend);
        let sink = SmtpSink::start(&maildir, None);
        let port = sink.stop();
        let (service, _db) = service_on(backend, port).await;
        {
            let requester = caller(&service, "solicitante").await;
            service
                .submit(&requester, printer_request("Sin servidor de correo"), "web")
                .await
                .expect("submitted");
            // notify, then a first try at each send, which the closed port refuses.
            for _ in 0..2 {
                service.run_due_jobs().await.expect("jobs run");
            }
            let outbox = service
                .outbox(&sau_service::Caller::System, None)
                .await
                .expect("outbox");
            assert_eq!(outbox.len(), 2, "{backend}");
            for mail in &outbox {
                assert_eq!(mail.state, "pending", "{backend}: {mail:?}");
                assert!(mail.last_answer.as_deref().is_some_and(|a| !a.is_empty()));
            }
            let sink = SmtpSink::start(&maildir, Some(port));
            drain(&service).await;
            assert_eq!(sink.mails().len(), 2, "{backend}: both went once back");
            let outbox = service
                .outbox(&sau_service::Caller::System, None)
                .await
                .expect("outbox");
            assert!(outbox.iter().all(|m| m.state == "sent"), "{outbox:?}");
        }
    }
}

#[tokio::test]
async fn an_admin_sends_a_test_mail_and_sends_a_failed_one_again() {
    let dir = tempfile::tempdir().expect("dir");
    for backend in backends() {
        let maildir = dir.path().join(backend);
        let port = SmtpSink::start(&maildir, None).stop();
        let db = TestDatabase::new(backend).await;
        let once = ServiceSettings {
            jobs: JobSettings {
                max_attempts: 1,
                ..JobSettings::default()
            },
            ..settings(port)
        };
        let service = Service::new(db.open().await, once, db.blobs());
        service.seed_demo().await.expect("demo data");
        let admin = caller(&service, "admin").await;
        let desk = caller(&service, "soporte").await;
        assert!(
            service.send_test_mail(&desk).await.is_err(),
            "{backend}: admins only"
        );
        let to = service.send_test_mail(&admin).await.expect("queued");
        assert_eq!(to, "admin@sau.example");
        // The server is down and one try is all it gets: failed, with the answer.
        service.run_due_jobs().await.expect("jobs run");
        let outbox = service
            .outbox(&admin, Some("failed"))
            .await
            .expect("outbox");
        assert_eq!(outbox.len(), 1, "{backend}: {outbox:?}");
        assert!(
            outbox[0]
                .last_answer
                .as_deref()
                .is_some_and(|a| !a.is_empty())
        );

        let sink = SmtpSink::start(&maildir, Some(port));
        service
            .resend_mail(&admin, outbox[0].id)
            .await
            .expect("back in line");
        service.run_due_jobs().await.expect("jobs run");
        let mails = sink.mails();
        assert_eq!(mails.len(), 1, "{backend}");
        assert_eq!(mails[0].to(), "admin@sau.example");
        assert_eq!(mails[0].subject(), "[SAU] Correo de prueba");
        let sent = service.outbox(&admin, Some("sent")).await.expect("outbox");
        assert_eq!(sent.len(), 1, "{backend}");
        assert!(
            sent[0]
                .last_answer
                .as_deref()
                .is_some_and(|a| a.starts_with("250")),
            "{sent:?}"
        );
    }
}

#[tokio::test]
async fn a_notice_switched_off_goes_to_nobody_and_a_person_skips_what_they_may() {
    let dir = tempfile::tempdir().expect("dir");
    for backend in backends() {
        let maildir = dir.path().join(backend);
        let sink = SmtpSink::start(&maildir, None);
        let (service, _db) = service_on(backend, sink.port).await;
        let admin = caller(&service, "admin").await;
        let requester = caller(&service, "solicitante").await;
        let desk = caller(&service, "soporte").await;
        service
            .set_notices_off(&admin, &["new_request".to_owned()])
            .await
            .expect("switched off");
        assert!(
            service
                .set_notices_off(&admin, &["fax".to_owned()])
                .await
                .is_err(),
            "{backend}: an unknown notice is refused"
        );
        // The requester may skip "assigned", not "received" nor "resolved".
        let choices = service.mail_choices(&requester).await.expect("choices");
        let names: Vec<&str> = choices.iter().map(|c| c.notice.as_str()).collect();
        assert!(names.contains(&"assigned"), "{names:?}");
        assert!(
            !names.contains(&"received") && !names.contains(&"resolved"),
            "{names:?}"
        );
        assert!(!names.contains(&"new_request"), "not theirs: {names:?}");
        service
            .set_mail_choices(&requester, &[])
            .await
            .expect("all optional ones off");
        let choices = service.mail_choices(&requester).await.expect("choices");
        assert!(choices.iter().all(|c| !c.on), "{choices:?}");

        let ticket = service
            .submit(&requester, printer_request("Sin avisos opcionales"), "web")
            .await
            .expect("submitted");
        let number = ticket.ticket.number.clone();
        service
            .act(&desk, &number, assign_to("tecnico"), None, "web")
            .await
            .expect("assigned");
        drain(&service).await;
        let got = for_whom(&sink.mails());
        assert_eq!(
            got,
            vec![
                (
                    "solicitante@sau.example".to_owned(),
                    format!("[Ticket#{number}] Recibimos su solicitud: Sin avisos opcionales")
                ),
                (
                    "tecnico@sau.example".to_owned(),
                    format!("[Ticket#{number}] Le asignaron: Sin avisos opcionales")
                ),
            ],
            "{backend}: no new-request notice, no assigned notice for the requester"
        );
    }
}

#[tokio::test]
async fn each_person_reads_their_mail_in_their_own_language() {
    let dir = tempfile::tempdir().expect("dir");
    for backend in backends() {
        let maildir = dir.path().join(backend);
        let sink = SmtpSink::start(&maildir, None);
        let (service, _db) = service_on(backend, sink.port).await;
        let requester = caller(&service, "solicitante").await;
        service
            .set_own_locale(&requester, "en")
            .await
            .expect("English");
        let requester = caller(&service, "solicitante").await;
        let desk = caller(&service, "soporte").await;
        let ticket = service
            .submit(&requester, printer_request("Printer jam"), "web")
            .await
            .expect("submitted");
        let number = ticket.ticket.number.clone();
        service
            .act(&desk, &number, assign_to("tecnico"), None, "web")
            .await
            .expect("assigned");
        drain(&service).await;
        let mails = sink.mails();
        let got = for_whom(&mails);
        assert_eq!(
            got,
            vec![
                (
                    "solicitante@sau.example".to_owned(),
                    format!("[Ticket#{number}] We received your request: Printer jam")
                ),
                (
                    "solicitante@sau.example".to_owned(),
                    format!("[Ticket#{number}] Your request is assigned: Printer jam")
                ),
                (
                    "soporte@sau.example".to_owned(),
                    format!("[Ticket#{number}] Nueva solicitud: Printer jam")
                ),
                (
                    "tecnico@sau.example".to_owned(),
                    format!("[Ticket#{number}] Le asignaron: Printer jam")
                ),
            ],
            "{backend}"
        );
        let english = mails
            .iter()
            .find(|m| m.subject().contains("We received"))
            .expect("the receipt");
        let parsed = mail_parser::MessageParser::default()
            .parse(english.raw.as_bytes())
            .expect("a mail");
        let html = parsed.body_html(0).expect("an HTML part");
        assert!(
            html.contains("lang=\"en\""),
            "the HTML part is English too: {html}"
        );
        assert!(html.contains("Open in SAU"), "{html}");
    }
}
