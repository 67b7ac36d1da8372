//! The queue's bulk actions: the new requests ticked assigned to one
//! technician, the resolved ones ticked closed. Each ticket goes through the
//! same command as its own button, with the version the page showed.

use super::*;
use axum::extract::{Form, Query};
use sau_service::TechnicianRef;
use serde::Deserialize;

/// What a bulk form sent: `bulk` (`assign` or `close`), the technician for an
/// assignment, and each ticked ticket as `number:version`.
fn read(fields: &[(String, String)]) -> (String, String, Vec<(String, i64)>) {
    let get = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_owned())
            .unwrap_or_default()
    };
    let tickets = fields
        .iter()
        .filter(|(k, _)| k == "ticket")
        .filter_map(|(_, v)| {
            let (number, version) = v.trim().split_once(':')?;
            Some((number.to_owned(), version.parse().ok()?))
        })
        .collect();
    (get("bulk"), get("technician"), tickets)
}

/// `POST /queue/bulk`: back to the queue, which says how many went through
/// and which did not.
pub(crate) async fn bulk(
    State(state): State<AppState>,
    user: WebUser,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let WebUser { caller, chrome } = user;
    if !dispatches(&caller) {
        return forbidden_page(chrome);
    }
    let (kind, technician, tickets) = read(&fields);
    let action = match kind.as_str() {
        "close" => Action::Close,
        "assign" if !technician.is_empty() => Action::Assign {
            technician: TechnicianRef::Login(technician),
            priority: None,
            category: None,
        },
        _ => return Redirect::to("/queue").into_response(),
    };
    if tickets.is_empty() {
        return Redirect::to("/queue?bulk=none").into_response();
    }
    let outcomes = match state
        .service
        .act_on_each(&caller, &tickets, &action, CHANNEL)
        .await
    {
        Ok(outcomes) => outcomes,
        Err(e) => return service_error_page(chrome, &e),
    };
    let done = outcomes.iter().filter(|(_, o)| o.is_ok()).count();
    let refused: Vec<&str> = outcomes
        .iter()
        .filter(|(_, o)| o.is_err())
        .map(|(number, _)| number.as_str())
        .collect();
    Redirect::to(&format!(
        "/queue?bulk={kind}&done={done}&refused={}",
        refused.join(",")
    ))
    .into_response()
}

/// What the queue says after a bulk action.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct BulkOutcome {
    bulk: Option<String>,
    done: Option<usize>,
    refused: Option<String>,
}

/// The queue's notice for `outcome`: how many went through, which did not.
pub(super) fn notice(lang: Lang, outcome: &BulkOutcome) -> Option<(String, bool)> {
    let kind = outcome.bulk.as_deref()?;
    if kind == "none" {
        return Some((translate(lang, "bulk-none"), false));
    }
    let key = match kind {
        "close" => "bulk-closed",
        "assign" => "bulk-assigned",
        _ => return None,
    };
    let done = outcome.done.unwrap_or(0).to_string();
    let mut text = crate::i18n::translate_with(lang, key, &[("count", done)]);
    let refused: Vec<&str> = outcome
        .refused
        .as_deref()
        .unwrap_or("")
        .split(',')
        .filter(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
        .collect();
    let clean = refused.is_empty();
    if !clean {
        text.push(' ');
        text.push_str(&crate::i18n::translate_with(
            lang,
            "bulk-refused",
            &[("numbers", refused.join(", "))],
        ));
    }
    Some((text, clean))
}

/// `Query` of the queue page.
pub(crate) type QueueQuery = Query<BulkOutcome>;
