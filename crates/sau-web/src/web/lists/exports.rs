//! A ticket list as a file: the list's "export" buttons post its filters
//! here; the file is written in the background while a page shows how many
//! rows are written, and offers it once it is ready.

use super::*;
use crate::downloads::content_disposition;
use crate::web::pages::missing_page;
use axum::extract::{Form, Path};
use axum::http::{HeaderValue, header};
use sau_service::{ExportFormat, ExportView};

/// What the export buttons send: the format, and the list's own address.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub(crate) struct ExportForm {
    format: String,
    /// The list as filtered (`/?…`).
    list: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "export_page.html")]
struct ExportPage {
    chrome: Chrome,
    export: ExportView,
    /// Rows written, as shown.
    written: String,
    /// The list it came from.
    list: String,
}

impl ExportPage {
    fn running(&self) -> bool {
        matches!(self.export.state.as_str(), "queued" | "running")
    }
}

/// Starts an export of the list as filtered, then shows its progress.
pub(crate) async fn start(
    State(state): State<AppState>,
    user: WebUser,
    Form(form): Form<ExportForm>,
) -> Response {
    let WebUser { caller, chrome } = user;
    let Some(format) = ExportFormat::parse(form.format.trim()) else {
        return (StatusCode::BAD_REQUEST, chrome.t("export-problem-format")).into_response();
    };
    let query = form
        .list
        .trim()
        .strip_prefix("/?")
        .or_else(|| form.list.trim().strip_prefix('/'))
        .unwrap_or("");
    let params: ListParams = match serde_urlencoded::from_str(query) {
        Ok(p) => p,
        Err(_) => {
            return (StatusCode::BAD_REQUEST, chrome.t("list-problem-option")).into_response();
        }
    };
    let agent = caller.roles().is_agent();
    let mut query = match ticket_query(&chrome, &params, agent) {
        Ok(q) => q,
        Err(problems) => {
            let words: Vec<String> = problems.into_iter().map(|p| p.message).collect();
            return (StatusCode::BAD_REQUEST, words.join("\n")).into_response();
        }
    };
    query.cursor = None;
    query.limit = None;
    match state.service.start_export(&caller, query, format).await {
        Ok(id) => Redirect::to(&format!("/exports/{id}")).into_response(),
        Err(e) => service_error_page(chrome, &e),
    }
}

/// How an export is going; the page reloads itself until it is written.
pub(crate) async fn progress(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
) -> Response {
    let WebUser { caller, chrome } = user;
    match state.service.export_status(&caller, id).await {
        Ok(export) => ExportPage {
            written: export.rows_done.to_string(),
            list: "/".into(),
            export,
            chrome,
        }
        .into_response(),
        Err(sau_service::ServiceError::NotFound(_)) => missing_page(chrome),
        Err(e) => service_error_page(chrome, &e),
    }
}

/// The written file.
pub(crate) async fn file(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
) -> Response {
    let WebUser { caller, chrome } = user;
    let (export, file) = match state.service.export_file(&caller, id).await {
        Ok(x) => x,
        Err(sau_service::ServiceError::NotFound(_)) => return missing_page(chrome),
        Err(e) => return service_error_page(chrome, &e),
    };
    let body =
        axum::body::Body::from_stream(tokio_util::io::ReaderStream::with_capacity(file, 64 * 1024));
    let mut response = body.into_response();
    let headers = response.headers_mut();
    let mut set = |name, value: &str| {
        if let Ok(v) = HeaderValue::from_str(value) {
            headers.insert(name, v);
        }
    };
    set(header::CONTENT_TYPE, export.format.mime_type());
    set(
        header::CONTENT_DISPOSITION,
        &content_disposition(&export.file_name(), false),
    );
    if let Some(size) = export.size {
        set(header::CONTENT_LENGTH, &size.to_string());
    }
    set(header::CACHE_CONTROL, "private, no-store");
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    response
}
