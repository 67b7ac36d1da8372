//! How to reach a requester: set on their profile, shown to the agents beside
//! their requests on the queue, the ticket page and the API, with their other
//! requests.

use crate::browser::{answer, browser, row_of, sign_in};
use crate::support::{TestApp, each_backend};
use reqwest::StatusCode;

async fn page(app: &TestApp, client: &reqwest::Client, path: &str) -> String {
    let response = client.get(app.url(path)).send().await.expect("GET");
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.text().await.expect("body")
}

async fn save_contact(
    app: &TestApp,
    client: &reqwest::Client,
    token: &str,
    phone: &str,
    extension: &str,
    office: &str,
) -> (StatusCode, Option<String>, String) {
    let response = client
        .post(app.url("/profile/contact"))
        .form(&[
            ("phone", phone),
            ("extension", extension),
            ("office", office),
            ("csrf_token", token),
        ])
        .send()
        .await
        .expect("POST /profile/contact");
    answer(response).await
}

#[tokio::test]
async fn a_requesters_contact_and_latest_requests_show_where_agents_work() {
    each_backend(async |app| {
        let people = app.people().await;
        let requester = browser();
        let token = sign_in(app, &requester, "solicitante").await;

        // A bad phone and extension: said next to each, as typed, nothing kept.
        let (status, _, html) =
            save_contact(app, &requester, &token, "llámeme", "12a", "Oficina 3").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(html.contains("Escriba un número de teléfono"), "{html}");
        assert!(html.contains("La extensión lleva solo dígitos."), "{html}");
        assert!(html.contains("value=\"llámeme\""), "{html}");
        let me = app.get(&people.requester, "/api/v1/me").await.expect(200);
        assert_eq!(me["contact"]["office"], serde_json::Value::Null, "{me}");

        let (status, location, _) = save_contact(
            app,
            &requester,
            &token,
            "+502 2222-3333",
            "1234",
            "Edificio B, oficina 301",
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        assert_eq!(location.as_deref(), Some("/profile?done=contact"));
        let html = page(app, &requester, "/profile?done=contact").await;
        assert!(html.contains("Datos de contacto guardados."), "{html}");
        assert!(html.contains("value=\"Edificio B, oficina 301\""), "{html}");

        let first = app
            .submit_number(&people.requester, "telefonia", "El teléfono no da tono")
            .await;
        let second = app
            .submit_number(&people.requester, "telefonia", "Tampoco el fax")
            .await;

        let dispatcher = browser();
        sign_in(app, &dispatcher, "soporte").await;
        let queue = page(app, &dispatcher, "/queue").await;
        let row = row_of(&queue, &second);
        assert!(row.contains("href=\"tel:+50222223333\""), "{row}");
        assert!(row.contains(">1234<"), "{row}");
        assert!(row.contains("Edificio B, oficina 301"), "{row}");
        assert!(row.contains("Dirección de Recursos Humanos"), "{row}");
        assert!(row.contains("Últimas solicitudes (1)"), "{row}");
        assert!(
            row.contains(&format!("href=\"/tickets/{first}\"><code>{first}</code>")),
            "{row}"
        );

        let ticket = page(app, &dispatcher, &format!("/tickets/{first}")).await;
        assert!(ticket.contains("href=\"tel:+50222223333\""), "{ticket}");
        assert!(
            ticket.contains(&format!("<code>{second}</code>")),
            "{ticket}"
        );

        // The API tells agents, and only agents.
        let json = app.ticket(&people.dispatcher, &first).await;
        assert_eq!(json["requester_contact"]["extension"], "1234", "{json}");
        let own = app.ticket(&people.requester, &first).await;
        assert!(own.get("requester_contact").is_none(), "{own}");
    })
    .await;
}

#[tokio::test]
async fn an_admin_sets_a_persons_contact_on_their_page() {
    each_backend(async |app| {
        let admin = browser();
        let token = sign_in(app, &admin, "admin").await;
        let form = |phone: &'static str| {
            vec![
                ("display_name", "Ana Solicitante"),
                ("email", ""),
                ("department", "DRH"),
                ("phone", phone),
                ("extension", "77"),
                ("office", "Recepción"),
            ]
        };
        let mut refused = form("x");
        refused.push(("csrf_token", &token));
        let (status, _, html) = answer(
            admin
                .post(app.url("/admin/users/solicitante"))
                .form(&refused)
                .send()
                .await
                .expect("POST"),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
        assert!(html.contains("id=\"details-phone-error\""), "{html}");

        let mut saved = form("2222 3333");
        saved.push(("csrf_token", &token));
        let (status, _, _) = answer(
            admin
                .post(app.url("/admin/users/solicitante"))
                .form(&saved)
                .send()
                .await
                .expect("POST"),
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let html = page(app, &admin, "/admin/users/solicitante").await;
        assert!(html.contains("value=\"2222 3333\""), "{html}");
        assert!(html.contains("value=\"Recepción\""), "{html}");
    })
    .await;
}
