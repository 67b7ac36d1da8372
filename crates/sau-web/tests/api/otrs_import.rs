//! Importing a web service exported from OTRS on "API compatible con OTRS":
//! its routes are served at once, exactly (with the ticket in TicketCreate's
//! answer when it says so), what SAU leaves out is listed, and what is no web
//! service is refused with why.

use crate::browser::{answer, browser, sign_in};
use crate::support::{TestApp, each_backend};
use reqwest::StatusCode;
use serde_json::{Value, json};

/// What the znuny PyPI client's builder makes: its own routes, POST and PUT,
/// the ticket in every answer; and an operation SAU does not carry out.
const EXPORTED: &str = "---
Description: Client web service
Provider:
  Operation:
    session-create:
      Type: Session::SessionCreate
    ticket-create:
      IncludeTicketData: '1'
      MappingInbound: {}
      Type: Ticket::TicketCreate
    ticket-get:
      Type: Ticket::TicketGet
    ticket-update:
      IncludeTicketData: '1'
      Type: Ticket::TicketUpdate
    time-accounting:
      Type: Ticket::TimeAccountingGet
  Transport:
    Config:
      MaxLength: '100000000'
      RouteOperationMapping:
        session-create:
          RequestMethod: [POST]
          Route: /session-create
        ticket-create:
          RequestMethod: [POST]
          Route: /ticket-create
        ticket-get:
          RequestMethod: [POST]
          Route: /ticket-get
        ticket-update:
          RequestMethod: [PUT]
          Route: /ticket-update
        time-accounting:
          RequestMethod: [POST]
          Route: /time
    Type: HTTP::REST
";

async fn post_json(app: &TestApp, path: &str, body: Value) -> Value {
    app.client
        .post(app.url(path))
        .json(&body)
        .send()
        .await
        .expect("POST")
        .json()
        .await
        .expect("JSON")
}

#[tokio::test]
async fn an_imported_web_service_is_served_exactly() {
    each_backend(async |app| {
        let client = browser();
        let token = sign_in(app, &client, "admin").await;
        let import = |name: &'static str, id: &'static str, yaml: &'static str| {
            client
                .post(app.url("/admin/otrs"))
                .form(&[
                    ("csrf_token", token.as_str()),
                    ("name", name),
                    ("service_id", id),
                    ("definition", yaml),
                ])
                .send()
        };
        let (status, location, _) = answer(import("Clientes", "3", EXPORTED).await.expect("POST")).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{}", app.backend);
        assert_eq!(location.as_deref(), Some("/admin/otrs?done=1"));

        let page = client.get(app.url("/admin/otrs")).send().await.expect("GET");
        let html = page.text().await.expect("page");
        assert!(html.contains("/ticket-create"), "its routes are listed");
        assert!(html.contains("time-accounting (Ticket::TimeAccountingGet) is not served"), "{html}");
        assert!(html.contains("GenericTicketConnectorREST"), "the default stays");

        // Served at once, by name and by id, its own way: the ticket in the answer.
        let base = "/otrs/nph-genericinterface.pl/Webservice/Clientes";
        let auth = json!({"UserLogin": "soporte", "Password": "soporte"});
        let session = post_json(app, &format!("{base}/session-create"), auth.clone()).await;
        assert!(session["SessionID"].is_string(), "{session}");
        let mut create = auth.clone();
        create["Ticket"] = json!({"Title": "Sin red", "Queue": "Soporte Técnico", "Type": "telefonia",
            "State": "new", "Priority": "3 normal", "CustomerUser": "solicitante"});
        create["Article"] = json!({"Subject": "Sin red", "Body": "El teléfono no tiene tono.",
            "ContentType": "text/plain; charset=utf-8"});
        create["DynamicField"] = json!([{"Name": "extension", "Value": "2301"}, {"Name": "tarea", "Value": "reparacion"}]);
        let created = post_json(app, &format!("{base}/ticket-create"), create).await;
        assert_eq!(created["Ticket"]["Title"], "Sin red", "{created}");
        assert_eq!(created["Ticket"]["Article"][0]["Body"], "El teléfono no tiene tono.");
        assert_eq!(created["Ticket"]["DynamicField"][0], json!({"Name": "extension", "Value": "2301"}));
        let id = created["TicketID"].as_str().expect("id").to_owned();
        let mut get = auth.clone();
        get["TicketID"] = json!(id.parse::<i64>().expect("number"));
        let by_id = post_json(app, "/otrs/nph-genericinterface.pl/WebserviceID/3/ticket-get", get).await;
        assert_eq!(by_id["Ticket"][0]["TicketID"], json!(id), "{by_id}");
        let mut update = auth.clone();
        update["TicketID"] = json!(id);
        update["Article"] = json!({"Subject": "Nota", "Body": "Revisar la roseta.", "ContentType": "text/plain"});
        let updated: Value = app
            .client
            .put(app.url(&format!("{base}/ticket-update")))
            .json(&update)
            .send()
            .await
            .expect("PUT")
            .json()
            .await
            .expect("JSON");
        assert_eq!(updated["Ticket"]["Article"]["Body"], "Nota\n\nRevisar la roseta.", "{updated}");
        // Only its routes: the default's are not part of it.
        let other = app
            .client
            .post(app.url(&format!("{base}/Session")))
            .json(&auth)
            .send()
            .await
            .expect("POST");
        assert_eq!(other.status(), StatusCode::INTERNAL_SERVER_ERROR);

        // What is no web service is refused with why; a taken id too.
        let (status, _, body) = answer(import("Otro", "4", "Provider:\n  Transport:\n    Type: HTTP::SOAP\n").await.expect("POST")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("HTTP::REST"), "{body}");
        let (status, _, _) = answer(import("Otro", "3", EXPORTED).await.expect("POST")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "id 3 is taken");

        // Removed: gone at once.
        let (status, _, _) = answer(
            client
                .post(app.url("/admin/otrs/Clientes/remove"))
                .form(&[("csrf_token", token.as_str())])
                .send()
                .await
                .expect("POST"),
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let gone = app
            .client
            .post(app.url(&format!("{base}/session-create")))
            .json(&auth)
            .send()
            .await
            .expect("POST");
        assert_eq!(gone.status(), StatusCode::INTERNAL_SERVER_ERROR);
    })
    .await;
}
