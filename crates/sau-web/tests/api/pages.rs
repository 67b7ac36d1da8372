//! The web pages over real HTTP: sign-in, sessions, the form token, security
//! headers, escaping and language.

use crate::browser::{browser, form_token, sign_in};
use crate::support::{TestApp, each_backend, request_body};
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, SET_COOKIE};

fn session_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("sau_session="))
        .map(str::to_owned)
}

/// The sign-in form's token, and the cookie that carries it for a browser
/// that had none (no session is started for the form).
async fn login_page(app: &TestApp, client: &reqwest::Client) -> (String, Option<String>) {
    let response = client
        .get(app.url("/login"))
        .send()
        .await
        .expect("GET /login");
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("sau_login_csrf="))
        .map(str::to_owned);
    let html = response.text().await.expect("body");
    (form_token(&html), cookie)
}

#[tokio::test]
async fn sign_in_page_is_spanish_by_default_and_english_on_request() {
    each_backend(async |app| {
        let client = browser();
        let es = client.get(app.url("/login")).send().await.expect("get");
        let html = es.text().await.expect("body");
        assert!(html.contains("<html lang=\"es\">"), "{html}");
        assert!(html.contains("Iniciar sesión"));
        assert!(html.contains("<label class=\"form-label\" for=\"login\">Usuario</label>"));
        let en = client
            .get(app.url("/login"))
            .header("accept-language", "en-US,en;q=0.9")
            .send()
            .await
            .expect("get");
        let html = en.text().await.expect("body");
        assert!(html.contains("<html lang=\"en\">"), "{html}");
        assert!(html.contains("Sign in"));
    })
    .await;
}

#[tokio::test]
async fn every_page_carries_the_security_headers() {
    each_backend(async |app| {
        let response = browser().get(app.url("/login")).send().await.expect("get");
        let headers = response.headers();
        let csp = headers
            .get("content-security-policy")
            .and_then(|v| v.to_str().ok())
            .expect("a CSP");
        assert!(csp.contains("script-src 'self'"), "{csp}");
        assert!(!csp.contains("unsafe-inline"), "{csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
        assert_eq!(headers["x-content-type-options"], "nosniff");
        assert!(session_cookie(headers).is_none(), "no session for the form");
        let client = browser();
        let (token, form_cookie) = login_page(app, &client).await;
        let form_cookie = form_cookie.expect("the form's cookie");
        assert!(form_cookie.contains("HttpOnly"), "{form_cookie}");
        assert!(form_cookie.contains("SameSite=Strict"), "{form_cookie}");
        assert!(form_cookie.contains("Path=/login"), "{form_cookie}");
        let signed_in = client
            .post(app.url("/login"))
            .form(&[
                ("login", "soporte"),
                ("password", "soporte"),
                ("csrf_token", &token),
            ])
            .send()
            .await
            .expect("post");
        let cookie = session_cookie(signed_in.headers()).expect("session cookie");
        assert!(cookie.contains("HttpOnly"), "{cookie}");
        assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    })
    .await;
}

#[tokio::test]
async fn a_sign_in_without_the_form_token_is_refused_with_403() {
    each_backend(async |app| {
        let client = browser();
        login_page(app, &client).await;
        let forged = client
            .post(app.url("/login"))
            .form(&[("login", "solicitante"), ("password", "solicitante")])
            .send()
            .await
            .expect("post");
        assert_eq!(forged.status(), StatusCode::FORBIDDEN);
        let body = forged.text().await.expect("body");
        assert!(body.contains("Solicitud rechazada"), "{body}");
        let home = client.get(app.url("/")).send().await.expect("get");
        assert_eq!(home.status(), StatusCode::SEE_OTHER, "still signed out");
        let wrong = client
            .post(app.url("/login"))
            .form(&[
                ("login", "solicitante"),
                ("password", "solicitante"),
                ("csrf_token", "0000"),
            ])
            .send()
            .await
            .expect("post");
        assert_eq!(wrong.status(), StatusCode::FORBIDDEN);
    })
    .await;
}

#[tokio::test]
async fn a_wrong_password_keeps_the_login_and_says_what_failed() {
    each_backend(async |app| {
        let client = browser();
        let (token, _) = login_page(app, &client).await;
        let response = client
            .post(app.url("/login"))
            .form(&[
                ("login", "solicitante"),
                ("password", "equivocada"),
                ("csrf_token", &token),
            ])
            .send()
            .await
            .expect("post");
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = response.text().await.expect("body");
        assert!(html.contains("value=\"solicitante\""), "{html}");
        assert!(html.contains("Usuario o contraseña incorrectos."));
        assert!(html.contains("aria-invalid=\"true\""));
    })
    .await;
}

#[tokio::test]
async fn signing_in_renews_the_session_id_and_shows_only_the_requesters_own_tickets() {
    each_backend(async |app| {
        let people = app.people().await;
        let mine = app
            .submit_number(&people.requester, "telefonia", "Mi teléfono no tiene línea")
            .await;
        let other = app.add_user("otra", &[sau_domain::Role::Requester]).await;
        app.submit_number(&other, "telefonia", "El teléfono de otra persona")
            .await;

        let client = browser();
        // Signed in once (as someone else), the browser has a session id...
        let (token, _) = login_page(app, &client).await;
        let first = client
            .post(app.url("/login"))
            .form(&[
                ("login", "soporte"),
                ("password", "soporte"),
                ("csrf_token", &token),
            ])
            .send()
            .await
            .expect("post");
        let before = session_cookie(first.headers()).expect("a session cookie");
        // ...which the next sign-in replaces.
        let (token, _) = login_page(app, &client).await;
        let response = client
            .post(app.url("/login"))
            .form(&[
                ("login", "solicitante"),
                ("password", "solicitante"),
                ("csrf_token", &token),
            ])
            .send()
            .await
            .expect("post");
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(response.headers()["location"], "/");
        let after = session_cookie(response.headers()).expect("a renewed cookie");
        let id = |c: &str| c.split(';').next().unwrap_or_default().to_owned();
        assert_ne!(
            id(&before),
            id(&after),
            "the session id must change at sign-in"
        );

        let html = client
            .get(app.url("/"))
            .send()
            .await
            .expect("get")
            .text()
            .await
            .expect("body");
        assert!(html.contains("Mis solicitudes"));
        assert!(html.contains(&mine), "{html}");
        assert!(html.contains("Mi teléfono no tiene línea"));
        assert!(!html.contains("El teléfono de otra persona"));
    })
    .await;
}

#[tokio::test]
async fn user_text_is_rendered_escaped() {
    each_backend(async |app| {
        let people = app.people().await;
        let body = request_body("telefonia", "<script>alert('x')</script>");
        app.post_json(&people.requester, "/api/v1/tickets", body)
            .await
            .expect(201);
        let client = browser();
        sign_in(app, &client, "solicitante").await;
        let html = client
            .get(app.url("/"))
            .send()
            .await
            .expect("get")
            .text()
            .await
            .expect("body");
        assert!(!html.contains("<script>alert"), "{html}");
        assert!(
            html.contains("&#60;script&#62;alert(&#39;x&#39;)&#60;/script&#62;"),
            "{html}"
        );
    })
    .await;
}

#[tokio::test]
async fn signing_out_needs_the_form_token_and_then_ends_the_session() {
    each_backend(async |app| {
        let client = browser();
        let token = sign_in(app, &client, "soporte").await;
        let forged = client.post(app.url("/logout")).send().await.expect("post");
        assert_eq!(forged.status(), StatusCode::FORBIDDEN);
        let still = client.get(app.url("/")).send().await.expect("get");
        assert_eq!(
            still.status(),
            StatusCode::OK,
            "a forged sign-out changes nothing"
        );
        let out = client
            .post(app.url("/logout"))
            .form(&[("csrf_token", token.as_str())])
            .send()
            .await
            .expect("post");
        assert_eq!(out.status(), StatusCode::SEE_OTHER);
        let home = client.get(app.url("/")).send().await.expect("get");
        assert_eq!(home.status(), StatusCode::SEE_OTHER);
        assert_eq!(home.headers()["location"], "/login");
    })
    .await;
}
