//! Saved searches: each person's named list filters, as tabs on the list page
//! and through the JSON API; nobody sees or removes another's.

use crate::browser::{browser, page, post_form, sign_in};
use crate::support::{TestApp, each_backend};
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn each_person_keeps_their_own_saved_searches() {
    each_backend(async |app: &TestApp| {
        let p = app.people().await;
        let b = app.backend;
        let save =
            async |token: &str, body| app.post_json(token, "/api/v1/saved-searches", body).await;
        let mine = save(
            &p.dispatcher,
            json!({"name": " Impresoras ", "query": "/?q=impresora&state=new"}),
        )
        .await
        .expect(201);
        assert_eq!(mine["name"], "Impresoras", "{b}");
        assert_eq!(mine["query"], "q=impresora&state=new", "{b}");
        save(
            &p.requester,
            json!({"name": "Impresoras", "query": "q=toner"}),
        )
        .await
        .expect(201);
        // The same name again replaces its filters.
        let again = save(
            &p.dispatcher,
            json!({"name": "Impresoras", "query": "q=impresora"}),
        )
        .await
        .expect(201);
        assert_eq!(again["id"], mine["id"], "{b}");
        let listed = app
            .get(&p.dispatcher, "/api/v1/saved-searches")
            .await
            .expect(200);
        assert_eq!(
            listed["saved_searches"].as_array().map(Vec::len),
            Some(1),
            "{b}: {listed}"
        );
        assert_eq!(listed["saved_searches"][0]["query"], "q=impresora", "{b}");

        // Bad input: every problem at once.
        let error = save(&p.dispatcher, json!({"name": "", "query": "impresora"}))
            .await
            .expect_error(422, "invalid_input");
        let fields = &error["fields"];
        assert_eq!(fields["name"]["code"], "required", "{b}: {error}");
        assert_eq!(fields["query"]["code"], "not_a_text", "{b}: {error}");
        // Twenty at most.
        for i in 1..20 {
            save(
                &p.technician,
                json!({"name": format!("Búsqueda {i}"), "query": format!("q={i}")}),
            )
            .await
            .expect(201);
        }
        save(
            &p.technician,
            json!({"name": "Búsqueda 20", "query": "q=20"}),
        )
        .await
        .expect(201);
        let error = save(&p.technician, json!({"name": "Una más", "query": "q=21"}))
            .await
            .expect_error(422, "invalid_input");
        assert_eq!(error["fields"]["name"]["code"], "too_many", "{b}: {error}");

        // Nobody removes another's.
        let path = format!("/api/v1/saved-searches/{}", mine["id"]);
        app.call(Method::DELETE, &path)
            .token(&p.requester)
            .send()
            .await
            .expect_error(404, "not_found");
        let deleted = app
            .call(Method::DELETE, &path)
            .token(&p.dispatcher)
            .send()
            .await;
        assert_eq!(deleted.status, StatusCode::NO_CONTENT, "{b}");
        let listed = app
            .get(&p.dispatcher, "/api/v1/saved-searches")
            .await
            .expect(200);
        assert_eq!(listed["saved_searches"], json!([]), "{b}");
        let theirs = app
            .get(&p.requester, "/api/v1/saved-searches")
            .await
            .expect(200);
        assert_eq!(theirs["saved_searches"][0]["query"], "q=toner", "{b}");
    })
    .await;
}

#[tokio::test]
async fn a_saved_search_is_a_tab_on_the_list() {
    each_backend(async |app: &TestApp| {
        let p = app.people().await;
        let b = app.backend;
        app.submit_number(&p.requester, "soporte_equipo", "Impresora sin tóner")
            .await;
        let client = browser();
        let csrf = sign_in(app, &client, "soporte").await;
        let html = page(app, &client, "/").await;
        assert!(!html.contains("id=\"save-search\""), "{b}: nothing filtered, nothing to save");

        let html = page(app, &client, "/?state=new&q=impresora").await;
        assert!(html.contains("Guardar esta búsqueda"), "{b}");
        let response = post_form(
            app,
            &client,
            "/searches",
            &[
                ("csrf_token", &csrf),
                ("name", "Impresoras nuevas"),
                ("query", "/?state=new&q=impresora&after=xyz"),
            ],
        )
        .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{b}");
        let to = response.headers()["location"].to_str().expect("location").to_owned();
        assert_eq!(to, "/?q=impresora&state=new", "{b}: its own order, first page");

        let html = page(app, &client, &to).await;
        assert!(
            html.contains(r#"<a class="nav-link active" href="/?q=impresora&#38;state=new" aria-current="page">Impresoras nuevas</a>"#),
            "{b}: {html}"
        );
        // Another list: the tab is there, not current.
        let html = page(app, &client, "/?q=otra").await;
        assert!(
            html.contains(r#"<a class="nav-link" href="/?q=impresora&#38;state=new">Impresoras nuevas</a>"#),
            "{b}"
        );
        let id = app.get(&p.dispatcher, "/api/v1/saved-searches").await.expect(200)["saved_searches"][0]["id"].clone();
        let response = post_form(app, &client, &format!("/searches/{id}/delete"), &[("csrf_token", &csrf)]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{b}");
        let html = page(app, &client, "/?q=otra").await;
        assert!(!html.contains("Impresoras nuevas"), "{b}");

        // A name too long: a page that says so.
        let response = post_form(
            app,
            &client,
            "/searches",
            &[("csrf_token", &csrf), ("name", &"x".repeat(61)), ("query", "q=a")],
        )
        .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    })
    .await;
}
