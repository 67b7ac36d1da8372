//! The change feed: every committed change to a ticket, for the live pages.
//!
//! On SQLite one process does all the writing, so it publishes each change itself,
//! from the writer task once the transaction has committed. On PostgreSQL several
//! instances write: each change is a `NOTIFY` inside the transaction that makes it
//! (the database delivers it only if that transaction commits), and every instance
//! `LISTEN`s and forwards what it hears, its own changes included, so a change made
//! through any instance reaches the pages served by all of them exactly once.

use crate::StoreError;
use sau_domain::{State, Ticket, TicketId, UserId};
use serde::{Deserialize, Serialize};
use sqlx::PgConnection;
use sqlx::postgres::{PgConnectOptions, PgListener, PgPoolOptions};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{broadcast, oneshot};

/// The PostgreSQL notification channel (channels are per database).
const CHANNEL: &str = "sau_ticket_changes";

/// How the listening connections show in `pg_stat_activity`.
const LISTENER_NAME: &str = "sau change listener";

/// How many changes a reader may fall behind by before it is told it missed some.
const BACKLOG: usize = 1024;

/// Longest pause between attempts to reach PostgreSQL again.
const MAX_BACKOFF: Duration = Duration::from_secs(10);

/// One committed change to a ticket: enough for a live page to tell whether it
/// shows that ticket, before or after. Also the `NOTIFY` payload on PostgreSQL, so
/// it stays small (a few hundred bytes; PostgreSQL's limit is 8000).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketChanged {
    pub ticket: TicketId,
    pub number: String,
    /// The ticket's version after the change.
    pub version: i64,
    /// `None` for a ticket just submitted.
    pub state_before: Option<State>,
    pub state: State,
    pub technician_before: Option<UserId>,
    pub technician: Option<UserId>,
    pub requester: UserId,
}

impl TicketChanged {
    pub(crate) fn submitted(ticket: &Ticket) -> TicketChanged {
        TicketChanged {
            ticket: ticket.id,
            number: ticket.number.clone(),
            version: ticket.version,
            state_before: None,
            state: ticket.state,
            technician_before: None,
            technician: ticket.technician,
            requester: ticket.requester,
        }
    }

    /// The change from `before` to `after`; `None` when nothing was written (a
    /// command that produced no events leaves the version as it was).
    pub(crate) fn between(before: &Before, after: &Ticket) -> Option<TicketChanged> {
        (after.version != before.version).then(|| TicketChanged {
            ticket: after.id,
            number: after.number.clone(),
            version: after.version,
            state_before: Some(before.state),
            state: after.state,
            technician_before: before.technician,
            technician: after.technician,
            requester: after.requester,
        })
    }
}

/// What a ticket was when a command was decided on, kept to describe the change.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Before {
    state: State,
    technician: Option<UserId>,
    version: i64,
}

impl Before {
    pub(crate) fn of(ticket: &Ticket) -> Before {
        Before {
            state: ticket.state,
            technician: ticket.technician,
            version: ticket.version,
        }
    }
}

/// What the feed hands a reader.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Ticket(TicketChanged),
    /// Changes may have gone by unseen (the reader fell behind, or the connection
    /// to PostgreSQL was lost and has just been restored): read afresh whatever is
    /// shown.
    Missed,
}

/// One reader's view of the feed, from the moment it subscribed.
#[derive(Debug)]
pub struct ChangeFeed {
    receiver: broadcast::Receiver<Change>,
}

impl ChangeFeed {
    /// The next change; `None` once the store is gone.
    pub async fn next(&mut self) -> Option<Change> {
        match self.receiver.recv().await {
            Ok(change) => Some(change),
            Err(broadcast::error::RecvError::Lagged(_)) => Some(Change::Missed),
            Err(broadcast::error::RecvError::Closed) => None,
        }
    }
}

/// The sending side, held by the store.
#[derive(Debug, Clone)]
pub(crate) struct Changes {
    sender: broadcast::Sender<Change>,
    /// On PostgreSQL: dropped with the last clone of the store, which stops the
    /// listener task (and closes its connection).
    _listener: Option<Arc<oneshot::Sender<()>>>,
}

impl Changes {
    /// A feed the process fills itself (SQLite).
    pub(crate) fn in_process() -> Changes {
        Changes {
            sender: broadcast::channel(BACKLOG).0,
            _listener: None,
        }
    }

    /// A feed filled from PostgreSQL's notifications. Listens before returning, so
    /// every change committed after the store is open is heard.
    pub(crate) async fn listening(url: &str) -> Result<Changes, StoreError> {
        let options = PgConnectOptions::from_str(url)?.application_name(LISTENER_NAME);
        // A pool of one, which `PgListener` reconnects through.
        let pool = PgPoolOptions::new()
            .max_connections(1)
            .min_connections(0)
            .max_lifetime(None)
            .idle_timeout(None)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await?;
        let mut listener = PgListener::connect_with(&pool).await?;
        listener.listen(CHANNEL).await?;
        let (sender, _) = broadcast::channel(BACKLOG);
        let (stop, stopped) = oneshot::channel();
        tokio::spawn(forward(listener, sender.clone(), stopped));
        Ok(Changes {
            sender,
            _listener: Some(Arc::new(stop)),
        })
    }

    pub(crate) fn subscribe(&self) -> ChangeFeed {
        ChangeFeed {
            receiver: self.sender.subscribe(),
        }
    }

    /// Tells every reader in this process (SQLite, after the commit).
    pub(crate) fn publish(&self, change: TicketChanged) {
        // No reader is no error: nobody has a live page open.
        let _ = self.sender.send(Change::Ticket(change));
    }
}

/// Announces `change` to every instance when the surrounding transaction commits.
pub(crate) async fn notify(c: &mut PgConnection, change: &TicketChanged) -> Result<(), StoreError> {
    sqlx::query("SELECT pg_notify($1, $2)")
        .bind(CHANNEL)
        .bind(serde_json::to_string(change)?)
        .execute(&mut *c)
        .await?;
    Ok(())
}

/// Forwards notifications into the feed until the store is dropped. A lost
/// connection is re-established (by `PgListener`, or here after an error, with a
/// growing pause); what was notified in between is gone, so readers are then told
/// they missed changes.
async fn forward(
    mut listener: PgListener,
    feed: broadcast::Sender<Change>,
    mut stopped: oneshot::Receiver<()>,
) {
    let mut failures: u32 = 0;
    loop {
        let next = tokio::select! {
            biased;
            _ = &mut stopped => return,
            next = listener.try_recv() => next,
        };
        match next {
            Ok(Some(notification)) => {
                failures = 0;
                match serde_json::from_str::<TicketChanged>(notification.payload()) {
                    Ok(change) => {
                        let _ = feed.send(Change::Ticket(change));
                    }
                    Err(e) => tracing::warn!(error = %e, "unreadable ticket change notification"),
                }
            }
            // `PgListener` has already reconnected and listens again.
            Ok(None) => {
                tracing::warn!("the change listener lost its connection and reconnected");
                let _ = feed.send(Change::Missed);
            }
            Err(e) => {
                failures = failures.saturating_add(1);
                let pause = backoff(failures);
                tracing::warn!(error = %e, retry_in = ?pause, "the change listener failed");
                tokio::select! {
                    biased;
                    _ = &mut stopped => return,
                    () = tokio::time::sleep(pause) => {}
                }
                // Reconnect now rather than when the next notification would have
                // arrived, so readers hear about the gap promptly. A connection
                // that is still broken fails in `try_recv`, which replaces it.
                if sqlx::Acquire::acquire(&mut listener).await.is_ok() {
                    let _ = feed.send(Change::Missed);
                }
            }
        }
    }
}

#[cfg(feature = "testing")]
impl crate::Store {
    /// Cuts every instance's listening connection to this database, as a restart
    /// or a network fault would; returns how many were cut. PostgreSQL only.
    pub async fn terminate_change_listeners_for_tests(&self) -> Result<i64, StoreError> {
        let crate::Backend::Postgres(pool) = &self.backend else {
            return Ok(0);
        };
        Ok(sqlx::query_scalar(
            "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity \
             WHERE datname = current_database() AND application_name = $1",
        )
        .bind(LISTENER_NAME)
        .fetch_one(pool)
        .await?)
    }
}

/// 0.5 s, 1 s, 2 s … up to [`MAX_BACKOFF`].
fn backoff(failures: u32) -> Duration {
    let doubled = Duration::from_millis(250).saturating_mul(1 << failures.min(16));
    doubled.min(MAX_BACKOFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped() {
        assert_eq!(backoff(1), Duration::from_millis(500));
        assert_eq!(backoff(2), Duration::from_secs(1));
        assert_eq!(backoff(3), Duration::from_secs(2));
        assert_eq!(backoff(100), MAX_BACKOFF);
    }
}
