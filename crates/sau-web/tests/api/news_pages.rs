//! What changed since a person last read a ticket: a mark on its row, the
//! entries since on its page, and the menu's counts.

use crate::browser::{browser, row_of, sign_in};
use crate::support::{TestApp, each_backend};
use reqwest::StatusCode;
use serde_json::json;

async fn page(app: &TestApp, client: &reqwest::Client, path: &str) -> String {
    let response = client.get(app.url(path)).send().await.expect("GET");
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.text().await.expect("body")
}

/// `/mine` once its row for `number` shows no news, and its menu item no
/// longer reads `counted` (when given): the read mark is written after the
/// ticket page answers, so the list may take a moment to see it.
async fn mine_once_read(
    app: &TestApp,
    client: &reqwest::Client,
    number: &str,
    counted: Option<&str>,
) -> String {
    for _ in 0..50 {
        let mine = page(app, client, "/mine").await;
        let row_read = !row_of(&mine, number).contains("badge news");
        let recounted = counted.is_none_or(|c| menu_item(&mine, "/mine") != c);
        if row_read && recounted {
            return mine;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("{number} still counted as news 5 s after it was read");
}

/// The menu item linking to `href`, up to its end.
fn menu_item<'a>(html: &'a str, href: &str) -> &'a str {
    html.split(&format!("<a class=\"nav-link\" href=\"{href}\">"))
        .nth(1)
        .and_then(|rest| rest.split("</a>").next())
        .unwrap_or_else(|| panic!("no menu item {href}: {html}"))
}

#[tokio::test]
async fn news_is_marked_until_read_and_counted_in_the_menu() {
    each_backend(async |app| {
        let people = app.people().await;
        let number = app
            .submit_number(&people.requester, "telefonia", "Sin tono desde ayer")
            .await;
        let dispatcher = browser();
        sign_in(app, &dispatcher, "soporte").await;
        let home = page(app, &dispatcher, "/").await;
        assert!(
            menu_item(&home, "/queue").contains("id=\"menu-waiting\""),
            "the queue counts what waits: {home}"
        );
        app.ok(
            &people.dispatcher,
            &number,
            "assign",
            json!({"technician": "tecnico"}),
        )
        .await;

        let technician = browser();
        sign_in(app, &technician, "tecnico").await;
        let mine = page(app, &technician, "/mine").await;
        assert!(
            row_of(&mine, &number).contains("badge news"),
            "never opened"
        );
        let counted = menu_item(&mine, "/mine").to_owned();
        assert!(counted.contains("id=\"menu-news\""), "{counted}");

        // Opened: no more news, and the count goes down.
        page(app, &technician, &format!("/tickets/{number}")).await;
        mine_once_read(app, &technician, &number, Some(&counted)).await;

        // The requester writes: news again, and the comment is marked new.
        app.ok(
            &people.requester,
            &number,
            "entries",
            json!({"body": "Sigue sin tono.", "visibility": "public"}),
        )
        .await;
        let mine = page(app, &technician, "/mine").await;
        assert!(
            row_of(&mine, &number).contains("badge news"),
            "changed since"
        );
        let ticket = page(app, &technician, &format!("/tickets/{number}")).await;
        mine_once_read(app, &technician, &number, None).await;
        let comment = ticket
            .split("<article")
            .find(|a| a.contains("Sigue sin tono."))
            .expect("the comment");
        assert!(comment.contains("badge news"), "{comment}");
        // The technician's own note is not news to them.
        app.ok(
            &people.technician,
            &number,
            "entries",
            json!({"body": "Revisar la roseta.", "visibility": "internal"}),
        )
        .await;
        let ticket = page(app, &technician, &format!("/tickets/{number}")).await;
        let note = ticket
            .split("<article")
            .find(|a| a.contains("Revisar la roseta."))
            .expect("the note");
        assert!(!note.contains("badge news"), "{note}");
        mine_once_read(app, &technician, &number, None).await;
    })
    .await;
}
