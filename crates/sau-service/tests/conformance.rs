//! The store-and-service suite: every behaviour checked on SQLite and, when
//! `SAU_TEST_POSTGRES_URL` is set, on PostgreSQL, through the real store.

mod common;

use common::{assign_to, caller, each_backend, printer_request};

use sau_domain::{AttentionMode, State, Ticket, Visibility, check_digit};
use sau_service::{Action, Caller, ServiceError, TechnicianRef, TicketQuery};
use std::collections::HashSet;

#[tokio::test]
async fn thirty_two_concurrent_creators_never_share_a_ticket_number() {
    each_backend(async |service, backend| {
        let requester = caller(&service, "solicitante").await;
        let mut tasks = Vec::new();
        for i in 0..32 {
            let service = service.clone();
            let requester = requester.clone();
            tasks.push(tokio::spawn(async move {
                let mut numbers = Vec::new();
                for j in 0..5 {
                    let record = service
                        .submit(&requester, printer_request(&format!("t{i}-{j}")), "api")
                        .await
                        .expect("submit");
                    numbers.push(record.ticket.number);
                }
                numbers
            }));
        }
        let mut all = Vec::new();
        for task in tasks {
            all.extend(task.await.expect("task"));
        }
        let unique: HashSet<_> = all.iter().collect();
        assert_eq!(all.len(), 160, "{backend}");
        assert_eq!(unique.len(), 160, "{backend}: duplicate ticket numbers");
        for number in &all {
            let (base, check) = number.split_at(number.len() - 1);
            assert_eq!(
                check_digit(base).to_string(),
                check,
                "{backend}: bad check digit in {number}"
            );
            assert_eq!(&base[8..10], "10", "{backend}: system id in {number}");
        }
        // The daily counter hands out 1..=160 with no gaps.
        let mut counters: Vec<u64> = all
            .iter()
            .map(|n| n[10..n.len() - 1].parse().expect("counter"))
            .collect();
        counters.sort_unstable();
        assert_eq!(counters, (1..=160).collect::<Vec<_>>(), "{backend}");
    })
    .await;
}

#[tokio::test]
async fn a_stale_version_is_refused_and_writes_nothing() {
    each_backend(async |service, backend| {
        let requester = caller(&service, "solicitante").await;
        let dispatcher = caller(&service, "soporte").await;
        let ticket = service
            .submit(&requester, printer_request("versiones"), "api")
            .await
            .expect("submit")
            .ticket;
        service
            .act(
                &dispatcher,
                &ticket.number,
                assign_to("tecnico"),
                Some(1),
                "api",
            )
            .await
            .expect("first assignment at version 1");
        let err = service
            .act(
                &dispatcher,
                &ticket.number,
                assign_to("tecnico2"),
                Some(1),
                "api",
            )
            .await
            .expect_err("second assignment at version 1");
        assert!(
            matches!(err, ServiceError::StaleVersion { current: 2 }),
            "{backend}: {err:?}"
        );
        let events = service
            .ticket_events(&dispatcher, &ticket.number)
            .await
            .expect("events");
        assert_eq!(events.len(), 2, "{backend}: submitted + one assignment");
        let detail = service
            .ticket(&dispatcher, &ticket.number)
            .await
            .expect("ticket");
        assert_eq!(
            detail.record.technician.map(|t| t.login).as_deref(),
            Some("tecnico")
        );
    })
    .await;
}

#[tokio::test]
async fn concurrent_commands_without_a_version_are_all_applied() {
    each_backend(async |service, backend| {
        let requester = caller(&service, "solicitante").await;
        let ticket = service
            .submit(&requester, printer_request("muchos comentarios"), "api")
            .await
            .expect("submit")
            .ticket;
        let mut tasks = Vec::new();
        for i in 0..16 {
            let service = service.clone();
            let requester = requester.clone();
            let number = ticket.number.clone();
            tasks.push(tokio::spawn(async move {
                service
                    .act(
                        &requester,
                        &number,
                        Action::Comment {
                            body: format!("comentario {i}"),
                            visibility: Visibility::Public,
                            attachments: Default::default(),
                        },
                        None,
                        "api",
                    )
                    .await
            }));
        }
        for task in tasks {
            task.await
                .expect("task")
                .unwrap_or_else(|e| panic!("{backend}: {e:?}"));
        }
        let events = service
            .ticket_events(&requester, &ticket.number)
            .await
            .expect("events");
        assert_eq!(
            events.len(),
            17,
            "{backend}: the submission and all 16 comments"
        );
        let seqs: Vec<i64> = events.iter().map(|e| e.seq).collect();
        assert_eq!(
            seqs,
            (1..=events.len() as i64).collect::<Vec<_>>(),
            "{backend}"
        );
    })
    .await;
}

#[tokio::test]
async fn replaying_stored_events_rebuilds_the_stored_ticket() {
    each_backend(async |service, backend| {
        let requester = caller(&service, "solicitante").await;
        let dispatcher = caller(&service, "soporte").await;
        let technician = caller(&service, "tecnico").await;
        let supervisor = caller(&service, "director").await;
        let n = service
            .submit(&requester, printer_request("ciclo completo"), "web")
            .await
            .expect("submit")
            .ticket
            .number;
        let steps: Vec<(&Caller, Action)> = vec![
            (
                &dispatcher,
                Action::Assign {
                    technician: TechnicianRef::Login("tecnico".into()),
                    priority: Some(5),
                    category: Some("telefonia".into()),
                },
            ),
            (&technician, Action::Accept),
            (
                &technician,
                Action::Comment {
                    body: "Revisando el equipo".into(),
                    visibility: Visibility::Internal,
                    attachments: Default::default(),
                },
            ),
            (
                &technician,
                Action::Hold {
                    reason: "Esperando repuesto".into(),
                    until: None,
                },
            ),
            (&technician, Action::Resume),
            (
                &technician,
                Action::Resolve {
                    resolution: "Se cambió el tóner".into(),
                    attention_mode: AttentionMode::Remote,
                    remote_tool: Some("AnyDesk".into()),
                    remote_id: Some("123 456 789".into()),
                    attachments: Default::default(),
                },
            ),
            (
                &dispatcher,
                Action::Return {
                    reason: "Sigue fallando".into(),
                },
            ),
            (
                &technician,
                Action::Resolve {
                    resolution: "Se cambió el fusor".into(),
                    attention_mode: AttentionMode::InPerson,
                    remote_tool: None,
                    remote_id: None,
                    attachments: Default::default(),
                },
            ),
            (&dispatcher, Action::Close),
            (
                &supervisor,
                Action::Reopen {
                    reason: "El usuario reporta de nuevo".into(),
                },
            ),
        ];
        for (who, action) in steps {
            service
                .act(who, &n, action.clone(), None, "api")
                .await
                .unwrap_or_else(|e| panic!("{backend}: {action:?}: {e:?}"));
        }
        let stored = service
            .ticket(&dispatcher, &n)
            .await
            .expect("ticket")
            .record
            .ticket;
        let events: Vec<_> = service
            .ticket_events(&dispatcher, &n)
            .await
            .expect("events")
            .into_iter()
            .map(|e| e.event)
            .collect();
        let replayed = Ticket::replay(stored.id, stored.number.clone(), &events).expect("replay");
        assert_eq!(replayed, stored, "{backend}");
        // The reopen sent it back to the queue, marked, with no technician.
        assert_eq!(stored.state, State::New);
        assert_eq!(stored.technician, None);
        assert_eq!(stored.setback, Some(sau_domain::Setback::Reopened));
        assert_eq!(stored.priority.level(), 5);
        assert_eq!(stored.version, events.len() as i64);
    })
    .await;
}

#[tokio::test]
async fn requesters_see_only_their_own_tickets_and_no_internal_notes() {
    each_backend(async |service, backend| {
        let requester = caller(&service, "solicitante").await;
        let technician = caller(&service, "tecnico").await;
        let dispatcher = caller(&service, "soporte").await;
        let other = service
            .create_user(
                &Caller::System,
                sau_service::NewUserInput {
                    login: "otra".into(),
                    display_name: "Otra Persona".into(),
                    email: None,
                    department: Some("DF".into()),
                    roles: sau_domain::Roles::of(&[sau_domain::Role::Requester]),
                    locale: "es".into(),
                    password: Some("otra-clave-segura".into()),
                },
            )
            .await
            .expect("create user");
        let other = Caller::User(other);
        let mine = service
            .submit(&requester, printer_request("mío"), "api")
            .await
            .expect("submit")
            .ticket
            .number;
        let theirs = service
            .submit(&other, printer_request("de otra persona"), "api")
            .await
            .expect("submit")
            .ticket
            .number;
        service
            .act(&dispatcher, &mine, assign_to("tecnico"), None, "api")
            .await
            .expect("assign");
        service
            .act(
                &technician,
                &mine,
                Action::Comment {
                    body: "nota interna secreta".into(),
                    visibility: Visibility::Internal,
                    attachments: Default::default(),
                },
                None,
                "api",
            )
            .await
            .expect("internal note");
        let detail = service.ticket(&requester, &mine).await.expect("own ticket");
        assert!(
            detail
                .entries
                .iter()
                .all(|e| e.visibility == Visibility::Public),
            "{backend}"
        );
        let events = service
            .ticket_events(&requester, &mine)
            .await
            .expect("events");
        assert!(events.iter().all(|e| e.event.kind.is_public()), "{backend}");
        let agent_view = service
            .ticket(&technician, &mine)
            .await
            .expect("agent view");
        assert!(
            agent_view
                .entries
                .iter()
                .any(|e| e.body == "nota interna secreta")
        );

        let err = service
            .ticket(&requester, &theirs)
            .await
            .expect_err("other's ticket");
        assert!(
            matches!(err, ServiceError::NotFound(_)),
            "{backend}: {err:?}"
        );
        let page = service
            .list_tickets(&requester, TicketQuery::default())
            .await
            .expect("list");
        let numbers: Vec<_> = page
            .tickets
            .iter()
            .map(|t| t.ticket.number.clone())
            .collect();
        assert_eq!(numbers, vec![mine.clone()], "{backend}");
        let asked_for_other = TicketQuery {
            requester: Some("otra".into()),
            ..TicketQuery::default()
        };
        let page = service
            .list_tickets(&requester, asked_for_other)
            .await
            .expect("list");
        assert!(
            page.tickets.iter().all(|t| t.ticket.number == mine),
            "{backend}: a requester filter must not widen what a requester sees"
        );
    })
    .await;
}

#[tokio::test]
async fn a_refused_command_leaves_the_ticket_untouched() {
    each_backend(async |service, backend| {
        let requester = caller(&service, "solicitante").await;
        let n = service
            .submit(&requester, printer_request("sin permiso"), "api")
            .await
            .expect("submit")
            .ticket
            .number;
        let err = service
            .act(&requester, &n, assign_to("tecnico"), None, "api")
            .await
            .expect_err("a requester cannot assign");
        assert_eq!(err.code(), "not_allowed", "{backend}");
        let err = service
            .act(
                &caller(&service, "soporte").await,
                &n,
                Action::Close,
                None,
                "api",
            )
            .await
            .expect_err("cannot close a new ticket");
        assert_eq!(err.code(), "invalid_transition", "{backend}");
        let err = service
            .act(
                &caller(&service, "soporte").await,
                &n,
                assign_to("solicitante"),
                None,
                "api",
            )
            .await
            .expect_err("a requester is not a technician");
        assert_eq!(err.code(), "not_a_technician", "{backend}");
        let detail = service.ticket(&requester, &n).await.expect("ticket");
        assert_eq!(detail.record.ticket.version, 1, "{backend}");
        assert_eq!(detail.record.ticket.state, State::New, "{backend}");
    })
    .await;
}

#[tokio::test]
async fn sign_in_tokens_and_deactivation() {
    each_backend(async |service, backend| {
        assert!(matches!(
            service.login("soporte", "equivocada", None).await,
            Err(ServiceError::BadCredentials)
        ));
        assert!(matches!(
            service.login("nadie", "nadie", None).await,
            Err(ServiceError::BadCredentials)
        ));
        let outcome = service
            .login("soporte", "soporte", None)
            .await
            .expect("login");
        assert!(
            service.authenticate(&outcome.token).await.is_ok(),
            "{backend}"
        );
        service.logout(&outcome.token).await.expect("logout");
        assert!(matches!(
            service.authenticate(&outcome.token).await,
            Err(ServiceError::Unauthenticated)
        ));

        let token = service
            .create_api_token(&Caller::System, "tecnico", "script")
            .await
            .expect("token");
        assert!(service.authenticate(&token).await.is_ok());
        service
            .deactivate_user(&Caller::System, "tecnico")
            .await
            .expect("deactivate");
        assert!(
            service.authenticate(&token).await.is_err(),
            "{backend}: token of inactive user"
        );
        assert!(
            service.login("tecnico", "tecnico", None).await.is_err(),
            "{backend}"
        );
    })
    .await;
}

#[tokio::test]
async fn duplicate_logins_and_departments_are_refused() {
    each_backend(async |service, backend| {
        let err = service
            .create_department(&Caller::System, "DTI", "Otra vez")
            .await
            .expect_err("duplicate department");
        assert!(
            matches!(err, ServiceError::Duplicate("department")),
            "{backend}: {err:?}"
        );
        let err = service
            .create_user(
                &Caller::System,
                sau_service::NewUserInput {
                    login: "soporte".into(),
                    display_name: "Otro".into(),
                    email: None,
                    department: None,
                    roles: sau_domain::Roles::empty(),
                    locale: "es".into(),
                    password: None,
                },
            )
            .await
            .expect_err("duplicate login");
        assert!(
            matches!(err, ServiceError::Duplicate("user")),
            "{backend}: {err:?}"
        );
        let requester = caller(&service, "solicitante").await;
        let err = service
            .create_department(&requester, "NUEVO", "Nuevo")
            .await
            .expect_err("only admins");
        assert!(matches!(err, ServiceError::Forbidden));
    })
    .await;
}

#[tokio::test]
async fn technicians_are_listed_with_their_open_load() {
    each_backend(async |service, backend| {
        let requester = caller(&service, "solicitante").await;
        let dispatcher = caller(&service, "soporte").await;
        for i in 0..3 {
            let n = service
                .submit(&requester, printer_request(&format!("carga {i}")), "api")
                .await
                .expect("submit")
                .ticket
                .number;
            service
                .act(&dispatcher, &n, assign_to("tecnico"), None, "api")
                .await
                .expect("assign");
        }
        let loads = service.technicians(&dispatcher).await.expect("loads");
        let load: Vec<(String, i64)> = loads
            .iter()
            .map(|l| (l.user.login.clone(), l.open_tickets))
            .collect();
        assert_eq!(
            load,
            vec![("tecnico2".to_owned(), 0), ("tecnico".to_owned(), 3)],
            "{backend}: least loaded first"
        );
        assert!(matches!(
            service.technicians(&requester).await,
            Err(ServiceError::Forbidden)
        ));
    })
    .await;
}

#[tokio::test]
async fn settings_are_stored_and_replaced() {
    each_backend(async |service, backend| {
        let store = service.store();
        assert_eq!(
            store.get_setting("target_minutes").await.expect("get"),
            None
        );
        store
            .put_setting("target_minutes".into(), "25".into())
            .await
            .expect("put");
        store
            .put_setting("target_minutes".into(), "30".into())
            .await
            .expect("replace");
        assert_eq!(
            store
                .get_setting("target_minutes")
                .await
                .expect("get")
                .as_deref(),
            Some("30"),
            "{backend}"
        );
    })
    .await;
}

#[tokio::test]
async fn open_counts_stop_at_the_cap_the_store_is_asked_for() {
    each_backend(async |service, backend| {
        let requester = caller(&service, "solicitante").await;
        let dispatcher = caller(&service, "soporte").await;
        let mut numbers = Vec::new();
        for i in 0..5 {
            let record = service
                .submit(&requester, printer_request(&format!("cuenta {i}")), "api")
                .await
                .expect("submit");
            numbers.push(record.ticket.number);
        }
        service
            .act(
                &dispatcher,
                &numbers[0],
                sau_service::Action::Assign {
                    technician: sau_service::TechnicianRef::Login("tecnico".into()),
                    priority: None,
                    category: None,
                },
                None,
                "api",
            )
            .await
            .expect("assign");
        let counts = |cap| {
            let store = service.store().clone();
            async move {
                let mut counts = store.count_open_by_state(cap).await.expect("counts");
                counts.sort();
                counts
            }
        };
        let expected = |new, assigned| {
            vec![
                ("assigned".to_owned(), assigned),
                ("in_progress".to_owned(), 0),
                ("new".to_owned(), new),
                ("on_hold".to_owned(), 0),
                ("resolved".to_owned(), 0),
            ]
        };
        assert_eq!(counts(100).await, expected(4, 1), "{backend}");
        assert_eq!(
            counts(3).await,
            expected(3, 1),
            "{backend}: counting stops at 3"
        );

        let shown = service
            .open_ticket_counts(&dispatcher)
            .await
            .expect("service counts");
        let new = shown
            .iter()
            .find(|c| c.state == sau_domain::State::New)
            .expect("new");
        assert_eq!((new.count, new.more), (4, false), "{backend}");
        assert!(matches!(
            service.open_ticket_counts(&requester).await,
            Err(sau_service::ServiceError::Forbidden)
        ));
    })
    .await;
}

#[tokio::test]
async fn unknown_logins_cost_no_password_check_and_every_channel_shares_one_throttle() {
    each_backend(async |service, backend| {
        let address: std::net::IpAddr = "203.0.113.9".parse().expect("ip");
        let before = service.password_checks();
        for i in 0..4 {
            let login = format!("nadie{i}");
            assert!(matches!(
                service.login(&login, "x", None).await,
                Err(ServiceError::BadCredentials)
            ));
        }
        assert_eq!(
            service.password_checks(),
            before,
            "{backend}: an unknown login made argon2 work"
        );
        // A wrong password is checked, and counts against the account: the
        // limit is reached whichever way the attempts came.
        for _ in 0..sau_service::ACCOUNT_LIMIT - 1 {
            assert!(service.login("soporte", "equivocada", None).await.is_err());
        }
        assert_eq!(
            service.password_checks(),
            before + u64::try_from(sau_service::ACCOUNT_LIMIT - 1).expect("small")
        );
        assert!(matches!(
            service
                .verify_credentials("soporte", "equivocada", Some(address))
                .await,
            Err(ServiceError::BadCredentials)
        ));
        let checked = service.password_checks();
        assert!(
            matches!(
                service.login("soporte", "soporte", None).await,
                Err(ServiceError::Throttled { .. })
            ),
            "{backend}: the right password after the limit is still refused"
        );
        assert_eq!(
            service.password_checks(),
            checked,
            "{backend}: a throttled sign-in checks no password"
        );
    })
    .await;
}
