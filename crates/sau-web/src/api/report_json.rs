//! The director's dashboard as the API shows it: the same figures as the
//! reports page, typed so the OpenAPI document describes them exactly.

use crate::i18n::Lang;
use sau_domain::{Compliance, Step, TargetKind};
use sau_service::{Dashboard, GroupFigures, Tally};
use serde::Serialize;
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// Of the tickets measured against a target, how many met it.
#[derive(Serialize, ToSchema)]
#[schema(as = Compliance)]
pub struct ComplianceJson {
    met: i64,
    measured: i64,
    /// Null when nothing was measured.
    percent: Option<f64>,
}

fn compliance(c: Compliance) -> ComplianceJson {
    ComplianceJson {
        met: c.met,
        measured: c.measured,
        percent: c.percent(),
    }
}

/// Per target (`first_response`, `assignment`, `resolution`, `standard`…).
fn targets(all: &[Compliance; 4]) -> BTreeMap<&'static str, ComplianceJson> {
    TargetKind::ALL
        .iter()
        .zip(all)
        .map(|(kind, c)| (kind.as_str(), compliance(*c)))
        .collect()
}

#[derive(Serialize, ToSchema)]
#[schema(as = Ratings)]
pub struct RatingsJson {
    count: i64,
    average: Option<f64>,
}

/// The figures of one group (a category, a priority, a technician…).
#[derive(Serialize, ToSchema)]
#[schema(as = ReportGroup)]
pub struct GroupJson<'a> {
    key: &'a str,
    name: &'a str,
    closed: i64,
    targets: BTreeMap<&'static str, ComplianceJson>,
    /// Per step, in business seconds; null when no ticket went through it.
    average_seconds: BTreeMap<&'static str, Option<i64>>,
    ratings: RatingsJson,
}

fn name(t: &Tally, lang: Lang) -> &str {
    lang.pick(&t.name_es, &t.name_en)
}

fn group(g: &GroupFigures, lang: Lang) -> GroupJson<'_> {
    GroupJson {
        key: &g.group.key,
        name: name(&g.group, lang),
        closed: g.closed,
        targets: targets(&g.compliance),
        average_seconds: Step::ALL
            .iter()
            .map(|s| (s.as_str(), g.average[s.index()]))
            .collect(),
        ratings: RatingsJson {
            count: g.ratings.count(),
            average: g.ratings.average(),
        },
    }
}

#[derive(Serialize, ToSchema)]
#[schema(as = StepFigures)]
pub struct StepJson {
    average_seconds: Option<i64>,
    p90_minutes: Option<i64>,
}

#[derive(Serialize, ToSchema)]
#[schema(as = ReportRatings)]
pub struct AllRatingsJson {
    count: i64,
    average: Option<f64>,
    /// How many gave 1, 2, 3, 4 and 5.
    by_score: [i64; 5],
}

#[derive(Serialize, ToSchema)]
#[schema(as = ReportGroups)]
pub struct GroupsJson<'a> {
    category: Vec<GroupJson<'a>>,
    priority: Vec<GroupJson<'a>>,
    technician: Vec<GroupJson<'a>>,
    mode: Vec<GroupJson<'a>>,
    department: Vec<GroupJson<'a>>,
}

/// One period of the trend.
#[derive(Serialize, ToSchema)]
#[schema(as = TrendPoint)]
pub struct TrendJson {
    /// Its first day.
    #[schema(value_type = String, format = Date)]
    start: jiff::civil::Date,
    received: i64,
    closed: i64,
    total: ComplianceJson,
}

#[derive(Serialize, ToSchema)]
#[schema(as = Tally)]
pub struct TallyJson<'a> {
    key: &'a str,
    name: &'a str,
    count: i64,
}

fn tallies(list: &[Tally], lang: Lang) -> Vec<TallyJson<'_>> {
    list.iter()
        .map(|t| TallyJson {
            key: &t.key,
            name: name(t, lang),
            count: t.count,
        })
        .collect()
}

/// What is open now.
#[derive(Serialize, ToSchema)]
#[schema(as = OpenNow)]
pub struct OpenJson<'a> {
    total: i64,
    /// Per open state.
    state: BTreeMap<&'static str, i64>,
    category: Vec<TallyJson<'a>>,
    technician: Vec<TallyJson<'a>>,
    department: Vec<TallyJson<'a>>,
    mode: Vec<TallyJson<'a>>,
}

/// The dashboard of a period.
#[derive(Serialize, ToSchema)]
#[schema(as = Report)]
pub struct ReportJson<'a> {
    #[schema(value_type = String, format = Date)]
    from: jiff::civil::Date,
    #[schema(value_type = String, format = Date)]
    to: jiff::civil::Date,
    /// `day`, `week` or `month`: the trend's periods.
    by: &'static str,
    received: i64,
    closed: i64,
    targets: BTreeMap<&'static str, ComplianceJson>,
    steps: BTreeMap<&'static str, StepJson>,
    ratings: AllRatingsJson,
    groups: GroupsJson<'a>,
    trend: Vec<TrendJson>,
    open: OpenJson<'a>,
}

pub fn report<'a>(d: &'a Dashboard, lang: Lang) -> ReportJson<'a> {
    let groups = |list: &'a [GroupFigures]| -> Vec<GroupJson<'a>> {
        list.iter().map(|g| group(g, lang)).collect()
    };
    ReportJson {
        from: d.from,
        to: d.to,
        by: d.by.as_str(),
        received: d.received,
        closed: d.all.closed,
        targets: targets(&d.all.compliance),
        steps: d
            .steps
            .iter()
            .map(|s| {
                let figures = StepJson {
                    average_seconds: s.average_secs,
                    p90_minutes: s.p90_minutes,
                };
                (s.step.as_str(), figures)
            })
            .collect(),
        ratings: AllRatingsJson {
            count: d.all.ratings.count(),
            average: d.all.ratings.average(),
            by_score: d.all.ratings.counts,
        },
        groups: GroupsJson {
            category: groups(&d.by_category),
            priority: groups(&d.by_priority),
            technician: groups(&d.by_technician),
            mode: groups(&d.by_mode),
            department: groups(&d.by_department),
        },
        trend: d
            .trend
            .iter()
            .map(|p| TrendJson {
                start: p.start,
                received: p.received,
                closed: p.closed,
                total: compliance(p.total),
            })
            .collect(),
        open: OpenJson {
            total: d.open.total,
            state: d
                .open
                .by_state
                .iter()
                .map(|(s, n)| (s.as_str(), *n))
                .collect(),
            category: tallies(&d.open.by_category, lang),
            technician: tallies(&d.open.by_technician, lang),
            department: tallies(&d.open.by_department, lang),
            mode: tallies(&d.open.by_mode, lang),
        },
    }
}
