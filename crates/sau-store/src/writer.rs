//! SQLite's single writer with group commit.
//!
//! SQLite allows one writer at a time; several writer connections make its busy
//! handler sleep for up to seconds. So every write goes through one connection owned
//! by one task. Commands that arrive while a commit is in flight are run together in
//! the next transaction, each inside its own savepoint (a failing command undoes only
//! itself), and every caller is answered only after that transaction commits: one
//! fsync acknowledges many tickets, and an acknowledged ticket is on disk.

use crate::StoreError;
use futures::future::BoxFuture;
use sqlx::{Connection, SqliteConnection};
use std::any::Any;
use tokio::sync::{mpsc, oneshot};

type Value = Box<dyn Any + Send>;
type Work = Box<
    dyn for<'c> FnOnce(&'c mut SqliteConnection) -> BoxFuture<'c, Result<Value, StoreError>> + Send,
>;
type Reply = Box<dyn FnOnce(Result<Value, StoreError>) + Send>;

struct Op {
    work: Work,
    reply: Reply,
}

/// Work the writer does on its own, in a transaction of its own, when it has a
/// moment: after a pause in the commands, or every [`HOUSEKEEPING_EVERY`]
/// transactions under constant load (batching the search index, say).
pub(crate) type Housekeeping =
    for<'c> fn(&'c mut SqliteConnection) -> BoxFuture<'c, Result<(), StoreError>>;

/// How long without commands counts as a moment to spare.
const IDLE: std::time::Duration = std::time::Duration::from_millis(200);

/// Transactions after which housekeeping runs even without a pause.
const HOUSEKEEPING_EVERY: u32 = 1_000;

/// Handle to the writer task; cheap to clone.
#[derive(Clone, Debug)]
pub(crate) struct Writer {
    queue: mpsc::Sender<Op>,
}

/// Most commands committed by one transaction.
const MAX_BATCH: usize = 256;

impl Writer {
    pub(crate) fn start(conn: SqliteConnection, housekeeping: Housekeeping) -> Writer {
        let (queue, ops) = mpsc::channel(4 * MAX_BATCH);
        tokio::spawn(run(conn, ops, housekeeping));
        Writer { queue }
    }

    /// Runs `work` in the writer's next transaction and returns its result once that
    /// transaction has committed.
    pub(crate) async fn write<T, F>(&self, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c mut SqliteConnection) -> BoxFuture<'c, Result<T, StoreError>>
            + Send
            + 'static,
    {
        self.write_then(work, |_| {}).await
    }

    /// Like [`write`](Self::write), and hands the result to `committed` once the
    /// transaction has committed (never if it did not). `committed` runs on the
    /// writer task, in commit order, even when the caller has stopped waiting.
    pub(crate) async fn write_then<T, F, C>(&self, work: F, committed: C) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c mut SqliteConnection) -> BoxFuture<'c, Result<T, StoreError>>
            + Send
            + 'static,
        C: FnOnce(&T) + Send + 'static,
    {
        let (tx, rx) = oneshot::channel();
        let op = Op {
            work: Box::new(move |conn| {
                Box::pin(async move { work(conn).await.map(|v| Box::new(v) as Value) })
            }),
            reply: Box::new(move |result| {
                let typed = result.and_then(|v| {
                    v.downcast::<T>()
                        .map(|b| *b)
                        .map_err(|_| StoreError::Corrupt("writer reply type".into()))
                });
                // Replies carry a value only after their transaction committed.
                if let Ok(value) = &typed {
                    committed(value);
                }
                // The caller may have gone away (request cancelled); the write stands.
                let _ = tx.send(typed);
            }),
        };
        self.queue
            .send(op)
            .await
            .map_err(|_| StoreError::WriterClosed)?;
        rx.await.map_err(|_| StoreError::WriterClosed)?
    }
}

async fn run(mut conn: SqliteConnection, mut ops: mpsc::Receiver<Op>, housekeeping: Housekeeping) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    // Transactions since housekeeping last ran; none means nothing to do.
    let mut since = 0;
    loop {
        let received = if since == 0 {
            ops.recv_many(&mut batch, MAX_BATCH).await
        } else {
            match tokio::time::timeout(IDLE, ops.recv_many(&mut batch, MAX_BATCH)).await {
                Ok(n) => n,
                Err(_idle) => {
                    keep_house(&mut conn, housekeeping).await;
                    since = 0;
                    continue;
                }
            }
        };
        if received == 0 {
            break;
        }
        commit_batch(&mut conn, std::mem::take(&mut batch)).await;
        since += 1;
        if since >= HOUSEKEEPING_EVERY {
            keep_house(&mut conn, housekeeping).await;
            since = 0;
        }
    }
    if since > 0 {
        keep_house(&mut conn, housekeeping).await;
    }
    let _ = conn.close().await;
}

async fn keep_house(conn: &mut SqliteConnection, housekeeping: Housekeeping) {
    let done = async {
        exec(conn, "BEGIN IMMEDIATE").await?;
        match housekeeping(conn).await {
            Ok(()) => exec(conn, "COMMIT").await,
            Err(e) => {
                let _ = exec(conn, "ROLLBACK").await;
                Err(e)
            }
        }
    };
    if let Err(e) = done.await {
        tracing::warn!(error = %e, "the writer's housekeeping failed; it will be retried");
    }
}

// Boxed so the writer task's future is plainly `Send`: the compiler cannot prove
// it through sqlx's generic executor lifetimes otherwise.
fn exec<'c>(
    conn: &'c mut SqliteConnection,
    sql: &'static str,
) -> BoxFuture<'c, Result<(), StoreError>> {
    Box::pin(async move {
        sqlx::query(sql).execute(&mut *conn).await?;
        Ok(())
    })
}

fn commit_batch(conn: &mut SqliteConnection, batch: Vec<Op>) -> BoxFuture<'_, ()> {
    Box::pin(commit_batch_inner(conn, batch))
}

async fn commit_batch_inner(conn: &mut SqliteConnection, batch: Vec<Op>) {
    if let Err(e) = exec(conn, "BEGIN IMMEDIATE").await {
        for op in batch {
            (op.reply)(Err(e.share()));
        }
        return;
    }
    // A lone command needs no savepoint: on failure the whole transaction rolls back.
    let single = batch.len() == 1;
    let mut outcomes = Vec::with_capacity(batch.len());
    for op in batch {
        if !single && let Err(e) = exec(conn, "SAVEPOINT op").await {
            outcomes.push((op.reply, Err(e)));
            continue;
        }
        let result = (op.work)(conn).await;
        if !single {
            let undone = match result {
                Ok(_) => exec(conn, "RELEASE op").await,
                Err(_) => match exec(conn, "ROLLBACK TO op").await {
                    Ok(()) => exec(conn, "RELEASE op").await,
                    Err(e) => Err(e),
                },
            };
            if let Err(e) = undone {
                tracing::error!(error = %e, "savepoint handling failed; rolling back the batch");
                outcomes.push((op.reply, result));
                fail_all(conn, outcomes, e).await;
                return;
            }
        }
        outcomes.push((op.reply, result));
    }
    let all_failed_single = single && outcomes.iter().all(|(_, r)| r.is_err());
    let end = if all_failed_single {
        "ROLLBACK"
    } else {
        "COMMIT"
    };
    match exec(conn, end).await {
        Ok(()) => {
            for (reply, result) in outcomes {
                reply(result);
            }
        }
        Err(e) => fail_all(conn, outcomes, e).await,
    }
}

async fn fail_all(
    conn: &mut SqliteConnection,
    outcomes: Vec<(Reply, Result<Value, StoreError>)>,
    error: StoreError,
) {
    let _ = exec(conn, "ROLLBACK").await;
    for (reply, result) in outcomes {
        match result {
            Err(e) => reply(Err(e)),
            Ok(_) => reply(Err(error.share())),
        }
    }
}
