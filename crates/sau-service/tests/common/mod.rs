//! What the service suites share: a fresh service with the demo data on every
//! backend, and a signed-in demo user.

use sau_service::{Caller, Service, ServiceSettings};
use sau_store::testing::{TestDatabase, backends};

/// Runs `test` once per backend (SQLite; PostgreSQL too when configured), each
/// time on a fresh database with the demo data.
pub async fn each_backend(test: impl AsyncFn(Service, &'static str)) {
    for backend in backends() {
        let db = TestDatabase::new(backend).await;
        let service = Service::new(db.open().await, ServiceSettings::default());
        service.seed_demo().await.expect("demo data");
        test(service, backend).await;
    }
}

/// A demo user (password = login), signed in.
pub async fn caller(service: &Service, login: &str) -> Caller {
    let outcome = service.login(login, login).await.expect("demo login");
    service
        .authenticate(&outcome.token)
        .await
        .expect("token works")
}
