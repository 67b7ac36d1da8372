//! The poller against a real Dovecot on loopback, on every backend: mail in
//! the mailbox becomes requests and entries, machines' mail is ignored, every
//! message is marked read (or moved) only once it is recorded, a message
//! delivered twice makes one entry, TLS and STARTTLS are checked against the
//! server's certificate, IDLE wakes the poller when mail arrives, and a
//! whole conversation goes round: an HTML request with a photo, SAU's receipt
//! through a real SMTP server, the requester's replies threaded by each of
//! their headers, and SAU's own mail coming back ignored as a loop.

use sau_imap::testing::Dovecot;
use sau_imap::{Security, poll_once};
use sau_service::testing::mail_settings;
use sau_service::testing::{SmtpSink, html_mail_with_image};
use sau_service::{Caller, Service, ServiceSettings, TicketQuery};
use sau_store::testing::{TestDatabase, backends};
use std::time::{Duration, Instant};

async fn service_on(backend: &'static str) -> (Service, TestDatabase) {
    let db = TestDatabase::new(backend).await;
    let service = Service::new(db.open().await, ServiceSettings::default(), db.blobs());
    service.seed_demo().await.expect("demo data");
    (service, db)
}

fn mail(id: &str, subject: &str, extra: &str, body: &str) -> Vec<u8> {
    format!(
        "From: Solicitante <solicitante@sau.example>\r\nTo: mesa@sau.example\r\n\
         Subject: {subject}\r\nMessage-ID: <{id}>\r\n{extra}MIME-Version: 1.0\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
    )
    .into_bytes()
}

async fn tickets(service: &Service) -> Vec<sau_service::TicketRecord> {
    let desk = service
        .login("soporte", "soporte", None)
        .await
        .expect("login");
    let desk = service.authenticate(&desk.token).await.expect("token");
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
}

#[tokio::test]
async fn mail_in_the_mailbox_is_taken_once_and_marked_only_once_recorded() {
    for backend in backends() {
        let dovecot = Dovecot::start();
        let (service, _db) = service_on(backend).await;
        dovecot.deliver(&mail("one@x", "Sin impresora", "", "No imprime."));
        dovecot.deliver(&mail(
            "auto@x",
            "Fuera de la oficina",
            "Auto-Submitted: auto-replied\r\n",
            "Vuelvo el lunes.",
        ));
        dovecot.deliver(&mail(
            "bounce@x",
            "Undelivered",
            "Return-Path: <>\r\n",
            "550",
        ));
        let account = dovecot.account(Security::Plain);
        let round = poll_once(&service, &account).await.expect("a round");
        assert_eq!(round.taken, 3, "{backend}");
        let made = tickets(&service).await;
        assert_eq!(made.len(), 1, "machines make no ticket");
        let number = made[0].ticket.number.clone();
        assert!(
            dovecot.messages("INBOX").iter().all(|(_, seen)| *seen),
            "every message marked read once recorded"
        );

        // A reply, and the same reply delivered a second time (two addresses
        // of the desk): one entry.
        let reply = mail(
            "two@x",
            &format!("Re: [Ticket#{number}] Sin impresora"),
            "",
            "Ya tiene tóner.",
        );
        dovecot.deliver(&reply);
        dovecot.deliver(&reply);
        let round = poll_once(&service, &account).await.expect("a round");
        assert_eq!((round.taken, round.seen_before), (2, 1), "{backend}");
        let requester = service
            .login("solicitante", "solicitante", None)
            .await
            .expect("login");
        let requester = service.authenticate(&requester.token).await.expect("token");
        let detail = service.ticket(&requester, &number).await.expect("ticket");
        assert_eq!(detail.entries.len(), 2, "{backend}");
        assert_eq!(detail.entries[1].body, "Ya tiene tóner.");

        // Nothing unread left: a round takes nothing.
        let round = poll_once(&service, &account).await.expect("a round");
        assert_eq!(round.taken, 0);
        let log = service
            .inbound_mails(&Caller::System, None)
            .await
            .expect("log");
        assert!(log.iter().all(|m| m.mailbox == "mesa"));
        assert_eq!(log.len(), 4, "one record per message: {log:?}");
    }
}

#[tokio::test]
async fn taken_mail_is_moved_when_a_folder_is_set() {
    let dovecot = Dovecot::start();
    dovecot.make_folder("Procesados");
    let (service, _db) = service_on("sqlite").await;
    for i in 0..3 {
        dovecot.deliver(&mail(&format!("m{i}@x"), "Pedido", "", "Texto."));
    }
    let mut account = dovecot.account(Security::Plain);
    account.done_folder = Some("Procesados".into());
    let round = poll_once(&service, &account).await.expect("a round");
    assert_eq!(round.taken, 3);
    assert!(dovecot.messages("INBOX").is_empty(), "moved out");
    assert_eq!(dovecot.messages("Procesados").len(), 3);
}

#[tokio::test]
async fn tls_and_starttls_check_the_server_s_certificate() {
    let dovecot = Dovecot::start();
    let (service, _db) = service_on("sqlite").await;
    dovecot.deliver(&mail("tls@x", "Por TLS", "", "Cifrado."));
    let round = poll_once(&service, &dovecot.account(Security::Tls))
        .await
        .expect("TLS with the installation's CA");
    assert_eq!(round.taken, 1);
    dovecot.deliver(&mail("starttls@x", "Por STARTTLS", "", "Cifrado."));
    let round = poll_once(&service, &dovecot.account(Security::StartTls))
        .await
        .expect("STARTTLS with the installation's CA");
    assert_eq!(round.taken, 1);
    // Without the CA, the certificate is refused and nothing is taken.
    dovecot.deliver(&mail("untrusted@x", "Sin confianza", "", "x"));
    let mut untrusted = dovecot.account(Security::Tls);
    untrusted.roots.ca_file = None;
    let refused = poll_once(&service, &untrusted).await;
    assert!(
        matches!(refused, Err(sau_imap::PollError::Tls(_))),
        "{refused:?}"
    );
    assert_eq!(tickets(&service).await.len(), 2);
}

#[tokio::test]
async fn idle_wakes_the_poller_when_mail_arrives() {
    let dovecot = Dovecot::start();
    let (service, _db) = service_on("sqlite").await;
    let mut account = dovecot.account(Security::Plain);
    // Far longer than the test waits: only IDLE can explain a quick answer.
    account.poll = Duration::from_secs(600);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let poller = tokio::spawn(sau_imap::run_account(
        service.clone(),
        account,
        async move {
            let _ = stopped.await;
        },
    ));
    tokio::time::sleep(Duration::from_millis(500)).await;
    dovecot.deliver(&mail("idle@x", "Llegó durante IDLE", "", "Hola."));
    let deadline = Instant::now() + Duration::from_secs(20);
    while tickets(&service).await.is_empty() {
        assert!(Instant::now() < deadline, "IDLE never woke the poller");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let _ = stop.send(());
    tokio::time::timeout(Duration::from_secs(10), poller)
        .await
        .expect("the poller stops when told")
        .expect("no panic");
}

/// A service that sends its mail to `smtp` and signs it `sau@sau.example`.
async fn service_with_mail(backend: &'static str, smtp: &SmtpSink) -> (Service, TestDatabase) {
    let db = TestDatabase::new(backend).await;
    let settings = ServiceSettings {
        mail: Some(mail_settings(format!("smtp://127.0.0.1:{}", smtp.port))),
        ..ServiceSettings::default()
    };
    let service = Service::new(db.open().await, settings, db.blobs());
    service.seed_demo().await.expect("demo data");
    (service, db)
}

async fn send_everything(service: &Service) {
    for _ in 0..20 {
        if service.run_due_jobs().await.expect("jobs").is_empty() {
            return;
        }
    }
}

/// How the inbound log recorded the message `id`: outcome and reason.
async fn logged(service: &Service, id: &str) -> (String, String) {
    let log = service
        .inbound_mails(&Caller::System, None)
        .await
        .expect("log");
    let entry = log
        .iter()
        .find(|m| m.key.to_lowercase().contains(&id.to_lowercase()))
        .unwrap_or_else(|| panic!("{id} is not in the log: {log:?}"));
    (entry.outcome.clone(), entry.reason.clone())
}

#[tokio::test]
async fn a_conversation_by_mail_goes_through_the_mailbox_and_back() {
    let dir = tempfile::tempdir().expect("dir");
    for backend in backends() {
        let dovecot = Dovecot::start();
        let smtp = SmtpSink::start(&dir.path().join(backend), None);
        let (service, _db) = service_with_mail(backend, &smtp).await;
        let account = dovecot.account(Security::Plain);

        // An HTML mail with a script and a photo: a request, kept clean.
        dovecot.deliver(&html_mail_with_image("pantalla@cliente.example"));
        assert_eq!(poll_once(&service, &account).await.expect("round").taken, 1);
        let made = tickets(&service).await;
        assert_eq!(made.len(), 1, "{backend}");
        let number = made[0].ticket.number.clone();
        let requester = service
            .login("solicitante", "solicitante", None)
            .await
            .expect("login");
        let requester = service.authenticate(&requester.token).await.expect("token");
        let detail = service.ticket(&requester, &number).await.expect("theirs");
        assert!(detail.entries[0].body.contains("parpadea"));
        assert_eq!(detail.entries[0].attachments.len(), 1, "{backend}");
        assert_eq!(detail.entries[0].attachments[0].filename, "foto.png");
        let log = service
            .inbound_mails(&Caller::System, None)
            .await
            .expect("log");
        let html = service
            .inbound_mail_content(&Caller::System, log[0].id)
            .await
            .expect("content")
            .html
            .expect("the HTML is kept");
        assert!(html.contains("<b>parpadea</b>"), "{html}");
        for gone in ["<script", "document.cookie", "onerror"] {
            assert!(!html.contains(gone), "{backend}: {gone} survived: {html}");
        }

        // SAU's receipt goes out; the requester's client answers it, once
        // naming it in In-Reply-To and once only in References, with no
        // number in the subject either time.
        send_everything(&service).await;
        let receipt = smtp
            .mails()
            .into_iter()
            .find(|m| m.to() == "solicitante@sau.example")
            .expect("the receipt reached the SMTP server");
        let sent_id = receipt.header("message-id").to_owned();
        dovecot.deliver(&mail(
            "reply1@cliente.example",
            "Re: Pantalla rota",
            &format!("In-Reply-To: {sent_id}\r\nReferences: {sent_id}\r\n"),
            "Ya la reinicié y sigue igual.",
        ));
        dovecot.deliver(&mail(
            "reply2@cliente.example",
            "Otra pregunta",
            &format!("References: <other@cliente.example> {sent_id}\r\n"),
            "¿Puedo usar la del vecino?",
        ));
        // And the old way: the number in the subject.
        dovecot.deliver(&mail(
            "reply3@cliente.example",
            &format!("RE: [Ticket#{number}] Pantalla rota"),
            "",
            "Gracias.",
        ));
        assert_eq!(poll_once(&service, &account).await.expect("round").taken, 3);
        assert_eq!(tickets(&service).await.len(), 1, "{backend}: no new ticket");
        let detail = service.ticket(&requester, &number).await.expect("theirs");
        let bodies: Vec<&str> = detail.entries.iter().map(|e| e.body.as_str()).collect();
        assert_eq!(
            bodies[1..],
            [
                "Ya la reinicié y sigue igual.",
                "¿Puedo usar la del vecino?",
                "Gracias."
            ],
            "{backend}"
        );
        assert_eq!(
            logged(&service, "reply1@").await,
            ("appended".into(), "in_reply_to".into())
        );
        assert_eq!(
            logged(&service, "reply2@").await,
            ("appended".into(), "references".into())
        );
        assert_eq!(
            logged(&service, "reply3@").await,
            ("appended".into(), "subject".into())
        );

        // A loop: SAU's own mail delivered back into the desk's mailbox (a
        // forward rule pointing at itself), and an out-of-office reply to it.
        send_everything(&service).await;
        let before = smtp.count();
        let own = smtp.mails().into_iter().next().expect("a mail SAU sent");
        dovecot.deliver(own.raw.as_bytes());
        dovecot.deliver(&mail(
            "ooo@cliente.example",
            &format!("Fuera de la oficina: [Ticket#{number}] Pantalla rota"),
            "Auto-Submitted: auto-replied\r\n",
            "Vuelvo el lunes.",
        ));
        assert_eq!(poll_once(&service, &account).await.expect("round").taken, 2);
        send_everything(&service).await;
        let detail = service.ticket(&requester, &number).await.expect("theirs");
        assert_eq!(detail.entries.len(), 4, "{backend}: nothing appended");
        assert_eq!(tickets(&service).await.len(), 1, "{backend}: no new ticket");
        assert_eq!(smtp.count(), before, "{backend}: nothing answered");
        let own_id = own.header("message-id").trim_matches(['<', '>']).to_owned();
        assert_eq!(
            logged(&service, &own_id).await,
            ("ignored".into(), "loop".into())
        );
        assert_eq!(
            logged(&service, "ooo@").await,
            ("ignored".into(), "auto_submitted".into())
        );
    }
}
