//! The requester's pages over real HTTP: the new-request form, its fields
//! fragment, submitting, the request's page, replying and reopening.

use crate::browser::{browser, element, sign_in, sign_in_with};
use crate::support::{CATEGORIES, TestApp, each_backend};
use reqwest::StatusCode;
use serde_json::json;

async fn get(app: &TestApp, client: &reqwest::Client, path: &str) -> (StatusCode, String) {
    let response = client.get(app.url(path)).send().await.expect("GET");
    let status = response.status();
    (status, response.text().await.expect("body"))
}

async fn post(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    form: &[(&str, &str)],
) -> reqwest::Response {
    client
        .post(app.url(path))
        .form(form)
        .send()
        .await
        .expect("POST")
}

fn location(response: &reqwest::Response) -> String {
    response.headers()["location"]
        .to_str()
        .expect("location")
        .to_owned()
}

#[tokio::test]
async fn the_new_request_form_lists_the_categories_and_shows_the_chosen_ones_fields() {
    each_backend(async |app| {
        let client = browser();
        sign_in(app, &client, "solicitante").await;
        let (status, html) = get(app, &client, "/requests/new").await;
        assert_eq!(status, StatusCode::OK);
        for key in CATEGORIES {
            assert!(html.contains(&format!("value=\"{key}\"")), "{key}: {html}");
        }
        assert!(html.contains("Reinicio de clave"), "{html}");
        assert!(html.contains("hx-get=\"/requests/new/fields\""), "{html}");
        assert!(!html.contains("name=\"field."), "no fields before a choice");

        // Without JavaScript: the category in the page's address.
        let (status, html) = get(app, &client, "/requests/new?category=reinicio_clave").await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("name=\"field.sistema\""), "{html}");
        assert!(html.contains("<label class=\"form-label\" for=\"field-usuario\">Usuario"));
        assert!(element(&html, "category-reinicio_clave").contains("checked"));
        assert!(!element(&html, "category-telefonia").contains("checked"));
        // The category's default priority (4, alta) is the suggestion.
        assert!(html.contains("<option value=\"4\" selected>"), "{html}");

        // With htmx: the fragment alone.
        let (status, fragment) = get(app, &client, "/requests/new/fields?category=telefonia").await;
        assert_eq!(status, StatusCode::OK);
        assert!(!fragment.contains("<html"), "a fragment: {fragment}");
        for option in [
            "nueva_extension",
            "reparacion",
            "traslado",
            "desvio",
            "otra",
        ] {
            assert!(
                fragment.contains(&format!("<option value=\"{option}\"")),
                "{option}: {fragment}"
            );
        }
        assert!(fragment.contains("Reparación"));
        assert!(fragment.contains("name=\"field.extension\""));
        assert!(fragment.contains("required"));
        assert!(fragment.contains("name=\"csrf_token\""));
    })
    .await;
}

#[tokio::test]
async fn the_form_needs_a_signed_in_user() {
    each_backend(async |app| {
        let (status, _) = get(app, &browser(), "/requests/new").await;
        assert_eq!(status, StatusCode::SEE_OTHER);
    })
    .await;
}

#[tokio::test]
async fn a_valid_request_goes_to_its_page_with_the_fields_and_description() {
    each_backend(async |app| {
        let client = browser();
        let token = sign_in(app, &client, "solicitante").await;
        let response = post(
            app,
            &client,
            "/requests",
            &[
                ("csrf_token", &token),
                ("category", "reinicio_clave"),
                ("title", "No puedo entrar al correo"),
                (
                    "description",
                    "Olvidé la clave.\nSegunda línea <b>sin</b> marcas.",
                ),
                ("priority", "4"),
                ("field.sistema", "Correo institucional"),
                ("field.usuario", "aperez"),
            ],
        )
        .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let to = location(&response);
        assert!(
            to.starts_with("/requests/") && to.ends_with("?sent=1"),
            "{to}"
        );
        let number = to
            .trim_start_matches("/requests/")
            .trim_end_matches("?sent=1")
            .to_owned();

        let (status, html) = get(app, &client, &to).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains(&number));
        // Sent: a confirmation with the number and what comes next, and where
        // the request stands.
        assert!(
            html.contains(&format!("Recibimos su solicitud {number}.")),
            "{html}"
        );
        assert!(html.contains("resolverla en 25 minutos"), "{html}");
        assert!(
            html.contains(r#"<li class="step-current" aria-current="step">Recibida</li>"#),
            "{html}"
        );
        // Only right after sending.
        let (_, again) = get(app, &client, &format!("/requests/{number}")).await;
        assert!(!again.contains("Recibimos su solicitud"), "{again}");
        assert!(again.contains("request-progress"));
        assert!(html.contains("No puedo entrar al correo"));
        assert!(
            html.contains("Olvidé la clave.<br>Segunda línea &#60;b&#62;sin"),
            "{html}"
        );
        assert!(html.contains("Correo institucional"));
        assert!(html.contains("aperez"));
        assert!(html.contains(">Sistema</dt>"), "{html}");
        assert!(html.contains("badge state-new"));
        assert!(html.contains("Reinicio de clave"));
        assert!(html.contains("Sin asignar"));
        assert!(
            html.contains(
                "action=\"/requests/{number}/reply\""
                    .replace("{number}", &number)
                    .as_str()
            )
        );
        assert!(!html.contains("/reopen\""), "no reopen while open");

        // Recorded through the web channel, visible to the API.
        let people = app.people().await;
        let ticket = app.ticket(&people.requester, &number).await;
        assert_eq!(ticket["priority"], 4, "{ticket}");
    })
    .await;
}

#[tokio::test]
async fn a_missing_required_field_comes_back_with_the_input_and_the_problem() {
    each_backend(async |app| {
        let people = app.people().await;
        let before = app.ticket_count(&people.dispatcher).await;
        let client = browser();
        let token = sign_in(app, &client, "solicitante").await;
        let response = post(
            app,
            &client,
            "/requests",
            &[
                ("csrf_token", &token),
                ("category", "reinicio_clave"),
                ("title", "Clave del sistema"),
                ("description", "Mi descripción"),
                ("priority", "4"),
                ("field.sistema", "SIGES"),
                ("field.usuario", ""),
            ],
        )
        .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = response.text().await.expect("body");
        assert!(html.contains("value=\"Clave del sistema\""), "{html}");
        assert!(html.contains(">Mi descripción</textarea>"));
        assert!(html.contains("value=\"SIGES\""));
        let input = element(&html, "field-usuario");
        assert!(input.contains("aria-invalid=\"true\""), "{html}");
        let error = element(&html, "field-usuario-error");
        assert!(error.contains("Es obligatorio."), "{error}");
        assert!(html.contains("aria-describedby=\"field-usuario-error\""));
        assert!(!element(&html, "field-sistema").contains("aria-invalid"));

        // An empty title, too, beside the title.
        let response = post(
            app,
            &client,
            "/requests",
            &[
                ("csrf_token", &token),
                ("category", "reinicio_clave"),
                ("title", " "),
                ("description", "Mi descripción"),
                ("field.sistema", "SIGES"),
                ("field.usuario", "yo"),
            ],
        )
        .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = response.text().await.expect("body");
        assert!(
            element(&html, "title-error").contains("Es obligatorio."),
            "{html}"
        );

        // An unknown category, beside the category.
        let response = post(
            app,
            &client,
            "/requests",
            &[
                ("csrf_token", &token),
                ("category", "no_existe"),
                ("title", "Algo"),
                ("description", "Algo más"),
            ],
        )
        .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = response.text().await.expect("body");
        assert!(
            element(&html, "category-error").contains("No existe."),
            "{html}"
        );

        // No category at all: it is required.
        let response = post(
            app,
            &client,
            "/requests",
            &[
                ("csrf_token", &token),
                ("title", "Algo"),
                ("description", "Algo más"),
            ],
        )
        .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = response.text().await.expect("body");
        assert!(
            element(&html, "category-error").contains("Es obligatorio."),
            "{html}"
        );

        assert_eq!(app.ticket_count(&people.dispatcher).await, before);
    })
    .await;
}

#[tokio::test]
async fn a_request_without_the_form_token_is_refused_and_creates_nothing() {
    each_backend(async |app| {
        let people = app.people().await;
        let before = app.ticket_count(&people.dispatcher).await;
        let client = browser();
        sign_in(app, &client, "solicitante").await;
        let response = post(
            app,
            &client,
            "/requests",
            &[
                ("category", "reinicio_clave"),
                ("title", "Falsificada"),
                ("description", "Sin token"),
                ("field.sistema", "Correo"),
                ("field.usuario", "aperez"),
            ],
        )
        .await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        assert_eq!(app.ticket_count(&people.dispatcher).await, before);
    })
    .await;
}

#[tokio::test]
async fn a_requester_sees_neither_anothers_request_nor_internal_notes() {
    each_backend(async |app| {
        let people = app.people().await;
        let other = app.add_user("otra", &[sau_domain::Role::Requester]).await;
        let theirs = app
            .submit_number(&other, "telefonia", "El teléfono de otra persona")
            .await;
        let mine = app
            .submit_number(&people.requester, "telefonia", "Mi teléfono")
            .await;
        app.ok(
            &people.dispatcher,
            &mine,
            "assign",
            json!({"technician": "tecnico"}),
        )
        .await;
        app.ok(
            &people.technician,
            &mine,
            "entries",
            json!({"body": "Nota interna secreta", "visibility": "internal"}),
        )
        .await;
        app.ok(
            &people.technician,
            &mine,
            "entries",
            json!({"body": "Paso mañana a revisarlo", "visibility": "public"}),
        )
        .await;

        let client = browser();
        sign_in(app, &client, "solicitante").await;
        let (status, html) = get(app, &client, &format!("/requests/{theirs}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(html.contains("No encontrado"), "{html}");
        assert!(!html.contains("El teléfono de otra persona"));

        let (status, html) = get(app, &client, &format!("/requests/{mine}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("Paso mañana a revisarlo"), "{html}");
        assert!(!html.contains("Nota interna secreta"), "{html}");
        assert!(html.contains("badge state-assigned"));

        // An agent looking at the requester's page sees only public content too.
        let agent = browser();
        sign_in(app, &agent, "tecnico").await;
        let (status, html) = get(app, &agent, &format!("/requests/{mine}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("Paso mañana a revisarlo"));
        assert!(!html.contains("Nota interna secreta"));
    })
    .await;
}

#[tokio::test]
async fn a_reply_appears_on_the_page() {
    each_backend(async |app| {
        let people = app.people().await;
        let n = app
            .submit_number(&people.requester, "telefonia", "Sin línea")
            .await;
        let client = browser();
        let token = sign_in(app, &client, "solicitante").await;
        let path = format!("/requests/{n}/reply");
        let response = post(
            app,
            &client,
            &path,
            &[("csrf_token", &token), ("body", "Sigue sin funcionar")],
        )
        .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&response), format!("/requests/{n}"));
        let (_, html) = get(app, &client, &format!("/requests/{n}")).await;
        assert!(html.contains("Sigue sin funcionar"), "{html}");

        // An empty reply comes back with the problem beside the box.
        let response = post(
            app,
            &client,
            &path,
            &[("csrf_token", &token), ("body", "  ")],
        )
        .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = response.text().await.expect("body");
        assert!(
            element(&html, "reply-error").contains("Es obligatorio."),
            "{html}"
        );

        // Without the form token: refused, nothing added.
        let response = post(app, &client, &path, &[("body", "Falsificada")]).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        let (_, html) = get(app, &client, &format!("/requests/{n}")).await;
        assert!(!html.contains("Falsificada"));
    })
    .await;
}

#[tokio::test]
async fn a_closed_request_shows_its_resolution_and_can_be_reopened_within_the_window() {
    each_backend(async |app| {
        let people = app.people().await;
        let n = app.closed_ticket(&people, "soporte_equipo").await;
        let client = browser();
        let token = sign_in(app, &client, "solicitante").await;
        let (status, html) = get(app, &client, &format!("/requests/{n}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("badge state-closed"));
        assert!(html.contains("Solución"), "{html}");
        assert!(html.contains("Listo"));
        assert!(html.contains("Presencial"));
        assert!(
            !html.contains("/reply\""),
            "no reply form on a closed request"
        );
        assert!(html.contains(&format!("action=\"/requests/{n}/reopen\"")));

        let response = post(
            app,
            &client,
            &format!("/requests/{n}/reopen"),
            &[("csrf_token", &token), ("reason", "Volvió a fallar")],
        )
        .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let (_, html) = get(app, &client, &format!("/requests/{n}")).await;
        // Back in the dispatcher's queue: the requester sees it received again.
        assert!(html.contains("badge state-new"), "{html}");
        assert!(!html.contains("/reopen\""));
        assert!(html.contains("/reply\""));

        // Reopening what is not closed is refused on the page, with why.
        let response = post(
            app,
            &client,
            &format!("/requests/{n}/reopen"),
            &[("csrf_token", &token), ("reason", "Otra vez")],
        )
        .await;
        assert_eq!(response.status(), StatusCode::CONFLICT);
        let html = response.text().await.expect("body");
        assert!(html.contains("alert-danger"), "{html}");
    })
    .await;
}

#[tokio::test]
async fn reopening_after_the_window_is_refused_with_the_reason() {
    crate::support::each_backend_with(
        |b| b.requester_reopen_days(0),
        async |app| {
            let people = app.people().await;
            let n = app.closed_ticket(&people, "telefonia").await;
            let client = browser();
            let token = sign_in(app, &client, "solicitante").await;
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            let response = post(
                app,
                &client,
                &format!("/requests/{n}/reopen"),
                &[("csrf_token", &token), ("reason", "Tarde")],
            )
            .await;
            assert_eq!(
                response.status(),
                StatusCode::FORBIDDEN,
                "as the API answers"
            );
            let html = response.text().await.expect("body");
            assert!(
                html.contains("El plazo para reabrir este ticket ya venció."),
                "{html}"
            );
            assert!(
                !html.contains("/reopen\""),
                "the page no longer offers to reopen: {html}"
            );
            let (status, html) = get(app, &client, &format!("/requests/{n}")).await;
            assert_eq!(status, StatusCode::OK);
            assert!(
                !html.contains("/reopen\""),
                "a request past its reopen window offers no reopen form: {html}"
            );
        },
    )
    .await;
}

#[tokio::test]
async fn the_pages_speak_the_users_language() {
    each_backend(async |app| {
        app.service
            .create_user(
                &sau_service::Caller::System,
                sau_service::NewUserInput {
                    login: "english".to_owned(),
                    display_name: "English Speaker".to_owned(),
                    email: None,
                    department: Some("DF".to_owned()),
                    roles: sau_domain::Roles::of(&[sau_domain::Role::Requester]),
                    locale: "en".to_owned(),
                    password: Some("english-clave-segura".to_owned()),
                },
            )
            .await
            .expect("an English-speaking user");
        let people = app.people().await;
        let theirs = app
            .submit_number(&people.requester, "telefonia", "Ajeno")
            .await;
        let client = browser();
        sign_in_with(app, &client, "english", "english-clave-segura").await;
        let (status, html) = get(app, &client, &format!("/requests/{theirs}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(html.contains("Not found"), "{html}");
        let (_, html) = get(app, &client, "/requests/new?category=telefonia").await;
        assert!(html.contains("Password reset"), "{html}");
        assert!(html.contains(">Extension"), "{html}");
        assert!(html.contains("Repair"));
        assert!(
            html.contains("<option value=\"3\" selected>3 — Normal</option>"),
            "{html}"
        );
        assert!(html.contains(">5 — Very high</option>"), "{html}");
    })
    .await;
}

#[tokio::test]
async fn the_requester_answers_whether_it_was_solved_and_the_dispatcher_sees_it_before_closing() {
    each_backend(async |app| {
        let people = app.people().await;
        let n = app.resolved_ticket(&people, "soporte_equipo").await;
        // Only the requester answers, and only while resolved.
        app.command(&people.dispatcher, &n, "confirm", json!({"solved": true}))
            .await
            .expect_error(403, "not_allowed");
        let open = app
            .submit_number(&people.requester, "telefonia", "Sin tono")
            .await;
        app.command(&people.requester, &open, "confirm", json!({"solved": "sí"}))
            .await
            .expect_error(409, "invalid_transition");

        let client = browser();
        let token = sign_in(app, &client, "solicitante").await;
        let (_, html) = get(app, &client, &format!("/requests/{n}")).await;
        assert!(
            html.contains(&format!("action=\"/requests/{n}/confirm\"")),
            "{}: {html}",
            app.backend
        );
        assert!(html.contains("data-action=\"confirm-no\""), "{html}");

        let response = post(
            app,
            &client,
            &format!("/requests/{n}/confirm"),
            &[
                ("csrf_token", &token),
                ("solved", "no"),
                ("comment", "La impresora sigue sin imprimir"),
            ],
        )
        .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let (_, html) = get(app, &client, &format!("/requests/{n}")).await;
        assert!(
            html.contains("Usted respondió: <strong>no, sigue el problema</strong>"),
            "{html}"
        );
        assert!(
            html.contains("La impresora sigue sin imprimir"),
            "the comment joins the conversation: {html}"
        );
        let ticket = app.ticket(&people.dispatcher, &n).await;
        assert_eq!(ticket["confirmed"], false, "{ticket}");
        assert_eq!(ticket["state"], "resolved");

        // The dispatcher reads it on the queue, next to the resolution.
        let dispatcher = browser();
        sign_in(app, &dispatcher, "soporte").await;
        let (_, queue) = get(app, &dispatcher, "/queue").await;
        let row = crate::browser::row_of(&queue, &n);
        assert!(
            row.contains("badge confirmed-no\">No se resolvió, según el solicitante"),
            "{row}"
        );
        assert!(row.contains("La impresora sigue sin imprimir"), "{row}");

        // Returned and resolved again, the question is asked anew; yes this time.
        app.ok(
            &people.dispatcher,
            &n,
            "return",
            json!({"reason": "Revisar el rodillo"}),
        )
        .await;
        let t = app
            .ok(
                &people.technician,
                &n,
                "resolve",
                json!({"resolution": "Rodillo cambiado", "attention_mode": "in_person"}),
            )
            .await;
        assert!(t["confirmed"].is_null(), "{t}");
        let t = app
            .ok(&people.requester, &n, "confirm", json!({"solved": "yes"}))
            .await;
        assert_eq!(t["confirmed"], true, "{t}");
        let (_, page) = get(app, &dispatcher, &format!("/tickets/{n}")).await;
        assert!(page.contains("badge confirmed-yes"), "{page}");
    })
    .await;
}
