//! A hold may say when to look at the ticket again: through the API (RFC 3339
//! or the service's wall clock) and the ticket page's form; refused when it is
//! no time or not ahead, with nothing changed; forgotten when work resumes.

use crate::browser::{answer, browser, page, post_form, row_of, sign_in};
use crate::support::{TestApp, each_backend, version};
use serde_json::json;

#[tokio::test]
async fn a_hold_through_the_api_keeps_until_when_and_resuming_forgets_it() {
    each_backend(async |app: &TestApp| {
        let people = app.people().await;
        let n = app
            .in_progress_ticket(&people, "soporte_equipo", "Sin repuesto")
            .await;
        let before = version(&app.ticket(&people.technician, &n).await);
        for (until, problem) in [
            ("mañana", "not_a_date"),
            ("2001-01-01T00:00:00Z", "out_of_range"),
        ] {
            let body = json!({"reason": "Esperando el repuesto", "until": until});
            let error = app
                .command(&people.technician, &n, "hold", body)
                .await
                .expect_error(422, "invalid_input");
            assert_eq!(error["fields"]["until"]["code"], problem, "{until}");
        }
        let ticket = app.ticket(&people.technician, &n).await;
        assert_eq!(version(&ticket), before, "a refused hold changes nothing");
        assert_eq!(ticket["state"], "in_progress");

        // The service's wall clock (America/Guatemala, UTC−6) when no offset is given.
        let held = app
            .ok(
                &people.technician,
                &n,
                "hold",
                json!({"reason": "Esperando el repuesto", "until": "2999-01-04T08:30"}),
            )
            .await;
        assert_eq!(held["state"], "on_hold");
        assert_eq!(held["held_until"], "2999-01-04T14:30:00Z");
        let events = app.events(&people.dispatcher, &n).await;
        let last = events.last().expect("events");
        assert_eq!(last["data"]["until"], "2999-01-04T14:30:00Z", "{last}");

        let resumed = app.ok(&people.technician, &n, "resume", json!({})).await;
        assert_eq!(resumed["held_until"], serde_json::Value::Null);
    })
    .await;
}

#[tokio::test]
async fn the_hold_form_takes_when_to_look_again_and_the_page_shows_it() {
    let app = TestApp::spawn("sqlite").await;
    let people = app.people().await;
    let n = app
        .in_progress_ticket(&people, "telefonia", "Línea muerta")
        .await;
    let technician = browser();
    let token = sign_in(&app, &technician, "tecnico").await;
    let path = format!("/tickets/{n}");
    let html = page(&app, &technician, &path).await;
    assert!(html.contains(r#"type="datetime-local" id="hold-until" name="until""#));
    let ticket = app.ticket(&people.technician, &n).await;
    let version = version(&ticket).to_string();
    let (status, _, _) = answer(
        post_form(
            &app,
            &technician,
            &format!("/tickets/{n}/hold"),
            &[
                ("csrf_token", &token),
                ("version", &version),
                ("reason", "Esperando a Telecom"),
                ("until", "2999-01-04T08:30"),
            ],
        )
        .await,
    )
    .await;
    assert_eq!(status.as_u16(), 303);
    let ticket = app.ticket(&people.technician, &n).await;
    assert_eq!(ticket["state"], "on_hold");
    assert_eq!(ticket["held_until"], "2999-01-04T14:30:00Z");
    let html = page(&app, &technician, &path).await;
    assert!(
        html.contains(r#"held-until">04/01/2999 08:30</dd>"#),
        "the ticket page shows when to look again"
    );

    // The technician's list shows it on the row, marked once the time comes.
    let soon = app
        .in_progress_ticket(&people, "reinicio_clave", "Clave")
        .await;
    let in_two_seconds = jiff::Timestamp::now()
        .checked_add(jiff::SignedDuration::from_secs(2))
        .expect("a time");
    let body = json!({"reason": "Llamará a las 10", "until": in_two_seconds.to_string()});
    app.ok(&people.technician, &soon, "hold", body).await;
    tokio::time::sleep(std::time::Duration::from_millis(2_100)).await;
    let mine = page(&app, &technician, "/mine").await;
    let later = row_of(&mine, &n);
    assert!(
        later.contains(r#"<small class="ticket-due ">revisar el 04/01/2999 08:30</small>"#),
        "{later}"
    );
    let come = row_of(&mine, &soon);
    assert!(
        come.contains(r#"<small class="ticket-due target-warn">revisar el "#),
        "{come}"
    );
    app.stop().await;
}
