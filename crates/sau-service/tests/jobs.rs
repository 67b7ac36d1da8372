//! Background jobs on both backends: written with their cause or not at all,
//! claimed by one worker, retried with backoff, set aside, and put back.

mod common;

use common::{caller, each_backend, each_backend_with};
use jiff::{SignedDuration, Timestamp};
use sau_service::{JobOutcome, JobSettings, Service, ServiceError, ServiceSettings};
use sau_store::StoreError;
use sau_store::testing::{TestDatabase, backends};

fn probe(dir: &std::path::Path, fail_runs: usize) -> String {
    serde_json::json!({
        "runs": dir.join("runs"),
        "effects": dir.join("effects"),
        "fail_runs": fail_runs,
    })
    .to_string()
}

fn lines(path: &std::path::Path) -> Vec<i64> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(|l| l.parse().expect("an id"))
        .collect()
}

/// Writes a probe job in a transaction of its own, which then commits or not.
async fn enqueue_probe(
    service: &Service,
    payload: String,
    commit: bool,
) -> Result<Option<i64>, ServiceError> {
    service
        .store()
        .transaction(move |mut tx| {
            Box::pin(async move {
                let id = tx
                    .enqueue_job("probe", &payload, Timestamp::now(), None)
                    .await?;
                if commit {
                    Ok(id)
                } else {
                    Err(ServiceError::NotFound("ticket"))
                }
            })
        })
        .await
}

#[tokio::test]
async fn a_job_exists_only_if_its_transaction_commits() {
    each_backend(async |service, backend| {
        let dir = tempfile::tempdir().expect("dir");
        let refused = enqueue_probe(&service, probe(dir.path(), 0), false).await;
        assert!(
            matches!(refused, Err(ServiceError::NotFound("ticket"))),
            "{backend}: the work's own error comes back: {refused:?}"
        );
        let kept = enqueue_probe(&service, probe(dir.path(), 0), true)
            .await
            .expect("commit")
            .expect("an id");
        let counts = service.job_counts().await.expect("counts");
        assert_eq!(counts.waiting, 1, "{backend}: only the committed one");

        // Several transactions at once (one group commit on SQLite): the refused
        // ones leave nothing, the others all stand.
        let mut pending = Vec::new();
        for i in 0..20 {
            let service = service.clone();
            let payload = probe(dir.path(), 0);
            pending.push(tokio::spawn(async move {
                enqueue_probe(&service, payload, i % 2 == 0).await
            }));
        }
        let mut committed = 0;
        for task in pending {
            if task.await.expect("task").is_ok() {
                committed += 1;
            }
        }
        assert_eq!(committed, 10, "{backend}");
        assert_eq!(
            service.job_counts().await.expect("counts").waiting,
            11,
            "{backend}"
        );
        let ran = service.run_due_jobs().await.expect("run");
        assert_eq!(ran.len(), 11, "{backend}");
        assert!(lines(&dir.path().join("effects")).contains(&kept));
    })
    .await;
}

#[tokio::test]
async fn jobs_are_claimed_once_and_retried_after_failure() {
    each_backend(async |service, backend| {
        let store = service.store();
        let now = Timestamp::now();
        let lease = SignedDuration::from_secs(60);
        let a = store
            .enqueue_job("notify".into(), "{}".into(), now, None)
            .await
            .expect("enqueue")
            .expect("id");
        let b = store
            .enqueue_job("notify".into(), "{}".into(), now, None)
            .await
            .expect("enqueue")
            .expect("id");
        let claimed = store.claim_jobs(now, lease, 10).await.expect("claim");
        assert_eq!(
            claimed.iter().map(|j| j.id).collect::<Vec<_>>(),
            vec![a, b],
            "{backend}"
        );
        assert!(
            store
                .claim_jobs(now, lease, 10)
                .await
                .expect("claim")
                .is_empty(),
            "{backend}: leased"
        );
        assert!(store.complete_job(a, now).await.expect("complete"));
        assert!(
            !store.complete_job(a, now).await.expect("complete"),
            "{backend}: a second completion is a repeat"
        );
        let retry_at = now.checked_add(SignedDuration::from_secs(5)).expect("time");
        store
            .fail_job(b, "smtp down".into(), now, Some(retry_at))
            .await
            .expect("fail");
        assert!(
            store
                .claim_jobs(now, lease, 10)
                .await
                .expect("claim")
                .is_empty(),
            "{backend}: not yet due"
        );
        let again = store.claim_jobs(retry_at, lease, 10).await.expect("claim");
        assert_eq!(again.len(), 1, "{backend}");
        assert_eq!((again[0].id, again[0].attempts), (b, 2), "{backend}");

        // A worker that died: once its lease has run out, another worker takes it.
        let later = retry_at.checked_add(lease).expect("time");
        let taken = store.claim_jobs(later, lease, 10).await.expect("claim");
        assert_eq!(taken.iter().map(|j| j.id).collect::<Vec<_>>(), vec![b]);
    })
    .await;
}

#[tokio::test]
async fn a_failing_job_is_retried_then_set_aside_until_an_admin_retries_it() {
    let settings = ServiceSettings {
        jobs: JobSettings {
            first_retry: SignedDuration::ZERO,
            max_attempts: 3,
            ..JobSettings::default()
        },
        ..ServiceSettings::default()
    };
    each_backend_with(settings, async |service, backend| {
        let dir = tempfile::tempdir().expect("dir");
        let id = enqueue_probe(&service, probe(dir.path(), 3), true)
            .await
            .expect("enqueue")
            .expect("id");
        let mut outcomes = Vec::new();
        for _ in 0..4 {
            outcomes.extend(service.run_due_jobs().await.expect("run"));
        }
        let outcomes: Vec<_> = outcomes.into_iter().map(|(_, o)| o).collect();
        assert_eq!(
            outcomes,
            [
                JobOutcome::WillRetry,
                JobOutcome::WillRetry,
                JobOutcome::SetAside
            ],
            "{backend}: three tries, then nothing more is claimed"
        );
        let admin = caller(&service, "admin").await;
        let overview = service.jobs_overview(&admin).await.expect("overview");
        assert_eq!(overview.counts.failed, 1, "{backend}");
        let failed = &overview.jobs[0];
        assert_eq!((failed.id, failed.attempts), (id, 3), "{backend}");
        assert!(failed.failed_at.is_some());
        assert!(
            failed
                .last_error
                .as_deref()
                .is_some_and(|e| e.contains("on purpose")),
            "{backend}: {failed:?}"
        );

        let requester = caller(&service, "solicitante").await;
        assert!(matches!(
            service.retry_job(&requester, id).await,
            Err(ServiceError::Forbidden)
        ));
        assert!(matches!(
            service.jobs_overview(&requester).await,
            Err(ServiceError::Forbidden)
        ));
        service.retry_job(&admin, id).await.expect("retry");
        assert!(
            matches!(
                service.retry_job(&admin, id).await,
                Err(ServiceError::NotFound("job"))
            ),
            "{backend}: only a failed job can be retried"
        );
        // The probe fails its first three runs only: the fourth succeeds.
        let ran = service.run_due_jobs().await.expect("run");
        assert_eq!(ran[0].1, JobOutcome::Done, "{backend}");
        assert_eq!(lines(&dir.path().join("effects")), vec![id], "{backend}");
        assert_eq!(lines(&dir.path().join("runs")).len(), 4, "{backend}");
        assert_eq!(service.job_counts().await.expect("counts").failed, 0);
    })
    .await;
}

#[tokio::test]
async fn periodic_jobs_are_written_once_per_period_whatever_the_instances() {
    for backend in backends() {
        let db = TestDatabase::new(backend).await;
        let one = Service::new(db.open().await, ServiceSettings::default(), db.blobs());
        let two = Service::new(db.open().await, ServiceSettings::default(), db.blobs());
        // A fixed moment in the past, so that every job written is due now.
        let at: Timestamp = "2020-01-01T00:00:10Z".parse().expect("time");
        let written = one.schedule_periodic_jobs(at).await.expect("schedule");
        assert_eq!(written, 6, "{backend}: one per periodic kind");
        assert_eq!(two.schedule_periodic_jobs(at).await.expect("again"), 0);
        let a_minute_on = at.checked_add(SignedDuration::from_mins(1)).expect("time");
        assert_eq!(
            one.schedule_periodic_jobs(a_minute_on)
                .await
                .expect("again"),
            3,
            "{backend}: the same hour: only the next minute of the deadlines, the measures and the warnings"
        );
        let tomorrow = at.checked_add(SignedDuration::from_hours(24)).expect("t");
        assert_eq!(
            two.schedule_periodic_jobs(tomorrow).await.expect("later"),
            6,
            "{backend}: a new period of each"
        );
        let ran = one.run_due_jobs().await.expect("run");
        assert_eq!(
            ran.len(),
            15,
            "{backend}: two periods of each, and a third minute of the minutely three"
        );
        assert!(ran.iter().all(|(_, o)| *o == JobOutcome::Done), "{ran:?}");
    }
}

#[tokio::test]
async fn two_instances_never_claim_the_same_job() {
    for backend in backends() {
        let db = TestDatabase::new(backend).await;
        let stores = [db.open().await, db.open().await];
        let now = Timestamp::now();
        for _ in 0..200 {
            stores[0]
                .enqueue_job("notify".into(), "{}".into(), now, None)
                .await
                .expect("enqueue");
        }
        let lease = SignedDuration::from_mins(5);
        let mut claims = Vec::new();
        for store in &stores {
            for _ in 0..4 {
                let store = store.clone();
                claims.push(tokio::spawn(async move {
                    let mut mine = Vec::new();
                    loop {
                        let got = store.claim_jobs(now, lease, 7).await?;
                        if got.is_empty() {
                            return Ok::<_, StoreError>(mine);
                        }
                        mine.extend(got.into_iter().map(|j| j.id));
                    }
                }));
            }
        }
        let mut all = Vec::new();
        for claim in claims {
            all.extend(claim.await.expect("task").expect("claim"));
        }
        let count = all.len();
        all.sort_unstable();
        all.dedup();
        assert_eq!(
            (count, all.len()),
            (200, 200),
            "{backend}: every job claimed once"
        );
    }
}
