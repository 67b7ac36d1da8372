//! The installation's identity: an admin names it, colours it and gives it a
//! logo on the settings page; every page, the sign-in page included, then
//! shows them, and the style sheet carries the colour. A colour white text
//! cannot be read on, and a logo that is no picture, are refused.

use crate::browser::{answer, browser, post_form, sign_in};
use crate::support::each_backend;
use reqwest::StatusCode;

/// The address of the installation's style sheet in a page.
fn theme_url(html: &str) -> String {
    let start = html.find("href=\"/theme/").expect("a theme sheet") + "href=\"".len();
    let end = html[start..].find('"').expect("its end") + start;
    html[start..end].to_owned()
}

const PNG: &[u8] =
    b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

#[tokio::test]
async fn an_admin_names_colours_and_marks_the_installation() {
    each_backend(async |app| {
        let admin = browser();
        let token = sign_in(app, &admin, "admin").await;

        // SAU's own look first.
        let page = admin
            .get(app.url("/admin/settings"))
            .send()
            .await
            .expect("GET");
        let html = page.text().await.expect("body");
        assert!(
            html.contains("<span class=\"brand-name\">SAU</span>"),
            "{html}"
        );
        let sheet = admin
            .get(app.url(&theme_url(&html)))
            .send()
            .await
            .expect("GET sheet");
        assert_eq!(sheet.headers()["content-type"], "text/css; charset=utf-8");
        assert!(
            sheet.headers()["cache-control"]
                .to_str()
                .unwrap_or("")
                .contains("immutable")
        );
        let css = sheet.text().await.expect("css");
        assert!(css.contains("--bs-primary: #1b5e7e;"), "{css}");

        // Too light for white text: refused, nothing written.
        let light = [
            ("csrf_token", token.as_str()),
            ("brand_name", "Mesa de Ayuda TI"),
            ("brand_colour", "#ffd966"),
        ];
        let (status, _, html) = answer(post_form(app, &admin, "/admin/brand", &light).await).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(html.contains("Es demasiado claro"), "{html}");
        assert!(
            html.contains("value=\"Mesa de Ayuda TI\""),
            "typed name kept"
        );
        assert!(
            html.contains("<span class=\"brand-name\">SAU</span>"),
            "nothing written"
        );

        let good = [
            ("csrf_token", token.as_str()),
            ("brand_name", "  Mesa de Ayuda   TI "),
            ("brand_colour", "#0B5394"),
        ];
        let (status, location, _) =
            answer(post_form(app, &admin, "/admin/brand", &good).await).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        assert_eq!(location.as_deref(), Some("/admin/settings?done=saved"));

        // Every page, and the sign-in page of someone not signed in.
        let visitor = browser();
        let html = visitor
            .get(app.url("/login"))
            .send()
            .await
            .expect("GET login")
            .text()
            .await
            .expect("body");
        assert!(
            html.contains("<title>Iniciar sesión · Mesa de Ayuda TI</title>"),
            "{html}"
        );
        assert!(
            html.contains("<meta name=\"theme-color\" content=\"#0b5394\">"),
            "{html}"
        );
        let css = visitor
            .get(app.url(&theme_url(&html)))
            .send()
            .await
            .expect("GET sheet")
            .text()
            .await
            .expect("css");
        assert!(css.contains("--bs-btn-bg: #0b5394;"), "{css}");

        // A logo: known by its bytes, whatever its name says.
        let upload = |bytes: &'static [u8], name: &'static str| {
            let token = token.clone();
            let admin = admin.clone();
            async move {
                let form = reqwest::multipart::Form::new()
                    .text("csrf_token", token)
                    .part(
                        "logo",
                        reqwest::multipart::Part::bytes(bytes).file_name(name),
                    );
                admin
                    .post(app.url("/admin/brand/logo"))
                    .multipart(form)
                    .send()
                    .await
                    .expect("POST logo")
            }
        };
        let (status, _, html) =
            answer(upload(b"<svg onload=\"alert(1)\"/>", "logo.png").await).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(html.contains("id=\"logo-error\""), "{html}");
        assert!(!html.contains("class=\"brand-logo\""), "no logo yet");
        let (status, _, _) = answer(upload(PNG, "escudo.png").await).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let html = visitor
            .get(app.url("/login"))
            .send()
            .await
            .expect("GET login")
            .text()
            .await
            .expect("body");
        let start = html
            .find("src=\"/brand/logo/")
            .expect("the logo on sign-in")
            + "src=\"".len();
        let logo_url = &html[start..start + html[start..].find('"').expect("end")];
        let logo = visitor
            .get(app.url(logo_url))
            .send()
            .await
            .expect("GET logo");
        assert_eq!(logo.status(), StatusCode::OK);
        assert_eq!(logo.headers()["content-type"], "image/png");
        assert_eq!(logo.headers()["x-content-type-options"], "nosniff");
        assert_eq!(logo.bytes().await.expect("bytes").as_ref(), PNG);

        // Removed: the menu shows the name alone, and the address answers 404.
        let remove = [("csrf_token", token.as_str())];
        let (status, _, _) =
            answer(post_form(app, &admin, "/admin/brand/logo/remove", &remove).await).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let gone = visitor
            .get(app.url(logo_url))
            .send()
            .await
            .expect("GET logo");
        assert_eq!(gone.status(), StatusCode::NOT_FOUND);

        // Back to SAU's own colour and name.
        let reset = [
            ("csrf_token", token.as_str()),
            ("brand_name", ""),
            ("brand_colour", "#0b5394"),
            ("default_colour", "true"),
        ];
        let (status, _, _) = answer(post_form(app, &admin, "/admin/brand", &reset).await).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let html = admin
            .get(app.url("/admin/settings"))
            .send()
            .await
            .expect("GET")
            .text()
            .await
            .expect("body");
        assert!(
            html.contains("<span class=\"brand-name\">SAU</span>"),
            "{html}"
        );
        assert!(html.contains("content=\"#1b5e7e\""), "{html}");
    })
    .await;
}

#[tokio::test]
async fn only_admins_change_the_identity() {
    each_backend(async |app| {
        let desk = browser();
        let token = sign_in(app, &desk, "soporte").await;
        let sent = [
            ("csrf_token", token.as_str()),
            ("brand_name", "Otra"),
            ("brand_colour", "#0b5394"),
        ];
        let (status, _, _) = answer(post_form(app, &desk, "/admin/brand", &sent).await).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let html = desk
            .get(app.url("/"))
            .send()
            .await
            .expect("GET")
            .text()
            .await
            .expect("body");
        assert!(
            html.contains("<span class=\"brand-name\">SAU</span>"),
            "{html}"
        );
    })
    .await;
}
