//! The ticket page's one action area: the action the ticket's state calls for
//! open and first, every other one a click away (a `<details>` each), so a
//! page with five possible actions is not five open forms long.
//!
//! Which actions exist is asked of the rules ([`sau_domain::Policy::allowed`]);
//! this only orders and presents them.

use super::*;
use crate::web::tickets::page::Failure;

/// The commands the rules allow the viewer now, as the page offers them: one
/// technician form, "reassign" where that applies, else "assign".
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(super) struct Actions(Vec<CommandKind>);

impl Actions {
    pub(super) fn new(mut allowed: Vec<CommandKind>) -> Actions {
        if allowed.contains(&CommandKind::Reassign) {
            allowed.retain(|k| *k != CommandKind::Assign);
        }
        Actions(allowed)
    }

    /// Whether the page offers the command named `name` (templates name them).
    pub(super) fn offers(&self, name: &str) -> bool {
        self.0.iter().any(|k| k.as_str() == name)
    }

    pub(super) fn has(&self, kind: CommandKind) -> bool {
        self.0.contains(&kind)
    }
}

/// What the state calls for, in the order the procedure reaches it: the first
/// one offered is the page's primary action (manual steps 3–7).
const CALLED_FOR: [CommandKind; 5] = [
    CommandKind::Accept,
    CommandKind::Resume,
    CommandKind::Assign,
    CommandKind::Resolve,
    CommandKind::Close,
];

/// The rest, in the order the page lists them. Comments have their own box
/// under the conversation.
const OTHERS: [CommandKind; 11] = [
    CommandKind::Assign,
    CommandKind::Reassign,
    CommandKind::Accept,
    CommandKind::Resume,
    CommandKind::Resolve,
    CommandKind::Close,
    CommandKind::Hold,
    CommandKind::Return,
    CommandKind::Cancel,
    CommandKind::Reopen,
    CommandKind::Correct,
];

/// One action of the area: a button, or a form behind its summary.
pub(super) struct Slot {
    pub(super) action: &'static str,
    pub(super) label: String,
    /// The button's look.
    pub(super) style: &'static str,
    /// What the state calls for: shown open, first, with a filled button.
    pub(super) primary: bool,
    /// A button with nothing to fill in (accept, resume, close).
    pub(super) plain: bool,
    /// The only field is a reason (hold, return, cancel, reopen).
    pub(super) reason: bool,
    /// A refused form comes back open, with why and what was typed.
    pub(super) open: bool,
    pub(super) error: Option<String>,
    pub(super) draft: String,
}

fn look(kind: CommandKind) -> (&'static str, &'static str) {
    match kind {
        CommandKind::Accept => ("agent-accept", "btn-primary"),
        CommandKind::Resume => ("agent-resume", "btn-primary"),
        CommandKind::Close => ("agent-close", "btn-success"),
        CommandKind::Assign => ("agent-assign", "btn-primary"),
        CommandKind::Reassign => ("agent-reassign", "btn-outline-primary"),
        CommandKind::Resolve => ("agent-resolve", "btn-success"),
        CommandKind::Hold => ("agent-hold", "btn-outline-secondary"),
        CommandKind::Return => ("agent-return", "btn-outline-secondary"),
        CommandKind::Cancel => ("agent-cancel", "btn-outline-danger"),
        CommandKind::Reopen => ("agent-reopen", "btn-outline-primary"),
        CommandKind::Comment => ("agent-comment", "btn-secondary"),
        CommandKind::Confirm => ("req-confirm", "btn-outline-secondary"),
        CommandKind::Correct => ("agent-correct", "btn-outline-secondary"),
    }
}

/// The area's actions: the primary first, then the others.
pub(super) fn slots(lang: Lang, actions: &Actions, failed: Option<&Failure>) -> Vec<Slot> {
    let primary = CALLED_FOR.into_iter().find(|k| actions.has(*k));
    primary
        .into_iter()
        .chain(OTHERS.into_iter().filter(|k| Some(*k) != primary))
        .filter(|k| actions.has(*k))
        .map(|kind| {
            let action = kind.as_str();
            let (key, style) = look(kind);
            let failure = failed.filter(|f| f.action == action);
            let is_primary = Some(kind) == primary;
            Slot {
                action,
                label: translate(lang, key),
                style,
                primary: is_primary,
                plain: matches!(
                    kind,
                    CommandKind::Accept | CommandKind::Resume | CommandKind::Close
                ),
                reason: matches!(
                    kind,
                    CommandKind::Hold
                        | CommandKind::Return
                        | CommandKind::Cancel
                        | CommandKind::Reopen
                ),
                open: is_primary || failure.is_some(),
                error: failure
                    .filter(|f| !f.about_files)
                    .map(|f| f.message.clone()),
                draft: failure.map(|f| f.draft.clone()).unwrap_or_default(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(slots: &[Slot]) -> Vec<(&'static str, bool)> {
        slots.iter().map(|s| (s.action, s.primary)).collect()
    }

    #[test]
    fn the_state_decides_what_comes_first_and_open() {
        let technician = Actions::new(vec![
            CommandKind::Comment,
            CommandKind::Resolve,
            CommandKind::Hold,
        ]);
        assert_eq!(
            names(&slots(Lang::Es, &technician, None)),
            [("resolve", true), ("hold", false)]
        );
        let dispatcher = Actions::new(vec![
            CommandKind::Reassign,
            CommandKind::Assign,
            CommandKind::Return,
            CommandKind::Close,
            CommandKind::Cancel,
        ]);
        assert_eq!(
            names(&slots(Lang::Es, &dispatcher, None)),
            [
                ("close", true),
                ("reassign", false),
                ("return", false),
                ("cancel", false)
            ]
        );
    }

    #[test]
    fn a_refused_form_comes_back_open_with_what_was_typed() {
        let actions = Actions::new(vec![CommandKind::Resolve, CommandKind::Cancel]);
        let failed = Failure {
            action: "cancel".into(),
            message: "Motivo: obligatorio".into(),
            draft: "dup".into(),
            about_files: false,
            files_lost: false,
        };
        let slots = slots(Lang::Es, &actions, Some(&failed));
        let cancel = slots.iter().find(|s| s.action == "cancel").expect("cancel");
        assert!(cancel.open && !cancel.primary);
        assert_eq!(cancel.error.as_deref(), Some("Motivo: obligatorio"));
        assert_eq!(cancel.draft, "dup");
    }
}
