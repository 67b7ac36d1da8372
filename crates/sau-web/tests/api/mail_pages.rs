//! "Correo saliente" for admins: with no SMTP server configured it says mail
//! is off (and offers no test mail); others may not see it.

use crate::browser::{browser, sign_in};
use crate::support::each_backend;
use reqwest::StatusCode;

#[tokio::test]
async fn the_outbox_says_when_mail_is_off_and_is_for_admins_only() {
    each_backend(async |app| {
        let admin = browser();
        sign_in(app, &admin, "admin").await;
        let page = admin.get(app.url("/admin/mail")).send().await.expect("GET");
        assert_eq!(page.status(), StatusCode::OK);
        let html = page.text().await.expect("body");
        assert!(html.contains("id=\"mail-off\""), "{html}");
        assert!(html.contains("Todavía no hay correos."), "{html}");
        assert!(!html.contains("action=\"/admin/mail/test\""), "{html}");

        let desk = browser();
        sign_in(app, &desk, "soporte").await;
        let page = desk.get(app.url("/admin/mail")).send().await.expect("GET");
        assert_eq!(page.status(), StatusCode::FORBIDDEN);
    })
    .await;
}
