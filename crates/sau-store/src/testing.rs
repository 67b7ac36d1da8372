//! Fresh databases for tests, on every backend the machine offers: always SQLite
//! (a file in a temporary directory); PostgreSQL too when `SAU_TEST_POSTGRES_URL`
//! is set, each test in a database of its own. Under CI (`CI=true`) a missing
//! PostgreSQL is a failure, never a skip.

use crate::{Durability, Store, StoreConfig};
use sqlx::Connection;
use std::sync::atomic::{AtomicU32, Ordering};

/// A database that exists for one test. Drop it to clean up (PostgreSQL databases
/// are dropped by the next run's sweep if the test panicked).
#[derive(Debug)]
pub struct TestDatabase {
    pub config: StoreConfig,
    pub backend: &'static str,
    /// The SQLite file and the blob store.
    dir: tempfile::TempDir,
}

/// The backends to run a suite against.
pub fn backends() -> Vec<&'static str> {
    let mut list = vec!["sqlite"];
    match std::env::var("SAU_TEST_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => list.push("postgres"),
        _ if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!("CI=true but SAU_TEST_POSTGRES_URL is not set: PostgreSQL tests must run in CI")
        }
        _ => {}
    }
    list
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

impl TestDatabase {
    pub async fn new(backend: &str) -> TestDatabase {
        match backend {
            "sqlite" => {
                let dir = tempfile::tempdir().expect("temporary directory");
                let url = format!("sqlite://{}", dir.path().join("sau.db").display());
                TestDatabase {
                    config: StoreConfig {
                        database_url: url,
                        durability: Durability::Full,
                        max_connections: 4,
                    },
                    backend: "sqlite",
                    dir,
                }
            }
            "postgres" => {
                let base = std::env::var("SAU_TEST_POSTGRES_URL")
                    .expect("SAU_TEST_POSTGRES_URL for the postgres backend");
                let name = format!(
                    "sau_test_{}_{}_{}",
                    std::process::id(),
                    COUNTER.fetch_add(1, Ordering::Relaxed),
                    jiff::Timestamp::now().as_microsecond() % 1_000_000
                );
                let mut admin = sqlx::PgConnection::connect(&base)
                    .await
                    .expect("connect to SAU_TEST_POSTGRES_URL");
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(&mut admin)
                    .await
                    .expect("create test database");
                let _ = admin.close().await;
                let url = match base.rfind('/') {
                    Some(slash) if base[..slash].ends_with(|c: char| c != '/') => {
                        format!("{}/{name}", &base[..slash])
                    }
                    _ => format!("{}/{name}", base.trim_end_matches('/')),
                };
                TestDatabase {
                    config: StoreConfig {
                        database_url: url,
                        durability: Durability::Full,
                        max_connections: 8,
                    },
                    backend: "postgres",
                    dir: tempfile::tempdir().expect("temporary directory"),
                }
            }
            other => panic!("unknown backend {other}"),
        }
    }

    pub async fn open(&self) -> Store {
        Store::open(&self.config).await.expect("open test store")
    }

    /// The blob store that goes with this database: every instance opened on it
    /// shares the directory, as instances on one PostgreSQL share a volume.
    pub fn blobs(&self) -> crate::BlobStore {
        crate::BlobStore::open(self.dir.path().join("attachments")).expect("blob store")
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if self.backend != "postgres" {
            return;
        }
        let (Ok(base), Some(name)) = (
            std::env::var("SAU_TEST_POSTGRES_URL"),
            self.config
                .database_url
                .rsplit('/')
                .next()
                .map(str::to_owned),
        ) else {
            return;
        };
        // Drop runs inside the test's runtime, which cannot block on itself: use a
        // thread with a runtime of its own.
        let _ = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            rt.block_on(async {
                if let Ok(mut admin) = sqlx::PgConnection::connect(&base).await {
                    let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .execute(&mut admin)
                        .await;
                    let _ = admin.close().await;
                }
            });
        })
        .join();
    }
}
