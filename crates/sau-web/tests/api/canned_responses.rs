//! Canned responses: kept by the dispatchers (page and API), offered to the
//! technician beside the comment and the resolution of a ticket of their
//! category, refused to everyone else.

use crate::browser::{answer, browser, post_form, sign_in};
use crate::support::each_backend;
use reqwest::Method;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn dispatchers_keep_responses_and_agents_list_those_of_a_category() {
    each_backend(async |app| {
        let people = app.people().await;
        let general = app
            .call(Method::POST, "/api/v1/canned-responses")
            .token(&people.dispatcher)
            .json(&json!({
                "title": "  Saludo  inicial ",
                "body": "Buenos días:\r\nRecibimos su solicitud.\n",
                "used_for": "comment",
            }))
            .send()
            .await
            .expect(201);
        assert_eq!(general["title"], "Saludo inicial");
        assert_eq!(general["body"], "Buenos días:\nRecibimos su solicitud.");
        assert_eq!(general["category"], serde_json::Value::Null);
        let printing = app
            .call(Method::POST, "/api/v1/canned-responses")
            .token(&people.dispatcher)
            .json(&json!({
                "title": "Cola de impresión",
                "body": "Se reinició el servicio de impresión y se probó una página.",
                "category": "soporte_equipo",
                "used_for": "resolution",
            }))
            .send()
            .await
            .expect(201);
        app.call(Method::POST, "/api/v1/canned-responses")
            .token(&people.dispatcher)
            .json(&json!({"title": "Extensión", "body": "Se revisó la línea.", "category": "telefonia"}))
            .send()
            .await
            .expect(201);

        let titles = |list: &serde_json::Value| -> Vec<String> {
            list["canned_responses"]
                .as_array()
                .expect("a list")
                .iter()
                .map(|r| r["title"].as_str().expect("title").to_owned())
                .collect()
        };
        let all = app.get(&people.technician, "/api/v1/canned-responses").await.expect(200);
        assert_eq!(titles(&all), ["Saludo inicial", "Cola de impresión", "Extensión"]);
        let equipment = app
            .get(&people.technician, "/api/v1/canned-responses?category=soporte_equipo")
            .await
            .expect(200);
        assert_eq!(titles(&equipment), ["Saludo inicial", "Cola de impresión"]);
        let resolutions = app
            .get(&people.technician, "/api/v1/canned-responses?category=soporte_equipo&use=resolution")
            .await
            .expect(200);
        assert_eq!(titles(&resolutions), ["Cola de impresión"]);

        // Only the people who triage keep them; requesters do not even see them.
        app.call(Method::POST, "/api/v1/canned-responses")
            .token(&people.technician)
            .json(&json!({"title": "Mío", "body": "Texto"}))
            .send()
            .await
            .expect_error(403, "forbidden");
        app.get(&people.requester, "/api/v1/canned-responses")
            .await
            .expect_error(403, "forbidden");

        // Every problem at once, nothing written.
        let error = app
            .call(Method::POST, "/api/v1/canned-responses")
            .token(&people.dispatcher)
            .json(&json!({"title": " ", "body": "", "category": "no_existe", "used_for": "todo"}))
            .send()
            .await
            .expect_error(422, "invalid_input");
        let fields = &error["fields"];
        assert_eq!(fields["title"]["code"], "required", "{error}");
        assert_eq!(fields["body"]["code"], "required", "{error}");
        assert_eq!(fields["category"]["code"], "unknown", "{error}");
        assert_eq!(fields["used_for"]["code"], "not_an_option", "{error}");
        app.get(&people.technician, "/api/v1/canned-responses?use=todo")
            .await
            .expect_error(422, "invalid_input");

        let id = printing["id"].as_i64().expect("id");
        let path = format!("/api/v1/canned-responses/{id}");
        let updated = app
            .call(Method::PUT, &path)
            .token(&people.supervisor)
            .json(&json!({"title": "Cola de impresión atascada", "body": "Se vació la cola.", "category": ""}))
            .send()
            .await
            .expect(200);
        assert_eq!(updated["category"], serde_json::Value::Null);
        assert_eq!(updated["used_for"], "both");
        let deleted = app
            .call(Method::DELETE, &path)
            .token(&people.dispatcher)
            .send()
            .await;
        assert_eq!(deleted.status, StatusCode::NO_CONTENT, "{}", deleted.text);
        app.call(Method::DELETE, &path)
            .token(&people.dispatcher)
            .send()
            .await
            .expect_error(404, "not_found");
        app.call(Method::PUT, "/api/v1/canned-responses/uno")
            .token(&people.dispatcher)
            .json(&json!({"title": "t", "body": "b"}))
            .send()
            .await
            .expect_error(404, "not_found");
        let left = app.get(&people.technician, "/api/v1/canned-responses").await.expect(200);
        assert_eq!(titles(&left), ["Saludo inicial", "Extensión"]);
    })
    .await;
}

#[tokio::test]
async fn the_responses_page_keeps_them_and_the_ticket_page_offers_them() {
    each_backend(async |app| {
        let people = app.people().await;
        let desk = browser();
        let token = sign_in(app, &desk, "soporte").await;

        let page = desk.get(app.url("/responses")).send().await.expect("GET");
        assert_eq!(page.status(), StatusCode::OK);
        let html = page.text().await.expect("body");
        assert!(html.contains("Todavía no hay respuestas predefinidas."), "{html}");

        let refused = [
            ("csrf_token", token.as_str()),
            ("title", "Reinicio de la impresora"),
            ("category", "soporte_equipo"),
            ("used_for", "resolution"),
            ("body", ""),
        ];
        let (status, _, html) = answer(post_form(app, &desk, "/responses", &refused).await).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(html.contains("value=\"Reinicio de la impresora\""), "typed title kept: {html}");
        assert!(html.contains("id=\"create-body-error\""), "{html}");

        let sent = [
            ("csrf_token", token.as_str()),
            ("title", "Reinicio de la impresora"),
            ("category", "soporte_equipo"),
            ("used_for", "resolution"),
            ("body", "Se reinició la impresora <HP> y se imprimió una página de prueba."),
        ];
        let (status, location, _) = answer(post_form(app, &desk, "/responses", &sent).await).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        assert_eq!(location.as_deref(), Some("/responses?done=saved"));
        let html = desk
            .get(app.url("/responses"))
            .send()
            .await
            .expect("GET")
            .text()
            .await
            .expect("body");
        assert!(html.contains("<h3 class=\"h6 mb-0\">Reinicio de la impresora</h3>"), "{html}");

        // The technician's ticket of that category offers it beside the
        // resolution, escaped, and not beside the comment (kept for resolutions).
        let number = app
            .in_progress_ticket(&people, "soporte_equipo", "La impresora no imprime")
            .await;
        let tech = browser();
        sign_in(app, &tech, "tecnico").await;
        let html = tech
            .get(app.url(&format!("/tickets/{number}")))
            .send()
            .await
            .expect("GET")
            .text()
            .await
            .expect("body");
        assert!(
            html.contains("data-canned-insert=\"resolve-resolution\" data-canned-body=\"Se reinició la impresora &#60;HP&#62; y se imprimió una página de prueba.\""),
            "{html}"
        );
        assert!(!html.contains("data-canned-insert=\"comment-body\""), "{html}");
        assert!(!html.contains("href=\"/responses\""), "technicians do not keep them");

        // A ticket of another category does not offer it.
        let other = app
            .in_progress_ticket(&people, "telefonia", "La extensión no suena")
            .await;
        let html = tech
            .get(app.url(&format!("/tickets/{other}")))
            .send()
            .await
            .expect("GET")
            .text()
            .await
            .expect("body");
        assert!(!html.contains("Reinicio de la impresora"), "{html}");

        // The page is the dispatchers'.
        let page = tech.get(app.url("/responses")).send().await.expect("GET");
        assert_eq!(page.status(), StatusCode::FORBIDDEN);
    })
    .await;
}
