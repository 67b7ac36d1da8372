//! The administrator's pages over real HTTP: users, categories and their fields,
//! the time target, who may use them, and forms that come back with problems.

use crate::browser::{answer, browser, sign_in, sign_in_with};
use crate::support::{TestApp, each_backend};
use reqwest::StatusCode;
use sau_domain::Role;

/// The admin pages, each of which only an admin may see.
const PAGES: [&str; 10] = [
    "/admin",
    "/admin/users",
    "/admin/users/solicitante",
    "/admin/departments",
    "/admin/queues",
    "/admin/categories",
    "/admin/categories/telefonia",
    "/admin/settings",
    "/admin/jobs",
    "/admin/calendars",
];

async fn get(app: &TestApp, client: &reqwest::Client, path: &str) -> (StatusCode, String) {
    let response = client.get(app.url(path)).send().await.expect("GET");
    let status = response.status();
    (status, response.text().await.expect("body"))
}

/// Posts a form; returns the status, the `Location` (if any) and the body.
async fn post(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    fields: &[(&str, &str)],
) -> (StatusCode, String, String) {
    let (status, location, body) = answer(
        client
            .post(app.url(path))
            .form(fields)
            .send()
            .await
            .expect("POST"),
    )
    .await;
    (status, location.unwrap_or_default(), body)
}

/// A signed-in browser for `login` (password = login) and its form token.
async fn signed_in(app: &TestApp, login: &str) -> (reqwest::Client, String) {
    let client = browser();
    let token = sign_in(app, &client, login).await;
    (client, token)
}

#[tokio::test]
async fn every_admin_page_opens_for_the_admin_with_its_link_in_the_navigation() {
    each_backend(async |app| {
        let (client, _) = signed_in(app, "admin").await;
        for path in PAGES {
            let (status, html) = get(app, &client, path).await;
            assert_eq!(status, StatusCode::OK, "{path} ({}): {html}", app.backend);
            assert!(html.contains("href=\"/admin\""), "{path}: nav link");
        }
        let (_, users) = get(app, &client, "/admin/users").await;
        assert!(users.contains("Ana Solicitante"), "{users}");
        let (_, departments) = get(app, &client, "/admin/departments").await;
        assert!(
            departments.contains("Dirección Financiera"),
            "{departments}"
        );
        let (_, queues) = get(app, &client, "/admin/queues").await;
        assert!(queues.contains("Soporte Técnico"), "{queues}");
        let (_, category) = get(app, &client, "/admin/categories/telefonia").await;
        assert!(category.contains("id=\"field-tarea\""), "{category}");
        let (status, _) = get(app, &client, "/admin/categories/nada").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = get(app, &client, "/admin/users/nadie").await;
        assert_eq!(status, StatusCode::NOT_FOUND);

        let (requester, _) = signed_in(app, "solicitante").await;
        let (_, home) = get(app, &requester, "/").await;
        assert!(
            !home.contains("href=\"/admin\""),
            "no admin link for others"
        );
    })
    .await;
}

#[tokio::test]
async fn an_admin_creates_a_user_who_can_then_sign_in() {
    each_backend(async |app| {
        let (client, token) = signed_in(app, "admin").await;
        let (status, location, body) = post(
            app,
            &client,
            "/admin/users",
            &[
                ("csrf_token", &token),
                ("login", "mlopez"),
                ("display_name", "María López"),
                ("email", "mlopez@sau.example"),
                ("department", "DF"),
                ("role", "technician"),
                ("role", "requester"),
                ("locale", "en"),
                ("password", "una-clave-larga"),
            ],
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{}: {body}", app.backend);
        assert_eq!(location, "/admin/users/mlopez?done=created");
        let (_, page) = get(app, &client, &location).await;
        assert!(page.contains("María López") && page.contains("id=\"admin-notice\""));

        let newcomer = browser();
        sign_in_with(app, &newcomer, "mlopez", "una-clave-larga").await;
        let (status, home) = get(app, &newcomer, "/").await;
        assert_eq!(status, StatusCode::OK);
        assert!(home.contains("<html lang=\"en\">"), "{home}");
        let user = app
            .service
            .store()
            .find_user("mlopez")
            .await
            .expect("store")
            .expect("created");
        assert!(user.roles.has(Role::Technician) && user.roles.has(Role::Requester));
        assert!(!user.roles.has(Role::Admin));
    })
    .await;
}

#[tokio::test]
async fn an_admin_changes_roles_resets_a_password_and_deactivates_a_user() {
    each_backend(async |app| {
        let (client, token) = signed_in(app, "admin").await;
        let (status, location, _) = post(
            app,
            &client,
            "/admin/users/solicitante/roles",
            &[
                ("csrf_token", &token),
                ("role", "requester"),
                ("role", "dispatcher"),
            ],
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{}", app.backend);
        assert_eq!(location, "/admin/users/solicitante?done=roles");
        let before_reset = browser();
        sign_in_with(app, &before_reset, "solicitante", "solicitante").await;
        let (status, _, _) = post(
            app,
            &client,
            "/admin/users/solicitante/password",
            &[("csrf_token", &token), ("password", "clave-nueva-larga")],
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let (status, _) = get(app, &before_reset, "/").await;
        assert_eq!(
            status,
            StatusCode::SEE_OTHER,
            "a reset ends the person's sessions"
        );
        let person = browser();
        sign_in_with(app, &person, "solicitante", "clave-nueva-larga").await;
        let (status, _) = get(app, &person, "/queue").await;
        assert_eq!(
            status,
            StatusCode::OK,
            "the new role opens the triage queue"
        );

        let (status, _, _) = post(
            app,
            &client,
            "/admin/users/solicitante/active",
            &[("csrf_token", &token), ("active", "false")],
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        // The deactivated person's session ends: the next page asks to sign in.
        let (status, _) = get(app, &person, "/").await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let (_, page) = get(app, &client, "/admin/users/solicitante").await;
        assert!(page.contains("Reactivar usuario"), "{page}");
        let (status, _, _) = post(
            app,
            &client,
            "/admin/users/solicitante/active",
            &[("csrf_token", &token), ("active", "true")],
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        sign_in_with(app, &browser(), "solicitante", "clave-nueva-larga").await;
    })
    .await;
}

#[tokio::test]
async fn the_admin_cannot_lock_themselves_out() {
    each_backend(async |app| {
        let (client, token) = signed_in(app, "admin").await;
        let (status, _, html) = post(
            app,
            &client,
            "/admin/users/admin/roles",
            &[("csrf_token", &token), ("role", "supervisor")],
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{}", app.backend);
        assert!(
            html.contains("No puede quitarse su propio rol de administrador"),
            "{html}"
        );
        // The box as sent stays ticked, the one taken away stays unticked.
        assert!(html.contains("value=\"supervisor\" checked"), "{html}");
        assert!(!html.contains("value=\"admin\" checked"), "{html}");
        let (status, _, html) = post(
            app,
            &client,
            "/admin/users/admin/active",
            &[("csrf_token", &token), ("active", "false")],
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            html.contains("No puede desactivar su propia cuenta"),
            "{html}"
        );
        let me = app
            .service
            .store()
            .find_user("admin")
            .await
            .expect("store")
            .expect("admin");
        assert!(me.active && me.roles.has(Role::Admin));
        let (status, _) = get(app, &client, "/admin").await;
        assert_eq!(status, StatusCode::OK);
    })
    .await;
}

#[tokio::test]
async fn others_get_403_on_every_admin_page_and_form_and_nothing_changes() {
    each_backend(async |app| {
        for login in ["solicitante", "soporte", "tecnico", "director"] {
            let (client, token) = signed_in(app, login).await;
            for path in PAGES {
                let (status, html) = get(app, &client, path).await;
                assert_eq!(status, StatusCode::FORBIDDEN, "{login} {path}");
                assert!(
                    html.contains("Acceso restringido"),
                    "{login} {path}: {html}"
                );
            }
            let posts: [(&str, Vec<(&str, &str)>); 5] = [
                (
                    "/admin/users",
                    vec![
                        ("login", "intruso"),
                        ("display_name", "Intruso"),
                        ("role", "admin"),
                        ("locale", "es"),
                        ("password", "una-clave-larga"),
                    ],
                ),
                ("/admin/users/solicitante/roles", vec![("role", "admin")]),
                ("/admin/settings", vec![("target_minutes", "99")]),
                (
                    "/admin/categories/telefonia/active",
                    vec![("active", "false")],
                ),
                (
                    "/admin/categories/telefonia/fields",
                    vec![
                        ("key", "intruso"),
                        ("label_es", "X"),
                        ("label_en", "X"),
                        ("kind", "text"),
                    ],
                ),
            ];
            for (path, mut fields) in posts {
                fields.push(("csrf_token", &token));
                let (status, _, _) = post(app, &client, path, &fields).await;
                assert_eq!(status, StatusCode::FORBIDDEN, "{login} POST {path}");
            }
        }
        let store = app.service.store();
        assert!(store.find_user("intruso").await.expect("store").is_none());
        let solicitante = store
            .find_user("solicitante")
            .await
            .expect("store")
            .expect("user");
        assert!(!solicitante.roles.has(Role::Admin));
        assert_eq!(app.service.target_minutes().await.expect("target"), 25);
        let telefonia = store
            .list_categories()
            .await
            .expect("categories")
            .into_iter()
            .find(|c| c.key == "telefonia")
            .expect("telefonia");
        assert!(telefonia.active);
        assert_eq!(telefonia.fields.len(), 2);

        // Visitors are sent to sign in.
        let (status, _) = get(app, &browser(), "/admin/users").await;
        assert_eq!(status, StatusCode::SEE_OTHER);
    })
    .await;
}

#[tokio::test]
async fn admin_forms_without_the_right_form_token_are_refused() {
    each_backend(async |app| {
        let (client, _) = signed_in(app, "admin").await;
        for fields in [
            vec![("target_minutes", "50")],
            vec![("target_minutes", "50"), ("csrf_token", "forged")],
        ] {
            let (status, _, _) = post(app, &client, "/admin/settings", &fields).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{}: {fields:?}", app.backend);
        }
        // Another session's token is no better.
        let (_, other_token) = signed_in(app, "admin").await;
        let (status, _, _) = post(
            app,
            &client,
            "/admin/settings",
            &[("target_minutes", "50"), ("csrf_token", &other_token)],
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_eq!(app.service.target_minutes().await.expect("target"), 25);
    })
    .await;
}

#[tokio::test]
async fn a_required_field_added_by_the_admin_is_asked_and_enforced_on_new_requests() {
    each_backend(async |app| {
        let (admin, token) = signed_in(app, "admin").await;
        let (status, location, body) = post(
            app,
            &admin,
            "/admin/categories/reinicio_clave/fields",
            &[
                ("csrf_token", &token),
                ("key", "sala"),
                ("label_es", "Sala de reuniones"),
                ("label_en", "Meeting room"),
                ("kind", "text"),
                ("required", "true"),
            ],
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{}: {body}", app.backend);
        assert_eq!(location, "/admin/categories/reinicio_clave?done=saved");

        let (requester, req_token) = signed_in(app, "solicitante").await;
        let (_, form) = get(app, &requester, "/requests/new?category=reinicio_clave").await;
        assert!(form.contains("Sala de reuniones"), "{form}");
        assert!(form.contains("name=\"field.sala\""), "{form}");
        let mut request = vec![
            ("csrf_token", req_token.as_str()),
            ("category", "reinicio_clave"),
            ("title", "Clave del correo"),
            ("description", "Olvidé la clave"),
            ("field.sistema", "Correo"),
            ("field.usuario", "aperez"),
        ];
        let (status, _, html) = post(app, &requester, "/requests", &request).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
        assert!(html.contains("id=\"field-sala-error\""), "{html}");
        request.push(("field.sala", "B-3"));
        let (status, location, _) = post(app, &requester, "/requests", &request).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        assert!(location.starts_with("/requests/"), "{location}");

        // Moved first, it is asked first; retired, it is no longer asked.
        let (status, _, _) = post(
            app,
            &admin,
            "/admin/categories/reinicio_clave/fields/sala/move",
            &[("csrf_token", &token), ("direction", "up")],
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let (_, form) = get(app, &requester, "/requests/new?category=reinicio_clave").await;
        let position = |key: &str| form.find(&format!("name=\"field.{key}\"")).expect(key);
        assert!(position("sala") < position("usuario"), "{form}");
        let (status, _, _) = post(
            app,
            &admin,
            "/admin/categories/reinicio_clave/fields/sala/active",
            &[("csrf_token", &token), ("active", "false")],
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let (_, form) = get(app, &requester, "/requests/new?category=reinicio_clave").await;
        assert!(!form.contains("name=\"field.sala\""), "{form}");

        // The request made before keeps its value, under the field's label.
        let (_, page) = get(app, &requester, &location).await;
        assert!(page.contains("Sala de reuniones"), "{page}");
        assert!(page.contains("B-3"));
        let number = location
            .trim_start_matches("/requests/")
            .trim_end_matches("?sent=1");
        let (dispatcher, _) = signed_in(app, "soporte").await;
        let (_, page) = get(app, &dispatcher, &format!("/tickets/{number}")).await;
        assert!(page.contains("Sala de reuniones"), "{page}");
        assert!(page.contains("B-3"));
    })
    .await;
}

#[tokio::test]
async fn a_deactivated_category_is_hidden_from_requesters() {
    each_backend(async |app| {
        let (requester, req_token) = signed_in(app, "solicitante").await;
        let (_, form) = get(app, &requester, "/requests/new").await;
        assert!(form.contains("value=\"telefonia\""), "{form}");

        let (admin, token) = signed_in(app, "admin").await;
        let (status, location, _) = post(
            app,
            &admin,
            "/admin/categories/telefonia/active",
            &[("csrf_token", &token), ("active", "false")],
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{}", app.backend);
        assert_eq!(location, "/admin/categories?done=saved");

        let (_, form) = get(app, &requester, "/requests/new").await;
        assert!(!form.contains("value=\"telefonia\""), "{form}");
        let (status, _, _) = post(
            app,
            &requester,
            "/requests",
            &[
                ("csrf_token", &req_token),
                ("category", "telefonia"),
                ("title", "Extensión"),
                ("description", "No funciona"),
                ("field.extension", "2301"),
                ("field.tarea", "reparacion"),
            ],
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        // The admin still lists it, to activate it again.
        let (_, list) = get(app, &admin, "/admin/categories").await;
        assert!(list.contains("/admin/categories/telefonia\""), "{list}");
        let (status, _, _) = post(
            app,
            &admin,
            "/admin/categories/telefonia/active",
            &[("csrf_token", &token), ("active", "true")],
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let (_, form) = get(app, &requester, "/requests/new").await;
        assert!(form.contains("value=\"telefonia\""), "{form}");
    })
    .await;
}

#[tokio::test]
async fn the_time_target_set_by_the_admin_is_what_ticket_pages_measure_against() {
    each_backend(async |app| {
        let requester = app.login("solicitante").await;
        let number = app
            .submit_number(&requester, "telefonia", "Extensión sin tono")
            .await;
        let (agent, _) = signed_in(app, "soporte").await;
        let ticket = format!("/tickets/{number}");
        let (_, html) = get(app, &agent, &ticket).await;
        assert!(html.contains("de una meta de 25 min"), "{html}");

        let (admin, token) = signed_in(app, "admin").await;
        let (_, settings) = get(app, &admin, "/admin/settings").await;
        assert!(settings.contains("value=\"25\""), "{settings}");
        let (status, location, _) = post(
            app,
            &admin,
            "/admin/settings",
            &[("csrf_token", &token), ("target_minutes", "40")],
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{}", app.backend);
        assert_eq!(location, "/admin/settings?done=saved");
        assert_eq!(app.service.target_minutes().await.expect("target"), 40);
        let (_, html) = get(app, &agent, &ticket).await;
        assert!(html.contains("de una meta de 40 min"), "{html}");

        for bad in ["0", "1441", "veinte"] {
            let (status, _, html) = post(
                app,
                &admin,
                "/admin/settings",
                &[("csrf_token", &token), ("target_minutes", bad)],
            )
            .await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
            assert!(html.contains(&format!("value=\"{bad}\"")), "{bad}: {html}");
            assert!(
                html.contains("id=\"settings-target_minutes-error\""),
                "{html}"
            );
        }
        assert_eq!(app.service.target_minutes().await.expect("target"), 40);
    })
    .await;
}

#[tokio::test]
async fn invalid_admin_forms_come_back_with_422_the_input_kept_and_messages_by_field() {
    each_backend(async |app| {
        let (client, token) = signed_in(app, "admin").await;
        let (status, _, html) = post(
            app,
            &client,
            "/admin/users",
            &[
                ("csrf_token", &token),
                ("login", "con espacio"),
                ("display_name", "María López"),
                ("email", "maria@sau.example"),
                ("role", "technician"),
                ("locale", "es"),
                ("password", ""),
            ],
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{}", app.backend);
        assert!(html.contains("value=\"con espacio\""), "{html}");
        assert!(html.contains("value=\"María López\""), "{html}");
        assert!(html.contains("id=\"create-login-error\""), "{html}");
        assert!(html.contains("id=\"create-role-technician\" value=\"technician\" checked"));
        assert!(!html.contains("id=\"create-role-requester\" value=\"requester\" checked"));

        let (status, _, html) = post(
            app,
            &client,
            "/admin/users",
            &[
                ("csrf_token", &token),
                ("login", "soporte"),
                ("display_name", "Otro"),
                ("locale", "es"),
            ],
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(html.contains("Ya existe; elija otro."), "{html}");

        let (status, _, html) = post(
            app,
            &client,
            "/admin/categories",
            &[
                ("csrf_token", &token),
                ("key", "Préstamo"),
                ("name_es", "Préstamo de equipo"),
                ("name_en", ""),
                ("default_priority", "3"),
                ("queue", "soporte"),
                ("attachment_required", "true"),
            ],
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(html.contains("value=\"Préstamo de equipo\""), "{html}");
        assert!(html.contains("id=\"create-key-error\""), "{html}");
        assert!(html.contains("id=\"create-name_en-error\""), "{html}");
        assert!(html.contains("name=\"attachment_required\" value=\"true\" checked"));

        let (status, _, html) = post(
            app,
            &client,
            "/admin/categories/telefonia/fields/tarea",
            &[
                ("csrf_token", &token),
                ("label_es", ""),
                ("label_en", "Task"),
                ("options", "\n \n"),
            ],
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(html.contains("id=\"field-tarea-label_es-error\""), "{html}");
        assert!(html.contains("id=\"field-tarea-options-error\""), "{html}");
        assert!(html.contains("<details class=\"mt-2\" open>"), "{html}");

        // No role at all is a missing choice, not the admin's own lock-out.
        let (status, _, html) = post(
            app,
            &client,
            "/admin/users/solicitante/roles",
            &[("csrf_token", &token)],
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(html.contains("id=\"roles-roles-error\""), "{html}");
        assert!(!html.contains("No puede quitarse"), "{html}");

        let (status, _, html) = post(
            app,
            &client,
            "/admin/departments/DF",
            &[("csrf_token", &token), ("name", "  ")],
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(html.contains("id=\"rename-DF-name-error\""), "{html}");
        // Nothing was stored.
        assert!(
            app.service
                .store()
                .find_user("con espacio")
                .await
                .expect("store")
                .is_none()
        );
    })
    .await;
}

#[tokio::test]
async fn an_admin_creates_and_edits_a_category_with_a_choice_field() {
    each_backend(async |app| {
        let (client, token) = signed_in(app, "admin").await;
        let (status, location, body) = post(
            app,
            &client,
            "/admin/categories",
            &[
                ("csrf_token", &token),
                ("key", "proyector"),
                ("name_es", "Préstamo de proyector"),
                ("name_en", "Projector loan"),
                ("description_es", "Para reuniones"),
                ("description_en", "For meetings"),
                ("default_priority", "2"),
                ("queue", "soporte"),
            ],
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{}: {body}", app.backend);
        assert_eq!(location, "/admin/categories/proyector?done=created");
        let (status, _, body) = post(
            app,
            &client,
            "/admin/categories/proyector/fields",
            &[
                ("csrf_token", &token),
                ("key", "sala"),
                ("label_es", "Sala"),
                ("label_en", "Room"),
                ("kind", "choice"),
                ("options", "Sala A | Room A\r\nSala B\r\n"),
                ("required", "true"),
            ],
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
        let (status, _, _) = post(
            app,
            &client,
            "/admin/categories/proyector",
            &[
                ("csrf_token", &token),
                ("name_es", "Préstamo de proyector y pantalla"),
                ("name_en", "Projector and screen loan"),
                ("description_es", ""),
                ("description_en", ""),
                ("default_priority", "4"),
                ("queue", "soporte"),
            ],
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER);

        let (requester, _) = signed_in(app, "solicitante").await;
        let (_, form) = get(app, &requester, "/requests/new?category=proyector").await;
        assert!(form.contains("Préstamo de proyector y pantalla"), "{form}");
        // Keys from the Spanish labels; each label in the reader's language.
        assert!(
            form.contains("<option value=\"sala_a\">Sala A</option>"),
            "{form}"
        );
        assert!(
            form.contains("<option value=\"sala_b\">Sala B</option>"),
            "{form}"
        );
        assert!(form.contains("value=\"4\" selected"), "{form}");
        // The API gives the keys and both labels.
        let token = app.login("solicitante").await;
        let categories = app.get(&token, "/api/v1/categories").await.expect(200);
        let sala = categories["categories"]
            .as_array()
            .and_then(|all| all.iter().find(|c| c["key"] == "proyector"))
            .map(|c| c["fields"][0].clone())
            .expect("the projector's field");
        assert_eq!(
            sala["options"],
            serde_json::json!(["sala_a", "sala_b"]),
            "{sala}"
        );
        assert_eq!(sala["labels"][0]["en"], "Room A", "{sala}");
        let (_, setup) = get(app, &client, "/admin/categories/proyector").await;
        assert!(
            setup.contains("Sala A | Room A\nSala B | Sala B"),
            "{setup}"
        );
    })
    .await;
}

#[tokio::test]
async fn departments_and_queues_are_created_renamed_and_switched_off_from_their_pages() {
    each_backend(async |app| {
        let (client, token) = signed_in(app, "admin").await;
        for (base, id_field, id) in [
            ("/admin/departments", "code", "DRE"),
            ("/admin/queues", "key", "redes"),
        ] {
            let create = [
                ("csrf_token", token.as_str()),
                (id_field, id),
                ("name", "Redes y comunicaciones"),
            ];
            let (status, location, _) = post(app, &client, base, &create).await;
            assert_eq!(status, StatusCode::SEE_OTHER, "{base}");
            assert_eq!(location, format!("{base}?done=saved"));
            let (_, html) = get(app, &client, base).await;
            assert!(html.contains("Redes y comunicaciones"), "{html}");

            // The same identifier again: refused next to it, the input kept.
            let (status, _, html) = post(app, &client, base, &create).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{base}");
            assert!(
                html.contains(&format!("id=\"create-{id_field}-error\"")),
                "{html}"
            );

            let (status, _, _) = post(
                app,
                &client,
                &format!("{base}/{id}"),
                &[("csrf_token", token.as_str()), ("name", "Redes")],
            )
            .await;
            assert_eq!(status, StatusCode::SEE_OTHER);
            let (status, _, _) = post(
                app,
                &client,
                &format!("{base}/{id}/active"),
                &[("csrf_token", token.as_str()), ("active", "false")],
            )
            .await;
            assert_eq!(status, StatusCode::SEE_OTHER);
            let (_, html) = get(app, &client, base).await;
            let row = html
                .split("<tr>")
                .find(|row| row.contains(&format!("<code>{id}</code>")))
                .expect("the row");
            assert!(row.contains("value=\"Redes\""), "{row}");
            assert!(
                row.contains("name=\"active\" value=\"true\""),
                "switched off: {row}"
            );
        }
        let departments = app.service.store().list_departments().await.expect("store");
        let dre = departments.iter().find(|d| d.code == "DRE").expect("DRE");
        assert_eq!((dre.name.as_str(), dre.active), ("Redes", false));
        let queues = app.service.store().list_queues().await.expect("store");
        let redes = queues.iter().find(|q| q.key == "redes").expect("redes");
        assert_eq!((redes.name.as_str(), redes.active), ("Redes", false));
    })
    .await;
}
