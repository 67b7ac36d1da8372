//! Who am I, what can I ask for, who can attend it.

use crate::support::{CATEGORIES, each_backend};
use reqwest::Method;
use serde_json::{Value, json};

#[tokio::test]
async fn me_returns_the_signed_in_user_with_their_roles() {
    each_backend(async |app| {
        let b = app.backend;
        for (login, role, name) in [
            ("solicitante", "requester", "Ana Solicitante"),
            ("soporte", "dispatcher", "Sergio Soporte"),
            ("tecnico", "technician", "Teresa Técnica"),
            ("director", "supervisor", "Diana Directora"),
            ("admin", "admin", "Administración SAU"),
        ] {
            let token = app.login(login).await;
            let me = app.get(&token, "/api/v1/me").await.expect(200);
            assert_eq!(me["login"], login, "{b}");
            assert_eq!(me["roles"], json!([role]), "{b}");
            assert_eq!(me["display_name"], name, "{b}");
            assert_eq!(me["email"], format!("{login}@sau.example"), "{b}");
            assert_eq!(me["locale"], "es", "{b}");
            assert_eq!(me["active"], true, "{b}");
            assert!(me["id"].is_i64(), "{b}: {me}");
            assert!(me.get("password_hash").is_none(), "{b}: {me}");
        }
    })
    .await;
}

#[tokio::test]
async fn login_answers_a_token_and_the_user() {
    each_backend(async |app| {
        let body = app
            .call(Method::POST, "/api/v1/auth/login")
            .json(&json!({"login": "tecnico2", "password": "tecnico2"}))
            .send()
            .await
            .expect(200);
        assert!(
            body["token"].as_str().is_some_and(|t| t.len() >= 32),
            "{body}"
        );
        assert_eq!(body["user"]["login"], "tecnico2");
        assert_eq!(body["user"]["roles"], json!(["technician"]));
    })
    .await;
}

fn category<'a>(list: &'a [Value], key: &str) -> &'a Value {
    list.iter()
        .find(|c| c["key"] == key)
        .unwrap_or_else(|| panic!("category {key} missing"))
}

fn field<'a>(category: &'a Value, key: &str) -> &'a Value {
    category["fields"]
        .as_array()
        .and_then(|f| f.iter().find(|f| f["key"] == key))
        .unwrap_or_else(|| panic!("field {key} missing from {category}"))
}

#[tokio::test]
async fn categories_lists_the_five_defaults_with_their_fields() {
    each_backend(async |app| {
        let b = app.backend;
        let token = app.login("solicitante").await;
        let body = app.get(&token, "/api/v1/categories").await.expect(200);
        let list = body["categories"].as_array().expect("categories").clone();
        let mut keys: Vec<&str> = list.iter().filter_map(|c| c["key"].as_str()).collect();
        keys.sort_unstable();
        let mut expected = CATEGORIES.to_vec();
        expected.sort_unstable();
        assert_eq!(keys, expected, "{b}");

        let telefonia = category(&list, "telefonia");
        assert_eq!(telefonia["name"], "Telefonía", "{b}");
        assert_eq!(telefonia["default_priority"], 3, "{b}");
        let tarea = field(telefonia, "tarea");
        assert_eq!(tarea["kind"], "choice", "{b}");
        assert_eq!(tarea["required"], true, "{b}");
        assert_eq!(
            tarea["options"],
            json!([
                "nueva_extension",
                "reparacion",
                "traslado",
                "desvio",
                "otra"
            ]),
            "{b}"
        );
        let cuenta = category(&list, "creacion_usuario");
        assert_eq!(field(cuenta, "fecha_inicio")["kind"], "date", "{b}");
        assert_eq!(field(cuenta, "fecha_inicio")["required"], false, "{b}");
        assert_eq!(field(cuenta, "sistema")["kind"], "text", "{b}");
        assert_eq!(field(cuenta, "sistema")["label"], "Sistema", "{b}");
        assert_eq!(
            category(&list, "reinicio_clave")["default_priority"],
            4,
            "{b}"
        );
        assert_eq!(
            category(&list, "requerimiento")["attachment_required"],
            true,
            "{b}"
        );
        assert_eq!(
            category(&list, "soporte_equipo")["fields"]
                .as_array()
                .map(Vec::len),
            Some(3),
            "{b}"
        );
    })
    .await;
}

#[tokio::test]
async fn categories_speak_english_when_asked() {
    each_backend(async |app| {
        let token = app.login("solicitante").await;
        let body = app
            .call(Method::GET, "/api/v1/categories")
            .token(&token)
            .lang("en")
            .send()
            .await
            .expect(200);
        let list = body["categories"].as_array().expect("categories").clone();
        let telefonia = category(&list, "telefonia");
        assert_eq!(telefonia["name"], "Telephony");
        assert_eq!(telefonia["name_es"], "Telefonía");
        assert_eq!(field(telefonia, "tarea")["label"], "Task");
    })
    .await;
}

#[tokio::test]
async fn technicians_carry_open_ticket_counts_matching_the_assignments() {
    each_backend(async |app| {
        let p = app.people().await;
        let b = app.backend;
        let counts = async || {
            let body = app
                .get(&p.dispatcher, "/api/v1/technicians")
                .await
                .expect(200);
            body["technicians"]
                .as_array()
                .expect("technicians")
                .iter()
                .map(|t| {
                    (
                        t["login"].as_str().expect("login").to_owned(),
                        t["open_tickets"].as_i64().expect("open_tickets"),
                    )
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(
            counts().await,
            [("tecnico".to_owned(), 0), ("tecnico2".to_owned(), 0)],
            "{b}"
        );

        // tecnico: one closed (not open), one resolved, one assigned, one reassigned
        // from tecnico2; tecnico2: one in progress. One ticket stays unassigned.
        app.closed_ticket(&p, "telefonia").await;
        app.resolved_ticket(&p, "telefonia").await;
        let assigned = app
            .submit_number(&p.requester, "telefonia", "Asignado")
            .await;
        app.ok(
            &p.dispatcher,
            &assigned,
            "assign",
            json!({"technician": "tecnico"}),
        )
        .await;
        let moved = app
            .submit_number(&p.requester, "telefonia", "Reasignado")
            .await;
        app.ok(
            &p.dispatcher,
            &moved,
            "assign",
            json!({"technician": "tecnico2"}),
        )
        .await;
        app.ok(
            &p.supervisor,
            &moved,
            "reassign",
            json!({"technician": "tecnico"}),
        )
        .await;
        let working = app
            .submit_number(&p.requester, "telefonia", "En curso")
            .await;
        app.ok(
            &p.dispatcher,
            &working,
            "assign",
            json!({"technician": "tecnico2"}),
        )
        .await;
        app.ok(&p.technician2, &working, "accept", json!({})).await;
        app.submit_number(&p.requester, "telefonia", "Sin asignar")
            .await;

        // Least loaded first.
        assert_eq!(
            counts().await,
            [("tecnico2".to_owned(), 1), ("tecnico".to_owned(), 3)],
            "{b}"
        );
        let supervisor = app
            .get(&p.supervisor, "/api/v1/technicians")
            .await
            .expect(200);
        assert_eq!(supervisor["technicians"][1]["open_tickets"], 3, "{b}");
        assert_eq!(
            supervisor["technicians"][1]["display_name"], "Teresa Técnica",
            "{b}"
        );
    })
    .await;
}

#[tokio::test]
async fn requesters_and_technicians_listing_technicians_get_403() {
    each_backend(async |app| {
        for login in ["solicitante", "tecnico", "admin"] {
            let token = app.login(login).await;
            let error = app
                .get(&token, "/api/v1/technicians")
                .await
                .expect_error(403, "forbidden");
            assert_eq!(
                error["message"], "No tiene permiso para realizar esta acción.",
                "{}: {login}",
                app.backend
            );
        }
    })
    .await;
}

#[tokio::test]
async fn a_ticket_says_which_commands_its_reader_may_give_now() {
    each_backend(async |app| {
        let p = app.people().await;
        let b = app.backend;
        let n = app
            .submit_number(&p.requester, "telefonia", "Extensión muda")
            .await;
        let allowed = |t: &Value| t["allowed_actions"].clone();
        assert_eq!(
            allowed(&app.ticket(&p.dispatcher, &n).await),
            json!(["assign", "comment", "cancel", "correct"]),
            "{b}"
        );
        assert_eq!(
            allowed(&app.ticket(&p.requester, &n).await),
            json!(["comment"]),
            "{b}"
        );
        assert_eq!(
            allowed(&app.ticket(&p.technician, &n).await),
            json!(["comment"]),
            "{b}"
        );
        // A command's answer carries what may follow it.
        let assigned = app
            .ok(
                &p.dispatcher,
                &n,
                "assign",
                json!({"technician": "tecnico"}),
            )
            .await;
        assert_eq!(
            allowed(&assigned),
            json!(["assign", "reassign", "comment", "cancel", "correct"]),
            "{b}"
        );
        assert_eq!(
            allowed(&app.ticket(&p.technician, &n).await),
            json!(["accept", "comment"]),
            "{b}"
        );
    })
    .await;
}

#[tokio::test]
async fn an_unknown_command_is_not_found() {
    each_backend(async |app| {
        let p = app.people().await;
        let n = app
            .submit_number(&p.requester, "telefonia", "Extensión muda")
            .await;
        app.command(&p.dispatcher, &n, "teleport", json!({}))
            .await
            .expect_error(404, "not_found");
    })
    .await;
}
