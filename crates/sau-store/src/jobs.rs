//! The store's statements for background jobs, outside a unit of work.

use crate::records::{JobCounts, JobRecord, JobView};
use crate::{Backend, Store, StoreError};

impl Store {
    /// Adds a job outside any other change (a scheduled one): with a
    /// `unique_key` already taken, nothing is added and the answer is `None`.
    pub async fn enqueue_job(
        &self,
        kind: String,
        payload: String,
        run_at: jiff::Timestamp,
        unique_key: Option<String>,
    ) -> Result<Option<i64>, StoreError> {
        write!(self, |c| jobs::enqueue_job(
            c,
            &kind,
            &payload,
            run_at,
            unique_key.as_deref()
        ))
    }

    pub async fn claim_jobs(
        &self,
        now: jiff::Timestamp,
        lease: jiff::SignedDuration,
        limit: i64,
    ) -> Result<Vec<JobRecord>, StoreError> {
        write!(self, |c| jobs::claim_jobs(c, now, lease, limit))
    }

    /// `false` if the job was already done (a repeat run after a lost lease).
    pub async fn complete_job(&self, id: i64, now: jiff::Timestamp) -> Result<bool, StoreError> {
        write!(self, |c| jobs::complete_job(c, id, now))
    }

    /// A failed try: retried at `retry_at`, or set aside as failed with `None`.
    pub async fn fail_job(
        &self,
        id: i64,
        error: String,
        now: jiff::Timestamp,
        retry_at: Option<jiff::Timestamp>,
    ) -> Result<(), StoreError> {
        write!(self, |c| jobs::fail_job(c, id, &error, now, retry_at))
    }

    /// Puts a failed job back in line; `NotFound` if it is not a failed job.
    pub async fn retry_failed_job(&self, id: i64, now: jiff::Timestamp) -> Result<(), StoreError> {
        write!(self, |c| jobs::retry_failed_job(c, id, now))
    }

    pub async fn unfinished_jobs(&self, limit: i64) -> Result<Vec<JobView>, StoreError> {
        read!(self, |c| jobs::unfinished_jobs(c, limit))
    }

    pub async fn job(&self, id: i64) -> Result<Option<JobView>, StoreError> {
        read!(self, |c| jobs::job(c, id))
    }

    pub async fn job_counts(&self, now: jiff::Timestamp) -> Result<JobCounts, StoreError> {
        read!(self, |c| jobs::job_counts(c, now))
    }

    pub async fn prune_done_jobs(&self, before: jiff::Timestamp) -> Result<u64, StoreError> {
        write!(self, |c| jobs::prune_done_jobs(c, before))
    }
}
