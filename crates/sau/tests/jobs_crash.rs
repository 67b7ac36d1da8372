//! Background jobs survive `kill -9`: jobs are written while tickets pour in and
//! the server is killed five times; every committed job ends done, its effect
//! made exactly once, on every backend.

mod common;

use common::{login, start_with, submit_password_reset};
use sau_store::testing::{TestDatabase, backends};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

const KILLS: usize = 5;

fn lines(path: &std::path::Path) -> Vec<i64> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.parse().ok())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_job_is_done_once_in_effect_across_kill_9() {
    for backend in backends() {
        let db = TestDatabase::new(backend).await;
        let data = tempfile::tempdir().expect("data dir");
        let probes = tempfile::tempdir().expect("probe dir");
        let url = db.config.database_url.clone();
        let env = [
            ("SAU_LOG", "error"),
            ("SAU_DATABASE_URL", url.as_str()),
            // A killed worker's jobs go to the next one after two seconds.
            ("SAU_JOB_LEASE_SECONDS", "2"),
        ];
        let mut server = start_with(data.path(), &env);
        let store = db.open().await;
        let payload = serde_json::json!({
            "runs": probes.path().join("runs"),
            "effects": probes.path().join("effects"),
        })
        .to_string();

        // Jobs are written, five to a transaction, as fast as the database takes
        // them; only those whose transaction committed are expected.
        let stop = Arc::new(AtomicBool::new(false));
        let writer = {
            let stop = stop.clone();
            let store = store.clone();
            tokio::spawn(async move {
                let mut committed = Vec::new();
                while !stop.load(Ordering::Relaxed) {
                    let payload = payload.clone();
                    let ids = store
                        .transaction(move |mut tx| {
                            Box::pin(async move {
                                let mut ids = Vec::new();
                                for _ in 0..5 {
                                    let at = jiff::Timestamp::now();
                                    ids.extend(tx.enqueue_job("probe", &payload, at, None).await?);
                                }
                                Ok::<_, sau_store::StoreError>(ids)
                            })
                        })
                        .await;
                    match ids {
                        Ok(ids) => committed.extend(ids),
                        Err(e) => panic!("writing jobs failed: {e}"),
                    }
                    tokio::time::sleep(Duration::from_millis(5)).await;
                }
                committed
            })
        };

        let client = reqwest::Client::new();
        for _ in 0..KILLS {
            // Tickets pour in through the API while the worker runs jobs.
            let token = login(&client, &server.url, "solicitante").await;
            let mut load = Vec::new();
            for worker in 0..4 {
                let (client, url, token) = (client.clone(), server.url.clone(), token.clone());
                load.push(tokio::spawn(async move {
                    for i in 0..1_000 {
                        let sent = submit_password_reset(
                            &client,
                            &url,
                            &token,
                            format!("clave {worker}-{i}"),
                        )
                        .await;
                        if sent.is_err() {
                            break;
                        }
                    }
                }));
            }
            tokio::time::sleep(Duration::from_millis(1_200)).await;
            server.child.kill().expect("kill -9");
            server.child.wait().expect("wait");
            for task in load {
                let _ = task.await;
            }
            server = start_with(data.path(), &env);
        }
        stop.store(true, Ordering::Relaxed);
        let committed = writer.await.expect("writer");

        // The last server finishes what is left (jobs of killed workers come back
        // once their leases run out).
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            let counts = store
                .job_counts(jiff::Timestamp::now())
                .await
                .expect("counts");
            if counts.waiting + counts.running == 0 {
                assert_eq!(counts.failed, 0, "{backend}: no job set aside");
                break;
            }
            assert!(
                Instant::now() < deadline,
                "{backend}: jobs still unfinished: {counts:?}"
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        drop(server);

        let mut effects: BTreeMap<i64, usize> = BTreeMap::new();
        for id in lines(&probes.path().join("effects")) {
            *effects.entry(id).or_default() += 1;
        }
        let runs = lines(&probes.path().join("runs")).len();
        let lost: Vec<_> = committed
            .iter()
            .filter(|id| !effects.contains_key(id))
            .collect();
        let twice: Vec<_> = effects.iter().filter(|(_, n)| **n > 1).collect();
        let strangers = effects.len() + lost.len() - committed.len();
        println!(
            "{backend}: {} jobs across {KILLS} kills: {} lost, {} with an effect twice, \
             {} unknown; {runs} runs ({} repeated after a kill)",
            committed.len(),
            lost.len(),
            twice.len(),
            strangers,
            runs.saturating_sub(committed.len())
        );
        assert!(
            committed.len() > 100,
            "{backend}: too few jobs written: {}",
            committed.len()
        );
        assert!(lost.is_empty(), "{backend}: lost {lost:?}");
        assert!(twice.is_empty(), "{backend}: effect twice {twice:?}");
        assert_eq!(strangers, 0, "{backend}: effects of no committed job");
    }
}
