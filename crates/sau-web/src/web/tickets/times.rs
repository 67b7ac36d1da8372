//! Each step's time against the target, as the ticket page shows it.

use super::*;

/// One step's time on the ticket page.
pub(super) struct StepRow {
    pub(super) label: String,
    pub(super) figure: String,
}

/// The "times" panel: each step, time on hold, and the clock against the target.
pub(super) struct TimesView {
    pub(super) steps: Vec<StepRow>,
    pub(super) on_hold: String,
    pub(super) total: String,
    pub(super) target: String,
    /// `target-ok`, `target-warn` or `target-late` (see app.css).
    pub(super) class: &'static str,
    /// The words that say the same as the colour.
    pub(super) status: String,
    /// Still running (the ticket is open): measured up to now.
    pub(super) running: bool,
}

pub(super) fn target_class(status: TargetStatus) -> &'static str {
    match status {
        TargetStatus::Within => "target-ok",
        TargetStatus::Near => "target-warn",
        TargetStatus::Over => "target-late",
    }
}

pub(super) fn times_view(chrome: &Chrome, times: &TicketTimes) -> TimesView {
    let t: &StepTimes = &times.times;
    let step = |key: &str, d: jiff::SignedDuration| StepRow {
        label: chrome.t(key),
        figure: span(d),
    };
    TimesView {
        steps: vec![
            step("agent-times-assignment", t.waiting_assignment),
            step("agent-times-acceptance", t.waiting_acceptance),
            step("agent-times-attention", t.attention),
            step("agent-times-closure", t.waiting_closure),
        ],
        on_hold: span(t.on_hold),
        total: span(t.measured()),
        target: span(jiff::SignedDuration::from_mins(times.target_minutes)),
        class: target_class(times.status),
        status: chrome.t(&format!("agent-target-{}", times.status.as_str())),
        running: !t.finished,
    }
}
