//! Time targets, ticket times and the supervisor's overview, on SQLite and (when
//! `SAU_TEST_POSTGRES_URL` is set) PostgreSQL.

mod common;

use common::{assign_to, caller, each_backend};

use sau_domain::{AttentionMode, FieldProblem, State, TargetStatus};
use sau_service::{Action, NewRequest, ServiceError};

fn request(category: &str, title: &str) -> NewRequest {
    let fields = match category {
        "soporte_equipo" => {
            serde_json::json!({"numero_inventario": "INV-0042", "ubicacion": "A-2"})
        }
        _ => serde_json::json!({"sistema": "Nómina", "usuario": "jperez"}),
    };
    NewRequest {
        category: category.into(),
        title: title.into(),
        description: "Ayuda, por favor".into(),
        priority: None,
        fields: fields.as_object().cloned().unwrap_or_default(),
        attachments: Default::default(),
    }
}

#[tokio::test]
async fn the_target_defaults_to_25_minutes_and_only_admins_change_it() {
    each_backend(async |service, backend| {
        assert_eq!(
            service.target_minutes().await.expect("target"),
            25,
            "{backend}"
        );
        let admin = caller(&service, "admin").await;
        let director = caller(&service, "director").await;
        assert!(
            matches!(
                service.set_target_minutes(&director, 30).await,
                Err(ServiceError::Forbidden)
            ),
            "{backend}"
        );
        for bad in [0, -5, 1441] {
            match service.set_target_minutes(&admin, bad).await {
                Err(ServiceError::Invalid(fields)) => assert_eq!(
                    fields.get("target_minutes"),
                    Some(&FieldProblem::OutOfRange),
                    "{backend}: {bad}"
                ),
                other => panic!("{backend}: {bad} gave {other:?}"),
            }
        }
        assert_eq!(
            service.target_minutes().await.expect("target"),
            25,
            "{backend}"
        );
        service
            .set_target_minutes(&admin, 40)
            .await
            .expect("admin sets target");
        assert_eq!(
            service.target_minutes().await.expect("target"),
            40,
            "{backend}"
        );
        service
            .set_target_minutes(&admin, 1440)
            .await
            .expect("upper bound");
        service
            .set_target_minutes(&admin, 1)
            .await
            .expect("lower bound");
        assert_eq!(
            service.target_minutes().await.expect("target"),
            1,
            "{backend}"
        );
    })
    .await;
}

#[tokio::test]
async fn ticket_times_follow_the_procedure() {
    each_backend(async |service, backend| {
        let requester = caller(&service, "solicitante").await;
        let dispatcher = caller(&service, "soporte").await;
        let technician = caller(&service, "tecnico").await;
        // An admin is no agent and not the requester.
        let other_requester = caller(&service, "admin").await;
        let number = service
            .submit(&requester, request("soporte_equipo", "tiempos"), "api")
            .await
            .expect("submit")
            .ticket
            .number;
        for (who, action) in [
            (&dispatcher, assign_to("tecnico")),
            (&technician, Action::Accept),
            (
                &technician,
                Action::Resolve {
                    resolution: "Listo".into(),
                    attention_mode: AttentionMode::InPerson,
                    remote_tool: None,
                    remote_id: None,
                    attachments: Default::default(),
                },
            ),
            (&dispatcher, Action::Close),
        ] {
            service
                .act(who, &number, action, None, "api")
                .await
                .expect("procedure step");
        }
        let times = service
            .ticket_times(&dispatcher, &number)
            .await
            .expect("times");
        assert!(times.times.finished, "{backend}");
        assert_eq!(times.target_minutes, 25, "{backend}");
        // Done in well under a second: within the target.
        assert_eq!(times.status, TargetStatus::Within, "{backend}");
        let t = times.times;
        assert_eq!(
            t.waiting_assignment + t.waiting_acceptance + t.attention + t.waiting_closure,
            t.total - t.on_hold,
            "{backend}"
        );
        // The requester sees their own ticket's times; someone else does not.
        service
            .ticket_times(&requester, &number)
            .await
            .expect("requester sees own times");
        assert!(
            matches!(
                service.ticket_times(&other_requester, &number).await,
                Err(ServiceError::NotFound(_))
            ),
            "{backend}"
        );
    })
    .await;
}

#[tokio::test]
async fn the_overview_counts_and_is_for_supervisors() {
    each_backend(async |service, backend| {
        let requester = caller(&service, "solicitante").await;
        let dispatcher = caller(&service, "soporte").await;
        let technician = caller(&service, "tecnico").await;
        let director = caller(&service, "director").await;
        let mut numbers = Vec::new();
        for i in 0..3 {
            numbers.push(
                service
                    .submit(
                        &requester,
                        request("soporte_equipo", &format!("eq{i}")),
                        "api",
                    )
                    .await
                    .expect("submit")
                    .ticket
                    .number,
            );
        }
        service
            .submit(&requester, request("reinicio_clave", "clave"), "api")
            .await
            .expect("submit password reset");
        service
            .act(&dispatcher, &numbers[0], assign_to("tecnico"), None, "api")
            .await
            .expect("assign");
        service
            .act(&dispatcher, &numbers[1], assign_to("tecnico"), None, "api")
            .await
            .expect("assign");
        service
            .act(&technician, &numbers[1], Action::Accept, None, "api")
            .await
            .expect("accept");
        service
            .act(
                &dispatcher,
                &numbers[2],
                Action::Cancel {
                    reason: "duplicado".into(),
                },
                None,
                "api",
            )
            .await
            .expect("cancel");

        for who in [&requester, &dispatcher, &technician] {
            assert!(
                matches!(service.overview(who).await, Err(ServiceError::Forbidden)),
                "{backend}"
            );
        }
        let overview = service.overview(&director).await.expect("overview");
        let state = |s: State| {
            overview
                .by_state
                .iter()
                .find(|(st, _)| *st == s)
                .map(|(_, n)| *n)
        };
        assert_eq!(state(State::New), Some(1), "{backend}");
        assert_eq!(state(State::Assigned), Some(1), "{backend}");
        assert_eq!(state(State::InProgress), Some(1), "{backend}");
        assert_eq!(state(State::Cancelled), Some(1), "{backend}");
        assert_eq!(state(State::Closed), Some(0), "{backend}");
        assert_eq!(overview.by_state.len(), State::ALL.len(), "{backend}");

        let equipment = overview
            .by_category
            .iter()
            .find(|t| t.key == "soporte_equipo")
            .expect("equipment category");
        assert_eq!(equipment.count, 3, "{backend}");
        assert!(!equipment.name_es.is_empty(), "{backend}");
        assert_eq!(equipment.name_es, "Soporte técnico de equipo", "{backend}");
        let reset = &overview.by_category[1];
        assert_eq!(
            (reset.key.as_str(), reset.name_en.as_str(), reset.count),
            ("reinicio_clave", "Password reset", 1),
            "{backend}"
        );

        assert_eq!(overview.by_technician.len(), 1, "{backend}");
        assert_eq!(overview.by_technician[0].key, "tecnico", "{backend}");
        assert_eq!(overview.by_technician[0].count, 2, "{backend}");

        let total = 4;
        assert_eq!(overview.by_department.len(), 1, "{backend}");
        assert_eq!(overview.by_department[0].key, "DRH", "{backend}");
        assert_eq!(overview.by_department[0].count, total, "{backend}");

        // Oldest open first; the cancelled one is not open.
        let oldest: Vec<&str> = overview
            .oldest_open
            .iter()
            .map(|r| r.ticket.number.as_str())
            .collect();
        assert_eq!(
            &oldest[..2],
            &[numbers[0].as_str(), numbers[1].as_str()],
            "{backend}"
        );
        assert!(!oldest.contains(&numbers[2].as_str()), "{backend}");
        assert_eq!(overview.target_minutes, 25, "{backend}");
    })
    .await;
}
