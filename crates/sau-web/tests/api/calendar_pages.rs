//! "Calendarios y metas": the shipped calendar shown until one is stored, a
//! calendar refused with each wrong field (a holiday named by its line) and
//! what was typed kept, a category given its own calendar, a target line set,
//! and the ticket page counting working time on the ticket's calendar.

use crate::browser::{answer, browser, post_form, sign_in};
use crate::support::each_backend;
use reqwest::StatusCode;

async fn page(app: &crate::support::TestApp, client: &reqwest::Client, path: &str) -> String {
    client
        .get(app.url(path))
        .send()
        .await
        .expect("GET")
        .text()
        .await
        .expect("body")
}

#[tokio::test]
async fn an_admin_keeps_calendars_and_targets_and_the_ticket_counts_working_time() {
    each_backend(async |app| {
        let admin = browser();
        let token = sign_in(app, &admin, "admin").await;
        let html = page(app, &admin, "/admin/calendars").await;
        assert!(html.contains("Guatemala"), "{html}");
        assert!(html.contains("08:00-12:30, 13:30-16:30"), "{html}");
        assert!(html.contains("Pascua-3 Jueves Santo"), "{html}");

        let mut fields = vec![
            ("csrf_token", token.as_str()),
            ("form", "calendar-new"),
            ("name", "Turno de noche"),
            ("time_zone", "America/Guatemala"),
            ("hours.0", "22:00-24:00"),
            ("hours.1", "9 a 5"),
            ("holidays", "01-01 Año Nuevo\n13-45 Nunca"),
        ];
        let refused = post_form(app, &admin, "/admin/calendars", &fields).await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = refused.text().await.expect("body");
        assert!(
            html.contains("Línea 2:"),
            "the holiday line is named: {html}"
        );
        assert!(
            html.contains("value=\"9 a 5\""),
            "what was typed is kept: {html}"
        );
        assert!(html.contains("id=\"calendar-new-hours.1-error\""), "{html}");

        fields[5] = ("hours.1", "22:00-24:00");
        fields[6] = ("holidays", "01-01 Año Nuevo");
        let (status, location, _) =
            answer(post_form(app, &admin, "/admin/calendars", &fields).await).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        assert_eq!(location.as_deref(), Some("/admin/calendars?done=saved"));
        let html = page(app, &admin, "/admin/calendars?done=saved").await;
        assert!(html.contains("Turno de noche"), "{html}");
        assert!(
            html.contains("id=\"calendar-uses\""),
            "a stored calendar can be chosen"
        );

        // The stored one is the default: the ticket page names it.
        let id = html
            .split("action=\"/admin/calendars/")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .expect("the calendar's form")
            .to_owned();
        assert!(id.parse::<i64>().is_ok(), "{id}");
        let (status, _, body) = answer(
            post_form(
                app,
                &admin,
                "/admin/calendars/uses",
                &[
                    ("csrf_token", token.as_str()),
                    ("category:soporte_equipo", &id),
                ],
            )
            .await,
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{body}");

        let (status, _, _) = answer(
            post_form(
                app,
                &admin,
                "/admin/calendars/targets",
                &[
                    ("csrf_token", token.as_str()),
                    ("category", "soporte_equipo"),
                    ("priority", "0"),
                    ("assign", "10"),
                    ("total", "40"),
                ],
            )
            .await,
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let bad = post_form(
            app,
            &admin,
            "/admin/calendars/targets",
            &[
                ("csrf_token", token.as_str()),
                ("category", "soporte_equipo"),
                ("priority", "0"),
                ("accept", "-5"),
            ],
        )
        .await;
        assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = page(app, &admin, "/admin/calendars").await;
        assert!(html.contains("id=\"target-lines\""), "{html}");
        assert!(html.contains(">40<"), "{html}");

        let requester = app.login("solicitante").await;
        let number = app
            .submit_number(&requester, "soporte_equipo", "Calendario en la página")
            .await;
        let desk = browser();
        sign_in(app, &desk, "soporte").await;
        let ticket = page(app, &desk, &format!("/tickets/{number}")).await;
        assert!(
            ticket.contains("Tiempo hábil según el calendario Turno de noche"),
            "{ticket}"
        );
        assert!(ticket.contains("Meta de asignación"), "{ticket}");
        assert!(ticket.contains("de una meta de 40 min"), "{ticket}");

        // On a calendar that never stops, an hour later (40 minutes is the
        // target): overdue, once the deadlines are worked out.
        let admin_caller = app
            .service
            .authenticate(&app.login("admin").await)
            .await
            .expect("token");
        let always = app
            .service
            .create_calendar(
                &admin_caller,
                &sau_service::CalendarInput {
                    name: "Siempre".into(),
                    time_zone: "UTC".into(),
                    hours: std::array::from_fn(|_| "00:00-24:00".to_owned()),
                    holidays: String::new(),
                },
            )
            .await
            .expect("stored");
        app.service
            .set_category_calendar(&admin_caller, "soporte_equipo", Some(always))
            .await
            .expect("set");
        let record = app
            .service
            .list_tickets(
                &app.service
                    .authenticate(&app.login("soporte").await)
                    .await
                    .expect("token"),
                sau_service::TicketQuery {
                    text: Some(number.clone()),
                    ..Default::default()
                },
            )
            .await
            .expect("list")
            .tickets
            .remove(0);
        app.service
            .store()
            .backdate_ticket(record.ticket.id, jiff::SignedDuration::from_mins(60))
            .await
            .expect("backdated");
        app.service.refresh_deadlines().await.expect("worked out");
        let overdue = page(app, &desk, "/?due=overdue").await;
        assert!(overdue.contains(&number), "{overdue}");
        assert!(overdue.contains("Vencido"), "{overdue}");
        let soon = page(app, &desk, "/?due=soon").await;
        assert!(!soon.contains(&number), "{soon}");
        let wrong = desk.get(app.url("/?due=ayer")).send().await.expect("GET");
        assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);

        let tech = browser();
        sign_in(app, &tech, "tecnico").await;
        let (status, _) = {
            let r = tech
                .get(app.url("/admin/calendars"))
                .send()
                .await
                .expect("GET");
            (r.status(), ())
        };
        assert_eq!(status, StatusCode::FORBIDDEN);
    })
    .await;
}
