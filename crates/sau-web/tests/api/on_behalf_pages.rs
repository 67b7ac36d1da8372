//! A request taken by phone: the desk's "Nueva solicitud" names the requester
//! (found by name, login or department) and how it came; the API does the same.

use crate::browser::{answer, browser, post_form, sign_in};
use crate::support::{each_backend, request_body};
use reqwest::StatusCode;

#[tokio::test]
async fn the_desk_types_a_request_for_a_caller_on_the_new_request_form() {
    each_backend(async |app| {
        let people = app.people().await;
        let desk = browser();
        let token = sign_in(app, &desk, "soporte").await;

        let form = desk
            .get(app.url("/requests/new?category=telefonia"))
            .send()
            .await
            .expect("GET");
        let html = form.text().await.expect("body");
        assert!(html.contains("¿Para quién es?"), "{html}");
        assert!(
            html.contains("id=\"intake-phone\" value=\"phone\" checked"),
            "{html}"
        );

        let options = desk
            .get(app.url("/requests/new/people?requester=recursos"))
            .send()
            .await
            .expect("GET people");
        assert_eq!(options.status(), StatusCode::OK);
        let options = options.text().await.expect("body");
        assert_eq!(
            options,
            "<option value=\"solicitante\">Ana Solicitante · Dirección de Recursos Humanos</option>"
        );

        let fields = |requester: &'static str| {
            vec![
                ("category", "telefonia"),
                ("title", "Llamó: la extensión no suena"),
                ("description", "Llamó desde el celular."),
                ("field.extension", "2301"),
                ("field.tarea", "reparacion"),
                ("requester", requester),
                ("intake", "phone"),
            ]
        };
        let mut unknown = fields("nadie");
        unknown.push(("csrf_token", &token));
        let (status, _, html) =
            answer(post_form(app, &desk, "/requests?category=telefonia", &unknown).await).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(html.contains("No hay ninguna persona activa"), "{html}");
        assert!(
            html.contains("value=\"Llamó: la extensión no suena\""),
            "typed text kept"
        );

        let mut sent = fields("solicitante");
        sent.push(("csrf_token", &token));
        let (status, location, _) =
            answer(post_form(app, &desk, "/requests?category=telefonia", &sent).await).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let location = location.expect("location");
        let number = location
            .strip_prefix("/tickets/")
            .unwrap_or_else(|| panic!("the desk's ticket page, not {location}"))
            .to_owned();
        let page = desk.get(app.url(&location)).send().await.expect("GET");
        let html = page.text().await.expect("body");
        assert!(
            html.contains(
                "<dd class=\"col-sm-9 col-xl-4 typed-by\">Sergio Soporte · Por teléfono</dd>"
            ),
            "{html}"
        );
        let ticket = app.ticket(&people.requester, &number).await;
        assert_eq!(ticket["requester"]["login"], "solicitante", "{ticket}");

        // Left empty, the request is the agent's own, as before.
        let mut own = fields("");
        own.push(("csrf_token", &token));
        let (status, location, _) =
            answer(post_form(app, &desk, "/requests?category=telefonia", &own).await).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        assert!(
            location
                .as_deref()
                .is_some_and(|l| l.starts_with("/requests/")),
            "{location:?}"
        );

        // Requesters are not offered the choice, and cannot look people up.
        let requester = browser();
        sign_in(app, &requester, "solicitante").await;
        let html = requester
            .get(app.url("/requests/new?category=telefonia"))
            .send()
            .await
            .expect("GET")
            .text()
            .await
            .expect("body");
        assert!(!html.contains("¿Para quién es?"));
        let refused = requester
            .get(app.url("/requests/new/people?requester=ana"))
            .send()
            .await
            .expect("GET");
        assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    })
    .await;
}

#[tokio::test]
async fn the_api_takes_a_request_for_someone_else_from_an_agent() {
    each_backend(async |app| {
        let people = app.people().await;
        let mut body = request_body("telefonia", "Por teléfono");
        body["requester"] = "solicitante".into();
        body["intake"] = "phone".into();
        let created = app
            .post_json(&people.dispatcher, "/api/v1/tickets", body.clone())
            .await
            .expect(201);
        assert_eq!(created["requester"]["login"], "solicitante", "{created}");
        let number = created["number"].as_str().expect("number");
        let events = app
            .get(
                &people.dispatcher,
                &format!("/api/v1/tickets/{number}/events"),
            )
            .await
            .expect(200);
        assert_eq!(events["events"][0]["actor"]["login"], "soporte", "{events}");
        assert_eq!(events["events"][0]["data"]["intake"], "phone", "{events}");

        body["intake"] = "paloma".into();
        let refused = app
            .post_json(&people.dispatcher, "/api/v1/tickets", body.clone())
            .await
            .expect(422);
        assert_eq!(
            refused["error"]["fields"]["intake"]["code"], "not_an_option",
            "{refused}"
        );

        body["requester"] = "soporte".into();
        let refused = app
            .post_json(&people.requester, "/api/v1/tickets", body)
            .await
            .expect(403);
        assert_eq!(refused["error"]["code"], "not_allowed", "{refused}");
    })
    .await;
}
