//! The dispatcher corrects what a request says of itself (title, category,
//! priority) while it is being worked on, through the API and the ticket
//! page: the ticket keeps its state and technician, the history says what
//! changed, and who may not, or a correction that changes nothing, is refused.

use crate::browser::{answer, browser, page, post_form, sign_in};
use crate::support::{TestApp, each_backend, event_types, version};
use serde_json::json;

#[tokio::test]
async fn the_dispatcher_corrects_a_ticket_in_progress_and_it_stays_in_progress() {
    each_backend(async |app: &TestApp| {
        let p = app.people().await;
        let n = app
            .in_progress_ticket(&p, "soporte_equipo", "impresora")
            .await;
        let corrected = app
            .ok(
                &p.dispatcher,
                &n,
                "correct",
                json!({"title": "  La impresora del piso 2 no imprime ", "category": "telefonia", "priority": "5"}),
            )
            .await;
        assert_eq!(corrected["title"], "La impresora del piso 2 no imprime");
        assert_eq!(corrected["category"], "telefonia");
        assert_eq!(corrected["priority"], 5);
        assert_eq!(corrected["state"], "in_progress");
        assert_eq!(corrected["technician"]["login"], "tecnico");
        let events = app.events(&p.requester, &n).await;
        let types = event_types(&events);
        assert_eq!(
            types[types.len() - 3..],
            ["retitled", "category_changed", "priority_changed"],
            "{types:?}"
        );
        let retitled = &events[events.len() - 3];
        assert_eq!(retitled["data"]["from"], "impresora");

        // Nothing to change, a blank title, the technician, a closed ticket.
        let before = version(&app.ticket(&p.dispatcher, &n).await);
        let same = json!({"title": "La impresora del piso 2 no imprime", "priority": 5});
        let error = app
            .command(&p.dispatcher, &n, "correct", same)
            .await
            .expect_error(422, "invalid_input");
        assert_eq!(error["fields"]["title"]["code"], "unchanged");
        // A blank title is no title (as forms send it): nothing is asked.
        let error = app
            .command(&p.dispatcher, &n, "correct", json!({"title": "   "}))
            .await
            .expect_error(422, "invalid_input");
        assert_eq!(error["fields"]["title"]["code"], "required");
        app.command(&p.technician, &n, "correct", json!({"priority": 1}))
            .await
            .expect_error(403, "not_allowed");
        assert_eq!(version(&app.ticket(&p.dispatcher, &n).await), before);
        let closed = app.closed_ticket(&p, "telefonia").await;
        app.command(&p.dispatcher, &closed, "correct", json!({"priority": 1}))
            .await
            .expect_error(409, "invalid_transition");
    })
    .await;
}

#[tokio::test]
async fn the_ticket_page_offers_the_correction_to_the_dispatcher_only() {
    let app = TestApp::spawn("sqlite").await;
    let p = app.people().await;
    let n = app.in_progress_ticket(&p, "reinicio_clave", "clave").await;
    let dispatcher = browser();
    let token = sign_in(&app, &dispatcher, "soporte").await;
    let path = format!("/tickets/{n}");
    let html = page(&app, &dispatcher, &path).await;
    assert!(html.contains(r#"<summary data-open="correct">Corregir la solicitud</summary>"#));
    assert!(
        html.contains(r#"id="correct-title" name="title" maxlength="200" required value="clave""#)
    );
    let version = version(&app.ticket(&p.dispatcher, &n).await).to_string();
    let (status, _, _) = answer(
        post_form(
            &app,
            &dispatcher,
            &format!("/tickets/{n}/correct"),
            &[
                ("csrf_token", &token),
                ("version", &version),
                ("title", "No puedo entrar al correo"),
                ("priority", "3"),
                ("category", "reinicio_clave"),
            ],
        )
        .await,
    )
    .await;
    assert_eq!(status.as_u16(), 303);
    let html = page(&app, &dispatcher, &path).await;
    assert!(
        html.contains("«clave» → «No puedo entrar al correo»"),
        "the history says it"
    );

    let technician = browser();
    sign_in(&app, &technician, "tecnico").await;
    let html = page(&app, &technician, &path).await;
    assert!(
        !html.contains("correct-title"),
        "a technician is not offered it"
    );
    app.stop().await;
}

#[tokio::test]
async fn the_dispatcher_corrects_field_values_checked_against_the_category() {
    each_backend(async |app: &TestApp| {
        let p = app.people().await;
        let b = app.backend;
        let n = app
            .in_progress_ticket(&p, "soporte_equipo", "No enciende")
            .await;
        let corrected = app
            .ok(
                &p.dispatcher,
                &n,
                "correct",
                json!({"fields": {"numero_inventario": "INV-9917", "anydesk_id": "123 456 789"}}),
            )
            .await;
        assert_eq!(corrected["fields"]["numero_inventario"], "INV-9917", "{b}");
        assert_eq!(corrected["fields"]["ubicacion"], "Edificio A, piso 2", "{b}");
        assert_eq!(corrected["state"], "in_progress", "{b}");
        let events = app.events(&p.dispatcher, &n).await;
        let changed: Vec<_> = events
            .iter()
            .filter(|e| e["type"] == "field_changed")
            .map(|e| (e["data"]["key"].clone(), e["data"]["from"].clone(), e["data"]["to"].clone()))
            .collect();
        assert_eq!(
            changed,
            [
                (json!("anydesk_id"), json!(null), json!("123 456 789")),
                (json!("numero_inventario"), json!("INV-0042"), json!("INV-9917")),
            ],
            "{b}"
        );
        // Search and field filters see the new value, not the old one.
        assert_eq!(app.list_numbers(&p.dispatcher, &[("q", "INV-9917")]).await, vec![n.clone()]);
        assert!(app.list_numbers(&p.dispatcher, &[("q", "INV-0042")]).await.is_empty(), "{b}");

        // Cleared, an optional field's value goes; a required one stays.
        let cleared = app
            .ok(&p.dispatcher, &n, "correct", json!({"fields": {"anydesk_id": ""}}))
            .await;
        assert!(cleared["fields"].get("anydesk_id").is_none(), "{b}: {cleared}");
        let before = crate::support::version(&app.ticket(&p.dispatcher, &n).await);
        let error = app
            .command(
                &p.dispatcher,
                &n,
                "correct",
                json!({"fields": {"ubicacion": null, "color": "rojo", "numero_inventario": "INV-9917"}}),
            )
            .await
            .expect_error(422, "invalid_input");
        assert_eq!(error["fields"]["fields.ubicacion"]["code"], "required", "{b}: {error}");
        assert_eq!(error["fields"]["fields.color"]["code"], "unknown", "{b}: {error}");
        let error = app
            .command(&p.dispatcher, &n, "correct", json!({"fields": {"numero_inventario": "INV-9917"}}))
            .await
            .expect_error(422, "invalid_input");
        assert_eq!(error["fields"]["fields"]["code"], "unchanged", "{b}: {error}");
        app.command(&p.technician, &n, "correct", json!({"fields": {"ubicacion": "Piso 3"}}))
            .await
            .expect_error(403, "not_allowed");
        assert_eq!(crate::support::version(&app.ticket(&p.dispatcher, &n).await), before);

        // Moved to another category, the fields are that category's.
        let moved = app
            .ok(
                &p.dispatcher,
                &n,
                "correct",
                json!({"category": "telefonia", "fields": {"extension": "2040", "tarea": "traslado"}}),
            )
            .await;
        assert_eq!(moved["category"], "telefonia", "{b}");
        assert_eq!(moved["fields"]["extension"], "2040", "{b}");
        let error = app
            .command(&p.dispatcher, &n, "correct", json!({"fields": {"tarea": "pintar"}}))
            .await
            .expect_error(422, "invalid_input");
        assert_eq!(error["fields"]["fields.tarea"]["code"], "not_an_option", "{b}: {error}");
    })
    .await;
}
