//! The director's dashboard as JSON (`GET /api/v1/reports`, supervisors):
//! the same figures as the reports page, for scripts and other systems.

use crate::AppState;
use crate::api::report_json::{self, ReportJson};
use crate::error::{ApiError, ErrorBody};
use crate::extract::AuthUser;
use crate::i18n::Lang;
use axum::Json;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use sau_domain::{FieldProblem, Granularity};
use sau_service::{ReportQuery, ServiceError};

/// The filters, as the query string gives them.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct ReportParams {
    /// The period's first day, `YYYY-MM-DD` (default: the first of this month).
    from: Option<String>,
    /// Its last day (default: today).
    to: Option<String>,
    /// A category's key.
    category: Option<String>,
    /// 1 to 5.
    priority: Option<i64>,
    /// A technician's login.
    technician: Option<String>,
    /// `in_person` or `remote`.
    mode: Option<String>,
    /// A department's code.
    department: Option<String>,
    /// The trend's periods: `day`, `week` or `month` (default: by the period's length).
    by: Option<String>,
}

fn day(field: &str, value: Option<String>) -> Result<Option<jiff::civil::Date>, ServiceError> {
    value
        .filter(|v| !v.trim().is_empty())
        .map(|v| {
            v.trim()
                .parse()
                .map_err(|_| ServiceError::invalid(field, FieldProblem::NotADate))
        })
        .transpose()
}

/// The dashboard of a period: tickets received and closed, the time targets
/// met, each step's times, ratings, figures per group, the trend and what is
/// open now (supervisors: the director).
#[utoipa::path(
    get, path = "/reports", tag = "reports",
    params(ReportParams),
    responses(
        (status = 200, description = "The figures", body = ReportJson),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Not a supervisor", body = ErrorBody),
        (status = 422, description = "A filter does not read", body = ErrorBody),
    )
)]
pub async fn dashboard(
    State(state): State<AppState>,
    AuthUser(caller): AuthUser,
    headers: HeaderMap,
    Query(params): Query<ReportParams>,
) -> Result<Response, ApiError> {
    let lang = Lang::from_headers(&headers);
    // Every filter that does not read is named at once.
    let mut problems = std::collections::BTreeMap::new();
    let mut read_day = |field: &str, value: Option<String>| match day(field, value) {
        Ok(d) => d,
        Err(_) => {
            problems.insert(field.to_owned(), FieldProblem::NotADate);
            None
        }
    };
    let (from, to) = (read_day("from", params.from), read_day("to", params.to));
    let by = params
        .by
        .as_deref()
        .map(str::trim)
        .filter(|b| !b.is_empty())
        .and_then(|b| {
            let g = Granularity::parse(b);
            if g.is_none() {
                problems.insert("by".to_owned(), FieldProblem::NotAnOption);
            }
            g
        });
    if !problems.is_empty() {
        return Err(ServiceError::Invalid(problems).into());
    }
    let query = ReportQuery {
        from,
        to,
        category: params.category,
        priority: params.priority,
        technician: params.technician,
        mode: params.mode,
        department: params.department,
        by,
    };
    let d = state.service.dashboard(&caller, &query).await?;
    Ok(Json(report_json::report(&d, lang)).into_response())
}
