//! Background jobs: work that runs after the change that causes it, outside any
//! request, on whichever instance claims it first.
//!
//! A job is a row written in the same transaction as its cause (or, for the
//! periodic ones, once per period, named by that period so that any number of
//! instances and restarts still make one). Every `sau serve` runs a worker: it
//! claims due jobs under a lease, runs each one's handler, and marks it done. A
//! handler may run twice (its worker died after the work and before marking it
//! done, and the lease ran out), so every handler is idempotent. A failed run is
//! retried later, each time after twice the wait; after `max_attempts` tries the
//! job is set aside as failed, and an admin can put it back in line.

use crate::{Caller, Service, ServiceError, UNUSED_BLOB_AGE, now};
use jiff::{SignedDuration, Timestamp};
use sau_store::{JobCounts, JobRecord, JobView};
use std::time::Duration;

/// Every kind of job SAU runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobKind {
    /// Removes attachment files no entry names (failed uploads).
    CollectUnusedFiles,
    /// Deletes web sessions past their expiry.
    ExpireSessions,
    /// Forgets jobs finished long ago.
    PruneFinishedJobs,
    /// Turns a ticket's change into the mails it calls for (the outbox).
    Notify,
    /// Hands one mail of the outbox to the SMTP server.
    SendMail,
    /// Works out the deadlines of tickets that changed (or whose calendar or
    /// targets did): what the lists' "por vencer" and "vencidos" read.
    RefreshDeadlines,
    /// Measures the tickets closed (or reopened) since the last run: what
    /// the director's reports add up.
    RefreshMeasures,
    /// Writes a ticket list someone asked for as a file.
    ExportTickets,
    /// Warns the dispatchers of tickets nearly due and the supervisors of
    /// tickets overdue, in working hours.
    WarnDeadlines,
    /// Reads the text inside an attached file (OCR for scans) and puts it in
    /// the search documents of the tickets that carry it.
    ExtractText,
    /// For the crash suites only: records that it ran, once in effect.
    #[cfg(feature = "testing")]
    Probe,
}

impl JobKind {
    pub const ALL: &[JobKind] = &[
        JobKind::CollectUnusedFiles,
        JobKind::ExpireSessions,
        JobKind::PruneFinishedJobs,
        JobKind::Notify,
        JobKind::SendMail,
        JobKind::RefreshDeadlines,
        JobKind::RefreshMeasures,
        JobKind::ExportTickets,
        JobKind::WarnDeadlines,
        JobKind::ExtractText,
        #[cfg(feature = "testing")]
        JobKind::Probe,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            JobKind::CollectUnusedFiles => "collect_unused_files",
            JobKind::ExpireSessions => "expire_sessions",
            JobKind::PruneFinishedJobs => "prune_finished_jobs",
            JobKind::Notify => "notify",
            JobKind::SendMail => "send_mail",
            JobKind::RefreshDeadlines => "refresh_deadlines",
            JobKind::RefreshMeasures => "refresh_measures",
            JobKind::ExportTickets => "export_tickets",
            JobKind::WarnDeadlines => "warn_deadlines",
            JobKind::ExtractText => "extract_text",
            #[cfg(feature = "testing")]
            JobKind::Probe => "probe",
        }
    }

    pub fn parse(name: &str) -> Option<JobKind> {
        JobKind::ALL.iter().copied().find(|k| k.as_str() == name)
    }

    /// How often a periodic job runs; `None` for a job caused by a change.
    pub fn period(self) -> Option<SignedDuration> {
        match self {
            JobKind::CollectUnusedFiles => Some(SignedDuration::from_hours(6)),
            JobKind::ExpireSessions => Some(SignedDuration::from_hours(1)),
            JobKind::PruneFinishedJobs => Some(SignedDuration::from_hours(24)),
            JobKind::RefreshDeadlines | JobKind::RefreshMeasures | JobKind::WarnDeadlines => {
                Some(SignedDuration::from_mins(1))
            }
            JobKind::Notify | JobKind::SendMail | JobKind::ExportTickets | JobKind::ExtractText => {
                None
            }
            #[cfg(feature = "testing")]
            JobKind::Probe => None,
        }
    }
}

/// How the worker claims and retries.
#[derive(Debug, Clone, Copy)]
pub struct JobSettings {
    /// How long a claimed job is its worker's; if the worker dies, another one
    /// takes the job after this.
    pub lease: SignedDuration,
    /// Tries before a job is set aside as failed.
    pub max_attempts: i64,
    /// The wait before the first retry; it doubles with each failure.
    pub first_retry: SignedDuration,
    /// The longest wait between tries.
    pub longest_retry: SignedDuration,
    /// How long finished jobs are kept, for the record.
    pub keep_finished: SignedDuration,
}

impl Default for JobSettings {
    fn default() -> Self {
        JobSettings {
            lease: SignedDuration::from_mins(10),
            max_attempts: 8,
            first_retry: SignedDuration::from_secs(30),
            longest_retry: SignedDuration::from_hours(1),
            keep_finished: SignedDuration::from_hours(14 * 24),
        }
    }
}

impl JobSettings {
    /// When to try again after the `attempts`-th failed try, or `None` when the
    /// job has had its tries.
    pub fn retry_at(&self, attempts: i64, now: Timestamp) -> Option<Timestamp> {
        if attempts >= self.max_attempts {
            return None;
        }
        let doublings = u32::try_from(attempts.saturating_sub(1).clamp(0, 30)).unwrap_or(30);
        let wait = self
            .first_retry
            .checked_mul(1 << doublings)
            .unwrap_or(self.longest_retry)
            .min(self.longest_retry);
        now.checked_add(wait).ok()
    }
}

/// How one claimed job ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobOutcome {
    Done,
    /// Done, but another run had already finished it: this run was a repeat.
    Repeated,
    WillRetry,
    SetAside,
}

impl JobOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            JobOutcome::Done => "done",
            JobOutcome::Repeated => "repeated",
            JobOutcome::WillRetry => "retry",
            JobOutcome::SetAside => "failed",
        }
    }
}

/// What the admin's page shows: counts, and the unfinished jobs, failed first.
#[derive(Debug, Clone)]
pub struct JobsOverview {
    pub counts: JobCounts,
    pub jobs: Vec<JobView>,
}

/// Most jobs one claim takes.
const CLAIM_BATCH: i64 = 16;

/// Most claimed jobs one worker runs side by side.
const JOBS_AT_ONCE: usize = 8;

/// Most unfinished jobs the admin's page lists.
const OVERVIEW_LIMIT: i64 = 200;

impl Service {
    /// Writes this period's job of every periodic kind, unless one exists
    /// already (on any instance); returns how many were written.
    pub async fn schedule_periodic_jobs(&self, at: Timestamp) -> Result<usize, ServiceError> {
        let mut written = 0;
        for kind in JobKind::ALL {
            let Some(period) = kind.period() else {
                continue;
            };
            let period_us = period.as_micros().max(1) as i64;
            let start = at.as_microsecond().div_euclid(period_us) * period_us;
            let key = format!("{}@{start}", kind.as_str());
            let added = self
                .store
                .enqueue_job(kind.as_str().into(), "{}".into(), at, Some(key))
                .await?;
            written += usize::from(added.is_some());
        }
        Ok(written)
    }

    /// Claims the jobs due now and runs them, several at once; returns how each
    /// ended. Jobs are independent and most of their time is spent waiting on
    /// another server (an SMTP server's answer, above all), so running a
    /// batch side by side multiplies what one worker gets through.
    pub async fn run_due_jobs(&self) -> Result<Vec<(JobKind, JobOutcome)>, ServiceError> {
        use futures::StreamExt;
        let jobs = self.jobs_settings();
        let claimed = self
            .store
            .claim_jobs(now(), jobs.lease, CLAIM_BATCH)
            .await?;
        let ended: Vec<Result<Option<(JobKind, JobOutcome)>, ServiceError>> =
            futures::stream::iter(claimed)
                .map(|job| self.run_claimed(job, &jobs))
                .buffer_unordered(JOBS_AT_ONCE)
                .collect()
                .await;
        let mut outcomes = Vec::with_capacity(ended.len());
        for result in ended {
            outcomes.extend(result?);
        }
        Ok(outcomes)
    }

    /// Runs one claimed job and records how it ended: done, or failed with
    /// its next try (or none, after the last).
    async fn run_claimed(
        &self,
        job: JobRecord,
        jobs: &JobSettings,
    ) -> Result<Option<(JobKind, JobOutcome)>, ServiceError> {
        let kind = JobKind::parse(&job.kind);
        let result = match kind {
            Some(kind) => self.run_job(kind, &job).await,
            None => Err(format!("unknown job kind {:?}", job.kind)),
        };
        let at = now();
        let outcome = match result {
            Ok(()) => {
                if self.store.complete_job(job.id, at).await? {
                    JobOutcome::Done
                } else {
                    JobOutcome::Repeated
                }
            }
            Err(error) => {
                let retry_at = jobs.retry_at(job.attempts, at);
                tracing::warn!(job = job.id, kind = %job.kind, attempts = job.attempts, %error,
                    "a background job failed");
                self.store.fail_job(job.id, error, at, retry_at).await?;
                if retry_at.is_some() {
                    JobOutcome::WillRetry
                } else {
                    JobOutcome::SetAside
                }
            }
        };
        let Some(kind) = kind else {
            return Ok(None);
        };
        metrics::counter!("sau_jobs_run_total", "kind" => kind.as_str(), "outcome" => outcome.as_str())
            .increment(1);
        Ok(Some((kind, outcome)))
    }

    /// Runs one job's handler. Every handler may run more than once for the
    /// same job, with the same effect as once.
    async fn run_job(&self, kind: JobKind, job: &JobRecord) -> Result<(), String> {
        match kind {
            JobKind::CollectUnusedFiles => {
                let collected = self
                    .collect_unused_blobs(&Caller::System, UNUSED_BLOB_AGE)
                    .await
                    .map_err(|e| e.to_string())?;
                if collected.blobs + collected.unfinished > 0 {
                    tracing::info!(
                        files = collected.blobs,
                        unfinished = collected.unfinished,
                        "unused attachment files removed"
                    );
                }
                Ok(())
            }
            JobKind::ExpireSessions => {
                self.store
                    .delete_expired_sessions(now())
                    .await
                    .map_err(|e| e.to_string())?;
                self.store
                    .delete_ended_api_sessions(now())
                    .await
                    .map_err(|e| e.to_string())?;
                Ok(())
            }
            JobKind::PruneFinishedJobs => {
                let before = now()
                    .checked_sub(self.jobs_settings().keep_finished)
                    .map_err(|e| e.to_string())?;
                self.store
                    .prune_done_jobs(before)
                    .await
                    .map_err(|e| e.to_string())?;
                self.prune_exports().await
            }
            JobKind::Notify => self.run_notify(&job.payload).await,
            JobKind::SendMail => self.run_send_mail(&job.payload, job.attempts).await,
            JobKind::RefreshDeadlines => self
                .refresh_deadlines()
                .await
                .map(|_| ())
                .map_err(|e| e.to_string()),
            JobKind::RefreshMeasures => self
                .refresh_measures()
                .await
                .map(|_| ())
                .map_err(|e| e.to_string()),
            JobKind::WarnDeadlines => self
                .warn_deadlines()
                .await
                .map(|_| ())
                .map_err(|e| e.to_string()),
            JobKind::ExportTickets => {
                #[derive(serde::Deserialize)]
                struct Payload {
                    export: i64,
                }
                let payload: Payload =
                    serde_json::from_str(&job.payload).map_err(|e| e.to_string())?;
                self.run_export(payload.export).await
            }
            JobKind::ExtractText => self.run_extract_text(&job.payload).await,
            #[cfg(feature = "testing")]
            JobKind::Probe => crate::probe::run(job).await,
        }
    }

    /// Unfinished jobs, failed first, with the counts (admins only).
    pub async fn jobs_overview(&self, caller: &Caller) -> Result<JobsOverview, ServiceError> {
        if !caller.is_admin() {
            return Err(ServiceError::Forbidden);
        }
        Ok(JobsOverview {
            counts: self.store.job_counts(now()).await?,
            jobs: self.store.unfinished_jobs(OVERVIEW_LIMIT).await?,
        })
    }

    /// Puts a failed job back in line, due now (admins only).
    pub async fn retry_job(&self, caller: &Caller, id: i64) -> Result<(), ServiceError> {
        if !caller.is_admin() {
            return Err(ServiceError::Forbidden);
        }
        self.store
            .retry_failed_job(id, now())
            .await
            .map_err(|e| match e {
                sau_store::StoreError::NotFound => ServiceError::NotFound("job"),
                other => other.into(),
            })
    }

    /// Job counts, for metrics.
    pub async fn job_counts(&self) -> Result<JobCounts, ServiceError> {
        Ok(self.store.job_counts(now()).await?)
    }

    fn jobs_settings(&self) -> JobSettings {
        self.settings.jobs
    }
}

/// How often an idle worker looks for due jobs.
const POLL: Duration = Duration::from_secs(1);

/// How often the worker writes the periodic jobs' next period.
const SCHEDULE_EVERY: Duration = Duration::from_secs(60);

/// The worker every `sau serve` runs, until `stop` resolves. A job that is
/// running when it stops is left to its lease, like one whose worker died.
pub async fn run_worker(service: Service, stop: impl std::future::Future<Output = ()>) {
    tokio::pin!(stop);
    let mut last_scheduled: Option<std::time::Instant> = None;
    loop {
        if last_scheduled.is_none_or(|at| at.elapsed() >= SCHEDULE_EVERY) {
            match service.schedule_periodic_jobs(now()).await {
                Ok(_) => last_scheduled = Some(std::time::Instant::now()),
                Err(e) => tracing::warn!(error = %e, "scheduling periodic jobs failed"),
            }
        }
        let pause = match service.run_due_jobs().await {
            // A full batch: there may be more waiting.
            Ok(ran) if ran.len() as i64 >= CLAIM_BATCH => Duration::ZERO,
            Ok(_) => POLL,
            Err(e) => {
                tracing::warn!(error = %e, "claiming background jobs failed");
                POLL * 5
            }
        };
        tokio::select! {
            biased;
            () = &mut stop => return,
            () = tokio::time::sleep(pause) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_wait_twice_as_long_each_time_then_stop() {
        let settings = JobSettings::default();
        let t0 = Timestamp::UNIX_EPOCH;
        let wait = |n| settings.retry_at(n, t0).map(|at| at.duration_since(t0));
        assert_eq!(wait(1), Some(SignedDuration::from_secs(30)));
        assert_eq!(wait(2), Some(SignedDuration::from_secs(60)));
        assert_eq!(wait(3), Some(SignedDuration::from_secs(120)));
        assert_eq!(wait(7), Some(SignedDuration::from_secs(1920)));
        assert_eq!(wait(8), None, "the eighth failure sets it aside");

        let patient = JobSettings {
            max_attempts: 20,
            ..JobSettings::default()
        };
        let wait = |n| patient.retry_at(n, t0).map(|at| at.duration_since(t0));
        // 30 s doubled seven times is 64 minutes: capped.
        assert_eq!(wait(8), Some(SignedDuration::from_hours(1)));
        assert_eq!(
            wait(19),
            Some(SignedDuration::from_hours(1)),
            "never longer than an hour"
        );
    }

    #[test]
    fn every_kind_reads_back_from_its_name() {
        for kind in JobKind::ALL {
            assert_eq!(JobKind::parse(kind.as_str()), Some(*kind));
        }
        assert_eq!(JobKind::parse("send_fax"), None);
    }
}
