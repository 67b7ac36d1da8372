//! One error vocabulary: [`ApiError::classify`] is the one table from a service
//! error to its status and code. The API renders it as
//! `{"error":{"code","message","fields","request_id"}}`, the pages as a page with
//! the same status (see `web::pages::error_page`), in the caller's language.

use crate::i18n::{Lang, error_message, problem_message, refusal_message};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sau_domain::AttachmentRefusal;
use sau_service::ServiceError;
use std::collections::BTreeMap;

#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    /// Field → problem code.
    pub fields: BTreeMap<String, String>,
    /// Extra facts for the client (e.g. the ticket's current version).
    pub details: serde_json::Map<String, serde_json::Value>,
    /// Refused files: their message names the limit or the accepted kinds.
    pub refusal: Option<AttachmentRefusal>,
}

/// Every error the JSON API answers, whatever its status.
#[derive(serde::Serialize, utoipa::ToSchema)]
#[schema(as = Error)]
pub struct ErrorBody {
    error: ErrorDetail,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// Stable, for programs: `invalid_input`, `not_found`, `stale_version`…
    code: &'static str,
    /// For people, in the language of `Accept-Language` (Spanish first).
    message: String,
    /// Each field that was wrong, by name (`title`, `fields.sistema`…).
    fields: BTreeMap<String, FieldError>,
    /// The `X-Request-Id` of the answer, to quote to the administrators.
    request_id: Option<String>,
    /// Facts some errors add beside these: `current_version` (409 on a stale
    /// `version`), `state` (409 on a command the state does not allow),
    /// `retry_after` (429), `limit_bytes`, `file` and `allowed` (refused files).
    #[serde(flatten)]
    #[schema(ignore)]
    details: serde_json::Map<String, serde_json::Value>,
}

/// What is wrong with one field.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct FieldError {
    /// `required`, `too_long`, `not_an_option`, `unknown`…
    code: String,
    message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str) -> ApiError {
        ApiError {
            status,
            code,
            fields: BTreeMap::new(),
            details: serde_json::Map::new(),
            refusal: None,
        }
    }

    /// Files refused: 413 over a limit, 415 for a kind not accepted, 422 for an
    /// empty file; the details say which limit, file and accepted kinds.
    pub fn refused(refusal: AttachmentRefusal) -> ApiError {
        let mut err = ApiError::new(refusal_status(&refusal), refusal.code());
        let details = &mut err.details;
        match &refusal {
            AttachmentRefusal::FileTooLarge { file, limit } => {
                details.insert("file".into(), serde_json::json!(file));
                details.insert("limit_bytes".into(), serde_json::json!(limit));
            }
            AttachmentRefusal::RequestTooLarge { limit } => {
                details.insert("limit_bytes".into(), serde_json::json!(limit));
            }
            AttachmentRefusal::TooManyFiles { limit } => {
                details.insert("limit_files".into(), serde_json::json!(limit));
            }
            AttachmentRefusal::UnsupportedType { file, allowed } => {
                details.insert("file".into(), serde_json::json!(file));
                let keys: Vec<_> = allowed.iter().map(|k| k.key()).collect();
                details.insert("allowed".into(), serde_json::json!(keys));
            }
            AttachmentRefusal::Empty { file } => {
                details.insert("file".into(), serde_json::json!(file));
            }
        }
        err.refusal = Some(refusal);
        err
    }

    pub fn field(mut self, field: &str, problem: &str) -> ApiError {
        self.fields.insert(field.to_owned(), problem.to_owned());
        self
    }

    /// What went wrong, for people, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        match &self.refusal {
            Some(refusal) => refusal_message(refusal, lang),
            None => error_message(self.code, lang).to_owned(),
        }
    }

    fn body(&self, lang: Lang) -> ErrorBody {
        let fields = self
            .fields
            .iter()
            .map(|(field, problem)| {
                let message = problem_message(problem, lang);
                let problem = FieldError {
                    code: problem.clone(),
                    message,
                };
                (field.clone(), problem)
            })
            .collect();
        ErrorBody {
            error: ErrorDetail {
                code: self.code,
                message: self.message(lang),
                fields,
                request_id: crate::request_id::current(),
                details: self.details.clone(),
            },
        }
    }

    fn render(&self, lang: Lang) -> Response {
        let mut response = (self.status, axum::Json(self.body(lang))).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        if let Some(seconds) = self.details.get("retry_after").and_then(|s| s.as_u64()) {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

/// Whole seconds to wait, rounded up and at least one (for `Retry-After`).
pub fn retry_seconds(wait: std::time::Duration) -> u64 {
    (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1)
}

/// The status of refused files, for the API and the pages alike: over a limit
/// 413, a kind not accepted 415, an empty file 422.
pub fn refusal_status(refusal: &AttachmentRefusal) -> StatusCode {
    match refusal {
        AttachmentRefusal::FileTooLarge { .. }
        | AttachmentRefusal::RequestTooLarge { .. }
        | AttachmentRefusal::TooManyFiles { .. } => StatusCode::PAYLOAD_TOO_LARGE,
        AttachmentRefusal::UnsupportedType { .. } => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        AttachmentRefusal::Empty { .. } => StatusCode::UNPROCESSABLE_ENTITY,
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        // Rendered in Spanish here; `localize_errors` renders it again in the
        // caller's language, which only the request knows.
        let mut response = self.render(Lang::Es);
        response.extensions_mut().insert(self);
        response
    }
}

/// Re-renders API errors in the language the request asked for, and gives the
/// failures the framework answers by itself (a method the route does not take, a
/// body over the limit, a bare status) the shape of their surface: the API's
/// JSON error for API clients, an error page for browsers.
pub async fn localize_errors(
    State(state): State<crate::AppState>,
    request: Request,
    next: Next,
) -> Response {
    if crate::otrs::is_otrs_path(request.uri().path()) {
        return next.run(request).await;
    }
    let lang = Lang::from_headers(request.headers());
    let api_client = crate::web::pages::wants_json(&request);
    let headers = request.headers().clone();
    let response = next.run(request).await;
    if let Some(error) = response.extensions().get::<ApiError>() {
        return if !api_client {
            crate::web::pages::anonymous_error_page(&state, &headers, error)
        } else if lang == Lang::Es {
            response
        } else {
            error.render(lang)
        };
    }
    let status = response.status();
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    // Pages render their own errors in HTML, and JSON is already the API's; only
    // bare framework answers (empty or plain-text bodies) are given a shape.
    let shaped =
        content_type.starts_with("application/json") || content_type.starts_with("text/html");
    if shaped || !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let code = match status {
        StatusCode::UNAUTHORIZED => "unauthenticated",
        StatusCode::FORBIDDEN => "forbidden",
        StatusCode::NOT_FOUND => "not_found",
        StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
        StatusCode::PAYLOAD_TOO_LARGE => "payload_too_large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
        StatusCode::UNPROCESSABLE_ENTITY => "invalid_input",
        s if s.is_client_error() => "bad_request",
        _ => "internal",
    };
    let error = ApiError::new(status, code);
    let mut rendered = if api_client {
        error.render(lang)
    } else {
        crate::web::pages::anonymous_error_page(&state, &headers, &error)
    };
    for name in [header::ALLOW, header::RETRY_AFTER] {
        if let Some(value) = response.headers().get(&name) {
            rendered.headers_mut().insert(name, value.clone());
        }
    }
    rendered
}

impl From<ServiceError> for ApiError {
    fn from(e: ServiceError) -> Self {
        ApiError::classify(&e)
    }
}

impl ApiError {
    /// The one table: every service error's status, code and details, for the
    /// API and the pages alike. Internal errors are logged here, with their
    /// cause, and never shown.
    pub fn classify(e: &ServiceError) -> ApiError {
        use sau_domain::DomainError;
        let code = e.code();
        match e {
            ServiceError::Unauthenticated | ServiceError::BadCredentials => {
                ApiError::new(StatusCode::UNAUTHORIZED, code)
            }
            ServiceError::Forbidden => ApiError::new(StatusCode::FORBIDDEN, code),
            ServiceError::Throttled { retry_after } => {
                let mut err = ApiError::new(StatusCode::TOO_MANY_REQUESTS, code);
                err.details.insert(
                    "retry_after".into(),
                    serde_json::json!(retry_seconds(*retry_after)),
                );
                err
            }
            ServiceError::NotFound(_) => ApiError::new(StatusCode::NOT_FOUND, code),
            ServiceError::StaleVersion { current } => {
                let mut err = ApiError::new(StatusCode::CONFLICT, code);
                err.details
                    .insert("current_version".into(), serde_json::json!(current));
                err
            }
            ServiceError::Duplicate(what) => {
                let mut err = ApiError::new(StatusCode::CONFLICT, code);
                err.details.insert("what".into(), serde_json::json!(what));
                err
            }
            ServiceError::Invalid(fields) => {
                let mut err = ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code);
                for (field, problem) in fields {
                    err = err.field(field, problem.as_str());
                }
                err
            }
            ServiceError::Domain(d) => match d {
                DomainError::NotAllowed { .. } => ApiError::new(StatusCode::FORBIDDEN, code),
                DomainError::ReopenWindowExpired { days } => {
                    let mut err = ApiError::new(StatusCode::FORBIDDEN, code);
                    err.details.insert("days".into(), serde_json::json!(days));
                    err
                }
                DomainError::InvalidTransition { state, .. } => {
                    let mut err = ApiError::new(StatusCode::CONFLICT, code);
                    err.details
                        .insert("state".into(), serde_json::json!(state.as_str()));
                    err
                }
                DomainError::NotATechnician => {
                    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code)
                        .field("technician", "unknown")
                }
                DomainError::Invalid { field, problem } => {
                    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code)
                        .field(field, problem.as_str())
                }
                DomainError::InvalidFields(fields) => {
                    let mut err = ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code);
                    for (field, problem) in fields {
                        let field = if field == sau_domain::Category::ATTACHMENTS {
                            field.clone()
                        } else {
                            format!("fields.{field}")
                        };
                        err = err.field(&field, problem.as_str());
                    }
                    err
                }
            },
            ServiceError::Attachment(refusal) => ApiError::refused(refusal.clone()),
            ServiceError::Internal(source) => {
                tracing::error!(error = %source, "internal error");
                ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal")
            }
        }
    }
}
