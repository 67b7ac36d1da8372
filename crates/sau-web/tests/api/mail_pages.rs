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

/// GETs a page as `client` and gives back its HTML.
async fn page_text(app: &crate::support::TestApp, client: &reqwest::Client, path: &str) -> String {
    let page = client.get(app.url(path)).send().await.expect("GET");
    assert_eq!(page.status(), StatusCode::OK, "{path}");
    page.text().await.expect("body")
}

#[tokio::test]
async fn incoming_mail_shows_its_outcome_its_quarantine_and_why_it_threaded() {
    each_backend(async |app| {
        let intake = sau_service::MailIntake {
            mailbox: "stdin".into(),
            category: Some("soporte_equipo".into()),
        };
        let request = b"From: solicitante@sau.example\r\nSubject: Sin monitor\r\n\
            Message-ID: <w1@x>\r\n\r\nEl monitor no enciende.\r\n";
        let number = match app
            .service
            .ingest_mail(request, &intake)
            .await
            .expect("taken")
        {
            sau_service::Ingested::Created { number } => number,
            other => panic!("{other:?}"),
        };
        let reply = format!(
            "From: solicitante@sau.example\r\nSubject: Re: [Ticket#{number}] Sin monitor\r\n\
             Message-ID: <w2@x>\r\n\r\nSigue sin encender.\r\n"
        );
        app.service
            .ingest_mail(reply.as_bytes(), &intake)
            .await
            .expect("taken");
        let garbage = b"\x00\x01 not mail";
        app.service
            .ingest_mail(garbage, &intake)
            .await
            .expect("kept");

        let admin = browser();
        sign_in(app, &admin, "admin").await;
        let html = page_text(app, &admin, "/admin/mail/inbound").await;
        assert!(html.contains("Solicitud nueva"), "{html}");
        assert!(
            html.contains("Unido al ticket por el número en el asunto"),
            "{html}"
        );
        assert!(html.contains("En cuarentena"), "{html}");
        assert!(
            html.contains(&format!("href=\"/tickets/{number}\"")),
            "{html}"
        );
        let only = page_text(app, &admin, "/admin/mail/inbound?outcome=quarantined").await;
        assert!(!only.contains("Sin monitor"), "filtered: {only}");
        let source_link = only
            .split("href=\"/admin/mail/inbound/")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .expect("a link to the source");
        let source = admin
            .get(app.url(&format!("/admin/mail/inbound/{source_link}")))
            .send()
            .await
            .expect("GET source");
        assert_eq!(source.status(), StatusCode::OK);
        assert!(
            source.headers()["content-disposition"]
                .to_str()
                .expect("header")
                .starts_with("attachment"),
            "downloaded, never shown"
        );
        assert_eq!(&source.bytes().await.expect("bytes")[..], garbage);

        // The ticket's page: where each mail went and why; the required
        // fields the mail could not give, as missing.
        let desk = browser();
        sign_in(app, &desk, "soporte").await;
        let html = page_text(app, &desk, &format!("/tickets/{number}")).await;
        let start = html.find("id=\"ticket-mails\"").expect("the mails section");
        let mails = &html[start..start + html[start..].find("</section>").expect("its end")];
        assert!(
            mails.contains("Correo nuevo, sin ticket al que responda"),
            "{mails}"
        );
        assert!(
            mails.contains("Unido al ticket por el número en el asunto"),
            "{mails}"
        );
        assert!(html.contains("field-missing"), "{html}");

        let page = desk
            .get(app.url("/admin/mail/inbound"))
            .send()
            .await
            .expect("GET");
        assert_eq!(page.status(), StatusCode::FORBIDDEN);
    })
    .await;
}

#[tokio::test]
async fn an_admin_chooses_what_becomes_of_unknown_senders() {
    each_backend(async |app| {
        let admin = browser();
        let token = sign_in(app, &admin, "admin").await;
        let html = page_text(app, &admin, "/admin/mail/inbound").await;
        assert!(
            html.contains("id=\"unknown-refuse\" value=\"refuse\" checked"),
            "{html}"
        );
        let department = app
            .service
            .list_departments(&sau_service::Caller::System)
            .await
            .expect("departments")[0]
            .code
            .clone();
        let sent = [
            ("csrf_token", token.as_str()),
            ("unknown_senders", "create"),
            ("department", department.as_str()),
        ];
        let (status, location, _) = crate::browser::answer(
            crate::browser::post_form(app, &admin, "/admin/mail/inbound/unknown", &sent).await,
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        assert_eq!(
            location.as_deref(),
            Some("/admin/mail/inbound?done=unknown")
        );
        let html = page_text(app, &admin, "/admin/mail/inbound?done=unknown").await;
        assert!(
            html.contains("id=\"unknown-create\" value=\"create\" checked"),
            "{html}"
        );
        assert!(
            html.contains(&format!("value=\"{department}\" selected")),
            "{html}"
        );
        let wrong = [
            ("csrf_token", token.as_str()),
            ("unknown_senders", "maybe"),
            ("department", ""),
        ];
        let (status, _, _) = crate::browser::answer(
            crate::browser::post_form(app, &admin, "/admin/mail/inbound/unknown", &wrong).await,
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a clear refusal");
    })
    .await;
}

/// A ticket closed through the API, and the rating token its closing mail
/// carries (read from the outbox: nothing listens on the SMTP port).
async fn closed_with_link(app: &crate::support::TestApp) -> (String, String) {
    use serde_json::json;
    let p = app.people().await;
    let number = app
        .submit_number(&p.requester, "soporte_equipo", "Sin tóner")
        .await;
    app.ok(
        &p.dispatcher,
        &number,
        "assign",
        json!({"technician": "tecnico"}),
    )
    .await;
    app.ok(&p.technician, &number, "accept", json!({})).await;
    app.ok(
        &p.technician,
        &number,
        "resolve",
        json!({"resolution": "Tóner cambiado", "attention_mode": "in_person"}),
    )
    .await;
    app.ok(&p.dispatcher, &number, "close", json!({})).await;
    app.service.run_due_jobs().await.expect("notify");
    let mail = app
        .service
        .outbox(&sau_service::Caller::System, None)
        .await
        .expect("outbox")
        .into_iter()
        .find(|m| m.notice == "closed")
        .expect("the closing mail");
    let start = mail.text.find("/rate/").expect("a rating link") + "/rate/".len();
    let token = mail.text[start..]
        .split_whitespace()
        .next()
        .expect("token")
        .to_owned();
    (number, token)
}

#[tokio::test]
async fn a_requester_rates_from_the_link_without_signing_in_and_only_once() {
    for backend in sau_store::testing::backends() {
        let app = crate::support::TestApp::builder(backend)
            .mail("smtp://127.0.0.1:9")
            .spawn()
            .await;
        let (number, token) = closed_with_link(&app).await;
        // Nobody signed in: a fresh client, no session, no form token.
        let visitor = browser();
        let html = page_text(&app, &visitor, &format!("/rate/{token}?score=4")).await;
        assert!(html.contains(&number), "{html}");
        assert!(
            html.contains("id=\"score-4\" value=\"4\" required checked"),
            "the score clicked in the mail is chosen: {html}"
        );
        let wrong = visitor
            .post(app.url(&format!("/rate/{token}")))
            .form(&[("score", "7"), ("comment", "")])
            .send()
            .await
            .expect("POST");
        assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let sent = visitor
            .post(app.url(&format!("/rate/{token}")))
            .form(&[("score", "4"), ("comment", "Muy amable <b>gracias</b>")])
            .send()
            .await
            .expect("POST");
        assert_eq!(sent.status(), StatusCode::OK);
        let html = sent.text().await.expect("body");
        assert!(html.contains("id=\"rate-thanks\""), "{html}");
        let again = page_text(&app, &visitor, &format!("/rate/{token}?score=1")).await;
        assert!(again.contains("id=\"rate-used\""), "{again}");
        assert!(!again.contains("id=\"rate-form\""), "{again}");
        let unknown = visitor
            .get(app.url("/rate/sau_unknown"))
            .send()
            .await
            .expect("GET");
        assert_eq!(unknown.status(), StatusCode::NOT_FOUND);

        // The dispatcher sees the rating in the ticket's history, escaped.
        let desk = browser();
        sign_in(&app, &desk, "soporte").await;
        let html = page_text(&app, &desk, &format!("/tickets/{number}")).await;
        assert!(html.contains("Calificación del solicitante"), "{html}");
        assert!(
            html.contains("4 de 5: Muy amable &lt;b&gt;gracias&lt;/b&gt;")
                || html.contains("4 de 5: Muy amable &#60;b&#62;gracias&#60;/b&#62;"),
            "{html}"
        );
        app.stop().await;
    }
}

#[tokio::test]
async fn an_admin_sets_the_smtp_server_on_the_page() {
    each_backend(async |app| {
        let admin = browser();
        let token = sign_in(app, &admin, "admin").await;
        let html = page_text(app, &admin, "/admin/mail").await;
        assert!(html.contains("id=\"mail-off\""), "{html}");
        let wrong = [
            ("csrf_token", token.as_str()),
            ("host", "smtp.sau.example"),
            ("port", "99999"),
            ("security", "starttls"),
            ("user", ""),
            ("password", ""),
            ("from", "nadie"),
            ("public_url", "https://sau.example"),
        ];
        let (status, _, html) = crate::browser::answer(
            crate::browser::post_form(app, &admin, "/admin/mail/server", &wrong).await,
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(html.contains("id=\"mail-server-error\""), "{html}");
        assert!(
            html.contains("Puerto") && html.contains("Remitente"),
            "{html}"
        );
        assert!(
            html.contains("value=\"smtp.sau.example\""),
            "kept as typed: {html}"
        );
        let right = [
            ("csrf_token", token.as_str()),
            ("host", "smtp.sau.example"),
            ("port", "587"),
            ("security", "starttls"),
            ("user", "sau"),
            ("password", "secreto"),
            ("from", "Mesa <sau@sau.example>"),
            ("public_url", "https://sau.example"),
        ];
        let (status, location, _) = crate::browser::answer(
            crate::browser::post_form(app, &admin, "/admin/mail/server", &right).await,
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        assert_eq!(location.as_deref(), Some("/admin/mail?done=server"));
        let html = page_text(app, &admin, "/admin/mail?done=server").await;
        assert!(!html.contains("id=\"mail-off\""), "mail is on now: {html}");
        assert!(
            html.contains("Se usa el servidor guardado en esta página."),
            "{html}"
        );
        assert!(
            !html.contains("secreto"),
            "the password is never shown: {html}"
        );
        assert!(html.contains("action=\"/admin/mail/test\""), "{html}");
    })
    .await;
}
