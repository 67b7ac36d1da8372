//! Who asked, as an agent needs them beside a ticket: how to reach them
//! (phone, extension, office), their other open requests and their latest ones.
//! The queue and the ticket page show the same block.

use super::*;
use sau_service::TicketFacts;

pub(super) struct RequesterView {
    pub(super) name: String,
    pub(super) department: Option<String>,
    pub(super) contact: Option<ContactView>,
    /// The requester's other open tickets, with where to see them.
    pub(super) others_open: Option<OthersOpen>,
    /// Their latest tickets besides this one, newest first.
    pub(super) recent: Vec<RecentView>,
}

pub(super) struct ContactView {
    pub(super) phone: Option<String>,
    /// `tel:` target, when the phone has digits to dial.
    pub(super) dial: Option<String>,
    pub(super) extension: Option<String>,
    pub(super) office: Option<String>,
}

pub(super) struct OthersOpen {
    pub(super) label: String,
    pub(super) href: String,
}

pub(super) struct RecentView {
    pub(super) number: String,
    pub(super) title: String,
    pub(super) state: &'static str,
    pub(super) state_label: String,
    pub(super) created: String,
}

pub(super) fn requester_view(
    chrome: &Chrome,
    facts: &TicketFacts,
    record: &TicketRecord,
) -> RequesterView {
    let lang = chrome.lang;
    let others = facts.others_open(record);
    RequesterView {
        name: record.requester.display_name.clone(),
        department: record.department.as_ref().map(|d| d.name.clone()),
        contact: facts.contact(record).map(|c| ContactView {
            phone: c.phone.clone(),
            dial: c.dial().map(|d| format!("tel:{d}")),
            extension: c.extension.clone(),
            office: c.office.clone(),
        }),
        others_open: (others > 0).then(|| OthersOpen {
            label: if others == 1 {
                translate(lang, "agent-queue-others-open-one")
            } else {
                crate::i18n::translate_with(
                    lang,
                    "agent-queue-others-open",
                    &[("count", others_count(others))],
                )
            },
            href: format!("/?state=open&requester={}", record.requester.login),
        }),
        recent: facts
            .recent_besides(record)
            .into_iter()
            .map(|r| RecentView {
                number: r.number.clone(),
                title: r.title.clone(),
                state: r.state.as_str(),
                state_label: translate(lang, &format!("state-{}", r.state.as_str())),
                created: chrome.date(&r.created_at),
            })
            .collect(),
    }
}

/// "99+" once the count reached its cap (the requester's own ticket aside).
fn others_count(others: i64) -> String {
    if others >= sau_service::OPEN_BY_REQUESTER_CAP - 1 {
        format!("{}+", sau_service::OPEN_BY_REQUESTER_CAP - 1)
    } else {
        others.to_string()
    }
}
