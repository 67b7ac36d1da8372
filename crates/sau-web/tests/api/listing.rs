//! `GET /api/v1/tickets`: cursor pagination and filters.

use crate::support::{People, TestApp, each_backend, number};
use reqwest::Method;
use sau_domain::Role;
use serde_json::{Value, json};
use std::collections::HashSet;

/// Follows `next_cursor` from the first page to the last; returns the pages.
async fn all_pages(app: &TestApp, token: &str, query: &[(&str, &str)]) -> Vec<Vec<String>> {
    let mut pages = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut q = query.to_vec();
        if let Some(c) = &cursor {
            q.push(("cursor", c));
        }
        let body = app
            .call(Method::GET, "/api/v1/tickets")
            .token(token)
            .query(&q)
            .send()
            .await
            .expect(200);
        pages.push(
            body["tickets"]
                .as_array()
                .expect("tickets")
                .iter()
                .map(number)
                .collect(),
        );
        match body["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => {
                assert_eq!(body["next_cursor"], Value::Null, "{body}");
                break;
            }
        }
        assert!(
            pages.len() <= 10,
            "{}: pagination does not end",
            app.backend
        );
    }
    pages
}

#[tokio::test]
async fn cursor_pagination_returns_every_ticket_exactly_once_in_sort_order() {
    each_backend(async |app| {
        let p = app.people().await;
        let b = app.backend;
        // Seven tickets, oldest first, with priorities that do not follow creation.
        let priorities = [3, 5, 1, 5, 2, 3, 4];
        let mut created = Vec::new();
        for (i, priority) in priorities.iter().enumerate() {
            let mut body = crate::support::request_body("telefonia", &format!("Ticket {i}"));
            body["priority"] = json!(priority);
            let t = app
                .post_json(&p.requester, "/api/v1/tickets", body)
                .await
                .expect(201);
            created.push(number(&t));
        }
        // Update two after all were created: 1, then 4 (so 4 is the latest update).
        for i in [1, 4] {
            app.ok(
                &p.dispatcher,
                &created[i],
                "assign",
                json!({"technician": "tecnico"}),
            )
            .await;
        }
        let by_index = |order: &[usize]| {
            order
                .iter()
                .map(|&i| created[i].clone())
                .collect::<Vec<_>>()
        };
        let expectations: [(Option<&str>, Vec<String>); 4] = [
            (None, by_index(&[6, 5, 4, 3, 2, 1, 0])),
            (Some("created_asc"), by_index(&[0, 1, 2, 3, 4, 5, 6])),
            (Some("updated_desc"), by_index(&[4, 1, 6, 5, 3, 2, 0])),
            (Some("priority_desc"), by_index(&[1, 3, 6, 0, 5, 4, 2])),
        ];
        for (sort, expected) in expectations {
            let mut query = vec![("limit", "3")];
            if let Some(sort) = sort {
                query.push(("sort", sort));
            }
            let pages = all_pages(app, &p.dispatcher, &query).await;
            let sizes: Vec<usize> = pages.iter().map(Vec::len).collect();
            assert_eq!(sizes, [3, 3, 1], "{b}: {sort:?}");
            let seen: Vec<String> = pages.into_iter().flatten().collect();
            let unique: HashSet<&String> = seen.iter().collect();
            assert_eq!(
                unique.len(),
                7,
                "{b}: {sort:?}: a ticket came twice: {seen:?}"
            );
            assert_eq!(seen, expected, "{b}: {sort:?}");
        }
        // A page size that divides the total evenly ends without an empty page.
        let query = [("limit", "7"), ("sort", "created_asc")];
        let pages = all_pages(app, &p.dispatcher, &query).await;
        assert_eq!(pages, [by_index(&[0, 1, 2, 3, 4, 5, 6])], "{b}");
    })
    .await;
}

#[tokio::test]
async fn malformed_cursor_or_limit_is_422() {
    each_backend(async |app| {
        let p = app.people().await;
        for (key, value, field, problem) in [
            ("cursor", "abc", "cursor", "not_a_text"),
            ("cursor", "1.2", "cursor", "not_a_text"),
            ("limit", "0", "limit", "out_of_range"),
            ("limit", "501", "limit", "out_of_range"),
            ("limit", "diez", "limit", "not_a_number"),
            ("sort", "por_color", "sort", "not_an_option"),
        ] {
            let error = app
                .call(Method::GET, "/api/v1/tickets")
                .token(&p.dispatcher)
                .query(&[(key, value)])
                .send()
                .await
                .expect_error(422, "invalid_input");
            assert_eq!(
                error["fields"][field]["code"], problem,
                "{}: {key}={value}: {error}",
                app.backend
            );
        }
    })
    .await;
}

/// Five tickets in different states, categories, priorities, technicians and
/// requesters, oldest first:
/// 0 soporte_equipo p3 new (solicitante);
/// 1 telefonia p5 assigned to tecnico (solicitante);
/// 2 reinicio_clave p4 in_progress with tecnico2 (solicitante);
/// 3 requerimiento p1 new (otra);
/// 4 creacion_usuario p3 closed by tecnico (otra).
async fn mixed_tickets(app: &TestApp) -> (People, Vec<Value>) {
    let p = app.people().await;
    let other = app.add_user("otra", &[Role::Requester]).await;
    let mut tickets = Vec::new();
    let t = app.submit(&p.requester, "soporte_equipo", "Cero").await;
    tickets.push(t);
    let mut body = crate::support::request_body("telefonia", "Uno");
    body["priority"] = json!(5);
    let t = app
        .post_json(&p.requester, "/api/v1/tickets", body)
        .await
        .expect(201);
    app.ok(
        &p.dispatcher,
        &number(&t),
        "assign",
        json!({"technician": "tecnico"}),
    )
    .await;
    tickets.push(t);
    let t = app.submit(&p.requester, "reinicio_clave", "Dos").await;
    app.ok(
        &p.dispatcher,
        &number(&t),
        "assign",
        json!({"technician": "tecnico2"}),
    )
    .await;
    app.ok(&p.technician2, &number(&t), "accept", json!({}))
        .await;
    tickets.push(t);
    let mut body = crate::support::request_body("requerimiento", "Tres");
    body["priority"] = json!(1);
    let t = app
        .post_json(&other, "/api/v1/tickets", body)
        .await
        .expect(201);
    tickets.push(t);
    let t = app.submit(&other, "creacion_usuario", "Cuatro").await;
    let n = number(&t);
    app.ok(
        &p.dispatcher,
        &n,
        "assign",
        json!({"technician": "tecnico"}),
    )
    .await;
    app.ok(&p.technician, &n, "accept", json!({})).await;
    app.ok(
        &p.technician,
        &n,
        "resolve",
        json!({"resolution": "Cuenta creada", "attention_mode": "remote"}),
    )
    .await;
    app.ok(&p.dispatcher, &n, "close", json!({})).await;
    tickets.push(t);
    (p, tickets)
}

/// Checks that `query` lists exactly the tickets at `indexes`, oldest first.
async fn assert_lists(
    app: &TestApp,
    token: &str,
    tickets: &[Value],
    query: &[(&str, &str)],
    indexes: &[usize],
) {
    let mut q = query.to_vec();
    q.push(("sort", "created_asc"));
    let listed = app.list_numbers(token, &q).await;
    let expected: Vec<String> = indexes.iter().map(|&i| number(&tickets[i])).collect();
    assert_eq!(listed, expected, "{}: {query:?}", app.backend);
}

#[tokio::test]
async fn state_filter_lists_only_tickets_in_the_given_states() {
    each_backend(async |app| {
        let (p, t) = mixed_tickets(app).await;
        let d = &p.dispatcher;
        assert_lists(app, d, &t, &[], &[0, 1, 2, 3, 4]).await;
        assert_lists(app, d, &t, &[("state", "new")], &[0, 3]).await;
        assert_lists(app, d, &t, &[("state", "new,in_progress")], &[0, 2, 3]).await;
        assert_lists(app, d, &t, &[("state", "closed")], &[4]).await;
        assert_lists(app, d, &t, &[("state", "on_hold")], &[]).await;
        let error = app
            .call(Method::GET, "/api/v1/tickets")
            .token(d)
            .query(&[("state", "new,abierto")])
            .send()
            .await
            .expect_error(422, "invalid_input");
        assert_eq!(error["fields"]["state"]["code"], "not_an_option");
    })
    .await;
}

#[tokio::test]
async fn category_filter_lists_only_that_category() {
    each_backend(async |app| {
        let (p, t) = mixed_tickets(app).await;
        let d = &p.dispatcher;
        assert_lists(app, d, &t, &[("category", "telefonia")], &[1]).await;
        assert_lists(app, d, &t, &[("category", "requerimiento")], &[3]).await;
        let error = app
            .call(Method::GET, "/api/v1/tickets")
            .token(d)
            .query(&[("category", "fontaneria")])
            .send()
            .await
            .expect_error(422, "invalid_input");
        assert_eq!(error["fields"]["category"]["code"], "unknown");
    })
    .await;
}

#[tokio::test]
async fn priority_filter_lists_only_that_priority() {
    each_backend(async |app| {
        let (p, t) = mixed_tickets(app).await;
        let d = &p.dispatcher;
        assert_lists(app, d, &t, &[("priority", "5")], &[1]).await;
        assert_lists(app, d, &t, &[("priority", "3")], &[0, 4]).await;
        assert_lists(app, d, &t, &[("priority", "2")], &[]).await;
        for (value, problem) in [("alta", "not_a_number"), ("9", "out_of_range")] {
            let error = app
                .call(Method::GET, "/api/v1/tickets")
                .token(d)
                .query(&[("priority", value)])
                .send()
                .await
                .expect_error(422, "invalid_input");
            assert_eq!(error["fields"]["priority"]["code"], problem, "{value}");
        }
    })
    .await;
}

#[tokio::test]
async fn technician_filter_lists_only_that_technicians_tickets() {
    each_backend(async |app| {
        let (p, t) = mixed_tickets(app).await;
        let d = &p.dispatcher;
        assert_lists(app, d, &t, &[("technician", "tecnico")], &[1, 4]).await;
        assert_lists(app, &p.technician2, &t, &[("technician", "tecnico2")], &[2]).await;
        assert_lists(app, d, &t, &[("technician", "nadie")], &[]).await;
        assert_lists(
            app,
            d,
            &t,
            &[("technician", "tecnico"), ("state", "assigned")],
            &[1],
        )
        .await;
    })
    .await;
}

#[tokio::test]
async fn requester_filter_lists_only_that_requesters_tickets() {
    each_backend(async |app| {
        let (p, t) = mixed_tickets(app).await;
        let d = &p.dispatcher;
        assert_lists(app, d, &t, &[("requester", "otra")], &[3, 4]).await;
        assert_lists(app, d, &t, &[("requester", "solicitante")], &[0, 1, 2]).await;
        assert_lists(app, d, &t, &[("requester", "nadie")], &[]).await;
    })
    .await;
}

#[tokio::test]
async fn requesters_list_only_their_own_tickets_whatever_they_filter() {
    each_backend(async |app| {
        let (p, t) = mixed_tickets(app).await;
        let r = &p.requester;
        assert_lists(app, r, &t, &[], &[0, 1, 2]).await;
        assert_lists(app, r, &t, &[("requester", "otra")], &[0, 1, 2]).await;
        assert_lists(app, r, &t, &[("state", "closed")], &[]).await;
    })
    .await;
}

#[tokio::test]
async fn created_range_filter_includes_from_and_excludes_to() {
    each_backend(async |app| {
        let (p, t) = mixed_tickets(app).await;
        let d = &p.dispatcher;
        let at = |i: usize| t[i]["created_at"].as_str().expect("created_at").to_owned();
        assert_lists(app, d, &t, &[("created_from", &at(2))], &[2, 3, 4]).await;
        assert_lists(app, d, &t, &[("created_to", &at(2))], &[0, 1]).await;
        assert_lists(
            app,
            d,
            &t,
            &[("created_from", &at(1)), ("created_to", &at(3))],
            &[1, 2],
        )
        .await;

        // The same instant written with another offset.
        let instant: jiff::Timestamp = at(2).parse().expect("RFC 3339");
        let offset = instant
            .to_zoned_datetime(jiff::tz::TimeZone::fixed(jiff::tz::offset(-6)))
            .strftime("%Y-%m-%dT%H:%M:%S%.f%:z")
            .to_string();
        assert_lists(app, d, &t, &[("created_from", &offset)], &[2, 3, 4]).await;

        // A plain date is midnight in the service's time zone.
        let local_day = |i: usize| {
            at(i)
                .parse::<jiff::Timestamp>()
                .expect("RFC 3339")
                .to_zoned_datetime(jiff::tz::TimeZone::get("America/Guatemala").expect("time zone"))
                .date()
        };
        let first = local_day(0).to_string();
        let next = local_day(4).tomorrow().expect("tomorrow").to_string();
        assert_lists(app, d, &t, &[("created_from", &first)], &[0, 1, 2, 3, 4]).await;
        assert_lists(app, d, &t, &[("created_to", &first)], &[]).await;
        assert_lists(app, d, &t, &[("created_from", &next)], &[]).await;

        for key in ["created_from", "created_to"] {
            let error = app
                .call(Method::GET, "/api/v1/tickets")
                .token(d)
                .query(&[(key, "ayer")])
                .send()
                .await
                .expect_error(422, "invalid_input");
            assert_eq!(error["fields"][key]["code"], "not_a_date", "{key}");
        }
    })
    .await;
}

#[tokio::test]
async fn text_filter_searches_titles_and_numbers() {
    each_backend(async |app| {
        let p = app.people().await;
        let screen = app
            .submit_number(
                &p.requester,
                "soporte_equipo",
                "Monitor parpadea después de la actualización",
            )
            .await;
        let phone = app
            .submit_number(&p.requester, "telefonia", "Sin tono en la extensión")
            .await;
        assert_eq!(
            app.list_numbers(&p.dispatcher, &[("q", "ACTUALIZACION monitor")])
                .await,
            vec![screen.clone()]
        );
        assert_eq!(
            app.list_numbers(&p.dispatcher, &[("q", "extens")]).await,
            vec![phone.clone()]
        );
        assert_eq!(
            app.list_numbers(&p.dispatcher, &[("q", &phone)]).await,
            vec![phone.clone()]
        );
        // Combined with another filter.
        assert!(
            app.list_numbers(
                &p.dispatcher,
                &[("q", "extension"), ("category", "soporte_equipo")]
            )
            .await
            .is_empty()
        );
        let long = "a".repeat(201);
        let body = app
            .call(Method::GET, "/api/v1/tickets")
            .token(&p.dispatcher)
            .query(&[("q", &long)])
            .send()
            .await
            .expect(422);
        assert_eq!(body["error"]["fields"]["q"]["code"], "too_long", "{body}");
    })
    .await;
}
