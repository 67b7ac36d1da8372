//! The ticket page's action area: what the state calls for open and first,
//! the rest a click away, and a refused form back open with what was typed.

use crate::browser::{answer, browser, form_token, post_form, sign_in};
use crate::support::each_backend;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn the_action_the_state_calls_for_comes_first_and_the_rest_wait_behind_a_click() {
    each_backend(async |app| {
        let people = app.people().await;
        let number = app
            .submit_number(&people.requester, "telefonia", "Sin tono")
            .await;
        app.ok(&people.dispatcher, &number, "assign", json!({"technician": "tecnico"}))
            .await;
        app.ok(&people.technician, &number, "accept", json!({})).await;

        let technician = browser();
        sign_in(app, &technician, "tecnico").await;
        let path = format!("/tickets/{number}");
        let html = technician
            .get(app.url(&path))
            .send()
            .await
            .expect("GET")
            .text()
            .await
            .expect("body");
        let area = html
            .split("id=\"actions-heading\"")
            .nth(1)
            .and_then(|rest| rest.split("</aside>").next())
            .expect("the action area");
        let resolve = area.find("section class=\"card card-body mb-3 action-primary\" aria-label=\"Entregar como resuelto\"");
        let hold = area.find("<details class=\"action-more mb-2\"><summary data-open=\"hold\">");
        assert!(resolve.is_some() && hold.is_some(), "{area}");
        assert!(resolve < hold, "the primary first: {area}");
        assert!(!area.contains("comment"), "comments live under the conversation: {area}");
        assert!(html.contains("id=\"comment-body\""));

        // A hold without a reason: refused, and its form comes back open.
        let token = form_token(&html);
        let version = app.ticket(&people.technician, &number).await["version"].to_string();
        let (status, _, html) = answer(
            post_form(
                app,
                &technician,
                &format!("/tickets/{number}/hold"),
                &[("reason", "  "), ("version", &version), ("csrf_token", &token)],
            )
            .await,
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            html.contains("<details class=\"action-more mb-2\" open><summary data-open=\"hold\">"),
            "{html}"
        );
    })
    .await;
}
