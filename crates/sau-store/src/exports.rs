//! Exports of ticket lists: the request, its progress and its end.

use crate::{Backend, Store, StoreError};
use jiff::Timestamp;
use sau_domain::UserId;

/// An export as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportRecord {
    pub id: i64,
    pub owner: UserId,
    /// `csv` or `xlsx`.
    pub format: String,
    /// The list's filters, as JSON.
    pub query: String,
    /// `queued`, `running`, `done` or `failed`.
    pub state: String,
    pub rows_done: i64,
    pub rows_total: Option<i64>,
    pub size: Option<i64>,
    pub error: Option<String>,
    pub created_at: Timestamp,
    pub finished_at: Option<Timestamp>,
}

impl Store {
    /// Records an export and, in the same transaction, the job `job_kind`
    /// that writes it: its id.
    pub async fn create_export(
        &self,
        owner: UserId,
        format: String,
        query: String,
        at: Timestamp,
        job_kind: &'static str,
    ) -> Result<i64, StoreError> {
        write!(self, |c| exports::create(
            c, owner.0, &format, &query, at, job_kind
        ))
    }

    pub async fn export(&self, id: i64) -> Result<Option<ExportRecord>, StoreError> {
        read!(self, |c| exports::get(c, id))
    }

    pub async fn export_progress(
        &self,
        id: i64,
        done: i64,
        total: Option<i64>,
    ) -> Result<(), StoreError> {
        write!(self, |c| exports::progress(c, id, done, total))
    }

    /// Ends an export: written with its size, or failed with why.
    pub async fn finish_export(
        &self,
        id: i64,
        size: Option<i64>,
        error: Option<String>,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        write!(self, |c| exports::finish(c, id, size, error.as_deref(), at))
    }

    /// Forgets exports made before `before`: their ids.
    pub async fn prune_exports(&self, before: Timestamp) -> Result<Vec<i64>, StoreError> {
        write!(self, |c| exports::prune(c, before))
    }
}
