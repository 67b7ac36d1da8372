//! Working calendars and time targets, kept by the admin, and which of them
//! hold for a ticket: its category's calendar, else its queue's, else the
//! first one (Guatemala's as shipped until an admin stores another); the
//! targets of its category at its priority, else the category's for every
//! priority, else the installation's standard for the total.
//!
//! A calendar travels as text, the same in a form, the API and the store:
//! each weekday's ranges and one holiday per line (see
//! `sau_domain::calendar_from_text`). Every instance uses a change within
//! [`TIME_RULES_TTL`].

use crate::calendar_forms::{checked, read_calendar, stored};
use crate::{Caller, Service, ServiceError, now};
use sau_domain::{
    Calendar, CategoryId, FieldProblem, Priority, QueueId, Role, TargetKind, Targets,
    calendar_to_text,
};
use sau_store::{CalendarUse, TargetRecord};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// How long an instance works with the calendars and targets it read last.
pub const TIME_RULES_TTL: Duration = Duration::from_secs(10);

/// The longest calendar name.
pub const MAX_CALENDAR_NAME_CHARS: usize = 80;

/// The longest target, in minutes: thirty days of business time.
pub const MAX_TARGET_MINUTES: i64 = 30 * 24 * 60;

/// The name the shipped calendar goes by until an admin stores one.
pub const SHIPPED_CALENDAR_NAME: &str = "Guatemala";

/// A calendar as the admin writes it.
#[derive(Debug, Clone, Default)]
pub struct CalendarInput {
    pub name: String,
    pub time_zone: String,
    /// Each weekday's ranges, Monday first (`08:00-12:30, 13:30-16:30`).
    pub hours: [String; 7],
    /// One holiday per line.
    pub holidays: String,
}

/// A calendar as the admin reads it.
#[derive(Debug, Clone)]
pub struct CalendarView {
    /// `None` for the shipped calendar while none is stored.
    pub id: Option<i64>,
    pub name: String,
    pub time_zone: String,
    pub hours: [String; 7],
    pub holidays: Vec<String>,
    /// The one tickets without a calendar of their own use.
    pub is_default: bool,
    /// Keys of the categories and queues that use it.
    pub categories: Vec<String>,
    pub queues: Vec<String>,
}

/// One line of the targets: a category at one priority (0: all of them), in
/// minutes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetLine {
    pub category: String,
    pub priority: i64,
    pub minutes: BTreeMap<TargetKind, i64>,
}

/// Everything needed to hold a ticket to its targets.
#[derive(Debug)]
pub(crate) struct TimeRules {
    default: Arc<Calendar>,
    default_name: String,
    calendars: HashMap<i64, (String, Arc<Calendar>)>,
    by_category: HashMap<CategoryId, i64>,
    by_queue: HashMap<QueueId, i64>,
    targets: HashMap<(CategoryId, i64), [Option<i64>; 4]>,
    standard_minutes: i64,
}

impl TimeRules {
    /// The calendar a ticket of `category` in `queue` is measured on, and its
    /// name.
    pub(crate) fn calendar(&self, category: CategoryId, queue: QueueId) -> (&str, &Calendar) {
        let id = self
            .by_category
            .get(&category)
            .or_else(|| self.by_queue.get(&queue));
        match id.and_then(|id| self.calendars.get(id)) {
            Some((name, calendar)) => (name, calendar),
            None => (&self.default_name, &self.default),
        }
    }

    /// The zone reports count days in: the default calendar's.
    pub(crate) fn report_zone(&self) -> &jiff::tz::TimeZone {
        self.default.zone()
    }

    /// The targets of `category` at `priority`.
    pub(crate) fn targets(&self, category: CategoryId, priority: Priority) -> Targets {
        let row = self
            .targets
            .get(&(category, i64::from(priority.level())))
            .or_else(|| self.targets.get(&(category, 0)));
        let mut targets = Targets {
            total: None,
            ..Targets::default()
        };
        if let Some(minutes) = row {
            for (kind, minutes) in TargetKind::ALL.into_iter().zip(minutes) {
                targets.set(kind, minutes.map(jiff::SignedDuration::from_mins));
            }
        }
        // The total always has a target: the manual's standard.
        if targets.total.is_none() {
            targets.total = Some(jiff::SignedDuration::from_mins(self.standard_minutes));
        }
        targets
    }
}

/// The rules in use, read again from the store when older than the TTL.
#[derive(Debug, Default)]
pub(crate) struct TimeRulesCache(RwLock<Option<(Instant, Arc<TimeRules>)>>);

impl Service {
    /// The calendars and targets to measure with now.
    pub(crate) async fn time_rules(&self) -> Result<Arc<TimeRules>, ServiceError> {
        if let Ok(guard) = self.time_rules.0.read()
            && let Some((at, rules)) = guard.as_ref()
            && at.elapsed() < TIME_RULES_TTL
        {
            return Ok(rules.clone());
        }
        let records = self.store.calendars().await?;
        let mut calendars = HashMap::new();
        for record in &records {
            match read_calendar(record) {
                Some(calendar) => {
                    calendars.insert(record.id, (record.name.clone(), Arc::new(calendar)));
                }
                None => tracing::error!(calendar = record.id, "a stored calendar does not read"),
            }
        }
        let (default_name, default) = records
            .first()
            .and_then(|r| calendars.get(&r.id).cloned())
            .unwrap_or_else(|| {
                (
                    SHIPPED_CALENDAR_NAME.to_owned(),
                    Arc::new(Calendar::guatemala()),
                )
            });
        let mut by_category = HashMap::new();
        let mut by_queue = HashMap::new();
        for used in self.store.calendar_uses().await? {
            match used {
                CalendarUse::Category(category, id) => by_category.insert(category, id),
                CalendarUse::Queue(queue, id) => by_queue.insert(queue, id),
            };
        }
        let targets = self
            .store
            .time_targets()
            .await?
            .into_iter()
            .map(|t| ((t.category, t.priority), t.minutes))
            .collect();
        let rules = Arc::new(TimeRules {
            default,
            default_name,
            calendars,
            by_category,
            by_queue,
            targets,
            standard_minutes: self.target_minutes().await?,
        });
        if let Ok(mut guard) = self.time_rules.0.write() {
            *guard = Some((Instant::now(), rules.clone()));
        }
        Ok(rules)
    }

    pub(crate) fn forget_time_rules(&self) {
        if let Ok(mut guard) = self.time_rules.0.write() {
            *guard = None;
        }
    }

    /// After a calendar, a target or the standard changed: the rules are read
    /// again, and every open ticket's deadlines worked out again.
    pub(crate) async fn time_rules_changed(&self) -> Result<(), ServiceError> {
        self.forget_time_rules();
        self.store.forget_deadlines().await?;
        Ok(())
    }

    /// Every calendar, the default one first (admins and supervisors).
    pub async fn calendars(&self, caller: &Caller) -> Result<Vec<CalendarView>, ServiceError> {
        if !caller.is_admin() && !caller.has(Role::Supervisor) {
            return Err(ServiceError::Forbidden);
        }
        let records = self.store.calendars().await?;
        let uses = self.store.calendar_uses().await?;
        let categories = self.all_categories().await?;
        let queues = self.store.list_queues().await?;
        let category_key = |id: CategoryId| {
            categories
                .iter()
                .find(|c| c.id == id)
                .map(|c| c.key.clone())
        };
        let queue_key = |id: QueueId| queues.iter().find(|q| q.id == id).map(|q| q.key.clone());
        if records.is_empty() {
            let (hours, holidays) = calendar_to_text(&Calendar::guatemala());
            return Ok(vec![CalendarView {
                id: None,
                name: SHIPPED_CALENDAR_NAME.to_owned(),
                time_zone: sau_domain::DEFAULT_TIME_ZONE.to_owned(),
                hours,
                holidays,
                is_default: true,
                categories: Vec::new(),
                queues: Vec::new(),
            }]);
        }
        Ok(records
            .iter()
            .enumerate()
            .map(|(i, record)| {
                let hours: [String; 7] = serde_json::from_str(&record.hours).unwrap_or_default();
                let holidays: Vec<String> =
                    serde_json::from_str(&record.holidays).unwrap_or_default();
                CalendarView {
                    id: Some(record.id),
                    name: record.name.clone(),
                    time_zone: record.time_zone.clone(),
                    hours,
                    holidays,
                    is_default: i == 0,
                    categories: uses
                        .iter()
                        .filter_map(|u| match u {
                            CalendarUse::Category(c, id) if *id == record.id => category_key(*c),
                            _ => None,
                        })
                        .collect(),
                    queues: uses
                        .iter()
                        .filter_map(|u| match u {
                            CalendarUse::Queue(q, id) if *id == record.id => queue_key(*q),
                            _ => None,
                        })
                        .collect(),
                }
            })
            .collect())
    }

    /// Adds a calendar (admins only); the first one stored becomes the
    /// default in place of the shipped one. Its id.
    pub async fn create_calendar(
        &self,
        caller: &Caller,
        input: &CalendarInput,
    ) -> Result<i64, ServiceError> {
        Self::require_admin(caller)?;
        let (_, holidays) = checked(input)?;
        let id = self
            .store
            .create_calendar(stored(input, &holidays, caller))
            .await?
            .ok_or(ServiceError::Duplicate("calendar"))?;
        self.time_rules_changed().await?;
        Ok(id)
    }

    /// Rewrites a calendar (admins only). Tickets measured on it count their
    /// time on the new hours from then on, their past included: the time is
    /// always measured from the events.
    pub async fn update_calendar(
        &self,
        caller: &Caller,
        id: i64,
        input: &CalendarInput,
    ) -> Result<(), ServiceError> {
        Self::require_admin(caller)?;
        let (_, holidays) = checked(input)?;
        let exists = self.store.calendars().await?.iter().any(|c| c.id == id);
        if !exists {
            return Err(ServiceError::NotFound("calendar"));
        }
        if !self
            .store
            .update_calendar(id, stored(input, &holidays, caller))
            .await?
        {
            return Err(ServiceError::Duplicate("calendar"));
        }
        self.time_rules_changed().await?;
        Ok(())
    }

    /// Removes a calendar no category or queue uses (admins only).
    pub async fn delete_calendar(&self, caller: &Caller, id: i64) -> Result<(), ServiceError> {
        Self::require_admin(caller)?;
        let uses = self.store.calendar_uses().await?;
        let used = uses.iter().any(|u| match u {
            CalendarUse::Category(_, c) | CalendarUse::Queue(_, c) => *c == id,
        });
        if used {
            return Err(ServiceError::invalid("calendar", FieldProblem::InUse));
        }
        if !self.store.delete_calendar(id).await? {
            return Err(ServiceError::NotFound("calendar"));
        }
        self.time_rules_changed().await?;
        Ok(())
    }

    async fn stored_calendar_id(&self, id: Option<i64>) -> Result<Option<i64>, ServiceError> {
        match id {
            Some(id) if !self.store.calendars().await?.iter().any(|c| c.id == id) => {
                Err(ServiceError::invalid("calendar", FieldProblem::Unknown))
            }
            other => Ok(other),
        }
    }

    /// Gives a category a calendar of its own, or (`None`) its queue's again
    /// (admins only).
    pub async fn set_category_calendar(
        &self,
        caller: &Caller,
        category: &str,
        calendar: Option<i64>,
    ) -> Result<(), ServiceError> {
        Self::require_admin(caller)?;
        let calendar = self.stored_calendar_id(calendar).await?;
        let category = self.any_category(category).await?;
        self.store
            .set_category_calendar(category.id, calendar)
            .await?;
        self.time_rules_changed().await?;
        Ok(())
    }

    /// Gives a queue a calendar of its own, or (`None`) the default again
    /// (admins only).
    pub async fn set_queue_calendar(
        &self,
        caller: &Caller,
        queue: &str,
        calendar: Option<i64>,
    ) -> Result<(), ServiceError> {
        Self::require_admin(caller)?;
        let calendar = self.stored_calendar_id(calendar).await?;
        let queue = self
            .store
            .list_queues()
            .await?
            .into_iter()
            .find(|q| q.key == queue.trim())
            .ok_or_else(|| ServiceError::invalid("queue", FieldProblem::Unknown))?;
        self.store.set_queue_calendar(queue.id, calendar).await?;
        self.time_rules_changed().await?;
        Ok(())
    }

    async fn any_category(&self, key: &str) -> Result<sau_domain::Category, ServiceError> {
        self.all_categories()
            .await?
            .iter()
            .find(|c| c.key == key.trim())
            .cloned()
            .ok_or_else(|| ServiceError::invalid("category", FieldProblem::Unknown))
    }

    /// Every target set, by category and priority (admins and supervisors).
    pub async fn time_targets(&self, caller: &Caller) -> Result<Vec<TargetLine>, ServiceError> {
        if !caller.is_admin() && !caller.has(Role::Supervisor) {
            return Err(ServiceError::Forbidden);
        }
        let categories = self.all_categories().await?;
        Ok(self
            .store
            .time_targets()
            .await?
            .into_iter()
            .filter_map(|t| {
                let category = categories.iter().find(|c| c.id == t.category)?;
                Some(TargetLine {
                    category: category.key.clone(),
                    priority: t.priority,
                    minutes: TargetKind::ALL
                        .into_iter()
                        .zip(t.minutes)
                        .filter_map(|(kind, m)| Some((kind, m?)))
                        .collect(),
                })
            })
            .collect())
    }

    /// Sets a category's targets at one priority (1–5), or at every priority
    /// without its own (0); an empty `minutes` removes them (admins only).
    /// Tickets keep the time they already spent: only the target moves.
    pub async fn set_time_targets(
        &self,
        caller: &Caller,
        line: &TargetLine,
    ) -> Result<(), ServiceError> {
        Self::require_admin(caller)?;
        let mut problems = BTreeMap::new();
        if !(0..=5).contains(&line.priority) {
            problems.insert("priority".to_owned(), FieldProblem::OutOfRange);
        }
        for (kind, minutes) in &line.minutes {
            if !(1..=MAX_TARGET_MINUTES).contains(minutes) {
                problems.insert(kind.as_str().to_owned(), FieldProblem::OutOfRange);
            }
        }
        let category = match self.any_category(&line.category).await {
            Ok(category) => Some(category),
            Err(_) => {
                problems.insert("category".to_owned(), FieldProblem::Unknown);
                None
            }
        };
        let Some(category) = category.filter(|_| problems.is_empty()) else {
            return Err(ServiceError::Invalid(problems));
        };
        if line.minutes.is_empty() {
            self.store
                .delete_time_target(category.id, line.priority)
                .await?;
        } else {
            let minutes = TargetKind::ALL.map(|kind| line.minutes.get(&kind).copied());
            self.store
                .put_time_target(
                    TargetRecord {
                        category: category.id,
                        priority: line.priority,
                        minutes,
                        updated_at: now(),
                    },
                    caller.user().map(|u| u.id),
                )
                .await?;
        }
        self.time_rules_changed().await?;
        Ok(())
    }
}
