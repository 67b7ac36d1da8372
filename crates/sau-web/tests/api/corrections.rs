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
