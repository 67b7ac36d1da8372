//! SAU's words in OTRS's: states and their types, priorities, locks, and
//! the ids OTRS's default data gives them. The README shows the same table.
//!
//! | SAU state   | OTRS state            | state type       |
//! |-------------|-----------------------|------------------|
//! | new         | new (1)               | new (1)          |
//! | assigned    | open (4)              | open (2)         |
//! | in_progress | open (4)              | open (2)         |
//! | on_hold     | pending reminder (6)  | pending reminder (4) |
//! | resolved    | pending auto close+ (7) | pending auto (5) |
//! | closed      | closed successful (2) | closed (3)       |
//! | cancelled   | closed unsuccessful (3) | closed (3)     |

use sau_domain::{FieldValue, State};

/// An OTRS state as SAU shows one of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OtrsState {
    pub name: &'static str,
    pub id: i64,
    pub type_name: &'static str,
    pub type_id: i64,
}

const NEW: OtrsState = OtrsState {
    name: "new",
    id: 1,
    type_name: "new",
    type_id: 1,
};
const OPEN: OtrsState = OtrsState {
    name: "open",
    id: 4,
    type_name: "open",
    type_id: 2,
};
const PENDING_REMINDER: OtrsState = OtrsState {
    name: "pending reminder",
    id: 6,
    type_name: "pending reminder",
    type_id: 4,
};
const PENDING_AUTO_CLOSE: OtrsState = OtrsState {
    name: "pending auto close+",
    id: 7,
    type_name: "pending auto",
    type_id: 5,
};
const CLOSED_SUCCESSFUL: OtrsState = OtrsState {
    name: "closed successful",
    id: 2,
    type_name: "closed",
    type_id: 3,
};
const CLOSED_UNSUCCESSFUL: OtrsState = OtrsState {
    name: "closed unsuccessful",
    id: 3,
    type_name: "closed",
    type_id: 3,
};

/// OTRS's default states SAU has no counterpart of (`removed`, `merged`,
/// `pending auto close-`): known names, found by no search.
const WITHOUT_COUNTERPART: [(&str, i64); 3] =
    [("removed", 5), ("pending auto close-", 8), ("merged", 9)];

pub fn otrs_state(state: State) -> OtrsState {
    match state {
        State::New => NEW,
        State::Assigned | State::InProgress => OPEN,
        State::OnHold => PENDING_REMINDER,
        State::Resolved => PENDING_AUTO_CLOSE,
        State::Closed => CLOSED_SUCCESSFUL,
        State::Cancelled => CLOSED_UNSUCCESSFUL,
    }
}

/// SAU's states an OTRS state name (or id) stands for; `None` for a state
/// OTRS does not know.
pub fn states_named(given: &str) -> Option<Vec<State>> {
    let given = given.trim();
    let found: Vec<State> = State::ALL
        .into_iter()
        .filter(|s| {
            let o = otrs_state(*s);
            o.name.eq_ignore_ascii_case(given) || o.id.to_string() == given
        })
        .collect();
    if !found.is_empty() {
        return Some(found);
    }
    WITHOUT_COUNTERPART
        .iter()
        .any(|(name, id)| name.eq_ignore_ascii_case(given) || id.to_string() == given)
        .then(Vec::new)
}

/// SAU's states of an OTRS state type (or type id), or of the search's
/// `Open` (every type but closed) and `Closed`.
pub fn states_of_type(given: &str) -> Option<Vec<State>> {
    let given = given.trim();
    if given == "Open" {
        return Some(
            State::ALL
                .into_iter()
                .filter(|s| !s.is_finished())
                .collect(),
        );
    }
    if given == "Closed" {
        return Some(State::ALL.into_iter().filter(|s| s.is_finished()).collect());
    }
    let found: Vec<State> = State::ALL
        .into_iter()
        .filter(|s| {
            let o = otrs_state(*s);
            o.type_name.eq_ignore_ascii_case(given) || o.type_id.to_string() == given
        })
        .collect();
    let known = !found.is_empty() || matches!(given, "removed" | "merged" | "6" | "7");
    known.then_some(found)
}

const PRIORITY_NAMES: [&str; 5] = ["1 very low", "2 low", "3 normal", "4 high", "5 very high"];

/// `3 normal`: OTRS's name of a priority, its number first.
pub fn priority_name(priority: u8) -> &'static str {
    PRIORITY_NAMES
        .get(usize::from(priority.saturating_sub(1)))
        .copied()
        .unwrap_or("3 normal")
}

/// The priority an OTRS name (`4 high`) or id (`4`) gives: its number, which
/// is SAU's too.
pub fn priority_from(given: &str) -> Option<i64> {
    let given = given.trim();
    PRIORITY_NAMES
        .iter()
        .zip(1..)
        .find(|(name, n)| name.eq_ignore_ascii_case(given) || n.to_string() == given)
        .map(|(_, n)| n)
}

/// A category field's value as a dynamic field's: always text.
pub fn field_text(value: &FieldValue) -> String {
    match value {
        FieldValue::Text(text) => text.clone(),
        FieldValue::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{n:.0}"),
        FieldValue::Number(n) => n.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_state_reads_back_from_its_otrs_name() {
        for state in State::ALL {
            let named = states_named(otrs_state(state).name).expect("known");
            assert!(named.contains(&state), "{state:?}");
            let typed = states_of_type(otrs_state(state).type_name).expect("known");
            assert!(typed.contains(&state), "{state:?}");
        }
        assert_eq!(
            states_named("open"),
            Some(vec![State::Assigned, State::InProgress])
        );
        assert_eq!(states_named("merged"), Some(vec![]));
        assert_eq!(states_named("resuelto"), None);
        assert_eq!(
            states_of_type("Closed"),
            Some(vec![State::Closed, State::Cancelled])
        );
        assert_eq!(states_of_type("Open").map(|s| s.len()), Some(5));
    }

    #[test]
    fn priorities_read_by_name_or_number() {
        assert_eq!(priority_from("4 high"), Some(4));
        assert_eq!(priority_from("5"), Some(5));
        assert_eq!(priority_from("alta"), None);
        assert_eq!(priority_name(1), "1 very low");
    }
}
