//! What the top of a ticket page must say at once: how to reach the requester's
//! computer (AnyDesk, from the moment a request carries an id), what brought
//! the ticket back (returned or reopened), with whom to offer it to, and who
//! typed a request taken by phone.

use super::*;

pub(super) struct AnyDesk {
    /// As the requester typed it, to read out or copy.
    pub(super) id: String,
    /// `anydesk:{id}`, which opens the AnyDesk client.
    pub(super) link: String,
}

/// What brought a ticket back, said on top of its page until it is resolved
/// again: who returned or reopened it, and why.
pub(super) struct SetbackBanner {
    pub(super) title: String,
    pub(super) reason: String,
    pub(super) time: String,
}

/// An AnyDesk id fit for a link: digits, letters and the alias marks only.
pub(super) fn anydesk_link(tool: Option<&str>, id: Option<&str>) -> Option<String> {
    let tool = tool?.trim();
    let id: String = id?.chars().filter(|c| !c.is_whitespace()).collect();
    let fits = !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '@' | '.' | '-' | '_'));
    (tool.eq_ignore_ascii_case("anydesk") && fits).then(|| format!("anydesk:{id}"))
}

/// The AnyDesk id of a ticket: the attention's, when it was remote with AnyDesk,
/// else the request's own AnyDesk field (any field whose key starts `anydesk`,
/// as the default category's `anydesk_id` does), so a technician can connect
/// before deciding how to attend.
pub(super) fn anydesk(ticket: &sau_domain::Ticket) -> Option<AnyDesk> {
    let attention = ticket.attention.as_ref();
    let used = attention.and_then(|a| Some((a.remote_tool.as_deref(), a.remote_id.clone()?)));
    let requested = ticket.fields.iter().find_map(|(key, value)| match value {
        FieldValue::Text(id) if key.starts_with("anydesk") => Some((Some("AnyDesk"), id.clone())),
        _ => None,
    });
    [used, requested]
        .into_iter()
        .flatten()
        .find_map(|(tool, id)| {
            let link = anydesk_link(tool, Some(&id))?;
            Some(AnyDesk { id, link })
        })
}

/// The banner for a ticket that came back: the latest return or reopen, while
/// the ticket still carries it.
pub(super) fn setback_banner(
    chrome: &Chrome,
    record: &TicketRecord,
    events: &[StoredEvent],
) -> Option<SetbackBanner> {
    let setback = record.ticket.setback?;
    let (e, reason) = events
        .iter()
        .rev()
        .find_map(|e| match (&e.event.kind, setback) {
            (EventKind::Returned { reason }, Setback::Returned)
            | (EventKind::Reopened { reason, .. }, Setback::Reopened) => Some((e, reason)),
            _ => None,
        })?;
    let key = match setback {
        Setback::Returned => "agent-banner-returned",
        Setback::Reopened => "agent-banner-reopened",
    };
    Some(SetbackBanner {
        title: crate::i18n::translate_with(
            chrome.lang,
            key,
            &[("name", e.actor.display_name.clone())],
        ),
        reason: reason.clone(),
        time: chrome.time(&e.event.at),
    })
}

/// The technician who had a ticket before it was reopened, while it waits for a
/// new assignment: the dispatcher is offered them first.
pub(super) fn former_technician(record: &TicketRecord, events: &[StoredEvent]) -> Option<UserId> {
    if record.ticket.state != TicketState::New || record.ticket.setback != Some(Setback::Reopened) {
        return None;
    }
    events.iter().rev().find_map(|e| match e.event.kind {
        EventKind::Reopened {
            former_technician, ..
        } => Some(former_technician),
        _ => None,
    })?
}

/// Who typed a request for its requester, and how it reached them ("Sergio
/// Soporte · Por teléfono"); `None` for a request its requester typed.
pub(super) fn typed_by(chrome: &Chrome, events: &[StoredEvent]) -> Option<String> {
    events.iter().find_map(|e| match &e.event.kind {
        EventKind::Submitted {
            intake: Some(intake),
            ..
        } => Some(format!(
            "{} · {}",
            e.actor.display_name,
            chrome.t(&format!("intake-{}", intake.as_str()))
        )),
        _ => None,
    })
}
