//! Deadline warnings, on every backend, received by a real SMTP server on
//! loopback (aiosmtpd): the dispatchers are told when a ticket reaches 80%
//! of its target, the supervisors when it misses it, each deadline once, and
//! only in the ticket's working hours; the pages' counts agree.

mod common;

use common::{caller, printer_request};
use jiff::SignedDuration;
use sau_domain::TargetKind;
use sau_service::testing::{SmtpSink, mail_settings};
use sau_service::{CalendarInput, JobSettings, Service, ServiceSettings, TargetLine};
use sau_store::testing::{TestDatabase, backends};

fn calendar(name: &str, range: &str) -> CalendarInput {
    CalendarInput {
        name: name.into(),
        time_zone: "UTC".into(),
        hours: std::array::from_fn(|_| range.to_owned()),
        holidays: String::new(),
    }
}

async fn drain(service: &Service) {
    for _ in 0..50 {
        if service.run_due_jobs().await.expect("jobs run").is_empty() {
            return;
        }
    }
}

#[tokio::test]
async fn dispatchers_and_supervisors_are_warned_once_in_working_hours() {
    for backend in backends() {
        let dir = tempfile::tempdir().expect("dir");
        let sink = SmtpSink::start(&dir.path().join(backend), None);
        let db = TestDatabase::new(backend).await;
        let settings = ServiceSettings {
            mail: Some(mail_settings(format!("smtp://127.0.0.1:{}", sink.port))),
            jobs: JobSettings {
                first_retry: SignedDuration::from_millis(10),
                longest_retry: SignedDuration::from_millis(10),
                ..JobSettings::default()
            },
            ..ServiceSettings::default()
        };
        let service = Service::new(db.open().await, settings, db.blobs());
        service.seed_demo().await.expect("demo data");
        let admin = caller(&service, "admin").await;
        let requester = caller(&service, "solicitante").await;
        let desk = caller(&service, "soporte").await;

        // Printers: every hour works. Passwords: two hours a day, away from now.
        let always = service
            .create_calendar(&admin, &calendar("Siempre", "00:00-24:00"))
            .await
            .expect("stored");
        let hour = jiff::Timestamp::now()
            .to_zoned_datetime(jiff::tz::TimeZone::UTC)
            .hour();
        let (from, to) = ((hour + 3) % 22, (hour + 3) % 22 + 2);
        let elsewhere = service
            .create_calendar(
                &admin,
                &calendar("Lejos", &format!("{from:02}:00-{to:02}:00")),
            )
            .await
            .expect("stored");
        for (category, id) in [("soporte_equipo", always), ("reinicio_clave", elsewhere)] {
            service
                .set_category_calendar(&admin, category, Some(id))
                .await
                .expect("set");
            service
                .set_time_targets(
                    &admin,
                    &TargetLine {
                        category: category.into(),
                        priority: 0,
                        minutes: [(TargetKind::Total, 60)].into_iter().collect(),
                    },
                )
                .await
                .expect("set");
        }
        let mut made = Vec::new();
        for (title, minutes) in [("Vencido", 70), ("Por vencer", 50), ("A tiempo", 0)] {
            let record = service
                .submit(&requester, printer_request(title), "web")
                .await
                .expect("submitted");
            service
                .store()
                .backdate_ticket(record.ticket.id, SignedDuration::from_mins(minutes))
                .await
                .expect("backdated");
            made.push(record);
        }
        let mut password = printer_request("Fuera de horario");
        password.category = "reinicio_clave".into();
        password.fields = serde_json::json!({"sistema": "Nómina", "usuario": "jperez"})
            .as_object()
            .cloned()
            .unwrap_or_default();
        let late = service
            .submit(&requester, password, "web")
            .await
            .expect("submitted");
        // Three days ago: six working hours have passed, so it is overdue.
        service
            .store()
            .backdate_ticket(late.ticket.id, SignedDuration::from_hours(72))
            .await
            .expect("backdated");
        drain(&service).await;
        let before = sink.count();

        service.refresh_deadlines().await.expect("deadlines");
        assert_eq!(
            service.due_counts(&desk).await.expect("counts"),
            (1, 2),
            "{backend}: one nearly due, two overdue"
        );
        assert!(service.due_counts(&requester).await.is_err(), "agents only");
        assert_eq!(
            service.warn_deadlines().await.expect("warned"),
            2,
            "{backend}: the printer overdue and the printer nearly due; the password waits for its hours"
        );
        assert_eq!(
            service.warn_deadlines().await.expect("again"),
            0,
            "each deadline once"
        );
        drain(&service).await;
        for _ in 0..100 {
            if sink.count() >= before + 2 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        let mails = sink.mails();
        let warnings: Vec<_> = mails
            .iter()
            .filter(|m| {
                let subject = m.subject();
                subject.contains("Vencido: ") || subject.contains("Por vencer: ")
            })
            .collect();
        assert_eq!(
            warnings.len(),
            2,
            "{backend}: {:?}",
            mails.iter().map(|m| m.subject()).collect::<Vec<_>>()
        );
        let overdue = warnings
            .iter()
            .find(|m| m.subject().contains("Vencido: Vencido"))
            .expect("the overdue printer");
        assert_eq!(overdue.to(), "director@sau.example", "the supervisors");
        assert!(
            overdue.text().contains("su plazo venció a las"),
            "{}",
            overdue.text()
        );
        assert!(overdue.text().contains(&made[0].ticket.number));
        let soon = warnings
            .iter()
            .find(|m| m.subject().contains("Por vencer: Por vencer"))
            .expect("the printer nearly due");
        assert_eq!(soon.to(), "soporte@sau.example", "the dispatchers");
        assert!(soon.text().contains("su plazo vence a las"));
        assert!(soon.text().contains("Todavía no tiene técnico."));
        assert!(
            !mails.iter().any(
                |m| m.subject().contains("Fuera de horario") && m.subject().contains("Vencido")
            ),
            "no warning outside working hours"
        );
        sink.stop();
    }
}
