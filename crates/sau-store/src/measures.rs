//! The measures of closed tickets, and their sums per day and per minute
//! spent, kept in step in one transaction: what the director's reports read.

use crate::records::micros;
use crate::{Backend, Store, StoreError};
use jiff::Timestamp;
use sau_domain::{CategoryId, DepartmentId, State, TicketId, UserId};

/// A closed ticket's measure as stored, with what a report groups it by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeasureRecord {
    /// The local day of its close, as a day number (see `sau_domain::day_number`).
    pub day: i64,
    pub closed_at: Timestamp,
    pub category: CategoryId,
    pub priority: i64,
    pub technician: Option<UserId>,
    pub mode: Option<String>,
    pub department: Option<DepartmentId>,
    /// Business seconds per step, in `sau_domain::Step::ALL`'s order.
    pub seconds: [i64; 5],
    pub on_hold: i64,
    /// Per target in `TargetKind::ALL`'s order: met, missed, or none.
    pub met: [Option<bool>; 4],
    pub rating: Option<u8>,
}

/// A ticket's measure as worked out for one of its versions (`None`: it is
/// not closed, so it has none).
pub type MeasureWrite = (TicketId, i64, Option<MeasureRecord>);

/// Which measures a report adds up: closed from `from_day` up to (not
/// including) `to_day`, and of the chosen category, priority, etc.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MeasureFilter {
    pub from_day: i64,
    pub to_day: i64,
    pub category: Option<CategoryId>,
    pub priority: Option<i64>,
    pub technician: Option<UserId>,
    pub mode: Option<String>,
    pub department: Option<DepartmentId>,
}

impl MeasureFilter {
    /// Whether anything but the days is chosen.
    pub fn narrowed(&self) -> bool {
        self.category.is_some()
            || self.priority.is_some()
            || self.technician.is_some()
            || self.mode.is_some()
            || self.department.is_some()
    }
}

/// What the daily sums are kept by, besides the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Dimension {
    /// Every measure of the day (value 0).
    All,
    /// Per category (its id).
    Category,
    /// Per priority (its level).
    Priority,
    /// Per technician (their id; 0: none).
    Technician,
    /// Per attention mode (see [`mode_value`]).
    Mode,
    /// Per requesting department (its id; 0: none).
    Department,
}

impl Dimension {
    pub const ALL: [Dimension; 6] = [
        Dimension::All,
        Dimension::Category,
        Dimension::Priority,
        Dimension::Technician,
        Dimension::Mode,
        Dimension::Department,
    ];

    pub(crate) fn number(self) -> i16 {
        self as i16
    }

    pub(crate) fn from_number(n: i16) -> Option<Dimension> {
        Dimension::ALL.get(usize::try_from(n).ok()?).copied()
    }

    /// The value a measure has in this dimension.
    pub(crate) fn value_of(self, m: &MeasureRecord) -> i64 {
        match self {
            Dimension::All => 0,
            Dimension::Category => m.category.0,
            Dimension::Priority => m.priority,
            Dimension::Technician => m.technician.map_or(0, |t| t.0),
            Dimension::Mode => mode_value(m.mode.as_deref()),
            Dimension::Department => m.department.map_or(0, |d| d.0),
        }
    }
}

/// An attention mode as a value of [`Dimension::Mode`]: 1 in person, 2
/// remote, 0 none.
pub fn mode_value(mode: Option<&str>) -> i64 {
    match mode {
        Some("in_person") => 1,
        Some("remote") => 2,
        _ => 0,
    }
}

/// The attention mode of a [`Dimension::Mode`] value.
pub fn mode_of_value(value: i64) -> Option<&'static str> {
    match value {
        1 => Some("in_person"),
        2 => Some("remote"),
        _ => None,
    }
}

/// The sums of one day's measures with the same value in one dimension.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeasureDay {
    pub day: i64,
    pub dimension: Dimension,
    pub value: i64,
    pub closed: i64,
    /// Business seconds per step, summed.
    pub seconds: [i64; 5],
    pub on_hold: i64,
    /// Per target: (met, measured).
    pub compliance: [(i64, i64); 4],
    /// How many rated 1 to 5.
    pub rated: [i64; 5],
}

/// Open tickets counted by state, category, department, technician and mode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenCount {
    pub state: State,
    pub category: CategoryId,
    pub department: Option<DepartmentId>,
    pub technician: Option<UserId>,
    pub mode: Option<String>,
    pub count: i64,
}

impl Store {
    /// Tickets changed since they were last measured: id and version.
    pub async fn stale_measures(&self, limit: i64) -> Result<Vec<(TicketId, i64)>, StoreError> {
        let rows = read!(self, |c| measures::stale(c, limit))?;
        Ok(rows.into_iter().map(|(id, v)| (TicketId(id), v)).collect())
    }

    /// Keeps tickets' measures and the sums in one transaction: how many were
    /// kept (one that changed since its version was read is left for later).
    pub async fn set_measures(&self, writes: Vec<MeasureWrite>) -> Result<usize, StoreError> {
        write!(self, |c| async move {
            let mut kept = 0;
            for (ticket, version, measure) in &writes {
                kept += usize::from(
                    measures::set(&mut *c, ticket.0, *version, measure.as_ref()).await?,
                );
            }
            Ok::<_, StoreError>(kept)
        })
    }

    /// A ticket's measure, if it is closed and measured.
    pub async fn measure_of(&self, ticket: TicketId) -> Result<Option<MeasureRecord>, StoreError> {
        read!(self, |c| measures::of_ticket(c, ticket.0))
    }

    /// The measures of those of `tickets` that are closed and measured.
    pub async fn measures_of(
        &self,
        tickets: &[TicketId],
    ) -> Result<Vec<(TicketId, MeasureRecord)>, StoreError> {
        let ids: Vec<i64> = tickets.iter().map(|t| t.0).collect();
        let rows = read!(self, |c| measures::of_tickets(c, &ids))?;
        Ok(rows.into_iter().map(|(id, m)| (TicketId(id), m)).collect())
    }

    /// The measures of the tickets `filter` chooses added up as the store
    /// keeps them (see [`MeasureSums`]), read one at a time so that memory
    /// holds the sums, not the tickets: a report narrowed to a category,
    /// technician, etc.
    pub async fn sum_chosen_measures(
        &self,
        filter: &MeasureFilter,
    ) -> Result<(Vec<MeasureDay>, Vec<(usize, i64, i64)>), StoreError> {
        read!(self, |c| measures::sum_chosen(c, filter))
    }

    /// The kept sums per day and dimension of `filter`'s days (its other
    /// choices aside).
    pub async fn measure_days(
        &self,
        filter: &MeasureFilter,
    ) -> Result<Vec<MeasureDay>, StoreError> {
        read!(self, |c| measures::days(c, filter))
    }

    /// How many tickets closed in `filter`'s days (its other choices aside)
    /// spent each whole minute on each step: (step index, minutes, tickets),
    /// in order.
    pub async fn measure_minutes(
        &self,
        filter: &MeasureFilter,
    ) -> Result<Vec<(usize, i64, i64)>, StoreError> {
        let rows = read!(self, |c| measures::minutes(c, filter))?;
        Ok(rows
            .into_iter()
            .map(|(step, m, n)| (usize::try_from(step).unwrap_or(0), m, n))
            .collect())
    }

    /// The open tickets now, counted.
    pub async fn open_counts(&self) -> Result<Vec<OpenCount>, StoreError> {
        let rows = read!(self, |c| measures::open_now(c))?;
        rows.into_iter()
            .map(|(state, category, department, technician, mode, count)| {
                Ok(OpenCount {
                    state: state
                        .parse::<State>()
                        .map_err(|_| StoreError::Corrupt(format!("state {state}")))?,
                    category: CategoryId(category),
                    department: department.map(DepartmentId),
                    technician: technician.map(UserId),
                    mode,
                    count,
                })
            })
            .collect()
    }

    /// Tickets received (created) per hour from `from` to `to`, of the
    /// category, priority, etc. `filter` chooses (its days aside): (the
    /// hour's start, tickets), in order.
    pub async fn received_by_hour(
        &self,
        from: Timestamp,
        to: Timestamp,
        filter: &MeasureFilter,
    ) -> Result<Vec<(Timestamp, i64)>, StoreError> {
        let (from, to) = (micros(from), micros(to));
        let rows = read!(self, |c| measures::received_by_hour(c, from, to, filter))?;
        rows.into_iter()
            .map(|(hour, n)| {
                let at = Timestamp::from_second(hour.saturating_mul(3600))
                    .map_err(|e| StoreError::Corrupt(e.to_string()))?;
                Ok((at, n))
            })
            .collect()
    }
}

#[cfg(feature = "testing")]
impl Store {
    /// Gives a ticket's events these times, in order (test suites only).
    pub async fn retime_ticket(
        &self,
        ticket: TicketId,
        times: &[Timestamp],
    ) -> Result<(), StoreError> {
        let times: Vec<i64> = times.iter().map(|t| micros(*t)).collect();
        write!(self, |c| measures::retime(c, ticket.0, &times))
    }
}

/// Measures added up as the store keeps them (the twin of the SQL that keeps
/// `measure_days` and `measure_minutes`), one at a time: the sums per day,
/// dimension and value, and how many spent each whole minute on each step.
#[derive(Debug, Default)]
pub struct MeasureSums {
    days: std::collections::BTreeMap<(i64, Dimension, i64), MeasureDay>,
    minutes: std::collections::BTreeMap<(usize, i64), i64>,
}

impl MeasureSums {
    pub fn add(&mut self, m: &MeasureRecord) {
        for dimension in Dimension::ALL {
            let value = dimension.value_of(m);
            let sums = self
                .days
                .entry((m.day, dimension, value))
                .or_insert_with(|| MeasureDay {
                    day: m.day,
                    dimension,
                    value,
                    closed: 0,
                    seconds: [0; 5],
                    on_hold: 0,
                    compliance: [(0, 0); 4],
                    rated: [0; 5],
                });
            sums.closed += 1;
            for (sum, s) in sums.seconds.iter_mut().zip(m.seconds) {
                *sum += s;
            }
            sums.on_hold += m.on_hold;
            for ((met, measured), target) in sums.compliance.iter_mut().zip(m.met) {
                *met += i64::from(target == Some(true));
                *measured += i64::from(target.is_some());
            }
            if let Some(score) = m.rating.filter(|s| (1..=5).contains(s)) {
                sums.rated[usize::from(score) - 1] += 1;
            }
        }
        for (step, seconds) in m.seconds.iter().enumerate() {
            *self.minutes.entry((step, seconds / 60)).or_default() += 1;
        }
    }

    /// The sums per day, dimension and value, and the (step, minutes,
    /// tickets) counts, in order.
    pub fn finish(self) -> (Vec<MeasureDay>, Vec<(usize, i64, i64)>) {
        (
            self.days.into_values().collect(),
            self.minutes
                .into_iter()
                .map(|((s, m), n)| (s, m, n))
                .collect(),
        )
    }
}
