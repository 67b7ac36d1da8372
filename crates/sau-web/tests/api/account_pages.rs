//! The account pages over real HTTP: the profile page (language, password), sign-in
//! throttling, and the pages for unknown paths.

use crate::browser::{browser, form_token, post_form};
use crate::support::{TestApp, each_backend};
use reqwest::{Method, StatusCode};

/// The form token of a fresh session, from the sign-in page.
async fn login_token(app: &TestApp, client: &reqwest::Client) -> String {
    let response = client
        .get(app.url("/login"))
        .send()
        .await
        .expect("GET /login");
    assert_eq!(response.status(), StatusCode::OK);
    form_token(&response.text().await.expect("body"))
}

/// Posts the sign-in form as if from `address` (the server trusts
/// `X-Forwarded-For` from a loopback peer, as behind a local reverse proxy).
async fn try_sign_in(
    app: &TestApp,
    client: &reqwest::Client,
    token: &str,
    address: &str,
    login: &str,
    password: &str,
) -> reqwest::Response {
    client
        .post(app.url("/login"))
        .header("x-forwarded-for", address)
        .form(&[
            ("login", login),
            ("password", password),
            ("csrf_token", token),
        ])
        .send()
        .await
        .expect("POST /login")
}

/// Signs in and returns the form token of the signed-in session.
async fn sign_in(app: &TestApp, client: &reqwest::Client, login: &str, password: &str) -> String {
    let token = login_token(app, client).await;
    let response = try_sign_in(app, client, &token, "192.0.2.1", login, password).await;
    assert_eq!(
        response.status(),
        StatusCode::SEE_OTHER,
        "sign in as {login}"
    );
    page(app, client, "/profile").await.1
}

/// GETs a page: its status and, for HTML, its form token and body.
async fn page(app: &TestApp, client: &reqwest::Client, path: &str) -> (StatusCode, String, String) {
    let response = client.get(app.url(path)).send().await.expect("GET");
    let status = response.status();
    let html = response.text().await.expect("body");
    let token = if html.contains("name=\"csrf-token\"") {
        form_token(&html)
    } else {
        String::new()
    };
    (status, token, html)
}

#[tokio::test]
async fn the_profile_shows_who_you_are_and_switching_language_makes_pages_english() {
    each_backend(async |app| {
        let client = browser();
        let token = sign_in(app, &client, "solicitante", "solicitante").await;
        let (status, _, html) = page(app, &client, "/profile").await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("<html lang=\"es\">"), "{html}");
        assert!(html.contains("solicitante") && html.contains("Ana Solicitante"));
        assert!(html.contains("<dt class=\"col-sm-3\">Roles</dt>"), "{html}");
        assert!(html.contains("value=\"es\" checked"), "{html}");

        let refused = post_form(
            app,
            &client,
            "/profile/language",
            &[("locale", "fr"), ("csrf_token", &token)],
        )
        .await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = refused.text().await.expect("body");
        assert!(html.contains("id=\"locale-error\""), "{html}");

        let saved = post_form(
            app,
            &client,
            "/profile/language",
            &[("locale", "en"), ("csrf_token", &token)],
        )
        .await;
        assert_eq!(saved.status(), StatusCode::SEE_OTHER);
        assert_eq!(saved.headers()["location"], "/profile?done=language");
        let (_, _, html) = page(app, &client, "/profile?done=language").await;
        assert!(html.contains("Language saved."), "{html}");
        assert!(html.contains("value=\"en\" checked"), "{html}");

        // No Accept-Language: the stored choice alone makes the pages English.
        let (status, _, home) = page(app, &client, "/").await;
        assert_eq!(status, StatusCode::OK);
        assert!(home.contains("<html lang=\"en\">"), "{home}");
        assert!(home.contains("My requests"), "{home}");
        // …the 404 page too.
        let (status, _, missing) = page(app, &client, "/nope").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(missing.contains("Page not found"), "{missing}");
    })
    .await;
}

#[tokio::test]
async fn changing_the_password_checks_the_current_one_and_the_new_one() {
    each_backend(async |app| {
        let client = browser();
        let token = sign_in(app, &client, "solicitante", "solicitante").await;
        let change = async |current: &str, new: &str, confirm: &str| {
            post_form(
                app,
                &client,
                "/profile/password",
                &[
                    ("current_password", current),
                    ("new_password", new),
                    ("confirm_password", confirm),
                    ("csrf_token", &token),
                ],
            )
            .await
        };

        let wrong = change("equivocada", "nueva-clave-1", "nueva-clave-1").await;
        assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = wrong.text().await.expect("body");
        assert!(
            html.contains(
                "<div class=\"invalid-feedback\" id=\"current_password-error\">La contraseña actual no es correcta.</div>"
            ),
            "{html}"
        );
        assert!(html.contains("aria-describedby=\"current_password-error\" aria-invalid=\"true\""));

        let short = change("solicitante", "corta", "corta").await;
        assert_eq!(short.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = short.text().await.expect("body");
        assert!(html.contains("id=\"new_password-error\""), "{html}");

        let mismatch = change("solicitante", "nueva-clave-1", "nueva-clave-2").await;
        assert_eq!(mismatch.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = mismatch.text().await.expect("body");
        assert!(html.contains("Las contraseñas no coinciden."), "{html}");

        let done = change("solicitante", "nueva-clave-1", "nueva-clave-1").await;
        assert_eq!(done.status(), StatusCode::SEE_OTHER);
        assert_eq!(done.headers()["location"], "/profile?done=password");
        let (status, _, html) = page(app, &client, "/profile?done=password").await;
        assert_eq!(status, StatusCode::OK, "still signed in");
        assert!(html.contains("Contraseña cambiada."), "{html}");

        sign_in(app, &browser(), "solicitante", "nueva-clave-1").await;
        let other = browser();
        let token = login_token(app, &other).await;
        let old = try_sign_in(app, &other, &token, "192.0.2.1", "solicitante", "solicitante").await;
        assert_eq!(old.status(), StatusCode::UNPROCESSABLE_ENTITY);
    })
    .await;
}

#[tokio::test]
async fn a_password_change_signs_the_person_out_everywhere_else() {
    each_backend(async |app| {
        let here = browser();
        let token = sign_in(app, &here, "solicitante", "solicitante").await;
        let elsewhere = browser();
        sign_in(app, &elsewhere, "solicitante", "solicitante").await;
        let someone_else = browser();
        sign_in(app, &someone_else, "soporte", "soporte").await;
        let api_token = app.login("solicitante").await;
        app.get(&api_token, "/api/v1/me").await.expect(200);

        let done = post_form(
            app,
            &here,
            "/profile/password",
            &[
                ("current_password", "solicitante"),
                ("new_password", "nueva-clave-1"),
                ("confirm_password", "nueva-clave-1"),
                ("csrf_token", &token),
            ],
        )
        .await;
        assert_eq!(done.status(), StatusCode::SEE_OTHER);

        let (status, _, _) = page(app, &here, "/profile").await;
        assert_eq!(status, StatusCode::OK, "the session that changed it stays");
        let (status, _, _) = page(app, &elsewhere, "/profile").await;
        assert_eq!(status, StatusCode::SEE_OTHER, "the other session ended");
        app.get(&api_token, "/api/v1/me").await.expect(401);
        let (status, _, _) = page(app, &someone_else, "/profile").await;
        assert_eq!(status, StatusCode::OK, "other people are not affected");
    })
    .await;
}

#[tokio::test]
async fn dates_show_in_the_time_zone_the_person_chose() {
    each_backend(async |app| {
        let people = app.people().await;
        let number = app
            .submit_number(&people.requester, "telefonia", "Hora local")
            .await;
        let created: jiff::Timestamp = app.ticket(&people.dispatcher, &number).await["created_at"]
            .as_str()
            .expect("created_at")
            .parse()
            .expect("a timestamp");
        let shown_in = |zone: &str| {
            created
                .to_zoned_datetime(jiff::tz::TimeZone::get(zone).expect("zone"))
                .strftime("%d/%m/%Y %H:%M")
                .to_string()
        };
        let client = browser();
        let token = sign_in(app, &client, "soporte", "soporte").await;
        let (_, _, html) = page(app, &client, "/?state=all").await;
        assert!(html.contains(&shown_in("America/Guatemala")), "{html}");

        let refused = post_form(
            app,
            &client,
            "/profile/time-zone",
            &[("time_zone", "Marte/Olimpo"), ("csrf_token", &token)],
        )
        .await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = refused.text().await.expect("body");
        assert!(
            html.contains("Elija una zona horaria de la lista."),
            "{html}"
        );

        let saved = post_form(
            app,
            &client,
            "/profile/time-zone",
            &[("time_zone", "Asia/Tokyo"), ("csrf_token", &token)],
        )
        .await;
        assert_eq!(saved.status(), StatusCode::SEE_OTHER);
        let (_, _, html) = page(app, &client, "/?state=all").await;
        assert!(html.contains(&shown_in("Asia/Tokyo")), "{html}");
        assert!(!html.contains(&shown_in("America/Guatemala")));
        let (_, _, html) = page(app, &client, "/profile").await;
        assert!(
            html.contains("<option selected>Asia/Tokyo</option>"),
            "{html}"
        );

        // Back to the institution's.
        let reset = post_form(
            app,
            &client,
            "/profile/time-zone",
            &[("time_zone", ""), ("csrf_token", &token)],
        )
        .await;
        assert_eq!(reset.status(), StatusCode::SEE_OTHER);
        let (_, _, html) = page(app, &client, "/?state=all").await;
        assert!(html.contains(&shown_in("America/Guatemala")));
    })
    .await;
}

#[tokio::test]
async fn the_sixth_failed_sign_in_of_an_account_is_throttled_even_with_the_right_password() {
    each_backend(async |app| {
        let client = browser();
        let token = login_token(app, &client).await;
        for i in 0..5 {
            let failed =
                try_sign_in(app, &client, &token, "198.51.100.1", "solicitante", "mala").await;
            assert_eq!(
                failed.status(),
                StatusCode::UNPROCESSABLE_ENTITY,
                "attempt {i}"
            );
        }
        // From another address, with the right password, in any letter case.
        let throttled = try_sign_in(
            app,
            &client,
            &token,
            "198.51.100.2",
            "Solicitante",
            "solicitante",
        )
        .await;
        assert_eq!(throttled.status(), StatusCode::TOO_MANY_REQUESTS);
        let wait: u64 = throttled.headers()["retry-after"]
            .to_str()
            .expect("ascii")
            .parse()
            .expect("seconds");
        assert!((1..=300).contains(&wait), "{wait}");
        let html = throttled.text().await.expect("body");
        assert!(html.contains("Espere unos minutos"), "{html}");
        let english = client
            .post(app.url("/login"))
            .header("accept-language", "en")
            .form(&[
                ("login", "solicitante"),
                ("password", "solicitante"),
                ("csrf_token", &token),
            ])
            .send()
            .await
            .expect("post");
        assert_eq!(english.status(), StatusCode::TOO_MANY_REQUESTS);
        assert!(
            english
                .text()
                .await
                .expect("body")
                .contains("Wait a few minutes")
        );
        let (status, _, _) = page(app, &client, "/").await;
        assert_eq!(status, StatusCode::SEE_OTHER, "still signed out");

        // Another account is unaffected.
        let other = browser();
        let token = login_token(app, &other).await;
        let fine = try_sign_in(app, &other, &token, "198.51.100.3", "soporte", "soporte").await;
        assert_eq!(fine.status(), StatusCode::SEE_OTHER);
    })
    .await;
}

#[tokio::test]
async fn an_address_with_five_failures_is_throttled_and_success_clears_the_account() {
    each_backend(async |app| {
        let client = browser();
        let token = login_token(app, &client).await;
        // Four failures, then the right password: the account's count starts over.
        for _ in 0..4 {
            let failed = try_sign_in(app, &client, &token, "198.51.100.7", "tecnico", "mala").await;
            assert_eq!(failed.status(), StatusCode::UNPROCESSABLE_ENTITY);
        }
        let other = browser();
        let other_token = login_token(app, &other).await;
        let ok = try_sign_in(
            app,
            &other,
            &other_token,
            "198.51.100.8",
            "tecnico",
            "tecnico",
        )
        .await;
        assert_eq!(ok.status(), StatusCode::SEE_OTHER);
        let again = try_sign_in(app, &client, &token, "198.51.100.8", "tecnico", "mala").await;
        assert_eq!(
            again.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "count cleared"
        );

        // The fifth failure from .7 (any account) blocks that address for everyone.
        let failed = try_sign_in(app, &client, &token, "198.51.100.7", "nadie", "mala").await;
        assert_eq!(failed.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let blocked =
            try_sign_in(app, &client, &token, "198.51.100.7", "director", "director").await;
        assert_eq!(blocked.status(), StatusCode::TOO_MANY_REQUESTS);
        let elsewhere =
            try_sign_in(app, &client, &token, "198.51.100.9", "director", "director").await;
        assert_eq!(elsewhere.status(), StatusCode::SEE_OTHER);
    })
    .await;
}

#[tokio::test]
async fn unknown_paths_get_an_html_page_and_unknown_api_paths_json() {
    each_backend(async |app| {
        let client = browser();
        let response = client.get(app.url("/nope")).send().await.expect("get");
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        let content_type = response.headers()["content-type"]
            .to_str()
            .expect("ascii")
            .to_owned();
        assert!(content_type.starts_with("text/html"), "{content_type}");
        assert!(
            response.headers().get("set-cookie").is_none(),
            "no session for a stray visit"
        );
        let html = response.text().await.expect("body");
        assert!(
            html.contains("<html lang=\"es\">") && html.contains("Página no encontrada"),
            "{html}"
        );

        let english = client
            .get(app.url("/nope/deeper"))
            .header("accept-language", "en")
            .send()
            .await
            .expect("get");
        assert_eq!(english.status(), StatusCode::NOT_FOUND);
        assert!(
            english
                .text()
                .await
                .expect("body")
                .contains("Page not found")
        );

        app.call(Method::GET, "/api/v1/nope")
            .send()
            .await
            .expect_error(404, "not_found");
        app.call(Method::GET, "/api/nope")
            .send()
            .await
            .expect_error(404, "not_found");
        // An API client (JSON, not HTML) gets JSON outside `/api/` too.
        app.call(Method::GET, "/nope")
            .header("accept", "application/json")
            .send()
            .await
            .expect_error(404, "not_found");

        let icon = client
            .get(app.url("/favicon.ico"))
            .send()
            .await
            .expect("get");
        assert_eq!(icon.status(), StatusCode::NO_CONTENT);
    })
    .await;
}

/// `POST /api/v1/auth/login` as if from `address` (see [`try_sign_in`]).
async fn try_api_login(
    app: &TestApp,
    address: &str,
    login: &str,
    password: &str,
) -> reqwest::Response {
    reqwest::Client::new()
        .post(app.url("/api/v1/auth/login"))
        .header("x-forwarded-for", address)
        .json(&serde_json::json!({"login": login, "password": password}))
        .send()
        .await
        .expect("POST /api/v1/auth/login")
}

#[tokio::test]
async fn the_pages_and_the_api_count_failed_sign_ins_together() {
    each_backend(async |app| {
        let b = app.backend;
        for _ in 0..3 {
            let failed = try_api_login(app, "198.51.100.21", "tecnico2", "mala").await;
            assert_eq!(failed.status(), StatusCode::UNAUTHORIZED, "{b}");
        }
        let client = browser();
        let token = login_token(app, &client).await;
        for _ in 0..2 {
            let failed =
                try_sign_in(app, &client, &token, "198.51.100.22", "tecnico2", "mala").await;
            assert_eq!(failed.status(), StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        }
        // The right password, from yet another address: the account has used its tries.
        let throttled = try_api_login(app, "198.51.100.23", "tecnico2", "tecnico2").await;
        assert_eq!(throttled.status(), StatusCode::TOO_MANY_REQUESTS, "{b}");
        let wait: u64 = throttled.headers()["retry-after"]
            .to_str()
            .expect("ascii")
            .parse()
            .expect("seconds");
        assert!((1..=300).contains(&wait), "{b}: {wait}");
        let body: serde_json::Value = throttled.json().await.expect("JSON");
        assert_eq!(body["error"]["code"], "too_many_attempts", "{b}: {body}");
        let page = try_sign_in(
            app,
            &client,
            &token,
            "198.51.100.24",
            "tecnico2",
            "tecnico2",
        )
        .await;
        assert_eq!(page.status(), StatusCode::TOO_MANY_REQUESTS, "{b}");
    })
    .await;
}

#[tokio::test]
async fn fifty_wrong_passwords_over_the_api_do_not_let_the_right_one_through() {
    each_backend(async |app| {
        let b = app.backend;
        let mut refused = 0;
        for _ in 0..50 {
            let answer = try_api_login(app, "198.51.100.31", "director", "adivinanza").await;
            if answer.status() == StatusCode::TOO_MANY_REQUESTS {
                refused += 1;
            }
        }
        assert_eq!(
            refused, 45,
            "{b}: all but the first five are refused unchecked"
        );
        let right = try_api_login(app, "198.51.100.31", "director", "director").await;
        assert_eq!(right.status(), StatusCode::TOO_MANY_REQUESTS, "{b}");
    })
    .await;
}

#[tokio::test]
async fn a_forwarded_address_is_believed_only_from_a_trusted_proxy() {
    crate::support::each_backend_with(
        |b| b.trusted_proxies(Vec::new()),
        async |app| {
            let b = app.backend;
            // Each attempt claims another address; none is believed, so all five
            // count against the one real peer.
            for i in 0..5 {
                let claimed = format!("203.0.113.{}", 40 + i);
                let failed = try_api_login(app, &claimed, &format!("nadie{i}"), "mala").await;
                assert_eq!(failed.status(), StatusCode::UNAUTHORIZED, "{b}");
            }
            let blocked = try_api_login(app, "203.0.113.99", "soporte", "soporte").await;
            assert_eq!(blocked.status(), StatusCode::TOO_MANY_REQUESTS, "{b}");
        },
    )
    .await;
}

#[tokio::test]
async fn signing_out_with_a_forged_multipart_form_is_refused() {
    each_backend(async |app| {
        let b = app.backend;
        let client = browser();
        let token = sign_in(app, &client, "soporte", "soporte").await;
        let forged = reqwest::multipart::Form::new().text("nada", "x");
        let response = client
            .post(app.url("/logout"))
            .multipart(forged)
            .send()
            .await
            .expect("POST /logout");
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{b}");
        let (status, _, _) = page(app, &client, "/queue").await;
        assert_eq!(status, StatusCode::OK, "{b}: still signed in");
        let genuine = reqwest::multipart::Form::new().text("csrf_token", token);
        let response = client
            .post(app.url("/logout"))
            .multipart(genuine)
            .send()
            .await
            .expect("POST /logout");
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{b}");
        let (status, _, _) = page(app, &client, "/queue").await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{b}: signed out");
    })
    .await;
}

#[tokio::test]
async fn showing_the_sign_in_form_stores_no_session() {
    each_backend(async |app| {
        let b = app.backend;
        for _ in 0..30 {
            let response = browser().get(app.url("/login")).send().await.expect("GET");
            assert_eq!(response.status(), StatusCode::OK, "{b}");
            let session_cookie = response
                .headers()
                .get_all("set-cookie")
                .iter()
                .any(|c| c.to_str().unwrap_or("").starts_with("sau_session="));
            assert!(!session_cookie, "{b}: a visitor got a session");
        }
        let far = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(24 * 365);
        let stored = app
            .service
            .store()
            .delete_expired_sessions(far)
            .await
            .expect("count");
        assert_eq!(stored, 0, "{b}: sessions stored for visitors");
        // The form still works: its token travels in a cookie of its own.
        let client = browser();
        sign_in(app, &client, "soporte", "soporte").await;
        let (status, _, _) = page(app, &client, "/queue").await;
        assert_eq!(status, StatusCode::OK, "{b}");
    })
    .await;
}

#[tokio::test]
async fn every_page_a_signed_in_person_opens_restarts_the_idle_time() {
    each_backend(async |app| {
        let b = app.backend;
        let client = browser();
        sign_in(app, &client, "soporte", "soporte").await;
        for path in ["/queue", "/", "/profile"] {
            let response = client.get(app.url(path)).send().await.expect("GET");
            assert_eq!(response.status(), StatusCode::OK, "{b}: {path}");
            let cookie = response
                .headers()
                .get_all("set-cookie")
                .iter()
                .filter_map(|c| c.to_str().ok())
                .find(|c| c.starts_with("sau_session="))
                .unwrap_or_else(|| panic!("{b}: {path} did not renew the session cookie"))
                .to_owned();
            assert!(cookie.contains("Max-Age=28800"), "{b}: {cookie}");
        }
    })
    .await;
}
