//! `sau mail …`: mail that arrives, taken from an MTA's pipe.

use sau_service::{Ingested, MAX_MAIL_BYTES, MailIntake, Service};
use std::io::Read;

/// The status an MTA reads as "try again later" (sysexits' EX_TEMPFAIL): the
/// message stays in its queue.
pub const TEMPORARY_FAILURE: u8 = 75;
/// The status an MTA reads as "refused, tell the sender" (EX_DATAERR).
pub const REFUSED: u8 = 65;

/// A failure with the exit status an MTA acts on.
#[derive(Debug)]
pub struct ExitStatus {
    pub code: u8,
    pub message: String,
}

impl std::fmt::Display for ExitStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ExitStatus {}

/// Reads one message on standard input and takes it. Every outcome that is
/// recorded (a ticket, an entry, ignored, refused, quarantined, seen before)
/// exits 0; a message over the size limit exits 65 so the MTA returns it to
/// its sender; anything that failed before the message was recorded exits
/// 75, so the MTA keeps it and tries again.
pub async fn ingest(service: &Service, intake: MailIntake) -> anyhow::Result<Ingested> {
    let mut raw = Vec::new();
    std::io::stdin()
        .take(MAX_MAIL_BYTES as u64 + 1)
        .read_to_end(&mut raw)
        .map_err(|e| temporary(format!("reading the message from standard input: {e}")))?;
    if raw.is_empty() {
        return Err(ExitStatus {
            code: REFUSED,
            message: "no message on standard input".into(),
        }
        .into());
    }
    let too_large = raw.len() > MAX_MAIL_BYTES;
    let outcome = service
        .ingest_mail(&raw, &intake)
        .await
        .map_err(|e| temporary(format!("the message was not taken: {e}")))?;
    if too_large {
        return Err(ExitStatus {
            code: REFUSED,
            message: format!("the message is larger than {} MiB", MAX_MAIL_BYTES >> 20),
        }
        .into());
    }
    Ok(outcome)
}

fn temporary(message: String) -> anyhow::Error {
    ExitStatus {
        code: TEMPORARY_FAILURE,
        message,
    }
    .into()
}

/// What became of the message, as one line for the MTA's log.
pub fn describe(outcome: &Ingested) -> String {
    match outcome {
        Ingested::Created { number } => format!("created {number}"),
        Ingested::Appended { number, by } => format!("appended {number} ({})", by.as_str()),
        Ingested::Seen => "seen before".into(),
        Ingested::Ignored(kind) => format!("ignored ({})", kind.as_str()),
        Ingested::Refused { replied } => {
            format!(
                "refused (unknown sender{})",
                if *replied { ", answered" } else { "" }
            )
        }
        Ingested::Quarantined { reason } => format!("quarantined ({reason})"),
    }
}

/// Takes the mail of every account: one round each with `once` (printing
/// what each took), else until `stop` resolves.
pub async fn poll(
    service: &Service,
    accounts: Vec<sau_imap::ImapAccount>,
    once: bool,
    stop: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    anyhow::ensure!(
        !accounts.is_empty(),
        "no mailbox to poll: add an [[imap]] table to the configuration file"
    );
    if once {
        for account in &accounts {
            let round = sau_imap::poll_once(service, account)
                .await
                .map_err(|e| anyhow::anyhow!("{}: {e}", account.name))?;
            println!(
                "{}: {} taken ({} seen before)",
                account.name, round.taken, round.seen_before
            );
        }
        return Ok(());
    }
    let (stopped, _) = tokio::sync::watch::channel(false);
    let stopped = std::sync::Arc::new(stopped);
    let mut pollers = tokio::task::JoinSet::new();
    for account in accounts {
        let mut told = stopped.subscribe();
        pollers.spawn(sau_imap::run_account(
            service.clone(),
            account,
            async move {
                let _ = told.wait_for(|s| *s).await;
            },
        ));
    }
    stop.await;
    stopped.send_replace(true);
    while pollers.join_next().await.is_some() {}
    Ok(())
}
