//! The director's dashboard: the open tickets now, and for a period the
//! tickets received and closed, compliance with each time target, the
//! average and 90th percentile of each step, trends and ratings, grouped by
//! category, priority, technician, attention mode and department. Read
//! from the measures of closed tickets and their daily sums (see
//! `measures`), so a year costs about as much as a month.

use crate::{Caller, Service, ServiceError, Tally};
use jiff::civil::Date;
use sau_domain::{
    AttentionMode, Compliance, FieldProblem, Granularity, Role, State, Step, day_from_number,
    day_number, quantile,
};
use sau_store::{Dimension, MeasureDay, MeasureFilter, mode_of_value};
use std::collections::{BTreeMap, HashMap};

/// The longest period a report covers, in days.
pub const LONGEST_PERIOD_DAYS: i64 = 3 * 366;

/// What a report is asked for. Keys as the API and the pages use them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReportQuery {
    /// The first and last day of the period (local days), both included.
    pub from: Option<Date>,
    pub to: Option<Date>,
    pub category: Option<String>,
    pub priority: Option<i64>,
    /// A technician's login.
    pub technician: Option<String>,
    /// `in_person` or `remote`.
    pub mode: Option<String>,
    /// A department's code.
    pub department: Option<String>,
    pub by: Option<Granularity>,
}

/// One group's figures for the period.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupFigures {
    /// The key, and the names to show (a count of 0 is unused).
    pub group: Tally,
    pub closed: i64,
    /// Per target, in `TargetKind::ALL`'s order.
    pub compliance: [Compliance; 4],
    /// The average of each step in business seconds, in `Step::ALL`'s order.
    pub average: [Option<i64>; 5],
    pub ratings: Ratings,
}

/// One step's figures: average business seconds, 90th percentile in whole
/// minutes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StepFigure {
    pub step: Step,
    pub average_secs: Option<i64>,
    pub p90_minutes: Option<i64>,
}

/// One point of a trend: the group starting on `start`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrendPoint {
    pub start: Date,
    pub received: i64,
    pub closed: i64,
    pub total: Compliance,
}

/// How the requesters rated: how many gave 1 to 5.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Ratings {
    pub counts: [i64; 5],
}

impl Ratings {
    pub fn count(&self) -> i64 {
        self.counts.iter().sum()
    }

    pub fn average(&self) -> Option<f64> {
        let n = self.count();
        let sum: i64 = (1..=5).zip(self.counts).map(|(s, c)| s * c).sum();
        (n > 0).then(|| sum as f64 / n as f64)
    }

    fn add(&mut self, rated: [i64; 5]) {
        for (count, n) in self.counts.iter_mut().zip(rated) {
            *count += n;
        }
    }
}

/// The open tickets now.
#[derive(Debug, Clone, PartialEq)]
pub struct OpenNow {
    pub total: i64,
    /// Every open state in the procedure's order, zero included.
    pub by_state: Vec<(State, i64)>,
    pub by_category: Vec<Tally>,
    pub by_department: Vec<Tally>,
    pub by_technician: Vec<Tally>,
    pub by_mode: Vec<Tally>,
}

/// The whole dashboard.
#[derive(Debug, Clone, PartialEq)]
pub struct Dashboard {
    pub from: Date,
    pub to: Date,
    pub by: Granularity,
    /// The filters as asked (keys), for links and exports.
    pub query: ReportQuery,
    pub open: OpenNow,
    pub received: i64,
    /// All closed tickets of the period that the filters choose.
    pub all: GroupFigures,
    pub by_category: Vec<GroupFigures>,
    pub by_priority: Vec<GroupFigures>,
    pub by_technician: Vec<GroupFigures>,
    pub by_mode: Vec<GroupFigures>,
    pub by_department: Vec<GroupFigures>,
    pub steps: Vec<StepFigure>,
    pub trend: Vec<TrendPoint>,
}

/// Names of categories, people and departments, by id.
#[derive(Default)]
struct Names {
    categories: HashMap<i64, Tally>,
    people: HashMap<i64, Tally>,
    departments: HashMap<i64, Tally>,
}

fn tally(key: &str, es: &str, en: &str) -> Tally {
    Tally {
        key: key.to_owned(),
        name_es: es.to_owned(),
        name_en: en.to_owned(),
        count: 0,
    }
}

fn none_tally() -> Tally {
    tally("", "(ninguno)", "(none)")
}

fn mode_tally(mode: Option<&str>) -> Tally {
    match mode {
        Some("in_person") => tally("in_person", "Presencial", "In person"),
        Some("remote") => tally("remote", "Remota", "Remote"),
        Some(other) => tally(other, other, other),
        None => tally("", "(sin atender)", "(not attended)"),
    }
}

fn priority_tally(level: i64) -> Tally {
    let (es, en) = match level {
        1 => ("1 muy baja", "1 very low"),
        2 => ("2 baja", "2 low"),
        3 => ("3 normal", "3 normal"),
        4 => ("4 alta", "4 high"),
        _ => ("5 muy alta", "5 very high"),
    };
    tally(&level.to_string(), es, en)
}

/// Adds figures up per group, keeping the groups in key order.
#[derive(Default)]
struct Sums {
    closed: i64,
    seconds: [i64; 5],
    compliance: [Compliance; 4],
    ratings: Ratings,
}

impl Sums {
    fn add(&mut self, day: &MeasureDay) {
        self.closed += day.closed;
        for (sum, s) in self.seconds.iter_mut().zip(day.seconds) {
            *sum += s;
        }
        for (c, (met, measured)) in self.compliance.iter_mut().zip(day.compliance) {
            c.add(Compliance { met, measured });
        }
        self.ratings.add(day.rated);
    }

    fn figures(&self, group: Tally) -> GroupFigures {
        GroupFigures {
            group,
            closed: self.closed,
            compliance: self.compliance,
            average: self
                .seconds
                .map(|s| (self.closed > 0).then(|| s / self.closed)),
            ratings: self.ratings,
        }
    }
}

/// The figures of each value of `dimension`, most closed first.
fn grouped(
    days: &[MeasureDay],
    dimension: Dimension,
    name: impl Fn(i64) -> Tally,
) -> Vec<GroupFigures> {
    let mut sums: BTreeMap<i64, Sums> = BTreeMap::new();
    for day in days.iter().filter(|d| d.dimension == dimension) {
        sums.entry(day.value).or_default().add(day);
    }
    let mut groups: Vec<GroupFigures> = sums.iter().map(|(k, s)| s.figures(name(*k))).collect();
    groups.sort_by(|a, b| b.closed.cmp(&a.closed).then(a.group.key.cmp(&b.group.key)));
    groups
}

fn counted<K: Ord>(
    items: impl Iterator<Item = (K, i64)>,
    name: impl Fn(&K) -> Tally,
) -> Vec<Tally> {
    let mut counts: BTreeMap<K, i64> = BTreeMap::new();
    for (k, n) in items {
        *counts.entry(k).or_default() += n;
    }
    let mut tallies: Vec<Tally> = counts
        .into_iter()
        .map(|(k, count)| Tally { count, ..name(&k) })
        .collect();
    tallies.sort_by(|a, b| b.count.cmp(&a.count).then(a.key.cmp(&b.key)));
    tallies
}

impl Names {
    fn category(&self, id: i64) -> Tally {
        self.categories.get(&id).cloned().unwrap_or_else(none_tally)
    }

    fn person(&self, id: Option<i64>) -> Tally {
        id.and_then(|id| self.people.get(&id).cloned())
            .unwrap_or_else(none_tally)
    }

    fn department(&self, id: Option<i64>) -> Tally {
        id.and_then(|id| self.departments.get(&id).cloned())
            .unwrap_or_else(none_tally)
    }
}

impl Service {
    async fn report_names(&self) -> Result<Names, ServiceError> {
        let mut names = Names::default();
        for c in self.store.list_categories().await? {
            names
                .categories
                .insert(c.id.0, tally(&c.key, &c.name_es, &c.name_en));
        }
        for d in self.store.list_departments().await? {
            names
                .departments
                .insert(d.id.0, tally(&d.code, &d.name, &d.name));
        }
        for u in self.store.list_users().await? {
            if u.roles.has(Role::Technician) || u.roles.has(Role::Dispatcher) {
                names
                    .people
                    .insert(u.id.0, tally(&u.login, &u.display_name, &u.display_name));
            }
        }
        Ok(names)
    }

    /// Turns the query's keys into a store filter, or says which is wrong.
    async fn measure_filter(
        &self,
        query: &ReportQuery,
        from: Date,
        to: Date,
    ) -> Result<MeasureFilter, ServiceError> {
        let mut filter = MeasureFilter {
            from_day: day_number(from),
            to_day: day_number(to) + 1,
            priority: query.priority,
            ..MeasureFilter::default()
        };
        if let Some(key) = &query.category {
            let categories = self.store.list_categories().await?;
            let found = categories.iter().find(|c| &c.key == key);
            filter.category = Some(
                found
                    .ok_or_else(|| ServiceError::invalid("category", FieldProblem::Unknown))?
                    .id,
            );
        }
        if let Some(p) = query.priority
            && sau_domain::Priority::new(p).is_none()
        {
            return Err(ServiceError::invalid("priority", FieldProblem::OutOfRange));
        }
        if let Some(login) = &query.technician {
            let person = self.store.find_user(login).await?;
            filter.technician = Some(
                person
                    .ok_or_else(|| ServiceError::invalid("technician", FieldProblem::Unknown))?
                    .id,
            );
        }
        if let Some(mode) = &query.mode {
            let known = [AttentionMode::InPerson, AttentionMode::Remote]
                .iter()
                .any(|m| m.as_str() == mode);
            if !known {
                return Err(ServiceError::invalid("mode", FieldProblem::Unknown));
            }
            filter.mode = Some(mode.clone());
        }
        if let Some(code) = &query.department {
            let department = self.store.find_department(code).await?;
            filter.department = Some(
                department
                    .ok_or_else(|| ServiceError::invalid("department", FieldProblem::Unknown))?
                    .id,
            );
        }
        Ok(filter)
    }

    /// The dashboard for a period (supervisors only). Without dates: the
    /// current month up to today.
    pub async fn dashboard(
        &self,
        caller: &Caller,
        query: &ReportQuery,
    ) -> Result<Dashboard, ServiceError> {
        if !caller.has(Role::Supervisor) {
            return Err(ServiceError::Forbidden);
        }
        let rules = self.time_rules().await?;
        let zone = rules.report_zone().clone();
        let today = zone.to_datetime(crate::now()).date();
        let from = query.from.unwrap_or_else(|| today.first_of_month());
        let to = query.to.unwrap_or(today);
        if to < from {
            return Err(ServiceError::invalid("to", FieldProblem::OutOfRange));
        }
        let days = day_number(to) - day_number(from) + 1;
        if days > LONGEST_PERIOD_DAYS {
            return Err(ServiceError::invalid("from", FieldProblem::OutOfRange));
        }
        let by = query.by.unwrap_or_else(|| Granularity::for_days(days));
        let filter = self.measure_filter(query, from, to).await?;
        let names = self.report_names().await?;

        // The kept sums serve the whole team; a narrowed report adds up the
        // chosen tickets' own measures, in one read.
        let (measured, minutes) = if filter.narrowed() {
            self.store.sum_chosen_measures(&filter).await?
        } else {
            (
                self.store.measure_days(&filter).await?,
                self.store.measure_minutes(&filter).await?,
            )
        };
        let start = |d: Date| {
            zone.to_ambiguous_timestamp(d.to_datetime(jiff::civil::Time::MIN))
                .compatible()
                .ok()
        };
        let end = to.tomorrow().ok().and_then(start);
        let received = match (start(from), end) {
            (Some(from), Some(end)) => self.store.received_by_hour(from, end, &filter).await?,
            _ => Vec::new(),
        };

        let mut all = Sums::default();
        for day in measured.iter().filter(|d| d.dimension == Dimension::All) {
            all.add(day);
        }
        let steps = Step::ALL
            .into_iter()
            .map(|step| {
                let counts: Vec<(i64, i64)> = minutes
                    .iter()
                    .filter(|(s, _, _)| *s == step.index())
                    .map(|(_, m, n)| (*m, *n))
                    .collect();
                StepFigure {
                    step,
                    average_secs: (all.closed > 0).then(|| all.seconds[step.index()] / all.closed),
                    p90_minutes: quantile(&counts, 0.9),
                }
            })
            .collect();

        // The trend: every group of the period, empty ones included.
        let mut trend: BTreeMap<Date, TrendPoint> = BTreeMap::new();
        let mut day = from;
        while day <= to {
            let s = by.start(day);
            trend.entry(s).or_insert(TrendPoint {
                start: s,
                received: 0,
                closed: 0,
                total: Compliance::default(),
            });
            day = match day.tomorrow() {
                Ok(next) => next,
                Err(_) => break,
            };
        }
        for m in measured.iter().filter(|d| d.dimension == Dimension::All) {
            if let Some(point) = trend.get_mut(&by.start(day_from_number(m.day))) {
                point.closed += m.closed;
                let (met, measured) = m.compliance[3];
                point.total.add(Compliance { met, measured });
            }
        }
        let mut received_total = 0;
        for (hour, n) in received {
            received_total += n;
            let local = zone.to_datetime(hour).date();
            if let Some(point) = trend.get_mut(&by.start(local)) {
                point.received += n;
            }
        }

        let open = self.open_now(&names).await?;
        Ok(Dashboard {
            from,
            to,
            by,
            query: ReportQuery {
                from: Some(from),
                to: Some(to),
                by: Some(by),
                ..query.clone()
            },
            open,
            received: received_total,
            all: all.figures(tally("", "Todos", "All")),
            by_category: grouped(&measured, Dimension::Category, |k| names.category(k)),
            by_priority: {
                // In the priorities' own order, not by how many.
                let mut groups = grouped(&measured, Dimension::Priority, priority_tally);
                groups.sort_by_key(|g| g.group.key.parse::<i64>().unwrap_or(0));
                groups
            },
            by_technician: grouped(&measured, Dimension::Technician, |k| {
                names.person(Some(k).filter(|k| *k != 0))
            }),
            by_mode: grouped(&measured, Dimension::Mode, |k| mode_tally(mode_of_value(k))),
            by_department: grouped(&measured, Dimension::Department, |k| {
                names.department(Some(k).filter(|k| *k != 0))
            }),
            steps,
            trend: trend.into_values().collect(),
        })
    }

    async fn open_now(&self, names: &Names) -> Result<OpenNow, ServiceError> {
        let counts = self.store.open_counts().await?;
        let open_states = [
            State::New,
            State::Assigned,
            State::InProgress,
            State::OnHold,
            State::Resolved,
        ];
        let by_state = open_states
            .into_iter()
            .map(|s| {
                let n = counts
                    .iter()
                    .filter(|c| c.state == s)
                    .map(|c| c.count)
                    .sum();
                (s, n)
            })
            .collect();
        Ok(OpenNow {
            total: counts.iter().map(|c| c.count).sum(),
            by_state,
            by_category: counted(counts.iter().map(|c| (c.category.0, c.count)), |k| {
                names.category(*k)
            }),
            by_department: counted(
                counts.iter().map(|c| (c.department.map(|d| d.0), c.count)),
                |k| names.department(*k),
            ),
            by_technician: counted(
                counts.iter().map(|c| (c.technician.map(|t| t.0), c.count)),
                |k| names.person(*k),
            ),
            by_mode: counted(counts.iter().map(|c| (c.mode.clone(), c.count)), |k| {
                mode_tally(k.as_deref())
            }),
        })
    }
}
