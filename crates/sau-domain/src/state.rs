//! The states a ticket moves through.

use serde::{Deserialize, Serialize};
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum State {
    New,
    Assigned,
    InProgress,
    OnHold,
    Resolved,
    Closed,
    Cancelled,
}

impl State {
    pub const ALL: [State; 7] = [
        State::New,
        State::Assigned,
        State::InProgress,
        State::OnHold,
        State::Resolved,
        State::Closed,
        State::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            State::New => "new",
            State::Assigned => "assigned",
            State::InProgress => "in_progress",
            State::OnHold => "on_hold",
            State::Resolved => "resolved",
            State::Closed => "closed",
            State::Cancelled => "cancelled",
        }
    }

    /// Closed and cancelled tickets are finished: they change only through reopen.
    pub fn is_finished(self) -> bool {
        matches!(self, State::Closed | State::Cancelled)
    }

    /// States in which a technician must be set.
    pub fn needs_technician(self) -> bool {
        matches!(
            self,
            State::Assigned | State::InProgress | State::OnHold | State::Resolved
        )
    }
}

impl FromStr for State {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        State::ALL
            .into_iter()
            .find(|st| st.as_str() == s)
            .ok_or_else(|| format!("unknown state `{s}`"))
    }
}
