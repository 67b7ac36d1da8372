//! Priorities 1 (very low) to 5 (very high), OTRS's five levels.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "i64")]
pub struct Priority(u8);

impl Priority {
    pub const NORMAL: Priority = Priority(3);

    pub fn new(level: i64) -> Option<Self> {
        (1..=5).contains(&level).then_some(Priority(level as u8))
    }

    pub fn level(self) -> u8 {
        self.0
    }
}

impl TryFrom<i64> for Priority {
    type Error = String;
    fn try_from(v: i64) -> Result<Self, Self::Error> {
        Priority::new(v).ok_or_else(|| format!("priority must be 1 to 5, got {v}"))
    }
}

impl From<Priority> for i64 {
    fn from(p: Priority) -> i64 {
        i64::from(p.0)
    }
}
