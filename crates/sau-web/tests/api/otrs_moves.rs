//! OTRS integrations move tickets between queues with `Queue` alone. In SAU a
//! ticket's queue follows its category, so a move to a queue with one
//! category is that category's correction; to a queue with several, the
//! caller must say which (`Type`), and nothing changes until they do.

use crate::support::{TestApp, each_backend};
use reqwest::Method;
use sau_service::CategoryInput;
use serde_json::{Value, json};

const UPDATE: &str = "/otrs/nph-genericinterface.pl/Webservice/GenericTicketConnectorREST/Ticket";

async fn update(app: &TestApp, session: &str, id: i64, ticket: Value) -> Value {
    app.call(Method::PATCH, &format!("{UPDATE}/{id}"))
        .json(&json!({"SessionID": session, "Ticket": ticket}))
        .send()
        .await
        .expect(200)
}

#[tokio::test]
async fn a_queue_alone_moves_a_ticket_to_that_queue_s_one_category() {
    each_backend(async |app: &TestApp| {
        let admin = app
            .service
            .login("admin", "admin", None)
            .await
            .expect("signs in");
        let admin = app.service.authenticate(&admin.token).await.expect("token");
        app.service
            .create_queue(&admin, "redes", "Redes")
            .await
            .expect("a queue");
        let input = CategoryInput {
            key: "red_caida".into(),
            name_es: "Red caída".into(),
            name_en: "Network down".into(),
            description_es: "Sin red".into(),
            description_en: "No network".into(),
            default_priority: 4,
            queue: "redes".into(),
            attachment_required: false,
        };
        app.service
            .create_category(&admin, input)
            .await
            .expect("a category");

        let people = app.people().await;
        let ticket = app
            .submit(&people.requester, "soporte_equipo", "Sin conexión")
            .await;
        let id = ticket["id"].as_i64().expect("id");
        let session = app
            .call(
                Method::POST,
                "/otrs/nph-genericinterface.pl/Webservice/GenericTicketConnectorREST/Session",
            )
            .json(&json!({"UserLogin": "soporte", "Password": "soporte"}))
            .send()
            .await
            .expect(200)["SessionID"]
            .as_str()
            .expect("a session")
            .to_owned();

        let answer = update(app, &session, id, json!({"Queue": "Redes"})).await;
        assert_eq!(answer["TicketID"], id.to_string(), "{answer}");
        let moved = app
            .ticket(
                &people.dispatcher,
                ticket["number"].as_str().expect("number"),
            )
            .await;
        assert_eq!(moved["queue"], "redes");
        assert_eq!(moved["category"], "red_caida");
        assert_eq!(moved["state"], "new");

        // Back to a queue of five categories: which one must be said.
        let answer = update(app, &session, id, json!({"Queue": "Soporte Técnico"})).await;
        assert_eq!(
            answer["Error"]["ErrorCode"], "TicketUpdate.InvalidParameter",
            "{answer}"
        );
        let answer = update(
            app,
            &session,
            id,
            json!({"Queue": "Soporte Técnico", "Type": "telefonia"}),
        )
        .await;
        assert_eq!(answer["TicketID"], id.to_string(), "{answer}");
        let back = app
            .ticket(
                &people.dispatcher,
                ticket["number"].as_str().expect("number"),
            )
            .await;
        assert_eq!(back["category"], "telefonia");
    })
    .await;
}
