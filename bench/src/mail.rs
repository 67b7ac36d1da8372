//! `sau-mail-bench`: how fast mail moves, in-process against real servers on
//! loopback.
//!
//! - `outbox`: `--tickets` requests are submitted with mail on (each writes a
//!   `notify` job: the requester's receipt and the dispatchers' notice), then
//!   the background jobs are run until every mail is handed to aiosmtpd (from
//!   PyPI) and recorded as sent. Reports mails per second, notify included.
//! - `ingest`: `--mails` messages are delivered into a Dovecot mailbox
//!   (Debian's `dovecot-imapd`), then one poller round takes them all, each
//!   a new request. Reports mails per second.
//!
//! `--backend sqlite` (a fresh file, `durability = full`) or `postgres` (a
//! fresh database on `SAU_TEST_POSTGRES_URL`).

use clap::Parser;
use sau_service::testing::{SmtpSink, mail_settings};
use sau_service::{Caller, JobSettings, MailSettings, NewRequest, Service, ServiceSettings};
use sau_store::testing::TestDatabase;
use std::time::Instant;

#[derive(Debug, Parser)]
struct Args {
    #[arg(long, default_value = "sqlite")]
    backend: String,
    /// Requests submitted for the outbox phase (two mails each).
    #[arg(long, default_value_t = 500)]
    tickets: usize,
    /// Messages delivered for the ingest phase.
    #[arg(long, default_value_t = 2_000)]
    mails: usize,
}

async fn service(
    backend: &str,
    mail: Option<MailSettings>,
) -> anyhow::Result<(Service, TestDatabase)> {
    let db = TestDatabase::new(backend).await;
    let settings = ServiceSettings {
        mail,
        jobs: JobSettings {
            first_retry: jiff::SignedDuration::from_millis(10),
            longest_retry: jiff::SignedDuration::from_millis(10),
            ..JobSettings::default()
        },
        ..ServiceSettings::default()
    };
    let service = Service::new(db.open().await, settings, db.blobs());
    service.seed_demo().await?;
    Ok((service, db))
}

async fn outbox(args: &Args) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    // aiosmtpd makes the Maildir itself, only where nothing exists yet.
    let maildir = dir.path().join("Maildir");
    let smtp = SmtpSink::start(&maildir, None);
    let port = smtp.port;
    let mail = mail_settings(format!("smtp://127.0.0.1:{port}"));
    let (service, _db) = service(&args.backend, Some(mail)).await?;
    let login = service.login("solicitante", "solicitante", None).await?;
    let requester = service.authenticate(&login.token).await?;
    for i in 0..args.tickets {
        let request = NewRequest {
            category: "soporte_equipo".into(),
            title: format!("Impresora {i}"),
            description: "No imprime".into(),
            priority: None,
            fields:
                serde_json::json!({"numero_inventario": format!("INV-{i}"), "ubicacion": "Piso 2"})
                    .as_object()
                    .cloned()
                    .unwrap_or_default(),
            attachments: Default::default(),
        };
        service.submit(&requester, request, "bench").await?;
    }
    let started = Instant::now();
    loop {
        let ran = service.run_due_jobs().await?;
        if ran.is_empty() {
            break;
        }
    }
    let elapsed = started.elapsed();
    let received = smtp.count();
    drop(smtp);
    anyhow::ensure!(
        received > 0,
        "the SMTP server received nothing: the outbox holds the reason"
    );
    println!(
        "outbox ({}): {} tickets → {received} mails received by the SMTP server in {:.2} s: \
         {:.0} mails/s",
        args.backend,
        args.tickets,
        elapsed.as_secs_f64(),
        received as f64 / elapsed.as_secs_f64()
    );
    Ok(())
}

async fn ingest(args: &Args) -> anyhow::Result<()> {
    let dovecot = sau_imap::testing::Dovecot::start();
    let (service, _db) = service(&args.backend, None).await?;
    service
        .set_unknown_senders(&Caller::System, "create", None)
        .await?;
    for i in 0..args.mails {
        // A hundred senders, so no one passes the hourly limit.
        let raw = format!(
            "From: Persona {s} <persona{s}@ministerio.example>\r\nTo: mesa@sau.example\r\n\
             Subject: Pedido {i}\r\nMessage-ID: <bench-{i}@ministerio.example>\r\n\
             MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\
             La impresora del piso {s} no imprime; pedido {i}.\r\n",
            s = i % 100
        );
        dovecot.deliver(raw.as_bytes());
    }
    let account = dovecot.account(sau_imap::Security::Plain);
    let started = Instant::now();
    let round = sau_imap::poll_once(&service, &account).await?;
    let elapsed = started.elapsed();
    println!(
        "ingest ({}): {} mails taken from IMAP in {:.2} s: {:.0} mails/s",
        args.backend,
        round.taken,
        elapsed.as_secs_f64(),
        round.taken as f64 / elapsed.as_secs_f64()
    );
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    outbox(&args).await?;
    ingest(&args).await?;
    Ok(())
}
