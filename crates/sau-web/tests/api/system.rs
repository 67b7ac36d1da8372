//! What operators read: `/healthz` and `/metrics`.

use crate::support::{METRICS_TOKEN, TestApp, each_backend};
use reqwest::Method;

#[tokio::test]
async fn healthz_answers_200_with_the_database_backend() {
    each_backend(async |app| {
        let body = app.call(Method::GET, "/healthz").send().await.expect(200);
        assert_eq!(body["status"], "ok");
        assert_eq!(body["database"], app.backend);
    })
    .await;
}

/// The value of the `sau_http_requests_total` series whose labels include every one
/// of `labels` (0 when there is none yet).
fn requests_total(metrics: &str, labels: &[&str]) -> f64 {
    metrics
        .lines()
        .filter(|l| l.starts_with("sau_http_requests_total{"))
        .filter(|l| labels.iter().all(|label| l.contains(label)))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
        .sum()
}

async fn scrape(app: &TestApp) -> String {
    let resp = app
        .call(Method::GET, "/metrics")
        .token(METRICS_TOKEN)
        .send()
        .await;
    assert_eq!(resp.status, 200, "{}: {}", app.backend, resp.text);
    let content_type = resp
        .headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    assert!(
        content_type.starts_with("text/plain"),
        "{}: content type {content_type}",
        app.backend
    );
    resp.text
}

#[tokio::test]
async fn metrics_exposes_a_prometheus_request_counter_by_route_and_status() {
    each_backend(async |app| {
        let b = app.backend;
        let token = app.login("soporte").await;
        let listed = [
            r#"route="/api/v1/tickets""#,
            r#"status="200""#,
            r#"method="GET""#,
        ];
        let unauthorized = [r#"route="/api/v1/tickets""#, r#"status="401""#];
        let before = scrape(app).await;
        app.get(&token, "/api/v1/tickets").await.expect(200);
        app.get(&token, "/api/v1/tickets").await.expect(200);
        app.call(Method::GET, "/api/v1/tickets")
            .send()
            .await
            .expect_error(401, "unauthenticated");
        let after = scrape(app).await;
        assert!(
            after.contains("# TYPE sau_http_requests_total counter"),
            "{b}: {after}"
        );
        // Other tests share the process-wide recorder, so counts only grow by at
        // least what this test did.
        assert!(
            requests_total(&after, &listed) >= requests_total(&before, &listed) + 2.0,
            "{b}: {after}"
        );
        assert!(
            requests_total(&after, &unauthorized) >= requests_total(&before, &unauthorized) + 1.0,
            "{b}: {after}"
        );
        assert!(
            after.contains("sau_http_request_duration_seconds"),
            "{b}: {after}"
        );
    })
    .await;
}

#[tokio::test]
async fn metrics_labels_ticket_routes_by_their_template_not_their_number() {
    each_backend(async |app| {
        let b = app.backend;
        let requester = app.login("solicitante").await;
        let n = app.submit_number(&requester, "telefonia", "Métricas").await;
        app.ticket(&requester, &n).await;
        let metrics = scrape(app).await;
        assert!(
            requests_total(&metrics, &[r#"route="/api/v1/tickets/{number}""#]) >= 1.0,
            "{b}: {metrics}"
        );
        assert!(
            !metrics.contains(&n),
            "{b}: a ticket number leaked into a label"
        );
        assert!(
            metrics.contains(r#"sau_tickets{state="new"}"#),
            "{b}: {metrics}"
        );
    })
    .await;
}

#[tokio::test]
async fn metrics_need_their_token_and_are_off_without_one() {
    each_backend(async |app| {
        let b = app.backend;
        let anonymous = app.call(Method::GET, "/metrics").send().await;
        assert_eq!(anonymous.status, 401, "{b}: {}", anonymous.text);
        let wrong = app
            .call(Method::GET, "/metrics")
            .token("metricas-de-prueba-012345678X")
            .send()
            .await;
        assert_eq!(wrong.status, 401, "{b}");
        // A user's API token is not the metrics token.
        let user = app.login("admin").await;
        let as_user = app.call(Method::GET, "/metrics").token(&user).send().await;
        assert_eq!(as_user.status, 401, "{b}");
    })
    .await;
    let app = crate::support::TestApp::builder("sqlite")
        .metrics_token(None)
        .spawn()
        .await;
    let off = app
        .call(Method::GET, "/metrics")
        .token(METRICS_TOKEN)
        .send()
        .await;
    assert_eq!(off.status, 404, "{}", off.text);
    app.stop().await;
}

#[tokio::test]
async fn invented_methods_do_not_grow_the_metrics() {
    each_backend(async |app| {
        let b = app.backend;
        for i in 0..40 {
            let method = Method::from_bytes(format!("INVENTADO{i}").as_bytes()).expect("method");
            app.call(method, "/api/v1/tickets").send().await;
        }
        let metrics = scrape(app).await;
        assert!(
            !metrics.contains("INVENTADO"),
            "{b}: an invented method became a label: {metrics}"
        );
        assert!(
            requests_total(&metrics, &[r#"method="other""#]) >= 40.0,
            "{b}: {metrics}"
        );
    })
    .await;
}
