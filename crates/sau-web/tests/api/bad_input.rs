//! Bad input and refused commands: each answers its documented status and code with
//! a clear message, and writes nothing.

use crate::support::{
    People, TestApp, each_backend, each_backend_with, request_body, valid_fields, version,
};
use reqwest::Method;
use serde_json::{Value, json};

/// A ticket's version and number of events, as an agent sees them: equal before and
/// after a refused command means nothing was written.
async fn snapshot(app: &TestApp, p: &People, n: &str) -> (i64, usize, Value) {
    let ticket = app.ticket(&p.supervisor, n).await;
    let events = app.events(&p.supervisor, n).await;
    (version(&ticket), events.len(), ticket["state"].clone())
}

/// Submits `body` as the requester, expects a 422 `code` and returns the error; checks
/// that no ticket was created.
async fn refused_submission(app: &TestApp, p: &People, body: Value, code: &str) -> Value {
    let before = app.ticket_count(&p.dispatcher).await;
    let error = app
        .post_json(&p.requester, "/api/v1/tickets", body)
        .await
        .expect_error(422, code);
    assert_eq!(
        app.ticket_count(&p.dispatcher).await,
        before,
        "{}: a refused submission created a ticket",
        app.backend
    );
    error
}

/// The problem code reported for `field`.
fn problem(error: &Value, field: &str) -> String {
    error["fields"][field]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("no problem reported for {field}: {error}"))
        .to_owned()
}

#[tokio::test]
async fn malformed_json_is_400_malformed_json_and_creates_nothing() {
    each_backend(async |app| {
        let p = app.people().await;
        for body in [
            r#"{"category": "telefonia", "title": "#,
            r#"{category: "telefonia"}"#,
            r#"{"category": "telefonia",}"#,
            r#"{"category": "telefonia"} {"#,
            "esto no es JSON",
        ] {
            let error = app
                .call(Method::POST, "/api/v1/tickets")
                .token(&p.requester)
                .raw("application/json", body)
                .send()
                .await
                .expect_error(400, "malformed_json");
            assert_eq!(
                error["message"], "El cuerpo de la solicitud no es JSON válido.",
                "{}: {body}",
                app.backend
            );
        }
        assert_eq!(app.ticket_count(&p.dispatcher).await, 0, "{}", app.backend);
    })
    .await;
}

#[tokio::test]
async fn json_sent_with_another_content_type_is_415() {
    each_backend(async |app| {
        let p = app.people().await;
        let body = request_body("telefonia", "Sin tono").to_string();
        app.call(Method::POST, "/api/v1/tickets")
            .token(&p.requester)
            .raw("text/plain", body)
            .send()
            .await
            .expect_error(415, "unsupported_media_type");
        assert_eq!(app.ticket_count(&p.dispatcher).await, 0, "{}", app.backend);
    })
    .await;
}

#[tokio::test]
async fn unknown_category_is_422_naming_category() {
    each_backend(async |app| {
        let p = app.people().await;
        let mut body = request_body("telefonia", "Sin tono");
        body["category"] = json!("fontaneria");
        let error = refused_submission(app, &p, body, "invalid_input").await;
        assert_eq!(problem(&error, "category"), "unknown", "{error}");
        assert_eq!(error["fields"]["category"]["message"], "No existe.");
    })
    .await;
}

#[tokio::test]
async fn missing_required_category_fields_are_422_naming_each_field() {
    each_backend(async |app| {
        let p = app.people().await;
        let mut body = request_body("soporte_equipo", "Monitor apagado");
        body["fields"] = json!({"numero_inventario": "INV-7"});
        let error = refused_submission(app, &p, body, "invalid_input").await;
        assert_eq!(problem(&error, "fields.ubicacion"), "required", "{error}");
        assert_eq!(
            error["fields"].as_object().map(|f| f.len()),
            Some(1),
            "{error}"
        );

        // A blank value is as missing as no value; every problem is reported at once.
        let mut body = request_body("reinicio_clave", "Clave");
        body["fields"] = json!({"sistema": "   "});
        let error = refused_submission(app, &p, body, "invalid_input").await;
        assert_eq!(problem(&error, "fields.sistema"), "required", "{error}");
        assert_eq!(problem(&error, "fields.usuario"), "required", "{error}");
    })
    .await;
}

#[tokio::test]
async fn field_the_category_does_not_have_is_422_unknown() {
    each_backend(async |app| {
        let p = app.people().await;
        let mut body = request_body("telefonia", "Desvío");
        body["fields"]["color_favorito"] = json!("azul");
        let error = refused_submission(app, &p, body, "invalid_input").await;
        assert_eq!(
            problem(&error, "fields.color_favorito"),
            "unknown",
            "{error}"
        );
    })
    .await;
}

#[tokio::test]
async fn choice_value_outside_its_options_is_422_not_an_option() {
    each_backend(async |app| {
        let p = app.people().await;
        for tarea in [json!("pintar_la_pared"), json!(3), json!(["reparacion"])] {
            let mut body = request_body("telefonia", "Teléfono");
            body["fields"]["tarea"] = tarea;
            let error = refused_submission(app, &p, body, "invalid_input").await;
            assert_eq!(problem(&error, "fields.tarea"), "not_an_option", "{error}");
            assert_eq!(
                error["fields"]["fields.tarea"]["message"],
                "No es una de las opciones."
            );
        }
    })
    .await;
}

#[tokio::test]
async fn date_field_that_is_not_a_date_is_422_not_a_date() {
    each_backend(async |app| {
        let p = app.people().await;
        for date in [json!("el lunes"), json!("2025-02-30"), json!(20250301)] {
            let mut body = request_body("creacion_usuario", "Usuario nuevo");
            body["fields"]["fecha_inicio"] = date;
            let error = refused_submission(app, &p, body, "invalid_input").await;
            assert_eq!(
                problem(&error, "fields.fecha_inicio"),
                "not_a_date",
                "{error}"
            );
        }
    })
    .await;
}

#[tokio::test]
async fn text_field_given_an_object_is_422_not_a_text() {
    each_backend(async |app| {
        let p = app.people().await;
        let mut body = request_body("soporte_equipo", "CPU");
        body["fields"]["ubicacion"] = json!({"piso": 2});
        let error = refused_submission(app, &p, body, "invalid_input").await;
        assert_eq!(problem(&error, "fields.ubicacion"), "not_a_text", "{error}");
    })
    .await;
}

#[tokio::test]
async fn priority_given_as_a_string_is_422_naming_priority() {
    each_backend(async |app| {
        let p = app.people().await;
        let mut body = request_body("telefonia", "Urgente");
        body["priority"] = json!("alta");
        let error = refused_submission(app, &p, body, "invalid_input").await;
        assert_eq!(problem(&error, "priority"), "invalid", "{error}");
    })
    .await;
}

#[tokio::test]
async fn priority_outside_one_to_five_is_422_out_of_range() {
    each_backend(async |app| {
        let p = app.people().await;
        for priority in [0, 6, -1] {
            let mut body = request_body("telefonia", "Urgente");
            body["priority"] = json!(priority);
            let error = refused_submission(app, &p, body, "invalid_input").await;
            assert_eq!(problem(&error, "priority"), "out_of_range", "{error}");
        }
    })
    .await;
}

#[tokio::test]
async fn missing_or_blank_title_is_422_naming_title() {
    each_backend(async |app| {
        let p = app.people().await;
        let mut body = request_body("telefonia", "x");
        body.as_object_mut().map(|o| o.remove("title"));
        let error = refused_submission(app, &p, body, "invalid_input").await;
        assert_eq!(problem(&error, "title"), "required", "{error}");

        let body = request_body("telefonia", "   ");
        let error = refused_submission(app, &p, body, "invalid_input").await;
        assert_eq!(problem(&error, "title"), "required", "{error}");

        let body = request_body("telefonia", &"t".repeat(201));
        let error = refused_submission(app, &p, body, "invalid_input").await;
        assert_eq!(problem(&error, "title"), "too_long", "{error}");
    })
    .await;
}

/// A valid request body of exactly `size` bytes.
fn body_of_size(size: usize) -> Vec<u8> {
    let mut body = request_body("telefonia", "Relleno");
    body["description"] = json!("");
    let empty = body.to_string().len();
    body["description"] = json!("x".repeat(size - empty));
    let bytes = body.to_string().into_bytes();
    assert_eq!(bytes.len(), size);
    bytes
}

const SMALL_LIMIT: usize = 4096;

#[tokio::test]
async fn body_at_the_json_limit_is_accepted_and_one_byte_more_is_413() {
    each_backend_with(
        |b| b.json_limit(SMALL_LIMIT),
        async |app| {
            let p = app.people().await;
            let b = app.backend;
            app.call(Method::POST, "/api/v1/tickets")
                .token(&p.requester)
                .raw("application/json", body_of_size(SMALL_LIMIT))
                .send()
                .await
                .expect(201);
            assert_eq!(app.ticket_count(&p.dispatcher).await, 1, "{b}");

            let error = app
                .call(Method::POST, "/api/v1/tickets")
                .token(&p.requester)
                .raw("application/json", body_of_size(SMALL_LIMIT + 1))
                .send()
                .await
                .expect_error(413, "payload_too_large");
            assert_eq!(
                error["message"], "La solicitud excede el tamaño máximo permitido.",
                "{b}"
            );
            let error = app
                .call(Method::POST, "/api/v1/tickets")
                .token(&p.requester)
                .lang("en")
                .raw("application/json", body_of_size(SMALL_LIMIT * 4))
                .send()
                .await
                .expect_error(413, "payload_too_large");
            assert_eq!(
                error["message"], "The request exceeds the maximum size allowed.",
                "{b}"
            );
            assert_eq!(app.ticket_count(&p.dispatcher).await, 1, "{b}");
        },
    )
    .await;
}

#[tokio::test]
async fn assigning_an_unknown_technician_is_422_and_leaves_the_ticket_new() {
    each_backend(async |app| {
        let p = app.people().await;
        let n = app
            .submit_number(&p.requester, "telefonia", "Sin línea")
            .await;
        let before = snapshot(app, &p, &n).await;
        for technician in [json!("nadie"), json!(987_654)] {
            let error = app
                .command(
                    &p.dispatcher,
                    &n,
                    "assign",
                    json!({"technician": technician}),
                )
                .await
                .expect_error(422, "not_a_technician");
            assert_eq!(problem(&error, "technician"), "unknown", "{error}");
        }
        // A requester hears "not allowed" whether the login exists or not, so
        // assigning cannot be used to find out which logins exist.
        for technician in [json!("nadie"), json!("tecnico"), json!("director")] {
            app.command(
                &p.requester,
                &n,
                "assign",
                json!({"technician": technician}),
            )
            .await
            .expect_error(403, "not_allowed");
        }
        // A person who exists but is no technician.
        let error = app
            .command(
                &p.dispatcher,
                &n,
                "assign",
                json!({"technician": "solicitante"}),
            )
            .await
            .expect_error(422, "not_a_technician");
        assert_eq!(problem(&error, "technician"), "unknown", "{error}");
        assert_eq!(
            error["message"],
            "La persona indicada no es un técnico activo."
        );
        // An unknown category correction is refused as a whole.
        let error = app
            .command(
                &p.dispatcher,
                &n,
                "assign",
                json!({"technician": "tecnico", "category": "fontaneria", "priority": 5}),
            )
            .await
            .expect_error(422, "invalid_input");
        assert_eq!(problem(&error, "category"), "unknown", "{error}");
        assert_eq!(snapshot(app, &p, &n).await, before, "{}", app.backend);
        assert_eq!(before.2, "new");
    })
    .await;
}

#[tokio::test]
async fn command_not_possible_in_the_current_state_is_409_invalid_transition() {
    each_backend(async |app| {
        let p = app.people().await;
        let b = app.backend;
        let n = app
            .submit_number(&p.requester, "telefonia", "Sin línea")
            .await;
        let before = snapshot(app, &p, &n).await;
        let error = app
            .command(&p.dispatcher, &n, "close", json!({}))
            .await
            .expect_error(409, "invalid_transition");
        assert_eq!(error["state"], "new", "{b}");
        assert_eq!(
            error["message"], "Esta acción no es posible en el estado actual del ticket.",
            "{b}"
        );
        app.command(&p.dispatcher, &n, "return", json!({"reason": "x"}))
            .await
            .expect_error(409, "invalid_transition");
        app.command(&p.supervisor, &n, "reopen", json!({"reason": "x"}))
            .await
            .expect_error(409, "invalid_transition");
        assert_eq!(snapshot(app, &p, &n).await, before, "{b}");

        // The assigned technician may not resolve before accepting.
        app.ok(
            &p.dispatcher,
            &n,
            "assign",
            json!({"technician": "tecnico"}),
        )
        .await;
        let before = snapshot(app, &p, &n).await;
        let error = app
            .command(
                &p.technician,
                &n,
                "resolve",
                json!({"resolution": "hecho", "attention_mode": "in_person"}),
            )
            .await
            .expect_error(409, "invalid_transition");
        assert_eq!(error["state"], "assigned", "{b}");
        app.command(&p.technician, &n, "resume", json!({}))
            .await
            .expect_error(409, "invalid_transition");
        assert_eq!(snapshot(app, &p, &n).await, before, "{b}");

        // Nothing but reopen moves a closed ticket.
        let closed = app.closed_ticket(&p, "telefonia").await;
        let before = snapshot(app, &p, &closed).await;
        app.command(&p.dispatcher, &closed, "cancel", json!({"reason": "x"}))
            .await
            .expect_error(409, "invalid_transition");
        app.command(&p.technician, &closed, "entries", json!({"body": "x"}))
            .await
            .expect_error(409, "invalid_transition");
        assert_eq!(snapshot(app, &p, &closed).await, before, "{b}");
    })
    .await;
}

#[tokio::test]
async fn command_not_allowed_to_the_callers_role_is_403() {
    each_backend(async |app| {
        let p = app.people().await;
        let b = app.backend;
        let n = app
            .submit_number(&p.requester, "telefonia", "Sin línea")
            .await;
        let refused = [
            (&p.requester, "assign", json!({"technician": "tecnico"})),
            (&p.technician, "assign", json!({"technician": "tecnico"})),
            (&p.requester, "cancel", json!({"reason": "ya no"})),
            (
                &p.requester,
                "entries",
                json!({"body": "x", "visibility": "internal"}),
            ),
        ];
        let before = snapshot(app, &p, &n).await;
        for (token, command, body) in &refused {
            let error = app
                .command(token, &n, command, body.clone())
                .await
                .expect_error(403, "not_allowed");
            assert_eq!(
                error["message"], "No tiene permiso para realizar esta acción.",
                "{b}: {command}"
            );
        }
        assert_eq!(snapshot(app, &p, &n).await, before, "{b}");

        // Only the assigned technician takes the technician's steps; only
        // dispatchers close; dispatchers do not reopen.
        let resolved = app.resolved_ticket(&p, "telefonia").await;
        let before = snapshot(app, &p, &resolved).await;
        app.command(&p.technician, &resolved, "close", json!({}))
            .await
            .expect_error(403, "not_allowed");
        app.command(&p.requester, &resolved, "close", json!({}))
            .await
            .expect_error(403, "not_allowed");
        app.command(&p.technician2, &resolved, "return", json!({"reason": "x"}))
            .await
            .expect_error(403, "not_allowed");
        assert_eq!(snapshot(app, &p, &resolved).await, before, "{b}");

        let assigned = app.submit_number(&p.requester, "telefonia", "Otra").await;
        app.ok(
            &p.dispatcher,
            &assigned,
            "assign",
            json!({"technician": "tecnico"}),
        )
        .await;
        let before = snapshot(app, &p, &assigned).await;
        app.command(&p.technician2, &assigned, "accept", json!({}))
            .await
            .expect_error(403, "not_allowed");
        app.command(&p.dispatcher, &assigned, "accept", json!({}))
            .await
            .expect_error(403, "not_allowed");
        assert_eq!(snapshot(app, &p, &assigned).await, before, "{b}");

        let closed = app.closed_ticket(&p, "telefonia").await;
        app.command(&p.dispatcher, &closed, "reopen", json!({"reason": "x"}))
            .await
            .expect_error(403, "not_allowed");
    })
    .await;
}

#[tokio::test]
async fn request_without_a_token_is_401_with_a_bearer_challenge() {
    each_backend(async |app| {
        let p = app.people().await;
        let b = app.backend;
        for (method, path) in [
            (Method::GET, "/api/v1/me"),
            (Method::GET, "/api/v1/tickets"),
            (Method::GET, "/api/v1/categories"),
            (Method::POST, "/api/v1/tickets"),
        ] {
            let resp = app
                .call(method.clone(), path)
                .json(&request_body("telefonia", "Anónimo"))
                .send()
                .await;
            assert_eq!(
                resp.headers
                    .get("www-authenticate")
                    .and_then(|v| v.to_str().ok()),
                Some("Bearer"),
                "{b}: {method} {path}"
            );
            let error = resp.expect_error(401, "unauthenticated");
            assert_eq!(
                error["message"], "Se requiere iniciar sesión o un token válido.",
                "{b}"
            );
        }
        assert_eq!(app.ticket_count(&p.dispatcher).await, 0, "{b}");
    })
    .await;
}

#[tokio::test]
async fn request_with_an_invalid_token_is_401() {
    each_backend(async |app| {
        for header in [
            "Bearer sau_0000000000000000000000000000000000000000000000000000000000000000",
            "Bearer ",
            "Basic c29wb3J0ZTpzb3BvcnRl",
            "sau_token_without_scheme",
        ] {
            app.call(Method::GET, "/api/v1/me")
                .header("authorization", header)
                .send()
                .await
                .expect_error(401, "unauthenticated");
        }
    })
    .await;
}

#[tokio::test]
async fn token_stops_working_after_logout() {
    each_backend(async |app| {
        let token = app.login("tecnico").await;
        app.get(&token, "/api/v1/me").await.expect(200);
        let resp = app
            .call(Method::POST, "/api/v1/auth/logout")
            .token(&token)
            .send()
            .await;
        assert_eq!(resp.status, 204, "{}: {}", app.backend, resp.text);
        app.get(&token, "/api/v1/me")
            .await
            .expect_error(401, "unauthenticated");
    })
    .await;
}

#[tokio::test]
async fn wrong_password_or_unknown_login_is_401_bad_credentials() {
    each_backend(async |app| {
        for (login, password) in [("soporte", "incorrecta"), ("nadie", "nadie")] {
            let error = app
                .call(Method::POST, "/api/v1/auth/login")
                .lang("en")
                .json(&json!({"login": login, "password": password}))
                .send()
                .await
                .expect_error(401, "bad_credentials");
            assert_eq!(error["message"], "Wrong login or password.");
        }
    })
    .await;
}

#[tokio::test]
async fn stale_version_is_409_with_the_current_version_and_changes_nothing() {
    each_backend(async |app| {
        let p = app.people().await;
        let b = app.backend;
        let n = app
            .submit_number(&p.requester, "soporte_equipo", "Teclado")
            .await;
        app.ok(
            &p.dispatcher,
            &n,
            "assign",
            json!({"technician": "tecnico", "version": 1}),
        )
        .await;
        let before = snapshot(app, &p, &n).await;
        assert_eq!(before.0, 2, "{b}");
        let error = app
            .command(
                &p.dispatcher,
                &n,
                "assign",
                json!({"technician": "tecnico2", "version": 1}),
            )
            .await
            .expect_error(409, "stale_version");
        assert_eq!(error["current_version"], 2, "{b}: {error}");
        assert_eq!(
            error["message"],
            "El ticket cambió mientras lo veía; revise su estado actual e intente de nuevo.",
            "{b}"
        );
        let error = app
            .command(&p.technician, &n, "accept", json!({"version": 7}))
            .await
            .expect_error(409, "stale_version");
        assert_eq!(error["current_version"], 2, "{b}: {error}");
        assert_eq!(snapshot(app, &p, &n).await, before, "{b}");
        assert_eq!(
            app.ticket(&p.dispatcher, &n).await["technician"]["login"],
            "tecnico",
            "{b}"
        );
    })
    .await;
}

#[tokio::test]
async fn blank_resolution_or_unknown_attention_mode_is_422_and_the_ticket_stays_in_progress() {
    each_backend(async |app| {
        let p = app.people().await;
        let n = app
            .submit_number(&p.requester, "soporte_equipo", "Mouse")
            .await;
        app.ok(
            &p.dispatcher,
            &n,
            "assign",
            json!({"technician": "tecnico"}),
        )
        .await;
        app.ok(&p.technician, &n, "accept", json!({})).await;
        let before = snapshot(app, &p, &n).await;
        let error = app
            .command(
                &p.technician,
                &n,
                "resolve",
                json!({"resolution": "  ", "attention_mode": "remote"}),
            )
            .await
            .expect_error(422, "invalid_input");
        assert_eq!(problem(&error, "resolution"), "required", "{error}");
        let error = app
            .command(
                &p.technician,
                &n,
                "resolve",
                json!({"resolution": "hecho", "attention_mode": "telepatia"}),
            )
            .await
            .expect_error(422, "invalid_input");
        assert_eq!(
            problem(&error, "attention_mode"),
            "not_an_option",
            "{error}"
        );
        let error = app
            .command(&p.technician, &n, "resolve", json!({"resolution": "hecho"}))
            .await
            .expect_error(422, "invalid_input");
        assert_eq!(problem(&error, "attention_mode"), "required", "{error}");
        let error = app
            .command(&p.technician, &n, "hold", json!({}))
            .await
            .expect_error(422, "invalid_input");
        assert_eq!(problem(&error, "reason"), "required", "{error}");
        assert_eq!(snapshot(app, &p, &n).await, before, "{}", app.backend);
        assert_eq!(before.2, "in_progress");
    })
    .await;
}

#[tokio::test]
async fn unknown_ticket_is_404_not_found() {
    each_backend(async |app| {
        let p = app.people().await;
        for path in [
            "/api/v1/tickets/2099010110000019",
            "/api/v1/tickets/no-existe/events",
        ] {
            app.get(&p.dispatcher, path)
                .await
                .expect_error(404, "not_found");
        }
        // A ticket that exists but is someone else's answers exactly the same.
        let other = app.add_user("ajena", &[sau_domain::Role::Requester]).await;
        let foreign = app.submit_number(&other, "telefonia", "Ajena").await;
        let unknown = app
            .get(&p.requester, "/api/v1/tickets/2099010110000019")
            .await;
        let hidden = app
            .get(&p.requester, &format!("/api/v1/tickets/{foreign}"))
            .await;
        // Alike but for the request's own id.
        let without_id = |text: &str| {
            let mut body: serde_json::Value = serde_json::from_str(text).expect("JSON");
            body["error"]["request_id"].take();
            body
        };
        assert_eq!(
            (hidden.status, without_id(&hidden.text)),
            (unknown.status, without_id(&unknown.text))
        );
        for command in ["accept", "close", "entries"] {
            app.command(
                &p.supervisor,
                "2099010110000019",
                command,
                json!({"body": "x"}),
            )
            .await
            .expect_error(404, "not_found");
        }
    })
    .await;
}

#[tokio::test]
async fn unknown_route_is_404_in_the_json_error_shape() {
    each_backend(async |app| {
        let p = app.people().await;
        for path in ["/api/v1/nothing-here", "/api/v2/tickets", "/nothing-here"] {
            let error = app
                .get(&p.dispatcher, path)
                .await
                .expect_error(404, "not_found");
            assert_eq!(error["message"], "No se encontró lo solicitado.");
        }
        let error = app
            .call(Method::GET, "/api/v1/nothing-here")
            .lang("en")
            .send()
            .await
            .expect_error(404, "not_found");
        assert_eq!(error["message"], "Not found.");
    })
    .await;
}

#[tokio::test]
async fn error_messages_are_spanish_by_default_and_english_on_request() {
    each_backend(async |app| {
        let p = app.people().await;
        let mut body = request_body("creacion_usuario", "Cuenta");
        body["fields"] = json!({"fecha_inicio": "mañana"});
        body["fields"]["sistema"] = valid_fields("creacion_usuario")["sistema"].clone();
        let send = |lang: Option<&'static str>| {
            let mut call = app
                .call(Method::POST, "/api/v1/tickets")
                .token(&p.requester)
                .json(&body);
            if let Some(lang) = lang {
                call = call.lang(lang);
            }
            call.send()
        };
        let spanish = [
            None,
            Some("es-GT"),
            Some("fr-FR, de"),
            Some("en;q=0.3, es;q=0.8"),
        ];
        for lang in spanish {
            let error = send(lang).await.expect_error(422, "invalid_input");
            assert_eq!(
                error["message"], "Hay datos inválidos en la solicitud.",
                "{lang:?}"
            );
            assert_eq!(
                error["fields"]["fields.fecha_inicio"]["message"], "Debe ser una fecha AAAA-MM-DD.",
                "{lang:?}"
            );
            assert_eq!(
                error["fields"]["fields.nombre_completo"]["message"], "Es obligatorio.",
                "{lang:?}"
            );
        }
        for lang in ["en", "en-US,en;q=0.9,es;q=0.5"] {
            let error = send(Some(lang)).await.expect_error(422, "invalid_input");
            assert_eq!(error["message"], "The request has invalid data.", "{lang}");
            assert_eq!(
                error["fields"]["fields.fecha_inicio"]["message"], "Must be a date YYYY-MM-DD.",
                "{lang}"
            );
            assert_eq!(
                error["fields"]["fields.nombre_completo"]["message"], "Is required.",
                "{lang}"
            );
        }
        let error = app
            .call(Method::GET, "/api/v1/tickets/2099010110000019")
            .token(&p.requester)
            .lang("en")
            .send()
            .await
            .expect_error(404, "not_found");
        assert_eq!(error["message"], "Not found.");
        let error = app
            .call(Method::GET, "/api/v1/me")
            .lang("en")
            .send()
            .await
            .expect_error(401, "unauthenticated");
        assert_eq!(error["message"], "Sign-in or a valid token is required.");
        assert_eq!(app.ticket_count(&p.dispatcher).await, 0, "{}", app.backend);
    })
    .await;
}

#[tokio::test]
async fn wrong_method_on_a_known_route_is_405_in_the_json_error_shape() {
    each_backend(async |app| {
        let p = app.people().await;
        for (method, path, allow) in [
            (Method::DELETE, "/api/v1/tickets", "POST,GET,HEAD"),
            (Method::GET, "/api/v1/auth/login", "POST"),
            (Method::PUT, "/healthz", "GET,HEAD"),
        ] {
            let resp = app
                .call(method.clone(), path)
                .token(&p.dispatcher)
                .send()
                .await;
            let allowed = resp
                .headers
                .get("allow")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            assert_eq!(
                allowed.as_deref(),
                Some(allow),
                "{}: {method} {path}",
                app.backend
            );
            let error = resp.expect_error(405, "method_not_allowed");
            assert_eq!(error["message"], "Este recurso no admite ese método.");
        }
        let error = app
            .call(Method::DELETE, "/api/v1/tickets")
            .lang("en")
            .send()
            .await
            .expect_error(405, "method_not_allowed");
        assert_eq!(
            error["message"],
            "This resource does not accept that method."
        );
        assert_eq!(app.ticket_count(&p.dispatcher).await, 0, "{}", app.backend);
    })
    .await;
}

#[tokio::test]
async fn ticket_number_that_does_not_decode_is_400_in_the_json_error_shape() {
    each_backend(async |app| {
        let p = app.people().await;
        let error = app
            .get(&p.dispatcher, "/api/v1/tickets/%FF%FE")
            .await
            .expect_error(400, "bad_request");
        assert_eq!(error["message"], "La solicitud no es válida.");
    })
    .await;
}

#[tokio::test]
async fn deactivated_users_token_stops_working_and_they_cannot_sign_in() {
    each_backend(async |app| {
        let token = app.login("tecnico2").await;
        app.get(&token, "/api/v1/me").await.expect(200);
        app.service
            .deactivate_user(&sau_service::Caller::System, "tecnico2")
            .await
            .expect("deactivate");
        app.get(&token, "/api/v1/me")
            .await
            .expect_error(401, "unauthenticated");
        app.call(Method::POST, "/api/v1/auth/login")
            .json(&json!({"login": "tecnico2", "password": "tecnico2"}))
            .send()
            .await
            .expect_error(401, "bad_credentials");
    })
    .await;
}

#[tokio::test]
async fn deactivated_technician_cannot_be_assigned_and_leaves_the_technician_list() {
    each_backend(async |app| {
        let p = app.people().await;
        let n = app
            .submit_number(&p.requester, "telefonia", "Sin línea")
            .await;
        app.service
            .deactivate_user(&sau_service::Caller::System, "tecnico2")
            .await
            .expect("deactivate");
        let before = snapshot(app, &p, &n).await;
        let error = app
            .command(
                &p.dispatcher,
                &n,
                "assign",
                json!({"technician": "tecnico2"}),
            )
            .await
            .expect_error(422, "not_a_technician");
        assert_eq!(problem(&error, "technician"), "unknown", "{error}");
        assert_eq!(snapshot(app, &p, &n).await, before, "{}", app.backend);
        let list = app
            .get(&p.dispatcher, "/api/v1/technicians")
            .await
            .expect(200);
        let logins: Vec<&str> = list["technicians"]
            .as_array()
            .expect("technicians")
            .iter()
            .filter_map(|t| t["login"].as_str())
            .collect();
        assert_eq!(logins, ["tecnico"], "{}", app.backend);
    })
    .await;
}
