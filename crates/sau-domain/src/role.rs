//! Roles a user may hold; a user may hold several at once.

use serde::{Deserialize, Serialize};
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Any worker or contractor who asks for help (manual 5.1).
    Requester,
    /// The support desk: reviews type and priority, assigns, closes (steps 1–3, 7).
    Dispatcher,
    /// IT technician: receives, attends and hands back (steps 4–6).
    Technician,
    /// IT director: anything a dispatcher can do, plus reopen and cancel (manual 5.4).
    Supervisor,
    /// Configures departments, users, categories and settings.
    Admin,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Requester,
        Role::Dispatcher,
        Role::Technician,
        Role::Supervisor,
        Role::Admin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Requester => "requester",
            Role::Dispatcher => "dispatcher",
            Role::Technician => "technician",
            Role::Supervisor => "supervisor",
            Role::Admin => "admin",
        }
    }

    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

impl FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| format!("unknown role `{s}`"))
    }
}

/// A set of roles, stored as a small bit set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Roles(u8);

impl Roles {
    pub fn empty() -> Self {
        Roles(0)
    }

    pub fn of(roles: &[Role]) -> Self {
        roles.iter().fold(Roles(0), |acc, r| acc.with(*r))
    }

    pub fn from_bits(bits: i64) -> Self {
        Roles((bits & 0x1f) as u8)
    }

    pub fn bits(self) -> i64 {
        i64::from(self.0)
    }

    pub fn with(self, role: Role) -> Self {
        Roles(self.0 | role.bit())
    }

    pub fn has(self, role: Role) -> bool {
        self.0 & role.bit() != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Dispatchers, technicians and supervisors work tickets; they see every ticket
    /// and every internal note.
    pub fn is_agent(self) -> bool {
        self.has(Role::Dispatcher) || self.has(Role::Technician) || self.has(Role::Supervisor)
    }

    /// Dispatchers and supervisors triage: they assign, return, close and cancel.
    pub fn dispatches(self) -> bool {
        self.has(Role::Dispatcher) || self.has(Role::Supervisor)
    }

    pub fn iter(self) -> impl Iterator<Item = Role> {
        Role::ALL.into_iter().filter(move |r| self.has(*r))
    }

    /// Parses a comma-separated list such as `dispatcher,technician`.
    pub fn parse_list(list: &str) -> Result<Self, String> {
        list.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .try_fold(Roles::empty(), |acc, s| Ok(acc.with(s.parse()?)))
    }
}

impl Serialize for Roles {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for Roles {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let list = Vec::<Role>::deserialize(d)?;
        Ok(Roles::of(&list))
    }
}
