//! What the service suites share: a fresh service with the demo data on every
//! backend, and a signed-in demo user.

use sau_service::{Action, Caller, NewRequest, Service, ServiceSettings, TechnicianRef};
use sau_store::testing::{TestDatabase, backends};

/// Runs `test` once per backend (SQLite; PostgreSQL too when configured), each
/// time on a fresh database with the demo data.
#[allow(dead_code)] // the mail suite makes its own services
pub async fn each_backend(test: impl AsyncFn(Service, &'static str)) {
    each_backend_with(ServiceSettings::default(), test).await;
}

/// [`each_backend`] with settings of the test's own.
#[allow(dead_code)] // the mail suite makes its own services
pub async fn each_backend_with(
    settings: ServiceSettings,
    test: impl AsyncFn(Service, &'static str),
) {
    for backend in backends() {
        let db = TestDatabase::new(backend).await;
        let service = Service::new(db.open().await, settings.clone(), db.blobs());
        service.seed_demo().await.expect("demo data");
        test(service, backend).await;
    }
}

/// A demo user (password = login), signed in.
pub async fn caller(service: &Service, login: &str) -> Caller {
    let outcome = service.login(login, login, None).await.expect("demo login");
    service
        .authenticate(&outcome.token)
        .await
        .expect("token works")
}

/// A printer request of the demo's `soporte_equipo` category.
#[allow(dead_code)] // not every suite submits
pub fn printer_request(title: &str) -> NewRequest {
    NewRequest {
        category: "soporte_equipo".into(),
        title: title.into(),
        description: "No imprime desde esta mañana".into(),
        priority: None,
        fields:
            serde_json::json!({"numero_inventario": "INV-0042", "ubicacion": "Edificio A, piso 2"})
                .as_object()
                .cloned()
                .unwrap_or_default(),
        attachments: Default::default(),
    }
}

/// Assigns to a technician by login, changing nothing else.
#[allow(dead_code)] // not every suite assigns
pub fn assign_to(login: &str) -> Action {
    Action::Assign {
        technician: TechnicianRef::Login(login.into()),
        priority: None,
        category: None,
    }
}
