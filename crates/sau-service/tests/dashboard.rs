//! The director's dashboard against a history whose answers are worked out by
//! hand below, on SQLite and (when `SAU_TEST_POSTGRES_URL` is set)
//! PostgreSQL. Tickets are walked through the procedure, then their events
//! are given the times of the story, then the measuring job runs.
//!
//! November 2026 on Guatemala's calendar (08:00–12:30, 13:30–16:30; UTC−6):
//!
//! | ticket | category        | technician | mode      | in            | assign | accept | attention | closure | total |
//! |--------|-----------------|------------|-----------|---------------|--------|--------|-----------|---------|-------|
//! | T1     | soporte_equipo  | tecnico    | in person | Tue 3, 09:00  | 4      | 2      | 10        | 2       | 18 ✓  |
//! | T2     | soporte_equipo  | tecnico    | remote    | Tue 3, 10:00  | 10     | 5      | 20        | 5       | 40 ✗  |
//! | T3     | reinicio_clave  | tecnico2   | in person | Thu 12, 16:20 | 20 (10 Thu + 10 Fri) | 2 | 8 | 1 | 31 ✗ |
//! | T4     | soporte_equipo  | tecnico    | in person | Tue 1 Dec     | closed in December: not in November |
//! | T5     | soporte_equipo  | —          | —         | Wed 4, 09:00  | cancelled: received, never measured |
//! | T6     | reinicio_clave  | tecnico2   | —         | now           | open, assigned |
//!
//! The total's target is the manual's 25 minutes; `soporte_equipo` also has
//! a 5-minute target to assign.

mod common;

use common::{assign_to, caller, each_backend};
use jiff::Timestamp;
use jiff::civil::date;
use sau_domain::{AttentionMode, Compliance, Granularity, State, Step, TargetKind};
use sau_service::{Action, Caller, NewRequest, ReportQuery, Service, ServiceError, TargetLine};

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

/// A Guatemalan local time.
fn gt(month: i8, day: i8, h: i8, m: i8) -> Timestamp {
    date(2026, month, day)
        .at(h, m, 0, 0)
        .in_tz("America/Guatemala")
        .expect("a local time")
        .timestamp()
}

struct People {
    requester: Caller,
    desk: Caller,
    tecnico: Caller,
    tecnico2: Caller,
}

/// Walks a request through assignment, acceptance, resolution and close,
/// then gives its five events `times`.
async fn closed(
    service: &Service,
    p: &People,
    category: &str,
    technician: &str,
    mode: AttentionMode,
    times: [Timestamp; 5],
) -> String {
    let record = service
        .submit(&p.requester, request(category, technician), "web")
        .await
        .expect("submitted");
    let number = record.ticket.number.clone();
    let tech = if technician == "tecnico" {
        &p.tecnico
    } else {
        &p.tecnico2
    };
    let resolve = Action::Resolve {
        resolution: "Listo".into(),
        attention_mode: mode,
        remote_tool: None,
        remote_id: None,
        attachments: Default::default(),
    };
    for (who, action) in [
        (&p.desk, assign_to(technician)),
        (tech, Action::Accept),
        (tech, resolve),
        (&p.desk, Action::Close),
    ] {
        service
            .act(who, &number, action, None, "web")
            .await
            .expect("a step of the procedure");
    }
    service
        .store()
        .retime_ticket(record.ticket.id, &times)
        .await
        .expect("retimed");
    number
}

fn c(met: i64, measured: i64) -> Compliance {
    Compliance { met, measured }
}

#[tokio::test]
async fn the_dashboard_gives_the_figures_worked_out_by_hand() {
    each_backend(async |service, backend| {
        let admin = caller(&service, "admin").await;
        let director = caller(&service, "director").await;
        let p = People {
            requester: caller(&service, "solicitante").await,
            desk: caller(&service, "soporte").await,
            tecnico: caller(&service, "tecnico").await,
            tecnico2: caller(&service, "tecnico2").await,
        };
        service
            .set_time_targets(
                &admin,
                &TargetLine {
                    category: "soporte_equipo".into(),
                    priority: 0,
                    minutes: [(TargetKind::Assign, 5)].into_iter().collect(),
                },
            )
            .await
            .expect("target set");

        let (m, n) = (11, 12);
        let t1 = closed(
            &service,
            &p,
            "soporte_equipo",
            "tecnico",
            AttentionMode::InPerson,
            [
                gt(m, 3, 9, 0),
                gt(m, 3, 9, 4),
                gt(m, 3, 9, 6),
                gt(m, 3, 9, 16),
                gt(m, 3, 9, 18),
            ],
        )
        .await;
        let _t2 = closed(
            &service,
            &p,
            "soporte_equipo",
            "tecnico",
            AttentionMode::Remote,
            [
                gt(m, 3, 10, 0),
                gt(m, 3, 10, 10),
                gt(m, 3, 10, 15),
                gt(m, 3, 10, 35),
                gt(m, 3, 10, 40),
            ],
        )
        .await;
        let _t3 = closed(
            &service,
            &p,
            "reinicio_clave",
            "tecnico2",
            AttentionMode::InPerson,
            [
                gt(m, 12, 16, 20),
                gt(m, 13, 8, 10),
                gt(m, 13, 8, 12),
                gt(m, 13, 8, 20),
                gt(m, 13, 8, 21),
            ],
        )
        .await;
        let _t4 = closed(
            &service,
            &p,
            "soporte_equipo",
            "tecnico",
            AttentionMode::InPerson,
            [
                gt(n, 1, 9, 0),
                gt(n, 1, 9, 1),
                gt(n, 1, 9, 2),
                gt(n, 1, 9, 3),
                gt(n, 1, 9, 4),
            ],
        )
        .await;
        let cancelled = service
            .submit(&p.requester, request("soporte_equipo", "cancelada"), "web")
            .await
            .expect("submitted");
        service
            .act(
                &p.desk,
                &cancelled.ticket.number,
                Action::Cancel {
                    reason: "Duplicada".into(),
                },
                None,
                "web",
            )
            .await
            .expect("cancelled");
        service
            .store()
            .retime_ticket(cancelled.ticket.id, &[gt(m, 4, 9, 0), gt(m, 4, 9, 5)])
            .await
            .expect("retimed");
        let open = service
            .submit(&p.requester, request("reinicio_clave", "abierta"), "web")
            .await
            .expect("submitted");
        service
            .act(
                &p.desk,
                &open.ticket.number,
                assign_to("tecnico2"),
                None,
                "web",
            )
            .await
            .expect("assigned");

        // Measured in the background; nothing left the second time.
        let measured = service.refresh_measures().await.expect("measured");
        assert!(measured >= 6, "{backend}: {measured}");
        assert_eq!(
            service.refresh_measures().await.expect("again"),
            0,
            "{backend}"
        );

        let november = ReportQuery {
            from: Some(date(2026, 11, 1)),
            to: Some(date(2026, 11, 30)),
            ..ReportQuery::default()
        };
        assert!(matches!(
            service.dashboard(&p.desk, &november).await,
            Err(ServiceError::Forbidden)
        ));
        let d = service
            .dashboard(&director, &november)
            .await
            .expect("dashboard");
        assert_eq!(d.by, Granularity::Day);
        assert_eq!(d.received, 4, "{backend}: T1, T2, T3 and T5");
        assert_eq!(d.all.closed, 3, "{backend}");
        assert_eq!(
            d.all.compliance[3],
            c(1, 3),
            "{backend}: only T1 within 25 min"
        );
        assert_eq!(
            d.all.compliance[0],
            c(1, 2),
            "{backend}: T1 assigned in 4 ≤ 5, T2 in 10"
        );
        assert_eq!(d.all.compliance[1], c(0, 0));
        // Averages in seconds: (4+10+20)/3 min, (2+5+2)/3, (10+20+8)/3, (2+5+1)/3, (18+40+31)/3.
        assert_eq!(
            d.all.average,
            [Some(680), Some(180), Some(760), Some(160), Some(1780)],
            "{backend}"
        );
        // The 90th percentile of three values is the largest.
        let p90: Vec<Option<i64>> = d.steps.iter().map(|s| s.p90_minutes).collect();
        assert_eq!(
            p90,
            [Some(20), Some(5), Some(20), Some(5), Some(40)],
            "{backend}"
        );
        assert_eq!(d.steps[4].step, Step::Total);

        let by = |groups: &[sau_service::GroupFigures]| -> Vec<(String, i64, Compliance)> {
            groups
                .iter()
                .map(|g| (g.group.key.clone(), g.closed, g.compliance[3]))
                .collect()
        };
        assert_eq!(
            by(&d.by_category),
            [
                ("soporte_equipo".into(), 2, c(1, 2)),
                ("reinicio_clave".into(), 1, c(0, 1))
            ],
            "{backend}"
        );
        assert_eq!(
            by(&d.by_technician),
            [
                ("tecnico".into(), 2, c(1, 2)),
                ("tecnico2".into(), 1, c(0, 1))
            ]
        );
        assert_eq!(
            by(&d.by_mode),
            [
                ("in_person".into(), 2, c(1, 2)),
                ("remote".into(), 1, c(0, 1))
            ]
        );
        assert_eq!(by(&d.by_department), [("DRH".into(), 3, c(1, 3))]);

        // The trend: a point a day; received on the 3rd, 4th and 12th,
        // closed on the 3rd and the 13th.
        assert_eq!(d.trend.len(), 30);
        let day = |n: usize| &d.trend[n - 1];
        assert_eq!(
            (day(3).received, day(3).closed, day(3).total),
            (2, 2, c(1, 2))
        );
        assert_eq!((day(4).received, day(4).closed), (1, 0));
        assert_eq!((day(12).received, day(12).closed), (1, 0));
        assert_eq!(
            (day(13).received, day(13).closed, day(13).total),
            (0, 1, c(0, 1))
        );
        assert_eq!(d.trend.iter().map(|t| t.closed).sum::<i64>(), 3);

        // Open now: T6 only, assigned to tecnico2.
        assert_eq!(d.open.total, 1, "{backend}");
        assert!(d.open.by_state.contains(&(State::Assigned, 1)));
        assert_eq!(d.open.by_technician[0].key, "tecnico2");
        assert_eq!(d.open.by_category[0].key, "reinicio_clave");

        // The sums the store keeps equal the measures added up one by one
        // (the narrowed reports' way).
        let store = service.store();
        let days = sau_store::MeasureFilter {
            from_day: sau_domain::day_number(date(2026, 11, 1)),
            to_day: sau_domain::day_number(date(2026, 12, 1)),
            ..Default::default()
        };
        let mut kept = store.measure_days(&days).await.expect("sums");
        let minutes = store.measure_minutes(&days).await.expect("minutes");
        let (mut summed, summed_minutes) = store.sum_chosen_measures(&days).await.expect("summed");
        let order = |d: &sau_store::MeasureDay| (d.day, d.dimension, d.value);
        summed.sort_by_key(order);
        kept.sort_by_key(order);
        assert_eq!((summed, summed_minutes), (kept, minutes), "{backend}");

        // Narrowed to one technician: the percentiles come from the tickets.
        let narrowed = service
            .dashboard(
                &director,
                &ReportQuery {
                    technician: Some("tecnico".into()),
                    ..november.clone()
                },
            )
            .await
            .expect("dashboard");
        assert_eq!(narrowed.all.closed, 2);
        assert_eq!(narrowed.received, 2, "T5 was never assigned");
        assert_eq!(
            by(&narrowed.by_category),
            [("soporte_equipo".into(), 2, c(1, 2))],
            "{backend}"
        );
        assert_eq!(
            by(&narrowed.by_mode),
            [
                ("in_person".into(), 1, c(1, 1)),
                ("remote".into(), 1, c(0, 1))
            ]
        );
        assert_eq!(narrowed.all.compliance[0], c(1, 2));
        let p90: Vec<Option<i64>> = narrowed.steps.iter().map(|s| s.p90_minutes).collect();
        assert_eq!(
            p90,
            [Some(10), Some(5), Some(20), Some(5), Some(40)],
            "{backend}"
        );

        // By week: from Monday 26 October to Monday 30 November, six groups.
        let weekly = service
            .dashboard(
                &director,
                &ReportQuery {
                    by: Some(Granularity::Week),
                    ..november.clone()
                },
            )
            .await
            .expect("dashboard");
        let starts: Vec<_> = weekly.trend.iter().map(|t| (t.start, t.closed)).collect();
        assert_eq!(
            starts,
            [
                (date(2026, 10, 26), 0),
                (date(2026, 11, 2), 2),
                (date(2026, 11, 9), 1),
                (date(2026, 11, 16), 0),
                (date(2026, 11, 23), 0),
                (date(2026, 11, 30), 0),
            ]
        );

        // December holds T4 alone.
        let december = service
            .dashboard(
                &director,
                &ReportQuery {
                    from: Some(date(2026, 12, 1)),
                    to: Some(date(2026, 12, 31)),
                    ..ReportQuery::default()
                },
            )
            .await
            .expect("dashboard");
        assert_eq!(december.all.closed, 1);
        assert_eq!(december.all.compliance[3], c(1, 1));

        // A reopened ticket leaves the figures until it is closed again.
        service
            .act(
                &p.requester,
                &t1,
                Action::Reopen {
                    reason: "Volvió a fallar".into(),
                },
                None,
                "web",
            )
            .await
            .expect("reopened");
        assert_eq!(service.refresh_measures().await.expect("measured"), 1);
        let d = service
            .dashboard(&director, &november)
            .await
            .expect("dashboard");
        assert_eq!(d.all.closed, 2, "{backend}");
        assert_eq!(d.all.compliance[3], c(0, 2), "{backend}");
        assert_eq!(d.trend[2].closed, 1);
        let p90: Vec<Option<i64>> = d.steps.iter().map(|s| s.p90_minutes).collect();
        assert_eq!(
            p90,
            [Some(20), Some(5), Some(20), Some(5), Some(40)],
            "{backend}"
        );
        assert_eq!(d.all.average[4], Some((40 + 31) * 60 / 2));

        // Wrong filters are named.
        for (query, field) in [
            (
                ReportQuery {
                    category: Some("nada".into()),
                    ..november.clone()
                },
                "category",
            ),
            (
                ReportQuery {
                    technician: Some("nadie".into()),
                    ..november.clone()
                },
                "technician",
            ),
            (
                ReportQuery {
                    mode: Some("telepatia".into()),
                    ..november.clone()
                },
                "mode",
            ),
            (
                ReportQuery {
                    priority: Some(9),
                    ..november.clone()
                },
                "priority",
            ),
            (
                ReportQuery {
                    from: Some(date(2026, 12, 1)),
                    ..november.clone()
                },
                "to",
            ),
            (
                ReportQuery {
                    from: Some(date(2020, 1, 1)),
                    ..november.clone()
                },
                "from",
            ),
        ] {
            match service.dashboard(&director, &query).await {
                Err(ServiceError::Invalid(fields)) => {
                    assert!(fields.contains_key(field), "{field}: {fields:?}")
                }
                other => panic!("{field}: {other:?}"),
            }
        }
    })
    .await;
}
