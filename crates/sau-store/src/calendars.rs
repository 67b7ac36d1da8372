//! Working calendars, who uses which, and the time targets. The calendar's
//! hours and holidays are kept as the JSON the service writes; the store does
//! not read them.

use crate::records::{from_micros, micros};
use crate::{Backend, Store, StoreError};
use jiff::Timestamp;
use sau_domain::{CategoryId, QueueId, TicketId, UserId};

/// A ticket's deadlines as worked out for one of its versions: the ticket,
/// the version, and when it is due and nearly due (`None`: no clock runs).
pub type DeadlineWrite = (TicketId, i64, Option<(Timestamp, Timestamp)>);

/// A stored calendar.
#[derive(Debug, Clone, PartialEq)]
pub struct CalendarRecord {
    pub id: i64,
    pub name: String,
    pub time_zone: String,
    /// JSON: the working ranges of each weekday, Monday first.
    pub hours: String,
    /// JSON: the holidays.
    pub holidays: String,
    pub updated_at: Timestamp,
}

/// A calendar as written.
#[derive(Debug, Clone, PartialEq)]
pub struct CalendarWrite {
    pub name: String,
    pub time_zone: String,
    pub hours: String,
    pub holidays: String,
    pub updated_by: Option<UserId>,
    pub updated_at: Timestamp,
}

/// A category or queue with a calendar of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CalendarUse {
    Category(CategoryId, i64),
    Queue(QueueId, i64),
}

/// The targets of one category at one priority (0: every priority without a
/// row of its own), in minutes of business time: assign, accept, resolve and
/// total; `None` where there is no target of that kind.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetRecord {
    pub category: CategoryId,
    pub priority: i64,
    pub minutes: [Option<i64>; 4],
    pub updated_at: Timestamp,
}

impl Store {
    /// Every calendar, the default (first) one first.
    pub async fn calendars(&self) -> Result<Vec<CalendarRecord>, StoreError> {
        read!(self, |c| calendars::all(c))
    }

    /// Adds a calendar: its id, or `None` when its name is taken.
    pub async fn create_calendar(
        &self,
        calendar: CalendarWrite,
    ) -> Result<Option<i64>, StoreError> {
        write!(self, |c| calendars::create(c, &calendar))
    }

    /// Rewrites a calendar: false when it does not exist or its new name is
    /// another's.
    pub async fn update_calendar(
        &self,
        id: i64,
        calendar: CalendarWrite,
    ) -> Result<bool, StoreError> {
        write!(self, |c| calendars::update(c, id, &calendar))
    }

    /// Removes a calendar no category or queue uses: whether it went.
    pub async fn delete_calendar(&self, id: i64) -> Result<bool, StoreError> {
        write!(self, |c| calendars::delete(c, id))
    }

    /// The categories and queues with a calendar of their own.
    pub async fn calendar_uses(&self) -> Result<Vec<CalendarUse>, StoreError> {
        read!(self, |c| calendars::uses(c))
    }

    /// Gives a category a calendar, or none of its own: whether it exists.
    pub async fn set_category_calendar(
        &self,
        category: CategoryId,
        calendar: Option<i64>,
    ) -> Result<bool, StoreError> {
        write!(self, |c| calendars::set_for_category(c, category, calendar))
    }

    /// Gives a queue a calendar, or none of its own: whether it exists.
    pub async fn set_queue_calendar(
        &self,
        queue: QueueId,
        calendar: Option<i64>,
    ) -> Result<bool, StoreError> {
        write!(self, |c| calendars::set_for_queue(c, queue, calendar))
    }

    /// Every time target set.
    pub async fn time_targets(&self) -> Result<Vec<TargetRecord>, StoreError> {
        read!(self, |c| calendars::targets(c))
    }

    pub async fn put_time_target(
        &self,
        target: TargetRecord,
        by: Option<UserId>,
    ) -> Result<(), StoreError> {
        write!(self, |c| calendars::put_target(c, &target, by))
    }

    pub async fn delete_time_target(
        &self,
        category: CategoryId,
        priority: i64,
    ) -> Result<(), StoreError> {
        write!(self, |c| calendars::delete_target(c, category, priority))
    }

    /// Tickets whose deadlines are to be worked out (again): id and version.
    pub async fn stale_deadlines(&self, limit: i64) -> Result<Vec<(TicketId, i64)>, StoreError> {
        let rows = read!(self, |c| calendars::stale_deadlines(c, limit))?;
        Ok(rows.into_iter().map(|(id, v)| (TicketId(id), v)).collect())
    }

    /// Keeps tickets' deadlines (`None`: no clock runs), each for the version
    /// it was worked out for, in one transaction: how many were kept (one
    /// that changed since is left to be worked out again).
    pub async fn set_deadlines(&self, deadlines: Vec<DeadlineWrite>) -> Result<usize, StoreError> {
        let rows: Vec<(i64, i64, Option<i64>, Option<i64>)> = deadlines
            .into_iter()
            .map(|(ticket, version, due)| match due {
                Some((due, soon)) => (ticket.0, version, Some(micros(due)), Some(micros(soon))),
                None => (ticket.0, version, None, None),
            })
            .collect();
        write!(self, |c| calendars::set_many_deadlines(c, &rows))
    }

    /// Marks every open ticket's deadlines to be worked out again (after a
    /// calendar or a target changed): how many.
    pub async fn forget_deadlines(&self) -> Result<u64, StoreError> {
        write!(self, |c| calendars::forget_deadlines(c))
    }

    /// The deadlines (due, nearly due) of those of `tickets` that have them.
    pub async fn deadlines_of(
        &self,
        tickets: &[TicketId],
    ) -> Result<Vec<(TicketId, Timestamp, Timestamp)>, StoreError> {
        let ids: Vec<i64> = tickets.iter().map(|t| t.0).collect();
        let rows = read!(self, |c| calendars::deadlines_of(c, &ids))?;
        rows.into_iter()
            .map(|(id, due, soon)| Ok((TicketId(id), from_micros(due)?, from_micros(soon)?)))
            .collect()
    }

    /// Deadlines to warn of at `now`, earliest first: the ticket, the kind
    /// (`overdue` or `due_soon`) and the deadline.
    pub async fn deadlines_to_warn(
        &self,
        now: Timestamp,
        limit: i64,
    ) -> Result<Vec<(TicketId, String, Timestamp)>, StoreError> {
        let now = micros(now);
        let rows = read!(self, |c| calendars::deadlines_to_warn(c, now, limit))?;
        rows.into_iter()
            .map(|(id, kind, due)| Ok((TicketId(id), kind, from_micros(due)?)))
            .collect()
    }

    /// How many open tickets are nearly due and how many overdue at `now`.
    pub async fn due_counts(&self, now: Timestamp) -> Result<(i64, i64), StoreError> {
        let now = micros(now);
        read!(self, |c| calendars::due_counts(c, now))
    }

    /// Moves a ticket's history `by` into the past (test suites only).
    #[cfg(feature = "testing")]
    pub async fn backdate_ticket(
        &self,
        ticket: TicketId,
        by: jiff::SignedDuration,
    ) -> Result<(), StoreError> {
        let micros = by.as_micros() as i64;
        write!(self, |c| calendars::backdate(c, ticket.0, micros))
    }
}
