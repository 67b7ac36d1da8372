//! The queue's bulk actions: the new requests ticked assigned to one
//! technician, the resolved ones ticked closed. Each ticket goes through the
//! same command as its own button, with the version the page showed.

use super::*;
use axum::extract::{Form, Query};
use sau_service::TechnicianRef;
use serde::Deserialize;

/// The query keys that carry a bulk action's outcome back to its page.
pub(crate) const OUTCOME_KEYS: [&str; 3] = ["bulk", "done", "refused"];

/// Where a bulk form comes back to: the ticket list it was sent from (as
/// filtered), or the queue. Nothing outside SAU's own lists.
fn back_to(fields: &[(String, String)]) -> &str {
    let wanted = fields
        .iter()
        .find(|(k, _)| k == "return_to")
        .map_or("", |(_, v)| v.trim());
    // Visible ASCII only: a redirect's address goes into a header as it is.
    let printable = wanted.bytes().all(|b| b.is_ascii_graphic());
    if printable && (wanted == "/" || wanted.starts_with("/?")) {
        wanted
    } else {
        "/queue"
    }
}

/// The page `back` with the outcome added to its query.
fn with_outcome(back: &str, outcome: &str) -> String {
    let joiner = if back.contains('?') { '&' } else { '?' };
    format!("{back}{joiner}{outcome}")
}

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

/// `POST /queue/bulk`: back to the queue (or the ticket list it came from),
/// which says how many went through and which did not.
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
    let back = back_to(&fields);
    let action = match kind.as_str() {
        "close" => Action::Close,
        "assign" if !technician.is_empty() => Action::Assign {
            technician: TechnicianRef::Login(technician),
            priority: None,
            category: None,
        },
        _ => return Redirect::to(back).into_response(),
    };
    if tickets.is_empty() {
        return Redirect::to(&with_outcome(back, "bulk=none")).into_response();
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
    Redirect::to(&with_outcome(
        back,
        &format!("bulk={kind}&done={done}&refused={}", refused.join(",")),
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
pub(crate) fn notice(lang: Lang, outcome: &BulkOutcome) -> Option<(String, bool)> {
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
