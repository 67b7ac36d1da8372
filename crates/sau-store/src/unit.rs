//! The unit of work: one write transaction that the caller fills with statements.
//!
//! The service opens it with [`Store::transaction`] and, inside, reads the ticket,
//! decides, and writes the events, the ticket row, the attachment rows and any
//! jobs; all of it commits together or none of it does. On SQLite the work runs
//! on the single writer (inside a savepoint of a group commit, see `writer`), so it
//! must be quick and must not wait on anything but the database. On PostgreSQL it
//! is a transaction of its own, and a ticket read for update keeps its row locked
//! until the commit.

use crate::changes::{Before, TicketChanged};
use crate::records::{NewTicket, TicketChange};
use crate::{Backend, Store, StoreError};
use futures::future::BoxFuture;
use sau_domain::{Ticket, TicketId};
use sqlx::{PgConnection, SqliteConnection};
use std::any::Any;

/// An open write transaction. Only [`Store::transaction`] makes one.
pub struct Tx<'a> {
    conn: Conn<'a>,
    /// SQLite: the changes to announce once the transaction has committed.
    announced: &'a mut Vec<TicketChanged>,
}

impl std::fmt::Debug for Tx<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let backend = match self.conn {
            Conn::Sqlite(_) => "sqlite",
            Conn::Postgres(_) => "postgres",
        };
        f.debug_struct("Tx").field("backend", &backend).finish()
    }
}

enum Conn<'a> {
    Sqlite(&'a mut SqliteConnection),
    Postgres(&'a mut PgConnection),
}

/// A number taken for a ticket before its transaction (see
/// [`Store::reserve_ticket_number`]).
#[derive(Debug, Clone, Copy)]
pub struct ReservedNumber(i64);

/// Runs `$body` with `$c` bound to the transaction's connection and that
/// backend's SQL modules in scope.
macro_rules! on {
    ($tx:expr, |$c:ident| $body:expr) => {
        match &mut $tx.conn {
            Conn::Sqlite($c) => {
                #[allow(unused_imports)]
                use crate::sqlite::{
                    calendars, jobs, mail_inbound, mail_outbox, rating_links, tickets,
                };
                $body.await
            }
            Conn::Postgres($c) => {
                #[allow(unused_imports)]
                use crate::pg::{
                    calendars, jobs, mail_inbound, mail_outbox, rating_links, tickets,
                };
                $body.await
            }
        }
    };
}

impl Tx<'_> {
    /// The ticket as it is now; on PostgreSQL its row stays locked until the
    /// transaction ends (on SQLite the single writer excludes every other write).
    pub async fn ticket_for_update(&mut self, id: TicketId) -> Result<Option<Ticket>, StoreError> {
        on!(self, |c| tickets::ticket_for_update(c, id))
    }

    /// Writes a new ticket with its number, field values, submission event,
    /// description entry and attachment rows.
    pub async fn insert_ticket(
        &mut self,
        new: NewTicket,
        reserved: Option<ReservedNumber>,
    ) -> Result<Ticket, StoreError> {
        let reserved = reserved.map(|r| r.0);
        let ticket = on!(self, |c| tickets::create_ticket(c, new, reserved))?;
        self.announce(TicketChanged::submitted(&ticket)).await?;
        Ok(ticket)
    }

    /// Appends a command's events (with their entries and attachment rows) and
    /// rewrites the ticket row from `before` to `change.ticket`. Refused with
    /// `StaleVersion` if the row is no longer at `before`'s version.
    pub async fn record_change(
        &mut self,
        before: &Ticket,
        change: TicketChange,
    ) -> Result<Ticket, StoreError> {
        if change.events.is_empty() {
            return Ok(change.ticket);
        }
        let after = on!(self, |c| tickets::record_change(c, change))?;
        if let Some(changed) = TicketChanged::between(&Before::of(before), &after) {
            self.announce(changed).await?;
        }
        Ok(after)
    }

    /// Adds a job, due at `run_at`, that runs only if this transaction commits.
    /// With a `unique_key` some job already has, nothing is added: `None`.
    pub async fn enqueue_job(
        &mut self,
        kind: &str,
        payload: &str,
        run_at: jiff::Timestamp,
        unique_key: Option<&str>,
    ) -> Result<Option<i64>, StoreError> {
        on!(self, |c| jobs::enqueue_job(
            c, kind, payload, run_at, unique_key
        ))
    }

    /// Adds a mail to the outbox unless one with its key is there: its id, or
    /// `None`. Its sending job goes in the same transaction.
    pub async fn queue_mail(&mut self, mail: &crate::NewMail) -> Result<Option<i64>, StoreError> {
        on!(self, |c| mail_outbox::queue(c, mail))
    }

    /// Records that a ticket's deadline was warned of (`kind`: `due_soon` or
    /// `overdue`): `false` if it was already, and then nothing is to be sent.
    pub async fn record_deadline_warning(
        &mut self,
        ticket: TicketId,
        kind: &str,
        due_at: jiff::Timestamp,
        at: jiff::Timestamp,
    ) -> Result<bool, StoreError> {
        let (due_at, at) = (crate::records::micros(due_at), crate::records::micros(at));
        on!(self, |c| calendars::record_warning(
            c, ticket.0, kind, due_at, at
        ))
    }

    /// Records a message that arrived, with what became of it: its id, or
    /// `None` when a message with its key was recorded before (then the
    /// caller undoes the transaction, so the message makes nothing twice).
    pub async fn record_inbound_mail(
        &mut self,
        mail: &crate::NewInboundMail,
    ) -> Result<Option<i64>, StoreError> {
        on!(self, |c| mail_inbound::record(c, mail))
    }

    /// Adds a closing mail's rating link, with the mail that carries it.
    pub async fn add_rating_link(&mut self, link: &crate::RatingLink) -> Result<(), StoreError> {
        on!(self, |c| rating_links::add(c, link))
    }

    /// Marks a rating link used, inside the rating's transaction: `false` if
    /// it was used already (then the caller undoes the transaction).
    pub async fn use_rating_link(
        &mut self,
        token_hash: &str,
        at: jiff::Timestamp,
    ) -> Result<bool, StoreError> {
        on!(self, |c| rating_links::use_once(c, token_hash, at))
    }

    /// Tells the live pages of every instance about `change` once the transaction
    /// commits: on PostgreSQL a NOTIFY inside it (delivered on commit to every
    /// instance's listener, this one's included), on SQLite published by the
    /// writer after the commit.
    async fn announce(&mut self, change: TicketChanged) -> Result<(), StoreError> {
        match &mut self.conn {
            Conn::Sqlite(_) => {
                self.announced.push(change);
                Ok(())
            }
            Conn::Postgres(c) => crate::changes::notify(c, &change).await,
        }
    }
}

/// The caller's own error, carried through the writer so that it undoes the work
/// like any failure, then handed back unchanged.
pub struct Refusal(Box<dyn Any + Send + Sync>);

impl std::fmt::Debug for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Refusal")
    }
}

impl Store {
    /// Runs `work` in one write transaction: committed if it returns `Ok`, rolled
    /// back if it returns `Err` (its own error comes back as it was).
    pub async fn transaction<T, E, F>(&self, work: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<StoreError> + Send + Sync + 'static,
        F: for<'a> FnOnce(Tx<'a>) -> BoxFuture<'a, Result<T, E>> + Send + 'static,
    {
        let outcome = match &self.backend {
            Backend::Sqlite { writer, .. } => {
                let changes = self.changes.clone();
                writer
                    .write_then(
                        move |c| {
                            Box::pin(async move {
                                let mut announced = Vec::new();
                                let tx = Tx {
                                    conn: Conn::Sqlite(c),
                                    announced: &mut announced,
                                };
                                let value = work(tx).await.map_err(refused)?;
                                Ok((value, announced))
                            })
                        },
                        move |(_, announced): &(T, Vec<TicketChanged>)| {
                            for change in announced {
                                changes.publish(change.clone());
                            }
                        },
                    )
                    .await
                    .map(|(value, _)| value)
            }
            Backend::Postgres(pool) => {
                let pool = pool.clone();
                async move {
                    let mut db = pool.begin().await?;
                    let mut unused = Vec::new();
                    let tx = Tx {
                        conn: Conn::Postgres(&mut db),
                        announced: &mut unused,
                    };
                    // Dropping `db` without a commit rolls it back.
                    let value = work(tx).await.map_err(refused)?;
                    db.commit().await?;
                    Ok(value)
                }
                .await
            }
        };
        outcome.map_err(|e| match e {
            StoreError::Refused(Refusal(own)) => match own.downcast::<E>() {
                Ok(own) => *own,
                Err(_) => E::from(StoreError::Corrupt("a refusal of another type".into())),
            },
            other => E::from(other),
        })
    }

    /// On PostgreSQL, takes the day's next ticket counter in a short transaction
    /// of its own, so concurrent submissions hold the counter row for one statement
    /// rather than until their ticket commits (a failed submission leaves a gap, as
    /// OTRS's counter does). On SQLite the single writer serializes the counter
    /// anyway, and taking it inside the ticket's transaction is cheaper: `None`.
    pub async fn reserve_ticket_number(
        &self,
        day: jiff::civil::Date,
    ) -> Result<Option<ReservedNumber>, StoreError> {
        match &self.backend {
            Backend::Sqlite { .. } => Ok(None),
            Backend::Postgres(pool) => {
                let mut conn = pool.acquire().await?;
                let day = crate::pg::tickets::counter_day(day);
                let counter = crate::pg::tickets::next_counter(&mut conn, &day).await?;
                Ok(Some(ReservedNumber(counter)))
            }
        }
    }
}

fn refused<E: Send + Sync + 'static>(own: E) -> StoreError {
    StoreError::Refused(Refusal(Box::new(own)))
}
