//! "Trabajos en segundo plano": a failed job shows with its error and is put
//! back in line from the page.

use crate::browser::{answer, browser, sign_in};
use crate::support::each_backend;
use reqwest::StatusCode;

#[tokio::test]
async fn a_failed_job_is_shown_with_its_error_and_retried_from_the_page() {
    each_backend(async |app| {
        let store = app.service.store();
        let now = jiff::Timestamp::now();
        let id = store
            .enqueue_job("expire_sessions".into(), "{}".into(), now, None)
            .await
            .expect("enqueue")
            .expect("id");
        let claimed = store
            .claim_jobs(now, jiff::SignedDuration::from_mins(1), 10)
            .await
            .expect("claim");
        assert!(claimed.iter().any(|j| j.id == id));
        store
            .fail_job(id, "disco lleno <b>".into(), now, None)
            .await
            .expect("set aside");

        let client = browser();
        let token = sign_in(app, &client, "admin").await;
        let page = client
            .get(app.url("/admin/jobs"))
            .send()
            .await
            .expect("GET");
        assert_eq!(page.status(), StatusCode::OK);
        let html = page.text().await.expect("body");
        assert!(html.contains("Trabajos en segundo plano"), "{html}");
        assert!(html.contains("expire_sessions"));
        assert!(
            html.contains("disco lleno &#60;b&#62;"),
            "the error, escaped: {html}"
        );
        let retry_path = format!("/admin/jobs/{id}/retry");
        assert!(html.contains(&retry_path), "a retry button");

        let (status, location, _) = answer(
            client
                .post(app.url(&retry_path))
                .form(&[("csrf_token", token.as_str())])
                .send()
                .await
                .expect("POST"),
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{}", app.backend);
        assert_eq!(location.as_deref(), Some("/admin/jobs?done=1"));
        let counts = app.service.job_counts().await.expect("counts");
        assert_eq!(counts.failed, 0, "{}: back in line", app.backend);
        assert!(counts.waiting >= 1);

        // Retrying it again: it is no longer a failed job.
        let (status, _, _) = answer(
            client
                .post(app.url(&retry_path))
                .form(&[("csrf_token", token.as_str())])
                .send()
                .await
                .expect("POST"),
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{}", app.backend);
    })
    .await;
}
