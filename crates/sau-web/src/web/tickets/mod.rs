//! The agents' pages, by what they show: the triage queue, a technician's
//! tickets, the ticket page and its actions, the supervisor's overview.
//!
//! Which actions the ticket page offers is asked of the rules
//! ([`sau_domain::Policy::allowed`]), never decided here.

mod action_area;
pub(crate) mod actions;
pub(crate) mod bulk;
mod header;
pub(crate) mod mine;
pub(crate) mod overview;
pub(crate) mod page;
pub(crate) mod queue;
mod requester;
mod times;

use crate::AppState;
use crate::error::ApiError;
use crate::i18n::{Lang, error_message, problem_message};
use crate::web::attachments::{
    AttachmentView, Unread, UploadView, attachment_views, read_form, service_refusal, unread,
};
use crate::web::chrome::{Chrome, translate};
use crate::web::pages::{WebUser, forbidden_page, missing_page, refused_page, service_error_page};
use crate::web::present::{
    Column, RowLink, TicketRow, category_name, elapsed, field_value, priority_label, setback_key,
    span,
};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use sau_domain::{
    AttentionMode, Category, CommandKind, DomainError, EntryKind, EventKind, FieldValue, Priority,
    Role, Setback, State as TicketState, UserId, Visibility,
};
use sau_domain::{StepTimes, TargetCheck, TargetKind, TargetStatus};
use sau_service::{
    Action, Caller, CommandInput, EntryRecord, ServiceError, StoredEvent, Tally, TechnicianLoad,
    TicketQuery, TicketRecord, TicketSort, TicketTimes,
};
use std::collections::HashMap;

/// The channel the web pages record on events and entries.
const CHANNEL: &str = "web";

// ---------------------------------------------------------------------------
// Shared bits

pub(super) fn dispatches(caller: &Caller) -> bool {
    caller.roles().dispatches()
}

/// One `<option>` of a select.
pub(super) struct Choice {
    pub(super) value: String,
    pub(super) label: String,
    pub(super) selected: bool,
}

/// Technicians with their open load ("Teresa Técnica (2)"); the least loaded is
/// pre-selected as the suggestion.
pub(super) fn technician_choices(
    lang: Lang,
    loads: &[TechnicianLoad],
    former: Option<UserId>,
) -> Vec<Choice> {
    let least = loads
        .iter()
        .enumerate()
        .min_by_key(|(i, l)| (l.open_tickets, *i))
        .map(|(i, _)| i);
    // A reopened ticket is offered first to whoever had it, if they still can.
    let suggested = loads
        .iter()
        .position(|l| Some(l.user.id) == former)
        .or(least);
    loads
        .iter()
        .enumerate()
        .map(|(i, l)| Choice {
            value: l.user.login.clone(),
            label: if Some(l.user.id) == former {
                format!(
                    "{} ({}) — {}",
                    l.user.display_name,
                    l.open_tickets,
                    translate(lang, "agent-former-technician")
                )
            } else {
                format!("{} ({})", l.user.display_name, l.open_tickets)
            },
            selected: Some(i) == suggested,
        })
        .collect()
}

/// The five priorities; the current one is sent as "" (no change).
pub(super) fn priority_choices(lang: Lang, current: Priority) -> Vec<Choice> {
    (1..=5)
        .filter_map(Priority::new)
        .map(|p| Choice {
            value: if p == current {
                String::new()
            } else {
                i64::from(p).to_string()
            },
            label: priority_label(lang, p),
            selected: p == current,
        })
        .collect()
}

/// The categories open for requests; the current one is sent as "" (no change),
/// so a ticket of a retired category keeps it unless someone picks another.
pub(super) fn category_choices(
    lang: Lang,
    categories: &[Category],
    record: &TicketRecord,
) -> Vec<Choice> {
    let current = record.ticket.category;
    let mut choices = vec![Choice {
        value: String::new(),
        label: category_name(lang, categories, current, &record.category_key),
        selected: true,
    }];
    choices.extend(
        categories
            .iter()
            .filter(|c| c.id != current && c.active)
            .map(|c| Choice {
                value: c.key.clone(),
                label: lang.pick(&c.name_es, &c.name_en).to_owned(),
                selected: false,
            }),
    );
    choices
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::web::tickets::header::anydesk_link;
    use crate::web::tickets::times::target_class;

    /// Keys looked up with a computed name, which the catalog test cannot see.
    #[test]
    fn computed_keys_are_translated_in_both_languages() {
        let events = [
            "submitted",
            "priority_changed",
            "category_changed",
            "retitled",
            "field_changed",
            "confirmed",
            "assigned",
            "accepted",
            "commented",
            "held",
            "resumed",
            "resolved",
            "returned",
            "closed",
            "cancelled",
            "reopened",
            "rated",
        ];
        let mut keys: Vec<String> = events.iter().map(|e| format!("agent-event-{e}")).collect();
        for key in [
            "agent-conflict",
            "agent-attention-in_person",
            "agent-attention-remote",
            "agent-entry-description",
            "agent-entry-comment",
            "agent-entry-resolution",
            "agent-internal-note",
            "agent-public",
            "agent-resolution",
            "agent-reason",
            "agent-comment-body",
            "agent-remote-tool",
            "agent-remote-id",
            "agent-technician",
            "agent-category",
            "agent-hold",
            "agent-return",
            "agent-cancel",
            "agent-reopen",
            "not-found-title",
            "not-found-body",
            "agent-target-within",
            "agent-target-near",
            "agent-target-over",
            "nav-overview",
        ] {
            keys.push(key.to_owned());
        }
        for lang in [Lang::Es, Lang::En] {
            for key in &keys {
                assert_ne!(&translate(lang, key), key, "{key} in {lang:?}");
            }
        }
    }

    #[test]
    fn waiting_time_reads_in_minutes_hours_and_days() {
        let t0: jiff::Timestamp = "2025-03-01T12:00:00Z".parse().expect("time");
        let later = |s: i64| t0 + jiff::SignedDuration::from_secs(s);
        assert_eq!(elapsed(t0, later(12 * 60 + 30)), "12 min");
        assert_eq!(elapsed(t0, later(3 * 3600 + 5 * 60)), "3 h 5 min");
        assert_eq!(elapsed(t0, later(2 * 86400 + 4 * 3600)), "2 d 4 h");
        assert_eq!(elapsed(later(60), t0), "0 min");
    }

    #[test]
    fn step_times_read_as_plain_figures() {
        let m = jiff::SignedDuration::from_mins;
        assert_eq!(span(m(4)), "4 min");
        assert_eq!(span(m(72)), "1 h 12 min");
        assert_eq!(span(m(60)), "1 h 0 min");
        assert_eq!(span(jiff::SignedDuration::from_secs(59)), "0 min");
        assert_eq!(span(m(-3)), "0 min");
        assert_eq!(target_class(TargetStatus::Within), "target-ok");
        assert_eq!(target_class(TargetStatus::Near), "target-warn");
        assert_eq!(target_class(TargetStatus::Over), "target-late");
    }

    #[test]
    fn only_anydesk_ids_fit_for_a_link_become_links() {
        assert_eq!(
            anydesk_link(Some("AnyDesk"), Some("123 456 789")).as_deref(),
            Some("anydesk:123456789")
        );
        assert_eq!(anydesk_link(Some("TeamViewer"), Some("123")), None);
        assert_eq!(anydesk_link(Some("AnyDesk"), Some("1\"><x")), None);
        assert_eq!(anydesk_link(Some("AnyDesk"), None), None);
    }
}
