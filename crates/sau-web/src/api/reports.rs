//! The director's dashboard as JSON (`GET /api/v1/reports`, supervisors):
//! the same figures as the reports page, for scripts and other systems.

use crate::AppState;
use crate::error::ApiError;
use crate::extract::AuthUser;
use crate::i18n::Lang;
use axum::Json;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use sau_domain::{Compliance, FieldProblem, Granularity, Step, TargetKind};
use sau_service::{Dashboard, GroupFigures, ReportQuery, ServiceError, Tally};
use serde_json::{Map, Value, json};

/// The filters, as the query string gives them.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ReportParams {
    from: Option<String>,
    to: Option<String>,
    category: Option<String>,
    priority: Option<i64>,
    technician: Option<String>,
    mode: Option<String>,
    department: Option<String>,
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

fn compliance(c: Compliance) -> Value {
    json!({"met": c.met, "measured": c.measured, "percent": c.percent()})
}

fn targets(all: &[Compliance; 4]) -> Value {
    let map: Map<String, Value> = TargetKind::ALL
        .iter()
        .zip(all)
        .map(|(kind, c)| (kind.as_str().to_owned(), compliance(*c)))
        .collect();
    Value::Object(map)
}

fn name(t: &Tally, lang: Lang) -> &str {
    lang.pick(&t.name_es, &t.name_en)
}

fn group(g: &GroupFigures, lang: Lang) -> Value {
    let averages: Map<String, Value> = Step::ALL
        .iter()
        .map(|s| (s.as_str().to_owned(), json!(g.average[s.index()])))
        .collect();
    json!({
        "key": g.group.key,
        "name": name(&g.group, lang),
        "closed": g.closed,
        "targets": targets(&g.compliance),
        "average_seconds": averages,
        "ratings": {"count": g.ratings.count(), "average": g.ratings.average()},
    })
}

fn tallies(list: &[Tally], lang: Lang) -> Value {
    list.iter()
        .map(|t| json!({"key": t.key, "name": name(t, lang), "count": t.count}))
        .collect()
}

fn dashboard_json(d: &Dashboard, lang: Lang) -> Value {
    let groups = |list: &[GroupFigures]| -> Value { list.iter().map(|g| group(g, lang)).collect() };
    let steps: Map<String, Value> = d
        .steps
        .iter()
        .map(|s| {
            (
                s.step.as_str().to_owned(),
                json!({"average_seconds": s.average_secs, "p90_minutes": s.p90_minutes}),
            )
        })
        .collect();
    let states: Map<String, Value> = d
        .open
        .by_state
        .iter()
        .map(|(s, n)| (s.as_str().to_owned(), json!(n)))
        .collect();
    json!({
        "from": d.from.to_string(),
        "to": d.to.to_string(),
        "by": d.by.as_str(),
        "received": d.received,
        "closed": d.all.closed,
        "targets": targets(&d.all.compliance),
        "steps": steps,
        "ratings": {
            "count": d.all.ratings.count(),
            "average": d.all.ratings.average(),
            "by_score": d.all.ratings.counts,
        },
        "groups": {
            "category": groups(&d.by_category),
            "priority": groups(&d.by_priority),
            "technician": groups(&d.by_technician),
            "mode": groups(&d.by_mode),
            "department": groups(&d.by_department),
        },
        "trend": d.trend.iter().map(|p| json!({
            "start": p.start.to_string(),
            "received": p.received,
            "closed": p.closed,
            "total": compliance(p.total),
        })).collect::<Vec<_>>(),
        "open": {
            "total": d.open.total,
            "state": states,
            "category": tallies(&d.open.by_category, lang),
            "technician": tallies(&d.open.by_technician, lang),
            "department": tallies(&d.open.by_department, lang),
            "mode": tallies(&d.open.by_mode, lang),
        },
    })
}

pub async fn dashboard(
    State(state): State<AppState>,
    AuthUser(caller): AuthUser,
    headers: HeaderMap,
    Query(params): Query<ReportParams>,
) -> Result<Json<Value>, ApiError> {
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
    Ok(Json(dashboard_json(&d, lang)))
}
