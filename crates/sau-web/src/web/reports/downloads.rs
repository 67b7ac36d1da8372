//! The report as files: one table as CSV, the whole report as XLSX.

use super::tables::report_tables;
use super::{ReportParams, export, load, period_words};
use crate::AppState;
use crate::downloads::content_disposition;
use crate::web::chrome::Chrome;
use crate::web::pages::{WebUser, forbidden_page, service_error_page};
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sau_domain::Role;
use sau_service::{Dashboard, ServiceError};

fn download(bytes: Vec<u8>, mime: &str, name: &str) -> Response {
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(mime) {
        headers.insert(header::CONTENT_TYPE, v);
    }
    if let Ok(v) = HeaderValue::from_str(&content_disposition(name, false)) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

fn file_stem(d: &Dashboard) -> String {
    format!("sau-informe-{}-{}", d.from, d.to)
}

/// Loads the dashboard for an export, or the response that refuses it.
async fn export_dashboard(
    state: &AppState,
    user: WebUser,
    params: &ReportParams,
) -> Result<(Chrome, Dashboard), Response> {
    let WebUser { caller, chrome } = user;
    if !caller.has(Role::Supervisor) {
        return Err(forbidden_page(chrome));
    }
    match load(state, &caller, &chrome, params).await {
        Ok(Ok(d)) => Ok((chrome, d)),
        Ok(Err(problems)) => {
            let words: Vec<String> = problems
                .iter()
                .map(|p| format!("{}: {}", p.field, p.message))
                .collect();
            Err((StatusCode::BAD_REQUEST, words.join("\n")).into_response())
        }
        Err(e) => Err(service_error_page(chrome, &e)),
    }
}

/// One table of the report as CSV (`?table=…` with the report's filters).
pub(crate) async fn export_csv(
    State(state): State<AppState>,
    user: WebUser,
    Query(params): Query<ReportParams>,
) -> Response {
    let (chrome, d) = match export_dashboard(&state, user, &params).await {
        Ok(x) => x,
        Err(response) => return response,
    };
    let tables = report_tables(&chrome, &d);
    let Some(table) = tables.iter().find(|t| t.id == params.table.trim()) else {
        return (StatusCode::BAD_REQUEST, chrome.t("reports-problem-table")).into_response();
    };
    match export::table_csv(table) {
        Ok(bytes) => download(
            bytes,
            "text/csv; charset=utf-8",
            &format!("{}-{}.csv", file_stem(&d), table.id),
        ),
        Err(e) => failed(chrome, e),
    }
}

/// A file that could not be written in memory: a fault of SAU's, logged.
fn failed(chrome: Chrome, e: impl std::fmt::Display) -> Response {
    tracing::error!(error = %e, "writing a report's file failed");
    let fault = sau_service::StoreError::Corrupt(e.to_string());
    service_error_page(chrome, &ServiceError::Internal(fault))
}

/// The whole report as an XLSX workbook, a sheet per table.
pub(crate) async fn export_xlsx(
    State(state): State<AppState>,
    user: WebUser,
    Query(params): Query<ReportParams>,
) -> Response {
    let (chrome, d) = match export_dashboard(&state, user, &params).await {
        Ok(x) => x,
        Err(response) => return response,
    };
    let tables = report_tables(&chrome, &d);
    let heading = vec![
        format!("{} — {}", chrome.app_name(), chrome.t("reports-title")),
        period_words(&chrome, &d),
    ];
    match export::tables_xlsx(&heading, &tables) {
        Ok(bytes) => download(
            bytes,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            &format!("{}.xlsx", file_stem(&d)),
        ),
        Err(e) => failed(chrome, e),
    }
}
