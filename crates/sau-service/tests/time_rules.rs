//! Calendars and time targets, on every backend: the shipped calendar until
//! an admin stores one; every wrong part of a calendar named; a calendar in
//! use cannot go; a ticket measured on its category's calendar, else its
//! queue's, else the default; targets per category and priority, each
//! checked and named when wrong; a target changed while a ticket is on hold
//! keeps the time it spent.

mod common;

use common::{caller, each_backend, printer_request};
use sau_domain::{FieldProblem, TargetKind};
use sau_service::{Action, CalendarInput, DueFilter, ServiceError, TargetLine};
use std::collections::BTreeMap;

fn every_day(range: &str) -> [String; 7] {
    std::array::from_fn(|_| range.to_owned())
}

fn calendar(name: &str, zone: &str, hours: [String; 7], holidays: &str) -> CalendarInput {
    CalendarInput {
        name: name.into(),
        time_zone: zone.into(),
        hours,
        holidays: holidays.into(),
    }
}

fn problems(result: Result<impl std::fmt::Debug, ServiceError>) -> BTreeMap<String, FieldProblem> {
    match result {
        Err(ServiceError::Invalid(problems)) => problems,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn calendars_are_kept_checked_and_used_by_category_then_queue() {
    each_backend(async |service, backend| {
        let admin = caller(&service, "admin").await;
        let desk = caller(&service, "soporte").await;
        let director = caller(&service, "director").await;

        // Nothing stored: Guatemala's, as shipped.
        let shipped = service
            .calendars(&director)
            .await
            .expect("supervisors read");
        assert_eq!(shipped.len(), 1, "{backend}");
        assert_eq!((shipped[0].id, shipped[0].is_default), (None, true));
        assert_eq!(shipped[0].hours[0], "08:00-12:30, 13:30-16:30");
        assert!(
            shipped[0]
                .holidays
                .contains(&"Pascua-3 Jueves Santo".to_owned())
        );
        assert!(matches!(
            service.calendars(&desk).await,
            Err(ServiceError::Forbidden)
        ));

        // Every wrong part named at once.
        let mut hours = every_day("08:00-16:00");
        hours[2] = "16:00-08:00".into();
        let wrong = problems(
            service
                .create_calendar(
                    &admin,
                    &calendar("", "America/Gotham", hours, "01-01 Año Nuevo\n02-30 Nunca"),
                )
                .await,
        );
        assert_eq!(
            wrong,
            BTreeMap::from([
                ("name".to_owned(), FieldProblem::Required),
                ("hours.2".to_owned(), FieldProblem::NotHours),
                ("holidays.2".to_owned(), FieldProblem::NotAHoliday),
                ("time_zone".to_owned(), FieldProblem::Unknown),
            ]),
            "{backend}"
        );

        let shipped_text = &shipped[0];
        let gt = service
            .create_calendar(
                &admin,
                &calendar(
                    "Guatemala",
                    &shipped_text.time_zone,
                    shipped_text.hours.clone(),
                    &shipped_text.holidays.join("\n"),
                ),
            )
            .await
            .expect("stored");
        let round_the_clock = service
            .create_calendar(
                &admin,
                &calendar("Turno 24 horas", "UTC", every_day("00:00-24:00"), ""),
            )
            .await
            .expect("stored");
        assert!(matches!(
            service
                .create_calendar(&admin, &calendar("Guatemala", "UTC", every_day(""), ""))
                .await,
            Err(ServiceError::Duplicate("calendar"))
        ));
        assert!(matches!(
            service
                .create_calendar(&desk, &calendar("Otro", "UTC", every_day(""), ""))
                .await,
            Err(ServiceError::Forbidden)
        ));

        // A ticket of a category with no calendar of its own: the default.
        let requester = caller(&service, "solicitante").await;
        let number = service
            .submit(&requester, printer_request("Calendario"), "web")
            .await
            .expect("submitted")
            .ticket
            .number;
        let times = service.ticket_times(&desk, &number).await.expect("times");
        assert_eq!(times.calendar, "Guatemala", "{backend}");

        // The category's queue gets the round-the-clock calendar…
        let queue = service
            .queues(&admin)
            .await
            .expect("queues")
            .into_iter()
            .next()
            .expect("a queue");
        service
            .set_queue_calendar(&admin, &queue.key, Some(round_the_clock))
            .await
            .expect("set");
        let times = service.ticket_times(&desk, &number).await.expect("times");
        assert_eq!(times.calendar, "Turno 24 horas", "{backend}");
        // …and the category its own, which goes first.
        service
            .set_category_calendar(&admin, "soporte_equipo", Some(gt))
            .await
            .expect("set");
        let times = service.ticket_times(&desk, &number).await.expect("times");
        assert_eq!(times.calendar, "Guatemala", "{backend}");

        let views = service.calendars(&admin).await.expect("calendars");
        assert_eq!(views[0].categories, ["soporte_equipo"]);
        assert_eq!(views[1].queues, std::slice::from_ref(&queue.key));
        assert_eq!(
            problems(service.delete_calendar(&admin, round_the_clock).await),
            BTreeMap::from([("calendar".to_owned(), FieldProblem::InUse)])
        );
        assert_eq!(
            problems(
                service
                    .set_category_calendar(&admin, "soporte_equipo", Some(9_999))
                    .await
            ),
            BTreeMap::from([("calendar".to_owned(), FieldProblem::Unknown)])
        );
        service
            .set_queue_calendar(&admin, &queue.key, None)
            .await
            .expect("unset");
        service
            .delete_calendar(&admin, round_the_clock)
            .await
            .expect("no longer used");
        assert_eq!(service.calendars(&admin).await.expect("list").len(), 1);

        // Renamed and rewritten: the ticket is measured on the new hours.
        service
            .update_calendar(
                &admin,
                gt,
                &calendar("Nunca", "America/Guatemala", every_day(""), ""),
            )
            .await
            .expect("rewritten");
        let times = service.ticket_times(&desk, &number).await.expect("times");
        assert_eq!(times.calendar, "Nunca");
        assert_eq!(
            times.times.total,
            jiff::SignedDuration::ZERO,
            "no working time"
        );
        let total = times
            .checks
            .iter()
            .find(|c| c.kind == TargetKind::Total)
            .expect("the total's check");
        assert!(total.running);
        assert_eq!(total.due, None, "no working time: no deadline");
    })
    .await;
}

fn line(category: &str, priority: i64, minutes: &[(TargetKind, i64)]) -> TargetLine {
    TargetLine {
        category: category.into(),
        priority,
        minutes: minutes.iter().copied().collect(),
    }
}

#[tokio::test]
async fn targets_per_category_and_priority_hold_and_a_change_keeps_the_time_spent() {
    each_backend(async |service, backend| {
        let admin = caller(&service, "admin").await;
        let desk = caller(&service, "soporte").await;
        let tech = caller(&service, "tecnico").await;
        let requester = caller(&service, "solicitante").await;
        // Measured on the wall clock: a calendar that never stops.
        let always = service
            .create_calendar(
                &admin,
                &calendar("Siempre", "UTC", every_day("00:00-24:00"), ""),
            )
            .await
            .expect("stored");
        service
            .set_category_calendar(&admin, "soporte_equipo", Some(always))
            .await
            .expect("set");

        assert_eq!(
            problems(
                service
                    .set_time_targets(
                        &admin,
                        &line(
                            "fax",
                            7,
                            &[(TargetKind::Assign, 0), (TargetKind::Total, 10)]
                        ),
                    )
                    .await
            ),
            BTreeMap::from([
                ("category".to_owned(), FieldProblem::Unknown),
                ("priority".to_owned(), FieldProblem::OutOfRange),
                ("assign".to_owned(), FieldProblem::OutOfRange),
            ]),
            "{backend}"
        );
        assert!(matches!(
            service
                .set_time_targets(&desk, &line("soporte_equipo", 0, &[]))
                .await,
            Err(ServiceError::Forbidden)
        ));
        // Every priority of the category, and its priority 3 on its own.
        service
            .set_time_targets(
                &admin,
                &line("soporte_equipo", 0, &[(TargetKind::Assign, 10)]),
            )
            .await
            .expect("set");
        service
            .set_time_targets(
                &admin,
                &line(
                    "soporte_equipo",
                    3,
                    &[(TargetKind::Accept, 5), (TargetKind::Total, 40)],
                ),
            )
            .await
            .expect("set");
        let lines = service.time_targets(&admin).await.expect("targets");
        assert_eq!(lines.len(), 2, "{backend}: {lines:?}");

        let number = service
            .submit(&requester, printer_request("Metas"), "web")
            .await
            .expect("submitted")
            .ticket
            .number;
        let kinds = |times: &sau_service::TicketTimes| -> Vec<(TargetKind, i64)> {
            times
                .checks
                .iter()
                .map(|c| (c.kind, c.target.as_mins()))
                .collect()
        };
        // Priority 3 (the category's default): its own line only.
        let times = service.ticket_times(&desk, &number).await.expect("times");
        assert_eq!(
            kinds(&times),
            [(TargetKind::Accept, 5), (TargetKind::Total, 40)],
            "{backend}"
        );
        assert_eq!(times.target_minutes, 40);
        // Reassigned at priority 1: the category's line for every priority,
        // and the installation's standard for the total.
        service
            .act(
                &desk,
                &number,
                sau_service::Action::Assign {
                    technician: sau_service::TechnicianRef::Login("tecnico".into()),
                    priority: Some(1),
                    category: None,
                },
                None,
                "web",
            )
            .await
            .expect("assigned");
        let times = service.ticket_times(&desk, &number).await.expect("times");
        assert_eq!(
            kinds(&times),
            [(TargetKind::Assign, 10), (TargetKind::Total, 25)],
            "{backend}"
        );

        // On hold, the clock is paused: a longer target keeps what was spent.
        service
            .act(&tech, &number, Action::Accept, None, "web")
            .await
            .expect("accepted");
        service
            .act(
                &tech,
                &number,
                Action::Hold {
                    reason: "Esperando el repuesto".into(),
                    until: None,
                },
                None,
                "web",
            )
            .await
            .expect("on hold");
        let before = service.ticket_times(&desk, &number).await.expect("times");
        service
            .set_time_targets(
                &admin,
                &line("soporte_equipo", 1, &[(TargetKind::Total, 90)]),
            )
            .await
            .expect("set");
        let after = service.ticket_times(&desk, &number).await.expect("times");
        let total = |times: &sau_service::TicketTimes| {
            *times
                .checks
                .iter()
                .find(|c| c.kind == TargetKind::Total)
                .expect("total")
        };
        assert_eq!(total(&after).target.as_mins(), 90);
        assert_eq!(total(&after).spent, total(&before).spent, "{backend}");
        assert!(!total(&after).running, "paused on hold");
        assert_eq!(after.times.measured(), before.times.measured());

        // Removed: back to the category's line for every priority.
        service
            .set_time_targets(&admin, &line("soporte_equipo", 1, &[]))
            .await
            .expect("removed");
        let times = service.ticket_times(&desk, &number).await.expect("times");
        assert_eq!(
            kinds(&times),
            [(TargetKind::Assign, 10), (TargetKind::Total, 25)]
        );
        // The installation's standard moves the totals no line sets.
        service
            .set_target_minutes(&admin, 30)
            .await
            .expect("standard set");
        let times = service.ticket_times(&desk, &number).await.expect("times");
        assert_eq!(
            kinds(&times),
            [(TargetKind::Assign, 10), (TargetKind::Total, 30)]
        );
    })
    .await;
}

#[tokio::test]
async fn deadlines_are_worked_out_in_the_background_and_lists_keep_what_is_due() {
    each_backend(async |service, backend| {
        let admin = caller(&service, "admin").await;
        let desk = caller(&service, "soporte").await;
        let tech = caller(&service, "tecnico").await;
        let requester = caller(&service, "solicitante").await;
        let always = service
            .create_calendar(
                &admin,
                &calendar("Siempre", "UTC", every_day("00:00-24:00"), ""),
            )
            .await
            .expect("stored");
        service
            .set_category_calendar(&admin, "soporte_equipo", Some(always))
            .await
            .expect("set");
        service
            .set_time_targets(
                &admin,
                &line("soporte_equipo", 0, &[(TargetKind::Total, 60)]),
            )
            .await
            .expect("set");
        let mut made = Vec::new();
        for title in ["Vencido", "Por vencer", "En espera", "A tiempo"] {
            made.push(
                service
                    .submit(&requester, printer_request(title), "web")
                    .await
                    .expect("submitted"),
            );
        }
        let on_hold = made[2].ticket.number.clone();
        service
            .act(&desk, &on_hold, common::assign_to("tecnico"), None, "web")
            .await
            .expect("assigned");
        service
            .act(&tech, &on_hold, Action::Accept, None, "web")
            .await
            .expect("accepted");
        service
            .act(
                &tech,
                &on_hold,
                Action::Hold {
                    reason: "Repuesto".into(),
                    until: None,
                },
                None,
                "web",
            )
            .await
            .expect("on hold");
        // Seventy, fifty and seventy minutes ago (60 is the target, 48 its 80%).
        for (record, minutes) in [(&made[0], 70), (&made[1], 50), (&made[2], 70)] {
            service
                .store()
                .backdate_ticket(record.ticket.id, jiff::SignedDuration::from_mins(minutes))
                .await
                .expect("backdated");
        }
        let kept = service.refresh_deadlines().await.expect("worked out");
        assert!(kept >= 4, "{backend}: {kept}");
        assert_eq!(
            service.refresh_deadlines().await.expect("again"),
            0,
            "nothing left"
        );

        let listed = |due| {
            let service = service.clone();
            let desk = desk.clone();
            async move {
                let mut titles: Vec<String> = service
                    .list_tickets(
                        &desk,
                        sau_service::TicketQuery {
                            due: Some(due),
                            ..Default::default()
                        },
                    )
                    .await
                    .expect("list")
                    .tickets
                    .into_iter()
                    .map(|t| t.ticket.title)
                    .collect();
                titles.sort();
                titles
            }
        };
        assert_eq!(listed(DueFilter::Overdue).await, ["Vencido"], "{backend}");
        assert_eq!(listed(DueFilter::Soon).await, ["Por vencer"], "{backend}");

        let deadlines = service.deadlines(&made).await.expect("deadlines");
        let of = |i: usize| deadlines.get(&made[i].ticket.id).copied();
        let overdue = of(0).expect("a deadline");
        assert!(overdue.overdue && !overdue.nearly);
        assert_eq!(overdue.left, jiff::SignedDuration::ZERO);
        let nearly = of(1).expect("a deadline");
        assert!(nearly.nearly && !nearly.overdue);
        assert!(nearly.left <= jiff::SignedDuration::from_mins(10));
        assert_eq!(of(2), None, "on hold: no clock runs");
        assert!(of(3).is_some_and(|d| !d.overdue && !d.nearly));

        // A longer target: worked out again, nobody is due any more.
        service
            .set_time_targets(
                &admin,
                &line("soporte_equipo", 0, &[(TargetKind::Total, 120)]),
            )
            .await
            .expect("set");
        service.refresh_deadlines().await.expect("worked out");
        assert!(listed(DueFilter::Overdue).await.is_empty(), "{backend}");
        assert!(listed(DueFilter::Soon).await.is_empty(), "{backend}");
    })
    .await;
}
