//! "Trabajos en segundo plano": the jobs that wait, run or were set aside after
//! too many failures, with their last error, and a button to try a failed one
//! again.

use super::{AdminUser, Done, failure, see_other};
use crate::AppState;
use crate::web::chrome::Chrome;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use sau_service::{JobCounts, JobView};

/// One job as a row of the page.
struct Row {
    id: i64,
    kind: String,
    attempts: i64,
    /// "Failed", "running" or "waiting", in the reader's language.
    status: String,
    failed: bool,
    /// When it runs next, or when it failed.
    when: String,
    last_error: String,
}

impl Row {
    fn of(job: JobView, chrome: &Chrome) -> Row {
        let now = jiff::Timestamp::now();
        let (status, when) = match (job.failed_at, job.locked_until) {
            (Some(at), _) => ("admin-job-failed", at),
            (None, Some(until)) if until > now => ("admin-job-running", until),
            _ => ("admin-job-waiting", job.run_at),
        };
        Row {
            id: job.id,
            kind: job.kind,
            attempts: job.attempts,
            status: chrome.t(status),
            failed: job.failed_at.is_some(),
            when: chrome.time(&when),
            last_error: job.last_error.unwrap_or_default(),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_jobs.html")]
struct JobsPage {
    chrome: Chrome,
    counts: JobCounts,
    rows: Vec<Row>,
    notice: Option<String>,
}

pub(crate) async fn jobs_page(
    State(state): State<AppState>,
    admin: AdminUser,
    Query(done): Query<Done>,
) -> Response {
    let overview = match state.service.jobs_overview(&admin.caller).await {
        Ok(overview) => overview,
        Err(e) => return failure(admin.chrome, &e),
    };
    let chrome = admin.chrome;
    JobsPage {
        notice: done.notice(&chrome),
        counts: overview.counts,
        rows: overview
            .jobs
            .into_iter()
            .map(|job| Row::of(job, &chrome))
            .collect(),
        chrome,
    }
    .into_response()
}

pub(crate) async fn retry(
    State(state): State<AppState>,
    admin: AdminUser,
    Path(id): Path<i64>,
) -> Response {
    match state.service.retry_job(&admin.caller, id).await {
        Ok(()) => see_other("/admin/jobs?done=1"),
        Err(e) => failure(admin.chrome, &e),
    }
}
