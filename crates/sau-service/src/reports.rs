//! Time measurement against the manual's standard, and the supervisor's overview.

use crate::{Caller, Service, ServiceError, now};
use sau_domain::{
    DEFAULT_TARGET_MINUTES, FieldProblem, Role, State, StepTimes, TargetCheck, TargetKind,
    TargetStatus, check_targets,
};
use sau_store::{TicketFilter, TicketRecord, TicketSort};

/// The setting that holds the total time target, in minutes.
const TARGET_SETTING: &str = "target_minutes";

/// The allowed range of the target: one minute to one day.
pub const TARGET_RANGE: std::ops::RangeInclusive<i64> = 1..=1440;

/// How many of the oldest open tickets the overview lists.
const OLDEST: u32 = 10;

/// A ticket's business time per step on its calendar, against each of its
/// targets.
#[derive(Debug, Clone, PartialEq)]
pub struct TicketTimes {
    pub times: StepTimes,
    /// The name of the calendar it is measured on.
    pub calendar: String,
    /// Each target it has, the total always among them.
    pub checks: Vec<TargetCheck>,
    /// The total's target and where the ticket stands against it.
    pub target_minutes: i64,
    pub status: TargetStatus,
}

/// One line of a count: a key (category key, login, department code; empty for
/// "none"), the names to show in each language, and the count.
#[derive(Debug, Clone, PartialEq)]
pub struct Tally {
    pub key: String,
    pub name_es: String,
    pub name_en: String,
    pub count: i64,
}

/// What a supervisor sees at a glance.
#[derive(Debug, Clone)]
pub struct Overview {
    /// Every state, in the procedure's order, with its count (zero included).
    pub by_state: Vec<(State, i64)>,
    /// All tickets per category, most first.
    pub by_category: Vec<Tally>,
    /// Open tickets per assigned technician, most first.
    pub by_technician: Vec<Tally>,
    /// All tickets per requesting department, most first; tickets without a
    /// department have an empty key.
    pub by_department: Vec<Tally>,
    /// The oldest open tickets, oldest first.
    pub oldest_open: Vec<TicketRecord>,
    pub target_minutes: i64,
}

const OPEN_STATES: [State; 5] = [
    State::New,
    State::Assigned,
    State::InProgress,
    State::OnHold,
    State::Resolved,
];

impl Service {
    /// The total time target in minutes (the manual's 25 unless an admin set
    /// another). A missing or unreadable setting gives the default.
    pub async fn target_minutes(&self) -> Result<i64, ServiceError> {
        Ok(self
            .store
            .get_setting(TARGET_SETTING)
            .await?
            .and_then(|v| v.trim().parse::<i64>().ok())
            .filter(|m| TARGET_RANGE.contains(m))
            .unwrap_or(DEFAULT_TARGET_MINUTES))
    }

    /// Sets the total time target (admins only; 1 to 1440 minutes).
    pub async fn set_target_minutes(
        &self,
        caller: &Caller,
        minutes: i64,
    ) -> Result<(), ServiceError> {
        if !caller.is_admin() {
            return Err(ServiceError::Forbidden);
        }
        if !TARGET_RANGE.contains(&minutes) {
            return Err(ServiceError::invalid(
                TARGET_SETTING,
                FieldProblem::OutOfRange,
            ));
        }
        self.store
            .put_setting(TARGET_SETTING.to_owned(), minutes.to_string())
            .await?;
        self.time_rules_changed().await?;
        Ok(())
    }

    /// How long each step of a ticket took, against the target (anyone who may
    /// see the ticket). Measured on the whole history, internal events included:
    /// only durations come out.
    pub async fn ticket_times(
        &self,
        caller: &Caller,
        number: &str,
    ) -> Result<TicketTimes, ServiceError> {
        let actor = caller.actor()?;
        let record = match self.store.ticket_by_number(number.trim()).await? {
            Some(record) if actor.can_see(&record.ticket) => record,
            _ => return Err(ServiceError::NotFound("ticket")),
        };
        let events: Vec<_> = self
            .store
            .ticket_events(record.ticket.id)
            .await?
            .into_iter()
            .map(|e| e.event)
            .collect();
        let rules = self.time_rules().await?;
        let ticket = &record.ticket;
        let (calendar_name, calendar) = rules.calendar(ticket.category, ticket.queue);
        let at = now();
        let times = StepTimes::on_calendar(&events, at, calendar);
        let targets = rules.targets(ticket.category, ticket.priority);
        let checks = check_targets(&targets, &times, ticket.state, calendar, at);
        let total = checks.iter().find(|c| c.kind == TargetKind::Total).copied();
        let target_minutes = total.map_or(DEFAULT_TARGET_MINUTES, |c| c.target.as_mins());
        Ok(TicketTimes {
            times,
            calendar: calendar_name.to_owned(),
            checks,
            target_minutes,
            status: total.map_or(TargetStatus::Within, |c| c.status),
        })
    }

    /// Counts by state, category, technician and department, and the oldest open
    /// tickets (supervisors only).
    pub async fn overview(&self, caller: &Caller) -> Result<Overview, ServiceError> {
        if !caller.has(Role::Supervisor) {
            return Err(ServiceError::Forbidden);
        }
        let states = self.store.count_by_state().await?;
        let by_state = State::ALL
            .into_iter()
            .map(|s| {
                let n = states
                    .iter()
                    .find(|(name, _)| name == s.as_str())
                    .map_or(0, |(_, n)| *n);
                (s, n)
            })
            .collect();
        let by_category = self
            .store
            .count_by_category()
            .await?
            .into_iter()
            .map(|(key, name_es, name_en, count)| Tally {
                key,
                name_es,
                name_en,
                count,
            })
            .collect();
        let by_technician = self
            .store
            .count_open_by_technician()
            .await?
            .into_iter()
            .map(|(login, name, count)| Tally {
                key: login,
                name_es: name.clone(),
                name_en: name,
                count,
            })
            .collect();
        let by_department = self
            .store
            .count_by_department()
            .await?
            .into_iter()
            .map(|(code, name, count)| Tally {
                key: code.unwrap_or_default(),
                name_es: name.clone().unwrap_or_default(),
                name_en: name.unwrap_or_default(),
                count,
            })
            .collect();
        let oldest_open = self
            .store
            .list_tickets(&TicketFilter {
                states: OPEN_STATES.to_vec(),
                sort: TicketSort::CreatedAsc,
                limit: OLDEST,
                ..TicketFilter::default()
            })
            .await?
            .tickets;
        Ok(Overview {
            by_state,
            by_category,
            by_technician,
            by_department,
            oldest_open,
            target_minutes: self.target_minutes().await?,
        })
    }
}
