//! Each step's time against the target, as the ticket page shows it.

use super::*;

/// One step's time on the ticket page.
pub(super) struct StepRow {
    pub(super) label: String,
    pub(super) figure: String,
}

/// The "times" panel: each step, time on hold, and the clock against the target.
pub(super) struct TimesView {
    /// The steps the ticket has reached; the ones still ahead are left out, so a
    /// new ticket shows one line, not four rows of "0 min".
    pub(super) steps: Vec<StepRow>,
    /// Time on hold, when it was ever put on hold.
    pub(super) on_hold: Option<String>,
    pub(super) total: String,
    pub(super) target: String,
    /// `target-ok`, `target-warn` or `target-late` (see app.css).
    pub(super) class: &'static str,
    /// The words that say the same as the colour.
    pub(super) status: String,
    /// Still running (the ticket is open): measured up to now.
    pub(super) running: bool,
    /// The working calendar the times are counted on.
    pub(super) calendar: String,
    /// When the total target will be missed, while its clock runs.
    pub(super) due: Option<String>,
    /// The other targets the ticket has: to assign, accept, resolve.
    pub(super) targets: Vec<TargetRow>,
}

/// One target besides the total, as the panel lists it.
pub(super) struct TargetRow {
    pub(super) label: String,
    pub(super) spent: String,
    pub(super) target: String,
    pub(super) class: &'static str,
    pub(super) status: String,
    /// "vence 07/12/2026 08:15" while its clock runs.
    pub(super) due: Option<String>,
}

pub(super) fn target_class(status: TargetStatus) -> &'static str {
    match status {
        TargetStatus::Within => "target-ok",
        TargetStatus::Near => "target-warn",
        TargetStatus::Over => "target-late",
    }
}

pub(super) fn times_view(
    chrome: &Chrome,
    ticket: &sau_domain::Ticket,
    times: &TicketTimes,
) -> TimesView {
    let t: &StepTimes = &times.times;
    let step = |key: &str, d: jiff::SignedDuration| StepRow {
        label: chrome.t(key),
        figure: span(d),
    };
    let zero = jiff::SignedDuration::ZERO;
    // A step is shown once the ticket got to it: it took time, or the ticket
    // went through it (instantly, as a test or a quick dispatcher may).
    let assigned = ticket.assigned_at.is_some() || t.waiting_acceptance > zero;
    let accepted = t.attention > zero
        || matches!(ticket.state, TicketState::InProgress | TicketState::OnHold)
        || ticket.resolved_at.is_some()
        || ticket.closed_at.is_some() && ticket.attention.is_some();
    let resolved =
        ticket.resolved_at.is_some() || t.waiting_closure > zero || ticket.attention.is_some();
    let mut steps = vec![step("agent-times-assignment", t.waiting_assignment)];
    if assigned {
        steps.push(step("agent-times-acceptance", t.waiting_acceptance));
    }
    if accepted {
        steps.push(step("agent-times-attention", t.attention));
    }
    if resolved {
        steps.push(step("agent-times-closure", t.waiting_closure));
    }
    let due = |check: &TargetCheck| {
        check
            .due
            .map(|at| format!("{} {}", chrome.t("agent-target-due"), chrome.time(&at)))
    };
    let targets = times
        .checks
        .iter()
        .filter(|c| c.kind != TargetKind::Total)
        .map(|c| TargetRow {
            label: chrome.t(&format!("agent-target-kind-{}", c.kind.as_str())),
            spent: span(c.spent),
            target: span(c.target),
            class: target_class(c.status),
            status: chrome.t(&format!("agent-target-{}", c.status.as_str())),
            due: due(c),
        })
        .collect();
    TimesView {
        calendar: times.calendar.clone(),
        due: times
            .checks
            .iter()
            .find(|c| c.kind == TargetKind::Total)
            .and_then(due),
        targets,
        steps,
        on_hold: (t.on_hold > zero || ticket.state == TicketState::OnHold).then(|| span(t.on_hold)),
        total: span(t.measured()),
        target: span(jiff::SignedDuration::from_mins(times.target_minutes)),
        class: target_class(times.status),
        status: chrome.t(&format!("agent-target-{}", times.status.as_str())),
        running: !t.finished,
    }
}
