//! The manual's procedure 7.1 through the JSON API, role by role.

use crate::support::{
    CATEGORIES, TestApp, each_backend, each_backend_with, event_types, is_rfc3339, number,
    valid_fields, version,
};
use sau_domain::Role;
use serde_json::{Value, json};

/// Runs a command that must succeed, and checks the state it leaves and that the
/// version grew by exactly `events` (the number of events the command records).
#[allow(clippy::too_many_arguments)]
async fn step(
    app: &TestApp,
    token: &str,
    n: &str,
    command: &str,
    body: Value,
    state: &str,
    events: i64,
    last_version: &mut i64,
) -> Value {
    let ticket = app.ok(token, n, command, body).await;
    assert_eq!(
        ticket["state"], state,
        "{}: state after {command} on {n}",
        app.backend
    );
    assert_eq!(
        version(&ticket),
        *last_version + events,
        "{}: version after {command} on {n}",
        app.backend
    );
    *last_version = version(&ticket);
    ticket
}

const INTERNAL_NOTE: &str = "NOTA-INTERNA: el disco muestra sectores dañados";
const RETURN_REASON: &str = "DEVOLUCIÓN: falta confirmar con la persona usuaria";

#[tokio::test]
async fn five_requests_of_each_category_go_through_the_whole_procedure() {
    each_backend(async |app| {
        let p = app.people().await;
        let b = app.backend;

        // Request (5.1): one ticket of each category, with valid fields.
        let mut numbers = Vec::new();
        for category in CATEGORIES {
            let t = app
                .submit(&p.requester, category, &format!("Solicitud {category}"))
                .await;
            assert_eq!(t["state"], "new", "{b}");
            assert_eq!(t["category"], category, "{b}");
            assert_eq!(t["version"], 1, "{b}");
            assert_eq!(t["requester"]["login"], "solicitante", "{b}");
            assert_eq!(t["department"]["code"], "DRH", "{b}");
            assert_eq!(t["queue"], "soporte", "{b}");
            assert_eq!(t["technician"], Value::Null, "{b}");
            assert_eq!(
                t["fields"],
                valid_fields(category),
                "{b}: {category} fields"
            );
            numbers.push(number(&t));
        }

        // Steps 1–2: the dispatcher's triage queue holds exactly these, oldest first.
        let triage = app
            .list_numbers(&p.dispatcher, &[("state", "new"), ("sort", "created_asc")])
            .await;
        assert_eq!(triage, numbers, "{b}: triage queue");

        // Step 3: assign; one with a priority correction, one with a category
        // correction; the last one to the second technician.
        let mut versions = [1_i64; 5];
        let t = step(
            app,
            &p.dispatcher,
            &numbers[0],
            "assign",
            json!({"technician": "tecnico", "priority": 5, "version": 1}),
            "assigned",
            2,
            &mut versions[0],
        )
        .await;
        assert_eq!(t["priority"], 5, "{b}");
        assert_eq!(t["technician"]["login"], "tecnico", "{b}");
        let t = step(
            app,
            &p.dispatcher,
            &numbers[1],
            "assign",
            json!({"technician": "tecnico", "category": "soporte_equipo", "version": 1}),
            "assigned",
            2,
            &mut versions[1],
        )
        .await;
        assert_eq!(t["category"], "soporte_equipo", "{b}");
        for (i, tech) in [(2, "tecnico"), (3, "tecnico"), (4, "tecnico2")] {
            step(
                app,
                &p.dispatcher,
                &numbers[i],
                "assign",
                json!({"technician": tech}),
                "assigned",
                1,
                &mut versions[i],
            )
            .await;
        }

        // Step 4: each technician finds their tickets.
        let mine = app
            .list_numbers(
                &p.technician,
                &[("technician", "tecnico"), ("sort", "created_asc")],
            )
            .await;
        assert_eq!(mine, numbers[..4], "{b}: tecnico's list");
        let theirs = app
            .list_numbers(&p.technician2, &[("technician", "tecnico2")])
            .await;
        assert_eq!(theirs, numbers[4..], "{b}: tecnico2's list");

        // Steps 4–6: accept, comment internally and publicly, hold, resume, resolve
        // remotely.
        for (i, n) in numbers.iter().enumerate() {
            let tech = if i == 4 {
                &p.technician2
            } else {
                &p.technician
            };
            let v = &mut versions[i];
            step(app, tech, n, "accept", json!({}), "in_progress", 1, v).await;
            let body = json!({"body": INTERNAL_NOTE, "visibility": "internal"});
            step(app, tech, n, "entries", body, "in_progress", 1, v).await;
            let body = json!({"body": "Voy en camino", "visibility": "public"});
            step(app, tech, n, "entries", body, "in_progress", 1, v).await;
            let body = json!({"reason": "Esperando a la persona usuaria"});
            step(app, tech, n, "hold", body, "on_hold", 1, v).await;
            step(app, tech, n, "resume", json!({}), "in_progress", 1, v).await;
            let body = json!({
                "resolution": format!("Resuelto por AnyDesk ({n})"),
                "attention_mode": "remote",
                "remote_tool": "AnyDesk",
                "remote_id": "123 456 789",
                "version": *v,
            });
            let t = step(app, tech, n, "resolve", body, "resolved", 1, v).await;
            assert_eq!(t["attention_mode"], "remote", "{b}");
            assert_eq!(t["remote_tool"], "AnyDesk", "{b}");
            assert_eq!(t["remote_id"], "123 456 789", "{b}");
        }

        // Step 7: one is returned with a reason and resolved again; all are closed.
        let v = &mut versions[2];
        let body = json!({"reason": RETURN_REASON});
        step(
            app,
            &p.dispatcher,
            &numbers[2],
            "return",
            body,
            "in_progress",
            1,
            v,
        )
        .await;
        let body =
            json!({"resolution": "Confirmado con la persona", "attention_mode": "in_person"});
        let t = step(
            app,
            &p.technician,
            &numbers[2],
            "resolve",
            body,
            "resolved",
            1,
            v,
        )
        .await;
        assert_eq!(t["attention_mode"], "in_person", "{b}");
        for (i, n) in numbers.iter().enumerate() {
            let t = step(
                app,
                &p.dispatcher,
                n,
                "close",
                json!({}),
                "closed",
                1,
                &mut versions[i],
            )
            .await;
            assert!(
                t["closed_at"].as_str().is_some_and(is_rfc3339),
                "{b}: closed_at {}",
                t["closed_at"]
            );
        }

        // The requester sees the resolution, never the internal note nor the return.
        for n in &numbers {
            let detail = app.get(&p.requester, &format!("/api/v1/tickets/{n}")).await;
            assert!(
                !detail.text.contains("NOTA-INTERNA"),
                "{b}: {}",
                detail.text
            );
            let detail = detail.expect(200);
            let entries = detail["entries"].as_array().expect("entries");
            assert!(
                entries.iter().any(|e| e["kind"] == "resolution"
                    && e["body"]
                        .as_str()
                        .is_some_and(|s| s.starts_with("Resuelto"))),
                "{b}: no resolution entry: {detail}"
            );
            assert!(
                entries.iter().all(|e| e["visibility"] == "public"),
                "{b}: {detail}"
            );
            let events = app
                .get(&p.requester, &format!("/api/v1/tickets/{n}/events"))
                .await;
            assert!(
                !events.text.contains("NOTA-INTERNA"),
                "{b}: {}",
                events.text
            );
            assert!(!events.text.contains("DEVOLUCIÓN"), "{b}: {}", events.text);
            let types = event_types(
                &events.expect(200)["events"]
                    .as_array()
                    .expect("events")
                    .clone(),
            );
            assert!(types.contains(&"resolved".to_owned()), "{b}: {types:?}");
            assert!(!types.contains(&"returned".to_owned()), "{b}: {types:?}");
        }
        // …while agents do see them (so the checks above are not vacuous).
        let agent_view = app
            .get(
                &p.dispatcher,
                &format!("/api/v1/tickets/{}/events", numbers[2]),
            )
            .await;
        assert!(agent_view.text.contains("NOTA-INTERNA"), "{b}");
        assert!(agent_view.text.contains("DEVOLUCIÓN"), "{b}");

        // Another requester's ticket does not exist for this requester.
        let other = app.add_user("otra_persona", &[Role::Requester]).await;
        let foreign = app
            .submit_number(&other, "telefonia", "Mi teléfono no suena")
            .await;
        app.get(&p.requester, &format!("/api/v1/tickets/{foreign}"))
            .await
            .expect_error(404, "not_found");

        // The requester reopens within the window; the supervisor reopens and cancels.
        let body = json!({"reason": "Volvió a fallar"});
        let t = step(
            app,
            &p.requester,
            &numbers[3],
            "reopen",
            body,
            "new",
            1,
            &mut versions[3],
        )
        .await;
        assert_eq!(t["closed_at"], Value::Null, "{b}");
        // Back through the dispatcher's queue, unassigned.
        assert_eq!(t["technician"], Value::Null, "{b}");
        assert_eq!(t["setback"], "reopened", "{b}");
        let v = &mut versions[4];
        let body = json!({"reason": "Revisión de la dirección"});
        step(app, &p.supervisor, &numbers[4], "reopen", body, "new", 1, v).await;
        let body = json!({"reason": "Duplicado de otra solicitud"});
        let t = step(
            app,
            &p.supervisor,
            &numbers[4],
            "cancel",
            body,
            "cancelled",
            1,
            v,
        )
        .await;
        assert!(t["closed_at"].as_str().is_some_and(is_rfc3339), "{b}");

        // The history matches the versions: one event per version.
        for (i, n) in numbers.iter().enumerate() {
            let events = app.events(&p.supervisor, n).await;
            assert_eq!(events.len() as i64, versions[i], "{b}: events of {n}");
            let seqs: Vec<i64> = events.iter().filter_map(|e| e["seq"].as_i64()).collect();
            assert_eq!(
                seqs,
                (1..=versions[i]).collect::<Vec<_>>(),
                "{b}: seq of {n}"
            );
        }
    })
    .await;
}

#[tokio::test]
async fn ticket_json_has_the_documented_keys_and_rfc3339_timestamps() {
    each_backend(async |app| {
        let p = app.people().await;
        let b = app.backend;
        let created = app
            .post_json(
                &p.requester,
                "/api/v1/tickets",
                crate::support::request_body("reinicio_clave", "Clave vencida"),
            )
            .await;
        let location = created
            .headers
            .get("location")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let created = created.expect(201);
        let n = number(&created);
        assert_eq!(location, Some(format!("/api/v1/tickets/{n}")), "{b}");
        assert_eq!(
            n.len(),
            8 + 2 + 5 + 1,
            "{b}: YYYYMMDD + system id + counter + check digit: {n}"
        );
        assert!(n.chars().all(|c| c.is_ascii_digit()), "{b}: {n}");
        assert_eq!(
            created["priority"], 4,
            "{b}: the category's default priority"
        );
        assert_eq!(created["closed_at"], Value::Null, "{b}");
        assert_eq!(created["attention_mode"], Value::Null, "{b}");

        let n = app.closed_ticket(&p, "soporte_equipo").await;
        let t = app.ticket(&p.requester, &n).await;
        for key in [
            "number",
            "title",
            "state",
            "priority",
            "category",
            "fields",
            "requester",
            "department",
            "queue",
            "technician",
            "attention_mode",
            "created_at",
            "updated_at",
            "closed_at",
            "version",
            "entries",
        ] {
            assert!(t.get(key).is_some(), "{b}: key {key} missing from {t}");
        }
        assert!(t["title"].is_string() && t["state"].is_string(), "{b}: {t}");
        assert!(t["priority"].is_i64() && t["version"].is_i64(), "{b}: {t}");
        assert!(t["fields"].is_object(), "{b}: {t}");
        assert!(t["requester"]["login"].is_string(), "{b}: {t}");
        assert!(t["technician"]["login"].is_string(), "{b}: {t}");
        assert!(t["department"]["code"].is_string(), "{b}: {t}");
        assert_eq!(t["attention_mode"], "in_person", "{b}");
        for key in [
            "created_at",
            "updated_at",
            "assigned_at",
            "resolved_at",
            "closed_at",
        ] {
            assert!(
                t[key].as_str().is_some_and(is_rfc3339),
                "{b}: {key} is not RFC 3339: {}",
                t[key]
            );
        }
        let at = |key: &str| {
            t[key]
                .as_str()
                .and_then(|s| s.parse::<jiff::Timestamp>().ok())
                .expect("timestamp")
        };
        assert!(at("created_at") <= at("assigned_at"), "{b}");
        assert!(at("assigned_at") <= at("resolved_at"), "{b}");
        assert!(at("resolved_at") <= at("closed_at"), "{b}");
        assert_eq!(at("updated_at"), at("closed_at"), "{b}");
    })
    .await;
}

#[tokio::test]
async fn assigning_with_a_priority_correction_records_the_change_before_the_assignment() {
    each_backend(async |app| {
        let p = app.people().await;
        let b = app.backend;
        let n = app
            .submit_number(&p.requester, "soporte_equipo", "Impresora atascada")
            .await;
        let t = app
            .ok(
                &p.dispatcher,
                &n,
                "assign",
                json!({"technician": "tecnico2", "priority": 1, "version": 1}),
            )
            .await;
        assert_eq!(t["priority"], 1, "{b}");
        assert_eq!(t["priority_name"], "muy baja", "{b}");
        assert_eq!(t["version"], 3, "{b}");
        let events = app.events(&p.dispatcher, &n).await;
        assert_eq!(
            event_types(&events),
            ["submitted", "priority_changed", "assigned"],
            "{b}"
        );
        assert_eq!(events[1]["data"]["from"], 3, "{b}");
        assert_eq!(events[1]["data"]["to"], 1, "{b}");
        assert_eq!(events[2]["actor"]["login"], "soporte", "{b}");
    })
    .await;
}

#[tokio::test]
async fn assigning_with_a_category_correction_moves_the_ticket_to_that_category() {
    each_backend(async |app| {
        let p = app.people().await;
        let b = app.backend;
        let n = app
            .submit_number(&p.requester, "reinicio_clave", "No puedo entrar al sistema")
            .await;
        let t = app
            .ok(
                &p.dispatcher,
                &n,
                "assign",
                json!({"technician": "tecnico", "category": "creacion_usuario"}),
            )
            .await;
        assert_eq!(t["category"], "creacion_usuario", "{b}");
        assert_eq!(t["state"], "assigned", "{b}");
        let listed = app
            .list_numbers(&p.dispatcher, &[("category", "creacion_usuario")])
            .await;
        assert_eq!(listed, std::slice::from_ref(&n), "{b}");
        let events = app.events(&p.dispatcher, &n).await;
        assert_eq!(
            event_types(&events),
            ["submitted", "category_changed", "assigned"],
            "{b}"
        );
    })
    .await;
}

#[tokio::test]
async fn requester_never_sees_internal_notes_or_returns_anywhere() {
    each_backend(async |app| {
        let p = app.people().await;
        let b = app.backend;
        let n = app.resolved_ticket(&p, "telefonia").await;
        app.ok(
            &p.dispatcher,
            &n,
            "return",
            json!({"reason": RETURN_REASON}),
        )
        .await;
        app.ok(
            &p.technician,
            &n,
            "entries",
            json!({"body": INTERNAL_NOTE, "visibility": "internal"}),
        )
        .await;
        app.ok(
            &p.technician,
            &n,
            "entries",
            json!({"body": "Le llamo en cinco minutos"}),
        )
        .await;

        for path in [
            format!("/api/v1/tickets/{n}"),
            format!("/api/v1/tickets/{n}/events"),
            "/api/v1/tickets".to_owned(),
        ] {
            let agent = app.get(&p.technician, &path).await;
            let requester = app.get(&p.requester, &path).await;
            assert_eq!(requester.status, 200, "{b}: {path}");
            if !path.ends_with("/tickets") {
                assert!(
                    agent.text.contains("NOTA-INTERNA"),
                    "{b}: agent view of {path}"
                );
            }
            assert!(
                !requester.text.contains("NOTA-INTERNA"),
                "{b}: {path}: {}",
                requester.text
            );
            assert!(
                !requester.text.contains("DEVOLUCIÓN"),
                "{b}: {path}: {}",
                requester.text
            );
        }
        let detail = app.ticket(&p.requester, &n).await;
        let bodies: Vec<&str> = detail["entries"]
            .as_array()
            .expect("entries")
            .iter()
            .filter_map(|e| e["body"].as_str())
            .collect();
        assert!(
            bodies.contains(&"Le llamo en cinco minutos"),
            "{b}: {bodies:?}"
        );
        assert!(bodies.contains(&"Listo"), "{b}: the resolution: {bodies:?}");
    })
    .await;
}

#[tokio::test]
async fn requester_gets_404_for_every_route_of_another_requesters_ticket() {
    each_backend(async |app| {
        let p = app.people().await;
        let other = app.add_user("otro_solicitante", &[Role::Requester]).await;
        let foreign = app
            .submit_number(&other, "reinicio_clave", "Olvidé mi clave")
            .await;
        let before = app.ticket(&p.dispatcher, &foreign).await;
        app.get(&p.requester, &format!("/api/v1/tickets/{foreign}"))
            .await
            .expect_error(404, "not_found");
        app.get(&p.requester, &format!("/api/v1/tickets/{foreign}/events"))
            .await
            .expect_error(404, "not_found");
        app.command(&p.requester, &foreign, "entries", json!({"body": "hola"}))
            .await
            .expect_error(404, "not_found");
        app.command(&p.requester, &foreign, "cancel", json!({"reason": "no"}))
            .await
            .expect_error(404, "not_found");
        let listed = app
            .list_numbers(&p.requester, &[("requester", "otro_solicitante")])
            .await;
        assert!(listed.is_empty(), "{}: {listed:?}", app.backend);
        let after = app.ticket(&p.dispatcher, &foreign).await;
        assert_eq!(version(&after), version(&before), "{}", app.backend);
    })
    .await;
}

#[tokio::test]
async fn requester_reopens_own_closed_ticket_within_the_window() {
    each_backend(async |app| {
        let p = app.people().await;
        let b = app.backend;
        let n = app.closed_ticket(&p, "soporte_equipo").await;
        let closed = app.ticket(&p.requester, &n).await;
        let t = app
            .ok(
                &p.requester,
                &n,
                "reopen",
                json!({"reason": "Sigue sin imprimir", "version": version(&closed)}),
            )
            .await;
        assert_eq!(t["state"], "new", "{b}");
        assert_eq!(t["technician"], Value::Null, "{b}");
        assert_eq!(t["closed_at"], Value::Null, "{b}");
        assert_eq!(t["resolved_at"], Value::Null, "{b}");
        assert_eq!(version(&t), version(&closed) + 1, "{b}");
        let events = app.events(&p.requester, &n).await;
        let last = events.last().expect("events");
        assert_eq!(last["type"], "reopened", "{b}");
        assert_eq!(last["data"]["reason"], "Sigue sin imprimir", "{b}");
        assert_eq!(last["actor"]["login"], "solicitante", "{b}");
    })
    .await;
}

#[tokio::test]
async fn requester_reopen_after_the_window_is_403_and_changes_nothing() {
    each_backend_with(
        |b| b.requester_reopen_days(0),
        async |app| {
            let p = app.people().await;
            let n = app.closed_ticket(&p, "soporte_equipo").await;
            let before = app.events(&p.dispatcher, &n).await;
            let error = app
                .command(&p.requester, &n, "reopen", json!({"reason": "Otra vez"}))
                .await
                .expect_error(403, "reopen_window_expired");
            assert_eq!(error["days"], 0, "{}", app.backend);
            let after = app.events(&p.dispatcher, &n).await;
            assert_eq!(after.len(), before.len(), "{}", app.backend);
            assert_eq!(app.ticket(&p.dispatcher, &n).await["state"], "closed");
            // The supervisor has no window.
            app.ok(&p.supervisor, &n, "reopen", json!({"reason": "Otra vez"}))
                .await;
        },
    )
    .await;
}

#[tokio::test]
async fn supervisor_reopens_a_closed_ticket_and_cancels_it_with_a_reason() {
    each_backend(async |app| {
        let p = app.people().await;
        let b = app.backend;
        let n = app.closed_ticket(&p, "creacion_usuario").await;
        let t = app
            .ok(&p.supervisor, &n, "reopen", json!({"reason": "Auditoría"}))
            .await;
        assert_eq!(t["state"], "new", "{b}");
        let t = app
            .ok(
                &p.supervisor,
                &n,
                "cancel",
                json!({"reason": "Solicitud duplicada", "version": version(&t)}),
            )
            .await;
        assert_eq!(t["state"], "cancelled", "{b}");
        let events = app.events(&p.requester, &n).await;
        let last = events.last().expect("events");
        assert_eq!(last["type"], "cancelled", "{b}");
        assert_eq!(last["data"]["reason"], "Solicitud duplicada", "{b}");
        assert_eq!(last["actor"]["login"], "director", "{b}");
        let cancelled = app
            .list_numbers(&p.supervisor, &[("state", "cancelled")])
            .await;
        assert_eq!(cancelled, [n], "{b}");
    })
    .await;
}

#[tokio::test]
async fn requester_comments_publicly_on_own_ticket_and_agents_see_it() {
    each_backend(async |app| {
        let p = app.people().await;
        let n = app
            .submit_number(&p.requester, "telefonia", "Extensión sin tono")
            .await;
        let t = app
            .ok(
                &p.requester,
                &n,
                "entries",
                json!({"body": "Adjunto más detalles: tampoco recibe llamadas"}),
            )
            .await;
        assert_eq!(t["version"], 2, "{}", app.backend);
        let detail = app.ticket(&p.dispatcher, &n).await;
        let entries = detail["entries"].as_array().expect("entries");
        assert_eq!(entries.len(), 2, "{}: {detail}", app.backend);
        assert_eq!(entries[0]["kind"], "description");
        assert_eq!(entries[1]["kind"], "comment");
        assert_eq!(entries[1]["author"]["login"], "solicitante");
        assert_eq!(entries[1]["channel"], "api");
    })
    .await;
}

#[tokio::test]
async fn priority_name_follows_the_accept_language() {
    each_backend(async |app| {
        let p = app.people().await;
        let n = app
            .submit_number(&p.requester, "reinicio_clave", "Clave")
            .await;
        let path = format!("/api/v1/tickets/{n}");
        let spanish = app.ticket(&p.requester, &n).await;
        assert_eq!(spanish["priority_name"], "alta", "{}", app.backend);
        let english = app
            .call(reqwest::Method::GET, &path)
            .token(&p.requester)
            .lang("en-GB")
            .send()
            .await
            .expect(200);
        assert_eq!(english["priority_name"], "high", "{}", app.backend);
    })
    .await;
}
