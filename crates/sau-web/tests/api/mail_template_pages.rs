//! "Textos de los correos": the list, the editor, a preview of unsaved text
//! in its own sandboxed document, a broken template refused with its line and
//! the text kept, a saved one marked edited, and back to the original.

use crate::browser::{answer, browser, post_form, sign_in};
use crate::support::each_backend;
use reqwest::StatusCode;

const EDITED: &str = "{% block subject %}Ya tenemos su pedido: {{ title }}{% endblock %}\n\
    {% block text %}Hola {{ recipient }}, registramos «{{ title }}».{% endblock %}";

#[tokio::test]
async fn an_admin_previews_saves_and_restores_a_template() {
    each_backend(async |app| {
        let admin = browser();
        let token = sign_in(app, &admin, "admin").await;
        let list = admin
            .get(app.url("/admin/mail/templates"))
            .send()
            .await
            .expect("GET")
            .text()
            .await
            .expect("body");
        assert!(
            list.contains("href=\"/admin/mail/templates/received/es\""),
            "{list}"
        );
        assert!(
            list.contains("href=\"/admin/mail/templates/layout\""),
            "{list}"
        );

        let editor = admin
            .get(app.url("/admin/mail/templates/received/es"))
            .send()
            .await
            .expect("GET")
            .text()
            .await
            .expect("body");
        assert!(
            editor.contains("Recibimos su solicitud"),
            "the shipped text: {editor}"
        );
        assert!(
            editor.contains("formaction=\"/admin/mail/templates/received/es/preview\""),
            "{editor}"
        );

        let preview = post_form(
            app,
            &admin,
            "/admin/mail/templates/received/es/preview",
            &[("csrf_token", token.as_str()), ("source", EDITED)],
        )
        .await;
        assert_eq!(preview.status(), StatusCode::OK);
        let policy = preview.headers()["content-security-policy"]
            .to_str()
            .expect("header")
            .to_owned();
        assert!(
            policy.contains("sandbox") && policy.contains("frame-ancestors 'self'"),
            "{policy}"
        );
        let html = preview.text().await.expect("body");
        assert!(html.contains("Ya tenemos su pedido"), "{html}");
        assert!(html.contains("id=\"preview-subject\""), "{html}");

        let broken = post_form(
            app,
            &admin,
            "/admin/mail/templates/received/es",
            &[
                ("csrf_token", token.as_str()),
                ("source", "{% block subject %}{{ title }{% endblock %}"),
            ],
        )
        .await;
        let (status, _, html) = answer(broken).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(html.contains("id=\"template-error\""), "{html}");
        assert!(html.contains("es/received.txt, line 1"), "{html}");
        assert!(
            html.contains("{{ title }{% endblock %}"),
            "what was typed is kept: {html}"
        );

        let (status, location, _) = answer(
            post_form(
                app,
                &admin,
                "/admin/mail/templates/received/es",
                &[("csrf_token", token.as_str()), ("source", EDITED)],
            )
            .await,
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        assert_eq!(
            location.as_deref(),
            Some("/admin/mail/templates/received/es?done=saved")
        );
        let list = admin
            .get(app.url("/admin/mail/templates"))
            .send()
            .await
            .expect("GET")
            .text()
            .await
            .expect("body");
        assert!(list.contains("Editado"), "{list}");

        let (status, location, _) = answer(
            post_form(
                app,
                &admin,
                "/admin/mail/templates/received/es/reset",
                &[("csrf_token", token.as_str())],
            )
            .await,
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        assert_eq!(
            location.as_deref(),
            Some("/admin/mail/templates/received/es?done=reset")
        );
        let editor = admin
            .get(app.url("/admin/mail/templates/received/es?done=reset"))
            .send()
            .await
            .expect("GET")
            .text()
            .await
            .expect("body");
        assert!(editor.contains("Recibimos su solicitud"), "{editor}");

        let desk = browser();
        sign_in(app, &desk, "soporte").await;
        let page = desk
            .get(app.url("/admin/mail/templates/received/es"))
            .send()
            .await
            .expect("GET");
        assert_eq!(page.status(), StatusCode::FORBIDDEN);
        let missing = admin
            .get(app.url("/admin/mail/templates/nothing/es"))
            .send()
            .await
            .expect("GET");
        assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    })
    .await;
}

#[tokio::test]
async fn a_notice_s_html_body_has_its_own_editor_and_preview() {
    each_backend(async |app| {
        let admin = browser();
        let token = sign_in(app, &admin, "admin").await;
        let list = admin
            .get(app.url("/admin/mail/templates"))
            .send()
            .await
            .expect("GET")
            .text()
            .await
            .expect("body");
        assert!(
            list.contains("href=\"/admin/mail/templates/resolved.html/en\""),
            "{list}"
        );
        assert!(list.contains("cuerpo HTML"), "{list}");
        let editor = admin
            .get(app.url("/admin/mail/templates/resolved.html/es"))
            .send()
            .await
            .expect("GET")
            .text()
            .await
            .expect("body");
        assert!(
            editor.contains("{% for paragraph in paragraphs %}"),
            "the shipped body, shown as text: {editor}"
        );
        let preview = post_form(
            app,
            &admin,
            "/admin/mail/templates/resolved.html/es/preview",
            &[
                ("csrf_token", token.as_str()),
                ("source", "<h2 id=\"own\">{{ title }}</h2><p>{{ body }}</p>"),
            ],
        )
        .await;
        assert_eq!(preview.status(), StatusCode::OK);
        let html = preview.text().await.expect("body");
        assert!(
            html.contains("<h2 id=\"own\">La impresora del piso 2 no imprime</h2>"),
            "{html}"
        );
        assert!(html.contains("Se reinició la cola de impresión"), "{html}");
    })
    .await;
}
