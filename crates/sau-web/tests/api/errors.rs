//! One error vocabulary: the same failure has the same status on the API and on
//! the pages, every response carries its request id, and an error page shows it.

use crate::browser::{browser, post_form, sign_in};
use crate::support::{each_backend, version};
use reqwest::StatusCode;
use serde_json::json;

fn request_id(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_else(|| panic!("no X-Request-Id on {}", response.url()))
        .to_owned()
}

#[tokio::test]
async fn every_response_carries_its_own_request_id() {
    each_backend(async |app| {
        let client = reqwest::Client::new();
        let mut seen = std::collections::HashSet::new();
        for path in [
            "/login",
            "/healthz",
            "/api/v1/me",
            "/no-such-page",
            "/api/v1/nada",
        ] {
            let response = client.get(app.url(path)).send().await.expect("GET");
            let id = request_id(&response);
            assert!(seen.insert(id.clone()), "{path}: id {id} repeated");
            if path.starts_with("/api/") {
                let body: serde_json::Value = response.json().await.expect("JSON");
                assert_eq!(body["error"]["request_id"], id.as_str(), "{path}: {body}");
            }
        }
    })
    .await;
}

#[tokio::test]
async fn a_refusal_has_the_same_status_on_the_page_as_on_the_api() {
    each_backend(async |app| {
        let p = app.people().await;
        let b = app.backend;
        let n = app
            .submit_number(&p.requester, "telefonia", "Sin tono")
            .await;
        // Closing a new ticket: not in this state.
        app.command(&p.dispatcher, &n, "close", json!({}))
            .await
            .expect_error(409, "invalid_transition");
        let client = browser();
        let token = sign_in(app, &client, "soporte").await;
        let v = version(&app.ticket(&p.dispatcher, &n).await).to_string();
        // The page offers no close button now; a stale tab's post still gets the rules' answer.
        let response = post_form(
            app,
            &client,
            &format!("/tickets/{n}/close"),
            &[("csrf_token", &token), ("version", &v)],
        )
        .await;
        assert_eq!(response.status(), StatusCode::CONFLICT, "{b}");
        let html = response.text().await.expect("body");
        assert!(
            html.contains("Esta acción no es posible en el estado actual del ticket."),
            "{b}: {html}"
        );
        // A requester on an agent's page: forbidden, as on the API.
        let requester = browser();
        sign_in(app, &requester, "solicitante").await;
        let response = requester
            .get(app.url(&format!("/tickets/{n}")))
            .send()
            .await
            .expect("GET");
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{b}");
        let id = request_id(&response);
        let html = response.text().await.expect("body");
        assert!(
            html.contains("Código de referencia:") && html.contains(&id),
            "{b}: the page shows its reference {id}: {html}"
        );
    })
    .await;
}

#[tokio::test]
async fn a_page_route_answers_its_own_failures_as_a_page_not_as_json() {
    each_backend(async |app| {
        let client = browser();
        let token = sign_in(app, &client, "soporte").await;
        // A method the page does not take: the framework's answer, given a page.
        let response = client
            .post(app.url("/queue"))
            .header("x-csrf-token", token)
            .header("accept-language", "en")
            .send()
            .await
            .expect("POST");
        assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
        assert!(response.headers().contains_key("allow"));
        let content_type = response.headers()["content-type"]
            .to_str()
            .expect("text")
            .to_owned();
        assert!(content_type.starts_with("text/html"), "{content_type}");
        let id = request_id(&response);
        let html = response.text().await.expect("body");
        assert!(
            html.contains("Reference code:") && html.contains(&id),
            "{html}"
        );
        assert!(
            !html.contains("\"error\""),
            "no JSON inside the page: {html}"
        );
    })
    .await;
}
