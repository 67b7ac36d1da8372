//! The IMAP poller: for each account, the messages not yet taken are fetched
//! (without marking them read), handed one by one to `sau-service`, and only
//! once the service has recorded what became of one is it marked read or
//! moved. A poller killed at any point leaves every message either recorded
//! and marked, or recorded and still unmarked (the next run finds it, the
//! service knows its Message-ID, and it is marked), or neither: none is lost,
//! none is taken twice.
//!
//! Between rounds it waits in IDLE where the server offers it (new mail
//! wakes it at once), and polls on a timer where it does not.

mod connect;
#[cfg(feature = "testing")]
pub mod testing;

pub use connect::{Security, TlsRoots};

use futures::TryStreamExt;
use sau_service::{Ingested, MailIntake, Service};
use std::time::Duration;

/// One mailbox SAU takes mail from.
#[derive(Debug, Clone)]
pub struct ImapAccount {
    /// Shown with each message it delivered (`mesa`, `soporte`).
    pub name: String,
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub user: String,
    pub password: String,
    /// The folder new mail arrives in (`INBOX`).
    pub folder: String,
    /// Where taken mail is moved; `None`: it stays, marked read.
    pub done_folder: Option<String>,
    /// The category of requests made from this mailbox's mail.
    pub category: Option<String>,
    /// Certificates to trust besides the public ones (a ministry's own CA).
    pub roots: TlsRoots,
    /// How often to look when the server offers no IDLE, and the longest
    /// IDLE wait.
    pub poll: Duration,
}

/// Why a round stopped early; the poller reconnects and tries again.
#[derive(Debug, thiserror::Error)]
pub enum PollError {
    #[error("IMAP: {0}")]
    Imap(#[from] async_imap::error::Error),
    #[error("connecting: {0}")]
    Io(#[from] std::io::Error),
    #[error("TLS: {0}")]
    Tls(String),
    #[error("signing in as {user}: {reason}")]
    Login { user: String, reason: String },
    /// The service could not record a message; it stays unmarked.
    #[error("the message was not taken: {0}")]
    Service(#[from] sau_service::ServiceError),
}

/// What one round did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Round {
    /// Messages recorded and marked.
    pub taken: usize,
    /// Of those, seen before (recorded by an earlier, interrupted round).
    pub seen_before: usize,
}

type Session = async_imap::Session<connect::Stream>;

/// Signs in and opens the account's folder.
async fn open(account: &ImapAccount) -> Result<Session, PollError> {
    let client = connect::connect(account).await?;
    let mut session = client
        .login(&account.user, &account.password)
        .await
        .map_err(|(e, _)| PollError::Login {
            user: account.user.clone(),
            reason: e.to_string(),
        })?;
    session.select(&account.folder).await?;
    Ok(session)
}

/// Takes every unread message in the folder, oldest first.
async fn drain(
    session: &mut Session,
    service: &Service,
    account: &ImapAccount,
) -> Result<Round, PollError> {
    let mut uids: Vec<u32> = session.uid_search("UNSEEN").await?.into_iter().collect();
    uids.sort_unstable();
    let intake = MailIntake {
        mailbox: account.name.clone(),
        category: account.category.clone(),
    };
    let mut round = Round::default();
    for uid in uids {
        let raw = {
            let fetches: Vec<_> = session
                .uid_fetch(uid.to_string(), "BODY.PEEK[]")
                .await?
                .try_collect()
                .await?;
            // Gone meanwhile (another poller moved it): nothing to take.
            let Some(raw) = fetches.iter().find_map(|f| f.body().map(<[u8]>::to_vec)) else {
                continue;
            };
            raw
        };
        let outcome = service.ingest_mail(&raw, &intake).await?;
        // Recorded: only now is it marked, so a crash before this line
        // finds it again and the service answers "seen".
        match &account.done_folder {
            Some(folder) => session.uid_mv(uid.to_string(), folder).await?,
            None => {
                let _: Vec<_> = session
                    .uid_store(uid.to_string(), "+FLAGS.SILENT (\\Seen)")
                    .await?
                    .try_collect()
                    .await?;
            }
        }
        round.taken += 1;
        if outcome == Ingested::Seen {
            round.seen_before += 1;
        }
        tracing::debug!(account = %account.name, uid, outcome = outcome.outcome(), "mail taken");
    }
    Ok(round)
}

/// One connection's life: rounds, with an IDLE (or a pause) between them,
/// until the connection fails or `stop` resolves.
async fn serve_connection(
    service: &Service,
    account: &ImapAccount,
    stop: &mut (impl Future<Output = ()> + Unpin),
) -> Result<(), PollError> {
    let mut session = open(account).await?;
    let idle = session.capabilities().await?.has_str("IDLE");
    loop {
        let round = drain(&mut session, service, account).await?;
        if round.taken > 0 {
            tracing::info!(account = %account.name, taken = round.taken, "mail taken");
        }
        if idle {
            let mut handle = session.idle();
            handle.init().await?;
            let (wait, interrupt) =
                handle.wait_with_timeout(account.poll.max(Duration::from_secs(1)));
            let stopped = tokio::select! {
                answer = wait => { answer?; false }
                () = &mut *stop => true,
            };
            drop(interrupt);
            session = handle.done().await?;
            if stopped {
                let _ = session.logout().await;
                return Ok(());
            }
        } else {
            tokio::select! {
                () = tokio::time::sleep(account.poll) => {}
                () = &mut *stop => {
                    let _ = session.logout().await;
                    return Ok(());
                }
            }
            // Keeps the folder's view of new mail current.
            session.noop().await?;
        }
    }
}

/// Polls one account until `stop` resolves, reconnecting after failures with
/// a growing pause (5 s up to 5 min).
pub async fn run_account(service: Service, account: ImapAccount, stop: impl Future<Output = ()>) {
    let mut stop = std::pin::pin!(stop);
    let mut pause = Duration::from_secs(5);
    loop {
        match serve_connection(&service, &account, &mut stop).await {
            Ok(()) => return,
            Err(e) => {
                tracing::warn!(account = %account.name, error = %e, "IMAP poller: will try again");
            }
        }
        tokio::select! {
            () = tokio::time::sleep(pause) => {}
            () = &mut stop => return,
        }
        pause = (pause * 2).min(Duration::from_secs(300));
    }
}

/// One round on one account: connects, takes every unread message, signs
/// out (`sau mail poll --once`, and tests).
pub async fn poll_once(service: &Service, account: &ImapAccount) -> Result<Round, PollError> {
    let mut session = open(account).await?;
    let round = drain(&mut session, service, account).await?;
    let _ = session.logout().await;
    Ok(round)
}
