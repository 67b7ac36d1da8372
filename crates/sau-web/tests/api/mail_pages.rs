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

#[tokio::test]
async fn an_admin_switches_a_notice_off_and_a_person_chooses_theirs() {
    for backend in sau_store::testing::backends() {
        let app = crate::support::TestApp::builder(backend)
            .mail("smtp://127.0.0.1:9")
            .spawn()
            .await;
        let admin = browser();
        let token = crate::browser::sign_in(&app, &admin, "admin").await;
        // Every notice but "Nueva solicitud" ticked.
        let mut sent: Vec<(&str, &str)> = vec![("csrf_token", token.as_str())];
        for notice in sau_domain::Notice::ALL {
            if notice != sau_domain::Notice::NewRequest {
                sent.push(("on", notice.as_str()));
            }
        }
        let (status, location, _) = crate::browser::answer(
            crate::browser::post_form(&app, &admin, "/admin/mail/notices", &sent).await,
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        assert_eq!(location.as_deref(), Some("/admin/mail?done=notices"));
        let html = admin
            .get(app.url("/admin/mail"))
            .send()
            .await
            .expect("GET")
            .text()
            .await
            .expect("body");
        assert!(html.contains("value=\"new_request\">"), "unticked: {html}");
        assert!(html.contains("value=\"received\" checked>"), "{html}");
        assert!(
            html.contains("action=\"/admin/mail/test\""),
            "mail is on: {html}"
        );

        // The requester sees only what they may switch off, and keeps it.
        let requester = browser();
        let token = crate::browser::sign_in(&app, &requester, "solicitante").await;
        let html = requester
            .get(app.url("/profile"))
            .send()
            .await
            .expect("GET")
            .text()
            .await
            .expect("body");
        assert!(
            html.contains("id=\"mail-closed\" value=\"closed\" checked"),
            "{html}"
        );
        assert!(
            !html.contains("id=\"mail-resolved\""),
            "a must-know is not offered"
        );
        assert!(!html.contains("id=\"mail-new_request\""), "not theirs");
        let keep = [("csrf_token", token.as_str()), ("on", "assigned")];
        let (status, location, _) = crate::browser::answer(
            crate::browser::post_form(&app, &requester, "/profile/mail", &keep).await,
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        assert_eq!(location.as_deref(), Some("/profile?done=mail"));
        let html = requester
            .get(app.url("/profile?done=mail"))
            .send()
            .await
            .expect("GET")
            .text()
            .await
            .expect("body");
        assert!(
            html.contains("id=\"mail-assigned\" value=\"assigned\" checked"),
            "{html}"
        );
        assert!(
            html.contains("id=\"mail-closed\" value=\"closed\">"),
            "now off: {html}"
        );
        assert!(html.contains("Avisos por correo guardados."), "{html}");
        app.stop().await;
    }
}
