//! Several people acting on the same ticket at the same moment, over HTTP.

use crate::support::{each_backend, event_types, number};
use sau_domain::Role;
use serde_json::json;
use std::collections::HashSet;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_dispatchers_assigning_the_same_version_at_once_get_one_200_and_one_409() {
    each_backend(async |app| {
        let b = app.backend;
        let requester = app.login("solicitante").await;
        let first = app.login("soporte").await;
        let second = app.add_user("soporte_b", &[Role::Dispatcher]).await;
        // Several rounds, so the race really happens on some of them.
        for round in 0..8 {
            let n = app
                .submit_number(&requester, "soporte_equipo", &format!("Carrera {round}"))
                .await;
            let (a, c) = tokio::join!(
                app.command(
                    &first,
                    &n,
                    "assign",
                    json!({"technician": "tecnico", "version": 1})
                ),
                app.command(
                    &second,
                    &n,
                    "assign",
                    json!({"technician": "tecnico2", "version": 1})
                ),
            );
            let (winner, loser, chosen) = match (a.status.as_u16(), c.status.as_u16()) {
                (200, 409) => (a, c, "tecnico"),
                (409, 200) => (c, a, "tecnico2"),
                other => panic!(
                    "{b}: round {round}: statuses {other:?}: {} / {}",
                    a.text, c.text
                ),
            };
            let won = winner.expect(200);
            assert_eq!(won["technician"]["login"], chosen, "{b}");
            let error = loser.expect_error(409, "stale_version");
            assert_eq!(error["current_version"], 2, "{b}: {error}");

            let events = app.events(&first, &n).await;
            assert_eq!(event_types(&events), ["submitted", "assigned"], "{b}: {n}");
            assert_eq!(
                events[1]["data"]["technician"], won["technician"]["id"],
                "{b}"
            );
            let ticket = app.ticket(&first, &n).await;
            assert_eq!(ticket["version"], 2, "{b}");
            assert_eq!(ticket["technician"]["login"], chosen, "{b}");
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_submissions_each_get_their_own_ticket_number() {
    each_backend(async |app| {
        let requester = app.login("solicitante").await;
        let mut tasks = Vec::new();
        for i in 0..16 {
            let client = app.client.clone();
            let url = app.url("/api/v1/tickets");
            let token = requester.clone();
            tasks.push(tokio::spawn(async move {
                let resp = client
                    .post(url)
                    .bearer_auth(token)
                    .json(&crate::support::request_body(
                        "telefonia",
                        &format!("Simultáneo {i}"),
                    ))
                    .send()
                    .await
                    .expect("request");
                assert_eq!(resp.status(), 201);
                let body: serde_json::Value = resp.json().await.expect("JSON");
                number(&body)
            }));
        }
        let mut numbers = HashSet::new();
        for task in tasks {
            numbers.insert(task.await.expect("task"));
        }
        assert_eq!(numbers.len(), 16, "{}: {numbers:?}", app.backend);
        let dispatcher = app.login("soporte").await;
        assert_eq!(app.ticket_count(&dispatcher).await, 16, "{}", app.backend);
    })
    .await;
}
