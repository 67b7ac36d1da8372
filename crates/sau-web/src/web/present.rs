//! How values read on the pages, written once: priorities, categories, spans of
//! time, and the ticket table the lists share (one row, built the same way for
//! every page, and the columns each page shows; `templates/ticket_table.html`
//! renders it). Dates and times are [`Chrome::time`].

use crate::i18n::Lang;
use crate::web::chrome::Chrome;
use sau_domain::{
    Category, CategoryId, EntryKind, FieldDef, FieldKind, FieldValue, Priority, Setback,
};
use sau_service::TicketRecord;

/// A priority as every page writes it: its level and its name, "3 — Normal".
pub(crate) fn priority_label(lang: Lang, priority: Priority) -> String {
    format!(
        "{} — {}",
        priority.level(),
        capitalized(&crate::i18n::priority_name(lang, priority))
    )
}

/// A category's name in `lang`; `fallback` (its key) when it is not among
/// `categories`.
pub(crate) fn category_name(
    lang: Lang,
    categories: &[Category],
    id: CategoryId,
    fallback: &str,
) -> String {
    categories.iter().find(|c| c.id == id).map_or_else(
        || fallback.to_owned(),
        |c| lang.pick(&c.name_es, &c.name_en).to_owned(),
    )
}

/// "12 min", "3 h 5 min", "2 d 4 h": how long since `since`.
pub(crate) fn elapsed(since: jiff::Timestamp, now: jiff::Timestamp) -> String {
    span(now.duration_since(since))
}

/// A duration as plain figures: "4 min", "1 h 12 min", "2 d 4 h" (whole minutes,
/// rounded down; never negative).
pub(crate) fn span(d: jiff::SignedDuration) -> String {
    let minutes = d.as_secs().max(0) / 60;
    if minutes < 60 {
        format!("{minutes} min")
    } else if minutes < 24 * 60 {
        format!("{} h {} min", minutes / 60, minutes % 60)
    } else {
        format!("{} d {} h", minutes / (24 * 60), (minutes % (24 * 60)) / 60)
    }
}

/// The text with its first letter in upper case: "muy alta" → "Muy alta".
pub(crate) fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A choice option's label in `lang`: the one the admin gave it, else the
/// shipped catalog's for the default options, else the key made readable.
/// Every page and list shows an option this one way.
pub(crate) fn option_label_in(lang: Lang, kind: Option<&FieldKind>, option: &str) -> String {
    if let Some(label) = kind.and_then(|k| k.option_label(option, lang == Lang::Es)) {
        return label.to_owned();
    }
    let key = format!("req-option-{option}");
    let label = crate::i18n::translate(lang, &key);
    if label == key {
        capitalized(&option.replace('_', " "))
    } else {
        label
    }
}

/// [`option_label_in`] in the viewer's language.
pub(crate) fn option_label(chrome: &Chrome, kind: Option<&FieldKind>, option: &str) -> String {
    option_label_in(chrome.lang, kind, option)
}

/// A field's value as the pages show it: a choice by its option's label, a
/// date as day/month/year, a whole number without decimals.
pub(crate) fn field_value(chrome: &Chrome, def: Option<&FieldDef>, value: &FieldValue) -> String {
    match value {
        FieldValue::Number(n) => {
            if n.fract() == 0.0 && n.abs() < 1e15 {
                format!("{n:.0}")
            } else {
                n.to_string()
            }
        }
        FieldValue::Text(text) => match def.map(|d| &d.kind) {
            Some(kind @ FieldKind::Choice { .. }) => option_label(chrome, Some(kind), text),
            Some(FieldKind::Date) => text
                .parse::<jiff::civil::Date>()
                .map(|d| d.strftime("%d/%m/%Y").to_string())
                .unwrap_or_else(|_| text.clone()),
            _ => text.clone(),
        },
    }
}

/// The catalog key of a ticket's setback, as lists mark it.
pub(crate) fn setback_key(setback: Setback) -> &'static str {
    match setback {
        Setback::Returned => "setback-returned",
        Setback::Reopened => "setback-reopened",
    }
}

/// One ticket as a row of a list.
pub(crate) struct TicketRow {
    /// Requesters open their request's page; agents the full ticket page.
    pub(crate) href: String,
    pub(crate) number: String,
    pub(crate) title: String,
    pub(crate) state: &'static str,
    pub(crate) state_key: String,
    pub(crate) priority: String,
    pub(crate) category: String,
    pub(crate) department: String,
    pub(crate) technician: Option<String>,
    /// "Devuelto" or "Reabierto" on agents' lists, while the ticket carries it.
    pub(crate) setback: Option<String>,
    /// How long since the request arrived.
    pub(crate) age: String,
    pub(crate) updated: String,
    /// Changed since the viewer last read it, or theirs and never opened.
    pub(crate) news: bool,
    /// On agents' lists, while a target runs: "vence en 12 min" or
    /// "vencido", and its class (`target-warn`, `target-late`, or none).
    pub(crate) due: Option<(String, &'static str)>,
    /// The version shown, which a bulk action sends back with the ticket.
    pub(crate) version: i64,
    /// On a search's results: where the words were found, and what it says
    /// there.
    pub(crate) found: Option<FoundView>,
}

/// Where a search found its words in a ticket: "Comentario interno · 8 dic
/// 2026 10:32", "Dentro de acta.pdf", and the stretch with the words marked.
pub(crate) struct FoundView {
    pub(crate) place: String,
    pub(crate) fragments: Vec<sau_service::HitFragment>,
}

/// Where a row leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RowLink {
    /// The agents' ticket page.
    Ticket,
    /// The requester's page of their request.
    Request,
}

impl TicketRow {
    /// Marks the rows of `records` that have news for the viewer.
    pub(crate) fn mark_news(
        rows: &mut [TicketRow],
        records: &[TicketRecord],
        news: &std::collections::HashSet<sau_domain::TicketId>,
    ) {
        for (row, record) in rows.iter_mut().zip(records) {
            row.news = news.contains(&record.ticket.id);
        }
    }

    /// Marks the rows of `records` with their deadlines: overdue, nearly
    /// due, or the working time left.
    pub(crate) fn mark_deadlines(
        chrome: &Chrome,
        rows: &mut [TicketRow],
        records: &[TicketRecord],
        deadlines: &std::collections::HashMap<sau_domain::TicketId, sau_service::Deadline>,
    ) {
        for (row, record) in rows.iter_mut().zip(records) {
            // A ticket on hold has no running target: it keeps its "look again".
            let Some(d) = deadlines.get(&record.ticket.id) else {
                continue;
            };
            row.due = Some(if d.overdue {
                (chrome.t("list-due-overdue-mark"), "target-late")
            } else {
                let text = format!("{} {}", chrome.t("list-due-in"), span(d.left));
                (text, if d.nearly { "target-warn" } else { "" })
            });
        }
    }

    /// Shows under each row where the search found its words.
    pub(crate) fn mark_hits(
        chrome: &Chrome,
        rows: &mut [TicketRow],
        records: &[TicketRecord],
        hits: std::collections::HashMap<sau_domain::TicketId, sau_service::SearchHit>,
    ) {
        let mut hits = hits;
        for (row, record) in rows.iter_mut().zip(records) {
            let Some(hit) = hits.remove(&record.ticket.id) else {
                continue;
            };
            let place = match &hit.place {
                sau_service::HitPlace::Entry {
                    kind,
                    visibility,
                    at,
                    ..
                } => {
                    let kind = chrome.t(match kind {
                        EntryKind::Description => "agent-entry-description",
                        EntryKind::Resolution => "agent-entry-resolution",
                        EntryKind::Comment => "agent-entry-comment",
                    });
                    let internal = if *visibility == sau_domain::Visibility::Internal {
                        format!(" {}", chrome.t("search-hit-internal"))
                    } else {
                        String::new()
                    };
                    format!("{kind}{internal} · {}", chrome.time(at))
                }
                sau_service::HitPlace::FileName { name, .. } => {
                    format!("{} {name}", chrome.t("search-hit-file-name"))
                }
                sau_service::HitPlace::FileText { name, .. } => {
                    format!("{} {name}", chrome.t("search-hit-file-text"))
                }
            };
            row.found = Some(FoundView {
                place,
                fragments: hit.fragments,
            });
        }
    }

    /// The page a row leads to.
    pub(crate) fn href(link: RowLink, number: &str) -> String {
        match link {
            RowLink::Ticket => format!("/tickets/{number}"),
            RowLink::Request => format!("/requests/{number}"),
        }
    }

    pub(crate) fn new(
        chrome: &Chrome,
        record: &TicketRecord,
        categories: &[Category],
        link: RowLink,
        now: jiff::Timestamp,
    ) -> TicketRow {
        let t = &record.ticket;
        TicketRow {
            href: TicketRow::href(link, &t.number),
            number: t.number.clone(),
            title: t.title.clone(),
            state: t.state.as_str(),
            state_key: format!("state-{}", t.state.as_str()),
            setback: t
                .setback
                .filter(|_| link == RowLink::Ticket)
                .map(|s| chrome.t(setback_key(s))),
            priority: priority_label(chrome.lang, t.priority),
            category: category_name(chrome.lang, categories, t.category, &record.category_key),
            department: record
                .department
                .as_ref()
                .map(|d| d.name.clone())
                .unwrap_or_default(),
            technician: record.technician.as_ref().map(|u| u.display_name.clone()),
            age: elapsed(t.created_at, now),
            updated: chrome.time(&t.updated_at),
            news: false,
            // On agents' lists, a hold that said when to look again shows it,
            // marked once the time has come.
            due: t
                .held_until
                .filter(|_| link == RowLink::Ticket && t.state == sau_domain::State::OnHold)
                .map(|until| {
                    let text = format!("{} {}", chrome.t("list-look-again"), chrome.time(&until));
                    (text, if until <= now { "target-warn" } else { "" })
                }),
            version: t.version,
            found: None,
        }
    }
}

/// A column of the ticket table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Column {
    /// A box to tick the ticket for a bulk action.
    Pick,
    Number,
    Title,
    State,
    Priority,
    Category,
    Department,
    Technician,
    Age,
    Updated,
}

impl Column {
    pub(crate) fn is_pick(self) -> bool {
        self == Column::Pick
    }

    /// The catalog key of the column's heading.
    pub(crate) fn heading(self) -> &'static str {
        match self {
            Column::Pick => "bulk-select",
            Column::Number => "col-number",
            Column::Title => "col-title",
            Column::State => "col-state",
            Column::Priority => "col-priority",
            Column::Category => "col-category",
            Column::Department => "col-department",
            Column::Technician => "col-technician",
            Column::Age => "col-age",
            Column::Updated => "col-updated",
        }
    }
}

/// Open tickets nearly due and overdue, for the warning on the desk's pages.
pub(crate) struct DueAlert {
    pub(crate) soon: i64,
    pub(crate) overdue: i64,
}

/// The warning to show `caller`, if any ticket is nearly due or overdue.
pub(crate) async fn due_alert(
    service: &sau_service::Service,
    caller: &sau_service::Caller,
) -> Option<DueAlert> {
    match service.due_counts(caller).await {
        Ok((soon, overdue)) if soon > 0 || overdue > 0 => Some(DueAlert { soon, overdue }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_priority_reads_the_same_way_everywhere_in_each_language() {
        let urgent = Priority::new(5).expect("5");
        assert_eq!(priority_label(Lang::Es, urgent), "5 — Muy alta");
        assert_eq!(priority_label(Lang::En, urgent), "5 — Very high");
        assert_eq!(priority_label(Lang::Es, Priority::NORMAL), "3 — Normal");
    }

    #[test]
    fn spans_read_in_minutes_hours_then_days() {
        let mins = jiff::SignedDuration::from_mins;
        assert_eq!(span(mins(4)), "4 min");
        assert_eq!(span(mins(72)), "1 h 12 min");
        assert_eq!(span(mins(2 * 24 * 60 + 4 * 60 + 59)), "2 d 4 h");
        assert_eq!(span(mins(-3)), "0 min", "never negative");
    }
}
