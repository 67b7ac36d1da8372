//! The agents' pages over real HTTP: the triage queue, "my tickets" and the ticket
//! page with its action forms, driven like a browser (cookies, form token).

use crate::browser::{answer, browser, sign_in};
use crate::support::{TestApp, each_backend, event_types, version};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn page(app: &TestApp, client: &reqwest::Client, path: &str) -> (StatusCode, String) {
    let response = client.get(app.url(path)).send().await.expect("GET");
    let status = response.status();
    (status, response.text().await.expect("body"))
}

/// Posts a form; returns the status, the `location` header and the body.
async fn post_form(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    fields: &[(&str, &str)],
) -> (StatusCode, Option<String>, String) {
    answer(
        client
            .post(app.url(path))
            .form(fields)
            .send()
            .await
            .expect("POST"),
    )
    .await
}

/// The technician the dispatcher should be offered: the least loaded (first on ties).
async fn least_loaded(app: &TestApp, dispatcher: &str) -> Value {
    let body = app.get(dispatcher, "/api/v1/technicians").await.expect(200);
    let list = body["technicians"].as_array().expect("technicians").clone();
    let min = list
        .iter()
        .filter_map(|t| t["open_tickets"].as_i64())
        .min()
        .expect("a technician");
    list.into_iter()
        .find(|t| t["open_tickets"].as_i64() == Some(min))
        .expect("least loaded")
}

#[tokio::test]
async fn the_queue_suggests_the_least_loaded_technician_and_assigns_through_the_form() {
    each_backend(async |app| {
        let people = app.people().await;
        // Give `tecnico` some work so the suggestion is someone else.
        let busy = app
            .submit_number(&people.requester, "telefonia", "Ya asignado")
            .await;
        app.ok(
            &people.dispatcher,
            &busy,
            "assign",
            json!({"technician": "tecnico"}),
        )
        .await;
        let n = app
            .submit_number(
                &people.requester,
                "soporte_equipo",
                "La impresora no imprime",
            )
            .await;
        let suggested = least_loaded(app, &people.dispatcher).await;
        assert_ne!(suggested["login"], "tecnico");
        let id = suggested["login"].as_str().expect("login").to_owned();

        let client = browser();
        let token = sign_in(app, &client, "soporte").await;
        let (status, html) = page(app, &client, "/queue").await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains(&format!("href=\"/tickets/{n}\"")), "{html}");
        assert!(html.contains("La impresora no imprime"));
        // Named among the requester's latest requests, but no row of its own.
        assert!(
            !html.contains(&format!("<a href=\"/tickets/{busy}\"><code>")),
            "assigned tickets are not in the queue"
        );
        let option = format!(
            "<option value=\"{id}\" selected>{} ({})</option>",
            suggested["display_name"].as_str().expect("name"),
            suggested["open_tickets"]
        );
        assert!(html.contains(&option), "{option} in {html}");
        assert!(html.contains("Teresa Técnica (1)"), "{html}");
        assert!(html.contains(" min</td>"), "waiting time: {html}");

        let v = version(&app.ticket(&people.dispatcher, &n).await).to_string();
        let (status, location, body) = post_form(
            app,
            &client,
            &format!("/tickets/{n}/assign"),
            &[
                ("csrf_token", &token),
                ("version", &v),
                ("technician", &id),
                ("priority", "4"),
                ("category", ""),
                ("back", "queue"),
            ],
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
        assert_eq!(location.as_deref(), Some("/queue"));
        let ticket = app.ticket(&people.dispatcher, &n).await;
        assert_eq!(ticket["state"], "assigned");
        assert_eq!(ticket["technician"]["login"], suggested["login"]);
        assert_eq!(ticket["priority"], 4);
        assert_eq!(ticket["category"], "soporte_equipo", "category unchanged");
        let (_, html) = page(app, &client, "/queue").await;
        assert!(!html.contains(&format!("href=\"/tickets/{n}\"")));
    })
    .await;
}

#[tokio::test]
async fn requesters_are_refused_the_agents_pages() {
    each_backend(async |app| {
        let people = app.people().await;
        let n = app
            .submit_number(&people.requester, "telefonia", "Sin línea")
            .await;
        let client = browser();
        let token = sign_in(app, &client, "solicitante").await;
        for path in [
            "/queue".to_owned(),
            "/mine".to_owned(),
            format!("/tickets/{n}"),
        ] {
            let (status, html) = page(app, &client, &path).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
            assert!(html.contains("Acceso restringido"), "{path}: {html}");
        }
        let (status, _, _) = post_form(
            app,
            &client,
            &format!("/tickets/{n}/cancel"),
            &[("csrf_token", &token), ("reason", "no")],
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_eq!(app.ticket(&people.requester, &n).await["state"], "new");
        // A technician has no queue; a dispatcher has no "my tickets".
        let client = browser();
        sign_in(app, &client, "tecnico").await;
        assert_eq!(page(app, &client, "/queue").await.0, StatusCode::FORBIDDEN);
        let client = browser();
        sign_in(app, &client, "soporte").await;
        assert_eq!(page(app, &client, "/mine").await.0, StatusCode::FORBIDDEN);
    })
    .await;
}

#[tokio::test]
async fn the_technician_accepts_notes_and_resolves_remotely_through_the_forms() {
    each_backend(async |app| {
        let people = app.people().await;
        let n = app
            .submit_number(&people.requester, "soporte_equipo", "Pantalla azul")
            .await;
        app.ok(
            &people.dispatcher,
            &n,
            "assign",
            json!({"technician": "tecnico"}),
        )
        .await;

        let client = browser();
        let token = sign_in(app, &client, "tecnico").await;
        let (status, html) = page(app, &client, "/mine").await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains(&format!("href=\"/tickets/{n}\"")), "{html}");
        assert!(html.contains("Pantalla azul"));

        let path = format!("/tickets/{n}");
        let (status, html) = page(app, &client, &path).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("badge state-assigned"), "{html}");
        assert!(html.contains("data-action=\"accept\""), "{html}");
        assert!(!html.contains("data-action=\"close\""), "{html}");
        assert!(!html.contains("data-action=\"resolve\""), "{html}");
        assert!(html.contains("INV-0042"), "category fields shown: {html}");
        assert!(html.contains("Solicitud registrada"), "history: {html}");

        let v = async || version(&app.ticket(&people.technician, &n).await).to_string();
        let current = v().await;
        let (status, location, body) = post_form(
            app,
            &client,
            &format!("{path}/accept"),
            &[("csrf_token", &token), ("version", &current)],
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
        assert_eq!(location.as_deref(), Some(path.as_str()));

        let current = v().await;
        let (status, _, body) = post_form(
            app,
            &client,
            &format!("{path}/comment"),
            &[
                ("csrf_token", &token),
                ("version", &current),
                ("body", "Falla el disco; pedir repuesto"),
                ("visibility", "internal"),
            ],
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{body}");

        // An empty resolution is refused next to the form, and nothing changes.
        let current = v().await;
        let (status, _, html) = post_form(
            app,
            &client,
            &format!("{path}/resolve"),
            &[
                ("csrf_token", &token),
                ("version", &current),
                ("resolution", "  "),
                ("attention_mode", "remote"),
                ("remote_tool", "AnyDesk"),
                ("remote_id", "123 456 789"),
            ],
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
        assert!(html.contains("Resolución: Es obligatorio."), "{html}");
        assert_eq!(v().await, current);

        let (status, _, body) = post_form(
            app,
            &client,
            &format!("{path}/resolve"),
            &[
                ("csrf_token", &token),
                ("version", &current),
                ("resolution", "Se reinstaló el controlador de video"),
                ("attention_mode", "remote"),
                ("remote_tool", "AnyDesk"),
                ("remote_id", "123 456 789"),
            ],
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
        let ticket = app.ticket(&people.technician, &n).await;
        assert_eq!(ticket["state"], "resolved");
        assert_eq!(ticket["attention_mode"], "remote");
        assert_eq!(ticket["remote_tool"], "AnyDesk");
        assert_eq!(
            event_types(&app.events(&people.technician, &n).await),
            ["submitted", "assigned", "accepted", "commented", "resolved"]
        );

        let (_, html) = page(app, &client, &path).await;
        let note = html
            .find("Falla el disco; pedir repuesto")
            .expect("the note is shown");
        let card = html[..note].rfind("<article").expect("in a card");
        let header = &html[card..note];
        assert!(header.contains("border-warning"), "{header}");
        assert!(header.contains("Nota interna"), "{header}");
        assert!(html.contains("href=\"anydesk:123456789\""), "{html}");
        assert!(html.contains("badge state-resolved"));
        assert!(!html.contains("data-action=\"accept\""));
        // The requester never sees the note.
        let public = app.ticket(&people.requester, &n).await;
        assert!(!public.to_string().contains("pedir repuesto"), "{public}");

        // The dispatcher may close or return it now.
        let client = browser();
        sign_in(app, &client, "soporte").await;
        let (_, html) = page(app, &client, &path).await;
        assert!(html.contains("data-action=\"close\""), "{html}");
        assert!(html.contains("data-action=\"return\""), "{html}");
        assert!(!html.contains("data-action=\"resolve\""), "{html}");
    })
    .await;
}

#[tokio::test]
async fn a_second_form_with_the_same_version_gets_409_and_changes_nothing() {
    each_backend(async |app| {
        let people = app.people().await;
        let n = app
            .submit_number(&people.requester, "telefonia", "Teléfono mudo")
            .await;
        app.ok(
            &people.dispatcher,
            &n,
            "assign",
            json!({"technician": "tecnico"}),
        )
        .await;
        let seen = version(&app.ticket(&people.technician, &n).await).to_string();
        let client = browser();
        let token = sign_in(app, &client, "tecnico").await;
        let path = format!("/tickets/{n}/accept");
        let fields = [("csrf_token", token.as_str()), ("version", seen.as_str())];
        let (first, _, _) = post_form(app, &client, &path, &fields).await;
        assert_eq!(first, StatusCode::SEE_OTHER);
        let before = app.events(&people.technician, &n).await;
        let (second, _, html) = post_form(
            app,
            &client,
            &format!("/tickets/{n}/comment"),
            &[
                ("csrf_token", token.as_str()),
                ("version", seen.as_str()),
                ("body", "Escrito sobre una versión vieja"),
                ("visibility", "public"),
            ],
        )
        .await;
        assert_eq!(second, StatusCode::CONFLICT, "{html}");
        assert!(
            html.contains("Este ticket cambió mientras lo veía; esto es su estado actual"),
            "{html}"
        );
        assert!(
            html.contains("badge state-in_progress"),
            "fresh state: {html}"
        );
        let after = app.events(&people.technician, &n).await;
        assert_eq!(after.len(), before.len(), "no second change");
        assert_eq!(event_types(&after), ["submitted", "assigned", "accepted"]);
        // The fresh page carries the fresh version, so trying again works.
        let fresh = version(&app.ticket(&people.technician, &n).await).to_string();
        assert!(html.contains(&format!("name=\"version\" value=\"{fresh}\"")));
    })
    .await;
}

#[tokio::test]
async fn a_form_without_the_token_is_refused_and_changes_nothing() {
    each_backend(async |app| {
        let people = app.people().await;
        let n = app
            .submit_number(&people.requester, "telefonia", "Sin tono")
            .await;
        app.ok(
            &people.dispatcher,
            &n,
            "assign",
            json!({"technician": "tecnico"}),
        )
        .await;
        let client = browser();
        sign_in(app, &client, "tecnico").await;
        let before = app.events(&people.technician, &n).await;
        let (status, _, html) = post_form(
            app,
            &client,
            &format!("/tickets/{n}/accept"),
            &[("version", "2")],
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{html}");
        let (status, _, _) = post_form(
            app,
            &client,
            &format!("/tickets/{n}/accept"),
            &[("version", "2"), ("csrf_token", "0000")],
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_eq!(app.events(&people.technician, &n).await, before);
        assert_eq!(
            app.ticket(&people.technician, &n).await["state"],
            "assigned"
        );
    })
    .await;
}

/// The count in the overview table row with this id, if the row is there.
fn overview_count(html: &str, id: &str) -> Option<i64> {
    let row = html.find(&format!("<tr id=\"{id}\">"))?;
    let rest = &html[row..];
    let cell = "<td class=\"text-end\">";
    let start = rest.find(cell)? + cell.len();
    rest[start..].split('<').next()?.trim().parse().ok()
}

#[tokio::test]
async fn the_ticket_page_shows_each_steps_time_against_the_target() {
    each_backend(async |app| {
        let people = app.people().await;
        let closed = app.closed_ticket(&people, "soporte_equipo").await;
        let open = app
            .submit_number(&people.requester, "telefonia", "Sin tono")
            .await;

        let client = browser();
        sign_in(app, &client, "soporte").await;
        let (status, html) = page(app, &client, &format!("/tickets/{closed}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("id=\"times-heading\">Tiempos</h2>"), "{html}");
        for step in [
            "Espera de asignación",
            "Espera de aceptación",
            "Atención",
            "Espera de cierre",
        ] {
            assert!(
                html.contains(&format!("{step}</dt><dd class=\"col-sm-7\">0 min</dd>")),
                "{step} in {html}"
            );
        }
        // Never on hold: no line for it.
        assert!(!html.contains("En espera (pausa el reloj)"), "{html}");
        // The total against the manual's 25 minutes: colour and words.
        assert!(
            html.contains("<span class=\"target-ok\">0 min</span> de una meta de 25 min"),
            "{html}"
        );
        assert!(
            html.contains("<strong class=\"target-ok\">Dentro de la meta</strong>"),
            "{html}"
        );
        assert!(
            !html.contains("(en curso)"),
            "a closed ticket's clock stopped"
        );

        let (status, html) = page(app, &client, &format!("/tickets/{open}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("de una meta de 25 min (en curso)"), "{html}");
        // A new ticket has reached only its first step: one line, not five.
        assert!(html.contains("Espera de asignación</dt>"), "{html}");
        for ahead in [
            "Espera de aceptación",
            "Atención</dt>",
            "Espera de cierre",
            "En espera (pausa",
        ] {
            assert!(!html.contains(ahead), "{ahead} on a new ticket: {html}");
        }
    })
    .await;
}

#[tokio::test]
async fn the_overview_counts_what_was_created_and_links_the_oldest_open() {
    each_backend(async |app| {
        let people = app.people().await;
        let first = app
            .submit_number(&people.requester, "soporte_equipo", "Monitor apagado")
            .await;
        let second = app
            .submit_number(&people.requester, "soporte_equipo", "Teclado roto")
            .await;
        let third = app
            .submit_number(&people.requester, "telefonia", "Extensión duplicada")
            .await;
        app.ok(
            &people.dispatcher,
            &first,
            "assign",
            json!({"technician": "tecnico"}),
        )
        .await;
        app.ok(
            &people.dispatcher,
            &third,
            "cancel",
            json!({"reason": "Duplicada"}),
        )
        .await;
        let closed = app.closed_ticket(&people, "telefonia").await;

        let client = browser();
        sign_in(app, &client, "director").await;
        let (status, html) = page(app, &client, "/overview").await;
        assert_eq!(status, StatusCode::OK, "{html}");
        let count = |id: &str| overview_count(&html, id);
        assert_eq!(count("count-state-new"), Some(1), "{html}");
        assert_eq!(count("count-state-assigned"), Some(1));
        assert_eq!(count("count-state-in_progress"), Some(0));
        assert_eq!(count("count-state-cancelled"), Some(1));
        assert_eq!(count("count-state-closed"), Some(1));
        assert_eq!(count("count-category-soporte_equipo"), Some(2));
        assert_eq!(count("count-category-telefonia"), Some(2));
        // Only open tickets count for technicians: the closed one does not.
        assert_eq!(count("count-technician-tecnico"), Some(1));
        assert_eq!(count("count-technician-tecnico2"), None);
        assert_eq!(count("count-department-DRH"), Some(4));
        assert!(
            html.contains("Meta del procedimiento completo: <strong>25 min</strong>"),
            "{html}"
        );

        // The oldest open tickets, oldest first, with links; finished ones absent.
        let oldest = html.find("id=\"oldest-heading\"").expect("oldest section");
        let list = &html[oldest..];
        let at = |n: &str| list.find(&format!("href=\"/tickets/{n}\""));
        let (a, b) = (at(&first).expect("first"), at(&second).expect("second"));
        assert!(a < b, "oldest first");
        assert_eq!(at(&third), None, "cancelled is not open");
        assert_eq!(at(&closed), None, "closed is not open");
    })
    .await;
}

#[tokio::test]
async fn only_supervisors_see_the_overview() {
    each_backend(async |app| {
        for login in ["soporte", "tecnico", "solicitante"] {
            let client = browser();
            sign_in(app, &client, login).await;
            let (status, html) = page(app, &client, "/overview").await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{login}");
            assert!(!html.contains("count-state-new"), "{login}");
        }
        let anonymous = browser();
        let response = anonymous
            .get(app.url("/overview"))
            .send()
            .await
            .expect("GET");
        assert_ne!(response.status(), StatusCode::OK);
    })
    .await;
}

#[tokio::test]
async fn resolved_tickets_wait_on_the_queue_and_close_from_there_in_one_click() {
    each_backend(async |app| {
        let people = app.people().await;
        let n = app.resolved_ticket(&people, "reinicio_clave").await;
        let current = version(&app.ticket(&people.dispatcher, &n).await);
        let client = browser();
        let token = sign_in(app, &client, "soporte").await;
        let (status, html) = page(app, &client, "/queue").await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("Resueltos por cerrar"), "{html}");
        assert!(
            html.contains(&format!("action=\"/tickets/{n}/close\"")),
            "{html}"
        );
        let (status, location, _) = post_form(
            app,
            &client,
            &format!("/tickets/{n}/close"),
            &[
                ("csrf_token", token.as_str()),
                ("version", &current.to_string()),
                ("back", "queue"),
            ],
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        assert_eq!(location.as_deref(), Some("/queue"));
        let ticket = app.ticket(&people.dispatcher, &n).await;
        assert_eq!(ticket["state"], "closed");
        let (_, html) = page(app, &client, "/queue").await;
        assert!(!html.contains(&format!("action=\"/tickets/{n}/close\"")));
        assert!(html.contains("No hay tickets resueltos esperando cierre."));
    })
    .await;
}

#[tokio::test]
async fn a_resolved_ticket_goes_back_to_its_technician_from_the_queue_with_a_reason() {
    each_backend(async |app| {
        let people = app.people().await;
        let n = app.resolved_ticket(&people, "telefonia").await;
        let current = version(&app.ticket(&people.dispatcher, &n).await).to_string();
        let client = browser();
        let token = sign_in(app, &client, "soporte").await;
        let (_, html) = page(app, &client, "/queue").await;
        assert!(
            html.contains(&format!("action=\"/tickets/{n}/return\"")),
            "{html}"
        );

        // Without a reason: refused, shown on the ticket's own return form.
        let fields = |reason: &'static str| {
            [
                ("csrf_token", token.clone()),
                ("version", current.clone()),
                ("back", "queue".to_owned()),
                ("reason", reason.to_owned()),
            ]
        };
        let empty = fields("  ");
        let empty: Vec<(&str, &str)> = empty.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (status, _, html) =
            post_form(app, &client, &format!("/tickets/{n}/return"), &empty).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
        assert_eq!(
            app.ticket(&people.dispatcher, &n).await["state"],
            "resolved"
        );

        let given = fields("La extensión sigue sin tono.");
        let given: Vec<(&str, &str)> = given.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (status, location, _) =
            post_form(app, &client, &format!("/tickets/{n}/return"), &given).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        assert_eq!(location.as_deref(), Some("/queue"));
        let ticket = app.ticket(&people.dispatcher, &n).await;
        assert_eq!(ticket["state"], "in_progress");
        let events = app.events(&people.dispatcher, &n).await;
        assert!(
            event_types(&events).contains(&"returned".to_owned()),
            "{events:?}"
        );
        assert!(
            serde_json::to_string(&events)
                .expect("json")
                .contains("La extensión sigue sin tono."),
            "the reason is on record"
        );
    })
    .await;
}

#[tokio::test]
async fn a_long_queue_shows_the_fifty_oldest_and_says_how_many_wait() {
    each_backend(async |app| {
        let people = app.people().await;
        let mut numbers = Vec::new();
        for i in 0..51 {
            numbers.push(
                app.submit_number(&people.requester, "telefonia", &format!("En cola {i}"))
                    .await,
            );
        }
        let client = browser();
        sign_in(app, &client, "soporte").await;
        let (_, html) = page(app, &client, "/queue").await;
        let shown = numbers
            .iter()
            .filter(|n| html.contains(&format!("action=\"/tickets/{n}/assign\"")))
            .count();
        assert_eq!(shown, 50);
        assert!(
            !html.contains(&format!("action=\"/tickets/{}/assign\"", numbers[50])),
            "the newest waits for the next sitting"
        );
        assert!(html.contains("50 / 51"), "{html}");
        assert!(html.contains("href=\"/?state=new&amp;sort=oldest\""));
        // With one assigned, all fit again and the note goes.
        app.ok(
            &people.dispatcher,
            &numbers[0],
            "assign",
            json!({"technician": "tecnico"}),
        )
        .await;
        let (_, html) = page(app, &client, "/queue").await;
        assert!(!html.contains(" / 51"));
        assert!(html.contains(&format!("action=\"/tickets/{}/assign\"", numbers[50])));
    })
    .await;
}

#[tokio::test]
async fn the_ticket_page_shows_a_choice_by_its_label_not_its_key() {
    each_backend(async |app| {
        let people = app.people().await;
        let n = app
            .submit_number(&people.requester, "telefonia", "Teléfono mudo")
            .await;
        let client = browser();
        sign_in(app, &client, "soporte").await;
        let (status, html) = page(app, &client, &format!("/tickets/{n}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("Reparación"), "{}: {html}", app.backend);
        assert!(!html.contains(">reparacion<"), "{}", app.backend);
    })
    .await;
}

#[tokio::test]
async fn the_requests_anydesk_id_opens_and_copies_from_arrival_and_starts_the_resolve_form() {
    each_backend(async |app| {
        let people = app.people().await;
        let mut body = crate::support::request_body("soporte_equipo", "Sin red");
        body["fields"]["anydesk_id"] = json!("987 654 321");
        let ticket = app
            .post_json(&people.requester, "/api/v1/tickets", body)
            .await
            .expect(201);
        let n = crate::support::number(&ticket);
        let path = format!("/tickets/{n}");

        // New, before anyone attends: the dispatcher already sees how to connect.
        let dispatcher = browser();
        sign_in(app, &dispatcher, "soporte").await;
        let (_, html) = page(app, &dispatcher, &path).await;
        assert!(
            html.contains("href=\"anydesk:987654321\""),
            "{}: {html}",
            app.backend
        );
        assert!(html.contains("data-copy=\"987 654 321\""), "{html}");

        // The technician's resolve form starts remote, with the id in place.
        app.ok(
            &people.dispatcher,
            &n,
            "assign",
            json!({"technician": "tecnico"}),
        )
        .await;
        app.ok(&people.technician, &n, "accept", json!({})).await;
        let technician = browser();
        sign_in(app, &technician, "tecnico").await;
        let (_, html) = page(app, &technician, &path).await;
        assert!(html.contains("href=\"anydesk:987654321\""), "{html}");
        assert!(
            html.contains(
                r#"name="remote_id" maxlength="100" autocomplete="off" aria-describedby="resolve-remote-help" value="987 654 321""#
            ),
            "{html}"
        );
        assert!(
            html.contains(r#"id="mode-remote" value="remote" checked"#),
            "{html}"
        );

        // A request without an id offers neither, and the form starts in person.
        let other = app
            .submit_number(&people.requester, "telefonia", "Sin tono")
            .await;
        let (_, html) = page(app, &dispatcher, &format!("/tickets/{other}")).await;
        assert!(!html.contains("anydesk:"), "{html}");
        assert!(!html.contains("data-copy="), "{html}");
    })
    .await;
}

/// The technician a queue row's assign form has selected.
fn selected_technician(html: &str, number: &str) -> String {
    let select = html
        .split(&format!("id=\"technician-{number}\""))
        .nth(1)
        .and_then(|rest| rest.split("</select>").next())
        .unwrap_or_else(|| panic!("no assign form for {number}: {html}"));
    select
        .split("<option value=\"")
        .skip(1)
        .find(|o| o.contains("\" selected>"))
        .and_then(|o| o.split('"').next())
        .unwrap_or_else(|| panic!("nothing selected: {select}"))
        .to_owned()
}

#[tokio::test]
async fn a_returned_ticket_and_a_reopened_one_say_so_and_a_reopen_goes_back_through_the_queue() {
    each_backend(async |app| {
        let people = app.people().await;
        let dispatcher = browser();
        sign_in(app, &dispatcher, "soporte").await;

        // Whom the queue suggests for a plain new request (the least loaded):
        // the reopened ticket will have had the other one.
        let plain = app
            .submit_number(&people.requester, "telefonia", "Sin tono")
            .await;
        let (_, queue) = page(app, &dispatcher, "/queue").await;
        let least = selected_technician(&queue, &plain);
        let (former, former_token) = if least == "tecnico" {
            ("tecnico2", people.technician2.clone())
        } else {
            ("tecnico", people.technician.clone())
        };

        // Returned: a banner with who and why, and a mark on the row.
        let returned = app.resolved_ticket(&people, "soporte_equipo").await;
        app.ok(
            &people.dispatcher,
            &returned,
            "return",
            json!({"reason": "El usuario dice que sigue sin imprimir"}),
        )
        .await;
        let (_, html) = page(app, &dispatcher, &format!("/tickets/{returned}")).await;
        assert!(html.contains("setback-banner"), "{}: {html}", app.backend);
        assert!(html.contains("Devuelto por"), "{html}");
        assert!(
            html.contains("El usuario dice que sigue sin imprimir"),
            "{html}"
        );
        let (_, list) = page(app, &dispatcher, "/?state=in_progress").await;
        assert!(list.contains(&returned), "{list}");
        assert!(list.contains("badge setback\">Devuelto"), "{list}");

        // Reopened by the requester: back in the queue, unassigned, marked, and
        // offered first to the technician who had it.
        let n = app
            .submit_number(&people.requester, "soporte_equipo", "Monitor")
            .await;
        app.ok(
            &people.dispatcher,
            &n,
            "assign",
            json!({"technician": former}),
        )
        .await;
        app.ok(&former_token, &n, "accept", json!({})).await;
        app.ok(
            &former_token,
            &n,
            "resolve",
            json!({"resolution": "Cable cambiado", "attention_mode": "in_person"}),
        )
        .await;
        app.ok(&people.dispatcher, &n, "close", json!({})).await;
        let reopened = app
            .ok(
                &people.requester,
                &n,
                "reopen",
                json!({"reason": "Volvió a fallar"}),
            )
            .await;
        assert_eq!(reopened["state"], "new", "{}: {reopened}", app.backend);
        assert!(reopened["technician"].is_null(), "{reopened}");

        let (_, queue) = page(app, &dispatcher, "/queue").await;
        assert_eq!(selected_technician(&queue, &n), former, "{}", app.backend);
        assert!(queue.contains("lo atendió antes"), "{queue}");
        assert!(queue.contains("badge setback\">Reabierto"), "{queue}");
        // Only the reopened ticket names a former technician.
        assert_eq!(queue.matches("lo atendió antes").count(), 1, "{queue}");
        let (_, html) = page(app, &dispatcher, &format!("/tickets/{n}")).await;
        assert!(html.contains("Reabierto por"), "{html}");
        assert!(html.contains("Volvió a fallar"), "{html}");

        // Resolved again, the marks are gone.
        app.ok(
            &people.technician,
            &returned,
            "resolve",
            json!({"resolution": "Listo", "attention_mode": "in_person"}),
        )
        .await;
        let (_, html) = page(app, &dispatcher, &format!("/tickets/{returned}")).await;
        assert!(!html.contains("setback-banner"), "{html}");
    })
    .await;
}

#[tokio::test]
async fn the_queue_shows_who_asks_what_they_wrote_and_what_was_resolved_before_closing() {
    each_backend(async |app| {
        let people = app.people().await;
        let long = "La impresora del segundo piso imprime las hojas con rayas negras desde \
                    ayer por la tarde; ya se cambió el tóner y se limpió el rodillo, pero el \
                    problema sigue igual en todas las copias que salen.";
        let mut body = crate::support::request_body("soporte_equipo", "Rayas al imprimir");
        body["description"] = json!(long);
        let n = crate::support::number(
            &app.post_json(&people.requester, "/api/v1/tickets", body)
                .await
                .expect(201),
        );
        // The requester's other open request.
        let other = app
            .submit_number(&people.requester, "telefonia", "Sin tono")
            .await;
        let dispatcher = browser();
        sign_in(app, &dispatcher, "soporte").await;
        let (_, queue) = page(app, &dispatcher, "/queue").await;
        let row = crate::browser::row_of(&queue, &n);
        assert!(
            row.contains(&format!("<a href=\"/tickets/{n}\">Rayas al imprimir</a>")),
            "{row}"
        );
        assert!(
            row.contains("<span class=\"requester fw-semibold\">Ana Solicitante</span>"),
            "{row}"
        );
        assert!(row.contains("Otra solicitud abierta"), "{row}");
        assert!(
            row.contains("href=\"/?state=open&#38;requester=solicitante\""),
            "{row}"
        );
        // The first lines, the whole when opened.
        assert!(row.contains("<details class=\"small description"), "{row}");
        assert!(
            row.contains("La impresora del segundo piso imprime"),
            "{row}"
        );
        assert!(row.contains("en todas las copias que salen."), "{row}");
        assert!(row.contains("Número de inventario: INV-0042"), "{row}");
        assert!(row.contains("Ubicación: Edificio A, piso 2"), "{row}");

        // The link lists that requester's open requests only.
        let (_, list) = page(app, &dispatcher, "/?state=open&requester=solicitante").await;
        assert!(list.contains(&other) && list.contains(&n), "{list}");
        let (_, list) = page(app, &dispatcher, "/?state=open&requester=tecnico").await;
        assert!(!list.contains(&other), "{list}");

        // Resolved, then the requester answered: both show before closing.
        let resolved = app.resolved_ticket(&people, "soporte_equipo").await;
        app.post_json(
            &people.requester,
            &format!("/api/v1/tickets/{resolved}/entries"),
            json!({"body": "Sigue saliendo con rayas.", "visibility": "public"}),
        )
        .await
        .expect(201);
        let (_, queue) = page(app, &dispatcher, "/queue").await;
        let row = crate::browser::row_of(&queue, &resolved);
        assert!(row.contains("class=\"resolution\""), "{row}");
        assert!(row.contains("Listo"), "{row}");
        assert!(row.contains("Respuesta del solicitante"), "{row}");
        assert!(row.contains("Sigue saliendo con rayas."), "{row}");
    })
    .await;
}

#[tokio::test]
async fn the_ticket_pages_assign_form_corrects_priority_and_category_too() {
    each_backend(async |app| {
        let people = app.people().await;
        let n = app
            .submit_number(&people.requester, "soporte_equipo", "No hay tono")
            .await;
        let client = browser();
        let token = sign_in(app, &client, "soporte").await;
        let path = format!("/tickets/{n}");
        let (_, html) = page(app, &client, &path).await;
        assert!(
            html.contains("id=\"assign-priority\""),
            "{}: {html}",
            app.backend
        );
        assert!(html.contains("id=\"assign-category\""), "{html}");
        let current = version(&app.ticket(&people.dispatcher, &n).await).to_string();
        let (status, _, body) = post_form(
            app,
            &client,
            &format!("{path}/assign"),
            &[
                ("csrf_token", &token),
                ("version", &current),
                ("technician", "tecnico"),
                ("priority", "5"),
                ("category", "telefonia"),
            ],
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
        let ticket = app.ticket(&people.dispatcher, &n).await;
        assert_eq!(ticket["state"], "assigned");
        assert_eq!(ticket["priority"], 5);
        assert_eq!(ticket["category"], "telefonia");
        assert_eq!(ticket["technician"]["login"], "tecnico");
    })
    .await;
}

#[tokio::test]
async fn the_queue_assigns_and_closes_the_tickets_ticked_and_says_which_could_not() {
    each_backend(async |app| {
        let people = app.people().await;
        let mut new = Vec::new();
        for title in ["Uno", "Dos", "Tres"] {
            new.push(
                app.submit_number(&people.requester, "telefonia", title)
                    .await,
            );
        }
        let client = browser();
        let token = sign_in(app, &client, "soporte").await;
        let (_, queue) = page(app, &client, "/queue").await;
        let ticked = |number: &str, html: &str| {
            let marker = format!("value=\"{number}:");
            let start = html.find(&marker).expect("a box") + marker.len() - number.len() - 1;
            html[start..].split('"').next().expect("value").to_owned()
        };
        let first = ticked(&new[0], &queue);
        let second = ticked(&new[1], &queue);
        // The second one changes before the form is sent: refused alone.
        app.ok(
            &people.dispatcher,
            &new[1],
            "assign",
            json!({"technician": "tecnico2"}),
        )
        .await;
        let (status, location, _) = post_form(
            app,
            &client,
            "/queue/bulk",
            &[
                ("csrf_token", &token),
                ("bulk", "assign"),
                ("technician", "tecnico"),
                ("ticket", &first),
                ("ticket", &second),
            ],
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let location = location.expect("back to the queue");
        assert_eq!(
            location,
            format!("/queue?bulk=assign&done=1&refused={}", new[1])
        );
        let (_, html) = page(app, &client, &location).await;
        assert!(html.contains("Se asignaron 1."), "{html}");
        assert!(
            html.contains(&format!("No se pudo con {}", new[1])),
            "{html}"
        );
        assert_eq!(
            app.ticket(&people.dispatcher, &new[0]).await["technician"]["login"],
            "tecnico"
        );
        assert_eq!(
            app.ticket(&people.dispatcher, &new[1]).await["technician"]["login"],
            "tecnico2"
        );
        assert_eq!(
            app.ticket(&people.dispatcher, &new[2]).await["state"],
            "new",
            "not ticked"
        );

        // A requester cannot use it.
        let requester = browser();
        let token = sign_in(app, &requester, "solicitante").await;
        let (status, _, _) = post_form(
            app,
            &requester,
            "/queue/bulk",
            &[
                ("csrf_token", &token),
                ("bulk", "close"),
                ("ticket", &first),
            ],
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    })
    .await;
}
